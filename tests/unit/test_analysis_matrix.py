"""Code-by-group tables: by role and by a participant attribute, with sub-codes and totals."""

from __future__ import annotations

from pathlib import Path

from ppss_qual.coding.operations import Selector
from ppss_qual.project import Project
from tests.conftest import parsed
from tests.unit.test_analysis_cooccurrence import coded

PARENT = [("Intervjuare", "Hur är det hemma?"), ("Förälder 1", "Han var borta mycket. Skolan ringde aldrig.")]


def cells(rows: list[dict[str, object]]) -> dict[tuple[object, object], tuple[object, object]]:
    return {(r["code"], r["group"]): (r["codings"], r["participants"]) for r in rows}


def test_by_role_with_subcodes_and_totals(project: Project) -> None:
    coded(project)
    project.add_transcript(project.analyser.analyse(parsed("t2", PARENT), "sv"))
    project.codings.code("t2", "Frånvaro", Selector(sentence=2), coder="anna")
    project.codings.code("t1", "Frånvaro", Selector(sentence=1), coder="anna")  # interviewer speech
    rows = project.analysis.matrix("role")
    assert {"code", "path", "group", "codings", "participants"} <= set(rows[0])
    groups = list(dict.fromkeys(r["group"] for r in rows))
    assert groups == ["pupil", "parent", "school-staff", "social-services", "interviewer", "total"]
    table = cells(rows)
    assert table[("Frånvaro", "pupil")] == (2, 1)  # two coders' codings of one passage, one pupil
    assert table[("Frånvaro", "parent")] == (1, 1)
    assert table[("Frånvaro", "interviewer")] == (1, 1)
    assert table[("Frånvaro", "total")] == (4, 3)
    assert table[("Skolan", "total")] == (4, 3)  # the theme counts its code
    assert table[("Att bli lyssnad på", "pupil")] == (3, 1)  # and a code its sub-code
    assert table[("Barnets röst", "pupil")] == (5, 1)
    assert table[("Barnets röst", "parent")] == (0, 0)
    assert table[(None, "pupil")] == (7, 1) and table[(None, "total")] == (9, 3)
    theme = next(r for r in rows if r["code"] == "Skolan" and r["group"] == "total")
    assert theme["includes_subcodes"] and theme["path"] == "Skolan"
    code = next(r for r in rows if r["code"] == "Frånvaro" and r["group"] == "pupil")
    assert not code["includes_subcodes"] and code["path"] == "Skolan/Frånvaro" and code["passages"] == 1


def test_interviewer_column_only_when_used(project: Project) -> None:
    coded(project)
    groups = list(dict.fromkeys(r["group"] for r in project.analysis.matrix()))
    assert groups == ["pupil", "parent", "school-staff", "social-services", "total"]


def test_by_attribute(project: Project, tmp_path: Path) -> None:
    coded(project)
    project.add_transcript(project.analyser.analyse(parsed("t2", PARENT), "sv"))
    project.codings.code("t2", "Frånvaro", Selector(sentence=2), coder="anna")
    sheet = tmp_path / "participants.csv"
    sheet.write_text(
        "transcript;speaker;participant;role;grade\nt1;Elev 3;Elev 3;pupil;8\n", encoding="utf-8"
    )
    project.import_participants(sheet)
    rows = project.analysis.matrix("grade")
    assert all(r["by"] == "grade" for r in rows)
    assert list(dict.fromkeys(r["group"] for r in rows)) == ["8", "(none)", "total"]
    table = cells(rows)
    assert table[("Frånvaro", "8")] == (2, 1) and table[("Frånvaro", "(none)")] == (1, 1)
    assert table[(None, "total")] == (8, 2)


def test_filters(project: Project) -> None:
    coded(project)
    table = cells(project.analysis.matrix(coders=["bo"]))
    assert table[("Frånvaro", "pupil")] == (1, 1) and table[(None, "total")] == (1, 1)
    table = cells(project.analysis.matrix(transcripts=["t1"]))
    assert table[(None, "total")] == (7, 1)
