"""The code picker: fuzzy search over the codebook in Swedish and English; and placing a new code."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from ppss_qual.tui.data.codefind import CONFIDENT, exact, rank, scored
from ppss_qual.tui.data.colours import code_colour
from ppss_qual.tui.keys import bindings
from ppss_qual.tui.screens.base import Listing

SHOWN = 60  # options listed at once; typing narrows the rest


def code_prompt(row: dict[str, Any], *, english: bool = False, number: int | None = None) -> Text:
    """One code as a line: its colour, name (and the other language's), where it sits, and its count."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{number} " if number else "  ", style="bold")
    text.append("● ", style=code_colour(row["id"], row.get("colour")))
    first, second = (
        (row.get("name_en") or row["name"], row["name"]) if english else (row["name"], row.get("name_en"))
    )
    text.append(first, style="bold")
    if second and second != first:
        text.append(f"  {second}", style="dim")
    if row.get("parent"):
        text.append(f"  in {row['parent']}", style="dim italic")
    text.append(f"  {row.get('count', 0)}", style="dim")
    return text


class FilteredCodes(ModalScreen[Any]):
    """A filter input over a list of codes; up and down move in the list while you type."""

    BINDINGS = bindings("dialog-close", "dialog-down", "dialog-up")

    def __init__(self, heading: str, rows: list[dict[str, Any]], *, english: bool = False):
        super().__init__()
        self.heading = heading
        self.rows = rows
        self.english = english
        self.values = Listing()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(placeholder="Type part of a name, Swedish or English", id="picker-input")
            yield OptionList(id="picker-list")
            yield Label(self.hint(), classes="dialog-hint")

    def hint(self) -> str:
        return "Enter chooses · ↑↓ move · Esc closes"

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(Input).focus()

    def options(self, query: str) -> list[tuple[Text, Any]]:
        raise NotImplementedError

    def fill(self, query: str) -> None:
        listing = self.query_one(OptionList)
        options = self.values.options(self.options(query))
        listing.set_options(options)
        listing.highlighted = 0 if options else None

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is not None:
            self.choose(listing.get_option_at_index(listing.highlighted).id or "")

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id or "")

    def choose(self, option_id: str) -> None:
        value = self.values.get(option_id)
        if value is not None:
            self.dismiss(value)

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if listing.option_count:
            current = listing.highlighted if listing.highlighted is not None else -step
            listing.highlighted = (current + step) % listing.option_count

    def action_close(self) -> None:
        self.dismiss(None)


class CodePicker(FilteredCodes):
    """Returns ("code", name) for a code of the codebook, ("new", name) to create one, None to cancel."""

    def __init__(
        self, rows: list[dict[str, Any]], recent: list[str], *, english: bool = False, passage: str = ""
    ):
        super().__init__(f"Code “{passage}”" if passage else "Code the selection", rows, english=english)
        self.recent = recent

    def hint(self) -> str:
        return "Enter codes (the selection stays: c again adds another) · ↑↓ move · Esc closes"

    def options(self, query: str) -> list[tuple[Text, Any]]:
        name = " ".join(query.split())
        hits = scored(self.rows, name) if name else [(row, 100.0) for row in rank(self.rows, "", self.recent)]
        out: list[tuple[Text, Any]] = []
        for row, _score in hits[:SHOWN]:
            number = self.recent.index(row["name"]) + 1 if not name and row["name"] in self.recent else None
            out.append((code_prompt(row, english=self.english, number=number), ("code", row["name"])))
        if name and exact(self.rows, name) is None:
            new = Text(f"+ New code “{name}”… (choose where it goes)", style="bold green")
            # a weak best match is probably not meant: then Enter offers the new code
            confident = bool(hits) and hits[0][1] >= CONFIDENT
            out.insert(len(out) if confident else 0, (new, ("new", name)))
        return out


class NewCodeScreen(FilteredCodes):
    """Where a new code goes: returns the parent's path, "" for the top level, None to cancel."""

    def __init__(self, name: str, rows: list[dict[str, Any]]):
        super().__init__(f"New code “{name}”: choose its theme or parent code", rows)

    def options(self, query: str) -> list[tuple[Text, Any]]:
        top = Text("  (top level: a new theme)", style="bold")
        rows = rank(self.rows, query) if query.strip() else self.rows
        out: list[tuple[Text, Any]] = [] if query.strip() else [(top, "")]
        for row in rows[:SHOWN]:
            prompt = Text("  " * (row["depth"] + 1), no_wrap=True, overflow="ellipsis")
            prompt.append("● ", style=code_colour(row["id"], row.get("colour")))
            prompt.append(row["name"])
            if row.get("name_en"):
                prompt.append(f"  {row['name_en']}", style="dim")
            out.append((prompt, row["path"]))
        return out
