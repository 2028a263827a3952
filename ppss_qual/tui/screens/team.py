"""Team coding in the workbench: the transcript's coder filter and done mark, and the disagreements screen
(two coders' versions side by side, settled by key) with its agreement panel. Facade calls run under the
session's lock; reading lists and settling run in thread workers that post messages back."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from ppss_qual.agreement.compare import UNITS
from ppss_qual.errors import PpssError
from ppss_qual.tui.data import team as data
from ppss_qual.tui.data.document import Document
from ppss_qual.tui.keys import TEAM_KEYS
from ppss_qual.tui.messages import ProjectChanged
from ppss_qual.tui.screens.base import app_of, session_of
from ppss_qual.tui.screens.dialogs import ChooseScreen

if TYPE_CHECKING:
    from ppss_qual.tui.screens.transcript import TranscriptScreen

CSS = "../styles/team.tcss"
FAILURES = (PpssError, sqlite3.Error)  # what a flow or worker reports instead of raising
TABS = ("disagreements", "agreement")


# -- the transcript screen: whose codings, and done marks -----------------------------------------------
@dataclass
class Lens:
    """What the transcript screen shows of the team: whose codings, and whether I marked it done."""

    filter: data.CoderFilter = field(default_factory=data.CoderFilter)
    done: bool = False

    def status(self, me: str) -> str:
        """The status bar's part: the filter (when not everyone's) and my done mark."""
        parts = [self.filter.label(me), "✓ done" if self.done else ""]
        return "  │ ".join(p for p in parts if p)


def codings_to_show(screen: TranscriptScreen, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The transcript's codings (`rows`, everyone's) as the coder filter shows them; reads the done mark."""
    session, lens = session_of(screen), screen.lens
    name = screen.view.doc.name if screen.view.doc is not None else screen.transcript
    try:
        with session.lock:
            team = session.project.team
            mine = next((r for r in team.coders() if r["coder"] == session.coder), None)
            done = mine["done_transcripts"] if mine else []
            lens.done = name.casefold() in {t.casefold() for t in done}
            if lens.filter.mode != data.DIFFER:
                return data.filtered(rows, lens.filter, session.coder)
            coders = list(lens.filter.among or team.coded_by(name))
            differences = team.differences(name, coders)
    except FAILURES as exc:
        screen.notify(str(exc), title="Coders", severity="error")
        return rows
    return data.difference_rows(rows, differences, coders)


def cycle_filter(screen: TranscriptScreen) -> None:
    """Everyone's codings, mine, each other coder's, where coders differ, and round again."""
    session = session_of(screen)
    name = screen.view.doc.name if screen.view.doc is not None else screen.transcript
    try:
        with session.lock:
            coders = session.project.team.coded_by(name)
    except FAILURES as exc:
        screen.notify(str(exc), title="Coders", severity="error")
        return
    steps = data.filter_steps(session.coder, coders)
    screen.lens.filter = data.next_filter(screen.lens.filter, steps)
    screen.refresh_codings()
    note = screen.lens.filter.describe(session.coder)
    if len(coders) < 2:
        note += " (fewer than two coders have coded this transcript: nothing to compare yet)"
    screen.notify(f"{note} · f for the next", timeout=3)


def toggle_done(screen: TranscriptScreen) -> None:
    """Mark the transcript done by me, or take my mark off when it is there (u undoes either)."""
    session, doc = session_of(screen), screen.view.doc
    if doc is None:
        return
    try:
        with session.lock:
            marked = session.project.team.mark_done(doc.name, coder=session.coder)
            if not marked:
                session.project.team.unmark_done(doc.name, coder=session.coder)
    except FAILURES as exc:
        screen.notify(str(exc), title="Done mark", severity="error")
        return
    screen.lens.done = marked
    if marked:
        screen.notify(
            f"{doc.name} marked done by {session.coder}: where you coded nothing now counts as "
            "'not coded' in agreement · d again takes the mark off · u undoes",
            title="Done",
        )
    else:
        screen.notify(f"Took {session.coder}'s done mark off {doc.name} · u undoes", title="Done")
    app_of(screen).data_changed()


# -- the disagreements screen ---------------------------------------------------------------------------
DISAGREEMENT_COLUMNS = (("Code", "code", 30), ("Transcript", "transcript", 28), ("Line", "line", 5),
                        ("Kind", "kind", 24), ("ID", "id", 8))  # fmt: skip
AGREEMENT_COLUMNS = (("Code", "code", 34), ("% agree", "percent_agreement", 8), ("kappa", "kappa", 6),
                     ("alpha", "alpha", 6), ("units", "units", 9), ("both", "both", 7),
                     ("only A", "only_a", 7), ("only B", "only_b", 7), ("neither", "neither", 9))  # fmt: skip
