"""WebVTT (.vtt, Teams and Zoom) and SubRip (.srt) subtitles: cues to speaker turns with timestamps."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import NamedTuple

from ppss_qual.errors import InputError
from ppss_qual.importers.text import (
    TurnCollector,
    is_label,
    label_counts,
    no_labels_warning,
    scan_head,
)
from ppss_qual.model import RawTurn

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMING_RE = re.compile(rf"[ \t]*(?P<start>{_TIME})[ \t]*-->[ \t]*(?P<end>{_TIME})(?:[ \t].*)?$")
_CLOCK_RE = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?")
_WEBVTT_RE = re.compile(r"WEBVTT(?:[ \t].*)?$")
_SKIPPED_BLOCK_RE = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?$")
_VOICE_RE = re.compile(r"<v(?:\.[\w.-]+)?[ \t]+(?P<name>[^>\n]+)>")
_TAG_RE = re.compile(r"</?[A-Za-z0-9][^<>\n]*>|\{\\[^{}\n]*\}")
_NO_CUES = "no subtitle cues found (expected timings like '00:00:01.000 --> 00:00:04.000')"


class Cue(NamedTuple):
    start_ms: int
    end_ms: int
    lines: list[str]


def _ms(value: str) -> int:
    match = _CLOCK_RE.fullmatch(value)
    assert match is not None
    hours, minutes, seconds, fraction = match.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total * 1000 + (int(fraction.ljust(3, "0")) if fraction else 0)


def _blocks(text: str) -> Iterator[list[str]]:
    """Runs of non-blank lines."""
    block: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            block.append(line.rstrip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def _cue(block: list[str]) -> Cue | None:
    """A cue from a block: identifier lines, then the timing line, then the text; None without timing."""
    for index, line in enumerate(block):
        if "-->" in line:
            match = _TIMING_RE.match(line)
            if match is None:
                return None
            return Cue(_ms(match.group("start")), _ms(match.group("end")), block[index + 1 :])
    return None


def parse_vtt(text: str, *, path: str = "") -> tuple[list[RawTurn], list[str]]:
    """Speaker turns of a WebVTT file (Teams `<v Name>` voices, Zoom `Name: text`); (turns, warnings)."""
    warnings: list[str] = []
    blocks = list(_blocks(text))
    if blocks and _WEBVTT_RE.match(blocks[0][0]):
        if "-->" not in "".join(blocks[0]):
            blocks = blocks[1:]
    else:
        warnings.append(f"{path}: no WEBVTT header; read as WebVTT anyway")
    cues = []
    for block in blocks:
        if _SKIPPED_BLOCK_RE.match(block[0]):
            continue
        cue = _cue(block)
        if cue is not None:
            cues.append(cue)
    return _turns(cues, path, warnings)


def parse_srt(text: str, *, path: str = "") -> tuple[list[RawTurn], list[str]]:
    """Speaker turns of a SubRip file (numbered cues, `Name: text` speakers); (turns, warnings)."""
    cues: list[Cue] = []
    for block in _blocks(text):
        cue = _cue(block)
        if cue is not None:
            cues.append(cue)
        elif cues and not (len(block) == 1 and block[0].strip().isdigit()):
            cues[-1].lines.extend(block)  # a blank line inside a cue's text: keep the text
    return _turns(cues, path, [])


def _clean(text: str) -> str:
    """Cue text without tags, with entities decoded and whitespace collapsed."""
    text = html.unescape(_TAG_RE.sub("", text)).replace("\xa0", " ")
    return " ".join(text.split())


def _segments(cue: Cue) -> Iterator[tuple[str | None, str]]:
    """(voice, line) pairs of a cue: a `<v Name>` tag names the voice until the next one."""
    voice: str | None = None
    for raw in cue.lines:
        pos = 0
        for match in _VOICE_RE.finditer(raw):
            before = _clean(raw[pos : match.start()])
            if before:
                yield voice, before
            voice = _clean(match.group("name")) or None
            pos = match.end()
        rest = _clean(raw[pos:])
        if rest:
            yield voice, rest


def _turns(cues: list[Cue], path: str, warnings: list[str]) -> tuple[list[RawTurn], list[str]]:
    if not cues:
        raise InputError(path, _NO_CUES)
    entries = [(cue, voice, line) for cue in cues for voice, line in _segments(cue)]
    heads = [scan_head(line) if voice is None else None for _, voice, line in entries]
    counts = label_counts([h for h in heads if h is not None])
    collector = TurnCollector(" ")
    for (cue, voice, line), head in zip(entries, heads, strict=True):
        if voice is not None:
            collector.label(voice, cue.start_ms, cue.end_ms)
            piece = line
        elif head is not None and is_label(head, counts):
            collector.label(head.label or "", cue.start_ms, cue.end_ms)
            piece = line[head.content :].strip()
        else:
            piece = line[head.plain :].strip() if head is not None else line
        if piece:
            collector.speech(piece, start_ms=cue.start_ms, end_ms=cue.end_ms)
    turns = collector.finish()
    if not turns:
        raise InputError(path, "the subtitle cues hold no text")
    if not collector.labelled:
        warnings.append(no_labels_warning(path, "no speakers found in the cues"))
    return turns, warnings
