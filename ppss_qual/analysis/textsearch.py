"""Words in any inflected form inside coded spans, through the lemmas stored at import (no model loaded)."""

from __future__ import annotations

import sqlite3

from ppss_qual.errors import InvalidOperation
from ppss_qual.nlp.words import WORD_RE
from ppss_qual.store import analysis as analysis_store
from ppss_qual.store import transcripts as transcript_store


def word_lemmas(conn: sqlite3.Connection, word: str, lang: str = "sv") -> list[str]:
    """The lemmas to look for when a user searches `word`: its stored lemma(s), else good guesses.

    A form the project has seen has its lemma in the forms table; an unseen one (a base form that never
    occurs as such, a misspelling) gets the lemmas the suffix rules make of it that the project knows.
    """
    found = transcript_store.lemma_of(conn, word)
    if found:
        return found
    from ppss_qual.nlp.lemmas import query_lemmas

    guesses = query_lemmas(word, lambda lemma: transcript_store.is_known_lemma(conn, lemma), lang)
    return list(dict.fromkeys(guesses or [word.lower()]))


def query_words(text: str) -> list[str]:
    words = [m.group() for m in WORD_RE.finditer(text)]
    if not words:
        raise InvalidOperation(f"no words to look for in {text!r}")
    return words


class LemmaFilter:
    """Keeps spans that hold every word of a query, each in any inflected form (in any order)."""

    def __init__(self, conn: sqlite3.Connection, text: str, texts: dict[int, str]):
        self.candidates = [set(word_lemmas(conn, w)) for w in query_words(text)]
        wanted = sorted(set().union(*self.candidates))
        # Sentences that hold any of the lemmas, per transcript; only these can contribute a word.
        self.sentences: dict[int, list[tuple[int, int, list[str]]]] = {}
        for tid, start, end, lemmas in analysis_store.sentences_holding(conn, wanted):
            self.sentences.setdefault(tid, []).append((start, end, lemmas.split()))
        self.texts = texts

    def transcripts(self) -> set[int]:
        return set(self.sentences)

    def holds(self, tid: int, start: int, end: int) -> bool:
        found: set[str] = set()
        text = self.texts.get(tid, "")
        for s_start, s_end, lemmas in self.sentences.get(tid, ()):
            if s_end <= start or s_start >= end:
                continue
            matches = list(WORD_RE.finditer(text, s_start, s_end))
            if len(matches) != len(lemmas):  # the tokeniser changed since import: use the whole sentence
                found.update(lemmas)
                continue
            found.update(
                lem for m, lem in zip(matches, lemmas, strict=True) if m.start() < end and m.end() > start
            )
        return all(c & found for c in self.candidates)
