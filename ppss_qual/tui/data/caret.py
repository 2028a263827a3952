"""The cursor and the selection over a document, moved by character, word, sentence and turn."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ppss_qual.tui.data.document import Document


@dataclass(frozen=True, slots=True)
class Selection:
    """A selection inside one turn's speech: `anchor` stays put, `head` moves; [lo, hi) is selected."""

    anchor: int
    head: int

    @property
    def lo(self) -> int:
        return min(self.anchor, self.head)

    @property
    def hi(self) -> int:
        return max(self.anchor, self.head)

    def swapped(self) -> Selection:
        return Selection(self.head, self.anchor)


class Caret:
    """Where the cursor is and what is selected; every selection stays inside one turn's speech."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.cursor = doc.clamp(doc.turns[0].start) if doc.turns else 0
        self.selection: Selection | None = None

    # -- moving without selecting -----------------------------------------------------------------
    def move_to(self, offset: int) -> None:
        self.cursor = self.doc.clamp(offset)
        self.selection = None

    def select(self, lo: int, hi: int, *, head_at_end: bool = True) -> None:
        """Select [lo, hi), clamped to the speech of the turn that holds `lo`."""
        t = self.doc.turn_at(lo)
        lo, hi = max(lo, t.start), min(hi, t.end)
        if hi <= lo:
            self.move_to(lo)
            return
        self._set(Selection(lo, hi) if head_at_end else Selection(hi, lo))

    def select_sentence(self) -> None:
        self.select(*self.doc.sentence_span(self.cursor))

    def select_turn(self) -> None:
        t = self.doc.turn_at(self.cursor)
        self.select(t.start, t.end)

    def clear(self) -> None:
        self.selection = None

    def swap_ends(self) -> None:
        if self.selection:
            self._set(self.selection.swapped())

    # -- extending --------------------------------------------------------------------------------
    def extend_word(self, forward: bool) -> None:
        sel = self.selection
        if sel is None:
            span = self.doc.token_at(self.cursor) or self.doc.token_at(self.doc.next_word(self.cursor))
            if span:
                self.select(*span, head_at_end=forward)
            return
        ti = self.doc.turn_index(sel.lo)
        starts, ends = self.doc.tokens(ti)
        self._extend_units(starts, ends, forward)

    def extend_sentence(self, forward: bool) -> None:
        sel = self.selection
        if sel is None:
            self.select(*self.doc.sentence_span(self.cursor), head_at_end=forward)
            return
        t = self.doc.turn_at(sel.lo)
        sentences = self.doc.sentences_between(t.start, t.end)
        starts = [max(s.start, t.start) for s in sentences]
        ends = [min(s.end, t.end) for s in sentences]
        self._extend_units(starts, ends, forward)

    def _extend_units(self, starts: list[int], ends: list[int], forward: bool) -> None:
        """Move the head one unit (word or sentence): the end of the selection lands on unit ends, the
        start on unit starts; crossing the anchor turns the selection round the anchor's unit."""
        assert self.selection is not None
        anchor, head = self.selection.anchor, self.selection.head
        t = self.doc.turn_at(self.selection.lo)
        if forward:
            if head < anchor:
                i = bisect_right(starts, head)
                if i < len(starts) and starts[i] < anchor:
                    self._extend_to(starts[i], t.start, t.end)
                    return
                j = bisect_left(starts, anchor) - 1  # the unit that ends at the anchor
                anchor = starts[j] if j >= 0 else t.start
            i = bisect_right(ends, max(head, self.selection.anchor))
            self._set(Selection(anchor, ends[i] if i < len(ends) else t.end))
        else:
            if head > anchor:
                i = bisect_left(ends, head) - 1
                if i >= 0 and ends[i] > anchor:
                    self._extend_to(ends[i], t.start, t.end)
                    return
                j = bisect_right(ends, anchor)  # the unit that starts at the anchor
                anchor = ends[j] if j < len(ends) else t.end
            i = bisect_left(starts, min(head, self.selection.anchor)) - 1
            self._set(Selection(anchor, starts[i] if i >= 0 else t.start))

    def extend_char(self, forward: bool) -> None:
        sel = self.selection
        if sel is None:
            t = self.doc.turn_at(self.cursor)
            if t.end <= t.start:
                return
            c = self.cursor
            self._set(Selection(c, c + 1) if forward else Selection(c + 1, c))
            return
        t = self.doc.turn_at(sel.lo)
        self._extend_to(sel.head + (1 if forward else -1), t.start, t.end)

    def _extend_to(self, head: int, start: int, end: int) -> None:
        assert self.selection is not None
        head = min(max(head, start), end)
        if head == self.selection.anchor:
            self.move_to(head)
            return
        self._set(Selection(self.selection.anchor, head))

    def _set(self, sel: Selection) -> None:
        self.selection = sel
        # the cursor sits on the selection's moving end, on a selected character
        self.cursor = self.doc.clamp(sel.head - 1 if sel.head > sel.anchor else sel.head)

    # -- what is selected -------------------------------------------------------------------------
    def span(self) -> tuple[int, int] | None:
        """The selected [start, end), or None."""
        if self.selection is None:
            return None
        return self.selection.lo, self.selection.hi
