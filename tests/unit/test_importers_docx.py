"""Word importer: bold and plain speaker labels, skipped tables and images, damaged files, zip bombs."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from ppss_qual.errors import InputError
from ppss_qual.importers import docx as docx_importer
from ppss_qual.importers import read_transcript
from ppss_qual.importers.docx import parse_docx


def _png() -> bytes:
    """A 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def _paragraph(document, bold: str | None, rest: str, style: str | None = None):
    paragraph = document.add_paragraph(style=style)
    if bold is not None:
        paragraph.add_run(bold).bold = True
    if rest:
        paragraph.add_run(rest)
    return paragraph


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def interview() -> bytes:
    document = docx.Document()
    document.add_heading("Fiktiv intervju med en elev", level=1)
    _paragraph(document, None, "Alla namn är påhittade.")
    _paragraph(document, "Intervjuare:", " Hur går det i skolan?")
    _paragraph(document, "Elev", " Det går bättre nu.")
    _paragraph(document, None, "Jag har en ny mentor.")
    _paragraph(document, None, "")
    _paragraph(document, "Intervjuare", ": Vad gör mentorn?")
    _paragraph(document, None, "Elev: Hon ringer på morgonen.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Intervjuare: i en tabell"
    _paragraph(document, "Intervjuare: [00:12:03]", " Och kuratorn?")
    paragraph = _paragraph(document, None, "Elev: Vi ses")
    paragraph.add_run().add_break()
    paragraph.add_run("varje vecka.")
    document.add_paragraph().add_run().add_picture(io.BytesIO(_png()))
    _paragraph(document, "Viktigt", " är att eleven får stöd, sa rektorn.")
    return _save(document)


def test_bold_and_plain_labels_make_turns(interview: bytes):
    turns, _ = parse_docx(interview, path="elev.docx")
    assert [(t.speaker, t.speech, t.time_start_ms) for t in turns] == [
        (None, "Fiktiv intervju med en elev\nAlla namn är påhittade.", None),
        ("Intervjuare", "Hur går det i skolan?", None),
        ("Elev", "Det går bättre nu.\nJag har en ny mentor.", None),
        ("Intervjuare", "Vad gör mentorn?", None),
        ("Elev", "Hon ringer på morgonen.", None),
        ("Intervjuare", "Och kuratorn?", 723000),
        ("Elev", "Vi ses\nvarje vecka.\nViktigt är att eleven får stöd, sa rektorn.", None),
    ]


def test_tables_and_images_are_skipped_with_counts(interview: bytes):
    _, warnings = parse_docx(interview, path="elev.docx")
    assert warnings == [
        "elev.docx: skipped 1 table(s); their text is not imported",
        "elev.docx: skipped 1 image(s) or drawing(s)",
    ]


def test_read_transcript_docx(tmp_path: Path, interview: bytes):
    path = tmp_path / "Elev 7.DOCX"
    path.write_bytes(interview)
    parsed = read_transcript(path)
    assert (parsed.name, parsed.source_format) == ("Elev 7", "docx")
    assert parsed.turns[1].speaker == "Intervjuare"
    assert len(parsed.warnings) == 2


def test_docx_without_labels_warns():
    document = docx.Document()
    _paragraph(document, None, "En fiktiv anteckning om skolan.")
    _paragraph(document, None, "Ingen talare här.")
    turns, warnings = parse_docx(_save(document), path="a.docx")
    assert [(t.speaker, t.speech) for t in turns] == [
        (None, "En fiktiv anteckning om skolan.\nIngen talare här.")
    ]
    assert warnings == ["a.docx: no speaker labels found; imported as one unnamed speaker"]


def test_text_is_normalised_to_nfc():
    document = docx.Document()
    _paragraph(document, "Fo\u0308ra\u0308lder:", " Ja\u030a.")
    _paragraph(document, "Förälder:", " Nej.")
    turns, _ = parse_docx(_save(document))
    assert [(t.speaker, t.speech) for t in turns] == [("Förälder", "Jå.\nNej.")]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members[name] = content
    return _zip(members)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"Detta \xe4r ingen zip-fil alls, bara text.", "not a zip file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old .doc"),
        (_zip({"word/annat.xml": b"<x/>"}), "no word/document.xml"),
    ],
    ids=["not-zip", "old-doc", "no-document-xml"],
)
def test_damaged_docx(data: bytes, why: str):
    with pytest.raises(InputError) as caught:
        parse_docx(data, path="trasig.docx")
    message = str(caught.value)
    assert message.startswith("trasig.docx: not a readable .docx (")
    assert why in message


def test_corrupt_xml(interview: bytes):
    data = _replace_member(interview, "word/document.xml", b"<w:document><w:body><w:p>")
    with pytest.raises(InputError, match=r"trasig\.docx: not a readable \.docx \(corrupt XML"):
        parse_docx(data, path="trasig.docx")


def test_truncated_zip(interview: bytes):
    with pytest.raises(InputError, match="not a readable .docx"):
        parse_docx(interview[: len(interview) // 2], path="halv.docx")


def test_empty_docx_file(tmp_path: Path):
    path = tmp_path / "tom.docx"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_transcript(path)


def test_zip_bomb_is_refused(monkeypatch: pytest.MonkeyPatch, interview: bytes):
    monkeypatch.setattr(docx_importer, "_MAX_MAIN_BYTES", 100_000)
    bomb = _replace_member(interview, "word/document.xml", b"<!-- " + b" " * 1_000_000 + b" -->")
    assert len(bomb) < 100_000
    with pytest.raises(InputError, match=r"refused: word/document.xml decompresses to more than"):
        parse_docx(bomb, path="bomb.docx")


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Zip bytes whose local and central headers claim `size` as the member's uncompressed size."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = out.find(signature)
        while at >= 0:
            if out[at + name_at : at + name_at + len(encoded)] == encoded:
                out[at + size_at : at + size_at + 4] = struct.pack("<I", size)
            at = out.find(signature, at + 4)
    return bytes(out)


def test_zip_bomb_with_a_lying_size_header_is_refused(monkeypatch: pytest.MonkeyPatch, interview: bytes):
    """The declared size is not trusted: the member is inflated in chunks and checked."""
    monkeypatch.setattr(docx_importer, "_MAX_MAIN_BYTES", 100_000)
    bomb = _lie_about_size(
        _replace_member(interview, "word/document.xml", b" " * 1_000_000), "word/document.xml", 1000
    )
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 1000
    with pytest.raises(InputError) as caught:
        parse_docx(bomb, path="bomb.docx")
    assert str(caught.value).startswith("bomb.docx: ")
    assert "refused" in str(caught.value) or "not a readable .docx" in str(caught.value)
