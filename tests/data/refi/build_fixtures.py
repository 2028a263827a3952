"""Build the REFI-QDA test fixtures in this folder (run again after changing it; the files are committed).

Each file imitates one thing real programs do (see ../../../../shared/refi/README.md) or one attack; all
texts are fictional.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

ALICE = "7d3f1b2a-1111-4c1e-9a1b-0123456789ab"
BERTIL = "7d3f1b2a-2222-4c1e-9a1b-0123456789ab"


def _zip(path: Path, members: list[tuple[str, bytes]], *, symlinks: tuple[str, ...] = ()) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, data)
    path.write_bytes(buf.getvalue())


def u16(text: str, cp: int) -> int:
    """A code-point offset in UTF-16 code units."""
    return len(text[:cp].encode("utf-16-le")) // 2


# ------------------------------------------------------------------------------- NVivo: BOM, CRLF, UTF-16

NVIVO_TEXT = (
    "Intervjuare: Hur var det i skolan förra året?\r\n"
    "\r\n"
    "Elev 3: Det var jobbigt 😀 ingen lyssnade på mig.\r\n"
    "\r\n"
    "Intervjuare: Och nu? 🙂\r\n"
    "\r\n"
    "Elev 3: Nu känner jag mig lyssnad på."
)


def nvivo() -> None:
    t = NVIVO_TEXT
    a = t.index("ingen lyssnade på mig.")
    b = a + len("ingen lyssnade på mig.")
    c = t.index("Nu känner jag mig lyssnad på.")
    d = len(t)  # the last selection ends at the end: beyond the text in code points, inside it in UTF-16
    source = "0a1b2c3d-0000-4000-8000-00000000a001"

    def sel(guid: str, s: int, e: int, code: str) -> str:
        return (
            f'<PlainTextSelection guid="{guid}" name="" startPosition="{u16(t, s)}" endPosition="{u16(t, e)}" '
            f'creatingUser="{ALICE}"><Description />'
            f'<Coding guid="{guid[:-4]}c0de" creatingUser="{ALICE}"><CodeRef targetGUID="{code}" /></Coding>'
            "</PlainTextSelection>"
        )

    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" name="Untitled" origin="NVivo for Windows 12.6" creatingUserGUID="{ALICE}" basePath="" xmlns="urn:QDA-XML:project:1.0">
  <Users><User guid="{ALICE}" name="Alice" /><User guid="{BERTIL}" name="Bertil" /></Users>
  <CodeBook><Codes>
    <Code guid="c0000000-0000-4000-8000-000000000001" name="Att bli lyssnad på" isCodable="true"><Description />
      <Code guid="c0000000-0000-4000-8000-000000000002" name="Inte lyssnad på" isCodable="true" />
    </Code>
    <Code guid="c0000000-0000-4000-8000-000000000003" name="Känslor" isCodable="true" />
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{source}" name="intervju_nvivo" richTextPath="internal://{source}.docx" plainTextPath="internal://{source}.txt" creatingUser="{ALICE}">
      {sel("5e100000-0000-4000-8000-00000000a001", a, b, "c0000000-0000-4000-8000-000000000002")}
      {sel("5e100000-0000-4000-8000-00000000a002", a, b, "c0000000-0000-4000-8000-000000000003")}
      {sel("5e100000-0000-4000-8000-00000000a003", c, d, "c0000000-0000-4000-8000-000000000001")}
    </TextSource>
  </Sources>
</Project>
"""
    _zip(
        HERE / "nvivo-bom-crlf.qdpx",
        [
            ("project.qde", qde.encode("utf-8")),
            (f"Sources/{source}.txt", b"\xef\xbb\xbf" + t.encode("utf-8")),
            (f"Sources/{source}.docx", b"PK not really a docx"),
        ],
    )


# ------------------------------------------------------------------------------- ATLAS.ti: several codings

ATLAS_TEXT = (
    "I: Vad hände när du kom tillbaka?\n"
    "Elev 5: Alla frågade 🙈 var jag varit. Jag ville bara sätta mig.\n"
    "I: Hur kändes det?\n"
    "Elev 5: Jobbigt. Men mentorn hjälpte mig."
)


