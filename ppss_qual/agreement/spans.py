"""Interval arithmetic on [start, end) spans: unions, overlaps by coder, units touched; never per character."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence

Span = tuple[int, int]


def union(spans: Iterable[Span]) -> list[Span]:
    """The spans merged where they share a character or touch; sorted, disjoint, empty spans dropped.

    Touching spans are merged so that two codings [0, 10) and [10, 20) cover the same text as [0, 20).
    """
    out: list[Span] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def length(spans: Iterable[Span]) -> int:
    """Characters covered by the spans (each counted once)."""
    return sum(e - s for s, e in union(spans))


def mask_lengths(layers: Sequence[Iterable[Span]]) -> dict[int, int]:
    """Characters by which layers cover them: {bitmask of layers: length}; uncovered characters are left out.

    A sweep over the spans' ends, so the cost grows with the number of spans, not with the text's length.
    """
    events: list[tuple[int, int, int]] = []
    for bit, spans in enumerate(layers):
        for s, e in spans:
            if s < e:
                events.append((s, 1, bit))
                events.append((e, -1, bit))
    events.sort()
    counts = [0] * len(layers)
    out: dict[int, int] = defaultdict(int)
    mask = 0
    prev = 0
    for pos, delta, bit in events:
        if mask and pos > prev:
            out[mask] += pos - prev
        counts[bit] += delta
        if counts[bit]:
            mask |= 1 << bit
        else:
            mask &= ~(1 << bit)
        prev = pos
    return dict(out)


def mask_spans(layers: Sequence[Iterable[Span]]) -> list[tuple[int, int, int]]:
    """Maximal (start, end, mask) runs where the set of covering layers stays the same; uncovered runs left out."""
    events: list[tuple[int, int, int]] = []
    for bit, spans in enumerate(layers):
        for s, e in spans:
            if s < e:
                events.append((s, 1, bit))
                events.append((e, -1, bit))
    events.sort()
    counts = [0] * len(layers)
    out: list[tuple[int, int, int]] = []
    mask = 0
    prev = 0
    for pos, delta, bit in events:
        if mask and pos > prev:
            if out and out[-1][1] == prev and out[-1][2] == mask:
                out[-1] = (out[-1][0], pos, mask)
            else:
                out.append((prev, pos, mask))
        counts[bit] += delta
        if counts[bit]:
            mask |= 1 << bit
        else:
            mask &= ~(1 << bit)
        prev = pos
    return out


class Units:
    """A transcript's units (sentences or turns) as sorted, disjoint spans, to find those a span touches."""

    def __init__(self, starts: list[int], ends: list[int]):
        """Units in reading order: starts and ends both ascending, no unit overlapping the next."""
        self.starts = starts
        self.ends = ends

    @classmethod
    def of(cls, spans: Iterable[Span]) -> Units:
        ordered = sorted(spans)
        return cls([s for s, _ in ordered], [e for _, e in ordered])

    def __len__(self) -> int:
        return len(self.starts)

    def touched(self, spans: Iterable[Span]) -> set[int]:
        """Indices of the units sharing at least one character with any of the spans."""
        out: set[int] = set()
        for s, e in spans:
            first = bisect_right(self.ends, s)  # the first unit ending after s
            last = bisect_left(self.starts, e)  # units starting before e
            out.update(range(first, last))
        return out


def clip(spans: Iterable[Span], starts: list[int], ends: list[int]) -> list[Span]:
    """The parts of the spans inside a universe of sorted, disjoint spans (given as their starts and ends)."""
    out: list[Span] = []
    for s, e in spans:
        for k in range(bisect_right(ends, s), bisect_left(starts, e)):
            out.append((max(s, starts[k]), min(e, ends[k])))
    return out


def unit_masks(units: Units, layers: Sequence[Iterable[Span]]) -> dict[int, int]:
    """Units by which layers touch them: {bitmask: number of units}; untouched units are left out."""
    masks: dict[int, int] = defaultdict(int)
    for bit, spans in enumerate(layers):
        for i in units.touched(spans):
            masks[i] |= 1 << bit
    out: dict[int, int] = defaultdict(int)
    for m in masks.values():
        out[m] += 1
    return dict(out)


def within(spans: Iterable[Span], outer: Span) -> list[Span]:
    """The spans lying inside `outer`."""
    return [(s, e) for s, e in spans if outer[0] <= s and e <= outer[1]]
