"""Importing a .qdpx project: read it safely, work out its offsets, store it all in one undoable transaction.

Reading and planning are pure and happen before anything is written. A source's plain text is kept
exactly as it comes (only a byte-order mark is dropped), so the file's offsets stay valid; its turns are
found in it as in a .txt file, or read back from our own block. What cannot be imported is listed in the
report, never dropped silently.
"""

from __future__ import annotations

import codecs
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppss_qual.errors import InputError, InvalidOperation, PpssError
from ppss_qual.importers.text import parse_text
from ppss_qual.model import AnalysedTranscript, ParsedTranscript, RawTurn, Role
from ppss_qual.refi import blocks
from ppss_qual.refi.codebook import code_fields, unique_name
from ppss_qual.refi.container import Container, Limits
from ppss_qual.refi.model import TEXT_SOURCE, RefiCode, RefiNote, RefiProject, RefiSelection, RefiSource, walk
from ppss_qual.refi.offsets import CODEPOINTS, UNIT_NAMES, UNITS, UTF16, OffsetMap, decide, gather, same_text
from ppss_qual.refi.reader import read_project
from ppss_qual.refi.xmlwrite import datetime_or_none
from ppss_qual.speakers import read_label
from ppss_qual.store import codes as code_store
from ppss_qual.store import participants as participant_store
from ppss_qual.store import refi as refi_store
from ppss_qual.store import transcripts as transcript_store
from ppss_qual.store.changes import Recorder, now

if TYPE_CHECKING:
    from ppss_qual.nlp.pipeline import Analyser
    from ppss_qual.project import Project

# Below this many characters of text in all, worker processes cost more than they save.
_PARALLEL_MIN_CHARS = 2_000_000
_SHOWN = 160  # characters of a passage quoted in a report line


@dataclass(slots=True)
class ImportReport:
    """What a .qdpx import did, and everything it could not do."""

    path: str
    origin: str | None = None
    unit: str = ""
    unit_reason: str = ""
    transcripts: list[dict[str, Any]] = field(default_factory=list)  # added: name, id, words, turns
    matched: list[str] = field(default_factory=list)  # already in the project (same text): given the codings
    codes_added: int = 0
    codes_matched: int = 0
    codings: int = 0
    duplicates: int = 0  # codings the project (or the file itself) already had
    memos: int = 0
    participants: int = 0
    coders: list[str] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Selections whose file gave no text of their own: the text we took at their offsets.
    unverified: list[dict[str, Any]] = field(default_factory=list)
    event_id: int | None = None


# ------------------------------------------------------------------------------------------ reading


