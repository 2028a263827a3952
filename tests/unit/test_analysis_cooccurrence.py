"""Co-occurrence by every unit, worked by hand on a small interview, and its measures."""

from __future__ import annotations

import pytest

from ppss_qual.analysis import cooccurrence as cooc
from ppss_qual.analysis.segments import Segments
from ppss_qual.coding.operations import Selector
from ppss_qual.errors import InvalidOperation
from ppss_qual.project import Project
from tests.conftest import parsed

# Sentences: 1 (turn 1, interviewer) | 2 3 4 (turn 2, pupil) | 5 (turn 3, interviewer) | 6 7 (turn 4, pupil)
TALK = [
    ("Intervjuare", "Hur var det?"),
    ("Elev 3", "Jag var borta mycket. Ingen lyssnade på mig. Sen kom Sara."),
    ("Intervjuare", "Och sen?"),
    ("Elev 3", "Hon lyssnade. Jag litar på henne nu."),
]


def coded(project: Project) -> Project:
    """Frånvaro on sentence 2 by two coders; Lyssnad on 3 and 6; its sub-code Vuxna on 7; Tillit on 4
    and on all of turn 4 (sentences 6 and 7)."""
    project.add_transcript(project.analyser.analyse(parsed("t1", TALK), "sv"))
    cb = project.codebook
    cb.add("Barnets röst", name_en="The child's voice")
    cb.add("Att bli lyssnad på", parent="Barnets röst", name_en="Being listened to")
    cb.add("Lyssnad av vuxna", parent="Att bli lyssnad på", name_en="Heard by adults")
    cb.add("Tillit", parent="Barnets röst", name_en="Trust")
    cb.add("Skolan", name_en="School")
    cb.add("Frånvaro", parent="Skolan", name_en="Absence")
    code = project.codings.code
    code("t1", "Frånvaro", Selector(sentence=2), coder="anna")
    code("t1", "Frånvaro", Selector(sentence=2), coder="bo")  # the same span: counts once
    code("t1", "Att bli lyssnad på", Selector(sentence=3), coder="anna")
    code("t1", "Tillit", Selector(sentence=4), coder="anna")
    code("t1", "Att bli lyssnad på", Selector(sentence=6), coder="anna")
    code("t1", "Lyssnad av vuxna", Selector(sentence=7), coder="anna")
    code("t1", "Tillit", Selector(turn=4), coder="anna")
    return project


F, L, V, T = "Frånvaro", "Att bli lyssnad på", "Lyssnad av vuxna", "Tillit"


def table(project: Project, unit: str, **kw: object) -> tuple[dict[str, int], dict[frozenset[str], int]]:
    rows = project.analysis.cooccurrence(unit, **kw)
    n: dict[str, int] = {}
    pairs: dict[frozenset[str], int] = {}
    for r in rows:
        n[r["code_a"]], n[r["code_b"]] = r["n_a"], r["n_b"]
        pairs[frozenset((r["code_a"], r["code_b"]))] = r["n_ab"]
        assert r["unit"] == unit
    return n, pairs


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def test_atlas_ti_c_coefficient_example() -> None:
    assert round(cooc.jaccard(100, 10, 5), 3) == 0.048
    assert cooc.overlap_coefficient(100, 10, 5) == 0.5
    assert cooc.imbalanced(100, 10) and not cooc.imbalanced(50, 10)


def test_overlap_unit_counts_spans_sharing_a_character(project: Project) -> None:
    n, pairs = table(coded(project), "overlap")
    assert pairs == {pair(L, T): 1, pair(V, T): 1}  # turn 2's codes lie in different sentences
    assert n[T] == 2 and n[L] == 2 and n[V] == 1


def test_two_coders_on_one_span_count_once(project: Project) -> None:
    n, _pairs = table(coded(project), "turn")
    assert n[F] == 1
    rows = project.analysis.cooccurrence("overlap", codes=["Skolan", "Barnets röst"])
    assert all(r["n_a"] <= 2 and r["n_b"] <= 2 for r in rows)


def test_sentences_zero_is_touching_one_sentence(project: Project) -> None:
    _n, pairs = table(coded(project), "sentences:0")
    assert pairs == {pair(L, T): 1, pair(V, T): 1}


def test_sentences_one_reaches_the_next_sentence(project: Project) -> None:
    n, pairs = table(coded(project), "sentences:1")
    # F(2)~L(3); L(3)~T(4) and L(6)~T(6-7); V(7)~T(6-7); L(6)~V(7). Sentence 5 lies between 4 and 6.
    assert pairs == {pair(F, L): 1, pair(L, T): 2, pair(V, T): 1, pair(L, V): 1}
    assert n[F] == 1 and n[T] == 2


def test_turn_unit_pairs_codes_in_different_sentences_of_one_turn(project: Project) -> None:
    n, pairs = table(coded(project), "turn")
    assert n == {F: 1, L: 2, V: 1, T: 2}
    assert pairs == {pair(F, L): 1, pair(F, T): 1, pair(L, T): 2, pair(L, V): 1, pair(V, T): 1}
    row = next(r for r in project.analysis.cooccurrence("turn") if {r["code_a"], r["code_b"]} == {L, T})
    assert row["jaccard"] == 1.0 and row["overlap"] == 1.0 and not row["imbalanced"]


