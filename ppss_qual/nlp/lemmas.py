"""Lemmas of Swedish and English word forms: spaCy's lookup table, corrected for interview speech, offline."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

LANGS = ("sv", "en")
DATA_DIR = Path(__file__).with_name("data")
VOWELS = frozenset("aeiouyåäö")
MIN_HEAD = 3  # a compound's head keeps at least this many letters ("skol" + "miljön")
MIN_TAIL = 4  # and its tail, the word looked up, at least this many (not "aren" -> "ar")
MIN_TAIL_LEMMA = 3


def _pairs(spec: str) -> tuple[tuple[str, str], ...]:
    """ "ade>a d>" -> (("ade", "a"), ("d", "")): an ending and what replaces it."""
    return tuple(
        (ending, substitute) for ending, _, substitute in (pair.partition(">") for pair in spec.split())
    )


# Weak past tense, supine and participle endings, with what turns the stem back into an infinitive.
PARTICIPLE_ENDINGS = _pairs(
    "ades>a ade>a ad>a at>a ats>a dda> tta> dde> tte> dd> tt> de>a te>a da>a ta>a d> t> d>a t>a"
)
# Past and supine s-forms (skämdes, trivts), whose lemma is the s-verb when there is one (skämmas, trivas).
DEPONENT_PAST_ENDINGS = ("des", "tes", "ats", "tts", "dds", "its")
# Agent-noun inflections the table never lists for new compounds (hemmasittarna -> hemmasittare).
AGENT_NOUN_ENDINGS = ("arnas", "arens", "arna", "aren", "ares")
# Endings stripped from a search word that the project has never seen, shortest first.
SV_QUERY_SUFFIXES = tuple(
    sorted(
        (
            "a e n r s t d an en et na ar er or de te ad at da ta dd tt are ade ats ens ets nas ans ern dde tte "
            "arna erna orna aren ande ende ades ning arnas ernas ornas andet endet ningen ningar"
        ).split(),
        key=len,
    )
)
EN_QUERY_SUFFIXES = _pairs("'s> s> es> ies>y d> ed> ied>y ing> ing>e er> est>")


@functools.cache
def load_overrides(lang: str) -> dict[str, str]:
    """The override list of `lang` (data/<lang>_overrides.tsv): lower-case form to lemma."""
    path = DATA_DIR / f"{lang}_overrides.tsv"
    overrides: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            form, lemma = line.split("\t")
            overrides[form.strip().lower()] = lemma.strip().lower()
    return overrides


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}: expected one of {LANGS}")


class Lemmatizer:
    """Lower-case lemmas from a form-to-lemma lookup table, with corrections, cached per form."""

    def __init__(self, table: Mapping[str, str], lang: str) -> None:
        _check_lang(lang)
        self.lang = lang
        self._table = table
        self._lemmas = frozenset(value.lower() for value in table.values())
        self._overrides = load_overrides(lang)
        self._cache: dict[str, str] = {}
        self._known: dict[str, bool] = {}

    # The public API -------------------------------------------------------------------------------------

    @property
    def table(self) -> Mapping[str, str]:
        """The lookup table as loaded (form -> lemma)."""
        return self._table

    @property
    def override_forms(self) -> frozenset[str]:
        """The forms the override list decides."""
        return frozenset(self._overrides)

    def lemma(self, form: str) -> str:
        """The lower-case lemma of one word form (as found by ppss_qual.nlp.words.WORD_RE)."""
        cached = self._cache.get(form)
        if cached is not None:
            return cached
        lemma, known = self._resolve(form)
        self._cache[form] = lemma
        self._known[form] = known
        return lemma

    def is_word(self, form: str) -> bool:
        """Whether `form` is a word: in the override list, a key or a value of the table, or found by a rule."""
        if form not in self._known:
            self.lemma(form)
        return self._known[form]

    def lemmas(self, forms: Iterable[str]) -> list[str]:
        """The lemma of each form, in order."""
        lemma = self.lemma
        return [lemma(form) for form in forms]

    # Lookup ---------------------------------------------------------------------------------------------

    def _resolve(self, form: str) -> tuple[str, bool]:
        """(lemma, known) for a form not yet cached."""
        lower = form.lower()
        override = self._overrides.get(lower)
        if override is not None:
            return override, True
        head, colon, _ = lower.partition(":")
        if colon and head:  # PPSS:s -> ppss, BUP:en -> bup: an abbreviation with an ending after a colon
            return self.lemma(head), self.is_word(head)
        if any(char.isdigit() for char in form):
            return lower, False
        found = self._lookup(form, lower)
        if found is not None:
            return found, True
        return self._guess(lower)

    def _lookup(self, form: str, lower: str) -> str | None:
        """The corrected table lemma: the lower-case form first, then the form as written."""
        table_lemma = self._table.get(lower)
        if table_lemma is not None:
            return self._correct(lower, table_lemma.lower())
        if lower in self._lemmas:
            return lower
        if form != lower:
            table_lemma = self._table.get(form)
            if table_lemma is not None:
                return self._correct(lower, table_lemma.lower())
        return None

    def _known_lemma(self, word: str) -> bool:
        return word in self._lemmas

    def _is_key_or_lemma(self, word: str) -> bool:
        return word in self._lemmas or word in self._table

    # Corrections of a table lemma -----------------------------------------------------------------------

    def _correct(self, form: str, table_lemma: str) -> str:
        """Correct the table's lemma of a lower-case form (Swedish only: English is taken as it is)."""
        if table_lemma == form or self.lang != "sv":
            return table_lemma
        rules = (
            self._agent_noun,
            self._stem_artifact,
            self._own_lemma,
            self._participle_chain,
            self._deponent,
        )
        for rule in rules:
            corrected = rule(form, table_lemma)
            if corrected is not None:
                return corrected
        return table_lemma

    def _agent_noun(self, form: str, table_lemma: str) -> str | None:
        """lyssnar -> lyssnare, har -> hare: a present-tense verb read as an agent noun's compound stem."""
        if not form.endswith("r"):
            return None
        agent = table_lemma == form + "e" or (
            table_lemma.endswith("are") and form.endswith("er") and table_lemma[:-3] == form[:-2]
        )
        if not agent:
            return None
        bases = [form[:-1]] + ([form[:-2] + "a"] if form.endswith("er") else [])
        return next((base for base in bases if self._known_lemma(base)), None)

    def _stem_artifact(self, form: str, table_lemma: str) -> str | None:
        """klass -> klassa, trygg -> trygga, stöd -> stödja: a word that is a lemma, read as a compound stem."""
        extra = len(table_lemma) - len(form)
        if not (0 < extra <= 2 and table_lemma.startswith(form) and self._known_lemma(form)):
            return None
        if form.endswith("r") and table_lemma == form + "a" and not self._first_conjugation(table_lemma):
            return None  # kör, hör, gör: the present tense of köra, höra, göra
        return form

    def _first_conjugation(self, verb: str) -> bool:
        """Whether `verb` inflects -ar, -ade (so that its stem alone is no form of it)."""
        return self._table.get(verb + "r") == verb or self._table.get(verb + "de") == verb

    def _own_lemma(self, form: str, table_lemma: str) -> str | None:
        """Lexicalised words that are lemmas of their own: förtroende, mående; finnas, hoppas; vuxen."""
        if not self._known_lemma(form):
            return None
        if form.endswith(("ande", "ende")):
            return form
        if form.endswith("s") and table_lemma == form[:-1] and table_lemma[-1] in VOWELS:
            return form
        if form.endswith("en") and table_lemma.endswith("a"):
            return form
        return None

    def _participle_chain(self, form: str, table_lemma: str) -> str | None:
        """vågade -> vågad -> våga, lärt -> lärd -> lära: a weak participle adjective taken to its verb."""
        if not table_lemma.endswith(("d", "t")):
            return None
        if form not in (table_lemma + "e", table_lemma + "a", table_lemma[:-1] + "t"):
            return None  # sättet -> sätt is a noun, not a participle
        verb = self._table.get(table_lemma)
        if verb is None or verb.lower() not in _weak_participle_verbs(table_lemma):
            return None
        return verb.lower()

    def _deponent(self, form: str, table_lemma: str) -> str | None:
        """skämdes -> skämmas (not skämma): a past s-form of a verb whose lemma is the s-verb."""
        if not form.endswith(DEPONENT_PAST_ENDINGS) or table_lemma.endswith("s"):
            return None
        return table_lemma + "s" if self._known_lemma(table_lemma + "s") else None

    # Words the table does not know ----------------------------------------------------------------------

    def _guess(self, lower: str) -> tuple[str, bool]:
        """(lemma, known) of a lower-case form that is neither a key nor a value of the table."""
        rules: tuple[Callable[[str], str | None], ...] = (
            (self._participle, self._genitive, self._compound)
            if self.lang == "sv"
            else (self._english_suffix,)
        )
        for rule in rules:
            found = rule(lower)
            if found is not None:
                return found, True
        if self.lang == "sv":
            return _agent_noun_guess(lower), False
        return lower, False

    def _participle(self, lower: str) -> str | None:
        """lyssnad, lyssnat -> lyssna: a weak participle or past tense missing from the table."""
        for ending, infinitive in PARTICIPLE_ENDINGS:
            if lower.endswith(ending) and len(lower) > len(ending) + 1:
                verb = lower[: -len(ending)] + infinitive
                if verb[-1] in VOWELS and self._known_lemma(verb) and verb != lower:
                    return verb
        return None

    def _genitive(self, lower: str) -> str | None:
        """skolmiljöns -> skolmiljö: a genitive -s on a form that is known."""
        if len(lower) > 3 and lower.endswith("s") and self.is_word(lower[:-1]):
            return self.lemma(lower[:-1])
        return None

    def _compound(self, lower: str) -> str | None:
        """skolmiljön -> skolmiljö: the head unchanged, the longest known tail lemmatised."""
        for start in range(MIN_HEAD, len(lower) - MIN_TAIL + 1):
            tail = lower[start:]
            if self._is_key_or_lemma(tail):
                tail_lemma = self.lemma(tail)
                if len(tail_lemma) >= MIN_TAIL_LEMMA:
                    return lower[:start] + tail_lemma
        return None

    def _english_suffix(self, lower: str) -> str | None:
        """counsellors -> counsellor: a regular English ending on a base form that is known."""
        for candidate in _stripped(lower, EN_QUERY_SUFFIXES):
            if self._is_key_or_lemma(candidate):
                return self.lemma(candidate)
        return None


