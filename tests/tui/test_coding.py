"""Coding by keyboard: the picker (fuzzy, new codes), recent codes on number keys, removing, undo and redo."""

from __future__ import annotations

from ppss_qual.tui.screens.dialogs import ChooseScreen
from ppss_qual.tui.screens.picker import CodePicker, NewCodeScreen
from ppss_qual.tui.screens.transcript import TranscriptScreen
from tests.tui.conftest import SIZE, codings, open_transcript, reopen, run, settle


async def test_code_via_picker_with_a_fuzzy_name(make_app, project_file) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("j", "greater_than_sign", "greater_than_sign")  # two sentences of the pupil
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"lysnad pa")  # misspelt, no å
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        # the selection stays, so a second code follows at once
        await pilot.press("c", *"trust", "enter")  # the English name works too
        await pilot.pause()
    rows = codings(project_file)
    assert {(r["code"], r["text"]) for r in rows} == {
        ("Att bli lyssnad på", "Det var jobbigt. Ingen lyssnade på mig."),
        ("Tillit", "Det var jobbigt. Ingen lyssnade på mig."),
    }
    assert all(r["coder"] == "anna" for r in rows)


async def test_recent_codes_on_number_keys(make_app, project_file) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("j", "s", "c", *"trust", "enter")
        await pilot.press("c", *"Att bli lyssnad", "enter")
        await pilot.press("j", "j", "s", "2")  # 1 is the latest (Att bli lyssnad på), 2 the one before
        await pilot.pause()
    rows = codings(project_file)
    assert ("Tillit", "Nu känner jag mig lyssnad på.") in {(r["code"], r["text"]) for r in rows}


async def test_new_code_from_the_picker(make_app, project_file) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("j", "j", "j", "t", "c", *"Vuxna", "enter")
        assert isinstance(app.screen, NewCodeScreen)
        await pilot.press(*"barnets", "enter")
        await pilot.pause()
    with reopen(project_file) as project:
        code = project.codebook.resolve("Vuxna")
        assert code.path == "Barnets röst/Vuxna"
    assert [r["text"] for r in codings(project_file) if r["code"] == "Vuxna"] == [
        "Nu känner jag mig lyssnad på. Sara lyssnar alltid. De vuxna bryr sig om mig."
    ]


async def test_remove_undo_redo(make_app, project_file) -> None:
    app, notes = make_app(), []
    async with run(app, notes) as pilot:
        await open_transcript(pilot)
        await pilot.press("j", "s", "c", *"trust", "enter")
        await pilot.press("escape", "c")  # no selection: the picker does not open
        assert isinstance(app.screen, TranscriptScreen)
        await pilot.press("x")
        await pilot.pause()
        assert codings(project_file) == []
        await pilot.press("u")
        await pilot.pause()
        assert [r["text"] for r in codings(project_file)] == ["Det var jobbigt."]
        assert any(n.startswith("Undone: removed coding") for n in notes), notes
        await pilot.press("r")
        await pilot.pause()
        assert codings(project_file) == []


async def test_remove_asks_which_code_when_several(make_app, project_file) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("j", "s", "c", *"trust", "enter", "c", *"Att bli lyssnad", "enter")
        await pilot.press("x")
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
    assert len(codings(project_file)) == 1


async def test_undo_after_a_restart(make_app, project_file) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("j", "s", "c", *"trust", "enter")
        await pilot.pause()
    app, notes = make_app(), []
    async with run(app, notes) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert codings(project_file) == []
        await pilot.press("u", "u", "u")  # nothing of mine left: a warning, no crash
        await pilot.pause()
        assert any("undo" in n.lower() and not n.startswith("Undone") for n in notes), notes


async def test_undoing_the_import_closes_the_transcript(make_app) -> None:
    app, notes = make_app(), []
    async with run(app, notes) as pilot:
        await open_transcript(pilot)
        await pilot.press("u", "u")  # the codebook import, then the transcript's
        await settle(pilot)
        assert not isinstance(app.screen, TranscriptScreen)
        assert any("no longer in the project" in n for n in notes), notes
        assert app.screen.query_one("DataTable").row_count == 0
