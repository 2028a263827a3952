"""Benchmark of analysis: co-occurrence, the code-by-group matrix and the network diagram at scale.

The large project is the generated corpus (1,000 transcripts of 5,000 words) with 300 codes (30 themes of
9 codes) and 200,000 codings by two coders, aligned to sentences and turns, Zipf-skewed over codes, with
codes of one theme drawn together in a turn and some passages coded by both coders. It is built once and
cached under benchmarks/work/ by size. Each figure is measured warm (the second run) in a child process of
its own, so that its peak memory is its own; the CLI is measured end to end as a user runs it.

    python benchmarks/bench_analysis.py [--quick]     prints the figures as JSON
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
BIN = Path(sys.executable).parent
WORDS = 5000
FULL = {"transcripts": 1000, "themes": 30, "codes_per_theme": 9, "codings": 200_000}
QUICK = {"transcripts": 50, "themes": 3, "codes_per_theme": 9, "codings": 10_000}
CODERS = ("kodare_a", "kodare_b")
SECOND_CODER_SHARE = 0.15  # passages the second coder coded too, exactly alike
TARGET_SECONDS = 1.0
TARGET_NETWORK_SECONDS = 5.0


def size_of(quick: bool) -> dict[str, int]:
    return QUICK if quick else FULL


def project_path(size: dict[str, int]) -> Path:
    codes = size["themes"] * (size["codes_per_theme"] + 1)
    return WORK / f"analysis-{size['transcripts']}x{WORDS}-{codes}c-{size['codings'] // 1000}k.db"


def build(size: dict[str, int]) -> Path:
    """The benchmark project, built once per size (import, codes, codings) and reused."""
    path = project_path(size)
    if path.exists():
        return path
    sys.path.insert(0, str(HERE))
    from corpus import write_corpus

    from ppss_qual.project import Project
    from ppss_qual.store import codes as code_store
    from ppss_qual.store.changes import Recorder

    folder = WORK / f"corpus-{size['transcripts']}x{WORDS}"
    write_corpus(folder, size["transcripts"], WORDS)
    tmp = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    rng = random.Random(2026)
    with Project.open(tmp, coder="bench") as project:
        report = project.import_paths([folder])
        if report.failed:
            raise RuntimeError(f"corpus import failed: {report.failed[0].error}")
        with project.store.write() as conn:
            rec = Recorder(conn)
            leaves: list[list[int]] = []
            for t in range(size["themes"]):
                hue = t / size["themes"]
                theme = code_store.insert_code(
                    rec, {"name": f"Tema {t + 1:02d}", "name_en": f"Theme {t + 1:02d}", "colour": _hex(hue, 0.55)},
                    "bench", None, t,
                )  # fmt: skip
                leaves.append(
                    [
                        code_store.insert_code(
                            rec,
                            {
                                "name": f"Kod {t + 1:02d}.{c + 1}",
                                "name_en": f"Code {t + 1:02d}.{c + 1}",
                                "colour": _hex(hue, 0.7),
                            },
                            "bench",
                            theme,
                            c,
                        )  # fmt: skip
                        for c in range(size["codes_per_theme"])
                    ]
                )
            rec.log("bench", "code.add", f"{size['themes']} themes for the analysis benchmark")
        with project.store.write() as conn:
            rows = _codings(conn, leaves, size["codings"], rng)
            rec = Recorder(conn)
            for coder in CODERS:
                code_store.ensure_coder(conn, rec, coder)
            code_store.insert_codings(rec, rows)
            rec.log("bench", "code", f"{len(rows)} generated codings")
    tmp.replace(path)
    return path


def _hex(hue: float, light: float) -> str:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue, light, 0.6)
    return f"#{int(r * 255):02X}{int(g * 255):02X}{int(b * 255):02X}"


def _codings(
    conn: Any, leaves: list[list[int]], total: int, rng: random.Random
) -> list[tuple[int, int, str, int, int, str]]:
    """Codings of informant turns: whole turns or runs of 1 to 3 sentences; codes skewed and clustered."""
    texts = dict(conn.execute("SELECT id, text FROM transcripts WHERE deleted = 0"))
    turns: dict[int, list[tuple[int, int, int]]] = {}
    for tid, number, start, end, speaker in conn.execute(
        'SELECT transcript_id, number, start, "end", speaker FROM turns ORDER BY transcript_id, number'
    ):
        if speaker and speaker != "Intervjuare":
            turns.setdefault(tid, []).append((number, start, end))
    sentences: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for tid, turn, start, end in conn.execute(
        'SELECT transcript_id, turn, start, "end" FROM sentences ORDER BY transcript_id, number'
    ):
        sentences.setdefault((tid, turn), []).append((start, end))
    flat = [c for theme in leaves for c in theme]
    rng.shuffle(flat)  # popularity does not follow the theme order
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(flat))]
    theme_of = {c: i for i, theme in enumerate(leaves) for c in theme}
    tids = sorted(turns)
    seen: set[tuple[int, int, str, int, int]] = set()
    rows: list[tuple[int, int, str, int, int, str]] = []

    def add(tid: int, code: int, coder: str, start: int, end: int) -> None:
        key = (tid, code, coder, start, end)
        if key not in seen and len(rows) < total:
            seen.add(key)
            rows.append((tid, code, coder, start, end, texts[tid][start:end]))

    while len(rows) < total:
        tid = rng.choice(tids)
        number, t_start, t_end = rng.choice(turns[tid])
        spans = sentences.get((tid, number)) or [(t_start, t_end)]
        code = rng.choices(flat, weights)[0]
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            if rng.random() < 0.3:
                start, end = t_start, t_end
            else:
                first = rng.randrange(len(spans))
                last = min(len(spans) - 1, first + rng.choice((0, 0, 1, 2)))
                start, end = spans[first][0], spans[last][1]
            coder = CODERS[0] if rng.random() < 0.55 else CODERS[1]
            add(tid, code, coder, start, end)
            if rng.random() < SECOND_CODER_SHARE:
                add(tid, code, CODERS[1] if coder == CODERS[0] else CODERS[0], start, end)
            # The next code in this turn: often one of the same theme, else any.
            code = rng.choice(leaves[theme_of[code]]) if rng.random() < 0.5 else rng.choices(flat, weights)[0]
    return rows


# -- measurements -----------------------------------------------------------------------------------------
def _task(kind: str, path: Path, out: Path) -> dict[str, Any]:
    """One analysis in this process, run twice; the figure is the second (warm) run."""
    from ppss_qual.project import Project

    project = Project.open(path, create=False)
    analysis = project.analysis
    counts = project.codebook.tree()
    theme = max((r for r in counts if r["depth"] == 0), key=lambda r: r["total"])["name"]
    leaves = sorted((r for r in counts if r["depth"] == 1), key=lambda r: -r["count"])
    first, second = f'"{leaves[0]["name"]}"', f'"{leaves[1]["name"]}"'
    jobs = {
        "cooccurrence-turn": lambda: analysis.cooccurrence("turn"),
        "cooccurrence-overlap": lambda: analysis.cooccurrence("overlap"),
        "cooccurrence-sentences:1": lambda: analysis.cooccurrence("sentences:1"),
        "cooccurrence-transcript": lambda: analysis.cooccurrence("transcript"),
        "cooccurrence-turn-pupil": lambda: analysis.cooccurrence("turn", roles=["pupil"]),
        "excerpts-theme": lambda: analysis.excerpts(theme),
        "excerpts-and": lambda: analysis.excerpts(f"{first} AND {second}"),
        "matrix-role": lambda: analysis.matrix("role"),
        "network-png": lambda: analysis.write_network(out, analysis.network("turn")),
    }
    times = []
    result: Any = None
    for _ in range(2):
        started = time.perf_counter()
        result = jobs[kind]()
        times.append(time.perf_counter() - started)
    size = len(result) if isinstance(result, list) else (out.stat().st_size if out.exists() else 0)
    return {
        "cold": times[0],
        "warm": times[1],
        "rows": size,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(kind: str, path: Path, out: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--task", kind, "--project", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def _cli(path: Path, *args: str) -> dict[str, Any]:
    """The command end to end, from a fresh process, second run; with the CPU time it used."""
    cmd = [sys.executable, str(HERE / "measure.py"), str(BIN / "ppss-qual"), "--project", str(path), *args]
    runs = []
    for _ in range(2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        run["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        runs.append(run)
    if runs[-1]["status"] != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {runs[-1]['stderr']}")
    return runs[-1]


def _load() -> str:
    import os

    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def figure(
    name: str,
    size: str,
    value: float,
    unit: str,
    target: str,
    met: bool | None,
    peak: float | None,
    note: str,
) -> dict[str, Any]:
    return {
        "name": name,
        "size": size,
        "value": round(value, 3),
        "unit": unit,
        "target": target,
        "met": met,
        "peak_mb": None if peak is None else round(peak),
        "note": note,
    }


def run(quick: bool) -> list[dict[str, Any]]:
    """Build (or reuse) the project and measure; returns the figures."""
    size = size_of(quick)
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    path = build(size)
    built = time.perf_counter() - started
    codes = size["themes"] * (size["codes_per_theme"] + 1)
    label = f"{size['codings']:,} codings, {codes} codes, {size['transcripts']:,} transcripts"
    full = not quick
    figures = []
    out = WORK / f"analysis-network-{codes}.png"
    for kind, what in (
        ("cooccurrence-turn", "co-occurrence, unit turn (in-process)"),
        ("cooccurrence-overlap", "co-occurrence, unit overlap (in-process)"),
        ("cooccurrence-sentences:1", "co-occurrence, unit sentences:1 (in-process)"),
        ("cooccurrence-transcript", "co-occurrence, unit transcript (in-process)"),
        ("cooccurrence-turn-pupil", "co-occurrence, turn, --role pupil (in-process)"),
        ("matrix-role", "matrix --by role (in-process)"),
    ):
        r = _child(kind, path, out)
        figures.append(
            figure(what, label, r["warm"], "s", "< 1 s at 200,000", r["warm"] < TARGET_SECONDS if full else None,
                   r["peak_mb"], f"warm; first run {r['cold']:.2f} s; {r['rows']:,} rows; load {_load()}")
        )  # fmt: skip
    for kind, what in (
        ("excerpts-theme", "excerpts of the largest theme (in-process)"),
        ("excerpts-and", "excerpts `A AND B` of the two largest codes (in-process)"),
    ):
        r = _child(kind, path, out)
        figures.append(
            figure(what, label, r["warm"], "s", "", None, r["peak_mb"], f"warm; first run {r['cold']:.2f} s; {r['rows']:,} excerpts")
        )  # fmt: skip
    r = _child("network-png", path, out)
    figures.append(
        figure("network diagram PNG (in-process)", label, r["warm"], "s", "< 5 s for 300 codes",
               r["warm"] < TARGET_NETWORK_SECONDS if full else None, r["peak_mb"],
               f"warm; first run (imports matplotlib) {r['cold']:.2f} s; {r['rows']:,} bytes")
    )  # fmt: skip
    for args, what, target, limit in (
        (
            ("cooccurrence", "--format", "json"),
            "CLI `cooccurrence --format json`",
            "< 1 s at 200,000",
            TARGET_SECONDS,
        ),
        (
            ("matrix", "--by", "role", "--format", "json"),
            "CLI `matrix --by role --format json`",
            "< 1 s at 200,000",
            TARGET_SECONDS,
        ),
        (
            ("network", "--out", str(out)),
            "CLI `network --out FILE.png`",
            "< 5 s for 300 codes",
            TARGET_NETWORK_SECONDS,
        ),
    ):
        c = _cli(path, *args)
        figures.append(
            figure(what, label, c["seconds"], "s", target, c["seconds"] < limit if full else None, c["peak_mb"],
                   f"end to end, second run (start-up included); CPU {c['cpu']:.2f} s; load {_load()}")
        )  # fmt: skip
    figures.append(
        figure(
            "benchmark project build", label, built, "s", "", None, None, "0 when cached in benchmarks/work"
        )
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="50 transcripts, 30 codes, 10,000 codings")
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        print(json.dumps(_task(args.task, args.project, args.out)))
        return
    print(json.dumps(run(args.quick), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
