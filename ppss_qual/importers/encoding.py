"""Bytes to normalised text: BOM, UTF-8 or Windows-1252, mojibake repair, LF line endings, NFC."""

from __future__ import annotations

import codecs
import re
import unicodedata

from ppss_qual.errors import EncodingProblem, InputError

# Longest BOM first: the UTF-32 LE BOM begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of common binary formats, for a clearer message.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive (a .docx with the wrong extension?)"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Word .doc or other Office file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document (save it as .docx or .txt)"),
)

# Control bytes that never occur in text (tab, LF, VT, FF, CR and ESC excluded).
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_SAMPLE = 65536
_MAX_CONTROL_SHARE = 0.10

# Line breaks other than CR and LF that str.splitlines() would also split at.
_OTHER_BREAKS = "\x0b\x0c\x85\u2028\u2029"
_OTHER_BREAKS_RE = re.compile(f"[{_OTHER_BREAKS}]")


def _cp1252_chars(byte: int) -> list[str]:
    """The characters byte 0x80..0xFF becomes when UTF-8 is misread as Windows-1252 (or Latin-1)."""
    chars = [chr(byte)]
    try:
        chars.append(bytes([byte]).decode("cp1252"))
    except UnicodeDecodeError:
        pass
    return list(dict.fromkeys(chars))


def _mojibake_pattern() -> tuple[re.Pattern[str], dict[str, int]]:
    """A regex for UTF-8 sequences misread as Windows-1252, and the byte each of their characters was."""
    to_byte = {ch: byte for byte in range(0x80, 0x100) for ch in _cp1252_chars(byte)}
    # Windows-1252 and Latin-1 agree from 0xA0 up, so lead bytes and most continuation bytes are ranges.
    specials = "".join(re.escape(ch) for ch, byte in to_byte.items() if byte < 0xA0 and ord(ch) > 0xFF)
    # One leading class (not three alternatives) keeps the regex engine's fast scan for the first character;
    # how many continuation characters belong to the lead is decided in _repair_mojibake.
    return re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{specials}]{{1,3}}"), to_byte


_MOJIBAKE_RE, _TO_BYTE = _mojibake_pattern()


def normalise(text: str) -> str:
    """Text as stored: no BOM, LF line endings (CRLF, CR and Unicode line separators), Unicode NFC."""
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(ch in text for ch in _OTHER_BREAKS):
        text = _OTHER_BREAKS_RE.sub("\n", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Decode a transcript file's bytes to normalised text; returns (text, warnings)."""
    warnings: list[str] = []
    bom = _bom(data)
    if bom is not None:
        text = _decode_with_bom(data, path, *bom)
    else:
        _refuse_binary(data, path)
        text = _decode_without_bom(data, path, warnings)
    if not text.replace("\ufeff", "").strip():
        raise InputError(path, "empty file, nothing to import")
    text = _repair_mojibake(text, path, warnings)
    return normalise(text), warnings


def _bom(data: bytes) -> tuple[bytes, str] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return bom, codec
    return None


def _decode_with_bom(data: bytes, path: str, bom: bytes, codec: str) -> str:
    try:
        return data[len(bom) :].decode(codec)
    except UnicodeDecodeError as exc:
        offset = exc.start + len(bom)
        raise EncodingProblem(
            path,
            f"not valid {codec.upper()} although it starts with that BOM (bad bytes at byte offset {offset})",
        ) from exc


def _refuse_binary(data: bytes, path: str) -> None:
    if not data.strip():
        raise InputError(path, "empty file, nothing to import")
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(path, f"binary file, not a transcript (it looks like {what})")
    sample = data[:_SAMPLE]
    if b"\x00" in data:
        hint = " (it looks like UTF-16 without a BOM: save it as UTF-8)" if _looks_utf16(sample) else ""
        raise InputError(path, f"binary file, not a transcript{hint}")
    controls = len(sample.translate(None, _NOT_CONTROL))  # delete every byte that is not a control
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise InputError(path, "binary file, not a transcript (mostly control bytes)")


def _looks_utf16(sample: bytes) -> bool:
    """True when about every other byte is NUL, as in mostly-ASCII UTF-16 text."""
    even, odd = sample[0::2], sample[1::2]
    half = max(1, len(sample) // 2)
    return max(even.count(0), odd.count(0)) > 0.4 * half


def _decode_without_bom(data: bytes, path: str, warnings: list[str]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        bad = utf8_error.start
    try:
        # Python's strict cp1252 refuses the five undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D), so a
        # successful decode has no C1 control characters.
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, bad) + 1
        raise EncodingProblem(
            path,
            f"unknown encoding: not UTF-8 (invalid byte 0x{data[bad]:02x} at byte offset {bad}) and not "
            f"Windows-1252 (byte 0x{data[exc.start]:02x} at byte offset {exc.start} is undefined there); "
            "save the file as UTF-8",
            line=line,
        ) from exc
    warnings.append(f"{path}: not UTF-8; read as Windows-1252")
    return text


def _repair_mojibake(text: str, path: str, warnings: list[str]) -> str:
    """Undo UTF-8 that was decoded as Windows-1252 and encoded again ("Ã¤" for "ä")."""
    first = _MOJIBAKE_RE.search(text)  # searching is cheap; substituting over the whole text is not
    if first is None:
        return text
    repairs: list[tuple[str, str]] = []

    def fix(match: re.Match[str]) -> str:
        found = match.group()
        lead = ord(found[0])
        size = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        seq = found[:size]
        if len(seq) < size:
            return found
        try:
            good = bytes(_TO_BYTE[ch] for ch in seq).decode("utf-8")
        except UnicodeDecodeError:
            return found
        repairs.append((seq, good))
        return good + found[size:]

    start = first.start()
    repaired = text[:start] + _MOJIBAKE_RE.sub(fix, text[start:])
    if not repairs:
        return text
    seq, good = repairs[0]
    warnings.append(
        f"{path}: repaired double-encoded UTF-8 ({len(repairs)} place(s), e.g. {seq!r} -> {good!r})"
    )
    return repaired
