"""Search results across the project: every sentence with the word in any form; Enter opens the hit."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ppss_qual.errors import PpssError
from ppss_qual.tui.keys import RESULTS_KEYS
from ppss_qual.tui.messages import SearchFinished
from ppss_qual.tui.screens.base import app_of, session_of


class SearchResultsScreen(Screen[None]):
    """Hits grouped in reading order, with transcript, speaker and line."""

    BINDINGS = [k.binding() for k in RESULTS_KEYS]

    def __init__(self, query: str):
        super().__init__()
        self.query_text = query
        self.hits: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(f" Searching for “{self.query_text}”…"), id="results-title", classes="title")
        yield OptionList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.search()

    @work(thread=True, exclusive=True, group="search")
    def search(self) -> None:
        try:
            hits = session_of(self).search(self.query_text)
            self.post_message(SearchFinished(self.query_text, None, hits))
        except PpssError as exc:
            self.post_message(SearchFinished(self.query_text, None, [], error=str(exc)))

    def on_search_finished(self, message: SearchFinished) -> None:
        title = self.query_one("#results-title", Static)
        if message.error:
            title.update(Text(f" {message.error}", style="red"))
            return
        self.hits = message.hits
        places = len({h["transcript"] for h in self.hits})
        title.update(
            Text(
                f" “{self.query_text}”: {len(self.hits)} hits in {places} transcripts · Enter opens · Esc back"
            )
        )
        options = []
        for i, h in enumerate(self.hits):
            prompt = Text(overflow="ellipsis", no_wrap=False)
            prompt.append(f"{h['transcript']}", style="bold")
            prompt.append(f" · {h.get('speaker') or '–'} · line {h['line']}\n", style="dim")
            raw = h["sentence"]
            cut = h["start"] - h["sentence_start"]
            # white space folded for the one-line view, the hit kept where it is
            before = " ".join(raw[:cut].split()) + (" " if raw[:cut][-1:].isspace() else "")
            sentence = before + " ".join(raw[cut:].split())
            lo = len(before)
            hi = lo + len(" ".join(h["match"].split()))
            prompt.append("  " + sentence[:lo])
            prompt.append(sentence[lo:hi], style="bold reverse")
            prompt.append(sentence[hi:])
            options.append(Option(prompt, id=f"h{i}"))
        listing = self.query_one(OptionList)
        listing.set_options(options)
        if options:
            listing.highlighted = 0

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int((event.option.id or "h0")[1:])]
        app_of(self).open_transcript(hit["transcript"], select=(hit["start"], hit["end"]))

    def action_back(self) -> None:
        self.app.pop_screen()
