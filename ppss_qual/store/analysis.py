"""The reads behind analysis: codings, turns, sentences and participants as compact tuples.

Every function counts only visible transcripts (`deleted = 0`). Rows come back as plain tuples of
integers and strings, sorted as the analysis sweeps them, so that the hot paths build no dicts per row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

VISIBLE = "SELECT id FROM transcripts WHERE deleted = 0"


def _in(column: str, values: Sequence[Any] | None, args: list[Any]) -> str:
    """` AND column IN (?, …)` for a filter that is given (an empty filter matches nothing)."""
    if values is None:
        return ""
    args.extend(values)
    return f" AND {column} IN ({','.join('?' * len(values))})" if values else " AND 0"


def transcript_names(conn: sqlite3.Connection) -> dict[int, str]:
    """Visible transcripts' names by id, in name order."""
    return dict(conn.execute("SELECT id, name FROM transcripts WHERE deleted = 0 ORDER BY name_key"))


def transcript_texts(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    out: dict[int, str] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        out.update(
            conn.execute(
                f"SELECT id, text FROM transcripts WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
        )
    return out


def coding_rows(
    conn: sqlite3.Connection,
    *,
    code_ids: Sequence[int] | None = None,
    coders: Sequence[str] | None = None,
    transcript_ids: Sequence[int] | None = None,
) -> list[tuple[int, int, int, str, int, int]]:
    """(id, transcript_id, code_id, coder, start, end) of codings, sorted by transcript and start."""
    args: list[Any] = []
    where = (
        _in("c.code_id", code_ids, args)
        + _in("c.coder", coders, args)
        + _in("c.transcript_id", transcript_ids, args)
    )
    rows = conn.execute(
        f'SELECT c.id, c.transcript_id, c.code_id, c.coder, c.start, c."end" FROM codings c '
        f"WHERE c.transcript_id IN ({VISIBLE}){where}",
        args,
    ).fetchall()
    rows.sort(key=lambda r: (r[1], r[4], r[5], r[2], r[3]))
    return rows


def turn_bounds(
    conn: sqlite3.Connection, transcript_ids: Sequence[int] | None = None
) -> list[tuple[int, int, int, int]]:
    """(transcript_id, number, start, end) of every turn, in reading order."""
    args: list[Any] = []
    where = _in("u.transcript_id", transcript_ids, args)
    return conn.execute(
        f'SELECT u.transcript_id, u.number, u.start, u."end" FROM turns u '
        f"WHERE u.transcript_id IN ({VISIBLE}){where} ORDER BY u.transcript_id, u.number",
        args,
    ).fetchall()


def _packed(*columns: str) -> str:
    """SQL for one string of the columns of all rows of a group: "a,b,a,b,…"."""
    return "group_concat(" + " || ',' || ".join(columns) + ", ',')"


CODING_COLUMNS = _packed("code_id", "start", '"end"')
SEGMENT_COLUMNS = _packed("start", '"end"')
TURN_COLUMNS = _packed("u.start", 'u."end"', "IFNULL(s.participant_id, -1)")


def packed_codings(
    conn: sqlite3.Connection,
    *,
    coders: Sequence[str] | None = None,
    transcript_ids: Sequence[int] | None = None,
) -> list[tuple[int, str]]:
    """Per transcript, its codings as one string "code_id,start,end,code_id,start,end,…".

    One string per transcript, built by SQLite from the covering index, is about twice as fast to read
    as a tuple per coding, and parses into numpy columns in one call (see analysis.columns).
    """
    args: list[Any] = []
    where = _in("coder", coders, args) + _in("transcript_id", transcript_ids, args)
    return conn.execute(
        f"SELECT transcript_id, {CODING_COLUMNS} "
        f"FROM codings WHERE transcript_id IN ({VISIBLE}){where} GROUP BY transcript_id",
        args,
    ).fetchall()


def packed_segments(
    conn: sqlite3.Connection, table: str, transcript_ids: Sequence[int] | None = None
) -> list[tuple[int, str]]:
    """Per transcript, its turns or sentences (`table`) as one string "start,end,start,end,…"."""
    if table not in ("turns", "sentences"):
        raise ValueError(f"no segments in {table}")
    args: list[Any] = []
    where = _in("transcript_id", transcript_ids, args)
    return conn.execute(
        f"SELECT transcript_id, {SEGMENT_COLUMNS} "
        f"FROM {table} WHERE transcript_id IN ({VISIBLE}){where} GROUP BY transcript_id",
        args,
    ).fetchall()


def packed_turn_participants(
    conn: sqlite3.Connection, transcript_ids: Sequence[int] | None = None
) -> list[tuple[int, str]]:
    """Per transcript, its turns as one string "start,end,participant_id,…" (-1: no participant)."""
    args: list[Any] = []
    where = _in("u.transcript_id", transcript_ids, args)
    return conn.execute(
        f"SELECT u.transcript_id, "
        f"{TURN_COLUMNS} "
        f"FROM turns u LEFT JOIN speakers s ON s.transcript_id = u.transcript_id AND s.label = u.speaker "
        f"WHERE u.transcript_id IN ({VISIBLE}){where} GROUP BY u.transcript_id",
        args,
    ).fetchall()


def turn_speakers(
    conn: sqlite3.Connection, transcript_ids: Sequence[int] | None = None
) -> list[tuple[int, int, int, int, int, str | None, int | None]]:
    """(transcript_id, number, start, end, line, speaker label, participant id) per turn, in reading order."""
    args: list[Any] = []
    where = _in("u.transcript_id", transcript_ids, args)
    return conn.execute(
        f'SELECT u.transcript_id, u.number, u.start, u."end", u.line, u.speaker, s.participant_id '
        f"FROM turns u LEFT JOIN speakers s ON s.transcript_id = u.transcript_id AND s.label = u.speaker "
        f"WHERE u.transcript_id IN ({VISIBLE}){where} ORDER BY u.transcript_id, u.number",
        args,
    ).fetchall()


def sentence_bounds(
    conn: sqlite3.Connection, transcript_ids: Sequence[int] | None = None
) -> list[tuple[int, int, int, int]]:
    """(transcript_id, number, start, end) of every sentence, in reading order."""
    args: list[Any] = []
    where = _in("s.transcript_id", transcript_ids, args)
    return conn.execute(
        f'SELECT s.transcript_id, s.number, s.start, s."end" FROM sentences s '
        f"WHERE s.transcript_id IN ({VISIBLE}){where} ORDER BY s.transcript_id, s.number",
        args,
    ).fetchall()


def sentences_holding(conn: sqlite3.Connection, lemmas: Sequence[str]) -> list[tuple[int, int, int, str]]:
    """(transcript_id, start, end, lemmas) of sentences whose stored lemmas hold any of `lemmas`."""
    if not lemmas:
        return []
    cond = " OR ".join("instr(s.lemmas, ?) > 0" for _ in lemmas)
    return conn.execute(
        f'SELECT s.transcript_id, s.start, s."end", s.lemmas FROM sentences s '
        f"WHERE s.transcript_id IN ({VISIBLE}) AND ({cond}) ORDER BY s.transcript_id, s.start",
        [f" {lemma} " for lemma in lemmas],
    ).fetchall()


def participants(conn: sqlite3.Connection) -> list[tuple[int, str, str | None, str | None, str]]:
    """(id, name, role, pseudonym, attributes JSON) of every participant."""
    return conn.execute("SELECT id, name, role, pseudonym, attributes FROM participants").fetchall()


def coding_memos(conn: sqlite3.Connection) -> dict[int, str]:
    """Memo text per coding id (several memos joined by newlines)."""
    return dict(
        conn.execute(
            "SELECT target_id, group_concat(text, char(10)) FROM "
            "(SELECT target_id, text FROM memos WHERE target_kind = 'coding' ORDER BY id) GROUP BY target_id"
        )
    )


def coders(conn: sqlite3.Connection) -> list[str]:
    """Coders with at least one coding in a visible transcript."""
    return [
        r[0]
        for r in conn.execute(
            f"SELECT DISTINCT coder FROM codings WHERE transcript_id IN ({VISIBLE}) ORDER BY coder"
        )
    ]
