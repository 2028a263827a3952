"""What every screen reaches for: the session, and the app's helpers, without importing the app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from textual.dom import DOMNode
from textual.widgets.option_list import Option

from ppss_qual.model import Role

if TYPE_CHECKING:
    from ppss_qual.tui.app import PpssApp
    from ppss_qual.tui.session import Session


def app_of(node: DOMNode) -> PpssApp:
    return cast("PpssApp", node.app)


def session_of(node: DOMNode) -> Session:
    return app_of(node).session


def swedish_role(role: str | None) -> str:
    """A stored role ("pupil") as the interface shows it ("elev"); unknown values as they are."""
    try:
        return Role(role).swedish if role else ""
    except ValueError:
        return role or ""


def participants_text(participants: list[dict[str, Any]]) -> str:
    """Speakers with their Swedish roles: "Intervjuare (intervjuare), Elev 3 (elev)"."""
    out = []
    for p in participants:
        swedish = swedish_role(p.get("role"))
        out.append(f"{p['label']} ({swedish})" if swedish else p["label"])
    return ", ".join(out)


class Listing:
    """The values behind an OptionList's options, under ids that a refill never reuses: a message
    about an option of the previous fill (still queued while the user types) finds nothing."""

    def __init__(self) -> None:
        self.fills = 0
        self.values: dict[str, Any] = {}

    def options(self, pairs: Iterable[tuple[Any, Any]]) -> list[Option]:
        """Options for (prompt, value) pairs, replacing the previous fill's."""
        self.fills += 1
        self.values = {}
        out = []
        for i, (prompt, value) in enumerate(pairs):
            option_id = f"f{self.fills}-{i}"
            self.values[option_id] = value
            out.append(Option(prompt, id=option_id))
        return out

    def get(self, option_id: str | None) -> Any | None:
        return self.values.get(option_id or "")
