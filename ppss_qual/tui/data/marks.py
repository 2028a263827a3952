"""Codings shown over a transcript: where they are, their colours, and their stripe in the margin."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from ppss_qual.tui.data.colours import code_colour
from ppss_qual.tui.data.layout import TEXT, Layout

STRIPES = 3  # columns of coding stripes in the margin; more overlapping codings share the last one


@dataclass(frozen=True, slots=True)
class Mark:
    """One coding as the view draws it."""

    id: int
    code_id: int
    code: str
    code_en: str | None
    colour: str
    coder: str
    start: int
    end: int
    slot: int

    def label(self, english: bool = False) -> str:
        return (self.code_en or self.code) if english else self.code


def marks_from(rows: list[dict[str, Any]]) -> list[Mark]:
    """Marks from `project.codings.in_transcript()` rows, each given a stripe that no overlapping mark uses."""
    ordered = sorted(rows, key=lambda r: (r["start"], -r["end"], r["id"]))
    slot_ends: list[int] = []
    out: list[Mark] = []
    for r in ordered:
        slot = next((i for i, e in enumerate(slot_ends) if e <= r["start"]), len(slot_ends))
        if slot == len(slot_ends):
            slot_ends.append(r["end"])
        else:
            slot_ends[slot] = r["end"]
        out.append(
            Mark(
                r["id"],
                r["code_id"],
                r["code"],
                r.get("code_en"),
                code_colour(r["code_id"], r.get("colour")),
                r["coder"],
                r["start"],
                r["end"],
                min(slot, STRIPES - 1),
            )
        )
    return out


class MarkIndex:
    """Marks by display row, so that drawing a row looks at only the codings on it."""

    def __init__(self, marks: list[Mark], layout: Layout):
        self.marks = marks
        self.by_row: dict[int, list[Mark]] = {}
        for m in marks:
            first = layout.row_of(m.start)
            last = layout.row_of(max(m.end - 1, m.start))
            for row in range(first, last + 1):
                if layout.kind[row] == TEXT:
                    self.by_row.setdefault(row, []).append(m)
        self._starts = [m.start for m in marks]

    def on_row(self, row: int) -> list[Mark]:
        return self.by_row.get(row, [])

    def at(self, offset: int) -> list[Mark]:
        """Marks covering the character at `offset`, innermost (shortest) first."""
        i = bisect_right(self._starts, offset)
        found = [m for m in self.marks[:i] if m.end > offset]
        return sorted(found, key=lambda m: m.end - m.start)

    def overlapping(self, lo: int, hi: int) -> list[Mark]:
        i = bisect_right(self._starts, hi - 1)
        return [m for m in self.marks[:i] if m.end > lo]
