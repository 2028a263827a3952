"""Excerpt queries on a small coded interview: what each operator gives, filters, exact text, context."""

from __future__ import annotations

import pytest

from ppss_qual.analysis.query import QueryError
from ppss_qual.coding.operations import Selector
from ppss_qual.errors import InvalidOperation
from ppss_qual.project import Project
from tests.unit.test_analysis_cooccurrence import coded

KEYS = {"id", "code", "transcript", "speaker", "role", "line", "start", "end", "text", "coder", "memo"}


def spans(rows: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    return [(r["coded_as"], r["start"], r["end"]) for r in rows]


def sentence(project: Project, n: int) -> tuple[int, int]:
    s = project.show("t1")["sentences"][n - 1]
    return s["start"], s["end"]


def turn(project: Project, n: int) -> tuple[int, int]:
    t = project.show("t1")["turns"][n - 1]
    return t["start"], t["end"]


def test_every_excerpt_with_its_source_and_exact_text(project: Project) -> None:
    coded(project)
    rows = project.analysis.excerpts()
    assert len(rows) == 7
    text = project.show("t1")["text"]
    for r in rows:
        assert KEYS <= set(r)
        assert r["text"] == text[r["start"] : r["end"]]
        assert r["transcript"] == "t1" and r["speaker"] == "Elev 3" and r["role"] == "pupil"
    first = rows[0]
    assert (first["code"], first["line"], first["turn"]) == ("Frånvaro", 3, 2)
    assert [r["coder"] for r in rows[:2]] == ["anna", "bo"]


def test_a_code_includes_its_sub_codes(project: Project) -> None:
    coded(project)
    assert len(project.analysis.excerpts("Tillit")) == 2
    heard = project.analysis.excerpts('"Att bli lyssnad på"')
    assert sorted(r["code"] for r in heard) == [
        "Att bli lyssnad på",
        "Att bli lyssnad på",
        "Lyssnad av vuxna",
    ]
    assert len(project.analysis.excerpts('"Barnets röst"')) == 5
    assert len(project.analysis.excerpts('"being listened to"')) == 3  # the English name works too
    assert len(project.analysis.excerpts("Skolan/Frånvaro")) == 2  # and a path


def test_and_gives_the_turns_that_hold_both(project: Project) -> None:
    coded(project)
    rows = project.analysis.excerpts("Tillit AND Frånvaro")
    assert len(rows) == 1
    r = rows[0]
    assert (r["start"], r["end"]) == turn(project, 2)
    assert r["text"] == "Jag var borta mycket. Ingen lyssnade på mig. Sen kom Sara."
    assert r["code"] == "Tillit AND Frånvaro" and r["id"] is None and r["coder"] is None
    assert len(r["codings"]) == 3 and r["coders"] == ["anna", "bo"]  # Frånvaro by both, Tillit by anna
    both = project.analysis.excerpts('Tillit AND "Att bli lyssnad på"')
    assert [(r["start"], r["end"]) for r in both] == [turn(project, 2), turn(project, 4)]


def test_not_gives_codings_in_turns_without_the_other(project: Project) -> None:
    coded(project)
    rows = project.analysis.excerpts("Tillit NOT Frånvaro")
    assert spans(rows) == [("Tillit", *turn(project, 4))]
    assert rows[0]["code"] == "Tillit NOT Frånvaro" and rows[0]["id"] is not None
    assert spans(project.analysis.excerpts("Tillit AND NOT Frånvaro")) == spans(rows)


def test_near_counts_sentences(project: Project) -> None:
    coded(project)
    touching = project.analysis.excerpts('Tillit NEAR/0 "Att bli lyssnad på"')
    assert spans(touching) == [("Tillit", *turn(project, 4))]
    near = project.analysis.excerpts('Tillit NEAR/1 "Att bli lyssnad på"')
    assert spans(near) == [("Tillit", *sentence(project, 4)), ("Tillit", *turn(project, 4))]
    assert project.analysis.excerpts("Frånvaro NEAR/1 Tillit") == []  # sentence 2 is two from 4
    assert len(project.analysis.excerpts("Frånvaro NEAR/2 Tillit")) == 2


def test_or_gives_either(project: Project) -> None:
    coded(project)
    rows = project.analysis.excerpts("Tillit OR Frånvaro")
    assert len(rows) == 4 and {r["code"] for r in rows} == {"Tillit OR Frånvaro"}
    assert len(project.analysis.excerpts("Tillit OR Tillit")) == 2


def test_filters(project: Project) -> None:
    coded(project)
    project.codings.code("t1", "Frånvaro", Selector(sentence=1), coder="anna")
    assert [r["role"] for r in project.analysis.excerpts(roles=["intervjuare"])] == ["interviewer"]
    assert len(project.analysis.excerpts("Frånvaro", roles=["elev"])) == 2
    assert len(project.analysis.excerpts(coders=["bo"])) == 1
    assert len(project.analysis.excerpts(transcripts=["t1"])) == 8
    with pytest.raises(InvalidOperation, match="unknown role"):
        project.analysis.excerpts(roles=["rektor"])


def test_text_filter_finds_inflected_forms(project: Project) -> None:
    coded(project)
    assert "lyssna" in project.analysis.word_lemmas("lyssnar")
    assert project.analysis.word_lemmas("lyssnade") == ["lyssna"]
    rows = project.analysis.excerpts(text="lyssna")
    assert sorted((r["code"], r["start"]) for r in rows) == sorted(
        [("Att bli lyssnad på", sentence(project, 3)[0]), ("Att bli lyssnad på", sentence(project, 6)[0]),
         ("Tillit", turn(project, 4)[0])]
    )  # fmt: skip
    assert spans(project.analysis.excerpts("Tillit", text="lyssnar henne")) == [("Tillit", *turn(project, 4))]
    assert project.analysis.excerpts(text="skolan") == []


def test_attributes_context_and_memo(project: Project, tmp_path: object) -> None:
    coded(project)
    sheet = tmp_path / "p.csv"  # type: ignore[operator]
    sheet.write_text(
        "transcript,speaker,participant,role,school\nt1,Elev 3,Elev 3,pupil,Björkdalsskolan\n",
        encoding="utf-8",
    )
    project.import_participants(sheet)
    rows = project.analysis.excerpts("Tillit", attributes={"school": "björkdalsskolan"}, context=True)
    assert len(rows) == 2 and rows[0]["attributes"] == {"school": "Björkdalsskolan"}
    assert rows[0]["context"] == "Jag var borta mycket. Ingen lyssnade på mig. Sen kom Sara."
    assert project.analysis.excerpts(attributes={"school": "Sjöviksskolan"}) == []
    project.codings.add_memo(f"coding:{rows[0]['id']}", "Sara köpte choklad.")
    assert project.analysis.excerpts("Tillit")[0]["memo"] == "Sara köpte choklad."


def test_query_errors_name_unknown_codes(project: Project) -> None:
    coded(project)
    with pytest.raises(QueryError) as caught:
        project.analysis.excerpts("Tillit AND Nope")
    assert caught.value.position == 11 and "no code named 'Nope'" in str(caught.value)
