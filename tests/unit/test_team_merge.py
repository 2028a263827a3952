"""Merging another coder's copy: matched by content and names, nothing duplicated, one undoable event."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ppss_qual.coding.operations import Selector
from ppss_qual.errors import InvalidOperation, ProjectError
from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.project import Project
from ppss_qual.store.schema import MIGRATIONS
from tests.conftest import INTERVIEW, parsed

OTHER_INTERVIEW = [
    ("Intervjuare", "Hur har hösten varit?"),
    ("Elev 9", "Bättre. Jag går till skolan nästan varje dag nu. Kuratorn lyssnar på mig."),
]


def _build(path: Path, analyser: Analyser) -> Path:
    """The same start for every copy: one interview, a small codebook, ylva's and omar's codings, a memo."""
    with Project.open(path, coder="anna", analyser=analyser) as p:
        p.add_transcript(analyser.analyse(parsed("intervju1", INTERVIEW), "sv"))
        p.codebook.add("Barnets röst", name_en="The child's voice")
        p.codebook.add("Tillit", parent="Barnets röst", name_en="Trust")
        p.codebook.add("Frånvaro", name_en="Absence")
        p.codings.code("intervju1", "Tillit", Selector(start=55, end=94), coder="ylva")
        p.codings.code("intervju1", "Tillit", Selector(start=72, end=121), coder="omar")
        p.codings.code("intervju1", "Frånvaro", Selector(turn=4), coder="omar")
        p.codings.add_memo("intervju1", "Första läsningen.")
    return path


def _state(path: Path) -> dict[str, object]:
    with Project.open(path, create=False) as p:
        conn = p.conn
        return {
            "transcripts": sorted(t["name"] for t in p.transcripts()),
            "codes": sorted(r["path"] for r in p.codebook.tree()),
            "codings": sorted(
                conn.execute(
                    'SELECT t.name, k.name, c.coder, c.start, c."end", c.text FROM codings c '
                    "JOIN transcripts t ON t.id = c.transcript_id AND t.deleted = 0 "
                    "JOIN codes k ON k.id = c.code_id"
                ).fetchall()
            ),
            "memos": sorted((m["target"], m["text"]) for m in p.codings.memos()),
            "done": sorted(conn.execute("SELECT transcript_id, coder FROM transcript_status").fetchall()),
            "participants": sorted((r["display"], r["role"]) for r in p.participants()),
        }


@pytest.fixture
def ours(tmp_path: Path, analyser: Analyser) -> Path:
    return _build(tmp_path / "ours.db", analyser)


@pytest.fixture
def theirs(tmp_path: Path, analyser: Analyser) -> Path:
    """omar's copy, built apart (other guids), where he went on working."""
    path = _build(tmp_path / "theirs.db", analyser)
    with Project.open(path, coder="omar", analyser=analyser) as p:
        p.add_transcript(analyser.analyse(parsed("intervju9", OTHER_INTERVIEW), "sv"), role=None)
        p.codebook.add("Skolfrånvaro", name_en="School absence")  # near Frånvaro: suggested, not merged
        p.codebook.rename("Tillit", name="Förtroende")  # still Tillit here: the English names match
        p.codings.code(
            "intervju9", "Skolfrånvaro", Selector(match="Jag går till skolan nästan varje dag nu.")
        )
        p.codings.code("intervju1", "Förtroende", Selector(start=100, end=130))  # widens his 72-121
        [coding] = p.codings.code("intervju9", "Frånvaro", Selector(turn=2), coder="ylva")
        p.codings.add_memo(f"coding:{coding}", "ylvas kommentar")
        p.team.mark_done("intervju1")
    return path


