"""Display rows of a transcript wrapped to a width, with the text offsets each row shows."""

from __future__ import annotations

from bisect import bisect_right

from ppss_qual.tui.data.document import Document

HEADER, TEXT, BLANK = 0, 1, 2


class Layout:
    """Row i shows text[start[i]:end[i]] (TEXT), a turn's speaker line (HEADER) or a gap (BLANK).

    Rows of one text line are contiguous: a break's space stays at the end of its row, so every offset
    of the speech belongs to exactly one row, and a row holds at most `width + 1` characters.
    """

    def __init__(self, doc: Document, width: int):
        self.width = max(width, 10)
        self.kind: list[int] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self.turn: list[int] = []
        self.line: list[int] = []  # the stored text's line number to show on this row, 0 for none
        self._text_rows: list[int] = []
        self._text_starts: list[int] = []
        text = doc.text
        for ti, t in enumerate(doc.turns):
            if ti:
                self._add(BLANK, t.start, t.start, ti, 0)
            if t.speaker is not None:
                self._add(HEADER, t.start, t.start, ti, t.line)
            pos, line, first = t.start, t.line, True
            while True:
                nl = text.find("\n", pos, t.end)
                line_end = t.end if nl == -1 else nl
                shown = 0 if first and t.speaker is not None else line
                self._wrap(text, pos, line_end, ti, shown)
                if nl == -1:
                    break
                pos, line, first = nl + 1, line + 1, False

    def _add(self, kind: int, start: int, end: int, turn: int, line: int) -> None:
        if kind == TEXT:
            self._text_rows.append(len(self.kind))
            self._text_starts.append(start)
        self.kind.append(kind)
        self.start.append(start)
        self.end.append(end)
        self.turn.append(turn)
        self.line.append(line)

    def _wrap(self, text: str, pos: int, end: int, turn: int, line: int) -> None:
        width = self.width
        while end - pos > width:
            space = text.rfind(" ", pos, pos + width + 1)
            nxt = space + 1 if space > pos else pos + width
            self._add(TEXT, pos, nxt, turn, line)
            pos, line = nxt, 0
        self._add(TEXT, pos, end, turn, line)

    def __len__(self) -> int:
        return len(self.kind)

    def row_of(self, offset: int) -> int:
        """The text row showing `offset`."""
        if not self._text_rows:
            return 0
        j = bisect_right(self._text_starts, offset) - 1
        return self._text_rows[max(j, 0)]

    def offset_at(self, row: int, column: int) -> int:
        """The offset shown at (row, column); a header or gap row gives its turn's first character."""
        row = min(max(row, 0), len(self.kind) - 1)
        if self.kind[row] != TEXT:
            return self.start[row]
        start, end = self.start[row], self.end[row]
        return min(start + max(column, 0), max(end - 1, start))

    def text_row_near(self, row: int, step: int) -> int:
        """The nearest text row from `row` in direction `step` (+1 or -1), staying in bounds."""
        if not self._text_rows:
            return 0
        row = min(max(row, 0), len(self.kind) - 1)
        for direction in (step, -step):
            r = row
            while 0 <= r < len(self.kind):
                if self.kind[r] == TEXT:
                    return r
                r += direction
        return self._text_rows[0]
