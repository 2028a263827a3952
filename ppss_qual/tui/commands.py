"""Command-palette entries for every action of the current screen, namespaced ("code: apply a code …")."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from ppss_qual.tui.keys import (
    ANALYSIS_KEYS,
    APP_KEYS,
    CODEBOOK_KEYS,
    EXCERPTS_KEYS,
    HOME_KEYS,
    RESULTS_KEYS,
    REVIEW_KEYS,
    TEAM_KEYS,
    TRANSCRIPT_KEYS,
    Key,
)
from ppss_qual.tui.screens.help import key_label


class WorkbenchCommands(Provider):
    """The actions the keys run, by name, with their current key as help."""

    def entries(self) -> list[tuple[str, str, Callable[[], Any]]]:
        from ppss_qual.tui.screens.analysis import AnalysisScreen, ExcerptsScreen
        from ppss_qual.tui.screens.codebook import CodebookScreen
        from ppss_qual.tui.screens.home import HomeScreen
        from ppss_qual.tui.screens.pseudonymise import ReviewScreen
        from ppss_qual.tui.screens.search import SearchResultsScreen
        from ppss_qual.tui.screens.team import DisagreementsScreen
        from ppss_qual.tui.screens.transcript import TranscriptScreen

        screen = self.screen
        by_screen: list[tuple[type, list[Key]]] = [
            (HomeScreen, HOME_KEYS),
            (TranscriptScreen, TRANSCRIPT_KEYS),
            (CodebookScreen, CODEBOOK_KEYS),
            (SearchResultsScreen, RESULTS_KEYS),
            (AnalysisScreen, ANALYSIS_KEYS),
            (ExcerptsScreen, EXCERPTS_KEYS),
            (DisagreementsScreen, TEAM_KEYS),
            (ReviewScreen, REVIEW_KEYS),
        ]
        keys: list[tuple[Key, DOMNode]] = [(k, self.app) for k in APP_KEYS]
        for kind, screen_keys in by_screen:
            if isinstance(screen, kind):
                keys += [(k, screen) for k in screen_keys]
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        out: list[tuple[str, str, Callable[[], Any]]] = []
        for key, target in keys:
            shown = key_label(keymap.get(key.id, key.key))
            out.append((key.title, f"key: {shown}", partial(self.app.run_action, key.action, target)))
        return out

    async def discover(self) -> Hits:
        for title, help_text, command in self.entries():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self.entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=help_text)
