"""The coding workbench: a Textual app over one project file; `run` is what `ppss-qual tui` calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.screen import ModalScreen, Screen

from ppss_qual import settings
from ppss_qual.errors import NothingToUndo, PpssError
from ppss_qual.tui.commands import WorkbenchCommands
from ppss_qual.tui.keys import APP_KEYS, user_keymap
from ppss_qual.tui.messages import ProjectChanged
from ppss_qual.tui.screens.analysis import AnalysisScreen
from ppss_qual.tui.screens.codebook import CodebookScreen
from ppss_qual.tui.screens.dialogs import CoderScreen, SearchPrompt
from ppss_qual.tui.screens.help import HelpScreen
from ppss_qual.tui.screens.home import HomeScreen
from ppss_qual.tui.screens.pseudonymise import ReviewScreen
from ppss_qual.tui.screens.search import SearchResultsScreen
from ppss_qual.tui.screens.team import DisagreementsScreen
from ppss_qual.tui.screens.transcript import TranscriptScreen
from ppss_qual.tui.session import Session

POLL_SECONDS = 1.0  # how often to look for other processes' changes to the project file


class PpssApp(App[None]):
    """Screens: home (transcripts), transcript (coding), codebook, analysis, search results, help, modals."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "ppss_qual"
    BINDINGS = [k.binding() for k in APP_KEYS]
    COMMANDS = App.COMMANDS | {WorkbenchCommands}

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.keymap, self.key_warnings = user_keymap()
        self._codebook: list[dict[str, Any]] | None = None

    def get_default_screen(self) -> Screen[Any]:
        return HomeScreen()

    def on_mount(self) -> None:
        self.set_keymap(self.keymap)
        for warning in self.key_warnings:
            self.notify(warning, title="Config", severity="warning")
        for warning in self.session.project.warnings:
            self.notify(warning, title="Project", severity="warning", timeout=30)
        if self.session.needs_coder_name():
            self.push_screen(CoderScreen(self.session.coder), self._coder_chosen)
        self.set_interval(POLL_SECONDS, self.poll)

    def on_unmount(self) -> None:
        self.session.close()

    def _coder_chosen(self, name: str | None) -> None:
        if not name:
            return
        self.session.set_coder(name)
        settings.save({**settings.load(), "coder": name})
        self.notify(f"You code as {name}; saved in {settings.config_path()}")
        self.data_changed()

    # -- the project, shared with other processes -------------------------------------------------
    def poll(self) -> None:
        """Another process committed to the project file: refresh every view."""
        if self.session.changed_elsewhere():
            self.data_changed(elsewhere=True)

    def data_changed(self, elsewhere: bool = False, *, skip: Screen[Any] | None = None) -> None:
        """Tell every screen (but `skip`, which has refreshed itself) that the project changed."""
        self._codebook = None
        for screen in self.screen_stack:
            if screen is not skip:
                screen.post_message(ProjectChanged(elsewhere))

    def codebook_rows(self) -> list[dict[str, Any]]:
        """The code tree with counts, read once per change."""
        if self._codebook is None:
            self._codebook = self.session.tree()
        return self._codebook

    # -- navigation -------------------------------------------------------------------------------
    def open_transcript(self, name: str, select: tuple[int, int] | None = None) -> None:
        """Show a transcript (reusing its screen when it is open), selecting [start, end) if given."""
        stack = self.screen_stack
        for i in range(len(stack) - 1, -1, -1):
            screen = stack[i]
            if isinstance(screen, TranscriptScreen) and screen.transcript.casefold() == name.casefold():
                for _ in range(len(stack) - 1 - i):
                    self.pop_screen()
                if select:
                    screen.jump(*select)
                return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(TranscriptScreen(name, select))

    def search_project(self) -> None:
        def searched(query: str | None) -> None:
            if query:
                self.push_screen(SearchResultsScreen(query))

        self.push_screen(SearchPrompt("Search every transcript (any form of a word)"), searched)

    # -- actions everywhere -----------------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    def action_codebook(self) -> None:
        if not isinstance(self.screen, CodebookScreen):
            self.push_screen(CodebookScreen())

    def action_analysis(self) -> None:
        """The analysis screen: back to it when it is open beneath (e.g. under its excerpts), else new."""
        if isinstance(self.screen, ModalScreen):
            return  # a dialog (an export under way) is not closed by a key meant for a screen
        stack = self.screen_stack
        for i in range(len(stack) - 1, -1, -1):
            if isinstance(stack[i], AnalysisScreen):
                for _ in range(len(stack) - 1 - i):
                    self.pop_screen()
                return
        self.push_screen(AnalysisScreen())

    def action_disagreements(self) -> None:
        """Two coders' disagreements, settled by key, and their agreement."""
        if not self._back_to(DisagreementsScreen):
            self.push_screen(DisagreementsScreen())

    def action_pseudonymise(self) -> None:
        """The review of pseudonymisation suggestions (detection runs first where it has not)."""
        if not self._back_to(ReviewScreen):
            self.push_screen(ReviewScreen())

    def _back_to(self, kind: type[Screen[Any]]) -> bool:
        """True when a dialog is open (a screen key does not close it) or a `kind` screen is: back to it."""
        if isinstance(self.screen, ModalScreen):
            return True
        stack = self.screen_stack
        for i in range(len(stack) - 1, -1, -1):
            if isinstance(stack[i], kind):
                for _ in range(len(stack) - 1 - i):
                    self.pop_screen()
                return True
        return False

    def action_undo(self) -> None:
        self._undo_or_redo(self.session.undo, "Undone")

    def action_redo(self) -> None:
        self._undo_or_redo(self.session.redo, "Redone")

    def _undo_or_redo(self, step: Any, verb: str) -> None:
        try:
            event = step()
        except NothingToUndo as exc:
            self.notify(str(exc) or "Nothing of yours to undo", severity="warning")
            return
        except PpssError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"{verb}: {event.summary}", title=verb)
        self.data_changed()

    def action_toggle_language(self) -> None:
        self.session.english = not self.session.english
        self.notify("Code names in English" if self.session.english else "Code names in Swedish")
        self.data_changed()


def create_app(project_path: Path, coder: str | None = None) -> PpssApp:
    """The app over one project file, for the command line and for tests."""
    return PpssApp(Session(project_path, coder))


def run(path: Path, coder: str | None) -> None:
    """Open the workbench on `path` (created when absent) as `coder` (else the configured coder)."""
    create_app(path, coder).run()
