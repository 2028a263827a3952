"""Word export: 10,000 excerpts into the .docx report (target under 10 s), and the excerpt table."""

from __future__ import annotations

import json
import sys
from typing import Any

from common import WORK, coded_project, figure, peak_mb, warm


def run(quick: bool) -> list[dict[str, Any]]:
    from ppss_qual.exports.report import ReportOptions
    from ppss_qual.project import Project

    # Two coders agree on part of the passages, which the report counts once: 14,000 codings give
    # a little over 10,000 distinct quotes.
    excerpts = 2_800 if quick else 14_000
    path = coded_project(20 if quick else 100, 5000, 30, excerpts)
    out = WORK / "bench-report.docx"
    figures = []
    with Project.open(path, create=False, coder="bench") as project:
        options = ReportOptions(max_excerpts=excerpts, network=False)
        seconds, summary = warm(lambda: project.export_report(out, options))
        figures.append(
            figure(
                "Word report",
                f"{summary.quotes:,} quotes",
                round(seconds, 2),
                "s",
                "10,000 excerpts < 10 s",
                seconds < 10 if summary.quotes >= 10_000 else None,
                round(peak_mb()),
                f"{out.stat().st_size / 1e6:.1f} MB .docx, names replaced",
            )
        )
        table = WORK / "bench-excerpts.xlsx"
        seconds, n = warm(lambda: project.export_excerpts(table))
        figures.append(
            figure(
                "excerpt table (.xlsx)",
                f"{n:,} excerpts",
                round(seconds, 2),
                "s",
                "—",
                None,
                round(peak_mb()),
            )
        )
    return figures


if __name__ == "__main__":
    print(json.dumps(run("--quick" in sys.argv), indent=2))
