"""Commands for the codebook, coding passages, memos and exporting the codebook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ppss_qual.cli.context import CliContext, coder_option, pass_cli
from ppss_qual.cli.output import emit, format_option, warn
from ppss_qual.coding.operations import Selector

TREE_COLUMNS = ["id", "path", "name_en", "count", "total"]


@click.group()
def codes() -> None:
    """The codebook: a tree of themes, codes and sub-codes."""


@codes.command("tree")
@format_option
@pass_cli
def codes_tree(ctx: CliContext, fmt: str) -> None:
    """Every code with its path, English name and number of codings."""
    rows = ctx.project().codebook.tree()
    if fmt == "table":
        for r in rows:
            r["path"] = "  " * r["depth"] + r["name"]
    emit(rows, TREE_COLUMNS, fmt)


def _code_fields(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--name-en", default=None, help="English name."),
            click.option("--definition", default=None),
            click.option("--use-when", default=None, help="When to use the code."),
            click.option("--not-when", default=None, help="When not to use it."),
            click.option("--example", default=None, help="An example quote."),
            click.option("--colour", "--color", "colour", default=None, help="#RRGGBB or a colour name."),
            click.option(
                "--keywords", default=None, help="Words or lemmas that suggest it, comma-separated."
            ),
        ]
    ):
        func = option(func)
    return func


def _fields(**given: Any) -> dict[str, Any]:
    out = {k: v for k, v in given.items() if v is not None}
    if "keywords" in out:
        out["keywords"] = [w.strip() for w in out["keywords"].split(",") if w.strip()]
    if out.get("colour"):
        from ppss_qual.codebook.operations import normalise_colour

        out["colour"] = normalise_colour(out["colour"])
    return out


@codes.command("add")
@click.argument("name")
@click.option("--parent", default=None, help="The parent code or theme (name or path); else the top level.")
@_code_fields
@coder_option
@pass_cli
def codes_add(ctx: CliContext, name: str, parent: str | None, coder: str | None, **fields: Any) -> None:
    """Add a code (at the top level when no parent is given)."""
    cid, warnings = ctx.project(write=True, coder=coder).codebook.add(
        name, parent=parent, **_fields(**fields)
    )
    for w in warnings:
        warn(w)
    click.echo(f"added code {name} (id {cid})")


@codes.command("rename")
@click.argument("code")
@click.argument("new_name", required=False)
@click.option("--name-en", default=None, help="A new English name.")
@coder_option
@pass_cli
def codes_rename(
    ctx: CliContext, code: str, new_name: str | None, name_en: str | None, coder: str | None
) -> None:
    """Rename a code (Swedish name, English name, or both); its codings stay."""
    for w in ctx.project(write=True, coder=coder).codebook.rename(code, name=new_name, name_en=name_en):
        warn(w)
    click.echo(f"renamed {code}")


@codes.command("edit")
@click.argument("code")
@_code_fields
@coder_option
@pass_cli
def codes_edit(ctx: CliContext, code: str, coder: str | None, **fields: Any) -> None:
    """Change a code's English name, definition, notes, example, colour or keywords."""
    values = _fields(**fields)
    if not values:
        raise click.UsageError("nothing to change: give at least one of the field options")
    ctx.project(write=True, coder=coder).codebook.edit(code, **values)
    click.echo(f"edited {code}: {', '.join(values)}")


@codes.command("move")
@click.argument("code")
@click.option("--parent", default=None, help="The new parent; leave out for the top level.")
@coder_option
@pass_cli
def codes_move(ctx: CliContext, code: str, parent: str | None, coder: str | None) -> None:
    """Move a code under another code or theme (or to the top level)."""
    ctx.project(write=True, coder=coder).codebook.move(code, parent)
    click.echo(f"moved {code} to {parent or 'the top level'}")


@codes.command("merge")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="INTO")
@coder_option
@pass_cli
def codes_merge(ctx: CliContext, source: str, target: str, coder: str | None) -> None:
    """Merge FROM into INTO: FROM's codings, sub-codes and memos go to INTO and FROM is gone."""
    moved = ctx.project(write=True, coder=coder).codebook.merge(source, target)
    click.echo(f"merged {source} into {target}: {moved} codings moved")


@codes.command("delete")
@click.argument("code")
@click.option("--force", is_flag=True, help="Delete its codings and sub-codes too (undo restores them).")
@coder_option
@pass_cli
def codes_delete(ctx: CliContext, code: str, force: bool, coder: str | None) -> None:
    """Delete a code; refused while it has codings unless --force."""
    n = ctx.project(write=True, coder=coder).codebook.delete(code, force=force)
    click.echo(f"deleted {code}" + (f" and {n} codings" if n else ""))


