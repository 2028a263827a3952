"""Commands for team work: coders, done marks, agreement, disagreements and settling them, merging copies."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Any

import click

from ppss_qual.cli.context import CliContext, coder_option, pass_cli
from ppss_qual.cli.output import emit, format_option, warn

UNIT_CHOICES = ("char", "sentence", "turn")


def _names(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


@click.command()
@format_option
@pass_cli
def coders(ctx: CliContext, fmt: str) -> None:
    """Coders with their codings, transcripts coded and transcripts marked done."""
    emit(
        ctx.project().team.coders(),
        ["coder", "codings", "transcripts_coded", "done", "done_transcripts"],
        fmt,
    )


@click.command()
@click.argument("transcript")
@click.option("--undo", "take_back", is_flag=True, help="Take the done mark off again.")
@coder_option
@pass_cli
def done(ctx: CliContext, transcript: str, take_back: bool, coder: str | None) -> None:
    """Mark TRANSCRIPT as done by a coder: where they coded nothing, that now counts as 'not coded'.

    Without a done mark (and without a coding), a coder's values in a transcript are missing in
    `agreement`. Undoable with `ppss-qual undo`; --undo takes the mark off as a new change.
    """
    project = ctx.project(write=True, coder=coder)
    who = project.coder
    if take_back:
        changed = project.team.unmark_done(transcript, coder=who)
        click.echo(
            f"{transcript}: done mark of {who} taken off"
            if changed
            else f"{transcript}: {who} had no done mark"
        )
    else:
        changed = project.team.mark_done(transcript, coder=who)
        click.echo(
            f"{transcript}: marked done by {who}"
            if changed
            else f"{transcript}: already marked done by {who}"
        )


AGREEMENT_COLUMNS = ["code", "percent_agreement", "kappa", "alpha", "units"]
TABLE_COUNTS = ["both", "only_a", "only_b", "neither"]


@click.command()
@click.option("--coders", "coder_list", required=True, help="Two or more coders, comma-separated: A,B[,C].")
@click.option(
    "--unit",
    type=click.Choice(UNIT_CHOICES),
    default="char",
    show_default=True,
    help="Characters (NVivo's kappa), sentences or turns; a unit is coded when any of its characters is.",
)
@click.option(
    "--codes", "code_list", default=None, help="Only these codes, comma-separated (default: all used)."
)
@click.option("--transcript", "transcripts", multiple=True, help="Only this transcript (repeatable).")
@click.option(
    "--speech-only",
    is_flag=True,
    help="With --unit char: count only the turns' speech, not speaker labels and blank lines.",
)
@format_option
@pass_cli
def agreement(
    ctx: CliContext,
    coder_list: str,
    unit: str,
    code_list: str | None,
    transcripts: tuple[str, ...],
    speech_only: bool,
    fmt: str,
) -> None:
    """Agreement per code and pooled: percent agreement, Cohen's kappa (two coders), Krippendorff's alpha.

    A coder's values are missing in a transcript they have not coded (no coding there, no done mark);
    kappa compares only transcripts both coders coded, alpha treats the rest as missing. The pooled row
    (code empty) adds up the tables of all codes and transcripts. percent_agreement is 0 to 100.
    """
    names = _names(coder_list)
    rows = ctx.project().team.agreement(
        names,
        unit=unit,
        codes=_names(code_list) if code_list else None,
        transcripts=list(transcripts) or None,
        speech_only=speech_only,
    )
    columns = AGREEMENT_COLUMNS + (TABLE_COUNTS if len(names) == 2 else [])
    if not rows[-1]["transcripts"]:
        warn(
            f"no transcript was coded by {'both' if len(names) == 2 else 'two'} of {', '.join(names)}: nothing to compare"
        )
    if fmt == "table":
        click.echo(f"Agreement of {', '.join(names)} over {rows[-1]['over']}.")
        click.echo(
            "percent_agreement in %; kappa: Cohen's (two coders); alpha: Krippendorff's (nominal); "
            f"units: {'characters' if unit == 'char' else unit + 's'} compared per code; the last row pools all codes."
        )
        shown = [{**r, "code": r["code"] if r["code"] is not None else "(all codes)"} for r in rows]
        emit(shown, columns, fmt)
    else:
        emit(rows, ["code", "unit", "coders", *AGREEMENT_COLUMNS[1:], *columns[5:], "transcripts"], fmt)


DISAGREEMENT_COLUMNS = [
    "id",
    "transcript",
    "code",
    "kind",
    "start",
    "end",
    "coder_a",
    "a_text",
    "coder_b",
    "b_text",
]


@click.command()
@click.option("--coders", "coder_list", default=None, help="Two coders, comma-separated: A,B.")
@click.option("--code", default=None, help="Only this code.")
@click.option("--transcript", "transcripts", multiple=True, help="Only this transcript (repeatable).")
@click.option("--include-settled", is_flag=True, help="Also list those settled with both versions kept.")
@click.option("--settled", "settled", is_flag=True, help="List the settlements made so far instead.")
@format_option
@pass_cli
def disagreements(
    ctx: CliContext,
    coder_list: str | None,
    code: str | None,
    transcripts: tuple[str, ...],
    include_settled: bool,
    settled: bool,
    fmt: str,
) -> None:
    """Passages where two coders' codings of a code differ, A's and B's version side by side.

    Settle one with `ppss-qual settle ID --take A|B|both|neither`; `--settled` lists what was settled.
    """
    if settled:
        columns = ["settled_at", "settled_by", "transcript", "code", "start", "end", "coders", "take"]
        emit(ctx.project().team.settled(), columns, fmt)
        return
    if not coder_list:
        raise click.UsageError("name two coders with --coders A,B (or list settlements with --settled)")
    names = _names(coder_list)
    rows = ctx.project().team.disagreements(
        names, code=code, transcripts=list(transcripts) or None, include_settled=include_settled
    )
    if fmt == "table":
        _print_disagreements(rows, names)
    else:
        emit(rows, DISAGREEMENT_COLUMNS, fmt)


def _print_disagreements(rows: list[dict[str, Any]], names: list[str]) -> None:
    """One block per disagreement: its ID and place, then A's and B's version, each wrapped to the terminal."""
    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    click.echo(f"A = {names[0]}, B = {names[1]}: {len(rows)} disagreement(s)")
    for r in rows:
        settled = "  (settled: both kept)" if r["settled"] else ""
        click.echo(
            f"\n{r['id']}  {r['transcript']}, line {r['line']}, characters {r['start']}-{r['end']}  "
            f"{r['code']}{settled}"
        )
        for side in ("a", "b"):
            who = f"  {side.upper()} {r['coder_' + side]}: "
            spans = ", ".join(f"{s}-{e}" for s, e in r[side + "_spans"])
            body = f"{spans}  {r[side + '_text']}" if spans else "(not coded)"
            click.echo(textwrap.fill(body, width, initial_indent=who, subsequent_indent=" " * len(who)))


@click.command()
@click.argument("ident", metavar="ID")
@click.option(
    "--take",
    required=True,
    help="A or B (as listed, or a coder's name): both coders get that version; both: each keeps theirs; "
    "neither: both codings of the passage are removed.",
)
@click.option("--note", default="", help="Why: kept in a memo on the transcript.")
@coder_option
@pass_cli
def settle(ctx: CliContext, ident: str, take: str, note: str, coder: str | None) -> None:
    """Settle a disagreement listed by `ppss-qual disagreements` (undoable with `ppss-qual undo`)."""
    click.echo(ctx.project(write=True, coder=coder).team.settle(ident, take, coder=coder, note=note))


@click.command()
@click.argument("other", metavar="OTHER_PROJECT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Work out and report what would be added; change nothing.")
@format_option
@coder_option
@pass_cli
def merge(ctx: CliContext, other: Path, dry_run: bool, fmt: str, coder: str | None) -> None:
    """Bring in another copy of the project: transcripts by content, codes by name, codings by coder.

    Nothing is duplicated and nothing is merged silently: a code with no exact name match is added as
    a new code and the report suggests existing codes with near names. A coding overlapping one of the
    same coder and code joins it, as coding it here would. A merge only adds: what was removed in the
    copy stays here. One transaction; `undo` takes it all back.
    """
    report = ctx.project(write=True, coder=coder).team.merge(other, coder=coder, dry_run=dry_run)
    if fmt != "table":
        emit([report.as_dict()], list(report.as_dict()), fmt, one=True)
        return
    _print_merge(report.as_dict())


def _print_merge(r: dict[str, Any]) -> None:
    head = "would add (dry run)" if r["dry_run"] else "added"
    click.echo(f"{r['source']}: {head}:")
    click.echo(
        f"  transcripts  {len(r['transcripts_added'])} added, {r['transcripts_matched']} already here (same text)"
    )
    for name in r["transcripts_added"]:
        click.echo(f"    + {name}")
    click.echo(f"  codes        {len(r['codes_added'])} added, {r['codes_matched']} matched by name")
    for name in r["codes_added"]:
        click.echo(f"    + {name}")
    click.echo(
        f"  codings      {r['codings_added']} added, {r['codings_joined']} joined with an overlapping coding of "
        f"the same coder and code; skipped: {r['codings_identical']} identical, {r['codings_covered']} inside "
        "an existing coding"
    )
    click.echo(f"  memos        {r['memos_added']} added, {r['memos_skipped']} already here")
    click.echo(f"  settlements  {r['settlements_added']} added")
    click.echo(
        f"  participants {len(r['participants_added'])} added, {len(r['participants_updated'])} filled in; "
        f"coders {len(r['coders_added'])} added; done marks {r['done_added']} added"
    )
    if r["suggestions"]:
        click.echo("suggested (not merged; use `ppss-qual codes merge FROM INTO` if they are the same):")
        for s in r["suggestions"]:
            click.echo(f"  {s['code']}  ~  {s['near']}  ({s['score']:.0f})")
    for note in r["notes"]:
        warn(note)
    if not r["changed"]:
        click.echo("nothing new: the project already holds everything in the copy")


COMMANDS: list[click.Command] = [coders, done, agreement, disagreements, settle, merge]
