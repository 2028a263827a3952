"""Coding passages and removing codes from them, and memos; each one undoable event."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ppss_qual.errors import InvalidOperation, NotFound
from ppss_qual.store import codes as code_store
from ppss_qual.store import transcripts as transcript_store
from ppss_qual.store.changes import Recorder, now

if TYPE_CHECKING:
    from ppss_qual.project import Project

MEMO_TARGETS = ("project", "transcript", "participant", "code", "coding")


@dataclass(frozen=True, slots=True)
class Selector:
    """Which passage: exact text in a turn's speech, a sentence, a turn, or offsets."""

    match: str | None = None
    first: bool = False
    sentence: int | None = None
    turn: int | None = None
    start: int | None = None
    end: int | None = None

    def describe(self) -> str:
        if self.match is not None:
            return f"text {self.match!r}"
        if self.sentence is not None:
            return f"sentence {self.sentence}"
        if self.turn is not None:
            return f"turn {self.turn}"
        return f"characters {self.start}-{self.end}"


def spans(conn: sqlite3.Connection, tid: int, text: str, sel: Selector) -> list[tuple[int, int]]:
    """The [start, end) spans a selector names in a transcript; errors say what did not fit."""
    given = [sel.match is not None, sel.sentence is not None, sel.turn is not None, sel.start is not None]
    if sum(given) != 1 or (sel.start is None) != (sel.end is None):
        raise InvalidOperation(
            "name the passage with exactly one of --match, --sentence, --turn, or --start with --end"
        )
    if sel.match is not None:
        return _match_spans(conn, tid, text, sel.match, sel.first)
    if sel.sentence is not None:
        row = conn.execute(
            'SELECT start, "end" FROM sentences WHERE transcript_id = ? AND number = ?', (tid, sel.sentence)
        ).fetchone()
        if row is None:
            n = conn.execute("SELECT count(*) FROM sentences WHERE transcript_id = ?", (tid,)).fetchone()[0]
            raise NotFound(f"no sentence {sel.sentence}; the transcript has sentences 1 to {n}")
        return [tuple(row)]  # type: ignore[list-item]
    if sel.turn is not None:
        row = conn.execute(
            'SELECT start, "end" FROM turns WHERE transcript_id = ? AND number = ?', (tid, sel.turn)
        ).fetchone()
        if row is None:
            n = conn.execute("SELECT count(*) FROM turns WHERE transcript_id = ?", (tid,)).fetchone()[0]
            raise NotFound(f"no turn {sel.turn}; the transcript has turns 1 to {n}")
        return [tuple(row)]  # type: ignore[list-item]
    assert sel.start is not None and sel.end is not None
    if not 0 <= sel.start < sel.end <= len(text):
        raise InvalidOperation(
            f"offsets {sel.start}-{sel.end} are outside the text (0 to {len(text)}; start must be below end)"
        )
    return [(sel.start, sel.end)]


def _match_spans(
    conn: sqlite3.Connection, tid: int, text: str, needle: str, first: bool
) -> list[tuple[int, int]]:
    if not needle.strip():
        raise InvalidOperation("--match needs some text")
    out: list[tuple[int, int]] = []
    for start, end in conn.execute(
        'SELECT start, "end" FROM turns WHERE transcript_id = ? ORDER BY number', (tid,)
    ).fetchall():
        pos = text.find(needle, start, end)
        while pos != -1 and pos + len(needle) <= end:
            out.append((pos, pos + len(needle)))
            if first:
                return out
            pos = text.find(needle, pos + len(needle), end)
    if not out:
        raise NotFound(f"{needle!r} is not in any turn's speech (the match is exact and within one turn)")
    return out


def place_coding(
    conn: sqlite3.Connection,
    rec: Recorder,
    tid: int,
    text: str,
    code_id: int,
    coder: str,
    start: int,
    end: int,
) -> int | None:
    """Code [start, end); a coder's overlapping codings with the same code become one. None: already coded."""
    same = code_store.codings_overlapping(conn, tid, start, end, code_id=code_id, coder=coder)
    if any(s <= start and end <= e for _i, _t, _c, _k, s, e, *_ in same):
        return None
    for cid, _t, _c, _k, s, e, *_ in same:
        start, end = min(start, s), max(end, e)
        rec.delete("codings", cid)
    return code_store.insert_coding(rec, tid, code_id, coder, start, end, text[start:end])


