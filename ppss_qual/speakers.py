"""What a speaker label says: the role it names, and whether it identifies a person or only a role."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ppss_qual.model import Role

# First word of a label (lower case) -> the role it names; None: an interviewee of unknown role.
ROLE_WORDS: dict[str, Role | None] = {
    "i": Role.INTERVIEWER,
    "int": Role.INTERVIEWER,
    "intervjuare": Role.INTERVIEWER,
    "interviewer": Role.INTERVIEWER,
    "moderator": Role.INTERVIEWER,
    "forskare": Role.INTERVIEWER,
    "researcher": Role.INTERVIEWER,
    "elev": Role.PUPIL,
    "eleven": Role.PUPIL,
    "pupil": Role.PUPIL,
    "student": Role.PUPIL,
    "barn": Role.PUPIL,
    "barnet": Role.PUPIL,
    "child": Role.PUPIL,
    "förälder": Role.PARENT,
    "föräldern": Role.PARENT,
    "vårdnadshavare": Role.PARENT,
    "parent": Role.PARENT,
    "mamma": Role.PARENT,
    "pappa": Role.PARENT,
    "mor": Role.PARENT,
    "far": Role.PARENT,
    "mother": Role.PARENT,
    "father": Role.PARENT,
    "lärare": Role.SCHOOL_STAFF,
    "läraren": Role.SCHOOL_STAFF,
    "teacher": Role.SCHOOL_STAFF,
    "mentor": Role.SCHOOL_STAFF,
    "rektor": Role.SCHOOL_STAFF,
    "principal": Role.SCHOOL_STAFF,
    "kurator": Role.SCHOOL_STAFF,
    "skolkurator": Role.SCHOOL_STAFF,
    "counsellor": Role.SCHOOL_STAFF,
    "skolsköterska": Role.SCHOOL_STAFF,
    "specialpedagog": Role.SCHOOL_STAFF,
    "personal": Role.SCHOOL_STAFF,
    "socialsekreterare": Role.SOCIAL_SERVICES,
    "socialarbetare": Role.SOCIAL_SERVICES,
    "socialtjänst": Role.SOCIAL_SERVICES,
    "fältassistent": Role.SOCIAL_SERVICES,
    "ip": None,
    "respondent": None,
    "informant": None,
    "intervjuperson": None,
    "deltagare": None,
    "participant": None,
    "speaker": None,
    "talare": None,
    "person": None,
}

# Generic words that even with a number name someone only within one transcript ("Speaker 1").
_GENERIC = {
    "ip",
    "respondent",
    "informant",
    "intervjuperson",
    "deltagare",
    "participant",
    "speaker",
    "talare",
    "person",
    "i",
    "int",
}
_ROLE_AND_NUMBER = re.compile(r"^(\w+)\s*(\d+)?$")


@dataclass(frozen=True, slots=True)
class LabelMeaning:
    role: Role | None
    identifies_person: bool  # False: a participant per transcript


def read_label(label: str) -> LabelMeaning:
    """`Elev 3` and `Anna Berg` identify a person across transcripts; `IP`, `Elev`, `Förälder` do not."""
    words = label.strip().split()
    if not words:
        return LabelMeaning(None, False)
    first = words[0].lower().rstrip(".:")
    role = ROLE_WORDS.get(first)
    known = first in ROLE_WORDS
    m = _ROLE_AND_NUMBER.match(label.strip().lower())
    if known and m:
        numbered = m.group(2) is not None
        return LabelMeaning(role, numbered and first not in _GENERIC)
    if known and len(words) > 1:
        return LabelMeaning(role, True)  # "Lärare Anna": a role word and a name
    if known:
        return LabelMeaning(role, False)
    return LabelMeaning(None, True)  # a name such as "Anna Berg"
