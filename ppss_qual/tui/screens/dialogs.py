"""Small modals: choose one of several, write a memo, name the coder, type a search."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ppss_qual.tui.keys import bindings


class ChooseScreen(ModalScreen[Any]):
    """One of several options; returns its value, or None."""

    BINDINGS = bindings("dialog-close")

    def __init__(self, heading: str, options: list[tuple[str, Any]]):
        super().__init__()
        self.heading = heading
        self.choices = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield OptionList(
                *(Option(Text(label), id=f"c{i}") for i, (label, _v) in enumerate(self.choices)),
                id="choose-list",
            )
            yield Label("Enter chooses · Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int((event.option.id or "c0")[1:])][1])

    def action_close(self) -> None:
        self.dismiss(None)


class MemoScreen(ModalScreen[str | None]):
    """Other coders' memos on a target above, mine in an editor; Ctrl+S saves."""

    BINDINGS = bindings("memo-save", "dialog-close")

    def __init__(self, heading: str, others: list[dict[str, Any]], text: str):
        super().__init__()
        self.heading = heading
        self.others = others
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo"):
            yield Label(self.heading, classes="dialog-title")
            if self.others:
                shown = Text()
                for m in self.others:
                    shown.append(f"{m['author']}: ", style="bold")
                    shown.append(m["text"].strip() + "\n")
                with VerticalScroll(id="memo-others"):
                    yield Static(shown)
            yield TextArea(self.text, id="memo-text", soft_wrap=True, show_line_numbers=False)
            yield Label("Ctrl+S saves · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if not text.strip():
            self.notify("A memo needs some text", severity="warning")
            return
        self.dismiss(text)

    def action_close(self) -> None:
        self.dismiss(None)


class PromptScreen(ModalScreen[str | None]):
    """One line of input; returns it, or None when cancelled."""

    BINDINGS = bindings("dialog-close")

    def __init__(self, heading: str, value: str = "", placeholder: str = "", hint: str = ""):
        super().__init__()
        self.heading = heading
        self.value = value
        self.placeholder = placeholder
        self.hint = hint or "Enter confirms · Esc cancels"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog prompt"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_close(self) -> None:
        self.dismiss(None)


class CoderScreen(PromptScreen):
    """Asked once, on the first start: the name your codings and memos carry."""

    def __init__(self, suggestion: str):
        super().__init__(
            "Your coder name: it marks your codings, memos and undo history in every project",
            suggestion,
            hint="Saved in your own config folder, not in the project · Enter confirms",
        )

    def action_close(self) -> None:
        value = self.query_one(Input).value.strip()
        self.dismiss(value or None)


class SearchPrompt(PromptScreen):
    """What to search for: words in any inflected form ("lyssnade" finds "lyssnar")."""

    def __init__(self, heading: str):
        super().__init__(
            heading, placeholder="a word or words, e.g. lyssna", hint="Enter searches · Esc cancels"
        )
