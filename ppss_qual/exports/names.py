"""The one export step for names: every exporter passes text through it, so no real name reaches a file.

Stored text and codings keep the real words; pseudonyms are applied on the way out. The key comes from
the project: participants' real names (speaker labels such as `Lena Holmqvist`) and attribute values
that name schools and places, and (from the pseudonymisation review) accepted entities.
`--real-names` (real_names=True) turns the step off for the key-holder.

Accepted entities are replaced at two levels. String level: once any occurrence of a string is
accepted, every occurrence of that string is replaced wherever it appears (quotes, context, memos,
attributes), whether its other occurrences are undecided, rejected or were never detected: a missed
name is the costly error, and an excerpt reaches an exporter without its position. Span level: an
accepted occurrence is also replaced at its own position when an exporter passes the transcript
(`source(text, transcript_id=...)`, `passage(...)`), which covers what whole-word matching cannot see
(a name inside a longer word). Overlapping replacements never fight: the longest wins.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
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
    """One real string and what replaces it; `spans` are accepted occurrences (transcript id, start, end)."""

    real: str
    pseudonym: str
    kind: str  # person, school, place, or a detection kind
    source: str = "participant"  # participant (the register) or entity (accepted in the review)
    spans: tuple[tuple[int, int, int], ...] = ()


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
    extra = list(extra)
    taken = {e.pseudonym: e.real for e in extra}  # accepted entities keep their letters
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
                if (kind, value) not in places:
                    places[(kind, value)] = _free_letter(kind, value, set(places.values()), taken)
                key[value] = KeyEntry(value, places[(kind, value)], "school" if kind == "skola" else "place")
    for entry in extra:
        key.setdefault(entry.real, entry)
    return sorted(key.values(), key=lambda e: (-len(e.real), e.real))


def letter_label(n: int) -> str:
    """A, B, … Z, AA, AB, …: the n-th (from 0) letter label."""
    label = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        label = chr(ord("A") + r) + label
    return label


def _free_letter(kind: str, value: str, used: set[str], taken: dict[str, str]) -> str:
    """The first `[kind X]` not used by another school or place, nor by another string's accepted entity."""
    n = 0
    while True:
        candidate = f"[{kind} {letter_label(n)}]"
        if candidate not in used and taken.get(candidate, value) == value:
            return candidate
        n += 1


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


_RUN = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_CAPITAL_AFTER_HYPHEN = re.compile(r"-[A-ZÅÄÖÆØÜÉ]")


def _ends_word(text: str, pos: int) -> bool:
    """Whether a key string may end at `pos`: no word character next, and no hyphen before a capital."""
    if pos < len(text) and _WORD_CHAR.match(text[pos]):
        return False
    return _CAPITAL_AFTER_HYPHEN.match(text, pos) is None


class NameStep:
    """Replaces every key string (whole words; a genitive -s kept) and given spans, consistently."""

    def __init__(
        self, key: list[KeyEntry], *, real_names: bool = False, pseudonyms: dict[str, str] | None = None
    ):
        self.key = key
        self.real_names = real_names
        self.pseudonyms = pseudonyms or {}
        self._by_real = {e.real: e for e in key}
        # Key strings by their first run of word characters, longest first: a lookup per word of the
        # text instead of an alternation of thousands of names tried at every word.
        self._index: dict[str, list[tuple[str, int]]] = {}
        for e in sorted(key, key=lambda e: -len(e.real)):
            run = _RUN.search(e.real)
            if run is not None:
                self._index.setdefault(run.group(), []).append((e.real, run.start()))
        self.spans: dict[int, list[tuple[int, int, str]]] = {}
        for e in key:
            for tid, start, end in e.spans:
                self.spans.setdefault(tid, []).append((start, end, e.pseudonym))

    def text(self, text: str) -> str:
        return self.source(text).text

    def participant(self, name: str | None) -> str:
        """How a participant is named in an export: their pseudonym, or their name for the key-holder."""
        if not name:
            return ""
        return name if self.real_names else self.pseudonyms.get(name, self.text(name))

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, real) of the key strings in `text`, as `source` finds them (also for real_names)."""
        return self._matches(text)

    def _matches(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Key strings in `text`: whole words, leftmost and then longest first, never overlapping.

        A genitive -s may follow; a hyphen only before a lower-case tail (Mira-grejen, not Anna-Karin).
        """
        if not self._index:
            return
        pos = 0
        for run in _RUN.finditer(text):
            word = run.group()
            options = self._index.get(word, [])
            if word.endswith("s") and word[:-1] in self._index:
                options = [*options, *self._index[word[:-1]]]
            for real, offset in sorted(options, key=lambda o: -len(o[0])):
                start = run.start() - offset
                end = start + len(real)
                if start < pos or not text.startswith(real, start):
                    continue
                if start > 0 and _WORD_CHAR.match(text[start - 1]):
                    continue
                if not (_ends_word(text, end) or (text.startswith("s", end) and _ends_word(text, end + 1))):
                    continue
                yield start, end, real
                pos = end
                break

    def passage(self, transcript_id: int, start: int, text: str) -> str:
        """A piece of a transcript (text[start:start+len(text)]) with its accepted spans and key strings replaced."""
        end = start + len(text)
        inside = [
            (s - start, e - start, p)
            for s, e, p in self.spans.get(transcript_id, ())
            if start <= s and e <= end
        ]
        return self.source(text, inside).text

    def source(
        self, text: str, spans: Iterable[tuple[int, int, str]] = (), *, transcript_id: int | None = None
    ) -> MappedText:
        """Replace key strings and the given (start, end, pseudonym) spans; offsets map old to new.

        With `transcript_id`, `text` is that transcript's whole text and its accepted spans are replaced
        too. Where replacements overlap, the longest wins (a full name over a first name in it).
        """
        if self.real_names:
            return MappedText(text)
        candidates = list(spans)
        if transcript_id is not None:
            candidates.extend(self.spans.get(transcript_id, ()))
        for s, e, real in self._matches(text):
            candidates.append((s, e, self._by_real[real].pseudonym))
        edits: list[tuple[int, int, str]] = []
        for s, e, replacement in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
            if s < e and not any(a < e and s < b for a, b, _ in edits):
                edits.append((s, e, replacement))
        edits.sort()
        out: list[str] = []
        done: list[tuple[int, int, int, int]] = []
        pos = new = 0
        for s, e, replacement in edits:
            out.append(text[pos:s])
            new += s - pos
            out.append(replacement)
            done.append((s, e, new, new + len(replacement)))
            new += len(replacement)
            pos = e
        out.append(text[pos:])
        return MappedText("".join(out), done)
