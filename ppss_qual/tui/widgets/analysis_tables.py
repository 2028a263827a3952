"""The analysis screen's tables, coloured on a heat scale: codes by group, co-occurring pairs of codes, and
the codes of the network with their community and centrality; and the list of communities."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CursorType

from ppss_qual.analysis.drawing import COMMUNITY_COLOURS, NO_LINKS_COLOUR
from ppss_qual.tui.data.analysis import ALL_CODES, TOTAL, MatrixGrid
from ppss_qual.tui.data.heat import heat_style, scale

Columns = tuple[tuple[str, str, int], ...]  # (label, key, width)
PAIR_COLUMNS: Columns = (
    ("Code A", "a", 28), ("Code B", "b", 28), ("n A", "n_a", 4), ("n B", "n_b", 4), ("both", "n_ab", 6),
    ("Jaccard", "jaccard", 9), ("Overlap", "overlap", 9), ("", "note", 10),
)  # fmt: skip
CENTRALITY_COLUMNS: Columns = (
    ("Code", "code", 26), ("Comm.", "community", 5), ("n", "n", 4), ("Links", "degree", 5),
    ("Strength", "strength", 8), ("Betweenness", "betweenness", 11),
)  # fmt: skip
TEXT_COLUMNS = ("code", "a", "b", "note")
MEASURED = {"count": "n_ab", "jaccard": "jaccard", "overlap": "overlap"}  # the column a measure sorts by


def counted(n: int, things: str) -> str:
    """ "1 participant", "2 participants" (`things` is the plural)."""
    return f"{n} {things[:-1] if n == 1 else things}"


def code_name(name: str | None, name_en: str | None, english: bool) -> str:
    return (name_en or name or "") if english else (name or "")


def community_colour(community: int, degree: int) -> str:
    """The colour the diagram gives a code's community (grey for a code without links)."""
    if degree == 0:
        return NO_LINKS_COLOUR
    return COMMUNITY_COLOURS[(community - 1) % len(COMMUNITY_COLOURS)]


def legend(top: float, *, dark: bool, low: str = "1") -> Text:
    """The heat scale's steps, low to high, with their ends."""
    text = Text(f"  {low} ")
    for colour in scale(dark):
        text.append("  ", style=f"on {colour}")
    text.append(f" {top:g}")
    return text


def number_cell(value: float | str, width: int, style: str = "", digits: int = 2) -> Text:
    """A number padded to its column's width, so that a heat background fills the column."""
    shown = f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    return Text(shown.rjust(width), style=style)


def name_cell(name: str, style: str = "") -> Text:
    return Text(name, style=style, no_wrap=True, overflow="ellipsis")


class HeatTable(DataTable[Any]):
    """A table filled again as a whole, its cursor kept in place; the cursor's colour wins over a cell's
    (else the cursor would vanish on a coloured cell)."""

    def __init__(self, *, id: str, cursor_type: CursorType = "row", fixed_columns: int = 0) -> None:
        super().__init__(
            id=id,
            cursor_type=cursor_type,
            fixed_columns=fixed_columns,
            cursor_background_priority="css",
        )

    def set_columns(self, columns: Columns, sorted_by: str) -> None:
        """Empty the table and give it `columns`; the one it is sorted by is marked ▼."""
        self.clear(columns=True)
        for label, key, width in columns:
            shown = f"{label} ▼" if key == sorted_by else label
            heading = Text(shown, style="bold", justify="left" if key in TEXT_COLUMNS else "right")
            self.add_column(heading, key=key, width=width)

    def keep_cursor(self, row: int, column: int = 0) -> None:
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), column=min(column, len(self.columns) - 1))


class MatrixTable(HeatTable):
    """Codes by group: each cell on the heat scale of the codes' cells, the totals in bold."""

    def fill(self, grid: MatrixGrid, value: str, labels: dict[str, str], *, english: bool, dark: bool) -> int:
        """Show `value` (codings, passages, participants) of each code in each group; returns the top."""
        keep = self.cursor_coordinate
        top = grid.top(value)
        names = {r.key: "  " * r.depth + code_name(r.code, r.code_en, english) for r in grid.rows}
        names[ALL_CODES] = "All codes"
        widths = {
            g: max(5, len(labels[g]), *(len(str(r.value(g, value))) for r in grid.rows)) for g in grid.groups
        }
        self.clear(columns=True)
        self.add_column("Code", key="code", width=min(40, max((len(n) for n in names.values()), default=10)))
        for g in grid.groups:
            self.add_column(Text(labels[g], justify="right", style="bold"), key=g, width=widths[g])
        for row in grid.rows:
            cells = [name_cell(names[row.key], "bold" if row.code is None or row.depth == 0 else "")]
            for g in grid.groups:
                n = row.value(g, value)
                style = "bold" if g == TOTAL or row.code is None else heat_style(n, top, dark=dark)
                cells.append(number_cell(n if n else "·", widths[g], style))
            self.add_row(*cells, key=row.key)
        self.keep_cursor(keep.row, max(keep.column, 1))
        return top


