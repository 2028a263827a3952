"""Drawing a code network for a printed report: labels that never overlap, åäö, a legend and a title.

matplotlib is imported here only (no pyplot, no global backend change): the Agg canvas draws PNG, and
savefig writes SVG and PDF. All geometry is done in display pixels: the network axes span exactly as many
data units as they are pixels wide and high, so a data coordinate is a pixel offset in the axes.

How labels are kept apart (a guarantee, not a hope):
1. Every label is measured with the renderer (Text.get_window_extent), background box included.
2. Nodes are pushed apart until no two discs touch.
3. Labels are placed one at a time, biggest node first. Each tries positions around its node, first right
   beside it, then the other sides and corners, then ever wider rings with a leader line. The first
   position whose box meets no placed label, no node disc and neither title nor legend is taken. Rings
   grow without bound, and there are finitely many things to avoid, so a free position is always found.
`Drawing.label_boxes()` returns the drawn boxes so that a test can check the result on real output.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppss_qual.errors import InvalidOperation

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from ppss_qual.analysis.network import Network

DPI = 100  # geometry is worked out at this resolution; files are saved at SAVE_DPI (same proportions)
SAVE_DPI = 200
MAX_PIXELS = 3000
FONT = "DejaVu Sans"  # matplotlib's own font: it has å, ä and ö
LABEL_PT = 8.0
TITLE_PT = 11.5
SUBTITLE_PT = 8.0
LEGEND_PT = 8.0
LABEL_PAD = 0.2  # background box padding, in font sizes
LABEL_WRAP = 20  # characters per label line
GAP = 3.0  # pixels kept free between a label and anything else
NODE_GAP = 6.0  # pixels kept free between node discs
SHORT_CHAIN = 4  # parts of up to this many codes are stood upright
EDGE_PX = 85.0  # the length an edge is given before nodes and labels are pushed apart
R_MAX_PT, R_MIN_PT = 11.0, 3.0
COMMUNITY_COLOURS = (
    "#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6", "#9D755D", "#EECA3B",
    "#79706E", "#1F77B4", "#D62728", "#2CA02C", "#9467BD", "#8C564B", "#E377C2", "#17BECF", "#BCBD22",
)  # fmt: skip
NO_LINKS_COLOUR = "#C8C8C8"
EDGE_COLOUR = "#5A5A5A"

WORDS = {
    "sv": {
        "title": "Kodnätverk: samförekomst {unit}",
        "overlap": "i överlappande kodningar",
        "turn": "i samma yttrande",
        "transcript": "i samma intervju",
        "sentence0": "i samma mening",
        "sentences": "inom {k} meningar",
        "sentence1": "inom 1 mening",
        "count": "antal",
        "jaccard": "Jaccard (c-koefficient)",
        "measure_overlap": "överlappskoefficient",
        "summary": "{nodes} {things}, {edges} kopplingar · linjens bredd: {measure}",
        "codes": "koder",
        "themes": "teman",
        "shown": " · de {shown} starkaste av {total}",
        "theme": "Tema",
        "community": "Kluster (Louvain)",
        "cluster": "Kluster {i}",
        "no_links": "Utan kopplingar",
        "size": "Nodens storlek: antal {units}",
        "units_turn": "yttranden med koden",
        "units_transcript": "intervjuer med koden",
        "units_span": "kodade avsnitt",
    },
    "en": {
        "title": "Code network: co-occurrence {unit}",
        "overlap": "in overlapping codings",
        "turn": "in the same turn",
        "transcript": "in the same interview",
        "sentence0": "in the same sentence",
        "sentences": "within {k} sentences",
        "sentence1": "within 1 sentence",
        "count": "count",
        "jaccard": "Jaccard (c-coefficient)",
        "measure_overlap": "overlap coefficient",
        "summary": "{nodes} {things}, {edges} links · line width: {measure}",
        "codes": "codes",
        "themes": "themes",
        "shown": " · the {shown} strongest of {total}",
        "theme": "Theme",
        "community": "Community (Louvain)",
        "cluster": "Community {i}",
        "no_links": "No links",
        "size": "Node size: number of {units}",
        "units_turn": "turns with the code",
        "units_transcript": "interviews with the code",
        "units_span": "coded passages",
    },
}


@dataclass(slots=True)
class Placed:
    node: int
    x: float  # node centre, display pixels
    y: float
    r: float  # node radius, pixels
    text: str
    w: float = 0.0  # label box size, pixels
    h: float = 0.0
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    leader: bool = False


@dataclass(slots=True)
class Drawing:
    """A drawn network: the matplotlib figure, its label texts and the geometry they were placed with."""

    figure: Figure
    labels: list[Text] = field(default_factory=list)
    nodes: list[Placed] = field(default_factory=list)
    obstacles: list[tuple[float, float, float, float]] = field(default_factory=list)

    def label_boxes(self) -> list[tuple[float, float, float, float]]:
        """Each label's drawn box (x0, y0, x1, y1) in display pixels, background box included."""
        renderer = self.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        self.figure.canvas.draw()
        out = []
        for text in self.labels:
            box = text.get_window_extent(renderer)
            patch = text.get_bbox_patch()
            if patch is not None:
                box = type(box).union([box, patch.get_window_extent(renderer)])
            out.append((float(box.x0), float(box.y0), float(box.x1), float(box.y1)))
        return out

    def node_discs(self) -> list[tuple[float, float, float]]:
        """Each node's centre and radius in display pixels."""
        return [(p.x, p.y, p.r) for p in self.nodes]

    def save(self, path: Path, dpi: int | None = None) -> None:
        """Write PNG, SVG or PDF; a PNG of a very large network is kept within MAX_PIXELS a side."""
        if dpi is None:
            dpi = min(SAVE_DPI, int(MAX_PIXELS / max(self.figure.get_size_inches())))
        self.figure.savefig(path, dpi=dpi, facecolor="white", bbox_inches="tight", pad_inches=0.15)

    def close(self) -> None:
        self.figure.clear()


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, LABEL_WRAP, break_long_words=False)) or label