def atlas() -> None:
    t = ATLAS_TEXT
    src = "a7000000-0000-4000-8000-000000000001"
    q1 = "Alla frågade 🙈 var jag varit."
    q2 = "Men mentorn hjälpte mig."
    s1 = t.index(q1)
    s2 = t.index(q2)
    qde = f"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Min studie" origin="ATLAS.ti Windows 26.0.0" creatingUserGUID="{BERTIL}">
  <Users><User guid="{{{BERTIL.upper()}}}" name="Bertil" /></Users>
  <CodeBook><Codes>
    <Code guid="{{A7C00000-0000-4000-8000-000000000001}}" name="Återkomst" isCodable="true" color="#4A90D9FF">
      <Description>Att komma tillbaka till skolan.</Description>
      <NoteRef targetGUID="a7e00000-0000-4000-8000-000000000002" />
      <Code guid="a7c00000-0000-4000-8000-000000000002" name="Frågor/blickar" isCodable="true" color="#E06C75">
        <Code guid="a7c00000-0000-4000-8000-000000000003" name="Skam" isCodable="true" />
      </Code>
    </Code>
    <Code guid="a7c00000-0000-4000-8000-000000000004" name="Stöd" isCodable="true" color="#61AFEF" />
    <Code guid="a7c00000-0000-4000-8000-000000000005" name="skam" isCodable="true" />
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{src.upper()}" name="Intervju Elev 5" plainTextPath="internal://{src.upper()}.txt" creatingUser="{BERTIL}">
      <PlainTextSelection guid="a7500000-0000-4000-8000-000000000001" name="{q1}" startPosition="{s1}" endPosition="{s1 + len(q1)}" creatingUser="{BERTIL}">
        <Coding guid="a7d00000-0000-4000-8000-000000000001" creatingUser="{BERTIL}"><CodeRef targetGUID="a7c00000-0000-4000-8000-000000000002" /></Coding>
        <Coding guid="a7d00000-0000-4000-8000-000000000002" creatingUser="{BERTIL}"><CodeRef targetGUID="a7c00000-0000-4000-8000-000000000003" /></Coding>
        <Coding guid="a7d00000-0000-4000-8000-000000000003" creatingUser="{BERTIL}"><CodeRef targetGUID="A7C00000-0000-4000-8000-000000000001" /></Coding>
        <NoteRef targetGUID="a7e00000-0000-4000-8000-000000000001" />
      </PlainTextSelection>
      <PlainTextSelection guid="a7500000-0000-4000-8000-000000000002" name="{q2}" startPosition="{s2}" endPosition="{s2 + len(q2)}" creatingUser="{BERTIL}">
        <Coding guid="a7d00000-0000-4000-8000-000000000004" creatingUser="{BERTIL}"><CodeRef targetGUID="a7c00000-0000-4000-8000-000000000004" /></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="a7e00000-0000-4000-8000-000000000001" name="Om frågorna" creatingUser="{BERTIL}"><PlainTextContent>Frågorna gör återkomsten svår.</PlainTextContent></Note>
    <Note guid="a7e00000-0000-4000-8000-000000000002" name="Om koden" creatingUser="{BERTIL}"><PlainTextContent>Temat för återkomsten.</PlainTextContent></Note>
    <Note guid="a7e00000-0000-4000-8000-000000000003" name="Fri anteckning"><PlainTextContent>Projektets anteckning.</PlainTextContent></Note>
  </Notes>
  <Sets/>
