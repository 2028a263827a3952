"""Team work in the project file: coders, done marks, codings by coder, settled markers, another project's rows."""

from __future__ import annotations

import operator
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ppss_qual.errors import ProjectError
from ppss_qual.store.changes import Recorder, now
from ppss_qual.store.schema import APPLICATION_ID, MIGRATIONS, migrate


def _marks(values: Iterable[Any]) -> str:
    return ",".join("?" * len(list(values)))


# -- transcripts and units ----------------------------------------------------------------------------
def transcript_facts(
    conn: sqlite3.Connection, tids: list[int] | None = None
) -> dict[int, tuple[str, str, int]]:
    """(name, content hash, length in characters) of visible transcripts, by id, in name order."""
    sql = "SELECT id, name, hash, length(text) FROM transcripts WHERE deleted = 0"
    args: list[Any] = []
    if tids is not None:
        sql += f" AND id IN ({_marks(tids)})"
        args = list(tids)
    return {r[0]: (r[1], r[2], int(r[3])) for r in conn.execute(sql + " ORDER BY name_key", args)}


def transcript_text(conn: sqlite3.Connection, tid: int) -> str:
    return str(conn.execute("SELECT text FROM transcripts WHERE id = ?", (tid,)).fetchone()[0])


def unit_bounds(
    conn: sqlite3.Connection, table: str, tids: list[int]
) -> dict[int, tuple[list[int], list[int]]]:
    """The starts and ends of each transcript's turns (their speech) or sentences, in reading order.

    Read as one string of offsets per transcript: half a million sentences come back in a fraction of
    the time that a row each takes. Empty units (a turn with no speech) are left out.
    """
    if table not in ("turns", "sentences"):
        raise ValueError(table)
    out: dict[int, tuple[list[int], list[int]]] = {}
    if not tids:
        return out
    for tid, starts_text, ends_text in conn.execute(
        f'SELECT transcript_id, group_concat(start), group_concat("end") FROM '
        f'(SELECT transcript_id, start, "end" FROM {table} WHERE transcript_id IN ({_marks(tids)}) '
        "ORDER BY transcript_id, number) GROUP BY transcript_id",
        tids,
    ):
        starts = list(map(int, starts_text.split(",")))
        ends = list(map(int, ends_text.split(",")))
        if any(map(operator.ge, starts, ends)):
            kept = [(s, e) for s, e in zip(starts, ends, strict=True) if s < e]
            starts, ends = [s for s, _e in kept], [e for _s, e in kept]
        out[tid] = (starts, ends)
    return out


def coders_by_transcript(conn: sqlite3.Connection) -> dict[int, set[str]]:
    """Who has coded each visible transcript: at least one coding in it, or marked it done."""
    out: dict[int, set[str]] = defaultdict(set)
    for tid, coder in conn.execute(
        "SELECT DISTINCT c.transcript_id, c.coder FROM codings c "
        "JOIN transcripts t ON t.id = c.transcript_id AND t.deleted = 0 "
        "UNION SELECT s.transcript_id, s.coder FROM transcript_status s "
        "JOIN transcripts t ON t.id = s.transcript_id AND t.deleted = 0"
    ):
        out[tid].add(coder)
    return out


def coding_spans(
    conn: sqlite3.Connection,
    *,
    coders: list[str] | None = None,
    tids: list[int] | None = None,
    code_ids: list[int] | None = None,
) -> list[tuple[int, int, int, str, int, int]]:
    """(id, transcript_id, code_id, coder, start, end) of codings in visible transcripts, in no set order."""
    where = ["t.deleted = 0"]
    args: list[Any] = []
    for column, values in (("c.coder", coders), ("c.transcript_id", tids), ("c.code_id", code_ids)):
        if values is not None:
            where.append(f"{column} IN ({_marks(values)})" if values else "0")
            args += list(values)
    return conn.execute(
        'SELECT c.id, c.transcript_id, c.code_id, c.coder, c.start, c."end" FROM codings c '
        "JOIN transcripts t ON t.id = c.transcript_id "
        f"WHERE {' AND '.join(where)}",
        args,
    ).fetchall()


