"""REFI-QDA import: real files from other programs and our own fixtures of what real programs do."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ppss_qual.errors import InputError
from ppss_qual.project import Project
from tests.unit.test_refi_support import REFI_DATA, SAMPLES


def _texts(project: Project) -> dict[str, str]:
    return {t["name"]: project.transcript(t["name"]).text or "" for t in project.transcripts()}


# ---------------------------------------------------------------------------------------- real samples


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("the shared REFI-QDA samples are not here")
    return SAMPLES


def test_nvivo_sample_every_selection_keeps_its_text(project: Project, samples: Path) -> None:
    path = samples / "nvivo-win-12.6.qdpx"
    report = project.refi.import_qdpx(path)
    assert report.unit == "utf16" and report.not_imported == []
    assert report.codes_added == 152 and report.codings == 303 and report.coders == ["Gergo"]
    # Independently of the importer: every selection's text in the source, counted in UTF-16 code units.
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        ns = {"q": root.nsmap[None]}
        expected: dict[str, tuple[str, str]] = {}
        for src in root.iterfind(".//q:TextSource", ns):
            raw = archive.read("Sources/" + src.get("plainTextPath").split("://")[1])
            assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
            text = raw[3:].decode("utf-8")
            assert _texts(project)[src.get("name")] == text  # kept exactly: CRLF and all
            units = text.encode("utf-16-le")
            for sel in src.iterfind("q:PlainTextSelection", ns):
                s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
                for coding in sel.iterfind("q:Coding", ns):
                    expected[coding.get("guid")] = (src.get("name"), units[2 * s : 2 * e].decode("utf-16-le"))
    assert len(expected) == 303
    texts = _texts(project)
    rows = project.conn.execute(
        'SELECT c.guid, t.name, c.start, c."end", c.text FROM codings c JOIN transcripts t ON t.id = c.transcript_id'
    ).fetchall()
    assert len(rows) == 303
    for guid, name, start, end, coded in rows:
        assert expected[guid] == (name, coded)
        assert texts[name][start:end] == coded
    assert len(report.unverified) == 303  # NVivo names no selection: each says which text was taken


def test_constructed_sample_with_emoji_in_code_points(project: Project, samples: Path) -> None:
    report = project.refi.import_qdpx(samples / "constructed-minimal.qdpx")
    assert report.unit == "codepoints"
    assert report.not_imported == [
        "1 set(s): groups of codes, sources or notes, which ppss_qual does not have"
    ]
    texts = {e["code"]: e["text"] for e in project.codings.excerpts()}
    assert texts == {"Accidental entry": "Honestly 😀 it was by accident.", "Retention": "Then I stayed."}
    assert [m["target"] for m in project.codings.memos()] == ["coding 1"]
    person = next(p for p in project.participants() if p["name"] == "Participant 1")
    assert person["attributes"] == {"Age": "34"} and person["labels"] == ["P"]
    assert project.codebook.resolve("Pathways/Retention").colour == "#61AFEF"


def test_offsets_override_is_obeyed_and_mismatches_listed(project: Project, samples: Path) -> None:
    report = project.refi.import_qdpx(samples / "constructed-minimal.qdpx", offsets="utf16")
    assert report.unit == "utf16" and report.unit_reason == "given with --offsets"
    mismatches = [line for line in report.not_imported if "but the text there is" in line]
    assert report.codings == 0 and len(mismatches) == 2
    assert "says 'Honestly 😀 it was by accident.'" in mismatches[0]


# ------------------------------------------------------------------------------------------ fixtures


def test_nvivo_like_bom_crlf_utf16(project: Project) -> None:
    report = project.refi.import_qdpx(REFI_DATA / "nvivo-bom-crlf.qdpx")
    assert report.unit == "utf16" and "beyond the text" in report.unit_reason
    text = _texts(project)["intervju_nvivo"]
    assert text.startswith("Intervjuare:") and "\r\n" in text  # no BOM, CRLF kept: offsets stay valid
    coded = sorted((e["code"], e["text"]) for e in project.codings.excerpts())
    assert coded == [
        ("Att bli lyssnad på", "Nu känner jag mig lyssnad på."),
        ("Inte lyssnad på", "ingen lyssnade på mig."),
        ("Känslor", "ingen lyssnade på mig."),
    ]
    turns = project.show("intervju_nvivo")["turns"]
    assert [(t["speaker"], t["text"]) for t in turns][:2] == [
        ("Intervjuare", "Hur var det i skolan förra året?"),
        ("Elev 3", "Det var jobbigt 😀 ingen lyssnade på mig."),
    ]
    assert {e["coder"] for e in project.codings.excerpts()} == {"Alice"}
    assert [d["text"] for d in report.unverified] == [
        "ingen lyssnade på mig.",
        "ingen lyssnade på mig.",
        "Nu känner jag mig lyssnad på.",
    ]


def test_atlas_like_several_codings_on_one_selection(project: Project) -> None:
    report = project.refi.import_qdpx(REFI_DATA / "atlas-several-codings.qdpx")
    assert report.unit == "codepoints"
    coded = sorted((e["code"], e["text"]) for e in project.codings.excerpts())
    quote = "Alla frågade 🙈 var jag varit."
    assert coded == [
        ("Frågor-blickar", quote),
        ("Skam", quote),
        ("Stöd", "Men mentorn hjälpte mig."),
        ("Återkomst", quote),
    ]
    paths = [c["path"] for c in project.codebook.tree()]
    assert paths == [
        "Återkomst",
        "Återkomst/Frågor-blickar",
        "Återkomst/Frågor-blickar/Skam",
        "Stöd",
        "skam (2)",
    ]
    assert project.codebook.resolve("Återkomst").colour == "#4A90D9"  # #RRGGBBAA: alpha dropped
    memos = {m["target"]: m["text"] for m in project.codings.memos()}
    assert memos["code Återkomst"] == "Temat för återkomsten."
    assert memos["project"] == "Projektets anteckning."
    assert any(k.startswith("coding ") for k in memos)
    assert any("'/' separates" in w for w in report.warnings)


def test_maxqda_like_what_cannot_come_in_is_listed(project: Project) -> None:
    report = project.refi.import_qdpx(REFI_DATA / "maxqda-cases.qdpx")
    listed = "\n".join(report.not_imported)
    assert "'Rapport.pdf': a pdf source" in listed and "'Teckning.png': a picture source" in listed
    assert "outside the archive (absolute:///C:/Data/extern.txt)" in listed
    assert "(500-520) is outside the text" in listed
    assert "says 'Varför då?' but the text there is 'IP: Jag gi'" in listed
    assert "refers to code 3ac00000-0000-4000-8000-00000000dead, which is not in the codebook" in listed
    assert "1 set(s)" in listed and "1 variable value(s) of sources" in listed
    assert report.codings == 2
    # The nameless case's variables (MAXQDA's document variables) go to the source's interviewee.
    ip = next(p for p in project.participants() if p["name"] == "IP")
    assert ip["attributes"] == {"skola": "Björkdalsskolan", "årskurs": "8"}
    interviewer = next(p for p in project.participants() if p["name"] == "I")
    assert interviewer["attributes"] == {} and interviewer["role"] == "interviewer"


def test_import_into_an_existing_project_matches_by_content(project: Project) -> None:
    project.refi.import_qdpx(REFI_DATA / "atlas-several-codings.qdpx")
    project.codebook.add("Egen kod")
    again = project.refi.import_qdpx(REFI_DATA / "atlas-several-codings.qdpx")
    assert again.matched == ["Intervju Elev 5"] and again.transcripts == []
    assert again.codings == 0 and again.duplicates == 4 and again.codes_added == 0 and again.memos == 0
    assert len(project.transcripts()) == 1


def test_not_a_project(project: Project, tmp_path: Path) -> None:
    book = tmp_path / "book.qdpx"
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("x.qde", '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    with pytest.raises(InputError, match="root element is <CodeBook>"):
        project.refi.import_qdpx(book)
    assert project.transcripts() == [] and project.history() == []


def test_a_changed_text_is_not_trusted_to_our_list_of_turns(
    project: Project, analyser: object, tmp_path: Path
) -> None:
    """Another program kept our description but changed the text: turns are found anew, and selections
    whose text no longer matches are listed, not imported."""
    from tests.unit.test_refi_support import build_project

    source = build_project(None, analyser, tmp_path)  # type: ignore[arg-type]
    out = tmp_path / "s.qdpx"
    source.refi.export_qdpx(out)
    changed = tmp_path / "changed.qdpx"
    with zipfile.ZipFile(out) as old, zipfile.ZipFile(changed, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.startswith("Sources/") and b"Vad g" not in data:  # intervju1
                data = b"Rubrik\n\n" + data
            new.writestr(info, data)
    report = project.refi.import_qdpx(changed)
    assert any("its list of turns is unreadable" in w for w in report.warnings)
    turns = project.show("intervju1")["turns"]
    assert [t["speaker"] for t in turns][-2:] == ["Intervjuare", "Elev 3"]
    assert any("but the text there is" in line for line in report.not_imported) and report.unverified == []


def test_source_text_encodings() -> None:
    from ppss_qual.refi.importing import decode_source

    warnings: list[str] = []
    assert decode_source(b"\xef\xbb\xbfa\r\nb", "x", warnings) == "a\r\nb"
    assert decode_source("å😀".encode("utf-16-le").join([b"\xff\xfe", b""]), "x", warnings) == "å😀"
    assert decode_source("Hjälp".encode("cp1252"), "x", warnings) == "Hjälp" and "Windows-1252" in warnings[0]