</Project>
"""
    _zip(
        HERE / "atlas-several-codings.qdpx",
        [("Min studie.qde", qde.encode("utf-8")), (f"sources/{src.upper()}.txt", t.encode("utf-8"))],
    )


# ------------------------------------------------------------------------- MAXQDA-like: what cannot come in

MAXQDA_TEXT = "IP: Jag gick till fritidsgården varje dag.\nI: Varför då?\nIP: Där fanns vuxna som lyssnade."


def maxqda() -> None:
    t = MAXQDA_TEXT
    src = "3a000000-0000-4000-8000-000000000001"
    good = "Där fanns vuxna som lyssnade."
    g = t.index(good)
    first = "Jag gick till fritidsgården"
    f = t.index(first)
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:0:10" name="maxqda" origin="MAXQDA 2022">
  <Users><User guid="{ALICE}" name="Alice"/></Users>
  <CodeBook><Codes>
    <Code guid="3ac00000-0000-4000-8000-000000000001" name="Fritid" isCodable="true" color="#00FF00"/>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="3a700000-0000-4000-8000-000000000001" name="skola" typeOfVariable="Text"/>
    <Variable guid="3a700000-0000-4000-8000-000000000002" name="årskurs" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="3aca0000-0000-4000-8000-000000000001">
      <VariableValue><VariableRef targetGUID="3a700000-0000-4000-8000-000000000001"/><TextValue>Björkdalsskolan</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="3a700000-0000-4000-8000-000000000002"/><IntegerValue>8</IntegerValue></VariableValue>
      <SourceRef targetGUID="{src}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{src}" name="Fritid" creatingUser="{ALICE}">
      <PlainTextContent>{t}</PlainTextContent>
      <PlainTextSelection guid="3a500000-0000-4000-8000-000000000001" name="{good}" startPosition="{g}" endPosition="{g + len(good)}" creatingUser="{ALICE}">
        <Coding guid="3ad00000-0000-4000-8000-000000000001" creatingUser="{ALICE}"><CodeRef targetGUID="3ac00000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="3a500000-0000-4000-8000-000000000002" name="{first}" startPosition="{f}" endPosition="{f + len(first)}" creatingUser="{ALICE}">
        <Coding guid="3ad00000-0000-4000-8000-000000000002" creatingUser="{ALICE}"><CodeRef targetGUID="3ac00000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="3a500000-0000-4000-8000-000000000003" name="utanför" startPosition="500" endPosition="520">
        <Coding guid="3ad00000-0000-4000-8000-000000000003"><CodeRef targetGUID="3ac00000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="3a500000-0000-4000-8000-000000000004" name="Varför då?" startPosition="0" endPosition="10">
        <Coding guid="3ad00000-0000-4000-8000-000000000004"><CodeRef targetGUID="3ac00000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="3a500000-0000-4000-8000-000000000005" name="{good}" startPosition="{g}" endPosition="{g + len(good)}">
        <Coding guid="3ad00000-0000-4000-8000-000000000005"><CodeRef targetGUID="3ac00000-0000-4000-8000-00000000dead"/></Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="3a700000-0000-4000-8000-000000000001"/><TextValue>Källskolan</TextValue></VariableValue>
    </TextSource>
    <PDFSource guid="3a000000-0000-4000-8000-000000000002" name="Rapport.pdf" path="internal://3a000000-0000-4000-8000-000000000002.pdf">
      <PDFSelection guid="3a500000-0000-4000-8000-000000000009" page="1" firstX="0" firstY="0" secondX="10" secondY="10"/>
    </PDFSource>
    <PictureSource guid="3a000000-0000-4000-8000-000000000003" name="Teckning.png" path="internal://3a000000-0000-4000-8000-000000000003.png"/>
    <TextSource guid="3a000000-0000-4000-8000-000000000004" name="Extern" plainTextPath="absolute:///C:/Data/extern.txt"/>
  </Sources>
  <Sets><Set guid="3a5e0000-0000-4000-8000-000000000001" name="Viktiga"><MemberSource targetGUID="{src}"/></Set></Sets>
</Project>
"""
    _zip(
        HERE / "maxqda-cases.qdpx",
        [
            ("project.qde", qde.encode("utf-8")),
            ("sources/3a000000-0000-4000-8000-000000000002.pdf", b"%PDF-1.4 not really"),
            ("sources/3a000000-0000-4000-8000-000000000003.png", b"\x89PNG not really"),
        ],
    )


# ------------------------------------------------------------------------------------------- codebooks

