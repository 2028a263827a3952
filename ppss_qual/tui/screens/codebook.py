"""The codebook panel: the code tree with counts, filtered by typing; a code's excerpts, each a jump away."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static

from ppss_qual.errors import PpssError
from ppss_qual.tui.data.analysis import quoted
from ppss_qual.tui.data.codefind import rank
from ppss_qual.tui.data.colours import code_colour
from ppss_qual.tui.keys import CODEBOOK_KEYS, bindings
from ppss_qual.tui.messages import ExcerptsLoaded, ProjectChanged
from ppss_qual.tui.screens.base import Listing, app_of, session_of
from ppss_qual.tui.screens.export import ExcerptTarget, export_dialog
from ppss_qual.tui.widgets.excerpt_list import excerpt_prompt


class CodebookScreen(Screen[None]):
    """Left: the tree (own count, and with sub-codes); right: the highlighted code and its excerpts."""

    BINDINGS = [*(k.binding() for k in CODEBOOK_KEYS), *bindings("dialog-down", "dialog-up")]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []
        self.excerpts: list[dict[str, Any]] = []
        self.current: str | None = None
        self.tree_values = Listing()
        self.excerpt_values = Listing()

    def compose(self) -> ComposeResult:
        yield Static(id="codebook-title", classes="title")
        with Horizontal():
            with Vertical(id="codebook-left"):
                yield Input(placeholder="Type to filter codes (Swedish or English)", id="codebook-filter")
                yield OptionList(id="codebook-tree")
            with Vertical(id="codebook-right"):
                yield Static(id="code-details")
                yield OptionList(id="excerpts")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#codebook-filter", Input).focus()

    def reload(self) -> None:
        self.rows = app_of(self).codebook_rows()
        coded = sum(r["count"] for r in self.rows)
        self.query_one("#codebook-title", Static).update(
            Text(
                f" Codebook: {len(self.rows)} codes, {coded} codings · type to filter · Enter: excerpts · "
                "Enter on an excerpt opens it · Ctrl+N memo · Esc back"
            )
        )
        self.fill(self.query_one("#codebook-filter", Input).value)

    def on_project_changed(self, message: ProjectChanged) -> None:
        self.reload()

    # -- the tree ---------------------------------------------------------------------------------
    def fill(self, query: str) -> None:
        english = session_of(self).english
        self.shown = rank(self.rows, query) if query.strip() else self.rows
        pairs = []
        for row in self.shown:
            prompt = Text(no_wrap=True, overflow="ellipsis")
            prompt.append("  " * (0 if query.strip() else row["depth"]))
            prompt.append("● ", style=code_colour(row["id"], row.get("colour")))
            name = (row.get("name_en") or row["name"]) if english else row["name"]
            prompt.append(name, style="bold" if row["depth"] == 0 else "")
            total = f" ({row['total']})" if row["total"] != row["count"] else ""
            prompt.append(f"  {row['count']}{total}", style="dim")
            pairs.append((prompt, row))
        options = self.tree_values.options(pairs)
        tree = self.query_one("#codebook-tree", OptionList)
        tree.set_options(options)
        keep = next((i for i, r in enumerate(self.shown) if r["name"] == self.current), 0)
        tree.highlighted = keep if options else None
        # setting the same index again posts no OptionHighlighted: show the code ourselves
        self.show_code(self.shown[keep] if options else None)

    @on(Input.Changed, "#codebook-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#codebook-filter")
    def _to_excerpts(self) -> None:
        excerpts = self.query_one("#excerpts", OptionList)
        if excerpts.option_count:
            excerpts.focus()
            excerpts.highlighted = 0

    @on(OptionList.OptionHighlighted, "#codebook-tree")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        row = self.tree_values.get(event.option.id)
        if row is not None:
            self.show_code(row)

    @on(OptionList.OptionSelected, "#codebook-tree")
    def _tree_selected(self) -> None:
        self._to_excerpts()

    def action_move(self, step: int) -> None:
        focused = self.focused
        listing = (
            self.query_one("#codebook-tree", OptionList)
            if isinstance(focused, Input)
            else focused
            if isinstance(focused, OptionList)
            else None
        )
        if listing is not None and listing.option_count:
            current = listing.highlighted if listing.highlighted is not None else -step
            listing.highlighted = min(max(current + step, 0), listing.option_count - 1)

    # -- the highlighted code ---------------------------------------------------------------------
    def show_code(self, row: dict[str, Any] | None) -> None:
        details = self.query_one("#code-details", Static)
        if row is None:
            self.current = None
            details.update("")
            self.query_one("#excerpts", OptionList).clear_options()
            return
        text = Text()
        text.append("● ", style=code_colour(row["id"], row.get("colour")))
        text.append(row["name"], style="bold")
        if row.get("name_en"):
            text.append(f"  ({row['name_en']})", style="dim")
        text.append(f"\n{row['path']}", style="dim italic")
        for label, key in (("", "definition"), ("Use when: ", "use_when"), ("Not when: ", "not_when")):
            if row.get(key):
                text.append(f"\n{label}", style="bold")
                text.append(row[key])
        details.update(text)
        if row["name"] != self.current or not self.excerpts:
            self.current = row["name"]
            self.load_excerpts(row["name"])

    @work(thread=True, exclusive=True, group="excerpts")
    def load_excerpts(self, code: str) -> None:
        try:
            rows = session_of(self).excerpts(code)
        except PpssError:
            rows = []
        self.post_message(ExcerptsLoaded(code, rows))

    def on_excerpts_loaded(self, message: ExcerptsLoaded) -> None:
        if message.code != self.current:
            return
        self.excerpts = message.rows
        options = self.excerpt_values.options((excerpt_prompt(e, message.code), e) for e in message.rows)
        listing = self.query_one("#excerpts", OptionList)
        listing.set_options(options)
        listing.border_title = f"{len(options)} excerpts"

    @on(OptionList.OptionSelected, "#excerpts")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        e = self.excerpt_values.get(event.option.id)
        if e is None:
            return
        app_of(self).open_transcript(e["transcript"], select=(e["start"], e["end"]))

    # -- actions ----------------------------------------------------------------------------------
    def action_memo(self) -> None:
        from ppss_qual.tui.screens.coding import memo_on

        row = next((r for r in self.rows if r["name"] == self.current), None)
        if row is None:
            self.notify("Highlight a code first", severity="warning")
            return
        memo_on(self, "code", row["id"], row["name"], f"code {row['name']}")

    def action_export(self) -> None:
        row = next((r for r in self.rows if r["name"] == self.current), None)
        target = ExcerptTarget(row["name"], quoted(row["path"])) if row is not None else None
        self.app.push_screen(export_dialog(self, target, excerpts=True))

    def action_back(self) -> None:
        self.app.pop_screen()
