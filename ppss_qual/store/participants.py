"""Participants and the speakers that map a transcript's labels to them."""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from ppss_qual.model import Role
from ppss_qual.speakers import read_label
from ppss_qual.store.changes import Recorder, now
from ppss_qual.store.transcripts import name_key


def find(conn: sqlite3.Connection, name: str, scope: int | None = None) -> int | None:
    row = conn.execute(
        "SELECT id FROM participants WHERE name_key = ? AND IFNULL(scope_transcript, 0) = ?",
        (name_key(name), scope or 0),
    ).fetchone()
    return None if row is None else int(row[0])


def create(
    rec: Recorder,
    name: str,
    role: Role | None,
    scope: int | None = None,
    attributes: dict[str, str] | None = None,
) -> int:
    return rec.insert(
        "participants",
        {
            "guid": str(uuid.uuid4()),
            "name": name,
            "name_key": name_key(name),
            "role": role.value if role else None,
            "attributes": json.dumps(attributes or {}, ensure_ascii=False),
            "scope_transcript": scope,
            "created_at": now(),
        },
    )


def link_speakers(
    conn: sqlite3.Connection, rec: Recorder, tid: int, labels: list[str], role: Role | None
) -> list[str]:
    """Give each label of a new transcript its participant; returns warnings."""
    warnings: list[str] = []
    for label in labels:
        meaning = read_label(label)
        wanted = meaning.role
        if role is not None and wanted is not Role.INTERVIEWER:
            wanted = role
        if meaning.identifies_person:
            pid = find(conn, label)
            if pid is None:
                pid = create(rec, label, wanted)
            else:
                current = conn.execute("SELECT role FROM participants WHERE id = ?", (pid,)).fetchone()[0]
                if current is None and wanted is not None:
                    rec.update("participants", pid, role=wanted.value)
                elif role is not None and wanted is not None and current != wanted.value:
                    warnings.append(f"{label} is already a participant with role {current}; kept that role")
        else:
            pid = create(rec, label, wanted, scope=tid)
        rec.insert("speakers", {"transcript_id": tid, "label": label, "participant_id": pid})
    return warnings


def rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Participants who speak in a visible transcript, or who were named by a participant sheet."""
    out = []
    for pid, name, role, pseudonym, attributes, scope, scope_name in conn.execute(
        "SELECT p.id, p.name, p.role, p.pseudonym, p.attributes, p.scope_transcript, st.name "
        "FROM participants p LEFT JOIN transcripts st ON st.id = p.scope_transcript "
        "WHERE IFNULL(st.deleted, 0) = 0 ORDER BY p.role IS NULL, p.role, p.name_key, st.name_key"
    ):
        spoken = conn.execute(
            'SELECT t.name, count(u.id), sum(u."end" - u.start) FROM speakers s '
            "JOIN transcripts t ON t.id = s.transcript_id AND t.deleted = 0 "
            "JOIN turns u ON u.transcript_id = s.transcript_id AND u.speaker = s.label "
            "WHERE s.participant_id = ? GROUP BY t.id ORDER BY t.name_key",
            (pid,),
        ).fetchall()
        if not spoken and scope is not None:
            continue
        out.append(
            {
                "id": pid,
                "name": name,
                "display": f"{name} ({scope_name})" if scope_name else name,
                "role": role,
                "role_sv": Role(role).swedish if role else None,
                "pseudonym": pseudonym,
                "attributes": json.loads(attributes),
                "transcripts": [t for t, _, _ in spoken],
                "turns": sum(n for _, n, _ in spoken),
                "labels": [
                    r[0]
                    for r in conn.execute(
                        "SELECT DISTINCT label FROM speakers WHERE participant_id = ?", (pid,)
                    )
                ],
            }
        )
    return out


def speaker_of(conn: sqlite3.Connection, tid: int, label: str) -> tuple[int, int | None] | None:
    row = conn.execute(
        "SELECT id, participant_id FROM speakers WHERE transcript_id = ? AND label = ?", (tid, label)
    ).fetchone()
    return None if row is None else (int(row[0]), row[1])


def drop_if_orphan(conn: sqlite3.Connection, rec: Recorder, pid: int | None) -> None:
    """Remove an automatically made participant that no speaker refers to any more."""
    if pid is None:
        return
    used = conn.execute("SELECT 1 FROM speakers WHERE participant_id = ? LIMIT 1", (pid,)).fetchone()
    if used is None:
        rec.delete("participants", pid)


def for_name_key(
    conn: sqlite3.Connection,
) -> list[tuple[str, str | None, str | None, list[str], dict[str, str]]]:
    """(name, role, pseudonym, speaker labels, attributes) of every participant in a visible transcript."""
    labels: dict[int, list[str]] = {}
    for pid, label in conn.execute(
        "SELECT s.participant_id, s.label FROM speakers s JOIN transcripts t ON t.id = s.transcript_id "
        "AND t.deleted = 0 WHERE s.participant_id IS NOT NULL ORDER BY s.id"
    ):
        labels.setdefault(pid, []).append(label)
    return [
        (name, role, pseudonym, labels[pid], json.loads(attributes))
        for pid, name, role, pseudonym, attributes in conn.execute(
            "SELECT id, name, role, pseudonym, attributes FROM participants ORDER BY id"
        )
        if pid in labels
    ]
