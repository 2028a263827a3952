"""Line numbers of string offsets in a text."""

from __future__ import annotations

import re
from bisect import bisect_right

_NEWLINE = re.compile("\n")


class LineIndex:
    """1-based line numbers of string offsets."""

    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def line(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
