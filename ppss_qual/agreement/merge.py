"""Bringing another coder's copy of a project in: matched by content and names, nothing duplicated, one event."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ppss_qual.store import codes as code_store
from ppss_qual.store import participants as participant_store
from ppss_qual.store import team as team_store
from ppss_qual.store import transcripts as transcript_store
from ppss_qual.store.changes import Recorder

NEAR_CODE_SCORE = 85  # rapidfuzz WRatio: a new code this close to an existing one is suggested, never merged
NEAR_CODE_FLOOR = 65  # and at least this plain ratio


@dataclass(slots=True)
class MergeReport:
    """What a merge added, skipped and suggests; the lists name things, the counts count them."""

    source: str
    transcripts_added: list[str] = field(default_factory=list)
    transcripts_matched: int = 0
    codes_added: list[str] = field(default_factory=list)
    codes_matched: int = 0
    suggestions: list[dict[str, Any]] = field(default_factory=list)  # {code, near, score}
    codings_added: int = 0
    codings_identical: int = 0  # the same transcript, code, coder, start and end: skipped
    codings_covered: int = 0  # inside a coding of the same coder and code: skipped
    codings_joined: int = 0  # overlapping a coding of the same coder and code: the two became one
    participants_added: list[str] = field(default_factory=list)
    participants_updated: list[str] = field(default_factory=list)
    coders_added: list[str] = field(default_factory=list)
    done_added: int = 0
    memos_added: int = 0
    memos_skipped: int = 0
    settlements_added: int = 0
    notes: list[str] = field(default_factory=list)
    event: int | None = None
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.transcripts_added
            or self.codes_added
            or self.codings_added
            or self.codings_joined
            or self.participants_added
            or self.participants_updated
            or self.coders_added
            or self.done_added
            or self.memos_added
            or self.settlements_added
        )

    def summary(self) -> str:
        return (
            f"merged {self.source}: {len(self.transcripts_added)} transcripts, {len(self.codes_added)} codes, "
            f"{self.codings_added} codings ({self.codings_joined} joined), {self.memos_added} memos, "
            f"{self.done_added} done marks added"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"changed": self.changed}


class _Pending:
    """A coding of the merged result: an existing one (id set) or one to insert."""

    __slots__ = ("id", "start", "end")

    def __init__(self, cid: int | None, start: int, end: int):
        self.id, self.start, self.end = cid, start, end


def merge(
    conn: sqlite3.Connection, other: sqlite3.Connection, rec: Recorder, actor: str, report: MergeReport
) -> None:
    """Bring `other`'s rows into `conn` inside the caller's write transaction, filling `report`."""
    tmap = _transcripts(conn, other, rec, report)
    _global_participants(conn, other, rec, report)
    cmap = _codes(conn, other, rec, report)
    omap = _codings(conn, other, rec, tmap, cmap, report)
    _coders_and_done(conn, other, rec, tmap, report)
    _memos(conn, other, rec, tmap, cmap, omap, report)
    _settlements(conn, other, rec, tmap, cmap, report)


# -- transcripts and the participants who speak in them -------------------------------------------------
def _transcripts(
    conn: sqlite3.Connection, other: sqlite3.Connection, rec: Recorder, report: MergeReport
) -> dict[int, int]:
    tmap: dict[int, int] = {}
    theirs = {p["id"]: p for p in team_store.participant_rows(other)}
    mine = {p["id"]: p["name"] for p in team_store.participant_rows(conn)}
    languages: set[str] = set()
    for row in team_store.other_transcripts(other):
        ours = transcript_store.find_by_hash(conn, row["hash"])
        if ours is not None:
            tmap[row["id"]] = ours
            report.transcripts_matched += 1
            _compare_speakers(conn, other, ours, row, theirs, mine, report)
            continue
        name = transcript_store.free_name(conn, row["name"])
        tid = team_store.copy_transcript(
            conn,
            rec,
            row,
            name,
            team_store.segment_rows(other, "turns", row["id"]),
            team_store.segment_rows(other, "sentences", row["id"]),
        )
        tmap[row["id"]] = tid
        languages.add(row["language"])
        report.transcripts_added.append(name if name == row["name"] else f"{name} (was {row['name']})")
        for sp in team_store.speaker_rows(other, row["id"]):
            pid = None
            if sp["participant_id"] in theirs:
                p = theirs[sp["participant_id"]]
                pid = _participant(conn, rec, p, tid if p["scope_transcript"] is not None else None, report)
            team_store.add_speaker(rec, tid, sp["label"], pid)
    for language in sorted(languages):
        team_store.add_forms(conn, team_store.forms_of(other, language))
    return tmap


def _compare_speakers(
    conn: sqlite3.Connection,
    other: sqlite3.Connection,
    tid: int,
    row: dict[str, Any],
    theirs: dict[int, dict[str, Any]],
    mine: dict[int, str],
    report: MergeReport,
) -> None:
    """A speaker linked to another participant in the copy is noted; the link here is kept."""
    here = {sp["label"]: mine.get(sp["participant_id"]) for sp in team_store.speaker_rows(conn, tid)}
    for sp in team_store.speaker_rows(other, row["id"]):
        there = theirs[sp["participant_id"]]["name"] if sp["participant_id"] in theirs else None
        if (
            sp["label"] in here
            and there
            and here[sp["label"]]
            and transcript_store.name_key(there) != transcript_store.name_key(here[sp["label"]] or "")
        ):
            report.notes.append(
                f"{row['name']}: speaker {sp['label']} is {here[sp['label']]} here and {there} in the copy; "
                "kept the link here"
            )


def _participant(
    conn: sqlite3.Connection, rec: Recorder, p: dict[str, Any], scope: int | None, report: MergeReport
) -> int:
    if scope is None:
        ours = team_store.participant_by_name(conn, p["name_key"])
        if ours is not None:
            return int(ours["id"])
    pid = team_store.copy_participant(conn, rec, p, scope)
    if scope is None:
        report.participants_added.append(p["name"])
    return pid


def _global_participants(
    conn: sqlite3.Connection, other: sqlite3.Connection, rec: Recorder, report: MergeReport
) -> None:
    """Participants named across transcripts, by name: added when absent, empty fields filled, conflicts noted."""
    for p in team_store.participant_rows(other):
        if p["scope_transcript"] is not None:
            continue
        ours = team_store.participant_by_name(conn, p["name_key"])
        if ours is None:
            _participant(conn, rec, p, None, report)
            continue
        values: dict[str, Any] = {}
        for column in ("role", "pseudonym"):
            if p[column] and not ours[column]:
                values[column] = p[column]
            elif p[column] and ours[column] != p[column]:
                report.notes.append(
                    f"participant {p['name']}: {column} is {ours[column]!r} here and {p[column]!r} in the copy; kept {ours[column]!r}"
                )
        mine, given = json.loads(ours["attributes"] or "{}"), json.loads(p["attributes"] or "{}")
        extra = {k: v for k, v in given.items() if k not in mine}
        for k, v in given.items():
            if k in mine and mine[k] != v:
                report.notes.append(
                    f"participant {p['name']}: {k} is {mine[k]!r} here and {v!r} in the copy; kept {mine[k]!r}"
                )
        if extra:
            values["attributes"] = json.dumps({**mine, **extra}, ensure_ascii=False)
        if values:
            rec.update("participants", int(ours["id"]), **values)
            report.participants_updated.append(p["name"])


# -- codes ----------------------------------------------------------------------------------------------
def _codes(
    conn: sqlite3.Connection, other: sqlite3.Connection, rec: Recorder, report: MergeReport
) -> dict[int, int]:
    """Codes matched by Swedish name, then English name; any other is added, with near names suggested."""
    from rapidfuzz import fuzz, process, utils

    ours = code_store.all_codes(conn)
    by_name = {transcript_store.name_key(c.name): c for c in ours.values()}
    by_en = {transcript_store.name_key(c.name_en): c for c in ours.values() if c.name_en}
    existing_names = {c.name: c for c in ours.values()} | {c.name_en: c for c in ours.values() if c.name_en}
    cmap: dict[int, int] = {}
    for c in code_store.all_codes(other).values():
        match = by_name.get(transcript_store.name_key(c.name))
        if match is not None:
            if (c.name_en or None) != (match.name_en or None):
                report.notes.append(
                    f"code {c.name}: English name {match.name_en!r} here, {c.name_en!r} in the copy; kept {match.name_en!r}"
                )
        elif c.name_en and (match := by_en.get(transcript_store.name_key(c.name_en))) is not None:
            report.notes.append(
                f"code {c.name!r} in the copy matched {match.name!r} here by its English name {c.name_en!r}"
            )
        if match is not None:
            cmap[c.id] = match.id
            report.codes_matched += 1
            continue
        parent = cmap.get(c.parent_id) if c.parent_id is not None else None
        values = {
            "guid": c.guid if not team_store.guid_taken(conn, "codes", c.guid) else None,
            "name": c.name,
            "name_en": c.name_en,
            "definition": c.definition,
            "use_when": c.use_when,
            "not_when": c.not_when,
            "example": c.example,
            "colour": c.colour,
            "keywords": c.keywords,
        }
        cmap[c.id] = code_store.insert_code(
            rec, values, _created_by(other, c.id), parent, code_store.next_position(conn, parent)
        )
        report.codes_added.append(c.path)
        near: dict[str, float] = {}
        for name in filter(None, (c.name, c.name_en)):
            for hit, score, _i in process.extract(
                name,
                list(existing_names),
                scorer=fuzz.WRatio,
                processor=utils.default_process,
                score_cutoff=NEAR_CODE_SCORE,
                limit=5,
            ):
                # WRatio scores a short name inside a long one highly ("Skolan" in "Skolfrånvaro");
                # a plain ratio floor keeps the suggestions to names that are close as a whole.
                if fuzz.ratio(name, hit, processor=utils.default_process) < NEAR_CODE_FLOOR:
                    continue
                code = existing_names[hit]
                near[code.path] = max(near.get(code.path, 0.0), float(score))
        for path, score in sorted(near.items(), key=lambda kv: -kv[1]):
            report.suggestions.append({"code": c.path, "near": path, "score": round(score, 1)})
    return cmap


def _created_by(other: sqlite3.Connection, code_id: int) -> str:
    row = other.execute("SELECT created_by FROM codes WHERE id = ?", (code_id,)).fetchone()
    return str(row[0]) if row else ""


# -- codings --------------------------------------------------------------------------------------------
def _codings(
    conn: sqlite3.Connection,
    other: sqlite3.Connection,
    rec: Recorder,
    tmap: dict[int, int],
    cmap: dict[int, int],
    report: MergeReport,
) -> dict[int, int]:
    """Add the copy's codings with their coder; identical ones and ones inside an existing coding are skipped.

    A coding overlapping one of the same coder and code becomes one coding with it, as when the coder codes
    the passage here ("a passage coded twice with one code by one coder is one coding"). Returns the copy's
    coding ids mapped to the codings that now hold them.
    """
    incoming: dict[tuple[int, int, str], list[tuple[int, int, int]]] = defaultdict(list)
    for oid, otid, ocode, coder, s, e in team_store.coding_spans(other):
        if otid in tmap and ocode in cmap:
            incoming[(tmap[otid], cmap[ocode], coder)].append((oid, s, e))
    if not incoming:
        return {}
    current: dict[tuple[int, int, str], list[_Pending]] = defaultdict(list)
    where: dict[int, tuple[tuple[int, int, str], int, int]] = {}
    for cid, tid, code_id, coder, s, e in team_store.coding_spans(
        conn, tids=sorted({k[0] for k in incoming})
    ):
        current[(tid, code_id, coder)].append(_Pending(cid, s, e))
        where[cid] = ((tid, code_id, coder), s, e)
    doomed: list[int] = []
    for key, rows in incoming.items():
        have = current[key]
        for _oid, s, e in sorted(rows, key=lambda r: (r[1], r[2])):
            if any(p.start == s and p.end == e for p in have):
                report.codings_identical += 1
                continue
            if any(p.start <= s and e <= p.end for p in have):
                report.codings_covered += 1
                continue
            touching = [p for p in have if p.start < e and s < p.end]
            if any(p.id is not None for p in touching):
                report.codings_joined += 1
            elif not touching:
                report.codings_added += 1
            for p in touching:
                have.remove(p)
                if p.id is not None:
                    doomed.append(p.id)
            start = min([s, *(p.start for p in touching)])
            end = max([e, *(p.end for p in touching)])
            have.append(_Pending(None, start, end))
    texts: dict[int, str] = {}
    new_rows: list[tuple[int, int, str, int, int, str]] = []
    new_refs: list[_Pending] = []
    for (tid, code_id, coder), have in current.items():
        for p in have:
            if p.id is None:
                text = texts.setdefault(tid, team_store.transcript_text(conn, tid))
                new_rows.append((tid, code_id, coder, p.start, p.end, text[p.start : p.end]))
                new_refs.append(p)
    memos = team_store.memos_on_codings(conn, doomed)
    for cid in doomed:
        rec.delete("codings", cid)
    for p, new_id in zip(new_refs, code_store.insert_codings(rec, new_rows), strict=True):
        p.id = new_id
    for memo_id, cid in memos:
        key, s, e = where[cid]
        rec.update("memos", memo_id, target_id=_holder(current[key], s, e))
    omap: dict[int, int] = {}
    for key, rows in incoming.items():
        for oid, s, e in rows:
            omap[oid] = _holder(current[key], s, e)
    return omap


def _holder(have: list[_Pending], start: int, end: int) -> int:
    for p in have:
        if p.start <= start and end <= p.end and p.id is not None:
            return p.id
    raise AssertionError(f"no coding holds {start}-{end} after the merge")


# -- coders, done marks, memos --------------------------------------------------------------------------
def _coders_and_done(
    conn: sqlite3.Connection,
    other: sqlite3.Connection,
    rec: Recorder,
    tmap: dict[int, int],
    report: MergeReport,
) -> None:
    guids = team_store.coder_guids(other)
    names = set(guids) | {c for _t, c, _d in team_store.status_rows(other)}
    names |= {r[3] for r in team_store.coding_spans(other) if r[1] in tmap}
    for name in sorted(names):
        if team_store.add_coder(conn, rec, name, guids.get(name)):
            report.coders_added.append(name)
    for otid, coder, done_at in team_store.status_rows(other):
        if otid in tmap and team_store.done_mark(conn, tmap[otid], coder) is None:
            team_store.insert_done(rec, tmap[otid], coder, done_at)
            report.done_added += 1


def _memos(
    conn: sqlite3.Connection,
    other: sqlite3.Connection,
    rec: Recorder,
    tmap: dict[int, int],
    cmap: dict[int, int],
    omap: dict[int, int],
    report: MergeReport,
) -> None:
    """Memos the project lacks, on the same target here; ones whose target is not here are noted.

    A memo is already here when its guid is, or when the same author wrote the same text on the same thing.
    """
    have = team_store.memo_guids(conn)
    same = {(m["target_kind"], m["target_id"], m["text"], m["author"]) for m in team_store.memo_rows(conn)}
    pmap = _participant_map(conn, other, tmap)
    maps = {"transcript": tmap, "code": cmap, "coding": omap, "participant": pmap}
    for m in team_store.memo_rows(other):
        if m["guid"] in have:
            report.memos_skipped += 1
            continue
        target = None
        if m["target_kind"] != "project":
            target = maps.get(m["target_kind"], {}).get(m["target_id"])
            if target is None:
                report.notes.append(
                    f"memo {m['guid'][:8]} on {m['target_kind']} {m['target_id']} in the copy has no target here; not brought in"
                )
                continue
        if (m["target_kind"], target, m["text"], m["author"]) in same:
            report.memos_skipped += 1  # the same memo by the same author on the same thing, made apart
            continue
        code_store.insert_memo(
            rec,
            m["target_kind"],
            target,
            m["text"],
            m["author"],
            guid=m["guid"],
            created_at=m["created_at"],
            updated_at=m["updated_at"],
        )
        report.memos_added += 1


def _settlements(
    conn: sqlite3.Connection,
    other: sqlite3.Connection,
    rec: Recorder,
    tmap: dict[int, int],
    cmap: dict[int, int],
    report: MergeReport,
) -> None:
    """Disagreements the copy settled, remembered here too (a "both kept" one then stays off the list)."""
    for row in reversed(team_store.settlement_rows(other)):
        tid, code_id = tmap.get(row["transcript_id"]), cmap.get(row["code_id"])
        if (
            tid is None
            or code_id is None
            or team_store.settlement_exists(conn, row["disagreement"], row["take"])
        ):
            continue
        team_store.insert_settlement(
            rec,
            row["disagreement"],
            tid,
            code_id,
            row["coders"].split(","),
            row["take"],
            row["start"],
            row["end"],
            row["settled_by"],
            row["settled_at"],
        )
        report.settlements_added += 1


def _participant_map(
    conn: sqlite3.Connection, other: sqlite3.Connection, tmap: dict[int, int]
) -> dict[int, int]:
    """The copy's participants to ours: by name (scoped ones: by name within the matching transcript)."""
    out: dict[int, int] = {}
    for p in team_store.participant_rows(other):
        scope = p["scope_transcript"]
        if scope is None:
            ours = team_store.participant_by_name(conn, p["name_key"])
            if ours is not None:
                out[p["id"]] = int(ours["id"])
        elif scope in tmap:
            found = participant_store.find(conn, p["name"], tmap[scope])
            if found is not None:
                out[p["id"]] = found
    return out


def same_file(a: Path | None, b: Path) -> bool:
    return a is not None and a.resolve() == b.resolve()
