"""REFI-QDA XML (a .qde project or a .qdc codebook) read leniently into plain dataclasses.

Any namespace version is accepted (urn:QDA-XML:project:1.0, :0:10, codebook 0:4, ...), as are empty
containers the schema forbids (Taguette's `<Sets/>`); elements we have no use for are counted, not read.
The parser's events are read as they come, without building an element tree: a large project has
hundreds of thousands of elements, and a tree of them costs more than everything else the import does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ppss_qual.errors import InputError
from ppss_qual.refi.model import (
    OTHER_SOURCES,
    TEXT_SOURCE,
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from ppss_qual.refi.xmlsafe import parse_events

_VALUES = frozenset(("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"))
_SOURCES = frozenset((TEXT_SOURCE, *OTHER_SOURCES))
_TEXTS = frozenset(("Description", "PlainTextContent")) | _VALUES


def guid(value: str | None) -> str:
    """A GUID as we keep it: lower case, without braces or spaces."""
    if not value:
        return ""
    if value[0] in "{ \t\n" or value[-1] in "} \t\n":
        return value.strip().strip("{}").strip().lower()
    return value.lower()


def _attr(attrib: Any, key: str) -> str | None:
    """An attribute's text. Without entity substitution (our safety setting), libxml2 hands a parser
    target every '&' of an attribute as '&#38;'; undone here, exactly (each '&' became one '&#38;')."""
    value = attrib.get(key)
    return value.replace("&#38;", "&") if value and "&" in value else value


def _int(value: str | None) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class _Events:
    """A parser target that builds a RefiProject (or a codebook's codes) from start and end events."""

    def __init__(self, on_source: Callable[[RefiSource], None] | None = None) -> None:
        self.on_source = on_source
        self.project = RefiProject(name="", origin=None, namespace="")
        self.root = ""
        self.stack: list[str] = []
        self.names: dict[str, str] = {}
        self.codes: list[RefiCode] = []  # the open Code elements, outermost first
        self.source: RefiSource | None = None
        self.selection: RefiSelection | None = None
        self.coding: RefiCoding | None = None
        self.case: RefiCase | None = None
        self.note: RefiNote | None = None
        self.value_ref: str | None = None
        self.value = ""
        self.text: list[str] | None = None  # character data of the open Description, content or value
        self.known: dict[str, str] = {}  # GUIDs that recur (users, codes) as normalised

    def ref(self, value: str | None) -> str | None:
        """A GUID that recurs (a user, a code), normalised once."""
        if not value:
            return None
        found = self.known.get(value)
        if found is None:
            found = self.known[value] = guid(value)
        return found or None

    # -- the parser's calls -----------------------------------------------------------------------
    def start(self, tag: str, attrib: Any) -> None:
        name = self.names.get(tag)
        if name is None:
            name = self.names[tag] = tag.rpartition("}")[2]
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(name)
        if name == "Coding":
            self._coding(attrib, parent)
        elif name == "CodeRef":
            if parent == "Coding" and self.coding is not None and self.coding.code is None:
                self.coding.code = self.ref(attrib.get("targetGUID"))
            elif parent == "Case":
                self.project.case_codes += 1
        elif name == "PlainTextSelection":
            self._selection(attrib, parent)
        elif name in ("SelectionRef", "SourceRef"):
            target = guid(attrib.get("targetGUID"))
            if parent == "Case" and self.case is not None and target:
                (self.case.selections if name == "SelectionRef" else self.case.sources).append(target)
        elif name == "NoteRef":
            self._note_ref(guid(attrib.get("targetGUID")), parent)
        elif name in _TEXTS:
            self.text = []
        elif name == "Code":
            self._code(attrib, parent)
        elif name in _SOURCES and parent == "Sources":
            self._source(name, attrib)
        elif name.endswith("Selection") and self.source is not None:
            self.source.other_selections += 1
        else:
            self._other(name, attrib, parent)

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        name = self.stack.pop()
        if self.text is not None and name in _TEXTS:
            self._text_end(name, "".join(self.text))
            self.text = None
        elif name == "Coding":
            self.coding = None
        elif name == "PlainTextSelection":
            self.selection = None
        elif name == "Code":
            if self.codes:
                self.codes.pop()
        elif name in _SOURCES and self.stack and self.stack[-1] == "Sources":
            if self.on_source is not None and self.source is not None:
                self.on_source(self.source)
            self.source = None
        elif name == "Case":
            self.case = None
        elif name == "Note":
            self.note = None
        elif name == "VariableValue":
            if self.case is not None and self.value_ref:
                self.case.values.append((self.value_ref, self.value.strip()))
            self.value_ref, self.value = None, ""

    def close(self) -> RefiProject:
        return self.project

    # -- elements ---------------------------------------------------------------------------------
    def _coding(self, attrib: Any, parent: str) -> None:
        coding = RefiCoding(
            guid(attrib.get("guid")),
            None,
            self.ref(attrib.get("creatingUser")),
            attrib.get("creationDateTime"),
        )
        if parent == "PlainTextSelection" and self.selection is not None:
            self.selection.codings.append(coding)
            self.coding = coding
        elif parent == TEXT_SOURCE and self.source is not None and self.source.kind == TEXT_SOURCE:
            self.source.codings.append(coding)
            self.coding = coding
        else:
            self.coding = None

    def _selection(self, attrib: Any, parent: str) -> None:
        source = self.source
        if source is None:
            return
        if parent != TEXT_SOURCE or source.kind != TEXT_SOURCE:
            source.other_selections += 1  # in a PDF's text representation, say: not importable
            return
        self.selection = RefiSelection(
            guid(attrib.get("guid")),
            _attr(attrib, "name"),
            _int(attrib.get("startPosition")),
            _int(attrib.get("endPosition")),
            self.ref(attrib.get("creatingUser")),
            attrib.get("creationDateTime"),
        )
        source.selections.append(self.selection)

    def _note_ref(self, target: str, parent: str) -> None:
        if not target:
            return
        if parent == "Coding" and self.coding is not None:
            self.coding.notes.append(target)
        elif parent == "PlainTextSelection" and self.selection is not None:
            self.selection.notes.append(target)
        elif parent == TEXT_SOURCE and self.source is not None:
            self.source.notes.append(target)
        elif parent == "Code" and self.codes:
            self.codes[-1].notes.append(target)
        elif parent == "Project":
            self.project.notes_on_project.append(target)

    def _code(self, attrib: Any, parent: str) -> None:
        code = RefiCode(
            guid=guid(attrib.get("guid")),
            name=_attr(attrib, "name") or "",
            colour=_attr(attrib, "color") or _attr(attrib, "colour"),
            codable=(attrib.get("isCodable") or "true").strip().lower() not in ("false", "0"),
        )
        if parent == "Code" and self.codes:
            self.codes[-1].children.append(code)
        elif parent == "Codes":
            self.project.codes.append(code)
        self.codes.append(code)  # open until its end, attached or not

    def _source(self, kind: str, attrib: Any) -> None:
        user = attrib.get("creatingUser")
        self.source = RefiSource(
            guid=guid(attrib.get("guid")),
            kind=kind,
            name=_attr(attrib, "name") or "",
            plain_text_path=_attr(attrib, "plainTextPath"),
            user=guid(user) if user else None,
            created=attrib.get("creationDateTime"),
        )
        self.project.sources.append(self.source)

    def _other(self, name: str, attrib: Any, parent: str) -> None:
        project = self.project
        if not parent:
            self.root = name
            project.name = _attr(attrib, "name") or ""
            project.origin = _attr(attrib, "origin")
            project.creating_user = guid(attrib.get("creatingUserGUID")) or None
        elif name == "User" and parent == "Users":
            project.users.append(
                RefiUser(guid(attrib.get("guid")), _attr(attrib, "name") or _attr(attrib, "id") or "")
            )
        elif name == "Variable" and parent == "Variables":
            project.variables.append(
                RefiVariable(
                    guid(attrib.get("guid")),
                    _attr(attrib, "name") or "",
                    _attr(attrib, "typeOfVariable") or "Text",
                )
            )
        elif name == "Case" and parent == "Cases":
            self.case = RefiCase(guid(attrib.get("guid")), _attr(attrib, "name") or None)
            project.cases.append(self.case)
        elif name == "VariableRef" and parent == "VariableValue":
            self.value_ref = guid(attrib.get("targetGUID")) or None
        elif name == "VariableValue" and parent in _SOURCES:
            project.source_values += 1
        elif name == "Note" and parent == "Notes":
            user = attrib.get("creatingUser")
            self.note = RefiNote(
                guid=guid(attrib.get("guid")),
                name=_attr(attrib, "name") or "",
                plain_text_path=_attr(attrib, "plainTextPath"),
                user=guid(user) if user else None,
                created=attrib.get("creationDateTime"),
                modified=attrib.get("modifiedDateTime"),
            )
            project.notes.append(self.note)
        elif name == "Set" and parent == "Sets":
            project.sets += 1
        elif name == "Link" and parent == "Links":
            project.links += 1
        elif name == "Graph" and parent == "Graphs":
            project.graphs += 1

    def _text_end(self, name: str, text: str) -> None:
        parent = self.stack[-1] if self.stack else ""
        if name in _VALUES:
            if parent == "VariableValue":
                self.value = text
        elif name == "PlainTextContent":
            if parent == TEXT_SOURCE and self.source is not None:
                self.source.content = text
            elif parent == "Note" and self.note is not None:
                self.note.text = text
        elif parent == "Code" and self.codes:
            self.codes[-1].description = text
        elif parent == "PlainTextSelection" and self.selection is not None:
            self.selection.description = text
        elif parent == TEXT_SOURCE and self.source is not None:
            self.source.description = text
        elif parent == "Case" and self.case is not None:
            self.case.description = text
        elif parent == "Note" and self.note is not None:
            self.note.description = text
        elif parent == "Project":
            self.project.description = text


def _read(
    data: bytes, where: str, on_source: Callable[[RefiSource], None] | None = None
) -> tuple[RefiProject, str]:
    events = _Events(on_source)
    project = parse_events(data, where, events)
    ns = next((tag[1:].partition("}")[0] for tag in events.names if tag.startswith("{")), "")
    project.namespace = ns
    return project, events.root


def read_project(
    data: bytes, where: str, on_source: Callable[[RefiSource], None] | None = None
) -> RefiProject:
    """A .qde project's content; InputError when the root is not a REFI-QDA Project.

    `on_source` is called with each source as soon as it has been read, while the rest is still parsed.
    """
    project, root = _read(data, where, on_source)
    if root != "Project":
        hint = " (a codebook: import it with `codes import`)" if root == "CodeBook" else ""
        raise InputError(where, f"not a REFI-QDA project: the root element is <{root}>, not <Project>{hint}")
    if not project.namespace.startswith("urn:QDA-XML:project"):
        project.warnings.append(
            f"unexpected namespace {project.namespace or '(none)'!r}; read as REFI-QDA anyway"
        )
    return project


def read_codebook(data: bytes, where: str) -> tuple[list[RefiCode], list[str]]:
    """A .qdc codebook's codes (a Project's codebook is accepted too) and warnings."""
    project, root = _read(data, where)
    if root not in ("CodeBook", "Project"):
        raise InputError(where, f"not a REFI-QDA codebook: the root element is <{root}>, not <CodeBook>")
    warnings = []
    if not project.namespace.startswith("urn:QDA-XML:"):
        warnings.append(
            f"{where}: unexpected namespace {project.namespace or '(none)'!r}; read as REFI-QDA anyway"
        )
    return project.codes, warnings
