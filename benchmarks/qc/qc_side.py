"""qc's side of the side-by-side (benchmarks/bench_qc.py); run with the Python of qc's own venv, in the qc
project's folder (where settings.yaml is).

    qc_side.py ingest CODINGS.tsv CODER    every coding through qc's Python API, one process (timed)
    qc_side.py count CODER                 coded lines of CODER (a check, not timed)

CODINGS.tsv holds `document<TAB>line<TAB>code` rows: the corpus file name (`t00000.txt`), the 0-based line
as qc numbers lines (`enumerate(text.splitlines())`, see QCCorpusViewer.parse_codes) and the code.

How qc takes codings, read from its source (qualitative_coding 1.7.x):
- `qc code CODER` writes a codes file with one line per corpus line, runs the editor command from
  settings.yaml (any shell command: `editors: {name: {code_command: ...}}`), parses the file back
  (`QCCorpusViewer.parse_codes`: comma-separated codes per line) and stores them with
  `QCCorpus.update_coded_lines(document, coder, [{"line": i, "code_id": code}, ...])` inside
  `corpus.session()`. One `qc code` process codes one document and costs ~1.1 s of start-up alone.
- qc's REFI import (`qc init --import`) ends in the same `update_coded_lines` call, per document and coder.
- There is no bulk API: `update_coded_lines` is the one entry point that stores codings (it creates
  missing codes and the coder, links each coded line to its paragraph Location, commits, and rewrites
  codebook.yaml with any new codes).
So the fastest honest way is what we do here: one process, one session, `update_coded_lines` once per
document with all of that document's codings, exactly what `qc code` does after the editor closes, minus
the per-document process and the codes-file round trip. Writing qc's tables directly would bypass its API.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path


def ingest(codings: Path, coder: str) -> None:
    from qualitative_coding.corpus import QCCorpus

    per_document: dict[str, list[dict]] = defaultdict(list)
    for line in codings.read_text(encoding="utf-8").splitlines():
        document, number, code = line.split("\t")
        per_document[document].append({"line": int(number), "code_id": code})
    corpus = QCCorpus("settings.yaml")
    with corpus.session():
        for document, coded_lines in per_document.items():
            corpus.update_coded_lines(document, coder, coded_lines)
    print(json.dumps({"documents": len(per_document), "codings": sum(map(len, per_document.values()))}))


def count(coder: str) -> None:
    import sqlite3

    import yaml

    settings = yaml.safe_load(Path("settings.yaml").read_text())
    conn = sqlite3.connect(settings["database"])
    n = conn.execute("SELECT count(*) FROM coded_line WHERE coder_id = ?", (coder,)).fetchone()[0]
    print(json.dumps({"codings": n}))


def main() -> None:
    command, *args = sys.argv[1:]
    if command == "ingest":
        ingest(Path(args[0]), args[1])
    elif command == "count":
        count(args[0])
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
