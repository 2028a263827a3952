"""REFI-QDA benchmark: export a large coded project as .qdpx, and import it again next to a plain import.

Targets (DESIGN.md; the peer qc took 20 s to export and 194 s to import 400 transcripts): export of 400
transcripts with 150,000 codings in under 10 s; importing that file costs at most 5 s more than a plain
import of the same text. Every command runs as a user runs it (a fresh process), with its wall time and peak
memory; runs are interleaved and the fastest of each kind counts. Built projects are cached under benchmarks/work/.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
BIN = Path(sys.executable).parent
WORDS = 5000
CODES = 300
CODERS = ("anna", "bo", "cecilia")


def _measure(cmd: list[str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), *cmd], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout)
    if result["status"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {result['stderr']}")
    return result


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def _ppss(project: Path, *args: str) -> list[str]:
    return [str(BIN / "ppss-qual"), "--project", str(project), *args]


def _import_qdpx(project: Path, qdpx: Path) -> list[str]:
    """The call `ppss-qual import FILE.qdpx` makes (a fresh process, as the CLI would be), until the
    import command hands .qdpx files to it."""
    code = (
        "import sys; from pathlib import Path; from ppss_qual.project import Project\n"
        "with Project.open(Path(sys.argv[1]), coder='bench') as p:\n"
        "    r = p.refi.import_qdpx(Path(sys.argv[2]))\n"
        "    sys.exit(1 if r.not_imported else 0)"
    )
    return [sys.executable, "-c", code, str(project), str(qdpx)]


def build(count: int, codings: int) -> tuple[Path, Path]:
    """The coded project (cached) and the folder of its transcripts."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parent))
    from corpus import write_corpus

    from ppss_qual.project import Project
    from ppss_qual.store import codes as code_store
    from ppss_qual.store.changes import Recorder

    folder = WORK / f"corpus-{count}x{WORDS}"
    write_corpus(folder, count, WORDS)
    path = WORK / f"refi-{count}x{codings}.db"
    stamp = Path(str(path) + ".done")
    if path.exists() and stamp.exists():
        return path, folder
    _fresh(path)
    with Project.open(path, coder="bench") as project:
        report = project.import_paths([folder])
        if report.failed:
            raise RuntimeError(report.failed[0].error)
        rng = random.Random(7)
        with project.store.write() as conn:
            rec = Recorder(conn)
            themes = [
                code_store.insert_code(rec, {"name": f"Tema {t}", "name_en": f"Theme {t}"}, "bench", None, t)
                for t in range(CODES // 10)
            ]
            code_ids = [
                code_store.insert_code(
                    rec,
                    {
                        "name": f"Kod {i}",
                        "name_en": f"Code {i}",
                        "definition": f"Definition av kod {i}.",
                        "use_when": "När eleven talar om det.",
                        "colour": f"#{rng.randrange(0x1000000):06X}",
                        "keywords": ["lyssna", "skola"],
                    },
                    "bench",
                    themes[i % len(themes)],
                    i,
                )
                for i in range(CODES - len(themes))
            ]
            for coder in CODERS:
                code_store.ensure_coder(conn, rec, coder)
            turns = conn.execute(
                'SELECT u.transcript_id, u.start, u."end" FROM turns u WHERE u."end" - u.start > 20'
            ).fetchall()
            texts = dict(conn.execute("SELECT id, text FROM transcripts").fetchall())
            seen: set[tuple[int, int, str, int, int]] = set()
            rows = []
            while len(rows) < codings:
                tid, start, end = rng.choice(turns)
                a = rng.randrange(start, end - 10)
                b = min(end, a + rng.randrange(10, 400))
                key = (tid, rng.choice(code_ids), rng.choice(CODERS), a, b)
                if key not in seen:
                    seen.add(key)
                    rows.append((*key, texts[tid][a:b]))
            code_store.insert_codings(rec, rows)
            rec.log("bench", "code", f"{len(rows)} benchmark codings")
    stamp.touch()
    return path, folder


def run(quick: bool) -> list[dict[str, Any]]:
    count, codings = (40, 15_000) if quick else (400, 150_000)
    WORK.mkdir(parents=True, exist_ok=True)
    project, folder = build(count, codings)
    size = f"{count} × {WORDS} words, {codings:,} codings"
    qdpx = WORK / f"refi-{count}x{codings}.qdpx"

    # This machine is shared: runs are interleaved and the fastest of each kind is taken, so that a
    # burst of someone else's work falls on neither side alone.
    runs = 2 if quick else 3
    exports, plains, imports = [], [], []
    for _ in range(runs):
        exports.append(_measure(_ppss(project, "export", "qdpx", "--out", str(qdpx), "--real-names")))
        plains.append(
            _measure(_ppss(_fresh(WORK / "refi-plain.db"), "import", str(folder), "--format", "json"))
        )
        imports.append(_measure(_import_qdpx(_fresh(WORK / "refi-imported.db"), qdpx)))
    export, plain, imported = (min(r, key=lambda m: m["seconds"]) for r in (exports, plains, imports))
    spread = (
        ", ".join(f"{m['seconds']:.1f}" for m in imports)
        + " vs "
        + ", ".join(f"{m['seconds']:.1f}" for m in plains)
    )
    extra = imported["seconds"] - plain["seconds"]
    mb = qdpx.stat().st_size / 1024 / 1024
    return [
        {
            "name": "REFI export (.qdpx)",
            "size": size,
            "value": round(export["seconds"], 2),
            "unit": "s",
            "target": "< 10 s at 400 × 150,000 (qc: 20 s)",
            "met": export["seconds"] < 10 if not quick else None,
            "peak_mb": round(export["peak_mb"]),
            "note": f"fastest of {runs} ("
            + ", ".join(f"{m['seconds']:.1f}" for m in exports)
            + f" s); validated; "
            f"{mb:.0f} MB archive",
        },
        {
            "name": "REFI import (.qdpx) beyond a plain import",
            "size": size,
            "value": round(extra, 2),
            "unit": "s",
            "target": "<= 5 s more than a plain import (qc: 194 s)",
            "met": extra <= 5 if not quick else None,
            "peak_mb": round(imported["peak_mb"]),
            "note": f"fastest of {runs}: qdpx import {imported['seconds']:.1f} s, plain import of the same "
            f"text {plain['seconds']:.1f} s (all runs: {spread} s)",
        },
    ]


if __name__ == "__main__":
    print(json.dumps(run("--quick" in sys.argv), indent=2, ensure_ascii=False))