def _weak_participle_verbs(participle: str) -> set[str]:
    """The infinitives a weak participle may come from: vågad <- våga, lärd <- lära, känd <- känna, trodd <- tro."""
    stem = participle[:-1]
    verbs = {stem + "a", stem + stem[-1:] + "a"}
    if participle.endswith("ad"):
        verbs.add(participle[:-2] + "a")
    if participle.endswith(("dd", "tt")):
        verbs.add(participle[:-2])
    return verbs


def _agent_noun_guess(lower: str) -> str:
    """hemmasittarna -> hemmasittare: an unknown agent noun's inflection; otherwise the form itself."""
    for ending in AGENT_NOUN_ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= 4:
            return lower[: -len(ending)] + "are"
    return lower


def _stripped(lower: str, suffixes: Iterable[tuple[str, str]]) -> Iterator[str]:
    """Candidate base forms: each suffix that `lower` ends with, replaced by its substitute."""
    for suffix, substitute in suffixes:
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 2:
            yield lower[: -len(suffix)] + substitute


def _sv_candidates(lower: str) -> Iterator[str]:
    """Swedish base-form candidates, least stripped first: the stem, then the stem + a, + e."""
    for suffix in SV_QUERY_SUFFIXES:
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 2:
            stem = lower[: -len(suffix)]
            yield from (stem, stem + "a", stem + "e", stem + stem[-1] + "a")  # glömde -> glömma
            if stem[-1] in "lnr" and stem[-2] not in VOWELS:
                yield stem[:-1] + "e" + stem[-1]  # föräldrarna -> förälder, regler -> regel


