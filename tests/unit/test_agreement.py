"""Agreement between coders: the reference values, small cases worked by hand, and a brute-force cross-check."""

from __future__ import annotations

import random

import pytest

from ppss_qual.agreement.measures import (
    BinaryTally,
    Table,
    alpha_nominal,
    cohen_kappa,
    coincidences,
    observed_agreement,
)
from ppss_qual.agreement.spans import Units, length, mask_lengths, mask_spans, union, unit_masks
from ppss_qual.coding.operations import Selector
from ppss_qual.errors import InvalidOperation, NotFound
from ppss_qual.project import Project
from tests.conftest import INTERVIEW, parsed

# The stored text of INTERVIEW is 219 characters; the turns' speech 171; 9 sentences; 4 turns.
# Sentences 2, 3, 4 (turn 2) are 55-71, 72-94, 95-121.
TEXT_LENGTH, SPEECH_LENGTH = 219, 171


# -- the measures ---------------------------------------------------------------------------------------
def test_cohen_kappa_reference_value() -> None:
    # DESIGN.md: both-yes 20, only-A 5, only-B 10, both-no 15 gives 0.40
    assert cohen_kappa(20, 5, 10, 15) == pytest.approx(0.40)
    table = Table(both=20, only_a=5, only_b=10, neither=15)
    assert table.kappa() == pytest.approx(0.40)
    assert table.percent_agreement() == pytest.approx(70.0)


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the four-coder, twelve-unit example
# with missing values (None), values 1 to 5.
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def test_krippendorff_alpha_reference_value() -> None:
    units = list(zip(*KRIPPENDORFF_2011.values(), strict=True))
    assert round(alpha_nominal(units) or 0, 3) == 0.743
    o, pairable = coincidences(units)
    assert pairable == 11  # unit 12 has one value only
    assert sum(o.values()) == pytest.approx(40)  # n: the pairable values


def test_two_coders_by_hand() -> None:
    # ten units: A codes units 1 and 2, B codes unit 1
    a = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    b = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    # kappa: p_o = 0.9, p_e = 0.2 * 0.1 + 0.8 * 0.9 = 0.74, (0.9 - 0.74) / 0.26
    assert cohen_kappa(1, 1, 0, 8) == pytest.approx(0.16 / 0.26)
    # alpha: n = 20 values, n_1 = 3, n_0 = 17, one disagreeing unit: 1 - 19 * 1 / (17 * 3)
    assert alpha_nominal(list(zip(a, b, strict=True))) == pytest.approx(1 - 19 / 51)
    tally = BinaryTally()
    tally.add(2, 2, 1)
    tally.add(2, 1, 1)
    tally.add(2, 0, 8)
    assert tally.alpha() == pytest.approx(1 - 19 / 51)
    assert tally.percent_agreement() == pytest.approx(90.0)
    assert tally.units == 10


def test_no_variation_kappa_is_one_alpha_undefined() -> None:
    assert cohen_kappa(0, 0, 0, 100) == 1.0  # NVivo: a code neither coder applied is full agreement
    assert alpha_nominal([(0, 0)] * 5) is None
    assert cohen_kappa(0, 0, 0, 0) is None


def test_binary_tally_matches_the_unit_by_unit_alpha_with_missing_values() -> None:
    rng = random.Random(7)
    units = [
        tuple(rng.choice([0, 1, 1, None]) if rng.random() < 0.9 else None for _ in range(3))
        for _ in range(300)
    ]
    tally = BinaryTally()
    for u in units:
        values = [v for v in u if v is not None]
        tally.add(len(values), sum(values), 1)
    assert tally.alpha() == pytest.approx(alpha_nominal(units))
    assert tally.percent_agreement() == pytest.approx(100 * observed_agreement(coincidences(units)[0]))


# -- interval arithmetic ----------------------------------------------------------------------------------
def test_union_and_length() -> None:
    assert union([(5, 10), (0, 3), (8, 12), (12, 14), (20, 20)]) == [(0, 3), (5, 14)]
    assert length([(0, 10), (5, 15)]) == 15


def test_mask_lengths_and_runs() -> None:
    universe = [(0, 100)]
    a = [(10, 30), (25, 40)]
    b = [(20, 50)]
    assert mask_lengths([universe, a, b]) == {0b001: 60, 0b011: 10, 0b111: 20, 0b101: 10}
    assert mask_spans([a, b]) == [(10, 20, 1), (20, 40, 3), (40, 50, 2)]


def test_units_touched() -> None:
    units = Units.of([(0, 10), (11, 20), (21, 30)])
    assert units.touched([(10, 11)]) == set()  # the gap between units
    assert units.touched([(9, 12)]) == {0, 1}
    assert units.touched([(20, 22)]) == {2}
    assert unit_masks(units, [[(0, 5)], [(3, 15)]]) == {0b11: 1, 0b10: 1}