class Codings:
    """Applying and removing codes, per coder, and memos."""

    def __init__(self, project: Project):
        self.project = project

    def code(self, transcript: str, code: str, selector: Selector, *, coder: str | None = None) -> list[int]:
        """Code the selected passage(s); returns the ids of the codings now covering them."""
        coder = coder or self.project.coder
        with self.project.store.write() as conn:
            t = transcript_store.resolve(conn, transcript)
            c = code_store.resolve(conn, code)
            text = t.text or ""
            rec = Recorder(conn)
            code_store.ensure_coder(conn, rec, coder)
            ids: list[int] = []
            for start, end in spans(conn, t.id, text, selector):
                new = place_coding(conn, rec, t.id, text, c.id, coder, start, end)
                if new is None:
                    new = code_store.codings_overlapping(conn, t.id, start, end, code_id=c.id, coder=coder)[
                        0
                    ][0]
                ids.append(int(new))
            if any(op["table"] == "codings" for op in rec.ops):
                rec.log(coder, "code", f"coded {selector.describe()} in {t.name} with {c.name}")
        return ids

    def uncode(self, transcript: str, code: str, selector: Selector, *, coder: str | None = None) -> int:
        """Remove a code from the selected passage: codings are cut back or split; returns codings touched."""
        coder = coder or self.project.coder
        with self.project.store.write() as conn:
            t = transcript_store.resolve(conn, transcript)
            c = code_store.resolve(conn, code)
            text = t.text or ""
            rec = Recorder(conn)
            touched = 0
            for start, end in spans(conn, t.id, text, selector):
                for cid, _t, _c, _k, s, e, *_ in code_store.codings_overlapping(
                    conn, t.id, start, end, code_id=c.id, coder=coder
                ):
                    rec.delete("codings", cid)
                    for a, b in ((s, start), (end, e)):
                        if a < b and text[a:b].strip():
                            code_store.insert_coding(rec, t.id, c.id, coder, a, b, text[a:b])
                    touched += 1
            if touched == 0:
                raise NotFound(f"{coder} has no coding of {c.name!r} at {selector.describe()} in {t.name}")
            rec.log(coder, "uncode", f"removed {c.name} from {selector.describe()} in {t.name}")
        return touched

    def recent_codes(self, coder: str | None = None, limit: int = 9) -> list[str]:
        """The codes the coder applied most recently, newest first (the TUI's number keys)."""
        return code_store.recent_code_names(self.project.conn, coder or self.project.coder, limit)

    def remove(self, coding_id: int, *, coder: str | None = None, force: bool = False) -> None:
        """Delete one coding by id (the TUI's 'remove the code under the cursor'); another coder's
        coding only when forced, since codings belong to their coder."""
        coder = coder or self.project.coder
        with self.project.store.write() as conn:
            row = conn.execute("SELECT coder FROM codings WHERE id = ?", (coding_id,)).fetchone()
            if row is None:
                raise NotFound(f"no coding {coding_id}")
            if row[0] != coder and not force:
                raise InvalidOperation(
                    f"coding {coding_id} belongs to {row[0]}; only they remove it (or force)"
                )
            rec = Recorder(conn)
            rec.delete("codings", coding_id)
            rec.log(coder, "uncode", f"removed coding {coding_id} (by {row[0]})")

    def in_transcript(self, tid: int, coder: str | None = None) -> list[dict[str, Any]]:
        sql = (
            'SELECT c.id, c.code_id, k.name, k.name_en, k.colour, c.coder, c.start, c."end", c.text '
            "FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.transcript_id = ?"
        )
        args: list[Any] = [tid]
        if coder:
            sql += " AND c.coder = ?"
            args.append(coder)
        cur = self.project.conn.execute(sql + ' ORDER BY c.start, c."end"', args)
        cols = ["id", "code_id", "code", "code_en", "colour", "coder", "start", "end", "text"]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def excerpts(
        self,
        *,
        code: str | None = None,
        with_subcodes: bool = True,
        transcript: str | None = None,
        coder: str | None = None,
    ) -> list[dict[str, Any]]:
        """Coded passages with their source; a code's excerpts include its sub-codes' unless told not to."""
        with self.project.store.read() as conn:
            code_ids = None
            if code is not None:
                codes = code_store.all_codes(conn)
                c = code_store.resolve(conn, code, codes)
                code_ids = [c.id, *(code_store.descendants(codes, c.id) if with_subcodes else [])]
            tid = transcript_store.resolve(conn, transcript).id if transcript else None
            return code_store.excerpt_rows(conn, code_ids=code_ids, transcript_id=tid, coder=coder)

    def drift(self) -> list[dict[str, Any]]:
        """Codings whose copy of the text no longer equals the transcript's text at their offsets."""
        cur = self.project.conn.execute(
            'SELECT c.id, t.name, c.start, c."end", c.text, substr(t.text, c.start + 1, c."end" - c.start) '
            "FROM codings c JOIN transcripts t ON t.id = c.transcript_id WHERE t.deleted = 0"
        )
        return [
            {"id": i, "transcript": n, "start": s, "end": e, "stored": a, "now": b}
            for i, n, s, e, a, b in cur.fetchall()
            if a != b
        ]

    # -- memos ------------------------------------------------------------------------------------
    def add_memo(self, target: str, text: str, *, kind: str | None = None) -> int:
        """A memo on the project, a transcript, a participant, a code or a coding (`coding:12` or an id)."""
        if not text.strip():
            raise InvalidOperation("a memo needs some text")
        with self.project.store.write() as conn:
            target_kind, target_id, label = self._target(conn, target, kind)
            rec = Recorder(conn)
            mid = code_store.insert_memo(rec, target_kind, target_id, text, self.project.coder)
            rec.log(self.project.coder, "memo.add", f"memo on {label}")
        return mid

    def edit_memo(self, memo_id: int, text: str) -> None:
        with self.project.store.write() as conn:
            if conn.execute("SELECT 1 FROM memos WHERE id = ?", (memo_id,)).fetchone() is None:
                raise NotFound(f"no memo {memo_id}")
            rec = Recorder(conn)
            rec.update("memos", memo_id, text=text, updated_at=now())
            rec.log(self.project.coder, "memo.edit", f"edited memo {memo_id}")

    def delete_memo(self, memo_id: int) -> None:
        with self.project.store.write() as conn:
            if conn.execute("SELECT 1 FROM memos WHERE id = ?", (memo_id,)).fetchone() is None:
                raise NotFound(f"no memo {memo_id}")
            rec = Recorder(conn)
            rec.delete("memos", memo_id)
            rec.log(self.project.coder, "memo.delete", f"deleted memo {memo_id}")

    def memos(self, kind: str | None = None, target_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, target_kind, target_id, text, author, created_at, updated_at FROM memos"
        args: list[Any] = []
        if kind:
            sql += " WHERE target_kind = ?"
            args.append(kind)
            if target_id is not None:
                sql += " AND target_id = ?"
                args.append(target_id)
        cur = self.project.conn.execute(sql + " ORDER BY id", args)
        out = []
        for mid, k, tid, text, author, created, updated in cur.fetchall():
            out.append(
                {
                    "id": mid,
                    "target_kind": k,
                    "target_id": tid,
                    "target": self._label(k, tid),
                    "text": text,
                    "author": author,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        return out

    def _label(self, kind: str, target_id: int | None) -> str:
        conn = self.project.conn
        table = {"transcript": "transcripts", "participant": "participants", "code": "codes"}.get(kind)
        if table and target_id is not None:
            row = conn.execute(f"SELECT name FROM {table} WHERE id = ?", (target_id,)).fetchone()
            return f"{kind} {row[0] if row else target_id}"
        return "project" if kind == "project" else f"{kind} {target_id}"

    def _target(self, conn: sqlite3.Connection, target: str, kind: str | None) -> tuple[str, int | None, str]:
        """A memo target: `project`, `coding:12`/`transcript:X`/`code:X`/`participant:X`, or a bare name or id."""
        if target.strip().lower() == "project":
            return "project", None, "the project"
        if ":" in target and target.split(":", 1)[0].lower() in MEMO_TARGETS:
            kind, target = target.split(":", 1)[0].lower(), target.split(":", 1)[1]
        tries = [kind] if kind else ["transcript", "code", "coding"]
        for k in tries:
            try:
                if k == "transcript":
                    t = transcript_store.resolve(conn, target)
                    return "transcript", t.id, f"transcript {t.name}"
                if k == "code":
                    c = code_store.resolve(conn, target)
                    return "code", c.id, f"code {c.name}"
                if k == "coding" and target.strip().isdigit():
                    if conn.execute("SELECT 1 FROM codings WHERE id = ?", (int(target),)).fetchone():
                        return "coding", int(target), f"coding {target}"
                if k == "participant":
                    row = conn.execute(
                        "SELECT id, name FROM participants WHERE name_key = ?",
                        (transcript_store.name_key(target),),
                    ).fetchone()
                    if row:
                        return "participant", int(row[0]), f"participant {row[1]}"
            except NotFound:
                continue
        raise NotFound(f"no transcript, code or coding {target!r} to put a memo on")
