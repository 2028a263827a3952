"""The status bar: coder, transcript, where the cursor is, what is selected, and the recent codes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusBar(Static):
    """Two lines: the state of the work, then the recent codes on their number keys."""

    def show(
        self,
        *,
        coder: str,
        transcript: str = "",
        position: str = "",
        selection: str = "",
        mode: str = "",
        here: list[tuple[str, str]] | None = None,
        recent: list[tuple[str, str]] | None = None,
    ) -> None:
        """`here` and `recent` are (name, colour) pairs: codes under the cursor and on keys 1-9."""
        line = Text()
        line.append(f" {coder} ", style="bold reverse")
        for part in (transcript, position, selection, mode):
            if part:
                line.append("  │ ", style="dim")
                line.append(part)
        if here:
            line.append("  │ here: ", style="dim")
            for i, (name, colour) in enumerate(here):
                line.append(("" if i == 0 else ", ") + name, style=colour)
        line.append("\n")
        if recent:
            line.append(" recent ", style="dim")
            for n, (name, colour) in enumerate(recent, 1):
                line.append(f" {n} ", style="bold reverse")
                line.append(f" {name} ", style=colour)
        else:
            line.append(" no recent codes yet: select a passage and press c to code it", style="dim")
        self.update(line)
