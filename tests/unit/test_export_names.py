"""The one export step for names: real names, schools and places replaced consistently, offsets mapped."""

from __future__ import annotations

from pathlib import Path

from ppss_qual.exports.names import KeyEntry, NameStep, ParticipantNames, build_key
from ppss_qual.project import Project
from tests.conftest import parsed


def _person(
    name: str, role: str | None, labels: tuple[str, ...] = (), pseudonym: str | None = None, **attrs: str
) -> ParticipantNames:
    return ParticipantNames(name, role, pseudonym, labels or (name,), attrs, True)


def test_the_key_holds_names_first_names_schools_and_places() -> None:
    key = build_key(
        [
            _person("Förälder 2", "parent", ("Lena Holmqvist",), skola="Björkdalsskolan", stadsdel="Norrby"),
            _person("Anna Berg", "school-staff", skola="Sjöviksskolan"),
            _person("Elev 3", "pupil", skola="Björkdalsskolan", grade="8"),
        ]
    )
    as_dict = {e.real: e.pseudonym for e in key}
    assert as_dict == {
        "Lena Holmqvist": "Förälder 2",
        "Lena": "Förälder 2",
        "Anna Berg": "Personal 1",
        "Anna": "Personal 1",
        "Björkdalsskolan": "[skola A]",
        "Sjöviksskolan": "[skola B]",
        "Norrby": "[ort A]",
    }  # the grade is no place and Elev 3 is already a pseudonym


def test_replacement_is_whole_word_keeps_genitive_and_maps_offsets() -> None:
    step = NameStep(
        [
            KeyEntry("Lena Holmqvist", "Förälder 2", "person"),
            KeyEntry("Lena", "Förälder 2", "person"),
            KeyEntry("Norrby", "[ort A]", "place"),
        ]
    )
    text = "Lena Holmqvist bor i Norrby. Lenas dotter. Helena och Norrbyskolan är inte namn här."
    mapped = step.source(text)
    assert (
        mapped.text
        == "Förälder 2 bor i [ort A]. Förälder 2s dotter. Helena och Norrbyskolan är inte namn här."
    )
    start = text.index("bor")
    assert mapped.text[mapped.map(start) : mapped.map(start) + 3] == "bor"
    assert mapped.map(0) == 0 and mapped.map(text.index("Norrby")) == mapped.text.index("[ort A]")
    end = text.index("Norrby") + len("Norrby")
    assert mapped.text[: mapped.map(end)].endswith("[ort A]")


def test_real_names_turns_the_step_off() -> None:
    step = NameStep([KeyEntry("Lena", "Förälder 2", "person")], real_names=True)
    assert step.text("Lena kom.") == "Lena kom."


def test_given_spans_replace_first_and_win_over_the_key() -> None:
    step = NameStep([KeyEntry("Mira", "Elev 3", "person")])
    mapped = step.source("Mira och Noah", [(9, 13, "[namn]")])
    assert mapped.text == "Elev 3 och [namn]"


def test_the_project_key_comes_from_participants_and_the_sheet(project: Project, tmp_path: Path) -> None:
    tid, _ = project.add_transcript(
        project.analyser.analyse(
            parsed(
                "a",
                [("Intervjuare", "Hej."), ("Lena Holmqvist", "Jag heter Lena och bor nära Björkdalsskolan.")],
            ),
            "sv",
        )
    )
    sheet = tmp_path / "s.csv"
    sheet.write_text(
        "transcript;speaker;participant;role;school\na;Lena Holmqvist;Förälder 2;parent;Björkdalsskolan\n",
        encoding="utf-8",
    )
    project.import_participants(sheet)
    text = project.transcript("a").text or ""
    out = project.name_step().text(text)
    assert "Lena" not in out and "Björkdalsskolan" not in out
    assert "Förälder 2: Jag heter Förälder 2 och bor nära [skola A]." in out
    assert project.name_step(real_names=True).text(text) == text
