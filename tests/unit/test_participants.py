"""Participants: person labels are shared across transcripts, role labels are per transcript; the sheet overrides."""

from __future__ import annotations

from pathlib import Path

from ppss_qual.model import Role
from ppss_qual.project import Project
from ppss_qual.speakers import read_label
from tests.conftest import parsed


def _add(project: Project, name: str, turns: list[tuple[str, str]], role: Role | None = None) -> int:
    tid, _ = project.add_transcript(project.analyser.analyse(parsed(name, turns), "sv"), role=role)
    return tid


def test_label_meanings() -> None:
    assert read_label("Elev 3").identifies_person and read_label("Elev 3").role is Role.PUPIL
    assert read_label("Anna Berg").identifies_person and read_label("Anna Berg").role is None
    for label, role in [
        ("IP", None),
        ("Elev", Role.PUPIL),
        ("Förälder", Role.PARENT),
        ("I", Role.INTERVIEWER),
        ("Respondent", None),
        ("Intervjuare", Role.INTERVIEWER),
        ("Speaker 1", None),
    ]:
        meaning = read_label(label)
        assert not meaning.identifies_person and meaning.role is role, label


def test_a_person_label_is_one_participant_across_transcripts(project: Project) -> None:
    _add(project, "a", [("Intervjuare", "Hej."), ("Elev 3", "Hej hej.")])
    _add(project, "b", [("Intervjuare", "Hej igen."), ("Elev 3", "Hej igen.")])
    rows = project.participants()
    elev = [r for r in rows if r["name"] == "Elev 3"]
    assert len(elev) == 1 and elev[0]["transcripts"] == ["a", "b"] and elev[0]["role"] == "pupil"
    assert len([r for r in rows if r["name"] == "Intervjuare"]) == 2  # one per transcript


def test_role_sets_the_interviewees_role_not_the_interviewers(project: Project) -> None:
    _add(project, "a", [("I", "Hur är det?"), ("IP", "Bra.")], role=Role.PARENT)
    roles = {r["display"]: r["role"] for r in project.participants()}
    assert roles == {"I (a)": "interviewer", "IP (a)": "parent"}


def test_the_sheet_links_speakers_and_sets_roles_and_attributes(project: Project, tmp_path: Path) -> None:
    _add(project, "a", [("Intervjuare", "Hej."), ("Anna Berg", "Hej.")])
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(
        "transcript,speaker,participant,role,skola,årskurs\n"
        "a,Anna Berg,Förälder 2,parent,Björkdalsskolan,\n"
        "zzz,Elev 9,Elev 9,pupil,,\n".encode("cp1252")
    )
    report = project.import_participants(sheet)
    assert report.updated == 1 and any("zzz" in w for w in report.warnings)
    rows = {r["name"]: r for r in project.participants()}
    assert "Anna Berg" not in rows  # the automatic participant gave way to the sheet's
    assert rows["Förälder 2"]["role"] == "parent"
    assert rows["Förälder 2"]["attributes"] == {"skola": "Björkdalsskolan"}
    assert rows["Förälder 2"]["labels"] == ["Anna Berg"]
    shown = project.show("a")
    assert shown["turns"][1]["role"] == "parent" and shown["turns"][1]["participant"] == "Förälder 2"
    project.undo()
    assert "Anna Berg" in {r["name"] for r in project.participants()}
