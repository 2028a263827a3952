"""Checking REFI-QDA XML before it is called written: the schema, unique GUIDs, and references that resolve.

The schema checks element order and types but not that GUIDs are unique or that a reference (CodeRef,
NoteRef, creatingUser, ...) names an element of the right kind: those checks are ours.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from lxml import etree

from ppss_qual.refi.xmlsafe import local

PROJECT_XSD = "Project.xsd"
CODEBOOK_XSD = "Codebook.xsd"
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

_SOURCES = {"TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource"}
_SELECTIONS = {"PlainTextSelection", "PictureSelection", "PDFSelection", "AudioSelection", "VideoSelection"}
_SELECTIONS |= {"TranscriptSelection"}
# Which kinds of element each reference may name (element name -> kinds; attribute name -> kinds).
_REF_ELEMENTS = {
    "CodeRef": {"Code"},
    "MemberCode": {"Code"},
    "NoteRef": {"Note"},
    "MemberNote": {"Note"},
    "SourceRef": _SOURCES,
    "MemberSource": _SOURCES,
    "SelectionRef": _SELECTIONS,
    "VariableRef": {"Variable"},
}
_USER_ATTRIBUTES = ("creatingUser", "modifyingUser", "creatingUserGUID", "modifyingUserGUID")


@lru_cache(maxsize=2)
def schema(name: str) -> etree.XMLSchema:
    """The packaged schema (parsed once per process)."""
    data = resources.files("ppss_qual.refi").joinpath("schema", name).read_bytes()
    return etree.XMLSchema(etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True)))


def problems(root: Any, schema_name: str, *, limit: int = 20) -> list[str]:
    """What is wrong with a document: schema errors, then duplicate GUIDs and references that do not resolve."""
    checker = schema(schema_name)
    if not checker.validate(root):
        return [f"line {e.line}: {e.message}" for e in list(checker.error_log)[:limit]]
    return guid_problems(root, limit=limit)


_DEFINING = (
    "User",
    "Code",
    "Variable",
    "Case",
    "Note",
    "Set",
    "Graph",
    "Vertex",
    "Edge",
    "Link",
    "SyncPoint",
    "Transcript",
    *sorted(_SOURCES),
    *sorted(_SELECTIONS),
    "Coding",
)


def guid_problems(root: Any, *, limit: int = 20) -> list[str]:
    """Every guid unique; every reference names an element of a kind it may name.

    Each pass visits only the elements it needs (lxml filters tags in C): a large export has hundreds of
    thousands of them.
    """
    ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""

    def q(name: str) -> str:
        return f"{{{ns}}}{name}" if ns else name

    def norm(value: str) -> str:
        return value.strip().strip("{}").lower()

    codebook = local(root.tag) == "CodeBook"
    out: list[str] = []
    kind_of: dict[str, str] = {}
    users: dict[str, str] = {}  # user guid -> the attribute that names it (for a message)
    tags = {q(name): name for name in _DEFINING}
    for el in root.iter(*tags):
        value = el.get("guid")
        if value is not None:
            key = norm(value) if value[:1] == "{" or not value.islower() else value
            if key in kind_of:
                name = tags[el.tag]
                out.append(
                    f"line {el.sourceline}: GUID {value} is used twice (<{kind_of[key]}> and <{name}>)"
                )
                if len(out) >= limit:
                    return out
            else:
                kind_of[key] = tags[el.tag]
        user = el.get("creatingUser")
        if user is not None:
            users.setdefault(user, "creatingUser")
        user = el.get("modifyingUser")
        if user is not None:
            users.setdefault(user, "modifyingUser")
    for attribute in ("creatingUserGUID", "modifyingUserGUID"):
        if root.get(attribute) is not None:
            users.setdefault(root.get(attribute), attribute)
    refs = {q(name): name for name in _REF_ELEMENTS}
    for el in root.iter(*refs):
        name = refs[el.tag]
        target = el.get("guid") if codebook and name == "MemberCode" else el.get("targetGUID")
        if target is None:
            continue
        kind = kind_of.get(norm(target))
        if kind not in _REF_ELEMENTS[name]:
            out.append(_bad_ref(el.sourceline, name, target, kind, _REF_ELEMENTS[name]))
            if len(out) >= limit:
                return out
    for value, attribute in users.items():
        kind = kind_of.get(norm(value))
        if kind != "User":
            line = next((el.sourceline for el in root.iter() if el.get(attribute) == value), None)
            out.append(_bad_ref(line, f"@{attribute}", value, kind, {"User"}))
            if len(out) >= limit:
                break
    return out


def _bad_ref(line: int | None, what: str, target: str, kind: str | None, allowed: set[str]) -> str:
    if kind is None:
        return f"line {line}: <{what}> names {target}, which is not in the file"
    return f"line {line}: <{what}> names a <{kind}>, not a {' or '.join(sorted(allowed))}"
