"""Rows the store packs per transcript ("a,b,a,b,…"), unpacked into numpy columns in one pass."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def unpack(rows: Sequence[tuple[int, str | None]], width: int) -> tuple[Any, Any]:
    """(transcript ids, values) from (transcript_id, packed string) rows: one id and one row per item."""
    import numpy as np

    parts = []
    counts = []
    for _tid, packed in rows:
        values = np.fromstring(packed or "", dtype=np.int64, sep=",")  # text mode: fast and not deprecated
        if len(values) % width:
            raise ValueError(f"a packed row of {len(values)} values is not a multiple of {width}")
        parts.append(values)
        counts.append(len(values) // width)
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros((0, width), dtype=np.int64)
    tids = np.repeat(np.array([t for t, _p in rows], dtype=np.int64), counts)
    return tids, np.concatenate(parts).reshape(-1, width)


def spans(rows: Sequence[tuple[int, str | None]]) -> Any:
    """(transcript_id, code_id, start, end) as an (n, 4) int64 array from packed codings."""
    import numpy as np

    tids, values = unpack(rows, 3)
    return np.column_stack((tids, values)) if len(tids) else np.zeros((0, 4), dtype=np.int64)