class PairsTable(HeatTable):
    """Pairs of codes, strongest first by the measure, whose column is on the heat scale."""

    def fill(
        self, pairs: list[dict[str, Any]], measure: str, *, english: bool, dark: bool, warning: str
    ) -> float:
        """Show the pairs (rows of analysis.cooccurrence with `name_en_a`, `name_en_b`); returns the top."""
        keep = self.cursor_row
        measured = MEASURED[measure]
        top = max((float(r[measured]) for r in pairs), default=0.0)
        self.set_columns(PAIR_COLUMNS, sorted_by=measured)
        widths = {key: width for _label, key, width in PAIR_COLUMNS}
        for i, r in enumerate(pairs):
            cells = [
                name_cell(r["name_en_a"] if english else r["code_a"]),
                name_cell(r["name_en_b"] if english else r["code_b"]),
            ]
            for key in ("n_a", "n_b", "n_ab", "jaccard", "overlap"):
                style = heat_style(float(r[key]), top, dark=dark) if key == measured else ""
                cells.append(number_cell(r[key], widths[key], style))
            cells.append(Text("imbalanced" if r["imbalanced"] else "", style=f"bold {warning}"))
            self.add_row(*cells, key=str(i))
        self.keep_cursor(keep)
        return top


class CentralityTable(HeatTable):
    """The network's codes, most between others first (betweenness on the heat scale)."""

    def fill(self, nodes: list[dict[str, Any]], *, english: bool, dark: bool) -> None:
        """Show the nodes of Network.report(), keyed by their code's path."""
        keep = self.cursor_row
        top = max((n["betweenness"] for n in nodes), default=0.0)
        self.set_columns(CENTRALITY_COLUMNS, sorted_by="betweenness")
        widths = {key: width for _label, key, width in CENTRALITY_COLUMNS}
        for n in nodes:
            name = Text(no_wrap=True, overflow="ellipsis")
            name.append("● ", style=community_colour(n["community"], n["degree"]))
            name.append(code_name(n["code"], n["code_en"], english))
            cells = [name, number_cell(n["community"] if n["degree"] else "–", widths["community"])]
            for key in ("n", "degree", "strength", "betweenness"):
                style = heat_style(n[key], top, dark=dark) if key == "betweenness" else ""
                cells.append(number_cell(n[key], widths[key], style, digits=3 if key == "betweenness" else 2))
            self.add_row(*cells, key=n["path"])
        self.keep_cursor(keep)


def communities_text(report: dict[str, Any], *, english: bool) -> Text:
    """The communities of Network.report() with their codes, in the diagram's colours; codes without
    links (each a community of its own) together at the end."""
    names = {n["code"]: code_name(n["code"], n["code_en"], english) for n in report["nodes"]}
    degree = {n["code"]: n["degree"] for n in report["nodes"]}
    text = Text()
    if not report["edges"]:
        text.append("No two codes occur together here yet.\n", style="italic")
    alone = [code for c in report["communities"] for code in c["codes"] if not degree.get(code)]
    for c in report["communities"]:
        if any(degree.get(code) for code in c["codes"]):
            text.append("● ", style=community_colour(c["community"], 1))
            text.append(f"Community {c['community']}", style="bold")
            text.append(f" · {len(c['codes'])} codes · {', '.join(c['themes'])}\n", style="dim")
            text.append("".join(f"   {names.get(code, code)}\n" for code in c["codes"]))
    if alone:
        text.append("● ", style=community_colour(0, 0))
        text.append("Without links", style="bold")
        text.append(f" · {counted(len(alone), 'codes')}\n", style="dim")
        text.append("".join(f"   {names.get(code, code)}\n" for code in alone))
    return text
