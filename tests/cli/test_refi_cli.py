"""REFI-QDA on the command line: `export qdpx` as a script runs it; `refi import` and `refi check` (ready,
not yet registered as a top-level command) through click's runner."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import click
import pytest

from tests.conftest import run_cli
from tests.unit.test_refi_support import REFI_DATA


def refi(*args: str, project: Path | None = None) -> tuple[int, str, str]:
    """`ppss-qual [--project P] refi ...` in this process: (exit status, stdout, stderr with any error)."""
    from click.testing import CliRunner

    from ppss_qual.cli.commands_refi import refi as group
    from ppss_qual.cli.context import CliContext
    from ppss_qual.errors import PpssError

    @click.group()
    @click.option("--project", "path", type=click.Path(path_type=Path), default=Path("ppss.db"))
    @click.pass_context
    def root(ctx: click.Context, path: Path) -> None:
        ctx.obj = CliContext(path)
        ctx.call_on_close(ctx.obj.close)

    root.add_command(group)
    head = ["--project", str(project)] if project else []
    result = CliRunner().invoke(root, [*head, "refi", *args], env={"PPSS_QUAL_CODER": "anna"})
    error = result.stderr
    if isinstance(result.exception, PpssError):  # as ppss-qual's main prints it
        error += f"error: {result.exception}"
        return 1, result.stdout, error
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, error


TRANSCRIPT = """Intervjuare: Hur var det i skolan?

Elev 3: Ingen lyssnade på mig 😀 alls. Lena Holmqvist förstod.

Lena Holmqvist: Jag är kurator på skolan.

Intervjuare: Och nu?

Elev 3: Nu blir jag lyssnad på.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("refi-cli")
    source = folder / "intervju1.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    path = folder / "p.db"
    run_cli("import", str(source), "--role", "pupil", project=path)
    run_cli("codes", "add", "Att bli lyssnad på", "--name-en", "Being listened to", project=path)
    run_cli(
        "code",
        "intervju1",
        "--code",
        "Att bli lyssnad på",
        "--match",
        "Nu blir jag lyssnad på.",
        project=path,
    )
    run_cli("code", "intervju1", "--code", "Att bli lyssnad på", "--match", "alls.", project=path, coder="bo")
    return path


def test_export_import_round_trip(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    done = run_cli("export", "qdpx", "--out", str(out), "--real-names", project=project)
    assert "1 transcripts, 1 codes, 2 codings" in done.stdout and "real names" in done.stdout
    target = tmp_path / "new.db"
    status, stdout, _ = refi("import", str(out), "--format", "json", project=target)
    report = json.loads(stdout)
    assert status == 0
    assert report["unit"] == "codepoints" and report["codings"] == 2 and report["not_imported"] == []
    with sqlite3.connect(target) as conn:
        coded = sorted(conn.execute("SELECT text, coder FROM codings").fetchall())
    assert coded == [("Nu blir jag lyssnad på.", "anna"), ("alls.", "bo")]
    shown = json.loads(run_cli("show", "intervju1", "--format", "json", project=target).stdout)
    original = json.loads(run_cli("show", "intervju1", "--format", "json", project=project).stdout)
    assert shown["text"] == original["text"] and shown["turns"] == original["turns"]


def test_utf16_export_for_nvivo_and_check(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "nvivo.qdpx"
    run_cli("export", "qdpx", "--out", str(out), "--offsets", "utf16", "--real-names", project=project)
    checked = json.loads(refi("check", str(out), "--format", "json")[1])
    assert checked["valid"] and checked["offsets"] == "utf16" and checked["problems"] == []
    table = refi("check", str(out))[1]
    assert "valid" in table and "offsets: utf16" in table


def test_names_are_replaced_unless_real_names(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.qdpx"
    done = run_cli("export", "qdpx", "--out", str(out), project=project)
    assert "names replaced" in done.stdout
    with zipfile.ZipFile(out) as archive:
        assert not any(b"Holmqvist" in archive.read(n) for n in archive.namelist())


def test_hostile_file_fails_with_the_file_named(tmp_path: Path) -> None:
    target = tmp_path / "p.db"
    bad = REFI_DATA / "climb.qdpx"
    status, _, stderr = refi("import", str(bad), project=target)
    assert status == 1 and str(bad) in stderr and "climbs out" in stderr
    assert json.loads(run_cli("transcripts", "--format", "json", project=target).stdout) == []


def test_check_reports_an_invalid_or_broken_file(tmp_path: Path) -> None:
    status, _, stderr = refi("check", str(REFI_DATA / "truncated.qdc"))
    assert status == 1 and "truncated.qdc" in stderr and "cut off" in stderr
    status, stdout, _ = refi("check", str(REFI_DATA / "atlas-several-codings.qdpx"))
    assert status == 1 and "NOT valid" in stdout  # braces GUIDs are fine, '#RRGGBBAA' is not


def test_import_lists_what_it_could_not_import(tmp_path: Path) -> None:
    status, stdout, _ = refi("import", str(REFI_DATA / "maxqda-cases.qdpx"), project=tmp_path / "m.db")
    assert status == 0 and "not imported (8):" in stdout and "a pdf source, not text" in stdout


def test_commands_have_help() -> None:
    assert "Usage:" in run_cli("export", "qdpx", "--help").stdout
    for args in ([], ["import"], ["check"]):
        assert "Usage:" in refi(*args, "--help")[1]


def test_the_import_command_takes_qdpx_and_codes_import_takes_qdc(tmp_path: Path) -> None:
    from tests.conftest import cli_json, run_cli

    source = tmp_path / "elev.txt"
    source.write_text("Intervjuare: Hur är det?\n\nElev 3: Bra. Jag litar på Sara nu.\n", encoding="utf-8")
    first = tmp_path / "first.db"
    run_cli("import", str(source), project=first)
    run_cli("codes", "add", "Tillit", "--name-en", "Trust", project=first)
    run_cli("code", "elev", "--code", "Tillit", "--match", "Jag litar på Sara nu.", project=first)
    qdpx = tmp_path / "p.qdpx"
    run_cli("export", "qdpx", "--out", str(qdpx), "--real-names", project=first)
    second = tmp_path / "second.db"
    run_cli("import", str(qdpx), project=second)
    excerpts = cli_json("excerpts", project=second)
    assert [(e["code"], e["text"]) for e in excerpts] == [("Tillit", "Jag litar på Sara nu.")]  # type: ignore[index]
    qdc = tmp_path / "k.qdc"
    run_cli("export", "codebook", "--out", str(qdc), project=first)
    third = tmp_path / "third.db"
    run_cli("codes", "import", str(qdc), project=third)
    assert [r["name_en"] for r in cli_json("codes", "tree", project=third)] == ["Trust"]  # type: ignore[index]
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip")
    proc = run_cli("import", str(bad), project=third, check=False)
    assert proc.returncode == 1 and "bad.qdpx" in proc.stderr
