"""Code operations: each one transaction, audited, undoable; renaming or merging never loses a coding."""

from __future__ import annotations

import pytest

from ppss_qual.coding.operations import Selector
from ppss_qual.errors import InvalidOperation, NotFound
from ppss_qual.project import Project


def _codings(p: Project, tid: int) -> list[tuple[str, str, int, int]]:
    return [(c["code"], c["coder"], c["start"], c["end"]) for c in p.codings.in_transcript(tid)]


@pytest.fixture
def coded(project: Project, interview: int) -> int:
    project.codebook.add("Barnets röst", name_en="The child's voice")
    project.codebook.add("Att bli lyssnad på", parent="Barnets röst", name_en="Being listened to")
    project.codebook.add("Tillit", parent="Barnets röst", name_en="Trust")
    project.codings.code("intervju1", "Att bli lyssnad på", Selector(turn=2))
    return interview


def test_add_refuses_a_name_used_twice_in_either_language(project: Project) -> None:
    project.codebook.add("Tillit", name_en="Trust")
    with pytest.raises(InvalidOperation, match="exists already"):
        project.codebook.add("TILLIT")
    with pytest.raises(InvalidOperation, match="English name"):
        project.codebook.add("Förtroende", name_en="trust")


def test_add_warns_when_a_name_is_close_to_an_existing_one(project: Project) -> None:
    project.codebook.add("Kontinuitet")
    _, warnings = project.codebook.add("Kontinutet")
    assert warnings and "Kontinuitet" in warnings[0]


def test_a_code_is_found_by_name_english_name_or_path(project: Project, coded: int) -> None:
    assert project.codebook.resolve("att bli lyssnad på").name == "Att bli lyssnad på"
    assert project.codebook.resolve("Being listened to").name == "Att bli lyssnad på"
    assert project.codebook.resolve("Barnets röst/Tillit").name == "Tillit"
    with pytest.raises(NotFound):
        project.codebook.resolve("Nothing like it")


def test_rename_keeps_the_codings(project: Project, coded: int) -> None:
    project.codebook.rename("Att bli lyssnad på", name="Att bli hörd")
    assert [c[0] for c in _codings(project, coded)] == ["Att bli hörd"]
    project.undo()
    assert [c[0] for c in _codings(project, coded)] == ["Att bli lyssnad på"]


def test_move_refuses_a_cycle_and_undoes(project: Project, coded: int) -> None:
    with pytest.raises(InvalidOperation, match="inside itself"):
        project.codebook.move("Barnets röst", "Tillit")
    project.codebook.move("Tillit", None)
    assert project.codebook.resolve("Tillit").parent_id is None
    project.undo()
    assert project.codebook.resolve("Tillit").parent_id == project.codebook.resolve("Barnets röst").id


def test_merge_moves_codings_and_one_coders_double_coding_becomes_one(project: Project, coded: int) -> None:
    project.codings.code("intervju1", "Tillit", Selector(turn=2))  # anna: same passage, both codes
    project.codings.code("intervju1", "Tillit", Selector(turn=4), coder="bertil")
    project.codebook.merge("Tillit", "Att bli lyssnad på")
    rows = _codings(project, coded)
    assert [(c, k) for c, k, _, _ in rows] == [
        ("Att bli lyssnad på", "anna"),
        ("Att bli lyssnad på", "bertil"),
    ]
    with pytest.raises(NotFound):
        project.codebook.resolve("Tillit")
    project.undo()
    assert sorted((c, k) for c, k, _, _ in _codings(project, coded)) == [
        ("Att bli lyssnad på", "anna"),
        ("Tillit", "anna"),
        ("Tillit", "bertil"),
    ]