def decode_source(data: bytes, where: str, warnings: list[str]) -> str:
    """A source's text, exactly: a BOM decides (and is dropped); else UTF-8; else Windows-1252, with a warning."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    where, f"not valid {encoding.upper()} ({exc.reason} at byte {exc.start})"
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(f"{where}: not UTF-8 as the standard asks; read as Windows-1252")
        return data.decode("cp1252", errors="replace")


@dataclass(slots=True)
class _Source:
    """A text source ready to plan: its exact text and its selections in code points."""

    refi: RefiSource
    text: str
    omap: OffsetMap
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # selection guid -> (start, end)
    ok: list[RefiSelection] = field(default_factory=list)  # selections whose codings can be imported


def read_archive(
    box: Container, where: str, report: ImportReport, loaded: Callable[[_Source], None] | None = None
) -> tuple[RefiProject, list[_Source], dict[str, str]]:
    """The project, its text sources with their exact texts, and the texts of notes kept in files.

    `loaded(source)` is called as each text source is read, while the rest of the XML is still parsed.
    """
    member = box.project_member()
    qde_where = f"{where}:{member.filename}"
    sources: list[_Source] = []

    def on_source(src: RefiSource) -> None:
        label = src.name or src.guid
        if src.kind != TEXT_SOURCE:
            lost = len(src.codings) + src.other_selections
            report.not_imported.append(
                f"source {label!r}: a {src.kind[:-6].lower() or src.kind} source, not text"
                + (f" ({lost} selection(s) and coding(s) on it)" if lost else "")
            )
            return
        text = _source_text(box, src, where, report)
        if text is None:
            return
        sources.append(_Source(src, text, OffsetMap(text)))
        if loaded is not None:
            loaded(sources[-1])

    project = read_project(box.read(member), qde_where, on_source)
    report.origin = project.origin
    report.warnings.extend(f"{qde_where}: {w}" for w in project.warnings)
    for count, what in (
        (project.sets, "set(s): groups of codes, sources or notes, which ppss_qual does not have"),
        (project.links, "link(s) between codes, sources or notes, which ppss_qual does not have"),
        (project.graphs, "graph(s) (network drawings); `ppss-qual network` draws the codes' network anew"),
        (project.source_values, "variable value(s) of sources; ppss_qual keeps attributes on participants"),
        (project.case_codes, "code(s) given to whole cases; ppss_qual codes passages"),
    ):
        if count:
            report.not_imported.append(f"{count} {what}")
    notes: dict[str, str] = {}
    for note in project.notes:
        if note.text is None and note.plain_text_path:
            info = (
                box.source_member(note.plain_text_path)
                if note.plain_text_path.startswith("internal://")
                else None
            )
            if info is not None:
                notes[note.guid] = decode_source(box.read(info), f"{where}:{info.filename}", report.warnings)
    return project, sources, notes


def _source_text(box: Container, src: RefiSource, where: str, report: ImportReport) -> str | None:
    label = src.name or src.guid
    path = src.plain_text_path
    if path and path.startswith("internal://"):
        info = box.source_member(path)
        if info is None:
            if src.content is None:
                report.not_imported.append(f"source {label!r}: its text {path} is not in the archive")
                return None
        else:
            return decode_source(box.read(info), f"{where}:{info.filename}", report.warnings)
    if src.content is not None:
        return src.content
    if path:
        report.not_imported.append(f"source {label!r}: its text is outside the archive ({path})")
    else:
        report.not_imported.append(
            f"source {label!r}: no plain text (neither plainTextPath nor PlainTextContent)"
        )
    return None


# ------------------------------------------------------------------------------------------ offsets


def detect_unit(
    project: RefiProject, sources: list[_Source], forced: str | None, report: ImportReport
) -> str:
    if forced is not None:
        report.unit, report.unit_reason = forced, "given with --offsets"
        return forced
    stated = blocks.split(project.description)[1].get(blocks.OFFSETS)
    evidence = gather(
        (s.text, s.omap, sel.start, sel.end, sel.name if sel.codings else None)
        for s in sources
        for sel in s.refi.selections
        if sel.start is not None and sel.end is not None
    )
    report.unit, report.unit_reason = decide(evidence, project.origin, stated)
    return report.unit


def _resolve(sources: list[_Source], unit: str, report: ImportReport) -> None:
    """Each selection in code points; out-of-range and mismatching selections are listed, not imported."""
    named = matching = 0
    checked: list[tuple[_Source, RefiSelection, int, int, bool]] = []
    for s in sources:
        label = s.refi.name or s.refi.guid
        for sel in s.refi.selections:
            lost = f" ({len(sel.codings)} coding(s) not imported)" if sel.codings else ""
            if sel.start is None or sel.end is None:
                report.not_imported.append(
                    f"source {label!r}: selection {sel.guid} has no integer offsets{lost}"
                )
                continue
            start = s.omap.to_codepoints(sel.start, unit)
            end = s.omap.to_codepoints(sel.end, unit)
            if start is None or end is None:
                report.not_imported.append(
                    f"source {label!r}: selection {sel.guid} ({sel.start}-{sel.end}) splits an emoji "
                    f"in {UNIT_NAMES[unit]}{lost}"
                )
                continue
            if not 0 <= start < end <= len(s.text):
                size = s.omap.u16_length if unit == UTF16 else len(s.text)
                report.not_imported.append(
                    f"source {label!r}: selection {sel.guid} ({sel.start}-{sel.end}) is outside the text "
                    f"(0-{size} {UNIT_NAMES[unit]}){lost}"
                )
                continue
            s.spans[sel.guid] = (start, end)
            if not sel.codings:
                continue
            match = bool(sel.name) and same_text(sel.name or "", s.text[start:end])
            named += bool(sel.name)
            matching += match or (bool(sel.name) and _matches_in_other_unit(s, sel, unit))
            checked.append((s, sel, start, end, match))
    # Programs that name a selection by its text (ATLAS.ti, ours) match nearly always, programs that name
    # it by a label nearly never: where a fifth or more match (in either unit), names are texts, and one
    # that does not match is wrong and left out; else they are labels and cannot check anything.
    names_are_texts = named > 0 and matching * 5 >= named
    if named and not names_are_texts:
        report.warnings.append(
            f"most selections' names ({named - matching} of {named}) are not the text at their offsets: "
            "read as labels, so the texts could not be checked"
        )
    for s, sel, start, end, match in checked:
        if match:
            s.ok.append(sel)
        elif sel.name and names_are_texts:
            report.not_imported.append(
                f"source {s.refi.name!r}: selection {sel.guid} ({sel.start}-{sel.end}) says "
                f"{_quote(sel.name)} but the text there is {_quote(s.text[start:end])} "
                f"({len(sel.codings)} coding(s) not imported)"
            )
        else:
            s.ok.append(sel)
            report.unverified.append(
                {
                    "source": s.refi.name,
                    "selection": sel.guid,
                    "start": sel.start,
                    "end": sel.end,
                    "unit": unit,
                    "text": s.text[start:end],
                }
            )


def _matches_in_other_unit(s: _Source, sel: RefiSelection, unit: str) -> bool:
    """Whether a selection's name is its text when its offsets are read in the other unit."""
    if sel.start is None or sel.end is None or s.omap.same:
        return False
    other = UTF16 if unit == CODEPOINTS else CODEPOINTS
    start, end = s.omap.to_codepoints(sel.start, other), s.omap.to_codepoints(sel.end, other)
    if start is None or end is None or not 0 <= start < end <= len(s.text):
        return False
    return same_text(sel.name or "", s.text[start:end])


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= _SHOWN else flat[: _SHOWN - 1] + "…")


