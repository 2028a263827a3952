"""Run every benchmark and write the table of figures into benchmarks/README.md (`make bench [QUICK=1]`)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from common import HERE, WORK, figure, write_corpus

README = HERE / "README.md"
BIN = Path(sys.executable).parent
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
# Each module has run(quick) -> list of figures; the order here is the order of the table.
MODULES = (
    "bench_analysis",
    "bench_report",
    "bench_refi",
    "bench_team",
    "bench_pseudonymise",
    "bench_tui",
    "bench_qc",
)


def measure(cmd: list[str]) -> dict[str, Any]:
    """Wall time and peak memory of one command, from a fresh wrapper process."""
    out = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), *cmd], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(out.stdout)
    if result["status"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {result['stderr']}")
    return result


def ppss(project: Path, *args: str) -> list[str]:
    return [str(BIN / "ppss-qual"), "--project", str(project), *args]


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def bench_import(sizes: list[int], words: int) -> list[dict[str, Any]]:
    """`ppss-qual import FOLDER` end to end (turns, sentences, lemmas), warm: the second of two runs."""
    figures = []
    for n in sizes:
        folder = WORK / f"corpus-{n}x{words}"
        write_corpus(folder, n, words)
        runs = [
            measure(ppss(fresh(WORK / f"import-{n}.db"), "import", str(folder), "--format", "json"))
            for _ in range(2)
        ]
        run = runs[-1]
        rate = n * words / run["seconds"]
        figures.append(
            figure(
                "import (turns, sentences, lemmas)",
                f"{n:,} × {words:,} words",
                round(rate),
                "words/s",
                "≥ 300,000 words/s at 1,000 transcripts",
                rate >= 300_000 if n >= 1000 else None,
                round(run["peak_mb"]),
                f"{run['seconds']:.1f} s; peak of the largest process",
            )
        )
    return figures


def bench_startup(project: Path) -> list[dict[str, Any]]:
    cmd = ppss(project, "transcripts", "--format", "json")
    measure(cmd)
    times = sorted(measure(cmd)["seconds"] for _ in range(7))
    median = times[len(times) // 2]
    return [
        figure(
            "CLI start-up: `ppss-qual transcripts`",
            project.stem,
            round(median, 3),
            "s",
            "< 0.3 s warm",
            median < 0.3,
            None,
            f"median of 7 (min {times[0]:.3f} s)",
        )
    ]


def _merged(fresh: list[dict[str, Any]], quick: bool) -> list[dict[str, Any]]:
    """The last full table with the re-measured rows put in place of theirs."""
    saved = WORK / f"figures{'-quick' if quick else ''}.json"
    old = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else []
    by_key = {(f["name"], f["size"]): f for f in fresh}
    known = {(f["name"], f["size"]) for f in old}
    return [by_key.get((f["name"], f["size"]), f) for f in old] + [
        f for f in fresh if (f["name"], f["size"]) not in known
    ]


def write_readme(figures: list[dict[str, Any]], quick: bool, seconds: float, partial: bool = False) -> None:
    when = time.strftime("%Y-%m-%d %H:%M")
    how = (
        f"Rows re-measured {when} with `benchmarks/run.py --only …` on a quiet machine; the rest from the "
        "last full run. "
        if partial
        else f"Measured {when} with `make bench{' QUICK=1' if quick else ''}` in {seconds / 60:.1f} min. "
    )
    lines = [
        START,
        "",
        how + f"{platform.machine()} ({os.cpu_count()} cores), Linux, Python {platform.python_version()}, "
        f"{_versions()}.",
        "",
        "| figure | corpus | value | target | met | peak memory | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        met = "" if f["met"] is None else ("yes" if f["met"] else "**no**")
        peak = "" if f.get("peak_mb") is None else f"{f['peak_mb']:,.0f} MB"
        value = f["value"]
        shown = (
            f"{value:,}"
            if isinstance(value, int)
            else (f"{value:,.3g}" if isinstance(value, float) else str(value))
        )
        lines.append(
            f"| {f['name']} | {f['size']} | {shown} {f['unit']} | {f['target']} | {met} | {peak} | "
            f"{f.get('note', '')} |"
        )
    lines += ["", END]
    text = README.read_text(encoding="utf-8") if README.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    README.write_text(head + "\n".join(lines) + tail, encoding="utf-8")
    (WORK / f"figures{'-quick' if quick else ''}.json").write_text(
        json.dumps(figures, indent=2), encoding="utf-8"
    )


def _versions() -> str:
    from importlib.metadata import version

    return ", ".join(
        f"{p} {version(p)}" for p in ("spacy", "textual", "python-docx", "networkx", "sqlite-utils")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small corpus, a few minutes")
    parser.add_argument("--only", nargs="*", default=None, help="import, startup, or module names")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sizes = [10, 50] if args.quick else [10, 100, 1000]
    wanted = set(args.only) if args.only else None
    figures: list[dict[str, Any]] = []
    if not wanted or "import" in wanted:
        figures += bench_import(sizes, 5000)
    if not wanted or "startup" in wanted:
        figures += bench_startup(WORK / f"import-{sizes[-1]}.db")
    for name in MODULES:
        if wanted and name not in wanted:
            continue
        print(f"running {name} …", file=sys.stderr, flush=True)
        try:
            figures += importlib.import_module(name).run(args.quick)
        except Exception as exc:  # a failed benchmark is a figure too: say so, never hide it
            traceback.print_exc()
            figures.append(figure(name, "", "failed", "", "", False, None, f"{type(exc).__name__}: {exc}"))
    if wanted is not None:
        figures = _merged(figures, args.quick)  # re-measured rows replace theirs in the last full table
    write_readme(figures, args.quick, time.perf_counter() - started, partial=wanted is not None)
    for f in figures:
        print(f"{f['name']:<48} {f['size']:<26} {f['value']!s:>12} {f['unit']:<8} target {f['target']}")


if __name__ == "__main__":
    main()
