"""Commands for analysis: excerpt queries, code-by-group tables, co-occurrence and theme networks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ppss_qual.cli.context import CliContext, pass_cli
from ppss_qual.cli.output import emit, format_option, table

UNITS_HELP = "overlap, turn (default), transcript, or sentences:K (within K sentences; 0: the same one)."
MEASURES = ("count", "jaccard", "overlap")


def _filters(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--role", "roles", multiple=True, help="Only speech of this role (pupil, elev, parent, …); repeatable."),
            click.option("--coder", "coders", multiple=True, help="Only this coder's codings; repeatable."),
            click.option("--transcript", "transcripts", multiple=True, help="Only this transcript (name or id); repeatable."),
        ]
    ):  # fmt: skip
        func = option(func)
    return func


def _or_none(values: tuple[str, ...]) -> list[str] | None:
    return list(values) if values else None


def _attributes(values: tuple[str, ...]) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for value in values:
        key, sep, wanted = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(
                f"{value!r}: write it as key=value, e.g. school=Björkdalsskolan", param_hint="--attribute"
            )
        out[key.strip()] = wanted.strip()
    return out or None


@click.command()
@click.argument("query", required=False)
@_filters
@click.option(
    "--attribute",
    "attributes",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only speech of participants with this attribute; repeatable.",
)
@click.option(
    "--text", default=None, metavar="WORDS", help="Only excerpts holding these words, in any inflected form."
)
@click.option("--context", is_flag=True, help="Add the speech of the turn(s) around each excerpt.")
@format_option
@pass_cli
def excerpts(
    ctx: CliContext,
    query: str | None,
    roles: tuple[str, ...],
    coders: tuple[str, ...],
    transcripts: tuple[str, ...],
    attributes: tuple[str, ...],
    text: str | None,
    context: bool,
    fmt: str,
) -> None:
    """Coded excerpts of a code or a query: codes (a theme includes its sub-codes) joined by AND, OR,
    NOT and NEAR/k, with parentheses. Put names with spaces in double quotes inside the query (bare words
    in a row are also read as one name).

    \b
    Tillit                          codings of Tillit
    "Barnets röst"                  codings of the theme and all its codes
    Tillit AND Hinder               the turns holding both (one excerpt per turn)
    Tillit NOT Hinder               codings of Tillit in turns without Hinder
    Tillit NEAR/1 Hinder            codings of Tillit within 1 sentence of Hinder
    "Att bli lyssnad på" OR Tillit  codings of either
    AND and NOT bind tighter than OR, NEAR tighter than AND: A OR B AND C is A OR (B AND C).
    """
    rows = ctx.project().analysis.excerpts(
        query,
        roles=_or_none(roles),
        attributes=_attributes(attributes),
        transcripts=_or_none(transcripts),
        coders=_or_none(coders),
        text=text,
        context=context,
    )
    if fmt == "table":
        for r in rows:
            r["text"] = r["text"].replace("\n", " ")
        emit(rows, ["transcript", "line", "speaker", "code", "coder", "text"], fmt)
        click.echo(f"{len(rows)} excerpts")
        return
    columns = [
        "id",
        "code",
        "transcript",
        "speaker",
        "role",
        "participant",
        "turn",
        "line",
        "start",
        "end",
        "text",
        "coder",
        "memo",
    ]
    emit(rows, [*columns, "context"] if context else columns, fmt)


@click.command()
@click.option(
    "--by",
    default="role",
    show_default=True,
    metavar="role|ATTRIBUTE",
    help="Group by role, or by a participant attribute (school, grade, …).",
)
@click.option("--coder", "coders", multiple=True, help="Only this coder's codings; repeatable.")
@click.option("--transcript", "transcripts", multiple=True, help="Only this transcript; repeatable.")
@format_option
@pass_cli
def matrix(ctx: CliContext, by: str, coders: tuple[str, ...], transcripts: tuple[str, ...], fmt: str) -> None:
    """Codings and participants per code and informant group (a theme's row includes its sub-codes)."""
    rows = ctx.project().analysis.matrix(by, coders=_or_none(coders), transcripts=_or_none(transcripts))
    if fmt != "table":
        emit(rows, ["code", "path", "group", "codings", "participants", "passages", "includes_subcodes"], fmt)
        return
    click.echo(_pivot(rows))
    click.echo("cells: codings (participants); a theme's row counts its sub-codes' codings")


def _pivot(rows: list[dict[str, Any]]) -> str:
    """One line per code, a column per group: "codings (participants)"."""
    groups = list(dict.fromkeys(r["group"] for r in rows))
    lines: dict[Any, dict[str, Any]] = {}
    for r in rows:
        key = r["code_id"]
        line = lines.setdefault(
            key, {"code": ("  " * r["depth"] + r["code"]) if r["code"] is not None else "all codes"}
        )
        line[r["group"]] = f"{r['codings']} ({r['participants']})" if r["codings"] else "·"
    return table(list(lines.values()), ["code", *groups])


@click.command()
@click.option("--unit", default="turn", show_default=True, help=UNITS_HELP)
@click.option(
    "--measure",
    type=click.Choice(MEASURES),
    default="count",
    show_default=True,
    help="What the table is sorted by.",
)
@_filters
@click.option("--code", "codes", multiple=True, help="Only these codes (with their sub-codes); repeatable.")
@click.option(
    "--themes", is_flag=True, help="Count every code as its top-level theme (a theme-by-theme table)."
)
@click.option("--limit", type=int, default=None, help="Show only the first N pairs.")
@format_option
@pass_cli
def cooccurrence(
    ctx: CliContext,
    unit: str,
    measure: str,
    roles: tuple[str, ...],
    coders: tuple[str, ...],
    transcripts: tuple[str, ...],
    codes: tuple[str, ...],
    themes: bool,
    limit: int | None,
    fmt: str,
) -> None:
    """Pairs of codes that occur together, with count, Jaccard (ATLAS.ti's c-coefficient) and overlap.

    Codes count as coded: a theme's row holds codings made with the theme itself; --themes counts every
    coding for its theme instead. imbalanced: one code is over five times as frequent as the other, so
    read the overlap coefficient rather than Jaccard.
    """
    rows = ctx.project().analysis.cooccurrence(
        unit,
        roles=_or_none(roles),
        coders=_or_none(coders),
        transcripts=_or_none(transcripts),
        codes=_or_none(codes),
        themes=themes,
        measure=measure,
    )
    if limit is not None:
        rows = rows[:limit]
    if fmt == "table":
        for r in rows:
            r["flag"] = "imbalanced" if r["imbalanced"] else ""
        emit(rows, ["code_a", "code_b", "n_a", "n_b", "n_ab", "jaccard", "overlap", "flag"], fmt)
        return
    emit(rows, ["code_a", "code_b", "n_a", "n_b", "n_ab", "jaccard", "overlap", "imbalanced", "unit"], fmt)


@click.command()
@click.option(
    "--out",
    "outs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write FILE.png, .svg, .pdf, .graphml, .gexf or .csv (edges); repeatable.",
)
@click.option("--unit", default="turn", show_default=True, help=UNITS_HELP)
@click.option(
    "--measure", type=click.Choice(MEASURES), default="jaccard", show_default=True, help="The edges' weight."
)
@click.option("--min-weight", type=float, default=None, help="Keep edges of at least this weight.")
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=None,
    help="Keep only the K strongest edges (default: 4 per code, at least 60).",
)
@click.option(
    "--all-edges", is_flag=True, help="Keep every edge (for GraphML, GEXF and CSV to analyse elsewhere)."
)
@click.option(
    "--colour-by",
    "--color-by",
    "colour_by",
    type=click.Choice(["theme", "community"]),
    default="theme",
    show_default=True,
    help="Node colours: the code's theme or its detected community.",
)
@click.option(
    "--lang",
    type=click.Choice(["sv", "en"]),
    default="sv",
    show_default=True,
    help="Labels, title and legend in Swedish or English.",
)
@_filters
@click.option("--code", "codes", multiple=True, help="Only these codes (with their sub-codes); repeatable.")
@click.option("--themes", is_flag=True, help="One node per top-level theme.")
@click.option("--report", is_flag=True, help="Print communities and centrality (degree, betweenness).")
@format_option
@pass_cli
def network(
    ctx: CliContext,
    outs: tuple[Path, ...],
    unit: str,
    measure: str,
    min_weight: float | None,
    top: int | None,
    all_edges: bool,
    colour_by: str,
    lang: str,
    roles: tuple[str, ...],
    coders: tuple[str, ...],
    transcripts: tuple[str, ...],
    codes: tuple[str, ...],
    themes: bool,
    report: bool,
    fmt: str,
) -> None:
    """The code network: codes sized by frequency, edges weighted by co-occurrence, Louvain communities.

    Drawn for print (no overlapping labels, a legend, a title) as PNG, SVG or PDF; saved for Gephi and
    other tools as GraphML, GEXF or CSV.
    """
    if not outs and not report and fmt == "table":
        raise click.UsageError("give --out FILE (png, svg, pdf, graphml, gexf, csv) or --report")
    analysis = ctx.project().analysis
    net = analysis.network(
        unit,
        measure=measure,
        min_weight=min_weight,
        top=top,
        all_edges=all_edges,
        roles=_or_none(roles),
        coders=_or_none(coders),
        transcripts=_or_none(transcripts),
        codes=_or_none(codes),
        themes=themes,
    )
    for out in outs:
        analysis.write_network(out, net, colour_by=colour_by, lang=lang)
        click.echo(f"wrote {out}", err=fmt != "table")
    if not report and fmt == "table":
        return
    data = net.report()
    if fmt == "json":
        emit([data], [], fmt, one=True)
    elif fmt == "csv":
        emit(
            data["nodes"],
            ["code", "theme", "n", "community", "degree", "degree_centrality", "strength", "betweenness"],
            fmt,
        )
    else:
        click.echo(
            f"{len(data['nodes'])} codes, {len(data['edges'])} edges ({data['measure']}, unit {data['unit']})"
        )
        emit(data["nodes"], ["code", "theme", "n", "community", "degree", "strength", "betweenness"], fmt)
        click.echo("")
        emit(data["communities"], ["community", "codes"], fmt)


COMMANDS: list[click.Command] = [excerpts, matrix, cooccurrence, network]
