"""The transcript reader: wrapped speaker turns, coded passages in colour, coding stripes, cursor and selection.

Built on Textual's Line API (a ScrollView whose `render_line` returns one Strip per display row), so that
only the visible rows are ever drawn and a cursor move redraws the two or three rows it touched.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ppss_qual.tui.data.caret import Caret
from ppss_qual.tui.data.colours import speaker_colour
from ppss_qual.tui.data.document import Document, clock
from ppss_qual.tui.data.layout import HEADER, TEXT, Layout
from ppss_qual.tui.data.marks import STRIPES, Mark, MarkIndex, marks_from

GUTTER = 6  # line numbers: five digits and a space
CACHED_ROWS = 2_000  # drawn rows kept for redrawing; a screenful is about 40
_CONTROL = {i: " " for i in range(32)}


class TranscriptView(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one transcript; its screen binds the keys and calls the methods below."""

    ALLOW_SELECT = False  # the view draws its own selection, at word boundaries
    COMPONENT_CLASSES = {
        "transcript-view--gutter",
        "transcript-view--header",
        "transcript-view--selection",
        "transcript-view--cursor",
        "transcript-view--hit",
        "transcript-view--unlabelled",
        "transcript-view--margin",
    }

    @dataclass
    class CursorMoved(Message):
        """The cursor or the selection changed (the status bar follows it)."""

        view: TranscriptView

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.doc: Document | None = None
        self.caret: Caret | None = None
        self.wrapped: Layout | None = None
        self.index: MarkIndex | None = None
        self.marks: list[Mark] = []
        self.hits: list[tuple[int, int]] = []
        self._hit_starts: list[int] = []
        self.char_mode = False
        self.english = False
        self._cache: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._background_colour: Color | None = None
        self._drag_from: int | None = None

    # -- content ----------------------------------------------------------------------------------
    def load(self, doc: Document, codings: list[dict[str, Any]]) -> None:
        self.doc = doc
        self.caret = Caret(doc)
        self.marks = marks_from(codings)
        self.hits, self._hit_starts = [], []
        self._relayout()
        self.scroll_to(y=0, animate=False)
        self._changed()

    def set_codings(self, codings: list[dict[str, Any]]) -> None:
        self.marks = marks_from(codings)
        if self.wrapped is not None:
            self.index = MarkIndex(self.marks, self.wrapped)
        self._redraw_all()
        self.post_message(self.CursorMoved(self))

    def set_hits(self, hits: list[tuple[int, int]]) -> None:
        self.hits = sorted(hits)
        self._hit_starts = [s for s, _ in self.hits]
        self._redraw_all()

    def marks_at_cursor(self) -> list[Mark]:
        """Codings under the cursor, or overlapping the selection when there is one."""
        if self.index is None or self.caret is None:
            return []
        span = self.caret.span()
        return self.index.overlapping(*span) if span else self.index.at(self.caret.cursor)

    # -- cursor and selection (the screen's actions call these) -----------------------------------
    def apply(self, change: str, *args: Any, **kwargs: Any) -> None:
        """Run one Caret operation by name (e.g. "select_sentence", "extend_word", True) and redraw."""
        if self.caret is None or self.doc is None or not self.doc.turns:
            return
        before = self._touched_rows()
        getattr(self.caret, change)(*args, **kwargs)
        self._changed(before)

    def move(self, offset: int) -> None:
        self.apply("move_to", offset)

    def move_rows(self, delta: int) -> None:
        if self.caret is None or self.wrapped is None:
            return
        row = self.wrapped.row_of(self.caret.cursor)
        column = self.caret.cursor - self.wrapped.start[row]
        target = self.wrapped.text_row_near(row + delta, 1 if delta > 0 else -1)
        self.move(self.wrapped.offset_at(target, column))

    def select_span(self, start: int, end: int) -> None:
        """Select [start, end) and bring it into view (a search hit, an excerpt)."""
        self.apply("select", start, end)
        self.center_cursor()

    def center_cursor(self) -> None:
        if self.caret is not None and self.wrapped is not None:
            row = self.wrapped.row_of(self.caret.cursor)
            self.scroll_to(y=max(row - self.scrollable_content_region.height // 3, 0), animate=False)

    # -- drawing ----------------------------------------------------------------------------------
    def _relayout(self) -> None:
        if self.doc is None:
            return
        width = self.scrollable_content_region.width
        self.wrapped = Layout(self.doc, self._text_width(width))
        self.index = MarkIndex(self.marks, self.wrapped)
        self.virtual_size = Size(width, len(self.wrapped))
        self._redraw_all()

    def _text_width(self, width: int) -> int:
        return width - GUTTER - self._margin_width(width) - 1

    def _margin_width(self, width: int) -> int:
        return 0 if width < 50 else min(32, max(14, width // 4))

    def _redraw_all(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.wrapped is None or self.doc is None:
            return
        width = self.scrollable_content_region.width
        if self.wrapped.width != max(self._text_width(width), 10):
            self._relayout()  # rewrapping a long transcript takes a moment: only when the width changed
            self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._styles.clear()
        self._background_colour = None

    def _style(self, name: str) -> Style:
        """The view's styles, read from CSS once per theme (reading them per row is slow)."""
        style = self._styles.get(name)
        if style is None:
            if name == "base":
                style = self.rich_style
            elif name == "unlabelled":
                style = self.rich_style + self.get_component_rich_style("transcript-view--unlabelled")
            else:
                style = self.get_component_rich_style(f"transcript-view--{name}")
            self._styles[name] = style
        return style

    def _background(self) -> Color:
        if self._background_colour is None:
            self._background_colour = self.background_colors[1]
        return self._background_colour

    def _touched_rows(self) -> tuple[int, int]:
        """The first and last row that show the cursor or the selection."""
        if self.caret is None or self.wrapped is None:
            return (0, -1)
        span = self.caret.span() or (self.caret.cursor, self.caret.cursor + 1)
        lo = min(span[0], self.caret.cursor)
        hi = max(span[1] - 1, self.caret.cursor)
        return self.wrapped.row_of(lo), self.wrapped.row_of(hi)

    def _changed(self, before: tuple[int, int] | None = None) -> None:
        after = self._touched_rows()
        for first, last in (before or (0, -1), after):
            for row in range(first, last + 1):
                self._cache.pop(row, None)
            if last >= first:
                self.refresh_lines(first, last - first + 1)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self))

    def _scroll_to_cursor(self) -> None:
        if self.caret is None or self.wrapped is None:
            return
        row = self.wrapped.row_of(self.caret.cursor)
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if row < top + 1:
            self.scroll_to(y=max(row - 2, 0), animate=False)
        elif row >= top + height - 1:
            self.scroll_to(y=row - height + 3, animate=False)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        if self.wrapped is None or row >= len(self.wrapped):
            return Strip.blank(width, self._style("base"))
        strip = self._cache.get(row)
        if strip is None:
            if len(self._cache) > CACHED_ROWS:  # scrolling through a long transcript: start afresh
                self._cache.clear()
            strip = self._cache[row] = self._render_row(row, width)
        return strip

    def _render_row(self, row: int, width: int) -> Strip:
        assert self.wrapped is not None and self.doc is not None
        layout, base = self.wrapped, self._style("base")
        line = layout.line[row]
        segments = [Segment(f"{line:>5} " if line else " " * GUTTER, self._style("gutter"))]
        kind = layout.kind[row]
        if kind == HEADER:
            segments += self._header(row)
        elif kind == TEXT:
            segments += self._text(row)
        text_end = GUTTER + layout.width + 2
        used = sum(cell_len(seg.text) for seg in segments)
        if used < text_end:
            segments.append(Segment(" " * (text_end - used), base))
        elif used > text_end:  # wide characters: crop the text so the margin stays in its column
            segments = list(Strip(segments).crop(0, text_end))
        segments += self._margin(row, width - text_end)
        return Strip(segments).crop_extend(0, width, base)

    def _header(self, row: int) -> list[Segment]:
        assert self.wrapped is not None and self.doc is not None
        turn = self.doc.turns[self.wrapped.turn[row]]
        style = self._style("header")
        name = Style(color=Color.parse(speaker_colour(turn.role)).rich_color, bold=True)
        out = [Segment(turn.speaker or "", style + name)]
        if turn.role_swedish:
            out.append(Segment(f" · {turn.role_swedish}", style))
        if turn.time_start_ms is not None:
            out.append(Segment(f" · {clock(turn.time_start_ms)}", style))
        out.append(Segment(f"  turn {turn.number}", self._style("gutter")))
        return out

    def _text(self, row: int) -> list[Segment]:
        assert self.wrapped is not None and self.doc is not None and self.caret is not None
        layout, text = self.wrapped, self.doc.text
        rs, re_ = layout.start[row], layout.end[row]
        turn = self.doc.turns[layout.turn[row]]
        base = self._style("base" if turn.speaker is not None else "unlabelled")
        marks = self.index.on_row(row) if self.index else []
        hits = self._hits_between(rs, re_)
        span = self.caret.span()
        cursor = self.caret.cursor
        cuts = {rs, re_}
        for a, b in [(m.start, m.end) for m in marks] + hits + ([span] if span else []):
            cuts.update((min(max(a, rs), re_), min(max(b, rs), re_)))
        if rs <= cursor < re_:
            cuts.update((cursor, cursor + 1))
        points = sorted(cuts)
        out = []
        selection, hit_style, cursor_style = (
            self._style("selection"),
            self._style("hit"),
            self._style("cursor"),
        )
        background = self._background()
        for a, b in zip(points, points[1:], strict=False):
            style = base
            covering = [m for m in marks if m.start <= a < m.end]
            if covering:
                inner = min(covering, key=lambda m: m.end - m.start)
                style = style + _coded_style(inner.colour, background)
            if any(s <= a < e for s, e in hits):
                style = style + hit_style
            if span and span[0] <= a < span[1]:
                style = style + selection
            if a == cursor:
                style = style + cursor_style
            out.append(Segment(text[a:b].translate(_CONTROL), style))
        if rs == re_ and rs == cursor:
            out.append(Segment(" ", base + cursor_style))
        return out

    def _hits_between(self, lo: int, hi: int) -> list[tuple[int, int]]:
        if not self.hits:
            return []
        i = max(bisect_left(self._hit_starts, lo) - 1, 0)
        out = []
        while i < len(self.hits) and self.hits[i][0] < hi:
            if self.hits[i][1] > lo:
                out.append(self.hits[i])
            i += 1
        return out

    def _margin(self, row: int, width: int) -> list[Segment]:
        """Coding stripes (a column per overlapping coding), then the codes' names, cut to `width`."""
        if width <= STRIPES + 2 or self.index is None:
            return []
        marks = self.index.on_row(row)
        margin = self._style("margin")
        stripes = [" "] * STRIPES
        colours: list[Style | None] = [None] * STRIPES
        for m in marks:
            stripes[m.slot], colours[m.slot] = "┃", margin + _fg(m.colour)
        out = [Segment(" ", margin)]
        out += [Segment(c, colours[i] or margin) for i, c in enumerate(stripes)]
        room = width - STRIPES - 2
        out.append(Segment(" ", margin))
        seen: set[str] = set()
        for m in marks:
            label = m.label(self.english)
            if label in seen or room <= 0:
                continue
            if seen:
                out.append(Segment(" · "[:room], margin))
                room -= 3
            seen.add(label)
            if room > 0:
                out.append(Segment(label[:room], margin + _fg(m.colour)))
                room -= len(label)
        return out

    # -- mouse: drag to select, snapped to words unless in character mode -------------------------
    def _offset_at(self, event: events.MouseEvent) -> int | None:
        if self.wrapped is None or not len(self.wrapped):
            return None
        point = event.get_content_offset_capture(self)
        row = self.scroll_offset.y + point.y
        return self.wrapped.offset_at(row, point.x - GUTTER)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at(event)
        if offset is None:
            return
        self.focus()
        self._drag_from = offset
        self.move(offset)
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is not None:
            self._drag_to(event)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is not None:
            self._drag_to(event)
            self._drag_from = None
            self.release_mouse()

    def _drag_to(self, event: events.MouseEvent) -> None:
        offset = self._offset_at(event)
        if offset is None or self.doc is None or self._drag_from is None:
            return
        anchor = self._drag_from
        if offset == anchor:
            self.move(anchor)
            return
        turn = self.doc.turn_at(anchor)
        lo = max(min(anchor, offset), turn.start)
        hi = min(max(anchor, offset) + 1, turn.end)
        span = (lo, hi) if self.char_mode else self.doc.snap(lo, hi)
        if span is None or span[1] <= span[0]:
            return
        self.apply("select", span[0], span[1], head_at_end=offset >= anchor)


_FG: dict[str, Style] = {}
_CODED: dict[tuple[str, Color], Style] = {}


def _fg(colour: str) -> Style:
    style = _FG.get(colour)
    if style is None:
        style = _FG[colour] = Style(color=Color.parse(colour).rich_color)
    return style


def _coded_style(colour: str, background: Color) -> Style:
    """A coded passage's background: its code's colour blended into the view's, so text stays legible."""
    key = (colour, background)
    style = _CODED.get(key)
    if style is None:
        blended = background.blend(Color.parse(colour), 0.45)
        style = _CODED[key] = Style(bgcolor=blended.rich_color)
    return style
