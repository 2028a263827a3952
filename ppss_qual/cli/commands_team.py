"""Commands for team (filled in as that part lands)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
