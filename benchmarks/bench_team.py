"""Benchmark of team work at scale: agreement per unit, disagreements, settling one, merging a copy.

It reuses the analysis benchmark's project (1,000 transcripts of 5,000 words, 300 codes, 200,000 codings by
two coders, built once and cached under benchmarks/work/), copied so that settling and merging write to a
copy. Times are warm (the second run) and in-process; the agreement CLI is also measured end to end.

    python benchmarks/bench_team.py [--quick]     prints the figures as JSON
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import HERE, WORK, figure, peak_mb

BIN = Path(sys.executable).parent
TARGET_SECONDS = 1.0


def _warm(fn: Any) -> tuple[float, Any]:
    result = None
    seconds = 0.0
    for _ in range(2):
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
    return seconds, result


def run(quick: bool) -> list[dict[str, Any]]:
    import bench_analysis

    from ppss_qual.project import Project

    size = bench_analysis.size_of(quick)
    source = bench_analysis.build(size)
    path = WORK / f"team-{source.name}"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, path)
    coders = list(bench_analysis.CODERS)
    label = f"{size['codings']:,} codings, {size['transcripts']:,} transcripts"
    full = not quick
    figures = []
    with Project.open(path, create=False, coder="bench") as project:
        team = project.team
        for unit, options in (
            ("char", {}),
            ("char, --speech-only", {"speech_only": True}),
            ("sentence", {"unit": "sentence"}),
            ("turn", {"unit": "turn"}),
        ):
            seconds, rows = _warm(lambda options=options: team.agreement(coders, **options))
            pooled = rows[-1]
            figures.append(
                figure(
                    f"agreement, unit {unit} (in-process)",
                    label,
                    round(seconds, 2),
                    "s",
                    "about 1 s at 200,000",
                    seconds < TARGET_SECONDS * 1.5 if full else None,
                    round(peak_mb()),
                    f"{len(rows) - 1} codes; pooled kappa {pooled['kappa']}, {pooled['units']:,} units",
                )
            )
        seconds, found = _warm(lambda: team.disagreements(coders))
        figures.append(
            figure("disagreements (in-process)", label, round(seconds, 2), "s", "—", None, round(peak_mb()),
                   f"{len(found):,} disagreements (generated codings: most passages differ)")
        )  # fmt: skip
        ident = found[len(found) // 2]["id"]
        started = time.perf_counter()
        team.settle(ident, "A")
        seconds = time.perf_counter() - started
        figures.append(
            figure("settle one disagreement (in-process)", label, round(seconds, 2), "s", "—", None, None,
                   "finds the ID again among all coder pairs, writes, logs")
        )  # fmt: skip
        project.undo()
        copy = WORK / f"team-copy-{source.name}"
        shutil.copy(path, copy)
        started = time.perf_counter()
        report = team.merge(copy)
        seconds = time.perf_counter() - started
        figures.append(
            figure("merge an identical copy (in-process)", label, round(seconds, 2), "s", "—", None,
                   round(peak_mb()), f"{report.codings_identical:,} codings matched, nothing added")
        )  # fmt: skip
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    cmd = [sys.executable, str(HERE / "measure.py"), str(BIN / "ppss-qual"), "--project", str(path),
           "agreement", "--coders", ",".join(coders), "--format", "json"]  # fmt: skip
    runs = [
        json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout) for _ in range(2)
    ]
    figures.append(
        figure("CLI `agreement --format json`", label, round(runs[-1]["seconds"], 2), "s", "about 1 s at 200,000",
               None, runs[-1]["peak_mb"], "end to end, second run (start-up included)")
    )  # fmt: skip
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return figures


if __name__ == "__main__":
    print(json.dumps(run("--quick" in sys.argv), indent=2))
