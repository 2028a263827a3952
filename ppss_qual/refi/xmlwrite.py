"""Building REFI-QDA XML as text, fast: escaping for attributes and element content, and GUIDs we derive."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from functools import lru_cache

# Characters XML 1.0 cannot hold at all (and lone surrogates): written as U+FFFD.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DATETIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")

# Namespace for the GUIDs of things that have no guid column (selections, variables, derived users).
GUID_NAMESPACE = uuid.UUID("5b7c2f60-4f1e-4c55-9d5e-0b9a3c1e7a21")
_NAMESPACE_BYTES = GUID_NAMESPACE.bytes


def derived_guid(*parts: object) -> str:
    """A stable GUID for a thing named by its parts (the same parts give the same GUID in every export).

    It is uuid.uuid5(GUID_NAMESPACE, "part:part:..."), computed without UUID objects: an export derives
    one per selection, and the objects cost most of the time.
    """
    digest = bytearray(
        hashlib.sha1(_NAMESPACE_BYTES + ":".join(map(str, parts)).encode("utf-8")).digest()[:16]
    )
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def legal(text: str) -> str:
    """The text without characters XML cannot hold."""
    return _ILLEGAL.sub("\ufffd", text) if _ILLEGAL.search(text) else text


def attr(value: str) -> str:
    """An attribute value, escaped so that a parser gives back exactly this text (line breaks and tabs too)."""
    if not _ATTR_SPECIAL.search(value):
        return value
    value = legal(value)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def text(value: str) -> str:
    """Element content, escaped so that a parser gives back exactly this text (a carriage return too)."""
    if not _TEXT_SPECIAL.search(value):
        return value
    value = legal(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


_SPAN_LIMIT = 1 << 24


def span_guids(*parts: object) -> Callable[[int, int], str]:
    """Stable GUIDs for the spans of one text: 74 bits of a hash of the text's parts, then start and end
    (24 bits each) in the last group, in the shape of a version-5 UUID. Formatting them costs next to
    nothing, and an export makes one per selection; a span past 16 million characters falls back to
    derived_guid."""
    h = hashlib.sha1(_NAMESPACE_BYTES + ":".join(map(str, parts)).encode("utf-8")).hexdigest()
    prefix = f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-"

    def guid(start: int, end: int) -> str:
        if 0 <= start < _SPAN_LIMIT and 0 <= end < _SPAN_LIMIT:
            return f"{prefix}{start:06x}{end:06x}"
        return derived_guid(*parts, start, end)

    return guid


@lru_cache(maxsize=4096)
def datetime_or_none(value: str | None) -> str | None:
    """The value when it is an xsd:dateTime, else None (left out rather than made invalid)."""
    return value if value and _DATETIME.fullmatch(value) else None


def attrs(pairs: list[tuple[str, str | None]]) -> str:
    """` name="value"` for each pair with a value."""
    return "".join(f' {k}="{attr(v)}"' for k, v in pairs if v is not None)