# ------------------------------------------------------------------------------------------ turns


def _turns(
    s: _Source, unit: str, where: str, report: ImportReport
) -> tuple[list[RawTurn], dict[tuple[int, int], int]]:
    """The source's turns: from our own block when it is there and fits the text, else found in the text."""
    _, fields = blocks.split(s.refi.description)
    listed = fields.get(blocks.TURNS)
    if listed is not None:
        try:
            return _block_turns(listed, s, unit)
        except (ValueError, IndexError) as exc:
            report.warnings.append(
                f"source {s.refi.name!r}: its list of turns is unreadable ({exc}); turns found anew"
            )
    turns, warnings = parse_text(s.text, path=f"{where}#{s.refi.name}", keep_offsets=True)
    report.warnings.extend(warnings)
    return turns, {}


def _block_turns(listed: str, s: _Source, unit: str) -> tuple[list[RawTurn], dict[tuple[int, int], int]]:
    turns: list[RawTurn] = []
    label_starts: dict[tuple[int, int], int] = {}

    def cp(value: str) -> int:
        offset = s.omap.to_codepoints(int(value), unit)
        if offset is None or not 0 <= offset <= len(s.text):
            raise ValueError(f"offset {value} is outside the text")
        return offset

    for line in listed.split("\n"):
        if not line.strip():
            continue
        number, span, at, time, speaker = (part.strip() for part in line.split(" | ", 4))
        first, _, last = span.partition("-")
        start, end = cp(first), cp(last)
        t0, _, t1 = time.partition(blocks.TIME_SEPARATOR) if time != "-" else ("-", "", "-")
        label = None if speaker == blocks.NO_SPEAKER else speaker
        if at != "-":
            label_start = cp(at)
            # A program that kept our description but changed the text would leave it wrong.
            if label is None or not s.text.startswith(label, label_start) or not label_start <= start <= end:
                raise ValueError(f"turn {number}'s speaker is not where the list says")
            label_starts[(start, end)] = label_start
        turns.append(RawTurn(label, s.text[start:end], blocks.parse_ms(t0), blocks.parse_ms(t1), start, end))
    return turns, label_starts


# ------------------------------------------------------------------------------------------ analysis

_worker: Analyser | None = None


def _analyse(args: tuple[ParsedTranscript, str | None]) -> AnalysedTranscript | PpssError:
    """Analyse one source in a worker process (errors come back as values)."""
    global _worker
    if _worker is None:
        from ppss_qual.nlp.pipeline import Analyser

        _worker = Analyser()
    parsed, language = args
    try:
        return _worker.analyse(parsed, language)
    except PpssError as exc:
        return exc
    except ValueError as exc:
        return InputError(parsed.source_path, str(exc))


def _warm() -> None:
    """Load spaCy and the lemma table in a worker while the main process still reads the file."""
    text = "Hej."
    _analyse(
        (ParsedTranscript("warm", "", "", [RawTurn(None, text, None, None, 0, 4)], exact_text=text), "sv")
    )


Job = tuple[ParsedTranscript, str | None]


class _Analysis:
    """Analyses sources in order: in worker processes when there is enough text, else in this process.

    The workers start (and load their language models) as soon as the archive is open, and a source
    whose turns do not depend on the file's offset unit is sent to them as soon as it has been read
    (`early`), so that reading the XML costs little time of its own. They are forked before any write
    transaction is open.
    """

    def __init__(self, analyser: Analyser, workers: int | None, chars: int):
        self.analyser = analyser
        self.pool: Any = None
        self.early: dict[int, Any] = {}  # id of the source -> future
        n = workers if workers is not None else min(os.cpu_count() or 1, 4)
        self.window = 3 * n
        if n > 1 and chars >= _PARALLEL_MIN_CHARS:
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=n)
            for _ in range(n):
                self.pool.submit(_warm)

    def submit_early(self, key: int, job: Job) -> None:
        # Bounded: results that come back before they are stored wait in memory.
        if self.pool is not None and len(self.early) < 4 * self.window:
            self.early[key] = self.pool.submit(_analyse, job)

    def stream(self, jobs: list[tuple[int, Job]]) -> Iterator[Future[AnalysedTranscript | PpssError]]:
        """Each job's future, in order (done at once when analysing in this process)."""
        if self.pool is None:
            global _worker
            _worker = self.analyser
            for _key, job in jobs:
                done: Future[AnalysedTranscript | PpssError] = Future()
                done.set_result(_analyse(job))
                yield done
            return
        todo = iter(jobs)
        pending: deque[Any] = deque()

        def submit_next() -> None:
            item = next(todo, None)
            if item is not None:
                key, job = item
                pending.append(self.early.pop(key, None) or self.pool.submit(_analyse, job))

        for _ in range(self.window):
            submit_next()
        while pending:
            future = pending.popleft()
            submit_next()
            yield future

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------------------------------------ the import


