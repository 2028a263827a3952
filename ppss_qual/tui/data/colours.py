"""Colours of codes and speakers: a code's own "#RRGGBB", else a palette that reads on dark and light."""

from __future__ import annotations

import re

# Mid-saturation colours that stay distinct when a 256-colour terminal rounds them (Tableau 10 and two more).
PALETTE = (
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
    "#86BCB6",
    "#D37295",
)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def code_colour(code_id: int, colour: str | None) -> str:
    """The code's own colour when it is a valid "#RRGGBB", else one from the palette by its id."""
    if colour and _HEX.match(colour):
        return colour.upper()
    return PALETTE[code_id % len(PALETTE)]


ROLE_COLOURS = {
    "pupil": "#F28E2B",
    "parent": "#59A14F",
    "school-staff": "#4E79A7",
    "social-services": "#B07AA1",
    "interviewer": "#9C9C9C",
}


def speaker_colour(role: str | None) -> str:
    return ROLE_COLOURS.get(role or "", "#76B7B2")
