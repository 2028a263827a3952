"""Code co-occurrence by unit (overlap, sentences:K, turn, transcript) and its measures.

Definitions (DESIGN.md, "Co-occurrence"):

- `overlap`: the units are coded spans. n_a is the number of distinct spans coded with a (the same span
  coded by several coders counts once); n_ab the number of pairs of such spans, one of each code, that
  share at least one character.
- `sentences:K`: as overlap, but a pair counts when its spans lie within K sentences of each other
  (K = 0: they touch the same sentence).
- `turn` and `transcript`: n_a is the number of units a coding of a touches; n_ab the number of units
  touched by both.

Measures: the count n_ab; Jaccard, ATLAS.ti's c-coefficient n_ab / (n_a + n_b - n_ab); and the overlap
coefficient n_ab / min(n_a, n_b). With span units a pair count can exceed min(n_a, n_b) (one long span of a
overlapping three short spans of b): ATLAS.ti then shows a c-coefficient out of range. Here the measures
are computed from min(n_ab, n_a, n_b), so that they stay within 0 to 1, and the row says `out_of_range`.
`imbalanced` marks pairs where one code is over five times as frequent as the other (ATLAS.ti's yellow dot),
where Jaccard says little and the overlap coefficient is the better guide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ppss_qual.analysis.segments import SHIFT, Segments
from ppss_qual.errors import InvalidOperation

UNIT_KINDS = ("overlap", "turn", "transcript", "sentences")
MEASURES = ("count", "jaccard", "overlap")
IMBALANCE = 5  # one code over five times as frequent as the other


@dataclass(frozen=True, slots=True)
class Unit:
    """What two codes co-occur in: `overlap`, `sentences` (with k), `turn` or `transcript`."""

    kind: str
    k: int = 0

    def __str__(self) -> str:
        return f"sentences:{self.k}" if self.kind == "sentences" else self.kind


def parse_unit(text: str | Unit) -> Unit:
    """`overlap`, `turn`, `transcript` or `sentences:K` (K >= 0; `sentences` alone means K = 0)."""
    if isinstance(text, Unit):
        return text
    kind, _, k = text.strip().lower().partition(":")
    if kind in ("overlap", "turn", "transcript") and not k:
        return Unit(kind)
    if kind == "sentences":
        if not k:
            return Unit("sentences", 0)
        if k.isdigit():
            return Unit("sentences", int(k))
    raise InvalidOperation(
        f"unknown unit {text!r}; use overlap, turn, transcript, or sentences:K with K a whole number >= 0"
    )


def jaccard(n_a: int, n_b: int, n_ab: int) -> float:
    """ATLAS.ti's c-coefficient n_ab / (n_a + n_b - n_ab), with n_ab capped at min(n_a, n_b)."""
    n12 = min(n_ab, n_a, n_b)
    denominator = n_a + n_b - n12
    return n12 / denominator if denominator > 0 else 0.0


def overlap_coefficient(n_a: int, n_b: int, n_ab: int) -> float:
    """n_ab / min(n_a, n_b), with n_ab capped at min(n_a, n_b): not distorted by unequal frequencies."""
    smaller = min(n_a, n_b)
    return min(n_ab, smaller) / smaller if smaller > 0 else 0.0


def imbalanced(n_a: int, n_b: int) -> bool:
    return max(n_a, n_b) > IMBALANCE * min(n_a, n_b)


@dataclass(slots=True)
class Counts:
    """Co-occurrence counts for one unit: `ids` (code ids, ascending), `n_per` (n of each code) and
    `matrix` (n_ab, upper triangle: matrix[i, j] with i < j), all numpy arrays indexed alike."""

    unit: Unit
    ids: Any
    n_per: Any
    matrix: Any

    @property
    def n(self) -> dict[int, int]:
        """n per code id (codes with n > 0)."""
        return {int(self.ids[i]): int(self.n_per[i]) for i in range(len(self.ids)) if self.n_per[i] > 0}

    @property
    def pairs(self) -> dict[tuple[int, int], int]:
        """n_ab per pair of code ids (a < b), for pairs with n_ab > 0."""
        a, b, n_ab = self.arrays()
        return {(x, y): z for x, y, z in zip(a.tolist(), b.tolist(), n_ab.tolist(), strict=True)}

    def arrays(self) -> tuple[Any, Any, Any]:
        """The pairs with n_ab > 0 as three int64 arrays: code id a, code id b (a < b), n_ab."""
        import numpy as np

        i, j = np.nonzero(self.matrix)
        return self.ids[i], self.ids[j], self.matrix[i, j]


DENSE_CELLS = 4_000_000  # units x codes up to which pairs are counted by one matrix product
PAIR_CHUNK = 2_000_000  # span pairs generated at a time


def spans_array(spans: Any) -> Any:
    """(transcript_id, code_id, start, end) rows as an (n, 4) int64 array."""
    import numpy as np

    return np.asarray(spans, dtype=np.int64).reshape(-1, 4)


