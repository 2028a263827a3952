"""Team coding as the workbench shows it: whose codings the transcript view draws, and the two versions of
a disagreement in their surrounding text. Pure functions over the facade's rows; no Textual, no database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ppss_qual.tui.data.document import Document

ALL, MINE, CODER, DIFFER = "all", "mine", "coder", "differ"
AGREED_COLOUR = "#6E6E6E"  # codings where the coders agree, drawn grey under the differences
KIND_WORDS = {"span": "spans differ"}
UNIT_WORDS = {"char": "characters", "sentence": "sentences", "turn": "turns"}
CONTEXT = 360  # characters of the surrounding turn shown on either side of a disagreement


@dataclass(frozen=True, slots=True)
class CoderFilter:
    """Whose codings the view draws: everyone's, mine, one coder's, or where coders differ.

    `among` limits "where coders differ" to these coders (None: everyone who coded the transcript).
    """

    mode: str = ALL
    coder: str | None = None
    among: tuple[str, ...] | None = None

    def label(self, me: str) -> str:
        """The status bar's short name of the filter; empty for everyone's codings (the view's default)."""
        if self.mode == MINE:
            return f"codings: only mine ({me})"
        if self.mode == CODER:
            return f"codings: only {self.coder}'s"
        if self.mode == DIFFER:
            return "codings: differences" + (f" {'/'.join(self.among)}" if self.among else "")
        return ""

    def describe(self, me: str) -> str:
        """The filter in a sentence, for a notification."""
        if self.mode == MINE:
            return f"Showing only my codings ({me})"
        if self.mode == CODER:
            return f"Showing only {self.coder}'s codings"
        if self.mode == DIFFER:
            who = f" ({', '.join(self.among)})" if self.among else ""
            return (
                f"Showing where coders differ{who}: each difference in its code's colour, "
                "labelled with who alone coded it; the other codings grey"
            )
        return "Showing everyone's codings"


def filter_steps(me: str, coders: list[str]) -> list[CoderFilter]:
    """The filters a key cycles through: everyone's, mine, each other coder's, where coders differ.

    `coders` are those who coded the transcript (a coding or a done mark); "where coders differ" needs two.
    """
    others = [c for c in coders if c != me]
    steps = [CoderFilter(ALL), CoderFilter(MINE)]
    steps += [CoderFilter(CODER, c) for c in others]
    if len(coders) >= 2:
        steps.append(CoderFilter(DIFFER))
    return steps


def next_filter(current: CoderFilter, steps: list[CoderFilter]) -> CoderFilter:
    """The step after `current` (a filter for a coder no longer among the steps starts again)."""
    plain = CoderFilter(current.mode, current.coder)
    if plain in steps:
        return steps[(steps.index(plain) + 1) % len(steps)]
    return steps[1 % len(steps)] if current.mode == ALL else steps[0]


def filtered(rows: list[dict[str, Any]], f: CoderFilter, me: str) -> list[dict[str, Any]]:
    """The codings `f` shows, for the modes that only choose among codings (not DIFFER)."""
    if f.mode == MINE:
        return [r for r in rows if r["coder"] == me]
    if f.mode == CODER:
        return [r for r in rows if r["coder"] == f.coder]
    return rows


def difference_rows(
    rows: list[dict[str, Any]], differences: list[dict[str, Any]], coders: list[str]
) -> list[dict[str, Any]]:
    """The compared `coders`' codings drawn grey, with each difference span on top in its code's colour.

    A difference becomes a coding-like row (negative id, no coder: nobody's coding to remove) labelled
    with who alone coded it and the code, e.g. "bertil only: Tillit".
    """
    by_code = {r["code_id"]: r for r in rows}
    out = [{**r, "colour": AGREED_COLOUR} for r in rows if r["coder"] in coders]
    for i, d in enumerate(differences, 1):
        code = by_code.get(d["code_id"], {})
        who = "+".join(d["coders"])
        out.append(
            {
                "id": -i,
                "code_id": d["code_id"],
                "code": f"{who} only: {d['code']}",
                "code_en": f"{who} only: {code.get('code_en') or d['code']}",
                "colour": code.get("colour"),
                "coder": "",
                "start": d["start"],
                "end": d["end"],
                "text": "",
            }
        )
    return out


# -- the disagreements screen ---------------------------------------------------------------------------
def default_pair(coders: list[dict[str, Any]], me: str) -> tuple[str, str] | None:
    """The two coders with the most codings (`project.team.coders()` rows), me first when I am one."""
    ranked = sorted((r for r in coders if r["codings"]), key=lambda r: (-r["codings"], r["coder"].casefold()))
    if len(ranked) < 2:
        return None
    a, b = ranked[0]["coder"], ranked[1]["coder"]
    return (b, a) if b == me else (a, b)


def kind_words(row: dict[str, Any]) -> str:
    """A disagreement's kind as the list shows it: "only ylva", "only omar", "spans differ"."""
    if row["kind"] == "only_a":
        return f"only {row['coder_a']} (A)"
    if row["kind"] == "only_b":
        return f"only {row['coder_b']} (B)"
    return KIND_WORDS.get(row["kind"], row["kind"])


@dataclass(frozen=True, slots=True)
class Passage:
    """The stretch of stored text shown around a disagreement: [start, end), cut with "…" where marked."""

    start: int
    end: int
    cut_before: bool
    cut_after: bool
    speakers: str


def passage(doc: Document, start: int, end: int, context: int = CONTEXT) -> Passage:
    """The turn(s) holding [start, end), speaker labels included, at most `context` characters either side."""
    text = doc.text
    first = doc.turns[doc.turn_index(start)] if doc.turns else None
    last = doc.turns[doc.turn_index(max(end - 1, start))] if doc.turns else None
    lo = text.rfind("\n", 0, first.start) + 1 if first else start
    hi = last.end if last else end
    lo, hi = min(lo, start), max(hi, end)
    cut_before = start - lo > context
    cut_after = hi - end > context
    if cut_before:
        space = text.find(" ", start - context, start)
        lo = space + 1 if space >= 0 else start - context
    if cut_after:
        space = text.rfind(" ", end, end + context)
        hi = space if space > end else end + context
    names = []
    for t in doc.turns[doc.turn_index(start) : doc.turn_index(max(end - 1, start)) + 1]:
        label = t.speaker or "(no speaker)"
        names.append(f"{label}, turn {t.number}")
    return Passage(lo, hi, cut_before, cut_after, "; ".join(names))


def number(value: Any, digits: int = 3) -> str:
    """A measure as the table shows it: "–" where it is undefined (e.g. kappa with no variation)."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)
