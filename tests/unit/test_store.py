"""The project file: durability settings, migrations, refusing files that are not projects."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ppss_qual.errors import ProjectError
from ppss_qual.project import Project
from ppss_qual.store.schema import MIGRATIONS


def test_a_project_file_uses_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    with Project.open(tmp_path / "p.db") as p:
        conn = p.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_reopening_keeps_the_schema_version_and_data(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Project.open(path, coder="anna") as p:
        p.codebook.add("Tillit")
    with Project.open(path, coder="anna") as p:
        assert [r["name"] for r in p.codebook.tree()] == ["Tillit"]


def test_a_missing_project_is_not_created_by_a_reader(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no project here"):
        Project.open(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


def test_an_sqlite_file_of_another_program_is_refused_and_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="not a ppss_qual project"):
        Project.open(other)
    assert sqlite3.connect(other).execute("SELECT name FROM sqlite_master").fetchall() == [("x",)]


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ProjectError, match="junk.db"):
        Project.open(junk)


def test_a_project_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Project.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(ProjectError, match="newer"):
        Project.open(path)


def test_a_project_of_schema_1_is_migrated_with_its_data(tmp_path: Path) -> None:
    from ppss_qual.store.schema import APPLICATION_ID, _statements

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version=1")
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute(
        "INSERT INTO codes (guid, name, name_key, created_at, created_by) VALUES ('g', 'Tillit', 'tillit', 'x', 'y')"
    )
    conn.commit()
    conn.close()
    with Project.open(path) as p:
        assert p.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert [r["name"] for r in p.codebook.tree()] == ["Tillit"]
        assert p.conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 0


def test_the_coded_share_cache_follows_every_change(project: Project, interview: int) -> None:
    from ppss_qual.coding.operations import Selector

    def share() -> float:
        return project.transcripts()[0]["coded_share"]

    project.codebook.add("Tillit")
    assert share() == 0
    project.codings.code("intervju1", "Tillit", Selector(turn=2))
    first = share()
    assert first > 0 and share() == first  # cached, same answer
    project.codings.code("intervju1", "Tillit", Selector(turn=4), coder="bertil")
    assert share() > first
    project.undo()  # anna's coding goes; bertil's stays
    assert 0 < share() < 1 and share() != first
    project.codebook.delete("Tillit", force=True)
    assert share() == 0
