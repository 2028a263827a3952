"""Detection runs, decisions, undo, consistent pseudonyms, the key, and replacement on the way out."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import pytest

from ppss_qual.coding.operations import Selector
from ppss_qual.errors import InvalidOperation
from ppss_qual.exports.names import KeyEntry, NameStep
from ppss_qual.project import Project
from ppss_qual.pseudonymise import service as service_module
from ppss_qual.pseudonymise.service import LIST_KEYS, Pseudonymiser
from tests.conftest import parsed

TURNS = [
    ("Intervjuare", "Berätta om skolan."),
    (
        "Lena Holmqvist",
        "Jag heter Lena. Mira går på Björkdalsskolan, och hennes mentor heter Maria Holm. "
        "Maria ringde i går. Nourhan i klassen är hennes kompis. Nourhan bor i Hjulsta. "
        "Holmqvist är mitt efternamn. Numret är 070-123 45 67.",
    ),
    ("Intervjuare", "Och Mira, hur mår hon?"),
    ("Lena Holmqvist", "Mira mår bättre. Hon träffar Lena Berg på fritids."),
]


@pytest.fixture
def pseudo(project: Project, tmp_path: Path) -> Pseudonymiser:
    project.add_transcript(project.analyser.analyse(parsed("intervju1", TURNS), "sv"))
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "transcript;speaker;participant;role;school\n"
        "intervju1;Lena Holmqvist;Förälder 2;parent;Björkdalsskolan\n",
        encoding="utf-8",
    )
    project.import_participants(sheet)
    return Pseudonymiser(project)


def _ids(p: Pseudonymiser, text: str) -> list[int]:
    return [r["id"] for r in p.entities() if r["text"] == text]


def test_detection_runs_once_and_again_when_the_detector_changes(
    pseudo: Pseudonymiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pseudo.pending() == ["intervju1"]
    first = pseudo.detect()
    assert first.transcripts == ["intervju1"] and first.suggestions > 0
    assert pseudo.pending() == [] and pseudo.detect().transcripts == []
    accepted = _ids(pseudo, "Nourhan")[0]
    pseudo.accept(accepted)
    monkeypatch.setattr(service_module, "DETECTOR_VERSION", 99)
    assert pseudo.pending() == ["intervju1"]
    again = pseudo.detect()
    assert again.transcripts == ["intervju1"]
    rows = {r["id"]: r for r in pseudo.entities()}
    assert rows[accepted]["status"] == "accepted"  # decisions survive a new detector
    assert len([r for r in rows.values() if r["text"] == "Nourhan"]) == 2
    history = pseudo.project.history()
    assert [e["action"] for e in history].count("detect") == 2


def test_list_rows_have_exactly_the_documented_keys(pseudo: Pseudonymiser) -> None:
    pseudo.detect()
    rows = pseudo.entities()
    assert rows and all(tuple(r) == LIST_KEYS for r in rows)
    kinds = {r["text"]: (r["kind"], r["pseudonym"]) for r in rows}
    assert kinds["Lena"] == ("person", "Förälder 2")  # the participant register's pseudonym
    assert kinds["Holmqvist"] == ("person", "Förälder 2")  # the participant's surname too
    assert kinds["Björkdalsskolan"] == ("school", "[skola A]")
    assert kinds["Hjulsta"][0] == "place" and kinds["070-123 45 67"] == ("phone", "[telefon]")
    assert kinds["Maria Holm"][1] == kinds["Maria"][1]  # a first name and the full name: one person
    assert kinds["Lena Berg"][1] not in ("Förälder 2", kinds["Maria"][1])
    assert {r["kind"] for r in pseudo.entities(kind="person")} == {"person"}
    assert pseudo.entities(status="accepted") == []
    with pytest.raises(InvalidOperation):
        pseudo.entities(kind="pet")


def test_accept_one_occurrence_replaces_the_string_everywhere_on_the_way_out(pseudo: Pseudonymiser) -> None:
    pseudo.detect()
    first, second = _ids(pseudo, "Nourhan")
    decision = pseudo.accept(first)
    assert decision.changed == 1 and decision.pseudonym.startswith("[namn ")
    statuses = {r["id"]: r["status"] for r in pseudo.entities()}
    assert statuses[first] == "accepted" and statuses[second] == "suggested"
    pseudo.reject(second)  # a rejected occurrence of an accepted string is replaced anyway
    text = pseudo.project.transcript("intervju1").text or ""
    out = pseudo.project.name_step().text(text)
    assert "Nourhan" not in out and out.count(decision.pseudonym) == 2
    assert pseudo.project.transcript("intervju1").text == text  # stored text never changes
    assert pseudo.project.name_step(real_names=True).text(text) == text


def test_a_string_rejected_everywhere_stays_real(pseudo: Pseudonymiser) -> None:
    pseudo.detect()
    decision = pseudo.reject(_ids(pseudo, "Hjulsta")[0], all_of_text=True)
    assert decision.changed == 1
    assert "Hjulsta" in pseudo.project.name_step().text("Nourhan bor i Hjulsta.")


def test_all_of_text_decides_every_occurrence_in_the_project(pseudo: Pseudonymiser) -> None:
    pseudo.detect()
    ids = _ids(pseudo, "Mira")
    assert len(ids) == 3
    decision = pseudo.accept(ids[1], all_of_text=True)
    assert decision.changed == 3
    assert {r["status"] for r in pseudo.entities() if r["text"] == "Mira"} == {"accepted"}


def test_every_decision_is_undoable(pseudo: Pseudonymiser) -> None:
    pseudo.detect()
    ids = _ids(pseudo, "Mira")
    pseudo.accept(ids[0], all_of_text=True)
    assert pseudo.project.history()[0]["summary"].startswith(
        "accepted all 3 occurrences of person 'Mira' as [namn"
    )
    pseudo.project.undo()
    assert {r["status"] for r in pseudo.entities() if r["text"] == "Mira"} == {"suggested"}
    pseudo.project.redo()
    assert {r["status"] for r in pseudo.entities() if r["text"] == "Mira"} == {"accepted"}
    n = pseudo.decide_remaining("accepted", kind="phone")
    assert n == 1 and pseudo.entities(kind="phone")[0]["status"] == "accepted"
    pseudo.project.undo()
    assert pseudo.entities(kind="phone")[0]["status"] == "suggested"


def test_your_own_pseudonym_for_a_string(pseudo: Pseudonymiser) -> None:
    pseudo.detect()
    ids = _ids(pseudo, "Nourhan")
    decision = pseudo.rename(ids[0], "Kompisen")
    assert decision.pseudonym == "Kompisen"
    rows = [r for r in pseudo.entities() if r["text"] == "Nourhan"]
    assert {r["pseudonym"] for r in rows} == {"Kompisen"}  # one string, one pseudonym
    assert [r["status"] for r in rows] == ["accepted", "suggested"]
    with pytest.raises(InvalidOperation, match="participant"):
        pseudo.rename(_ids(pseudo, "Lena")[0], "Mamman")
    with pytest.raises(InvalidOperation):
        pseudo.rename(ids[1], "  ")


def test_participants_and_accepted_entities_do_not_fight(pseudo: Pseudonymiser) -> None:
    pseudo.detect()
    pseudo.accept(_ids(pseudo, "Lena Berg")[0])
    out = pseudo.project.name_step().text("Lena Berg och Lena Holmqvist och Lena.")
    berg = next(r["pseudonym"] for r in pseudo.entities() if r["text"] == "Lena Berg")
    assert out == f"{berg} och Förälder 2 och Förälder 2."  # the longest match wins


def test_accepted_spans_are_replaced_where_whole_words_cannot_see_them() -> None:
    key = [KeyEntry("Mira", "[namn 1]", "person", "entity", ((7, 7, 11),))]
    step = NameStep(key)
    text = "Pratar Miramamma med Mira-grejen och Anna-Mira?"
    assert step.text(text) == "Pratar Miramamma med [namn 1]-grejen och Anna-[namn 1]?"
    assert step.source(text, transcript_id=7).text.startswith("Pratar [namn 1]mamma")
    assert step.passage(7, 4, text[4:16]) == "ar [namn 1]mamma"


def test_the_key_is_written_apart_as_csv(pseudo: Pseudonymiser, tmp_path: Path) -> None:
    pseudo.detect()
    pseudo.accept(_ids(pseudo, "Nourhan")[0])
    path = tmp_path / "apart" / "key.csv"
    n = pseudo.export_key(path)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == n and set(rows[0]) == {"real", "pseudonym", "kind", "source"}
    by_real = {r["real"]: r for r in rows}
    assert by_real["Lena Holmqvist"]["pseudonym"] == "Förälder 2"
    assert by_real["Lena Holmqvist"]["source"] == "participant register"
    assert by_real["Nourhan"]["source"] == "accepted" and by_real["Nourhan"]["kind"] == "person"
    assert "Mira" not in by_real  # undecided suggestions are not in the key
    assert pseudo.project.history()[0]["action"] == "export-key"


def test_apply_writes_pseudonymised_transcripts_and_counts_what_is_undecided(
    pseudo: Pseudonymiser, tmp_path: Path
) -> None:
    pseudo.detect()
    total = len(pseudo.entities())
    pseudo.decide_remaining("accepted", kind="person")
    report = pseudo.write_texts(tmp_path / "out")
    assert [p.name for p in report.paths] == ["intervju1.txt"]
    assert report.undecided == total - len(pseudo.entities(status="accepted"))
    out = report.paths[0].read_text(encoding="utf-8")
    for name in ("Lena", "Holmqvist", "Mira", "Maria", "Nourhan"):
        assert name not in out
    assert "Förälder 2: Jag heter Förälder 2." in out
    assert "Björkdalsskolan" not in out  # the participant sheet's school is in the key already
    assert "070-123 45 67" in out  # not accepted, so not replaced: the warning says so


def test_exports_replace_accepted_entities_by_default(pseudo: Pseudonymiser, tmp_path: Path) -> None:
    project = pseudo.project
    project.codebook.add("Kamrater")
    project.codings.code("intervju1", "Kamrater", Selector(match="Nourhan i klassen är hennes kompis."))
    pseudo.detect()
    pseudo.accept(_ids(pseudo, "Nourhan")[0])
    out = tmp_path / "excerpts.csv"
    project.export_excerpts(out)
    assert "Nourhan" not in out.read_text(encoding="utf-8-sig")
    project.export_excerpts(out, real_names=True)
    assert "Nourhan i klassen" in out.read_text(encoding="utf-8-sig")
    from ppss_qual.exports.report import ReportOptions

    report = tmp_path / "r.docx"
    project.export_report(report, ReportOptions(network=False, context=2))
    text = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert "Nourhan" not in text and "kompis" in text


def test_the_qdpx_export_replaces_accepted_entities(pseudo: Pseudonymiser, tmp_path: Path) -> None:
    import zipfile

    pseudo.detect()
    pseudo.accept(_ids(pseudo, "Nourhan")[0])
    pseudo.accept(_ids(pseudo, "Hjulsta")[0])
    out = tmp_path / "p.qdpx"
    pseudo.project.refi.export_qdpx(out, real_names=False)
    with zipfile.ZipFile(out) as archive:
        text = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    for real in ("Nourhan", "Hjulsta", "Lena Holmqvist"):
        assert real not in text
