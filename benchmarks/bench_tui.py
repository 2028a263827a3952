"""The TUI driven by Pilot on a 100,000-word transcript: opening it, and keystroke and coding latency."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from common import HERE, figure


def run(quick: bool) -> list[dict[str, Any]]:
    # Its own process, so that its peak memory is the TUI's alone. The transcript stays at 100,000 words
    # (the target's size) in quick mode too; fewer keys are timed.
    extra = ["--keys", "100", "--codings", "10"] if quick else []
    out = subprocess.run(
        [sys.executable, str(HERE / "tui_latency.py"), *extra],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    size = f"1 transcript of {r.get('words', 100_000):,} words"
    return [
        figure(
            "TUI: open a transcript",
            size,
            round(r["open_s"], 3),
            "s",
            "< 1 s",
            r["open_s"] < 1,
            r.get("peak_mb"),
        ),
        figure(
            "TUI: cursor move drawn (p95)",
            size,
            round(r["key_p95_ms"], 1),
            "ms",
            "< 50 ms",
            r["key_p95_ms"] < 50,
            None,
            "press to the next completed refresh, driven by Pilot",
        ),
        figure(
            "TUI: coding drawn (p95)",
            size,
            round(r["code_p95_ms"], 1),
            "ms",
            "< 50 ms",
            r["code_p95_ms"] < 50,
            None,
            "select a sentence, a number key applies a recent code",
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(run("--quick" in sys.argv), indent=2))
