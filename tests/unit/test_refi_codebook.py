"""REFI-QDA codebooks (.qdc): read leniently (namespace versions, BOM, CRLF), written valid, round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from ppss_qual.errors import InputError
from ppss_qual.model import Code
from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.project import Project
from ppss_qual.refi.codebook import parse_qdc_codebook, qdc_bytes, read_qdc
from tests.unit.test_refi_support import REFI_DATA, SAMPLES, SCHEMAS, build_project


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("the shared REFI-QDA samples are not here")
    return SAMPLES


def test_atlas_codebook_imports(project: Project, samples: Path) -> None:
    report = project.refi.import_qdc(samples / "atlasti-23.4-codebook.qdc")
    assert report.added == ["code1"]
    code = project.codebook.resolve("code1")
    assert (code.definition, code.colour) == ("description", "#46AA00")


def test_constructed_codebook_keeps_the_tree(samples: Path) -> None:
    path = samples / "constructed-codebook.qdc"
    codes, _ = read_qdc(path.read_bytes(), str(path))
    assert [(c.name, [k.name for k in c.children]) for c in codes] == [
        ("Pathways", ["Accidental entry", "Retention"])
    ]
    assert codes[0].children[0].definition == "Joined by chance"


@pytest.mark.parametrize("where", ["shared", "own"])
def test_truncated_codebook_gives_a_clear_error(project: Project, where: str) -> None:
    if where == "shared":
        if not SAMPLES.is_dir():
            pytest.skip("the shared REFI-QDA samples are not here")
        path = SAMPLES / "truncated-codebook.qdc"
    else:
        path = REFI_DATA / "truncated.qdc"
    with pytest.raises(InputError) as caught:
        project.refi.import_qdc(path)
    message = str(caught.value)
    assert str(path) in message and "not well-formed XML" in message and "cut off" in message
    assert caught.value.line is not None
    assert project.codebook.tree() == [] and project.history() == []


def test_bom_crlf_nested_with_our_block(project: Project) -> None:
    report = project.refi.import_qdc(REFI_DATA / "nested-bom-crlf.qdc")
    assert report.added == ["Barnets röst", "Att bli lyssnad på", "Inte lyssnad på", "Skolan"]
    voice = project.codebook.resolve("Barnets röst")
    assert voice.definition == "Hur eleven kommer till tals."
    assert (voice.name_en, voice.use_when, voice.keywords) == (
        "The child's voice",
        "Eleven beskriver att bli hörd.",
        ["lyssna", "röst"],
    )
    assert project.codebook.resolve("Barnets röst/Att bli lyssnad på/Inte lyssnad på").colour == "#AABBCC"


def test_export_is_valid_and_round_trips(analyser: Analyser, tmp_path: Path) -> None:
    source = build_project(None, analyser, tmp_path)
    out = tmp_path / "book.qdc"
    assert source.refi.export_qdc(out) == 5
    xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd")).validate(out.read_text(encoding="utf-8"))
    target = Project.memory("x", analyser=analyser)
    report = target.refi.import_qdc(out)
    assert len(report.added) == 5
    fields = ("path", "name_en", "definition", "use_when", "not_when", "example", "colour", "keywords")
    assert [{f: c[f] for f in fields} for c in source.codebook.tree()] == [
        {f: c[f] for f in fields} for c in target.codebook.tree()
    ]


def test_update_takes_the_files_version(analyser: Analyser, tmp_path: Path) -> None:
    source = build_project(None, analyser, tmp_path)
    out = tmp_path / "book.qdc"
    source.refi.export_qdc(out)
    source.codebook.edit("Barnets röst", example="Ett annat exempel.")
    assert source.refi.import_qdc(out).changed == ["Barnets röst: example"]
    assert source.codebook.resolve("Barnets röst").example == "Ett annat exempel."
    assert source.refi.import_qdc(out, update=True).updated == ["Barnets röst"]
    assert source.codebook.resolve("Barnets röst").example == '"Nu känner jag mig lyssnad på."'


def test_functions_for_the_codebook_format_dispatch() -> None:
    """codebook.format hands parsers decoded text and writers (codes, title); both fit."""
    text = (
        '<?xml version="1.0" encoding="utf-16"?>\n'
        + (REFI_DATA / "nested-bom-crlf.qdc").read_text(encoding="utf-8-sig").split("?>", 1)[1]
    )
    codes, _ = parse_qdc_codebook(text, "book.qdc")
    assert [c.name for c in codes] == ["Barnets röst", "Skolan"]
    data = qdc_bytes([Code("Ny kod", name_en="New code", keywords=["a"], children=[Code("Under")])], "Titel")
    again, _ = read_qdc(data, "again.qdc")
    assert (again[0].name, again[0].name_en, again[0].keywords, again[0].children[0].name) == (
        "Ny kod",
        "New code",
        ["a"],
        "Under",
    )


def test_duplicate_names_in_a_codebook_get_numbers() -> None:
    data = b"""<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
      <Code guid="00000000-0000-4000-8000-000000000001" name="Other" isCodable="true"/>
      <Code guid="00000000-0000-4000-8000-000000000002" name="Theme" isCodable="true">
        <Code guid="00000000-0000-4000-8000-000000000003" name="other" isCodable="true"/></Code>
    </Codes></CodeBook>"""
    codes, warnings = read_qdc(data, "d.qdc")
    assert codes[1].children[0].name == "other (2)" and "other (2)" in warnings[0]