def coding_rows(conn: sqlite3.Connection, tid: int) -> list[dict[str, Any]]:
    """A transcript's codings with their code, for showing one coder's, everyone's, or the differences."""
    cur = conn.execute(
        'SELECT c.id, c.code_id, k.name, k.name_en, k.colour, c.coder, c.start, c."end", c.text '
        'FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.transcript_id = ? ORDER BY c.start, c."end"',
        (tid,),
    )
    cols = ["id", "code_id", "code", "code_en", "colour", "coder", "start", "end", "text"]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


# -- coders and done marks -----------------------------------------------------------------------------
def coder_summary(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every coder known to the project with their codings, transcripts coded and transcripts marked done."""
    names: set[str] = {r[0] for r in conn.execute("SELECT name FROM coders")}
    codings: dict[str, tuple[int, int]] = {}
    for coder, n, t in conn.execute(
        "SELECT c.coder, count(*), count(DISTINCT c.transcript_id) FROM codings c "
        "JOIN transcripts t ON t.id = c.transcript_id AND t.deleted = 0 GROUP BY c.coder"
    ):
        codings[coder] = (n, t)
    done: dict[str, list[str]] = defaultdict(list)
    for coder, name in conn.execute(
        "SELECT s.coder, t.name FROM transcript_status s JOIN transcripts t ON t.id = s.transcript_id "
        "AND t.deleted = 0 ORDER BY t.name_key"
    ):
        done[coder].append(name)
    names |= set(codings) | set(done)
    return [
        {
            "coder": name,
            "codings": codings.get(name, (0, 0))[0],
            "transcripts_coded": codings.get(name, (0, 0))[1],
            "done": len(done.get(name, [])),
            "done_transcripts": done.get(name, []),
        }
        for name in sorted(names, key=str.casefold)
    ]


def done_mark(conn: sqlite3.Connection, tid: int, coder: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM transcript_status WHERE transcript_id = ? AND coder = ?", (tid, coder)
    ).fetchone()
    return None if row is None else int(row[0])


def insert_done(rec: Recorder, tid: int, coder: str, done_at: str | None = None) -> int:
    return rec.insert(
        "transcript_status", {"transcript_id": tid, "coder": coder, "done_at": done_at or now()}
    )


# -- settlements ---------------------------------------------------------------------------------------
def settled_both(conn: sqlite3.Connection) -> set[str]:
    """Keys of disagreements settled with both versions kept: they stay off the list while unchanged."""
    return {r[0] for r in conn.execute("SELECT disagreement FROM settlements WHERE take = 'both'")}


def insert_settlement(
    rec: Recorder,
    key: str,
    tid: int,
    code_id: int,
    coders: list[str],
    take: str,
    start: int,
    end: int,
    by: str,
    at: str | None = None,
) -> int:
    return rec.insert(
        "settlements",
        {
            "disagreement": key,
            "transcript_id": tid,
            "code_id": code_id,
            "coders": ",".join(coders),
            "take": take,
            "start": start,
            "end": end,
            "settled_by": by,
            "settled_at": at or now(),
        },
    )


def settlement_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every settlement, newest first, with its transcript's and code's names."""
    return rows_of(
        conn,
        'SELECT s.id, s.disagreement, t.name AS transcript, k.name AS code, s.coders, s.take, s.start, s."end", '
        "s.settled_by, s.settled_at, s.transcript_id, s.code_id FROM settlements s "
        "JOIN transcripts t ON t.id = s.transcript_id AND t.deleted = 0 "
        "LEFT JOIN codes k ON k.id = s.code_id ORDER BY s.id DESC",
    )


def settlement_exists(conn: sqlite3.Connection, key: str, take: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM settlements WHERE disagreement = ? AND take = ?", (key, take)).fetchone()
        is not None
    )


def memos_on_codings(conn: sqlite3.Connection, coding_ids: list[int]) -> list[tuple[int, int]]:
    """(memo id, coding id) of memos written on any of the codings."""
    if not coding_ids:
        return []
    return conn.execute(
        f"SELECT id, target_id FROM memos WHERE target_kind = 'coding' AND target_id IN ({_marks(coding_ids)})",
        coding_ids,
    ).fetchall()


# -- another project, read only ------------------------------------------------------------------------
def open_other(path: Path) -> sqlite3.Connection:
    """Another ppss_qual project opened for reading only; an older schema is brought up to date in memory.

    It is opened as usual with writing switched off (query_only), so that closing it tidies its WAL
    files away; a file we may not write to is opened read-only instead.
    """
    if not path.is_file():
        raise ProjectError(f"{path}: no project file here")
    try:
        try:
            conn = sqlite3.connect(
                f"file:{path.resolve()}?mode=rw", uri=True, isolation_level=None, timeout=5
            )
        except sqlite3.OperationalError:
            conn = sqlite3.connect(
                f"file:{path.resolve()}?mode=ro", uri=True, isolation_level=None, timeout=5
            )
        conn.execute("PRAGMA query_only=ON")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path}: not a ppss_qual project file ({exc})") from exc
    if app_id != APPLICATION_ID:
        conn.close()
        raise ProjectError(f"{path}: not a ppss_qual project file")
    if version > len(MIGRATIONS):
        conn.close()
        raise ProjectError(
            f"{path}: made by a newer ppss_qual (schema {version}; this version knows {len(MIGRATIONS)})"
        )
    if version < len(MIGRATIONS):
        # An older copy is brought up to date in memory, never on disk: the copy stays as it is, and no
        # second copy of the data is left in a temporary file.
        memory = sqlite3.connect(":memory:", isolation_level=None)
        conn.backup(memory)
        conn.close()
        memory.execute("BEGIN")
        migrate(memory)
        memory.execute("COMMIT")
        return memory
    return conn


