"""The analysis facade (`project.analysis`): excerpt queries, code-by-group tables, co-occurrence, networks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppss_qual.analysis import columns, segments
from ppss_qual.analysis import cooccurrence as cooc
from ppss_qual.analysis import excerpts as ex
from ppss_qual.analysis import matrix as mx
from ppss_qual.analysis.people import NO_VALUE, Person, Turns
from ppss_qual.analysis.textsearch import LemmaFilter, word_lemmas
from ppss_qual.errors import InvalidOperation
from ppss_qual.model import Role
from ppss_qual.store import analysis as analysis_store
from ppss_qual.store import codes as code_store
from ppss_qual.store import transcripts as transcript_store
from ppss_qual.textlines import LineIndex

if TYPE_CHECKING:
    import sqlite3

    from ppss_qual.analysis.network import Network
    from ppss_qual.project import Project


def parse_roles(roles: Iterable[str | Role] | None) -> set[str] | None:
    """Role slugs from slugs, Swedish names or synonyms (pupil, elev, förälder, …)."""
    if roles is None:
        return None
    out: set[str] = set()
    for r in roles:
        try:
            out.add(Role.parse(str(r)).value)
        except ValueError as exc:
            raise InvalidOperation(str(exc)) from None
    return out


class Analysis:
    """Analyses over a project's codings; every method reads one consistent snapshot."""

    def __init__(self, project: Project):
        self.project = project

    # -- shared -----------------------------------------------------------------------------------
    def _transcript_ids(
        self, conn: sqlite3.Connection, transcripts: Iterable[str] | None
    ) -> list[int] | None:
        if transcripts is None:
            return None
        return sorted({transcript_store.resolve(conn, str(t)).id for t in transcripts})

    @staticmethod
    def _coders(coders: Iterable[str] | None) -> list[str] | None:
        return None if coders is None else sorted({c for c in coders})

    def _code_family(
        self, conn: sqlite3.Connection, codes: dict[int, code_store.CodeRow], refs: Iterable[str] | None
    ) -> set[int] | None:
        if refs is None:
            return None
        out: set[int] = set()
        for ref in refs:
            c = code_store.resolve(conn, ref, codes)
            out.update([c.id, *code_store.descendants(codes, c.id)])
        return out

    def word_lemmas(self, word: str) -> list[str]:
        """The lemmas that `--text` and search look for when given `word` ("lyssnade" -> ["lyssna"])."""
        with self.project.store.read() as conn:
            return word_lemmas(conn, word)

    def coders(self) -> list[str]:
        with self.project.store.read() as conn:
            return analysis_store.coders(conn)

    # -- excerpts ---------------------------------------------------------------------------------
    def excerpts(
        self,
        query: str | None = None,
        *,
        roles: Iterable[str | Role] | None = None,
        attributes: dict[str, str] | None = None,
        transcripts: Iterable[str] | None = None,
        coders: Iterable[str] | None = None,
        text: str | None = None,
        context: bool = False,
    ) -> list[dict[str, Any]]:
        """Excerpts a query selects, in reading order (see ppss_qual.analysis.excerpts for what each gives).

        Each is a dict with `id` (the coding; None for a turn from AND), `code` (the coding's code for a
        single name or no query; the query itself for an expression), `transcript`, `speaker`, `role`,
        `participant`, `attributes`, `turn`, `line`, `start`, `end`, `text` (exactly text[start:end]),
        `coder`, `memo`, and `context` (the speech of the turns it touches) when asked. `roles` and
        `attributes` keep excerpts whose turn (holding the start) is spoken by such a participant; `text`
        keeps those holding every word given, in any inflected form.
        """
        wanted_roles = parse_roles(roles)
        with self.project.store.read() as conn:
            codes = code_store.all_codes(conn)
            tids = self._transcript_ids(conn, transcripts)
            hits, expression = ex.evaluate(
                conn, query, codes, coders=self._coders(coders), transcript_ids=tids
            )
            involved = sorted({h.tid for h in hits})
            names = analysis_store.transcript_names(conn)
            turns = Turns(conn, involved)
            texts = analysis_store.transcript_texts(conn, involved)
            memos = analysis_store.coding_memos(conn)
            words = LemmaFilter(conn, text, texts) if text is not None else None
        label = " ".join(query.split()) if expression and query else None
        order = {tid: i for i, tid in enumerate(names)}
        hits.sort(
            key=lambda h: (
                order.get(h.tid, 0),
                h.start,
                h.end,
                codes[h.code_id].path if h.code_id in codes else "",
                h.coder or "",
            )
        )
        lines = {tid: LineIndex(t) for tid, t in texts.items()}
        out: list[dict[str, Any]] = []
        for h in hits:
            i = turns.at(h.tid, h.start, h.end)
            person = turns.person(h.tid, i)
            role = person.role if person else None
            if wanted_roles is not None and role not in wanted_roles:
                continue
            if attributes and not (
                person is not None
                and all(
                    person.attribute(k).casefold() == str(v).strip().casefold() for k, v in attributes.items()
                )
            ):
                continue
            if words is not None and not words.holds(h.tid, h.start, h.end):
                continue
            full = texts[h.tid]
            code = codes.get(h.code_id) if h.code_id is not None else None
            origins = h.origins()
            row: dict[str, Any] = {
                "id": h.coding,
                "code": label if label is not None else (code.name if code else None),
                "code_id": code.id if code and label is None else None,
                "coded_as": code.name if code else None,
                "path": code.path if code else None,
                "transcript": names.get(h.tid),
                "transcript_id": h.tid,
                "speaker": turns.speakers[h.tid][i] if i >= 0 else None,
                "role": role,
                "participant": person.name if person else None,
                "attributes": dict(person.attributes) if person else {},
                "turn": turns.bounds[h.tid].numbers[i] if i >= 0 else None,
                "line": lines[h.tid].line(h.start),
                "start": h.start,
                "end": h.end,
                "text": full[h.start : h.end],
                "coder": h.coder,
                "coders": sorted({c for _i, c in origins}),
                "codings": [cid for cid, _c in origins],
                "memo": memos.get(h.coding) if h.coding is not None else None,
            }
            if context:
                bounds = turns.bounds.get(h.tid)
                if bounds is not None and len(bounds):
                    first, last = bounds.span(h.start, h.end)
                    row["context"] = full[bounds.starts[first] : bounds.ends[last]]
                else:
                    row["context"] = full
            out.append(row)
        return out

    # -- code by group ----------------------------------------------------------------------------
    def matrix(
        self,
        by: str = "role",
        *,
        coders: Iterable[str] | None = None,
        transcripts: Iterable[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Codings and distinct participants per code and group (role, or a participant attribute).

        One dict per code and group: `code`, `path`, `group`, `codings`, `participants`, `passages`,
        `includes_subcodes` (a parent's row counts its sub-codes), plus a "total" group per code and a row
        with code None per group. Groups by role are the informant roles in the order pupil, parent,
        school-staff, social-services; "interviewer" (and "(none)" for speech with no known role) follow
        only when some coding falls there. By an attribute, the groups are its values ("(none)" when a
        participant lacks it); interviewer speech is counted under "interviewer", apart.
        """
        import numpy as np

        by_role = by.strip().lower() == "role"
        key = by.strip()
        with self.project.store.read() as conn:
            codes = code_store.all_codes(conn)
            tids = self._transcript_ids(conn, transcripts)
            spans = columns.spans(
                analysis_store.packed_codings(conn, coders=self._coders(coders), transcript_ids=tids)
            )
            turns = segments.Segments.from_packed(
                analysis_store.packed_turn_participants(conn, tids), extra=True
            )
            people = analysis_store.participants(conn)
        # Each participant's group; groups are numbered in order of first appearance here.
        groups: list[str] = [NO_VALUE]
        number = {NO_VALUE: 0}
        lookup = np.zeros(max((pid for pid, *_ in people), default=0) + 1, dtype=np.int64)
        for pid, name, role, pseudonym, attributes in people:
            if role == mx.INTERVIEWER:
                label = mx.INTERVIEWER
            elif by_role:
                label = role or NO_VALUE
            else:
                label = Person.from_row(pid, name, role, pseudonym, attributes).attribute(key)
            if label not in number:
                number[label] = len(groups)
                groups.append(label)
            lookup[pid] = number[label]
        holder, _last = turns.locate(spans[:, 0], spans[:, 2], spans[:, 3])
        pids = turns.extra if turns.extra is not None else np.zeros(0, dtype=np.int64)
        speaker = np.where(holder >= 0, pids[np.maximum(holder, 0)] if len(pids) else -1, -1)
        group = np.where(speaker >= 0, lookup[np.clip(speaker, 0, len(lookup) - 1)], 0)
        passage = _passage_ids(spans)
        rows = mx.table(
            np.column_stack((spans[:, 1], group, speaker, passage)), groups, codes, by_role=by_role
        )
        for r in rows:
            r["by"] = "role" if by_role else key
        return rows

    # -- co-occurrence ----------------------------------------------------------------------------
    def counts(
        self,
        unit: str | cooc.Unit = "turn",
        *,
        roles: Iterable[str | Role] | None = None,
        coders: Iterable[str] | None = None,
        transcripts: Iterable[str] | None = None,
        codes: Iterable[str] | None = None,
        themes: bool = False,
    ) -> tuple[cooc.Counts, dict[int, code_store.CodeRow]]:
        """The raw co-occurrence counts (n per code, n_ab per pair of code ids) and the code tree."""
        import numpy as np

        the_unit = cooc.parse_unit(unit)
        wanted_roles = parse_roles(roles)
        with self.project.store.read() as conn:
            tree = code_store.all_codes(conn)
            tids = self._transcript_ids(conn, transcripts)
            family = self._code_family(conn, tree, codes)
            spans = columns.spans(
                analysis_store.packed_codings(conn, coders=self._coders(coders), transcript_ids=tids)
            )
            turns: segments.Segments | None = None
            if wanted_roles is not None:
                turns = _turns_with_roles(conn, tids)
            elif the_unit.kind == "turn":
                turns = segments.Segments.from_packed(analysis_store.packed_segments(conn, "turns", tids))
            sentences = None
            if the_unit.kind == "sentences":
                sentences = segments.Segments.from_packed(
                    analysis_store.packed_segments(conn, "sentences", tids)
                )
        if wanted_roles is not None and turns is not None:
            first, _last = turns.locate(spans[:, 0], spans[:, 2], spans[:, 3])
            role_codes = np.array([ROLE_CODES.get(r, -1) for r in wanted_roles], dtype=np.int64)
            turn_roles = turns.extra if turns.extra is not None else np.zeros(0, dtype=np.int64)
            role = np.where(first >= 0, turn_roles[np.maximum(first, 0)] if len(turn_roles) else -1, -1)
            spans = spans[np.isin(role, role_codes)]
        if family is not None:
            spans = spans[np.isin(spans[:, 1], np.array(sorted(family), dtype=np.int64))]
        if themes and len(spans):
            top = _top_level(tree)
            lookup = np.arange(max(max(top), int(spans[:, 1].max())) + 1, dtype=np.int64)
            for code_id, theme_id in top.items():
                lookup[code_id] = theme_id
            spans = spans.copy()
            spans[:, 1] = lookup[spans[:, 1]]
        counted = cooc.count(spans, the_unit, turns=turns, sentences=sentences)
        return counted, tree

    def cooccurrence(
        self,
        unit: str | cooc.Unit = "turn",
        *,
        roles: Iterable[str | Role] | None = None,
        coders: Iterable[str] | None = None,
        transcripts: Iterable[str] | None = None,
        codes: Iterable[str] | None = None,
        themes: bool = False,
        measure: str = "count",
    ) -> list[dict[str, Any]]:
        """Pairs of codes that co-occur (n_ab > 0) in the unit, strongest first by `measure`.

        Codes are counted as coded: a theme's own row holds only codings made with the theme itself. With
        `themes`, every coding counts for its top-level theme instead (a theme-by-theme table). `codes`
        keeps only these codes (and their sub-codes). Each dict: `code_a`, `code_b` (Swedish names; a
        before b in codebook order), `n_a`, `n_b`, `n_ab`, `jaccard`, `overlap`, `imbalanced`,
        `out_of_range`, `unit`.
        """
        if measure not in cooc.MEASURES:
            raise InvalidOperation(f"unknown measure {measure!r}; use one of {', '.join(cooc.MEASURES)}")
        counted, tree = self.counts(
            unit, roles=roles, coders=coders, transcripts=transcripts, codes=codes, themes=themes
        )
        return pair_rows(counted, tree, measure)

    # -- networks ---------------------------------------------------------------------------------
    def network(
        self,
        unit: str | cooc.Unit = "turn",
        *,
        measure: str = "jaccard",
        min_weight: float | None = None,
        top: int | None = None,
        all_edges: bool = False,
        roles: Iterable[str | Role] | None = None,
        coders: Iterable[str] | None = None,
        transcripts: Iterable[str] | None = None,
        codes: Iterable[str] | None = None,
        themes: bool = False,
        seed: int = 1,
    ) -> Network:
        """The code network: nodes sized by frequency, edges weighted by `measure`, Louvain communities.

        Edges: every pair with n_ab > 0, then those of weight >= `min_weight`, then the `top` strongest
        (by default the strongest 4 per code, at least 60; `all_edges` keeps every one). See
        ppss_qual.analysis.network.
        """
        from ppss_qual.analysis.network import build

        counted, tree = self.counts(
            unit, roles=roles, coders=coders, transcripts=transcripts, codes=codes, themes=themes
        )
        return build(
            counted, tree, measure=measure, min_weight=min_weight, top=top, all_edges=all_edges, seed=seed,
            themes_only=themes,
        )  # fmt: skip

    def write_network(self, path: Path, network: Network, **draw: Any) -> Path:
        """Write the network to `path` by its extension: .png .svg .pdf (drawn), .graphml .gexf .csv."""
        from ppss_qual.analysis.network import write

        return write(network, path, **draw)


ROLE_CODES = {role.value: i for i, role in enumerate(Role)}


def _passage_ids(spans: Any) -> Any:
    """A number per distinct passage (transcript, start, end) for each row of (tid, code, start, end)."""
    import numpy as np

    if len(spans) == 0:
        return np.zeros(0, dtype=np.int64)
    k1 = (spans[:, 0] << segments.SHIFT) | spans[:, 2]
    k2 = spans[:, 3]
    order = np.lexsort((k2, k1))
    new = np.ones(len(order), dtype=bool)
    new[1:] = (k1[order][1:] != k1[order][:-1]) | (k2[order][1:] != k2[order][:-1])
    ids = np.empty(len(order), dtype=np.int64)
    ids[order] = np.cumsum(new) - 1
    return ids


def _turns_with_roles(conn: sqlite3.Connection, tids: Sequence[int] | None) -> segments.Segments:
    """Turns as Segments whose `extra` column is the speaker's role (ROLE_CODES; -1 when unknown)."""
    import numpy as np

    turns = segments.Segments.from_packed(analysis_store.packed_turn_participants(conn, tids), extra=True)
    people = analysis_store.participants(conn)
    lookup = np.full(max((pid for pid, *_ in people), default=0) + 2, -1, dtype=np.int64)
    for pid, _name, role, _pseudonym, _attributes in people:
        lookup[pid] = ROLE_CODES.get(role or "", -1)
    pids = turns.extra if turns.extra is not None else np.zeros(0, dtype=np.int64)
    turns.extra = np.where(pids >= 0, lookup[np.clip(pids, 0, len(lookup) - 1)], -1)
    return turns


def _top_level(tree: dict[int, code_store.CodeRow]) -> dict[int, int]:
    """Each code's top-level ancestor (a theme is its own)."""
    top: dict[int, int] = {}
    for c in tree.values():  # tree order: parents come before their children
        top[c.id] = top[c.parent_id] if c.parent_id in top else c.id
    return top


def pair_rows(
    counted: cooc.Counts, tree: dict[int, code_store.CodeRow], measure: str
) -> list[dict[str, Any]]:
    """One dict per pair with n_ab > 0, strongest first by `measure` (ties: n_ab, then codebook order).

    The measures are worked out on whole arrays; only the rows themselves are built one by one.
    """
    import numpy as np

    i, j = np.nonzero(counted.matrix)
    if len(i) == 0:
        return []
    ids = counted.ids
    position = {cid: k for k, cid in enumerate(tree)}
    place = np.array(
        [position.get(int(c), len(position) + k) for k, c in enumerate(ids.tolist())], dtype=np.int64
    )
    swap = place[i] > place[j]  # code a comes first in codebook order
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    n_ab = counted.matrix[np.minimum(i, j), np.maximum(i, j)]
    n_a, n_b = counted.n_per[i], counted.n_per[j]
    smaller = np.minimum(n_a, n_b)
    n12 = np.minimum(n_ab, smaller)
    denominator = n_a + n_b - n12
    jac = np.round(np.where(denominator > 0, n12 / np.maximum(denominator, 1), 0.0), 4)
    ovl = np.round(np.where(smaller > 0, n12 / np.maximum(smaller, 1), 0.0), 4)
    key = {"count": n_ab, "jaccard": jac, "overlap": ovl}[measure]
    order = np.lexsort((place[j], place[i], -n_ab, -key))
    imbalanced = np.maximum(n_a, n_b) > cooc.IMBALANCE * smaller
    unit = str(counted.unit)
    names = [tree[c].name if c in tree else str(c) for c in ids.tolist()]
    columns = (
        i[order].tolist(), j[order].tolist(), n_a[order].tolist(), n_b[order].tolist(), n_ab[order].tolist(),
        jac[order].tolist(), ovl[order].tolist(), imbalanced[order].tolist(), (n_ab > smaller)[order].tolist(),
    )  # fmt: skip
    id_list = ids.tolist()
    return [
        {
            "code_a": names[a],
            "code_b": names[b],
            "n_a": na,
            "n_b": nb,
            "n_ab": nab,
            "jaccard": jc,
            "overlap": oc,
            "imbalanced": imb,
            "out_of_range": oor,
            "unit": unit,
            "code_a_id": id_list[a],
            "code_b_id": id_list[b],
        }
        for a, b, na, nb, nab, jc, oc, imb, oor in zip(*columns, strict=True)
    ]
