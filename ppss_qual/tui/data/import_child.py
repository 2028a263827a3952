"""The import child process's entry point: kept free of Textual so that the child starts light."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def import_in_child(project_path: str, coder: str, paths: list[str], out: Any) -> None:
    """The child process: import `paths` into the project, putting progress and the summary on `out`."""
    try:
        from ppss_qual.project import Project

        with Project.open(Path(project_path), coder=coder) as project:
            report = project.import_paths(
                [Path(p) for p in paths],
                progress=lambda done, total, path: out.put(("progress", done, total, path)),
            )
        out.put(
            (
                "done",
                {
                    "imported": [(f.path, f.transcript or "", f.words) for f in report.imported],
                    "failed": [(f.path, f.error or "") for f in report.failed],
                    "skipped": list(report.skipped),
                    "warnings": [f"{f.path}: {w}" for f in report.imported for w in f.warnings],
                },
            )
        )
    except BaseException as exc:  # the parent must hear of any failure, whatever it is
        out.put(("error", f"{type(exc).__name__}: {exc}"))
