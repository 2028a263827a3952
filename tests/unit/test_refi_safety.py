"""Hostile REFI-QDA files are refused with a clear message naming the file, and nothing is written anywhere."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from ppss_qual.errors import InputError
from ppss_qual.project import Project
from ppss_qual.refi.codebook import read_qdc
from ppss_qual.refi.container import Container, Limits
from tests.unit.test_refi_support import REFI_DATA

HOSTILE = [
    ("climb.qdpx", "climbs out of the archive with '..'"),
    ("absolute.qdpx", "has an absolute path"),
    ("symlink.qdpx", "is a symbolic link"),
    ("zip-bomb.qdpx", "declares 3,072 MB uncompressed"),
    ("xml-bomb.qdpx", "declares entities"),
    ("xxe.qdpx", "declares entities"),
    ("not-a-zip.qdpx", "not a REFI-QDA project"),
    ("no-project.qdpx", "no project .qde file"),
    ("truncated-qde.qdpx", "seems cut off"),
]


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize(("name", "problem"), HOSTILE)
def test_hostile_archive_is_refused_and_changes_nothing(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, problem: str
) -> None:
    monkeypatch.chdir(tmp_path)
    fixtures = _tree(REFI_DATA)
    with pytest.raises(InputError) as caught:
        project.refi.import_qdpx(REFI_DATA / name)
    message = str(caught.value)
    assert name in message and problem in message
    assert project.transcripts() == [] and project.history() == [] and project.codebook.tree() == []
    assert _tree(tmp_path) == [] and _tree(REFI_DATA) == fixtures
    assert not Path("/tmp/evil.txt").exists()


@pytest.mark.parametrize("name", ["xml-bomb.qdc", "xxe.qdc"])
def test_hostile_codebook_is_refused(name: str) -> None:
    path = REFI_DATA / name
    with pytest.raises(InputError, match="declares entities") as caught:
        read_qdc(path.read_bytes(), str(path))
    assert name in str(caught.value)


def test_sizes_are_counted_while_inflating(tmp_path: Path) -> None:
    """Declared sizes can lie: the bytes that come out are counted against the limits too."""
    path = tmp_path / "big.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b"<Project/>")
        archive.writestr("Sources/a.txt", b"a" * 3_000_000)
    with Container(path) as box:
        box.limits = Limits(member=1_000_000)  # as if the header had said less than what inflates
        with pytest.raises(InputError, match="inflates to more than"):
            box.read(box.infos[1])
    with Container(path) as box:
        box.limits = Limits(total=2_000_000)
        with pytest.raises(InputError, match="the archive inflates to more than"):
            box.read(box.infos[1])


def test_declared_total_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "many.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b"<Project/>")
        for i in range(3):
            archive.writestr(f"Sources/{i}.txt", b"a" * 1_000_000)
    with pytest.raises(InputError, match="the members declare"):
        Container(path, Limits(total=2_500_000))


def test_damaged_member_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "damaged.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b"<Project name='x'/>" * 200)
    data = bytearray(path.read_bytes())
    data[60:80] = bytes(20)  # inside the deflated data
    path.write_bytes(bytes(data))
    with Container(path) as box, pytest.raises(InputError, match="damaged"):
        box.read(box.infos[0])


def test_nothing_is_extracted_to_disk(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a good archive is read in memory: the temporary folder stays as it was."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.chdir(tmp_path)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    project.refi.import_qdpx(REFI_DATA / "atlas-several-codings.qdpx")
    assert os.listdir(tmp) == [] and sorted(os.listdir(tmp_path)) == ["tmp"]
