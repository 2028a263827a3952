"""Home: the project's transcripts with participants, words and coded share; import with progress."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, ProgressBar, Static

from ppss_qual.tui.importer import run_import
from ppss_qual.tui.keys import HOME_KEYS
from ppss_qual.tui.messages import ImportFinished, ImportProgressed, ProjectChanged, TranscriptsListed
from ppss_qual.tui.screens.base import app_of, participants_text, session_of


class HomeScreen(Screen[None]):
    """The table of transcripts; Enter opens one."""

    BINDINGS = [k.binding() for k in HOME_KEYS]

    def compose(self) -> ComposeResult:
        yield Static(id="home-title", classes="title")
        yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
        with Vertical(id="import-panel"):
            yield Input(
                placeholder="Files or folders to import (txt md docx vtt srt qdpx), separated by spaces; "
                "Enter starts, Escape closes",
                id="import-path",
            )
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(id="import-log")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Transcript", key="name")
        table.add_column("Participants (role)", key="participants")
        table.add_column("Words", key="words")
        table.add_column("Turns", key="turns")
        table.add_column("Coded", key="coded")
        self.query_one("#import-progress").display = False
        self.query_one("#import-panel").display = False
        self._title()
        self.load()

    def _title(self) -> None:
        session = session_of(self)
        text = Text()
        text.append(" ppss_qual ", style="bold reverse")
        text.append(f"  {session.path.name}  ·  coder {session.coder}  ·  Enter opens, i imports, ? help")
        self.query_one("#home-title", Static).update(text, layout=False)

    @work(thread=True, exclusive=True, group="home-list")
    def load(self) -> None:
        self.post_message(TranscriptsListed(session_of(self).transcripts()))

    def on_transcripts_listed(self, message: TranscriptsListed) -> None:
        table = self.query_one(DataTable)
        cells = {t["name"]: _cells(t) for t in message.rows}
        if [str(k.value) for k in table.rows] == list(cells):
            # the same transcripts (the usual case when someone codes): change only what changed
            for name, row in cells.items():
                for column, value in zip(("participants", "words", "turns", "coded"), row[1:], strict=True):
                    if str(table.get_cell(name, column)) != str(value):
                        table.update_cell(name, column, value)
            return
        keep = table.cursor_row
        table.clear()
        for name, row in cells.items():
            table.add_row(*row, key=name)
        if message.rows:
            table.move_cursor(row=min(keep, len(message.rows) - 1))
        else:
            self.query_one("#import-panel").display = True
            self.query_one("#import-log", Static).update(
                "The project has no transcripts yet: press i and give files or folders to import."
            )

    def on_project_changed(self, message: ProjectChanged) -> None:
        if self.is_current:  # else on_screen_resume reloads when the table is seen again
            self._title()
            self.load()

    def on_screen_resume(self) -> None:
        self._title()
        self.load()

    # -- opening ----------------------------------------------------------------------------------
    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            app_of(self).open_transcript(str(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                app_of(self).open_transcript(str(key))

    def action_search_project(self) -> None:
        app_of(self).search_project()

    # -- importing --------------------------------------------------------------------------------
    def action_import_files(self) -> None:
        panel = self.query_one("#import-panel")
        panel.display = True
        self.query_one("#import-path", Input).focus()

    @on(Input.Submitted, "#import-path")
    def _import_submitted(self, event: Input.Submitted) -> None:
        paths = _split_paths(event.value)
        if not paths:
            self.notify("Give one or more files or folders to import", severity="warning")
            return
        event.input.value = ""
        self.query_one(DataTable).focus()
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#import-log", Static).update("Starting the import (the language model loads first)…")
        self.import_worker(paths)

    @work(thread=True, exclusive=True, group="import")
    def import_worker(self, paths: list[str]) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        session = session_of(self)
        run_import(session.path, session.coder, paths, self.post_message, lambda: worker.is_cancelled)

    def on_import_progressed(self, message: ImportProgressed) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=message.total, progress=message.done)
        if message.path:
            self.query_one("#import-log", Static).update(
                Text(f"{message.done} of {message.total}: {Path(message.path).name}")
            )

    def on_import_finished(self, message: ImportFinished) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
        log = Text()
        if message.error:
            log.append(f"The import failed: {message.error}", style="bold red")
        else:
            words = sum(w for _p, _t, w in message.imported)
            log.append(f"Imported {len(message.imported)} file(s), {words} words", style="bold")
            log.append(f"; {len(message.failed)} failed" if message.failed else "")
            log.append(f"; {len(message.skipped)} skipped" if message.skipped else "")
            for _path, name, w in message.imported:
                log.append(f"\n  ✓ {name} ({w} words)", style="green")
            for _path, error in message.failed:
                log.append(f"\n  ✗ {error}", style="red")
            for warning in message.warnings[:20]:
                log.append(f"\n  ! {warning}", style="yellow")
        self.query_one("#import-log", Static).update(log)
        failed = bool(message.error or message.failed)
        self.notify(log.plain.splitlines()[0], severity="error" if failed else "information")
        app_of(self).data_changed()

    def key_escape(self) -> None:
        panel = self.query_one("#import-panel")
        if panel.display and self.query_one("#import-path", Input).has_focus:
            panel.display = False
            self.query_one(DataTable).focus()


def _cells(t: dict[str, Any]) -> tuple[Text, ...]:
    return (
        Text(t["name"]),
        Text(participants_text(t["participants"]), overflow="ellipsis", no_wrap=True),
        Text(f"{t['words']:,}".replace(",", " "), justify="right"),
        Text(str(t["turns"]), justify="right"),
        Text(f"{t['coded_share']:.0%}", justify="right"),
    )


def _split_paths(value: str) -> list[str]:
    """Paths as typed or pasted: shell quoting works, and a lone path with spaces is taken whole."""
    value = value.strip()
    if not value:
        return []
    if Path(value).expanduser().exists():
        return [str(Path(value).expanduser())]
    try:
        parts = shlex.split(value)
    except ValueError:
        parts = value.split()
    return [str(Path(p).expanduser()) for p in parts]
