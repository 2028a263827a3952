"""Coders, done marks, differences, disagreements and settling them: each undoable and in the audit log."""

from __future__ import annotations

import pytest

from ppss_qual.coding.operations import Selector
from ppss_qual.errors import InvalidOperation, NotFound
from ppss_qual.project import Project


@pytest.fixture
def team(project: Project, interview: int) -> Project:
    """ylva and omar on intervju1 (219 characters; turn 2 is 55-121, turn 4 157-219)."""
    for name in ("Tillit", "Att bli lyssnad på", "Trygghet"):
        project.codebook.add(name)
    code = project.codings.code
    code("intervju1", "Tillit", Selector(start=72, end=94), coder="ylva")  # a shorter span ...
    code("intervju1", "Tillit", Selector(start=55, end=121), coder="omar")  # ... inside omar's longer one
    code("intervju1", "Att bli lyssnad på", Selector(turn=4), coder="ylva")  # agreement
    code("intervju1", "Att bli lyssnad på", Selector(turn=4), coder="omar")
    code("intervju1", "Trygghet", Selector(start=157, end=186), coder="omar")  # only omar
    return project


def _coding_spans(project: Project, coder: str, code: str) -> list[tuple[int, int]]:
    return sorted(
        (r["start"], r["end"]) for r in project.codings.in_transcript(1, coder) if r["code"] == code
    )


def test_coders_and_done_marks(team: Project) -> None:
    rows = {r["coder"]: r for r in team.team.coders()}
    assert rows["omar"]["codings"] == 3 and rows["ylva"]["codings"] == 2
    assert rows["omar"]["transcripts_coded"] == 1 and rows["omar"]["done"] == 0
    assert team.team.mark_done("intervju1", coder="ylva") is True
    assert team.team.mark_done("intervju1", coder="ylva") is False
    rows = {r["coder"]: r for r in team.team.coders()}
    assert rows["ylva"]["done"] == 1 and rows["ylva"]["done_transcripts"] == ["intervju1"]
    assert team.history(1)[0]["action"] == "done" and team.history(1)[0]["coder"] == "ylva"
    # a coder who only marked a transcript done is a coder too
    team.team.mark_done("intervju1", coder="sara")
    assert team.team.coded_by("intervju1") == ["omar", "sara", "ylva"]
    sara = Project(team.store, coder="sara")
    sara.undo()
    assert team.team.coded_by("intervju1") == ["omar", "ylva"]
    assert team.team.unmark_done("intervju1", coder="ylva") is True
    assert team.team.unmark_done("intervju1", coder="ylva") is False
    with pytest.raises(NotFound):
        team.team.mark_done("nothing here")


def test_codings_by_coder_and_differences(team: Project) -> None:
    by = team.team.codings_by_coder("intervju1")
    assert list(by) == ["omar", "ylva"] and len(by["omar"]) == 3
    diffs = team.team.differences("intervju1", ["ylva", "omar"])
    assert [(d["code"], d["start"], d["end"], d["coders"]) for d in diffs] == [
        ("Tillit", 55, 72, ["omar"]),
        ("Tillit", 94, 121, ["omar"]),
        ("Trygghet", 157, 186, ["omar"]),
    ]
    assert diffs[0]["not_coded"] == ["ylva"]
    assert team.team.differences("intervju1", code="Trygghet")[0]["start"] == 157
    # a coder who has not coded the transcript is missing there, not disagreeing
    assert team.team.differences("intervju1", ["ylva", "sara"]) == []


def test_disagreements_one_per_coded_passage_with_both_versions(team: Project) -> None:
    rows = team.team.disagreements(["ylva", "omar"])
    assert [(r["code"], r["kind"], r["start"], r["end"]) for r in rows] == [
        ("Tillit", "span", 55, 121),  # ylva's shorter span vs omar's longer one: one disagreement
        ("Trygghet", "only_b", 157, 186),
    ]
    tillit = rows[0]
    assert tillit["a_spans"] == [[72, 94]] and tillit["b_spans"] == [[55, 121]]
    text = team.show("intervju1")["text"]
    assert tillit["a_text"] == text[72:94] and tillit["b_text"] == text[55:121]
    assert rows[1]["a_text"] == "" and rows[1]["a_spans"] == []
    # stable: the same codings give the same IDs; the other order has its own
    again = team.team.disagreements(["ylva", "omar"])
    assert [r["id"] for r in again] == [r["id"] for r in rows]
    flipped = team.team.disagreements(["omar", "ylva"])
    assert flipped[0]["a_spans"] == [[55, 121]] and flipped[0]["id"] != tillit["id"]
    assert team.team.disagreements(["ylva", "omar"], code="Trygghet")[0]["code"] == "Trygghet"
    with pytest.raises(InvalidOperation):
        team.team.disagreements(["ylva"])