def _unit_phrase(words: dict[str, str], unit: Any) -> str:
    if unit.kind == "sentences":
        if unit.k == 0:
            return words["sentence0"]
        if unit.k == 1:
            return words["sentence1"]
        return words["sentences"].format(k=unit.k)
    return words[unit.kind]


def _measure_word(words: dict[str, str], measure: str) -> str:
    return words["measure_overlap"] if measure == "overlap" else words[measure]


def draw(
    network: Network,
    *,
    colour_by: str = "theme",
    lang: str = "sv",
    title: str | None = None,
    seed: int | None = None,
) -> Drawing:
    """Lay out and draw the network; labels in Swedish (`lang="sv"`) or English, coloured by theme or community."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "ppss_qual"  # the same picture gives the same SVG
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if colour_by not in ("theme", "community"):
        raise InvalidOperation(f"colour by theme or community, not {colour_by!r}")
    if lang not in WORDS:
        raise InvalidOperation(f"labels in sv or en, not {lang!r}")
    words = WORDS[lang]
    g = network.graph
    nodes = list(g.nodes)
    figure = Figure(dpi=DPI)
    renderer = FigureCanvasAgg(figure).get_renderer()
    drawing = Drawing(figure)

    # Sizes: node radii in pixels, label boxes measured by the renderer.
    ns = [g.nodes[n]["n"] for n in nodes]
    n_max = max(ns, default=1)
    shrink = 1.0 if len(nodes) <= 60 else max(0.55, math.sqrt(60 / len(nodes)))
    px = DPI / 72

    def radius_pt(n: float) -> float:
        return max(R_MIN_PT, R_MAX_PT * shrink * math.sqrt(n / n_max)) if n_max else R_MIN_PT

    placed = [
        Placed(node, 0.0, 0.0, radius_pt(g.nodes[node]["n"]) * px, _wrap(network.label(node, lang)))
        for node in nodes
    ]
    style = _label_style()
    for p in placed:
        probe = figure.text(0, 0, p.text, **style)
        box = probe.get_window_extent(renderer)
        pad = LABEL_PAD * LABEL_PT * px
        p.w, p.h = box.width + 2 * pad, box.height + 2 * pad
        probe.remove()

    # Node positions: each connected part laid out by force, its nodes and labels pushed apart, then the
    # parts packed in rows. The axes are as big as the result.
    content_w, content_h = _arrange(network, placed, seed if seed is not None else network.seed)
    links = {n: list(g.neighbors(n)) for n in g}
    pad = 24.0
    for _attempt in range(6):  # a layout scaled until every label finds room inside the picture
        if _place_labels(placed, [], (-pad, -pad, content_w + pad, content_h + pad), links) == 0:
            break
        for p in placed:
            p.x, p.y = p.x * 1.2, p.y * 1.2
        content_w, content_h = content_w * 1.2, content_h * 1.2
    aw, ah = max(content_w + 2 * pad, 560.0), content_h + 2 * pad
    margin_x, top_h = 30.0, 70.0
    legend_h = _legend_height(network, colour_by, aw)
    fw, fh = aw + 2 * margin_x, ah + top_h + legend_h + 20
    figure.set_size_inches(fw / DPI, fh / DPI)
    ax_x0, ax_y0 = margin_x, legend_h + 10
    ax = figure.add_axes((ax_x0 / fw, ax_y0 / fh, aw / fw, ah / fh))
    ax.set_xlim(0, aw)
    ax.set_ylim(0, ah)
    ax.set_axis_off()
    shift_x = ax_x0 + (aw - content_w) / 2
    for p in placed:
        p.x += shift_x
        p.y += ax_y0 + pad
    _separate(placed, (ax_x0, ax_y0, ax_x0 + aw, ax_y0 + ah))

    # Title and legend first: they are fixed, and labels keep clear of them.
    colours = _colours(network, colour_by)
    summary = _summary(network, words)
    head = figure.text(
        0.5, (fh - 22) / fh, title or words["title"].format(unit=_unit_phrase(words, network.unit)),
        ha="center", va="center", fontsize=TITLE_PT, fontweight="bold", family=FONT,
    )  # fmt: skip
    sub = figure.text(
        0.5,
        (fh - 46) / fh,
        summary,
        ha="center",
        va="center",
        fontsize=SUBTITLE_PT,
        family=FONT,
        color="#333333",
    )
    legends = _legends(
        figure, network, colour_by, colours, words, radius_pt, (ax_x0, ax_y0 - 6, aw, legend_h), fw, fh
    )
    for artist in (head, sub, *legends):
        b = artist.get_window_extent(renderer)
        drawing.obstacles.append((b.x0, b.y0, b.x1, b.y1))

    _place_labels(placed, drawing.obstacles, (ax_x0, ax_y0, ax_x0 + aw, ax_y0 + ah), links)
    drawing.nodes = placed

    # Edges under nodes, strongest on top; width and darkness by weight.
    _draw_edges(ax, network, placed, (ax_x0, ax_y0))
    xs = [p.x - ax_x0 for p in placed]
    ys = [p.y - ax_y0 for p in placed]
    face = [colours[p.node] for p in placed]
    ax.scatter(
        xs,
        ys,
        s=[(2 * p.r / px) ** 2 for p in placed],
        c=face,
        edgecolors=[_darker(c) for c in face],
        linewidths=0.8,
        zorder=3,
    )
    for p in placed:
        x0, y0, x1, y1 = p.box
        cx, cy = (x0 + x1) / 2 - ax_x0, (y0 + y1) / 2 - ax_y0
        if p.leader:
            ex, ey = _nearest_on_box(p.box, p.x, p.y)
            dx, dy = ex - p.x, ey - p.y
            d = math.hypot(dx, dy) or 1.0
            sx, sy = p.x + dx / d * p.r, p.y + dy / d * p.r
            ax.plot([sx - ax_x0, ex - ax_x0], [sy - ax_y0, ey - ax_y0], color="#888888", lw=0.5, zorder=4)
        text = ax.text(cx, cy, p.text, zorder=5, clip_on=False, **style)
        drawing.labels.append(text)
    return drawing


def _label_style() -> dict[str, Any]:
    return {
        "fontsize": LABEL_PT,
        "family": FONT,
        "ha": "center",
        "va": "center",
        "multialignment": "center",
        "color": "#111111",
        "bbox": {
            "boxstyle": f"round,pad={LABEL_PAD}",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.85,
        },
    }


def _darker(colour: str, factor: float = 0.6) -> str:
    c = colour.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return f"#{int(r * factor):02X}{int(g * factor):02X}{int(b * factor):02X}"


def _colours(network: Network, colour_by: str) -> dict[int, str]:
    g = network.graph
    if colour_by == "theme":
        return {n: g.nodes[n]["theme_colour"] for n in g}
    out = {}
    for n in g:
        i = g.nodes[n].get("community", 0)
        alone = g.degree(n) == 0
        out[n] = NO_LINKS_COLOUR if alone else COMMUNITY_COLOURS[(i - 1) % len(COMMUNITY_COLOURS)]
    return out


def _summary(network: Network, words: dict[str, str]) -> str:
    g = network.graph
    edges = g.number_of_edges()
    things = words["themes" if network.themes_only else "codes"]
    text = words["summary"].format(
        nodes=g.number_of_nodes(), things=things, edges=edges, measure=_measure_word(words, network.measure)
    )
    if network.edges_before_filter > edges:
        text += words["shown"].format(shown=edges, total=network.edges_before_filter)
    return text


def _footprint(p: Placed) -> tuple[float, float, float, float]:
    """Half-width left, right, and half-height of a node with its label beside it on the right."""
    half_h = max(p.r, p.h / 2) + GAP
    return p.r + GAP, p.r + 2 * GAP + p.w, half_h, half_h


def _arrange(network: Network, placed: list[Placed], seed: int) -> tuple[float, float]:
    """Set every node's position in pixels from (0, 0); returns the width and height used.

    Each connected part is laid out by force (networkx's spring layout, started from the themes placed
    around a circle), scaled to the room its nodes and labels need, and its footprints (node plus label)
    pushed apart; the parts are then packed in rows, largest first, single codes last.
    """
    import networkx as nx

    g = network.graph
    by_node = {p.node: p for p in placed}
    position = {n: i for i, n in enumerate(g)}
    parts = sorted(
        (sorted(c, key=position.__getitem__) for c in nx.connected_components(g)),
        key=lambda c: (-len(c), position[c[0]]),
    )
    boxes: list[tuple[float, float, list[Placed]]] = []  # (width, height, nodes at local positions)
    for part in parts:
        members = [by_node[n] for n in part]
        if len(part) == 1:
            members[0].x = members[0].y = 0.0
        else:
            sub = g.subgraph(part)
            local = _spring(sub, network, seed)
            lengths = sorted(math.dist(local[a], local[b]) for a, b in sub.edges())
            # Spring edges are about 1 / sqrt(n) of the layout long; a short chain's median edge gets EDGE_PX.
            scale = min(EDGE_PX / max(lengths[len(lengths) // 2], 1e-6), EDGE_PX * math.sqrt(len(part)))
            # Wider than high: labels are wide and low, so room is made sideways before pushing apart.
            wide = math.sqrt(
                sum(sum(_footprint(m)[:2]) for m in members) / sum(2 * _footprint(m)[2] for m in members)
            )
            wide = min(max(wide, 1.0), 2.0) if len(part) > SHORT_CHAIN else 1.0
            for m in members:
                x, y = local[m.node]
                m.x, m.y = x * scale * wide, y * scale
            _spread(members)
        x0 = min(m.x - _footprint(m)[0] for m in members)
        x1 = max(m.x + _footprint(m)[1] for m in members)
        y0 = min(m.y - _footprint(m)[2] for m in members)
        y1 = max(m.y + _footprint(m)[3] for m in members)
        for m in members:
            m.x -= x0
            m.y -= y0
        boxes.append((x1 - x0, y1 - y0, members))
    return _pack(boxes)


def _spring(sub: Any, network: Network, seed: int) -> dict[int, tuple[float, float]]:
    """Positions in [0, 1]² for one connected part, started from its themes around a circle."""
    import networkx as nx

    themes = [t[0] for t in network.themes()]
    groups: dict[int, list[int]] = {}
    for n in sub:
        groups.setdefault(sub.nodes[n]["theme_id"], []).append(n)
    start: dict[int, tuple[float, float]] = {}
    for theme, group in groups.items():
        angle = 2 * math.pi * themes.index(theme) / max(len(themes), 1)
        for j, n in enumerate(group):
            a = 2 * math.pi * j / max(len(group), 1)
            start[n] = (math.cos(angle) + 0.3 * math.cos(a), math.sin(angle) + 0.3 * math.sin(a))
    k = 1.0 / math.sqrt(sub.number_of_nodes())
    pos = nx.spring_layout(sub, pos=start, k=k, weight="weight", iterations=200, seed=seed)
    # Turn the part so that its long axis lies level, or upright for a short chain (labels sit beside
    # nodes, so a few nodes stack tighter than they line up).
    mx = sum(float(p[0]) for p in pos.values()) / len(pos)
    my = sum(float(p[1]) for p in pos.values()) / len(pos)
    sxx = sum((float(p[0]) - mx) ** 2 for p in pos.values())
    syy = sum((float(p[1]) - my) ** 2 for p in pos.values())
    sxy = sum((float(p[0]) - mx) * (float(p[1]) - my) for p in pos.values())
    upright = sub.number_of_nodes() <= SHORT_CHAIN
    turn = (math.pi / 2 if upright else 0.0) - 0.5 * math.atan2(2 * sxy, sxx - syy)
    cos, sin = math.cos(turn), math.sin(turn)
    pos = {
        n: ((p[0] - mx) * cos - (p[1] - my) * sin, (p[0] - mx) * sin + (p[1] - my) * cos)
        for n, p in pos.items()
    }
    xs = [float(p[0]) for p in pos.values()]
    ys = [float(p[1]) for p in pos.values()]
    scale = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0  # one scale for both axes: shapes kept
    return {n: ((float(p[0]) - min(xs)) / scale, (float(p[1]) - min(ys)) / scale) for n, p in pos.items()}


def _spread(members: list[Placed], rounds: int = 600) -> None:
    """Push footprints (node plus label) apart until none overlap.

    Each round moves every overlapping pair apart along the axis where they overlap least; where pushes
    cancel out in a crowd, the whole part is also stretched a little from its centre, which in the end
    always separates them.
    """
    import numpy as np

    xy = np.array([[m.x, m.y] for m in members], dtype=float)
    fp = np.array([_footprint(m) for m in members], dtype=float)  # left, right, down, up
    for step in range(rounds):
        left = xy[:, 0] - fp[:, 0]
        right = xy[:, 0] + fp[:, 1]
        low = xy[:, 1] - fp[:, 2]
        high = xy[:, 1] + fp[:, 3]
        ox = np.minimum(right[:, None], right[None, :]) - np.maximum(left[:, None], left[None, :])
        oy = np.minimum(high[:, None], high[None, :]) - np.maximum(low[:, None], low[None, :])
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        dx = (left + right)[:, None] / 2 - (left + right)[None, :] / 2
        dy = (low + high)[:, None] / 2 - (low + high)[None, :] / 2
        along_x = ox < oy
        sign_x = np.where(
            dx > 0,
            1.0,
            np.where(dx < 0, -1.0, np.sign(np.arange(len(xy))[:, None] - np.arange(len(xy))[None, :])),
        )
        sign_y = np.where(
            dy > 0,
            1.0,
            np.where(dy < 0, -1.0, np.sign(np.arange(len(xy))[:, None] - np.arange(len(xy))[None, :])),
        )
        xy[:, 0] += np.where(hit & along_x, sign_x * (ox / 2 + 0.5), 0.0).sum(axis=1) * 0.5
        xy[:, 1] += np.where(hit & ~along_x, sign_y * (oy / 2 + 0.5), 0.0).sum(axis=1) * 0.5
        if step >= 20:
            centre = xy.mean(axis=0)
            xy = centre + (xy - centre) * 1.02
    for m, (x, y) in zip(members, xy, strict=True):
        m.x, m.y = float(x), float(y)


def _pack(boxes: list[tuple[float, float, list[Placed]]], gap: float = 24.0) -> tuple[float, float]:
    """Shelf-pack the parts in rows (top row first) into a landscape area; returns its size."""
    if not boxes:
        return 0.0, 0.0
    area = sum((w + gap) * (h + gap) for w, h, _m in boxes)
    width = max(max(w for w, _h, _m in boxes), math.sqrt(area * 1.5))
    rows: list[list[tuple[float, float, list[Placed]]]] = [[]]
    used = 0.0
    for box in boxes:
        if rows[-1] and used + box[0] > width:
            rows.append([])
            used = 0.0
        rows[-1].append(box)
        used += box[0] + gap
    total_h = sum(max(h for _w, h, _m in row) for row in rows) + gap * (len(rows) - 1)
    content_w = max(sum(w for w, _h, _m in row) + gap * (len(row) - 1) for row in rows)
    top = total_h
    for row in rows:
        row_h = max(h for _w, h, _m in row)
        row_w = sum(w for w, _h, _m in row) + gap * (len(row) - 1)
        x = (content_w - row_w) / 2
        for w, h, members in row:
            y = top - row_h + (row_h - h) / 2
            for m in members:
                m.x += x
                m.y += y
            x += w + gap
        top -= row_h + gap
    return content_w, total_h


def _separate(placed: list[Placed], area: tuple[float, float, float, float], rounds: int = 200) -> None:
    """Push node discs apart until none touch (NODE_GAP between them), keeping them inside `area`."""
    import numpy as np

    if len(placed) < 2:
        return
    xy = np.array([[p.x, p.y] for p in placed], dtype=float)
    r = np.array([p.r for p in placed], dtype=float)
    need = r[:, None] + r[None, :] + NODE_GAP
    np.fill_diagonal(need, 0.0)
    rng = np.random.default_rng(7)
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((delta**2).sum(axis=2))
        short = (dist < need) & (need > 0)
        if not short.any():
            break
        same = short & (dist < 1e-6)
        if same.any():  # nodes on one spot: nudge them apart in random directions first
            xy += rng.normal(0, 1.0, xy.shape) * same.any(axis=1)[:, None]
            continue
        push = np.where(short, (need - dist) / np.maximum(dist, 1e-6) / 2, 0.0)
        xy += (delta * push[:, :, None]).sum(axis=1)
        xy[:, 0] = np.clip(xy[:, 0], area[0] + r, area[2] - r)
        xy[:, 1] = np.clip(xy[:, 1], area[1] + r, area[3] - r)
    for p, (x, y) in zip(placed, xy, strict=True):
        p.x, p.y = float(x), float(y)


class _Grid:
    """Boxes and discs bucketed by cell, so a candidate box is checked only against its neighbours."""

    def __init__(self, cell: float):
        self.cell = cell
        self.boxes: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
        self.discs: dict[tuple[int, int], list[tuple[float, float, float]]] = {}

    def _cells(self, x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, int]]:
        c = self.cell
        return [
            (i, j)
            for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1)
            for j in range(math.floor(y0 / c), math.floor(y1 / c) + 1)
        ]

    def add_box(self, box: tuple[float, float, float, float]) -> None:
        for key in self._cells(*box):
            self.boxes.setdefault(key, []).append(box)

    def add_disc(self, x: float, y: float, r: float) -> None:
        for key in self._cells(x - r, y - r, x + r, y + r):
            self.discs.setdefault(key, []).append((x, y, r))

    def free(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        for key in self._cells(x0, y0, x1, y1):
            for b in self.boxes.get(key, ()):
                if x0 < b[2] + GAP and b[0] - GAP < x1 and y0 < b[3] + GAP and b[1] - GAP < y1:
                    return False
            for cx, cy, r in self.discs.get(key, ()):
                nx_, ny_ = min(max(cx, x0), x1), min(max(cy, y0), y1)
                if (cx - nx_) ** 2 + (cy - ny_) ** 2 < (r + GAP) ** 2:
                    return False
        return True


# Directions tried beside a node, in order of preference: right, left, above, below, then the corners.
_NEAR_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))
_RING_DIRECTIONS = tuple((math.cos(2 * math.pi * i / 16), math.sin(2 * math.pi * i / 16)) for i in range(16))


def _candidates(p: Placed, ring: int, step: float) -> list[tuple[float, float, float, float]]:
    out = []
    reach = p.r + GAP + 1 + ring * step
    directions = _NEAR_DIRECTIONS if ring == 0 else _RING_DIRECTIONS
    for ux, uy in directions:
        if ring == 0 and ux and uy:
            ux, uy = ux * 0.75, uy * 0.75
        cx = p.x + ux * (reach + p.w / 2)
        cy = p.y + uy * (reach + p.h / 2)
        out.append((cx - p.w / 2, cy - p.h / 2, cx + p.w / 2, cy + p.h / 2))
    return out


def _inside(box: tuple[float, float, float, float], area: tuple[float, float, float, float]) -> bool:
    return box[0] >= area[0] and box[1] >= area[1] and box[2] <= area[2] and box[3] <= area[3]


def _place_labels(
    placed: list[Placed],
    obstacles: list[tuple[float, float, float, float]],
    area: tuple[float, float, float, float],
    links: dict[int, list[int]] | None = None,
) -> int:
    """Give each label the first free position around its node (see the module's docstring).

    Beside its node, a side that covers none of the node's own edges (`links`: node -> neighbours) is
    preferred, so that a label does not hide where its edges go. Positions inside `area` are preferred
    as long as rings stay within its diagonal; returns the number of labels that had to go outside it.
    """
    if not placed:
        return 0
    where = {p.node: (p.x, p.y) for p in placed}
    grid = _Grid(cell=max(40.0, max(p.h for p in placed) * 2))
    for p in placed:
        grid.add_disc(p.x, p.y, p.r)
    for box in obstacles:
        grid.add_box(box)
    step = max(6.0, min(p.h for p in placed) * 0.6)
    far = math.hypot(area[2] - area[0], area[3] - area[1])
    outside = 0
    for p in sorted(placed, key=lambda q: (-q.r, -q.w)):
        ring = 0
        chosen = None
        ends = [where[n] for n in (links or {}).get(p.node, ()) if n in where]
        for box in _candidates(p, 0, step) if ends else ():
            if _inside(box, area) and grid.free(box) and not any(_crosses(box, (p.x, p.y), e) for e in ends):
                chosen = box
                break
        while chosen is None:
            inside_only = ring * step < far
            for box in _candidates(p, ring, step):
                if (not inside_only or _inside(box, area)) and grid.free(box):
                    chosen = box
                    break
            ring += 1
        p.box = chosen
        p.leader = ring > 1
        outside += not _inside(chosen, area)
        grid.add_box(chosen)
    return outside


def _crosses(box: tuple[float, float, float, float], a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether the segment a-b passes through the box (Liang-Barsky clipping)."""
    x0, y0, x1, y1 = box
    dx, dy = b[0] - a[0], b[1] - a[1]
    low, high = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _nearest_on_box(box: tuple[float, float, float, float], x: float, y: float) -> tuple[float, float]:
    return min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])