@codes.command("find")
@click.argument("text")
@click.option("--limit", type=int, default=10, show_default=True)
@format_option
@pass_cli
def codes_find(ctx: CliContext, text: str, limit: int, fmt: str) -> None:
    """Find a code by a fragment or a misspelling, Swedish or English, best first."""
    emit(ctx.project().codebook.find(text, limit), ["score", "id", "path", "name_en", "count"], fmt)


@codes.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--update", is_flag=True, help="Also change the codes whose fields differ in the file.")
@coder_option
@pass_cli
def codes_import(ctx: CliContext, file: Path, update: bool, coder: str | None) -> None:
    """Read a codebook (YAML, CSV or REFI .qdc): adds new codes, reports changed and missing ones, never deletes."""
    report = ctx.project(write=True, coder=coder).codebook.import_file(file, update=update)
    for w in report.warnings:
        warn(w)
    click.echo(
        f"{file}: {len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged"
    )
    if report.changed:
        click.echo(
            f"{len(report.changed)} differ from the project (use --update to take the file's version):"
        )
        for line in report.changed:
            click.echo(f"  {line}")
    if report.missing:
        click.echo(
            f"{len(report.missing)} in the project but not in the file (kept): {', '.join(report.missing)}"
        )


def _selector_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--code", "code_ref", required=True, help="Code name (Swedish or English) or path."),
            click.option(
                "--match", default=None, help="Exact text inside one turn's speech (every occurrence)."
            ),
            click.option("--first", is_flag=True, help="With --match: only the first occurrence."),
            click.option("--sentence", type=int, default=None, help="Sentence number."),
            click.option("--turn", type=int, default=None, help="Turn number (its speech)."),
            click.option("--start", type=int, default=None, help="Start offset (code points, inclusive)."),
            click.option("--end", type=int, default=None, help="End offset (exclusive)."),
            coder_option,
        ]
    ):
        func = option(func)
    return func


@click.command("code")
@click.argument("transcript")
@_selector_options
@format_option
@pass_cli
def code_cmd(
    ctx: CliContext, transcript: str, code_ref: str, coder: str | None, fmt: str, **sel: Any
) -> None:
    """Code a passage: --match TEXT, --sentence N, --turn N or --start S --end E."""
    project = ctx.project(write=True, coder=coder)
    ids = project.codings.code(transcript, code_ref, Selector(**sel), coder=coder)
    if fmt == "table":
        click.echo(f"coded {len(ids)} passage(s) with {code_ref}: coding {', '.join(map(str, ids))}")
    else:
        emit([{"id": i} for i in ids], ["id"], fmt)


@click.command("uncode")
@click.argument("transcript")
@_selector_options
@pass_cli
def uncode_cmd(ctx: CliContext, transcript: str, code_ref: str, coder: str | None, **sel: Any) -> None:
    """Remove a code from a passage (codings are cut back or split, never lost beyond it)."""
    n = ctx.project(write=True, coder=coder).codings.uncode(
        transcript, code_ref, Selector(**sel), coder=coder
    )
    click.echo(f"removed {code_ref} from {n} coding(s)")


@click.group()
def memo() -> None:
    """Memos on the project, a transcript, a code or a coding."""


@memo.command("add")
@click.argument("target")
@click.argument("text")
@coder_option
@pass_cli
def memo_add(ctx: CliContext, target: str, text: str, coder: str | None) -> None:
    """Write a memo. TARGET: a transcript, a code, a coding id, `project`, or kind:name."""
    mid = ctx.project(write=True, coder=coder).codings.add_memo(target, text)
    click.echo(f"memo {mid} written")


@click.command()
@click.option(
    "--on",
    "kind",
    type=click.Choice(["project", "transcript", "participant", "code", "coding"]),
    default=None,
)
@format_option
@pass_cli
def memos(ctx: CliContext, kind: str | None, fmt: str) -> None:
    """List memos."""
    emit(ctx.project().codings.memos(kind), ["id", "target", "author", "updated_at", "text"], fmt)


@click.group()
def export() -> None:
    """Write the project's work out to files."""


@export.command("codebook")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.yaml, .csv, .md or .docx",
)
@pass_cli
def export_codebook(ctx: CliContext, out: Path) -> None:
    """Write the codebook as YAML, CSV, Markdown, Word or REFI-QDA (.qdc)."""
    n = ctx.project().codebook.export(out)
    click.echo(f"{out}: {n} codes written")


COMMANDS = [codes, code_cmd, uncode_cmd, memo, memos, export]
