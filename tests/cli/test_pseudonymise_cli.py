"""`ppss-qual pseudonymise`: list, decide, review, apply, export the key; as a script and a person use it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ppss_qual.cli import cli
from ppss_qual.cli import commands_pseudonymise as commands
from tests.conftest import cli_json, run_cli

TRANSCRIPT = """[Fiktiv testintervju.]

Intervjuare: Berätta om skolan.

Lena Holmqvist: Jag heter Lena. Mira går på Björkdalsskolan. Hennes kompis Nourhan bor i Hjulsta. Ring mig på 070-123 45 67 eller mejla lena.h@exempel.se.

Intervjuare: Och Mira?

Lena Holmqvist: Mira mår bättre nu. Nourhan också.
"""
LIST_KEYS = {"id", "transcript", "start", "end", "text", "kind", "reason", "status", "pseudonym"}


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pseudo")
    source = folder / "intervju1.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    path = folder / "p.db"
    run_cli("import", str(source), "--role", "parent", project=path)
    return path


@pytest.fixture
def project(original: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "p.db"
    shutil.copy(original, copy)
    return copy


def _rows(project: Path, *args: str) -> list[dict[str, object]]:
    rows = cli_json("pseudonymise", "--list", *args, project=project)
    assert isinstance(rows, list)
    return rows


def test_list_detects_first_and_has_exactly_the_documented_keys(project: Path) -> None:
    proc = run_cli("pseudonymise", "--list", "--format", "json", project=project)
    assert "detection ran on 1 transcripts" not in proc.stdout  # progress and notes go to stderr
    rows = _rows(project)
    assert rows and all(set(r) == LIST_KEYS for r in rows)
    found = {(r["text"], r["kind"]) for r in rows}
    assert {
        ("Lena", "person"),
        ("Mira", "person"),
        ("Nourhan", "person"),
        ("Björkdalsskolan", "school"),
        ("Hjulsta", "place"),
        ("070-123 45 67", "phone"),
        ("lena.h@exempel.se", "email"),
    } <= found
    assert {r["status"] for r in rows} == {"suggested"}
    assert {r["kind"] for r in _rows(project, "--kind", "person")} == {"person"}
    assert _rows(project, "--status", "accepted") == []
    assert _rows(project, "--transcript", "intervju1") == rows
    table = run_cli("pseudonymise", "--list", project=project).stdout
    assert "Nourhan" in table and "reason" in table


def test_accept_reject_all_of_text_and_undo(project: Path) -> None:
    rows = _rows(project)
    mira = [r for r in rows if r["text"] == "Mira"]
    out = run_cli("pseudonymise", "--accept", str(mira[0]["id"]), "--all-of-text", project=project).stdout
    assert "accepted 3 occurrence(s) of person 'Mira'" in out
    assert {r["status"] for r in _rows(project) if r["text"] == "Mira"} == {"accepted"}
    run_cli("undo", project=project)
    assert {r["status"] for r in _rows(project) if r["text"] == "Mira"} == {"suggested"}
    hjulsta = next(r for r in rows if r["text"] == "Hjulsta")
    run_cli("pseudonymise", "--reject", str(hjulsta["id"]), project=project)
    assert next(r for r in _rows(project) if r["text"] == "Hjulsta")["status"] == "rejected"
    nourhan = next(r for r in rows if r["text"] == "Nourhan")
    run_cli("pseudonymise", "--accept", str(nourhan["id"]), "--pseudonym", "Kompisen", project=project)
    assert {r["pseudonym"] for r in _rows(project) if r["text"] == "Nourhan"} == {"Kompisen"}
    out = run_cli("pseudonymise", "--accept", "all", "--kind", "phone", project=project).stdout
    assert "accepted 1 remaining suggestions of kind phone" in out
    assert "pseudonymise" in {e["action"] for e in cli_json("log", project=project)}  # type: ignore[union-attr]


def test_bad_requests_are_refused_with_a_reason(project: Path) -> None:
    proc = run_cli("pseudonymise", project=project, check=False)
    assert proc.returncode != 0 and "--list" in proc.stderr
    proc = run_cli("pseudonymise", "--accept", "999", project=project, check=False)
    assert proc.returncode != 0 and "no entity 999" in proc.stderr
    proc = run_cli("pseudonymise", "--accept", "x", project=project, check=False)
    assert proc.returncode != 0 and "no entity id" in proc.stderr
    proc = run_cli("pseudonymise", "--apply", project=project, check=False)
    assert proc.returncode != 0 and "--out" in proc.stderr


def test_apply_and_export_key(project: Path, tmp_path: Path) -> None:
    run_cli("pseudonymise", "--accept", "all", "--kind", "person", project=project)
    out = tmp_path / "out"
    proc = run_cli("pseudonymise", "--apply", "--out", str(out), project=project)
    assert "1 pseudonymised transcripts written" in proc.stdout
    assert "still undecided" in proc.stderr  # school, place, phone, e-mail not decided yet
    text = (out / "intervju1.txt").read_text(encoding="utf-8")
    assert "Lena" not in text and "Mira" not in text and "Nourhan" not in text
    assert "070-123 45 67" in text
    run_cli("pseudonymise", "--accept", "all", project=project)
    proc = run_cli("pseudonymise", "--apply", "--out", str(out), project=project)
    assert "undecided" not in proc.stderr
    text = (out / "intervju1.txt").read_text(encoding="utf-8")
    for real in ("Björkdalsskolan", "Hjulsta", "070-123", "lena.h@"):
        assert real not in text
    shown = cli_json("show", "intervju1", project=project)
    assert "Nourhan" in shown["text"]  # type: ignore[index]  # the stored text keeps the real words
    key = tmp_path / "key.csv"
    run_cli("pseudonymise", "--export-key", str(key), project=project)
    rows = list(csv.DictReader(key.read_text(encoding="utf-8-sig").splitlines()))
    assert {"Lena Holmqvist", "Nourhan", "Hjulsta", "070-123 45 67"} <= {r["real"] for r in rows}


def test_review_without_a_terminal_explains_and_fails(project: Path) -> None:
    proc = run_cli("pseudonymise", "--review", project=project, check=False)
    assert proc.returncode == 2 and "needs a terminal" in proc.stderr and proc.stdout == ""


def test_review_loop(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "_interactive", lambda: True)
    monkeypatch.setenv("PPSS_QUAL_CODER", "anna")
    # Lena: accept; Mira: accept every occurrence; Nourhan: an unknown key, then a pseudonym of our own,
    # then (at the second Nourhan) undo that, which brings the first back; then quit.
    answers = "a\nA\nx\ne\nKompisen\nu\nq\n"
    result = CliRunner().invoke(
        cli, ["--project", str(project), "pseudonymise", "--review", "--kind", "person"], input=answers
    )
    assert result.exit_code == 0, result.output
    assert "[1/6] intervju1, line 5: person (participant register)" in result.output
    assert "»Lena«" in result.output and "-> Förälder 1" in result.output
    assert "accepted 3 × 'Mira' -> [namn 1]" in result.output
    assert "unknown answer 'x'" in result.output
    assert "undone: accepted one occurrence of person 'Nourhan' as Kompisen" in result.output
    assert result.output.count("[3/6]") == 3  # shown, asked again, and shown again after the undo
    assert "2 decisions made" in result.output
    rows = {(r["text"], r["status"], r["pseudonym"]) for r in _rows(project) if r["kind"] == "person"}
    assert ("Lena", "accepted", "Förälder 1") in rows and ("Mira", "accepted", "[namn 1]") in rows
    assert {(s, p) for t, s, p in rows if t == "Nourhan"} == {("suggested", "[namn 2]")}


def test_help_documents_the_decisions() -> None:
    out = run_cli("pseudonymise", "--help").stdout
    for phrase in ("--list", "--review", "--accept ID", "--all-of-text", "--apply --out DIR", "--export-key"):
        assert phrase in out
    assert "replaced everywhere" in out and "NOT replaced" in out
