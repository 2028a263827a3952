"""REFI-QDA commands: `export qdpx` (on the export group), and for `import FILE.qdpx` the report printer.

The `refi` group (`refi import FILE.qdpx`, `refi check FILE`) is ready here but not registered: a new
top-level name belongs in README.md first (tests/cli/test_contract.py checks that every one is there).
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ppss_qual.cli.commands_codes import export
from ppss_qual.cli.context import CliContext, coder_option, pass_cli
from ppss_qual.cli.output import emit, format_option, warn
from ppss_qual.errors import PpssError

if TYPE_CHECKING:
    from ppss_qual.project import Project

UNITS = ("codepoints", "utf16")
_LISTED = 20  # lines of a list printed in a table before "... and N more"

offsets_option = click.option(
    "--offsets",
    type=click.Choice(UNITS),
    default=None,
    help="The file's offset unit (default: detected per file; NVivo writes utf16).",
)


def _listed(title: str, lines: list[str]) -> None:
    if not lines:
        return
    click.echo(f"{title} ({len(lines)}):")
    for line in lines[:_LISTED]:
        click.echo(f"  {line}")
    if len(lines) > _LISTED:
        click.echo(f"  … and {len(lines) - _LISTED} more (--format json lists them all)")


def show_import_report(report: Any, fmt: str) -> None:
    """Print a .qdpx ImportReport: a summary, what was not imported, and warnings."""
    if fmt != "table":
        emit([asdict(report)], [], "json", one=True)
        return
    for line in report.warnings:
        warn(line)
    emit(report.transcripts, ["name", "words", "turns"], "table")
    click.echo(
        f"{report.path}: {len(report.transcripts)} transcripts added"
        + (f", {len(report.matched)} already in the project" if report.matched else "")
        + f", {report.codes_added} codes added ({report.codes_matched} matched), {report.codings} codings"
        + (f" ({report.duplicates} already there)" if report.duplicates else "")
        + f", {report.memos} memos, {report.participants} participants"
    )
    click.echo(f"offsets: {report.unit} ({report.unit_reason})")
    if report.unverified:
        click.echo(
            f"{len(report.unverified)} selection(s) carry no text of their own: their text was taken at their "
            f"offsets in {report.unit} (--format json lists each)"
        )
    _listed("not imported", report.not_imported)


def import_qdpx_files(
    project: Project, paths: list[Path], *, offsets: str | None, fmt: str, workers: int | None = None
) -> bool:
    """Import .qdpx files one by one (each in one transaction); False when any failed."""
    ok = True
    for path in paths:
        try:
            report = project.refi.import_qdpx(path, offsets=offsets, workers=workers)
        except PpssError as exc:
            click.echo(f"error: {exc}", err=True)
            ok = False
            continue
        show_import_report(report, fmt)
    return ok


@export.command("qdpx")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.qdpx")
@click.option(
    "--offsets",
    type=click.Choice(UNITS),
    default="codepoints",
    show_default=True,
    help="codepoints (the standard) or utf16 (for NVivo: an emoji counts 2).",
)
@click.option(
    "--real-names", is_flag=True, help="Keep real names (for the key-holder); by default they are replaced."
)
@format_option
@coder_option
@pass_cli
def export_qdpx(
    ctx: CliContext, out: Path, offsets: str, real_names: bool, fmt: str, coder: str | None
) -> None:
    """The whole project as REFI-QDA (.qdpx) for NVivo, ATLAS.ti, MAXQDA; validated before it is written."""
    report = ctx.project(coder=coder).refi.export_qdpx(out, offsets=offsets, real_names=real_names)
    for line in report.warnings:
        warn(line)
    if fmt != "table":
        emit([asdict(report)], [], "json", one=True)
        return
    click.echo(
        f"{out}: {report.transcripts} transcripts, {report.codes} codes, {report.codings} codings, "
        f"{report.memos} memos, {report.cases} cases; offsets in {offsets}, "
        f"{'real names' if real_names else 'names replaced'} ({report.bytes:,} bytes, {report.seconds:.1f} s)"
    )


@click.group()
def refi() -> None:
    """REFI-QDA files: import a .qdpx project, check a .qdpx or .qdc file."""


@refi.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@offsets_option
@click.option("--workers", type=int, default=None, help="Processes for analysis (default: one per core).")
@format_option
@coder_option
@pass_cli
def refi_import(
    ctx: CliContext,
    files: tuple[Path, ...],
    offsets: str | None,
    workers: int | None,
    fmt: str,
    coder: str | None,
) -> None:
    """Import .qdpx projects (into a new or an existing project), each in one undoable transaction."""
    project = ctx.project(write=True, coder=coder)
    if not import_qdpx_files(project, list(files), offsets=offsets, fmt=fmt, workers=workers):
        sys.exit(1)


@refi.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@format_option
def refi_check(file: Path, fmt: str) -> None:
    """Check a .qdpx or .qdc against the REFI-QDA schema and for unique GUIDs; show a project's offset unit."""
    from ppss_qual.refi.service import check_file

    result = check_file(file)
    if fmt != "table":
        emit([result], [], "json", one=True)
    else:
        state = "valid" if result["valid"] else "NOT valid"
        click.echo(
            f"{file}: a REFI-QDA {result['kind']} from {result.get('origin') or 'an unnamed program'}: {state}"
        )
        _listed("problems", result["problems"])
        if result["kind"] == "project":
            click.echo(
                f"{result['text_sources']} text source(s) of {result['sources']}, {result['selections']} selection(s); "
                f"offsets: {result['offsets']} ({result['offsets_reason']})"
            )
            _listed("not importable", result["not_importable"])
    if not result["valid"]:
        sys.exit(1)


COMMANDS: list[click.Command] = [refi]  # `export qdpx` registers itself on the export group above
