"""Turns and sentences of each transcript as sorted bounds, to find what a span touches by bisection."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Any


class Bounds:
    """The [start, end) segments (turns or sentences) of one transcript, in reading order."""

    __slots__ = ("starts", "ends", "numbers")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.numbers: list[int] = []

    def __len__(self) -> int:
        return len(self.starts)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Indexes (first, last) of the segments that [start, end) shares a character with.

        A span that lies wholly between segments (on a speaker label, say) is given the segment that
        follows it (or the last one), so that every span belongs somewhere. (-1, -1) when there are none.
        """
        n = len(self.starts)
        if n == 0:
            return -1, -1
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
        if first <= last:
            return first, last
        i = first if first < n else n - 1
        return i, i

    def at(self, start: int, end: int) -> int:
        """Index of the segment holding `start` (or the first one the span runs into); -1 when none."""
        return self.span(start, end)[0]


def index(rows: Iterable[tuple[int, int, int, int]]) -> dict[int, Bounds]:
    """Bounds per transcript from (transcript_id, number, start, end) rows in reading order."""
    out: dict[int, Bounds] = {}
    current = -1
    bounds = Bounds()
    for tid, number, start, end in rows:
        if tid != current:
            current = tid
            bounds = out.setdefault(tid, Bounds())
        bounds.starts.append(start)
        bounds.ends.append(end)
        bounds.numbers.append(number)
    return out


SHIFT = 32  # a position in the project: transcript id << SHIFT | offset (texts are far below 4 G characters)


class Segments:
    """Every transcript's turns (or sentences) as sorted numpy arrays of project positions.

    A project position is `transcript_id << 32 | offset`, so one sorted array holds all transcripts and
    one `searchsorted` finds, for many spans at once, the segments they touch.
    """

    def __init__(self, tids: Any, starts: Any, ends: Any, extra: Any = None):
        import numpy as np

        order = np.lexsort((starts, tids))
        self.tids = np.asarray(tids, dtype=np.int64)[order]
        self.starts = (self.tids << SHIFT) | np.asarray(starts, dtype=np.int64)[order]
        self.ends = (self.tids << SHIFT) | np.asarray(ends, dtype=np.int64)[order]
        self.extra = None if extra is None else np.asarray(extra)[order]  # a column kept in step

    @classmethod
    def from_packed(cls, rows: Any, *, extra: bool = False) -> Segments:
        """From the store's packed rows: (transcript_id, "start,end,…"), or "start,end,extra,…" with `extra`."""
        from ppss_qual.analysis.columns import unpack

        tids, values = unpack(rows, 3 if extra else 2)
        return cls(tids, values[:, 0], values[:, 1], values[:, 2] if extra else None)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, ...]]) -> Segments:
        """From (transcript_id, start, end) or (transcript_id, number, start, end) rows, in any order."""
        import numpy as np

        listed = list(rows)
        data = np.array(listed, dtype=np.int64).reshape(-1, len(listed[0]) if listed else 3)
        return cls(data[:, 0], data[:, -2], data[:, -1])

    def __len__(self) -> int:
        return len(self.starts)

    def locate(self, tids: Any, starts: Any, ends: Any) -> tuple[Any, Any]:
        """Indexes (first, last) of the segments each span touches, as Bounds.span does; -1 where none.

        A span between segments (on a speaker label) gets the next segment of its transcript, or the
        last one when it lies after them all.
        """
        import numpy as np

        tids = np.asarray(tids, dtype=np.int64)
        g_start = (tids << SHIFT) | np.asarray(starts, dtype=np.int64)
        g_end = (tids << SHIFT) | np.asarray(ends, dtype=np.int64)
        n = len(self.starts)
        first = np.searchsorted(self.ends, g_start, side="right")
        last = np.searchsorted(self.starts, g_end, side="left") - 1
        gap = first > last
        if gap.any():
            fix = np.minimum(first[gap], n - 1) if n else first[gap]
            if n:
                wrong = self.tids[fix] != tids[gap]  # past the transcript's end: its last segment
                fix = np.where(wrong, fix - 1, fix)
                ok = (fix >= 0) & (self.tids[np.maximum(fix, 0)] == tids[gap])
                fix = np.where(ok, fix, -1)
            else:
                fix = np.full(int(gap.sum()), -1, dtype=np.int64)
            first = first.copy()
            last = last.copy()
            first[gap] = fix
            last[gap] = fix
        return first, last

    def transcript_ends(self) -> Any:
        """For each segment, the index one past the last segment of its transcript."""
        import numpy as np

        change = np.flatnonzero(np.diff(self.tids)) + 1
        bounds = np.concatenate((change, [len(self.tids)]))
        counts = np.diff(np.concatenate(([0], bounds)))
        return np.repeat(bounds, counts)
