"""The workbench's pure parts: wrapping to display rows, cursor units, selections, marks, code ranking."""

from __future__ import annotations

import pytest

from ppss_qual.tui.data.caret import Caret
from ppss_qual.tui.data.codefind import rank, scored
from ppss_qual.tui.data.colours import PALETTE, code_colour
from ppss_qual.tui.data.document import Document, clock
from ppss_qual.tui.data.layout import BLANK, HEADER, TEXT, Layout
from ppss_qual.tui.data.marks import MarkIndex, marks_from

LABEL = "Elev 3: "
SPEECH = "Det var jobbigt. Ingen lyssnade på mig. Barnen i klassen var okej."
TEXT_ = f"Intervjuare: Hur var det?\n\n{LABEL}{SPEECH}\n\nIntervjuare: Mm."


def document() -> Document:
    s1 = TEXT_.index("Hur")
    s2 = TEXT_.index(SPEECH)
    s3 = TEXT_.rindex("Mm.")
    sentences = [(s1, s1 + len("Hur var det?"), 1)]
    pos = s2
    for sentence in ("Det var jobbigt.", "Ingen lyssnade på mig.", "Barnen i klassen var okej."):
        start = TEXT_.index(sentence, pos)
        sentences.append((start, start + len(sentence), 2))
        pos = start + len(sentence)
    sentences.append((s3, s3 + 3, 3))
    return Document(
        {
            "id": 1,
            "name": "t",
            "text": TEXT_,
            "turns": [
                {
                    "number": 1,
                    "line": 1,
                    "speaker": "Intervjuare",
                    "role": "interviewer",
                    "start": s1,
                    "end": s1 + len("Hur var det?"),
                    "time_start_ms": 83_000,
                },
                {
                    "number": 2,
                    "line": 3,
                    "speaker": "Elev 3",
                    "role": "pupil",
                    "start": s2,
                    "end": s2 + len(SPEECH),
                    "time_start_ms": None,
                },
                {
                    "number": 3,
                    "line": 5,
                    "speaker": "Intervjuare",
                    "role": "interviewer",
                    "start": s3,
                    "end": s3 + 3,
                    "time_start_ms": None,
                },
            ],
            "sentences": [
                {"number": n, "turn": turn, "start": s, "end": e}
                for n, (s, e, turn) in enumerate(sentences, 1)
            ],
        }
    )


def test_rows_cover_every_offset_of_the_speech_exactly_once() -> None:
    doc = document()
    layout = Layout(doc, 20)
    assert [layout.kind[i] for i in range(3)] == [HEADER, TEXT, BLANK]
    turn = doc.turns[1]
    rows = [i for i in range(len(layout)) if layout.kind[i] == TEXT and layout.turn[i] == 1]
    assert layout.start[rows[0]] == turn.start and layout.end[rows[-1]] == turn.end
    for a, b in zip(rows, rows[1:], strict=False):
        assert layout.end[a] == layout.start[b]  # contiguous
        assert layout.end[a] - layout.start[a] <= 21
        assert TEXT_[layout.end[a] - 1] == " "  # broken at a space, kept at the row's end
    for offset in range(turn.start, turn.end):
        row = layout.row_of(offset)
        assert layout.start[row] <= offset < layout.end[row]
    assert layout.offset_at(rows[1], 3) == layout.start[rows[1]] + 3
    assert layout.offset_at(0, 5) == doc.turns[0].start  # a header row gives its turn's start


def test_words_sentences_and_turns_move_the_cursor() -> None:
    doc = document()
    start = doc.turns[1].start
    assert TEXT_[doc.next_word(start) :].startswith("var")
    assert doc.previous_word(start + 5) == start + 4  # inside "var": back to its start
    assert TEXT_[doc.next_sentence(start) :].startswith("Ingen")
    assert doc.next_turn(start) == doc.turns[2].start
    assert doc.previous_turn(start + 3) == start
    assert doc.step(doc.turns[0].end - 1, 1) == start  # over the label into the next speech
    assert doc.clamp(start - 3) == start  # on the label: the speech's first character
    assert clock(83_000) == "1:23" and clock(3_723_000) == "1:02:03" and clock(None) == ""


def test_selections_snap_to_words_and_stay_in_the_turn() -> None:
    doc = document()
    caret = Caret(doc)
    lo = TEXT_.index("yssnade")
    assert TEXT_[slice(*doc.snap(lo, lo + 10))] == "lyssnade på"
    caret.move_to(TEXT_.index("Ingen"))
    caret.extend_word(False)
    assert TEXT_[slice(*caret.span())] == "Ingen"
    caret.extend_word(False)
    caret.extend_word(False)
    caret.extend_word(False)
    caret.extend_word(False)  # past the turn's start: stops there
    assert TEXT_[slice(*caret.span())] == "Det var jobbigt. Ingen"
    caret.select(doc.turns[1].start - 5, doc.turns[2].end)
    assert TEXT_[slice(*caret.span())] == SPEECH
    caret.extend_sentence(True)
    assert caret.span()[1] == doc.turns[1].end


def test_marks_get_stripes_that_overlapping_marks_do_not_share() -> None:
    doc = document()
    rows = [
        {
            "id": 1,
            "code_id": 3,
            "code": "A",
            "code_en": None,
            "colour": None,
            "coder": "a",
            "start": 30,
            "end": 60,
        },
        {
            "id": 2,
            "code_id": 4,
            "code": "B",
            "code_en": "Bee",
            "colour": "#ff0000",
            "coder": "a",
            "start": 40,
            "end": 50,
        },
        {
            "id": 3,
            "code_id": 5,
            "code": "C",
            "code_en": None,
            "colour": "bad",
            "coder": "a",
            "start": 70,
            "end": 80,
        },
    ]
    marks = marks_from(rows)
    assert [m.slot for m in marks] == [0, 1, 0]
    assert marks[1].colour == "#FF0000" and marks[0].colour == PALETTE[3] == code_colour(3, None)
    index = MarkIndex(marks, Layout(doc, 30))
    assert [m.code for m in index.at(45)] == ["B", "A"]  # innermost first
    assert [m.code for m in index.overlapping(55, 75)] == ["A", "C"]
    assert marks[1].label(english=True) == "Bee"


@pytest.mark.parametrize(
    ("typed", "best"),
    [("lysnad pa", "Att bli lyssnad på"), ("trust", "Tillit"), ("stod", "Anpassningar och särskilt stöd")],
)
def test_codes_are_found_fuzzily_in_swedish_and_english(typed: str, best: str) -> None:
    rows = [
        {"id": 1, "name": "Barnets röst", "name_en": "The child's voice", "path": "Barnets röst"},
        {
            "id": 2,
            "name": "Att bli lyssnad på",
            "name_en": "Being listened to",
            "path": "Barnets röst/Att bli lyssnad på",
        },
        {"id": 3, "name": "Tillit", "name_en": "Trust", "path": "Barnets röst/Tillit"},
        {
            "id": 4,
            "name": "Anpassningar och särskilt stöd",
            "name_en": "Adjustments",
            "path": "Skolan/Anpassningar och särskilt stöd",
        },
    ]
    assert scored(rows, typed)[0][0]["name"] == best
    assert scored(rows, "Vuxna som bryr sig") == []
    assert [r["name"] for r in rank(rows, "", recent=["Tillit"])][:2] == ["Tillit", "Barnets röst"]
