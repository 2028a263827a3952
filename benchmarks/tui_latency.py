"""Workbench latency: open a 100,000-word transcript, then time cursor moves and codings, headless.

Prints JSON on stdout: {"open_s", "key_p95_ms", "code_p95_ms", "peak_mb", ...}.

What is measured, exactly:
- open_s: from posting Enter on the home table to the transcript view having drawn its first rows
  (the screen's first repaint after the document, its layout and its codings are in place).
- key_*_ms: per keystroke, from posting the key event to the app (as the terminal driver does) until
  the key's effect is in the view (the cursor or selection changed) and the screen has repainted after
  it (`Widget.wait_for_refresh`). Textual batches repaints on a frame timer (up to 60 per second), so a
  figure includes up to one frame of waiting.
- key_pilot_p95_ms: the same keys through `await pilot.press(key)` followed by `await pilot.pause()`;
  Pilot's idle detection sleeps in 20 ms steps, so this figure is an upper bound, not the latency.
- code_p95_ms: select a sentence (s) then a number key that applies a recent code: the time of the
  number key, from posting it until the new coding is drawn (one write transaction with
  synchronous=FULL, re-reading the transcript's codings, and the repaint).
- code_write_*_ms: the part of that spent in the facade's write (`project.codings.code`, one
  BEGIN IMMEDIATE ... COMMIT with synchronous=FULL, so an fsync of the WAL: the disk sets this part).
- peak_mb: the process's peak resident memory (resource.getrusage maxrss).

Run: .venv/bin/python benchmarks/tui_latency.py [--words 100000] [--keys 200] [--codings 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import transcript  # noqa: E402
from textual import events  # noqa: E402

from ppss_qual.project import Project  # noqa: E402
from ppss_qual.tui.app import create_app  # noqa: E402
from ppss_qual.tui.screens.transcript import TranscriptScreen  # noqa: E402
from ppss_qual.tui.widgets.transcript_view import TranscriptView  # noqa: E402

KEYS = {".": "full_stop", ",": "comma"}
MOVES = "wwwwwbbwwjjkj..,.wwjjwwww"  # words, turns and sentences, forward mostly, some back


def build(folder: Path, words: int) -> None:
    source = folder / "lang_intervju.txt"
    source.write_text(transcript(0, words), encoding="utf-8")
    path = folder / "bench.db"
    with Project.open(path, coder="bench") as project:
        report = project.import_paths([source], workers=1)
        assert not report.failed, report.failed
        project.codebook.add("Tema")
        for n in range(1, 10):
            project.codebook.add(f"Kod {n}", parent="Tema")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


async def timed_key(app: Any, view: TranscriptView, key: str, done: Callable[[], bool]) -> float:
    """Milliseconds from posting `key` until `done()` holds and the screen has repainted."""
    start = time.perf_counter()
    app.post_message(events.Key(KEYS.get(key, key), key if len(key) == 1 else None))
    while not done():
        await asyncio.sleep(0)
        if time.perf_counter() - start > 10:
            raise TimeoutError(f"key {key!r} had no effect")
    await view.wait_for_refresh()
    return (time.perf_counter() - start) * 1000


async def drive(path: Path, keys: int, codings: int) -> dict[str, Any]:
    app = create_app(path, "bench")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

        start = time.perf_counter()
        app.post_message(events.Key("enter", "\r"))
        while not (isinstance(app.screen, TranscriptScreen) and app.screen.loaded):
            await asyncio.sleep(0.001)
        view = app.screen.query_one(TranscriptView)
        await view.wait_for_refresh()
        open_s = time.perf_counter() - start

        def moved(before: tuple[int, Any]) -> Callable[[], bool]:
            return lambda: (view.caret.cursor, view.caret.span()) != before  # type: ignore[union-attr]

        times = []
        for i in range(keys):
            key = MOVES[i % len(MOVES)]
            times.append(await timed_key(app, view, key, moved((view.caret.cursor, view.caret.span()))))

        pilot_times = []
        for i in range(40):
            t = time.perf_counter()
            await pilot.press(KEYS.get(MOVES[i % len(MOVES)], MOVES[i % len(MOVES)]))
            await pilot.pause()
            pilot_times.append((time.perf_counter() - t) * 1000)

        app.session.recent = [f"Kod {n}" for n in range(1, 10)]
        write_times: list[float] = []
        write = app.session.code

        def timed_write(*args: Any) -> list[int]:
            started = time.perf_counter()
            try:
                return write(*args)
            finally:
                write_times.append((time.perf_counter() - started) * 1000)

        app.session.code = timed_write  # type: ignore[method-assign]
        code_times = []
        for i in range(codings):
            await pilot.press("j", "s")
            count = len(view.marks)
            code_times.append(await timed_key(app, view, str(1 + i % 9), lambda n=count: len(view.marks) > n))
        lines = len(view.wrapped) if view.wrapped else 0
    return {
        "open_s": round(open_s, 3),
        "key_p95_ms": round(p95(times), 1),
        "key_median_ms": round(statistics.median(times), 1),
        "key_pilot_p95_ms": round(p95(pilot_times), 1),
        "code_p95_ms": round(p95(code_times), 1),
        "code_median_ms": round(statistics.median(code_times), 1),
        "code_write_p95_ms": round(p95(write_times), 1),
        "code_write_median_ms": round(statistics.median(write_times), 1),
        "display_rows": lines,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--codings", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp  # no personal key map or coder name in the way
        # built in a child process, so that the language model loaded for the import is not in peak_mb
        builder = multiprocessing.get_context("spawn").Process(target=build, args=(Path(tmp), args.words))
        builder.start()
        builder.join()
        if builder.exitcode != 0:
            raise SystemExit(f"building the benchmark project failed (exit {builder.exitcode})")
        result = asyncio.run(drive(Path(tmp) / "bench.db", args.keys, args.codings))
    result["words"] = args.words
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
