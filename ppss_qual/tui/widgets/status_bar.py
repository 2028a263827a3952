"""The status bar: coder, transcript, where the cursor is, what is selected, and the recent codes."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class StatusBar(Widget):
    """Two lines: the state of the work, then the recent codes on their number keys.

    Its size never changes, so an update repaints it without a layout pass (a Static's update would
    lay out the whole screen again on every keystroke).
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.content = Text()

    def render(self) -> Text:
        return self.content

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
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {coder} ", style="bold reverse")
        for part in (transcript, position, selection, mode):
            if part:
                line.append("  │ ", style="dim")
                line.append(part)
        if here:
            line.append("  │ here: ", style="dim")
            for i, (name, colour) in enumerate(here):
                line.append(("" if i == 0 else ", ") + name, style=colour)
        second = Text(no_wrap=True, overflow="ellipsis")
        if recent:
            second.append(" recent ", style="dim")
            for n, (name, colour) in enumerate(recent, 1):
                second.append(f" {n} ", style="bold reverse")
                second.append(f" {name} ", style=colour)
        else:
            second.append(" no recent codes yet: select a passage and press c to code it", style="dim")
        self.content = Text("\n", no_wrap=True, overflow="ellipsis").join([line, second])
        self.refresh()
