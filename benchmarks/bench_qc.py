"""Side by side with the peer `qc` (PyPI `qualitative-coding`) on the same corpus and the same codings.

qc is installed by this benchmark into a virtual environment of its own (benchmarks/work/qc-venv, created
with `python -m venv` and `pip install qualitative-coding` when missing); it is never a dependency of
ppss_qual. Everything else lives under benchmarks/work/qc/. Steps, each a fresh process timed end to end by
measure.py (wall time, peak memory), with a time limit per step (a step over it is stopped and reported
as "> LIMIT s"):

- import:       `ppss-qual import FOLDER`  vs  `qc corpus import --importer verbatim --recursive FOLDER`
                (qc's default importer calls pandoc, a system program; verbatim copies the .txt as it is).
                Both read the same folder of .txt files. `qc init` (creating qc's empty project) is not
                counted; ppss_qual creates its project file inside the import. Warm: the second of two runs.
- codings:      the same codings on both sides, whole turns: every generated turn is one line
                `Speaker: speech`, which qc codes as a line and ppss_qual as the turn's speech. The mapping
                (qc's 0-based line = ppss_qual's turn line - 1) is checked line by line against the files.
                ppss_qual: benchmarks/qc/ppss_side.py `ingest`, the bulk path a REFI import uses
                (store.codes.insert_codings in one write transaction, one undoable change).
                qc: benchmarks/qc/qc_side.py `ingest`, qc's own Python API in one process
                (QCCorpus.update_coded_lines per document: what `qc code` does after its editor closes and
                what qc's REFI import ends in; qc has no bulk path). See qc_side.py for why this is the
                fastest honest way.
- co-occurrence: `ppss-qual cooccurrence --unit turn --format json`  vs  `qc codes crosstab --outfile F`
                (qc's unit is the line, i.e. the turn here); both tools' counts are checked against the
                codings.
- REFI export:  `ppss-qual export qdpx --out F`  vs  `qc export F.qdpx`.
- start-up:     `ppss-qual transcripts --format json`  vs  `qc codes list`, median of 5 after a warm-up.
Each comparison is a ratio qc time / ppss_qual time (> 1: ppss_qual is faster), both times in the note.
A ppss_qual command that does not exist yet is reported as not available (value NaN), never faked.

Also: what a coder experiences coding one passage at a time: `project.codings.code(...)` per coding, each
its own durable transaction, for a sample of 500 codings (a second coder, on the coded project); and for
reference qc's way, one `qc code` process per document with the editor hook of settings.yaml set to a
program that fills in the codes file.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import figure, write_corpus

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
QC_WORK = WORK / "qc"
QC_VENV = WORK / "qc-venv"
HELPERS = HERE / "qc"
MEASURE = HERE / "measure.py"
PYTHON = Path(sys.executable)  # the project's venv: ppss_qual and ppss-qual live beside it
PPSS = PYTHON.parent / "ppss-qual"
QC_PACKAGE = "qualitative-coding"

SIZES = {
    True: {"transcripts": 20, "words": 1000, "codings": 2_000, "codes": 30, "limit": 150},
    False: {"transcripts": 400, "words": 3000, "codings": 150_000, "codes": 300, "limit": 600},
}
PER_CODING_SAMPLE = 500
QC_CLI_SAMPLE = 3
STARTUP_RUNS = 5
SEED = 2026
CODER = "bench"


@dataclass
class Run:
    """One timed command: seconds and peak MB, or why it has none."""

    seconds: float = math.nan
    peak_mb: float = math.nan
    problem: str | None = None  # "timed out", "failed: …", "not available: …", "not run: …"

    @property
    def ok(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        if self.ok:
            return f"{self.seconds:.2f} s, {self.peak_mb:.0f} MB"
        return self.problem or ""


def timed(cmd: list[Any], limit: float, cwd: Path | None = None) -> Run:
    """Run `cmd` through measure.py; past `limit` seconds stop it (measure.py and the command: their own
    process group, ended by its id) and report it as timed out."""
    proc = subprocess.Popen(
        [str(PYTHON), str(MEASURE), *map(str, cmd)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return Run(problem=f"> {limit:.0f} s (stopped)")
    if proc.returncode != 0:
        return Run(problem=f"failed: {err.strip()[-300:]}")
    result = json.loads(out)
    if result["status"] != 0:
        return Run(result["seconds"], result["peak_mb"], f"failed: {result['stderr'].strip()[-300:]}")
    return Run(result["seconds"], result["peak_mb"])


def check_output(cmd: list[Any], cwd: Path | None = None, timeout: float = 600) -> str:
    """An untimed step (set-up or check); its failure stops the benchmark with the command's stderr."""
    proc = subprocess.run(list(map(str, cmd)), cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed: {proc.stderr.strip()[-1000:]}")
    return proc.stdout


def ppss(db: Path, *args: str | Path) -> list[Any]:
    return [PPSS, "--project", db, *args]


def fresh_db(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


# -- qc: its own venv, its project ----------------------------------------------------------------------
def ensure_qc() -> tuple[Path, str]:
    """qc's venv (created and filled from PyPI when missing; the only network use); qc's path, version."""
    qc = QC_VENV / "bin" / "qc"
    if not qc.exists():
        python = QC_VENV / "bin" / "python"
        if not python.exists():
            check_output([PYTHON, "-m", "venv", QC_VENV])
        check_output([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", QC_PACKAGE])
    version = check_output([qc, "version"], cwd=QC_WORK).strip().splitlines()[-1]
    return qc, version


def qc_project(qc: Path, folder: Path, editor_codes: Path) -> Path:
    """A fresh, empty qc project (`qc init`), whose editor hook fills the codes file from editor_codes/."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    check_output([qc, "init"], cwd=folder)
    settings = folder / "settings.yaml"
    # qc's settings may name any program as the editor: `qc code` runs code_command with the corpus file
    # and the codes file filled in, then reads the codes file back. Ours copies a prepared codes file.
    command = f'cp "{editor_codes}/$(basename "{{corpus_file_path}}").codes" "{{codes_file_path}}"'
    lines = [
        "editor: bench" if line.startswith("editor:") else line
        for line in settings.read_text(encoding="utf-8").splitlines()
    ]
    lines += [
        "editors:",
        "  bench:",
        "    name: benchmark",
        f"    code_command: {json.dumps(command)}",
        '    memo_command: "true"',
    ]
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# -- the corpus and the codings -------------------------------------------------------------------------
def texts_folder(transcripts: int, words: int) -> Path:
    """The generated .txt files alone in a folder (the generator's stamp file is left out: qc's
    recursive import would take it for a document)."""
    corpus = QC_WORK / f"corpus-{transcripts}x{words}"
    paths = write_corpus(corpus, transcripts, words)
    texts = QC_WORK / f"texts-{transcripts}x{words}"
    shutil.rmtree(texts, ignore_errors=True)
    texts.mkdir(parents=True)
    for p in paths:
        shutil.copyfile(p, texts / p.name)
    return texts


def make_codings(
    line_map: dict[str, dict[str, int]], codings: int, codes: int
) -> tuple[list[str], list[tuple[str, int, str]]]:
    """`codings` distinct (transcript, qc line, code), seeded: a uniform draw of turns and codes."""
    rng = random.Random(SEED)
    names = [f"c{i:03d}" for i in range(1, codes + 1)]
    units = [(t, int(line)) for t in sorted(line_map) for line in sorted(line_map[t], key=int)]
    if codings > len(units) * codes // 2:
        raise ValueError(f"{codings} codings do not fit {len(units)} turns × {codes} codes")
    chosen: set[tuple[str, int, str]] = set()
    while len(chosen) < codings:
        t, line = rng.choice(units)
        chosen.add((t, line, rng.choice(names)))
    return names, sorted(chosen)


def write_inputs(
    folder: Path, line_map: dict[str, dict[str, int]], codings: list[tuple[str, int, str]]
) -> tuple[Path, Path, Path]:
    """The codings as ppss_qual (transcript, turn, code) and qc (document, line, code) see them, and a
    sample for the per-coding figure in random order (a second coder codes it)."""
    ppss_tsv, qc_tsv, sample_tsv = (
        folder / "codings-ppss.tsv",
        folder / "codings-qc.tsv",
        folder / "sample.tsv",
    )
    ppss_rows = [f"{t}\t{line_map[t][str(line)]}\t{c}" for t, line, c in codings]
    ppss_tsv.write_text("\n".join(ppss_rows) + "\n", encoding="utf-8")
    qc_tsv.write_text("\n".join(f"{t}.txt\t{line}\t{c}" for t, line, c in codings) + "\n", encoding="utf-8")
    sample = random.Random(SEED + 1).sample(ppss_rows, min(PER_CODING_SAMPLE, len(ppss_rows)))
    sample_tsv.write_text("\n".join(sample) + "\n", encoding="utf-8")
    return ppss_tsv, qc_tsv, sample_tsv


def expected_cooccurrence(codings: list[tuple[str, int, str]]) -> Counter[tuple[str, str]]:
    per_unit: dict[tuple[str, int], list[str]] = defaultdict(list)
    for t, line, c in codings:
        per_unit[(t, line)].append(c)
    counts: Counter[tuple[str, str]] = Counter()
    for codes in per_unit.values():
        for a in codes:
            for b in codes:
                counts[(a, b)] += 1
    return counts


def check_crosstab(path: Path, names: list[str], expected: Counter[tuple[str, str]]) -> str | None:
    """qc's co-occurrence table must count exactly the turns both codes share (None: it does)."""
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
    header = rows[0][1:]
    if sorted(header) != sorted(names):
        return f"qc's table has codes {header[:5]}…, expected {names[:5]}…"
    for row in rows[1:]:
        for b, value in zip(header, row[1:], strict=True):
            if int(value) != expected[(row[0], b)]:
                return f"qc counts {row[0]}×{b} = {value}, the codings give {expected[(row[0], b)]}"
    return None


def check_pairs(rows: Any, expected: Counter[tuple[str, str]]) -> str | None:
    """ppss_qual's pairs (code_a, code_b, n_a, n_b, n_ab) must count exactly what the codings give."""
    try:
        seen = set()
        for r in rows:
            a, b = r["code_a"], r["code_b"]
            got = (r["n_a"], r["n_b"], r["n_ab"])
            want = (expected[(a, a)], expected[(b, b)], expected[(a, b)])
            if got != want:
                return f"ppss_qual counts {a}×{b} as {got}, the codings give {want}"
            if r["n_ab"]:
                seen.add(frozenset((a, b)))
    except (KeyError, TypeError) as exc:
        return f"its JSON was not understood ({exc!r}), so it was not checked"
    pairs = {frozenset(k) for k, v in expected.items() if v and k[0] != k[1]}
    if seen != pairs:
        return f"ppss_qual lists {len(seen)} co-occurring pairs, the codings give {len(pairs)}"
    return None


def missing(db: Path, *words: str) -> str | None:
    """Why `ppss-qual WORDS` cannot run yet (it does not exist), or None."""
    proc = subprocess.run(list(map(str, ppss(db, *words, "--help"))), capture_output=True, text=True)
    if proc.returncode == 0:
        return None
    last = (proc.stderr.strip().splitlines() or ["no such command"])[-1]
    return f"not available: `ppss-qual {' '.join(words)}` does not exist yet ({last.strip()})"


# -- figures --------------------------------------------------------------------------------------------
def ratio(name: str, size: str, ours: Run, theirs: Run, note: str = "") -> dict[str, Any]:
    """qc time / ppss_qual time; a stopped step gives a bound, a missing or failed one NaN."""
    raw = f"ppss_qual {ours.describe()}; qc {theirs.describe()}"
    value, met = math.nan, None
    if ours.ok and theirs.ok:
        value = theirs.seconds / ours.seconds
        met = value > 1
    elif ours.ok and theirs.problem and theirs.problem.startswith(">"):
        limit = float(theirs.problem.split()[1])
        value, met = limit / ours.seconds, True
        raw += " (value is a lower bound)"
    elif theirs.ok and ours.problem and ours.problem.startswith(">"):
        limit = float(ours.problem.split()[1])
        value, met = theirs.seconds / limit, False
        raw += " (value is an upper bound)"
    return figure(
        f"vs qc: {name}",
        size,
        round(value, 2) if not math.isnan(value) else value,
        "× (qc time / ppss_qual time)",
        "ppss_qual faster (> 1)",
        met,
        None if math.isnan(ours.peak_mb) else round(ours.peak_mb),
        f"{raw}{'; ' + note if note else ''}",
    )


def median_run(cmd: list[Any], limit: float, cwd: Path | None = None) -> Run:
    timed(cmd, limit, cwd)  # warm-up
    runs = [timed(cmd, limit, cwd) for _ in range(STARTUP_RUNS)]
    bad = [r for r in runs if not r.ok]
    if bad:
        return bad[0]
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.peak_mb for r in runs),
    )


# -- the benchmark --------------------------------------------------------------------------------------
def run(quick: bool) -> list[dict[str, Any]]:
    s = SIZES[quick]
    n, words, limit = s["transcripts"], s["words"], float(s["limit"])
    size = f"{n} × {words:,} words, {s['codings']:,} codings of {s['codes']} codes"
    QC_WORK.mkdir(parents=True, exist_ok=True)
    try:
        qc, qc_version = ensure_qc()
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return [
            figure(
                "vs qc", size, math.nan, "", "ppss_qual faster (> 1)", None, None, f"qc not installed: {exc}"
            )
        ]
    qc_python = QC_VENV / "bin" / "python"
    texts = texts_folder(n, words)
    run_dir = QC_WORK / f"run-{n}x{words}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    editor_codes = run_dir / "editor-codes"
    editor_codes.mkdir()
    db = run_dir / "ppss.db"
    proj = run_dir / "qc-project"
    figures: list[dict[str, Any]] = []
    common_note = f"qc {qc_version}"

    # Import: twice each into a fresh project, the second (warm) run counts.
    for _ in range(2):
        ours = timed(ppss(fresh_db(db), "import", texts, "--format", "json"), limit)
        qc_project(qc, proj, editor_codes)
        theirs = timed([qc, "corpus", "import", "--importer", "verbatim", "--recursive", texts], limit, proj)
    figures.append(
        ratio(
            "import",
            size,
            ours,
            theirs,
            f"`qc corpus import --importer verbatim --recursive` (one process, `qc init` not counted); "
            f"second of two runs; {common_note}",
        )
    )
    if not ours.ok or not theirs.ok:
        return figures  # nothing to code on one side

    # The same codings on both sides: turns as ppss_qual numbers them, lines as qc does, checked.
    map_file = run_dir / "line-map.json"
    check_output([PYTHON, HELPERS / "ppss_side.py", "map", db, texts, map_file])
    line_map = json.loads(map_file.read_text(encoding="utf-8"))
    names, codings = make_codings(line_map, s["codings"], s["codes"])
    ppss_tsv, qc_tsv, sample_tsv = write_inputs(run_dir, line_map, codings)
    codebook = run_dir / "codebook.yaml"
    codebook.write_text("codes:\n" + "".join(f"  - name: {c}\n" for c in names), encoding="utf-8")
    check_output(ppss(db, "codes", "import", codebook))
    (proj / "codebook.yaml").write_text("".join(f"- {c}\n" for c in names), encoding="utf-8")

    ours = timed([PYTHON, HELPERS / "ppss_side.py", "ingest", db, ppss_tsv], limit)
    theirs = timed([qc_python, HELPERS / "qc_side.py", "ingest", qc_tsv, CODER], limit, proj)
    held = {}
    for what, cmd, cwd, run_ in (
        ("ppss_qual", [PYTHON, HELPERS / "ppss_side.py", "count", db, CODER], None, ours),
        ("qc", [qc_python, HELPERS / "qc_side.py", "count", CODER], proj, theirs),
    ):
        held[what] = got = json.loads(check_output(cmd, cwd))["codings"]
        if run_.ok and got != len(codings):
            raise RuntimeError(f"{what} holds {got} codings after ingestion, expected {len(codings)}")
    progress = "".join(
        f"; {what} stopped with {held[what]:,} of {len(codings):,} codings stored"
        for what, run_ in (("ppss_qual", ours), ("qc", theirs))
        if not run_.ok
    )
    figures.append(
        ratio(
            "coding ingestion",
            size,
            ours,
            theirs,
            "ppss_qual: store.codes.insert_codings in one transaction, the bulk path a REFI import uses; "
            "qc: its Python API in one process, QCCorpus.update_coded_lines per document (what `qc code` "
            f"and qc's REFI import end in; qc has no bulk path){progress}",
        )
    )
    qc_coded = theirs.ok

    # Co-occurrence of codes by turn (qc: by line, the same units here).
    reason = missing(db, "cooccurrence")
    ours = (
        Run(problem=reason)
        if reason
        else timed(ppss(db, "cooccurrence", "--unit", "turn", "--format", "json"), limit)
    )
    expected = expected_cooccurrence(codings)
    checked = {"ppss_qual": "not run", "qc": "not run"}  # counts checked against the codings
    if ours.ok:
        cmd = ppss(db, "cooccurrence", "--unit", "turn", "--format", "json")
        wrong = check_pairs(json.loads(check_output(cmd)), expected)
        if wrong and not wrong.startswith("its JSON"):
            raise RuntimeError(wrong)
        checked["ppss_qual"] = wrong or "yes (its pairs)"
    table = run_dir / "qc-crosstab.csv"
    theirs = (
        timed([qc, "codes", "crosstab", "--outfile", table], limit, proj)
        if qc_coded
        else Run(problem="not run: qc's ingestion did not finish")
    )
    if theirs.ok:
        wrong = check_crosstab(table, names, expected)
        if wrong:
            raise RuntimeError(wrong)
        checked["qc"] = "yes (its full table)"
    figures.append(
        ratio(
            "co-occurrence table",
            size,
            ours,
            theirs,
            f"all {len(names)} × {len(names)} codes; `qc codes crosstab --outfile` (unit line = turn); "
            f"counts checked against the codings: ppss_qual {checked['ppss_qual']}, qc {checked['qc']}; "
            "one run each",
        )
    )

    # REFI-QDA export.
    reason = missing(db, "export", "qdpx")
    ours_out, theirs_out = run_dir / "ppss-export.qdpx", run_dir / "qc-export.qdpx"
    ours = Run(problem=reason) if reason else timed(ppss(db, "export", "qdpx", "--out", ours_out), limit)
    theirs = (
        timed([qc, "export", theirs_out], limit, proj)
        if qc_coded
        else Run(problem="not run: qc's ingestion did not finish")
    )
    sizes = ", ".join(
        f"{who} {p.stat().st_size / 1e6:.1f} MB"
        for who, p in (("ppss_qual", ours_out), ("qc", theirs_out))
        if p.exists()
    )
    figures.append(ratio("REFI export (.qdpx)", size, ours, theirs, f"one run each; {sizes}"))

    # Start-up: a trivial command on the coded project.
    ours = median_run(ppss(db, "transcripts", "--format", "json"), limit)
    theirs = median_run([qc, "codes", "list"], limit, proj)
    figures.append(
        ratio(
            "start-up",
            size,
            ours,
            theirs,
            f"`ppss-qual transcripts --format json` vs `qc codes list`; median of {STARTUP_RUNS}",
        )
    )

    # What a coder experiences: one coding at a time, each its own durable transaction.
    out = json.loads(
        check_output(
            [PYTHON, HELPERS / "ppss_side.py", "percoding", db, sample_tsv, PER_CODING_SAMPLE, "bench-2"]
        )
    )
    per = out["seconds"] / out["codings"]
    figures.append(
        figure(
            "code one passage (project.codings.code)",
            size,
            round(out["codings"] / out["seconds"]),
            "codings/s",
            "< 50 ms a coding",
            per < 0.05,
            None,
            f"{per * 1000:.1f} ms a coding; {out['codings']} whole turns, each its own durable transaction "
            "(a second coder, on the coded project); in-process, no start-up",
        )
    )

    # For reference, qc's way of coding: one `qc code` process per document, through its editor hook.
    if qc_coded:
        per_doc = defaultdict(list)
        for t, line, c in codings:
            per_doc[f"{t}.txt"].append((line, c))
        runs = []
        for document in sorted(per_doc)[:QC_CLI_SAMPLE]:
            length = len((texts / document).read_text(encoding="utf-8").splitlines())
            codes_per_line: dict[int, list[str]] = defaultdict(list)
            for line, c in per_doc[document]:
                codes_per_line[line].append(c)
            (editor_codes / f"{document}.codes").write_text(
                "".join(", ".join(codes_per_line[i]) + "\n" for i in range(length)), encoding="utf-8"
            )
            listing = run_dir / "file-list.txt"
            listing.write_text(document, encoding="utf-8")
            runs.append(timed([qc, "code", "cli", "--filenames", listing], limit, proj))
        done = [r for r in runs if r.ok]
        if done:
            seconds = statistics.median(r.seconds for r in done)
            figures.append(
                figure(
                    "qc: code one document (`qc code`, editor hook)",
                    size,
                    round(seconds, 2),
                    "s a document",
                    "— (reference)",
                    None,
                    round(max(r.peak_mb for r in done)),
                    f"median of {len(done)} documents, {len(codings) // n} codings each on average, a "
                    "process per document (start-up included); qc's only user-facing way to code",
                )
            )
        else:
            figures.append(
                figure(
                    "qc: code one document (`qc code`, editor hook)",
                    size,
                    math.nan,
                    "s a document",
                    "— (reference)",
                    None,
                    None,
                    runs[0].describe(),
                )
            )
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="20 transcripts, 2,000 codings: a minute or two")
    args = parser.parse_args()
    print(json.dumps(run(args.quick), indent=2, ensure_ascii=False))
