"""The export dialog: the Word report and a code's excerpts written in a worker, beside the project by
default, with pseudonyms unless asked; a failed write is shown, and the workbench goes on."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from docx import Document
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Checkbox, Input, RadioSet, Static

from ppss_qual.coding.operations import Selector
from ppss_qual.tui.screens.analysis import AnalysisScreen, ExcerptsScreen
from ppss_qual.tui.screens.codebook import CodebookScreen
from ppss_qual.tui.screens.export import REAL_NAMES_WARNING, ExportDialog
from tests.tui.conftest import NAME, SIZE, reopen, run, settle


@pytest.fixture
def coded(project_file: Path) -> Path:
    with reopen(project_file) as project:
        project.codings.code(NAME, "Att bli lyssnad på", Selector(match="Ingen lyssnade på mig."))
        project.codings.code(NAME, "Att bli lyssnad på", Selector(match="Nu känner jag mig lyssnad på."))
        project.codings.code(NAME, "Tillit", Selector(match="Sara lyssnar alltid."))
    return project_file


async def test_the_report_is_written_from_the_analysis_screen(make_app, coded) -> None:
    app, notes, steps = make_app(), [], []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notes.append(message.notification.message)
        elif isinstance(message, ExportDialog.Progressed):
            steps.append(message.text)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AnalysisScreen)
        await pilot.press("E")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        field = dialog.query_one("#export-path", Input)
        assert field.value == str(coded.parent / "exports" / "report.docx")  # beside the project
        assert dialog.query_one("#export-real", Checkbox).value is False  # pseudonyms unless asked
        assert REAL_NAMES_WARNING in str(dialog.query_one("#export-warning", Static).render())
        dialog.query_one("#export-lang", RadioSet).query("RadioButton").last().value = True  # English
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AnalysisScreen)  # closed when written
        report = coded.parent / "exports" / "report.docx"
        paragraphs = [p.text for p in Document(str(report)).paragraphs]
        assert "Thematic analysis" in paragraphs
        assert any("Ingen lyssnade på mig." in p for p in paragraphs)
        assert any(str(report) in note and "quotes" in note for note in notes)
        assert steps[0] == "gathering excerpts" and steps[-1] == "writing the document"  # the report's own


async def test_a_codes_excerpts_are_written_as_xlsx_from_the_codebook(make_app, coded) -> None:
    app, notes = make_app(), []
    async with run(app, notes) as pilot:
        await settle(pilot)
        await pilot.press("C", *"lyssnad")
        await settle(pilot)
        assert isinstance(app.screen, CodebookScreen) and app.screen.current == "Att bli lyssnad på"
        await pilot.press("ctrl+o")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-what", RadioSet).pressed_index == 1  # the excerpts, offered first
        target = coded.parent / "exports" / "excerpts-att-bli-lyssnad-på.xlsx"
        assert dialog.query_one("#export-path", Input).value == str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
        found = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        assert [(e["code"], e["text"]) for e in found] == [
            ("Att bli lyssnad på", "Ingen lyssnade på mig."),
            ("Att bli lyssnad på", "Nu känner jag mig lyssnad på."),
        ]
        assert any("2 excerpts of Att bli lyssnad på (pseudonyms)" in note for note in notes)


async def test_excerpts_behind_a_cell_are_written_as_docx(make_app, coded, tmp_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        table = app.screen.query_one("#matrix-table")
        table.move_cursor(row=table.get_row_index("Barnets röst/Att bli lyssnad på"), column=1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExcerptsScreen)
        await pilot.press("E")
        dialog = app.screen
        formats = dialog.query_one("#export-format", RadioSet)
        formats.query("RadioButton")[1].value = True  # .docx
        await pilot.pause()
        field = dialog.query_one("#export-path", Input)
        assert field.value.endswith("excerpts-att-bli-lyssnad-på-elev.docx")
        field.value = "mine/utdrag.docx"  # relative: to the project's folder
        await pilot.press("ctrl+s")
        await settle(pilot)
        written = coded.parent / "mine" / "utdrag.docx"
        text = "\n".join(p.text for p in Document(str(written)).paragraphs)
        assert "Ingen lyssnade på mig." in text and "Nu känner jag mig lyssnad på." in text


async def test_a_failed_export_is_shown_and_the_dialog_stays(make_app, coded) -> None:
    blocker = coded.parent / "exports"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    app, notes = make_app(), []
    async with run(app, notes) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("E", "ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and not dialog.running
        log = str(dialog.query_one("#export-log", Static).render())
        assert log.startswith("Cannot write") and "report.docx" in log
        assert any(note.startswith("Cannot write") for note in notes)
        await pilot.press("escape")
        assert isinstance(app.screen, AnalysisScreen)
