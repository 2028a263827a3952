"""What every command shares: the project path, opened lazily, once."""

from __future__ import annotations

from pathlib import Path

import click

from ppss_qual.cli.output import warn
from ppss_qual.project import Project


class CliContext:
    def __init__(self, path: Path):
        self.path = path
        self._project: Project | None = None

    def project(self, *, write: bool = False, coder: str | None = None) -> Project:
        """The project; a command that writes creates the file when it is absent."""
        if self._project is None:
            self._project = Project.open(self.path, create=write, coder=coder)
            for message in self._project.warnings:
                warn(message)
        elif coder:
            self._project.coder = coder
        return self._project

    def close(self) -> None:
        if self._project is not None:
            self._project.close()
            self._project = None


pass_cli = click.make_pass_decorator(CliContext)

coder_option = click.option(
    "--coder", default=None, help="Who is acting (else PPSS_QUAL_CODER, the config, the login)."
)
