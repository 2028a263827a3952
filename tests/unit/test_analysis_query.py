"""The excerpt query grammar: precedence, quotes, NEAR/k, NOT, and errors that say where and what."""

from __future__ import annotations

import pytest

from ppss_qual.analysis.query import Code, Op, QueryError, names, parse


def shape(query: str) -> str:
    return str(parse(query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Tillit", "Tillit"),
        ("A OR B AND C", "(A OR (B AND C))"),
        ("A AND B OR C", "((A AND B) OR C)"),
        ("A AND B NOT C", "((A AND B) NOT C)"),
        ("A NOT B AND C", "((A NOT B) AND C)"),
        ("A NEAR/2 B AND C", "((A NEAR/2 B) AND C)"),
        ("A AND B NEAR/0 C", "(A AND (B NEAR/0 C))"),
        ("(A OR B) AND C", "((A OR B) AND C)"),
        ("A OR B OR C", "((A OR B) OR C)"),
        ("A AND NOT B", "(A NOT B)"),
        ("a and b or not_a_keyword", "((a AND b) OR not_a_keyword)"),
        ('"Att bli lyssnad på" OR Tillit', '("Att bli lyssnad på" OR Tillit)'),
        ("Tema/Kod near/1 B", "(Tema/Kod NEAR/1 B)"),
        ('"and"', '"and"'),
        ("Att bli lyssnad på AND Tillit", '("Att bli lyssnad på" AND Tillit)'),
        ("Barnets   röst", '"Barnets röst"'),
    ],
)
def test_precedence_and_quotes(query: str, expected: str) -> None:
    assert shape(query) == expected


def test_tree_and_names() -> None:
    tree = parse('"Att bli lyssnad på" NEAR/3 (Tillit OR Hinder)')
    assert isinstance(tree, Op) and tree.op == "NEAR" and tree.k == 3
    assert isinstance(tree.left, Code) and tree.left.name == "Att bli lyssnad på" and tree.left.position == 0
    assert [n.name for n in names(tree)] == ["Att bli lyssnad på", "Tillit", "Hinder"]
    assert names(tree)[1].position == 29


@pytest.mark.parametrize(
    ("query", "position", "words"),
    [
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ("Tillit AND", 10, "expected a code name"),
        ("Tillit AND OR Hinder", 11, "found OR"),
        ('Tillit OR "Barnets röst', 10, "never closed"),
        ('Tillit OR ""', 10, "empty quotes"),
        ('"Att bli" lyssnad', 10, "put a whole name inside one pair of quotes"),
        ("(Tillit OR Hinder", 17, "a ) to close the ( at position 1"),
        ("Tillit)", 6, "has no ("),
        ("Tillit NEAR Hinder", 7, "NEAR needs a distance"),
        ("Tillit NEAR/ Hinder", 7, "NEAR needs a distance"),
        ("NOT Tillit", 0, "found NOT"),
        ("()", 1, "a code name inside the parentheses"),
    ],
)
def test_errors_name_the_position_and_what_was_expected(query: str, position: int, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert caught.value.position == position
    assert words in str(caught.value)
    assert f"position {position + 1}" in str(caught.value)
