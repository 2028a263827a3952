"""The word tokenisation that stored lemmas are aligned with (one regex, used at import and at search)."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Letters and digits, with inner hyphens, apostrophes and colons kept ("PPSS:s", "e-post", "it's").
WORD_RE = re.compile(r"[^\W_]+(?:[-'’:][^\W_]+)*")


def words(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """The word matches of text[start:end], with offsets into `text`."""
    return WORD_RE.finditer(text, start, len(text) if end is None else end)
