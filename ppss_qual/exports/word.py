"""Word helpers every .docx exporter shares: built-in styles, header rows, page numbers, fast paragraphs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ppss_qual.files import replacing

TABLE_STYLES = ("Light Grid Accent 1", "Table Grid")


def new_document() -> Any:
    from docx import Document  # python-docx loads only when a Word file is written

    return Document()


def table_style(document: Any) -> Any:
    """The first of our table styles the template has (a university template may restyle it)."""
    for name in TABLE_STYLES:
        try:
            return document.styles[name]
        except KeyError:
            continue
    return None


def repeat_header_row(row: Any) -> None:
    """Mark a table row as a header that Word repeats at the top of every page the table spans."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def add_page_number_footer(document: Any, prefix: str = "") -> None:
    """A centred PAGE field in every section's footer, which Word fills in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if prefix:
            paragraph.add_run(prefix)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)


def add_table(
    document: Any, header: list[str], rows: list[list[str]], widths_cm: list[float] | None = None
) -> Any:
    """A table in the shared style with a repeated bold header row."""
    from docx.shared import Cm

    table = document.add_table(rows=1 + len(rows), cols=len(header))
    style = table_style(document)
    if style is not None:
        table.style = style
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    repeat_header_row(table.rows[0])
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    if widths_cm:
        table.autofit = False
        for column, width in zip(table.columns, widths_cm, strict=False):
            column.width = Cm(width)  # the grid, which LibreOffice reads
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(width)  # the cells, which Word reads
    return table


def save_atomically(document: Any, path: Path) -> None:
    """Write next to the target and move into place, so a failed export leaves no half file."""
    with replacing(path) as temporary:
        document.save(str(temporary))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def append_paragraph(document: Any, style_id: str, runs: list[tuple[str, str | None]]) -> Any:
    """A paragraph of (text, colour "RRGGBB" or None) runs built at the XML level, before the section end.

    python-docx looks the default style up again for every `paragraph.style = …` (about 1 ms each); for
    thousands of quotes that dominates, so the element is made directly. Returns a python-docx Paragraph.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    pstyle = OxmlElement("w:pStyle")
    pstyle.set(qn("w:val"), style_id)
    ppr.append(pstyle)
    p.append(ppr)
    for text, colour in runs:
        r = OxmlElement("w:r")
        if colour:
            rpr = OxmlElement("w:rPr")
            c = OxmlElement("w:color")
            c.set(qn("w:val"), colour)
            rpr.append(c)
            r.append(rpr)
        for i, piece in enumerate(_NOT_XML.sub("", text).split("\n")):
            if i:
                r.append(OxmlElement("w:br"))
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = piece
            r.append(t)
        p.append(r)
    body = document.element.body
    end = body.sectPr
    if end is not None:
        end.addprevious(p)
    else:
        body.append(p)
    return Paragraph(p, document)
