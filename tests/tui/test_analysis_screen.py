"""The analysis screen on the test project: the matrix as project.analysis counts it, co-occurrence by unit,
communities, the excerpts behind a cell (a jump away from their passage), the diagram written to exports/;
and the heat scale and grid underneath."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from ppss_qual.coding.operations import Selector
from ppss_qual.tui.app import create_app
from ppss_qual.tui.data.analysis import ALL_CODES, group_of, matrix_grid, pair_query, timestamped
from ppss_qual.tui.data.heat import HEAT_DARK, HEAT_LIGHT, heat_style, level
from ppss_qual.tui.screens.analysis import AnalysisScreen, ExcerptsScreen
from ppss_qual.tui.screens.dialogs import ChooseScreen
from ppss_qual.tui.screens.help import HelpScreen
from ppss_qual.tui.screens.transcript import TranscriptScreen
from ppss_qual.tui.widgets.excerpt_list import ExcerptList
from ppss_qual.tui.widgets.transcript_view import TranscriptView
from tests.tui.conftest import NAME, SIZE, reopen, run, settle


@pytest.fixture
def analysed(project_file: Path, tmp_path: Path) -> Path:
    """Codings by two coders in both of the pupil's turns, and the pupil's school from a participant sheet."""
    with reopen(project_file) as project:
        project.codings.code(NAME, "Psykisk hälsa", Selector(match="Det var jobbigt."))
        project.codings.code(NAME, "Att bli lyssnad på", Selector(match="Ingen lyssnade på mig."))
        project.codings.code(NAME, "Att bli lyssnad på", Selector(match="Nu känner jag mig lyssnad på."))
        project.codings.code(NAME, "Tillit", Selector(turn=4))
        sheet = tmp_path / "deltagare.csv"
        sheet.write_text(
            f"transcript,speaker,participant,role,school\n{NAME},Elev 3,Elev 3,elev,Björkskolan\n",
            encoding="utf-8",
        )
        project.import_participants(sheet)
    with reopen(project_file, coder="bo") as project:
        project.codings.code(NAME, "Psykisk hälsa", Selector(match="Det var jobbigt."))
    return project_file


async def open_analysis(pilot: Pilot) -> AnalysisScreen:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AnalysisScreen)
    return screen


def shown(table: DataTable, row: str, column: str) -> int:
    text = str(table.get_cell(row, column)).strip()
    return 0 if text == "·" else int(text)


def assert_matrix_shows(table: DataTable, expected: list[dict]) -> None:
    groups = [str(c.value) for c in table.columns][1:]
    assert groups == list(dict.fromkeys(r["group"] for r in expected))
    for r in expected:
        key = r["path"] if r["code"] is not None else ALL_CODES
        assert shown(table, key, r["group"]) == r["codings"], (r["code"], r["group"])


async def test_the_matrix_shows_the_projects_numbers_by_role_and_by_attribute(make_app, analysed) -> None:
    with reopen(analysed) as project:
        by_role = project.analysis.matrix("role")
        by_school = project.analysis.matrix("school")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_analysis(pilot)
        table = screen.query_one("#matrix-table", DataTable)
        assert_matrix_shows(table, by_role)
        assert shown(table, "Barnets röst/Att bli lyssnad på", "pupil") == 2
        assert shown(table, ALL_CODES, "total") == 5
        cell = table.get_cell("Barnets röst/Att bli lyssnad på", "pupil")
        assert str(cell.style).endswith(HEAT_DARK[5])  # 2 of at most 3: the sixth of eight steps
        app.theme = "textual-light"
        await pilot.pause()
        cell = table.get_cell("Barnets röst/Att bli lyssnad på", "pupil")
        assert str(cell.style).endswith(HEAT_LIGHT[5])  # drawn again with the light scale
        await pilot.press("b")
        assert isinstance(app.screen, ChooseScreen)  # role, then the participants' attributes
        assert [value for _label, value in app.screen.choices] == ["role", "school"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert_matrix_shows(table, by_school)
        assert "Björkskolan" in [str(c.value) for c in table.columns]
        await pilot.press("v", "v")  # count passages, then participants instead of codings
        assert screen.settings.value == "participants"
        assert shown(table, "Barnets röst/Att bli lyssnad på", "Björkskolan") == 1


async def test_co_occurrence_by_unit_and_measure_and_the_turns_behind_a_pair(make_app, analysed) -> None:
    with reopen(analysed) as project:
        in_turns = project.analysis.cooccurrence("turn", measure="jaccard")
        in_transcript = project.analysis.cooccurrence("transcript", measure="count")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = screen.query_one("#pairs-table", DataTable)

        def pairs() -> list[tuple[str, str, int]]:
            return [
                (str(r[0]), str(r[1]), int(str(r[4])))
                for r in (table.get_row_at(i) for i in range(table.row_count))
            ]

        assert pairs() == [(r["code_a"], r["code_b"], r["n_ab"]) for r in in_turns]
        assert len(in_turns) == 2  # two pairs, each in one of the pupil's turns
        await pilot.press("enter")  # the turns holding both codes of the first pair
        await settle(pilot)
        assert isinstance(app.screen, ExcerptsScreen)
        query = app.screen.cell.query
        assert query == pair_query(screen.pairs[0]["path_a"], screen.pairs[0]["path_b"])
        with reopen(analysed) as project:
            expected = project.analysis.excerpts(query)
        rows = app.screen.query_one(ExcerptList).rows
        assert [(e["turn"], e["text"]) for e in rows] == [(e["turn"], e["text"]) for e in expected]
        assert len(rows) == 1 and rows[0]["coders"] == ["anna"]
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("t")
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press(*["down"] * 6, "enter")  # transcript
        await settle(pilot)
        await pilot.press("w", "enter")  # count
        await settle(pilot)
        assert screen.settings.unit == "transcript" and screen.settings.measure == "count"
        assert pairs() == [(r["code_a"], r["code_b"], r["n_ab"]) for r in in_transcript]
        assert len(in_transcript) == 3  # in one transcript every code meets every other
        assert "in the same transcript" in str(screen.query_one("#pairs-info").render())


async def test_excerpts_behind_a_matrix_cell_open_their_transcript_at_the_passage(make_app, analysed) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_analysis(pilot)
        table = screen.query_one("#matrix-table", DataTable)
        table.move_cursor(row=table.get_row_index("Hälsa/Psykisk hälsa"), column=1)  # the pupils' column
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExcerptsScreen)
        listing = app.screen.query_one(ExcerptList)
        assert [(e["text"], e["coder"]) for e in listing.rows] == [
            ("Det var jobbigt.", "anna"),
            ("Det var jobbigt.", "bo"),
        ]  # as many as the cell counts: 2
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        view = app.screen.query_one(TranscriptView)
        start, end = view.caret.span()
        assert view.doc.text[start:end] == "Det var jobbigt."


async def test_communities_and_the_diagram_written_to_exports(make_app, analysed) -> None:
    app, notes = make_app(), []
    async with run(app, notes) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert screen.network is not None
        communities = str(screen.query_one("#communities-text").render())
        assert "Community 1" in communities and "Tillit" in communities
        table = screen.query_one("#centrality-table", DataTable)
        assert table.row_count == len(screen.network["nodes"]) == 3
        await pilot.press("d")
        await settle(pilot)
        written = sorted((analysed.parent / "exports").glob("network-*.png"))
        assert len(written) == 1
        assert written[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert any(str(written[0]) in note for note in notes)


async def test_the_analysis_is_reached_from_a_transcript_and_listed_in_help(make_app) -> None:
    app, notes = make_app(), []
    async with run(app, notes) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AnalysisScreen)  # an empty project's analysis: no crash, zeros
        await pilot.press("d")
        await settle(pilot)
        assert any("nothing to draw" in note for note in notes)  # said, not raised
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listing = app.screen.listing.plain
        for line in (
            "a\tanalysis: open (matrix, pairs, network)\tanalysis",
            "d\texport: the network diagram (PNG)",
        ):
            assert line in listing
        await pilot.press("escape")
        from ppss_qual.tui.commands import WorkbenchCommands

        titles = [title for title, _help, _run in WorkbenchCommands(app.screen).entries()]
        assert "analysis: count, jaccard…" in titles and "export: the report or these excerpts" in titles


def test_the_analysis_screen(snap_compare, analysed: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_analysis(pilot)
        await pilot.press(*["down"] * 13)  # the cursor on Barnets röst / Att bli lyssnad på, pupils

    assert snap_compare(create_app(analysed, "anna"), terminal_size=SIZE, run_before=run_before)


# -- the parts underneath ---------------------------------------------------------------------------
def test_the_heat_scale_has_eight_steps_that_stay_apart_in_256_colours() -> None:
    from rich.color import Color, ColorSystem

    assert level(0, 10) is None and level(1, 10) == 0 and level(10, 10) == 7 and level(5, 10) == 3
    assert heat_style(0, 10) == "dim"
    assert heat_style(1, 10) == f"#FFFFFF on {HEAT_DARK[0]}"  # dark theme: low is dark, white text
    assert heat_style(10, 10) == f"#000000 on {HEAT_DARK[-1]}"
    assert heat_style(1, 10, dark=False) == f"#000000 on {HEAT_LIGHT[0]}"  # light theme: low is pale
    assert heat_style(10, 10, dark=False) == f"#FFFFFF on {HEAT_LIGHT[-1]}"
    for steps in (HEAT_DARK, HEAT_LIGHT):
        assert len({Color.parse(c).downgrade(ColorSystem.EIGHT_BIT).number for c in steps}) == 8


def test_the_grid_and_the_groups_follow_the_matrix() -> None:
    rows = [
        {"code": "A", "path": "A", "group": g, "codings": n, "participants": 1, "passages": n}
        for g, n in (("pupil", 2), ("parent", 0), ("total", 2))
    ] + [
        {"code": None, "path": None, "group": g, "codings": n, "participants": 1, "passages": n}
        for g, n in (("pupil", 2), ("parent", 0), ("total", 2))
    ]
    grid = matrix_grid(rows, "role")
    assert grid.groups == ["pupil", "parent", "total"] and [r.key for r in grid.rows] == ["A", ALL_CODES]
    assert grid.top("codings") == 2
    assert group_of({"role": "interviewer", "attributes": {"school": "X"}}, "school") == "interviewer"
    assert group_of({"role": "pupil", "attributes": {"School": "X"}}, "school") == "X"
    assert group_of({"role": None, "attributes": {}}, "role") == "(none)"
    from datetime import datetime

    stamp = timestamped(Path("exports"), "network", ".png", datetime(2025, 1, 2, 3, 4, 5))
    assert stamp == Path("exports/network-20250102-030405.png")
