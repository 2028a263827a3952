"""Fixtures for the workbench's tests: a small fictional project built once, copied for each test."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot

from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.project import Project
from ppss_qual.tui.app import PpssApp, create_app


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (Pilot needs one), without an asyncio plugin."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = inspect.signature(pyfuncitem.obj).parameters
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


ROOT = Path(__file__).resolve().parents[2]
SIZE = (120, 40)

# Fictional, written for these tests.
TRANSCRIPT = """Intervjuare: Hur var det i skolan förra året? Berätta gärna.

Elev 3: Det var jobbigt. Ingen lyssnade på mig. Barnen i klassen var okej.

Intervjuare: Mm. Och nu?

Elev 3: Nu känner jag mig lyssnad på. Sara lyssnar alltid. De vuxna bryr sig om mig.
"""
NAME = "intervju_elev3"


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory, analyser: Analyser) -> Path:
    """One transcript and the PPSS codebook, imported once per test process (the analyser costs seconds)."""
    folder = tmp_path_factory.mktemp("tui-template")
    source = folder / f"{NAME}.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    path = folder / "template.db"
    with Project.open(path, coder="anna", analyser=analyser) as project:
        report = project.import_paths([source], workers=1)
        assert not report.failed, report.failed
        project.codebook.import_file(ROOT / "codebooks" / "ppss.yaml")
    return path


@pytest.fixture
def project_file(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "project.db"
    shutil.copy(template, path)
    return path


@pytest.fixture
def make_app(project_file: Path) -> Callable[..., PpssApp]:
    def make(coder: str | None = "anna") -> PpssApp:
        return create_app(project_file, coder)

    return make


def reopen(path: Path, coder: str = "anna") -> Project:
    """A fresh Project on the file, as another process would see it."""
    return Project.open(path, create=False, coder=coder)


def codings(path: Path) -> list[dict]:
    with reopen(path) as project:
        tid = project.transcript(NAME).id
        return project.codings.in_transcript(tid)


def run(app: PpssApp, notes: list[str] | None = None):  # type: ignore[no-untyped-def]
    """`app.run_test` at the tests' size; notifications shown are collected in `notes`."""

    def hook(message: Message) -> None:
        if notes is not None and isinstance(message, Notify):
            notes.append(message.notification.message)

    return app.run_test(size=SIZE, message_hook=hook)


async def settle(pilot: Pilot) -> None:
    """Let workers finish and their messages be handled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_transcript(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)
