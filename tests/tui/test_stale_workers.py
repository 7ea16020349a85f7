"""Workers whose result came too late: a stale history read or a second scoring never shows.

The store is the real SQLite one, made slow on purpose: its reads of the unfiltered history wait
on an Event the test releases only after the filter changed, so the stale result surely comes last.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import cast

from textual.widgets import DataTable, Select

from interviewcoach.core.history.store import Store
from interviewcoach.core.records import AttemptSummary, Filter
from interviewcoach.core.session import Services
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.screens.history import HistoryScreen
from tests.tui.conftest import make_app, shown, wait_until
from tests.tui.content import seed_history
from tests.tui.fakes import FakeRecording, FakeTranscriber

SIZE = (100, 32)


class GatedStore(Store):
    """The SQLite store whose unfiltered listings wait for `gate` once `armed` is set."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.armed = threading.Event()
        self.gate = threading.Event()
        self.waiting = threading.Event()
        self.stale_done = threading.Event()

    def list_attempts(
        self,
        where: Filter | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
    ) -> list[AttemptSummary]:
        slow = self.armed.is_set() and (where is None or where.question_id is None)
        if slow:
            self.waiting.set()
            assert self.gate.wait(30), "the test never released the slow read"
        try:
            return super().list_attempts(where, limit=limit, offset=offset, oldest_first=oldest_first)
        finally:
            if slow:
                self.stale_done.set()


def rows(screen: HistoryScreen) -> int:
    return screen.query_one("#attempts", DataTable).row_count


async def test_a_slow_read_that_finishes_after_the_filter_changed_does_not_replace_the_newer_result(
    services: Services,
) -> None:
    store = GatedStore(services.data_dir)
    services.store = store
    seed_history(store, days=4)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await wait_until(pilot, lambda: shown(app, HistoryScreen), "history")
        history = cast(HistoryScreen, app.screen)
        await wait_until(pilot, lambda: rows(history) == 8, "all 8 rows")
        select = history.query_one("#history-filter", Select)
        select.value = "q:low-score"
        await wait_until(pilot, lambda: rows(history) == 4, "the question's 4 rows")

        # Back to all attempts: that read hangs; then the question again, which reads at once.
        store.armed.set()
        select.value = "all"
        await wait_until(pilot, store.waiting.is_set, "the slow read started")
        select.value = "q:low-score"
        await pilot.pause(0.3)
        assert rows(history) == 4
        store.gate.set()
        await wait_until(pilot, store.stale_done.is_set, "the slow read finished")
        for _ in range(10):  # the stale result, were it posted, is handled within these
            await pilot.pause(0.05)
        assert rows(history) == 4, "the stale unfiltered read replaced the filtered table"
        assert all(row.question_id == "low-score" for row in history._rows.values())
        assert select.value == "q:low-score"


async def test_scoring_a_pending_answer_twice_pushes_one_feedback_screen(services: Services) -> None:
    audio = services.data_dir / "audio"
    audio.mkdir(parents=True, exist_ok=True)
    orphan = audio / "20250501-093000-000000-low-score.wav"
    FakeRecording(orphan, [], 30.0).stop()
    hour_ago = time.time() - 3600
    os.utime(orphan, (hour_ago, hour_ago))
    transcriber = cast(FakeTranscriber, services.transcriber)
    transcriber.hold = threading.Event()

    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: any("not scored yet" in str(n.message) for n in app._notifications))
        await pilot.press("h")
        await wait_until(pilot, lambda: shown(app, HistoryScreen), "history")
        history = cast(HistoryScreen, app.screen)
        await wait_until(pilot, lambda: rows(history) == 1, "the pending row")
        # Enter twice while the first scoring is still transcribing.
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(transcriber.calls) == 1, "the first scoring started")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(transcriber.calls) == 2, "the second scoring started")
        transcriber.hold.set()
        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "feedback", timeout=60)
        for _ in range(40):  # both scorings finish; a second screen, were it pushed, shows by then
            await pilot.pause(0.05)
        feedback_screens = [s for s in app.screen_stack if isinstance(s, FeedbackScreen)]
        assert len(feedback_screens) == 1, f"{len(feedback_screens)} feedback screens pushed"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is history and history.is_mounted, "back to history")
