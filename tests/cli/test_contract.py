"""The command line's names and JSON keys are a contract that scripts and outside checks rely on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli_json, run_cli

TRANSCRIPT = """[Fiktiv testintervju.]

Intervjuare: Hur var det i skolan?

Elev 3: Ingen lyssnade på mig. Barnen var okej. De vuxna förstod inte.

Intervjuare: Och nu?

Elev 3: Nu blir jag lyssnad på. Sara lyssnar.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("contract")
    source = folder / "intervju1.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    path = folder / "p.db"
    run_cli("import", str(source), "--role", "pupil", project=path)
    run_cli("codes", "add", "Barnets röst", "--name-en", "The child's voice", project=path)
    run_cli(
        "codes",
        "add",
        "Att bli lyssnad på",
        "--parent",
        "Barnets röst",
        "--name-en",
        "Being listened to",
        project=path,
    )
    run_cli(
        "code", "intervju1", "--code", "Att bli lyssnad på", "--match", "Ingen lyssnade på mig.", project=path
    )
    return path


def test_transcripts_keys(project: Path) -> None:
    rows = cli_json("transcripts", project=project)
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    assert {"id", "name", "words", "turns", "speakers", "coded_share", "language"} <= set(row)
    assert row["name"] == "intervju1" and row["language"] == "sv" and row["turns"] == 5
    assert row["speakers"] == ["Intervjuare", "Elev 3"]
    assert 0 < row["coded_share"] < 1


def test_show_keys_and_offsets(project: Path) -> None:
    data = cli_json("show", "intervju1", project=project)
    assert isinstance(data, dict) and data["name"] == "intervju1"
    turn = data["turns"][2]
    assert set(turn) >= {
        "number",
        "line",
        "speaker",
        "role",
        "start",
        "end",
        "text",
        "time_start_ms",
        "time_end_ms",
    }
    assert (turn["number"], turn["speaker"], turn["role"]) == (3, "Elev 3", "pupil")
    assert turn["text"] == "Ingen lyssnade på mig. Barnen var okej. De vuxna förstod inte."
    assert data["text"][turn["start"] : turn["end"]] == turn["text"]
    assert data["text"].splitlines()[turn["line"] - 1].startswith("Elev 3: Ingen")
    assert set(data["sentences"][0]) >= {"number", "turn", "start", "end"}
    assert [s["turn"] for s in data["sentences"]].count(3) == 3


@pytest.mark.parametrize(
    "query,expected",
    [("lyssna", {"lyssnade", "lyssnad", "lyssnar"}), ("vuxen", {"vuxna"}), ("barn", {"Barnen"})],
)
def test_search_is_lemma_aware(project: Path, query: str, expected: set[str]) -> None:
    rows = cli_json("search", query, project=project)
    assert isinstance(rows, list)
    assert {r["match"] for r in rows} == expected
    assert set(rows[0]) >= {"transcript", "speaker", "line", "start", "end", "sentence", "match"}


def test_codes_tree_and_find_keys(project: Path) -> None:
    tree = cli_json("codes", "tree", project=project)
    assert [(r["name"], r["path"], r["parent"], r["count"]) for r in tree] == [
        ("Barnets röst", "Barnets röst", None, 0),
        ("Att bli lyssnad på", "Barnets röst/Att bli lyssnad på", "Barnets röst", 1),
    ]
    assert set(tree[0]) >= {"id", "name", "name_en", "path", "parent", "count"}
    found = cli_json("codes", "find", "lysnad", project=project)
    assert found[0]["name"] == "Att bli lyssnad på" and "score" in found[0]


def test_participants_lists_roles(project: Path) -> None:
    rows = cli_json("participants", project=project)
    by_name = {r["name"]: r for r in rows}
    assert by_name["Elev 3"]["role"] == "pupil"
    assert by_name["Intervjuare"]["role"] == "interviewer"


def test_csv_and_table_formats(project: Path) -> None:
    csv_out = run_cli("transcripts", "--format", "csv", project=project).stdout
    assert csv_out.splitlines()[0].startswith("id,name")
    table = run_cli("transcripts", project=project).stdout
    assert "intervju1" in table


def test_project_from_the_environment(project: Path) -> None:
    out = run_cli("transcripts", "--format", "json", env={"PPSS_QUAL_PROJECT": str(project)}).stdout
    assert "intervju1" in out


def test_every_command_has_help() -> None:
    from ppss_qual.cli import cli

    names = []

    def walk(group, prefix):  # type: ignore[no-untyped-def]
        for name, command in group.commands.items():
            names.append(f"{prefix}{name}")
            assert command.help, f"{prefix}{name} has no help"
            if hasattr(command, "commands"):
                walk(command, f"{prefix}{name} ")

    walk(cli, "")
    for name in [
        "init",
        "import",
        "transcripts",
        "show",
        "search",
        "participants",
        "participants import",
        "codes",
        "codes tree",
        "codes add",
        "codes rename",
        "codes edit",
        "codes move",
        "codes merge",
        "codes delete",
        "codes find",
        "codes import",
        "code",
        "uncode",
        "undo",
        "redo",
        "memo add",
        "memos",
        "export codebook",
        "tui",
    ]:
        assert name in names
    assert run_cli("--help").stdout.count("\n") > 10


def test_readme_documents_every_top_level_command() -> None:
    from ppss_qual.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"ppss-qual {name}" in readme, f"README does not mention ppss-qual {name}"


def test_errors_go_to_stderr_with_a_nonzero_status(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(project, copy)
    proc = run_cli("show", "nosuch", project=copy, check=False)
    assert proc.returncode != 0 and "nosuch" in proc.stderr and proc.stdout == ""
    proc = run_cli("transcripts", project=tmp_path / "absent.db", check=False)
    assert proc.returncode != 0 and "absent.db" in proc.stderr
    assert not (tmp_path / "absent.db").exists()
