"""Parsing REFI-QDA XML safely: no entity expansion, no external entities or DTDs, no network."""

from __future__ import annotations

import codecs
import re
from typing import Any

from lxml import etree

from ppss_qual.errors import InputError


def _parser(target: Any = None) -> etree.XMLParser:
    return etree.XMLParser(
        target=target,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(data: bytes, where: str) -> Any:
    """The root element of an XML document; an InputError naming `where` when it is malformed or hostile.

    A document that declares entities is refused: entities are how XML bombs (billions of laughs) and
    external-entity attacks (reading local files, reaching the network) work, and no REFI-QDA file needs them.
    """
    root = _parse(data, where, None)
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None:
        entities = [e.name for e in dtd.iterentities()]
        if entities:
            raise InputError(
                where,
                f"refused: the XML declares entities ({', '.join(entities[:5])}); entity declarations are how "
                "XML bombs and external-entity (XXE) attacks work, and REFI-QDA files need none; nothing was imported",
            )
    if docinfo.system_url or docinfo.public_id:
        raise InputError(
            where,
            "refused: the XML refers to an external DTD; REFI-QDA files need none; nothing was imported",
        )
    return root


def parse_events(data: bytes, where: str, target: Any) -> Any:
    """Feed a document's events to a parser target (start, end, data, close) without building a tree;
    checked as parse_xml checks: a DOCTYPE with entities or an external DTD is refused before parsing."""
    return _parse(data, where, target)


def _parse(data: bytes, where: str, target: Any) -> Any:
    if not data.strip():
        raise InputError(where, "empty file, not XML")
    _check_prolog(data, where)
    try:
        return etree.fromstring(data, _parser(target))
    except etree.XMLSyntaxError as exc:
        detail = str(exc.msg or exc)
        hint = ""
        if any(
            w in detail.lower() for w in ("premature end", "end of data", "not closed", "couldn't find end")
        ):
            hint = " (the file seems cut off: is it complete?)"
        raise InputError(where, f"not well-formed XML: {detail}{hint}", line=exc.lineno or None) from None
    except ValueError as exc:
        raise InputError(where, f"not readable as XML: {exc}") from None


def local(tag: Any) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


_ROOT_START = re.compile(r"<[^?!\s]")
_SCAN_BYTES = 1 << 20


def _check_prolog(data: bytes, where: str) -> None:
    """Refuse a DOCTYPE that declares entities or names an external DTD, before the parser sees it."""
    head = data[:_SCAN_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("latin-1")  # enough to find ASCII markup in UTF-8 and its relatives
    root = _ROOT_START.search(text)
    if root is None and len(data) > _SCAN_BYTES:
        raise InputError(where, "refused: more than 1 MB before the first element; nothing was imported")
    prolog = text[: root.start()] if root else text
    at = prolog.find("<!DOCTYPE")
    if at < 0:
        return
    doctype = prolog[at:]
    if "<!ENTITY" in doctype:
        raise InputError(
            where,
            "refused: the XML declares entities in a DOCTYPE; entity declarations are how XML bombs "
            "(billions of laughs) and external-entity (XXE) attacks work, and REFI-QDA files need none; "
            "nothing was imported",
        )
    if re.match(r"<!DOCTYPE\s+[^\s\[>]+\s+(SYSTEM|PUBLIC)\b", doctype):
        raise InputError(
            where, "refused: the XML names an external DTD; REFI-QDA files need none; nothing was imported"
        )
