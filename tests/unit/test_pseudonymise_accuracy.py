"""Detection measured on the hand-labelled transcripts in tests/data/pseudonymise/ (see its README)."""

from __future__ import annotations

import re

import pytest

from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.pseudonymise.evaluate import MARK, Accuracy, evaluate, names_outside_list, strip_marks, table
from ppss_qual.pseudonymise.lexicon import first_names
from tests.conftest import DATA

SET = DATA / "pseudonymise"
HOLDOUT = SET / "holdout"


@pytest.fixture(scope="module")
def accuracy(analyser: Analyser) -> Accuracy:
    return evaluate(SET, analyser)


def test_the_set_is_big_varied_and_mostly_outside_the_name_list() -> None:
    files = sorted(SET.glob("*.txt"))
    words = sum(len(strip_marks(f.read_text("utf-8"))[0].split()) for f in files)
    assert len(files) >= 6 and words >= 4000
    assert any(f.name.startswith("en_") for f in files) and sum(f.name.startswith("sv_") for f in files) >= 4
    kinds = {kind for f in files for kind, _ in MARK.findall(f.read_text("utf-8"))}
    assert kinds == {"person", "school", "place", "personnummer", "email", "phone"}
    outside, total = names_outside_list(SET, first_names())
    assert outside / total >= 1 / 3, f"only {outside} of {total} person names are outside the first-name list"


def test_the_set_holds_valid_and_invalid_personnummer() -> None:
    from ppss_qual.pseudonymise.patterns import luhn_valid

    numbers = [
        t for f in SET.glob("*.txt") for k, t in MARK.findall(f.read_text("utf-8")) if k == "personnummer"
    ]
    checks = {luhn_valid(re.sub(r"\D", "", n)[-10:]) for n in numbers}
    assert checks == {True, False}


def test_person_names_recall_at_least_95_and_precision_at_least_80_percent(accuracy: Accuracy) -> None:
    person = accuracy.by_kind["person"]
    assert person.recall >= 0.95, table(accuracy) + f"\nmissed: {accuracy.missed}"
    assert person.precision >= 0.8, table(accuracy) + f"\nwrong: {accuracy.wrong}"


def test_numbers_addresses_schools_and_places(accuracy: Accuracy) -> None:
    for kind in ("personnummer", "email", "phone"):
        assert accuracy.by_kind[kind].recall == 1.0 and accuracy.by_kind[kind].precision == 1.0, kind
    for kind in ("school", "place"):
        assert accuracy.by_kind[kind].recall >= 0.9 and accuracy.by_kind[kind].precision >= 0.9, kind
    # What an export replaces once the suggestions are accepted, whatever kind they were given.
    assert accuracy.any_kind.recall >= 0.97


def test_the_held_out_set_written_after_tuning(analyser: Analyser) -> None:
    held_out = evaluate(HOLDOUT, analyser)
    assert held_out.by_kind["person"].recall >= 0.9 and held_out.by_kind["person"].precision >= 0.8
