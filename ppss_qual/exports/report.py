"""The Word report: themes, definitions, tables by informant group, quotes with pseudonymous attribution."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppss_qual.errors import InvalidOperation
from ppss_qual.exports.names import NameStep
from ppss_qual.exports.word import (
    add_page_number_footer,
    add_table,
    append_paragraph,
    new_document,
    save_atomically,
)
from ppss_qual.model import Role
from ppss_qual.textlines import trim_span

if TYPE_CHECKING:
    from ppss_qual.project import Project

INFORMANT_ROLES = (Role.PUPIL, Role.PARENT, Role.SCHOOL_STAFF, Role.SOCIAL_SERVICES)
SCHOOL_ATTRIBUTES = ("school", "skola")
TEXT_WIDTH_CM = 16.0  # A4 with the default margins
CONTEXT_COLOUR = "707070"  # context around a quote, set apart from the exact quote

LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Tematisk analys",
        "date": "Datum",
        "method": "Material och metod",
        "themes": "Resultat",
        "definition": "Definition",
        "codes": "Koder",
        "use_when": "Används när",
        "not_when": "Används inte när",
        "table": "Förekomst per informantgrupp",
        "table_note": "Antal kodade passager (antal deltagare). En passage som flera kodare kodat räknas en gång.",
        "code": "Kod",
        "total": "Totalt",
        "quotes": "Citat",
        "network": "Temanätverk",
        "network_caption": "Figur 1. Koder som förekommer tillsammans",
        "appendix": "Bilaga: Kodbok",
        "appendix_caption": "Tabell {n}. Kodbok",
        "path": "Tema/kod",
        "name": "Namn",
        "name_en": "Engelskt namn",
        "line": "rad",
        "page": "Sida ",
        "no_quotes": "Inga citat i urvalet.",
        "pupil": "Elever",
        "parent": "Vårdnadshavare",
        "school-staff": "Skolpersonal",
        "social-services": "Socialtjänst",
        "interviewer": "Intervjuare",
    },
    "en": {
        "title": "Thematic analysis",
        "date": "Date",
        "method": "Material and method",
        "themes": "Findings",
        "definition": "Definition",
        "codes": "Codes",
        "use_when": "Use when",
        "not_when": "Do not use when",
        "table": "Occurrence by informant group",
        "table_note": "Coded passages (participants). A passage coded by several coders counts once.",
        "code": "Code",
        "total": "Total",
        "quotes": "Quotes",
        "network": "Theme network",
        "network_caption": "Figure 1. Codes that occur together",
        "appendix": "Appendix: Codebook",
        "appendix_caption": "Table {n}. Codebook",
        "path": "Theme/code",
        "name": "Name",
        "name_en": "English name",
        "line": "line",
        "page": "Page ",
        "no_quotes": "No quotes in the selection.",
        "pupil": "Pupils",
        "parent": "Parents",
        "school-staff": "School staff",
        "social-services": "Social services",
        "interviewer": "Interviewers",
    },
}


@dataclass(slots=True)
class ReportOptions:
    lang: str = "sv"
    title: str | None = None
    themes: list[str] | None = None  # themes or codes to include (names or paths); None: all
    groups: list[str] | None = None  # roles to include; None: every informant group
    max_excerpts: int = 3
    excerpt_ids: list[int] | None = None  # exactly these excerpts, in this order per code
    memos: bool = False  # coding memos as Word comments
    context: int = 0  # sentences of context before and after each quote, within its turn
    coder: str | None = None
    real_names: bool = False
    network: bool = True


@dataclass(slots=True)
class Quote:
    excerpt: dict[str, Any]
    text: str  # exactly the coded text, through the name step
    attribution: str
    before: str = ""
    after: str = ""
    memos: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Section:
    code: dict[str, Any]  # a row of codebook.tree()
    counts: dict[str, tuple[int, int]]  # group -> (passages, participants), subtree included
    quotes: list[Quote]
    children: list[Section] = field(default_factory=list)


@dataclass(slots=True)
class ReportSummary:
    path: Path
    themes: int
    codes: int
    quotes: int
    comments: int


def write_report(
    project: Project, path: Path, options: ReportOptions, progress: Callable[[str], None] | None = None
) -> ReportSummary:
    """Gather everything from the project and write the report; the file appears only when complete."""
    if options.lang not in LABELS:
        raise InvalidOperation(f"no report language {options.lang!r}; use sv or en")
    step = project.name_step(real_names=options.real_names)
    say = progress or (lambda _m: None)
    say("gathering excerpts")
    sections, groups = gather(project, options, step)
    network_png = None
    with tempfile.TemporaryDirectory() as tmp:
        if options.network and any(s.counts for s in sections):
            say("drawing the theme network")
            network_png = _draw_network(project, Path(tmp) / "network.png", options)
        say("writing the document")
        document = new_document()
        _front_matter(document, project, options, step, groups)
        comments = _themes(document, sections, groups, options)
        if network_png is not None:
            _network(document, network_png, options)
        _appendix(document, project, options, len(sections) + 1)
        add_page_number_footer(document, LABELS[options.lang]["page"])
        save_atomically(document, path)
    return ReportSummary(
        path,
        len(sections),
        sum(_count(s.children) for s in sections),
        sum(_quotes(s) for s in sections),
        comments,
    )


def _count(sections: list[Section]) -> int:
    return sum(1 + _count(s.children) for s in sections)


def _quotes(section: Section) -> int:
    return len(section.quotes) + sum(_quotes(c) for c in section.children)


# -- gathering ------------------------------------------------------------------------------------


def gather(project: Project, options: ReportOptions, step: NameStep) -> tuple[list[Section], list[str]]:
    """Theme sections with counts per group and the chosen quotes; and the groups in the report."""
    groups = _groups(options.groups)
    tree = project.codebook.tree()
    by_id = {c["id"]: c for c in tree}
    children: dict[int | None, list[dict[str, Any]]] = {}
    for c in tree:
        children.setdefault(c["parent_id"], []).append(c)
    chosen_roots = _chosen(project, tree, options.themes)
    excerpts = [e for e in project.codings.excerpts(coder=options.coder) if e["role"] in groups]
    passages = _distinct_passages(excerpts)
    participants = {p["id"]: p for p in project.participants()}
    memos = _passage_memos(project, excerpts) if options.memos else {}
    texts: dict[int, dict[str, Any]] = {}

    def subtree(code_id: int) -> set[int]:
        out = {code_id}
        for child in children.get(code_id, []):
            out |= subtree(child["id"])
        return out

    def section(code: dict[str, Any]) -> Section:
        ids = subtree(code["id"])
        counts: dict[str, tuple[int, int]] = {}
        for g in groups:
            mine = [e for e in passages if e["code_id"] in ids and e["role"] == g]
            if mine:
                counts[g] = (len(mine), len({e["participant_id"] for e in mine}))
        own = [e for e in passages if e["code_id"] == code["id"]]
        quotes = [
            _quote(project, e, step, participants, options, memos, texts)
            for e in _select(own, groups, options)
        ]
        return Section(code, counts, quotes, [section(c) for c in children.get(code["id"], [])])

    sections = [section(by_id[root]) for root in chosen_roots]
    return sections, groups


def _groups(wanted: list[str] | None) -> list[str]:
    if not wanted:
        return [r.value for r in INFORMANT_ROLES]
    try:
        return [Role.parse(g).value for g in wanted]
    except ValueError as exc:
        raise InvalidOperation(str(exc)) from None


def _chosen(project: Project, tree: list[dict[str, Any]], themes: list[str] | None) -> list[int]:
    if not themes:
        return [c["id"] for c in tree if c["parent_id"] is None]
    return [project.codebook.resolve(t).id for t in themes]


def _distinct_passages(excerpts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One excerpt per (code, transcript, span): two coders' identical codings are one passage."""
    seen: dict[tuple[int, int, int, int], dict[str, Any]] = {}
    for e in excerpts:
        seen.setdefault(_passage_key(e), e)
    return list(seen.values())


