"""The Swedish and English lemmatizer: accuracy on hand-checked lists, the table's known faults, caching."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ppss_qual.nlp import lemmas as lemmas_module
from ppss_qual.nlp.lemmas import Lemmatizer, load_lemmatizer, load_overrides, query_lemmas

DATA = Path(__file__).resolve().parents[1] / "data"


def read_gold(lang: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / f"lemmas_{lang}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            form, lemma = line.split("\t")
            rows.append((form, lemma))
    return rows


@pytest.fixture(scope="module")
def sv() -> Lemmatizer:
    pytest.importorskip("spacy_lookups_data")
    return load_lemmatizer("sv")


@pytest.fixture(scope="module")
def en() -> Lemmatizer:
    pytest.importorskip("spacy_lookups_data")
    return load_lemmatizer("en")


def assert_accuracy(lemmatizer: Lemmatizer, lang: str, target: float) -> None:
    gold = read_gold(lang)
    misses = [(form, want, lemmatizer.lemma(form)) for form, want in gold if lemmatizer.lemma(form) != want]
    accuracy = 1 - len(misses) / len(gold)
    listing = "\n".join(f"  {form}: want {want}, got {got}" for form, want, got in misses)
    assert accuracy >= target, f"{lang} accuracy {accuracy:.3f} < {target} ({len(misses)} misses):\n{listing}"


# The hand-checked lists ---------------------------------------------------------------------------------


def test_gold_lists_are_well_formed() -> None:
    sv_gold, en_gold = read_gold("sv"), read_gold("en")
    assert len(sv_gold) >= 320
    assert len(en_gold) >= 55
    for form, lemma in sv_gold + en_gold:
        assert form and lemma == lemma.lower() and " " not in form
    required = set(
        "lyssna lyssnade lyssnad lyssnat lyssnar vuxen vuxna barn barnen Barnen skola skolan skolor".split()
    )
    required |= {"Jag", "Det"}
    assert required <= {form for form, _ in sv_gold}


def test_swedish_accuracy(sv: Lemmatizer) -> None:
    assert_accuracy(sv, "sv", 0.97)


def test_english_accuracy(en: Lemmatizer) -> None:
    assert_accuracy(en, "en", 0.95)


# The table's known faults -------------------------------------------------------------------------------


KNOWN_FAULTS = {
    "case": "Barnen>barn barnen>barn Jag>jag Det>det Skolan>skola",
    "short words": "har>ha hade>ha med>med fick>få vill>vilja ville>vilja det>det vad>vad var>vara mig>mig",
    "verb, not agent noun": "lyssnar>lyssna jobbar>jobba skolkar>skolka",
    "adjective, not verb": "vuxen>vuxen vuxna>vuxen",
    "participles": "lyssnad>lyssna lyssnat>lyssna lyssnade>lyssna vågade>våga",
    "compounds": "skolmiljön>skolmiljö socialsekreteraren>socialsekreterare elevhälsoteamet>elevhälsoteam "
    "elevhälsan>elevhälsa",
    "base forms": "skola>skola barn>barn lyssna>lyssna mamma>mamma klass>klass stöd>stöd förtroende>förtroende",
    "s-verbs": "finns>finnas hoppas>hoppas",
    "the modal, apart from the noun skola": "ska>ska skulle>ska",
    "abbreviations, numbers, unknown words": "PPSS:s>ppss 2020>2020 Xyzzqwv>xyzzqwv",
}
FAULT_CASES = [tuple(pair.split(">")) for pairs in KNOWN_FAULTS.values() for pair in pairs.split()]


@pytest.mark.parametrize(("form", "lemma"), FAULT_CASES)
def test_known_faults_are_fixed(sv: Lemmatizer, form: str, lemma: str) -> None:
    assert sv.lemma(form) == lemma


def test_is_word(sv: Lemmatizer) -> None:
    for form in ("skola", "Skolan", "lyssna", "lyssnad", "skolmiljön", "alltid", "Barnen", "har"):
        assert sv.is_word(form), form
    for form in ("xyzzqwv", "2020", "qqqq"):
        assert not sv.is_word(form), form


def test_lemmas_keeps_order(sv: Lemmatizer) -> None:
    assert sv.lemmas(["Barnen", "lyssnade", "inte", "på", "lärarna"]) == [
        "barn",
        "lyssna",
        "inte",
        "på",
        "lärare",
    ]


# The rules on a small table (no spaCy) ------------------------------------------------------------------

SMALL_TABLE = {
    "lyssnar": "lyssnare",
    "lyssnade": "lyssna",
    "har": "hare",
    "vuxen": "växa",
    "vuxna": "vuxen",
    "klass": "klassa",
    "kör": "köra",
    "körde": "köra",
    "vågade": "vågad",
    "vågad": "våga",
    "vågar": "våga",
    "skolan": "skola",
    "miljön": "miljö",
    "hoppas": "hoppa",
    "hoppades": "hoppas",
    "klassen": "klass",
}


def test_rules_on_a_small_table() -> None:
    lemmatizer = Lemmatizer(SMALL_TABLE, "sv")
    expected = {
        "lyssnar": "lyssna",  # agent-noun guard
        "lyssnad": "lyssna",  # participle rule
        "vuxen": "vuxen",  # adjective guard
        "klass": "klass",  # a lemma read as a compound stem
        "kör": "köra",  # ... but kör is the present of köra
        "vågade": "våga",  # participle adjective taken to its verb
        "hoppas": "hoppas",  # an s-verb that is a lemma of its own
        "Skolan": "skola",  # lower-case retry
        "skolmiljön": "skolmiljö",  # compound fallback
        "skolmiljöns": "skolmiljö",  # genitive on a compound
    }
    assert {form: lemmatizer.lemma(form) for form in expected} == expected


def test_unsupported_language_is_refused() -> None:
    with pytest.raises(ValueError):
        Lemmatizer({}, "de")
    with pytest.raises(ValueError):
        query_lemmas("word", lambda _: True, "de")


# The cache ----------------------------------------------------------------------------------------------


class CountingTable(dict[str, str]):
    """A table that counts its look-ups."""

    def __init__(self, data: dict[str, str]) -> None:
        super().__init__(data)
        self.lookups = 0

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        self.lookups += 1
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.lookups += 1
        return super().__contains__(key)


def test_lemma_is_cached() -> None:
    table = CountingTable(SMALL_TABLE)
    lemmatizer = Lemmatizer(table, "sv")
    assert lemmatizer.lemma("skolmiljön") == "skolmiljö"
    assert table.lookups > 0
    before = table.lookups
    for _ in range(100):
        assert lemmatizer.lemma("skolmiljön") == "skolmiljö"
    assert lemmatizer.is_word("skolmiljön")
    assert lemmatizer.lemmas(["skolmiljön"] * 10) == ["skolmiljö"] * 10
    assert table.lookups == before


def test_cached_call_does_not_resolve_again(monkeypatch: pytest.MonkeyPatch) -> None:
    lemmatizer = Lemmatizer(SMALL_TABLE, "sv")
    calls: list[str] = []
    original = Lemmatizer._resolve

    def counting(self: Lemmatizer, form: str) -> tuple[str, bool]:
        calls.append(form)
        return original(self, form)

    monkeypatch.setattr(Lemmatizer, "_resolve", counting)
    lemmatizer.lemma("lyssnar")
    lemmatizer.lemma("lyssnar")
    lemmatizer.lemmas(["lyssnar", "lyssnar"])
    assert calls == ["lyssnar"]


# Search words without the table -------------------------------------------------------------------------


def test_query_lemmas_swedish() -> None:
    known = {"lyssna", "skola", "barn", "förälder", "lärare", "ha", "ppss"}.__contains__
    assert "lyssna" in query_lemmas("lyssnade", known, "sv")
    assert query_lemmas("lyssnade", known, "sv")[0] == "lyssnade"
    assert query_lemmas("Skolan", known, "sv") == ["skolan", "skola"]
    assert query_lemmas("barnen", known, "sv") == ["barnen", "barn"]
    assert query_lemmas("föräldrarna", known, "sv") == ["föräldrarna", "förälder"]
    assert query_lemmas("lärarna", known, "sv")[1] == "lärare"
    assert query_lemmas("har", known, "sv")[:2] == ["har", "ha"]
    assert "ppss" in query_lemmas("PPSS:s", known, "sv")
    assert query_lemmas("xyzzqwv", known, "sv") == ["xyzzqwv"]


def test_query_lemmas_english() -> None:
    known = {"listen", "child", "school", "try"}.__contains__
    assert query_lemmas("listened", known, "en") == ["listened", "listen"]
    assert query_lemmas("children", known, "en") == ["children", "child"]
    assert query_lemmas("tried", known, "en") == ["tried", "try"]
    assert query_lemmas("was", known, "en") == ["was", "be"]


def test_query_lemmas_does_not_load_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(lang: str) -> Lemmatizer:
        raise AssertionError("query_lemmas loaded the table")

    monkeypatch.setattr(lemmas_module, "load_lemmatizer", refuse)
    assert query_lemmas("lyssnade", {"lyssna"}.__contains__, "sv") == ["lyssnade", "lyssna"]


# Data files and imports ---------------------------------------------------------------------------------


def test_override_files() -> None:
    sv_overrides, en_overrides = load_overrides("sv"), load_overrides("en")
    assert sv_overrides["har"] == "ha" and sv_overrides["var"] == "vara" and sv_overrides["det"] == "det"
    assert en_overrides["was"] == "be"
    for overrides in (sv_overrides, en_overrides):
        assert all(form == form.lower() and lemma == lemma.lower() for form, lemma in overrides.items())


def test_import_does_not_import_spacy() -> None:
    code = "import sys, ppss_qual.nlp.lemmas; print('spacy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "False"
