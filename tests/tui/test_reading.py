"""Search on lemmas, in a transcript and across the project; the codebook panel's excerpts; memos."""

from __future__ import annotations

from ppss_qual.coding.operations import Selector
from ppss_qual.tui.screens.codebook import CodebookScreen
from ppss_qual.tui.screens.dialogs import MemoScreen
from ppss_qual.tui.screens.search import SearchResultsScreen
from ppss_qual.tui.screens.transcript import TranscriptScreen
from ppss_qual.tui.widgets.transcript_view import TranscriptView
from tests.tui.conftest import NAME, SIZE, open_transcript, reopen, run, settle


def selection(app) -> str:
    view = app.screen.query_one(TranscriptView)
    span = view.caret.span()
    return view.doc.text[span[0] : span[1]] if span else ""


async def test_search_in_transcript_on_lemmas_with_next_and_previous(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("slash", *"lyssnade", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        found = [screen.view.doc.text[s:e] for s, e in screen.hits]
        assert found == ["lyssnade", "lyssnad", "lyssnar"]  # every form of lyssna
        assert selection(app) == "lyssnade"
        await pilot.press("n")
        assert selection(app) == "lyssnad"
        await pilot.press("n")
        assert selection(app) == "lyssnar"
        await pilot.press("n")  # round again
        assert selection(app) == "lyssnade"
        await pilot.press("N")
        assert selection(app) == "lyssnar"


async def test_search_across_the_project_opens_the_hit(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"barn", "enter")  # from home
        await settle(pilot)
        assert isinstance(app.screen, SearchResultsScreen)
        assert [h["match"] for h in app.screen.hits] == ["Barnen"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        assert selection(app) == "Barnen"


async def test_codebook_panel_lists_excerpts_and_jumps_to_one(make_app, project_file) -> None:
    with reopen(project_file, coder="bo") as project:
        project.codings.code(NAME, "Tillit", Selector(match="Sara lyssnar alltid."))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        assert isinstance(app.screen, CodebookScreen)
        await pilot.press(*"trust")  # filtered by typing, English names too
        await settle(pilot)
        assert app.screen.current == "Tillit"
        assert [(e["text"], e["speaker"], e["transcript"]) for e in app.screen.excerpts] == [
            ("Sara lyssnar alltid.", "Elev 3", NAME)
        ]
        await pilot.press("enter", "enter")  # to the excerpts, then open the first
        await settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        assert selection(app) == "Sara lyssnar alltid."


async def test_memos_on_a_coding_a_transcript_and_a_code(make_app, project_file) -> None:
    app, notes = make_app(), []
    async with run(app, notes) as pilot:
        await open_transcript(pilot)
        await pilot.press("j", "s", "c", *"trust", "enter", "m")
        assert isinstance(app.screen, MemoScreen)
        await pilot.press(*"Vänd", "ctrl+s")
        await pilot.press("M", *"Bra", "ctrl+s")
        await pilot.press("C", *"tillit", "ctrl+n", *"Tro", "ctrl+s")
        await pilot.pause()
        # a second memo on the coding edits mine rather than adding another
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("m", *" 2", "ctrl+s")
        await pilot.pause()
    with reopen(project_file) as project:
        memos = {(m["target_kind"], m["text"]) for m in project.codings.memos()}
    assert memos == {("coding", "Vänd 2"), ("transcript", "Bra"), ("code", "Tro")}
