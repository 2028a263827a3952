"""What every screen reaches for: the session, and the app's helpers, without importing the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from ppss_qual.tui.app import PpssApp
    from ppss_qual.tui.session import Session


def app_of(node: DOMNode) -> PpssApp:
    return cast("PpssApp", node.app)


def session_of(node: DOMNode) -> Session:
    return app_of(node).session


def participants_text(participants: list[dict[str, Any]]) -> str:
    """Speakers with their Swedish roles: "Intervjuare (intervjuare), Elev 3 (elev)"."""
    from ppss_qual.model import Role

    out = []
    for p in participants:
        role = p.get("role")
        try:
            swedish = Role(role).swedish if role else ""
        except ValueError:
            swedish = role or ""
        out.append(f"{p['label']} ({swedish})" if swedish else p["label"])
    return ", ".join(out)
