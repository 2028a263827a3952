"""Tell Swedish from English by their commonest words, offline and in microseconds."""

from __future__ import annotations

import re

_SV = frozenset(
    "och att det som en på är av för med till den har de inte om ett men var jag du vi hon han "
    "så kan ska vad när eller mycket bara också efter där hur alltså liksom skolan".split()
)
_EN = frozenset(
    "the and to of a in is that it was for you with on as have be are not this but they at "
    "what so we he she there when about".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str, sample: int = 20_000) -> str:
    """'sv' or 'en' for a text; Swedish wins ties, since most interviews here are Swedish."""
    sv = en = 0
    for m in _WORD.finditer(text, 0, min(len(text), sample)):
        w = m.group().lower()
        sv += w in _SV
        en += w in _EN
    if any(ch in text[:sample] for ch in "åäöÅÄÖ"):
        sv += 5
    return "en" if en > sv else "sv"
