"""What a REFI-QDA file holds, as read (plain dataclasses; GUIDs in lower case without braces)."""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT_SOURCE = "TextSource"
OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")


@dataclass(slots=True)
class RefiUser:
    guid: str
    name: str


@dataclass(slots=True)
class RefiCode:
    guid: str
    name: str
    colour: str | None = None
    description: str = ""
    codable: bool = True
    notes: list[str] = field(default_factory=list)
    children: list[RefiCode] = field(default_factory=list)


@dataclass(slots=True)
class RefiCoding:
    guid: str
    code: str | None  # the CodeRef's target
    user: str | None = None
    created: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiSelection:
    guid: str
    name: str | None
    start: int | None  # as written, in the file's unit; None when not an integer
    end: int | None
    user: str | None = None
    created: str | None = None
    description: str = ""
    codings: list[RefiCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiSource:
    guid: str
    kind: str  # TextSource, PDFSource, PictureSource, AudioSource, VideoSource
    name: str
    plain_text_path: str | None = None
    content: str | None = None  # PlainTextContent
    description: str = ""
    user: str | None = None
    created: str | None = None
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)  # codings of the whole source
    notes: list[str] = field(default_factory=list)
    other_selections: int = 0  # selections of a kind we cannot import (picture, media, PDF regions)


@dataclass(slots=True)
class RefiVariable:
    guid: str
    name: str
    kind: str


@dataclass(slots=True)
class RefiCase:
    guid: str
    name: str | None
    description: str = ""
    values: list[tuple[str, str]] = field(default_factory=list)  # (variable guid, value)
    sources: list[str] = field(default_factory=list)
    selections: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiNote:
    guid: str
    name: str
    text: str | None = None
    plain_text_path: str | None = None
    description: str = ""
    user: str | None = None
    created: str | None = None
    modified: str | None = None


@dataclass(slots=True)
class RefiProject:
    name: str
    origin: str | None
    namespace: str
    creating_user: str | None = None
    description: str = ""
    users: list[RefiUser] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)
    variables: list[RefiVariable] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: list[RefiNote] = field(default_factory=list)
    notes_on_project: list[str] = field(default_factory=list)
    sets: int = 0
    links: int = 0
    graphs: int = 0
    source_values: int = 0  # variable values of sources (we keep attributes on participants only)
    case_codes: int = 0  # codes given to whole cases
    warnings: list[str] = field(default_factory=list)


def walk(codes: list[RefiCode], parent: RefiCode | None = None):  # type: ignore[no-untyped-def]
    """(code, parent) for every code of the tree, parents first."""
    for code in codes:
        yield code, parent
        yield from walk(code.children, code)
