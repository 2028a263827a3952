"""The facade: the one object the CLI and the TUI use to read and change a project."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppss_qual import settings
from ppss_qual.codebook.operations import Codebook
from ppss_qual.coding.operations import Codings
from ppss_qual.errors import DuplicateTranscript, InputError, InvalidOperation, PpssError
from ppss_qual.model import AnalysedTranscript, Role
from ppss_qual.nlp.words import WORD_RE
from ppss_qual.participants import read_sheet
from ppss_qual.store import changes
from ppss_qual.store import participants as participant_store
from ppss_qual.store import transcripts as transcript_store
from ppss_qual.store.changes import Event, Recorder
from ppss_qual.store.db import Store

if TYPE_CHECKING:
    from ppss_qual.exports.names import NameStep
    from ppss_qual.importing import ImportReport, ProgressCallback
    from ppss_qual.nlp.pipeline import Analyser


@dataclass(slots=True)
class SheetReport:
    updated: int
    created: int
    warnings: list[str]


class Project:
    """A project file opened for one coder. Every change is one transaction and one event."""

    def __init__(self, store: Store, coder: str | None = None, *, analyser: Analyser | None = None):
        self.store = store
        self.coder = settings.coder_name(coder)
        self._analyser = analyser
        self._stored_forms: set[tuple[str, str]] = set()  # word forms this session has committed
        self.codebook = Codebook(self)
        self.codings = Codings(self)

    # -- opening ----------------------------------------------------------------------------------
    @classmethod
    def open(
        cls, path: Path, *, create: bool = True, coder: str | None = None, analyser: Analyser | None = None
    ) -> Project:
        return cls(Store(path, create=create), coder, analyser=analyser)

    @classmethod
    def memory(cls, coder: str | None = None, *, analyser: Analyser | None = None) -> Project:
        """A project that lives in memory only: for tests and throwaway work."""
        return cls(Store(None), coder, analyser=analyser)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> Any:
        return self.store.conn

    @property
    def warnings(self) -> list[str]:
        return self.store.warnings

    @property
    def analysis(self) -> Any:
        """Excerpt queries, tables by group, co-occurrence and networks (ppss_qual.analysis)."""
        from ppss_qual.analysis.service import Analysis

        return Analysis(self)

    @property
    def team(self) -> Any:
        """Coders, agreement, disagreements to settle, merging projects (ppss_qual.agreement)."""
        from ppss_qual.agreement.service import Team

        return Team(self)

    @property
    def refi(self) -> Any:
        """REFI-QDA exchange: .qdpx projects and .qdc codebooks (ppss_qual.refi)."""
        from ppss_qual.refi.service import Refi

        return Refi(self)

    @property
    def pseudonymise(self) -> Any:
        """Finding names, schools, places and numbers, and the decisions on them (ppss_qual.pseudonymise)."""
        from ppss_qual.pseudonymise.service import Pseudonymiser

        return Pseudonymiser(self)

    @property
    def analyser(self) -> Analyser:
        if self._analyser is None:
            from ppss_qual.nlp.pipeline import Analyser

            self._analyser = Analyser()
        return self._analyser

    # -- importing --------------------------------------------------------------------------------
    def import_paths(
        self,
        paths: Iterable[Path],
        *,
        role: Role | None = None,
        language: str | None = None,
        force: bool = False,
        progress: ProgressCallback | None = None,
        workers: int | None = None,
    ) -> ImportReport:
        """Import files and folders; a bad file is reported and changes nothing, the good ones go in."""
        from ppss_qual.importing import FileResult, ImportReport, analysed_stream, check_extension, expand

        files, skipped, missing = expand(paths)
        report = ImportReport(files=list(missing), skipped=skipped)
        good: list[Path] = []
        for f in files:
            try:
                check_extension(f)
                good.append(f)
            except InputError as exc:
                report.files.append(FileResult(str(f), error=str(exc)))
        for done, (path, result) in enumerate(analysed_stream(good, language, self.analyser, workers), 1):
            entry = FileResult(str(path))
            if isinstance(result, PpssError):
                entry.error = str(result)
            else:
                try:
                    entry.transcript_id, entry.transcript = self.add_transcript(
                        result, role=role, force=force
                    )
                    entry.words, entry.turns, entry.sentences = (
                        result.words,
                        len(result.turns),
                        len(result.sentences),
                    )
                    entry.warnings = result.warnings
                except PpssError as exc:
                    entry.error = str(exc)
            report.files.append(entry)
            if progress:
                progress(done, len(good), str(path))
        return report

    def add_transcript(
        self, analysed: AnalysedTranscript, *, role: Role | None = None, force: bool = False
    ) -> tuple[int, str]:
        """Store one analysed transcript in one transaction; refuses text the project already has."""
        with self.store.write() as conn:
            digest = transcript_store.text_hash(analysed.text)
            existing = transcript_store.find_by_hash(conn, digest)
            if existing is not None and not force:
                other = transcript_store.by_id(conn, existing).name
                raise DuplicateTranscript(
                    analysed.source_path or analysed.name,
                    f"the project already has this text as transcript {other!r}; use --force to import it again",
                )
            name = transcript_store.free_name(conn, analysed.name)
            if name != analysed.name:
                analysed.warnings.append(f"named {name!r}: {analysed.name!r} is taken")
            rec = Recorder(conn)
            tid = transcript_store.insert_transcript(
                conn, rec, analysed, name, self.coder, self._stored_forms
            )
            labels = list(dict.fromkeys(t.speaker for t in analysed.turns if t.speaker))
            analysed.warnings.extend(participant_store.link_speakers(conn, rec, tid, labels, role))
            rec.log(self.coder, "import", f"imported {name} ({analysed.words} words)")
        self._stored_forms.update((analysed.language, f) for f in analysed.forms)
        return tid, name

    # -- reading ----------------------------------------------------------------------------------
    def transcripts(self) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            coded, fresh = transcript_store.coded_lengths(conn)
            rows = transcript_store.list_rows(conn, coded)
        if fresh:
            self._remember_coverage()
        return rows

    def _remember_coverage(self) -> None:
        """Cache coded lengths for the next reader, computed again under the write lock so that no
        coding committed in between is missed; a busy or read-only project just goes without."""
        import sqlite3

        try:
            with self.store.write() as conn:
                transcript_store.remember_coverage(conn, transcript_store.coded_lengths(conn)[1])
        except (PpssError, sqlite3.Error):
            pass

    def transcript(self, ref: str) -> transcript_store.TranscriptRow:
        return transcript_store.resolve(self.conn, ref)

    def show(self, ref: str) -> dict[str, Any]:
        with self.store.read() as conn:
            t = transcript_store.resolve(conn, ref)
            text = t.text or ""
            turns = [
                {
                    "number": n,
                    "line": line,
                    "speaker": speaker,
                    "role": role,
                    "participant": participant,
                    "start": start,
                    "end": end,
                    "text": text[start:end],
                    "time_start_ms": ts,
                    "time_end_ms": te,
                }
                for n, line, speaker, role, participant, start, end, ts, te in transcript_store.turn_rows(
                    conn, t.id
                )
            ]
            sentences = [
                {"number": n, "turn": turn, "start": s, "end": e}
                for n, turn, s, e in transcript_store.sentence_rows(conn, t.id)
            ]
        return {
            "id": t.id,
            "name": t.name,
            "language": t.language,
            "words": t.words,
            "source_format": t.source_format,
            "text": text,
            "turns": turns,
            "sentences": sentences,
        }

    def search(
        self, query: str, *, transcript: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Sentences holding the query's words in any inflected form, via stored lemmas ("lyssna" ~ "lyssnade")."""
        words = [m.group() for m in WORD_RE.finditer(query)]
        if not words:
            raise InvalidOperation(f"nothing to search for in {query!r}")
        with self.store.read() as conn:
            candidates = [self._query_lemmas(conn, w) for w in words]
            patterns = [" " + " ".join(c) + " " for c in itertools.islice(itertools.product(*candidates), 64)]
            only = transcript_store.resolve(conn, transcript).id if transcript else None
            out: list[dict[str, Any]] = []
            for (
                tid,
                name,
                chunk,
                number,
                turn,
                start,
                _end,
                lemmas,
                speaker,
                line,
                role,
            ) in transcript_store.sentences_with(conn, patterns):
                if only is not None and tid != only:
                    continue
                for m_start, m_end in _lemma_runs(chunk, lemmas.split(), candidates):
                    out.append(
                        {
                            "transcript": name,
                            "transcript_id": tid,
                            "speaker": speaker,
                            "role": role,
                            "turn": turn,
                            "sentence_number": number,
                            "line": line + chunk.count("\n", 0, m_start),
                            "start": start + m_start,
                            "end": start + m_end,
                            "sentence_start": start,
                            "sentence": chunk,
                            "match": chunk[m_start:m_end],
                        }
                    )
                    if limit is not None and len(out) >= limit:
                        return out
        return out

    def _query_lemmas(self, conn: Any, word: str) -> list[str]:
        found = transcript_store.lemma_of(conn, word)
        if found:
            return found
        from ppss_qual.nlp.lemmas import query_lemmas

        guesses = query_lemmas(word, lambda lem: transcript_store.is_known_lemma(conn, lem), "sv")
        return list(dict.fromkeys(guesses or [word.lower()]))

    # -- participants -----------------------------------------------------------------------------
    def participants(self) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            return participant_store.rows(conn)

    def import_participants(self, sheet: Path) -> SheetReport:
        """Apply a participant sheet in one transaction: any bad row changes nothing."""
        rows, warnings = read_sheet(sheet)
        updated = created = 0
        with self.store.write() as conn:
            rec = Recorder(conn)
            for row in rows:
                where = f"{sheet}:{row.line}"
                try:
                    t = transcript_store.resolve(conn, row.transcript)
                except PpssError:
                    warnings.append(f"{where}: no transcript {row.transcript!r} in the project; row skipped")
                    continue
                speaker = participant_store.speaker_of(conn, t.id, row.speaker)
                if speaker is None:
                    warnings.append(
                        f"{where}: transcript {t.name!r} has no speaker {row.speaker!r}; row skipped"
                    )
                    continue
                speaker_id, old_pid = speaker
                pid = participant_store.find(conn, row.participant)
                if pid is None:
                    pid = participant_store.create(rec, row.participant, row.role, attributes=row.attributes)
                    created += 1
                values: dict[str, Any] = {}
                if row.role is not None:
                    values["role"] = row.role.value
                if row.pseudonym:
                    values["pseudonym"] = row.pseudonym
                if row.attributes:
                    current = json.loads(
                        conn.execute("SELECT attributes FROM participants WHERE id = ?", (pid,)).fetchone()[0]
                    )
                    values["attributes"] = json.dumps({**current, **row.attributes}, ensure_ascii=False)
                rec.update("participants", pid, **values)
                if old_pid != pid:
                    rec.update("speakers", speaker_id, participant_id=pid)
                    participant_store.drop_if_orphan(conn, rec, old_pid)
                updated += 1
            rec.log(self.coder, "participants", f"participant sheet {sheet.name}: {updated} speakers")
        return SheetReport(updated, created, warnings)

    # -- the export step for names ----------------------------------------------------------------
    def name_step(self, *, real_names: bool = False) -> NameStep:
        """The one pseudonymisation step every exporter uses (real_names=True: the key-holder's copy)."""
        from ppss_qual.exports.names import NameStep, ParticipantNames, build_key
        from ppss_qual.speakers import read_label

        with self.store.read() as conn:
            rows = participant_store.for_name_key(conn)
        people = [
            ParticipantNames(name, role, pseudonym, tuple(labels), attrs, read_label(name).identifies_person)
            for name, role, pseudonym, labels, attrs in rows
        ]
        pseudonyms: dict[str, str] = {}
        key = build_key(people, self._accepted_entities(), pseudonyms)
        return NameStep(key, real_names=real_names, pseudonyms=pseudonyms)

    def export_report(self, path: Path, options: Any, progress: Any = None) -> Any:
        """The Word report (see ppss_qual.exports.report.ReportOptions)."""
        from ppss_qual.exports.report import write_report

        return write_report(self, path, options, progress)

    def export_excerpts(
        self,
        path: Path,
        *,
        query: str | None = None,
        roles: list[str] | None = None,
        coders: list[str] | None = None,
        transcripts: list[str] | None = None,
        real_names: bool = False,
    ) -> int:
        """Coded excerpts to .csv, .xlsx or .docx through the name step; returns the number written."""
        from ppss_qual.exports.excerpts import excerpt_rows, write_excerpts

        excerpts = self.analysis.excerpts(query, roles=roles, coders=coders, transcripts=transcripts)
        participants = {p["id"]: p for p in self.participants()}
        texts = {tid: self.transcript(str(tid)).text or "" for tid in {e["transcript_id"] for e in excerpts}}
        rows = excerpt_rows(excerpts, participants, texts, self.name_step(real_names=real_names))
        write_excerpts(rows, path)
        return len(rows)

    def _accepted_entities(self) -> list[Any]:
        """Entities accepted in the pseudonymisation review, as key entries with their accepted spans."""
        from ppss_qual.pseudonymise.service import Pseudonymiser

        return Pseudonymiser(self).accepted_key()

    # -- undo -------------------------------------------------------------------------------------
    def undo(self) -> Event:
        with self.store.write() as conn:
            return changes.undo(conn, self.coder)

    def redo(self) -> Event:
        with self.store.write() as conn:
            return changes.redo(conn, self.coder)

    def history(self, limit: int = 50) -> list[dict[str, Any]]:
        cur = self.conn.execute(
            "SELECT id, at, coder, action, summary, status, ref FROM events ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _lemma_runs(chunk: str, lemmas: list[str], candidates: list[list[str]]) -> list[tuple[int, int]]:
    """Spans in `chunk` where consecutive words' lemmas match the query words' candidates."""
    matches = list(WORD_RE.finditer(chunk))
    if len(matches) != len(lemmas):  # cannot happen unless the tokeniser changed since import
        return []
    k = len(candidates)
    sets = [set(c) for c in candidates]
    runs = []
    for i in range(len(lemmas) - k + 1):
        if all(lemmas[i + j] in sets[j] for j in range(k)):
            runs.append((matches[i].start(), matches[i + k - 1].end()))
    return runs
