"""Offline detection of names, schools, places and numbers in a transcript: every hit is a suggestion.

Pure: a transcript's text, its speaker-label spans and sentence starts in, suggestions out. Sources, in
order of trust: numbers and addresses (personnummer with its checksum, phones, e-mail), the participant
register, school and place patterns, the shipped first-name list, surname endings, cue words (`heter`,
`Mr`), and last guesses: a capitalised word mid-sentence (not a known non-name such as Teams or Gud),
and at a sentence start a Swedish-transcript word that no rule of the lemmatizer knows and that the
transcript never writes in lower case. Every other occurrence of a found name is found too. Words are the project's own (ppss_qual.nlp.words.WORD_RE), so offsets are
the stored text's; sentence starts are the ones spaCy's sentencizer stored at import.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Container, Iterable, Mapping
from dataclasses import dataclass, field

from ppss_qual.exports.names import KeyEntry, NameStep
from ppss_qual.nlp.words import WORD_RE
from ppss_qual.pseudonymise import lexicon
from ppss_qual.pseudonymise.patterns import numbers_and_addresses

# Bump when a rule changes: `pseudonymise --list` runs detection again on every transcript.
DETECTOR_VERSION = 1

KINDS = ("person", "school", "place", "personnummer", "email", "phone")

# Trust of a source when two hits overlap: the higher wins, then the longer.
NUMBER, REGISTER, PATTERN, NAME, GUESS, ECHO = 5, 4, 3, 2, 1, 0

SCHOOL_ENDINGS = ("förskolan", "skolan", "gymnasiet")
SCHOOL_HEADS_AFTER = {"skola", "förskola", "grundskola", "friskola", "gymnasium", "särskola"}
SCHOOL_HEADS_AFTER_EN = {"School", "Academy", "College", "Gymnasium"}
SCHOOL_HEADS_BEFORE = {"förskolan", "skolan", "friskolan"}
PLACE_HEADS_BEFORE = {"fritidsgården", "fritidsgård", "ungdomsgården", "träffpunkt", "fritidsklubben"}
PLACE_HEADS_AFTER = {"centrum", "torg", "gård", "strand", "c"}
STREET_ENDINGS = (
    "gatan", "vägen", "gränd", "gränden", "stigen", "torget", "allé", "allén", "leden", "backe", "platsen"
)  # fmt: skip
# Generic school words that are capitalised at the start of a sentence but name no school.
GENERIC_SCHOOLS = {
    "grundskolan", "gymnasieskolan", "särskolan", "resursskolan", "friskolan", "högskolan", "förskolan",
    "folkhögskolan", "kulturskolan", "sommarskolan", "lågstadieskolan", "högstadieskolan", "specialskolan",
    "kommunskolan", "hemskolan", "musikskolan", "simskolan", "körskolan", "språkskolan", "nattskolan",
    "gymnasiet", "yrkesgymnasiet", "naturgymnasiet",
}  # fmt: skip
# Surname endings. Strong ones are names even at the start of a sentence; weak ones only mid-sentence.
STRONG_SURNAME_ENDINGS = (
    "sson", "ström", "qvist", "kvist", "quist", "gren", "grén", "ović", "ovic", "ević", "evic",
    "wicz", "oğlu", "oglu", "zadeh", "yan", "ian",
)  # fmt: skip
WEAK_SURNAME_ENDINGS = (
    "berg", "lund", "holm", "lind", "lindh", "blom", "bom", "dahl", "ell", "strand", "stedt", "sjö",
    "ander", "ius", "son", "man", "lin", "ski", "ska", "lä", "nen",
)  # fmt: skip
PLACE_ENDINGS = (
    "by", "sta", "inge", "ängen", "äng", "holmen", "dalen", "viken", "berga", "hagen", "mossen", "näs",
    "näck", "vik", "torp", "sätra", "backen", "malm", "hamra", "bro", "tuna", "ryd", "köping", "hult",
    "fors", "åsen", "udden", "sund", "kyrka", "borg", "sved", "hallen",
)  # fmt: skip
# Words before a capitalised word that say it names someone.
NAME_CUES = {
    "heter", "hette", "kallas", "kallades", "kallar", "named", "called", "mr", "mrs", "ms", "miss", "dr",
    "fru", "herr", "familjen",
}  # fmt: skip
# Pronouns between a cue and a name: "kallar mig Nalle", "heter hon Ingegerd".
CUE_PRONOUNS = {"mig", "honom", "henne", "hon", "han", "dem", "him", "her", "me"}
# First names that are also pronouns, prepositions or very common words: never echoed to sentence starts.
FUNCTION_WORD_NAMES = {
    "hans", "min", "mina", "din", "dina", "sin", "sina", "per", "bo", "man", "tom", "kan", "vill", "will",
    "may", "can", "mark", "max", "hon", "dan", "bill", "rim", "said", "nur",
}  # fmt: skip
# Prepositions after which a capitalised non-word is a place rather than a person.
PLACE_PREPOSITIONS = {"i", "på", "från", "utanför", "vid", "nära", "in", "at", "from", "near", "around"}
# English calendar words that are also first names: names only with a surname or a cue.
EN_CALENDAR = {"April", "May", "June", "August"}
_OPENERS = "\"'“”‘’«»([*_-–—"
_TERMINATORS = ".!?…:;"
_MARK = re.compile(r"\[[^\[\]\n]{1,60}\]")  # [skratt], [paus], [ohörbart]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A span that may identify someone: what it is (kind) and why it was found (reason)."""

    start: int
    end: int
    text: str
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class RegisterName:
    """A known real name from the participant register: a person's name or a school's or place's."""

    real: str
    kind: str


