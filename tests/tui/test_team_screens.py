"""Team coding in the workbench: the coder filter, done marks, the disagreements screen (settling by key,
undo) and its agreement panel, each checked against what the project itself says."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from ppss_qual.coding.operations import Selector
from ppss_qual.tui.app import create_app
from ppss_qual.tui.data.team import (
    CODER,
    DIFFER,
    MINE,
    CoderFilter,
    default_pair,
    filter_steps,
    next_filter,
    number,
)
from ppss_qual.tui.screens.team import DisagreementsScreen
from ppss_qual.tui.screens.transcript import TranscriptScreen
from ppss_qual.tui.widgets.status_bar import StatusBar
from tests.tui.conftest import NAME, SIZE, open_transcript, reopen, run, settle, span_of

PAIR = ["anna", "bertil"]


@pytest.fixture
def team_file(project_file: Path) -> Path:
    """anna and bertil coded the transcript: they agree on one passage and differ on two."""
    with reopen(project_file) as project:
        project.codings.code(NAME, "Att bli lyssnad på", Selector(match="Ingen lyssnade på mig."))
        project.codings.code(NAME, "Tillit", Selector(match="Sara lyssnar alltid."))
    with reopen(project_file, coder="bertil") as project:
        project.codings.code(NAME, "Att bli lyssnad på", Selector(match="Ingen lyssnade på mig."))
        project.codings.code(NAME, "Psykisk hälsa", Selector(match="Det var jobbigt."))
        project.codings.code(NAME, "Tillit", Selector(match="Sara lyssnar alltid. De vuxna bryr sig om mig."))
    return project_file


def status_line(screen: TranscriptScreen) -> str:
    return screen.query_one(StatusBar).content.plain


async def open_disagreements(pilot: Pilot, *keys: str) -> DisagreementsScreen:
    await settle(pilot)
    await pilot.press(*(keys or ("D",)))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DisagreementsScreen)
    return screen


def test_the_filters_a_key_cycles_through_and_the_default_pair() -> None:
    steps = filter_steps("anna", ["anna", "bertil", "cecilia"])
    assert [(f.mode, f.coder) for f in steps] == [
        ("all", None), (MINE, None), (CODER, "bertil"), (CODER, "cecilia"), (DIFFER, None)
    ]  # fmt: skip
    assert next_filter(CoderFilter(DIFFER, among=("anna", "bertil")), steps) == CoderFilter()
    assert [f.mode for f in filter_steps("anna", ["anna"])] == ["all", MINE]  # nothing to compare
    coders = [
        {"coder": "anna", "codings": 2},
        {"coder": "bertil", "codings": 9},
        {"coder": "c", "codings": 5},
    ]
    assert default_pair(coders, "anna") == ("bertil", "c")
    assert default_pair(coders, "c") == ("c", "bertil")
    assert default_pair(coders[:1], "anna") is None


async def test_the_coder_filter_changes_what_the_view_shows(team_file: Path) -> None:
    app = create_app(team_file, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        assert {m.coder for m in screen.view.marks} == {"anna", "bertil"}
        await pilot.press("f")
        assert {m.coder for m in screen.view.marks} == {"anna"}
        assert "only mine" in status_line(screen)
        await pilot.press("f")
        assert {m.coder for m in screen.view.marks} == {"bertil"}
        assert "only bertil's" in status_line(screen)
        await pilot.press("f")  # where they differ: the differences on top, every coding grey beneath
        with reopen(team_file) as project:
            expected = project.team.differences(NAME)
        differences = [m for m in screen.view.marks if m.id < 0]
        assert [(m.start, m.end) for m in differences] == [(d["start"], d["end"]) for d in expected]
        assert {m.code for m in differences} == {"bertil only: Psykisk hälsa", "bertil only: Tillit"}
        assert {m.colour for m in screen.view.marks if m.id > 0} == {"#6E6E6E"}
        assert "differences" in status_line(screen)
        await pilot.press("f")
        assert {m.coder for m in screen.view.marks} == {"anna", "bertil"}
        assert "codings:" not in status_line(screen)


async def test_marking_a_transcript_done_and_undoing_it(team_file: Path) -> None:
    def done() -> list[str]:
        with reopen(team_file) as project:
            return next(r for r in project.team.coders() if r["coder"] == "anna")["done_transcripts"]

    app, notes = create_app(team_file, "anna"), []
    async with run(app, notes) as pilot:
        await open_transcript(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert done() == [NAME]
        assert "✓ done" in status_line(app.screen)
        assert any("marked done by anna" in n for n in notes), notes
        await pilot.press("u")
        await settle(pilot)
        assert done() == []
        assert "✓ done" not in status_line(app.screen)
        await pilot.press("d", "d")  # on, and off again as a change of its own
        await settle(pilot)
        assert done() == []
        assert any("Took anna's done mark off" in n for n in notes), notes


async def test_the_disagreements_list_and_the_agreement_panel_match_the_project(team_file: Path) -> None:
    with reopen(team_file) as project:
        expected = project.team.disagreements(PAIR)
        by_char = project.team.agreement(PAIR)
        by_turn = project.team.agreement(PAIR, unit="turn")
    assert len(expected) == 2
    app = create_app(team_file, "anna")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_disagreements(pilot, "ctrl+p", *"team: disagreements", "enter")
        assert screen.pair == ("anna", "bertil")  # the two with most codings, me as A
        table = screen.query_one("#disagreements-table", DataTable)
        assert [str(k.value) for k in table.rows] == [r["id"] for r in expected]
        assert table.get_row_at(0)[0].plain == expected[0]["code"]
        # both versions of the highlighted one, side by side, each in its turn
        await pilot.press("down")
        a = screen.query_one("#version-a-text", Static).render()
        b = screen.query_one("#version-b-text", Static).render()
        assert "anna coded" in str(a) and "Sara lyssnar alltid." in str(a)
        assert "bertil coded" in str(b) and "De vuxna bryr sig om mig." in str(b)
        await pilot.press("2")
        await settle(pilot)
        agreement = screen.query_one("#agreement-table", DataTable)
        pooled = agreement.get_row_at(agreement.row_count - 1)
        assert pooled[0].plain == "(all codes)"
        assert pooled[2].plain.strip() == number(by_char[-1]["kappa"])
        assert by_char[-1]["over"] in str(screen.query_one("#agreement-info", Static).render())
        await pilot.press("t", "t")  # char -> sentence -> turn
        await settle(pilot)
        pooled = agreement.get_row_at(agreement.row_count - 1)
        assert pooled[2].plain.strip() == number(by_turn[-1]["kappa"])
        assert by_turn[-1]["over"] in str(screen.query_one("#agreement-info", Static).render())


async def test_settling_take_a_changes_the_project_and_undo_brings_it_back(team_file: Path) -> None:
    with reopen(team_file) as project:
        tillit = next(r for r in project.team.disagreements(PAIR) if r["code"] == "Tillit")
    app, notes = create_app(team_file, "anna"), []
    async with run(app, notes) as pilot:
        screen = await open_disagreements(pilot)
        table = screen.query_one("#disagreements-table", DataTable)
        table.move_cursor(row=[str(k.value) for k in table.rows].index(tillit["id"]))
        await pilot.press("a")
        await settle(pilot)
        with reopen(team_file) as project:
            assert tillit["id"] not in [r["id"] for r in project.team.disagreements(PAIR)]
            bertil = project.team.codings_by_coder(NAME)["bertil"]
            assert ("Tillit", "Sara lyssnar alltid.") in {(r["code"], r["text"]) for r in bertil}
        assert tillit["id"] not in [str(k.value) for k in table.rows]
        assert any(n.startswith("settled") for n in notes), notes
        await pilot.press("u")
        await settle(pilot)
        with reopen(team_file) as project:
            assert tillit["id"] in [r["id"] for r in project.team.disagreements(PAIR)]
        assert tillit["id"] in [str(k.value) for k in table.rows]


async def test_enter_opens_the_passage_where_the_coders_differ(team_file: Path) -> None:
    app = create_app(team_file, "anna")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_disagreements(pilot)
        first = screen.rows[0]
        await pilot.press("enter")
        await settle(pilot)
        transcript = app.screen
        assert isinstance(transcript, TranscriptScreen)
        assert transcript.view.caret.span() == (first["start"], first["end"])
        assert any(m.id < 0 for m in transcript.view.marks)  # the differences are shown
        text = transcript.view.doc.text
        assert (first["start"], first["end"]) == span_of(text, "Det var jobbigt.")
        await pilot.press("q")
        assert app.screen is screen  # back to the list


async def test_with_fewer_than_two_coders_there_is_nothing_to_compare(project_file: Path) -> None:
    app, notes = create_app(project_file, "anna"), []
    async with run(app, notes) as pilot:
        screen = await open_disagreements(pilot)
        assert screen.pair is None and screen.rows == []
        assert "Nothing to compare" in str(screen.query_one("#disagreements-info", Static).render())
        await pilot.press("a", "c")  # nothing to settle, nobody to choose: warnings, no crash
        await settle(pilot)
        assert app.screen is screen
        assert any("Highlight a disagreement" in n for n in notes), notes
        assert any("Two coders need codings" in n for n in notes), notes


def test_the_disagreements_screen(snap_compare, team_file: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        screen = await open_disagreements(pilot)
        await pilot.press("down")
        await settle(pilot)
        # an ID hashes the codebook's GUIDs, new in every test session: shown masked
        table = screen.query_one("#disagreements-table", DataTable)
        for key in list(table.rows):
            table.update_cell(key, "id", "########")
        await pilot.pause()

    assert snap_compare(create_app(team_file, "anna"), terminal_size=SIZE, run_before=run_before)
