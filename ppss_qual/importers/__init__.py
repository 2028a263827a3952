"""Transcript importers: a file in, a ParsedTranscript out (turns and warnings); never touches a database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ppss_qual.errors import InputError, UnsupportedFormat
from ppss_qual.importers.encoding import decode
from ppss_qual.importers.subtitles import parse_srt, parse_vtt
from ppss_qual.importers.text import parse_text
from ppss_qual.model import ParsedTranscript, RawTurn

SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx", ".vtt", ".srt")

_Parsed = tuple[list[RawTurn], list[str]]


def _decoded(parse: Callable[..., _Parsed], **options: bool) -> Callable[[bytes, str], _Parsed]:
    """A reader that decodes the bytes to normalised text and hands it to `parse`."""

    def read(data: bytes, path: str) -> _Parsed:
        text, warnings = decode(data, path)
        turns, more = parse(text, path=path, **options)
        return turns, warnings + more

    return read


def _docx(data: bytes, path: str) -> _Parsed:
    from ppss_qual.importers.docx import parse_docx  # python-docx loads only when a .docx comes

    if not data.strip():
        raise InputError(path, "empty file, nothing to import")
    return parse_docx(data, path=path)


_READERS: dict[str, Callable[[bytes, str], _Parsed]] = {
    ".txt": _decoded(parse_text),
    ".md": _decoded(parse_text, markdown=True),
    ".docx": _docx,
    ".vtt": _decoded(parse_vtt),
    ".srt": _decoded(parse_srt),
}


def read_transcript(path: Path) -> ParsedTranscript:
    """Read one transcript file into turns; InputError (naming the file) when it cannot be used."""
    path = Path(path)
    where = str(path)
    extension = path.suffix.lower()
    reader = _READERS.get(extension)
    if reader is None:
        raise UnsupportedFormat(
            where,
            f"unsupported file type {extension or '(no extension)'}; supported: {', '.join(SUPPORTED_EXTENSIONS)}",
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(where, "no such file") from exc
    except OSError as exc:
        raise InputError(where, f"cannot read the file ({exc.strerror or exc})") from exc
    turns, warnings = reader(data, where)
    if not turns:
        raise InputError(where, "no speech found in the file")
    return ParsedTranscript(path.stem, where, extension.lstrip("."), turns, warnings)
