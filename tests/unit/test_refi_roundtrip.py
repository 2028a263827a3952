"""REFI-QDA round trip with real names: export, import into a new project, and nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.project import Project
from tests.unit.test_refi_support import build_project, qde_of, snapshot


@pytest.fixture
def source(analyser: Analyser, tmp_path: Path) -> Project:
    p = build_project(None, analyser, tmp_path)
    yield p
    p.close()


@pytest.mark.parametrize("unit", ["codepoints", "utf16"])
def test_round_trip_keeps_everything(source: Project, analyser: Analyser, tmp_path: Path, unit: str) -> None:
    out = tmp_path / f"study-{unit}.qdpx"
    source.refi.export_qdpx(out, offsets=unit)
    target = Project.memory("someone else", analyser=analyser)
    report = target.refi.import_qdpx(out)
    assert report.unit == unit
    assert report.not_imported == [] and report.warnings == [] and report.unverified == []
    before, after = snapshot(source), snapshot(target)
    for part in before:
        assert after[part] == before[part], part
    # The parts a user sees, spelled out: all fields of a code, and who said what.
    code = target.codebook.resolve("Barnets röst")
    assert (code.name_en, code.colour, code.keywords) == (
        "The child's voice",
        "#4A90D9",
        ["lyssna", "höra", "röst"],
    )
    assert code.definition == "Hur eleven kommer till tals.\nFörsta raden och andra."
    assert code.example == '"Nu känner jag mig lyssnad på."'
    assert target.codebook.resolve("Barnets röst/Att bli lyssnad på/Inte lyssnad på").keywords == ["ignorera"]
    lena = next(p for p in target.participants() if p["name"] == "Lena Holmqvist")
    assert lena["role"] == "social-services" and lena["pseudonym"] == "Socialsekreterare A"
    assert lena["attributes"] == {"school": "Björkdalsskolan"} and lena["labels"] == ["Lena Holmqvist"]
    times = [(t["time_start_ms"], t["time_end_ms"]) for t in target.show("samtal2")["turns"]]
    assert times == [(3562, 13696), (16021, 19924), (20752, None), (None, 47668)]


def test_the_interviewers_words_stay_the_interviewers(
    source: Project, analyser: Analyser, tmp_path: Path
) -> None:
    out = tmp_path / "s.qdpx"
    source.refi.export_qdpx(out)
    target = Project.memory("x", analyser=analyser)
    target.refi.import_qdpx(out)
    for t in target.show("intervju1")["turns"]:
        expected = {"Intervjuare": "interviewer", "Elev 3": "pupil", None: None}[t["speaker"]]
        assert t["role"] == expected


def test_import_is_one_undoable_event(source: Project, analyser: Analyser, tmp_path: Path) -> None:
    out = tmp_path / "s.qdpx"
    source.refi.export_qdpx(out)
    target = Project.memory("x", analyser=analyser)
    report = target.refi.import_qdpx(out)
    assert [e["action"] for e in target.history()] == ["import"] and report.event_id is not None
    target.undo()
    assert target.transcripts() == [] and target.codebook.tree() == [] and target.codings.memos() == []
    assert target.participants() == []
    assert target.conn.execute("SELECT count(*) FROM codings").fetchone()[0] == 0
    target.redo()
    assert snapshot(target) == snapshot(source)


def test_reimport_into_the_same_project_changes_nothing(source: Project, tmp_path: Path) -> None:
    out = tmp_path / "s.qdpx"
    source.refi.export_qdpx(out)
    before = snapshot(source)
    events = len(source.history())
    report = source.refi.import_qdpx(out)
    assert report.transcripts == [] and sorted(report.matched) == ["intervju1", "samtal2"]
    assert report.codes_added == 0 and report.codings == 0 and report.duplicates == 7 and report.memos == 0
    assert snapshot(source) == before and len(source.history()) == events


def test_matched_transcripts_get_the_files_codings(
    source: Project, analyser: Analyser, tmp_path: Path
) -> None:
    """A project that already has the texts (same content) gets the codings of the file, nothing twice."""
    out = tmp_path / "s.qdpx"
    source.refi.export_qdpx(out)
    target = Project.memory("x", analyser=analyser)
    target.refi.import_qdpx(out)
    with target.store.write() as conn:
        conn.execute("DELETE FROM memos WHERE target_kind = 'coding'")
        conn.execute("DELETE FROM codings WHERE coder = 'bo'")
    report = target.refi.import_qdpx(out)
    assert report.transcripts == [] and len(report.matched) == 2
    assert report.codings == 3 and report.duplicates == 4
    assert snapshot(target)["codings"] == snapshot(source)["codings"]


def test_guids_are_stable_across_exports(source: Project, tmp_path: Path) -> None:
    import re

    source.refi.export_qdpx(tmp_path / "a.qdpx")
    source.refi.export_qdpx(tmp_path / "b.qdpx")
    stamp = re.compile(rb' creationDateTime="[^"]*"')
    first, second = (stamp.sub(b"", qde_of(tmp_path / n)) for n in ("a.qdpx", "b.qdpx"))
    assert first == second
