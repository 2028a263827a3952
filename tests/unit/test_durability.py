"""A real process killed inside an import's transaction leaves the files confirmed before it, nothing half."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from ppss_qual.project import Project

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ppss_qual.project import Project
    from ppss_qual.store import transcripts as store

    project_path, first, second = map(Path, sys.argv[1:4])
    project = Project.open(project_path, coder="anna")
    project.import_paths([first], workers=1)
    print("FIRST", flush=True)

    real_insert = store.insert_transcript
    def slow_insert(*args, **kwargs):
        tid = real_insert(*args, **kwargs)
        print("IN_TRANSACTION", flush=True)  # turns and sentences written, not committed
        time.sleep(60)
        return tid
    store.insert_transcript = slow_insert  # the facade calls it through the module
    project.import_paths([second], workers=1)
    print("SHOULD NOT GET HERE", flush=True)
    """
)


def _interview(path: Path, who: str) -> Path:
    path.write_text(
        f"Intervjuare: Hur går det i skolan, {who}?\n\nElev 3: Det går bättre nu. Jag har en vuxen som lyssnar.\n",
        encoding="utf-8",
    )
    return path


def test_kill_inside_an_import_transaction_loses_only_that_file(tmp_path: Path) -> None:
    project_path = tmp_path / "p.db"
    first = _interview(tmp_path / "first.txt", "A")
    second = _interview(tmp_path / "second.txt", "B")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project_path), str(first), str(second)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    lines = []
    for line in child.stdout:
        lines.append(line.strip())
        if line.strip() == "IN_TRANSACTION":
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=30)
    assert lines == ["FIRST", "IN_TRANSACTION"], child.stderr.read() if child.stderr else lines
    assert child.returncode == -signal.SIGKILL

    with Project.open(project_path, coder="anna") as project:
        assert project.store.integrity_check() == "ok"
        assert [t["name"] for t in project.transcripts()] == ["first"]
        conn = project.conn
        assert conn.execute("SELECT count(*) FROM transcripts").fetchone()[0] == 1
        assert conn.execute("SELECT count(DISTINCT transcript_id) FROM turns").fetchone()[0] == 1
        assert conn.execute("SELECT count(DISTINCT transcript_id) FROM sentences").fetchone()[0] == 1
        # and the file that was lost imports cleanly afterwards
        report = project.import_paths([second], workers=1)
        assert not report.failed and [t["name"] for t in project.transcripts()] == ["first", "second"]


def test_a_full_disk_refuses_the_import_cleanly_and_keeps_what_was_there(tmp_path: Path) -> None:
    project_path = tmp_path / "p.db"
    small = _interview(tmp_path / "small.txt", "A")
    big = tmp_path / "big.txt"
    big.write_text(
        "\n\n".join(f"Elev 3: Mening nummer {i} om skolan och om vuxna som lyssnar." for i in range(20_000)),
        encoding="utf-8",
    )
    with Project.open(project_path, coder="anna") as project:
        assert not project.import_paths([small], workers=1).failed
        pages = project.conn.execute("PRAGMA page_count").fetchone()[0]
        project.conn.execute(f"PRAGMA max_page_count={pages + 20}")  # the disk fills up
        report = project.import_paths([big], workers=1)
        assert [f.path for f in report.failed] == [str(big)]
        assert "disk is full" in (report.failed[0].error or "")
        assert [t["name"] for t in project.transcripts()] == ["small"]
        project.codebook.add("Tillit")  # small changes still go through
    with Project.open(project_path, coder="anna") as project:
        assert project.store.integrity_check() == "ok"
        assert [t["name"] for t in project.transcripts()] == ["small"]
        assert project.conn.execute("SELECT count(DISTINCT transcript_id) FROM turns").fetchone()[0] == 1