NESTED_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="Hand made">
  <Codes>
    <Code guid="9b000000-0000-4000-8000-000000000001" name="Barnets röst" isCodable="false" color="#4A90D9">
      <Description>Hur eleven kommer till tals.\r
\r
[ppss_qual]\r
English name: The child's voice\r
Use when: Eleven beskriver att bli hörd.\r
Keywords: lyssna, röst</Description>
      <Code guid="9b000000-0000-4000-8000-000000000002" name="Att bli lyssnad på" isCodable="true">
        <Code guid="9b000000-0000-4000-8000-000000000003" name="Inte lyssnad på" isCodable="true" color="#ABC"/>
      </Code>
    </Code>
    <Code guid="9b000000-0000-4000-8000-000000000004" name="Skolan" isCodable="true"/>
  </Codes>
  <Sets/>
</CodeBook>
"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<{root} xmlns="urn:QDA-XML:{kind}:1.0" name="&lol9;" origin="&lol9;"><Codes><Code guid="9b000000-0000-4000-8000-000000000001" name="&lol9;" isCodable="true"/></Codes></{root}>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<{root} xmlns="urn:QDA-XML:{kind}:1.0" name="x"><Codes><Code guid="9b000000-0000-4000-8000-000000000001" name="&xxe;" isCodable="true"/></Codes></{root}>
"""


def codebooks() -> None:
    (HERE / "nested-bom-crlf.qdc").write_bytes(
        b"\xef\xbb\xbf" + NESTED_QDC.replace("\n", "\r\n").encode("utf-8")
    )
    (HERE / "xml-bomb.qdc").write_text(BOMB.format(root="CodeBook", kind="codebook"), encoding="utf-8")
    (HERE / "xxe.qdc").write_text(XXE.format(root="CodeBook", kind="codebook"), encoding="utf-8")
    whole = NESTED_QDC.encode("utf-8")
    (HERE / "truncated.qdc").write_bytes(whole[: len(whole) // 2])


# ------------------------------------------------------------------------------------------- hostile zips

SMALL_QDE = b'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'


def hostile() -> None:
    _zip(HERE / "climb.qdpx", [("project.qde", SMALL_QDE), ("Sources/../../evil.txt", b"owned")])
    _zip(HERE / "absolute.qdpx", [("project.qde", SMALL_QDE), ("/tmp/evil.txt", b"owned")])
    _zip(
        HERE / "symlink.qdpx",
        [("project.qde", SMALL_QDE), ("Sources/link.txt", b"/etc/passwd")],
        symlinks=("Sources/link.txt",),
    )
    _zip(HERE / "xml-bomb.qdpx", [("project.qde", BOMB.format(root="Project", kind="project").encode())])
    _zip(HERE / "xxe.qdpx", [("project.qde", XXE.format(root="Project", kind="project").encode())])
    _zip(HERE / "no-project.qdpx", [("Sources/a.txt", b"text")])
    _zip(HERE / "truncated-qde.qdpx", [("project.qde", SMALL_QDE[:-10])])
    (HERE / "not-a-zip.qdpx").write_bytes(b"This is a text file, not a zip archive.\n")
    # A zip bomb by its headers: 1 KB of zeros that claims to be 3 GB (the local and central headers say so).
    _zip(HERE / "zip-bomb.qdpx", [("project.qde", SMALL_QDE), ("Sources/zeros.txt", bytes(1024))])
    data = bytearray((HERE / "zip-bomb.qdpx").read_bytes())
    huge = struct.pack("<I", 3 * 1024**3)
    central = data.rfind(b"PK\x01\x02")
    assert data[central + 46 : central + 46 + 17] == b"Sources/zeros.txt"
    data[central + 24 : central + 28] = huge
    local = next(
        at
        for at in range(len(data))
        if data[at : at + 4] == b"PK\x03\x04" and data[at + 30 : at + 47] == b"Sources/zeros.txt"
    )
    data[local + 22 : local + 26] = huge
    (HERE / "zip-bomb.qdpx").write_bytes(bytes(data))


if __name__ == "__main__":
    nvivo()
    atlas()
    maxqda()
    codebooks()
    hostile()
    print("fixtures written to", HERE)
