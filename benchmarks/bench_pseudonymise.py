"""Pseudonymisation: detection throughput on a large corpus, and the figures on the hand-labelled set.

run(quick) returns figures for benchmarks/run.py (add "bench_pseudonymise" to its MODULES to include it).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from common import WORK, figure, peak_mb, write_corpus

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "data" / "pseudonymise"


def run(quick: bool) -> list[dict[str, Any]]:
    from ppss_qual.project import Project
    from ppss_qual.pseudonymise.evaluate import evaluate, strip_marks
    from ppss_qual.pseudonymise.service import Pseudonymiser

    transcripts, words = (20, 5000) if quick else (200, 5000)
    folder = WORK / f"pseudo-{transcripts}x{words}"
    if not folder.exists():
        write_corpus(folder, transcripts, words)
        # Names, schools, places and numbers to find: the labelled transcripts, plain, once each.
        for path in LABELLED.glob("*.txt"):
            (folder / path.name).write_text(strip_marks(path.read_text("utf-8"))[0], encoding="utf-8")
    project_path = WORK / f"pseudo-{transcripts}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(project_path) + suffix).unlink(missing_ok=True)
    figures = []
    with Project.open(project_path, coder="bench") as project:
        project.import_paths([folder])
        total = sum(t["words"] for t in project.transcripts())
        service = Pseudonymiser(project)
        started = time.perf_counter()
        service.detect()  # first run: loads the word lists (about a second) and detects everywhere
        first = time.perf_counter() - started
        started = time.perf_counter()
        report = service.detect(again=True)
        seconds = time.perf_counter() - started
        rate = total / seconds
        figures.append(
            figure(
                "pseudonymisation: detection",
                f"{len(report.transcripts):,} transcripts, {total:,} words",
                round(rate),
                "words/s",
                "a 5,000-word transcript in < 0.1 s (50,000 words/s)",
                rate >= 50_000,
                round(peak_mb()),
                f"{seconds:.1f} s warm; {first:.1f} s first run with the word lists; "
                f"{report.suggestions:,} suggestions",
            )
        )
    accuracy = evaluate(LABELLED)
    person = accuracy.by_kind["person"]
    figures.append(
        figure(
            "pseudonymisation: person names",
            f"{person.gold} labelled names, {len(list(LABELLED.glob('*.txt')))} transcripts",
            round(person.recall, 3),
            "recall",
            "recall ≥ 0.95, precision ≥ 0.8",
            person.recall >= 0.95 and person.precision >= 0.8,
            None,
            f"precision {person.precision:.3f}; all kinds: recall {accuracy.any_kind.recall:.3f}, "
            f"precision {accuracy.any_kind.precision:.3f}",
        )
    )
    shutil.rmtree(folder, ignore_errors=True)
    return figures


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run("--quick" in sys.argv), indent=2, ensure_ascii=False))
