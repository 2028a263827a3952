"""The code network (networkx): codes as nodes, co-occurrence as weighted edges, communities, centrality.

- Nodes are the codes that occur in the unit, with `n` (their frequency: n_a of the co-occurrence), their
  theme (top-level ancestor) and the colours of code and theme.
- Edges carry `weight` (the chosen measure), `n_ab`, `jaccard` and `overlap`. All pairs with n_ab > 0 are
  edges, then those below `min_weight` are dropped, then only the `top` strongest kept. Without `top` the
  strongest 4 per code (at least 60) are kept, a backbone a reader can follow and Louvain can work on
  quickly; `all_edges` keeps them all. `edges_before_filter` says how many there were.
- Communities: Louvain (networkx.community.louvain_communities) on the weights, with a fixed seed, so the
  same data gives the same candidate themes; numbered from 1, largest first.
- Centrality: degree centrality (share of the other codes a code is linked to), strength (the sum of its
  edge weights) and betweenness, with stronger edges as shorter paths (distance = 1 / weight). On large
  graphs betweenness is estimated from a fixed sample of sources (`betweenness_sampled` says so).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppss_qual.analysis import cooccurrence as cooc
from ppss_qual.errors import InvalidOperation
from ppss_qual.store.codes import CodeRow

if TYPE_CHECKING:
    import networkx as nx

FORMATS = (".png", ".svg", ".pdf", ".graphml", ".gexf", ".csv")
DRAWN = (".png", ".svg", ".pdf")
EDGES_PER_NODE, MIN_EDGES = 4, 60  # the default backbone
EXACT_BETWEENNESS_WORK = 3_000_000  # nodes x edges above which betweenness is sampled
BETWEENNESS_SAMPLE = 100
FALLBACK_COLOURS = (
    "#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6", "#9D755D", "#BAB0AC",
    "#EECA3B",
)  # fmt: skip


@dataclass(slots=True)
class Network:
    """A code network with its communities and centrality, ready to report, save or draw."""

    graph: nx.Graph
    unit: cooc.Unit
    measure: str
    communities: list[list[int]] = field(default_factory=list)
    edges_before_filter: int = 0
    betweenness_sampled: bool = False
    seed: int = 1
    themes_only: bool = False  # every code was counted as its top-level theme

    def label(self, node: int, lang: str = "sv") -> str:
        data = self.graph.nodes[node]
        return str(data["name_en"] or data["name"]) if lang == "en" else str(data["name"])

    def themes(self) -> list[tuple[int, str, str, str]]:
        """(theme id, Swedish name, English name, colour) of the themes that have nodes, in codebook order."""
        seen: dict[int, tuple[int, str, str, str]] = {}
        for _node, d in sorted(self.graph.nodes(data=True), key=lambda nd: nd[1]["theme_position"]):
            seen.setdefault(d["theme_id"], (d["theme_id"], d["theme"], d["theme_en"], d["theme_colour"]))
        return list(seen.values())

    def report(self) -> dict[str, Any]:
        """Nodes with their community and centrality, edges, and the communities with their codes."""
        g = self.graph
        nodes = [
            {
                "code": d["name"],
                "code_en": d["name_en"],
                "path": d["path"],
                "theme": d["theme"],
                "n": d["n"],
                "community": d["community"],
                "degree": g.degree(node),
                "degree_centrality": round(d["degree_centrality"], 4),
                "strength": round(d["strength"], 4),
                "betweenness": round(d["betweenness"], 4),
            }
            for node, d in sorted(g.nodes(data=True), key=lambda nd: (-nd[1]["betweenness"], -nd[1]["n"]))
        ]
        edges = [
            {
                "code_a": g.nodes[a]["name"],
                "code_b": g.nodes[b]["name"],
                "weight": round(d["weight"], 4),
                "n_ab": d["n_ab"],
                "jaccard": round(d["jaccard"], 4),
                "overlap": round(d["overlap"], 4),
            }
            for a, b, d in sorted(g.edges(data=True), key=lambda e: -e[2]["weight"])
        ]
        communities = [
            {
                "community": i,
                "codes": [g.nodes[n]["name"] for n in members],
                "themes": sorted({g.nodes[n]["theme"] for n in members}),
            }
            for i, members in enumerate(self.communities, 1)
        ]
        return {
            "unit": str(self.unit),
            "measure": self.measure,
            "nodes": nodes,
            "edges": edges,
            "communities": communities,
            "edges_before_filter": self.edges_before_filter,
            "betweenness_sampled": self.betweenness_sampled,
            "seed": self.seed,
            "themes": self.themes_only,
        }


def _colour(value: str | None, fallback: str) -> str:
    if value and value.startswith("#") and len(value) in (4, 7):
        if len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        return value.upper()
    return fallback


def build(
    counted: cooc.Counts,
    tree: dict[int, CodeRow],
    *,
    measure: str = "jaccard",
    min_weight: float | None = None,
    top: int | None = None,
    all_edges: bool = False,
    seed: int = 1,
    themes_only: bool = False,
) -> Network:
    """The network of the co-occurrence counts: nodes, filtered edges, communities and centrality."""
    import networkx as nx

    if measure not in cooc.MEASURES:
        raise InvalidOperation(f"unknown measure {measure!r}; use one of {', '.join(cooc.MEASURES)}")
    if top is not None and top < 0:
        raise InvalidOperation("--top needs a number of edges >= 0")
    position = {cid: i for i, cid in enumerate(tree)}
    top_of: dict[int, int] = {}
    for c in tree.values():
        top_of[c.id] = top_of[c.parent_id] if c.parent_id in top_of else c.id
    theme_ids = list(dict.fromkeys(top_of[c] for c in tree))
    g = nx.Graph()
    n_of = counted.n
    for code_id, n in sorted(n_of.items(), key=lambda kv: position.get(kv[0], kv[0])):
        code = tree.get(code_id)
        if code is None or n <= 0:
            continue
        theme = tree[top_of[code_id]]
        fallback = FALLBACK_COLOURS[theme_ids.index(theme.id) % len(FALLBACK_COLOURS)]
        theme_colour = _colour(theme.colour, fallback)
        g.add_node(
            code_id,
            name=code.name,
            name_en=code.name_en or code.name,
            path=code.path,
            theme=theme.name,
            theme_en=theme.name_en or theme.name,
            theme_id=theme.id,
            theme_position=position[theme.id],
            theme_colour=theme_colour,
            colour=_colour(code.colour, theme_colour),
            n=int(n),
        )
    edges = []
    xs, ys, n_abs = counted.arrays()
    for a, b, n_ab in zip(xs.tolist(), ys.tolist(), n_abs.tolist(), strict=True):
        if a not in g or b not in g or n_ab <= 0:
            continue
        n_a, n_b = n_of[a], n_of[b]
        values = {
            "n_ab": int(n_ab),
            "jaccard": cooc.jaccard(n_a, n_b, n_ab),
            "overlap": cooc.overlap_coefficient(n_a, n_b, n_ab),
        }
        weight = float(values["n_ab"] if measure == "count" else values[measure])
        edges.append((weight, n_ab, a, b, values))
    edges_before = len(edges)
    if min_weight is not None:
        edges = [e for e in edges if e[0] >= min_weight]
    edges.sort(key=lambda e: (-e[0], -e[1], position.get(e[2], 0), position.get(e[3], 0)))
    if top is None and not all_edges:
        top = max(MIN_EDGES, EDGES_PER_NODE * g.number_of_nodes())
    if top is not None:
        edges = edges[:top]
    for weight, _n_ab, a, b, values in edges:
        if weight > 0:
            g.add_edge(a, b, weight=weight, distance=1.0 / weight, **values)
    network = Network(
        g, counted.unit, measure, edges_before_filter=edges_before, seed=seed, themes_only=themes_only
    )
    _communities(network, position)
    _centrality(network)
    return network


def _communities(network: Network, position: dict[int, int]) -> None:
    import networkx as nx

    g = network.graph
    if g.number_of_nodes() == 0:
        return
    found = nx.community.louvain_communities(g, weight="weight", seed=network.seed)
    ordered = sorted(
        (sorted(c, key=lambda n: position.get(n, n)) for c in found),
        key=lambda c: (-len(c), position.get(c[0], c[0])),
    )
    network.communities = ordered
    for i, members in enumerate(ordered, 1):
        for node in members:
            g.nodes[node]["community"] = i


def _centrality(network: Network) -> None:
    import networkx as nx

    g = network.graph
    if g.number_of_nodes() == 0:
        return
    degree = nx.degree_centrality(g) if g.number_of_nodes() > 1 else dict.fromkeys(g, 0.0)
    work = g.number_of_nodes() * max(g.number_of_edges(), 1)
    if work > EXACT_BETWEENNESS_WORK and g.number_of_nodes() > BETWEENNESS_SAMPLE:
        between = nx.betweenness_centrality(g, k=BETWEENNESS_SAMPLE, weight="distance", seed=network.seed)
        network.betweenness_sampled = True
    else:
        between = nx.betweenness_centrality(g, weight="distance")
    for node, data in g.nodes(data=True):
        data["degree_centrality"] = float(degree.get(node, 0.0))
        data["strength"] = float(sum(d["weight"] for _a, _b, d in g.edges(node, data=True)))
        data["betweenness"] = float(between.get(node, 0.0))


def write(network: Network, path: Path, **draw: Any) -> Path:
    """Write by extension: .png .svg .pdf (drawn with matplotlib), .graphml, .gexf, .csv (the edges)."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidOperation(
            f"{path}: cannot write a network as {suffix or 'a file without extension'}; use one of {', '.join(FORMATS)}"
        )
    if path.parent and not path.parent.exists():
        raise InvalidOperation(f"{path}: the folder {path.parent} does not exist")
    if suffix in DRAWN:
        from ppss_qual.analysis.drawing import draw as draw_network

        if network.graph.number_of_nodes() == 0:
            raise InvalidOperation(f"{path}: nothing to draw: no code has a coding here (check the filters)")

        drawing = draw_network(network, **draw)
        drawing.save(path)
        drawing.close()
    elif suffix == ".csv":
        _write_csv(network, path)
    else:
        import networkx as nx

        g = _exportable(network, gexf=suffix == ".gexf")
        if suffix == ".graphml":
            nx.write_graphml(g, path)
        else:
            nx.write_gexf(g, path)
    return path


