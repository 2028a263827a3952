"""Pseudonyms for entities: the same real string always gets the same one, consistent with the register."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ppss_qual.exports.names import letter_label

# What replaces each kind. People and schools and places are numbered or lettered so that a reader can
# tell them apart; numbers and addresses are not, since telling them apart says nothing.
FIXED = {"personnummer": "[personnummer]", "email": "[e-post]", "phone": "[telefon]"}
LETTERED = {"school": "skola", "place": "ort"}
PERSON = "namn"
_NUMBERED = re.compile(r"^\[namn (\d+)\]$")


class Pseudonyms:
    """Hands out pseudonyms.

    In order: the participant register's (a participant's name, first name or surname: `Lena` ->
    `Förälder 2`); the pseudonym this string already has in the project; for a person, the pseudonym of
    the one full name this first name or surname belongs to (`Maria` -> the pseudonym of `Maria Holm`);
    else the next free `[namn N]`, `[skola A]`, `[ort A]`, or the fixed `[personnummer]`, `[e-post]`,
    `[telefon]`.
    """

    def __init__(self, register: Mapping[str, str], known: Mapping[str, tuple[str, str]] | None = None):
        self.register = dict(register)
        self.known: dict[str, tuple[str, str]] = {}
        # part word -> (kind, whole name, pseudonym) of the longer names it is a part of, and back
        self._wholes: dict[str, list[tuple[str, str, str]]] = {}
        self._by_pseudonym: dict[str, set[str]] = {}  # pseudonym -> the longer names that carry it
        for real, pseudonym in self.register.items():
            self._index(real, pseudonym, None)
        for real, (pseudonym, kind) in (known or {}).items():
            self._remember(real, pseudonym, kind)
        used = {p for p, _ in self.known.values()} | set(self.register.values())
        self._next_person = 1 + max((int(m.group(1)) for p in used if (m := _NUMBERED.match(p))), default=0)
        self._used = used

    def of(self, text: str, kind: str) -> str:
        if text in self.register:
            return self.register[text]
        if text in self.known:
            return self.known[text][0]
        pseudonym = self._linked(text, kind) if kind in ("person", "school", "place") else None
        if pseudonym is None:
            pseudonym = self._new(kind)
        self._remember(text, pseudonym, kind)
        self._used.add(pseudonym)
        return pseudonym

    def _remember(self, real: str, pseudonym: str, kind: str) -> None:
        self.known[real] = (pseudonym, kind)
        self._index(real, pseudonym, kind)

    def _index(self, real: str, pseudonym: str, kind: str | None) -> None:
        words = real.split()
        if len(words) < 2:
            return
        self._by_pseudonym.setdefault(pseudonym, set()).add(real)
        for word in set(words):
            self._wholes.setdefault(word, []).append((kind or "", real, pseudonym))

    def _linked(self, text: str, kind: str) -> str | None:
        """The pseudonym of the one other name this one is a part of, or that is a part of this one.

        A person's first name or surname and their full name (Maria, Holm, Maria Holm); a word of a
        place's or school's name and the whole name (Tallen, Fritidsgården Tallen). The register counts
        for every kind.
        """
        found: set[str] = set()
        words = text.split()
        if len(words) == 1:
            for whole_kind, whole, whole_pseudonym in self._wholes.get(text, ()):
                if whole_kind in (kind, "") and _part_of(text, whole, kind):
                    found.add(whole_pseudonym)
        else:
            for word in set(words):
                part = self.register.get(word) or (
                    self.known[word][0] if word in self.known and self.known[word][1] == kind else None
                )
                if part is not None and _part_of(word, text, kind):
                    found.add(part)
            # Maria Svensson does not take the pseudonym Maria already shares with Maria Holm.
            found = {p for p in found if not self._by_pseudonym.get(p, set()) - {text}}
        return found.pop() if len(found) == 1 else None

    def _new(self, kind: str) -> str:
        if kind in FIXED:
            return FIXED[kind]
        if kind in LETTERED:
            n = 0
            while f"[{LETTERED[kind]} {letter_label(n)}]" in self._used:
                n += 1
            return f"[{LETTERED[kind]} {letter_label(n)}]"
        pseudonym = f"[{PERSON} {self._next_person}]"
        self._next_person += 1
        return pseudonym


def _part_of(word: str, name: str, kind: str) -> bool:
    """Whether one word is a part of a longer name: a person's first or last word, any capitalised word else."""
    parts = name.split()
    if len(parts) < 2 or " " in word:
        return False
    return word in (parts[0], parts[-1]) if kind == "person" else word in parts and word[:1].isupper()
