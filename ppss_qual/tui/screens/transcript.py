"""The coding workbench for one transcript: read, select, code, memo and search, by keyboard."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from ppss_qual.errors import PpssError
from ppss_qual.tui.data.colours import code_colour
from ppss_qual.tui.keys import TRANSCRIPT_KEYS
from ppss_qual.tui.messages import ProjectChanged, SearchFinished, TranscriptLoaded, TranscriptLoadFailed
from ppss_qual.tui.screens import coding, pseudonymise, team
from ppss_qual.tui.screens.base import app_of, session_of
from ppss_qual.tui.widgets.status_bar import StatusBar
from ppss_qual.tui.widgets.transcript_view import TranscriptView


class TranscriptScreen(Screen[None]):
    """One transcript in the TranscriptView, with the status bar and the key hints."""

    BINDINGS = [k.binding() for k in TRANSCRIPT_KEYS]

    def __init__(self, name: str, select: tuple[int, int] | None = None):
        super().__init__()
        self.transcript = name
        self.pending_select = select
        self.hits: list[tuple[int, int]] = []
        self.loaded = False
        self.gone = False  # its import was undone, here or elsewhere
        self.lens = team.Lens()  # whose codings are shown; my done mark
        self.pseudonymised: pseudonymise.ShownText | None = None  # the text as exports print it, when on

    def compose(self) -> ComposeResult:
        yield Static(id="transcript-title", classes="title")
        yield TranscriptView(id="view")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def on_mount(self) -> None:
        self.query_one("#transcript-title", Static).update(Text(f" {self.transcript}  ·  loading…"))
        self.view.english = session_of(self).english
        self.view.focus()
        self.load()

    @work(thread=True, exclusive=True, group="transcript")
    def load(self) -> None:
        session = session_of(self)
        try:
            doc = session.document(self.transcript)
            self.post_message(TranscriptLoaded(doc, session.codings(doc.id)))
        except PpssError as exc:
            self.post_message(TranscriptLoadFailed(self.transcript, str(exc)))

    def on_transcript_loaded(self, message: TranscriptLoaded) -> None:
        doc = message.document
        self.view.load(doc, self.shown(message.codings))
        self.loaded = True
        self.show_title(len(message.codings))
        if self.pending_select:
            self.jump(*self.pending_select)
            self.pending_select = None

    def on_transcript_load_failed(self, message: TranscriptLoadFailed) -> None:
        self.notify(message.error, title="Cannot open the transcript", severity="error")
        self.app.pop_screen()

    def leave_gone(self) -> None:
        self.notify(f"{self.transcript} is no longer in the project", severity="warning")
        self.app.pop_screen()

    def on_screen_resume(self) -> None:
        if self.gone:
            self.leave_gone()

    def jump(self, start: int, end: int) -> None:
        """Select [start, end) and show it (a search hit, an excerpt)."""
        if self.loaded:
            self.view.select_span(*pseudonymise.to_shown(self, start, end))
            # a view loaded just now has no scroll range until it is laid out: centre again after that
            self.call_after_refresh(self.view.center_cursor)
        else:
            self.pending_select = (start, end)

    def show_title(self, codings: int) -> None:
        doc = self.view.doc
        if doc is None:
            return
        title = Text()
        title.append(f" {doc.name} ", style="bold reverse")
        title.append(f"  {len(doc.turns)} turns  ·  {len(doc.sentences)} sentences  ·  {codings} codings")
        self.query_one("#transcript-title", Static).update(title, layout=False)

    def refresh_codings(self) -> None:
        if self.view.doc is not None:
            rows = session_of(self).codings(self.view.doc.id)
            self.view.set_codings(self.shown(rows))
            self.show_title(len(rows))

    def shown(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The codings the view draws: as the coder filter shows them, on the text the view shows."""
        return pseudonymise.codings_to_show(self, team.codings_to_show(self, rows))

    def on_project_changed(self, message: ProjectChanged) -> None:
        if not self.loaded or self.view.doc is None:
            return
        session = session_of(self)
        self.view.english = session.english
        if not session.has_transcript(self.transcript):
            self.gone = True
            if self.is_current:
                self.leave_gone()
            return
        if self.pseudonymised is not None:
            pseudonymise.reload_view(self)  # a decision may change the text shown, not only the codings
            return
        self.refresh_codings()

    # -- the status bar follows the cursor --------------------------------------------------------
    def on_transcript_view_cursor_moved(self, message: TranscriptView.CursorMoved) -> None:
        view, session = message.view, session_of(self)
        if view.doc is None or view.caret is None:
            return
        doc, caret = view.doc, view.caret
        turn = doc.turn_at(caret.cursor)
        position = f"turn {turn.number}" + (f" ({turn.speaker})" if turn.speaker else "")
        sentence = doc.sentence_index(caret.cursor)
        if sentence is not None:
            position += f" · sentence {doc.sentences[sentence].number}"
        selection = ""
        span = caret.span()
        if span:
            turn_no, sentences = doc.selection_info(*span)
            which = f"sentence {sentences[0]}" if len(sentences) == 1 else ""
            if len(sentences) > 1:
                which = f"sentences {sentences[0]}–{sentences[-1]}"
            selection = f"selected {span[1] - span[0]} chars (turn {turn_no}{', ' + which if which else ''})"
        colours = {r["name"]: code_colour(r["id"], r["colour"]) for r in app_of(self).codebook_rows()}
        here = [(m.label(view.english), m.colour) for m in view.marks_at_cursor()]
        self.query_one(StatusBar).show(
            coder=session.coder,
            transcript=doc.name,
            position=position,
            selection=selection,
            mode="  │ ".join(
                m
                for m in (
                    "CHAR mode" if view.char_mode else "",
                    self.lens.status(session.coder),
                    pseudonymise.status(self),
                )
                if m
            ),
            here=list(dict.fromkeys(here)),
            recent=[(name, colours.get(name, "#9C9C9C")) for name in session.recent],
        )

    # -- moving and selecting ---------------------------------------------------------------------
    def action_go(self, method: str) -> None:
        view = self.view
        if view.doc is not None and view.caret is not None:
            view.move(getattr(view.doc, method)(view.caret.cursor))

    def action_step(self, delta: int) -> None:
        view = self.view
        if view.doc is not None and view.caret is not None:
            view.move(view.doc.step(view.caret.cursor, delta))

    def action_rows(self, delta: int) -> None:
        self.view.move_rows(delta)

    def action_page(self, delta: int) -> None:
        self.view.move_rows(delta * max(self.view.scrollable_content_region.height - 2, 1))

    def action_edge(self, end: bool) -> None:
        view = self.view
        if view.doc is not None and view.doc.turns:
            view.move(view.doc.turns[-1].end - 1 if end else 0)

    def action_select_sentence(self) -> None:
        self.view.apply("select_sentence")

    def action_select_turn(self) -> None:
        self.view.apply("select_turn")

    def action_extend(self, unit: str, forward: bool) -> None:
        self.view.apply(f"extend_{unit}", forward)

    def action_swap_ends(self) -> None:
        self.view.apply("swap_ends")

    def action_char_mode(self) -> None:
        self.view.char_mode = not self.view.char_mode
        self.notify("Mouse selects single characters" if self.view.char_mode else "Mouse selects whole words")
        self.view.post_message(TranscriptView.CursorMoved(self.view))

    def action_clear_or_back(self) -> None:
        if self.view.caret is not None and self.view.caret.selection is not None:
            self.view.apply("clear")
        elif self.hits:
            self.hits = []
            self.view.set_hits([])
        else:
            self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- coding (the flows live in screens/coding.py) ---------------------------------------------
    def action_code(self) -> None:
        if not pseudonymise.refuses(self):
            coding.pick_and_apply(self)

    def action_recent(self, n: int) -> None:
        if pseudonymise.refuses(self):
            return
        recent = session_of(self).recent
        if n > len(recent):
            self.notify(f"No recent code {n} yet: code with c first", severity="warning")
            return
        coding.apply(self, recent[n - 1])

    def action_remove_code(self) -> None:
        if not pseudonymise.refuses(self):
            coding.remove(self)

    def action_memo(self) -> None:
        coding.memo_here(self)

    def action_memo_transcript(self) -> None:
        if self.view.doc is not None:
            coding.memo_on(self, "transcript", self.view.doc.id, self.view.doc.name)

    # -- team and pseudonyms (the flows live in screens/team.py and screens/pseudonymise.py) -----
    def action_coder_filter(self) -> None:
        team.cycle_filter(self)

    def action_mark_done(self) -> None:
        team.toggle_done(self)

    def action_pseudonymised_view(self) -> None:
        pseudonymise.toggle_view(self)

    # -- search -----------------------------------------------------------------------------------
    def action_search(self) -> None:
        from ppss_qual.tui.screens.dialogs import SearchPrompt

        if pseudonymise.refuses(self):
            return

        def searched(query: str | None) -> None:
            if query:
                self.search_worker(query)

        self.app.push_screen(SearchPrompt(f"Search {self.transcript} (any form of a word)"), searched)

    @work(thread=True, exclusive=True, group="search")
    def search_worker(self, query: str) -> None:
        try:
            hits = session_of(self).search(query, self.transcript)
            self.post_message(SearchFinished(query, self.transcript, hits))
        except PpssError as exc:
            self.post_message(SearchFinished(query, self.transcript, [], error=str(exc)))

    def on_search_finished(self, message: SearchFinished) -> None:
        if message.error:
            self.notify(message.error, severity="error")
            return
        self.hits = sorted((h["start"], h["end"]) for h in message.hits)
        self.view.set_hits(self.hits)
        if not self.hits:
            self.notify(f"No hits for {message.query!r} here", severity="warning")
            return
        self.notify(f"{len(self.hits)} hits for {message.query!r}: n next, N previous, Esc clears")
        self.action_next_hit(1, from_start=True)

    def action_next_hit(self, step: int, from_start: bool = False) -> None:
        """Select the next (step 1) or previous (-1) hit from the selection or cursor, round the end."""
        if not self.hits or self.view.caret is None:
            if step:
                self.notify("No search hits: press / to search", severity="warning")
            return
        starts = [s for s, _ in self.hits]
        span = self.view.caret.span()
        cursor = span[0] if span else self.view.caret.cursor
        if from_start:
            i = bisect_right(starts, cursor - 1) % len(self.hits)
        elif step > 0:
            i = bisect_right(starts, cursor) % len(self.hits)
        else:
            i = (bisect_right(starts, cursor - 1) - 1) % len(self.hits)
        self.view.select_span(*self.hits[i])
        self.notify(f"Hit {i + 1} of {len(self.hits)}", timeout=1.5)

    def action_search_project(self) -> None:
        app_of(self).search_project()
