"""Transcripts, turns, sentences and word forms in the project file."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from ppss_qual.errors import NotFound
from ppss_qual.model import AnalysedTranscript
from ppss_qual.store.changes import Recorder, now
from ppss_qual.textlines import LineIndex


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class TranscriptRow:
    id: int
    name: str
    language: str
    words: int
    text: str | None = None
    guid: str = ""
    source_path: str = ""
    source_format: str = ""
    imported_at: str = ""


def find_by_hash(conn: sqlite3.Connection, digest: str) -> int | None:
    row = conn.execute("SELECT id FROM transcripts WHERE hash = ? AND deleted = 0", (digest,)).fetchone()
    return None if row is None else int(row[0])


def free_name(conn: sqlite3.Connection, wanted: str) -> str:
    """`wanted`, or `wanted (2)`, `wanted (3)` … when a visible transcript already has that name."""
    name, n = wanted, 1
    while conn.execute(
        "SELECT 1 FROM transcripts WHERE name_key = ? AND deleted = 0", (name_key(name),)
    ).fetchone():
        n += 1
        name = f"{wanted} ({n})"
    return name


def insert_transcript(
    conn: sqlite3.Connection,
    rec: Recorder,
    analysed: AnalysedTranscript,
    name: str,
    coder: str,
    known_forms: set[tuple[str, str]] | None = None,
) -> int:
    """Store a transcript with its turns, sentences and forms; the import is recorded as revealing it.

    `known_forms` lets a run of imports skip the word forms it has stored already (most of them repeat);
    the caller adds this transcript's forms to it once the transaction has committed.
    """
    cur = conn.execute(
        "INSERT INTO transcripts (guid, name, name_key, text, hash, language, words, source_path, "
        "source_format, imported_at, imported_by, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,1)",
        (
            str(uuid.uuid4()),
            name,
            name_key(name),
            analysed.text,
            text_hash(analysed.text),
            analysed.language,
            analysed.words,
            analysed.source_path,
            analysed.source_format,
            now(),
            coder,
        ),
    )
    tid = int(cur.lastrowid or 0)
    conn.executemany(
        'INSERT INTO turns (transcript_id, number, line, speaker, start, "end", label_start, time_start_ms, '
        "time_end_ms) VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (tid, t.number, t.line, t.speaker, t.start, t.end, t.label_start, t.time_start_ms, t.time_end_ms)
            for t in analysed.turns
        ],
    )
    line = LineIndex(analysed.text).line
    conn.executemany(
        'INSERT INTO sentences (transcript_id, number, turn, line, start, "end", lemmas) VALUES (?,?,?,?,?,?,?)',
        [
            (tid, s.number, s.turn, line(s.start), s.start, s.end, " " + " ".join(s.lemmas) + " ")
            for s in analysed.sentences
        ],
    )
    lang = analysed.language
    new_forms = [(lang, f, lem) for f, lem in analysed.forms.items() if (lang, f) not in (known_forms or ())]
    conn.executemany("INSERT OR IGNORE INTO forms (language, form, lemma) VALUES (?,?,?)", new_forms)

    rec.update("transcripts", tid, deleted=0)
    return tid


def resolve(conn: sqlite3.Connection, ref: str) -> TranscriptRow:
    """A visible transcript by name (case-insensitive) or id."""
    cols = "id, name, language, words, text, guid, source_path, source_format, imported_at"
    row = conn.execute(
        f"SELECT {cols} FROM transcripts WHERE name_key = ? AND deleted = 0", (name_key(ref),)
    ).fetchone()
    if row is None and ref.strip().isdigit():
        row = conn.execute(
            f"SELECT {cols} FROM transcripts WHERE id = ? AND deleted = 0", (int(ref),)
        ).fetchone()
    if row is None:
        names = [
            r[0] for r in conn.execute("SELECT name FROM transcripts WHERE deleted = 0 ORDER BY name LIMIT 8")
        ]
        hint = f" (the project has: {', '.join(names)}{' …' if len(names) == 8 else ''})" if names else ""
        raise NotFound(f"no transcript named {ref!r}{hint}")
    return TranscriptRow(*row)


def by_id(conn: sqlite3.Connection, tid: int) -> TranscriptRow:
    return resolve(conn, str(tid))


def list_rows(conn: sqlite3.Connection, coded: dict[int, int]) -> list[dict[str, Any]]:
    """The transcripts with their counts; `coded` gives each one's coded characters (coded_lengths)."""
    rows = conn.execute(
        "SELECT t.id, t.name, t.words, t.language, t.imported_at, t.source_format, "
        "(SELECT count(*) FROM turns u WHERE u.transcript_id = t.id), "
        '(SELECT sum(u."end" - u.start) FROM turns u WHERE u.transcript_id = t.id) '
        "FROM transcripts t WHERE t.deleted = 0 ORDER BY t.name_key"
    ).fetchall()
    speakers: dict[int, list[dict[str, Any]]] = {}
    for tid, label, pid, pname, role in conn.execute(
        "SELECT s.transcript_id, s.label, p.id, p.name, p.role FROM speakers s "
        "LEFT JOIN participants p ON p.id = s.participant_id ORDER BY s.id"
    ):
        speakers.setdefault(tid, []).append(
            {"label": label, "participant_id": pid, "participant": pname, "role": role}
        )
    out = []
    for tid, name, words, lang, imported_at, fmt, nturns, speech_chars in rows:
        out.append(
            {
                "id": tid,
                "name": name,
                "words": words,
                "turns": nturns,
                "speakers": [s["label"] for s in speakers.get(tid, [])],
                "participants": speakers.get(tid, []),
                "coded_share": round(coded.get(tid, 0) / speech_chars, 4) if speech_chars else 0.0,
                "language": lang,
                "format": fmt,
                "imported_at": imported_at,
            }
        )
    return out