# -- agreement on a project -----------------------------------------------------------------------------
@pytest.fixture
def two_coders(project: Project, interview: int) -> Project:
    project.codebook.add("Tillit")
    project.codebook.add("Att bli lyssnad på")
    project.codings.code("intervju1", "Tillit", Selector(start=55, end=94), coder="ylva")
    project.codings.code("intervju1", "Tillit", Selector(start=72, end=121), coder="omar")
    return project


def _row(rows: list[dict], code: str | None) -> dict:
    return next(r for r in rows if r["code"] == code)


def _kappa(both: int, a: int, b: int, neither: int) -> float:
    return cohen_kappa(both, a, b, neither) or 0.0


def test_characters_of_the_whole_text_by_hand(two_coders: Project) -> None:
    rows = two_coders.team.agreement(["ylva", "omar"])
    assert [r["code"] for r in rows] == ["Tillit", None]  # codes nobody applied are left out
    row = _row(rows, "Tillit")
    # ylva 55-94, omar 72-121: both 72-94, only ylva 55-72, only omar 94-121, the rest of the 219 neither
    assert (row["both"], row["only_a"], row["only_b"], row["neither"]) == (22, 17, 27, TEXT_LENGTH - 66)
    assert row["units"] == TEXT_LENGTH and row["transcripts"] == 1
    assert row["kappa"] == pytest.approx(5814 / 15450, abs=1e-4)  # worked out in full: 0.3763
    assert row["percent_agreement"] == pytest.approx(100 * 175 / 219, abs=0.01)
    assert set(row) >= {"code", "unit", "coders", "percent_agreement", "kappa", "alpha", "units"}
    assert row["unit"] == "char" and row["coders"] == ["ylva", "omar"]
    assert "speaker labels and blank lines included" in row["over"]
    pooled = _row(rows, None)
    assert pooled["kappa"] == row["kappa"] and pooled["units"] == row["units"]


def test_speech_only_leaves_labels_and_blank_lines_out(two_coders: Project) -> None:
    row = _row(two_coders.team.agreement(["ylva", "omar"], speech_only=True), "Tillit")
    assert (row["both"], row["only_a"], row["only_b"], row["neither"]) == (22, 17, 27, SPEECH_LENGTH - 66)
    assert row["units"] == SPEECH_LENGTH


def test_sentences_and_turns_as_units(two_coders: Project) -> None:
    row = _row(two_coders.team.agreement(["ylva", "omar"], unit="sentence"), "Tillit")
    # ylva touches sentences 2 and 3, omar 3 and 4, of 9
    assert (row["both"], row["only_a"], row["only_b"], row["neither"]) == (1, 1, 1, 6)
    assert row["kappa"] == pytest.approx(10 / 28, abs=1e-4)
    row = _row(two_coders.team.agreement(["ylva", "omar"], unit="turn"), "Tillit")
    assert (row["both"], row["only_a"], row["only_b"], row["neither"]) == (1, 0, 0, 3)
    assert row["kappa"] == 1.0 and row["percent_agreement"] == 100.0


def test_a_transcript_a_coder_has_not_coded_is_missing_until_marked_done(two_coders: Project) -> None:
    second = two_coders.analyser.analyse(parsed("intervju2", INTERVIEW), "sv")
    two_coders.add_transcript(second, force=True)
    two_coders.codings.code("intervju2", "Tillit", Selector(start=55, end=71), coder="ylva")
    row = _row(two_coders.team.agreement(["ylva", "omar"]), "Tillit")
    assert row["transcripts"] == 1 and row["units"] == TEXT_LENGTH  # omar's values there are missing
    two_coders.team.mark_done("intervju2", coder="omar")
    row = _row(two_coders.team.agreement(["ylva", "omar"]), "Tillit")
    assert row["transcripts"] == 2 and row["units"] == 2 * TEXT_LENGTH
    assert (row["both"], row["only_a"], row["only_b"]) == (22, 17 + 16, 27)


def test_codes_and_transcripts_can_be_chosen(two_coders: Project) -> None:
    rows = two_coders.team.agreement(["ylva", "omar"], codes=["Att bli lyssnad på", "Tillit"])
    assert [r["code"] for r in rows] == ["Att bli lyssnad på", "Tillit", None]
    unused = rows[0]
    assert unused["kappa"] == 1.0 and unused["alpha"] is None and unused["percent_agreement"] == 100.0
    pooled = rows[-1]
    assert pooled["units"] == 2 * TEXT_LENGTH and pooled["neither"] == 2 * TEXT_LENGTH - 66
    assert two_coders.team.agreement(["ylva", "omar"], transcripts=["intervju1"])[0]["transcripts"] == 1


