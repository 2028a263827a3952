"""The analysis commands as scripts use them: names, options, JSON keys and errors, on the demo project."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import cli_json, run_cli

EXCERPT_KEYS = {
    "id",
    "code",
    "transcript",
    "speaker",
    "role",
    "line",
    "start",
    "end",
    "text",
    "coder",
    "memo",
}
PAIR_KEYS = {"code_a", "code_b", "n_a", "n_b", "n_ab", "jaccard", "overlap", "imbalanced", "unit"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("analysis-cli") / "demo.db"
    run_cli("demo", "--out", str(path))
    return path


def test_every_analysis_command_has_help() -> None:
    for command in ("excerpts", "matrix", "cooccurrence", "network"):
        out = run_cli(command, "--help").stdout
        assert "Usage:" in out and "--format" in out


def test_excerpts_keys_and_exact_text(demo: Path) -> None:
    rows = cli_json("excerpts", '"Att bli lyssnad på"', project=demo)
    assert isinstance(rows, list) and rows
    assert all(EXCERPT_KEYS <= set(r) for r in rows)
    assert {r["code"] for r in rows} == {"Att bli lyssnad på"}
    shown = cli_json("show", rows[0]["transcript"], project=demo)
    assert isinstance(shown, dict)
    for r in rows:
        if r["transcript"] == shown["name"]:
            assert r["text"] == shown["text"][r["start"] : r["end"]]
            assert shown["text"].splitlines()[r["line"] - 1].strip()
    assert {r["coder"] for r in rows} == {"omar", "ylva"}


def test_excerpts_theme_includes_codes_and_expression_is_the_code(demo: Path) -> None:
    theme = cli_json("excerpts", '"Barnets röst"', project=demo)
    assert isinstance(theme, list) and len(theme) == 53
    rows = cli_json("excerpts", "Tillit OR Hinder", "--coder", "omar", project=demo)
    assert isinstance(rows, list) and rows
    assert {r["code"] for r in rows} == {"Tillit OR Hinder"} and {r["coder"] for r in rows} == {"omar"}


def test_excerpts_filters(demo: Path) -> None:
    pupils = cli_json("excerpts", "--role", "elev", "--context", project=demo)
    assert isinstance(pupils, list) and pupils and {r["role"] for r in pupils} == {"pupil"}
    assert all(r["text"] in r["context"] for r in pupils)
    grade = cli_json("excerpts", "--attribute", "grade=8", "--transcript", "intervju01_elev3", project=demo)
    assert isinstance(grade, list) and grade and {r["participant"] for r in grade} == {"Elev 3"}
    heard = cli_json("excerpts", "--text", "lyssnar", project=demo)
    assert isinstance(heard, list) and heard and all("lyssna" in r["text"].lower() for r in heard)
    table = run_cli("excerpts", "Tillit", project=demo).stdout
    assert "excerpts" in table.splitlines()[-1]


def test_excerpts_errors(demo: Path) -> None:
    bad = run_cli("excerpts", "Tillit AND (Hinder", project=demo, check=False)
    assert bad.returncode != 0 and "position" in bad.stderr and "expected" in bad.stderr
    unknown = run_cli("excerpts", "Nope", project=demo, check=False)
    assert unknown.returncode != 0 and "no code named 'Nope'" in unknown.stderr
    attribute = run_cli("excerpts", "--attribute", "grade", project=demo, check=False)
    assert attribute.returncode != 0 and "key=value" in attribute.stderr


def test_matrix_by_role_and_attribute(demo: Path) -> None:
    rows = cli_json("matrix", "--by", "role", project=demo)
    assert isinstance(rows, list)
    assert all({"code", "path", "group", "codings", "participants"} <= set(r) for r in rows)
    assert list(dict.fromkeys(r["group"] for r in rows)) == [
        "pupil",
        "parent",
        "school-staff",
        "social-services",
        "total",
    ]
    total = next(r for r in rows if r["code"] is None and r["group"] == "total")
    assert total["codings"] == 252
    theme = next(r for r in rows if r["code"] == "Barnets röst" and r["group"] == "total")
    assert theme["codings"] == 53 and theme["includes_subcodes"]
    grades = cli_json("matrix", "--by", "grade", project=demo)
    assert isinstance(grades, list)
    assert list(dict.fromkeys(r["group"] for r in grades)) == ["7", "8", "9", "(none)", "total"]
    pivot = run_cli("matrix", project=demo).stdout
    assert "pupil" in pivot and "Barnets röst" in pivot
    as_csv = list(csv.DictReader(io.StringIO(run_cli("matrix", "--format", "csv", project=demo).stdout)))
    assert len(as_csv) == len(rows)


def test_cooccurrence_contract(demo: Path) -> None:
    rows = cli_json("cooccurrence", project=demo)
    assert isinstance(rows, list) and rows
    for r in rows:
        assert PAIR_KEYS <= set(r) and r["n_ab"] > 0 and r["unit"] == "turn"
        assert r["imbalanced"] == (max(r["n_a"], r["n_b"]) > 5 * min(r["n_a"], r["n_b"]))
    by_jaccard = cli_json("cooccurrence", "--unit", "sentences:1", "--measure", "jaccard", project=demo)
    assert isinstance(by_jaccard, list)
    values = [r["jaccard"] for r in by_jaccard]
    assert values == sorted(values, reverse=True) and {r["unit"] for r in by_jaccard} == {"sentences:1"}
    pupils = cli_json(
        "cooccurrence", "--unit", "transcript", "--role", "pupil", "--coder", "ylva", project=demo
    )
    assert (
        isinstance(pupils, list) and pupils and all(r["n_a"] <= 3 for r in pupils)
    )  # three pupils' interviews
    bad = run_cli("cooccurrence", "--unit", "paragraph", project=demo, check=False)
    assert bad.returncode != 0 and "unknown unit" in bad.stderr


def test_network_files_and_report(demo: Path, tmp_path: Path) -> None:
    png, graphml = tmp_path / "net.png", tmp_path / "net.graphml"
    run_cli("network", "--out", str(png), "--out", str(graphml), "--lang", "en", project=demo)
    assert png.stat().st_size > 10_000
    assert nx.read_graphml(graphml).number_of_nodes() == 29
    report = cli_json("network", "--report", "--unit", "transcript", "--colour-by", "community", project=demo)
    assert isinstance(report, dict)
    assert {"nodes", "edges", "communities", "unit", "measure"} <= set(report)
    assert {"code", "community", "degree_centrality", "betweenness"} <= set(report["nodes"][0])
    missing = run_cli("network", project=demo, check=False)
    assert missing.returncode != 0 and "--out" in missing.stderr
