"""The analysis screen: codes by group (matrix), co-occurring codes, communities and centrality, each
coloured on a heat scale; the excerpts behind any cell; the network diagram and exports. The numbers are
worked out in thread workers (under the session's lock) while the table shows a loading indicator."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from ppss_qual.analysis.cooccurrence import MEASURES
from ppss_qual.errors import PpssError
from ppss_qual.tui.data.analysis import (
    ALL_CODES,
    INTERVIEWER,
    NO_VALUE,
    ROLE,
    TOTAL,
    UNITS,
    VALUES,
    MatrixGrid,
    export_roles,
    exports_folder,
    in_group,
    matrix_grid,
    pair_query,
    quoted,
    timestamped,
)
from ppss_qual.tui.keys import ANALYSIS_KEYS, EXCERPTS_KEYS
from ppss_qual.tui.messages import ProjectChanged
from ppss_qual.tui.screens.base import app_of, session_of, swedish_role
from ppss_qual.tui.screens.dialogs import ChooseScreen
from ppss_qual.tui.screens.export import ExcerptTarget, export_dialog
from ppss_qual.tui.widgets.analysis_tables import (
    CentralityTable,
    MatrixTable,
    PairsTable,
    code_name,
    communities_text,
    counted,
    legend,
)
from ppss_qual.tui.widgets.excerpt_list import ExcerptList

CSS = "../styles/analysis.tcss"
TABS = ("matrix", "pairs", "network")
COLOURS_BY = ("theme", "community")
FAILURES = (PpssError, sqlite3.Error)  # what a worker reports instead of raising
UNIT_WORDS = {
    "turn": "in the same turn",
    "overlap": "on overlapping text",
    "transcript": "in the same transcript",
}
MEASURE_WORDS = {
    "count": "units holding both codes",
    "jaccard": "both / either (Jaccard)",
    "overlap": "both / the rarer code (overlap coefficient)",
}


def unit_words(unit: str) -> str:
    kind, _, k = unit.partition(":")
    if kind == "sentences":
        return "in the same sentence" if k in ("", "0") else f"within {k} sentence(s) of each other"
    return UNIT_WORDS.get(unit, unit)


@dataclass(frozen=True, slots=True)
class Cell:
    """What lies behind a cell: the excerpts of `query` (None: every coding) spoken in `group` of `by`."""

    label: str
    query: str | None
    target: ExcerptTarget  # the same excerpts, as an export can select them
    code: str | None = None  # the code (or query) asked for: an excerpt of another (a sub-code) names it
    by: str = ROLE
    group: str = TOTAL


@dataclass(frozen=True, slots=True)
class Settings:
    """What the tables show: the matrix's grouping and count, the co-occurrence unit and measure."""

    by: str = ROLE
    value: str = "codings"
    unit: str = "turn"
    measure: str = "jaccard"


