"""Who speaks where: each turn's speaker and participant, with role and attributes, found by offset."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from ppss_qual.analysis.segments import Bounds
from ppss_qual.store import analysis as analysis_store

NO_VALUE = "(none)"


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    role: str | None
    pseudonym: str | None
    attributes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_row(
        cls, pid: int, name: str, role: str | None, pseudonym: str | None, attributes: str | None
    ) -> Person:
        """From a participants row, whose attributes are JSON (anything but an object counts as none)."""
        try:
            attrs = json.loads(attributes or "{}")
        except ValueError:
            attrs = {}
        return cls(pid, name, role, pseudonym, attrs if isinstance(attrs, dict) else {})

    def attribute(self, key: str) -> str:
        """The value of an attribute, matched on the key without regard to case; "(none)" when missing."""
        if key in self.attributes:
            value = self.attributes[key]
        else:
            folded = {k.casefold(): v for k, v in self.attributes.items()}
            value = folded.get(key.casefold(), "")
        value = str(value).strip() if value is not None else ""
        return value or NO_VALUE


class Turns:
    """Turns per transcript with their line, speaker label and participant."""

    def __init__(self, conn: sqlite3.Connection, transcript_ids: Sequence[int] | None = None):
        self.bounds: dict[int, Bounds] = {}
        self.lines: dict[int, list[int]] = {}
        self.speakers: dict[int, list[str | None]] = {}
        self.pids: dict[int, list[int | None]] = {}
        current = -1
        bounds, lines, speakers, pids = Bounds(), [], [], []  # type: ignore[var-annotated]
        for tid, number, start, end, line, speaker, pid in analysis_store.turn_speakers(conn, transcript_ids):
            if tid != current:
                current = tid
                bounds = self.bounds[tid] = Bounds()
                lines = self.lines[tid] = []
                speakers = self.speakers[tid] = []
                pids = self.pids[tid] = []
            bounds.starts.append(start)
            bounds.ends.append(end)
            bounds.numbers.append(number)
            lines.append(line)
            speakers.append(speaker)
            pids.append(pid)
        self.people: dict[int, Person] = {}
        for row in analysis_store.participants(conn):
            self.people[row[0]] = Person.from_row(*row)

    def at(self, tid: int, start: int, end: int) -> int:
        """Index of the turn holding `start` (or the one the span runs into); -1 when the transcript has none."""
        bounds = self.bounds.get(tid)
        return bounds.at(start, end) if bounds is not None else -1

    def person(self, tid: int, index: int) -> Person | None:
        if index < 0:
            return None
        pid = self.pids[tid][index]
        return self.people.get(pid) if pid is not None else None
