"""The `tui` command: opens the coding workbench."""

from __future__ import annotations

import click

from ppss_qual.cli.context import CliContext, coder_option, pass_cli


def run_tui(ctx: CliContext, coder: str | None) -> None:
    try:
        from ppss_qual.tui.app import run
    except ImportError:
        # Until the workbench exists, show the project's summary instead of nothing.
        from ppss_qual.cli.output import emit

        project = ctx.project(write=True, coder=coder)
        click.echo(f"{ctx.path}: the TUI is not built yet; the project holds:")
        emit(project.transcripts(), ["id", "name", "language", "words", "turns", "speakers"], "table")
        return
    run(ctx.path, coder)


@click.command()
@coder_option
@pass_cli
def tui(ctx: CliContext, coder: str | None) -> None:
    """Open the coding workbench (also: ppss-qual with no command)."""
    run_tui(ctx, coder)


COMMANDS = [tui]
