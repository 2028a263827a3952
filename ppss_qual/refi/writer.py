"""A project snapshot as REFI-QDA: the project.qde XML and the Sources/ texts (pure; no database, no files).

The XML is built as text in one pass (no element object per attribute), so that a large project is written
in seconds. Selections group the codings of one span (as ATLAS.ti does); a participant's turns are
selections too, which the participant's Case refers to, so no one else's words are attributed to them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from ppss_qual.model import Code
from ppss_qual.refi import blocks
from ppss_qual.refi.blocks import (
    ABOUT,
    FORMAT,
    LANGUAGE,
    NAME,
    NAMES,
    NO_SPEAKER,
    OFFSETS,
    PSEUDONYM,
    ROLE,
    SCOPE,
    TURNS,
)
from ppss_qual.refi.codebook import code_elements
from ppss_qual.refi.offsets import CODEPOINTS, OffsetMap
from ppss_qual.refi.validate import PROJECT_NS
from ppss_qual.refi.xmlwrite import attr, attrs, datetime_or_none, derived_guid, span_guids, text
from ppss_qual.store.codes import CodeRow
from ppss_qual.store.refi import ExportRows

SOURCES_FOLDER = "Sources"


class Mapped(Protocol):
    text: str

    def map(self, offset: int) -> int: ...


class Names(Protocol):
    """The export step for names (ppss_qual.exports.names.NameStep fits): text in, text out."""

    real_names: bool

    def text(self, text: str) -> str: ...

    def participant(self, name: str | None) -> str: ...

    def source(self, text: str, *, transcript_id: int | None = None) -> Mapped: ...


@dataclass(slots=True)
class _Same:
    text: str

    def map(self, offset: int) -> int:
        return offset


class RealNames:
    """No replacement: the key-holder's export."""

    real_names = True

    def text(self, text: str) -> str:
        return text

    def participant(self, name: str | None) -> str:
        return name or ""

    def source(self, text: str, *, transcript_id: int | None = None) -> Mapped:
        return _Same(text)


@dataclass(slots=True)
class Built:
    qde: bytes
    sources: list[tuple[str, bytes]]
    transcripts: int = 0
    codes: int = 0
    codings: int = 0
    selections: int = 0
    memos: int = 0
    cases: int = 0
    users: int = 0
    warnings: list[str] = field(default_factory=list)


def source_member(guid: str) -> str:
    return f"{SOURCES_FOLDER}/{guid}.txt"


def selection_guids(transcript_guid: str) -> Callable[[int, int], str]:
    """Stable: one span of one transcript is one selection, with one GUID, in every export."""
    return span_guids("selection", transcript_guid)


def turn_lines(
    turns: list[tuple[int, str | None, int, int, int | None, int | None, int | None]],
    pos: Callable[[int], int],
    speaker: Callable[[str], str],
) -> str:
    lines = [""]
    for number, label, start, end, label_start, t0, t1 in turns:
        at = "-" if label_start is None else str(pos(label_start))
        time = (
            "-"
            if t0 is None and t1 is None
            else f"{blocks.format_ms(t0)}{blocks.TIME_SEPARATOR}{blocks.format_ms(t1)}"
        )
        who = speaker(label) if label else NO_SPEAKER
        lines.append(f"{number} | {pos(start)}-{pos(end)} | {at} | {time} | {who}")
    return "\n".join(lines)


