"""How the key screens look at 120x40: home, a coded transcript, the code picker, the codebook panel.

Regenerate after a deliberate change with `pytest tests/tui/test_snapshots.py --snapshot-update`, and look
at the report (or the SVGs in __snapshots__/) before keeping them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ppss_qual.coding.operations import Selector
from ppss_qual.tui.app import create_app
from tests.tui.conftest import NAME, SIZE, reopen, settle


@pytest.fixture
def coded(project_file: Path) -> Path:
    """The test transcript with overlapping codings by two coders."""
    with reopen(project_file) as project:
        project.codings.code(NAME, "Att bli lyssnad på", Selector(match="Ingen lyssnade på mig."))
        project.codings.code(NAME, "Tillit", Selector(turn=4))
        project.codings.code(NAME, "Att bli lyssnad på", Selector(match="Nu känner jag mig lyssnad på."))
    with reopen(project_file, coder="bo") as project:
        project.codings.code(NAME, "Psykisk hälsa", Selector(match="Det var jobbigt."))
    return project_file


async def steady(pilot: Pilot) -> None:
    """Settle, and stop text cursors blinking, so that every run draws the same picture."""
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_home(snap_compare, coded: Path) -> None:
    assert snap_compare(create_app(coded, "anna"), terminal_size=SIZE, run_before=steady)


def test_coded_transcript(snap_compare, coded: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("j", "j", "j", "s", "W")
        await steady(pilot)

    assert snap_compare(create_app(coded, "anna"), terminal_size=SIZE, run_before=run_before)


def test_code_picker(snap_compare, coded: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("j", "s", "c", *"lyss")
        await steady(pilot)

    assert snap_compare(create_app(coded, "anna"), terminal_size=SIZE, run_before=run_before)


def test_codebook_panel(snap_compare, coded: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        await pilot.press(*["down"] * 13)  # Barnets röst / Att bli lyssnad på
        await steady(pilot)

    assert snap_compare(create_app(coded, "anna"), terminal_size=SIZE, run_before=run_before)