def test_a_copy_of_the_file_changes_nothing(ours: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(ours, copy)
    before = _state(ours)
    with Project.open(ours, coder="anna") as p:
        report = p.team.merge(copy)
        assert not report.changed and report.event is None
        assert report.codings_identical == 3 and report.memos_skipped == 1
    assert _state(ours) == before


def test_a_copy_built_apart_changes_nothing(ours: Path, tmp_path: Path, analyser: Analyser) -> None:
    other = _build(tmp_path / "apart.db", analyser)
    before = _state(ours)
    with Project.open(ours, coder="anna") as p:
        report = p.team.merge(other)
    assert not report.changed and report.transcripts_matched == 1 and report.codes_matched == 3
    assert report.memos_skipped == 1  # the same author, text and target: the same memo
    assert _state(ours) == before


def test_merge_brings_in_transcripts_codes_codings_memos_and_done_marks(ours: Path, theirs: Path) -> None:
    with Project.open(ours, coder="anna") as p:
        report = p.team.merge(theirs)
        assert report.transcripts_added == ["intervju9"] and report.transcripts_matched == 1
        assert report.codes_added == ["Skolfrånvaro"]
        assert {"code": "Skolfrånvaro", "near": "Frånvaro", "score": report.suggestions[0]["score"]} in (
            report.suggestions
        )
        assert any("'Förtroende' in the copy matched 'Tillit' here" in n for n in report.notes)
        assert report.codings_added == 2 and report.codings_joined == 1 and report.codings_identical == 2
        assert report.memos_added == 1 and report.done_added == 1 and report.event is not None
        # the imported transcript came with its turns and sentences, no re-analysis
        shown = p.show("intervju9")
        assert [t["speaker"] for t in shown["turns"]] == ["Intervjuare", "Elev 9"]
        assert len(shown["sentences"]) == 4
        assert p.search("kuratorn", transcript="intervju9")
        # omar's widened coding is one coding, on Tillit
        omar = sorted((r["code"], r["start"], r["end"]) for r in p.codings.in_transcript(1, "omar"))
        assert omar == [("Frånvaro", 157, 219), ("Tillit", 72, 130)]
        # the memo on ylva's coding in the copy is on her coding here
        memo = next(m for m in p.codings.memos() if m["text"] == "ylvas kommentar")
        coding = p.conn.execute(
            "SELECT coder, text FROM codings WHERE id = ?", (memo["target_id"],)
        ).fetchone()
        assert memo["target_kind"] == "coding" and coding[0] == "ylva"
        assert {r["coder"]: r["done"] for r in p.team.coders()}["omar"] == 1
        assert p.history(1)[0]["action"] == "merge"
    after = _state(ours)
    with Project.open(ours, coder="anna") as p:
        again = p.team.merge(theirs)
    assert not again.changed and again.event is None
    assert _state(ours) == after


def test_merge_is_one_undoable_event(ours: Path, theirs: Path) -> None:
    before = _state(ours)
    with Project.open(ours, coder="anna") as p:
        p.team.merge(theirs)
        after = _state(ours)
        p.undo()
        assert _state(ours) == before
        p.redo()
        assert _state(ours) == after
        assert p.store.integrity_check() == "ok"


def test_dry_run_reports_and_changes_nothing(ours: Path, theirs: Path) -> None:
    before = _state(ours)
    with Project.open(ours, coder="anna") as p:
        report = p.team.merge(theirs, dry_run=True)
        assert report.dry_run and report.transcripts_added == ["intervju9"] and report.event is None
    assert _state(ours) == before


def test_merge_refuses_itself_and_files_that_are_not_projects(ours: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with Project.open(ours, coder="anna") as p:
        with pytest.raises(InvalidOperation):
            p.team.merge(ours)
        with pytest.raises(ProjectError):
            p.team.merge(junk)
        with pytest.raises(ProjectError):
            p.team.merge(tmp_path / "missing.db")


def test_settlements_come_along(ours: Path, tmp_path: Path) -> None:
    copy = tmp_path / "settled.db"
    shutil.copy(ours, copy)
    with Project.open(copy, coder="omar") as p:
        tillit, franvaro = p.team.disagreements(["ylva", "omar"])
        p.team.settle(tillit["id"], "both")
    with Project.open(ours, coder="anna") as p:
        assert len(p.team.disagreements(["ylva", "omar"])) == 2
        report = p.team.merge(copy)
        assert report.settlements_added == 1 and report.changed
        # kept both, in the copy and so here
        assert [d["id"] for d in p.team.disagreements(["ylva", "omar"])] == [franvaro["id"]]
        assert not p.team.merge(copy).changed


def test_an_older_copy_is_brought_up_to_date_in_memory(ours: Path, theirs: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(theirs)  # as a copy made by an earlier ppss_qual: the last migration missing
    for trigger in ("coverage_on_insert", "coverage_on_delete", "coverage_on_update"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DROP TABLE coverage")
    conn.execute(f"PRAGMA user_version={len(MIGRATIONS) - 1}")
    conn.commit()
    conn.close()
    before = theirs.read_bytes()
    with Project.open(ours, coder="anna") as p:
        assert p.team.merge(theirs).transcripts_added == ["intervju9"]
    assert theirs.read_bytes() == before  # the copy itself is not touched


def test_a_coding_inside_an_existing_one_is_skipped(ours: Path, tmp_path: Path, analyser: Analyser) -> None:
    other = _build(tmp_path / "shorter.db", analyser)
    with Project.open(other, coder="omar") as p:
        p.codings.uncode("intervju1", "Tillit", Selector(start=110, end=121))  # omar shortened his
    with Project.open(ours, coder="anna") as p:
        report = p.team.merge(other)
    assert report.codings_covered == 1 and not report.changed  # a merge only adds; removals stay apart