def _select(own: list[dict[str, Any]], groups: list[str], options: ReportOptions) -> list[dict[str, Any]]:
    """The named excerpts, or: the longest of each informant group first, then the longest of the rest."""
    if options.excerpt_ids is not None:
        by_id = {e["id"]: e for e in own}
        return [by_id[i] for i in options.excerpt_ids if i in by_id]
    longest = sorted(own, key=lambda e: (-(e["end"] - e["start"]), e["transcript"], e["start"]))
    picked: list[dict[str, Any]] = []
    for g in groups:
        first = next((e for e in longest if e["role"] == g), None)
        if first is not None and len(picked) < options.max_excerpts:
            picked.append(first)
    for e in longest:
        if len(picked) >= options.max_excerpts:
            break
        if e not in picked:
            picked.append(e)
    return picked


def _passage_key(e: dict[str, Any]) -> tuple[int, int, int, int]:
    return (e["code_id"], e["transcript_id"], e["start"], e["end"])


def _passage_memos(
    project: Project, excerpts: list[dict[str, Any]]
) -> dict[tuple[int, int, int, int], list[Any]]:
    """Memos on any coder's coding of a passage belong to the passage's quote."""
    passage_of = {e["id"]: _passage_key(e) for e in excerpts}
    out: dict[tuple[int, int, int, int], list[dict[str, Any]]] = {}
    for m in project.codings.memos("coding"):
        if m["target_id"] in passage_of:
            out.setdefault(passage_of[m["target_id"]], []).append(m)
    return out


