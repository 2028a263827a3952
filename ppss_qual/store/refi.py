"""The SQL of REFI-QDA exchange: everything an export reads at once, and the rows an import adds."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ppss_qual.store import codes as code_store
from ppss_qual.store.changes import Recorder, now
from ppss_qual.store.transcripts import name_key

# ---------------------------------------------------------------------------------------------- export


@dataclass(slots=True)
class ExportRows:
    """A consistent snapshot of what a .qdpx export holds (visible transcripts only)."""

    coders: list[tuple[str, str]]  # (name, guid)
    codes: dict[int, code_store.CodeRow]
    # (id, guid, name, text, language, source_format, imported_by, imported_at)
    transcripts: list[tuple[int, str, str, str, str, str, str, str]]
    # transcript id -> [(number, speaker, start, end, label_start, time_start_ms, time_end_ms)]
    turns: dict[int, list[tuple[int, str | None, int, int, int | None, int | None, int | None]]]
    # (id, transcript id, guid, code id, coder, start, end, created_at), by transcript, start, end
    codings: list[tuple[int, int, str, int, str, int, int, str]]
    # (id, guid, target_kind, target_id, text, author, created_at, updated_at)
    memos: list[tuple[int, str, str, int | None, str, str, str, str]]
    # (id, guid, name, role, pseudonym, attributes, scope transcript id)
    participants: list[tuple[int, str, str, str | None, str | None, dict[str, str], int | None]]
    # (transcript id, label, participant id)
    speakers: list[tuple[int, str, int]] = field(default_factory=list)


def export_rows(conn: sqlite3.Connection) -> ExportRows:
    """Read everything an export needs in a few statements (call inside a read transaction)."""
    transcripts = conn.execute(
        "SELECT id, guid, name, text, language, source_format, imported_by, imported_at FROM transcripts "
        "WHERE deleted = 0 ORDER BY name_key"
    ).fetchall()
    visible = {t[0] for t in transcripts}
    turns: dict[int, list[Any]] = {}
    for tid, *row in conn.execute(
        'SELECT u.transcript_id, u.number, u.speaker, u.start, u."end", u.label_start, u.time_start_ms, '
        "u.time_end_ms FROM turns u JOIN transcripts t ON t.id = u.transcript_id AND t.deleted = 0 "
        "ORDER BY u.transcript_id, u.number"
    ):
        turns.setdefault(tid, []).append(tuple(row))
    codings = conn.execute(
        'SELECT c.id, c.transcript_id, c.guid, c.code_id, c.coder, c.start, c."end", c.created_at '
        "FROM codings c JOIN transcripts t ON t.id = c.transcript_id AND t.deleted = 0 "
        'ORDER BY c.transcript_id, c.start, c."end", c.id'
    ).fetchall()
    memos = conn.execute(
        "SELECT id, guid, target_kind, target_id, text, author, created_at, updated_at FROM memos ORDER BY id"
    ).fetchall()
    participants = [
        (pid, guid, name, role, pseudonym, json.loads(attributes or "{}"), scope)
        for pid, guid, name, role, pseudonym, attributes, scope in conn.execute(
            "SELECT id, guid, name, role, pseudonym, attributes, scope_transcript FROM participants ORDER BY id"
        )
        if scope is None or scope in visible
    ]
    speakers = [
        (tid, label, pid)
        for tid, label, pid in conn.execute(
            "SELECT transcript_id, label, participant_id FROM speakers WHERE participant_id IS NOT NULL ORDER BY id"
        )
        if tid in visible
    ]
    return ExportRows(
        coders=conn.execute("SELECT name, guid FROM coders ORDER BY id").fetchall(),
        codes=code_store.all_codes(conn),
        transcripts=transcripts,
        turns=turns,
        codings=codings,
        memos=memos,
        participants=participants,
        speakers=speakers,
    )


# ---------------------------------------------------------------------------------------------- import

CODING_COLUMNS = ["guid", "transcript_id", "code_id", "coder", "start", "end", "text", "created_at"]
# Page cache for a large import: with SQLite's default (2 MB) the indexes of 100,000s of new codings spill.
BULK_CACHE_KIB = 131_072


@contextmanager
def bulk_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """A larger page cache on this connection for the duration of a bulk write, then the old one."""
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


def guids(conn: sqlite3.Connection, table: str) -> set[str]:
    """Every guid a table holds (table names come from this module's callers, never from a user)."""
    assert table in ("codes", "codings", "memos", "participants", "coders", "transcripts")
    return {r[0] for r in conn.execute(f"SELECT guid FROM {table}")}  # noqa: S608


def id_by_guid(conn: sqlite3.Connection, table: str, guid: str) -> int | None:
    assert table in ("codes", "codings", "memos", "participants", "coders", "transcripts")
    row = conn.execute(f"SELECT id FROM {table} WHERE guid = ?", (guid,)).fetchone()  # noqa: S608
    return None if row is None else int(row[0])


def coders(conn: sqlite3.Connection) -> dict[str, str]:
    """name -> guid."""
    return dict(conn.execute("SELECT name, guid FROM coders").fetchall())


def add_coder(rec: Recorder, name: str, guid: str) -> int:
    return rec.insert("coders", {"name": name, "guid": guid})


def code_ids_by_name(conn: sqlite3.Connection) -> tuple[dict[str, int], dict[str, int]]:
    """(name key -> id, English name key -> id) of the project's codes."""
    by_name: dict[str, int] = {}
    by_english: dict[str, int] = {}
    for cid, key, en_key in conn.execute("SELECT id, name_key, name_en_key FROM codes"):
        by_name[key] = cid
        if en_key:
            by_english[en_key] = cid
    return by_name, by_english


def codings_of(conn: sqlite3.Connection, tid: int) -> set[tuple[int, str, int, int]]:
    """(code id, coder, start, end) of a transcript's codings."""
    return {
        (cid, coder, s, e)
        for cid, coder, s, e in conn.execute(
            'SELECT code_id, coder, start, "end" FROM codings WHERE transcript_id = ?', (tid,)
        )
    }


def add_codings(rec: Recorder, rows: list[tuple[str, int, int, str, int, int, str, str]]) -> list[int]:
    """Codings in bulk as one recorded op, keeping the file's GUIDs and times:
    rows of (guid, transcript id, code id, coder, start, end, text, created_at)."""
    return rec.insert_many("codings", CODING_COLUMNS, rows)


def participant_by_guid(conn: sqlite3.Connection, guid: str) -> int | None:
    return id_by_guid(conn, "participants", guid)


def add_participant(
    rec: Recorder,
    guid: str,
    name: str,
    role: str | None,
    pseudonym: str | None,
    attributes: dict[str, str],
    scope: int | None,
) -> int:
    return rec.insert(
        "participants",
        {
            "guid": guid,
            "name": name,
            "name_key": name_key(name),
            "role": role,
            "pseudonym": pseudonym,
            "attributes": json.dumps(attributes, ensure_ascii=False),
            "scope_transcript": scope,
            "created_at": now(),
        },
    )


def participant_attributes(conn: sqlite3.Connection, pid: int) -> dict[str, str]:
    row = conn.execute("SELECT attributes FROM participants WHERE id = ?", (pid,)).fetchone()
    return json.loads(row[0]) if row else {}


def set_participant_attributes(rec: Recorder, pid: int, attributes: dict[str, str]) -> None:
    rec.update("participants", pid, attributes=json.dumps(attributes, ensure_ascii=False))


def add_speaker(rec: Recorder, tid: int, label: str, pid: int) -> int:
    return rec.insert("speakers", {"transcript_id": tid, "label": label, "participant_id": pid})


def set_transcript_guid(rec: Recorder, tid: int, guid: str) -> None:
    rec.update("transcripts", tid, guid=guid)


def transcript_name(conn: sqlite3.Connection, tid: int) -> str:
    return str(conn.execute("SELECT name FROM transcripts WHERE id = ?", (tid,)).fetchone()[0])


def has_codings(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM codings LIMIT 1").fetchone() is not None


def turn_speakers(conn: sqlite3.Connection, tid: int) -> dict[tuple[int, int], str]:
    """(start, end) -> speaker label of a transcript's turns that have a speaker, in reading order."""
    return {
        (start, end): label
        for start, end, label in conn.execute(
            'SELECT start, "end", speaker FROM turns WHERE transcript_id = ? AND speaker IS NOT NULL '
            "ORDER BY number",
            (tid,),
        )
    }
