"""The team facade (`project.team`): coders, done marks, agreement, disagreements to settle, merging copies."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppss_qual.agreement import compare, disagreements, merge
from ppss_qual.agreement.disagreements import Disagreement
from ppss_qual.agreement.merge import MergeReport
from ppss_qual.errors import Ambiguous, InvalidOperation, NotFound
from ppss_qual.store import codes as code_store
from ppss_qual.store import team as team_store
from ppss_qual.store import transcripts as transcript_store
from ppss_qual.store.changes import Recorder
from ppss_qual.textlines import LineIndex

if TYPE_CHECKING:
    from ppss_qual.project import Project

UNITS = compare.UNITS


class _DryRun(Exception):
    """Raised inside a write transaction to roll a merge back after it has been worked out."""


class Team:
    """Work between coders on one project, and between copies of it."""

    def __init__(self, project: Project):
        self.project = project

    # -- coders and done marks --------------------------------------------------------------------
    def coders(self) -> list[dict[str, Any]]:
        """Every coder with their number of codings, transcripts coded and transcripts marked done."""
        with self.project.store.read() as conn:
            return team_store.coder_summary(conn)

    def coded_by(self, transcript: str) -> list[str]:
        """Who has coded a transcript: a coding in it, or a done mark."""
        with self.project.store.read() as conn:
            t = transcript_store.resolve(conn, transcript)
            return sorted(team_store.coders_by_transcript(conn).get(t.id, set()), key=str.casefold)

    def mark_done(self, transcript: str, *, coder: str | None = None) -> bool:
        """Mark a transcript done by a coder (their values count as 'not coded', not missing); False: it was."""
        coder = coder or self.project.coder
        with self.project.store.write() as conn:
            t = transcript_store.resolve(conn, transcript)
            if team_store.done_mark(conn, t.id, coder) is not None:
                return False
            rec = Recorder(conn)
            code_store.ensure_coder(conn, rec, coder)
            team_store.insert_done(rec, t.id, coder)
            rec.log(coder, "done", f"{coder} marked {t.name} done")
        return True

    def unmark_done(self, transcript: str, *, coder: str | None = None) -> bool:
        """Take a coder's done mark off a transcript; False when there was none."""
        coder = coder or self.project.coder
        with self.project.store.write() as conn:
            t = transcript_store.resolve(conn, transcript)
            mark = team_store.done_mark(conn, t.id, coder)
            if mark is None:
                return False
            rec = Recorder(conn)
            rec.delete("transcript_status", mark)
            rec.log(coder, "done", f"{coder} took the done mark off {t.name}")
        return True

    # -- one coder's codings, everyone's, or where they differ (for the TUI) ---------------------
    def codings_by_coder(self, transcript: str | int) -> dict[str, list[dict[str, Any]]]:
        """A transcript's codings grouped by coder, each list in text order."""
        with self.project.store.read() as conn:
            t = transcript_store.resolve(conn, str(transcript))
            out: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in team_store.coding_rows(conn, t.id):
                out[row["coder"]].append(row)
        return dict(sorted(out.items(), key=lambda kv: kv[0].casefold()))

    def differences(
        self, transcript: str | int, coders: list[str] | None = None, *, code: str | None = None
    ) -> list[dict[str, Any]]:
        """Maximal spans, per code, where some but not all coders coded the text (`coders`, `not_coded`).

        Only coders who have coded the transcript take part (a coder who has not is missing there, not
        disagreeing); with fewer than two of them there is nothing to compare.
        """
        with self.project.store.read() as conn:
            t = transcript_store.resolve(conn, str(transcript))
            rows = team_store.coding_rows(conn, t.id)
            present = team_store.coders_by_transcript(conn).get(t.id, set())
            if code is not None:
                code_id = code_store.resolve(conn, code).id
                rows = [r for r in rows if r["code_id"] == code_id]
        who = coders or sorted(present, key=str.casefold)
        return disagreements.differences(rows, who, present)

    # -- agreement --------------------------------------------------------------------------------
    def agreement(
        self,
        coders: list[str],
        *,
        unit: str = "char",
        codes: list[str] | None = None,
        transcripts: list[str] | None = None,
        speech_only: bool = False,
    ) -> list[dict[str, Any]]:
        """Per code and pooled (code None): percent agreement, Cohen's kappa (two coders), alpha, units.

        See ppss_qual.agreement.compare for what each number is computed over.
        """
        with self.project.store.read() as conn:
            every = code_store.all_codes(conn)
            chosen = list(every.values())
            if codes:
                chosen = list({c.id: c for c in (code_store.resolve(conn, r, every) for r in codes)}.values())
            tids = self._transcript_ids(conn, transcripts)
            self._known_coders(conn, coders)
            return compare.agreement(
                conn,
                coders,
                unit=unit,
                codes=chosen,
                only_codes=bool(codes),
                tids=tids,
                speech_only=speech_only,
            )

    # -- disagreements ----------------------------------------------------------------------------
    def disagreements(
        self,
        coders: list[str],
        *,
        code: str | None = None,
        transcripts: list[str] | None = None,
        include_settled: bool = False,
    ) -> list[dict[str, Any]]:
        """The passages where two coders' codings of a code differ, both versions side by side, with an ID."""
        if len(coders) != 2 or coders[0] == coders[1]:
            raise InvalidOperation("name two different coders, e.g. --coders ylva,omar")
        with self.project.store.read() as conn:
            self._known_coders(conn, coders)
            found = self._find(conn, coders[0], coders[1], code, transcripts, include_settled)
            texts: dict[int, tuple[str, LineIndex]] = {}
            rows = []
            for d in found:
                if d.transcript_id not in texts:
                    text = team_store.transcript_text(conn, d.transcript_id)
                    texts[d.transcript_id] = (text, LineIndex(text))
                rows.append(d.row(*texts[d.transcript_id]))
            return rows

    def settle(self, ident: str, take: str, *, coder: str | None = None, note: str = "") -> str:
        """Settle a disagreement by its ID: take A's or B's version (or a coder's name), both, or neither.

        One event, undoable by the coder who settled. Returns what was done.
        """
        actor = coder or self.project.coder
        with self.project.store.write() as conn:
            d = self._by_id(conn, ident)
            key = take.strip().casefold()
            if key in ("both", "neither"):
                side = key
            elif key == "a" or (key == d.coder_a.casefold() and key != "b"):
                side = "a"
            elif key == "b" or key == d.coder_b.casefold():
                side = "b"
            else:
                raise InvalidOperation(
                    f"--take {take!r}: use A ({d.coder_a}), B ({d.coder_b}), both or neither"
                )
            rec = Recorder(conn)
            text = team_store.transcript_text(conn, d.transcript_id)
            summary = disagreements.settle(conn, rec, d, side, actor, text, note)
            rec.log(actor, "settle", summary)
        return summary

    def settled(self) -> list[dict[str, Any]]:
        """Every settlement still in force, newest first: which passage, whose version (`take`), by whom."""
        with self.project.store.read() as conn:
            return team_store.settlement_rows(conn)

    def _find(
        self,
        conn: Any,
        a: str,
        b: str,
        code: str | None,
        transcripts: list[str] | None,
        include_settled: bool,
    ) -> list[Disagreement]:
        codes = code_store.all_codes(conn)
        code_ids = [code_store.resolve(conn, code, codes).id] if code else None
        return disagreements.find(
            conn,
            a,
            b,
            codes,
            code_ids=code_ids,
            tids=self._transcript_ids(conn, transcripts),
            include_settled=include_settled,
        )

    def _by_id(self, conn: Any, ident: str) -> Disagreement:
        """The open disagreement with this ID (or a unique prefix of it), between any two coders."""
        wanted = ident.strip().lower()
        if len(wanted) < 4:
            raise InvalidOperation(f"disagreement ID {ident!r} is too short (give at least 4 characters)")
        names = sorted({r["coder"] for r in team_store.coder_summary(conn) if r["codings"]})
        hits = disagreements.by_id(conn, wanted, names, code_store.all_codes(conn))
        if not hits:
            raise NotFound(
                f"no open disagreement {ident!r}: it may be settled, or the codings changed since it was "
                "listed (run `ppss-qual disagreements` again)"
            )
        if len(hits) > 1:
            raise Ambiguous(f"disagreement ID {ident!r} matches {', '.join(d.id for d in hits)}")
        return hits[0]

    # -- merging ----------------------------------------------------------------------------------
    def merge(self, other: Path, *, coder: str | None = None, dry_run: bool = False) -> MergeReport:
        """Bring another copy of the project in: one transaction, one undoable event, a report."""
        actor = coder or self.project.coder
        if merge.same_file(self.project.store.path, other):
            raise InvalidOperation(f"{other} is this project itself")
        report = MergeReport(source=str(other), dry_run=dry_run)
        source = team_store.open_other(other)
        try:
            with self.project.store.write() as conn:
                rec = Recorder(conn)
                merge.merge(conn, source, rec, actor, report)
                if dry_run:
                    raise _DryRun
                if rec.ops:
                    report.event = rec.log(actor, "merge", report.summary())
        except _DryRun:
            pass
        finally:
            source.close()
        return report

    # -- helpers ----------------------------------------------------------------------------------
    @staticmethod
    def _transcript_ids(conn: Any, refs: list[str] | None) -> list[int] | None:
        if not refs:
            return None
        return list(dict.fromkeys(transcript_store.resolve(conn, r).id for r in refs))

    @staticmethod
    def _known_coders(conn: Any, coders: list[str]) -> None:
        known = {r["coder"] for r in team_store.coder_summary(conn)}
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise NotFound(
                f"no coder {', '.join(map(repr, unknown))} in the project"
                + (f" (coders: {', '.join(sorted(known))})" if known else "")
            )