class _Writer:
    def __init__(self, rows: ExportRows, unit: str, names: Names, acting: str):
        self.rows = rows
        self.unit = unit
        self.names = names
        self.warnings: list[str] = []
        self.users: dict[str, str] = dict(rows.coders)
        self.acting = self.user(acting)
        self.transcript_guid = {t[0]: t[1] for t in rows.transcripts}
        self.transcript_name = {t[0]: t[2] for t in rows.transcripts}
        self.participant_guid = {p[0]: p[1] for p in rows.participants}
        self.coding_ids = {c[0] for c in rows.codings}
        # Memos by what they are on: (kind, id) -> memo guids.
        self.memos_on: dict[tuple[str, int | None], list[str]] = {}
        self.memos: list[tuple[int, str, str, int | None, str, str, str, str]] = []
        for memo in rows.memos:
            if self._target_exists(memo[2], memo[3]):
                self.memos.append(memo)
                self.memos_on.setdefault((memo[2], memo[3]), []).append(memo[1])
            else:
                self.warnings.append(f"memo {memo[0]} is on a {memo[2]} that is not exported; left out")
        # Case -> its turns' selections.
        self.case_refs: dict[int, list[str]] = {}
        self.selections = 0
        self.code_guid = {cid: c.guid for cid, c in rows.codes.items()}

    def user(self, name: str) -> str:
        """The guid of a coder by name (a coder not in the coders table gets a stable derived one)."""
        if name not in self.users:
            self.users[name] = derived_guid("coder", name)
        return self.users[name]

    def _target_exists(self, kind: str, target: int | None) -> bool:
        if kind == "project":
            return True
        if kind == "transcript":
            return target in self.transcript_guid
        if kind == "code":
            return target in self.rows.codes
        if kind == "coding":
            return target in self.coding_ids
        if kind == "participant":
            return target in self.participant_guid
        return False

    # -- the document -----------------------------------------------------------------------------
    def sources(self) -> tuple[list[str], list[tuple[str, bytes]]]:
        """The <Sources> element, one string per source, and the texts; written first: the cases need
        the turns' selections."""
        whole: list[str] = []
        files: list[tuple[str, bytes]] = []
        codings = itertools.groupby(self.rows.codings, key=lambda c: c[1])
        by_transcript = {tid: list(group) for tid, group in codings}
        labels_of: dict[int, dict[str, int]] = {}
        for tid, label, pid in self.rows.speakers:
            labels_of.setdefault(tid, {})[label] = pid
        for tid, guid, name, original, language, fmt, imported_by, imported_at in self.rows.transcripts:
            out: list[str] = []
            mapped = self.names.source(original, transcript_id=tid)
            content = mapped.text
            files.append((source_member(guid), content.encode("utf-8")))
            fmap = mapped.map
            if self.unit != CODEPOINTS:
                pos = _utf16_positions(fmap, OffsetMap(content))
            elif isinstance(mapped, _Same):
                pos = _unchanged
            else:
                pos = fmap

            turns = self.rows.turns.get(tid, [])
            description = blocks.compose(
                "",
                [
                    (LANGUAGE, language),
                    (FORMAT, fmt),
                    (TURNS, turn_lines(turns, pos, self.names.text) if turns else None),
                ],
            )
            head = f'    <TextSource guid="{guid}" name="{attr(self.names.text(name))}"'
            head += f' plainTextPath="internal://{guid}.txt" creatingUser="{self.user(imported_by)}"'
            head += attrs([("creationDateTime", datetime_or_none(imported_at))]) + ">\n"
            out.append(head)
            out.append(f"      <Description>{text(description)}</Description>\n")
            self._selections(
                out,
                tid,
                guid,
                content,
                None if isinstance(mapped, _Same) else fmap,
                pos,
                by_transcript.get(tid, []),
                turns,
                labels_of,
            )
            for memo in self.memos_on.get(("transcript", tid), []):
                out.append(f'      <NoteRef targetGUID="{memo}"/>\n')
            out.append("    </TextSource>\n")
            whole.append("".join(out))
        return whole, files

    def _selections(
        self,
        out: list[str],
        tid: int,
        tguid: str,
        content: str,
        fmap: Callable[[int], int] | None,
        pos: Callable[[int], int],
        codings: list[tuple[int, int, str, int, str, int, int, str]],
        turns: list[tuple[int, str | None, int, int, int | None, int | None, int | None]],
        labels_of: dict[int, dict[str, int]],
    ) -> None:
        spans: dict[tuple[int, int], list[tuple[int, int, str, int, str, int, int, str]]] = {}
        for coding in codings:
            spans.setdefault((coding[5], coding[6]), []).append(coding)
        guid_of = selection_guids(tguid)
        turn_names: dict[tuple[int, int], str] = {}
        linked = labels_of.get(tid, {})
        for number, label, start, end, *_ in turns:
            pid = linked.get(label) if label else None
            if pid is None or pid not in self.participant_guid:
                continue
            spans.setdefault((start, end), [])
            turn_names.setdefault((start, end), f"Turn {number}: {self.names.text(label or '')}")
            self.case_refs.setdefault(pid, []).append(guid_of(start, end))
        code_guid = self.code_guid
        memos_on = self.memos_on
        users = self.users
        user = self.user
        append = out.append
        for start, end in sorted(spans):
            group = spans[(start, end)]
            s, e = (start, end) if fmap is None else (fmap(start), fmap(end))
            name = content[s:e] if group else turn_names[(start, end)]
            head = (
                f'<PlainTextSelection guid="{guid_of(start, end)}" name="{attr(name)}" '
                f'startPosition="{pos(start)}" endPosition="{pos(end)}"'
            )
            self.selections += 1
            if not group:
                append(head + "/>\n")
                continue
            first = group[0][
                4
            ]  # the selection's creator: its first coding's coder (the codings have the times)
            append(f'{head} creatingUser="{users.get(first) or user(first)}">\n')
            selection_notes: list[str] = []
            for cid, _tid, guid, code_id, coder, _s, _e, created in group:
                stamp = datetime_or_none(created)
                line = (
                    f'<Coding guid="{guid}" creatingUser="{users.get(coder) or user(coder)}"'
                    + (f' creationDateTime="{stamp}">' if stamp else ">")
                    + f'<CodeRef targetGUID="{code_guid[code_id]}"/>'
                )
                notes = memos_on.get(("coding", cid))
                if notes and len(group) > 1:
                    line += "".join(f'<NoteRef targetGUID="{n}"/>' for n in notes)
                elif notes:
                    selection_notes.extend(notes)
                append(line + "</Coding>\n")
            for note in selection_notes:
                append(f'<NoteRef targetGUID="{note}"/>\n')
            append("</PlainTextSelection>\n")

    def codebook(self) -> list[str]:
        roots: list[Code] = []
        made: dict[int, Code] = {}
        for c in self.rows.codes.values():
            made[c.id] = _model_code(c, self.names)
            (made[c.parent_id].children if c.parent_id in made else roots).append(made[c.id])
        if not roots:
            return []
        notes = {
            self.rows.codes[target].guid: guids
            for (kind, target), guids in self.memos_on.items()
            if kind == "code" and target is not None
        }
        out = ["  <CodeBook>\n    <Codes>\n"]
        code_elements(roots, out, 3, notes)
        out.append("    </Codes>\n  </CodeBook>\n")
        return out

    def cases(self) -> tuple[list[str], list[str]]:
        """<Variables> and <Cases> lines: one case per participant, their attributes as text variables."""
        variables: dict[str, str] = {}
        for p in self.rows.participants:
            for key in p[5]:
                variables.setdefault(key, derived_guid("variable", key))
        var_lines: list[str] = []
        if variables:
            var_lines.append("  <Variables>\n")
            for key, guid in variables.items():
                var_lines.append(f'    <Variable guid="{guid}" name="{attr(key)}" typeOfVariable="Text"/>\n')
            var_lines.append("  </Variables>\n")
        lines: list[str] = []
        for pid, guid, name, role, pseudonym, attributes, scope in self.rows.participants:
            shown = self.names.participant(name)
            scope_name = self.names.text(self.transcript_name[scope]) if scope is not None else None
            description = blocks.compose(
                "",
                [
                    (NAME, shown),
                    (ROLE, role),
                    (PSEUDONYM, pseudonym if self.names.real_names else None),
                    (SCOPE, f"{self.transcript_guid[scope]} ({scope_name})" if scope is not None else None),
                ],
            )
            display = f"{shown} ({scope_name})" if scope_name else shown
            lines.append(f'    <Case guid="{guid}" name="{attr(display)}">\n')
            lines.append(f"      <Description>{text(description)}</Description>\n")
            for key, value in attributes.items():
                lines.append(
                    f'      <VariableValue><VariableRef targetGUID="{variables[key]}"/>'
                    f"<TextValue>{text(self.names.text(str(value)))}</TextValue></VariableValue>\n"
                )
            for ref in self.case_refs.get(pid, []):
                lines.append(f'      <SelectionRef targetGUID="{ref}"/>\n')
            lines.append("    </Case>\n")
        if lines:
            lines = ["  <Cases>\n", *lines, "  </Cases>\n"]
        return var_lines, lines

    def notes(self) -> list[str]:
        if not self.memos:
            return []
        out = ["  <Notes>\n"]
        for _mid, guid, kind, target, body, author, created, updated in self.memos:
            content = self.names.text(body)
            first = next((line.strip() for line in content.split("\n") if line.strip()), "memo")
            title = first if len(first) <= 60 else first[:59] + "…"
            about = (
                f"participant {self.participant_guid[target]}"
                if kind == "participant" and target is not None
                else None
            )
            head = f'    <Note guid="{guid}" name="{attr(title)}" creatingUser="{self.user(author)}"'
            head += attrs(
                [
                    ("creationDateTime", datetime_or_none(created)),
                    ("modifiedDateTime", datetime_or_none(updated)),
                ]
            )
            out.append(head + ">\n")
            if about is not None:
                out.append(f"      <Description>{text(blocks.compose('', [(ABOUT, about)]))}</Description>\n")
            out.append(f"      <PlainTextContent>{text(content)}</PlainTextContent>\n    </Note>\n")
        out.append("  </Notes>\n")
        return out


