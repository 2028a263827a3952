"""Commands for the project file, transcripts, search, participants and undo."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ppss_qual.cli.context import CliContext, coder_option, pass_cli
from ppss_qual.cli.output import emit, format_option, warn
from ppss_qual.model import Role


@click.command()
@pass_cli
def init(ctx: CliContext) -> None:
    """Create an empty project file (or check an existing one)."""
    existed = ctx.path.exists()
    project = ctx.project(write=True)
    state = "already a project" if existed else "created"
    click.echo(f"{ctx.path}: {state} ({len(project.transcripts())} transcripts)")


def _parse_role(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Role | None:
    if value is None:
        return None
    try:
        return Role.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--role", callback=_parse_role, help="Role of the non-interviewer speakers (pupil, parent, …).")
@click.option(
    "--lang", type=click.Choice(["sv", "en"]), default=None, help="Language (detected when not given)."
)
@click.option("--force", is_flag=True, help="Import a text the project already has again, under a new name.")
@click.option("--workers", type=int, default=None, help="Processes for analysis (default: one per core).")
@click.option(
    "--offsets",
    type=click.Choice(["codepoints", "utf16"]),
    default=None,
    help="For .qdpx: the file's offset unit (default: detected per file; NVivo writes utf16).",
)
@format_option
@coder_option
@pass_cli
def import_(
    ctx: CliContext,
    paths: tuple[Path, ...],
    role: Role | None,
    lang: str | None,
    force: bool,
    workers: int | None,
    offsets: str | None,
    fmt: str,
    coder: str | None,
) -> None:
    """Import transcripts (txt md docx vtt srt; files or folders; .qdpx projects); one transaction per file."""
    project = ctx.project(write=True, coder=coder)
    qdpx = [p for p in paths if p.suffix.lower() == ".qdpx"]
    paths = tuple(p for p in paths if p.suffix.lower() != ".qdpx")
    qdpx_ok = True
    if qdpx:
        from ppss_qual.cli.commands_refi import import_qdpx_files

        qdpx_ok = import_qdpx_files(project, qdpx, offsets=offsets, fmt=fmt, workers=workers)
        if not paths:
            sys.exit(0 if qdpx_ok else 1)
    started = time.perf_counter()
    show_progress = sys.stderr.isatty() and fmt == "table"

    def progress(done: int, total: int, path: str) -> None:
        if show_progress:
            width = 30
            filled = int(width * done / max(total, 1))
            click.echo(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {Path(path).name[:40]:<40}",
                err=True,
                nl=False,
            )

    report = project.import_paths(
        list(paths), role=role, language=lang, force=force, progress=progress, workers=workers
    )
    if show_progress:
        click.echo("", err=True)
    seconds = time.perf_counter() - started
    rows = [
        {
            "path": f.path,
            "transcript": f.transcript,
            "id": f.transcript_id,
            "words": f.words,
            "turns": f.turns,
            "sentences": f.sentences,
            "status": "imported" if f.error is None else "failed",
            "error": f.error,
            "warnings": f.warnings,
        }
        for f in report.files
    ]
    for note in report.skipped:
        warn(f"skipped {note}")
    for f in report.files:
        for w in f.warnings:
            warn(f"{f.path}: {w}" if not w.startswith(f.path) else w)
        if f.error:
            click.echo(f"error: {f.error}", err=True)
    if fmt == "table":
        emit(
            [r for r in rows if r["status"] == "imported"], ["transcript", "words", "turns", "sentences"], fmt
        )
        rate = report.words / seconds if seconds > 0 else 0
        click.echo(
            f"{len(report.imported)} imported ({report.words:,} words in {seconds:.1f} s, {rate:,.0f} words/s), "
            f"{len(report.failed)} failed, {len(report.skipped)} skipped"
        )
    else:
        emit(rows, ["path", "transcript", "id", "words", "turns", "sentences", "status", "error"], fmt)
    if report.failed or not qdpx_ok:
        sys.exit(1)


@click.command()
@format_option
@pass_cli
def transcripts(ctx: CliContext, fmt: str) -> None:
    """List the transcripts: words, turns, speakers and how much is coded."""
    rows = ctx.project().transcripts()
    for r in rows:
        r["coded"] = f"{r['coded_share'] * 100:.0f}%"
    emit(rows, ["id", "name", "language", "words", "turns", "speakers", "coded"], fmt)


@click.command()
@click.argument("transcript")
@format_option
@pass_cli
def show(ctx: CliContext, transcript: str, fmt: str) -> None:
    """Show a transcript: its turns with speakers, roles, lines and times."""
    data = ctx.project().show(transcript)
    if fmt == "json":
        emit([data], [], fmt, one=True)
    elif fmt == "csv":
        emit(
            data["turns"],
            ["number", "line", "speaker", "role", "start", "end", "time_start_ms", "time_end_ms", "text"],
            fmt,
        )
    else:
        click.echo(
            f"{data['name']}  ({data['language']}, {data['words']} words, {len(data['turns'])} turns, "
            f"{len(data['sentences'])} sentences)\n"
        )
        for t in data["turns"]:
            when = f" [{_clock(t['time_start_ms'])}]" if t["time_start_ms"] is not None else ""
            who = t["speaker"] or "(unnamed)"
            role = f" ({Role(t['role']).swedish})" if t["role"] else ""
            click.echo(f"turn {t['number']:<4} line {t['line']:<5} {who}{role}{when}: {t['text']}\n")


def _clock(ms: int) -> str:
    s = ms // 1000
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


@click.command()
@click.argument("text")
@click.option("--transcript", default=None, help="Search only this transcript.")
@click.option("--limit", type=int, default=None, help="At most this many hits.")
@format_option
@pass_cli
def search(ctx: CliContext, text: str, transcript: str | None, limit: int | None, fmt: str) -> None:
    """Search every transcript on lemmas: "lyssna" finds lyssnade, lyssnar and lyssnad."""
    rows = ctx.project().search(text, transcript=transcript, limit=limit)
    emit(rows, ["transcript", "line", "speaker", "match", "sentence"], fmt)
    if fmt == "table":
        click.echo(f"{len(rows)} hits")


@click.group(invoke_without_command=True)
@format_option
@click.pass_context
def participants(click_ctx: click.Context, fmt: str) -> None:
    """List participants with their roles and attributes; `participants import SHEET.csv` sets them."""
    if click_ctx.invoked_subcommand is None:
        ctx: CliContext = click_ctx.obj
        rows = ctx.project().participants()
        emit(rows, ["id", "display", "role_sv", "pseudonym", "transcripts", "turns", "attributes"], fmt)


@participants.command("import")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@coder_option
@pass_cli
def participants_import(ctx: CliContext, sheet: Path, coder: str | None) -> None:
    """Read a participant sheet (CSV: transcript, speaker, participant, role, then any attributes)."""
    report = ctx.project(write=True, coder=coder).import_participants(sheet)
    for w in report.warnings:
        warn(w)
    click.echo(f"{sheet}: {report.updated} speakers linked, {report.created} participants created")


@click.command()
@coder_option
@pass_cli
def undo(ctx: CliContext, coder: str | None) -> None:
    """Undo your own most recent change (also after a restart)."""
    event = ctx.project(write=True, coder=coder).undo()
    click.echo(f"undone: {event.summary}")


@click.command()
@coder_option
@pass_cli
def redo(ctx: CliContext, coder: str | None) -> None:
    """Make again the change you undid most recently."""
    event = ctx.project(write=True, coder=coder).redo()
    click.echo(f"redone: {event.summary}")


@click.command()
@click.option("--limit", type=int, default=50, show_default=True)
@format_option
@pass_cli
def log(ctx: CliContext, limit: int, fmt: str) -> None:
    """The audit trail: every change, who made it and when."""
    emit(ctx.project().history(limit), ["id", "at", "coder", "action", "summary", "status"], fmt)


COMMANDS = [init, import_, transcripts, show, search, participants, undo, redo, log]


@click.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("demo/ppss-demo.db"),
    show_default=True,
    help="Where to write the demo project (replaced when it exists).",
)
@click.option(
    "--transcripts",
    "transcripts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("transcripts"),
    show_default=True,
)
@click.option(
    "--codebook",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("codebooks/ppss.yaml"),
    show_default=True,
)
def demo(out: Path, transcripts_dir: Path, codebook: Path) -> None:
    """Build the demo project from the bundled fictional transcripts, codebook and codings."""
    from ppss_qual.demo import build_demo

    out.parent.mkdir(parents=True, exist_ok=True)
    report = build_demo(
        out,
        transcripts=transcripts_dir,
        codebook=codebook,
        sheet=transcripts_dir / "participants.csv",
        codings=transcripts_dir / "demo-codings.yaml",
    )
    for w in report.warnings:
        warn(w)
    click.echo(f"{out}: {report.transcripts} transcripts, {report.codes} codes, {report.codings} codings")


COMMANDS.append(demo)