def _draw_edges(ax: Any, network: Network, placed: list[Placed], origin: tuple[float, float]) -> None:
    from matplotlib.collections import LineCollection

    g = network.graph
    where = {p.node: (p.x - origin[0], p.y - origin[1]) for p in placed}
    edges = sorted(g.edges(data=True), key=lambda e: -e[2]["weight"])
    if not edges:
        return
    edges.reverse()  # weakest first, so the strongest are drawn on top
    weights = [d["weight"] for _a, _b, d in edges]
    lo, hi = min(weights), max(weights)
    span = (hi - lo) or 1.0
    norm = [(w - lo) / span if hi > lo else 1.0 for w in weights]
    segments = [(where[a], where[b]) for a, b, _d in edges]
    widths = [0.5 + 3.0 * t for t in norm]
    colours = [(0.35, 0.35, 0.35, 0.25 + 0.5 * t) for t in norm]
    ax.add_collection(LineCollection(segments, linewidths=widths, colors=colours, zorder=1, capstyle="round"))


def _legend_height(network: Network, colour_by: str, width: float) -> float:
    entries = len(network.themes()) if colour_by == "theme" else len(network.communities) + 1
    columns = max(1, min(3, int(width // 260)))
    rows = math.ceil(max(entries, 1) / columns)
    return max(110.0, 30 + rows * 16)


def _legends(
    figure: Figure,
    network: Network,
    colour_by: str,
    colours: dict[int, str],
    words: dict[str, str],
    radius_pt: Any,
    box: tuple[float, float, float, float],
    fw: float,
    fh: float,
) -> list[Any]:
    """The colour key (themes or communities) and the node-size key, side by side under the network."""
    from matplotlib.lines import Line2D

    g = network.graph
    handles, labels = [], []
    if colour_by == "theme":
        for _tid, name, name_en, colour in network.themes():
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    ls="",
                    markersize=8,
                    markerfacecolor=colour,
                    markeredgecolor=_darker(colour),
                )
            )
            labels.append(name_en if words is WORDS["en"] else name)
        title = words["theme"]
    else:
        lonely = False
        for i, members in enumerate(network.communities, 1):
            if all(g.degree(n) == 0 for n in members):
                lonely = True
                continue
            colour = COMMUNITY_COLOURS[(i - 1) % len(COMMUNITY_COLOURS)]
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    ls="",
                    markersize=8,
                    markerfacecolor=colour,
                    markeredgecolor=_darker(colour),
                )
            )
            labels.append(f"{words['cluster'].format(i=i)} ({len(members)})")
        if lonely:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    ls="",
                    markersize=8,
                    markerfacecolor=NO_LINKS_COLOUR,
                    markeredgecolor=_darker(NO_LINKS_COLOUR),
                )
            )
            labels.append(words["no_links"])
        title = words["community"]
    x0, y_top, width, _height = box
    columns = max(1, min(3, int(width // 260)))
    key = figure.legend(
        handles, labels, title=title, loc="upper left", bbox_to_anchor=(x0 / fw, y_top / fh), ncol=columns,
        title_fontsize=LEGEND_PT + 0.5, frameon=False, alignment="left", prop={"family": FONT, "size": LEGEND_PT},
    )  # fmt: skip
    ns = sorted({g.nodes[n]["n"] for n in g})
    samples = _size_samples(ns)
    size_handles = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            markersize=2 * radius_pt(n),
            markerfacecolor="#DDDDDD",
            markeredgecolor="#777777",
        )
        for n in samples
    ]
    unit_word = {"turn": "units_turn", "transcript": "units_transcript"}.get(network.unit.kind, "units_span")
    sizes = figure.legend(
        size_handles, [f"n = {n}" for n in samples], title=words["size"].format(units=words[unit_word]),
        loc="upper right", bbox_to_anchor=((x0 + width) / fw, y_top / fh), ncol=len(samples) or 1,
        title_fontsize=LEGEND_PT + 0.5, frameon=False, prop={"family": FONT, "size": LEGEND_PT},
        handlelength=2 * radius_pt(max(ns)) / LEGEND_PT + 0.4, handleheight=2 * radius_pt(max(ns)) / LEGEND_PT,
        handletextpad=0.5, columnspacing=1.6, borderpad=0.2,
    )  # fmt: skip
    return [key, sizes]


def _size_samples(ns: list[int]) -> list[int]:
    """Up to three node sizes for the key: the smallest, a middle one and the largest, rounded."""
    if not ns:
        return []
    lo, hi = ns[0], ns[-1]
    if hi == lo:
        return [hi]
    mid = _round_nice((lo + hi) / 2)
    return sorted({lo, mid, hi}) if lo < mid < hi else [lo, hi]


def _round_nice(value: float) -> int:
    if value < 10:
        return round(value)
    magnitude = 10 ** (len(str(int(value))) - 1)
    return int(round(value / magnitude * 2) / 2 * magnitude) or round(value)
