"""`pseudonymise`: find names, schools, places and numbers, review them, and use the decisions on the way out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ppss_qual.cli.context import CliContext, coder_option, pass_cli
from ppss_qual.cli.output import emit, fail, format_option, warn
from ppss_qual.errors import PpssError
from ppss_qual.pseudonymise.detect import KINDS
from ppss_qual.pseudonymise.service import LIST_KEYS, STATUSES, Pseudonymiser

TABLE_COLUMNS = ["id", "transcript", "kind", "text", "pseudonym", "status", "reason"]
REVIEW_KEYS = {
    "a": "accept",
    "r": "reject",
    "A": "accept every occurrence of this string",
    "R": "reject every occurrence of this string",
    "e": "edit the pseudonym (and accept)",
    "s": "skip",
    "u": "undo the last decision",
    "q": "quit",
}


def _interactive() -> bool:
    """Whether a person is at the keyboard (the review loop needs one); tests replace this."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@click.command()
@click.option(
    "--list", "list_", is_flag=True, help="List suggestions and decisions (detects first where needed)."
)
@click.option(
    "--review", is_flag=True, help="Decide suggestion by suggestion, interactively (needs a terminal)."
)
@click.option(
    "--accept", "accept", metavar="ID|all", help="Accept entity ID; `all`: every remaining suggestion."
)
@click.option(
    "--reject", "reject", metavar="ID|all", help="Reject entity ID; `all`: every remaining suggestion."
)
@click.option(
    "--all-of-text", is_flag=True, help="With --accept/--reject ID: every occurrence of the same string."
)
@click.option(
    "--pseudonym", default=None, help="With --accept ID: this pseudonym for the string (all of it)."
)
@click.option("--apply", "apply_", is_flag=True, help="Write every transcript, pseudonymised, to --out DIR.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="The folder for --apply.")
@click.option(
    "--export-key",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the key (real -> pseudonym) as CSV to FILE, apart from the project.",
)
@click.option(
    "--detect", "detect_again", is_flag=True, help="Run detection again (e.g. after a participant sheet)."
)
@click.option("--status", type=click.Choice(STATUSES), help="Only entities with this status.")
@click.option("--kind", type=click.Choice(KINDS), help="Only entities of this kind.")
@click.option("--transcript", default=None, help="Only this transcript.")
@format_option
@coder_option
@pass_cli
def pseudonymise(
    ctx: CliContext,
    list_: bool,
    review: bool,
    accept: str | None,
    reject: str | None,
    all_of_text: bool,
    pseudonym: str | None,
    apply_: bool,
    out: Path | None,
    export_key: Path | None,
    detect_again: bool,
    status: str | None,
    kind: str | None,
    transcript: str | None,
    fmt: str,
    coder: str | None,
) -> None:
    """Find names, schools, places, personnummer, phone numbers and e-mail addresses, and decide on each.

    Detection is offline: the participant register, a first-name list of every background, surname
    endings, school and place patterns, Luhn-checked personnummer (a failed checksum is suggested with a
    reason that says so), phones, e-mail, capitalised words mid-sentence, and at a sentence start words
    that no Swedish word rule knows. Every hit is a suggestion; nothing is replaced until it is accepted. Stored text never changes: accepted entities
    and participants' names are replaced on the way out, in every export (`export report`, `excerpts`,
    `qdpx`, unless --real-names) and by --apply.

    \b
    --list          suggestions and decisions; runs detection first on transcripts where it has not
                    run or where the detector changed. JSON keys: id, transcript, start, end, text,
                    kind, reason, status, pseudonym.
    --review        one suggestion at a time with its line: accept, reject, accept or reject every
                    occurrence of the string, edit the pseudonym, skip, undo, quit.
    --accept ID     accept one occurrence; with --all-of-text every occurrence of its string;
                    --pseudonym P gives the string your own pseudonym. `--accept all [--kind K]
                    [--transcript T]` accepts every remaining suggestion (one change, one undo).
    --reject ID     likewise. A rejected occurrence stays real only while no occurrence of the same
                    string is accepted: once one is, the string is replaced everywhere (the safe side).
    --apply --out DIR
                    write each transcript's text, pseudonymised, to DIR/NAME.txt (files of the same
                    name are replaced). Undecided suggestions are NOT replaced: they are counted in a
                    warning.
    --export-key FILE
                    the key (real, pseudonym, kind, source) as CSV, for the key-holder to keep apart.
    --detect        run detection again on every transcript (or --transcript T), e.g. after a
                    participant sheet named more people; decisions already made stay.

    The same real string always gets the same pseudonym: a participant's name, first name or surname
    their participant pseudonym (Lena -> Förälder 2); other people [namn N]; schools [skola A];
    places [ort A]; [personnummer], [e-post], [telefon]. Every decision is one change: `ppss-qual undo`
    takes it back.
    """
    actions = [list_, review, accept is not None, reject is not None, apply_, export_key is not None]
    if sum(actions) + (detect_again and not any(actions)) != 1:
        raise click.UsageError(
            "give one of --list, --review, --accept ID, --reject ID, --apply, --export-key or --detect"
        )
    writes = not list_ or detect_again
    project = ctx.project(write=writes, coder=coder)
    service = Pseudonymiser(project)
    if detect_again:
        _detect(service, transcript=transcript, again=True, quiet=fmt != "table")
    if list_:
        _detect(service, quiet=fmt != "table")
        rows = service.entities(status=status, kind=kind, transcript=transcript)
        emit([{k: r[k] for k in LIST_KEYS} for r in rows], TABLE_COLUMNS, fmt)
    elif review:
        _review(service, kind=kind, transcript=transcript)
    elif accept is not None or reject is not None:
        _decide(
            service,
            accept,
            reject,
            all_of_text=all_of_text,
            pseudonym=pseudonym,
            kind=kind,
            transcript=transcript,
        )
    elif apply_:
        if out is None:
            raise click.UsageError(
                "--apply needs --out DIR, the folder to write the pseudonymised transcripts to"
            )
        _detect(service, quiet=True)
        report = service.write_texts(out, transcripts=[transcript] if transcript else None)
        click.echo(f"{out}: {len(report.paths)} pseudonymised transcripts written")
        if report.undecided:
            warn(
                f"{report.undecided} suggestions are still undecided and are NOT replaced; "
                "decide them with `pseudonymise --review` (or --accept/--reject) and apply again"
            )
    elif export_key is not None:
        n = service.export_key(export_key)
        click.echo(f"{export_key}: the key, {n} rows (real -> pseudonym). Keep it apart from the exports.")


COMMANDS: list[click.Command] = [pseudonymise]


def _detect(
    service: Pseudonymiser, *, transcript: str | None = None, again: bool = False, quiet: bool
) -> None:
    """Run detection where needed, with progress on stderr for people (never on stdout)."""
    show = not quiet and sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        if show:
            click.echo(f"\rdetecting {done}/{total} {name[:40]:<40}", nl=False, err=True)

    report = service.detect([transcript] if transcript else None, again=again, progress=progress)
    if show and report.transcripts:
        click.echo("", err=True)
    if report.transcripts and not quiet:
        click.echo(
            f"detection ran on {len(report.transcripts)} transcripts: {report.suggestions} new suggestions",
            err=True,
        )


def _decide(
    service: Pseudonymiser,
    accept: str | None,
    reject: str | None,
    *,
    all_of_text: bool,
    pseudonym: str | None,
    kind: str | None,
    transcript: str | None,
) -> None:
    if accept is not None and reject is not None:
        raise click.UsageError("give --accept or --reject, not both")
    target = accept if accept is not None else reject
    assert target is not None
    status = "accepted" if accept is not None else "rejected"
    if target.strip().lower() == "all":
        if all_of_text or pseudonym:
            raise click.UsageError("--all-of-text and --pseudonym go with one ID, not with `all`")
        service.detect()
        n = service.decide_remaining(status, kind=kind, transcript=transcript)
        click.echo(f"{status} {n} remaining suggestions" + (f" of kind {kind}" if kind else ""))
        return
    if kind or transcript:
        raise click.UsageError("--kind and --transcript go with `all`, not with one ID")
    if not target.strip().isdigit():
        raise click.UsageError(f"{target!r} is no entity id (see `pseudonymise --list`) nor `all`")
    if pseudonym is not None and status != "accepted":
        raise click.UsageError("--pseudonym goes with --accept")
    entity_id = int(target)
    if status == "accepted":
        d = service.accept(entity_id, all_of_text=all_of_text, pseudonym=pseudonym)
        click.echo(
            f"accepted {d.changed} occurrence(s) of {d.kind} {d.text!r} as {d.pseudonym}; "
            f"every {d.text!r} is replaced in exports"
        )
    else:
        d = service.reject(entity_id, all_of_text=all_of_text)
        click.echo(f"rejected {d.changed} occurrence(s) of {d.kind} {d.text!r}")


def _review(service: Pseudonymiser, *, kind: str | None, transcript: str | None) -> None:
    """The review loop on stdin and stdout: one suggestion at a time, one change per decision."""
    if not _interactive():
        fail(
            "--review asks questions and needs a terminal (stdin and stdout a TTY). In a script, use "
            "`pseudonymise --list --format json` and then --accept ID / --reject ID.",
            2,
        )
    _detect(service, quiet=False)
    queue = [r["id"] for r in service.entities(status="suggested", kind=kind, transcript=transcript)]
    if not queue:
        click.echo("nothing to review: no undecided suggestions" + (f" of kind {kind}" if kind else ""))
        return
    keys = "  ".join(f"[{k}] {v}" for k, v in REVIEW_KEYS.items())
    click.echo(f"{len(queue)} suggestions to review. Keys: {keys}")
    done: list[int] = []  # the queue positions decided in this review, for undo
    i = 0
    while i < len(queue):
        entity = service.entity(queue[i])
        if entity["status"] != "suggested":  # decided meanwhile (e.g. by "every occurrence")
            i += 1
            continue
        _show(entity, i + 1, len(queue))
        choice = click.prompt("decision", default="s", show_default=False).strip()
        if choice == "u" and not done:
            click.echo("  nothing decided in this review yet")
            continue
        try:
            step = _review_step(service, entity, choice)
        except PpssError as exc:
            click.echo(f"error: {exc}", err=True)
            continue
        if step == "quit":
            break
        if step == "again":
            continue
        if step == "back":
            i = done.pop()
            continue
        if step == "decided":
            done.append(i)
        i += 1
    counts = service.counts()
    click.echo(
        f"{len(done)} decisions made; now {counts['suggested']} suggested, {counts['accepted']} accepted, "
        f"{counts['rejected']} rejected"
    )


def _review_step(service: Pseudonymiser, entity: dict[str, Any], choice: str) -> str:
    """Carry out one answer: 'decided', 'skipped', 'again' (ask again), 'back' (after undo) or 'quit'."""
    if choice == "q":
        return "quit"
    if choice in ("s", ""):
        return "skipped"
    if choice in ("a", "A"):
        d = service.accept(entity["id"], all_of_text=choice == "A")
        click.echo(f"  accepted {d.changed} × {d.text!r} -> {d.pseudonym}")
        return "decided"
    if choice in ("r", "R"):
        d = service.reject(entity["id"], all_of_text=choice == "R")
        click.echo(f"  rejected {d.changed} × {d.text!r}")
        return "decided"
    if choice == "e":
        new = click.prompt("  pseudonym", default=entity["pseudonym"] or "").strip()
        d = service.rename(entity["id"], new)
        click.echo(f"  accepted {d.text!r} -> {d.pseudonym} (every occurrence has this pseudonym now)")
        return "decided"
    if choice == "u":
        event = service.project.undo()
        click.echo(f"  undone: {event.summary}")
        return "back"
    click.echo(f"  unknown answer {choice!r}; one of {', '.join(REVIEW_KEYS)}")
    return "again"


def _show(entity: dict[str, Any], n: int, total: int) -> None:
    click.echo("")
    click.echo(
        f"[{n}/{total}] {entity['transcript']}, line {entity['line']}: {entity['kind']} "
        f"({entity['reason']}); {entity['occurrences']} occurrence(s) of this string"
    )
    marked = click.style(f"»{entity['text']}«", bold=True, reverse=True)
    click.echo(f"  {entity['before']}{marked}{entity['after']}")
    click.echo(f"  -> {entity['pseudonym']}")
