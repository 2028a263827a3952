"""The pseudonymisation facade (`Pseudonymiser(project)`): detect, review, decide, apply, export the key.

Stored text never changes: decisions live in the `entities` table and are applied on the way out, by
the one export step (ppss_qual.exports.names) that every exporter uses. Every decision is one
transaction and one undoable event; detection runs are noted in the audit log but are not undoable
(they are the detector's suggestions, made again at will, not anyone's decision).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppss_qual.errors import InvalidOperation
from ppss_qual.exports.names import KeyEntry
from ppss_qual.files import write_bytes
from ppss_qual.pseudonymise.detect import DETECTOR_VERSION, KINDS, Detector, RegisterName, TranscriptText
from ppss_qual.pseudonymise.pseudonyms import FIXED, Pseudonyms
from ppss_qual.store import entities as entity_store
from ppss_qual.store import transcripts as transcript_store
from ppss_qual.store.changes import Recorder, now
from ppss_qual.textlines import LineIndex

if TYPE_CHECKING:
    from ppss_qual.project import Project

STATUSES = ("suggested", "accepted", "rejected")
# The keys of `pseudonymise --list` (DESIGN.md): scripts rely on exactly these.
LIST_KEYS = ("id", "transcript", "start", "end", "text", "kind", "reason", "status", "pseudonym")
KEY_COLUMNS = ("real", "pseudonym", "kind", "source")

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class DetectionReport:
    transcripts: list[str] = field(default_factory=list)
    suggestions: int = 0


@dataclass(slots=True)
class Decision:
    """What one decision changed: how many occurrences, of which string, with which pseudonym."""

    status: str
    text: str
    kind: str
    pseudonym: str
    changed: int


@dataclass(slots=True)
class ApplyReport:
    paths: list[Path]
    undecided: int
    not_detected: list[str]


class Pseudonymiser:
    """Pseudonymisation of one project; every method reads or writes through the project's store."""

    def __init__(self, project: Project):
        self.project = project

    # -- detection ------------------------------------------------------------------------------------
    def pending(self) -> list[str]:
        """Transcripts where detection has not run, or ran with another detector version."""
        with self.project.store.read() as conn:
            return [name for _, name in entity_store.transcripts_to_detect(conn, DETECTOR_VERSION)]

    def detect(
        self,
        transcripts: Iterable[str] | None = None,
        *,
        again: bool = False,
        progress: Progress | None = None,
    ) -> DetectionReport:
        """Run detection where it has not run (or on `transcripts`, or everywhere with `again`).

        A transcript's undecided suggestions are replaced; accepted and rejected entities stay.
        """
        with self.project.store.read() as conn:
            if transcripts is not None:
                todo = [(t.id, t.name) for t in (transcript_store.resolve(conn, r) for r in transcripts)]
            elif again:
                todo = entity_store.visible_transcripts(conn)
            else:
                todo = entity_store.transcripts_to_detect(conn, DETECTOR_VERSION)
            known = entity_store.pseudonyms_by_text(conn)
        report = DetectionReport()
        if not todo:
            return report
        register = self.register()
        detector = self._detector(register)
        names = Pseudonyms(_register_pseudonyms(register), known)
        fill_gaps = transcripts is None and not again
        for done, (tid, name) in enumerate(todo, 1):
            with self.project.store.write() as conn:
                if fill_gaps and not entity_store.needs_detection(conn, tid, DETECTOR_VERSION):
                    continue  # another process got there first: keep its suggestions and their ids
                source = entity_store.detection_input(conn, tid)
                found = detector.detect(
                    TranscriptText(source.text, source.language, source.labels, source.sentence_starts)
                )
                rows = [
                    entity_store.NewEntity(s.start, s.end, s.text, s.kind, s.reason, names.of(s.text, s.kind))
                    for s in found
                ]
                added = entity_store.replace_suggestions(conn, tid, rows, DETECTOR_VERSION)
                entity_store.note(
                    conn,
                    self.project.coder,
                    "detect",
                    f"pseudonymisation: {added} suggestions in {name} (detector version {DETECTOR_VERSION})",
                )
            report.transcripts.append(name)
            report.suggestions += added
            if progress:
                progress(done, len(todo), name)
        return report

    def register(self) -> list[KeyEntry]:
        """The participant register as key entries: participants' names and first names, schools, places."""
        return [e for e in self.project.name_step().key if e.source == "participant"]

    def _detector(self, register: list[KeyEntry]) -> Detector:
        from ppss_qual.pseudonymise.lexicon import common_words

        analyser = self.project.analyser
        lemmatizers = {lang: analyser.lemmatizer(lang) for lang in ("sv", "en")}
        common = {lang: common_words(lem) for lang, lem in lemmatizers.items()}
        names = [RegisterName(e.real, e.kind) for e in register]
        names += [RegisterName(s, "person") for s in _surnames(register)]
        return Detector(common, names, is_word={lang: lem.is_word for lang, lem in lemmatizers.items()})

    # -- reading --------------------------------------------------------------------------------------
    def entities(
        self, *, status: str | None = None, kind: str | None = None, transcript: str | None = None
    ) -> list[dict[str, Any]]:
        """Suggested, accepted and rejected entities with the keys of `pseudonymise --list`."""
        _check("status", status, STATUSES)
        _check("kind", kind, KINDS)
        register = _register_pseudonyms(self.register())
        with self.project.store.read() as conn:
            tid = transcript_store.resolve(conn, transcript).id if transcript else None
            rows = entity_store.rows(conn, status=status, kind=kind, transcript_id=tid)
        return [_as_dict(r, register) for r in rows]

    def entity(self, entity_id: int, *, width: int = 70) -> dict[str, Any]:
        """One entity with its line and the words around it on that line (`before`, `after`)."""
        with self.project.store.read() as conn:
            row = entity_store.get(conn, entity_id)
            text = transcript_store.by_id(conn, row.transcript_id).text or ""
        out = _as_dict(row, _register_pseudonyms(self.register()))
        out.update(_context(text, row.start, row.end, width))
        out["occurrences"] = len(self._same_text(row.text))
        return out

    def counts(self) -> dict[str, int]:
        with self.project.store.read() as conn:
            found = entity_store.counts(conn)
        return {s: found.get(s, 0) for s in STATUSES}

    def _same_text(self, text: str) -> list[entity_store.EntityRow]:
        with self.project.store.read() as conn:
            return entity_store.rows(conn, text=text)

    # -- deciding -------------------------------------------------------------------------------------
    def accept(self, entity_id: int, *, all_of_text: bool = False, pseudonym: str | None = None) -> Decision:
        """Accept one occurrence (or every occurrence of its string); `pseudonym` renames the string."""
        return self._decide(entity_id, "accepted", all_of_text=all_of_text, pseudonym=pseudonym)

    def reject(self, entity_id: int, *, all_of_text: bool = False) -> Decision:
        """Reject one occurrence (or every occurrence of its string).

        A rejected occurrence stays real in exports only while no occurrence of the same string is
        accepted: once one is, the string is replaced everywhere (see ppss_qual.exports.names).
        """
        return self._decide(entity_id, "rejected", all_of_text=all_of_text)

    def rename(self, entity_id: int, pseudonym: str) -> Decision:
        """Give the entity's string a pseudonym of your own (every occurrence) and accept this occurrence."""
        return self._decide(entity_id, "accepted", pseudonym=pseudonym)

    def decide_remaining(self, status: str, *, kind: str | None = None, transcript: str | None = None) -> int:
        """Accept (or reject) every undecided suggestion, of a kind, in a transcript: one undoable change."""
        _check("status", status, ("accepted", "rejected"))
        _check("kind", kind, KINDS)
        register = _register_pseudonyms(self.register())
        with self.project.store.write() as conn:
            tid = transcript_store.resolve(conn, transcript).id if transcript else None
            rows = entity_store.rows(conn, status="suggested", kind=kind, transcript_id=tid)
            names = Pseudonyms(register, entity_store.pseudonyms_by_text(conn))
            rec = Recorder(conn)
            at = now()
            for r in rows:
                values: dict[str, Any] = {
                    "status": status,
                    "decided_by": self.project.coder,
                    "decided_at": at,
                }
                if status == "accepted":
                    values["pseudonym"] = register.get(r.text) or r.pseudonym or names.of(r.text, r.kind)
                rec.update("entities", r.id, **values)
            if rows:
                what = f"{kind} suggestions" if kind else "suggestions"
                where = f" in {transcript}" if transcript else ""
                verb = "accepted" if status == "accepted" else "rejected"
                rec.log(self.project.coder, "pseudonymise", f"{verb} {len(rows)} remaining {what}{where}")
        return len(rows)

    def _decide(
        self, entity_id: int, status: str, *, all_of_text: bool = False, pseudonym: str | None = None
    ) -> Decision:
        register = _register_pseudonyms(self.register())
        with self.project.store.write() as conn:
            row = entity_store.get(conn, entity_id)
            same = entity_store.rows(conn, text=row.text)
            if pseudonym is not None:
                pseudonym = _checked_pseudonym(row.text, pseudonym, register)
            chosen = (
                pseudonym
                or register.get(row.text)
                or row.pseudonym
                or Pseudonyms(register, entity_store.pseudonyms_by_text(conn)).of(row.text, row.kind)
            )
            targets = {r.id for r in same} if all_of_text else {row.id}
            rec = Recorder(conn)
            at = now()
            for r in same:
                values: dict[str, Any] = {}
                if r.id in targets:
                    values.update(status=status, decided_by=self.project.coder, decided_at=at)
                if pseudonym is not None or r.id in targets:
                    values["pseudonym"] = chosen  # one string, one pseudonym
                if values:
                    rec.update("entities", r.id, **values)
            verb = "accepted" if status == "accepted" else "rejected"
            scope = f"all {len(targets)} occurrences of" if all_of_text else "one occurrence of"
            rec.log(
                self.project.coder,
                "pseudonymise",
                f"{verb} {scope} {row.kind} {row.text!r}" + (f" as {chosen}" if status == "accepted" else ""),
            )
        return Decision(status, row.text, row.kind, chosen, len(targets))

    # -- using the decisions --------------------------------------------------------------------------
    def accepted_key(self) -> list[KeyEntry]:
        """Accepted entities as key entries for the export step: one per string, with its accepted spans."""
        with self.project.store.read() as conn:
            rows = entity_store.accepted(conn)
        by_text: dict[str, tuple[str, str, list[tuple[int, int, int]]]] = {}
        for tid, start, end, text, kind, pseudonym in rows:
            entry = by_text.setdefault(text, (pseudonym or FIXED.get(kind, f"[{kind}]"), kind, []))
            entry[2].append((tid, start, end))
        return [
            KeyEntry(text, pseudonym, kind, "entity", tuple(spans))
            for text, (pseudonym, kind, spans) in by_text.items()
        ]

    def key(self) -> list[KeyEntry]:
        """The whole key: participants' names, schools and places, and accepted entities."""
        return self.project.name_step().key

    def export_key(self, path: Path) -> int:
        """Write the key (real -> pseudonym, kind, source) as CSV apart from the project; returns its rows."""
        key = sorted(self.key(), key=lambda e: (e.source, e.kind, e.pseudonym, e.real))
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(KEY_COLUMNS)
        for e in key:
            writer.writerow(
                [
                    e.real,
                    e.pseudonym,
                    e.kind,
                    "participant register" if e.source == "participant" else "accepted",
                ]
            )
        # the key holds real names: readable by its owner only; a BOM so that Excel shows åäö
        write_bytes(path, buf.getvalue().encode("utf-8-sig"), mode=0o600)
        with self.project.store.write() as conn:
            entity_store.note(
                conn, self.project.coder, "export-key", f"wrote the key ({len(key)} rows) to {path}"
            )
        return len(key)

    def write_texts(self, folder: Path, *, transcripts: Iterable[str] | None = None) -> ApplyReport:
        """Each transcript's text with participants' names and accepted entities replaced, to FOLDER/NAME.txt."""
        step = self.project.name_step()
        with self.project.store.read() as conn:
            if transcripts is None:
                chosen = [
                    transcript_store.by_id(conn, tid) for tid, _ in entity_store.visible_transcripts(conn)
                ]
            else:
                chosen = [transcript_store.resolve(conn, t) for t in transcripts]
            undecided = sum(
                1 for t in chosen for _ in entity_store.rows(conn, status="suggested", transcript_id=t.id)
            )
            pending = {tid for tid, _ in entity_store.transcripts_to_detect(conn, DETECTOR_VERSION)}
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for t in chosen:
            path = folder / f"{_file_name(step.text(t.name))}.txt"
            text = step.source(t.text or "", transcript_id=t.id).text
            write_bytes(path, text.encode("utf-8"))
            paths.append(path)
        return ApplyReport(paths, undecided, [t.name for t in chosen if t.id in pending])


