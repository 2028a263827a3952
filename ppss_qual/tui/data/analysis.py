"""The analysis screen's pure parts: the code-by-group matrix as a grid, which group an excerpt falls in,
queries for a cell, and where exports go."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ppss_qual.analysis.matrix import INTERVIEWER, TOTAL
from ppss_qual.analysis.people import NO_VALUE, Person
from ppss_qual.model import Role

ROLE = "role"
VALUES = ("codings", "passages", "participants")  # what a matrix cell counts
UNITS = ("turn", "overlap", "sentences:0", "sentences:1", "sentences:2", "sentences:3", "transcript")
ALL_CODES = "*"  # the row key of the "all codes" row


@dataclass(slots=True)
class MatrixRow:
    """One code (or all codes, `code` None) with the facade's row per group."""

    key: str  # the code's path; ALL_CODES for the totals row
    code: str | None
    code_en: str | None
    path: str | None
    depth: int
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)

    def value(self, group: str, what: str) -> int:
        cell = self.cells.get(group)
        return int(cell[what]) if cell else 0


@dataclass(slots=True)
class MatrixGrid:
    """project.analysis.matrix(by=…) as rows of codes by columns of groups, "total" last."""

    by: str
    groups: list[str]
    rows: list[MatrixRow]

    def top(self, what: str) -> int:
        """The largest value of a code in a group (the totals row and column aside): the heat scale's top."""
        return max(
            (r.value(g, what) for r in self.rows if r.code is not None for g in self.groups if g != TOTAL),
            default=0,
        )

    def row(self, key: str) -> MatrixRow | None:
        return next((r for r in self.rows if r.key == key), None)


def matrix_grid(rows: list[dict[str, Any]], by: str) -> MatrixGrid:
    """Group the facade's flat rows (one per code and group) by code, keeping its order of codes and groups."""
    groups = list(dict.fromkeys(r["group"] for r in rows))
    out: dict[str, MatrixRow] = {}
    for r in rows:
        key = r["path"] if r["code"] is not None else ALL_CODES
        row = out.get(key)
        if row is None:
            row = out[key] = MatrixRow(key, r["code"], r.get("code_en"), r["path"], r.get("depth", 0))
        row.cells[r["group"]] = r
    return MatrixGrid(by, groups, list(out.values()))


def group_of(excerpt: dict[str, Any], by: str) -> str:
    """The matrix group an excerpt counts in: its speaker's role, or the value of attribute `by` (speech
    of interviewers apart, "(none)" when unknown), as project.analysis.matrix counts it."""
    role = excerpt.get("role")
    if role == INTERVIEWER:
        return INTERVIEWER
    if by == ROLE:
        return role or NO_VALUE
    return Person(0, "", role, None, dict(excerpt.get("attributes") or {})).attribute(by)


def in_group(excerpt: dict[str, Any], by: str, group: str) -> bool:
    return group == TOTAL or group_of(excerpt, by) == group


def export_roles(by: str, group: str) -> list[str] | None:
    """The roles that select a group's excerpts in an export, or None when no role filter can (the total,
    an attribute's value, speech of no known role)."""
    if by != ROLE or group in (TOTAL, NO_VALUE):
        return None
    try:
        return [Role.parse(group).value]
    except ValueError:
        return None


def quoted(name: str) -> str:
    """A code name or path as one name in the query language (which has no escape for a quote)."""
    return '"' + name.replace('"', "") + '"'


def pair_query(a: str, b: str) -> str:
    """The turns holding both codes: `"A" AND "B"`."""
    return f"{quoted(a)} AND {quoted(b)}"


def file_stem(label: str) -> str:
    """A label as part of a file name: "Att bli lyssnad på" -> "att-bli-lyssnad-på"."""
    stem = re.sub(r"[^\w]+", "-", label.casefold()).strip("-")
    return stem[:60].rstrip("-") or "excerpts"


def exports_folder(project_path: Path) -> Path:
    """`exports/` beside the project file (created when something is written)."""
    return project_path.expanduser().resolve().parent / "exports"


def timestamped(folder: Path, stem: str, suffix: str, now: datetime | None = None) -> Path:
    """folder/stem-YYYYmmdd-HHMMSS.suffix, e.g. exports/network-20250101-120000.png."""
    moment = now or datetime.now()
    return folder / f"{stem}-{moment:%Y%m%d-%H%M%S}{suffix}"
