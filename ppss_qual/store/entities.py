"""Pseudonymisation in the project file: suggested, accepted and rejected entities, and detection runs."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from ppss_qual.errors import NotFound
from ppss_qual.store.changes import now

_COLUMNS = (
    'e.id, e.transcript_id, t.name, e.start, e."end", e.text, e.kind, e.reason, e.status, e.pseudonym, '
    "e.decided_by, e.decided_at"
)
_FROM = "FROM entities e JOIN transcripts t ON t.id = e.transcript_id AND t.deleted = 0"


@dataclass(frozen=True, slots=True)
class EntityRow:
    id: int
    transcript_id: int
    transcript: str
    start: int
    end: int
    text: str
    kind: str
    reason: str
    status: str
    pseudonym: str | None
    decided_by: str | None
    decided_at: str | None


@dataclass(frozen=True, slots=True)
class NewEntity:
    start: int
    end: int
    text: str
    kind: str
    reason: str
    pseudonym: str | None


@dataclass(frozen=True, slots=True)
class DetectionInput:
    text: str
    language: str
    labels: list[tuple[int, int]]
    sentence_starts: set[int]


def visible_transcripts(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """(id, name) of every visible transcript, by name."""
    return conn.execute("SELECT id, name FROM transcripts WHERE deleted = 0 ORDER BY name_key").fetchall()


def transcripts_to_detect(conn: sqlite3.Connection, version: int) -> list[tuple[int, str]]:
    """(id, name) of visible transcripts that detection has not run on, or ran on in another version."""
    return conn.execute(
        "SELECT t.id, t.name FROM transcripts t LEFT JOIN detection_runs r ON r.transcript_id = t.id "
        "WHERE t.deleted = 0 AND (r.id IS NULL OR r.detector_version != ?) ORDER BY t.id",
        (version,),
    ).fetchall()


def needs_detection(conn: sqlite3.Connection, tid: int, version: int) -> bool:
    """Whether detection has not run on a transcript, or ran in another version (another process may have)."""
    row = conn.execute(
        "SELECT detector_version FROM detection_runs WHERE transcript_id = ?", (tid,)
    ).fetchone()
    return row is None or row[0] != version


def detection_input(conn: sqlite3.Connection, tid: int) -> DetectionInput:
    """A transcript's text, language, speaker-label spans and sentence starts (turn starts included)."""
    row = conn.execute("SELECT text, language FROM transcripts WHERE id = ?", (tid,)).fetchone()
    if row is None:
        raise NotFound(f"no transcript {tid}")
    labels, starts = [], set()
    for label_start, start in conn.execute(
        "SELECT label_start, start FROM turns WHERE transcript_id = ? ORDER BY number", (tid,)
    ):
        starts.add(start)
        if label_start is not None and label_start < start:
            labels.append((label_start, start))
    starts.update(r[0] for r in conn.execute("SELECT start FROM sentences WHERE transcript_id = ?", (tid,)))
    return DetectionInput(row[0], row[1], labels, starts)


def replace_suggestions(conn: sqlite3.Connection, tid: int, found: Iterable[NewEntity], version: int) -> int:
    """Replace a transcript's undecided suggestions by `found`; decided entities stay. Returns rows added.

    Not recorded for undo: suggestions are the detector's, made again at will; decisions are people's.
    """
    conn.execute("DELETE FROM entities WHERE transcript_id = ? AND status = 'suggested'", (tid,))
    decided = {
        (s, e) for s, e in conn.execute('SELECT start, "end" FROM entities WHERE transcript_id = ?', (tid,))
    }
    rows = [
        (tid, f.start, f.end, f.text, f.kind, f.reason, f.pseudonym)
        for f in found
        if (f.start, f.end) not in decided
    ]
    conn.executemany(
        'INSERT INTO entities (transcript_id, start, "end", text, kind, reason, status, pseudonym) '
        "VALUES (?, ?, ?, ?, ?, ?, 'suggested', ?)",
        rows,
    )
    conn.execute(
        "INSERT INTO detection_runs (transcript_id, detector_version, ran_at) VALUES (?, ?, ?) "
        "ON CONFLICT (transcript_id) DO UPDATE SET detector_version = excluded.detector_version, "
        "ran_at = excluded.ran_at",
        (tid, version, now()),
    )
    return len(rows)


def rows(
    conn: sqlite3.Connection,
    *,
    status: str | None = None,
    kind: str | None = None,
    transcript_id: int | None = None,
    text: str | None = None,
) -> list[EntityRow]:
    """Entities of visible transcripts, in reading order (transcript name, then position)."""
    where, params = [], []
    for column, value in (("e.status", status), ("e.kind", kind), ("e.transcript_id", transcript_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if text is not None:
        where.append("e.text = ?")
        params.append(text)
    sql = f"SELECT {_COLUMNS} {_FROM}" + (" WHERE " + " AND ".join(where) if where else "")
    return [EntityRow(*r) for r in conn.execute(sql + " ORDER BY t.name_key, e.start, e.id", params)]


def get(conn: sqlite3.Connection, entity_id: int) -> EntityRow:
    row = conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE e.id = ?", (entity_id,)).fetchone()
    if row is None:
        raise NotFound(f"no entity {entity_id} (see `ppss-qual pseudonymise --list`)")
    return EntityRow(*row)


def pseudonyms_by_text(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """real text -> (pseudonym, kind) of every entity that has one; a decided entity's wins."""
    out: dict[str, tuple[str, str]] = {}
    for text, pseudonym, kind in conn.execute(
        "SELECT text, pseudonym, kind FROM entities WHERE pseudonym IS NOT NULL "
        "ORDER BY status = 'suggested', decided_at DESC, id"
    ):
        out.setdefault(text, (pseudonym, kind))
    return out


def accepted(conn: sqlite3.Connection) -> list[tuple[int, int, int, str, str, str | None]]:
    """(transcript id, start, end, text, kind, pseudonym) of accepted entities in visible transcripts."""
    return conn.execute(
        'SELECT e.transcript_id, e.start, e."end", e.text, e.kind, e.pseudonym '
        f"{_FROM} WHERE e.status = 'accepted' ORDER BY e.transcript_id, e.start"
    ).fetchall()


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many entities of visible transcripts have each status."""
    return dict(conn.execute(f"SELECT e.status, count(*) {_FROM} GROUP BY e.status").fetchall())


def note(conn: sqlite3.Connection, coder: str, action: str, summary: str) -> None:
    """An audit entry that changes nothing undoable (a detection run, a key written out)."""
    conn.execute(
        "INSERT INTO events (at, coder, action, summary, changes, status) VALUES (?, ?, ?, ?, '[]', 'done')",
        (now(), coder, action, summary),
    )
