"""The codebook and coding commands, run as a user runs them, against a real project file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, cli_json, run_cli

TEXT = """Intervjuare: Vad betydde det att Sara lyssnade?

Elev 3: Hon lyssnade på riktigt. Hon satt inte vid datorn. Jag litar på henne nu.

Intervjuare: Mm.

Elev 3: Men när mentorn slutade fick jag börja om. Det var jobbigt.
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("codebook")
    (folder / "elev3.txt").write_text(TEXT, encoding="utf-8")
    project = folder / "base.db"
    run_cli("import", str(folder / "elev3.txt"), project=project)
    run_cli("codes", "import", str(ROOT / "codebooks" / "ppss.yaml"), project=project)
    return project


@pytest.fixture
def project(base: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "p.db"
    copy.write_bytes(base.read_bytes())
    return copy


def _tree(project: Path) -> dict[str, dict]:
    return {r["name"]: r for r in cli_json("codes", "tree", project=project)}  # type: ignore[union-attr]


def test_the_ppss_codebook_loads_with_both_languages(project: Path) -> None:
    tree = _tree(project)
    assert 25 <= len([r for r in tree.values() if r["parent"]]) <= 35
    assert 5 <= len([r for r in tree.values() if not r["parent"]]) <= 8
    assert all(r["name_en"] for r in tree.values())
    assert tree["Att bli lyssnad på"]["name_en"] == "Being listened to"
    assert tree["Kontinuitet"]["name_en"] == "Continuity"


def test_importing_the_same_codebook_again_changes_nothing(project: Path) -> None:
    out = run_cli("codes", "import", str(ROOT / "codebooks" / "ppss.yaml"), project=project).stdout
    assert "0 added" in out and "0 updated" in out


def test_import_reports_changed_and_missing_codes_and_updates_only_when_asked(
    project: Path, tmp_path: Path
) -> None:
    run_cli("codes", "add", "Egen kod", "--parent", "Skolan", project=project)
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        "codes:\n  - name: Skolan\n    name_en: School\n    definition: Ny definition.\n"
        "    codes:\n      - name: Ny kod\n        name_en: New code\n",
        encoding="utf-8",
    )
    out = run_cli("codes", "import", str(changed), project=project).stdout
    assert "1 added" in out and "Skolan: definition" in out and "Egen kod" in out
    tree = _tree(project)
    assert tree["Skolan"]["definition"] != "Ny definition." and "Ny kod" in tree and "Egen kod" in tree
    run_cli("codes", "import", str(changed), "--update", project=project)
    assert _tree(project)["Skolan"]["definition"] == "Ny definition."
    assert "Egen kod" in _tree(project)  # never deletes


@pytest.mark.parametrize(
    "content,where",
    [
        ("codes:\n  - name: A\n    codes: [\n", "bad.yaml:"),
        ("codes:\n  - name_en: Nameless\n", "bad.yaml:2"),
        ("codes:\n  - name: A\n  - name: a\n", "bad.yaml:3"),
        ("codes:\n  - name: A\n    colour: not-a-colour\n", "colour"),
    ],
)
def test_a_bad_codebook_is_named_and_changes_nothing(
    project: Path, tmp_path: Path, content: str, where: str
) -> None:
    before = _tree(project)
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    proc = run_cli("codes", "import", str(bad), project=project, check=False)
    assert proc.returncode != 0 and where in proc.stderr, proc.stderr
    assert _tree(project) == before


def test_an_unknown_field_warns_and_goes_on(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text("codes:\n  - name: Extra\n    colur: '#FF0000'\n", encoding="utf-8")
    proc = run_cli("codes", "import", str(path), project=project)
    assert "colur" in proc.stderr and "extra.yaml:3" in proc.stderr
    assert "Extra" in _tree(project)


@pytest.mark.parametrize("suffix", [".yaml", ".csv", ".md", ".docx"])
def test_export_codebook(project: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"kodbok{suffix}"
    run_cli("export", "codebook", "--out", str(out), project=project)
    assert out.stat().st_size > 1000
    if suffix in (".yaml", ".csv"):
        again = tmp_path / f"again{suffix}.db"
        run_cli("codes", "import", str(out), project=again)
        left = {
            k: {f: v[f] for f in ("path", "name_en", "definition", "colour", "keywords")}
            for k, v in _tree(project).items()
        }
        right = {
            k: {f: v[f] for f in ("path", "name_en", "definition", "colour", "keywords")}
            for k, v in _tree(again).items()
        }
        assert left == right


def test_code_uncode_undo_redo_and_memos_from_the_command_line(project: Path) -> None:
    run_cli(
        "code", "elev3", "--code", "being listened to", "--match", "Hon lyssnade på riktigt.", project=project
    )
    run_cli("code", "elev3", "--code", "Tillit", "--sentence", "4", "--coder", "bertil", project=project)
    excerpts = cli_json("show", "elev3", project=project)
    assert excerpts["turns"][1]["text"].startswith("Hon lyssnade")  # type: ignore[index]
    tree = _tree(project)
    assert tree["Att bli lyssnad på"]["count"] == 1 and tree["Tillit"]["count"] == 1
    run_cli("memo", "add", "code:Tillit", "Tillit växer med tiden.", project=project)
    memos = cli_json("memos", project=project)
    assert [m["text"] for m in memos] == ["Tillit växer med tiden."]  # type: ignore[index]
    run_cli("undo", project=project)  # anna's memo, not bertil's coding
    assert cli_json("memos", project=project) == []
    assert _tree(project)["Tillit"]["count"] == 1
    run_cli("redo", project=project)
    assert len(cli_json("memos", project=project)) == 1  # type: ignore[arg-type]
    proc = run_cli("code", "elev3", "--code", "Tillit", "--match", "finns inte", project=project, check=False)
    assert proc.returncode != 0 and "finns inte" in proc.stderr
    proc = run_cli(
        "code", "elev3", "--code", "Tillit", "--start", "0", "--end", "99999", project=project, check=False
    )
    assert proc.returncode != 0 and "outside the text" in proc.stderr
    run_cli("uncode", "elev3", "--code", "Tillit", "--sentence", "4", "--coder", "bertil", project=project)
    assert _tree(project)["Tillit"]["count"] == 0


def test_merge_and_forced_delete_undo_from_the_command_line(project: Path) -> None:
    run_cli("code", "elev3", "--code", "Tillit", "--turn", "2", project=project)
    run_cli("code", "elev3", "--code", "Att bli sedd", "--turn", "2", project=project)
    run_cli("codes", "merge", "Att bli sedd", "Tillit", project=project)
    assert "Att bli sedd" not in _tree(project) and _tree(project)["Tillit"]["count"] == 1
    run_cli("undo", project=project)
    assert _tree(project)["Att bli sedd"]["count"] == 1
    proc = run_cli("codes", "delete", "Tillit", project=project, check=False)
    assert proc.returncode != 0 and "--force" in proc.stderr
    run_cli("codes", "delete", "Tillit", "--force", project=project)
    assert "Tillit" not in _tree(project)
    run_cli("undo", project=project)
    assert _tree(project)["Tillit"]["count"] == 1