def test_bad_requests_are_refused(two_coders: Project) -> None:
    with pytest.raises(InvalidOperation):
        two_coders.team.agreement(["ylva"])
    with pytest.raises(InvalidOperation):
        two_coders.team.agreement(["ylva", "omar"], unit="word")
    with pytest.raises(NotFound):
        two_coders.team.agreement(["ylva", "nobody"])


def _per_unit(
    project: Project, coders: list[str], code_id: int, tids: list[int], unit: str = "char"
) -> list[tuple]:
    """The slow, obvious way: one value per unit per coder (None where the coder is missing).

    unit: "char" (every character), "speech" (characters of the turns' speech), "sentence" or "turn".
    """
    units = []
    for tid in tids:
        shown = project.show(str(tid))
        if unit == "char":
            spans = [(i, i + 1) for i in range(len(shown["text"]))]
        elif unit == "speech":
            spans = [(i, i + 1) for t in shown["turns"] for i in range(t["start"], t["end"])]
        else:
            spans = [(u["start"], u["end"]) for u in shown[unit + "s"]]
        coded_by = set(project.team.coded_by(str(tid)))
        rows = [r for r in project.codings.in_transcript(tid) if r["code_id"] == code_id]
        for s, e in spans:
            values = []
            for c in coders:
                if c not in coded_by:
                    values.append(None)
                else:
                    values.append(int(any(r["coder"] == c and r["start"] < e and s < r["end"] for r in rows)))
            units.append(tuple(values))
    return units


def _table(units: list[tuple]) -> Table:
    pairs = [(a, b) for a, b, *_ in units if a is not None and b is not None]
    return Table(
        both=sum(1 for a, b in pairs if a and b),
        only_a=sum(1 for a, b in pairs if a and not b),
        only_b=sum(1 for a, b in pairs if b and not a),
        neither=sum(1 for a, b in pairs if not a and not b),
    )


def test_random_codings_match_a_character_by_character_count(project: Project, interview: int) -> None:
    second = project.analyser.analyse(parsed("intervju2", INTERVIEW), "sv")
    tid2, _ = project.add_transcript(second, force=True)
    project.codebook.add("Tillit")
    code_id = project.codebook.resolve("Tillit").id
    rng = random.Random(3)
    for coder, transcripts in (
        ("ylva", ["intervju1", "intervju2"]),
        ("omar", ["intervju1"]),
        ("sara", ["intervju1", "intervju2"]),
    ):
        for name in transcripts:
            for _ in range(4):
                s = rng.randrange(0, TEXT_LENGTH - 1)
                e = rng.randrange(s + 1, min(TEXT_LENGTH, s + 60) + 1)
                project.codings.code(name, "Tillit", Selector(start=s, end=e), coder=coder)
    # three coders, omar missing in intervju2
    coders = ["ylva", "omar", "sara"]
    row = _row(project.team.agreement(coders), "Tillit")
    units = _per_unit(project, coders, code_id, [interview, tid2])
    assert row["alpha"] == pytest.approx(alpha_nominal(units), abs=1e-4)
    assert row["kappa"] is None and row["units"] == 2 * TEXT_LENGTH
    ylva_omar = next(p for p in row["pairs"] if p["coders"] == ["ylva", "omar"])
    table = _table(units)
    assert (ylva_omar["both"], ylva_omar["only_a"], ylva_omar["only_b"], ylva_omar["neither"]) == (
        table.both,
        table.only_a,
        table.only_b,
        table.neither,
    )
    assert ylva_omar["kappa"] == pytest.approx(table.kappa(), abs=1e-4)
    # two coders, every kind of unit: kappa over the transcripts both coded, alpha over the same units
    for unit, options in (
        ("char", {}),
        ("speech", {"speech_only": True}),
        ("sentence", {"unit": "sentence"}),
        ("turn", {"unit": "turn"}),
    ):
        row = _row(project.team.agreement(["ylva", "sara"], **options), "Tillit")
        units = _per_unit(project, ["ylva", "sara"], code_id, [interview, tid2], unit)
        table = _table(units)
        assert row["units"] == len(units), unit
        assert (row["both"], row["only_a"], row["only_b"], row["neither"]) == (
            table.both,
            table.only_a,
            table.only_b,
            table.neither,
        ), unit
        assert row["kappa"] == pytest.approx(table.kappa(), abs=1e-4), unit
        assert row["alpha"] == pytest.approx(alpha_nominal(units), abs=1e-4), unit
        assert row["percent_agreement"] == pytest.approx(table.percent_agreement(), abs=0.01), unit