def coded_lengths(conn: sqlite3.Connection) -> tuple[dict[int, int], dict[int, int]]:
    """Characters covered by at least one coding (any code, any coder), per transcript.

    Returns (all lengths, the ones computed now). Cached lengths come from `coverage`, which triggers
    empty for a transcript whenever its codings change; the rest are computed with one sweep.
    """
    lengths = dict(conn.execute("SELECT transcript_id, coded_chars FROM coverage").fetchall())
    missing = [
        tid
        for (tid,) in conn.execute(
            "SELECT id FROM transcripts t WHERE deleted = 0 AND NOT EXISTS "
            "(SELECT 1 FROM coverage c WHERE c.transcript_id = t.id)"
        )
    ]
    fresh: dict[int, int] = {}
    for tid in missing:
        spans = conn.execute(
            'SELECT start, "end" FROM codings WHERE transcript_id = ? ORDER BY start', (tid,)
        ).fetchall()
        fresh[tid] = _union_length(spans)
    lengths.update(fresh)
    return lengths, fresh


def _union_length(spans: list[tuple[int, int]]) -> int:
    """Length of the union of [start, end) spans sorted by start."""
    total = 0
    reach = -1
    for start, end in spans:
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def remember_coverage(conn: sqlite3.Connection, fresh: dict[int, int]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO coverage (transcript_id, coded_chars) VALUES (?, ?)", fresh.items()
    )


def turn_rows(conn: sqlite3.Connection, tid: int) -> list[tuple[Any, ...]]:
    """(number, line, speaker, role, participant, start, end, time_start_ms, time_end_ms) per turn."""
    return conn.execute(
        'SELECT u.number, u.line, u.speaker, p.role, p.name, u.start, u."end", u.time_start_ms, u.time_end_ms '
        "FROM turns u LEFT JOIN speakers s ON s.transcript_id = u.transcript_id AND s.label = u.speaker "
        "LEFT JOIN participants p ON p.id = s.participant_id WHERE u.transcript_id = ? ORDER BY u.number",
        (tid,),
    ).fetchall()


def sentence_rows(conn: sqlite3.Connection, tid: int) -> list[tuple[int, int, int, int]]:
    return conn.execute(
        'SELECT number, turn, start, "end" FROM sentences WHERE transcript_id = ? ORDER BY number', (tid,)
    ).fetchall()


def lemma_of(conn: sqlite3.Connection, form: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT lemma FROM forms WHERE form = ?", (form.lower(),))]


def is_known_lemma(conn: sqlite3.Connection, lemma: str) -> bool:
    return conn.execute("SELECT 1 FROM forms WHERE lemma = ? LIMIT 1", (lemma,)).fetchone() is not None


def sentences_with(conn: sqlite3.Connection, patterns: list[str]) -> list[tuple[Any, ...]]:
    """Sentences whose stored lemma string holds any of `patterns` (each ' a b '), in reading order."""
    cond = " OR ".join("instr(s.lemmas, ?) > 0" for _ in patterns)
    return conn.execute(
        f'SELECT t.id, t.name, substr(t.text, s.start + 1, s."end" - s.start), s.number, s.turn, s.start, '
        f's."end", s.lemmas, u.speaker, s.line, p.role FROM sentences s '
        f"JOIN transcripts t ON t.id = s.transcript_id AND t.deleted = 0 "
        f"JOIN turns u ON u.transcript_id = s.transcript_id AND u.number = s.turn "
        f"LEFT JOIN speakers k ON k.transcript_id = s.transcript_id AND k.label = u.speaker "
        f"LEFT JOIN participants p ON p.id = k.participant_id "
        f"WHERE {cond} ORDER BY t.name_key, s.number",
        patterns,
    ).fetchall()
