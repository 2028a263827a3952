"""Word (.docx) transcripts via python-docx: paragraphs, bold speaker names, turns as in plain text."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from ppss_qual.errors import InputError
from ppss_qual.importers.encoding import normalise
from ppss_qual.importers.text import Head, bold_head, plain_head, scan_head, turns_from_lines
from ppss_qual.model import RawTurn

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MAIN_PART = "word/document.xml"
_MAX_MAIN_BYTES = 200 * 1024 * 1024
_MAX_TOTAL_BYTES = 1024 * 1024 * 1024
_CHUNK = 1024 * 1024

# Paragraph-level elements whose runs are not text of the paragraph (deleted text, drawings).
_SKIPPED = frozenset({f"{_W}pPr", f"{_W}del", f"{_W}moveFrom", f"{_MC}AlternateContent"})
# Body-level containers whose paragraphs are read in order.
_CONTAINERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"})
_HEADING_STYLES = ("heading", "rubrik", "title", "subtitle", "underrubrik")
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_FALSE = frozenset({"0", "false", "off", "none"})
_BOLD_STYLES = frozenset({"strong", "stark", "bold", "fet"})


def _unreadable(path: str, why: str) -> InputError:
    return InputError(path, f"not a readable .docx ({why})")


def check_package(data: bytes, path: str) -> None:
    """Refuse what is not a .docx package, or whose parts would decompress to too much (a zip bomb)."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _unreadable(path, "an old .doc or a password-protected file; save it as .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise _unreadable(path, "not a zip file") from exc
    with archive:
        names = set(archive.namelist())
        if _MAIN_PART not in names:
            raise _unreadable(path, f"no {_MAIN_PART} in the zip")
        total = 0
        for info in archive.infolist():
            limit = _MAX_MAIN_BYTES if info.filename == _MAIN_PART else _MAX_TOTAL_BYTES - total
            total += _inflated_size(archive, info, limit, path)


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, path: str) -> int:
    """The real decompressed size of one member, read in chunks and stopped once it passes `limit`."""
    if info.file_size > limit:
        raise _too_big(path, info.filename, limit)
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_big(path, info.filename, limit)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        raise _unreadable(path, f"damaged zip member {info.filename}: {exc}") from exc
    return size


def _too_big(path: str, member: str, limit: int) -> InputError:
    what = f"{member} decompresses to more than {limit // (1024 * 1024)} MB"
    if member != _MAIN_PART:
        what = f"the parts decompress to more than {_MAX_TOTAL_BYTES // (1024 * 1024)} MB"
    return InputError(path, f"refused: {what} (a zip bomb?)")


def _open(data: bytes, path: str) -> etree._Element:
    """The document body, opened with python-docx."""
    import docx  # imported here: python-docx is needed for .docx files only

    try:
        document = docx.Document(io.BytesIO(data))
        return document.element.body
    except etree.XMLSyntaxError as exc:
        raise _unreadable(path, f"corrupt XML: {exc}") from exc
    except Exception as exc:  # python-docx raises many kinds of error for a damaged package
        raise _unreadable(path, f"{type(exc).__name__}: {exc}") from exc


def _body_items(element: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of the body in reading order (looking inside content controls)."""
    for child in element:
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag in _CONTAINERS:
            yield from _body_items(child)


def _runs(element: etree._Element) -> Iterator[etree._Element]:
    for child in element:
        if child.tag == f"{_W}r":
            yield child
        elif child.tag not in _SKIPPED:
            yield from _runs(child)


def _run_text(run: etree._Element) -> str:
    parts = []
    for child in run:
        if child.tag == f"{_W}t":
            parts.append(child.text or "")
        else:
            parts.append(_RUN_TEXT.get(child.tag, ""))
    return "".join(parts)


def _is_bold(run: etree._Element) -> bool:
    props = run.find(f"{_W}rPr")
    if props is None:
        return False
    bold = props.find(f"{_W}b")
    if bold is not None:
        return bold.get(f"{_W}val", "true").lower() not in _FALSE
    style = props.find(f"{_W}rStyle")
    return style is not None and style.get(f"{_W}val", "").lower() in _BOLD_STYLES


def _is_heading(paragraph: etree._Element) -> bool:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return style is not None and style.get(f"{_W}val", "").lower().startswith(_HEADING_STYLES)


def paragraph_text(paragraph: etree._Element) -> tuple[str, int]:
    """A paragraph's text (normalised) and the length of its leading bold part (0 when none)."""
    bold_parts: list[str] = []
    rest: list[str] = []
    for run in _runs(paragraph):
        text = _run_text(run)
        if rest or not (_is_bold(run) or not text.strip()):
            rest.append(text)
        else:
            bold_parts.append(text)
    bold = normalise("".join(bold_parts))
    if not bold.strip():
        return normalise("".join(bold_parts + rest)), 0
    return bold + normalise("".join(rest)), len(bold)


def _paragraph_lines(paragraph: etree._Element) -> Iterator[tuple[str, Head]]:
    text, bold_end = paragraph_text(paragraph)
    heading = _is_heading(paragraph)
    for index, line in enumerate(text.split("\n")):
        if heading:
            yield line, plain_head(line)
            continue
        head = bold_head(line, bold_end) if index == 0 and 0 < bold_end <= len(line) else None
        yield line, head or scan_head(line)
        bold_end = 0


def _count_images(body: etree._Element) -> int:
    drawings = sum(1 for _ in body.iter(f"{_W}drawing"))
    picts = sum(1 for p in body.iter(f"{_W}pict") if next(p.iterancestors(f"{_MC}Fallback"), None) is None)
    return drawings + picts


def parse_docx(data: bytes, *, path: str = "") -> tuple[list[RawTurn], list[str]]:
    """Speaker turns of a .docx transcript; tables and images are skipped with a warning."""
    check_package(data, path)
    body = _open(data, path)
    lines: list[str] = []
    heads: list[Head] = []
    tables = 0
    for item in _body_items(body):
        if item.tag == f"{_W}tbl":
            tables += 1
            continue
        for line, head in _paragraph_lines(item):
            lines.append(line)
            heads.append(head)
    warnings = []
    if tables:
        warnings.append(f"{path}: skipped {tables} table(s); their text is not imported")
    images = _count_images(body)
    if images:
        warnings.append(f"{path}: skipped {images} image(s) or drawing(s)")
    turns, more = turns_from_lines(lines, heads, path=path)
    return turns, warnings + more
