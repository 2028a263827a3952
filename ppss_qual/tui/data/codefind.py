"""Ranking codes for the picker and the codebook filter: fuzzy, in Swedish and English names."""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz, process, utils

CUTOFF = 55  # as `Codebook.find`: below this a hit is noise


def rank(rows: list[dict[str, Any]], query: str, recent: list[str] | None = None) -> list[dict[str, Any]]:
    """Codebook rows best first; an empty query gives the recent codes first, then tree order."""
    query = query.strip()
    if not query:
        recent = recent or []
        first = [r for name in recent for r in rows if r["name"] == name]
        return first + [r for r in rows if r["name"] not in recent]
    choices: dict[int, str] = {}
    for i, r in enumerate(rows):
        choices[3 * i] = r["name"]
        if r.get("name_en"):
            choices[3 * i + 1] = r["name_en"]
        choices[3 * i + 2] = r["path"]
    best: dict[int, float] = {}
    for _choice, score, key in process.extract(
        query, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=None, score_cutoff=CUTOFF
    ):
        i = key // 3
        if key % 3 == 2:
            score *= 0.9  # a hit on a parent's name counts for less than one on the code's own
        best[i] = max(best.get(i, 0.0), float(score))
    folded = query.casefold()
    for i, r in enumerate(rows):  # a plain substring always counts, ahead of fuzzy guesses
        if folded in r["name"].casefold() or folded in (r.get("name_en") or "").casefold():
            best[i] = max(best.get(i, 0.0), 100.0 if r["name"].casefold() == folded else 95.0)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], rows[kv[0]]["path"]))
    return [rows[i] for i, _ in ranked]


def exact(rows: list[dict[str, Any]], query: str) -> dict[str, Any] | None:
    """The code whose Swedish or English name or path is exactly `query` (case-insensitive)."""
    folded = query.strip().casefold()
    for r in rows:
        if folded in (r["name"].casefold(), (r.get("name_en") or "").casefold(), r["path"].casefold()):
            return r
    return None
