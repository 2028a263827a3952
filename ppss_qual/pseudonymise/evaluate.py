"""Precision and recall of detection against hand-labelled transcripts (`[[kind:text]]` marks)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ppss_qual.pseudonymise.detect import KINDS

if TYPE_CHECKING:
    from ppss_qual.nlp.pipeline import Analyser

MARK = re.compile(r"\[\[(" + "|".join(KINDS) + r"):([^\]]+)\]\]")
_WORD_CHAR = re.compile(r"\w")

Span = tuple[int, int, str]  # start, end, kind


def strip_marks(marked: str) -> tuple[str, list[Span]]:
    """The plain text and the labelled spans (offsets into the plain text)."""
    out: list[str] = []
    spans: list[Span] = []
    pos = length = 0
    for m in MARK.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        spans.append((length, length + len(m.group(2)), m.group(1)))
        out.append(m.group(2))
        length += len(m.group(2))
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


@dataclass(slots=True)
class Tally:
    gold: int = 0
    found: int = 0  # gold spans whose every word character is covered by predictions
    predicted: int = 0
    correct: int = 0  # predictions that overlap a gold span

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.found += other.found
        self.predicted += other.predicted
        self.correct += other.correct


@dataclass(slots=True)
class Accuracy:
    """Per kind (same kind on both sides), and `any`: found or overlapped whatever the kind (what export replaces)."""

    by_kind: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    any_kind: Tally = field(default_factory=Tally)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # file, kind, text
    wrong: list[tuple[str, str, str, str]] = field(default_factory=list)  # file, kind, text, reason


def score(
    text: str, gold: Iterable[Span], predicted: Iterable[tuple[int, int, str, str]], name: str, acc: Accuracy
) -> None:
    """Add one transcript's comparison to `acc`; predictions are (start, end, kind, reason)."""
    gold = list(gold)
    predicted = list(predicted)
    for kind in (*KINDS, None):
        tally = acc.by_kind[kind] if kind else acc.any_kind
        g = [s for s in gold if kind is None or s[2] == kind]
        p = [s for s in predicted if kind is None or s[2] == kind]
        tally.gold += len(g)
        tally.predicted += len(p)
        for gs, ge, gk in g:
            covered = all(
                any(ps <= i < pe for ps, pe, *_ in p) for i in range(gs, ge) if _WORD_CHAR.match(text[i])
            )
            tally.found += covered
            if not covered and kind is not None:
                acc.missed.append((name, gk, text[gs:ge]))
        for ps, pe, pk, reason in p:
            ok = any(gs < pe and ps < ge for gs, ge, _ in g)
            tally.correct += ok
            if not ok and kind is not None:
                acc.wrong.append((name, pk, text[ps:pe], reason))


def evaluate(folder: Path, analyser: Analyser | None = None) -> Accuracy:
    """Import every marked .txt file of `folder` into a project in memory, detect, and score."""
    from ppss_qual.project import Project
    from ppss_qual.pseudonymise.service import Pseudonymiser

    acc = Accuracy()
    with (
        tempfile.TemporaryDirectory() as tmp,
        Project.memory(coder="evaluation", analyser=analyser) as project,
    ):
        labels: dict[str, tuple[str, list[Span]]] = {}
        for path in sorted(folder.glob("*.txt")):
            plain, spans = strip_marks(path.read_text(encoding="utf-8"))
            (Path(tmp) / path.name).write_text(plain, encoding="utf-8")
            labels[path.stem] = (plain, spans)
        report = project.import_paths(sorted(Path(tmp).glob("*.txt")))
        failed = [f.error for f in report.files if f.error]
        if failed:
            raise ValueError(f"could not import the labelled transcripts: {failed}")
        Pseudonymiser(project).detect()
        rows = Pseudonymiser(project).entities()
        for name, (plain, spans) in labels.items():
            stored = project.transcript(name).text or ""
            if stored != plain.rstrip("\n"):
                raise ValueError(f"{name}: the stored text differs from the file; offsets would not match")
            predicted = [
                (r["start"], r["end"], r["kind"], r["reason"]) for r in rows if r["transcript"] == name
            ]
            score(stored, spans, predicted, name, acc)
    return acc


def names_outside_list(folder: Path, first_names: Iterable[str]) -> tuple[int, int]:
    """(distinct person names with no word in the list, distinct person names) in the labelled files."""
    listed = set(first_names)
    names = {
        text
        for path in folder.glob("*.txt")
        for kind, text in MARK.findall(path.read_text("utf-8"))
        if kind == "person"
    }
    outside = [
        n for n in names if not any(w in listed for word in n.split() for w in (word, *word.split("-")))
    ]
    return len(outside), len(names)


def table(acc: Accuracy) -> str:
    """The figures as a plain-text table."""
    lines = [
        f"{'kind':<14}{'gold':>6}{'found':>7}{'recall':>8}{'suggested':>11}{'correct':>9}{'precision':>11}"
    ]
    for kind, t in [*acc.by_kind.items(), ("any kind", acc.any_kind)]:
        lines.append(
            f"{kind:<14}{t.gold:>6}{t.found:>7}{t.recall:>8.3f}{t.predicted:>11}{t.correct:>9}{t.precision:>11.3f}"
        )
    return "\n".join(lines)
