"""Shared fixtures: projects in memory and on disk, small transcripts, the CLI as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ppss_qual.model import ParsedTranscript, RawTurn
from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.project import Project

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Personal settings go to a temporary config folder, never the developer's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("PPSS_QUAL_CODER", raising=False)
    monkeypatch.delenv("PPSS_QUAL_PROJECT", raising=False)


def parsed(name: str, turns: list[tuple[str | None, str]], **kw: object) -> ParsedTranscript:
    return ParsedTranscript(
        name=name,
        source_path=f"{name}.txt",
        source_format="txt",
        turns=[RawTurn(s, t) for s, t in turns],
        **kw,
    )  # type: ignore[arg-type]


INTERVIEW = [
    ("Intervjuare", "Hur var det i skolan förra året?"),
    ("Elev 3", "Det var jobbigt. Ingen lyssnade på mig. Barnen i klassen var okej."),
    ("Intervjuare", "Mm. Och nu?"),
    ("Elev 3", "Nu känner jag mig lyssnad på. Sara lyssnar. De vuxna bryr sig."),
]


@pytest.fixture(scope="session")
def analyser() -> Analyser:
    """One spaCy pipeline and lemma table for the whole session: loading them takes seconds."""
    return Analyser()


@pytest.fixture
def project(analyser: Analyser) -> Project:
    p = Project.memory(coder="anna", analyser=analyser)
    yield p
    p.close()


@pytest.fixture
def interview(project: Project) -> int:
    analysed = project.analyser.analyse(parsed("intervju1", INTERVIEW), "sv")
    tid, _ = project.add_transcript(analysed)
    return tid


def run_cli(
    *args: str,
    project: Path | None = None,
    coder: str | None = "anna",
    check: bool = True,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """The real command, in a real process, as a script would run it."""
    cmd = [sys.executable, "-m", "ppss_qual"]
    if project is not None:
        cmd += ["--project", str(project)]
    full_env = {**os.environ, **(env or {})}
    if coder:
        full_env["PPSS_QUAL_CODER"] = coder
    proc = subprocess.run([*cmd, *args], capture_output=True, text=True, env=full_env, cwd=cwd)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return proc


def cli_json(*args: str, project: Path, **kw: object) -> object:
    return json.loads(run_cli(*args, "--format", "json", project=project, **kw).stdout)  # type: ignore[arg-type]