def rows_of(conn: sqlite3.Connection, sql: str, args: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, list(args))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


TRANSCRIPT_COLUMNS = (
    "guid, name, text, hash, language, words, source_path, source_format, imported_at, imported_by"
)
TURN_COLUMNS = 'number, line, speaker, start, "end", label_start, time_start_ms, time_end_ms'
SENTENCE_COLUMNS = 'number, turn, line, start, "end", lemmas'


def other_transcripts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return rows_of(conn, f"SELECT id, {TRANSCRIPT_COLUMNS} FROM transcripts WHERE deleted = 0 ORDER BY id")


def segment_rows(conn: sqlite3.Connection, table: str, tid: int) -> list[tuple[Any, ...]]:
    cols = {"turns": TURN_COLUMNS, "sentences": SENTENCE_COLUMNS}[table]
    return conn.execute(
        f"SELECT {cols} FROM {table} WHERE transcript_id = ? ORDER BY number", (tid,)
    ).fetchall()


def forms_of(conn: sqlite3.Connection, language: str) -> list[tuple[str, str, str]]:
    return conn.execute("SELECT language, form, lemma FROM forms WHERE language = ?", (language,)).fetchall()


def speaker_rows(conn: sqlite3.Connection, tid: int) -> list[dict[str, Any]]:
    return rows_of(
        conn, "SELECT id, label, participant_id FROM speakers WHERE transcript_id = ? ORDER BY id", (tid,)
    )


def participant_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return rows_of(
        conn,
        "SELECT id, guid, name, name_key, role, pseudonym, attributes, scope_transcript, created_at "
        "FROM participants ORDER BY id",
    )


def memo_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return rows_of(
        conn,
        "SELECT id, guid, target_kind, target_id, text, author, created_at, updated_at FROM memos ORDER BY id",
    )


