"""REFI-QDA codes: a code's fields to and from a Code element, and .qdc codebook files (pure, no project).

A code's definition is its Description; the English name, when to use it and when not, the example and
the keywords follow in our block (see blocks.py), which other programs show as part of the description.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from ppss_qual.codebook.format import parse_colour
from ppss_qual.errors import InputError, InvalidOperation
from ppss_qual.model import Code
from ppss_qual.refi import blocks
from ppss_qual.refi.blocks import ENGLISH, EXAMPLE, KEYWORDS, NOT_WHEN, USE_WHEN
from ppss_qual.refi.model import RefiCode
from ppss_qual.refi.reader import guid as norm_guid
from ppss_qual.refi.reader import read_codebook
from ppss_qual.refi.xmlsafe import parse_xml
from ppss_qual.refi.xmlwrite import attr, attrs, text

_HEX8 = re.compile(r"#([0-9A-Fa-f]{6})[0-9A-Fa-f]{2}")


def code_description(
    definition: str, name_en: str | None, use_when: str, not_when: str, example: str, keywords: list[str]
) -> str:
    return blocks.compose(
        definition,
        [
            (ENGLISH, name_en),
            (USE_WHEN, use_when),
            (NOT_WHEN, not_when),
            (EXAMPLE, example),
            (KEYWORDS, ", ".join(keywords)),
        ],
    )


@dataclass(slots=True)
class CodeFields:
    """A REFI code's fields in our terms, with the warnings met reading them."""

    name: str
    name_en: str | None = None
    definition: str = ""
    use_when: str = ""
    not_when: str = ""
    example: str = ""
    colour: str | None = None
    keywords: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def values(self) -> dict[str, Any]:
        """As keyword values for store.codes.insert_code (without name)."""
        return {
            "name_en": self.name_en,
            "definition": self.definition,
            "use_when": self.use_when,
            "not_when": self.not_when,
            "example": self.example,
            "colour": self.colour,
            "keywords": self.keywords,
        }


def code_fields(code: RefiCode) -> CodeFields:
    """Our fields of a REFI code: the name made usable as ours, the description and our block read back."""
    free, found = blocks.split(code.description)
    out = CodeFields(name=clean_name(code.name, code.guid))
    if out.name != code.name:
        out.warnings.append(f"code {code.name!r} is named {out.name!r} ('/' separates the names in a path)")
    out.definition = free.strip()
    out.name_en = " ".join(found.get(ENGLISH, "").split()) or None
    out.use_when = found.get(USE_WHEN, "").strip()
    out.not_when = found.get(NOT_WHEN, "").strip()
    out.example = found.get(EXAMPLE, "").strip()
    out.keywords = [w.strip() for w in found.get(KEYWORDS, "").split(",") if w.strip()]
    out.colour = colour(code.colour, out.warnings, out.name)
    return out


def clean_name(name: str, code_guid: str = "") -> str:
    cleaned = " ".join(name.replace("/", "-").split())
    return cleaned or f"(unnamed code {code_guid[:8]})".replace(" )", ")")


def colour(value: str | None, warnings: list[str], name: str) -> str | None:
    """`#RRGGBB` from what a file gives: #RGB, #RRGGBB, #RRGGBBAA (alpha dropped) or a colour name."""
    if not value or not value.strip():
        return None
    match = _HEX8.fullmatch(value.strip())
    if match:
        return "#" + match.group(1).upper()
    try:
        return parse_colour(value)
    except ValueError:
        warnings.append(f"code {name!r}: colour {value!r} is not a colour; left out")
        return None


# ------------------------------------------------------------------------------------------- .qdc, read


def read_qdc(data: bytes, path: str) -> tuple[list[Code], list[str]]:
    """The code tree of a .qdc codebook (any namespace version) and warnings; InputError when unreadable."""
    refi_codes, warnings = read_codebook(data, path)
    if not refi_codes:
        raise InputError(path, "the codebook holds no codes")
    seen: set[str] = set()
    return [_model(c, seen, warnings, path) for c in refi_codes], warnings


def parse_qdc_codebook(text_: str, path: str) -> tuple[list[Code], list[str]]:
    """For codebook.format's dispatch by suffix, which hands over decoded text: the same as read_qdc."""
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text_.lstrip("\ufeff"), count=1)
    return read_qdc(body.encode("utf-8"), path)


def _model(code: RefiCode, seen: set[str], warnings: list[str], path: str) -> Code:
    fields = code_fields(code)
    warnings.extend(f"{path}: {w}" for w in fields.warnings)
    name = unique_name(fields.name, seen)
    if name != fields.name:
        warnings.append(f"{path}: a second code named {fields.name!r} is called {name!r} (names are unique)")
    return Code(
        name=name,
        name_en=fields.name_en,
        definition=fields.definition,
        inclusion=fields.use_when,
        exclusion=fields.not_when,
        example=fields.example,
        colour=fields.colour,
        keywords=fields.keywords,
        children=[_model(c, seen, warnings, path) for c in code.children],
        guid=code.guid or None,
    )


def unique_name(name: str, seen: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)` ... when taken (ignoring case); the result is marked as taken."""
    candidate, n = name, 1
    while candidate.casefold() in seen:
        n += 1
        candidate = f"{name} ({n})"
    seen.add(candidate.casefold())
    return candidate


# ------------------------------------------------------------------------------------------ .qdc, write


def code_elements(
    codes: list[Code], out: list[str], depth: int, notes: dict[str, list[str]] | None = None
) -> None:
    """<Code> elements for a tree (with NoteRefs for a project's code memos, keyed by code guid)."""
    pad = "  " * depth
    for code in codes:
        # A code made in memory and never stored has no GUID yet: it gets a fresh one.
        code_guid = norm_guid(code.guid) if code.guid else str(uuid.uuid4())
        head = f'{pad}<Code guid="{code_guid}" name="{attr(code.name)}" isCodable="true"'
        head += attrs([("color", code.colour)])
        description = code_description(
            code.definition, code.name_en, code.inclusion, code.exclusion, code.example, code.keywords
        )
        refs = (notes or {}).get(code_guid, [])
        if not description and not refs and not code.children:
            out.append(head + "/>\n")
            continue
        out.append(head + ">\n")
        if description:
            out.append(f"{pad}  <Description>{text(description)}</Description>\n")
        for note in refs:
            out.append(f'{pad}  <NoteRef targetGUID="{note}"/>\n')
        code_elements(code.children, out, depth + 1, notes)
        out.append(f"{pad}</Code>\n")


def qdc_bytes(codes: list[Code], title: str = "Codebook", *, origin: str = "ppss_qual") -> bytes:
    """A .qdc codebook, checked against Codebook.xsd and for unique GUIDs before it is returned."""
    from ppss_qual.refi.validate import CODEBOOK_NS, CODEBOOK_XSD, problems

    if not codes:
        raise InvalidOperation("the codebook is empty: a .qdc file needs at least one code")
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<CodeBook xmlns="{CODEBOOK_NS}" origin="{attr(origin)}">\n',
    ]
    out.append("  <Codes>\n")
    code_elements(codes, out, 2)
    out.append("  </Codes>\n</CodeBook>\n")
    data = "".join(out).encode("utf-8")
    found = problems(parse_xml(data, title), CODEBOOK_XSD)
    if found:
        raise InvalidOperation("the codebook would not be valid REFI-QDA: " + "; ".join(found))
    return data
