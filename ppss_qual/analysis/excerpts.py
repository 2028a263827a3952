"""Excerpts: the codings (or turns) a query selects, with their source, speaker and context.

What each operator gives (see ppss_qual.analysis.query for the grammar):

- a code: its codings and its sub-codes' codings (each its own excerpt).
- `A OR B`: the excerpts of either.
- `A NOT B`: the excerpts of A that lie in turns holding no excerpt of B.
- `A NEAR/k B`: the excerpts of A within k sentences of an excerpt of B (k = 0: touching one sentence).
- `A AND B`: the turns that hold both. Each such turn is one excerpt: `start` and `end` are the turn's
  speech, `text` is that speech, `id` and `coder` are None, and `codings` lists the ids of the codings of
  A and B in the turn (with `coders` their coders).

An excerpt belongs to every turn it shares a character with; its speaker, role and participant are those
of the turn holding its start.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ppss_qual.analysis import query as q
from ppss_qual.analysis import segments
from ppss_qual.errors import NotFound
from ppss_qual.store import analysis as analysis_store
from ppss_qual.store import codes as code_store
from ppss_qual.store.codes import CodeRow


@dataclass(frozen=True, slots=True)
class Hit:
    """One excerpt while a query is evaluated: a coding, or (from AND) a turn."""

    tid: int
    start: int
    end: int
    coding: int | None = None
    code_id: int | None = None
    coder: str | None = None
    sources: tuple[tuple[int, str], ...] = ()  # a turn's (coding id, coder) pairs

    @property
    def key(self) -> tuple[int, int, int, int]:
        return (self.tid, self.start, self.end, self.coding if self.coding is not None else -1)

    def origins(self) -> tuple[tuple[int, str], ...]:
        if self.coding is not None:
            return ((self.coding, self.coder or ""),)
        return self.sources


class Evaluator:
    """Evaluates a parsed query over the project's codings, within the coder and transcript filters."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        codes: dict[int, CodeRow],
        *,
        coders: Sequence[str] | None = None,
        transcript_ids: Sequence[int] | None = None,
    ):
        self.conn = conn
        self.codes = codes
        self.coders = coders
        self.transcript_ids = transcript_ids
        self._turns: dict[int, segments.Bounds] | None = None
        self._sentences: dict[int, segments.Bounds] | None = None

    @property
    def turns(self) -> dict[int, segments.Bounds]:
        if self._turns is None:
            self._turns = segments.index(analysis_store.turn_bounds(self.conn, self.transcript_ids))
        return self._turns

    @property
    def sentences(self) -> dict[int, segments.Bounds]:
        if self._sentences is None:
            self._sentences = segments.index(analysis_store.sentence_bounds(self.conn, self.transcript_ids))
        return self._sentences

    def code_ids(self, node: q.Code, query: str) -> list[int]:
        try:
            code = code_store.resolve(self.conn, node.name, self.codes)
        except NotFound as exc:
            raise q.QueryError(query, node.position, f"{exc}") from None
        return [code.id, *code_store.descendants(self.codes, code.id)]

    def codings(self, code_ids: Sequence[int] | None) -> list[Hit]:
        return [
            Hit(tid, start, end, cid, code_id, coder)
            for cid, tid, code_id, coder, start, end in analysis_store.coding_rows(
                self.conn, code_ids=code_ids, coders=self.coders, transcript_ids=self.transcript_ids
            )
        ]

    def evaluate(self, node: q.Node, query: str) -> list[Hit]:
        if isinstance(node, q.Code):
            return self.codings(self.code_ids(node, query))
        left = self.evaluate(node.left, query)
        right = self.evaluate(node.right, query)
        if node.op == "OR":
            merged = {h.key: h for h in left}
            for h in right:
                merged.setdefault(h.key, h)
            return sorted(merged.values(), key=lambda h: h.key)
        if node.op == "NOT":
            excluded = self._turn_keys(right)
            return [h for h in left if not any(k in excluded for k in self._turns_of(h))]
        if node.op == "NEAR":
            return self._near(left, right, node.k)
        return self._both(left, right)

    # -- operators --------------------------------------------------------------------------------
    def _turns_of(self, hit: Hit) -> list[tuple[int, int]]:
        bounds = self.turns.get(hit.tid)
        if bounds is None or not len(bounds):
            return []
        first, last = bounds.span(hit.start, hit.end)
        return [(hit.tid, i) for i in range(first, last + 1)]

    def _turn_keys(self, hits: list[Hit]) -> dict[tuple[int, int], list[Hit]]:
        out: dict[tuple[int, int], list[Hit]] = {}
        for h in hits:
            for key in self._turns_of(h):
                out.setdefault(key, []).append(h)
        return out

    def _both(self, left: list[Hit], right: list[Hit]) -> list[Hit]:
        lt, rt = self._turn_keys(left), self._turn_keys(right)
        out = []
        for tid, i in sorted(lt.keys() & rt.keys()):
            bounds = self.turns[tid]
            origins = sorted({o for h in (*lt[(tid, i)], *rt[(tid, i)]) for o in h.origins()})
            out.append(Hit(tid, bounds.starts[i], bounds.ends[i], sources=tuple(origins)))
        return out

    def _near(self, left: list[Hit], right: list[Hit], k: int) -> list[Hit]:
        """Hits of `left` whose sentence range lies within k sentences of some hit of `right`."""
        ranges: dict[int, list[tuple[int, int]]] = {}
        for h in right:
            bounds = self.sentences.get(h.tid)
            if bounds is not None and len(bounds):
                ranges.setdefault(h.tid, []).append(bounds.span(h.start, h.end))
        # Per transcript: right ranges sorted by first sentence, with the running maximum of their last.
        index: dict[int, tuple[list[int], list[int]]] = {}
        for tid, rs in ranges.items():
            rs.sort()
            firsts, reach, top = [], [], -1
            for first, last in rs:
                top = max(top, last)
                firsts.append(first)
                reach.append(top)
            index[tid] = (firsts, reach)
        out = []
        for h in left:
            bounds = self.sentences.get(h.tid)
            if h.tid not in index or bounds is None or not len(bounds):
                continue
            first, last = bounds.span(h.start, h.end)
            firsts, reach = index[h.tid]
            j = bisect_right(firsts, last + k) - 1  # right ranges starting no later than last + k
            if j >= 0 and reach[j] >= first - k:
                out.append(h)
        return out


def evaluate(
    conn: sqlite3.Connection,
    query: str | None,
    codes: dict[int, CodeRow],
    *,
    coders: Sequence[str] | None = None,
    transcript_ids: Sequence[int] | None = None,
) -> tuple[list[Hit], bool]:
    """The hits of a query (every coding when there is none), and whether the query is an expression."""
    evaluator = Evaluator(conn, codes, coders=coders, transcript_ids=transcript_ids)
    if query is None or not query.strip():
        return evaluator.codings(None), False
    node = q.parse(query)
    return evaluator.evaluate(node, query), isinstance(node, q.Op)
