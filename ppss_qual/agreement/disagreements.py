"""Where two coders differ: per code, the coded passages whose spans are not the same, and settling them."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from ppss_qual.agreement.spans import Span, mask_spans, union
from ppss_qual.store import codes as code_store
from ppss_qual.store import team as team_store
from ppss_qual.store.changes import Recorder
from ppss_qual.store.codes import CodeRow
from ppss_qual.textlines import LineIndex

TAKES = ("a", "b", "both", "neither")


@dataclass(slots=True)
class Disagreement:
    """One coded passage (code, transcript) where coder A's spans and coder B's differ.

    The passage is a maximal stretch of text that the two coders' codings of the code cover without a
    gap (codings that overlap or touch): a longer span of one and a shorter of the other are one
    disagreement.
    """

    id: str  # shown to the user; depends on the order A, B and on both versions
    key: str  # the same passage and versions whichever coder is A: marks it settled with both kept
    transcript_id: int
    transcript: str
    code_id: int
    code: str
    coder_a: str
    coder_b: str
    start: int
    end: int
    a_codings: list[tuple[int, int, int]] = field(default_factory=list)  # (coding id, start, end)
    b_codings: list[tuple[int, int, int]] = field(default_factory=list)
    settled: bool = False
    basis: tuple[str, str] = ("", "")  # the transcript's content hash and the code's guid

    def flipped(self) -> Disagreement:
        """The same disagreement seen with B as the first coder (its own ID)."""
        return replace(
            self,
            id=_ident(self.basis, self.coder_b, self.coder_a, self.b_spans, self.a_spans),
            coder_a=self.coder_b,
            coder_b=self.coder_a,
            a_codings=self.b_codings,
            b_codings=self.a_codings,
        )

    @property
    def a_spans(self) -> list[Span]:
        return union((s, e) for _i, s, e in self.a_codings)

    @property
    def b_spans(self) -> list[Span]:
        return union((s, e) for _i, s, e in self.b_codings)

    @property
    def kind(self) -> str:
        if not self.b_codings:
            return "only_a"
        if not self.a_codings:
            return "only_b"
        return "span"

    def row(self, text: str, lines: LineIndex | None = None) -> dict[str, Any]:
        a, b = self.a_spans, self.b_spans
        return {
            "id": self.id,
            "transcript": self.transcript,
            "code": self.code,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "line": (lines or LineIndex(text)).line(self.start),
            "coder_a": self.coder_a,
            "a_spans": [list(s) for s in a],
            "a_text": _version_text(text, a),
            "coder_b": self.coder_b,
            "b_spans": [list(s) for s in b],
            "b_text": _version_text(text, b),
            "settled": self.settled,
        }


def _version_text(text: str, spans: list[Span]) -> str:
    return " … ".join(text[s:e] for s, e in spans) if spans else ""


def _digest(*parts: object, size: int) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:size]


def _ident(basis: tuple[str, str], a: str, b: str, a_spans: list[Span], b_spans: list[Span]) -> str:
    """A short, stable ID: the same transcript text, code, coders in this order and versions give the same.

    Its last two characters are the first two of the transcript's content hash, so that finding a whole
    ID again looks only at the transcripts that can hold it.
    """
    return _digest(*basis, a, b, a_spans, b_spans, size=6) + basis[0][:2]


def find(
    conn: sqlite3.Connection,
    coder_a: str,
    coder_b: str,
    codes: dict[int, CodeRow],
    *,
    code_ids: list[int] | None = None,
    tids: list[int] | None = None,
    include_settled: bool = False,
    hash_prefix: str = "",
) -> list[Disagreement]:
    """The disagreements of A and B in the transcripts both coded, in transcript and text order.

    `hash_prefix` keeps only the transcripts whose content hash starts with it (see `_ident`).
    """
    facts = team_store.transcript_facts(conn, tids)
    if hash_prefix:
        facts = {tid: f for tid, f in facts.items() if f[1].startswith(hash_prefix)}
    who = team_store.coders_by_transcript(conn)
    both = [tid for tid in facts if {coder_a, coder_b} <= who.get(tid, set())]
    groups: dict[tuple[int, int], list[tuple[int, str, int, int]]] = defaultdict(list)
    for cid, tid, code_id, coder, s, e in team_store.coding_spans(
        conn, coders=[coder_a, coder_b], tids=both, code_ids=code_ids
    ):
        groups[(tid, code_id)].append((cid, coder, s, e))
    settled = team_store.settled_both(conn)
    order = {tid: i for i, tid in enumerate(facts)}
    out: list[Disagreement] = []
    for (tid, code_id), rows in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        name, digest, _length = facts[tid]
        code = codes[code_id]
        for start, end in union((s, e) for _c, _k, s, e in rows):
            inside = [(c, k, s, e) for c, k, s, e in rows if start <= s and e <= end]
            a = [(c, s, e) for c, k, s, e in inside if k == coder_a]
            b = [(c, s, e) for c, k, s, e in inside if k == coder_b]
            ua, ub = union((s, e) for _c, s, e in a), union((s, e) for _c, s, e in b)
            if ua == ub:
                continue
            basis = (digest, code.guid)
            key = _digest(*basis, *sorted([f"{coder_a}={ua}", f"{coder_b}={ub}"]), size=12)
            d = Disagreement(
                id=_ident(basis, coder_a, coder_b, ua, ub),
                key=key,
                transcript_id=tid,
                transcript=name,
                code_id=code_id,
                code=code.name,
                coder_a=coder_a,
                coder_b=coder_b,
                start=start,
                end=end,
                a_codings=a,
                b_codings=b,
                settled=key in settled,
                basis=basis,
            )
            if include_settled or not d.settled:
                out.append(d)
    out.sort(key=lambda d: (order[d.transcript_id], d.start, d.end, d.code))
    return out


def by_id(
    conn: sqlite3.Connection, ident: str, coders: list[str], codes: dict[int, CodeRow]
) -> list[Disagreement]:
    """Open disagreements between any two of `coders`, in either order, whose ID starts with `ident`."""
    hits: dict[str, Disagreement] = {}
    for i, a in enumerate(coders):
        for b in coders[i + 1 :]:
            for d in find(conn, a, b, codes, hash_prefix=ident[6:8] if len(ident) >= 8 else ""):
                for seen in (d, d.flipped()):
                    if seen.id.startswith(ident):
                        hits[seen.id] = seen
    return [hits[k] for k in sorted(hits)]


def differences(rows: list[dict[str, Any]], coders: list[str], present: set[str]) -> list[dict[str, Any]]:
    """Maximal spans, per code, where some but not all of the coders (who coded the transcript) coded it."""
    who = [c for c in coders if c in present]
    if len(who) < 2:
        return []
    full = (1 << len(who)) - 1
    by_code: dict[int, list[list[Span]]] = defaultdict(lambda: [[] for _ in who])
    names: dict[int, str] = {}
    for r in rows:
        if r["coder"] in who:
            by_code[r["code_id"]][who.index(r["coder"])].append((r["start"], r["end"]))
            names[r["code_id"]] = r["code"]
    out = []
    for code_id, layers in by_code.items():
        for s, e, mask in mask_spans(layers):
            if mask != full:
                coded = [c for i, c in enumerate(who) if mask >> i & 1]
                out.append(
                    {
                        "code_id": code_id,
                        "code": names[code_id],
                        "start": s,
                        "end": e,
                        "coders": coded,
                        "not_coded": [c for c in who if c not in coded],
                    }
                )
    out.sort(key=lambda d: (d["start"], d["end"], d["code"]))
    return out


def settle(
    conn: sqlite3.Connection, rec: Recorder, d: Disagreement, take: str, actor: str, text: str, note: str = ""
) -> str:
    """Apply a settlement inside the caller's transaction and remember it; returns the event's summary.

    a / b: the other coder's codings of the passage become copies of the chosen version, so both coders
    then hold the same codings and agreement reflects the decision. neither: both coders' codings of the
    passage are removed. both: codings stay, and the settlement keeps the disagreement off the list for
    as long as the two versions stay as they are. A note goes into a memo on the transcript.
    """
    if take not in TAKES:
        raise ValueError(take)
    where = f"{d.code} in {d.transcript}, characters {d.start}-{d.end}"
    if take == "both":
        summary = f"settled {d.id}: {d.coder_a} and {d.coder_b} each keep their version of {where}"
    elif take == "neither":
        summary = f"settled {d.id}: removed {d.coder_a}'s and {d.coder_b}'s codings of {where}"
        _replace(conn, rec, d, d.a_codings, d.coder_a, [], text)
        _replace(conn, rec, d, d.b_codings, d.coder_b, [], text)
    else:
        keep, keep_spans = (d.coder_a, d.a_spans) if take == "a" else (d.coder_b, d.b_spans)
        other, other_codings = (d.coder_b, d.b_codings) if take == "a" else (d.coder_a, d.a_codings)
        summary = f"settled {d.id}: took {keep}'s version of {where} for {other} too"
        _replace(conn, rec, d, other_codings, other, keep_spans, text)
    recorded = {"a": d.coder_a, "b": d.coder_b}.get(take, take)  # a coder's name, both or neither
    team_store.insert_settlement(
        rec, d.key, d.transcript_id, d.code_id, [d.coder_a, d.coder_b], recorded, d.start, d.end, actor
    )
    if note.strip():
        memo = f"Settled disagreement {d.id} ({d.coder_a} / {d.coder_b}): {summary.split(': ', 1)[1]}.\n{note.strip()}"
        code_store.insert_memo(rec, "transcript", d.transcript_id, memo, actor)
    return summary


def _replace(
    conn: sqlite3.Connection,
    rec: Recorder,
    d: Disagreement,
    old: list[tuple[int, int, int]],
    coder: str,
    spans: list[Span],
    text: str,
) -> None:
    """Put `spans` in place of a coder's codings of the passage; memos on removed codings move along."""
    memos = team_store.memos_on_codings(conn, [cid for cid, _s, _e in old])
    where = {cid: (s, e) for cid, s, e in old}
    for cid, _s, _e in old:
        rec.delete("codings", cid)
    new = [
        (code_store.insert_coding(rec, d.transcript_id, d.code_id, coder, s, e, text[s:e]), s, e)
        for s, e in spans
    ]
    for memo_id, coding_id in memos:
        s, e = where[coding_id]
        home = next((nid for nid, ns, ne in new if ns < e and s < ne), None)
        if home is not None:
            rec.update("memos", memo_id, target_id=home)
        else:
            rec.update("memos", memo_id, target_kind="transcript", target_id=d.transcript_id)
