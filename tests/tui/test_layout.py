"""Layouts that fit 60x20, 80x24 and 120x40: dialogs inside the screen, on/off in words, cuts marked."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Switch

from interviewcoach.core.history.store import Store
from interviewcoach.tui.plan import Answer, PracticePlan
from interviewcoach.tui.screens.history import HistoryScreen
from interviewcoach.tui.screens.settings import SettingsScreen
from interviewcoach.tui.screens.summary import SummaryScreen
from tests.tui.conftest import make_app, wait_until
from tests.tui.content import QUESTIONS, canned_score, seed_history, snapshot_services

SIZES = [(60, 20), (80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
async def test_settings_fit_the_screen_and_say_on_or_off(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(snapshot_services(tmp_path))
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen), "settings")
        await pilot.pause()
        dialog = app.screen.query_one("#settings", VerticalScroll)
        region = dialog.region
        assert region.y >= 0 and region.bottom <= size[1] and region.right <= size[0]
        # Every setting is on screen without scrolling the dialog, but at 60x20 (where it scrolls).
        assert dialog.max_scroll_y == 0 or size == (60, 20)
        label = app.screen.query_one("#keep-audio-label", Label)
        assert str(label.render()).startswith("On ")
        app.screen.query_one("#keep-audio", Switch).value = False
        await pilot.pause()
        assert str(label.render()).startswith("Off")


async def test_the_mock_summary_scrolls_with_page_down_while_the_answers_have_the_focus(
    tmp_path: Path,
) -> None:
    app = make_app(snapshot_services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        plan = PracticePlan("Mock interview (2 questions)", "mock", list(QUESTIONS[:2]))
        plan.record(Answer(QUESTIONS[0], canned_score(), 1, 41.0))
        plan.advance()
        plan.record(Answer(QUESTIONS[1], canned_score(), 2, 72.5))
        await app.push_screen(SummaryScreen(plan))
        await pilot.pause()
        page = app.screen.query_one("#summary", VerticalScroll)
        assert page.max_scroll_y > 0 and app.screen.query_one("#answers", DataTable).has_focus
        await pilot.press("pagedown")
        await pilot.pause(0.3)
        assert page.scroll_y > 0


async def test_a_cut_question_in_history_ends_in_an_ellipsis(tmp_path: Path) -> None:
    services = snapshot_services(tmp_path)
    services.store = Store(tmp_path / "history")
    seed_history(services.store, days=1)
    app = make_app(services)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "history")
        table = app.screen.query_one("#attempts", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2, "rows")
        await pilot.pause()
        column = next(c for c in table.columns.values() if str(c.label) == "Question")
        cell = str(table.get_cell_at((0, list(table.columns).index(column.key))))
        assert cell.endswith("…")
        shown_width = (
            table.region.right
            - 1
            - sum(
                c.get_render_width(cast(DataTable[object], table))
                for c in table.columns.values()
                if c is not column
            )
        )
        assert len(cell) <= shown_width
