"""The pieces of REFI-QDA exchange: description blocks, offset units and how a file's unit is decided."""

from __future__ import annotations

import pytest

from ppss_qual.refi import blocks
from ppss_qual.refi.offsets import CODEPOINTS, UTF16, Evidence, OffsetMap, decide, gather, same_text


@pytest.mark.parametrize(
    ("free", "fields"),
    [
        ("", {"English name": "Being listened to"}),
        ("En definition.\nPå två rader.", {"Use when": "a\n\nb\n  indragen", "Keywords": "lyssna, höra"}),
        ("Bara fri text.", {}),
        ("Text som nämner [ppss_qual] mitt i.", {"Example": '"Citat": med kolon'}),
    ],
)
def test_block_round_trip(free: str, fields: dict[str, str]) -> None:
    text = blocks.compose(free, list(fields.items()))
    assert blocks.split(text) == (free, fields)


def test_block_leaves_out_empty_fields_and_reads_plain_descriptions() -> None:
    assert blocks.compose("Def.", [("English name", None), ("Example", "")]) == "Def."
    assert blocks.split("Only someone else's description") == ("Only someone else's description", {})
    assert blocks.split(None) == ("", {})


def test_times_round_trip() -> None:
    for ms in (0, 999, 3_562, 3_600_000 + 61_001, None):
        assert blocks.parse_ms(blocks.format_ms(ms)) == ms


def test_offset_map() -> None:
    text = "a😀b🙂c"
    omap = OffsetMap(text)
    assert [omap.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert [omap.from_utf16(u) for u in range(8)] == [0, 1, None, 2, 3, None, 4, 5]
    assert OffsetMap("plain").same and OffsetMap("plain").from_utf16(3) == 3


def test_same_text_tolerates_what_xml_and_programs_do() -> None:
    assert same_text("one two", "one\r\ntwo")
    assert same_text("  padded ", "padded")
    assert same_text("A long quotation that …", "A long quotation that goes on and on")
    assert not same_text("Other text", "Some text")
    assert not same_text("Sh…", "Shorter names never match by their beginning alone")


TEXT = "Hej 😀 där, hur mår du? Bra 🙂 tack och du."


def _evidence(spans: list[tuple[int, int, str | None]]) -> Evidence:
    omap = OffsetMap(TEXT)
    return gather((TEXT, omap, s, e, name) for s, e, name in spans)


def test_a_selection_past_the_code_point_end_means_utf16() -> None:
    end16 = OffsetMap(TEXT).u16_length
    unit, why = decide(_evidence([(end16 - 4, end16, None)]), None)
    assert unit == UTF16 and "beyond the text" in why


def test_splitting_a_surrogate_pair_means_code_points() -> None:
    unit, why = decide(_evidence([(5, 8, None)]), "NVivo for Windows 12.6")  # 5 is inside 😀 as UTF-16
    assert unit == CODEPOINTS and "split an emoji" in why


def test_the_selections_own_text_decides() -> None:
    cp = TEXT.index("tack")
    assert decide(_evidence([(cp, cp + 4, "tack")]), "NVivo 12")[0] == CODEPOINTS
    u16 = OffsetMap(TEXT).to_utf16(cp)
    assert decide(_evidence([(u16, u16 + 4, "tack")]), None)[0] == UTF16


def test_origin_breaks_a_tie_and_code_points_are_the_default() -> None:
    tie = _evidence([(TEXT.index("där"), TEXT.index("där") + 3, None)])  # one selection: both readings fit
    assert decide(tie, "NVivo for Mac 12.7")[0] == UTF16
    assert decide(tie, "ATLAS.ti 23")[0] == CODEPOINTS
    assert decide(Evidence(), None) == (CODEPOINTS, decide(Evidence(), None)[1])


def test_what_a_file_states_counts_unless_contradicted() -> None:
    start = TEXT.index("där")
    assert decide(_evidence([(start, start + 3, None)]), None, stated=UTF16)[0] == UTF16
    end16 = OffsetMap(TEXT).u16_length
    assert decide(_evidence([(end16 - 3, end16, None)]), None, stated=CODEPOINTS)[0] == UTF16
