"""A transcript as the workbench reads it: text, turns, sentences, and the words the cursor moves by."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from ppss_qual.model import Role

# A word, for moving and snapping a selection, is a whitespace-separated token (as DESIGN.md counts words).
TOKEN_RE = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Turn:
    """A speaker turn; start and end cover the speech, never the `Speaker: ` label."""

    number: int
    line: int
    speaker: str | None
    role: str | None
    start: int
    end: int
    time_start_ms: int | None = None

    @property
    def role_swedish(self) -> str | None:
        try:
            return Role(self.role).swedish if self.role else None
        except ValueError:
            return self.role  # a role this version does not know is shown as stored


@dataclass(frozen=True, slots=True)
class Sentence:
    number: int
    turn: int
    start: int
    end: int


def clock(ms: int | None) -> str:
    """A timestamp as h:mm:ss (or m:ss under an hour); empty when unknown."""
    if ms is None:
        return ""
    seconds = ms // 1000
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Document:
    """Offsets are Python string indices into the stored text, start inclusive, end exclusive."""

    def __init__(self, shown: dict[str, Any]):
        self.id: int = shown["id"]
        self.name: str = shown["name"]
        self.text: str = shown["text"] or ""
        self.turns = [
            Turn(
                t["number"], t["line"], t["speaker"], t["role"], t["start"], t["end"], t.get("time_start_ms")
            )
            for t in shown["turns"]
        ]
        self.turns.sort(key=lambda t: t.start)
        self.sentences = sorted(
            (Sentence(s["number"], s["turn"], s["start"], s["end"]) for s in shown["sentences"]),
            key=lambda s: s.start,
        )
        self._turn_starts = [t.start for t in self.turns]
        self._sentence_starts = [s.start for s in self.sentences]
        self._tokens: dict[int, tuple[list[int], list[int]]] = {}

    # -- lookups ----------------------------------------------------------------------------------
    def turn_index(self, offset: int) -> int:
        """The turn holding `offset`, or the next turn when `offset` lies on a label or between turns."""
        if not self.turns:
            return 0
        i = max(bisect_right(self._turn_starts, offset) - 1, 0)
        if offset >= self.turns[i].end and i + 1 < len(self.turns):
            return i + 1
        return i

    def turn_at(self, offset: int) -> Turn:
        return self.turns[self.turn_index(offset)]

    def clamp(self, offset: int) -> int:
        """A cursor position: a character of some turn's speech."""
        if not self.turns:
            return 0
        t = self.turns[self.turn_index(offset)]
        return min(max(offset, t.start), max(t.start, t.end - 1))

    def sentence_index(self, offset: int) -> int | None:
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return i
        return None

    def sentences_between(self, lo: int, hi: int) -> list[Sentence]:
        i = max(bisect_right(self._sentence_starts, lo) - 1, 0)
        out = []
        while i < len(self.sentences) and self.sentences[i].start < hi:
            if self.sentences[i].end > lo:
                out.append(self.sentences[i])
            i += 1
        return out

    def sentence_span(self, offset: int) -> tuple[int, int]:
        """The sentence at `offset` clamped to its turn's speech (the turn when no sentence is there)."""
        t = self.turn_at(offset)
        i = self.sentence_index(offset)
        if i is None:
            return t.start, t.end
        s = self.sentences[i]
        return max(s.start, t.start), min(s.end, t.end)

    def tokens(self, turn_index: int) -> tuple[list[int], list[int]]:
        """Starts and ends of the whitespace-separated words of one turn's speech (computed once)."""
        found = self._tokens.get(turn_index)
        if found is None:
            t = self.turns[turn_index]
            starts, ends = [], []
            for m in TOKEN_RE.finditer(self.text, t.start, t.end):
                starts.append(m.start())
                ends.append(m.end())
            found = self._tokens[turn_index] = (starts, ends)
        return found

    def token_at(self, offset: int) -> tuple[int, int] | None:
        starts, ends = self.tokens(self.turn_index(offset))
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset < ends[i]:
            return starts[i], ends[i]
        return None

    # -- cursor moves -----------------------------------------------------------------------------
    def next_word(self, offset: int) -> int:
        ti = self.turn_index(offset)
        while ti < len(self.turns):
            starts, _ = self.tokens(ti)
            i = bisect_right(starts, offset)
            if i < len(starts):
                return starts[i]
            ti += 1
        return offset

    def previous_word(self, offset: int) -> int:
        ti = self.turn_index(offset)
        while ti >= 0:
            starts, _ = self.tokens(ti)
            i = bisect_left(starts, offset) - 1
            if i >= 0:
                return starts[i]
            ti -= 1
        return offset

    def next_sentence(self, offset: int) -> int:
        i = bisect_right(self._sentence_starts, offset)
        return self.clamp(self.sentences[i].start) if i < len(self.sentences) else offset

    def previous_sentence(self, offset: int) -> int:
        i = bisect_left(self._sentence_starts, offset) - 1
        return self.clamp(self.sentences[i].start) if i >= 0 else offset

    def next_turn(self, offset: int) -> int:
        for t in self.turns[self.turn_index(offset) + 1 :]:
            if t.end > t.start:
                return t.start
        return offset

    def previous_turn(self, offset: int) -> int:
        i = self.turn_index(offset)
        if offset > self.turns[i].start:
            return self.turns[i].start
        for t in reversed(self.turns[:i]):
            if t.end > t.start:
                return t.start
        return offset

    def step(self, offset: int, delta: int) -> int:
        """One character on, crossing from one turn's speech to the next."""
        ti = self.turn_index(offset)
        t = self.turns[ti]
        target = offset + delta
        if t.start <= target < t.end:
            return target
        j = ti + (1 if delta > 0 else -1)
        while 0 <= j < len(self.turns):
            u = self.turns[j]
            if u.end > u.start:
                return u.start if delta > 0 else u.end - 1
            j += 1 if delta > 0 else -1
        return offset

    # -- selections -------------------------------------------------------------------------------
    def snap(self, lo: int, hi: int) -> tuple[int, int] | None:
        """[lo, hi) grown to whole words (lo's word start, hi-1's word end), inside lo's turn."""
        t = self.turn_at(lo)
        lo, hi = max(lo, t.start), min(hi, t.end)
        if hi <= lo:
            return None
        starts, ends = self.tokens(self.turn_index(lo))
        i = bisect_right(starts, lo) - 1
        if i < 0 or lo >= ends[i]:
            i += 1
        j = bisect_right(starts, hi - 1) - 1
        if i >= len(starts) or j < i:
            return None
        return starts[i], ends[j]

    def selection_info(self, lo: int, hi: int) -> tuple[int, list[int]]:
        """The turn number and sentence numbers a selection touches."""
        return self.turn_at(lo).number, [s.number for s in self.sentences_between(lo, hi)]
