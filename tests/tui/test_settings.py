"""Personal settings: the coder name asked once, keys remapped from the config; help and the palette."""

from __future__ import annotations

from ppss_qual import settings
from ppss_qual.tui.keys import ALL_KEYS
from ppss_qual.tui.screens.dialogs import CoderScreen
from ppss_qual.tui.screens.help import HelpScreen
from ppss_qual.tui.widgets.transcript_view import TranscriptView
from tests.tui.conftest import SIZE, codings, open_transcript, run, settle


async def test_the_coder_name_is_asked_once_and_saved(make_app, project_file) -> None:
    settings.save({"theme": "x"})  # other settings survive
    app = make_app(coder=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CoderScreen)
        await pilot.press("ctrl+u", *"Kim Kodare", "enter")
        await pilot.pause()
        assert app.session.coder == "Kim Kodare"
        await open_transcript(pilot)
        await pilot.press("j", "s", "c", *"trust", "enter")
        await pilot.pause()
    assert settings.load() == {"theme": "x", "coder": "Kim Kodare"}
    assert [r["coder"] for r in codings(project_file)] == ["Kim Kodare"]
    app = make_app(coder=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, CoderScreen)  # asked once only
        assert app.session.coder == "Kim Kodare"


async def test_a_key_remapped_in_the_config_works(make_app) -> None:
    settings.save({"keys": {"select-sentence": "z", "no-such-action": "q"}})
    app, notes = make_app(), []
    async with run(app, notes) as pilot:
        await open_transcript(pilot)
        view = app.screen.query_one(TranscriptView)
        await pilot.press("j", "s")
        assert view.caret.span() is None  # s no longer selects
        await pilot.press("z")
        assert view.doc.text[slice(*view.caret.span())] == "Det var jobbigt."
        assert any("no-such-action" in n for n in notes)


async def test_help_lists_every_key(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen.listing.plain
        for keys in ALL_KEYS.values():
            for key in keys:
                assert key.id in shown and key.title in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_command_palette_runs_namespaced_actions(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("ctrl+p", *"current turn")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.query_one(TranscriptView)
        assert view.doc.text[slice(*view.caret.span())] == "Hur var det i skolan förra året? Berätta gärna."
