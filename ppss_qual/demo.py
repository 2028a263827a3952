"""Build the demo project from the bundled fictional transcripts, participant sheet, codebook and codings."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ppss_qual.coding.operations import Selector
from ppss_qual.errors import InputError, PpssError
from ppss_qual.project import Project


@dataclass(slots=True)
class DemoReport:
    transcripts: int = 0
    codes: int = 0
    codings: int = 0
    warnings: list[str] = field(default_factory=list)


def read_demo_codings(path: Path) -> list[dict[str, Any]]:
    """The hand-made demo codings: a list of {transcript, code, match | turn | sentence, coders, memo?}."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(str(path), f"not valid YAML ({exc})", line=mark.line + 1 if mark else None) from None
    entries = (data or {}).get("codings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(str(path), "expected a mapping with a list under `codings:`")
    return entries


def build_demo(
    out: Path, *, transcripts: Path, codebook: Path, sheet: Path | None, codings: Path | None
) -> DemoReport:
    """Build into a temporary file and move it into place, so a failed build leaves no half project."""
    tmp = out.with_name(out.name + ".building")
    _remove(tmp)
    report = DemoReport()
    with Project.open(tmp, coder="demo") as project:
        imported = project.import_paths([transcripts])
        for f in imported.failed:
            raise PpssError(f"demo transcript failed: {f.error}")
        report.transcripts = len(imported.imported)
        if sheet is not None and sheet.exists():
            report.warnings += project.import_participants(sheet).warnings
        if codebook.exists():
            result = project.codebook.import_file(codebook)
            report.codes = len(result.added)
            report.warnings += result.warnings
        if codings is not None and codings.exists():
            report.codings = _apply_codings(project, codings, report)
    _remove(out)
    tmp.replace(out)
    return report


def _apply_codings(project: Project, path: Path, report: DemoReport) -> int:
    n = 0
    for i, entry in enumerate(read_demo_codings(path), 1):
        if not isinstance(entry, dict):
            raise InputError(str(path), f"entry {i} is not a mapping")
        selector = Selector(
            match=entry.get("match"),
            first=bool(entry.get("first")),
            sentence=entry.get("sentence"),
            turn=entry.get("turn"),
        )
        for coder in entry.get("coders") or ["demo"]:
            try:
                ids = project.codings.code(entry["transcript"], entry["code"], selector, coder=coder)
            except (PpssError, KeyError) as exc:
                raise InputError(str(path), f"entry {i}: {exc}") from None
            n += len(ids)
            memo = entry.get("memo")
            if memo and coder == (entry.get("coders") or ["demo"])[0]:
                saved = project.coder
                project.coder = coder
                project.codings.add_memo(f"coding:{ids[0]}", memo)
                project.coder = saved
    return n


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(str(path) + suffix)
        except FileNotFoundError:
            pass
