"""Selecting by keys (sentence, turn, word, character) and by mouse drags, always inside one turn's speech."""

from __future__ import annotations

from ppss_qual.tui.screens.transcript import TranscriptScreen
from ppss_qual.tui.widgets.transcript_view import GUTTER, TranscriptView
from tests.tui.conftest import SIZE, open_transcript, span_of


def selected(app) -> str:
    view = app.screen.query_one(TranscriptView)
    span = view.caret.span()
    return view.doc.text[span[0] : span[1]] if span else ""


async def test_sentence_turn_and_extensions(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        await pilot.press("j", "s")  # the pupil's first turn, its first sentence
        assert selected(app) == "Det var jobbigt."
        await pilot.press("W", "W")
        assert selected(app) == "Det var jobbigt. Ingen lyssnade"
        await pilot.press("B")
        assert selected(app) == "Det var jobbigt. Ingen"
        await pilot.press("greater_than_sign")
        assert selected(app) == "Det var jobbigt. Ingen lyssnade på mig."
        await pilot.press("t")
        assert selected(app) == "Det var jobbigt. Ingen lyssnade på mig. Barnen i klassen var okej."
        await pilot.press("greater_than_sign", "W")  # never past the turn's end
        assert selected(app).endswith("okej.")
        await pilot.press("escape", "comma", "shift+right", "shift+right")
        assert selected(app) == "Ba"
        await pilot.press("o", "less_than_sign")  # the other end moves back a sentence
        assert selected(app) == "Ingen lyssnade på mig. Ba"


async def test_selection_never_includes_the_speaker_label(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("j", "B", "B", "B")
        view = app.screen.query_one(TranscriptView)
        turn = view.doc.turn_at(view.caret.cursor)
        assert view.caret.span()[0] >= turn.start
        assert "Elev 3" not in selected(app)


async def test_mouse_drag_selects_whole_words(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        view = app.screen.query_one(TranscriptView)
        text = view.doc.text
        start, _ = span_of(text, "lyssnade på mig")
        _, end = span_of(text, "Barnen i klassen")
        row_a, row_b = view.wrapped.row_of(start), view.wrapped.row_of(end)
        # inside "lyssnade" and inside "Barnen": the drag snaps out to whole words
        a = (GUTTER + start + 3 - view.wrapped.start[row_a], row_a - view.scroll_offset.y)
        b = (GUTTER + end - 12 - view.wrapped.start[row_b], row_b - view.scroll_offset.y)
        await pilot.mouse_down(view, offset=a)
        await pilot.hover(view, offset=b)
        await pilot.mouse_up(view, offset=b)
        await pilot.pause()
        assert selected(app) == "lyssnade på mig. Barnen"
        await pilot.press("v")  # character mode: exactly what the mouse covered
        await pilot.mouse_down(view, offset=a)
        await pilot.mouse_up(view, offset=(a[0] + 4, a[1]))
        await pilot.pause()
        assert selected(app) == "snade"


async def test_the_cursor_moves_by_word_sentence_turn_row_and_character(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        view = app.screen.query_one(TranscriptView)
        text = view.doc.text

        def at() -> str:
            return text[view.caret.cursor :]

        assert at().startswith("Hur var det")
        await pilot.press("w", "w")
        assert at().startswith("det i skolan")
        await pilot.press("b")
        assert at().startswith("var det")
        await pilot.press("full_stop")
        assert at().startswith("Berätta")
        await pilot.press("full_stop")  # over the next speaker's label
        assert at().startswith("Det var jobbigt")
        await pilot.press("comma")
        assert at().startswith("Berätta")
        await pilot.press("j", "j")
        assert at().startswith("Mm. Och nu?")
        await pilot.press("k")
        assert at().startswith("Det var jobbigt")
        await pilot.press("right", "right", "left")
        assert at().startswith("et var")
        await pilot.press("G")
        assert at() == "."
        await pilot.press("g")
        assert at().startswith("Hur var det")
        await pilot.press("down")
        assert at().startswith("Det var jobbigt")  # rows skip headers and gaps
