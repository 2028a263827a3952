"""The workbench's messages, each named for what has happened, posted by workers and widgets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from ppss_qual.tui.data.document import Document


@dataclass
class ProjectChanged(Message):
    """The project changed: by this coder (`elsewhere` False) or by another process (True)."""

    elsewhere: bool = False


@dataclass
class TranscriptLoaded(Message):
    """A transcript and its codings were read in a worker and are ready to show."""

    document: Document
    codings: list[dict[str, Any]]


@dataclass
class TranscriptLoadFailed(Message):
    """A transcript could not be read (e.g. an undone import removed it)."""

    name: str
    error: str


@dataclass
class ImportProgressed(Message):
    """The import process stored one more file (`total` is None until the first file is done)."""

    done: int
    total: int | None
    path: str


@dataclass
class ImportFinished(Message):
    """The import process ended; each failure carries the error message naming the file."""

    imported: list[tuple[str, str, int]] = field(default_factory=list)  # path, transcript, words
    failed: list[tuple[str, str]] = field(default_factory=list)  # path, error
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # the process itself failed


@dataclass
class ExcerptsLoaded(Message):
    """A code's excerpts were read."""

    code: str
    rows: list[dict[str, Any]]


@dataclass
class SearchFinished(Message):
    """A lemma search ended; `transcript` is None for a search across the project."""

    query: str
    transcript: str | None
    hits: list[dict[str, Any]]
    error: str | None = None


@dataclass
class TranscriptsListed(Message):
    """The list of transcripts was read (for the home table)."""

    rows: list[dict[str, Any]]
