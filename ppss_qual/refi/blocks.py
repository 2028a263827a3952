"""The plain, readable block that carries what REFI-QDA has no element for, inside an element's Description.

A Description is free text (a code's definition, say) and, after a line `[ppss_qual]`, one field a line:
`Label: value`, where a value of several lines continues on lines indented by two spaces. Another program
shows the block as part of the description; our importer reads the fields back, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable

MARKER = "[ppss_qual]"
_INDENT = "  "

# The labels of our fields, by element. A code: its definition is the free text.
ENGLISH, USE_WHEN, NOT_WHEN, EXAMPLE, KEYWORDS = (
    "English name",
    "Use when",
    "Do not use when",
    "Example",
    "Keywords",
)
# A text source: its turns, one a line: number | speech from-to | label at | time | speaker.
LANGUAGE, FORMAT, TURNS = "Language", "Format", "Turns (number | speech from-to | label at | time | speaker)"
NO_SPEAKER = "(none)"
TIME_SEPARATOR = " to "  # a turn's time: "0:00:03.562 to 0:00:13.696", "-" for a side not known
# A case (a participant), a note (a memo on a participant), the project.
NAME, ROLE, PSEUDONYM, SCOPE = "Name", "Role", "Pseudonym", "Only in transcript"
ABOUT, OFFSETS, NAMES = "About", "Offsets", "Names"


def compose(free: str, fields: Iterable[tuple[str, str | None]]) -> str:
    """The free text, then the block of the fields that have a value (the free text alone when none has)."""
    lines: list[str] = []
    for label, value in fields:
        if value is None or value == "":
            continue
        first, *rest = value.split("\n")
        lines.append(f"{label}: {first}" if first else f"{label}:")
        lines.extend(_INDENT + line for line in rest)
    if not lines:
        return free
    block = MARKER + "\n" + "\n".join(lines)
    return f"{free}\n\n{block}" if free else block


def split(description: str | None) -> tuple[str, dict[str, str]]:
    """(free text, fields) of a Description; a description without our block is all free text."""
    if not description:
        return "", {}
    if description.startswith(MARKER + "\n") or description == MARKER:
        free, body = "", description[len(MARKER) + 1 :]
    else:
        at = description.rfind("\n" + MARKER + "\n")
        if at < 0:
            if not description.endswith("\n" + MARKER):
                return description, {}
            at = len(description) - len(MARKER) - 1
        free, body = description[:at], description[at + len(MARKER) + 2 :]
        free = free[:-1] if free.endswith("\n") else free  # the blank line before the block
    fields: dict[str, str] = {}
    label: str | None = None
    for line in body.split("\n"):
        if line.startswith(_INDENT) and label is not None:
            fields[label] += "\n" + line[len(_INDENT) :]
        elif line == "" and label is not None:
            fields[label] += "\n"  # an editor may have trimmed the indent of an empty line
        elif ":" in line:
            label, _, value = line.partition(":")
            label = label.strip()
            fields[label] = value[1:] if value.startswith(" ") else value
    return free, {k: v.rstrip("\n") for k, v in fields.items()}


def format_ms(ms: int | None) -> str:
    """Milliseconds as h:mm:ss.fff ('-' when unknown)."""
    if ms is None:
        return "-"
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def parse_ms(text: str) -> int | None:
    """The inverse of format_ms; None for '-' (ValueError for anything else that is not a time)."""
    text = text.strip()
    if text in ("", "-"):
        return None
    clock, _, millis = text.partition(".")
    hours, minutes, seconds = (int(p) for p in clock.split(":"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int((millis or "0").ljust(3, "0")[:3])
