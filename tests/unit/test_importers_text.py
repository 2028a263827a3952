"""Plain-text and Markdown importer: label styles, false positives, turns, timestamps, exact offsets."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from ppss_qual.errors import InputError, UnsupportedFormat
from ppss_qual.importers import SUPPORTED_EXTENSIONS, read_transcript
from ppss_qual.importers.text import clock_ms, parse_text, times

LABELS = Path(__file__).resolve().parents[1] / "data" / "importers" / "labels"
LABEL_FILES = sorted(p for p in LABELS.iterdir() if not p.name.endswith(".json"))


def _expected(path: Path) -> list[dict]:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def _as_dicts(turns, keys) -> list[dict]:
    return [{k: getattr(t, k) for k in keys} for t in turns]


def test_every_label_fixture_has_an_expectation():
    assert len(LABEL_FILES) >= 10
    for path in LABEL_FILES:
        assert path.with_name(path.stem + ".expected.json").is_file(), path


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.name)
def test_label_styles_give_the_expected_turns(path: Path):
    expected = _expected(path)
    keys = ["speaker", "speech", "time_start_ms", "time_end_ms"]
    got = _as_dicts(read_transcript(path).turns, keys)
    for want in expected:
        want.setdefault("time_end_ms", None)
    assert got == expected


def _merged_speakers(turns) -> list[str | None]:
    speakers: list[str | None] = []
    for turn in turns:
        if not speakers or speakers[-1] != turn.speaker:
            speakers.append(turn.speaker)
    return speakers


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.name)
def test_label_styles_with_exact_offsets(path: Path):
    """keep_offsets finds the same speakers, and every speech is exactly its span of the text."""
    text = path.read_text(encoding="utf-8")
    markdown = path.suffix == ".md"
    exact, _ = parse_text(text, markdown=markdown, keep_offsets=True)
    cleaned, _ = parse_text(text, markdown=markdown)
    assert _merged_speakers(exact) == [t.speaker for t in cleaned]
    for turn in exact:
        assert turn.speech_start is not None and turn.speech_end is not None
        assert text[turn.speech_start : turn.speech_end] == turn.speech == turn.speech.strip()
        before = text[text.rfind("\n", 0, turn.speech_start) + 1 : turn.speech_start]
        if turn.speaker:  # the label is before the speech on its line, or on a line of its own above it
            assert turn.speaker in before or not before.strip()


def test_no_labels_gives_one_unnamed_turn_with_a_warning():
    turns, warnings = parse_text("Eleven kom sent.\n\nHon sa: bussen var sen.", path="a.txt")
    assert [(t.speaker, t.speech) for t in turns] == [(None, "Eleven kom sent.\nHon sa: bussen var sen.")]
    assert warnings == ["a.txt: no speaker labels found; imported as one unnamed speaker"]


def test_header_before_the_first_label_is_an_unnamed_turn():
    turns, warnings = parse_text("Fiktiv intervju.\nInspelad i skolan.\n\nI: Hej.\nIP: Hej!\n")
    assert [(t.speaker, t.speech) for t in turns] == [
        (None, "Fiktiv intervju.\nInspelad i skolan."),
        ("I", "Hej."),
        ("IP", "Hej!"),
    ]
    assert warnings == []


def test_consecutive_turns_of_one_speaker_merge_and_blank_lines_go():
    text = "Elev: Först.\n\n\nElev: Sedan.\n   fortsättning   \nLärare: Ja.\nelev: Igen.\nElev: Och igen."
    turns, _ = parse_text(text)
    assert [(t.speaker, t.speech) for t in turns] == [
        ("Elev", "Först.\nSedan.\nfortsättning"),
        ("Lärare", "Ja."),
        ("elev", "Igen.\nOch igen."),
    ]


def test_a_label_without_speech_is_dropped_and_its_neighbours_merge():
    turns, _ = parse_text("Elev: Ett.\nLärare:\nElev: Två.\nLärare: Tre.")
    assert [(t.speaker, t.speech) for t in turns] == [("Elev", "Ett.\nTvå."), ("Lärare", "Tre.")]


@pytest.mark.parametrize(
    ("line", "speaker", "speech", "start", "end"),
    [
        ("Intervjuare: Hej.", "Intervjuare", "Hej.", None, None),
        ("[00:12:03] Intervjuare: Hej.", "Intervjuare", "Hej.", 723000, None),
        ("00:12:03 Intervjuare: Hej.", "Intervjuare", "Hej.", 723000, None),
        ("(12:03) Intervjuare: Hej.", "Intervjuare", "Hej.", 723000, None),
        ("Intervjuare (12:03): Hej.", "Intervjuare", "Hej.", 723000, None),
        ("Intervjuare [01:02:03]: Hej.", "Intervjuare", "Hej.", 3723000, None),
        ("Intervjuare: [00:00:01.5] Hej.", "Intervjuare", "Hej.", 1500, None),
        ("Intervjuare [00:01:00 - 00:01:30]: Hej.", "Intervjuare", "Hej.", 60000, 90000),
        ("Rektor 12:03: Hej.", "Rektor", "Hej.", 723000, None),
        ("**Lärare:** Hej.", "Lärare", "Hej.", None, None),
        ("**Lärare**: Hej.", "Lärare", "Hej.", None, None),
        ("[Rektor] Hej.", "Rektor", "Hej.", None, None),
        ("[Rektor]: Hej.", "Rektor", "Hej.", None, None),
        ("Interviewer – Hej.", "Interviewer", "Hej.", None, None),
        ("Elev 3: Hej.", "Elev 3", "Hej.", None, None),
        ("Anna Berg: Hej.", "Anna Berg", "Hej.", None, None),
        ("Förälder:Hej.", "Förälder", "Hej.", None, None),
        ("  Elev (åk 8) : Hej.", "Elev (åk 8)", "Hej.", None, None),
    ],
)
def test_one_line_label_forms(line, speaker, speech, start, end):
    turns, warnings = parse_text(line)
    assert [(t.speaker, t.speech, t.time_start_ms, t.time_end_ms) for t in turns] == [
        (speaker, speech, start, end)
    ]
    assert warnings == []


@pytest.mark.parametrize(
    "line",
    [
        "Det var så här: jag kom sent.",
        "Vi pratade länge om frånvaron och till slut sa hon: kom tillbaka.",
        "kl. 12:03 ringde mentorn.",
        "Kl. 12:03: ringde mentorn.",
        "Obs: eleven var sjuk.",
        "OBS: eleven var sjuk.",
        "Notera: eleven var sjuk.",
        "Anm: eleven var sjuk.",
        "PS: eleven var sjuk.",
        "[skratt] ja.",
        "[paus]",
        "[ohörbart] sen gick vi.",
        "[Skratt] ja.",
        "Alltså: det funkar.",
        "Frånvaron: den har minskat.",
        "Se https://example.org för mer.",
        "https://example.org",
        "12:03 ringde mentorn.",
        "Hon sa – det är lugnt.",
    ],
)
def test_false_positives_are_not_speakers(line):
    turns, warnings = parse_text(line, path="f.txt")
    assert len(turns) == 1 and turns[0].speaker is None
    assert turns[0].speech == line.strip()
    assert "no speaker labels" in warnings[0]


def test_a_note_word_does_not_become_a_speaker_even_when_it_recurs():
    turns, _ = parse_text("Intervjuare: Hej.\nObs: ett.\nElev: Hej.\nObs: två.")
    assert [t.speaker for t in turns] == ["Intervjuare", "Elev"]
    assert turns[1].speech == "Hej.\nObs: två."


def test_a_capitalised_word_once_is_not_a_speaker_but_it_is_when_it_recurs():
    once, _ = parse_text("Intervjuare: Hej.\nKalle: Hej.\nIntervjuare: Mm.")
    assert [t.speaker for t in once] == ["Intervjuare"]
    twice, _ = parse_text("Intervjuare: Hej.\nKalle: Hej.\nIntervjuare: Mm.\nKalle: Ja.")
    assert [t.speaker for t in twice] == ["Intervjuare", "Kalle", "Intervjuare", "Kalle"]


def test_timestamp_alone_on_a_line_goes_to_the_next_turn():
    turns, _ = parse_text("[00:00:10]\nIntervjuare: Hej.\nElev:\n[00:00:12]\nHej själv.\n[00:00:20]\nMer.")
    assert [(t.speaker, t.speech, t.time_start_ms) for t in turns] == [
        ("Intervjuare", "Hej.", 10000),
        ("Elev", "Hej själv.\nMer.", 12000),
    ]


def test_markdown_marks_are_removed_only_in_markdown_mode():
    text = "# Rubrik\n\n**Elev:** Det var *riktigt* __bra__.\n> citat här\n\n---\n**Elev**: Slut ##"
    md, _ = parse_text(text, markdown=True)
    assert [(t.speaker, t.speech) for t in md] == [
        (None, "Rubrik"),
        ("Elev", "Det var riktigt bra.\ncitat här\nSlut"),
    ]
    plain, _ = parse_text(text)
    assert plain[1].speech == "Det var *riktigt* __bra__.\n> citat här\n---\nSlut ##"


def test_exact_offsets_exclude_label_and_timestamp():
    text = "Fiktiv.\n[00:00:05] Intervjuare: Hej  där. \n  Elev [00:00:07]:  **Ja**\n\nmer\n"
    turns, _ = parse_text(text, keep_offsets=True)
    spans = [(t.speaker, t.speech, t.time_start_ms) for t in turns]
    assert spans == [
        (None, "Fiktiv.", None),
        ("Intervjuare", "Hej  där.", 5000),
        ("Elev", "**Ja**\n\nmer", 7000),
    ]
    for t in turns:
        assert text[t.speech_start : t.speech_end] == t.speech


def test_exact_offsets_keep_repeated_labels_apart():
    text = "Elev: Ett.\nElev: Två."
    turns, _ = parse_text(text, keep_offsets=True)
    assert [t.speech for t in turns] == ["Ett.", "Två."]
    assert [(t.speech_start, t.speech_end) for t in turns] == [(6, 10), (17, 21)]


def test_clock_values():
    assert clock_ms("12:03") == 723000
    assert clock_ms("01:02:03") == 3723000
    assert clock_ms("00:00:01,250") == 1250
    assert clock_ms("00:00:01.5") == 1500
    assert clock_ms("12:75") is None
    assert clock_ms("nej") is None
    assert times("[00:01 - 00:02]") == (1000, 2000)
    assert times(None) == (None, None)


def test_read_transcript_name_format_and_warnings(tmp_path: Path):
    path = tmp_path / "Intervju 3.elev.TXT"
    path.write_text("I: Hej.\nIP: Hej.\n", encoding="utf-8")
    parsed = read_transcript(path)
    assert (parsed.name, parsed.source_format, parsed.source_path) == ("Intervju 3.elev", "txt", str(path))
    assert parsed.exact_text is None and parsed.warnings == []
    md = tmp_path / "b.Md"
    md.write_text("**I:** *Hej*", encoding="utf-8")
    assert read_transcript(md).turns[0].speech == "Hej"


def test_unknown_extension_names_the_file_and_the_supported_ones(tmp_path: Path):
    path = tmp_path / "intervju.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(UnsupportedFormat) as caught:
        read_transcript(path)
    message = str(caught.value)
    assert str(path) in message
    assert all(ext in message for ext in SUPPORTED_EXTENSIONS)
    with pytest.raises(UnsupportedFormat):
        read_transcript(tmp_path / "utan_filändelse")


def test_missing_file_and_file_with_only_timestamps(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_transcript(tmp_path / "saknas.txt")
    path = tmp_path / "tider.txt"
    path.write_text("[00:00:01]\n[00:00:02]\n", encoding="utf-8")
    with pytest.raises(InputError, match="no speech"):
        read_transcript(path)


def test_fifty_thousand_lines_give_every_turn():
    """A large file's turns all come out (its speed is measured by the import benchmark, not here)."""
    rng = random.Random(7)
    words = "jag tycker att det var svårt i skolan när mentorn ringde hem och frågade varför".split()
    labels = ["Intervjuare", "Elev 3", "[00:12:03] IP", "**Lärare:**"]
    lines = []
    for i in range(25_000):
        lines.append(f"{labels[i % 4]}: " + " ".join(rng.choices(words, k=rng.randint(3, 30))))
        lines.append(" ".join(rng.choices(words, k=rng.randint(3, 30))) + " [skratt] kl. 12:03")
    text = "\n".join(lines)
    turns, _ = parse_text(text)
    assert len(turns) == 25_000
    assert [t.speaker for t in turns[:4]] == ["Intervjuare", "Elev 3", "IP", "Lärare"]
