"""The pseudonymisation review in the workbench (detection with progress, accept, every occurrence of a
string, reject, rename, the rest of a kind, undo) and the transcript shown as exports print it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from ppss_qual.exports.names import KeyEntry, NameStep
from ppss_qual.nlp.pipeline import Analyser
from ppss_qual.project import Project
from ppss_qual.tui.app import PpssApp, create_app
from ppss_qual.tui.data.pseudonymised import unmap
from ppss_qual.tui.screens.dialogs import ChooseScreen, PromptScreen
from ppss_qual.tui.screens.pseudonymise import ConfirmScreen, ReviewScreen
from ppss_qual.tui.screens.transcript import TranscriptScreen
from tests.tui.conftest import SIZE, reopen, run, settle

# Fictional: a pupil who names herself and her school.
NAMES = "intervju_elev5"
TEXT = """Intervjuare: Hur har det gått i skolan i år?

Elev 5: Jag heter Amira och går på Ekbackeskolan. Det var svårt i början, men nu är det bättre.

Intervjuare: Vem hjälper dig?

Elev 5: Mentorn på Ekbackeskolan, och Jonas i klassen. Amira brukar säga att hon klarar sig själv.
"""


@pytest.fixture(scope="module")
def names_template(template: Path, tmp_path_factory: pytest.TempPathFactory, analyser: Analyser) -> Path:
    """The TUI template with a second transcript full of names; detection has not run."""
    folder = tmp_path_factory.mktemp("names-template")
    source = folder / f"{NAMES}.txt"
    source.write_text(TEXT, encoding="utf-8")
    path = folder / "names.db"
    shutil.copy(template, path)
    with Project.open(path, create=False, coder="anna", analyser=analyser) as project:
        assert not project.import_paths([source], workers=1).failed
    return path


@pytest.fixture(scope="module")
def detected_template(names_template: Path, analyser: Analyser) -> Path:
    """The same, detection run: the review opens straight on its list."""
    path = names_template.with_name("detected.db")
    shutil.copy(names_template, path)
    with Project.open(path, create=False, coder="anna", analyser=analyser) as project:
        project.pseudonymise.detect()
    return path


@pytest.fixture
def names_file(names_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(names_template, tmp_path / "names.db"))


@pytest.fixture
def detected_file(detected_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(detected_template, tmp_path / "detected.db"))


def entities(path: Path, text: str | None = None) -> list[dict[str, Any]]:
    with reopen(path) as project:
        rows = project.pseudonymise.entities()
    return [r for r in rows if text is None or r["text"] == text]


def statuses(path: Path, text: str) -> list[str]:
    return [r["status"] for r in entities(path, text)]


async def open_review(pilot: Pilot, *keys: str) -> ReviewScreen:
    await settle(pilot)
    await pilot.press(*(keys or ("P",)))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def highlight(screen: ReviewScreen, text: str) -> None:
    table = screen.query_one("#review-list", DataTable)
    table.move_cursor(row=[str(k.value) for k in table.rows].index(text))


def test_offsets_map_to_the_pseudonymised_text_and_back() -> None:
    text = "Amira och Jo gick till Ekbackeskolan."
    mapped = NameStep(
        [KeyEntry("Amira", "[namn 1]", "person"), KeyEntry("Jo", "[namn 22]", "person")]
    ).source(text)
    assert mapped.text == "[namn 1] och [namn 22] gick till Ekbackeskolan."
    for word in ("och", "gick", "Ekbackeskolan"):
        old, new = text.index(word), mapped.text.index(word)
        assert mapped.map(old) == new and unmap(mapped, new) == old
    assert unmap(mapped, mapped.text.index("namn 1")) == 0  # inside a pseudonym: its name's start
    assert unmap(mapped, mapped.map(5)) == 5  # the end of a name


async def test_the_review_detects_first_then_lists_the_suggestions_by_string(names_file: Path) -> None:
    app = create_app(names_file, "anna")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, "ctrl+p", *"pseudonymise: review suggestions", "enter")
        assert not screen.query_one("#review-progress-row").display  # detection ran and ended
        assert "detection ran on 2 transcript(s)" in screen.note
        expected = entities(names_file)
        listed = {g.text: len(g.rows) for g in screen.groups}
        assert listed == {
            t: sum(1 for r in expected if r["text"] == t) for t in {r["text"] for r in expected}
        }
        assert listed["Amira"] == 2 and listed["Ekbackeskolan"] == 2
        table = screen.query_one("#review-list", DataTable)
        assert [str(k.value) for k in table.rows] == [g.text for g in screen.groups]


async def test_accept_one_then_every_occurrence_and_undo(detected_file: Path) -> None:
    app, notes = create_app(detected_file, "anna"), []
    async with run(app, notes) as pilot:
        screen = await open_review(pilot)
        highlight(screen, "Amira")
        await pilot.press("a")
        await settle(pilot)
        assert sorted(statuses(detected_file, "Amira")) == ["accepted", "suggested"]
        assert [len(g.rows) for g in screen.groups if g.text == "Amira"] == [1]  # the list shows what is left
        highlight(screen, "Amira")
        await pilot.press("A")
        await settle(pilot)
        assert statuses(detected_file, "Amira") == ["accepted", "accepted"]
        assert "Amira" not in [g.text for g in screen.groups]
        assert any(n.startswith("Accepted 2 × “Amira” → [namn") for n in notes), notes
        await pilot.press("u")
        await settle(pilot)
        assert sorted(statuses(detected_file, "Amira")) == ["accepted", "suggested"]
        assert "Amira" in [g.text for g in screen.groups]


async def test_reject_rename_and_the_rest_of_a_kind(detected_file: Path) -> None:
    app, notes = create_app(detected_file, "anna"), []
    async with run(app, notes) as pilot:
        screen = await open_review(pilot)
        highlight(screen, "Jonas")
        await pilot.press("r")
        await settle(pilot)
        assert statuses(detected_file, "Jonas") == ["rejected"]
        highlight(screen, "Ekbackeskolan")
        await pilot.press("e")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("ctrl+u", *"Ekbackeskolan", "enter")  # the name itself: refused, no crash
        await settle(pilot)
        assert any("cannot be the name itself" in n for n in notes), notes
        await pilot.press("e", "ctrl+u", *"Skola X", "enter")
        await settle(pilot)
        rows = entities(detected_file, "Ekbackeskolan")
        assert [r["pseudonym"] for r in rows] == ["Skola X", "Skola X"]  # one string, one pseudonym
        assert sorted(r["status"] for r in rows) == ["accepted", "suggested"]
        highlight(screen, "Amira")  # a person: reject every remaining person suggestion, after a yes
        await pilot.press("d")
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        people = [r for r in entities(detected_file) if r["kind"] == "person"]
        assert people and {r["status"] for r in people} == {"rejected"}
        assert statuses(detected_file, "Ekbackeskolan").count("suggested") == 1  # other kinds untouched
        await pilot.press("s")  # show the accepted ones
        await settle(pilot)
        assert [g.text for g in screen.groups] == ["Ekbackeskolan"]


async def test_the_pseudonymised_view_shows_the_text_as_exported(detected_file: Path) -> None:
    with reopen(detected_file) as project:
        amira = next(r for r in project.pseudonymise.entities() if r["text"] == "Amira")
        project.pseudonymise.accept(amira["id"], all_of_text=True)
        stored = project.transcript(NAMES)
        exported = project.name_step().source(stored.text, transcript_id=stored.id).text
    app, notes = create_app(detected_file, "anna"), []
    async with run(app, notes) as pilot:
        await settle(pilot)
        app.open_transcript(NAMES, select=(amira["start"], amira["end"]))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        await pilot.press("p")
        await settle(pilot)
        doc = screen.view.doc
        assert doc.text == exported and "Amira" not in doc.text
        assert doc.text[slice(*screen.view.caret.span())].startswith("[namn")  # the name, now its pseudonym
        await pilot.press("c")  # read-only: the picker does not open
        assert app.screen is screen
        assert any("read-only" in n for n in notes), notes
        await pilot.press("p")
        await settle(pilot)
        assert screen.view.doc.text == stored.text
        assert screen.view.caret.span() == (amira["start"], amira["end"])


def test_the_review_screen(snap_compare, detected_file: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        screen = await open_review(pilot)
        highlight(screen, "Ekbackeskolan")
        await settle(pilot)

    app: PpssApp = create_app(detected_file, "anna")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
