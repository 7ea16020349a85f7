"""The student's side of the round trip in the TUI: their name in Settings, advisor comments in history."""

from __future__ import annotations

from typing import cast

from textual.widgets import DataTable, Input, Static

from interviewcoach.core.history.store import AdvisorComment, AdvisorOverride, Store
from interviewcoach.core.session import Services
from interviewcoach.core.settings import load_settings
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.screens.history import HistoryScreen
from interviewcoach.tui.screens.home import HomeScreen
from interviewcoach.tui.screens.settings import SettingsScreen
from tests.tui.conftest import make_app, shown, wait_until
from tests.tui.content import seed_history

SIZE = (100, 32)


async def test_the_name_is_set_in_settings_and_saved(services: Services) -> None:
    app = make_app(services, preferences=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_until(pilot, lambda: shown(app, SettingsScreen), "settings")
        name = app.screen.query_one("#student-name", Input)
        name.focus()
        name.value = "Ana Ruiz"
        await pilot.press("escape")
        await wait_until(pilot, lambda: shown(app, HomeScreen), "home")
    assert load_settings(services.data_dir).student_name == "Ana Ruiz"
    again = make_app(services, preferences=None)
    assert again.preferences.student_name == "Ana Ruiz"


async def test_a_name_with_control_characters_is_refused_with_a_plain_notice(services: Services) -> None:
    app = make_app(services, preferences=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_until(pilot, lambda: shown(app, SettingsScreen), "settings")
        app.screen.query_one("#student-name", Input).value = "Ana [bold]\x1b[2J"
        await pilot.press("escape")
        await wait_until(pilot, lambda: bool(app._notifications), "notice")
        assert shown(app, SettingsScreen)  # still open, to correct the name
        message = str(next(iter(app._notifications)).message)
        assert "name not saved" in message and "control characters" in message
    assert load_settings(services.data_dir).student_name is None


async def test_advisor_comments_show_on_an_attempt_opened_from_history(services: Services) -> None:
    store = cast(Store, services.store)
    ids = seed_history(store, days=2)
    uid = store.get(ids[-1]).uid
    hostile = "Lead with [bold red]the result[/] \x1b[31m<b>first</b>."
    store.add_comments(
        [AdvisorComment(uid, "Dr. Okafor", "2026-12-06T08:00:00Z", hostile)],
        [AdvisorOverride(uid, "Dr. Okafor", "IR rotation", True)],
    )
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await wait_until(pilot, lambda: shown(app, HistoryScreen), "history")
        history = cast(HistoryScreen, app.screen)
        await wait_until(pilot, lambda: history.query_one("#attempts", DataTable).row_count > 0, "rows")
        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "feedback")
        review = cast(FeedbackScreen, app.screen)
        await wait_until(pilot, lambda: bool(review.query("#advisor-comments")), "comments")
        panel = review.query_one("#advisor-comments", Static)
        assert panel.border_title == "Advisor's comments"
        text = str(panel.render())
        # Shown as written: the advisor's brackets are text, not markup.
        assert "Dr. Okafor, 2026-12-06: Lead with [bold red]the result[/]" in text
        assert "marks talking point \u201cIR rotation\u201d as covered" in text
        # An attempt without comments has no such panel.
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is history and history.is_mounted, "back")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: shown(app, FeedbackScreen) and app.screen is not review, "other")
        await pilot.pause(0.3)
        assert not app.screen.query("#advisor-comments")