def count(
    spans: Any,
    unit: Unit,
    *,
    turns: Segments | None = None,
    sentences: Segments | None = None,
) -> Counts:
    """Count co-occurrence over (transcript_id, code_id, start, end) spans (rows or an array), any order.

    Spans that are the same (one transcript, code, start and end: several coders' codings of one passage)
    count once. `turns` is needed for the turn unit, `sentences` for sentences:K. The work is done with
    numpy over whole arrays: spans are located in their turns or sentences by binary search, and pairs are
    counted with bincount, so that 200,000 codings take a fraction of a second.
    """
    import numpy as np

    data = _distinct(spans_array(spans))
    tids, codes, starts, ends = data[:, 0], data[:, 1], data[:, 2], data[:, 3]
    ids = sorted_unique(codes)
    dense = np.searchsorted(ids, codes)
    if unit.kind in ("overlap", "sentences"):
        if unit.kind == "overlap":
            lo = (tids << SHIFT) | starts
            hi = (tids << SHIFT) | ends
        else:
            if sentences is None:
                raise ValueError("the sentences unit needs the transcripts' sentences")
            first, last = sentences.locate(tids, starts, ends)
            keep = first >= 0
            if not keep.all():
                tids, dense, first, last = tids[keep], dense[keep], first[keep], last[keep]
            cap = sentences.transcript_ends()[first] if len(first) else first
            lo, hi = (
                first,
                np.minimum(last + unit.k + 1, cap),
            )  # within k sentences, never past the transcript
        n_per = np.bincount(dense, minlength=len(ids))
        matrix = _interval_pairs(lo, hi, dense, len(ids))
    elif unit.kind in ("turn", "transcript"):
        if unit.kind == "turn":
            if turns is None:
                raise ValueError("the turn unit needs the transcripts' turns")
            first, last = turns.locate(tids, starts, ends)
            keep = first >= 0
            first, last, dense_kept = first[keep], last[keep], dense[keep]
            width = last - first + 1
            units = np.repeat(first, width) + _ragged_steps(width)
            members = np.repeat(dense_kept, width)
        else:
            units, members = tids, dense
        n_per, matrix = _unit_pairs(units, members, len(ids))
    else:
        raise InvalidOperation(f"unknown unit {unit}")
    return Counts(unit, ids, n_per, matrix)


def _distinct(data: Any) -> Any:
    """Rows without repeats (the same passage coded with one code by several coders)."""
    import numpy as np

    if len(data) < 2:
        return data
    # Two int64 keys instead of four columns: (transcript, start) and (code, end).
    k1 = (data[:, 0] << SHIFT) | data[:, 2]
    k2 = (data[:, 1] << SHIFT) | data[:, 3]
    order = np.lexsort((k2, k1))
    k1, k2 = k1[order], k2[order]
    new = np.ones(len(data), dtype=bool)
    new[1:] = (k1[1:] != k1[:-1]) | (k2[1:] != k2[:-1])
    return data[order[new]]


def sorted_unique(values: Any) -> Any:
    """np.unique for integers by sorting (faster here than numpy's hash-based unique)."""
    import numpy as np

    if len(values) == 0:
        return values
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def _ragged_steps(width: Any) -> Any:
    """0, 1, …, w - 1 for each w in `width`, concatenated."""
    import numpy as np

    total = int(width.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(np.cumsum(width) - width, width)
    return np.arange(total, dtype=np.int64) - starts


def _interval_pairs(lo: Any, hi: Any, codes: Any, m: int) -> Any:
    """Pairs of half-open intervals [lo, hi) that intersect, counted per pair of codes (a < b)."""
    import numpy as np

    matrix = np.zeros((m, m), dtype=np.int64)
    if len(lo) < 2:
        return matrix
    order = np.lexsort((hi, lo))
    lo, hi, codes = lo[order], hi[order], codes[order]
    # Sorted by start, the intervals meeting interval i after it are i+1 … reach[i]-1: those starting
    # before it ends.
    reach = np.searchsorted(lo, hi, side="left")
    index = np.arange(len(lo), dtype=np.int64)
    width = np.maximum(reach - index - 1, 0)
    flat = np.zeros(m * m, dtype=np.int64)
    done = 0
    while done < len(lo):  # in chunks, so that millions of pairs never sit in memory at once
        cum = np.cumsum(width[done:])
        stop = done + max(1, int(np.searchsorted(cum, PAIR_CHUNK, side="right")))
        w = width[done:stop]
        left = np.repeat(index[done:stop], w)
        right = left + 1 + _ragged_steps(w)
        a, b = codes[left], codes[right]
        differ = a != b
        a, b = a[differ], b[differ]
        key = np.minimum(a, b) * m + np.maximum(a, b)
        flat += np.bincount(key, minlength=m * m)
        done = stop
    return flat.reshape(m, m)


def _unit_pairs(units: Any, codes: Any, m: int) -> tuple[Any, Any]:
    """Units per code and units per pair of codes (a < b), from (unit, code) rows with repeats."""
    import numpy as np

    keys = sorted_unique(units.astype(np.int64) * m + codes)
    units, codes = keys // m, keys % m
    n_per = np.bincount(codes, minlength=m)
    matrix = np.zeros((m, m), dtype=np.int64)
    if len(keys) < 2:
        return n_per, matrix
    boundaries = np.flatnonzero(np.diff(units)) + 1
    sizes = np.diff(np.concatenate(([0], boundaries, [len(units)])))
    unit_index = np.repeat(np.arange(len(sizes)), sizes)
    if len(sizes) * m <= DENSE_CELLS and int(sizes.max()) > 8:
        # Many codes per unit (whole transcripts): one product of the unit-by-code incidence matrix.
        incidence = np.zeros((len(sizes), m), dtype=np.float64)
        incidence[unit_index, codes] = 1.0
        product = np.rint(incidence.T @ incidence).astype(np.int64)
        return n_per, np.triu(product, 1)
    # Few codes per unit (turns): pair each row with the rows d places on in the same unit.
    flat = np.zeros(m * m, dtype=np.int64)
    for d in range(1, int(sizes.max())):
        same = units[:-d] == units[d:]
        if not same.any():
            break
        flat += np.bincount(codes[:-d][same] * m + codes[d:][same], minlength=m * m)
    return n_per, flat.reshape(m, m)