def status_rows(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    return conn.execute("SELECT transcript_id, coder, done_at FROM transcript_status ORDER BY id").fetchall()


def coder_guids(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT name, guid FROM coders").fetchall())


def guid_taken(conn: sqlite3.Connection, table: str, guid: str) -> bool:
    if table not in ("transcripts", "participants", "codes", "memos", "coders"):
        raise ValueError(table)
    return conn.execute(f"SELECT 1 FROM {table} WHERE guid = ?", (guid,)).fetchone() is not None


def memo_guids(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT guid FROM memos")}


# -- writing another project's rows into this one --------------------------------------------------------
def copy_transcript(
    conn: sqlite3.Connection,
    rec: Recorder,
    row: dict[str, Any],
    name: str,
    turns: list[tuple[Any, ...]],
    sentences: list[tuple[Any, ...]],
) -> int:
    """Store a transcript with its turns and sentences as they are (no re-analysis); undo hides it again."""
    from ppss_qual.store.transcripts import name_key

    guid = row["guid"] if not guid_taken(conn, "transcripts", row["guid"]) else str(uuid.uuid4())
    cur = conn.execute(
        "INSERT INTO transcripts (guid, name, name_key, text, hash, language, words, source_path, "
        "source_format, imported_at, imported_by, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,1)",
        (
            guid,
            name,
            name_key(name),
            row["text"],
            row["hash"],
            row["language"],
            row["words"],
            row["source_path"],
            row["source_format"],
            row["imported_at"],
            row["imported_by"],
        ),
    )
    tid = int(cur.lastrowid or 0)
    conn.executemany(
        f"INSERT INTO turns (transcript_id, {TURN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
        [(tid, *t) for t in turns],
    )
    conn.executemany(
        f"INSERT INTO sentences (transcript_id, {SENTENCE_COLUMNS}) VALUES (?,?,?,?,?,?,?)",
        [(tid, *s) for s in sentences],
    )
    rec.update("transcripts", tid, deleted=0)
    return tid


def add_forms(conn: sqlite3.Connection, forms: list[tuple[str, str, str]]) -> None:
    """Word forms are a lookup cache shared by all transcripts: added, never removed."""
    conn.executemany("INSERT OR IGNORE INTO forms (language, form, lemma) VALUES (?,?,?)", forms)


def copy_participant(conn: sqlite3.Connection, rec: Recorder, row: dict[str, Any], scope: int | None) -> int:
    guid = row["guid"] if not guid_taken(conn, "participants", row["guid"]) else str(uuid.uuid4())
    return rec.insert(
        "participants",
        {
            "guid": guid,
            "name": row["name"],
            "name_key": row["name_key"],
            "role": row["role"],
            "pseudonym": row["pseudonym"],
            "attributes": row["attributes"],
            "scope_transcript": scope,
            "created_at": row["created_at"],
        },
    )


def participant_by_name(conn: sqlite3.Connection, name_key: str) -> dict[str, Any] | None:
    rows = rows_of(
        conn,
        "SELECT id, role, pseudonym, attributes FROM participants WHERE name_key = ? AND scope_transcript IS NULL",
        (name_key,),
    )
    return rows[0] if rows else None


def add_speaker(rec: Recorder, tid: int, label: str, participant_id: int | None) -> int:
    return rec.insert("speakers", {"transcript_id": tid, "label": label, "participant_id": participant_id})


def add_coder(conn: sqlite3.Connection, rec: Recorder, name: str, guid: str | None) -> bool:
    """Add a coder by name when absent; returns whether one was added."""
    if conn.execute("SELECT 1 FROM coders WHERE name = ?", (name,)).fetchone() is not None:
        return False
    if not guid or guid_taken(conn, "coders", guid):
        guid = str(uuid.uuid4())
    rec.insert("coders", {"name": name, "guid": guid})
    return True
