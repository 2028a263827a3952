"""Detection rules, one by one, on short Swedish and English texts."""

from __future__ import annotations

import re

import pytest

from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.pseudonymise.detect import Detector, RegisterName, Suggestion, TranscriptText
from ppss_qual.pseudonymise.lexicon import common_words, first_names


@pytest.fixture(scope="module")
def detector(analyser: Analyser) -> Detector:
    lemmatizers = {lang: analyser.lemmatizer(lang) for lang in ("sv", "en")}
    return Detector(
        {lang: common_words(lem) for lang, lem in lemmatizers.items()},
        [
            RegisterName("Lena Holmqvist", "person"),
            RegisterName("Lena", "person"),
            RegisterName("Holmqvist", "person"),
            RegisterName("Björkdalsskolan", "school"),
        ],
        is_word={lang: lem.is_word for lang, lem in lemmatizers.items()},
    )


def _sentence_starts(text: str) -> set[int]:
    """Stand-in for the sentences stored at import: after . ! ? and at the start."""
    return {0} | {m.end() for m in re.finditer(r"[.!?]\s+", text)}


def run(detector: Detector, text: str, language: str = "sv") -> list[Suggestion]:
    return detector.detect(TranscriptText(text, language, [], _sentence_starts(text)))


def found(detector: Detector, text: str, language: str = "sv") -> dict[str, str]:
    return {s.text: s.kind for s in run(detector, text, language)}


def test_the_register_finds_participants_names_schools_and_surnames(detector: Detector) -> None:
    hits = run(
        detector, "Jag pratade med Lena Holmqvist. Holmqvist sa att Björkdalsskolan ringt. Lenas dotter."
    )
    assert [(s.text, s.kind, s.reason) for s in hits] == [
        ("Lena Holmqvist", "person", "participant register"),
        ("Holmqvist", "person", "participant register"),
        ("Björkdalsskolan", "school", "participant register (school)"),
        ("Lena", "person", "participant register"),  # the genitive -s stays outside
    ]


def test_first_names_of_every_background_from_the_list(detector: Detector) -> None:
    text = "Jag träffade Amira, Mohammed, Fadumo, Kerem, Piotr, Semhar, Siiri och Mei i går."
    assert found(detector, text) == {
        n: "person" for n in ["Amira", "Mohammed", "Fadumo", "Kerem", "Piotr", "Semhar", "Siiri", "Mei"]
    }
    assert {"Amira", "Fadumo", "Semhar", "Mei", "Piotr"} <= first_names()


def test_a_name_that_is_also_a_word_only_mid_sentence(detector: Detector) -> None:
    assert found(detector, "Per vecka blir det mycket. Min syster Saga kom.") == {"Saga": "person"}
    assert found(detector, "Vi frågade Per om det.") == {"Per": "person"}


def test_names_outside_the_list_capitalised_mid_sentence(detector: Detector) -> None:
    hits = run(detector, "Sen ringde Nourhan och sa att Tewodros var sjuk.")
    assert [(s.text, s.kind) for s in hits] == [("Nourhan", "person"), ("Tewodros", "person")]
    assert hits[0].reason == "capitalised mid-sentence, not a Swedish word"


def test_full_names_are_one_span(detector: Detector) -> None:
    text = "Det var min mentor, Maria Holm, och rektorn Annika Strand. Kuratorn heter Thuy Nguyen."
    assert found(detector, text) == {
        "Maria Holm": "person",
        "Annika Strand": "person",
        "Thuy Nguyen": "person",
    }


@pytest.mark.parametrize(
    "surname,ending",
    [
        ("Lindqvist", "qvist"),
        ("Bergkvist", "kvist"),
        ("Ekström", "ström"),
        ("Paulsson", "sson"),
        ("Fagerlund", "lund"),
    ],
)
def test_swedish_surname_endings(detector: Detector, surname: str, ending: str) -> None:
    (hit,) = run(detector, f"Vi pratade med {surname} om det.")
    assert (hit.text, hit.kind) == (surname, "person")
    assert ending in hit.reason or "register" in hit.reason or "capitalised" in hit.reason


