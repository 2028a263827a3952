"""Lemmatizer accuracy on the hand-checked lists (raw table and corrected) and cached throughput of lemma()."""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ppss_qual.nlp.lemmas import Lemmatizer, load_lemmatizer  # noqa: E402

DATA = ROOT / "tests" / "data"


def read_gold(lang: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / f"lemmas_{lang}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            form, lemma = line.split("\t")
            rows.append((form, lemma))
    return rows


def raw_lemma(table: Mapping[str, str], form: str) -> str:
    """The uncorrected table: the form as written, then lower-cased, else the lower-cased form."""
    return (table.get(form) or table.get(form.lower()) or form).lower()


def accuracy(gold: list[tuple[str, str]], lemma: Callable[[str], str]) -> tuple[float, list[str]]:
    misses = [f"{form} -> {lemma(form)} (want {want})" for form, want in gold if lemma(form) != want]
    return 1 - len(misses) / len(gold), misses


def throughput(lemmatizer: Lemmatizer, forms: list[str], n: int) -> float:
    """Words per second of lemma() over n forms drawn from `forms` with repetition (so mostly cached)."""
    rng = random.Random(0)
    sample = rng.choices(forms, k=n)
    lemma = lemmatizer.lemma
    start = time.perf_counter()
    for form in sample:
        lemma(form)
    return n / (time.perf_counter() - start)


def report(lang: str, n: int, show_misses: bool) -> None:
    start = time.perf_counter()
    lemmatizer = load_lemmatizer(lang)
    load_seconds = time.perf_counter() - start
    gold = read_gold(lang)
    table = lemmatizer._table  # the raw table, for the "before" figure
    raw, raw_misses = accuracy(gold, lambda form: raw_lemma(table, form))
    fixed, misses = accuracy(gold, lemmatizer.lemma)
    print(f"{lang}: {len(gold)} forms, table loaded in {load_seconds:.1f} s")
    print(f"  raw table (lower-case retry only): {raw:.3f} ({len(raw_misses)} misses)")
    print(f"  corrected:                         {fixed:.3f} ({len(misses)} misses)")
    for miss in misses if show_misses else []:
        print(f"    {miss}")
    forms = [form for form, _ in gold]
    fresh = Lemmatizer(table, lang)
    start = time.perf_counter()
    fresh.lemmas(forms)
    print(f"  first (uncached) calls: {len(forms) / (time.perf_counter() - start):,.0f} forms/s")
    words_per_second = throughput(lemmatizer, forms, n)
    print(f"  lemma() over {n:,} forms drawn with repetition (cached): {words_per_second:,.0f} words/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000, help="forms for the throughput run")
    parser.add_argument("--quiet", action="store_true", help="do not list the misses")
    args = parser.parse_args()
    for lang in ("sv", "en"):
        report(lang, args.n, not args.quiet)


if __name__ == "__main__":
    main()
