"""Theme networks: files read back, communities and centrality, and drawn labels that never overlap."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from ppss_qual.analysis import cooccurrence as cooc
from ppss_qual.analysis.drawing import Drawing, draw
from ppss_qual.analysis.network import build
from ppss_qual.errors import InvalidOperation
from ppss_qual.project import Project
from ppss_qual.store.codes import CodeRow
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    run_cli("demo", "--out", str(path))
    project = Project.open(path, create=False)
    yield project
    project.close()


def overlapping(boxes: list[tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[:i])
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def covered_nodes(drawing: Drawing) -> list[tuple[int, int]]:
    """(label, node) pairs where a label's box meets a node's disc."""
    out = []
    for i, box in enumerate(drawing.label_boxes()):
        for j, (x, y, r) in enumerate(drawing.node_discs()):
            nx_, ny_ = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
            if (x - nx_) ** 2 + (y - ny_) ** 2 < r**2:
                out.append((i, j))
    return out


@pytest.mark.parametrize(
    ("unit", "colour_by", "lang", "themes"),
    [("turn", "theme", "sv", False), ("transcript", "community", "en", False), ("turn", "theme", "sv", True)],
)
def test_drawn_labels_never_overlap_on_the_demo(
    demo: Project, unit: str, colour_by: str, lang: str, themes: bool
) -> None:
    network = demo.analysis.network(unit, themes=themes)
    drawing = draw(network, colour_by=colour_by, lang=lang)
    boxes = drawing.label_boxes()
    assert len(boxes) == network.graph.number_of_nodes() == (7 if themes else 29)
    assert overlapping(boxes) == []
    assert covered_nodes(drawing) == []
    texts = {t.get_text().replace("\n", " ") for t in drawing.labels}
    if lang == "sv":
        assert "Övergångar mellan skolor och stadier" in texts or "Föräldrar och vårdnadshavare" in texts
    else:
        assert "Trust" in texts
    drawing.close()


def test_files_read_back(demo: Project, tmp_path: Path) -> None:
    network = demo.analysis.network("turn", measure="count")
    g = network.graph
    for suffix in ("png", "svg", "pdf", "graphml", "gexf", "csv"):
        demo.analysis.write_network(tmp_path / f"net.{suffix}", network)
    assert (tmp_path / "net.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "net.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert (tmp_path / "net.pdf").read_bytes()[:5] == b"%PDF-"
    for reader in (nx.read_graphml, nx.read_gexf):
        back = reader(tmp_path / f"net.{'graphml' if reader is nx.read_graphml else 'gexf'}")
        assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
        names = {d["name"] for _n, d in back.nodes(data=True)}
        assert "Att bli lyssnad på" in names
        weights = sorted(float(d["weight"]) for _a, _b, d in back.edges(data=True))
        assert weights == sorted(float(d["weight"]) for _a, _b, d in g.edges(data=True))
    with (tmp_path / "net.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == g.number_of_edges()
    assert {"code_a", "code_b", "weight", "n_ab", "jaccard", "overlap"} <= set(rows[0])
    with pytest.raises(InvalidOperation, match="cannot write"):
        demo.analysis.write_network(tmp_path / "net.jpg", network)


def test_report_communities_and_centrality(demo: Project) -> None:
    network = demo.analysis.network("transcript", measure="jaccard")
    report = network.report()
    assert report["unit"] == "transcript" and report["measure"] == "jaccard"
    members = [c for community in report["communities"] for c in community["codes"]]
    assert sorted(members) == sorted(n["code"] for n in report["nodes"])
    for node in report["nodes"]:
        assert {"code", "theme", "n", "community", "degree", "degree_centrality", "betweenness"} <= set(node)
        assert 0 <= node["betweenness"] <= 1 and 0 <= node["degree_centrality"] <= 1
    again = demo.analysis.network("transcript", measure="jaccard").report()
    assert again["communities"] == report["communities"]  # a fixed seed: the same candidate themes


def test_edge_filters(demo: Project) -> None:
    full = demo.analysis.network("transcript", measure="jaccard", all_edges=True)
    assert (
        full.graph.number_of_edges()
        == full.edges_before_filter
        == len(demo.analysis.cooccurrence("transcript"))
    )
    backbone = demo.analysis.network("transcript", measure="jaccard")
    assert backbone.graph.number_of_edges() == 4 * 29  # by default the strongest 4 per code
    top = demo.analysis.network("transcript", measure="jaccard", top=10)
    assert top.graph.number_of_edges() == 10 and top.edges_before_filter == full.graph.number_of_edges()
    strongest = sorted((d["weight"] for *_e, d in full.graph.edges(data=True)), reverse=True)[:10]
    assert sorted((d["weight"] for *_e, d in top.graph.edges(data=True)), reverse=True) == strongest
    heavy = demo.analysis.network("transcript", measure="jaccard", min_weight=0.5, all_edges=True)
    assert all(d["weight"] >= 0.5 for *_e, d in heavy.graph.edges(data=True))
    assert heavy.graph.number_of_nodes() == full.graph.number_of_nodes()  # nodes stay, alone if need be


def test_many_long_labels_still_never_overlap() -> None:
    """Eighty codes with long Swedish names in eight themes, densely linked."""
    rng = random.Random(5)
    tree: dict[int, CodeRow] = {}
    words = "samverkan elevhälsa vårdnadshavare frånvarons orsaker förtroende övergångar skolmiljö".split()
    for t in range(8):
        tid = 100 + t
        tree[tid] = CodeRow(
            tid, None, f"Tema {t}", f"Theme {t}", "", "", "", "", None, [], t, "", path=f"Tema {t}"
        )
        for c in range(10):
            cid = 1000 + 10 * t + c
            name = " ".join(rng.sample(words, 3)) + f" {c}"
            tree[cid] = CodeRow(
                cid, tid, name, None, "", "", "", "", None, [], c, "", path=f"Tema {t}/{name}"
            )
            tree[tid].children.append(cid)
    ids = np.array(sorted(c for c in tree if c >= 1000), dtype=np.int64)
    n_per = np.array([rng.randint(1, 60) for _ in ids], dtype=np.int64)
    matrix = np.zeros((len(ids), len(ids)), dtype=np.int64)
    for _ in range(300):
        i, j = sorted(rng.sample(range(len(ids)), 2))
        matrix[i, j] = rng.randint(1, int(min(n_per[i], n_per[j])))
    network = build(cooc.Counts(cooc.Unit("turn"), ids, n_per, matrix), tree, measure="jaccard")
    drawing = draw(network)
    assert len(drawing.labels) == 80
    assert overlapping(drawing.label_boxes()) == []
    assert covered_nodes(drawing) == []
    drawing.close()
