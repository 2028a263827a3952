"""REFI-QDA export: valid against the schemas (xmlschema, stricter than lxml), exact texts, honest offsets."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from ppss_qual.errors import InvalidOperation
from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.project import Project
from ppss_qual.refi import writer
from ppss_qual.refi.validate import guid_problems
from tests.unit.test_refi_support import SCHEMAS, build_project, qde_of

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def source(analyser: Analyser, tmp_path: Path) -> Project:
    p = build_project(None, analyser, tmp_path)
    yield p
    p.close()


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd"))


def test_export_is_valid_for_xmlschema_and_guids_resolve(
    source: Project, tmp_path: Path, project_schema: xmlschema.XMLSchema
) -> None:
    out = tmp_path / "s.qdpx"
    report = source.refi.export_qdpx(out)
    assert (report.transcripts, report.codes, report.codings, report.memos) == (2, 5, 7, 6)
    qde = qde_of(out)
    project_schema.validate(qde.decode("utf-8"))
    root = etree.fromstring(qde)
    assert guid_problems(root) == []
    assert not qde.startswith(b"\xef\xbb\xbf") and b"\r\n" not in qde


def test_sources_hold_the_stored_text_exactly(source: Project, tmp_path: Path) -> None:
    out = tmp_path / "s.qdpx"
    source.refi.export_qdpx(out)
    root = etree.fromstring(qde_of(out))
    with zipfile.ZipFile(out) as archive:
        for src in root.iterfind(".//q:TextSource", NS):
            member = src.get("plainTextPath").replace("internal://", "Sources/")
            data = archive.read(member)
            assert not data.startswith(b"\xef\xbb\xbf")
            assert data.decode("utf-8") == source.transcript(src.get("name")).text


def _selections(out: Path) -> list[tuple[str, int, int, str, int]]:
    root = etree.fromstring(qde_of(out))
    return [
        (
            src.get("name"),
            int(sel.get("startPosition")),
            int(sel.get("endPosition")),
            sel.get("name"),
            len(sel),
        )
        for src in root.iterfind(".//q:TextSource", NS)
        for sel in src.iterfind("q:PlainTextSelection", NS)
    ]


def test_code_points_by_default_and_utf16_for_nvivo(source: Project, tmp_path: Path) -> None:
    source.refi.export_qdpx(tmp_path / "cp.qdpx")
    source.refi.export_qdpx(tmp_path / "u16.qdpx", offsets="utf16")
    texts = {t["name"]: source.transcript(t["name"]).text for t in source.transcripts()}
    coded = 0
    for name, start, end, label, children in _selections(tmp_path / "cp.qdpx"):
        if children:  # a selection with codings is named by its text
            assert texts[name][start:end] == label
            coded += 1
    assert coded == 5  # seven codings on five spans: three share one
    differ = 0
    cp = _selections(tmp_path / "cp.qdpx")
    for (name, start, end, _label, _children), (_, s16, e16, *_rest) in zip(
        cp, _selections(tmp_path / "u16.qdpx"), strict=True
    ):
        units = texts[name].encode("utf-16-le")
        assert units[2 * s16 : 2 * e16].decode("utf-16-le") == texts[name][start:end]
        differ += (s16, e16) != (start, end)
    assert differ > 0  # an emoji before them counts 2 in UTF-16


def test_one_selection_holds_the_codings_of_one_span(source: Project, tmp_path: Path) -> None:
    out = tmp_path / "s.qdpx"
    source.refi.export_qdpx(out)
    root = etree.fromstring(qde_of(out))
    shared = [
        s for s in root.iterfind(".//q:PlainTextSelection", NS) if s.get("name") == "ingen lyssnade på mig."
    ]
    assert len(shared) == 1
    codings = shared[0].findall("q:Coding", NS)
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    assert sorted(users[c.get("creatingUser")] for c in codings) == ["anna", "anna", "bo"]


def test_what_the_schema_has_no_element_for_is_in_descriptions(source: Project, tmp_path: Path) -> None:
    out = tmp_path / "s.qdpx"
    source.refi.export_qdpx(out)
    root = etree.fromstring(qde_of(out))
    code = next(c for c in root.iterfind(".//q:Code", NS) if c.get("name") == "Barnets röst")
    description = code.findtext("q:Description", namespaces=NS)
    assert description.startswith("Hur eleven kommer till tals.\nFörsta raden och andra.\n\n[ppss_qual]\n")
    assert "English name: The child's voice" in description and "Keywords: lyssna, höra, röst" in description
    assert code.get("color") == "#4A90D9"
    case = next(c for c in root.iterfind(".//q:Case", NS) if c.get("name") == "Elev 3")
    assert "Role: pupil" in case.findtext("q:Description", namespaces=NS)
    assert len(case.findall("q:SelectionRef", NS)) == 2  # Elev 3's two turns, never the interviewer's
    turns = root.find(".//q:TextSource[@name='samtal2']/q:Description", NS).text
    assert "| 0:00:16.021 to 0:00:19.924 | Lena Holmqvist" in turns and "| - to 0:00:47.668 |" in turns


def test_an_invalid_export_is_never_written(
    source: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_build = writer.build

    def broken(*args: object, **kwargs: object) -> writer.Built:
        built = real_build(*args, **kwargs)  # type: ignore[arg-type]
        built.qde = built.qde.replace(b'<CodeRef targetGUID="', b'<CodeRef targetGUID="0', 1)
        return built

    monkeypatch.setattr(writer, "build", broken)
    out = tmp_path / "s.qdpx"
    out.write_bytes(b"the previous export")
    with pytest.raises(InvalidOperation, match="not be valid"):
        source.refi.export_qdpx(out)
    assert out.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deltagare.csv", "s.qdpx"]


def test_unknown_unit_is_refused(source: Project, tmp_path: Path) -> None:
    with pytest.raises(InvalidOperation, match="utf16"):
        source.refi.export_qdpx(tmp_path / "s.qdpx", offsets="bytes")


def test_pseudonymised_export_replaces_names_and_keeps_offsets_true(
    source: Project, tmp_path: Path, project_schema: xmlschema.XMLSchema
) -> None:
    out = tmp_path / "p.qdpx"
    report = source.refi.export_qdpx(out, real_names=False)
    assert report.real_names is False
    with zipfile.ZipFile(out) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8")
    assert "Lena Holmqvist" not in everything and "Holmqvist" not in everything
    project_schema.validate(qde_of(out).decode("utf-8"))
    root = etree.fromstring(qde_of(out))
    with zipfile.ZipFile(out) as archive:
        for src in root.iterfind(".//q:TextSource", NS):
            text = archive.read(src.get("plainTextPath").replace("internal://", "Sources/")).decode("utf-8")
            for sel in src.iterfind("q:PlainTextSelection", NS):
                if len(sel):
                    assert text[int(sel.get("startPosition")) : int(sel.get("endPosition"))] == sel.get(
                        "name"
                    )


def test_empty_project_exports_valid(
    analyser: Analyser, tmp_path: Path, project_schema: xmlschema.XMLSchema
) -> None:
    empty = Project.memory("anna", analyser=analyser)
    empty.refi.export_qdpx(tmp_path / "e.qdpx")
    project_schema.validate(qde_of(tmp_path / "e.qdpx").decode("utf-8"))
