"""Decoding transcript bytes: BOMs, UTF-8, Windows-1252, mojibake, line endings, NFC and bad input."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from ppss_qual.errors import EncodingProblem, InputError
from ppss_qual.importers import read_transcript
from ppss_qual.importers.encoding import decode, normalise

SWEDISH = "Intervjuare: Hur går det i skolan?\nElev: Bra, förutom matten. Åsa hjälper mig."


def test_plain_utf8():
    assert decode(SWEDISH.encode("utf-8"), "a.txt") == (SWEDISH, [])


def test_utf8_bom_is_removed():
    text, warnings = decode(codecs.BOM_UTF8 + SWEDISH.encode("utf-8"), "a.txt")
    assert text == SWEDISH and warnings == []


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(codec: str):
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[codec]
    data = bom + SWEDISH.replace("\n", "\r\n").encode(codec)
    assert decode(data, "a.txt") == (SWEDISH, [])


def test_python_utf16_codec_output_decodes():
    assert decode(SWEDISH.encode("utf-16"), "a.txt")[0] == SWEDISH


def test_windows_1252_with_swedish_letters():
    data = "Förälder: Vi åt frukost – sedan gick han. Å, Ä, Ö! “Bra”".encode("cp1252")
    text, warnings = decode(data, "mamma.txt")
    assert text == "Förälder: Vi åt frukost – sedan gick han. Å, Ä, Ö! “Bra”"
    assert warnings == ["mamma.txt: not UTF-8; read as Windows-1252"]


def test_bytes_that_fit_no_encoding_name_the_file_and_line():
    data = "Elev: hej\nElev: ok\nLärare: ".encode() + b"\xc3\x28 och \x81\x8d\x8f\x90\x9d\n"
    with pytest.raises(EncodingProblem) as caught:
        decode(data, "trasig.txt")
    message = str(caught.value)
    assert message.startswith("trasig.txt:3:")
    assert "byte offset" in message and "UTF-8" in message and "Windows-1252" in message
    assert caught.value.line == 3


def test_bad_utf16_after_a_bom():
    with pytest.raises(EncodingProblem, match="UTF-16-LE"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00", "a.txt")


def test_crlf_and_lone_cr_become_lf():
    data = b"I: Hej.\r\nIP: Hej.\rI: Mm.\n\r\nIP: Ja."
    assert decode(data, "a.txt")[0] == "I: Hej.\nIP: Hej.\nI: Mm.\n\nIP: Ja."


def test_nfd_input_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Förälder: Åsa går på skolan.")
    assert nfd != unicodedata.normalize("NFC", nfd)
    text, _ = decode(nfd.encode("utf-8"), "a.txt")
    assert text == "Förälder: Åsa går på skolan."
    assert unicodedata.is_normalized("NFC", text)


def test_double_encoded_utf8_is_repaired_with_a_warning():
    broken = "Förälder: Vi gick till skolan på måndag – Åsa väntade. Ö!".encode().decode("cp1252")
    assert "Ã¤" in broken
    text, warnings = decode(broken.encode("utf-8"), "dubbel.txt")
    assert text == "Förälder: Vi gick till skolan på måndag – Åsa väntade. Ö!"
    assert len(warnings) == 1
    assert warnings[0].startswith("dubbel.txt: repaired double-encoded UTF-8")


def test_mojibake_repair_leaves_real_text_alone():
    text = "Elev: São Paulo, Ãngel och 5 °C; Â är en bokstav."
    assert decode(text.encode("utf-8"), "a.txt") == (text, [])


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n \n"])
def test_empty_files(data: bytes):
    with pytest.raises(InputError, match="empty") as caught:
        decode(data, "tom.txt")
    assert str(caught.value).startswith("tom.txt:")


def test_utf16_bom_with_only_whitespace_is_empty():
    with pytest.raises(InputError, match="empty"):
        decode(" \n".encode("utf-16"), "tom.txt")


@pytest.mark.parametrize(
    "data",
    [
        b"Elev: hej\x00\x00\x01\x02",
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        b"PK\x03\x04" + b"x" * 40,
        b"\x01\x02\x03\x04\x05\x06\x07\x08 hej hej \x0e\x0f\x10\x11\x12",
    ],
)
def test_binary_files_are_refused(data: bytes):
    with pytest.raises(InputError, match="binary file, not a transcript") as caught:
        decode(data, "bild.txt")
    assert str(caught.value).startswith("bild.txt:")


def test_utf16_without_bom_is_refused_with_a_hint():
    with pytest.raises(InputError, match="UTF-16 without a BOM"):
        decode(SWEDISH.encode("utf-16-le"), "a.txt")


def test_normalise():
    assert normalise("\ufeffa\r\nb\rc\u2028d") == "a\nb\nc\nd"
    assert normalise(unicodedata.normalize("NFD", "ö")) == "ö"


def test_read_transcript_reports_bad_bytes_with_the_path(tmp_path: Path):
    path = tmp_path / "fel.txt"
    path.write_bytes(b"\x81\x8d\x8f\x90\x9d\xc3\x28")
    with pytest.raises(EncodingProblem) as caught:
        read_transcript(path)
    assert str(path) in str(caught.value)
    empty = tmp_path / "tom.md"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_transcript(empty)


def test_read_transcript_windows_1252_file(tmp_path: Path):
    path = tmp_path / "gammal.txt"
    path.write_bytes("Lärare: Vi får se.\r\nElev: Ja, må så vara.\r\n".encode("cp1252"))
    parsed = read_transcript(path)
    assert [(t.speaker, t.speech) for t in parsed.turns] == [
        ("Lärare", "Vi får se."),
        ("Elev", "Ja, må så vara."),
    ]
    assert parsed.warnings == [f"{path}: not UTF-8; read as Windows-1252"]
