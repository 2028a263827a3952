"""The one export step for names: every exporter passes text through it, so no real name reaches a file.

Stored text and codings keep the real words; pseudonyms are applied on the way out. The key comes from
the project: participants' real names (speaker labels such as `Lena Holmqvist`) and attribute values
that name schools and places, and (from the pseudonymisation review) accepted entities.
`--real-names` (real_names=True) turns the step off for the key-holder.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from ppss_qual.model import Role

# Attribute keys whose values name a school or a place, and how their pseudonyms read.
PLACE_ATTRIBUTES = {
    "school": "skola",
    "skola": "skola",
    "district": "ort",
    "stadsdel": "ort",
    "stadsdelsområde": "ort",
    "ort": "ort",
    "place": "ort",
    "kommun": "ort",
    "område": "ort",
}
_ROLE_LABEL = {
    Role.PUPIL: "Elev",
    Role.PARENT: "Förälder",
    Role.SCHOOL_STAFF: "Personal",
    Role.SOCIAL_SERVICES: "Socialsekreterare",
    Role.INTERVIEWER: "Intervjuare",
}
_NUMBERED = re.compile(r"^\w+ \d+$")


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One real string and what replaces it."""

    real: str
    pseudonym: str
    kind: str  # person, school, place, or a detection kind


@dataclass(frozen=True, slots=True)
class ParticipantNames:
    """What the key needs to know of a participant."""

    name: str
    role: str | None
    pseudonym: str | None
    labels: tuple[str, ...]
    attributes: dict[str, str]
    identifies_person: bool


@dataclass(slots=True)
class MappedText:
    """A text after replacement, with a map from old offsets to new ones."""

    text: str
    edits: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # old start, old end, new start, new end
    _starts: list[int] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self._starts = [e[0] for e in self.edits]

    def map(self, offset: int) -> int:
        """The new offset of an old one: a replaced span's start maps to its new start, inside it to its end."""
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        s, e, ns, ne = self.edits[i]
        if offset == s:
            return ns
        if offset < e:
            return ne
        return offset + (ne - e)


def pseudonym_for(p: ParticipantNames, counters: dict[str, int]) -> str:
    """The participant's pseudonym: the one given, a name that already is one (`Elev 3`), or `<Role> N`."""
    if p.pseudonym:
        return p.pseudonym
    if _NUMBERED.match(p.name) or not p.identifies_person:
        return p.name
    word = _ROLE_LABEL.get(Role(p.role), "Deltagare") if p.role else "Deltagare"
    counters[word] = counters.get(word, 0) + 1
    return f"{word} {counters[word]}"


def build_key(
    participants: Iterable[ParticipantNames],
    extra: Iterable[KeyEntry] = (),
    pseudonyms: dict[str, str] | None = None,
) -> list[KeyEntry]:
    """The key: real names of people (full and first name), schools and places, then accepted entities.

    `pseudonyms`, when given, is filled with each participant's name -> pseudonym (for attributions).
    """
    key: dict[str, KeyEntry] = {}
    counters: dict[str, int] = {}
    places: dict[tuple[str, str], str] = {}
    for p in participants:
        pseudonym = pseudonym_for(p, counters)
        if pseudonyms is not None:
            pseudonyms[p.name] = pseudonym
        for real in {p.name, *p.labels}:
            if real != pseudonym and _is_person_name(real):
                key.setdefault(real, KeyEntry(real, pseudonym, "person"))
                first = real.split()[0]
                if len(real.split()) > 1 and len(first) >= 3:
                    key.setdefault(first, KeyEntry(first, pseudonym, "person"))
        for attr, value in p.attributes.items():
            kind = PLACE_ATTRIBUTES.get(attr.strip().lower())
            if kind and value.strip() and value not in key:
                letter = chr(ord("A") + len([k for k in places if k[0] == kind]) % 26)
                places.setdefault((kind, value), f"[{kind} {letter}]")
                key[value] = KeyEntry(value, places[(kind, value)], "school" if kind == "skola" else "place")
    for entry in extra:
        key.setdefault(entry.real, entry)
    return sorted(key.values(), key=lambda e: (-len(e.real), e.real))


def _is_person_name(label: str) -> bool:
    """A label that names a person: capitalised words, no digits, not a role word."""
    from ppss_qual.speakers import read_label

    words = label.split()
    return (
        bool(words)
        and all(w[:1].isupper() for w in words)
        and not any(ch.isdigit() for ch in label)
        and read_label(label).identifies_person
        and read_label(label).role is None
    )


class NameStep:
    """Replaces every key string (whole words; a genitive -s kept) and given spans, consistently."""

    def __init__(
        self, key: list[KeyEntry], *, real_names: bool = False, pseudonyms: dict[str, str] | None = None
    ):
        self.key = key
        self.real_names = real_names
        self.pseudonyms = pseudonyms or {}
        self._by_real = {e.real: e for e in key}
        self._pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(e.real) for e in key) + r")(s?)(?![\w-])")
            if key and not real_names
            else None
        )

    def text(self, text: str) -> str:
        return self.source(text).text

    def participant(self, name: str | None) -> str:
        """How a participant is named in an export: their pseudonym, or their name for the key-holder."""
        if not name:
            return ""
        return name if self.real_names else self.pseudonyms.get(name, self.text(name))

    def source(self, text: str, spans: Iterable[tuple[int, int, str]] = ()) -> MappedText:
        """Replace key strings and the given (start, end, pseudonym) spans; offsets map old to new."""
        if self.real_names:
            return MappedText(text)
        edits = sorted(spans)
        if self._pattern is not None:
            taken = [(s, e) for s, e, _ in edits]
            for m in self._pattern.finditer(text):
                s, e = m.span(1)
                if not any(a < e and s < b for a, b in taken):
                    edits.append((s, e, self._by_real[m.group(1)].pseudonym))
            edits.sort()
        out: list[str] = []
        done: list[tuple[int, int, int, int]] = []
        pos = new = 0
        for s, e, replacement in edits:
            if s < pos:  # overlapping spans: the first one wins
                continue
            out.append(text[pos:s])
            new += s - pos
            out.append(replacement)
            done.append((s, e, new, new + len(replacement)))
            new += len(replacement)
            pos = e
        out.append(text[pos:])
        return MappedText("".join(out), done)
