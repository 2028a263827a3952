"""Pseudonymisation as the workbench shows it: a transcript as exports will print it (offsets mapped both
ways), and the review's suggestions grouped by their string. Pure functions; no Textual, no database."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ppss_qual.exports.names import MappedText
from ppss_qual.tui.data.document import Document

STATUS_FILTERS = ("suggested", "accepted", "rejected", None)  # None: every status
KIND_FILTERS: tuple[str | None, ...] = (None, "person", "school", "place", "personnummer", "email", "phone")


def unmap(mapped: MappedText, offset: int) -> int:
    """The stored text's offset of a pseudonymised one (inside a replacement: the replaced span's start)."""
    starts = [e[2] for e in mapped.edits]
    i = bisect_right(starts, offset) - 1
    if i < 0:
        return offset
    s, e, ns, ne = mapped.edits[i]
    if offset < ne:
        return s
    return offset - (ne - e)


@dataclass(slots=True)
class Pseudonymised:
    """A transcript shown as exports print it: `doc` holds the new text, `original` the stored one."""

    original: Document
    doc: Document
    mapped: MappedText

    def to_shown(self, offset: int) -> int:
        return self.mapped.map(offset)

    def to_stored(self, offset: int) -> int:
        return unmap(self.mapped, offset)

    def replacements(self) -> list[tuple[int, int]]:
        """Where the new text holds a pseudonym."""
        return [(ns, ne) for _s, _e, ns, ne in self.mapped.edits if ne > ns]

    def codings(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Codings moved onto the new text (a coding that shrinks to nothing is left out)."""
        out = []
        for r in rows:
            start, end = self.mapped.map(r["start"]), self.mapped.map(r["end"])
            if end > start:
                out.append({**r, "start": start, "end": end})
        return out


def pseudonymise_document(doc: Document, mapped: MappedText, name: Callable[[str], str]) -> Pseudonymised:
    """`doc` with its text replaced by `mapped.text`, turns and sentences moved, speakers renamed by `name`."""
    shown = {
        "id": doc.id,
        "name": doc.name,
        "text": mapped.text,
        "turns": [
            {
                "number": t.number,
                "line": t.line,
                "speaker": name(t.speaker) if t.speaker is not None else None,
                "role": t.role,
                "start": mapped.map(t.start),
                "end": mapped.map(t.end),
                "time_start_ms": t.time_start_ms,
            }
            for t in doc.turns
        ],
        "sentences": [
            {"number": s.number, "turn": s.turn, "start": mapped.map(s.start), "end": mapped.map(s.end)}
            for s in doc.sentences
        ],
    }
    return Pseudonymised(doc, Document(shown), mapped)


# -- the review ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Group:
    """Every listed occurrence of one string, in transcript and text order."""

    text: str
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return Counter(r["kind"] for r in self.rows).most_common(1)[0][0]

    @property
    def pseudonym(self) -> str:
        return next((r["pseudonym"] for r in self.rows if r["pseudonym"]), "")

    @property
    def reason(self) -> str:
        return Counter(r["reason"] for r in self.rows).most_common(1)[0][0]

    @property
    def transcripts(self) -> int:
        return len({r["transcript"] for r in self.rows})

    def statuses(self) -> str:
        """ "3 suggested", "2 accepted, 1 rejected"."""
        counts = Counter(r["status"] for r in self.rows)
        return ", ".join(f"{counts[s]} {s}" for s in ("suggested", "accepted", "rejected") if counts[s])


def grouped(rows: list[dict[str, Any]]) -> list[Group]:
    """Entities by their string, the strings by kind and then by how often they occur (most first)."""
    groups: dict[str, Group] = {}
    for r in sorted(rows, key=lambda r: (r["transcript"], r["start"])):
        groups.setdefault(r["text"], Group(r["text"])).rows.append(r)
    kinds = {k: i for i, k in enumerate(KIND_FILTERS)}
    return sorted(groups.values(), key=lambda g: (kinds.get(g.kind, 99), -len(g.rows), g.text.casefold()))


def counts_line(counts: dict[str, int]) -> str:
    return f"{counts['suggested']} suggested · {counts['accepted']} accepted · {counts['rejected']} rejected"
