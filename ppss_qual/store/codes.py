"""Codes, codings and memos in the project file."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

from ppss_qual.errors import Ambiguous, NotFound
from ppss_qual.store.changes import Recorder, now
from ppss_qual.store.transcripts import name_key

CODE_FIELDS = ("name", "name_en", "definition", "use_when", "not_when", "example", "colour", "keywords")


@dataclass(slots=True)
class CodeRow:
    id: int
    parent_id: int | None
    name: str
    name_en: str | None
    definition: str
    use_when: str
    not_when: str
    example: str
    colour: str | None
    keywords: list[str]
    position: int
    guid: str
    path: str = ""
    depth: int = 0
    children: list[int] = field(default_factory=list)


def all_codes(conn: sqlite3.Connection) -> dict[int, CodeRow]:
    """Every code by id, in tree order (parents before children, siblings by position then name)."""
    rows = conn.execute(
        "SELECT id, parent_id, name, name_en, definition, use_when, not_when, example, colour, keywords, "
        "position, guid FROM codes ORDER BY position, name_key"
    ).fetchall()
    codes = {
        r[0]: CodeRow(
            id=r[0],
            parent_id=r[1],
            name=r[2],
            name_en=r[3],
            definition=r[4],
            use_when=r[5],
            not_when=r[6],
            example=r[7],
            colour=r[8],
            keywords=json.loads(r[9]),
            position=r[10],
            guid=r[11],
        )
        for r in rows
    }
    for c in codes.values():
        if c.parent_id in codes:
            codes[c.parent_id].children.append(c.id)
    ordered: dict[int, CodeRow] = {}

    def visit(c: CodeRow, path: str, depth: int) -> None:
        c.path, c.depth = path, depth
        ordered[c.id] = c
        for child in c.children:
            visit(codes[child], f"{path}/{codes[child].name}", depth + 1)

    for c in codes.values():
        if c.parent_id is None:
            visit(c, c.name, 0)
    return ordered


def resolve(conn: sqlite3.Connection, ref: str, codes: dict[int, CodeRow] | None = None) -> CodeRow:
    """A code by Swedish name (case-insensitive), English name, path `Theme/Code`, or id."""
    codes = codes if codes is not None else all_codes(conn)
    key = name_key(ref)
    for attr in ("name", "name_en"):
        hits = [c for c in codes.values() if getattr(c, attr) and name_key(getattr(c, attr)) == key]
        if hits:
            return hits[0]
    if "/" in ref:
        wanted = [name_key(p) for p in ref.strip("/").split("/")]
        hits = [
            c for c in codes.values() if [name_key(p) for p in c.path.split("/")][-len(wanted) :] == wanted
        ]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise Ambiguous(f"code path {ref!r} matches {', '.join(h.path for h in hits)}")
    if ref.strip().isdigit() and int(ref) in codes:
        return codes[int(ref)]
    raise NotFound(f"no code named {ref!r} (try `ppss-qual codes find {ref!r}`)")


def descendants(codes: dict[int, CodeRow], code_id: int) -> list[int]:
    out: list[int] = []
    stack = list(codes[code_id].children)
    while stack:
        cid = stack.pop()
        out.append(cid)
        stack.extend(codes[cid].children)
    return out


def counts(conn: sqlite3.Connection) -> dict[int, int]:
    return dict(
        conn.execute(
            "SELECT c.code_id, count(*) FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
            "AND t.deleted = 0 GROUP BY c.code_id"
        ).fetchall()
    )


def insert_code(
    rec: Recorder, values: dict[str, Any], coder: str, parent_id: int | None, position: int
) -> int:
    row = {
        "guid": values.get("guid") or str(uuid.uuid4()),
        "parent_id": parent_id,
        "name": values["name"],
        "name_key": name_key(values["name"]),
        "name_en": values.get("name_en") or None,
        "name_en_key": name_key(values["name_en"]) if values.get("name_en") else None,
        "definition": values.get("definition") or "",
        "use_when": values.get("use_when") or "",
        "not_when": values.get("not_when") or "",
        "example": values.get("example") or "",
        "colour": values.get("colour") or None,
        "keywords": json.dumps(values.get("keywords") or [], ensure_ascii=False),
        "position": position,
        "created_at": now(),
        "created_by": coder,
    }
    return rec.insert("codes", row)


def column_values(values: dict[str, Any]) -> dict[str, Any]:
    """Model field values as columns (keys kept in step with names)."""
    out: dict[str, Any] = {}
    for k, v in values.items():
        if k == "keywords":
            out[k] = json.dumps(v or [], ensure_ascii=False)
        elif k == "name":
            out["name"], out["name_key"] = v, name_key(v)
        elif k == "name_en":
            out["name_en"], out["name_en_key"] = (v or None), (name_key(v) if v else None)
        else:
            out[k] = v if v is not None or k == "colour" else ""
    return out


def next_position(conn: sqlite3.Connection, parent_id: int | None) -> int:
    row = conn.execute(
        "SELECT IFNULL(max(position), -1) + 1 FROM codes WHERE parent_id IS ?", (parent_id,)
    ).fetchone()
    return int(row[0])


def name_taken(conn: sqlite3.Connection, name: str, *, english: bool, except_id: int | None = None) -> bool:
    col = "name_en_key" if english else "name_key"
    row = conn.execute(
        f"SELECT id FROM codes WHERE {col} = ? AND id IS NOT ?", (name_key(name), except_id)
    ).fetchone()
    return row is not None


CODING_COLS = 'id, transcript_id, code_id, coder, start, "end", text, created_at, guid'


def codings_overlapping(
    conn: sqlite3.Connection,
    tid: int,
    start: int,
    end: int,
    *,
    code_id: int | None = None,
    coder: str | None = None,
    touching: bool = False,
) -> list[tuple[Any, ...]]:
    """Codings of a transcript that share a character with [start, end) (or touch it)."""
    op_lt, op_gt = ("<=", ">=") if touching else ("<", ">")
    sql = f'SELECT {CODING_COLS} FROM codings WHERE transcript_id = ? AND start {op_lt} ? AND "end" {op_gt} ?'
    args: list[Any] = [tid, end, start]
    if code_id is not None:
        sql += " AND code_id = ?"
        args.append(code_id)
    if coder is not None:
        sql += " AND coder = ?"
        args.append(coder)
    return conn.execute(sql + " ORDER BY start", args).fetchall()


def insert_coding(rec: Recorder, tid: int, code_id: int, coder: str, start: int, end: int, text: str) -> int:
    return rec.insert(
        "codings",
        {
            "guid": str(uuid.uuid4()),
            "transcript_id": tid,
            "code_id": code_id,
            "coder": coder,
            "start": start,
            "end": end,
            "text": text,
            "created_at": now(),
        },
    )


def insert_memo(
    rec: Recorder,
    kind: str,
    target_id: int | None,
    text: str,
    author: str,
    *,
    guid: str | None = None,
    created_at: str | None = None,
    updated_at: str | None = None,
) -> int:
    """A memo on the project (target None), a transcript, a participant, a code or a coding."""
    stamp = now()
    return rec.insert(
        "memos",
        {
            "guid": guid or str(uuid.uuid4()),
            "target_kind": kind,
            "target_id": target_id,
            "text": text,
            "author": author,
            "created_at": created_at or stamp,
            "updated_at": updated_at or created_at or stamp,
        },
    )


CODING_INSERT_COLUMNS = ["guid", "transcript_id", "code_id", "coder", "start", "end", "text", "created_at"]


def insert_codings(rec: Recorder, rows: list[tuple[int, int, str, int, int, str]]) -> list[int]:
    """Many codings at once: rows of (transcript_id, code_id, coder, start, end, text); one recorded op.

    The caller is responsible for the rows not duplicating existing codings (see place_coding for one).
    """
    stamp = now()
    return rec.insert_many(
        "codings",
        CODING_INSERT_COLUMNS,
        [(str(uuid.uuid4()), tid, cid, coder, s, e, text, stamp) for tid, cid, coder, s, e, text in rows],
    )


def ensure_coder(conn: sqlite3.Connection, rec: Recorder, coder: str) -> None:
    if conn.execute("SELECT 1 FROM coders WHERE name = ?", (coder,)).fetchone() is None:
        rec.insert("coders", {"name": coder, "guid": str(uuid.uuid4())})


def excerpt_rows(
    conn: sqlite3.Connection,
    *,
    code_ids: list[int] | None = None,
    transcript_id: int | None = None,
    coder: str | None = None,
) -> list[dict[str, Any]]:
    """Codings with their source: transcript, the turn's speaker and role, the line, and the coding's memo."""
    where = ["t.deleted = 0"]
    args: list[Any] = []
    if code_ids is not None:
        where.append(f"c.code_id IN ({','.join('?' * len(code_ids))})" if code_ids else "0")
        args += code_ids
    if transcript_id is not None:
        where.append("c.transcript_id = ?")
        args.append(transcript_id)
    if coder is not None:
        where.append("c.coder = ?")
        args.append(coder)
    cur = conn.execute(
        "SELECT c.id, k.name, k.id, t.name, t.id, u.speaker, p.role, p.name, p.id, u.number, "
        "u.line + length(substr(t.text, u.start + 1, c.start - u.start)) "
        "- length(replace(substr(t.text, u.start + 1, c.start - u.start), char(10), '')), "
        'c.start, c."end", c.text, c.coder, '
        "(SELECT group_concat(m.text, char(10)) FROM memos m WHERE m.target_kind = 'coding' AND m.target_id = c.id) "
        "FROM codings c JOIN transcripts t ON t.id = c.transcript_id JOIN codes k ON k.id = c.code_id "
        'LEFT JOIN turns u ON u.transcript_id = c.transcript_id AND u.start <= c.start AND c.start < u."end" '
        "LEFT JOIN speakers s ON s.transcript_id = c.transcript_id AND s.label = u.speaker "
        "LEFT JOIN participants p ON p.id = s.participant_id "
        f"WHERE {' AND '.join(where)} ORDER BY t.name_key, c.start, k.name_key, c.coder",
        args,
    )
    keys = (
        "id",
        "code",
        "code_id",
        "transcript",
        "transcript_id",
        "speaker",
        "role",
        "participant",
        "participant_id",
        "turn",
        "line",
        "start",
        "end",
        "text",
        "coder",
        "memo",
    )
    return [dict(zip(keys, row, strict=True)) for row in cur.fetchall()]


def recent_code_names(conn: sqlite3.Connection, coder: str, limit: int) -> list[str]:
    """The codes a coder applied most recently, newest first, each once."""
    rows = conn.execute(
        "SELECT k.name FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.coder = ? "
        "GROUP BY k.id ORDER BY max(c.created_at) DESC, max(c.id) DESC LIMIT ?",
        (coder, limit),
    ).fetchall()
    return [r[0] for r in rows]
