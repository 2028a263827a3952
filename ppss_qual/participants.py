"""The participant sheet: a CSV that links transcripts' speakers to participants with roles and attributes."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ppss_qual.errors import InputError
from ppss_qual.model import Role

REQUIRED = ("transcript", "speaker", "participant", "role")
SPECIAL = {"pseudonym"}


@dataclass(frozen=True, slots=True)
class SheetRow:
    line: int
    transcript: str
    speaker: str
    participant: str
    role: Role | None
    pseudonym: str | None
    attributes: dict[str, str] = field(default_factory=dict)


def read_sheet(path: Path) -> tuple[list[SheetRow], list[str]]:
    """Rows of a participant sheet (comma or semicolon; UTF-8 or Windows-1252); errors name file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from exc
    from ppss_qual.importers.encoding import decode

    text, warnings = decode(data, str(path))
    return parse_sheet(text, str(path)), warnings


def parse_sheet(text: str, path: str) -> list[SheetRow]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError(path, "empty participant sheet") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            path,
            f"missing column(s) {', '.join(missing)}; the sheet needs {', '.join(REQUIRED)}, then any attributes",
            line=1,
        )
    rows: list[SheetRow] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise InputError(path, f"{len(values)} cells but the header has {len(header)}", line=line)
        cells = dict(zip(header, (v.strip() for v in values), strict=False))
        for column in ("transcript", "speaker", "participant"):
            if not cells.get(column):
                raise InputError(path, "empty", line=line, field=column)
        role: Role | None = None
        if cells.get("role"):
            try:
                role = Role.parse(cells["role"])
            except ValueError as exc:
                raise InputError(path, str(exc), line=line, field="role") from None
        attributes = {k: v for k, v in cells.items() if k not in REQUIRED and k not in SPECIAL and k and v}
        rows.append(
            SheetRow(
                line,
                cells["transcript"],
                cells["speaker"],
                cells["participant"],
                role,
                cells.get("pseudonym") or None,
                attributes,
            )
        )
    return rows
