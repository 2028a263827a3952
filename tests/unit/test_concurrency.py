"""Several processes on one project file at once: no "database is locked" reaches anyone, no coding is lost.

Four real processes each write 500 codings through the facade, one transaction each, all at the same
time, while a fifth reads as a TUI would; twenty rounds in a row, each on a fresh copy of one project.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.project import Project
from tests.conftest import parsed

ROUNDS = 20
WRITERS = 4
CODINGS = 500
GAP = 10  # writer passages: characters [i * GAP, i * GAP + 5), distinct per coder

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ppss_qual.coding.operations import Selector
    from ppss_qual.project import Project

    path, coder, n, gap = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    project = Project.open(path, create=False, coder=coder)
    print("READY", flush=True)
    sys.stdin.readline()
    confirmed, longest = 0, 0.0
    for i in range(n):
        started = time.monotonic()
        ids = project.codings.code("lang", "Tillit", Selector(start=i * gap, end=i * gap + 5))
        longest = max(longest, time.monotonic() - started)
        confirmed += len(ids)
    project.close()
    print(f"CONFIRMED {confirmed} {longest:.3f}", flush=True)
    """
)

READER = textwrap.dedent(
    """
    import select, sys
    from pathlib import Path
    from ppss_qual.project import Project

    project = Project.open(Path(sys.argv[1]), create=False, coder="reader")
    print("READY", flush=True)
    sys.stdin.readline()
    reads = 0
    while True:
        project.transcripts()
        project.codings.in_transcript(1)
        project.team.coders()
        reads += 1
        if select.select([sys.stdin], [], [], 0.05)[0]:  # a TUI's refresh; STOP once the writers are done
            break
    project.close()
    print(f"READS {reads}", flush=True)
    """
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, analyser: Analyser) -> Path:
    """One project with a transcript long enough for every writer's 500 passages, made once."""
    path = tmp_path_factory.mktemp("concurrency") / "base.db"
    sentence = "Det var jobbigt i skolan men nu går det bättre för mig."
    turns = [("Intervjuare" if i % 2 else "Elev 3", " ".join([sentence] * 4)) for i in range(40)]
    with Project.open(path, coder="anna", analyser=analyser) as p:
        p.add_transcript(analyser.analyse(parsed("lang", turns), "sv"))
        p.codebook.add("Tillit")
        assert len(p.show("lang")["text"]) > CODINGS * GAP
        p.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _round(base: Path, folder: Path, number: int) -> float:
    """One round on a fresh copy; returns the longest any one coding waited to be confirmed."""
    path = folder / f"round{number}.db"
    shutil.copy(base, path)
    coders = [f"coder{i}" for i in range(WRITERS)]
    writers = [_start(WRITER, str(path), c, str(CODINGS), str(GAP)) for c in coders]
    reader = _start(READER, str(path))
    for proc in [*writers, reader]:
        assert proc.stdout is not None and proc.stdin is not None
        line = proc.stdout.readline().strip()
        assert line == "READY", proc.stderr.read() if proc.stderr else line
    for proc in [*writers, reader]:
        proc.stdin.write("GO\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
    outputs = [w.communicate(timeout=120) for w in writers]
    reads, reader_err = reader.communicate("STOP\n", timeout=60)
    longest = 0.0
    for (out, err), w in zip(outputs, writers, strict=True):
        assert w.returncode == 0 and "locked" not in err, f"round {number}: a writer failed:\n{err}"
        word, confirmed, waited = out.split()
        assert (word, int(confirmed)) == ("CONFIRMED", CODINGS), out + err
        longest = max(longest, float(waited))
    assert reader.returncode == 0, f"round {number}: the reader failed:\n{reader_err}"
    assert reads.startswith("READS ")

    with Project.open(path, create=False, coder="check") as p:
        assert p.store.integrity_check() == "ok"
        rows = p.conn.execute('SELECT coder, start, "end" FROM codings').fetchall()
        want = {(c, i * GAP, i * GAP + 5) for c in coders for i in range(CODINGS)}
        assert len(rows) == WRITERS * CODINGS and set(rows) == want, f"round {number}: codings lost"
        assert p.conn.execute("SELECT count(*) FROM events WHERE action = 'code'").fetchone()[0] == len(want)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return longest


def test_four_writers_and_a_reader_twenty_rounds(base: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    times, waits = [], []
    for number in range(1, ROUNDS + 1):
        begun = time.monotonic()
        waits.append(_round(base, tmp_path, number))
        times.append(time.monotonic() - begun)
    elapsed = time.monotonic() - started
    print(
        f"{ROUNDS} rounds of {WRITERS} x {CODINGS} codings: {elapsed:.1f} s "
        f"(a round: {min(times):.1f} to {max(times):.1f} s; the longest wait for one coding {max(waits):.2f} s)"
    )
