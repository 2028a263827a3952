"""Plain dataclasses for the domain: transcripts, turns, sentences, participants, codes, codings, memos."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """A participant's role; the stored value is the English slug."""

    PUPIL = "pupil"
    PARENT = "parent"
    SCHOOL_STAFF = "school-staff"
    SOCIAL_SERVICES = "social-services"
    INTERVIEWER = "interviewer"

    @property
    def swedish(self) -> str:
        return ROLE_SWEDISH[self]

    @classmethod
    def parse(cls, value: str) -> Role:
        """A role from its slug, its Swedish name or a common synonym; ValueError when unknown."""
        key = value.strip().lower().replace("_", "-")
        for role in cls:
            if key in (role.value, role.swedish):
                return role
        if key in ROLE_SYNONYMS:
            return ROLE_SYNONYMS[key]
        raise ValueError(
            f"unknown role {value!r}; use one of: " + ", ".join(f"{r.value} ({r.swedish})" for r in cls)
        )


ROLE_SWEDISH: dict[Role, str] = {
    Role.PUPIL: "elev",
    Role.PARENT: "vårdnadshavare",
    Role.SCHOOL_STAFF: "skolpersonal",
    Role.SOCIAL_SERVICES: "socialtjänst",
    Role.INTERVIEWER: "intervjuare",
}

ROLE_SYNONYMS: dict[str, Role] = {
    "student": Role.PUPIL,
    "child": Role.PUPIL,
    "barn": Role.PUPIL,
    "förälder": Role.PARENT,
    "foralder": Role.PARENT,
    "guardian": Role.PARENT,
    "staff": Role.SCHOOL_STAFF,
    "school staff": Role.SCHOOL_STAFF,
    "school": Role.SCHOOL_STAFF,
    "skola": Role.SCHOOL_STAFF,
    "social services": Role.SOCIAL_SERVICES,
    "social": Role.SOCIAL_SERVICES,
    "socialsekreterare": Role.SOCIAL_SERVICES,
    "interviewer": Role.INTERVIEWER,
    "intervjuare": Role.INTERVIEWER,
}


@dataclass(frozen=True, slots=True)
class RawTurn:
    """One speaker turn as an importer found it, before the stored text is laid out.

    `speech` is the cleaned speech (no label, no timestamps, no markup). `speaker` is None for a file
    with no speaker labels. For sources whose text is kept exactly (REFI-QDA), `speech_start` and
    `speech_end` locate the speech in that original text; otherwise they are None.
    """

    speaker: str | None
    speech: str
    time_start_ms: int | None = None
    time_end_ms: int | None = None
    speech_start: int | None = None
    speech_end: int | None = None


@dataclass(slots=True)
class ParsedTranscript:
    """What an importer returns for one file: turns and the warnings met on the way."""

    name: str
    source_path: str
    source_format: str
    turns: list[RawTurn]
    warnings: list[str] = field(default_factory=list)
    # Set when the source's own text must be kept exactly (REFI-QDA); else the stored text is laid out.
    exact_text: str | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """A speaker turn in the stored text; start and end cover the speech, not the label."""

    number: int
    line: int
    speaker: str | None
    start: int
    end: int
    label_start: int | None = None
    time_start_ms: int | None = None
    time_end_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a turn's speech, with the lemmas of its words (aligned with `nlp.words`)."""

    number: int
    turn: int
    start: int
    end: int
    lemmas: tuple[str, ...] = ()


@dataclass(slots=True)
class AnalysedTranscript:
    """A transcript ready to store: its normalised text, turns, sentences and language."""

    name: str
    text: str
    language: str
    turns: list[Turn]
    sentences: list[Sentence]
    source_path: str = ""
    source_format: str = ""
    warnings: list[str] = field(default_factory=list)
    forms: dict[str, str] = field(default_factory=dict)  # word form -> lemma, for query lemmatisation
    words: int = 0  # whitespace-separated tokens of the turns' speech

    def __post_init__(self) -> None:
        if not self.words:
            self.words = sum(len(self.text[t.start : t.end].split()) for t in self.turns)


@dataclass(slots=True)
class Participant:
    id: int | None
    name: str
    role: Role | None
    pseudonym: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    scope_transcript: int | None = None  # set for role-only labels: one participant per transcript


@dataclass(slots=True)
class Code:
    """A node of the code tree (theme, code or sub-code)."""

    name: str
    name_en: str | None = None
    definition: str = ""
    inclusion: str = ""  # when to use it
    exclusion: str = ""  # when not to use it
    example: str = ""
    colour: str | None = None  # "#RRGGBB"
    keywords: list[str] = field(default_factory=list)
    children: list[Code] = field(default_factory=list)
    id: int | None = None
    parent_id: int | None = None
    guid: str | None = None
    line: int | None = None  # where it was defined in a codebook file, for messages


@dataclass(slots=True)
class Coding:
    id: int | None
    transcript_id: int
    code_id: int
    coder: str
    start: int
    end: int
    text: str
    created_at: str | None = None
    guid: str | None = None


@dataclass(slots=True)
class Memo:
    id: int | None
    target_kind: str  # project, transcript, participant, code, coding
    target_id: int | None
    text: str
    author: str
    created_at: str | None = None
