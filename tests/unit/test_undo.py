"""Undo and redo act on the acting coder's own most recent changes, across restarts; all are audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppss_qual.coding.operations import Selector
from ppss_qual.errors import NothingToUndo
from ppss_qual.project import Project
from tests.conftest import INTERVIEW, parsed


def _codes(p: Project) -> list[str]:
    return [r["name"] for r in p.codebook.tree()]


def test_undo_and_redo_a_code(project: Project) -> None:
    project.codebook.add("Tillit")
    project.codebook.add("Kontinuitet")
    project.undo()
    assert _codes(project) == ["Tillit"]
    project.redo()
    assert sorted(_codes(project)) == ["Kontinuitet", "Tillit"]


def test_undo_is_per_coder(project: Project) -> None:
    project.codebook.add("Tillit")
    other = Project(project.store, coder="bertil")
    other.codebook.add("Kontinuitet")
    project.undo()  # anna's change, not bertil's later one
    assert _codes(project) == ["Kontinuitet"]
    with pytest.raises(NothingToUndo):
        project.undo()


def test_a_new_change_clears_the_coders_redo(project: Project) -> None:
    project.codebook.add("Tillit")
    project.undo()
    project.codebook.add("Trygghet")
    with pytest.raises(NothingToUndo):
        project.redo()
    assert _codes(project) == ["Trygghet"]


def test_undo_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Project.open(path, coder="anna") as p:
        p.codebook.add("Tillit")
        p.codebook.add("Trygghet")
    with Project.open(path, coder="anna") as p:
        p.undo()
        assert _codes(p) == ["Tillit"]
    with Project.open(path, coder="anna") as p:
        p.redo()
        assert sorted(_codes(p)) == ["Tillit", "Trygghet"]


def test_undo_of_an_import_hides_the_transcript_and_redo_brings_it_back(project: Project) -> None:
    tid, _ = project.add_transcript(project.analyser.analyse(parsed("intervju1", INTERVIEW), "sv"))
    project.undo()
    assert project.transcripts() == []
    project.redo()
    assert [t["id"] for t in project.transcripts()] == [tid]


def test_every_change_is_in_the_audit_log_with_its_coder(project: Project, interview: int) -> None:
    project.codebook.add("Tillit")
    project.codings.code("intervju1", "Tillit", Selector(turn=2))
    project.undo()
    actions = [(e["coder"], e["action"]) for e in reversed(project.history())]
    assert actions == [("anna", "import"), ("anna", "code.add"), ("anna", "code"), ("anna", "undo")]


def test_undo_refuses_when_someone_else_changed_the_row_since(project: Project, interview: int) -> None:
    project.codebook.add("Tillit")
    bertil = Project(project.store, coder="bertil")
    bertil.codebook.rename("Tillit", name="Förtroende")
    # anna's add cannot be undone by deleting a row bertil has since renamed? It can: the row exists.
    project.undo()
    assert _codes(project) == []
    with pytest.raises(Exception, match="cannot be reversed|gone since|cannot be restored"):
        bertil.undo()  # the renamed row is gone: bertil's rename cannot be reversed
    assert _codes(project) == []


def test_bulk_inserted_codings_undo_and_redo_as_one_change(project: Project, interview: int) -> None:
    from ppss_qual.store import codes as code_store
    from ppss_qual.store.changes import Recorder

    project.codebook.add("Tillit")
    cid = project.codebook.resolve("Tillit").id
    text = project.transcript("intervju1").text or ""
    with project.store.write() as conn:
        rec = Recorder(conn)
        ids = code_store.insert_codings(
            rec, [(interview, cid, "anna", 0, 5, text[0:5]), (interview, cid, "anna", 10, 20, text[10:20])]
        )
        rec.log("anna", "bulk", "two codings")
    assert len(ids) == 2 and len(project.codings.in_transcript(interview)) == 2
    project.undo()
    assert project.codings.in_transcript(interview) == []
    project.redo()
    assert [c["id"] for c in project.codings.in_transcript(interview)] == ids
