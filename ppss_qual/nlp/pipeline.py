"""Turn an importer's output into a stored-ready transcript: laid-out text, turns, sentences and lemmas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ppss_qual.importers.layout import lay_out
from ppss_qual.model import AnalysedTranscript, ParsedTranscript, Sentence, Turn
from ppss_qual.nlp.language import detect_language
from ppss_qual.nlp.words import WORD_RE

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
        nlp = self._pipeline(lang)
        lemma = self.lemmatizer(lang).lemma
        sentencizer = nlp.get_pipe("sentencizer")
        speeches = (text[t.start : t.end] for t in turns)
        out: list[Sentence] = []
        forms: dict[str, str] = {}
        for turn, doc in zip(turns, nlp.tokenizer.pipe(speeches, batch_size=256), strict=True):
            for sent in sentencizer(doc).sents:
                speech_start, speech_end = sent.start_char, sent.end_char
                chunk = doc.text[speech_start:speech_end]
                stripped = chunk.rstrip()
                if not stripped.strip():
                    continue
                start = turn.start + speech_start + (len(chunk) - len(chunk.lstrip()))
                end = turn.start + speech_start + len(stripped)
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