# -- helpers ----------------------------------------------------------------------------------------------
def _check(what: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise InvalidOperation(f"no {what} {value!r}; use one of {', '.join(allowed)}")


def _surnames(register: list[KeyEntry]) -> dict[str, str]:
    """Participants' surnames (the last word of a full name) -> pseudonym, when only one participant has it."""
    found: dict[str, set[str]] = {}
    for e in register:
        words = e.real.split()
        if e.kind == "person" and len(words) > 1 and len(words[-1]) >= 3:
            found.setdefault(words[-1], set()).add(e.pseudonym)
    taken = {e.real for e in register}
    return {s: next(iter(p)) for s, p in found.items() if len(p) == 1 and s not in taken}


def _register_pseudonyms(register: list[KeyEntry]) -> dict[str, str]:
    return {**_surnames(register), **{e.real: e.pseudonym for e in register}}


def _as_dict(row: entity_store.EntityRow, register: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "transcript": row.transcript,
        "start": row.start,
        "end": row.end,
        "text": row.text,
        "kind": row.kind,
        "reason": row.reason,
        "status": row.status,
        "pseudonym": register.get(row.text) or row.pseudonym,
    }


def _context(text: str, start: int, end: int, width: int) -> dict[str, Any]:
    """The entity's line number and up to `width` characters of its line on either side."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - width) : start]
    after = text[end : min(line_end, end + width)]
    if start - width > line_start:
        before = "…" + before.split(" ", 1)[-1]
    if end + width < line_end:
        after = after.rsplit(" ", 1)[0] + "…"
    return {"line": LineIndex(text).line(start), "before": before, "after": after}


def _checked_pseudonym(real: str, pseudonym: str, register: dict[str, str]) -> str:
    pseudonym = " ".join(pseudonym.split())
    if not pseudonym:
        raise InvalidOperation("a pseudonym cannot be empty")
    if pseudonym == real:
        raise InvalidOperation(f"the pseudonym of {real!r} cannot be the name itself")
    if real in register:
        raise InvalidOperation(
            f"{real!r} is a participant's name ({register[real]}): set participants' pseudonyms with a "
            "participant sheet (`ppss-qual participants import`)"
        )
    return pseudonym


def _file_name(name: str) -> str:
    return re.sub(r"[^\w.() -]+", "_", name).strip(" .") or "transcript"
