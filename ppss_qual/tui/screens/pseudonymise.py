"""Pseudonymisation in the workbench: the review of suggestions (detection first, with its progress; accept,
reject, every occurrence of a string, own pseudonyms, the rest of a kind) and the transcript shown as
exports print it. Facade calls run under the session's lock, the slow and the writing ones in workers."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Label, ProgressBar, Static

from ppss_qual.errors import PpssError
from ppss_qual.tui.data.document import Document
from ppss_qual.tui.data.pseudonymised import (
    KIND_FILTERS,
    STATUS_FILTERS,
    Group,
    Pseudonymised,
    counts_line,
    grouped,
    pseudonymise_document,
)
from ppss_qual.tui.keys import REVIEW_KEYS, bindings
from ppss_qual.tui.messages import ProjectChanged
from ppss_qual.tui.screens.base import app_of, session_of
from ppss_qual.tui.screens.dialogs import ChooseScreen, PromptScreen

if TYPE_CHECKING:
    from ppss_qual.pseudonymise.service import Decision, Pseudonymiser
    from ppss_qual.tui.screens.transcript import TranscriptScreen

FAILURES = (PpssError, sqlite3.Error)  # what a flow or worker reports instead of raising
READ_ONLY = "The pseudonymised view is read-only: p goes back to the stored text to code, search or remove"


# -- the transcript as exports print it -----------------------------------------------------------------
@dataclass(slots=True)
class ShownText:
    """The transcript screen's pseudonymised view, and what it does not replace yet."""

    text: Pseudonymised
    undecided: int
    detected: bool


def toggle_view(screen: TranscriptScreen) -> None:
    """Show the transcript as exports print it (read-only), or the stored text again; the cursor stays put."""
    view = screen.view
    if view.doc is None or view.caret is None:
        return
    shown = screen.pseudonymised
    if shown is None:
        if not _show(screen, view.doc, _where(screen)):
            return
        shown = screen.pseudonymised
        assert shown is not None
        note = "Pseudonymised: the text as exports print it (read-only; p returns to the stored text)"
        if not shown.detected:
            note += (
                ". Detection has not run here yet: only participants' names and accepted names are replaced"
            )
        elif shown.undecided:
            note += f". {shown.undecided} undecided suggestion(s) here are NOT replaced: review them with P"
        screen.notify(note, title="Pseudonymised view", timeout=6)
        return
    where = tuple(shown.text.to_stored(o) for o in _where(screen))
    screen.pseudonymised = None
    rows = session_of(screen).codings(shown.text.original.id)
    view.load(shown.text.original, screen.shown(rows))
    screen.hits = []
    _place(screen, where)
    screen.notify("The stored text again: coding keys work", timeout=2.5)


def reload_view(screen: TranscriptScreen) -> None:
    """Build the pseudonymised view again (a decision or a coding changed it), keeping the cursor."""
    shown, view = screen.pseudonymised, screen.view
    if shown is None or view.caret is None:
        return
    where = tuple(shown.text.to_stored(o) for o in _where(screen))
    original = shown.text.original
    try:
        original = session_of(screen).document(original.name)
    except FAILURES:
        pass  # the transcript is gone: the screen's own check closes it
    _show(screen, original, where)


def _where(screen: TranscriptScreen) -> tuple[int, ...]:
    """The selection (start, end) in the view, else the cursor (one offset)."""
    caret = screen.view.caret
    assert caret is not None
    return caret.span() or (caret.cursor,)


def _show(screen: TranscriptScreen, original: Document, where: tuple[int, ...]) -> bool:
    """Put the pseudonymised `original` in the view, selecting or at the stored offsets `where`."""
    session = session_of(screen)
    try:
        with session.lock:
            step = session.project.name_step()
            service = session.project.pseudonymise
            undecided = len(service.entities(status="suggested", transcript=original.name))
            detected = original.name not in service.pending()
            rows = session.project.codings.in_transcript(original.id)
    except FAILURES as exc:
        screen.notify(str(exc), title="Pseudonymised view", severity="error")
        return False
    mapped = step.source(original.text, transcript_id=original.id)
    text = pseudonymise_document(original, mapped, step.text)
    screen.pseudonymised = ShownText(text, undecided, detected)
    screen.view.load(text.doc, screen.shown(rows))
    screen.hits = text.replacements()  # n and N go from pseudonym to pseudonym
    screen.view.set_hits(screen.hits)
    _place(screen, tuple(text.to_shown(o) for o in where))
    return True