def test_delete_is_refused_while_codings_exist_and_forced_delete_undoes(project: Project, coded: int) -> None:
    project.codings.add_memo("code:Att bli lyssnad på", "Viktig kod")
    with pytest.raises(InvalidOperation, match="--force"):
        project.codebook.delete("Att bli lyssnad på")
    assert project.codebook.delete("Att bli lyssnad på", force=True) == 1
    assert _codings(project, coded) == []
    project.undo()
    assert [c[0] for c in _codings(project, coded)] == ["Att bli lyssnad på"]
    assert [m["text"] for m in project.codings.memos("code")] == ["Viktig kod"]


def test_deleting_a_theme_needs_force_for_its_sub_codes(project: Project, coded: int) -> None:
    with pytest.raises(InvalidOperation, match="sub-codes"):
        project.codebook.delete("Barnets röst")
    project.codebook.delete("Barnets röst", force=True)
    assert project.codebook.tree() == []
    project.undo()
    assert len(project.codebook.tree()) == 3


def test_find_tolerates_fragments_and_misspellings_in_both_languages(project: Project, coded: int) -> None:
    project.codebook.add("Kontinuitet", name_en="Continuity")
    assert project.codebook.find("lysnad")[0]["name"] == "Att bli lyssnad på"
    assert project.codebook.find("listened")[0]["name"] == "Att bli lyssnad på"
    assert project.codebook.find("kontinutet")[0]["name"] == "Kontinuitet"


def test_coding_the_same_passage_twice_is_one_coding_and_overlaps_join(project: Project, coded: int) -> None:
    project.codings.code("intervju1", "Att bli lyssnad på", Selector(turn=2))
    assert len(_codings(project, coded)) == 1
    project.codings.code("intervju1", "Tillit", Selector(sentence=2))
    project.codings.code("intervju1", "Tillit", Selector(sentence=3))  # adjacent, not overlapping
    assert len([c for c in _codings(project, coded) if c[0] == "Tillit"]) == 2
    project.codings.code("intervju1", "Tillit", Selector(turn=2))  # covers both: they join
    tillit = [c for c in _codings(project, coded) if c[0] == "Tillit"]
    assert len(tillit) == 1


def test_uncode_cuts_a_coding_back_and_undo_restores_it(project: Project, coded: int) -> None:
    text = project.transcript("intervju1").text or ""
    project.codings.uncode("intervju1", "Att bli lyssnad på", Selector(match="Ingen lyssnade på mig."))
    rows = project.codings.in_transcript(coded)
    assert len(rows) == 2 and all("Ingen lyssnade" not in r["text"] for r in rows)
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    project.undo()
    assert len(project.codings.in_transcript(coded)) == 1


def test_match_selector_errors_are_clear(project: Project, coded: int) -> None:
    with pytest.raises(NotFound, match="not in any turn"):
        project.codings.code("intervju1", "Tillit", Selector(match="finns inte"))
    with pytest.raises(InvalidOperation, match="outside the text"):
        project.codings.code("intervju1", "Tillit", Selector(start=5, end=10**6))
    assert len(project.codings.in_transcript(coded)) == 1


def test_a_coding_keeps_a_copy_of_its_text(project: Project, coded: int) -> None:
    row = project.codings.in_transcript(coded)[0]
    assert row["text"] == "Det var jobbigt. Ingen lyssnade på mig. Barnen i klassen var okej."
    assert project.codings.drift() == []


def test_recent_codes_are_the_coders_own_newest_first(project: Project, coded: int) -> None:
    project.codings.code("intervju1", "Tillit", Selector(sentence=2))
    project.codings.code("intervju1", "Barnets röst", Selector(sentence=3), coder="bertil")
    assert project.codings.recent_codes() == ["Tillit", "Att bli lyssnad på"]
    assert project.codings.recent_codes("bertil") == ["Barnets röst"]


def test_removing_another_coders_coding_needs_force(project: Project, coded: int) -> None:
    cid = project.codings.in_transcript(coded)[0]["id"]
    with pytest.raises(InvalidOperation, match="belongs to anna"):
        project.codings.remove(cid, coder="bertil")
    project.codings.remove(cid, coder="bertil", force=True)
    assert project.codings.in_transcript(coded) == []
