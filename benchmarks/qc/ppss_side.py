"""ppss_qual's side of the side-by-side with qc (benchmarks/bench_qc.py); run with the project's Python.

    ppss_side.py map DB TEXTS OUT.json      line -> turn map, checked against the files (not timed)
    ppss_side.py ingest DB CODINGS.tsv      every coding in one transaction: the bulk path (timed)
    ppss_side.py percoding DB CODINGS.tsv N CODER
                                            N codings one by one, each its own durable transaction
    ppss_side.py count DB CODER             codings of CODER (a check, not timed)

CODINGS.tsv holds `transcript<TAB>turn<TAB>code` rows (a turn number as `ppss-qual show` numbers it).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ppss_qual.project import Project
from ppss_qual.store import codes as code_store
from ppss_qual.store import transcripts as transcript_store
from ppss_qual.store.changes import Recorder


def read_tsv(path: Path) -> list[tuple[str, int, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        name, turn, code = line.split("\t")
        rows.append((name, int(turn), code))
    return rows


def line_map(db: Path, texts: Path, out: Path) -> None:
    """{transcript: {file line (0-based, as qc counts): turn number}}, for turns with a speaker.

    Every entry is checked: the file's line must be exactly `Speaker: speech` of that turn, so a coding of a
    whole line in qc and a coding of the whole turn's speech here are the same passage.
    """
    result: dict[str, dict[int, int]] = {}
    with Project.open(db, create=False) as p:
        for row in p.transcripts():
            shown = p.show(row["name"])
            lines = (texts / f"{row['name']}.txt").read_text(encoding="utf-8").splitlines()
            mapping = {}
            for turn in shown["turns"]:
                if turn["speaker"] is None:
                    continue  # the generated header line "[Genererad, fiktiv text …]": not a turn to code
                index = turn["line"] - 1
                expected = f"{turn['speaker']}: {turn['text']}"
                if lines[index] != expected:
                    raise SystemExit(
                        f"{row['name']} turn {turn['number']}: file line {index} is {lines[index][:60]!r}, "
                        f"the turn is {expected[:60]!r}"
                    )
                mapping[index] = turn["number"]
            result[row["name"]] = mapping
    out.write_text(json.dumps(result), encoding="utf-8")


def ingest(db: Path, codings: Path) -> None:
    """The bulk path (what a REFI import uses): resolve names and turns, then one insert_codings in one
    write transaction, recorded as one undoable change with one audit-log event."""
    wanted = read_tsv(codings)
    coder = "bench"
    with Project.open(db, create=False, coder=coder) as p, p.store.write() as conn:
        codes = code_store.all_codes(conn)
        code_ids = {c.name: c.id for c in codes.values()}
        transcripts: dict[str, tuple[int, str, dict[int, tuple[int, int]]]] = {}
        rows = []
        for name, turn, code in wanted:
            if name not in transcripts:
                t = transcript_store.resolve(conn, name)
                spans = {r[0]: (r[5], r[6]) for r in transcript_store.turn_rows(conn, t.id)}
                transcripts[name] = (t.id, t.text or "", spans)
            tid, text, spans = transcripts[name]
            start, end = spans[turn]
            rows.append((tid, code_ids[code], coder, start, end, text[start:end]))
        rec = Recorder(conn)
        code_store.ensure_coder(conn, rec, coder)
        code_store.insert_codings(rec, rows)
        rec.log(coder, "bench", f"{len(rows)} codings of whole turns (benchmark bulk ingestion)")
    print(json.dumps({"codings": len(rows)}))


def percoding(db: Path, codings: Path, count: int, coder: str) -> None:
    """What a coder experiences: project.codings.code(...) per coding, each one durable transaction."""
    from ppss_qual.coding.operations import Selector

    sample = read_tsv(codings)[:count]
    with Project.open(db, create=False, coder=coder) as p:
        started = time.perf_counter()
        for name, turn, code in sample:
            p.codings.code(name, code, Selector(turn=turn), coder=coder)
        seconds = time.perf_counter() - started
    print(json.dumps({"codings": len(sample), "seconds": seconds}))


def count(db: Path, coder: str) -> None:
    with Project.open(db, create=False) as p:
        n = p.conn.execute("SELECT count(*) FROM codings WHERE coder = ?", (coder,)).fetchone()[0]
    print(json.dumps({"codings": n}))


def main() -> None:
    command, *args = sys.argv[1:]
    if command == "map":
        line_map(Path(args[0]), Path(args[1]), Path(args[2]))
    elif command == "ingest":
        ingest(Path(args[0]), Path(args[1]))
    elif command == "percoding":
        percoding(Path(args[0]), Path(args[1]), int(args[2]), args[3])
    elif command == "count":
        count(Path(args[0]), args[1])
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