def _place(screen: TranscriptScreen, where: tuple[int, ...]) -> None:
    """Select `where` (start, end) or put the cursor at it (one offset), and show it."""
    view = screen.view
    if view.doc is None:
        return
    if len(where) == 2 and where[1] > where[0]:
        view.select_span(where[0], where[1])
    else:
        view.move(view.doc.clamp(where[0]))
    screen.call_after_refresh(view.center_cursor)


def codings_to_show(screen: TranscriptScreen, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Codings on the text the view shows: moved onto the pseudonymised text when that is on."""
    shown = screen.pseudonymised
    return rows if shown is None else shown.text.codings(rows)


def to_shown(screen: TranscriptScreen, start: int, end: int) -> tuple[int, int]:
    """A stored passage [start, end) where the view shows it."""
    shown = screen.pseudonymised
    if shown is None:
        return start, end
    return shown.text.to_shown(start), shown.text.to_shown(end)


def refuses(screen: TranscriptScreen) -> bool:
    """True (with a notification) while the view is pseudonymised: its offsets are not the stored text's."""
    if screen.pseudonymised is None:
        return False
    screen.notify(READ_ONLY, severity="warning")
    return True


def status(screen: TranscriptScreen) -> str:
    shown = screen.pseudonymised
    if shown is None:
        return ""
    if not shown.detected:
        return "PSEUDONYMISED, read-only (detection not run here)"
    extra = f", {shown.undecided} undecided not replaced" if shown.undecided else ""
    return f"PSEUDONYMISED, read-only{extra}"


# -- the review screen ----------------------------------------------------------------------------------
REVIEW_COLUMNS = (("String", "text", 22), ("Kind", "kind", 12), ("N", "n", 4), ("Pseudonym", "pseudonym", 22),
                  ("Status", "status", 18), ("Reason", "reason", 26))  # fmt: skip
DETAIL_WIDTH = 48  # characters of the line shown on either side of the occurrence


def decided(d: Decision) -> str:
    if d.status == "accepted":
        return f"Accepted {d.changed} × “{d.text}” → {d.pseudonym}"
    return f"Rejected {d.changed} × “{d.text}”: it stays as it is (unless another occurrence is accepted)"


class ReviewScreen(Screen[None]):
    """The suggestions grouped by string, filtered by status and kind; the highlighted occurrence in its
    line below. Opening it runs detection where it has not run (with a progress bar)."""

    CSS_PATH = "../styles/pseudonymise.tcss"
    AUTO_FOCUS = "#review-list"
    BINDINGS = [k.binding() for k in REVIEW_KEYS]

    @dataclass
    class Detecting(Message):
        """Detection has finished `done` of `total` transcripts and works on `name`."""

        done: int
        total: int
        name: str

    @dataclass
    class Detected(Message):
        """Detection ended: on `transcripts`, with `suggestions` new ones (`error`: why not)."""

        transcripts: list[str]
        suggestions: int
        error: str | None = None

    @dataclass
    class Listed(Message):
        """The entities for the filters, and the counts of every status, were read."""

        token: int
        rows: list[dict[str, Any]]
        counts: dict[str, int]
        error: str | None = None

    @dataclass
    class Shown(Message):
        """One entity with its line (`entity()`), for the detail pane."""

        token: int
        entity: dict[str, Any] | None
        error: str | None = None

    @dataclass
    class Decided(Message):
        """A decision was stored (`summary`), or `error` says why not."""

        summary: str | None
        error: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.status_filter: str | None = "suggested"
        self.kind_filter: str | None = None
        self.groups: list[Group] = []
        self.counts = {"suggested": 0, "accepted": 0, "rejected": 0}
        self.occurrence: dict[str, int] = {}  # the occurrence shown, per string
        self.tokens = {"list": 0, "detail": 0}
        self.note = ""
        self.detecting = True
        self.stale = False

    def compose(self) -> ComposeResult:
        yield Static(id="review-title", classes="title")
        yield Static(id="review-filters", classes="review-info")
        with Horizontal(id="review-progress-row"):
            yield ProgressBar(id="review-progress", show_eta=False)
            yield Static(id="review-progress-text")
        yield DataTable(id="review-list", cursor_type="row", zebra_stripes=True)
        yield Static(id="review-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.table
        for label, key, width in REVIEW_COLUMNS:
            table.add_column(
                Text(label, style="bold", justify="right" if key == "n" else "left"), key=key, width=width
            )
        title = Text()
        title.append(" Pseudonymise ", style="bold reverse")
        title.append(
            f"  {session_of(self).path.name}  ·  nothing is replaced until it is accepted  ·  ? help"
        )
        self.query_one("#review-title", Static).update(title)
        self.query_one("#review-progress-text", Static).update("Looking for transcripts to detect in…")
        self.query_one("#review-filters", Static).update(
            "First, detection where it has not run: names, schools, places, personnummer, phone numbers "
            "and e-mail addresses. The suggestions follow."
        )
        self.table.loading = True
        self.detect()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#review-list", DataTable)

    # -- detection --------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="review-detect")
    def detect(self) -> None:
        """Detection where it has not run, a transcript at a time: the lock is let go in between, so that
        the screens beneath stay responsive during a long first run; closing the screen stops it."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        session = session_of(self)
        done: list[str] = []
        suggestions = 0
        try:
            with session.lock:
                pending = session.project.pseudonymise.pending()
            for i, name in enumerate(pending):
                if worker.is_cancelled:
                    return
                self.post_message(self.Detecting(i, len(pending), name))
                with session.lock:
                    report = session.project.pseudonymise.detect([name])
                done += report.transcripts
                suggestions += report.suggestions
        except FAILURES as exc:
            self.post_message(self.Detected(done, suggestions, str(exc)))
            return
        self.post_message(self.Detected(done, suggestions))

    def on_review_screen_detecting(self, message: Detecting) -> None:
        self.query_one("#review-progress", ProgressBar).update(total=message.total, progress=message.done)
        shown = f"Detecting: {message.done} of {message.total} transcripts done"
        self.query_one("#review-progress-text", Static).update(
            shown + (f", now {message.name}" if message.name else "")
        )

    def on_review_screen_detected(self, message: Detected) -> None:
        self.detecting = False
        self.query_one("#review-progress-row").display = False
        if message.error is not None:
            self.notify(message.error, title="Detection", severity="error")
        elif message.transcripts:
            self.note = (
                f"detection ran on {len(message.transcripts)} transcript(s): "
                f"{message.suggestions} new suggestion(s)"
            )
        self.load()

    # -- the list ---------------------------------------------------------------------------------
    def load(self) -> None:
        self.stale = False
        self.tokens["list"] += 1
        self.table.loading = True
        self.read(self.tokens["list"], self.status_filter, self.kind_filter)

    @work(thread=True, exclusive=True, group="review-list")
    def read(self, token: int, status: str | None, kind: str | None) -> None:
        session = session_of(self)
        try:
            with session.lock:
                service = session.project.pseudonymise
                rows = service.entities(status=status, kind=kind)
                counts = service.counts()
        except FAILURES as exc:
            self.post_message(self.Listed(token, [], self.counts, str(exc)))
            return
        self.post_message(self.Listed(token, rows, counts))

    def on_review_screen_listed(self, message: Listed) -> None:
        if message.token != self.tokens["list"]:
            return
        self.table.loading = False
        if message.error is not None:
            self.notify(message.error, title="Pseudonymise", severity="error")
        before = self.current()
        self.groups, self.counts = grouped(message.rows), message.counts
        self.fill(before.text if before else None)

    def on_project_changed(self, message: ProjectChanged) -> None:
        if self.detecting:
            return  # the list is read when detection ends
        if self.is_current:
            self.load()
        else:
            self.stale = True

    def on_screen_resume(self) -> None:
        if self.stale:
            self.load()

    def fill(self, keep: str | None) -> None:
        """The groups in the table; the cursor stays on the string `keep`, else on the same row."""
        table = self.table
        row = table.cursor_row
        table.clear()
        for g in self.groups:
            table.add_row(
                Text(g.text, style="bold", no_wrap=True, overflow="ellipsis"),
                g.kind,
                Text(str(len(g.rows)).rjust(4)),
                Text(g.pseudonym, no_wrap=True, overflow="ellipsis"),
                Text(g.statuses(), no_wrap=True, overflow="ellipsis"),
                Text(g.reason, style="dim", no_wrap=True, overflow="ellipsis"),
                key=g.text,
            )
        texts = [g.text for g in self.groups]
        if texts:
            table.move_cursor(row=texts.index(keep) if keep in texts else min(row, len(texts) - 1))
        self.show_filters()
        self.show_detail()

    def show_filters(self) -> None:
        occurrences = sum(len(g.rows) for g in self.groups)
        text = Text()
        text.append(
            f"Showing {self.status_filter or 'every status'} · {self.kind_filter or 'every kind'}",
            style="bold",
        )
        text.append(f" (s status · k kind): {len(self.groups)} strings, {occurrences} occurrences")
        text.append(f"  │  {counts_line(self.counts)}")
        if self.note:
            text.append(f"  │  {self.note}", style="dim")
        self.query_one("#review-filters", Static).update(text)

    def current(self) -> Group | None:
        if not self.groups or not self.table.row_count:
            return None
        return self.groups[min(max(self.table.cursor_row, 0), len(self.groups) - 1)]

    def current_row(self) -> dict[str, Any] | None:
        """The occurrence shown of the highlighted string."""
        group = self.current()
        if group is None:
            return None
        i = min(self.occurrence.get(group.text, 0), len(group.rows) - 1)
        return group.rows[i]

    # -- the detail pane --------------------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#review-list")
    def show_detail(self) -> None:
        row = self.current_row()
        self.tokens["detail"] += 1
        if row is None:
            empty = (
                "No suggestions to review here." if self.status_filter == "suggested" else "Nothing listed."
            )
            hint = "  s shows other statuses, k other kinds." if self.groups == [] else ""
            self.query_one("#review-detail", Static).update(Text(empty + hint, style="dim"))
            return
        self.read_entity(self.tokens["detail"], row["id"])

    @work(thread=True, exclusive=True, group="review-detail")
    def read_entity(self, token: int, entity_id: int) -> None:
        session = session_of(self)
        try:
            with session.lock:
                entity = session.project.pseudonymise.entity(entity_id, width=DETAIL_WIDTH)
        except FAILURES as exc:
            self.post_message(self.Shown(token, None, str(exc)))
            return
        self.post_message(self.Shown(token, entity))

    def on_review_screen_shown(self, message: Shown) -> None:
        if message.token != self.tokens["detail"]:
            return
        detail = self.query_one("#review-detail", Static)
        e, group = message.entity, self.current()
        if e is None or group is None:
            detail.update(Text(message.error or "", style="red"))
            return
        i = min(self.occurrence.get(group.text, 0), len(group.rows) - 1)
        text = Text()
        text.append(f"“{e['text']}”", style="bold")
        text.append(f"  {e['kind']} · {e['reason']}")
        text.append(f"  ·  occurrence {i + 1} of {len(group.rows)} listed (n / p)", style="dim")
        text.append(f"\n{e['transcript']}, line {e['line']} · {e['status']}\n\n")
        text.append(e["before"])
        text.append(e["text"], style="bold reverse")
        text.append(e["after"])
        text.append("\n\n→ ")
        text.append(e["pseudonym"] or "(no pseudonym yet)", style="bold")
        text.append(
            f"   {e['occurrences']} occurrence(s) of this string in the project: one string, one pseudonym\n",
            style="dim",
        )
        text.append(
            f"a accept · A accept every “{e['text']}” · r reject · R reject every · e edit the pseudonym · "
            "d decide the rest of this kind · u undo · Enter opens it",
            style="dim",
        )
        detail.update(text)

    # -- filters and moving -----------------------------------------------------------------------
    def action_next_status(self) -> None:
        self.status_filter = STATUS_FILTERS[
            (STATUS_FILTERS.index(self.status_filter) + 1) % len(STATUS_FILTERS)
        ]
        self.load()

    def action_next_kind(self) -> None:
        self.kind_filter = KIND_FILTERS[(KIND_FILTERS.index(self.kind_filter) + 1) % len(KIND_FILTERS)]
        self.load()

    def action_occurrence(self, step: int) -> None:
        group = self.current()
        if group is not None:
            i = self.occurrence.get(group.text, 0)
            self.occurrence[group.text] = (i + step) % len(group.rows)
            self.show_detail()

    @on(DataTable.RowSelected, "#review-list")
    def _chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """The transcript at this occurrence (q comes back here)."""
        from ppss_qual.tui.screens.transcript import TranscriptScreen

        row = self.current_row()
        if row is not None:
            self.app.push_screen(TranscriptScreen(row["transcript"], (row["start"], row["end"])))

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- deciding ---------------------------------------------------------------------------------
    def action_decide(self, status: str, all_of_text: bool) -> None:
        row = self.current_row()
        if row is None:
            self.notify("Nothing to decide here", severity="warning")
            return
        entity_id = row["id"]
        if status == "accepted":
            self.decide(lambda s: decided(s.accept(entity_id, all_of_text=all_of_text)))
        else:
            self.decide(lambda s: decided(s.reject(entity_id, all_of_text=all_of_text)))

    def action_edit(self) -> None:
        row = self.current_row()
        if row is None:
            self.notify("Nothing to rename here", severity="warning")
            return
        entity_id = row["id"]

        def named(pseudonym: str | None) -> None:
            if pseudonym:
                self.decide(
                    lambda s: (
                        decided(s.rename(entity_id, pseudonym)) + " (every occurrence has this pseudonym now)"
                    )
                )

        heading = f"Pseudonym for “{row['text']}”: every occurrence gets it, and this one is accepted"
        self.app.push_screen(PromptScreen(heading, row["pseudonym"] or ""), named)

    def action_decide_remaining(self) -> None:
        group = self.current()
        kind = self.kind_filter or (group.kind if group is not None else None)
        if kind is None:
            self.notify("Highlight a suggestion (or choose a kind with k) first", severity="warning")
            return
        session = session_of(self)
        try:
            with session.lock:
                remaining = len(session.project.pseudonymise.entities(status="suggested", kind=kind))
        except FAILURES as exc:
            self.notify(str(exc), severity="error")
            return
        if not remaining:
            self.notify(f"No undecided {kind} suggestions left", severity="warning")
            return
        options = [
            (f"Accept all {remaining} remaining {kind} suggestions", "accepted"),
            (f"Reject all {remaining} remaining {kind} suggestions", "rejected"),
        ]

        def confirmed(status: str, ok: bool | None) -> None:
            if ok:
                self.decide(
                    lambda s: (
                        f"{status.capitalize()} {s.decide_remaining(status, kind=kind)} remaining "
                        f"{kind} suggestions"
                    )
                )

        def chosen(status: str | None) -> None:
            if status is None:
                return
            verb = "accept" if status == "accepted" else "reject"
            question = (
                f"{verb.capitalize()} every one of the {remaining} undecided {kind} suggestions, in every "
                f"transcript? It is one change: u undoes it."
            )
            self.app.push_screen(ConfirmScreen(question), lambda ok: confirmed(status, ok))

        self.app.push_screen(ChooseScreen(f"Decide the rest of kind {kind}", options), chosen)

    @work(thread=True, group="review-decide")
    def decide(self, call: Callable[[Pseudonymiser], str]) -> None:
        session = session_of(self)
        try:
            with session.lock:
                summary = call(session.project.pseudonymise)
        except FAILURES as exc:
            self.post_message(self.Decided(None, str(exc)))
            return
        self.post_message(self.Decided(summary))

    def on_review_screen_decided(self, message: Decided) -> None:
        if message.error is not None:
            self.notify(message.error, title="Not decided", severity="error")
            return
        self.notify(f"{message.summary} · u undoes", timeout=4)
        app_of(self).data_changed()


class ConfirmScreen(ModalScreen[bool]):
    """A yes-or-no question; returns True for yes."""

    BINDINGS = bindings("confirm-yes", "confirm-no", "dialog-close")

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Are you sure?", classes="dialog-title")
            yield Static(self.question, id="confirm-question")
            yield Label("y confirms · n or Esc cancels", classes="dialog-hint")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
