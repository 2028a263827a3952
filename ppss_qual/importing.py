"""Importing transcript files: parse and analyse (in worker processes for many files), store one per transaction."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ppss_qual.errors import InputError, PpssError, UnsupportedFormat
from ppss_qual.importers import SUPPORTED_EXTENSIONS, read_transcript
from ppss_qual.model import AnalysedTranscript
from ppss_qual.nlp.pipeline import Analyser

# Documentation that lives beside transcripts in a folder, not an interview.
_NOT_TRANSCRIPTS = {"readme", "license", "licence", "changelog", "contributing"}
# Below this many bytes in all, worker processes cost more than they save.
_PARALLEL_MIN_BYTES = 2_000_000


@dataclass(slots=True)
class FileResult:
    path: str
    transcript: str | None = None
    transcript_id: int | None = None
    words: int = 0
    turns: int = 0
    sentences: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass(slots=True)
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def imported(self) -> list[FileResult]:
        return [f for f in self.files if f.error is None]

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error is not None]

    @property
    def words(self) -> int:
        return sum(f.words for f in self.imported)


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[str], list[FileResult]]:
    """Files to import from files and folders; folder entries we cannot import are noted, not errors."""
    files: list[Path] = []
    skipped: list[str] = []
    missing: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() not in SUPPORTED_EXTENSIONS:
                    skipped.append(f"{child}: not a transcript format ({child.suffix or 'no extension'})")
                elif child.stem.lower() in _NOT_TRANSCRIPTS:
                    skipped.append(f"{child}: documentation, not a transcript")
                else:
                    files.append(child)
        elif path.exists():
            files.append(path)
        else:
            missing.append(FileResult(str(path), error=f"{path}: no such file or folder"))
    return files, skipped, missing


_worker_analyser: Analyser | None = None


def _analyse_file(args: tuple[str, str | None]) -> AnalysedTranscript | PpssError:
    """Parse and analyse one file; errors come back as values so that one bad file stops nothing."""
    global _worker_analyser
    if _worker_analyser is None:
        _worker_analyser = Analyser()
    path, language = args
    try:
        parsed = read_transcript(Path(path))
        return _worker_analyser.analyse(parsed, language)
    except PpssError as exc:
        return exc
    except (OSError, ValueError) as exc:
        return InputError(path, str(exc))


def analysed_stream(
    files: list[Path], language: str | None, analyser: Analyser, workers: int | None = None
) -> Iterator[tuple[Path, AnalysedTranscript | PpssError]]:
    """Analysed files in order; several processes share the work when there is enough of it."""
    total = sum(_size(f) for f in files)
    n = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if n <= 1 or len(files) < 2 or total < _PARALLEL_MIN_BYTES:
        global _worker_analyser
        _worker_analyser = analyser
        for f in files:
            yield f, _analyse_file((str(f), language))
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    # A sliding window, not pool.map: results never pile up in memory when storing is the slower side.
    window = 3 * n
    pending: deque[tuple[Path, Future[AnalysedTranscript | PpssError]]] = deque()
    with ProcessPoolExecutor(max_workers=n) as pool:
        todo = iter(files)
        for f in todo:
            pending.append((f, pool.submit(_analyse_file, (str(f), language))))
            if len(pending) >= window:
                break
        while pending:
            f, future = pending.popleft()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_analyse_file, (str(nxt), language))))
            yield f, future.result()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def check_extension(path: Path) -> None:
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        raise UnsupportedFormat(
            str(path),
            f"unknown file type {path.suffix or '(none)'}; supported: {', '.join(SUPPORTED_EXTENSIONS)}",
        )


ProgressCallback = Callable[[int, int, str], None]
