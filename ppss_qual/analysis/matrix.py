"""Code-by-group tables: codings and distinct participants per code and informant group.

A coding belongs to the group of the participant who speaks the turn holding its start. A theme's (or any
parent code's) row counts its sub-codes' codings too, and its participants are those of any of them
(`includes_subcodes` says so). Each code has a row with group "total"; each group a row with code None
(all codes); the grand total is code None, group "total". `codings` counts codings as stored (two coders'
codings of one passage are two); `passages` counts distinct passages (transcript, start, end) instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ppss_qual.analysis.people import NO_VALUE
from ppss_qual.model import Role
from ppss_qual.store.codes import CodeRow

ROLE_GROUPS = (Role.PUPIL.value, Role.PARENT.value, Role.SCHOOL_STAFF.value, Role.SOCIAL_SERVICES.value)
INTERVIEWER = Role.INTERVIEWER.value
TOTAL = "total"


def group_order(groups: Iterable[str], by_role: bool) -> list[str]:
    """Role groups in the informant order, then any others; attribute values in natural order.

    "interviewer" and "(none)" come last, and only when some coding falls in them.
    """
    present = set(groups)
    if by_role:
        order = list(ROLE_GROUPS)
        order += sorted(g for g in present if g not in ROLE_GROUPS and g not in (INTERVIEWER, NO_VALUE))
    else:
        rest = [g for g in present if g not in (INTERVIEWER, NO_VALUE)]
        order = sorted(rest, key=_natural)
    return order + [g for g in (INTERVIEWER, NO_VALUE) if g in present]


def _natural(value: str) -> tuple[Any, ...]:
    """Numbers in numeric order ("2" before "10"), then text in case-insensitive order."""
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value.casefold())


def table(
    codings: Any,
    groups_of: Sequence[str],
    codes: dict[int, CodeRow],
    *,
    by_role: bool,
) -> list[dict[str, Any]]:
    """Rows for every code in tree order, then per group, from an (n, 4) int array of codings:
    (code_id, group index into `groups_of`, participant id or -1, passage id).

    Each coding counts for its code and every ancestor, in its group and in "total"; a virtual code
    (None) collects all codings. Distinct participants and passages are counted on sorted integer keys.
    """
    import numpy as np

    data = np.asarray(codings, dtype=np.int64).reshape(-1, 4)
    present = sorted({int(g) for g in np.unique(data[:, 1])}) if len(data) else []
    names = group_order([groups_of[g] for g in present], by_role)
    column = {name: k for k, name in enumerate(names)}
    remap = np.full(max(len(groups_of), 1), 0, dtype=np.int64)
    for g in present:
        remap[g] = column[groups_of[g]]
    n_groups = len(names) + 1  # the last column is "total"
    ids = list(codes)
    index = {cid: k for k, cid in enumerate(ids)}
    n_codes = len(ids) + 1  # the last row is all codes
    # Each coding for its own code and each ancestor (a family), then all of it again for "all codes".
    code_ix = np.array(
        [index.get(int(c), -1) for c in range(int(data[:, 0].max()) + 1)] if len(data) else [], dtype=np.int64
    )
    own = code_ix[data[:, 0]] if len(data) else np.zeros(0, dtype=np.int64)
    known = own >= 0
    data, own = data[known], own[known]
    parent = np.array(
        [_index_of(index, codes[c].parent_id) for c in ids],
        dtype=np.int64,
    )
    family = [own]
    level = own
    while len(level):
        level = np.where(level >= 0, parent[np.maximum(level, 0)], -1)
        if not (level >= 0).any():
            break
        family.append(level)
    rows_code, rows_keep = [], []
    for f in family:
        keep = f >= 0
        rows_code.append(f[keep])
        rows_keep.append(np.flatnonzero(keep))
    rows_code.append(np.full(len(data), n_codes - 1, dtype=np.int64))
    rows_keep.append(np.arange(len(data)))
    code = np.concatenate(rows_code)
    pick = np.concatenate(rows_keep)
    group = remap[data[pick, 1]]
    pid = data[pick, 2]
    passage = data[pick, 3]
    # A participant, and so a passage, is in one group only: distinct ones are counted per code, and
    # each is put in its group; the "total" column is the sum over the groups.
    cells = n_codes * n_groups
    counted = np.bincount(code * n_groups + group, minlength=cells)
    people = _distinct_per_cell(code, pid, group, n_groups, cells)
    passages = _distinct_per_cell(code, passage, group, n_groups, cells)
    for table in (counted, people, passages):
        grid = table.reshape(n_codes, n_groups)
        grid[:, -1] = grid[:, :-1].sum(axis=1)
    out: list[dict[str, Any]] = []
    labels = [*names, TOTAL]
    for k, cid in enumerate([*ids, None]):
        code_row = codes.get(cid) if cid is not None else None
        for g, label in enumerate(labels):
            c = k * n_groups + g
            out.append(
                {
                    "code": code_row.name if code_row else None,
                    "code_en": code_row.name_en if code_row else None,
                    "code_id": cid,
                    "path": code_row.path if code_row else None,
                    "depth": code_row.depth if code_row else 0,
                    "group": label,
                    "codings": int(counted[c]),
                    "participants": int(people[c]),
                    "passages": int(passages[c]),
                    "includes_subcodes": bool(code_row is not None and code_row.children),
                }
            )
    return out


def _index_of(index: dict[int, int], code_id: int | None) -> int:
    return index.get(code_id, -1) if code_id is not None else -1


DENSE_KEYS = 30_000_000  # distinct keys counted with a boolean array up to this many possible keys


def _distinct_per_cell(code: Any, value: Any, group: Any, n_groups: int, cells: int) -> Any:
    """Distinct values (>= 0) per code, each counted in the cell (code, its group)."""
    import numpy as np

    from ppss_qual.analysis.cooccurrence import sorted_unique

    keep = value >= 0
    code, value, group = code[keep], value[keep], group[keep]
    if len(value) == 0:
        return np.zeros(cells, dtype=np.int64)
    span = int(value.max()) + 1
    group_of = np.zeros(span, dtype=np.int64)
    group_of[value] = group
    keys = code * span + value
    if (int(code.max()) + 1) * span <= DENSE_KEYS:
        seen = np.zeros((int(code.max()) + 1) * span, dtype=bool)
        seen[keys] = True
        keys = np.flatnonzero(seen)
    else:
        keys = sorted_unique(keys)
    return np.bincount((keys // span) * n_groups + group_of[keys % span], minlength=cells)
