"""Lay out an importer's turns as the stored text: one `Speaker: speech` block per turn, blank lines between."""

from __future__ import annotations

import re

from ppss_qual.model import ParsedTranscript, RawTurn, Turn
from ppss_qual.textlines import LineIndex

_BLANK_LINES = re.compile(r"\n\s*\n")


def lay_out(parsed: ParsedTranscript) -> tuple[str, list[Turn]]:
    """The stored text and its turns; a source whose text is kept exactly keeps it and its offsets."""
    if parsed.exact_text is not None:
        return parsed.exact_text, _turns_in_exact_text(parsed.exact_text, parsed.turns)
    blocks: list[str] = []
    turns: list[Turn] = []
    pos = 0
    spans: list[tuple[RawTurn, int, int, int | None]] = []
    for raw in parsed.turns:
        speech = _BLANK_LINES.sub("\n", raw.speech.strip())
        if not speech:
            continue
        if blocks:
            pos += 2  # the blank line between blocks
        label = f"{raw.speaker}: " if raw.speaker else ""
        blocks.append(label + speech)
        start = pos + len(label)
        spans.append((raw, start, start + len(speech), pos if raw.speaker else None))
        pos = start + len(speech)
    text = "\n\n".join(blocks)
    lines = LineIndex(text)
    for number, (raw, start, end, label_start) in enumerate(spans, 1):
        turns.append(
            Turn(
                number,
                lines.line(start),
                raw.speaker,
                start,
                end,
                label_start,
                raw.time_start_ms,
                raw.time_end_ms,
            )
        )
    return text, turns


def _turns_in_exact_text(text: str, raws: list[RawTurn]) -> list[Turn]:
    lines = LineIndex(text)
    out: list[Turn] = []
    for raw in raws:
        if raw.speech_start is None or raw.speech_end is None or raw.speech_start >= raw.speech_end:
            continue
        out.append(
            Turn(
                len(out) + 1,
                lines.line(raw.speech_start),
                raw.speaker,
                raw.speech_start,
                raw.speech_end,
                None,
                raw.time_start_ms,
                raw.time_end_ms,
            )
        )
    return out
