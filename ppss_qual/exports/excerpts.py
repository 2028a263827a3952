"""Coded excerpts as a table people paste into their own analysis: .csv, .xlsx or .docx, names replaced."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ppss_qual.errors import InvalidOperation
from ppss_qual.exports.names import NameStep
from ppss_qual.exports.word import add_page_number_footer, new_document, save_atomically
from ppss_qual.files import replacing, write_bytes

COLUMNS = (
    "id",
    "code",
    "transcript",
    "speaker",
    "participant",
    "role",
    "attributes",
    "line",
    "start",
    "end",
    "coder",
    "memo",
    "text",
)
SUFFIXES = (".csv", ".xlsx", ".docx")


def excerpt_rows(
    excerpts: list[dict[str, Any]],
    participants: dict[int, dict[str, Any]],
    texts: dict[int, str],
    step: NameStep,
) -> list[dict[str, Any]]:
    """Rows through the name step: names replaced in every cell, offsets mapped to the replaced text."""
    mapped = {tid: step.source(text, transcript_id=tid) for tid, text in texts.items()}
    rows = []
    for e in excerpts:
        p = participants.get(e["participant_id"]) if e.get("participant_id") is not None else None
        source = mapped[e["transcript_id"]]
        attributes = {k: step.text(v) for k, v in (p["attributes"] if p else {}).items()}
        rows.append(
            {
                "id": e["id"],
                "code": e["code"],
                "transcript": step.text(e["transcript"]),
                "speaker": step.participant(e["speaker"]) if e["speaker"] else "",
                "participant": step.participant(p["name"]) if p else "",
                "role": e["role"] or "",
                "attributes": "; ".join(f"{k}={v}" for k, v in attributes.items()),
                "line": e["line"],
                "start": source.map(e["start"]),
                "end": source.map(e["end"]),
                "coder": e["coder"],
                "memo": step.text(e["memo"]) if e.get("memo") else "",
                "text": step.passage(e["transcript_id"], e["start"], e["text"]),
            }
        )
    return rows


def write_excerpts(rows: list[dict[str, Any]], path: Path, *, title: str = "Coded excerpts") -> None:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidOperation(
            f"{path}: cannot write excerpts as {suffix or '(no extension)'}; use {', '.join(SUFFIXES)}"
        )
    if suffix == ".csv":
        write_bytes(path, _csv(rows).encode("utf-8-sig"))  # a BOM so that Excel shows åäö
    elif suffix == ".xlsx":
        _xlsx(rows, path)
    else:
        _docx(rows, path, title)


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "Excerpts"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column, width in zip("ABCDEFGHIJKLM", (7, 24, 22, 16, 16, 14, 28, 6, 7, 7, 10, 30, 80), strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["M"][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    with replacing(path) as temporary:
        book.save(str(temporary))


def _docx(rows: list[dict[str, Any]], path: Path, title: str) -> None:
    document = new_document()
    document.add_heading(title, level=0)
    body, quote = document.styles["Normal"], document.styles["Quote"]
    for row in rows:
        head = document.add_paragraph(style=body)
        head.add_run(f"{row['code']}").bold = True
        who = ", ".join(x for x in (row["participant"] or row["speaker"], row["role"]) if x)
        head.add_run(
            f" · {row['transcript']}, line {row['line']} ({row['start']}–{row['end']}) · {who} · {row['coder']}"
            f" · #{row['id']}"
        )
        if row["attributes"]:
            head.add_run(f" · {row['attributes']}")
        document.add_paragraph(row["text"], style=quote)
        if row["memo"]:
            document.add_paragraph(style=body).add_run(f"Memo: {row['memo']}").italic = True
    add_page_number_footer(document)
    save_atomically(document, path)
