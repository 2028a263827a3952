"""The project schema as numbered migrations, applied in order and recorded in PRAGMA user_version."""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x50505351  # "PPSQ": marks the file as a ppss_qual project

MIGRATIONS: list[str] = [
    # 1: the whole model of the foundation.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE transcripts (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        text TEXT NOT NULL,
        hash TEXT NOT NULL,
        language TEXT NOT NULL,
        words INTEGER NOT NULL,
        source_path TEXT NOT NULL DEFAULT '',
        source_format TEXT NOT NULL DEFAULT '',
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX transcripts_name ON transcripts(name_key) WHERE deleted = 0;
    CREATE INDEX transcripts_hash ON transcripts(hash);

    CREATE TABLE participants (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        role TEXT,
        pseudonym TEXT,
        attributes TEXT NOT NULL DEFAULT '{}',
        scope_transcript INTEGER REFERENCES transcripts(id),
        created_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX participants_name ON participants(name_key, IFNULL(scope_transcript, 0));

    CREATE TABLE speakers (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        label TEXT NOT NULL,
        participant_id INTEGER REFERENCES participants(id),
        UNIQUE (transcript_id, label)
    );
    CREATE INDEX speakers_participant ON speakers(participant_id);

    CREATE TABLE turns (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        number INTEGER NOT NULL,
        line INTEGER NOT NULL,
        speaker TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        label_start INTEGER,
        time_start_ms INTEGER,
        time_end_ms INTEGER,
        UNIQUE (transcript_id, number)
    );

    CREATE TABLE sentences (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        number INTEGER NOT NULL,
        turn INTEGER NOT NULL,
        line INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        lemmas TEXT NOT NULL,
        UNIQUE (transcript_id, number)
    );

    CREATE TABLE forms (
        language TEXT NOT NULL,
        form TEXT NOT NULL,
        lemma TEXT NOT NULL,
        PRIMARY KEY (language, form)
    ) WITHOUT ROWID;
    CREATE INDEX forms_lemma ON forms(lemma);

    CREATE TABLE codes (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        parent_id INTEGER REFERENCES codes(id),
        name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,
        name_en TEXT,
        name_en_key TEXT UNIQUE,
        definition TEXT NOT NULL DEFAULT '',
        use_when TEXT NOT NULL DEFAULT '',
        not_when TEXT NOT NULL DEFAULT '',
        example TEXT NOT NULL DEFAULT '',
        colour TEXT,
        keywords TEXT NOT NULL DEFAULT '[]',
        position INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    );
    CREATE INDEX codes_parent ON codes(parent_id);

    CREATE TABLE codings (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        code_id INTEGER NOT NULL REFERENCES codes(id),
        coder TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        CHECK (start < "end")
    );
    CREATE INDEX codings_transcript ON codings(transcript_id, start);
    CREATE INDEX codings_code ON codings(code_id);
    CREATE UNIQUE INDEX codings_unique ON codings(transcript_id, code_id, coder, start, "end");

    CREATE TABLE memos (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        target_kind TEXT NOT NULL,
        target_id INTEGER,
        text TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX memos_target ON memos(target_kind, target_id);

    CREATE TABLE coders (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        guid TEXT NOT NULL UNIQUE
    );

    CREATE TABLE transcript_status (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        coder TEXT NOT NULL,
        done_at TEXT NOT NULL,
        UNIQUE (transcript_id, coder)
    );

    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        coder TEXT NOT NULL,
        action TEXT NOT NULL,
        summary TEXT NOT NULL,
        changes TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL,
        ref INTEGER REFERENCES events(id)
    );
    CREATE INDEX events_coder ON events(coder, status, id);
    """,
    # 2: pseudonymisation suggestions and decisions; settled disagreements between coders.
    """
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        reason TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'suggested' CHECK (status IN ('suggested', 'accepted', 'rejected')),
        pseudonym TEXT,
        decided_by TEXT,
        decided_at TEXT,
        UNIQUE (transcript_id, start, "end")
    );
    CREATE INDEX entities_text ON entities(text);
    CREATE INDEX entities_status ON entities(status);

    CREATE TABLE detection_runs (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL UNIQUE REFERENCES transcripts(id),
        detector_version INTEGER NOT NULL,
        ran_at TEXT NOT NULL
    );

    CREATE TABLE settlements (
        id INTEGER PRIMARY KEY,
        disagreement TEXT NOT NULL,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        code_id INTEGER REFERENCES codes(id),
        coders TEXT NOT NULL,
        take TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        settled_by TEXT NOT NULL,
        settled_at TEXT NOT NULL
    );
    CREATE INDEX settlements_disagreement ON settlements(disagreement);
    """,
    # 3: each transcript's coded characters, cached; any change to its codings drops the cached value.
    """
    CREATE TABLE coverage (
        transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id),
        coded_chars INTEGER NOT NULL
    );
    CREATE TRIGGER coverage_on_insert AFTER INSERT ON codings BEGIN
        DELETE FROM coverage WHERE transcript_id = NEW.transcript_id;
    END;
    CREATE TRIGGER coverage_on_delete AFTER DELETE ON codings BEGIN
        DELETE FROM coverage WHERE transcript_id = OLD.transcript_id;
    END;
    CREATE TRIGGER coverage_on_update AFTER UPDATE OF transcript_id, start, "end" ON codings BEGIN
        DELETE FROM coverage WHERE transcript_id IN (OLD.transcript_id, NEW.transcript_id);
    END;
    """,
]


def is_current(conn: sqlite3.Connection) -> bool:
    """True when the file is a ppss_qual project at this version's schema (nothing to migrate)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    return version == len(MIGRATIONS) and app_id == APPLICATION_ID


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to date inside the caller's transaction; returns the new version."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables:
            raise sqlite3.DatabaseError("an SQLite file that is not a ppss_qual project")
    elif app_id != APPLICATION_ID:
        raise sqlite3.DatabaseError("an SQLite file that is not a ppss_qual project")
    if version > len(MIGRATIONS):
        raise sqlite3.DatabaseError(
            f"made by a newer ppss_qual (schema {version}; this version knows {len(MIGRATIONS)})"
        )
    for number in range(version, len(MIGRATIONS)):
        for statement in _statements(MIGRATIONS[number]):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={number + 1}")
    if version == 0:
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    return len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit the caller's transaction)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