class AnalysisScreen(Screen[None]):
    """Three tabs (1 matrix, 2 pairs, 3 network); Enter on a cell lists the excerpts behind it."""

    CSS_PATH = CSS
    AUTO_FOCUS = "#matrix-table"
    BINDINGS = [k.binding() for k in ANALYSIS_KEYS]

    @dataclass
    class Computed(Message):
        """A tab's numbers were worked out by a worker (`error`: why not)."""

        tab: str
        token: int
        data: Any = None
        error: str | None = None

    @dataclass
    class DiagramWritten(Message):
        """The network diagram was written to `path`, or `error` says why not."""

        path: Path | None
        error: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.settings = Settings()
        self.colour_by = "theme"
        self.tokens = dict.fromkeys(TABS, 0)
        self.fresh: set[str] = set()  # tabs computed (or being computed) for the current settings
        self.grid: MatrixGrid | None = None
        self.attributes: list[str] = []
        self.pairs: list[dict[str, Any]] | None = None
        self.network: dict[str, Any] | None = None
        self.matrix_info = Text()

    def compose(self) -> ComposeResult:
        yield Static(id="analysis-title", classes="title")
        with TabbedContent(initial="matrix", id="analysis-tabs"):
            with TabPane("1 Matrix: codes by group", id="matrix"):
                yield Static(id="matrix-info", classes="analysis-info")
                yield MatrixTable(id="matrix-table", cursor_type="cell", fixed_columns=1)
            with TabPane("2 Co-occurring codes", id="pairs"):
                yield Static(id="pairs-info", classes="analysis-info")
                yield PairsTable(id="pairs-table")
            with TabPane("3 Network: communities, centrality", id="network"):
                yield Static(id="network-info", classes="analysis-info")
                with Horizontal(id="network-body"):
                    with VerticalScroll(id="communities"):
                        yield Static(id="communities-text")
                    yield CentralityTable(id="centrality-table")
        yield Footer()

    def on_mount(self) -> None:
        self.show_title()
        self.refresh_tab("matrix")
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        """The heat scale runs the other way on light themes: draw the tables again."""
        self.fill_matrix()
        self.fill_pairs()
        self.fill_network()

    @property
    def active(self) -> str:
        return self.query_one(TabbedContent).active or "matrix"

    def table(self, tab: str) -> DataTable[Any]:
        name = "centrality" if tab == "network" else tab
        return self.query_one(f"#{name}-table", DataTable)

    def busy(self, tab: str) -> Widget:
        """The widget that shows the loading indicator while `tab` is worked out."""
        return self.query_one("#network-body") if tab == "network" else self.table(tab)

    def show_title(self) -> None:
        session = session_of(self)
        text = Text()
        text.append(" Analysis ", style="bold reverse")
        text.append(f"  {session.path.name}")
        total = self.grid.row(ALL_CODES) if self.grid else None
        if total is not None:
            text.append(f"  ·  {total.value(TOTAL, 'codings')} codings by every coder")
        text.append("  ·  Enter: the excerpts behind a cell  ·  ? help")
        self.query_one("#analysis-title", Static).update(text, layout=False)

    # -- working the numbers out ------------------------------------------------------------------
    def refresh_tab(self, tab: str) -> None:
        """Work `tab` out again unless it is up to date (or under way) for the current settings."""
        if tab in self.fresh:
            return
        self.fresh.add(tab)
        self.tokens[tab] += 1
        self.busy(tab).loading = True
        s = self.settings
        if tab == "matrix":
            self.compute_matrix(self.tokens[tab], s.by)
        elif tab == "pairs":
            self.compute_pairs(self.tokens[tab], s.unit, s.measure)
        else:
            self.compute_network(self.tokens[tab], s.unit, s.measure)

    def change(self, tabs: tuple[str, ...], **changes: str) -> None:
        self.settings = replace(self.settings, **changes)
        self.fresh.difference_update(tabs)
        if self.active in tabs:
            self.refresh_tab(self.active)

    @work(thread=True, exclusive=True, group="analysis-matrix")
    def compute_matrix(self, token: int, by: str) -> None:
        session = session_of(self)
        try:
            with session.lock:
                rows = session.project.analysis.matrix(by)
                people = session.project.participants()
        except FAILURES as exc:
            self.post_message(self.Computed("matrix", token, error=str(exc)))
            return
        attributes = sorted({str(k) for p in people for k in p["attributes"]}, key=str.casefold)
        self.post_message(self.Computed("matrix", token, (matrix_grid(rows, by), attributes)))

    @work(thread=True, exclusive=True, group="analysis-pairs")
    def compute_pairs(self, token: int, unit: str, measure: str) -> None:
        session = session_of(self)
        try:
            with session.lock:
                rows = session.project.analysis.cooccurrence(unit, measure=measure)
                codes = {c["id"]: c for c in session.project.codebook.tree()}
        except FAILURES as exc:
            self.post_message(self.Computed("pairs", token, error=str(exc)))
            return
        for r in rows:  # the paths name the codes unambiguously in a query
            for side in ("a", "b"):
                code = codes.get(r[f"code_{side}_id"], {})
                r[f"path_{side}"] = code.get("path") or r[f"code_{side}"]
                r[f"name_en_{side}"] = code.get("name_en") or r[f"code_{side}"]
        self.post_message(self.Computed("pairs", token, rows))

    @work(thread=True, exclusive=True, group="analysis-network")
    def compute_network(self, token: int, unit: str, measure: str) -> None:
        session = session_of(self)
        try:
            with session.lock:
                network = session.project.analysis.network(unit, measure=measure)
        except FAILURES as exc:
            self.post_message(self.Computed("network", token, error=str(exc)))
            return
        self.post_message(self.Computed("network", token, network.report()))

    def on_analysis_screen_computed(self, message: Computed) -> None:
        if message.token != self.tokens[message.tab]:
            return  # an answer to settings since changed
        self.busy(message.tab).loading = False
        if message.error is not None:
            self.fresh.discard(message.tab)
            self.notify(message.error, title="Analysis", severity="error")
            return
        if message.tab == "matrix":
            self.grid, self.attributes = message.data
            self.fill_matrix()
            self.show_title()
        elif message.tab == "pairs":
            self.pairs = message.data
            self.fill_pairs()
        else:
            self.network = message.data
            self.fill_network()

    def on_project_changed(self, message: ProjectChanged) -> None:
        self.fresh.clear()
        if self.is_current:
            self.refresh_tab(self.active)

    def on_screen_resume(self) -> None:
        self.refresh_tab(self.active)

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id or "matrix"
        self.refresh_tab(tab)
        self.table(tab).focus()

    # -- drawing the tables -----------------------------------------------------------------------
    @property
    def dark(self) -> bool:
        return self.app.current_theme.dark

    @property
    def english(self) -> bool:
        return session_of(self).english

    def code_name(self, name: str | None, name_en: str | None) -> str:
        return code_name(name, name_en, self.english)

    def group_label(self, group: str) -> str:
        if group == TOTAL:
            return "Total"
        if group == NO_VALUE:
            return "(none)"
        if self.settings.by == ROLE or group == INTERVIEWER:
            return swedish_role(group)
        return group

    def fill_matrix(self) -> None:
        if self.grid is None:
            return
        s = self.settings
        labels = {g: self.group_label(g) for g in self.grid.groups}
        table = self.query_one(MatrixTable)
        top = table.fill(self.grid, s.value, labels, english=self.english, dark=self.dark)
        by = "role" if s.by == ROLE else f"participant attribute {s.by!r}"
        info = Text()
        info.append(f"{s.value.capitalize()} per code, by {by}", style="bold")
        info.append(
            "  ·  a theme counts its sub-codes  ·  b group by  ·  v codings / passages / participants\n"
        )
        info.append("heat:")
        info.append_text(legend(top, dark=self.dark))
        self.matrix_info = info
        self.show_cell()

    @on(DataTable.CellHighlighted, "#matrix-table")
    def show_cell(self) -> None:
        """The matrix's heading, and what the cell under the cursor counts."""
        info = self.matrix_info.copy()
        table = self.table("matrix")
        if self.grid is not None and table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate)
            row = self.grid.row(str(key.row_key.value))
            group = TOTAL if key.column_key.value == "code" else str(key.column_key.value)
            if row is not None:
                name = self.code_name(row.code, row.code_en) if row.code else "All codes"
                where = "all groups" if group == TOTAL else self.group_label(group)
                counts = ", ".join(counted(row.value(group, v), v) for v in VALUES)
                info.append(f"   ▸ {name} · {where}: {counts}", style="bold")
        self.query_one("#matrix-info", Static).update(info)

    def fill_pairs(self) -> None:
        if self.pairs is None:
            return
        s = self.settings
        warning = self.app.current_theme.warning or "yellow"
        table = self.query_one(PairsTable)
        top = table.fill(self.pairs, s.measure, english=self.english, dark=self.dark, warning=warning)
        info = Text()
        info.append(f"{counted(len(self.pairs), 'pairs')} of codes {unit_words(s.unit)}", style="bold")
        info.append(f"  ·  by {MEASURE_WORDS[s.measure]}  ·  t unit  ·  w measure\n")
        info.append("imbalanced", style=f"bold {warning}")
        info.append(": one code over 5 times as frequent as the other  ·  heat:")
        info.append_text(legend(round(top, 2), dark=self.dark, low="low"))
        self.query_one("#pairs-info", Static).update(info)

    def fill_network(self) -> None:
        report = self.network
        if report is None:
            return
        s = self.settings
        self.query_one("#communities-text", Static).update(communities_text(report, english=self.english))
        self.query_one(CentralityTable).fill(report["nodes"], english=self.english, dark=self.dark)
        alone = sum(1 for n in report["nodes"] if not n["degree"])
        linked = len(report["communities"]) - alone
        info = Text()
        info.append(f"{linked} communities (Louvain) of {len(report['nodes']) - alone} codes", style="bold")
        info.append(f" and {alone} without links" if alone else "")
        info.append(f"; {len(report['edges'])} links of {report['edges_before_filter']}")
        info.append(f" ({s.measure} {unit_words(s.unit)})\n")
        info.append(f"d saves the diagram to exports/ (colours by {self.colour_by}; c switches)")
        info.append("  ·  Enter: a code's excerpts")
        self.query_one("#network-info", Static).update(info)

    # -- the excerpts behind a cell ---------------------------------------------------------------
    def cell(self, tab: str) -> Cell | None:
        """What lies behind the cell (matrix) or row (pairs, network) under the cursor of `tab`."""
        if tab == "matrix":
            return self.matrix_cell()
        table = self.table(tab)
        if not table.row_count:
            return None
        if tab == "pairs":
            if not self.pairs:
                return None
            r = self.pairs[min(table.cursor_row, len(self.pairs) - 1)]
            query = pair_query(r["path_a"], r["path_b"])
            label = f"{r['code_a']} AND {r['code_b']}"
            # the turns holding both are named by the query itself, as analysis.excerpts normalises it
            return Cell(label, query, ExcerptTarget(label, query), code=" ".join(query.split()))
        if self.network is None:
            return None
        path = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        node = next((n for n in self.network["nodes"] if n["path"] == path), None)
        if node is None:
            return None
        label = self.code_name(node["code"], node["code_en"])
        return Cell(label, quoted(path), ExcerptTarget(label, quoted(path)), code=node["code"])

    def matrix_cell(self) -> Cell | None:
        table = self.table("matrix")
        if self.grid is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate)
        row = self.grid.row(str(key.row_key.value))
        if row is None:
            return None
        group = TOTAL if key.column_key.value == "code" else str(key.column_key.value)
        query = None if row.code is None else quoted(row.path or row.code)
        by = self.settings.by
        label = self.code_name(row.code, row.code_en) if row.code else "every code"
        if group != TOTAL:
            label += f" · {self.group_label(group)}" + ("" if by == ROLE else f" ({by})")
        roles = export_roles(by, group)
        note = ""
        if group != TOTAL and roles is None:
            note = (
                "The export holds the excerpts of every group: "
                f"it narrows them by role only, not to {self.group_label(group)}."
            )
        return Cell(label, query, ExcerptTarget(label, query, roles, note), code=row.code, by=by, group=group)

    @on(DataTable.CellSelected, "#matrix-table")
    def _matrix_cell(self) -> None:
        self.action_excerpts()

    @on(DataTable.RowSelected, "#pairs-table")
    @on(DataTable.RowSelected, "#centrality-table")
    def _row(self) -> None:
        self.action_excerpts()

    def action_excerpts(self) -> None:
        cell = self.cell(self.active)
        if cell is not None:
            self.app.push_screen(ExcerptsScreen(cell))

    # -- settings ---------------------------------------------------------------------------------
    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.table(tab).focus()

    def action_group_by(self) -> None:
        options = [("role (elev, vårdnadshavare, skolpersonal, socialtjänst)", ROLE)]
        options += [(f"participant attribute: {a}", a) for a in self.attributes]

        def chosen(by: str | None) -> None:
            if by and by != self.settings.by:
                self.change(("matrix",), by=by)
            self.action_show_tab("matrix")

        self.app.push_screen(ChooseScreen("Group the matrix by", options), chosen)

    def action_next_value(self) -> None:
        value = VALUES[(VALUES.index(self.settings.value) + 1) % len(VALUES)]
        self.settings = replace(self.settings, value=value)
        self.fill_matrix()  # the grid holds every count: nothing to work out again
        self.notify(f"The matrix counts {value}", timeout=2)

    def action_choose_unit(self) -> None:
        options = [(f"{u:<13} {unit_words(u)}", u) for u in UNITS]

        def chosen(unit: str | None) -> None:
            if unit and unit != self.settings.unit:
                self.change(("pairs", "network"), unit=unit)
            if self.active == "matrix":
                self.action_show_tab("pairs")

        self.app.push_screen(ChooseScreen("Codes co-occur when they are coded…", options), chosen)

    def action_choose_measure(self) -> None:
        options = [(f"{m:<9} {MEASURE_WORDS[m]}", m) for m in MEASURES]

        def chosen(measure: str | None) -> None:
            if measure and measure != self.settings.measure:
                self.change(("pairs", "network"), measure=measure)
            if self.active == "matrix":
                self.action_show_tab("pairs")

        self.app.push_screen(ChooseScreen("Measure co-occurrence by", options), chosen)

    def action_next_colour(self) -> None:
        self.colour_by = COLOURS_BY[(COLOURS_BY.index(self.colour_by) + 1) % len(COLOURS_BY)]
        self.notify(f"The diagram colours codes by {self.colour_by}", timeout=2)
        self.fill_network()

    # -- exports ----------------------------------------------------------------------------------
    def action_save_diagram(self) -> None:
        s = self.settings
        lang = "en" if session_of(self).english else "sv"
        self.notify("Drawing the network diagram…", timeout=2)
        self.write_diagram(s.unit, s.measure, self.colour_by, lang)

    @work(thread=True, exclusive=True, group="analysis-diagram")
    def write_diagram(self, unit: str, measure: str, colour_by: str, lang: str) -> None:
        session = session_of(self)
        try:
            with session.lock:
                network = session.project.analysis.network(unit, measure=measure)
            folder = exports_folder(session.path)
            folder.mkdir(parents=True, exist_ok=True)
            stem = timestamped(folder, "network", "")
            path, n = stem.with_name(f"{stem.name}.png"), 1
            while path.exists():  # two diagrams within a second
                n += 1
                path = stem.with_name(f"{stem.name}-{n}.png")
            session.project.analysis.write_network(path, network, colour_by=colour_by, lang=lang)
        except (*FAILURES, OSError) as exc:
            self.post_message(self.DiagramWritten(None, str(exc)))
            return
        self.post_message(self.DiagramWritten(path))

    def on_analysis_screen_diagram_written(self, message: DiagramWritten) -> None:
        if message.error is not None:
            self.notify(message.error, title="No diagram", severity="error", timeout=10)
        else:
            self.notify(str(message.path), title="Diagram written", timeout=10)

    def action_export(self) -> None:
        cell = self.cell(self.active)
        self.app.push_screen(export_dialog(self, cell.target if cell is not None else None))

    def action_back(self) -> None:
        self.app.pop_screen()