def query_lemmas(form: str, known_lemmas: Callable[[str], bool], lang: str) -> list[str]:
    """Lemmas to search for a word never seen in the project, best first, without loading the table."""
    _check_lang(lang)
    lower = form.lower()
    found = [lower]
    override = load_overrides(lang).get(lower)
    if override is not None and override not in found:
        found.append(override)
    head = lower.partition(":")[0]
    if head != lower and head:
        found.append(head)
    candidates = _sv_candidates(lower) if lang == "sv" else _stripped(lower, EN_QUERY_SUFFIXES)
    for candidate in candidates:
        if candidate not in found and known_lemmas(candidate):
            found.append(candidate)
    return found


def load_lemmatizer(lang: str) -> Lemmatizer:
    """The lemmatizer of `lang` ("sv" or "en") over spacy-lookups-data's lemma table."""
    _check_lang(lang)
    return Lemmatizer(_lookup_table(lang), lang)


def _lookup_table(lang: str) -> Mapping[str, str]:
    """spacy-lookups-data's lemma_lookup table as a plain dict.

    Read from the package's own data file: a dict of strings loads in 0.8 s where spaCy's Table (which
    hashes every key) takes 2.4 s, and looks forms up faster. spaCy's loader is the fallback.
    """
    import gzip
    import json
    from importlib.resources import files

    try:
        data = files("spacy_lookups_data").joinpath("data", f"{lang}_lemma_lookup.json.gz").read_bytes()
        table = json.loads(gzip.decompress(data))
        if isinstance(table, dict) and table:
            return table
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError):
        pass
    from spacy.lookups import load_lookups  # lazily: spaCy takes most of a second to import

    return load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")
