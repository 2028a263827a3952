"""Turn an importer's output into a stored-ready transcript: laid-out text, turns, sentences and lemmas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ppss_qual.importers.layout import lay_out
from ppss_qual.model import AnalysedTranscript, ParsedTranscript, Sentence, Turn
from ppss_qual.nlp.language import detect_language
from ppss_qual.nlp.words import WORD_RE
from ppss_qual.textlines import trim_span

if TYPE_CHECKING:
    from ppss_qual.nlp.lemmas import Lemmatizer

LANGUAGES = ("sv", "en")


class Analyser:
    """Holds one spaCy tokenizer + sentencizer and one lemmatizer per language, built on first use."""

    def __init__(self) -> None:
        self._nlp: dict[str, Any] = {}
        self._lemmatizers: dict[str, Lemmatizer] = {}

    def analyse(self, parsed: ParsedTranscript, language: str | None = None) -> AnalysedTranscript:
        text, turns = lay_out(parsed)
        lang = language or detect_language(text)
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; use sv or en")
        sentences, forms = self._sentences(text, turns, lang)
        return AnalysedTranscript(
            name=parsed.name,
            text=text,
            language=lang,
            turns=turns,
            sentences=sentences,
            source_path=parsed.source_path,
            source_format=parsed.source_format,
            warnings=list(parsed.warnings),
            forms=forms,
        )

    def _sentences(self, text: str, turns: list[Turn], lang: str) -> tuple[list[Sentence], dict[str, str]]:
        """Sentences per turn from spaCy's sentencizer, read from its arrays (Token objects cost 6x more)."""
        from spacy.attrs import IDX, LENGTH

        nlp = self._pipeline(lang)
        lemma = self.lemmatizer(lang).lemma
        docs = list(nlp.tokenizer.pipe((text[t.start : t.end] for t in turns), batch_size=512))
        starts_per_doc = nlp.get_pipe("sentencizer").predict(docs)
        out: list[Sentence] = []
        forms: dict[str, str] = {}
        for turn, doc, starts in zip(turns, docs, starts_per_doc, strict=True):
            if not len(doc):
                continue
            spans = doc.to_array([IDX, LENGTH]).tolist()
            cuts = [i for i, first in enumerate(starts) if first or i == 0] + [len(spans)]
            for a, b in zip(cuts, cuts[1:], strict=False):
                start, end = trim_span(
                    text, turn.start + spans[a][0], turn.start + spans[b - 1][0] + spans[b - 1][1]
                )
                if start >= end:
                    continue
                lemmas = []
                for m in WORD_RE.finditer(text, start, end):
                    form = m.group()
                    lem = lemma(form)
                    lemmas.append(lem)
                    forms[form.lower()] = lem
                out.append(Sentence(len(out) + 1, turn.number, start, end, tuple(lemmas)))
        return out, forms

    def _pipeline(self, lang: str) -> Any:
        if lang not in self._nlp:
            import spacy  # lazily: spaCy costs most of a second to import

            nlp = spacy.blank(lang)
            nlp.add_pipe("sentencizer")
            self._nlp[lang] = nlp
        return self._nlp[lang]

    def lemmatizer(self, lang: str) -> Lemmatizer:
        if lang not in self._lemmatizers:
            from ppss_qual.nlp.lemmas import load_lemmatizer

            self._lemmatizers[lang] = load_lemmatizer(lang)
        return self._lemmatizers[lang]
