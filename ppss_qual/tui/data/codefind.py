"""Ranking codes for the picker and the codebook filter: fuzzy, in Swedish and English names."""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz, utils

CUTOFF = 60  # below this a hit is noise
CONFIDENT = 80  # a best hit below this is probably not what was meant: offer a new code first
_FOLD = str.maketrans("åäöéèüø", "aaoeeuo")


def fold(text: str) -> str:
    """Lower case, punctuation away, and å ä ö as a o o, so that "stod" finds "stöd"."""
    return utils.default_process(text).translate(_FOLD)


def rank(rows: list[dict[str, Any]], query: str, recent: list[str] | None = None) -> list[dict[str, Any]]:
    """Codebook rows best first; an empty query gives the recent codes first, then tree order."""
    query = query.strip()
    if not query:
        recent = recent or []
        first = [r for name in recent for r in rows if r["name"] == name]
        return first + [r for r in rows if r["name"] not in recent]
    return [row for row, _score in scored(rows, query)]


def scored(rows: list[dict[str, Any]], query: str) -> list[tuple[dict[str, Any], float]]:
    """Rows matching `query` with their scores (0-100), best first.

    Every word typed must match some word of a name (its start, or a close misspelling), as in fzf:
    "lysnad pa" finds "Att bli lyssnad på", and "som" alone does not make "Vuxna som bryr sig" a hit
    for "Hemmet som arena". A parent's name counts for a little less than the code's own.
    """
    words = fold(query).split()
    if not words:
        return []
    out = []
    for r in rows:
        own = max(_match(words, r["name"]), _match(words, r.get("name_en") or ""))
        parent = 0.85 * _match(words, r["path"])
        score = max(own, parent)
        if score >= CUTOFF:
            out.append((r, score))
    out.sort(key=lambda pair: (-pair[1], pair[0]["path"]))
    return out


def _match(words: list[str], name: str) -> float:
    targets = fold(name).split()
    if not targets:
        return 0.0
    return sum(max(_word_score(w, t) for t in targets) for w in words) / len(words)


def _word_score(typed: str, word: str) -> float:
    if word.startswith(typed):
        return 90.0 + 10.0 * len(typed) / len(word)
    return fuzz.ratio(typed, word)


def exact(rows: list[dict[str, Any]], query: str) -> dict[str, Any] | None:
    """The code whose Swedish or English name or path is exactly `query` (case-insensitive)."""
    folded = query.strip().casefold()
    for r in rows:
        if folded in (r["name"].casefold(), (r.get("name_en") or "").casefold(), r["path"].casefold()):
            return r
    return None
