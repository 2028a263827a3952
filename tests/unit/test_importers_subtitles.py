"""Subtitle importers: WebVTT from Teams and Zoom, SubRip; cues merged into turns with their times."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppss_qual.errors import InputError
from ppss_qual.importers import read_transcript
from ppss_qual.importers.subtitles import parse_srt, parse_vtt

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"


def _rows(turns) -> list[tuple]:
    return [(t.speaker, t.speech, t.time_start_ms, t.time_end_ms) for t in turns]


def test_teams_voices_tags_entities_and_skipped_blocks():
    parsed = read_transcript(DATA / "teams.vtt")
    assert (parsed.name, parsed.source_format, parsed.warnings) == ("teams", "vtt", [])
    assert _rows(parsed.turns) == [
        ("Anna Berg", "Hej och välkommen till samtalet om skolan. Hur har veckan varit?", 1000, 7000),
        (
            "Elev 3",
            "Den har varit jobbig, men bättre än förra & förrförra. Jag kom i tid tre dagar.",
            7200,
            12000,
        ),
        ("Anna Berg", "Bra! <3", 12500, 14000),
    ]


def test_zoom_names_inside_cues_and_short_timings():
    parsed = read_transcript(DATA / "zoom.vtt")
    assert parsed.warnings == []
    assert _rows(parsed.turns) == [
        ("Kurator Lind", "Vi börjar med frånvaron. Den har minskat sedan i höstas.", 1000, 5000),
        ("Förälder", "Det stämmer, han går oftare nu. Det märks hemma.", 5500, 9000),
    ]


def test_srt_with_speakers_and_multiline_cues():
    parsed = read_transcript(DATA / "dialog.srt")
    assert (parsed.name, parsed.source_format, parsed.warnings) == ("dialog", "srt", [])
    assert _rows(parsed.turns) == [
        ("Intervjuare", "Vad tycker du om de nya schemana?", 1000, 3000),
        ("Elev", "Att vi börjar senare är mycket bättre. Jag hinner äta frukost.", 3500, 8250),
        ("Intervjuare", "Tack.", 9000, 10000),
    ]


def test_vtt_without_speakers_is_one_unnamed_turn_with_a_warning():
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHej.\n\n00:00:02.000 --> 00:00:03.500\nHur mår du?\n"
    turns, warnings = parse_vtt(text, path="a.vtt")
    assert _rows(turns) == [(None, "Hej. Hur mår du?", 1000, 3500)]
    assert warnings == ["a.vtt: no speakers found in the cues; imported as one unnamed speaker"]


def test_vtt_without_header_is_read_with_a_warning():
    turns, warnings = parse_vtt("1\n00:00:01.000 --> 00:00:02.000\n<v Elev>Hej.</v>\n", path="a.vtt")
    assert _rows(turns) == [("Elev", "Hej.", 1000, 2000)]
    assert warnings == ["a.vtt: no WEBVTT header; read as WebVTT anyway"]


def test_vtt_header_with_bom_and_header_text(tmp_path: Path):
    path = tmp_path / "möte.vtt"
    body = "WEBVTT Kind: captions\r\nLanguage: sv\r\n\r\n00:01.000 --> 00:02.000\r\n<v Lärare>Hej.</v>\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    parsed = read_transcript(path)
    assert parsed.warnings == []
    assert _rows(parsed.turns) == [("Lärare", "Hej.", 1000, 2000)]


def test_vtt_several_voices_in_one_cue_and_a_loud_voice():
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v.loud Elev 3>Nej!</v> <v Mentor>Jo.</v>\n"
    turns, _ = parse_vtt(text)
    assert _rows(turns) == [("Elev 3", "Nej!", 1000, 3000), ("Mentor", "Jo.", 1000, 3000)]


def test_note_blocks_are_not_speech():
    text = "WEBVTT\n\nNOTE Elev: inte tal\n\n00:00:01.000 --> 00:00:02.000\nI: Hej.\n\nNOTE\nflera rader\n"
    turns, _ = parse_vtt(text)
    assert _rows(turns) == [("I", "Hej.", 1000, 2000)]


@pytest.mark.parametrize("text", ["WEBVTT\n\nNOTE bara en kommentar\n", "Ingen undertext här.\n"])
def test_no_cues_is_an_error(text: str):
    with pytest.raises(InputError, match="no subtitle cues found") as caught:
        parse_vtt(text, path="tom.vtt")
    assert str(caught.value).startswith("tom.vtt:")


def test_srt_without_cues_is_an_error():
    with pytest.raises(InputError, match="no subtitle cues found"):
        parse_srt("1\nHej\n", path="a.srt")


def test_srt_cue_with_a_blank_line_inside_keeps_its_text():
    text = "1\n00:00:01,000 --> 00:00:02,000\nElev: Först\n\nsedan.\n\n2\n00:00:03,000 --> 00:00:04,000\nI: Ok.\n"
    turns, _ = parse_srt(text)
    assert _rows(turns) == [("Elev", "Först sedan.", 1000, 2000), ("I", "Ok.", 3000, 4000)]


def test_srt_formatting_tags_are_stripped():
    text = '1\n00:00:01,000 --> 00:00:02,500\n{\\an8}<font color="red">Rektor: Välkomna</font>\n'
    turns, _ = parse_srt(text)
    assert _rows(turns) == [("Rektor", "Välkomna", 1000, 2500)]


def test_cues_whose_text_is_only_tags_are_an_error():
    with pytest.raises(InputError, match="no text"):
        parse_vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i></i>\n", path="a.vtt")
