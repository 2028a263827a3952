"""Printing results as a table, JSON or CSV, the same way for every command."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Sequence
from typing import Any

import click

FORMATS = ("table", "json", "csv")

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for people; json (an array of objects) and csv for scripts.",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, *, one: bool = False) -> None:
    """Print rows; json prints every key, table and csv the given columns."""
    if fmt == "json":
        payload: Any = rows[0] if one and rows else list(rows)
        # Indented for a person at a terminal; compact for a script (Python's indenting encoder is slow).
        indent = 2 if sys.stdout.isatty() else None
        click.echo(json.dumps(payload, ensure_ascii=False, indent=indent))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        click.echo(buf.getvalue(), nl=False)
    else:
        click.echo(table(rows, columns))


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    if not rows:
        return "(none)"
    width = shutil.get_terminal_size((120, 24)).columns
    cells = [[_cell(r.get(c)).replace("\n", " ") for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    # Shrink the widest column until the table fits the terminal (long text columns get cut with …).
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 12:
        i = widths.index(max(widths))
        widths[i] -= 1

    def fit(text: str, w: int) -> str:
        return text if len(text) <= w else text[: w - 1] + "…"

    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(fit(c, w).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def fail(message: str, status: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(status)
