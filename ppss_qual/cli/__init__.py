"""The `ppss-qual` command: a thin click layer over ppss_qual.project."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ppss_qual.cli.context import CliContext
from ppss_qual.cli.output import fail
from ppss_qual.errors import PpssError


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "project_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="PPSS_QUAL_PROJECT",
    default="ppss.db",
    show_default=True,
    help="The project file (also PPSS_QUAL_PROJECT).",
)
@click.version_option(package_name="ppss-qual")
@click.pass_context
def cli(ctx: click.Context, project_path: Path) -> None:
    """ppss_qual: code interview transcripts, compare groups, write the report. With no command: the TUI."""
    ctx.obj = CliContext(project_path)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from ppss_qual.cli.commands_tui import run_tui

        run_tui(ctx.obj, None)


# Each module lists its commands in COMMANDS; the order here is the order of `--help`.
COMMAND_MODULES = (
    "commands_project",
    "commands_codes",
    "commands_export",
    "commands_analysis",
    "commands_team",
    "commands_refi",
    "commands_pseudonymise",
    "commands_tui",
)


def _register() -> None:
    import importlib

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"ppss_qual.cli.{name}")
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    try:
        cli.main(standalone_mode=False, prog_name="ppss-qual")
    except click.exceptions.Abort:
        fail("aborted", 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PpssError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except BrokenPipeError:
        sys.exit(0)