def _exportable(network: Network, *, gexf: bool) -> nx.Graph:
    """A copy with string node ids and simple attribute values (and Gephi's colours and sizes in GEXF)."""
    import networkx as nx

    g = nx.Graph(unit=str(network.unit), measure=network.measure)
    for node, d in network.graph.nodes(data=True):
        attrs = {k: v for k, v in d.items() if v is not None}
        attrs["label"] = d["name"]
        attrs["code_id"] = int(node)
        if gexf:
            colour = d["theme_colour"].lstrip("#")
            attrs["viz"] = {
                "color": {
                    "r": int(colour[0:2], 16),
                    "g": int(colour[2:4], 16),
                    "b": int(colour[4:6], 16),
                    "a": 1.0,
                },
                "size": float(d["n"]),
            }
        g.add_node(str(node), **attrs)
    for a, b, d in network.graph.edges(data=True):
        g.add_edge(str(a), str(b), **{k: v for k, v in d.items() if v is not None})
    return g


EDGE_COLUMNS = [
    "code_a",
    "code_b",
    "code_a_en",
    "code_b_en",
    "weight",
    "n_ab",
    "jaccard",
    "overlap",
    "n_a",
    "n_b",
]


def _write_csv(network: Network, path: Path) -> None:
    g = network.graph
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(EDGE_COLUMNS)
        for a, b, d in sorted(g.edges(data=True), key=lambda e: -e[2]["weight"]):
            na, nb = g.nodes[a], g.nodes[b]
            out.writerow(
                [
                    na["name"],
                    nb["name"],
                    na["name_en"],
                    nb["name_en"],
                    round(d["weight"], 6),
                    d["n_ab"],
                    round(d["jaccard"], 6),
                    round(d["overlap"], 6),
                    na["n"],
                    nb["n"],
                ]
            )
