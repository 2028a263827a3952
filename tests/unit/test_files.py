"""Exports appear whole or not at all, with ordinary permissions; the pseudonym key is private."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ppss_qual.files import replacing, write_bytes


def test_a_written_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_bytes(tmp_path / "a.csv", b"x")
        assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644
        write_bytes(tmp_path / "key.csv", b"real,pseudonym", mode=0o600)
        assert (tmp_path / "key.csv").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), replacing(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("the writer failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]
