"""Run every benchmark and write the table of figures into benchmarks/README.md."""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
README = HERE / "README.md"
BIN = Path(sys.executable).parent
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


@dataclass
class Figure:
    name: str
    size: str
    value: float
    unit: str
    target: str
    met: bool | None
    peak_mb: float | None = None
    note: str = ""


def measure(cmd: list[str]) -> dict:
    """Wall time and peak memory of one command, from a fresh wrapper process."""
    out = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), *cmd], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout)
    if result["status"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {result['stderr']}")
    return result


def ppss(project: Path, *args: str) -> list[str]:
    return [str(BIN / "ppss-qual"), "--project", str(project), *args]


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def bench_import(sizes: list[int], words: int) -> list[Figure]:
    sys.path.insert(0, str(HERE))
    from corpus import write_corpus

    figures = []
    for n in sizes:
        folder = WORK / f"corpus-{n}x{words}"
        write_corpus(folder, n, words)
        runs = [
            measure(ppss(fresh(WORK / f"import-{n}.db"), "import", str(folder), "--format", "json"))
            for _ in range(2)
        ]
        run = runs[-1]  # warm: the second run
        total = n * words
        rate = total / run["seconds"]
        figures.append(
            Figure(
                "import (turns, sentences, lemmas)",
                f"{n} × {words} words",
                round(rate),
                "words/s",
                ">= 300,000 words/s at 1,000",
                rate >= 300_000 if n >= 1000 else None,
                round(run["peak_mb"]),
                f"{run['seconds']:.1f} s",
            )
        )
    return figures


def bench_startup(project: Path) -> list[Figure]:
    cmd = ppss(project, "transcripts", "--format", "json")
    measure(cmd)
    times = sorted(measure(cmd)["seconds"] for _ in range(7))
    median = times[len(times) // 2]
    return [
        Figure(
            "CLI start-up: `transcripts`",
            project.stem,
            round(median, 3),
            "s",
            "< 0.3 s warm",
            median < 0.3,
            None,
            f"median of 7 (min {times[0]:.3f} s)",
        )
    ]


BENCHMARKS: dict[str, Callable[[argparse.Namespace], list[Figure]]] = {}


def write_readme(figures: list[Figure], args: argparse.Namespace) -> None:
    lines = [
        START,
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, "
        f"{_cpus()} cores, Python {platform.python_version()}, {_versions()}; "
        f"`make bench{' QUICK=1' if args.quick else ''}`.",
        "",
        "| figure | corpus | value | target | met | peak memory | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        met = "" if f.met is None else ("yes" if f.met else "**no**")
        peak = "" if f.peak_mb is None else f"{f.peak_mb:,.0f} MB"
        value = f"{f.value:,}" if isinstance(f.value, int) else f"{f.value:,.3f}"
        lines.append(f"| {f.name} | {f.size} | {value} {f.unit} | {f.target} | {met} | {peak} | {f.note} |")
    lines += ["", END]
    text = README.read_text(encoding="utf-8") if README.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    README.write_text(head + "\n".join(lines) + tail, encoding="utf-8")
    (WORK / "figures.json").write_text(json.dumps([asdict(f) for f in figures], indent=2), encoding="utf-8")


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


def _versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{p} {version(p)}" for p in ("spacy", "textual", "sqlite-utils"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small corpus, a few minutes")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    sizes = [10, 50] if args.quick else [10, 100, 1000]
    figures: list[Figure] = []
    figures += bench_import(sizes, 5000)
    figures += bench_startup(WORK / f"import-{sizes[-1]}.db")
    for name, bench in BENCHMARKS.items():
        if not args.only or name in args.only:
            figures += bench(args)
    write_readme(figures, args)
    for f in figures:
        print(f"{f.name:<45} {f.size:<22} {f.value:>12,} {f.unit:<8} target {f.target}")


if __name__ == "__main__":
    main()