def _quote(
    project: Project,
    e: dict[str, Any],
    step: NameStep,
    participants: dict[int, dict[str, Any]],
    options: ReportOptions,
    memos: dict[tuple[int, int, int, int], list[dict[str, Any]]],
    texts: dict[int, dict[str, Any]],
) -> Quote:
    tid = e["transcript_id"]
    before = after = ""
    if options.context:
        shown = texts.setdefault(tid, project.show(str(tid)))
        (bs, be), (as_, ae) = _context(shown, e["start"], e["end"], options.context)
        before = step.passage(tid, bs, shown["text"][bs:be]) if be > bs else ""
        after = step.passage(tid, as_, shown["text"][as_:ae]) if ae > as_ else ""
    return Quote(
        e,
        step.passage(tid, e["start"], e["text"]),
        _attribution(e, step, participants, options),
        before,
        after,
        # memos are the researchers' own words, and they name people too
        [{**m, "text": step.text(m["text"])} for m in memos.get(_passage_key(e), [])],
    )


def _context(shown: dict[str, Any], start: int, end: int, n: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The spans of up to n sentences before and after [start, end), within the same turn, trimmed."""
    text = shown["text"]
    turn = next((t for t in shown["turns"] if t["start"] <= start < t["end"]), None)
    if turn is None:
        return (start, start), (end, end)
    inside = [s for s in shown["sentences"] if s["turn"] == turn["number"]]
    earlier = [s for s in inside if s["end"] <= start][-n:]
    later = [s for s in inside if s["start"] >= end][:n]
    before = trim_span(text, earlier[0]["start"], start) if earlier else (start, start)
    after = trim_span(text, end, later[-1]["end"]) if later else (end, end)
    return before, after


def _attribution(
    e: dict[str, Any], step: NameStep, participants: dict[int, dict[str, Any]], options: ReportOptions
) -> str:
    """`(Elev 3, skola A; intervju01, rad 45)`: the participant's pseudonym, school, transcript and line."""
    p = participants.get(e["participant_id"]) if e["participant_id"] is not None else None
    who = step.participant(p["name"]) if p else (e["speaker"] or "?")
    parts = [who]
    for key, value in (p["attributes"] if p else {}).items():
        if key.lower() in SCHOOL_ATTRIBUTES and value:
            parts.append(step.text(value).strip("[]"))
            break
    line = LABELS[options.lang]["line"]
    return f"({', '.join(parts)}; {step.text(e['transcript'])}, {line} {e['line']})"


# -- writing --------------------------------------------------------------------------------------


def _front_matter(
    document: Any, project: Project, options: ReportOptions, step: NameStep, groups: list[str]
) -> None:
    labels = LABELS[options.lang]
    title = options.title or labels["title"]
    document.core_properties.title = title
    document.add_heading(title, level=0)
    name = Path(str(project.store.path)).stem if project.store.path else "ppss_qual"
    document.add_paragraph(f"{step.text(name)} · {labels['date']}: {date.today().isoformat()}")
    document.add_heading(labels["method"], level=1)
    document.add_paragraph(_method_text(project, options, groups))


def _method_text(project: Project, options: ReportOptions, groups: list[str]) -> str:
    transcripts = project.transcripts()
    people = [p for p in project.participants() if p["role"] in groups]
    per_group = {g: len([p for p in people if p["role"] == g]) for g in groups}
    in_group = {g: len({t for p in people if p["role"] == g for t in p["transcripts"]}) for g in groups}
    coders = sorted({e["coder"] for e in project.codings.excerpts(coder=options.coder)})
    tree = project.codebook.tree()
    themes = len([c for c in tree if c["parent_id"] is None])
    codes = len(tree) - themes
    words = sum(t["words"] for t in transcripts)
    labels = LABELS[options.lang]
    listing = ", ".join(
        f"{labels[g].lower()} {per_group[g]} ({_interviews(in_group[g], options.lang)})" for g in groups
    )
    if options.lang == "sv":
        swedish_words = f"{words:,}".replace(",", "\u00a0")  # Swedish groups digits with a (hard) space
        return (
            f"Materialet består av {len(transcripts)} intervjuer ({swedish_words} ord) med {len(people)} "
            f"deltagare: {listing}. Intervjuerna kodades av {len(coders)} kodare med en kodbok om {codes} koder "
            f"i {themes} teman. Citaten återges ordagrant; namn, skolor och platser är utbytta mot pseudonymer."
        )
    return (
        f"The material consists of {len(transcripts)} interviews ({words:,} words) with {len(people)} "
        f"participants: {listing}. The interviews were coded by {len(coders)} coders with a codebook of "
        f"{codes} codes in {themes} themes. Quotes are verbatim; names, schools and places are replaced by "
        "pseudonyms."
    )


def _interviews(n: int, lang: str) -> str:
    if lang == "sv":
        return f"{n} intervju" if n == 1 else f"{n} intervjuer"
    return f"{n} interview" if n == 1 else f"{n} interviews"


def _themes(document: Any, sections: list[Section], groups: list[str], options: ReportOptions) -> int:
    labels = LABELS[options.lang]
    document.add_heading(labels["themes"], level=1)
    styles = _Styles(document)
    comments = 0
    for number, theme in enumerate(sections, 1):
        document.add_heading(_name(theme.code, options), level=2)
        _definition(document, theme.code, options, styles)
        _counts_table(document, theme, groups, options, number)
        comments += _quote_block(document, theme.quotes, styles, options)
        for code in theme.children:
            comments += _code_section(document, code, options, styles, level=3)
    return comments


def _code_section(
    document: Any, section: Section, options: ReportOptions, styles: _Styles, level: int
) -> int:
    document.add_heading(_name(section.code, options), level=min(level, 9))
    _definition(document, section.code, options, styles)
    comments = _quote_block(document, section.quotes, styles, options)
    for child in section.children:
        comments += _code_section(document, child, options, styles, level + 1)
    return comments


def _name(code: dict[str, Any], options: ReportOptions) -> str:
    if options.lang == "en" and code["name_en"]:
        return str(code["name_en"])
    return str(code["name"])


def _definition(document: Any, code: dict[str, Any], options: ReportOptions, styles: _Styles) -> None:
    labels = LABELS[options.lang]
    for key in ("definition", "use_when", "not_when"):
        if code.get(key):
            paragraph = document.add_paragraph(style=styles.body)
            paragraph.add_run(f"{labels[key]}: ").bold = True
            paragraph.add_run(code[key])


def _counts_table(
    document: Any, theme: Section, groups: list[str], options: ReportOptions, number: int
) -> None:
    labels = LABELS[options.lang]
    rows = []
    for section in [theme, *theme.children]:
        values = [section.counts.get(g, (0, 0)) for g in groups]
        total = (sum(v[0] for v in values), sum(v[1] for v in values))
        rows.append(
            [_name(section.code, options), *(f"{n} ({p})" for n, p in values), f"{total[0]} ({total[1]})"]
        )
    document.add_paragraph(
        f"{'Tabell' if options.lang == 'sv' else 'Table'} {number}. {labels['table']}: "
        f"{_name(theme.code, options)}",
        style="Caption",
    )
    rest = (TEXT_WIDTH_CM - 5.0) / (len(groups) + 1)
    add_table(
        document,
        [labels["code"], *(labels[g] for g in groups), labels["total"]],
        rows,
        [5.0, *([rest] * (len(groups) + 1))],
    )
    document.add_paragraph(labels["table_note"], style="Caption")


class _Styles:
    """Style objects looked up once: python-docx is slow when it looks a style up by name per paragraph."""

    def __init__(self, document: Any):
        self.body = document.styles["Normal"]
        self.quote_id = document.styles["Quote"].style_id


def _quote_block(document: Any, quotes: list[Quote], styles: _Styles, options: ReportOptions) -> int:
    comments = 0
    for q in quotes:
        runs: list[tuple[str, str | None]] = []
        if q.before:
            runs.append((q.before + " ", CONTEXT_COLOUR))
        runs.append((q.text, None))
        if q.after:
            runs.append((" " + q.after, CONTEXT_COLOUR))
        runs.append((f" {q.attribution}", None))
        paragraph = append_paragraph(document, styles.quote_id, runs)
        for memo in q.memos if options.memos else []:
            quoted = paragraph.runs[1 if q.before else 0]
            document.add_comment(
                quoted, text=memo["text"], author=memo["author"], initials=memo["author"][:2]
            )
            comments += 1
    return comments


def _network(document: Any, png: Path, options: ReportOptions) -> None:
    from docx.shared import Cm

    labels = LABELS[options.lang]
    document.add_heading(labels["network"], level=1)
    document.add_picture(str(png), width=Cm(16))
    document.add_paragraph(labels["network_caption"], style="Caption")


def _draw_network(project: Project, path: Path, options: ReportOptions) -> Path | None:
    """The theme network picture from the analysis part, drawn for the report's language."""
    analysis = project.analysis
    network = analysis.network(coders=[options.coder] if options.coder else None)
    if network.graph.number_of_nodes() == 0:
        return None
    analysis.write_network(path, network, colour_by="theme", lang=options.lang)
    return path if path.exists() else None


def _appendix(document: Any, project: Project, options: ReportOptions, number: int) -> None:
    labels = LABELS[options.lang]
    document.add_page_break()
    document.add_heading(labels["appendix"], level=1)
    document.add_paragraph(labels["appendix_caption"].format(n=number), style="Caption")
    rows = [[c["path"], c["name"], c["name_en"] or "", c["definition"]] for c in project.codebook.tree()]
    add_table(
        document,
        [labels["path"], labels["name"], labels["name_en"], labels["definition"]],
        rows,
        [4.0, 3.0, 3.0, TEXT_WIDTH_CM - 10.0],
    )