@dataclass(slots=True)
class TranscriptText:
    """What detection reads of one transcript."""

    text: str
    language: str = "sv"
    labels: list[tuple[int, int]] = field(default_factory=list)  # speaker labels: never searched
    sentence_starts: Collection[int] = ()


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    core: str  # the word without an English possessive, an ending after a colon, or a lower-case tail
    lower_prev: str  # the word before, lower case ("" at a line start)
    lower_prev2: str  # the word before that
    initial: bool  # starts a sentence (or a line, or follows . ! ? : …); only worked out when capitalised
    gap_before: str  # the characters between the previous word and this one
    capitalised: bool  # a capital and then not only capitals (Mira, not BUP)


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    kind: str
    reason: str
    trust: int


class Detector:
    """Finds suggestions in transcripts; holds the word lists and the register, built once per run."""

    def __init__(
        self,
        common: Mapping[str, Container[str]],
        register: Iterable[RegisterName] = (),
        *,
        is_word: dict[str, Callable[[str], bool]] | None = None,
        first_names: Collection[str] | None = None,
        not_names: Collection[str] | None = None,
    ):
        self.common = common
        # Lemmatizer.is_word per language: a word by the table or by a compound or participle rule.
        self.is_word = is_word or {}
        self.first_names = lexicon.first_names() if first_names is None else first_names
        self.not_names = lexicon.not_names() if not_names is None else not_names
        self.roles = lexicon.role_words()
        self.register = {r.real: r.kind for r in register if r.real.strip()}
        # Found the way the export step finds them, so a suggestion is what an export would replace.
        self._register_step = NameStep([KeyEntry(real, "", kind) for real, kind in self.register.items()])

    # -- the run --------------------------------------------------------------------------------------
    def detect(self, transcript: TranscriptText) -> list[Suggestion]:
        text = transcript.text
        blocked = _SpanIndex([*transcript.labels, *(m.span() for m in _MARK.finditer(text))])
        hits: list[_Hit] = []
        for n in numbers_and_addresses(text):
            if not _overlaps(blocked, n.start, n.end):
                hits.append(_Hit(n.start, n.end, n.kind, n.reason, NUMBER))
        taken = _SpanIndex(
            [*transcript.labels, *(m.span() for m in _MARK.finditer(text)), *((h.start, h.end) for h in hits)]
        )
        hits.extend(self._register_hits(text, taken))
        tokens = self._tokens(text, set(transcript.sentence_starts), taken)
        common = self._common(transcript.language)
        # Words this transcript also writes in lower case are words, whatever the lemma table says.
        lowered = {t.core for t in tokens if t.core.islower()}
        hits.extend(self._pattern_hits(tokens, common))
        words = self._word_hits(tokens, common, transcript.language, lowered)
        hits.extend(self._merged_people(words, tokens))
        chosen = _resolve(hits)
        chosen = self._trim_genitives(text, chosen)
        _inherit_kinds(text, chosen)
        chosen = self._with_echoes(text, chosen, taken, common)
        return [Suggestion(h.start, h.end, text[h.start : h.end], h.kind, h.reason) for h in chosen]

    def _common(self, language: str) -> Container[str]:
        """The common words to test against: Swedish; in English transcripts English and Swedish."""
        sv = self.common.get("sv", ())
        if language == "en":
            return _Either(self.common.get("en", ()), sv)
        return sv

    # -- sources --------------------------------------------------------------------------------------
    def _register_hits(self, text: str, taken: _SpanIndex) -> list[_Hit]:
        out = []
        for s, e, real in self._register_step.find(text):
            if not _overlaps(taken, s, e):
                kind = self.register[real]
                reason = "participant register" + ("" if kind == "person" else f" ({kind})")
                out.append(_Hit(s, e, kind, reason, REGISTER))
        return out

    def _tokens(self, text: str, starts: set[int], taken: _SpanIndex) -> list[_Token]:
        out: list[_Token] = []
        prev_end, prev_word, prev2 = 0, "", ""
        for m in WORD_RE.finditer(text):
            s, e = m.span()
            gap = text[prev_end:s]
            lower_prev = "" if "\n" in gap else prev_word
            lower_prev2 = prev2 if lower_prev else ""
            prev_end, prev_word, prev2 = e, m.group().lower(), lower_prev
            if _overlaps(taken, s, e):
                continue
            word = m.group()
            core = _core(word) if not word.islower() else word
            capitalised = len(core) > 1 and core[0].isupper() and not core.isupper()
            initial = capitalised and _initial(text, s, starts)
            out.append(_Token(s, s + len(core), core, lower_prev, lower_prev2, initial, gap, capitalised))
        return out

    def _pattern_hits(self, tokens: list[_Token], common: Container[str]) -> list[_Hit]:
        """Schools and places by their shape: …skolan, X skola, Fritidsgården X, X centrum, …gatan."""
        out: list[_Hit] = []
        for i, t in enumerate(tokens):
            nxt = tokens[i + 1] if i + 1 < len(tokens) and _adjacent(tokens[i + 1]) else None
            lower = t.core.lower()
            if t.capitalised:
                ending = _ending(lower, SCHOOL_ENDINGS, 3)
                if ending and lower not in GENERIC_SCHOOLS:
                    out.append(_Hit(t.start, t.end, "school", f"school name (-{ending})", PATTERN))
                street = _ending(lower, STREET_ENDINGS, 3)
                if street and not (t.initial and t.core in common):
                    out.append(_Hit(t.start, t.end, "place", f"street name (-{street})", PATTERN))
            if nxt is None:
                continue
            if t.capitalised and lower not in self.not_names and not (t.initial and t.core in common):
                head = _school_head(nxt.core)
                after = tokens[i + 2] if i + 2 < len(tokens) and _adjacent(tokens[i + 2]) else None
                if head:
                    end = nxt.start + len(head)
                    out.append(_Hit(t.start, end, "school", f"school name (… {head})", PATTERN))
                elif nxt.core.islower() and nxt.core.endswith("s") and after and _school_head(after.core):
                    head = _school_head(after.core) or ""
                    end = after.start + len(head)
                    out.append(_Hit(t.start, end, "school", f"school name (… {head})", PATTERN))
                elif nxt.core in PLACE_HEADS_AFTER:
                    out.append(_Hit(t.start, nxt.end, "place", f"place name (… {nxt.core})", PATTERN))
            if nxt.capitalised and nxt.core.lower() not in self.not_names:
                if lower in SCHOOL_HEADS_BEFORE:
                    out.append(_Hit(t.start, nxt.end, "school", f"school name ({t.core} …)", PATTERN))
                elif lower in PLACE_HEADS_BEFORE:
                    out.append(_Hit(t.start, nxt.end, "place", f"place name ({t.core} …)", PATTERN))
        return out

    def _word_hits(
        self, tokens: list[_Token], common: Container[str], language: str, lowered: set[str]
    ) -> list[_Hit]:
        """People (and places) word by word: the name list, surname endings, cues, capitalised non-words."""
        out: list[_Hit] = []
        for i, t in enumerate(tokens):
            if not t.capitalised or any(ch.isdigit() for ch in t.core):
                continue
            nxt = tokens[i + 1] if i + 1 < len(tokens) and _adjacent(tokens[i + 1]) else None
            before_name = nxt is not None and nxt.capitalised and not nxt.initial
            hit = self._word_hit(t, common, language, before_name, lowered)
            if hit is not None:
                out.append(hit)
        return out

    def _word_hit(
        self, t: _Token, common: Container[str], language: str, before_name: bool, lowered: set[str]
    ) -> _Hit | None:
        word, lower = t.core, t.core.lower()
        stem = word[:-1] if word.endswith("s") and len(word) > 3 else None
        is_common = (
            word in common or lower in FUNCTION_WORD_NAMES or (language == "en" and word in EN_CALENDAR)
        )
        cue = not t.initial and (
            t.lower_prev in NAME_CUES or (t.lower_prev in CUE_PRONOUNS and t.lower_prev2 in NAME_CUES)
        )
        # The shipped first-name list (a genitive -s is no part of the name).
        for form in (word, stem):
            if form and (form in self.first_names if form is stem else self._listed(form)):
                if is_common and t.initial and not before_name:
                    return None  # Per, Bo, Liv, May at the start of a sentence: words
                if language == "en" and form in EN_CALENDAR and not (before_name or cue):
                    return None
                return _Hit(t.start, t.start + len(form), "person", "first-name list", NAME)
        if self._not_a_name(word):
            return None
        if cue:
            return _Hit(t.start, t.end, "person", f"after '{t.lower_prev}'", NAME)
        for form in (word, stem):
            if form is None or form in common:
                continue
            strong = _ending(form.lower(), STRONG_SURNAME_ENDINGS, 2)
            weak = None if strong or t.initial else _ending(form.lower(), WEAK_SURNAME_ENDINGS, 2)
            if strong or weak:
                if t.lower_prev in PLACE_PREPOSITIONS:
                    return _Hit(t.start, t.start + len(form), "place", f"place after '{t.lower_prev}'", NAME)
                return _Hit(t.start, t.start + len(form), "person", f"surname ending -{strong or weak}", NAME)
        language_name = "an English or Swedish word" if language == "en" else "a Swedish word"
        if t.initial:
            # At a sentence start only a word that no rule of the lemmatizer knows (not a compound either):
            # Siriporn, Besart; not Personalomsättningen. English has no table good enough for this.
            if (
                language != "sv"
                or is_common
                or lower in lowered
                or self._lenient_word(word, language)
                or _interjection(lower)
            ):
                return None
            return _Hit(
                t.start, t.end, "person", f"capitalised at a sentence start, not {language_name}", GUESS
            )
        if is_common:
            # Swedish capitalises proper nouns only: a capitalised word mid-sentence is a name even when
            # it is also a word (Kista, Nalle, Strand), unless it is a known non-name (Teams, Gud).
            reason = "capitalised mid-sentence, though also a common word"
            if t.lower_prev in PLACE_PREPOSITIONS:
                return _Hit(t.start, t.end, "place", f"after '{t.lower_prev}', {reason}", GUESS)
            return _Hit(t.start, t.end, "person", reason, GUESS)
        place_ending = _ending(lower, PLACE_ENDINGS, 2)
        if t.lower_prev in PLACE_PREPOSITIONS:
            return _Hit(t.start, t.end, "place", f"after '{t.lower_prev}', not {language_name}", GUESS)
        if place_ending:
            return _Hit(t.start, t.end, "place", f"place-name ending -{place_ending}", GUESS)
        return _Hit(t.start, t.end, "person", f"capitalised mid-sentence, not {language_name}", GUESS)

    def _not_a_name(self, word: str) -> bool:
        """A known non-name or role word; a hyphenated word all of whose parts are (English-Swedish)."""
        parts = word.lower().split("-")
        return all(p in self.not_names or p in self.roles for p in parts)

    def _lenient_word(self, word: str, language: str) -> bool:
        """A word by Lemmatizer.is_word (compounds, participles), not a proper noun of the table (Ingegerd)."""
        check = self.is_word.get(language)
        if check is None or not check(word):
            return False
        common = self.common.get(language)
        return not (isinstance(common, lexicon.CommonWords) and common.is_proper(word))

    def _listed(self, form: str) -> bool:
        if form in self.first_names:
            return True
        parts = form.split("-")
        return (
            len(parts) > 1
            and all(p[:1].isupper() for p in parts)
            and any(p in self.first_names for p in parts)
        )

    def _merged_people(self, hits: list[_Hit], tokens: list[_Token]) -> list[_Hit]:
        """A name followed by a capitalised word is one name (Maria Holm, Annika Strand, Thuy Nguyen)."""
        by_start = {t.start: i for i, t in enumerate(tokens)}
        hits = sorted(hits, key=lambda h: h.start)
        out: list[_Hit] = []
        for hit in hits:
            last = out[-1] if out else None
            i = by_start.get(hit.start)
            if (
                last is not None
                and last.kind == hit.kind == "person"
                and i is not None
                and i > 0
                and tokens[i - 1].end == last.end
                and _adjacent(tokens[i])
            ):
                last.end = hit.end
                last.reason = _joined(last.reason, hit.reason)
                last.trust = max(last.trust, hit.trust)
                continue
            out.append(hit)
        by_end = {t.end: i for i, t in enumerate(tokens)}
        starts = {h.start for h in out}
        for hit in out:  # a person followed by a capitalised word nothing else claimed: a surname
            i = by_end.get(hit.end)
            if hit.kind != "person" or i is None or i + 1 >= len(tokens):
                continue
            t = tokens[i + 1]
            if (
                _adjacent(t)
                and t.capitalised
                and not t.initial
                and t.core.lower() not in self.not_names
                and t.core.lower() not in self.roles
                and t.start not in starts
            ):
                hit.end = t.end
                hit.reason = _joined(hit.reason, "capitalised word after a name")
        return out

    def _trim_genitives(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """Nourhans -> Nourhan when Nourhan is found too, so that one name gets one pseudonym."""
        names = {text[h.start : h.end] for h in hits} | set(self.register)
        for h in hits:
            word = text[h.start : h.end]
            if h.kind in ("person", "school", "place") and word.endswith("s") and word[:-1] in names:
                h.end -= 1
        return hits

    def _with_echoes(
        self, text: str, chosen: list[_Hit], taken: _SpanIndex, common: Container[str]
    ) -> list[_Hit]:
        """The hits and every other occurrence of a suggested name, also at the start of a sentence.

        An occurrence of a longer name takes the place of shorter hits inside it (Luz Marina at a
        sentence start, where only Marina was found). A name that is also a word (Vilja, Liv) is echoed
        only when it was found mid-sentence, and never when it is also a pronoun or a preposition (Hans,
        Min, Per): those start too many sentences.
        """
        seen: dict[str, _Hit] = {}
        for h in chosen:
            word = text[h.start : h.end]
            if h.kind not in ("person", "school", "place") or h.trust >= REGISTER:
                continue
            if word in common and (word.lower() in FUNCTION_WORD_NAMES or _initial_hit(text, h)):
                continue
            seen.setdefault(word, h)
        if not seen:
            return chosen
        pattern = re.compile(
            r"(?<![\w-])("
            + "|".join(map(re.escape, sorted(seen, key=len, reverse=True)))
            + r")(?:s|'s|’s)?(?!\w)"
        )
        kept = list(chosen)
        for m in pattern.finditer(text):
            s, e = m.span(1)
            if _overlaps(taken, s, e):
                continue
            inside = [h for h in kept if h.start < e and s < h.end]
            first = seen[m.group(1)]
            if any(
                h.start < s or h.end > e or h.kind != first.kind or h.end - h.start == e - s for h in inside
            ):
                continue  # already found, or crossing a hit of its own
            kept = [h for h in kept if h not in inside]
            kept.append(_Hit(s, e, first.kind, f"same text as another suggestion ({first.reason})", ECHO))
        return sorted(kept, key=lambda h: h.start)


class _Either:
    """Membership in either of two collections of words."""

    def __init__(self, a: Container[str], b: Container[str]):
        self.a, self.b = a, b

    def __contains__(self, item: object) -> bool:
        return item in self.a or item in self.b


# -- helpers ----------------------------------------------------------------------------------------------
def _core(word: str) -> str:
    """The part of a word that may be a name: Parisa's -> Parisa, PPSS:s -> PPSS, Farsta-kontoret -> Farsta."""
    for apostrophe in ("'s", "’s"):
        if word.endswith(apostrophe):
            word = word[: -len(apostrophe)]
    word = word.partition(":")[0]
    if "-" in word:
        parts = word.split("-")
        if not all(p[:1].isupper() for p in parts):
            word = parts[0]
    return word


def _initial(text: str, pos: int, starts: set[int]) -> bool:
    """Whether the word at `pos` starts a sentence: a stored sentence start, a line start, or after . ! ? : …"""
    if pos in starts:
        return True
    k = pos - 1
    while k >= 0:
        ch = text[k]
        if ch == "\n":
            return True
        if ch == "]":
            opening = text.rfind("[", 0, k)
            if opening < 0:
                return False
            k = opening - 1
            if k + 1 in starts:
                return True
            continue
        if ch.isspace() or ch in _OPENERS:
            k -= 1
            continue
        return ch in _TERMINATORS
    return True


def _inherit_kinds(text: str, hits: list[_Hit]) -> None:
    """A guessed person that is a word of a place or school name found here takes its kind (Tallen)."""
    parts: dict[str, tuple[str, str]] = {}
    for h in hits:
        name = text[h.start : h.end]
        if h.kind in ("place", "school") and " " in name:
            for word in name.split():
                if word[:1].isupper():
                    parts.setdefault(word, (h.kind, name))
    for h in hits:
        found = parts.get(text[h.start : h.end])
        if found and h.kind == "person" and h.trust <= GUESS:
            h.kind, h.reason = found[0], f"a word of {found[1]!r}; {h.reason}"


def _initial_hit(text: str, hit: _Hit) -> bool:
    """Whether a hit starts a line or follows . ! ? : (its reason says so for sentence-start rules)."""
    return "sentence start" in hit.reason or _initial(text, hit.start, set())


def _school_head(word: str) -> str | None:
    """The school word a name is followed by (skola, gymnasium, School), also in the genitive."""
    heads = SCHOOL_HEADS_AFTER | SCHOOL_HEADS_AFTER_EN
    if word in heads:
        return word
    if word.endswith("s") and word[:-1] in heads:
        return word[:-1]
    return None


def _interjection(lower: str) -> bool:
    """Mmm, Jaaa, Hmm: a letter three times over, or too short to be a name at a sentence start."""
    return len(lower) < 3 or any(lower[i] == lower[i + 1] == lower[i + 2] for i in range(len(lower) - 2))


def _adjacent(t: _Token) -> bool:
    """Whether a word follows the previous one with nothing but spaces between (no comma, no line break)."""
    return bool(t.gap_before) and t.gap_before.strip(" \u00a0") == ""


def _ending(lower: str, endings: Iterable[str], min_stem: int) -> str | None:
    for ending in endings:
        if lower.endswith(ending) and len(lower) - len(ending) >= min_stem:
            return ending
    return None


def _overlaps(spans: _SpanIndex, start: int, end: int) -> bool:
    return spans.overlaps(start, end)


class _SpanIndex:
    """Spans merged and sorted, for a fast test whether a span overlaps any of them."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [m[0] for m in merged]
        self.ends = [m[1] for m in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.ends[i] > start


def _joined(a: str, b: str) -> str:
    return a if b in a else f"{a}; {b}"


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Keep the most trusted, then the longest, of overlapping hits; in text order.

    A longer hit of the same kind that holds more trusted ones whole takes their place: Lena Berg over
    the register's Lena, Norrby centrum over Norrby (longest match first, as on the way out).
    """
    chosen: list[_Hit] = []
    for h in sorted(hits, key=lambda h: (-h.trust, -(h.end - h.start), h.start)):
        if h.end <= h.start:
            continue
        inside = [c for c in chosen if c.start < h.end and h.start < c.end]
        if not inside:
            chosen.append(h)
        elif all(h.start <= c.start and c.end <= h.end and c.kind == h.kind for c in inside) and any(
            c.end - c.start < h.end - h.start for c in inside
        ):
            for c in inside:
                chosen.remove(c)
                h.reason = _joined(c.reason, h.reason)
            h.trust = max(c.trust for c in [h, *inside])
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)