def test_transcript_unit(project: Project) -> None:
    n, pairs = table(coded(project), "transcript")
    assert set(n.values()) == {1} and len(pairs) == 6 and set(pairs.values()) == {1}


def test_nested_codes_count_as_coded_or_rolled_up_to_themes(project: Project) -> None:
    coded(project)
    _n, pairs = table(project, "turn")
    assert pair(L, V) in pairs  # a sub-code is its own node unless rolled up
    n, pairs = table(project, "turn", themes=True)
    assert n == {"Barnets röst": 2, "Skolan": 1}
    assert pairs == {pair("Barnets röst", "Skolan"): 1}
    counted, tree = project.analysis.counts("overlap", themes=True)
    assert {tree[c].name: v for c, v in counted.n.items()} == {"Barnets röst": 5, "Skolan": 1}
    assert counted.pairs == {}


def test_filters_role_coder_and_code(project: Project) -> None:
    coded(project)
    project.codings.code("t1", "Frånvaro", Selector(sentence=1), coder="anna")  # the interviewer's words
    _n, pairs = table(project, "turn", roles=["intervjuare"])
    assert pairs == {}
    n, _pairs = table(project, "turn", roles=["pupil"])
    assert n[F] == 1
    n, pairs = table(project, "turn", coders=["bo"])
    assert n == {} and pairs == {}  # bo coded only Frånvaro: no pair
    _n, pairs = table(project, "turn", codes=["Tillit", "Skolan"])
    assert pairs == {pair(F, T): 1}


def test_measures_sort_the_table(project: Project) -> None:
    coded(project)
    for measure in ("count", "jaccard", "overlap"):
        key = "n_ab" if measure == "count" else measure
        values = [r[key] for r in project.analysis.cooccurrence("turn", measure=measure)]
        assert values == sorted(values, reverse=True)


def test_bad_unit_and_measure() -> None:
    with pytest.raises(InvalidOperation, match="unknown unit"):
        cooc.parse_unit("sentence:x")
    assert cooc.parse_unit("sentences") == cooc.Unit("sentences", 0)
    assert str(cooc.parse_unit("SENTENCES:3")) == "sentences:3"


def test_counting_without_a_project() -> None:
    """The engine on raw spans: two transcripts never pair, a long span overlapping two is out of range."""
    spans = [(1, 10, 0, 100), (1, 20, 10, 20), (1, 20, 50, 60), (2, 20, 0, 100), (2, 30, 200, 300)]
    counted = cooc.count(spans, cooc.Unit("overlap"))
    assert counted.n == {10: 1, 20: 3, 30: 1} and counted.pairs == {(10, 20): 2}
    turns = Segments.from_rows([(1, 0, 100), (2, 0, 150), (2, 180, 300)])
    counted = cooc.count(spans, cooc.Unit("turn"), turns=turns)
    assert counted.n == {10: 1, 20: 2, 30: 1} and counted.pairs == {(10, 20): 1}
    assert cooc.count([], cooc.Unit("turn"), turns=turns).pairs == {}


def test_out_of_range_pairs_are_flagged(project: Project) -> None:
    coded(project)
    project.codings.code("t1", "Skolan", Selector(turn=2), coder="anna")  # overlaps F(2) only
    project.codings.code("t1", "Frånvaro", Selector(sentence=4), coder="anna")
    rows = project.analysis.cooccurrence("overlap")
    row = next(r for r in rows if {r["code_a"], r["code_b"]} == {"Skolan", "Frånvaro"})
    assert (row["n_a"], row["n_b"], row["n_ab"]) == (1, 2, 2)
    assert row["out_of_range"] and row["jaccard"] == 0.5 and row["overlap"] == 1.0


def test_a_deleted_transcript_counts_nowhere(project: Project) -> None:
    """An undone import hides the transcript; codings others made in it must not count anywhere."""
    coded(project)
    project.coder = "bo"
    project.add_transcript(project.analyser.analyse(parsed("t2", TALK[:2]), "sv"))
    project.coder = "anna"
    project.codings.code("t2", "Frånvaro", Selector(turn=2), coder="anna")
    project.codings.code("t2", "Tillit", Selector(turn=2), coder="anna")
    assert table(project, "turn")[1][pair(F, T)] == 2
    project.coder = "bo"
    project.undo()  # bo's import: t2 is hidden, anna's codings in it stay in the table
    assert project.transcripts()[0]["name"] == "t1" and len(project.transcripts()) == 1
    for unit in ("turn", "overlap", "sentences:1", "transcript"):
        assert table(project, unit) == table(project, unit, transcripts=["t1"])
    assert table(project, "turn")[1][pair(F, T)] == 1
    assert len(project.analysis.excerpts()) == 7
    total = next(r for r in project.analysis.matrix() if r["code"] is None and r["group"] == "total")
    assert total["codings"] == 7
    assert project.analysis.network().graph.number_of_nodes() == 4
