"""The Advisor screen over a real cohort database: grid, sort, drill-down, comment, override, stale reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from interviewcoach.core.history.cohort import CohortStore
from interviewcoach.core.session import Services
from interviewcoach.tui.screens.advisor import (
    AdvisorScreen,
    CohortLoaded,
    CommentScreen,
    StudentAnswersScreen,
)
from interviewcoach.tui.screens.help import HelpScreen
from interviewcoach.tui.screens.home import HomeScreen
from tests.cohort_data import attempt, bundle, write
from tests.tui.conftest import make_app, plain, shown, wait_until
from tests.tui.content import snapshot_services

SIZE = (100, 32)


def seed(services: Services, tmp_path: Path) -> CohortStore:
    store = CohortStore(services.data_dir)
    ada = bundle(
        attempts=[
            attempt(overall=60, created_at="2026-11-01T09:00:00Z"),
            attempt(overall=80, created_at="2026-11-02T09:00:00Z", covered=(True, False, False)),
        ]
    )
    grace = bundle("Grace Hopper", email="grace@example.org", attempts=[attempt(overall=91)])
    eve = bundle("Eve\x1b[31m [b]bold[/b]", email="eve@example.org", attempts=[])
    paths = [write(tmp_path / f"{n}.json", b) for n, b in (("ada", ada), ("grace", grace), ("eve", eve))]
    assert all(not isinstance(r, Exception) for r in store.import_bundles(paths))
    return store


def column(table: DataTable[object], index: int) -> list[str]:
    return [str(table.get_cell_at((row, index))) for row in range(table.row_count)]


async def test_grid_sort_drill_down_comment_and_override(services: Services, tmp_path: Path) -> None:
    store = seed(services, tmp_path)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: shown(app, AdvisorScreen), "advisor")
        screen = cast(AdvisorScreen, app.screen)
        table = screen.query_one("#grid", DataTable)
        await wait_until(pilot, lambda: table.row_count == 3, "3 students")
        # Names A to Z; the hostile name is shown, inert (its escape visible, its markup as text).
        assert column(table, 0) == ["Ada Lovelace", "Eve\\x1b[31m [b]bold[/b]", "Grace Hopper"]
        assert column(table, 1) == [" 80/80  2x", "not yet", " 91/91  1x"]
        assert [str(c.label) for c in table.columns.values()] == ["Student", "Q1", "Q2"]
        # Each column fits its widest cell as soon as the grid is filled, not only once the table is
        # next idle: a screen painted in between kept the names cut to the label's width ("Ada Lov").
        screen._fill()
        pad = 2 * table.cell_padding
        for index, col in enumerate(table.ordered_columns):
            widest = max(Text(text).cell_len for text in [str(col.label), *column(table, index)])
            assert col.get_render_width(table) == widest + pad, col.label

        # o on Q1 sorts by its latest score, highest first; again, lowest first.
        table.cursor_coordinate = table.cursor_coordinate._replace(column=1)
        await pilot.press("o")
        assert column(table, 0)[0] == "Grace Hopper"
        await pilot.press("o")
        assert column(table, 0)[0].startswith("Eve")

        # Enter on Ada's Q1 opens her answers to that question, newest first.
        table.cursor_coordinate = table.cursor_coordinate._replace(row=column(table, 0).index("Ada Lovelace"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(app, StudentAnswersScreen), "answers")
        answers = cast(StudentAnswersScreen, app.screen)
        items = answers.query_one("#answer-items", OptionList)
        await wait_until(pilot, lambda: items.option_count == 8, "2 attempts with 3 points each")
        detail = plain(answers.query_one("#answer-detail", Static))
        assert "score 80" in detail and "Owns the setback" in detail and "Talking points 1/3" in detail

        # c: a comment on the highlighted answer, saved in the cohort database.
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CommentScreen), "comment box")
        app.screen.query_one("#comment", Input).value = "Lead with the number."
        await pilot.press("enter")
        latest_uid = answers.attempts[0].uid
        await wait_until(pilot, lambda: bool(store.attempt(latest_uid)[0].comments), "comment saved")
        await wait_until(
            pilot,
            lambda: "Lead with the number." in plain(answers.query_one("#answer-detail", Static)),
            "shown",
        )

        # t on a missed point marks it covered, as the advisor's verdict.
        items.focus()
        items.highlighted = 2  # the second point of the newest attempt: "a new study plan", missed
        await pilot.press("t")
        await wait_until(pilot, lambda: store.attempt(latest_uid)[0].points[1].overridden, "override saved")
        await wait_until(
            pilot, lambda: "(your verdict)" in plain(answers.query_one("#answer-detail", Static)), "marked"
        )
        assert store.grid("ir-2027").rows[0].cells["low-score"].points_covered == 2

        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back to the grid")


async def test_stale_read_is_ignored(services: Services, tmp_path: Path) -> None:
    seed(services, tmp_path)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: shown(app, AdvisorScreen), "advisor")
        screen = cast(AdvisorScreen, app.screen)
        table = screen.query_one("#grid", DataTable)
        await wait_until(pilot, lambda: table.row_count == 3, "rows")
        # A read that was asked for before the newest one finishes last: its (empty) result is dropped.
        screen.post_message(CohortLoaded(screen.request - 1, [], None, ""))
        await pilot.pause()
        assert table.row_count == 3
        screen.post_message(CohortLoaded(screen.request, [], None, ""))
        await wait_until(pilot, lambda: table.row_count == 0, "the current request is shown")


async def test_empty_cohort_says_how_to_import(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: shown(app, AdvisorScreen), "advisor")
        status = app.screen.query_one("#advisor-status", Static)
        await wait_until(pilot, lambda: "cohort import" in plain(status), "hint")


async def test_help_lists_the_advisor_key(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: shown(app, HelpScreen), "help")
        text = plain(app.screen.query_one(Static), width=120)
        assert "Advisor: your students' answers" in text and "Toggle point" in text


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")])
def test_advisor_snapshot(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    services = snapshot_services(tmp_path / "data")
    seed(services, tmp_path)
    app = make_app(services, warm_up=lambda services: None)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        # Layout is what this test is about: open the screen through its action once home is up (a key
        # pressed while the screenshot harness is still starting the app can be dropped).
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen), "home")
        await pilot.pause()
        pilot.app.open_advisor()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, AdvisorScreen), "advisor")
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#grid")), "grid")
        table = pilot.app.screen.query_one("#grid", DataTable)
        await wait_until(pilot, lambda: table.row_count == 3, "rows")
        # Let every read finish and its messages land before the screenshot, not only the rows.
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_one_student_is_one_student(services: Services, tmp_path: Path) -> None:
    # Seen with the first bundle imported: "1 students · cell: ...".
    store = CohortStore(services.data_dir)
    assert not isinstance(store.import_bundles([write(tmp_path / "ada.json", bundle())])[0], Exception)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: shown(app, AdvisorScreen), "advisor")
        status = app.screen.query_one("#advisor-status", Static)
        await wait_until(pilot, lambda: "cell:" in str(status.render()), "the grid")
        assert str(status.render()).startswith("1 student · cell:")