def test_settle_take_a_gives_both_coders_a_version_and_undo_restores(team: Project) -> None:
    tillit = team.team.disagreements(["ylva", "omar"])[0]
    summary = team.team.settle(tillit["id"], "A", coder="ylva")
    assert "took ylva's version" in summary
    assert _coding_spans(team, "omar", "Tillit") == [(72, 94)] == _coding_spans(team, "ylva", "Tillit")
    assert [r["code"] for r in team.team.disagreements(["ylva", "omar"])] == ["Trygghet"]
    row = next(r for r in team.team.agreement(["ylva", "omar"]) if r["code"] == "Tillit")
    assert row["kappa"] == 1.0
    event = team.history(1)[0]
    assert (event["action"], event["coder"]) == ("settle", "ylva")
    assert [(r["take"], r["settled_by"]) for r in team.team.settled()] == [("ylva", "ylva")]
    Project(team.store, coder="ylva").undo()
    assert _coding_spans(team, "omar", "Tillit") == [(55, 121)]
    assert len(team.team.disagreements(["ylva", "omar"])) == 2


def test_settle_take_b_by_name_from_the_other_order(team: Project) -> None:
    tillit = team.team.disagreements(["omar", "ylva"])[0]
    team.team.settle(tillit["id"], "ylva")  # B here, named
    assert _coding_spans(team, "omar", "Tillit") == [(72, 94)]


def test_settle_neither_removes_both_versions(team: Project) -> None:
    tillit = team.team.disagreements(["ylva", "omar"])[0]
    team.team.settle(tillit["id"][:5], "neither")
    assert _coding_spans(team, "omar", "Tillit") == [] == _coding_spans(team, "ylva", "Tillit")
    team.undo()
    assert _coding_spans(team, "ylva", "Tillit") == [(72, 94)]


def test_settle_both_is_remembered_and_undoable(team: Project) -> None:
    trygghet = team.team.disagreements(["ylva", "omar"])[1]
    team.team.settle(trygghet["id"], "both", note="Båda läsningarna håller")
    assert [r["code"] for r in team.team.disagreements(["ylva", "omar"])] == ["Tillit"]
    assert [r["code"] for r in team.team.disagreements(["omar", "ylva"])] == ["Tillit"]
    listed = team.team.disagreements(["ylva", "omar"], include_settled=True)
    assert [r["settled"] for r in listed] == [False, True]
    memo = team.codings.memos("transcript")[-1]
    assert "Båda läsningarna håller" in memo["text"] and trygghet["id"] in memo["text"]
    assert _coding_spans(team, "omar", "Trygghet") == [(157, 186)]  # codings untouched
    settled = team.team.settled()[0]
    assert (settled["code"], settled["take"], settled["coders"], settled["settled_by"]) == (
        "Trygghet",
        "both",
        "ylva,omar",
        "anna",
    )
    # if the codings change, it is a new disagreement
    omar = Project(team.store, coder="omar")
    omar.codings.code("intervju1", "Trygghet", Selector(start=150, end=190))
    assert [r["code"] for r in team.team.disagreements(["ylva", "omar"])] == ["Tillit", "Trygghet"]
    omar.undo()
    assert [r["code"] for r in team.team.disagreements(["ylva", "omar"])] == ["Tillit"]
    team.undo()  # the settlement: it and its memo go, and the disagreement is open again
    assert len(team.team.disagreements(["ylva", "omar"])) == 2
    assert team.team.settled() == [] and "Båda" not in str(team.codings.memos())


def test_settle_moves_memos_of_replaced_codings(team: Project) -> None:
    omar_tillit = next(r for r in team.codings.in_transcript(1, "omar") if r["code"] == "Tillit")
    team.codings.add_memo(f"coding:{omar_tillit['id']}", "omars tanke")
    tillit = team.team.disagreements(["ylva", "omar"])[0]
    team.team.settle(tillit["id"], "A")
    memo = next(m for m in team.codings.memos() if m["text"] == "omars tanke")
    new = next(r for r in team.codings.in_transcript(1, "omar") if r["code"] == "Tillit")
    assert (memo["target_kind"], memo["target_id"]) == ("coding", new["id"])


def test_touching_codings_cover_the_same_text_as_one(team: Project) -> None:
    code = team.codings.code
    code("intervju1", "Trygghet", Selector(start=157, end=170), coder="ylva")
    code("intervju1", "Trygghet", Selector(start=170, end=186), coder="ylva")
    assert [r["code"] for r in team.team.disagreements(["ylva", "omar"])] == ["Tillit"]


def test_settle_refuses_unknown_ids_and_takes(team: Project) -> None:
    tillit = team.team.disagreements(["ylva", "omar"])[0]
    with pytest.raises(NotFound):
        team.team.settle("ffffffff", "A")
    with pytest.raises(InvalidOperation):
        team.team.settle(tillit["id"], "C")
    with pytest.raises(InvalidOperation):
        team.team.settle("ab", "A")
    team.team.settle(tillit["id"], "A")
    with pytest.raises(NotFound):  # settled: no longer open
        team.team.settle(tillit["id"], "B")
