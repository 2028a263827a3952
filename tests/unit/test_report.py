"""The Word report, opened back with python-docx: styles, counts, exact quotes, attributions, fields, comments."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from ppss_qual.coding.operations import Selector
from ppss_qual.exports.report import ReportOptions
from ppss_qual.project import Project
from tests.conftest import parsed

PUPIL = [
    ("Intervjuare", "Hur var det när Sara började?"),
    ("Elev 3", "Sara lyssnade på riktigt. Hon satt inte vid datorn. Jag litar på henne nu."),
    ("Intervjuare", "Och skolan?"),
    ("Elev 3", "På Björkdalsskolan bytte vi mentor tre gånger. Det var jobbigt att börja om."),
]
PARENT = [
    ("Intervjuare", "Hur var första mötet?"),
    ("Lena Holmqvist", "Jag var rädd att de skulle ta henne. Men Sara förklarade allt lugnt."),
]


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    for name, turns in (("elev3", PUPIL), ("foralder2", PARENT)):
        project.add_transcript(project.analyser.analyse(parsed(name, turns), "sv"))
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "transcript;speaker;participant;role;skola\n"
        "elev3;Elev 3;Elev 3;pupil;Björkdalsskolan\n"
        "foralder2;Lena Holmqvist;Förälder 2;parent;Björkdalsskolan\n",
        encoding="utf-8",
    )
    project.import_participants(sheet)
    project.codebook.add(
        "Barnets röst", name_en="The child's voice", definition="Hur barnet kommer till tals."
    )
    project.codebook.add(
        "Att bli lyssnad på",
        parent="Barnets röst",
        name_en="Being listened to",
        definition="Att vuxna lyssnar.",
    )
    project.codebook.add("Tillit", parent="Barnets röst", name_en="Trust", definition="Förtroende.")
    project.codebook.add("Kontinuitet", name_en="Continuity", definition="Samma vuxna över tid.")
    project.codings.code("elev3", "Att bli lyssnad på", Selector(match="Sara lyssnade på riktigt."))
    project.codings.code(
        "elev3", "Att bli lyssnad på", Selector(match="Sara lyssnade på riktigt."), coder="bertil"
    )
    project.codings.code("elev3", "Tillit", Selector(match="Jag litar på henne nu."))
    project.codings.code("foralder2", "Tillit", Selector(match="Men Sara förklarade allt lugnt."))
    project.codings.code("elev3", "Kontinuitet", Selector(turn=4))
    coding = project.codings.excerpts(code="Tillit")[0]["id"]
    project.codings.add_memo(f"coding:{coding}", "Tillit byggs i små steg.")
    return project


def _report(project: Project, tmp_path: Path, **options: object) -> docx.document.Document:
    path = tmp_path / "report.docx"
    project.export_report(path, ReportOptions(network=False, **options))  # type: ignore[arg-type]
    return docx.Document(str(path))


def _quotes(document: docx.document.Document) -> list[str]:
    return [
        p.runs[0].text
        for p in document.paragraphs
        if p.style.name == "Quote" and not p.runs[0].font.color.rgb
    ]


def test_headings_and_styles_make_the_skeleton(coded: Project, tmp_path: Path) -> None:
    d = _report(coded, tmp_path)
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [
        ("Title", "Tematisk analys"),
        ("Heading 1", "Material och metod"),
        ("Heading 1", "Resultat"),
        ("Heading 2", "Barnets röst"),
        ("Heading 3", "Att bli lyssnad på"),
        ("Heading 3", "Tillit"),
        ("Heading 2", "Kontinuitet"),
        ("Heading 1", "Bilaga: Kodbok"),
    ]
    english = _report(coded, tmp_path, lang="en")
    assert [p.text for p in english.paragraphs if p.style.name == "Heading 2"] == [
        "The child's voice",
        "Continuity",
    ]


def test_method_paragraph_counts(coded: Project, tmp_path: Path) -> None:
    d = _report(coded, tmp_path)
    method = next(
        p.text for i, p in enumerate(d.paragraphs) if d.paragraphs[i - 1].text == "Material och metod"
    )
    assert "2 intervjuer" in method and "2 deltagare" in method and "2 kodare" in method
    assert "elever 1 (1 intervju)" in method and "vårdnadshavare 1" in method and "skolpersonal 0" in method
    assert "2 koder i 2 teman" in method


def test_table_counts_passages_and_participants_per_group(coded: Project, tmp_path: Path) -> None:
    d = _report(coded, tmp_path)
    table = d.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Kod", "Elever", "Vårdnadshavare", "Skolpersonal", "Socialtjänst", "Totalt"]
    by_code = {r[0]: r[1:] for r in rows[1:]}
    # two coders' identical coding is one passage; the theme row includes its sub-codes
    assert by_code["Att bli lyssnad på"] == ["1 (1)", "0 (0)", "0 (0)", "0 (0)", "1 (1)"]
    assert by_code["Tillit"] == ["1 (1)", "1 (1)", "0 (0)", "0 (0)", "2 (2)"]
    assert by_code["Barnets röst"] == ["2 (1)", "1 (1)", "0 (0)", "0 (0)", "3 (2)"]
    assert table.style.name in ("Light Grid Accent 1", "Table Grid")


def test_quotes_are_exactly_the_coded_text_with_real_names(coded: Project, tmp_path: Path) -> None:
    d = _report(coded, tmp_path, real_names=True)
    coded_texts = {e["text"] for e in coded.codings.excerpts()}
    quotes = _quotes(d)
    assert quotes and set(quotes) <= coded_texts
    assert "Sara lyssnade på riktigt." in quotes


def test_names_are_replaced_by_default_and_attribution_is_pseudonymous(
    coded: Project, tmp_path: Path
) -> None:
    d = _report(coded, tmp_path)
    text = "\n".join(p.text for p in d.paragraphs)
    for real in ("Lena", "Holmqvist", "Björkdalsskolan"):  # known to the project; "Sara" is not (yet)
        assert real not in text, real
    assert "Men Sara förklarade allt lugnt." in _quotes(d)
    attributions = re.findall(r"\((Elev 3|Förälder 2)[^)]*\)", text)
    assert attributions
    assert "(Elev 3, skola A; elev3, rad 3)" in text
    assert "(Förälder 2, skola A; foralder2, rad 3)" in text


def test_max_excerpts_represents_every_group_first(coded: Project, tmp_path: Path) -> None:
    d = _report(coded, tmp_path, max_excerpts=2, real_names=True)
    quotes = _quotes(d)
    assert "Jag litar på henne nu." in quotes and "Men Sara förklarade allt lugnt." in quotes
    one = _report(coded, tmp_path, max_excerpts=1, real_names=True, groups=["parent"])
    assert _quotes(one) == ["Men Sara förklarade allt lugnt."]


def test_memos_as_comments_and_page_number_field(coded: Project, tmp_path: Path) -> None:
    d = _report(coded, tmp_path, memos=True)
    comments = list(d.comments)
    assert [c.text for c in comments] == ["Tillit byggs i små steg."]
    footer = d.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer
    without = _report(coded, tmp_path)
    assert list(without.comments) == []


def test_context_is_shown_apart_from_the_exact_quote(coded: Project, tmp_path: Path) -> None:
    d = _report(coded, tmp_path, context=1, real_names=True)
    paragraph = next(
        p for p in d.paragraphs if p.style.name == "Quote" and "Jag litar på henne nu." in p.text
    )
    assert paragraph.runs[0].text.startswith("Hon satt inte vid datorn.")
    assert paragraph.runs[1].text == "Jag litar på henne nu."


def test_the_appendix_holds_the_codebook(coded: Project, tmp_path: Path) -> None:
    d = _report(coded, tmp_path)
    appendix = d.tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == ["Tema/kod", "Namn", "Engelskt namn", "Definition"]
    assert len(appendix.rows) == 1 + 4
    assert any(r.cells[0].text == "Barnets röst/Tillit" for r in appendix.rows)


def test_comments_go_through_the_name_step_too(coded: Project, tmp_path: Path) -> None:
    coding = coded.codings.excerpts(code="Tillit")[0]["id"]
    coded.codings.add_memo(f"coding:{coding}", "Lena Holmqvist sa samma sak.")
    d = _report(coded, tmp_path, memos=True)
    texts = [c.text for c in d.comments]
    assert "Förälder 2 sa samma sak." in texts and not any("Lena" in t for t in texts)
    real = _report(coded, tmp_path, memos=True, real_names=True)
    assert "Lena Holmqvist sa samma sak." in [c.text for c in real.comments]
