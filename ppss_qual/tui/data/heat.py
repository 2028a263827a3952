"""A heat scale for table cells: backgrounds that read on dark and light themes and stay distinct in 256 colours."""

from __future__ import annotations

import math

# Eight steps each, low to high, that start near the theme's background so that strong cells stand out.
# Each step rounds to a different colour of the xterm 256-colour cube, so a terminal without true colour
# still shows eight distinct steps: viridis on dark themes (53 54 60 36 72 77 148 220), ColorBrewer's
# YlGnBu on light ones (229 187 115 74 31 25 24 17).
HEAT_DARK = ("#440154", "#482878", "#31688E", "#1F9E89", "#35B779", "#6DCD59", "#B4DE2C", "#FDE725")
HEAT_LIGHT = ("#EDF8B1", "#C7E9B4", "#7FCDBB", "#41B6C4", "#1D91C0", "#225EA8", "#253494", "#081D58")
STEPS = len(HEAT_DARK)


def scale(dark: bool = True) -> tuple[str, ...]:
    return HEAT_DARK if dark else HEAT_LIGHT


def level(value: float, top: float, steps: int = STEPS) -> int | None:
    """The step (0 .. steps-1) of `value` on a scale up to `top`; None for nothing (0 or less)."""
    if value <= 0 or top <= 0:
        return None
    return min(steps - 1, max(0, math.ceil(value / top * steps) - 1))


def text_on(background: str) -> str:
    """Black or white, whichever reads better on `background` ("#RRGGBB"), by its relative luminance."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.18 else "#FFFFFF"


def heat_style(value: float, top: float, *, dark: bool = True) -> str:
    """A Rich style for a cell holding `value` on a scale up to `top`: "dim" for nothing."""
    step = level(value, top)
    if step is None:
        return "dim"
    background = scale(dark)[step]
    return f"{text_on(background)} on {background}"
