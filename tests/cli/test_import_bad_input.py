"""Bad input gets a message naming the file and the problem, changes nothing, and the good files go in."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import cli_json, run_cli

GOOD = "Intervjuare: Hur mår du i dag?\n\nElev 3: Det är bra. Jag har sovit ordentligt.\n"


def _names(project: Path) -> list[str]:
    if not project.exists():
        return []
    return [t["name"] for t in cli_json("transcripts", project=project)]  # type: ignore[union-attr]


def _damaged_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body><w:p>broken")


BAD = {
    "empty.txt": (lambda p: p.write_bytes(b""), "empty"),
    "binary.txt": (lambda p: p.write_bytes(bytes(range(256)) * 8), "binary"),
    "notes.pdf": (lambda p: p.write_bytes(b"%PDF-1.4 not a transcript"), "unknown file type"),
    "damaged.docx": (_damaged_docx, "docx"),
    "notzip.docx": (lambda p: p.write_bytes(b"plain text pretending"), "docx"),
    "badbytes.txt": (lambda p: p.write_bytes(b"Elev: hej \x81\x8d\x8f\x90\x9d \xff\xfe\xc3"), "encoding"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_is_named_with_its_problem_and_changes_nothing(tmp_path: Path, name: str) -> None:
    make, problem = BAD[name]
    path = tmp_path / name
    make(path)
    project = tmp_path / "p.db"
    run_cli("import", str(tmp_path / "nothing-yet.txt"), project=project, check=False)  # creates the file
    proc = run_cli("import", str(path), project=project, check=False)
    assert proc.returncode != 0
    assert name in proc.stderr and problem.lower() in proc.stderr.lower(), proc.stderr
    assert _names(project) == []


def test_one_bad_file_in_a_folder_of_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text(GOOD.replace("bra", "okej"), encoding="utf-8")
    (folder / "c.txt").write_bytes(b"")
    (folder / "README.md").write_text("# notes\n", encoding="utf-8")
    project = tmp_path / "p.db"
    proc = run_cli("import", str(folder), project=project, check=False)
    assert proc.returncode == 1
    assert "c.txt" in proc.stderr and "empty" in proc.stderr
    assert "README.md" in proc.stderr  # skipped, and said so
    assert _names(project) == ["a", "b"]
    assert "2 imported" in proc.stdout and "1 failed" in proc.stdout


def test_the_same_text_twice_is_refused_unless_forced(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text(GOOD, encoding="utf-8")
    again = tmp_path / "kopia.txt"
    again.write_bytes(GOOD.replace("\n", "\r\n").encode("utf-8-sig"))  # same text once normalised
    project = tmp_path / "p.db"
    run_cli("import", str(first), project=project)
    proc = run_cli("import", str(again), project=project, check=False)
    assert proc.returncode == 1 and "kopia.txt" in proc.stderr and "already has this text" in proc.stderr
    assert _names(project) == ["a"]
    run_cli("import", str(first), "--force", project=project)
    assert _names(project) == ["a", "a (2)"]


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    proc = run_cli("import", str(tmp_path / "nope.txt"), project=tmp_path / "p.db", check=False)
    assert proc.returncode == 1 and "nope.txt" in proc.stderr and "no such file" in proc.stderr


def test_a_file_without_labels_imports_as_one_unnamed_speaker_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "anteckningar.txt"
    path.write_text("Vi pratade om skolan och om hur det känns att komma tillbaka.\n", encoding="utf-8")
    project = tmp_path / "p.db"
    proc = run_cli("import", str(path), project=project)
    assert "warning" in proc.stderr and "speaker" in proc.stderr
    shown = cli_json("show", "anteckningar", project=project)
    assert [t["speaker"] for t in shown["turns"]] == [None]  # type: ignore[index]


def test_a_bad_participant_sheet_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    project = tmp_path / "p.db"
    run_cli("import", str(tmp_path / "a.txt"), project=project)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "transcript;speaker;participant;role;school\na;Elev 3;Elev 3;pupil;Björkdal\n"
        "a;Intervjuare;Intervjuare;astronaut;\n",
        encoding="utf-8",
    )
    proc = run_cli("participants", "import", str(sheet), project=project, check=False)
    assert proc.returncode == 1 and "sheet.csv:3" in proc.stderr and "role" in proc.stderr
    rows = {r["name"]: r for r in cli_json("participants", project=project)}  # type: ignore[union-attr]
    assert rows["Elev 3"]["attributes"] == {}
