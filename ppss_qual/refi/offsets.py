"""Offsets in code points and in UTF-16 code units, and which of the two a file's selections use.

The standard counts Unicode code points; NVivo counts UTF-16 code units, where a character outside the
Basic Multilingual Plane (an emoji) counts 2. Python's string indices are code points.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

CODEPOINTS = "codepoints"
UTF16 = "utf16"
UNITS = (CODEPOINTS, UTF16)
UNIT_NAMES = {CODEPOINTS: "code points", UTF16: "UTF-16 code units"}

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SPACE = re.compile(r"\s+")
_ELLIPSIS = ("…", "...")


class OffsetMap:
    """Converts one text's offsets between code points and UTF-16 code units."""

    __slots__ = ("astral", "length", "u16_length", "u16_starts")

    def __init__(self, text: str):
        self.astral = [m.start() for m in _ASTRAL.finditer(text)]
        self.u16_starts = [p + k for k, p in enumerate(self.astral)]
        self.length = len(text)
        self.u16_length = len(text) + len(self.astral)

    @property
    def same(self) -> bool:
        """Both units agree everywhere in this text."""
        return not self.astral

    def to_utf16(self, cp: int) -> int:
        return cp + bisect_left(self.astral, cp) if self.astral else cp

    def from_utf16(self, u: int) -> int | None:
        """The code point offset of a UTF-16 offset; None when it falls inside a surrogate pair."""
        if not self.astral:
            return u
        k = bisect_left(self.u16_starts, u)
        if k and self.u16_starts[k - 1] == u - 1:
            return None
        return u - k

    def to_codepoints(self, offset: int, unit: str) -> int | None:
        return offset if unit == CODEPOINTS else self.from_utf16(offset)


def same_text(given: str, found: str) -> bool:
    """Whether a selection's own text (its name) is the text found at its offsets.

    XML turns line breaks in attributes into spaces and programs trim or shorten long names (with an
    ellipsis), so white space is compared as single spaces and a shortened name matches its beginning.
    """
    if given == found:
        return True
    a = _SPACE.sub(" ", given).strip()
    b = _SPACE.sub(" ", found).strip()
    if a == b:
        return True
    for mark in _ELLIPSIS:
        if a.endswith(mark):
            a = a[: -len(mark)].rstrip()
            return len(a) >= 8 and b.startswith(a)
    return False


@dataclass(slots=True)
class Evidence:
    """What a file's selections say about their unit."""

    selections: int = 0
    differ: int = 0  # selections whose text depends on the unit
    need_utf16: int = 0  # beyond the text in code points, inside it in UTF-16 units
    need_codepoints: int = 0  # would split a surrogate pair as UTF-16 units
    text_codepoints: int = 0  # the selection's own text matches in code points only
    text_utf16: int = 0
    words_codepoints: int = 0  # both ends on word boundaries in code points (where the units differ)
    words_utf16: int = 0

    def add(self, text: str, omap: OffsetMap, start: int, end: int, name: str | None) -> None:
        self.selections += 1
        if omap.same:
            return
        cp_ok = 0 <= start < end <= omap.length
        u_start, u_end = omap.from_utf16(start), omap.from_utf16(end)
        u_ok = 0 <= start < end <= omap.u16_length and u_start is not None and u_end is not None
        if cp_ok != u_ok:
            if cp_ok:
                self.need_codepoints += 1
            else:
                self.need_utf16 += 1
            return
        if not cp_ok:
            return  # out of range either way: listed by the importer, no evidence
        assert u_start is not None and u_end is not None
        if (u_start, u_end) == (start, end):
            return
        self.differ += 1
        if name:
            cp_match = same_text(name, text[start:end])
            u_match = same_text(name, text[u_start:u_end])
            self.text_codepoints += cp_match and not u_match
            self.text_utf16 += u_match and not cp_match
        self.words_codepoints += _on_word_boundaries(text, start, end)
        self.words_utf16 += _on_word_boundaries(text, u_start, u_end)


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    def cuts(i: int) -> bool:
        return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()

    return not cuts(start) and not cuts(end)


def decide(evidence: Evidence, origin: str | None, stated: str | None = None) -> tuple[str, str]:
    """(unit, why): hard evidence, then what the file states, the selections' own text, word boundaries,
    then the origin (NVivo writes UTF-16 units); code points when nothing tells them apart."""
    e = evidence
    if e.need_utf16 != e.need_codepoints:
        if e.need_utf16 > e.need_codepoints:
            return UTF16, (
                f"{e.need_utf16} selection(s) end beyond the text counted in code points but fit in "
                "UTF-16 code units"
            )
        return CODEPOINTS, f"{e.need_codepoints} selection(s) would split an emoji as UTF-16 code units"
    if stated in UNITS:
        return stated, f"the file says its offsets are {UNIT_NAMES[stated]}"  # type: ignore[index]
    if e.differ == 0 and not (e.need_utf16 or e.need_codepoints):
        return CODEPOINTS, "both units give the same text for every selection (no emoji before them)"
    if e.text_utf16 != e.text_codepoints:
        if e.text_utf16 > e.text_codepoints:
            return UTF16, f"{e.text_utf16} selection(s) hold their own text only as UTF-16 code units"
        return CODEPOINTS, f"{e.text_codepoints} selection(s) hold their own text only as code points"
    best, other = max(e.words_utf16, e.words_codepoints), min(e.words_utf16, e.words_codepoints)
    if best >= 2 * other and best - other >= 3:
        unit = UTF16 if e.words_utf16 > e.words_codepoints else CODEPOINTS
        return unit, (
            f"of {e.differ} selection(s) whose text depends on the unit, {best} fall on word boundaries "
            f"as {UNIT_NAMES[unit]} and {other} the other way"
        )
    if origin and "nvivo" in origin.lower():
        return UTF16, f"the file comes from {origin}, which counts UTF-16 code units"
    return CODEPOINTS, "nothing tells the units apart; the standard's code points"


def gather(items: Iterable[tuple[str, OffsetMap, int, int, str | None]]) -> Evidence:
    evidence = Evidence()
    for text, omap, start, end, name in items:
        evidence.add(text, omap, start, end, name)
    return evidence