def _unchanged(offset: int) -> int:
    return offset


def _utf16_positions(fmap: Callable[[int], int], omap: OffsetMap) -> Callable[[int], int]:
    def pos(cp: int) -> int:
        return omap.to_utf16(fmap(cp))

    return pos


def _model_code(c: CodeRow, names: Names) -> Code:
    return Code(
        name=c.name,
        name_en=c.name_en,
        definition=names.text(c.definition),
        inclusion=names.text(c.use_when),
        exclusion=names.text(c.not_when),
        example=names.text(c.example),
        colour=c.colour,
        keywords=list(c.keywords),
        guid=c.guid,
    )


def build(
    rows: ExportRows,
    *,
    unit: str = CODEPOINTS,
    project_name: str,
    acting_coder: str,
    created: str,
    origin: str = "ppss_qual",
    names: Names | None = None,
) -> Built:
    """The .qde XML (UTF-8, LF) and the source texts of a snapshot, offsets in `unit`."""
    w = _Writer(rows, unit, names or RealNames(), acting_coder)
    codebook = w.codebook()
    sources, files = w.sources()
    variables, cases = w.cases()
    notes = w.notes()
    head = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{PROJECT_NS}" name="{attr(project_name)}" '
        f'origin="{attr(origin)}" creatingUserGUID="{w.acting}"'
        + attrs([("creationDateTime", created)])
        + ">\n"
    )
    users = ["  <Users>\n"]
    users += [f'    <User guid="{guid}" name="{attr(name)}"/>\n' for name, guid in w.users.items()]
    users.append("  </Users>\n")
    parts: list[str] = [head, *users, *codebook, *variables, *cases]
    if sources:
        parts += ["  <Sources>\n", *sources, "  </Sources>\n"]
    parts += notes
    description = blocks.compose(
        "",
        [
            (OFFSETS, unit),
            (NAMES, "real" if w.names.real_names else "pseudonymised"),
        ],
    )
    parts.append(f"  <Description>{text(description)}</Description>\n")
    for memo in w.memos_on.get(("project", None), []):
        parts.append(f'  <NoteRef targetGUID="{memo}"/>\n')
    parts.append("</Project>\n")
    return Built(
        # Part by part: one string of the whole document would take four bytes a character if any part
        # held an emoji.
        qde=b"".join(part.encode("utf-8") for part in parts),
        sources=files,
        transcripts=len(rows.transcripts),
        codes=len(rows.codes),
        codings=len(rows.codings),
        selections=w.selections,
        memos=len(w.memos),
        cases=len(rows.participants),
        users=len(w.users),
        warnings=w.warnings,
    )