class ExcerptsScreen(Screen[None]):
    """The excerpts behind a cell of the analysis; Enter opens one in its transcript at the passage."""

    CSS_PATH = CSS
    AUTO_FOCUS = "#excerpt-list"
    BINDINGS = [k.binding() for k in EXCERPTS_KEYS]

    @dataclass
    class Read(Message):
        """The excerpts were read by a worker (`error`: why not)."""

        rows: list[dict[str, Any]]
        error: str | None = None

    def __init__(self, cell: Cell):
        super().__init__()
        self.cell = cell
        self.stale = False  # the project changed while another screen was on top

    def compose(self) -> ComposeResult:
        yield Static(id="excerpts-title", classes="title")
        yield ExcerptList(id="excerpt-list")
        yield Footer()

    def on_mount(self) -> None:
        title = Text()
        title.append(" Excerpts ", style="bold reverse")
        title.append(f"  {self.cell.label}  ·  Enter opens it in its transcript  ·  E export  ·  Esc back")
        self.query_one("#excerpts-title", Static).update(title)
        self.load()

    def load(self) -> None:
        self.stale = False
        self.query_one(ExcerptList).loading = True
        self.read()

    @work(thread=True, exclusive=True, group="analysis-excerpts")
    def read(self) -> None:
        session = session_of(self)
        try:
            with session.lock:
                rows = session.project.analysis.excerpts(self.cell.query)
        except FAILURES as exc:
            self.post_message(self.Read([], str(exc)))
            return
        cell = self.cell
        self.post_message(self.Read([e for e in rows if in_group(e, cell.by, cell.group)]))

    def on_excerpts_screen_read(self, message: Read) -> None:
        listing = self.query_one(ExcerptList)
        listing.loading = False
        if message.error is not None:
            self.notify(message.error, title="Excerpts", severity="error")
        listing.show(message.rows, self.cell.code)
        listing.border_title = counted(len(message.rows), "excerpts")

    def on_project_changed(self, message: ProjectChanged) -> None:
        self.stale = True
        if self.is_current:
            self.load()

    def on_screen_resume(self) -> None:
        if self.stale:
            self.load()

    def on_excerpt_list_chosen(self, message: ExcerptList.Chosen) -> None:
        e = message.excerpt
        app_of(self).open_transcript(e["transcript"], select=(e["start"], e["end"]))

    def action_open(self) -> None:
        listing = self.query_one(ExcerptList)
        if listing.highlighted is not None:
            listing.action_select()

    def action_export(self) -> None:
        self.app.push_screen(export_dialog(self, self.cell.target, excerpts=True))

    def action_back(self) -> None:
        self.app.pop_screen()
