"""Excerpts as a list, each a jump away from its passage: the prompt the codebook uses, and a list widget."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList

from ppss_qual.tui.screens.base import Listing, swedish_role


def shortened(text: str, limit: int = 320) -> str:
    """An excerpt on at most a few lines; the whole of it is one Enter away, in its transcript."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def excerpt_prompt(e: dict[str, Any], code: str | None = None) -> Text:
    """Transcript · speaker (role) · line · coder, and the text: an excerpt of codings.excerpts() or of
    analysis.excerpts() (whose turns from AND have no coder but the coders of their codings)."""
    prompt = Text()
    prompt.append(e["transcript"], style="bold")
    who = e.get("speaker") or "–"
    role = swedish_role(e.get("role"))
    coder = e.get("coder") or ", ".join(e.get("coders") or [])
    prompt.append(f" · {who}{f' ({role})' if role else ''} · line {e['line']} · {coder}", style="dim")
    if e.get("code") and e["code"] != code:
        prompt.append(f" · {e['code']}", style="italic")
    prompt.append("\n  " + shortened(e["text"]))
    return prompt


class ExcerptList(OptionList):
    """Excerpts in reading order; Enter (or a click) on one posts ExcerptList.Chosen."""

    @dataclass
    class Chosen(Message):
        """An excerpt was chosen: open its transcript at the passage."""

        excerpt: dict[str, Any]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.values = Listing()
        self.rows: list[dict[str, Any]] = []

    def show(self, rows: list[dict[str, Any]], code: str | None = None) -> None:
        """Replace the list with `rows`; each names its code unless it is `code` (what was asked for)."""
        self.rows = rows
        self.set_options(self.values.options((excerpt_prompt(e, code), e) for e in rows))
        self.highlighted = 0 if rows else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        excerpt = self.values.get(event.option.id)
        if excerpt is not None:
            self.post_message(self.Chosen(excerpt))
