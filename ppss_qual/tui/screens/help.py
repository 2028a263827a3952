"""The help screen: every key, as remapped in the user's config, with what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ppss_qual import settings
from ppss_qual.tui.keys import ALL_KEYS, bindings


def key_label(keys: str) -> str:
    """Key names as a person reads them: "question_mark,f1" -> "? F1"."""
    names = {
        "question_mark": "?",
        "slash": "/",
        "full_stop": ".",
        "comma": ",",
        "greater_than_sign": ">",
        "less_than_sign": "<",
        "escape": "Esc",
        "enter": "Enter",
        "delete": "Del",
        "pagedown": "PgDn",
        "pageup": "PgUp",
    }
    out = []
    for key in keys.split(","):
        key = key.strip()
        out.append(names.get(key, key.replace("ctrl+", "Ctrl+").replace("shift+", "Shift+")))
    return " ".join(out)


class HelpScreen(ModalScreen[None]):
    """Scrollable; Esc, q or ? closes."""

    BINDINGS = bindings("help-close")

    def __init__(self, keymap: dict[str, str]):
        super().__init__()
        self.keymap = keymap
        self.listing = Text()  # the same, as plain text (for tests and screen readers' sake)

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2), expand=True)
        table.add_column("key", style="bold", no_wrap=True, width=18)
        table.add_column("what")
        table.add_column("id", style="dim", no_wrap=True)
        for section, keys in ALL_KEYS.items():
            table.add_row(Text(section, style="bold underline"), "", "")
            for k in keys:
                shown = key_label(self.keymap.get(k.id, k.key))
                table.add_row(shown, k.title, k.id)
                self.listing.append(f"{shown}\t{k.title}\t{k.id}\n")
            table.add_row("", "", "")
        table.add_row(Text("Mouse", style="bold underline"), "", "")
        table.add_row("drag", "select: whole words (v: single characters)", "")
        table.add_row("wheel", "scroll", "")
        table.add_row("Ctrl+P", "every action by name (command palette)", "")
        with VerticalScroll(classes="dialog help"):
            yield Static(
                Text(
                    "Keys · remap any of them by its id in " + str(settings.config_path()) + " under [keys]",
                    style="bold",
                ),
                classes="dialog-title",
            )
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
