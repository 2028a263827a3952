"""`export report` and `export excerpts`: the Word report and the excerpt table, names replaced by default."""

from __future__ import annotations

from pathlib import Path

import click

from ppss_qual.cli.commands_codes import export
from ppss_qual.cli.context import CliContext, pass_cli

COMMANDS: list[click.Command] = []  # subcommands of `export`, which commands_codes registers

real_names_option = click.option(
    "--real-names", is_flag=True, help="Keep real names (for the key-holder); by default they are replaced."
)


def _split(values: tuple[str, ...]) -> list[str] | None:
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return out or None


@export.command("report")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.docx")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--title", default=None, help="The report's title.")
@click.option(
    "--theme", "themes", multiple=True, help="Only these themes or codes (repeat or comma-separate)."
)
@click.option("--group", "groups", multiple=True, help="Only these informant groups (pupil, parent, …).")
@click.option("--max-excerpts", type=int, default=3, show_default=True, help="Quotes per code at most.")
@click.option(
    "--excerpt", "excerpt_ids", multiple=True, help="Exactly these excerpt ids (repeat or comma-separate)."
)
@click.option(
    "--memos",
    type=click.Choice(["comments", "none"]),
    default="none",
    show_default=True,
    help="Coding memos as Word comments, or left out.",
)
@click.option("--context", type=int, default=0, show_default=True, help="Sentences of context around quotes.")
@click.option("--coder", default=None, help="Only this coder's codings.")
@click.option("--no-network", is_flag=True, help="Leave the theme network diagram out.")
@real_names_option
@pass_cli
def export_report(
    ctx: CliContext,
    out: Path,
    lang: str,
    title: str | None,
    themes: tuple[str, ...],
    groups: tuple[str, ...],
    max_excerpts: int,
    excerpt_ids: tuple[str, ...],
    memos: str,
    context: int,
    coder: str | None,
    no_network: bool,
    real_names: bool,
) -> None:
    """The Word report: themes, definitions, tables by group, quotes with pseudonymous attribution."""
    from ppss_qual.exports.report import ReportOptions

    ids = _split(excerpt_ids)
    options = ReportOptions(
        lang=lang,
        title=title,
        themes=_split(themes),
        groups=_split(groups),
        max_excerpts=max_excerpts,
        excerpt_ids=[int(i) for i in ids] if ids else None,
        memos=memos == "comments",
        context=context,
        coder=coder,
        real_names=real_names,
        network=not no_network,
    )
    summary = ctx.project().export_report(out, options)
    click.echo(
        f"{out}: {summary.themes} themes, {summary.codes} codes, {summary.quotes} quotes"
        + (f", {summary.comments} comments" if summary.comments else "")
    )


@export.command("excerpts")
@click.argument("query", required=False)
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.csv, .xlsx or .docx"
)
@click.option("--role", "roles", multiple=True, help="Only excerpts spoken by this role.")
@click.option("--coder", "coders", multiple=True, help="Only this coder's codings.")
@click.option("--transcript", "transcripts", multiple=True)
@real_names_option
@pass_cli
def export_excerpts(
    ctx: CliContext,
    query: str | None,
    out: Path,
    roles: tuple[str, ...],
    coders: tuple[str, ...],
    transcripts: tuple[str, ...],
    real_names: bool,
) -> None:
    """Coded excerpts, one per row or paragraph, with their source, coder and memo."""
    n = ctx.project().export_excerpts(
        out,
        query=query,
        roles=_split(roles),
        coders=_split(coders),
        transcripts=_split(transcripts),
        real_names=real_names,
    )
    click.echo(f"{out}: {n} excerpts")