@dataclass(slots=True)
class _Plan:
    """A text source to store: a new transcript (with its analysis job) or one the project has."""

    source: _Source
    existing: int | None = None
    same_as: str | None = None  # the guid of an earlier source in the file with the same text
    job: Job | None = None
    label_starts: dict[tuple[int, int], int] = field(default_factory=dict)


def import_qdpx(
    project: Project,
    path: Path,
    *,
    offsets: str | None = None,
    limits: Limits | None = None,
    workers: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportReport:
    """Import a .qdpx into the project, in one transaction and one undoable event."""
    if offsets is not None and offsets not in UNITS:
        raise InvalidOperation(f"unknown offset unit {offsets!r}; use {' or '.join(UNITS)}")
    path = Path(path)
    where = str(path)
    report = ImportReport(path=where)
    with Container(path, limits) as box:
        chars = sum(i.file_size for i in box.infos if i.filename.lower().endswith(".txt"))
        analysis = _Analysis(project.analyser, workers, chars)
        planner = _Planner(project, where, report, analysis)
        try:
            refi, sources, note_texts = read_archive(box, where, report, planner.early)
        except BaseException:
            analysis.close()
            raise
    try:
        unit = detect_unit(refi, sources, offsets, report)
        _resolve(sources, unit, report)
        plans = planner.finish(sources, unit)
        stream = analysis.stream([(id(p.source), p.job) for p in plans if p.job is not None])
        with refi_store.bulk_cache(project.conn), project.store.write() as conn:
            rec = Recorder(conn)
            users = _Coders(conn, rec, refi, project.coder, report)
            codes = _codes(conn, rec, refi, project.coder, report)
            codings = _Codings(conn, rec, codes, users, report)
            # A source's codings are stored while this process waits for the next analysis (never
            # instead of storing a transcript that is ready: the workers would wait), and the rest after.
            backlog: deque[tuple[_Source, int | None]] = deque()

            def store_some() -> bool:
                if backlog:
                    codings.add(*backlog.popleft())
                    return True
                return False

            tids = _transcripts(
                conn, rec, plans, stream, project.coder, report, progress, backlog.append, store_some
            )
            while store_some():
                pass
            new = {p.source.refi.guid for p in plans if p.job is not None}
            _participants(conn, rec, refi, sources, tids, new, report)
            _memos(
                conn,
                rec,
                refi,
                _Targets(sources, tids, codes, codings.by_coding, codings.by_selection),
                users,
                note_texts,
                report,
            )
            if rec.ops:
                summary = (
                    f"imported {path.name}: {len(report.transcripts)} transcripts, {report.codes_added} codes, "
                    f"{report.codings} codings, {report.memos} memos"
                )
                report.event_id = rec.log(project.coder, "import", summary)
    finally:
        analysis.close()
    return report


class _Planner:
    """What to do with each text source: a new transcript (with its analysis job), one the project has
    (the same text), or the same text as an earlier source of the file."""

    def __init__(self, project: Project, where: str, report: ImportReport, analysis: _Analysis):
        self.conn = project.conn
        self.where, self.report, self.analysis = where, report, analysis
        self.plans: dict[int, _Plan | None] = {}  # id of the source -> plan (None: nothing to import)
        self.first_with: dict[str, str] = {}  # text hash -> the first source's guid

    def early(self, s: _Source) -> None:
        """Plan a source as soon as it is read, when its turns do not depend on the offset unit."""
        if s.omap.same:
            plan = self.plan(s, CODEPOINTS)
            if plan is not None and plan.job is not None:
                self.analysis.submit_early(id(s), plan.job)

    def finish(self, sources: list[_Source], unit: str) -> list[_Plan]:
        out = []
        for s in sources:
            plan = self.plans[id(s)] if id(s) in self.plans else self.plan(s, unit)
            if plan is not None:
                out.append(plan)
        return out

    def plan(self, s: _Source, unit: str) -> _Plan | None:
        label = s.refi.name or s.refi.guid
        report = self.report
        plan: _Plan | None = None
        if not s.text.strip():
            report.not_imported.append(f"source {label!r}: its text is empty{_lost(s)}")
        else:
            digest = transcript_store.text_hash(s.text)
            plan = _Plan(s, existing=transcript_store.find_by_hash(self.conn, digest))
            if plan.existing is None and digest in self.first_with:
                plan.same_as = self.first_with[digest]
                report.warnings.append(
                    f"source {label!r} has the same text as an earlier source; stored once"
                )
            elif plan.existing is None:
                self.first_with[digest] = s.refi.guid
                plan = self._job(plan, unit)
        self.plans[id(s)] = plan
        return plan

    def _job(self, plan: _Plan, unit: str) -> _Plan | None:
        s = plan.source
        turns, plan.label_starts = _turns(s, unit, self.where, self.report)
        if not turns:
            self.report.not_imported.append(
                f"source {(s.refi.name or s.refi.guid)!r}: no speech found in its text{_lost(s)}"
            )
            return None
        _, fields = blocks.split(s.refi.description)
        language = fields.get(blocks.LANGUAGE)
        parsed = ParsedTranscript(
            name=" ".join((s.refi.name or f"source {len(self.plans) + 1}").split()),
            source_path=f"{self.where}#{s.refi.name}",
            # Our own export says what the transcript was first imported from; else it is a REFI source.
            source_format=fields.get(blocks.FORMAT, "").strip() or "qdpx",
            turns=turns,
            exact_text=s.text,
        )
        plan.job = (parsed, language if language in ("sv", "en") else None)
        return plan


def _lost(s: _Source) -> str:
    n = sum(len(sel.codings) for sel in s.refi.selections) + len(s.refi.codings)
    return f" ({n} coding(s) not imported with it)" if n else ""


class _Coders:
    """The file's users as the project's coders: a user becomes a coder when one of their codings is stored."""

    def __init__(self, conn: Any, rec: Recorder, refi: RefiProject, fallback: str, report: ImportReport):
        self.conn, self.rec, self.report, self.fallback = conn, rec, report, fallback
        self.known = refi_store.coders(conn)  # name -> guid
        by_guid = {g: n for n, g in self.known.items()}
        self.names: dict[str, str] = {}  # user guid -> coder name
        self.guid_of: dict[str, str] = {}  # coder name -> the file's guid for them
        for user in refi.users:
            if user.guid:
                name = by_guid.get(user.guid) or " ".join(user.name.split()) or f"user {user.guid[:8]}"
                self.names[user.guid] = name
                self.guid_of.setdefault(name, user.guid)
        self.default = refi.creating_user

    def name(self, *candidates: str | None) -> str:
        """The coder of the first candidate user the file names (else its creating user, else the importer)."""
        for candidate in (*candidates, self.default):
            if candidate and candidate in self.names:
                return self.names[candidate]
            if candidate:
                return f"user {candidate[:8]}"
        return self.fallback

    def ensure(self, name: str) -> None:
        if name in self.known:
            return
        guid = self.guid_of.get(name)
        if guid is None or guid in self.known.values():
            guid = str(uuid.uuid4())
        refi_store.add_coder(self.rec, name, guid)
        self.known[name] = guid
        self.report.coders.append(name)


def _codes(conn: Any, rec: Recorder, refi: RefiProject, coder: str, report: ImportReport) -> dict[str, int]:
    """code guid -> id: codes the project has (same GUID, else same name) are used; the rest are added."""
    # Matching by name is against the codes the project had before: two codes of the file never merge.
    by_name, by_english = refi_store.code_ids_by_name(conn)
    taken_names = set(by_name)
    taken_english = set(by_english)
    taken_guids = refi_store.guids(conn, "codes")
    out: dict[str, int] = {}

    def add(code: RefiCode, parent_id: int | None) -> None:
        existing = refi_store.id_by_guid(conn, "codes", code.guid) if code.guid else None
        fields = code_fields(code)
        if existing is None:
            existing = by_name.get(transcript_store.name_key(fields.name))
        if existing is not None:
            out[code.guid] = existing
            report.codes_matched += 1
        else:
            report.warnings.extend(fields.warnings)
            name = unique_name(fields.name, taken_names)
            if name != fields.name:
                report.warnings.append(
                    f"a second code named {fields.name!r} is called {name!r} (names are unique)"
                )
            values = fields.values()
            en_key = transcript_store.name_key(fields.name_en) if fields.name_en else None
            if en_key is not None and en_key in taken_english:
                report.warnings.append(
                    f"code {name!r}: the English name {fields.name_en!r} is taken; left out"
                )
                values["name_en"] = None
            elif en_key is not None:
                taken_english.add(en_key)
            guid = code.guid if code.guid and code.guid not in taken_guids else str(uuid.uuid4())
            taken_guids.add(guid)
            cid = code_store.insert_code(
                rec,
                {"name": name, "guid": guid, **values},
                coder,
                parent_id,
                code_store.next_position(conn, parent_id),
            )
            out[code.guid] = cid
            report.codes_added += 1
        for child in code.children:
            add(child, out[code.guid])

    for root in refi.codes:
        add(root, None)
    return out


def _transcripts(
    conn: Any,
    rec: Recorder,
    plans: list[_Plan],
    stream: Iterator[Future[AnalysedTranscript | PpssError]],
    coder: str,
    report: ImportReport,
    progress: Callable[[int, int, str], None] | None,
    placed: Callable[[tuple[_Source, int | None]], None],
    while_waiting: Callable[[], bool],
) -> dict[str, int]:
    """source guid -> transcript id; new transcripts are stored hidden and revealed by the recorded change.

    Each source is `placed((source, transcript id or None))`; `while_waiting()` does a piece of other
    work while the next analysis is not ready (False: nothing left to do).
    """
    tids: dict[str, int] = {}
    taken = refi_store.guids(conn, "transcripts")
    forms: set[tuple[str, str]] = set()
    total = sum(1 for p in plans if p.job is not None)
    done = 0
    for plan in plans:
        src = plan.source.refi
        if plan.existing is not None:
            tids[src.guid] = plan.existing
            report.matched.append(refi_store.transcript_name(conn, plan.existing))
            placed((plan.source, plan.existing))
            continue
        if plan.same_as is not None:
            if plan.same_as in tids:
                tids[src.guid] = tids[plan.same_as]
            placed((plan.source, tids.get(src.guid)))
            continue
        future = next(stream)
        while not future.done() and while_waiting():
            pass
        result = future.result()
        done += 1
        if isinstance(result, PpssError):
            report.not_imported.append(f"source {src.name!r}: {result}")
            placed((plan.source, None))
            continue
        if plan.label_starts:
            result.turns = [
                replace(t, label_start=plan.label_starts.get((t.start, t.end), t.label_start))
                for t in result.turns
            ]
        name = transcript_store.free_name(conn, result.name)
        if name != result.name:
            report.warnings.append(f"source {result.name!r} is named {name!r}: {result.name!r} is taken")
        tid = transcript_store.insert_transcript(conn, rec, result, name, coder, forms)
        forms.update((result.language, f) for f in result.forms)
        if src.guid and src.guid not in taken:
            refi_store.set_transcript_guid(rec, tid, src.guid)
            taken.add(src.guid)
        tids[src.guid] = tid
        placed((plan.source, tid))
        report.transcripts.append(
            {"name": name, "id": tid, "words": result.words, "turns": len(result.turns)}
        )
        report.warnings.extend(result.warnings)
        if progress:
            progress(done, total, name)
    return tids


def _participants(
    conn: Any,
    rec: Recorder,
    refi: RefiProject,
    sources: list[_Source],
    tids: dict[str, int],
    new: set[str],
    report: ImportReport,
) -> None:
    """Cases become participants; in new transcripts, the speakers of a case's turns are linked to it."""
    spans_of = {sel: (s.refi.guid, span) for s in sources for sel, span in s.spans.items()}
    turn_labels: dict[int, dict[tuple[int, int], str]] = {}
    for guid in new:
        if guid in tids:
            turn_labels[tids[guid]] = refi_store.turn_speakers(conn, tids[guid])
    owner: dict[tuple[int, str], int] = {}
    variables = {v.guid: v.name for v in refi.variables}
    # Named cases first: a nameless one (MAXQDA, Quirkos) only gives its variables to the speakers left.
    cases = sorted(enumerate(refi.cases, 1), key=lambda nc: not (nc[1].name or nc[1].description))
    for number, case in cases:
        _, fields = blocks.split(case.description)
        name = " ".join((fields.get(blocks.NAME) or case.name or "").split())
        attributes = {variables.get(g, g): value for g, value in case.values}
        targets = _case_turns(case.selections, spans_of, tids, turn_labels, report, name or f"case {number}")
        if not name:
            _document_variables(conn, rec, case.sources, tids, turn_labels, owner, attributes, report)
            continue
        scope_guid = (fields.get(blocks.SCOPE) or "").split(" ", 1)[0].lower()
        scope = tids.get(scope_guid) if scope_guid else None
        role = _role(fields.get(blocks.ROLE), targets, report, name)
        pid = refi_store.participant_by_guid(conn, case.guid) if case.guid else None
        if pid is None:
            pid = participant_store.find(conn, name, scope)
        if pid is None:
            guid = case.guid if case.guid and refi_store.participant_by_guid(conn, case.guid) is None else ""
            pid = refi_store.add_participant(
                rec,
                guid or str(uuid.uuid4()),
                name,
                role,
                fields.get(blocks.PSEUDONYM) or None,
                attributes,
                scope,
            )
            report.participants += 1
        elif attributes:
            current = refi_store.participant_attributes(conn, pid)
            if {**current, **attributes} != current:
                refi_store.set_participant_attributes(rec, pid, {**current, **attributes})
        if not targets and case.sources:
            targets = _whole_source_speaker(case.sources, tids, turn_labels, owner, report, name)
        for key in targets:
            if key[0] not in turn_labels:
                continue
            first = owner.setdefault(key, pid)
            if first != pid:
                report.warnings.append(f"speaker {key[1]!r} belongs to two cases; linked to the first")
    for tid, spans in turn_labels.items():
        unlinked = []
        for label in dict.fromkeys(spans.values()):
            # A case may have made this transcript's participant of that name without naming its turns.
            pid = owner.get((tid, label)) or participant_store.find(conn, label, tid)
            if pid is not None:
                refi_store.add_speaker(rec, tid, label, pid)
            else:
                unlinked.append(label)
        report.warnings.extend(participant_store.link_speakers(conn, rec, tid, unlinked, None))


def _case_turns(
    selections: list[str],
    spans_of: dict[str, tuple[str, tuple[int, int]]],
    tids: dict[str, int],
    turn_labels: dict[int, dict[tuple[int, int], str]],
    report: ImportReport,
    name: str,
) -> list[tuple[int, str]]:
    """(transcript id, speaker label) of the turns a case's selections name."""
    out: list[tuple[int, str]] = []
    for sel in selections:
        found = spans_of.get(sel)
        if found is None:
            report.warnings.append(f"case {name!r} refers to selection {sel}, which is not imported")
            continue
        tid = tids.get(found[0])
        if tid is None or tid not in turn_labels:
            continue
        spans = turn_labels[tid]
        label = spans.get(found[1])
        if label is None:  # not a whole turn: the turn where the passage starts
            start = found[1][0]
            label = next((lab for (s, e), lab in spans.items() if s <= start < e), None)
        if label is None:
            report.warnings.append(f"case {name!r}: a passage it refers to is in no speaker's turn")
        elif (tid, label) not in out:
            out.append((tid, label))
    return out


def _role(given: str | None, targets: list[tuple[int, str]], report: ImportReport, name: str) -> str | None:
    if given:
        try:
            return Role.parse(given).value
        except ValueError:
            report.warnings.append(f"case {name!r}: unknown role {given!r}; left out")
    for _, label in targets:
        role = read_label(label).role
        if role is not None:
            return role.value
    return None


def _interviewees(
    labels_: dict[tuple[int, int], str], owner: dict[tuple[int, str], int], tid: int
) -> list[str]:
    return [
        label
        for label in dict.fromkeys(labels_.values())
        if (tid, label) not in owner and read_label(label).role is not Role.INTERVIEWER
    ]


def _whole_source_speaker(
    sources: list[str],
    tids: dict[str, int],
    turn_labels: dict[int, dict[tuple[int, int], str]],
    owner: dict[tuple[int, str], int],
    report: ImportReport,
    name: str,
) -> list[tuple[int, str]]:
    """A case that names whole sources: linked to a source's one interviewee, where there is exactly one."""
    out = []
    for guid in sources:
        tid = tids.get(guid)
        if tid is None or tid not in turn_labels:
            continue
        candidates = _interviewees(turn_labels[tid], owner, tid)
        if len(candidates) == 1:
            out.append((tid, candidates[0]))
            report.warnings.append(
                f"case {name!r} names a whole source; linked to its one interviewee {candidates[0]!r}"
            )
        else:
            report.warnings.append(
                f"case {name!r} names a whole source with {len(candidates)} interviewees; linked to none"
            )
    return out


def _document_variables(
    conn: Any,
    rec: Recorder,
    sources: list[str],
    tids: dict[str, int],
    turn_labels: dict[int, dict[tuple[int, int], str]],
    owner: dict[tuple[int, str], int],
    attributes: dict[str, str],
    report: ImportReport,
) -> None:
    """A nameless case (MAXQDA, Quirkos) only carries variables of its sources: they go to the sources'
    interviewees, who are linked after the named cases."""
    if not attributes:
        return
    for guid in sources:
        tid = tids.get(guid)
        if tid is None or tid not in turn_labels:
            report.warnings.append("a nameless case's variables belong to a source that is not new; left out")
            continue
        for label in _interviewees(turn_labels[tid], owner, tid):
            scope = None if read_label(label).identifies_person else tid
            pid = participant_store.find(conn, label, scope)
            if pid is None:
                role = _role(None, [(tid, label)], report, label)
                pid = refi_store.add_participant(rec, str(uuid.uuid4()), label, role, None, attributes, scope)
                report.participants += 1
            else:
                current = refi_store.participant_attributes(conn, pid)
                refi_store.set_participant_attributes(rec, pid, {**current, **attributes})
            owner[(tid, label)] = pid
            report.warnings.append(f"the variables of a nameless case go to speaker {label!r}")


class _Codings:
    """Stores each source's codings as soon as its transcript is placed; remembers their ids for the notes."""

    def __init__(self, conn: Any, rec: Recorder, codes: dict[str, int], users: _Coders, report: ImportReport):
        self.conn, self.rec, self.codes, self.users, self.report = conn, rec, codes, users, report
        self.taken = refi_store.guids(conn, "codings") if refi_store.has_codings(conn) else set()
        self.stamp = now()
        self.by_coding: dict[str, int] = {}  # the file's coding guid -> coding id
        self.by_selection: dict[str, int] = {}  # the file's selection guid -> its first coding's id

    def add(self, s: _Source, tid: int | None) -> None:
        report = self.report
        if tid is None:
            n = sum(len(sel.codings) for sel in s.refi.selections) + len(s.refi.codings)
            if n:
                report.not_imported.append(f"source {s.refi.name!r}: {n} coding(s) not imported with it")
            return
        seen = refi_store.codings_of(self.conn, tid)
        whole = [(RefiSelection("", None, 0, len(s.text)), c) for c in s.refi.codings]
        if whole:
            report.warnings.append(
                f"source {s.refi.name!r}: {len(whole)} coding(s) of the whole source cover its text"
            )
        rows: list[tuple[str, int, int, str, int, int, str, str]] = []
        keys: list[tuple[str, str]] = []  # (file coding guid, selection guid) per row
        codes, taken, spans, text = self.codes, self.taken, s.spans, s.text
        name_of = self.users.name
        pairs = [(one, c) for one in s.ok for c in one.codings] + whole
        for sel, c in pairs:
            start, end = spans.get(sel.guid, (0, len(text)))
            cid = codes.get(c.code or "")
            if cid is None:
                report.not_imported.append(
                    f"source {s.refi.name!r}: coding {c.guid} refers to "
                    + (f"code {c.code}, which is not in the codebook" if c.code else "no code")
                )
                continue
            who = name_of(c.user, sel.user)
            key = (cid, who, start, end)
            if key in seen:
                report.duplicates += 1
                continue
            seen.add(key)
            guid = c.guid if c.guid and c.guid not in taken else str(uuid.uuid4())
            taken.add(guid)
            created = datetime_or_none(c.created) or self.stamp
            rows.append((guid, tid, cid, who, start, end, text[start:end], created))
            keys.append((c.guid, sel.guid))
        if not rows:
            return
        ids = refi_store.add_codings(self.rec, rows)
        report.codings += len(rows)
        for who in dict.fromkeys(r[3] for r in rows):
            self.users.ensure(who)
        for (coding_guid, selection_guid), cid in zip(keys, ids, strict=True):
            self.by_coding.setdefault(coding_guid, cid)
            self.by_selection.setdefault(selection_guid, cid)


@dataclass(slots=True)
class _Targets:
    """Where the file's things went in the project, for the notes that refer to them."""

    sources: list[_Source]
    tids: dict[str, int]
    codes: dict[str, int]
    coding_ids: dict[str, int]
    selection_codings: dict[str, int]


def _memos(
    conn: Any,
    rec: Recorder,
    refi: RefiProject,
    where: _Targets,
    users: _Coders,
    note_texts: dict[str, str],
    report: ImportReport,
) -> None:
    """Notes become memos on what refers to them; a note nothing refers to is a memo on the project."""
    sources, tids, codes = where.sources, where.tids, where.codes
    coding_ids, selection_codings = where.coding_ids, where.selection_codings
    targets: list[tuple[str, str, int | None, str]] = []  # (note guid, kind, target id, prefix)
    for note in refi.notes_on_project:
        targets.append((note, "project", None, ""))
    for code, _parent in walk(refi.codes):
        for note in code.notes:
            if code.guid in codes:
                targets.append((note, "code", codes[code.guid], ""))
    for s in sources:
        tid = tids.get(s.refi.guid)
        if tid is None:
            continue
        for note in s.refi.notes:
            targets.append((note, "transcript", tid, ""))
        for sel in s.refi.selections:
            for c in sel.codings:
                for note in c.notes:
                    if c.guid in coding_ids:
                        targets.append((note, "coding", coding_ids[c.guid], ""))
            if not sel.notes:
                continue
            if sel.guid in selection_codings:
                if len(sel.codings) > 1:
                    report.warnings.append(
                        f"a note on a selection with {len(sel.codings)} codings is a memo on the first of them"
                    )
                for note in sel.notes:
                    targets.append((note, "coding", selection_codings[sel.guid], ""))
            elif sel.guid in s.spans:
                a, b = s.spans[sel.guid]
                prefix = f"On characters {a}-{b} ({_quote(s.text[a:b])}):\n"
                for note in sel.notes:
                    targets.append((note, "transcript", tid, prefix))
    referred = {t[0] for t in targets}
    for free in refi.notes:
        if free.guid in referred:
            continue
        about = blocks.split(free.description)[1].get(blocks.ABOUT, "")
        kind, _, guid = about.partition(" ")
        pid = refi_store.participant_by_guid(conn, guid.strip().lower()) if kind == "participant" else None
        targets.append(
            (free.guid, "participant", pid, "") if pid is not None else (free.guid, "project", None, "")
        )
    notes = {n.guid: n for n in refi.notes}
    before = refi_store.guids(conn, "memos")
    taken = set(before)
    for note_guid, kind, target, prefix in targets:
        found = notes.get(note_guid)
        if found is None:
            report.warnings.append(f"a NoteRef names {note_guid}, which is not among the notes; left out")
            continue
        if note_guid in before:
            continue  # this very memo is in the project already
        body = prefix + _note_text(found, note_texts)
        if not body.strip():
            continue
        guid = note_guid if note_guid and note_guid not in taken else str(uuid.uuid4())
        taken.add(guid)
        author = users.name(found.user)
        code_store.insert_memo(
            rec,
            kind,
            target,
            body,
            author,
            guid=guid,
            created_at=datetime_or_none(found.created),
            updated_at=datetime_or_none(found.modified),
        )
        report.memos += 1


def _note_text(note: RefiNote, texts: dict[str, str]) -> str:
    if note.text:
        return note.text
    if note.guid in texts:
        return texts[note.guid]
    free = blocks.split(note.description)[0]
    return free or note.name