def test_words_that_only_look_like_surnames_are_not_suggested(detector: Detector) -> None:
    assert found(detector, "Tallen föll. Skolan var stängd. I skolan fanns ingen. Personen gick hem.") == {}


def test_schools_and_places_by_their_shape(detector: Detector) -> None:
    text = (
        "Hon gick på Kvarnbackaskolan och sen på Tensta gymnasium. Lillebror går på Ekorrens förskola "
        "nära Skärholmens centrum. På kvällarna är hon på Fritidsgården Ugglan, på Oddegatan. Vi bor i Hjulsta."
    )
    assert found(detector, text) == {
        "Kvarnbackaskolan": "school",
        "Tensta gymnasium": "school",
        "Ekorrens förskola": "school",
        "Skärholmens centrum": "place",
        "Fritidsgården Ugglan": "place",
        "Oddegatan": "place",
        "Hjulsta": "place",
    }


def test_generic_school_words_and_sentence_starts_are_not_schools(detector: Detector) -> None:
    assert found(detector, "Grundskolan är viktig. Min skola är bra. Men skolan lyssnar inte.") == {}


def test_a_word_of_a_place_name_takes_the_place_kind(detector: Detector) -> None:
    kinds = found(detector, "Vi var på Fritidsgården Tallen. Där på Tallen var det lugnt.")
    assert kinds == {"Fritidsgården Tallen": "place", "Tallen": "place"}


def test_sentence_starts_speaker_labels_abbreviations_and_known_words_are_left_alone(
    detector: Detector,
) -> None:
    text = "Elev 3: Asså jag vet inte. BUP och PPSS ringde via Teams och Snapchat. Bra. Ungefär så."
    labels = [(0, len("Elev 3: "))]
    hits = detector.detect(TranscriptText(text, "sv", labels, {8} | _sentence_starts(text)))
    assert hits == []


def test_a_name_at_a_sentence_start_is_found_when_no_word_rule_knows_it(detector: Detector) -> None:
    assert found(detector, "Siriporn har varit borta. Personalomsättningen är hög.") == {"Siriporn": "person"}


def test_a_sentence_start_word_that_the_transcript_also_writes_in_lower_case_is_a_word(
    detector: Detector,
) -> None:
    assert found(detector, "Mittemellan var det tyst. Vi satt mittemellan dem.") == {}


def test_every_occurrence_of_a_found_name_even_at_a_sentence_start(detector: Detector) -> None:
    hits = run(detector, "I phoned Nourhan yesterday. Nourhan did not answer. Nourhan's mother did.", "en")
    assert [(s.text, s.reason.split(" (")[0]) for s in hits] == [
        ("Nourhan", "capitalised mid-sentence, not an English or Swedish word"),
        ("Nourhan", "same text as another suggestion"),
        ("Nourhan", "same text as another suggestion"),
    ]


def test_a_longer_name_found_elsewhere_replaces_the_part_found_at_a_sentence_start(
    detector: Detector,
) -> None:
    text = "His mother, Luz Marina, works. Luz Marina was relieved."
    assert [s.text for s in run(detector, text, "en")] == ["Luz Marina", "Luz Marina"]


def test_cue_words_name_the_word_after_them(detector: Detector) -> None:
    assert found(detector, "Alla kallar mig Nalle. Hon heter Björk.") == {
        "Nalle": "person",
        "Björk": "person",
    }


def test_english_transcripts(detector: Detector) -> None:
    text = (
        "My name is Grace Okafor and I came from Nigeria in May. Her teacher, Mr Hollis, is kind. "
        "Parisa's number is +46 73 412 88 09. We speak English and Swedish at home."
    )
    assert found(detector, text, "en") == {
        "Grace Okafor": "person",
        "Hollis": "person",
        "Parisa": "person",
        "+46 73 412 88 09": "phone",
    }


def test_numbers_and_addresses_come_first(detector: Detector) -> None:
    text = "Mejla lena.holmqvist@exempel.se eller ring 070-123 45 67; personnummer 100315-2384."
    assert found(detector, text) == {
        "lena.holmqvist@exempel.se": "email",
        "070-123 45 67": "phone",
        "100315-2384": "personnummer",
    }
