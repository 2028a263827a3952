"""Shared pieces of the benchmarks: building corpus projects with codes and codings, timing, memory."""

from __future__ import annotations

import random
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402


def figure(
    name: str,
    size: str,
    value: float,
    unit: str,
    target: str,
    met: bool | None,
    peak_mb: float | None = None,
    note: str = "",
) -> dict[str, Any]:
    return {
        "name": name,
        "size": size,
        "value": value,
        "unit": unit,
        "target": target,
        "met": met,
        "peak_mb": peak_mb,
        "note": note,
    }


def peak_mb() -> float:
    """This process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm(fn: Callable[[], Any], runs: int = 2) -> tuple[float, Any]:
    """Seconds of the last of `runs` calls (warm), and its result."""
    result = None
    seconds = 0.0
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
    return seconds, result


def coded_project(transcripts: int, words: int, codes: int, codings: int, seed: int = 7) -> Path:
    """A project file with a generated corpus, `codes` codes in themes of ten, and `codings` codings
    aligned to sentences and turns with a Zipf-like skew over codes and some overlap; cached by size."""
    from ppss_qual.project import Project
    from ppss_qual.store.changes import Recorder
    from ppss_qual.store.codes import insert_codings

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"coded-{transcripts}x{words}-{codes}c-{codings}k.db"
    if path.exists():
        return path
    folder = WORK / f"corpus-{transcripts}x{words}"
    write_corpus(folder, transcripts, words)
    building = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    rng = random.Random(seed)
    with Project.open(building, coder="bench") as project:
        report = project.import_paths([folder])
        assert not report.failed, report.failed[0].error
        conn = project.conn
        with project.store.write() as c:
            rec = Recorder(c)
            code_ids = [_add_code(rec, i, project.coder) for i in range(codes)]
            rec.log(project.coder, "bench", f"{codes} codes")
        sentences = conn.execute('SELECT transcript_id, start, "end", turn FROM sentences').fetchall()
        turns = {
            (t, n): (s, e)
            for t, n, s, e in conn.execute('SELECT transcript_id, number, start, "end" FROM turns')
        }
        texts = dict(conn.execute("SELECT id, text FROM transcripts"))
        weights = [1 / (r + 1) ** 0.8 for r in range(len(code_ids))]
        rows = []
        seen = set()
        while len(rows) < codings:
            tid, s, e, turn = rng.choice(sentences)
            if rng.random() < 0.2:
                s, e = turns[(tid, turn)]
            code = rng.choices(code_ids, weights)[0]
            coder = "anna" if rng.random() < 0.6 else "bertil"
            key = (tid, code, coder, s, e)
            if key in seen:
                continue
            seen.add(key)
            rows.append((tid, code, coder, s, e, texts[tid][s:e]))
        with project.store.write() as c:
            rec = Recorder(c)
            insert_codings(rec, rows)
            rec.log(project.coder, "bench", f"{len(rows)} codings")
    shutil.move(str(building), str(path))
    return path


def _add_code(rec: Any, i: int, coder: str) -> int:
    """Codes in themes of ten: code 0 of each ten is the theme, the others its codes."""
    from ppss_qual.store.codes import insert_code

    parent = (
        None
        if i % 10 == 0
        else rec.conn.execute("SELECT id FROM codes WHERE name = ?", (f"Tema {i // 10 + 1}",)).fetchone()[0]
    )
    name = f"Tema {i // 10 + 1}" if i % 10 == 0 else f"Kod {i // 10 + 1}.{i % 10}"
    colour = f"#{60 + (i * 37) % 180:02X}{60 + (i * 71) % 180:02X}{60 + (i * 113) % 180:02X}"
    return insert_code(
        rec,
        {"name": name, "name_en": f"{name} (en)", "definition": f"Definition av {name}.", "colour": colour},
        coder,
        parent,
        i,
    )
