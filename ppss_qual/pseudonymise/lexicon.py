"""What detection knows of words: the shipped first-name list, words that are no names, and common words."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ppss_qual.speakers import ROLE_WORDS

if TYPE_CHECKING:
    from ppss_qual.nlp.lemmas import Lemmatizer

DATA_DIR = Path(__file__).with_name("data")


def _words(name: str) -> list[str]:
    """The white-space separated words of a data file, without `#` comments."""
    out: list[str] = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        out.extend(line.partition("#")[0].split())
    return out


@functools.cache
def first_names() -> frozenset[str]:
    """The shipped first-name list (data/first_names.txt), as written (capitalised)."""
    return frozenset(_words("first_names.txt"))


@functools.cache
def not_names() -> frozenset[str]:
    """Lower-case capitalised words that are neither people nor places to hide (data/not_names.txt)."""
    return frozenset(w.lower() for w in _words("not_names.txt"))


@functools.cache
def role_words() -> frozenset[str]:
    """Words that name a role, not a person (speaker labels' role words and their common forms)."""
    extra = (
        "mamma mammas pappa pappas mor far mormor morfar farmor farfar moster faster morbror farbror "
        "syster bror storebror lillebror storasyster lillasyster kusin kompis mentor mentorn rektor rektorn "
        "kurator kuratorn lärare läraren lärarna socialsekreterare socialsekreteraren skolsköterska "
        "skolsköterskan specialpedagog specialpedagogen tolk tolken chef chefen elev eleven eleverna "
        "teacher counsellor counselor nurse principal headteacher mentor social worker interpreter"
    )
    return frozenset(ROLE_WORDS) | frozenset(extra.split())


@dataclass(slots=True)
class CommonWords:
    """Whether a word is a common (not proper) word of a language: a key or a value of its lemma table.

    Case-insensitive, and stricter than Lemmatizer.is_word in two ways, both measured on names: values
    the table itself capitalises are proper nouns (Johan, Eriksson, Arlanda) and do not count, and no
    compound or participle rule applies (Björkdalsskolan and Söderviken are not words because their
    tails are).
    """

    keys: Mapping[str, str]
    values: frozenset[str]
    overrides: frozenset[str]
    proper: frozenset[str]  # lower-case forms of the table's capitalised values (Johan, Eriksson, Arlanda)

    def __contains__(self, form: object) -> bool:
        if not isinstance(form, str):
            return False
        lower = form.lower()
        if lower in self.overrides or lower in self.values:
            return True
        lemma = self.keys.get(lower)
        return lemma is not None and not lemma[:1].isupper()

    def is_proper(self, form: str) -> bool:
        """Whether the table knows `form` only as a proper noun."""
        return form.lower() in self.proper and form not in self


def common_words(lemmatizer: Lemmatizer) -> CommonWords:
    """The common words of a lemmatizer's table (built once per lemmatizer: about 0.2 s for Swedish)."""
    cached = _BUILT.get(id(lemmatizer))
    if cached is not None and cached[0] is lemmatizer:
        return cached[1]
    # The table and override list are the lemmatizer's own: reading them keeps one copy in memory.
    table: Mapping[str, str] = lemmatizer.table
    distinct = set(table.values())
    values = frozenset(v.lower() for v in distinct if not v[:1].isupper())
    proper = frozenset(v.lower() for v in distinct if v[:1].isupper())
    overrides = lemmatizer.override_forms
    words = CommonWords(table, values, overrides, proper)
    _BUILT[id(lemmatizer)] = (lemmatizer, words)
    return words


_BUILT: dict[int, tuple[Lemmatizer, CommonWords]] = {}
