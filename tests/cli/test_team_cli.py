"""The team commands as a script runs them: coders, done, agreement, disagreements, settle, merge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import cli_json, run_cli

TRANSCRIPT = """Intervjuare: Hur var det i skolan?

Elev 3: Ingen lyssnade på mig. Barnen var okej. De vuxna förstod inte.

Intervjuare: Och nu?

Elev 3: Nu blir jag lyssnad på. Sara lyssnar.
"""

TEAM_COMMANDS = ["coders", "done", "agreement", "disagreements", "settle", "merge"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("team")
    source = folder / "intervju1.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    path = folder / "p.db"
    run_cli("import", str(source), "--role", "pupil", project=path)
    run_cli("codes", "add", "Att bli lyssnad på", project=path)
    run_cli("codes", "add", "Tillit", project=path)
    code = ["code", "intervju1", "--code"]
    run_cli(*code, "Att bli lyssnad på", "--match", "Ingen lyssnade på mig.", project=path, coder="ylva")
    run_cli(*code, "Att bli lyssnad på", "--turn", "2", project=path, coder="omar")
    run_cli(*code, "Tillit", "--match", "Sara lyssnar.", project=path, coder="ylva")
    run_cli(*code, "Tillit", "--match", "Sara lyssnar.", project=path, coder="omar")
    return path


@pytest.fixture
def copy(project: Path, tmp_path: Path) -> Path:
    path = tmp_path / "copy.db"
    shutil.copy(project, path)
    return path


@pytest.mark.parametrize("command", TEAM_COMMANDS)
def test_every_team_command_has_help(command: str) -> None:
    out = run_cli(command, "--help").stdout
    assert "Usage:" in out and len(out.splitlines()) > 3


def test_agreement_json_keys_per_code_and_pooled(project: Path) -> None:
    rows = cli_json("agreement", "--coders", "ylva,omar", project=project)
    assert isinstance(rows, list) and [r["code"] for r in rows] == ["Att bli lyssnad på", "Tillit", None]
    for row in rows:
        assert {"code", "unit", "coders", "percent_agreement", "kappa", "alpha", "units"} <= set(row)
        assert row["unit"] == "char" and row["coders"] == ["ylva", "omar"] and row["transcripts"] == 1
    tillit = rows[1]
    assert tillit["kappa"] == 1.0 and tillit["percent_agreement"] == 100.0 and tillit["only_a"] == 0
    lyssnad = rows[0]
    assert lyssnad["both"] == len("Ingen lyssnade på mig.") and lyssnad["only_a"] == 0
    assert 0 < lyssnad["kappa"] < 1
    pooled = rows[2]
    assert pooled["units"] == 2 * lyssnad["units"] and pooled["both"] == lyssnad["both"] + tillit["both"]
    sentences = cli_json("agreement", "--coders", "ylva,omar", "--unit", "sentence", project=project)
    assert isinstance(sentences, list) and sentences[0]["unit"] == "sentence"
    assert sentences[0]["units"] == 7  # the sentences of the four turns: 1 + 3 + 1 + 2


def test_agreement_table_says_what_it_is_computed_over(project: Path) -> None:
    out = run_cli("agreement", "--coders", "ylva,omar", project=project).stdout
    first = out.splitlines()[0]
    assert "characters of the whole stored text" in first and "1 transcript" in first
    assert "(all codes)" in out
    out = run_cli("agreement", "--coders", "ylva,omar", "--speech-only", project=project).stdout
    assert "speech" in out.splitlines()[0]
    csv = run_cli("agreement", "--coders", "ylva,omar", "--format", "csv", project=project).stdout
    assert csv.splitlines()[0].startswith("code,unit,coders,percent_agreement,kappa,alpha,units")


def test_disagreements_settle_and_undo(copy: Path) -> None:
    rows = cli_json("disagreements", "--coders", "ylva,omar", project=copy)
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    assert row["code"] == "Att bli lyssnad på" and row["kind"] == "span"
    assert row["a_text"] == "Ingen lyssnade på mig." and row["b_text"].startswith(
        "Ingen lyssnade på mig. Barnen"
    )
    table = run_cli("disagreements", "--coders", "ylva,omar", project=copy).stdout
    assert row["id"] in table and "A ylva:" in table and "B omar:" in table
    out = run_cli("settle", row["id"], "--take", "B", project=copy, coder="ylva").stdout
    assert "took omar's version" in out
    assert cli_json("disagreements", "--coders", "ylva,omar", project=copy) == []
    agreement = cli_json("agreement", "--coders", "ylva,omar", project=copy)
    assert isinstance(agreement, list) and agreement[-1]["kappa"] == 1.0
    settled = cli_json("disagreements", "--settled", project=copy)
    assert isinstance(settled, list) and settled[0]["take"] == "omar" and settled[0]["settled_by"] == "ylva"
    log = cli_json("log", "--limit", "1", project=copy)
    assert isinstance(log, list) and log[0]["action"] == "settle" and log[0]["coder"] == "ylva"
    run_cli("undo", project=copy, coder="ylva")
    assert len(cli_json("disagreements", "--coders", "ylva,omar", project=copy)) == 1  # type: ignore[arg-type]
    missing = run_cli("settle", "abcdef12", "--take", "A", project=copy, check=False)
    assert missing.returncode == 1 and "error:" in missing.stderr


def test_coders_and_done(copy: Path) -> None:
    rows = cli_json("coders", project=copy)
    assert isinstance(rows, list)
    assert {r["coder"]: r["codings"] for r in rows} == {"omar": 2, "ylva": 2}
    assert "marked done by sara" in run_cli("done", "intervju1", project=copy, coder="sara").stdout
    assert "already" in run_cli("done", "intervju1", project=copy, coder="sara").stdout
    rows = cli_json("coders", project=copy)
    assert isinstance(rows, list) and {r["coder"]: r["done"] for r in rows}["sara"] == 1
    # sara counts now: her values are "not coded", so three coders compare
    three = cli_json("agreement", "--coders", "ylva,omar,sara", project=copy)
    assert isinstance(three, list) and three[-1]["kappa"] is None and three[-1]["alpha"] is not None
    assert "taken off" in run_cli("done", "intervju1", "--undo", project=copy, coder="sara").stdout


def test_merge_a_copy(project: Path, copy: Path) -> None:
    run_cli("codes", "add", "Tilit", project=copy, coder="omar")
    run_cli("code", "intervju1", "--code", "Tilit", "--turn", "4", project=copy, coder="omar")
    merged = copy.with_name("merged.db")
    shutil.copy(project, merged)
    out = run_cli("merge", str(copy), project=merged, coder="ylva").stdout
    assert "+ Tilit" in out and "Tillit" in out.split("suggested")[1]
    report = cli_json("merge", str(copy), project=merged, coder="ylva")
    assert isinstance(report, dict) and report["changed"] is False and report["codings_identical"] == 5
    bad = run_cli("merge", str(copy.with_name("nope.db")), project=merged, check=False)
    assert bad.returncode == 1 and "nope.db" in bad.stderr


def test_unknown_coder_is_a_clear_error(project: Path) -> None:
    proc = run_cli("agreement", "--coders", "ylva,nobody", project=project, check=False)
    assert proc.returncode == 1 and "nobody" in proc.stderr and "Traceback" not in proc.stderr