HINT = "a take A · b take B · k keep both · n neither · u undo · Enter opens the passage"


class DisagreementsScreen(Screen[None]):
    """Two coders' disagreements (tab 1: the list, and both versions of the highlighted one side by side)
    and their agreement per code and pooled (tab 2)."""

    CSS_PATH = CSS
    AUTO_FOCUS = "#disagreements-table"
    BINDINGS = [k.binding() for k in TEAM_KEYS]

    @dataclass
    class Listed(Message):
        """The coders and the disagreements of `pair` were read (`error`: why not)."""

        token: int
        coders: list[dict[str, Any]]
        pair: tuple[str, str] | None
        rows: list[dict[str, Any]]
        error: str | None = None

    @dataclass
    class Measured(Message):
        """The agreement of `pair` by `unit` was worked out (`error`: why not)."""

        token: int
        rows: list[dict[str, Any]]
        error: str | None = None

    @dataclass
    class Settled(Message):
        """A settlement was made (`summary` of what was done), or `error` says why not."""

        summary: str | None
        error: str | None = None

    def __init__(self, pair: tuple[str, str] | None = None):
        super().__init__()
        self.pair = pair
        self.unit = "char"
        self.coders: list[dict[str, Any]] = []
        self.rows: list[dict[str, Any]] = []
        self.agreement: list[dict[str, Any]] = []
        self.tokens = dict.fromkeys(TABS, 0)
        self.docs: dict[str, Document] = {}
        self.stale = False

    def compose(self) -> ComposeResult:
        yield Static(id="team-title", classes="title")
        with TabbedContent(initial="disagreements", id="team-tabs"):
            with TabPane("1 Disagreements", id="disagreements"):
                yield Static(id="disagreements-info", classes="team-info")
                yield DataTable(id="disagreements-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="passage-info", classes="team-info")
                with Horizontal(id="versions"):
                    with VerticalScroll(id="version-a", classes="version"):
                        yield Static(id="version-a-text")
                    with VerticalScroll(id="version-b", classes="version"):
                        yield Static(id="version-b-text")
            with TabPane("2 Agreement", id="agreement"):
                yield Static(id="agreement-info", classes="team-info")
                yield DataTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        for table_id, columns in (
            ("#disagreements-table", DISAGREEMENT_COLUMNS),
            ("#agreement-table", AGREEMENT_COLUMNS),
        ):
            table = self.query_one(table_id, DataTable)
            for label, key, width in columns:
                right = key not in ("code", "transcript", "kind", "id")
                table.add_column(
                    Text(label, style="bold", justify="right" if right else "left"), key=key, width=width
                )
        self.show_title()
        self.load()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#disagreements-table", DataTable)

    def show_title(self) -> None:
        session = session_of(self)
        text = Text()
        text.append(" Disagreements ", style="bold reverse")
        text.append(f"  {session.path.name}")
        if self.pair:
            text.append(f"  ·  A = {self.pair[0]}, B = {self.pair[1]}")
        text.append("  ·  c coders · s swap A/B · 1 list · 2 agreement · ? help")
        self.query_one("#team-title", Static).update(text)

    # -- reading ----------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the coders and the pair's disagreements again, then their agreement."""
        self.stale = False
        self.tokens["disagreements"] += 1
        self.table.loading = True
        self.read_list(self.tokens["disagreements"], self.pair)

    @work(thread=True, exclusive=True, group="team-list")
    def read_list(self, token: int, pair: tuple[str, str] | None) -> None:
        session = session_of(self)
        try:
            with session.lock:
                coders = session.project.team.coders()
                pair = pair or data.default_pair(coders, session.coder)
                rows = session.project.team.disagreements(list(pair)) if pair else []
        except FAILURES as exc:
            self.post_message(self.Listed(token, [], pair, [], str(exc)))
            return
        self.post_message(self.Listed(token, coders, pair, rows))

    def measure(self) -> None:
        self.tokens["agreement"] += 1
        table = self.query_one("#agreement-table", DataTable)
        if self.pair is None:
            table.clear()
            return
        table.loading = True
        self.read_agreement(self.tokens["agreement"], self.pair, self.unit)

    @work(thread=True, exclusive=True, group="team-agreement")
    def read_agreement(self, token: int, pair: tuple[str, str], unit: str) -> None:
        session = session_of(self)
        try:
            with session.lock:
                rows = session.project.team.agreement(list(pair), unit=unit)
        except FAILURES as exc:
            self.post_message(self.Measured(token, [], str(exc)))
            return
        self.post_message(self.Measured(token, rows))

    def on_disagreements_screen_listed(self, message: Listed) -> None:
        if message.token != self.tokens["disagreements"]:
            return
        self.table.loading = False
        if message.error is not None:
            self.notify(message.error, title="Disagreements", severity="error")
        self.coders, self.pair, self.rows = message.coders, message.pair, message.rows
        self.fill_list()
        self.show_title()
        self.measure()

    def on_disagreements_screen_measured(self, message: Measured) -> None:
        if message.token != self.tokens["agreement"]:
            return
        self.query_one("#agreement-table", DataTable).loading = False
        if message.error is not None:
            self.notify(message.error, title="Agreement", severity="error")
        self.agreement = message.rows
        self.fill_agreement()

    def on_project_changed(self, message: ProjectChanged) -> None:
        self.docs.clear()
        if self.is_current:
            self.load()
        else:
            self.stale = True

    def on_screen_resume(self) -> None:
        if self.stale:
            self.load()

    # -- drawing ----------------------------------------------------------------------------------
    def fill_list(self) -> None:
        table = self.table
        keep = table.cursor_row
        table.clear()
        for r in self.rows:
            table.add_row(
                Text(r["code"], no_wrap=True, overflow="ellipsis"),
                Text(r["transcript"], no_wrap=True, overflow="ellipsis"),
                Text(str(r["line"]).rjust(5)),
                Text(data.kind_words(r), no_wrap=True, overflow="ellipsis"),
                Text(r["id"], style="dim"),
                key=r["id"],
            )
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        info = Text()
        if self.pair is None:
            info.append("Nothing to compare: two coders need codings in the project first.", style="bold")
        else:
            a, b = self.pair
            info.append(f"{len(self.rows)} open disagreement(s) of A = {a} and B = {b}", style="bold")
            info.append(f" in the transcripts both coded  ·  {HINT}")
        self.query_one("#disagreements-info", Static).update(info)
        self.show_versions()

    def current(self) -> dict[str, Any] | None:
        if not self.rows or not self.table.row_count:
            return None
        return self.rows[min(max(self.table.cursor_row, 0), len(self.rows) - 1)]

    def document(self, name: str) -> Document | None:
        doc = self.docs.get(name)
        if doc is None:
            try:
                doc = self.docs[name] = session_of(self).document(name)
            except FAILURES as exc:
                self.notify(str(exc), severity="error")
                return None
        return doc

    @on(DataTable.RowHighlighted, "#disagreements-table")
    def show_versions(self) -> None:
        """Both versions of the highlighted disagreement, each in the surrounding turn."""
        row = self.current()
        head = self.query_one("#passage-info", Static)
        panes = [self.query_one("#version-a"), self.query_one("#version-b")]
        texts = [self.query_one("#version-a-text", Static), self.query_one("#version-b-text", Static)]
        doc = self.document(row["transcript"]) if row is not None else None
        if row is None or doc is None:
            head.update(Text("No disagreement to show.", style="dim") if self.pair else "")
            for pane, text in zip(panes, texts, strict=True):
                pane.border_title = pane.border_subtitle = ""
                text.update("")
            return
        passage = data.passage(doc, row["start"], row["end"])
        info = Text()
        info.append(f"{row['code']}", style="bold")
        info.append(f"  ·  {row['transcript']}, line {row['line']}, characters {row['start']}–{row['end']}")
        info.append(f"  ·  {passage.speakers}", style="dim")
        head.update(info)
        for side, pane, text in zip("ab", panes, texts, strict=True):
            coder, spans = row[f"coder_{side}"], row[f"{side}_spans"]
            other = row["coder_b" if side == "a" else "coder_a"]
            pane.border_title = f"{side.upper()} · {coder}"
            pane.border_subtitle = f"reversed: {coder}'s version · underlined: {other}'s only"
            text.update(version(doc.text, passage, (row["start"], row["end"]), spans, coder, row["code"]))

    def fill_agreement(self) -> None:
        table = self.query_one("#agreement-table", DataTable)
        keep = table.cursor_row
        table.clear()
        info = Text()
        rows = self.agreement
        if self.pair is None or not rows:
            self.query_one("#agreement-info", Static).update(info)
            return
        a, b = self.pair
        pooled = rows[-1]
        info.append(f"Agreement of A = {a} and B = {b} over {pooled['over']}.\n")
        info.append(
            f"All codes pooled: {data.number(pooled['percent_agreement'], 2)} % agree, kappa "
            f"{data.number(pooled['kappa'])}, alpha {data.number(pooled['alpha'])}.  ",
            style="bold",
        )
        if not pooled["transcripts"]:
            info.append(
                f"No transcript was coded by both {a} and {b}: nothing to compare.\n", style="bold red"
            )
        info.append(
            "% agree: percent agreement; kappa: Cohen's; alpha: Krippendorff's (nominal); units: "
            f"{data.UNIT_WORDS[self.unit]} compared per code; the last row pools all codes  ·  "
            f"t unit: {' / '.join(u + (' ◂' if u == self.unit else '') for u in UNITS)}"
        )
        self.query_one("#agreement-info", Static).update(info)
        for r in rows:
            style = "bold" if r["code"] is None else ""
            cells = [Text(r["code"] or "(all codes)", style=style, no_wrap=True, overflow="ellipsis")]
            for _label, key, width in AGREEMENT_COLUMNS[1:]:
                digits = 2 if key == "percent_agreement" else 3
                cells.append(Text(data.number(r[key], digits).rjust(width), style=style))
            table.add_row(*cells, key=str(r["code_id"]))
        table.move_cursor(row=min(keep, table.row_count - 1))

    # -- actions ----------------------------------------------------------------------------------
    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(f"#{tab}-table", DataTable).focus()

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        self.query_one(f"#{event.pane.id or 'disagreements'}-table", DataTable).focus()

    def action_choose_coders(self) -> None:
        named = sorted((r for r in self.coders if r["codings"]), key=lambda r: (-r["codings"], r["coder"]))
        if len(named) < 2:
            self.notify(
                "Two coders need codings in the project before they can be compared", severity="warning"
            )
            return
        options = [
            (f"A = {x['coder']} ({x['codings']} codings)   B = {y['coder']} ({y['codings']} codings)", (x, y))
            for x, y in combinations(named, 2)
        ]

        def chosen(pair: tuple[dict[str, Any], dict[str, Any]] | None) -> None:
            if pair is not None:
                self.pair = (pair[0]["coder"], pair[1]["coder"])
                self.show_title()
                self.load()

        self.app.push_screen(ChooseScreen("Compare which two coders? (s swaps A and B)", options), chosen)

    def action_swap(self) -> None:
        if self.pair is not None:
            self.pair = (self.pair[1], self.pair[0])
            self.show_title()
            self.load()

    def action_next_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.action_show_tab("agreement")
        self.measure()
        self.notify(f"Agreement by {data.UNIT_WORDS[self.unit]}", timeout=2)

    def action_settle(self, take: str) -> None:
        row = self.current()
        if row is None or self.query_one(TabbedContent).active != "disagreements":
            self.notify("Highlight a disagreement in the list (1) to settle it", severity="warning")
            return
        self.settle_worker(row["id"], take)

    @work(thread=True, group="team-settle")
    def settle_worker(self, ident: str, take: str) -> None:
        session = session_of(self)
        try:
            with session.lock:
                summary = session.project.team.settle(ident, take, coder=session.coder)
        except FAILURES as exc:
            self.post_message(self.Settled(None, str(exc)))
            return
        self.post_message(self.Settled(summary))

    def on_disagreements_screen_settled(self, message: Settled) -> None:
        if message.error is not None:
            self.notify(message.error, title="Not settled", severity="error")
            return
        self.notify(f"{message.summary} · u undoes", title="Settled")
        app_of(self).data_changed()

    @on(DataTable.RowSelected, "#disagreements-table")
    def _chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """The transcript at the passage, showing where the two coders differ (q comes back here)."""
        from ppss_qual.tui.screens.transcript import TranscriptScreen

        row = self.current()
        if row is None:
            return
        screen = TranscriptScreen(row["transcript"], (row["start"], row["end"]))
        screen.lens.filter = data.CoderFilter(data.DIFFER, among=self.pair)
        self.app.push_screen(screen)

    def action_back(self) -> None:
        self.app.pop_screen()


def version(
    text: str, passage: data.Passage, span: tuple[int, int], spans: list[list[int]], coder: str, code: str
) -> Text:
    """One coder's version: what they coded (reversed) in the passage's text; the other's part underlined."""
    out = Text()
    if spans:
        where = ", ".join(f"{s}–{e}" for s, e in spans)
        chars = sum(e - s for s, e in spans)
        out.append(f"{coder} coded {where} ({chars} characters) with {code}\n", style="bold")
    else:
        out.append(f"{coder} did not code this passage with {code}\n", style="bold")
    out.append("\n")
    body = Text(text[passage.start : passage.end])
    body.stylize("underline", span[0] - passage.start, span[1] - passage.start)
    for s, e in spans:
        body.stylize("bold reverse not underline", s - passage.start, e - passage.start)
    if passage.cut_before:
        out.append("…")
    out.append_text(body)
    if passage.cut_after:
        out.append("…")
    return out
