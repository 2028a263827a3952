"""Agreement between coders per code and pooled: 2x2 tables and unit profiles built by interval arithmetic."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ppss_qual.agreement.measures import BinaryTally, Table
from ppss_qual.agreement.spans import Span, Units, clip, length, mask_lengths, unit_masks
from ppss_qual.errors import InvalidOperation
from ppss_qual.store import team as team_store
from ppss_qual.store.codes import CodeRow

UNITS = ("char", "sentence", "turn")


@dataclass(slots=True)
class Tally:
    """What one code (or all codes pooled) adds up to: unit profiles for alpha, 2x2 tables per coder pair."""

    profiles: BinaryTally = field(default_factory=BinaryTally)
    pairs: dict[tuple[int, int], Table] = field(default_factory=dict)

    def copy(self) -> Tally:
        out = Tally()
        out.merge(self)
        return out

    def merge(self, other: Tally) -> None:
        self.profiles.merge(other.profiles)
        for pair, table in other.pairs.items():
            self.pairs.setdefault(pair, Table()).add(table)


@dataclass(slots=True)
class Compared:
    """A transcript taking part: the coders who coded it (indices) and its units."""

    id: int
    name: str
    present: tuple[int, ...]
    size: int  # units: characters, sentences or turns
    whole_text: bool = True  # char: every character counts; else only those of the turns' speech
    universe_starts: list[int] = field(default_factory=list)  # the turns' speech, sorted
    universe_ends: list[int] = field(default_factory=list)
    units: Units | None = None  # sentence or turn


def describe(unit: str, speech_only: bool, n_coders: int, transcripts: int) -> str:
    """What the numbers are computed over, in words, for the output."""
    what = {
        "char": (
            "characters of the turns' speech (speaker labels and blank lines left out)"
            if speech_only
            else "characters of the whole stored text (speaker labels and blank lines included, as NVivo)"
        ),
        "sentence": "sentences (a sentence counts as coded when any of its characters is)",
        "turn": "turns (a turn counts as coded when any character of its speech is)",
    }[unit]
    who = "both coders" if n_coders == 2 else "at least two of the coders"
    return (
        f"{what} of the {transcripts} transcript(s) {who} coded (a coding or a done mark); "
        "elsewhere a coder's values are missing"
    )


def agreement(
    conn: sqlite3.Connection,
    coders: list[str],
    *,
    unit: str = "char",
    codes: list[CodeRow],
    only_codes: bool = False,
    tids: list[int] | None = None,
    speech_only: bool = False,
) -> list[dict[str, Any]]:
    """One row per code and a pooled row (code None): percent agreement, kappa (two coders), alpha, units.

    `codes` is every code in tree order; with `only_codes` exactly those are compared, else the codes any
    of the coders applied in the compared transcripts.
    """
    if unit not in UNITS:
        raise InvalidOperation(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    if len(coders) < 2 or len(set(coders)) != len(coders):
        raise InvalidOperation("name at least two different coders, e.g. --coders ylva,omar")
    compared = _compared(conn, coders, unit, tids, speech_only)
    index = {c: i for i, c in enumerate(coders)}
    ids = [c.id for c in codes] if only_codes else None
    groups: dict[tuple[int, int], list[list[Span]]] = {}
    for _id, tid, code_id, coder, s, e in team_store.coding_spans(
        conn, coders=coders, tids=[t.id for t in compared] if tids else None, code_ids=ids
    ):
        layers = groups.get((tid, code_id))
        if layers is None:
            layers = groups[(tid, code_id)] = [[] for _ in coders]
        layers[index[coder]].append((s, e))

    base = Tally()
    for t in compared:
        base.profiles.add(len(t.present), 0, t.size)
        for pair in combinations(t.present, 2):
            base.pairs.setdefault(pair, Table()).neither += t.size
    by_id = {t.id: t for t in compared}
    used = {code_id for tid, code_id in groups if tid in by_id}
    chosen = codes if only_codes else [c for c in codes if c.id in used]
    # Units coded by some coder, per code, by who was present and who coded them: summed first, then
    # moved out of the all-uncoded count of the base tally in one step per kind of unit.
    coded: dict[int, dict[tuple[tuple[int, ...], int], int]] = {c.id: defaultdict(int) for c in chosen}
    for (tid, code_id), layers in groups.items():
        where = by_id.get(tid)  # None: a transcript fewer than two of the coders coded
        if where is not None and code_id in coded:
            into = coded[code_id]
            for mask, count in _group_masks(where, layers, unit).items():
                into[(where.present, mask)] += count
    tallies = {}
    for c in chosen:
        tallies[c.id] = tally = base.copy()
        for (present, mask), count in coded[c.id].items():
            _move(tally, present, mask, count)

    over = describe(unit, speech_only, len(coders), len(compared))
    common = {
        "unit": unit,
        "coders": list(coders),
        "over": over,
        "speech_only": speech_only if unit == "char" else None,
        "transcripts": len(compared),
        "transcript_names": [t.name for t in compared],
    }
    rows = [_row(c.name, c.id, tallies[c.id], coders, common) for c in chosen]
    pooled = Tally()
    for tally in tallies.values():
        pooled.merge(tally)
    rows.append(_row(None, None, pooled, coders, {**common, "codes": len(chosen)}))
    return rows


def _compared(
    conn: sqlite3.Connection, coders: list[str], unit: str, tids: list[int] | None, speech_only: bool
) -> list[Compared]:
    facts = team_store.transcript_facts(conn, tids)
    who = team_store.coders_by_transcript(conn)
    out: list[Compared] = []
    for tid, (name, _hash, size) in facts.items():
        present = tuple(i for i, c in enumerate(coders) if c in who.get(tid, ()))
        if len(present) >= 2:
            out.append(Compared(tid, name, present, size))
    if unit == "char" and not speech_only:
        return out
    table = "sentences" if unit == "sentence" else "turns"
    bounds = team_store.unit_bounds(conn, table, [t.id for t in out])
    for t in out:
        starts, ends = bounds.get(t.id, ([], []))
        if unit == "char":  # the turns' speech
            t.whole_text = False
            t.universe_starts, t.universe_ends = starts, ends
            t.size = sum(ends) - sum(starts)
        else:
            t.units = Units(starts, ends)
            t.size = len(t.units)
    return out


def _group_masks(t: Compared, layers: list[list[Span]], unit: str) -> dict[int, int]:
    """Units of one transcript coded with one code, by the bitmask of the coders who coded them."""
    if not t.whole_text:  # the turns' speech: only the parts of the codings inside it count
        layers = [clip(layer, t.universe_starts, t.universe_ends) for layer in layers]
    filled = [i for i, layer in enumerate(layers) if layer]
    if t.units is not None:
        if len(filled) == 1:  # most often one coder alone: no masks to work out
            return {1 << filled[0]: len(t.units.touched(layers[filled[0]]))}
        return unit_masks(t.units, layers)
    if len(filled) == 1:
        return {1 << filled[0]: length(layers[filled[0]])}
    return mask_lengths(layers)


def _move(tally: Tally, present: tuple[int, ...], mask: int, count: int) -> None:
    """Move `count` units coded by the coders in `mask` out of the all-uncoded count."""
    m_t = len(present)
    tally.profiles.add(m_t, bin(mask).count("1"), count)
    tally.profiles.add(m_t, 0, -count)
    for i, j in combinations(present, 2):
        a, b = bool(mask >> i & 1), bool(mask >> j & 1)
        if not (a or b):
            continue
        table = tally.pairs[(i, j)]
        table.neither -= count
        if a and b:
            table.both += count
        elif a:
            table.only_a += count
        else:
            table.only_b += count


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _row(
    code: str | None, code_id: int | None, tally: Tally, coders: list[str], common: dict[str, Any]
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code,
        "code_id": code_id,
        **common,
        "percent_agreement": _rounded(tally.profiles.percent_agreement(), 2),
        "kappa": None,
        "alpha": _rounded(tally.profiles.alpha(), 4),
        "units": tally.profiles.units,
    }
    if len(coders) == 2:
        table = tally.pairs.get((0, 1), Table())
        row["kappa"] = _rounded(table.kappa(), 4)
        row.update(both=table.both, only_a=table.only_a, only_b=table.only_b, neither=table.neither)
    else:
        row["pairs"] = [
            {
                "coders": [coders[i], coders[j]],
                "kappa": _rounded(table.kappa(), 4),
                "percent_agreement": _rounded(table.percent_agreement(), 2),
                "units": table.n,
                "both": table.both,
                "only_a": table.only_a,
                "only_b": table.only_b,
                "neither": table.neither,
            }
            for (i, j), table in sorted(tally.pairs.items())
        ]
    return row
