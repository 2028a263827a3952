"""Shared by the REFI-QDA tests: a small project with everything a round trip must keep, and its snapshot.

(It holds no tests of its own; the name keeps it with the REFI tests.)
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from ppss_qual.coding.operations import Selector
from ppss_qual.model import ParsedTranscript, RawTurn
from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.project import Project
from tests.conftest import DATA, SHARED

REFI_DATA = DATA / "refi"
SAMPLES = SHARED / "refi" / "samples"
SCHEMAS = Path(__file__).resolve().parents[2] / "ppss_qual" / "refi" / "schema"

INTERVIEW = [
    (None, "[Fiktiv intervju för tester.]"),
    ("Intervjuare", "Hur var det i skolan förra året?"),
    ("Elev 3", "Det var jobbigt 😀 ingen lyssnade på mig.\nBarnen i klassen var okej."),
    ("Intervjuare", "Mm. Och nu? 🙂"),
    ("Elev 3", "Nu känner jag mig lyssnad på. Lena Holmqvist lyssnar. De vuxna bryr sig."),
]
TIMED = [
    ("Intervjuare", "Vad gör teamet?", 3_562, 13_696),
    ("Lena Holmqvist", "Vi träffar eleverna varje vecka 👍 & ringer <ibland> hem.", 16_021, 19_924),
    ("Intervjuare", "Fungerar det?", 20_752, None),
    ("Lena Holmqvist", "Ja, för det mesta. Sekretessen är svår.", None, 47_668),
]

SHEET = (
    "transcript;speaker;participant;role;pseudonym;school;grade\n"
    "intervju1;Elev 3;Elev 3;pupil;;Björkdalsskolan;8\n"
    "samtal2;Lena Holmqvist;Lena Holmqvist;social-services;Socialsekreterare A;Björkdalsskolan;\n"
)


def build_project(path: Path | None, analyser: Analyser, tmp: Path) -> Project:
    """Two transcripts (one with times), a code tree with every field, two coders' codings, memos on
    everything, participants with roles and attributes."""
    project = (
        Project.open(path, coder="anna", analyser=analyser)
        if path
        else Project.memory("anna", analyser=analyser)
    )
    first = ParsedTranscript("intervju1", "intervju1.txt", "txt", [RawTurn(s, t) for s, t in INTERVIEW])
    second = ParsedTranscript("samtal2", "samtal2.vtt", "vtt", [RawTurn(s, t, a, b) for s, t, a, b in TIMED])
    project.add_transcript(analyser.analyse(first, "sv"))
    project.add_transcript(analyser.analyse(second, "sv"))
    sheet = tmp / "deltagare.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    project.import_participants(sheet)

    book = project.codebook
    book.add(
        "Barnets röst",
        name_en="The child's voice",
        definition="Hur eleven kommer till tals.\nFörsta raden och andra.",
        use_when="Eleven beskriver att bli hörd: «lyssnad på».",
        not_when="Föräldrarnas röst; koda då Föräldrar.",
        example='"Nu känner jag mig lyssnad på."',
        colour="#4A90D9",
        keywords=["lyssna", "höra", "röst"],
    )
    book.add("Att bli lyssnad på", parent="Barnets röst", name_en="Being listened to", colour="#E06C75")
    book.add("Inte lyssnad på", parent="Barnets röst/Att bli lyssnad på", keywords=["ignorera"])
    book.add("Samverkan & <team>", name_en="Collaboration")
    book.add("Känslor")

    codings = project.codings
    codings.code("intervju1", "Inte lyssnad på", Selector(match="ingen lyssnade på mig."), coder="anna")
    codings.code("intervju1", "Känslor", Selector(match="ingen lyssnade på mig."), coder="anna")
    codings.code("intervju1", "Inte lyssnad på", Selector(match="ingen lyssnade på mig."), coder="bo")
    codings.code("intervju1", "Att bli lyssnad på", Selector(turn=5), coder="anna")
    codings.code("intervju1", "Känslor", Selector(match="jobbigt 😀 ingen"), coder="bo")
    codings.code(
        "samtal2", "Samverkan & <team>", Selector(match="varje vecka 👍 & ringer <ibland> hem."), coder="bo"
    )
    codings.code("samtal2", "Samverkan & <team>", Selector(turn=4), coder="anna")

    rows = {(c["code"], c["coder"], c["text"]): c["id"] for c in codings.excerpts()}
    codings.add_memo("project", "Projektets memo.\nTvå rader.")
    codings.add_memo("transcript:intervju1", "Om intervjun.")
    codings.add_memo("code:Barnets röst", "Temat behöver en tydligare gräns.")
    codings.add_memo(f"coding:{rows[('Inte lyssnad på', 'anna', 'ingen lyssnade på mig.')]}", "Nyckelcitat.")
    codings.add_memo(f"coding:{rows[('Känslor', 'bo', 'jobbigt 😀 ingen')]}", "Emoji i citatet.")
    codings.add_memo("participant:Elev 3", "Eleven var trött den dagen.", kind="participant")
    return project


def snapshot(project: Project) -> dict[str, Any]:
    """Everything a round trip must keep, named by content rather than by row ids."""
    conn = project.conn
    names = {tid: name for tid, name in conn.execute("SELECT id, name FROM transcripts WHERE deleted = 0")}
    codes = {c.id: c for c in project.codebook.codes().values()}
    out: dict[str, Any] = {}
    out["transcripts"] = sorted(
        conn.execute(
            "SELECT name, text, language, source_format FROM transcripts WHERE deleted = 0"
        ).fetchall()
    )
    out["turns"] = sorted(
        (names[r[0]], *r[1:])
        for r in conn.execute(
            'SELECT transcript_id, number, line, speaker, start, "end", label_start, time_start_ms, time_end_ms '
            "FROM turns"
        )
        if r[0] in names
    )
    out["sentences"] = sorted(
        (names[r[0]], *r[1:])
        for r in conn.execute('SELECT transcript_id, number, turn, line, start, "end", lemmas FROM sentences')
        if r[0] in names
    )
    out["codes"] = sorted(
        (
            c.path,
            c.name_en,
            c.definition,
            c.use_when,
            c.not_when,
            c.example,
            c.colour,
            tuple(c.keywords),
            c.guid,
        )
        for c in codes.values()
    )
    out["codings"] = sorted(
        (names[t], codes[k].path, coder, s, e, text, guid)
        for t, k, coder, s, e, text, guid in conn.execute(
            'SELECT transcript_id, code_id, coder, start, "end", text, guid FROM codings'
        )
        if t in names
    )

    def target(kind: str, tid: int | None) -> Any:
        if kind == "transcript":
            return names.get(tid)  # type: ignore[arg-type]
        if kind == "code":
            return codes[tid].path  # type: ignore[index]
        if kind == "coding":
            t, k, coder, s, e = conn.execute(
                'SELECT transcript_id, code_id, coder, start, "end" FROM codings WHERE id = ?', (tid,)
            ).fetchone()
            return (names[t], codes[k].path, coder, s, e)
        if kind == "participant":
            return conn.execute("SELECT name FROM participants WHERE id = ?", (tid,)).fetchone()[0]
        return tid

    out["memos"] = sorted(
        (kind, repr(target(kind, tid)), text, author, guid)
        for kind, tid, text, author, guid in conn.execute(
            "SELECT target_kind, target_id, text, author, guid FROM memos"
        )
    )
    people = []
    for pid, name, role, pseudonym, attributes, scope, guid in conn.execute(
        "SELECT id, name, role, pseudonym, attributes, scope_transcript, guid FROM participants"
    ):
        turns = sorted(
            (names[t], n)
            for t, n in conn.execute(
                "SELECT u.transcript_id, u.number FROM speakers s JOIN turns u ON u.transcript_id = s.transcript_id "
                "AND u.speaker = s.label WHERE s.participant_id = ?",
                (pid,),
            )
            if t in names
        )
        if turns or scope is None:
            people.append((name, names.get(scope), role, pseudonym, json.loads(attributes), turns, guid))
    out["participants"] = sorted(people, key=repr)
    out["coders"] = sorted(conn.execute("SELECT name, guid FROM coders").fetchall())
    return out


def qde_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")
