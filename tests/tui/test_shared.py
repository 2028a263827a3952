"""Other processes' changes show up without a restart; importing runs in a child process with progress."""

from __future__ import annotations

import time

from textual.widgets import DataTable, Input, Static

from ppss_qual.coding.operations import Selector
from ppss_qual.tui.messages import ImportFinished, ImportProgressed
from ppss_qual.tui.screens.home import HomeScreen
from ppss_qual.tui.widgets.transcript_view import TranscriptView
from tests.tui.conftest import NAME, SIZE, open_transcript, reopen, settle


async def wait_until(pilot, condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.1)


async def test_a_coding_made_elsewhere_shows_up_within_two_seconds(make_app, project_file) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        view = app.screen.query_one(TranscriptView)
        assert view.marks == []
        with reopen(project_file, coder="bo") as other:  # another connection, as another process has
            other.codings.code(NAME, "Tillit", Selector(match="Sara lyssnar alltid."))
        started = time.monotonic()
        await wait_until(pilot, lambda: view.marks)
        assert time.monotonic() - started < 2.5  # the poll runs every second; slack for a busy machine
        assert [(m.code, m.coder, view.doc.text[m.start : m.end]) for m in view.marks] == [
            ("Tillit", "bo", "Sara lyssnar alltid.")
        ]


async def test_the_home_table_follows_other_processes(make_app, project_file) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(0)[-1]) == "0%"
        with reopen(project_file, coder="bo") as other:
            other.codings.code(NAME, "Tillit", Selector(turn=4))
        await wait_until(pilot, lambda: str(table.get_row_at(0)[-1]) != "0%")


async def test_import_runs_in_a_child_process_with_progress(make_app, tmp_path) -> None:
    good = tmp_path / "intervju_foralder.txt"
    good.write_text("Intervjuare: Hur går det?\n\nFörälder: Det går bättre nu.\n", encoding="utf-8")
    bad = tmp_path / "trasig.docx"
    bad.write_bytes(b"not a zip")
    seen: list[object] = []
    app = make_app()
    hook = lambda m: seen.append(m) if isinstance(m, ImportProgressed | ImportFinished) else None  # noqa: E731
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        await pilot.press("i")
        app.screen.query_one("#import-path", Input).value = f"{good} {bad}"  # as pasted
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(isinstance(m, ImportFinished) for m in seen), timeout=60)
        await settle(pilot)
        finished = next(m for m in seen if isinstance(m, ImportFinished))
        assert [name for _p, name, _w in finished.imported] == ["intervju_foralder"]
        assert [p for p, _e in finished.failed] == [str(bad)]
        assert "trasig.docx" in finished.failed[0][1]
        assert any(isinstance(m, ImportProgressed) and m.total == 2 for m in seen)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(DataTable).row_count == 2
        log = str(app.screen.query_one("#import-log", Static).render())
        assert "Imported 1 file" in log and "trasig.docx" in log
