"""A deterministic generator of large speaker-labelled Swedish-like interview transcripts for benchmarks."""

from __future__ import annotations

import random
from itertools import accumulate
from pathlib import Path

# Common spoken-Swedish words (function words first, so a Zipf draw gives a realistic mix), plus content
# words of the domain in several inflected forms, so that lemmatisation has real work to do.
VOCABULARY = (
    "jag det är och att som i på en inte har var de men så med för vi hon han du om kan till alltså "
    "liksom eh mm typ ju då bara också när eller hade mycket där skulle vill ska sen nu här vad hur "
    "skolan skola skolor eleven elever eleverna barnen barn barnet föräldrar föräldern mamma pappa "
    "lärare läraren lärarna kuratorn kurator socialsekreteraren socialtjänsten teamet samverkan "
    "lyssnar lyssnade lyssnat lyssna frånvaro frånvaron trygg tryggt trygga kände känner känt "
    "pratade pratar prata möte möten mötet hemma hemmet betyg betygen gymnasiet stöd stödet "
    "anpassningar hjälp hjälpte hjälper fick får förstod förstår tyckte tycker vuxna vuxen vuxnas "
    "kompisar kompisarna fritidsgården tillit förtroende kontinuitet byte bytte bytt mentor mentorn "
    "klassen klass lektionen lektioner rektorn ångest orolig oroliga sov sover morgonen morgnarna "
    "sekretess samtycke frivilligt kontakt kontakten ansvar ansvaret uppdrag uppdraget projektet"
).split()
# A long tail of rarer forms, as real speech has: compounds of domain stems with inflected heads.
HEADS = "skola miljö personal möte stöd samtal plan team kontakt lärare grupp tid dag vecka frånvaro".split()
ENDINGS = ("", "n", "en", "et", "er", "ar", "na", "erna", "arna", "s", "ens", "ets")
STEMS = (
    "elev hem fritid social kurator klass idrotts special mentors föräldra vårdnads barn ungdoms "
    "morgon kvälls rast lektions hälso trygghets samverkans uppföljnings närvaro"
).split()
TAIL = [f"{s}{h}{e}" for s in STEMS for h in HEADS for e in ENDINGS]
LABELS = ("Intervjuare", "Elev {n}", "Förälder {n}", "Kurator {n}", "Socialsekreterare {n}", "Lärare {n}")


WORDS = VOCABULARY + TAIL  # about 4,000 forms, Zipf-distributed: the frequent ones are function words


def _weights(n: int) -> list[float]:
    return [1.0 / (rank + 1) ** 1.15 for rank in range(n)]


_cumulative = list(accumulate(_weights(len(WORDS))))


def transcript(index: int, words: int, seed: int = 2026) -> str:
    """One transcript of about `words` words, alternating interviewer and one interviewee."""
    rng = random.Random(seed * 1_000_003 + index)
    weights = _cumulative
    other = LABELS[1 + index % (len(LABELS) - 1)].format(n=index + 1)
    out: list[str] = ["[Genererad, fiktiv text för prestandamätning.]"]
    written = 0
    turn = 0
    while written < words:
        speaker = "Intervjuare" if turn % 2 == 0 else other
        sentences = []
        for _ in range(rng.randint(1, 2) if turn % 2 == 0 else rng.randint(2, 7)):
            n = rng.randint(4, 18)
            chosen = rng.choices(WORDS, cum_weights=weights, k=n)
            chosen[0] = chosen[0].capitalize()
            if rng.random() < 0.08:
                chosen.insert(rng.randrange(1, n), "[skratt]")
            sentences.append(" ".join(chosen) + rng.choice(".....?!"))
            written += n
        out.append(f"{speaker}: {' '.join(sentences)}")
        turn += 1
    return "\n\n".join(out) + "\n"


def write_corpus(folder: Path, count: int, words: int, seed: int = 2026) -> list[Path]:
    """Write `count` transcripts (reusing files already written with the same parameters)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / f".corpus-{count}-{words}-{seed}"
    paths = [folder / f"t{i:05d}.txt" for i in range(count)]
    if not stamp.exists():
        for i, p in enumerate(paths):
            p.write_text(transcript(i, words, seed), encoding="utf-8")
        stamp.touch()
    return paths
