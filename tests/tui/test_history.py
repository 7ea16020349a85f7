"""The history screen over a real SQLite store: table, filter, open, compare, trend."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import cast

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static

from interviewcoach.core.history.store import Store
from interviewcoach.core.session import Services
from interviewcoach.tui.screens.compare import CompareScreen
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.screens.history import HistoryScreen
from interviewcoach.tui.screens.home import HomeScreen
from tests.history_data import make_score
from tests.tui.conftest import make_app, plain, shown, wait_until
from tests.tui.content import seed_history
from tests.tui.fakes import FakeRecording, FakeTranscriber

SIZE = (100, 32)


def rows(screen: HistoryScreen) -> int:
    return screen.query_one("#attempts", DataTable).row_count


async def open_history(
    pilot: Pilot[None], app: App[None], ready: Callable[[HistoryScreen], bool], what: str
) -> HistoryScreen:
    """Press h and wait until the history screen is up and `ready` (its rows loaded)."""
    await pilot.press("h")
    await wait_until(pilot, lambda: shown(app, HistoryScreen), "history")
    history = cast(HistoryScreen, app.screen)
    await wait_until(pilot, lambda: ready(history), what)
    return history


async def test_history_table_open_compare_filter_and_trend(services: Services) -> None:
    ids = seed_history(cast(Store, services.store), days=4)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(pilot, app, lambda h: rows(h) == 8, "8 rows")
        trend = str(history.query_one("#trend", Static).render())
        assert "Overall" in trend and "+70" in trend

        # The newest attempt first; Enter opens it in the feedback view.
        table = history.query_one("#attempts", DataTable)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == str(ids[-1])
        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "feedback")
        review = cast(FeedbackScreen, app.screen)
        assert review.mode == "review" and review.score.overall == 100
        assert review.question.text == "Why interventional radiology, and why now?"
        # Which try at the question it was, not the database's id.
        assert review.subtitle.startswith("Try 4 of this question · "), review.subtitle
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is history and history.is_mounted, "back to history")

        # c compares with the previous attempt at the same question.
        await pilot.press("c")
        await wait_until(pilot, lambda: shown(app, CompareScreen), "compare")
        comparison = cast(CompareScreen, app.screen).comparison
        assert comparison.same_question and comparison.after.id == ids[-1]
        assert comparison.before.id == ids[-3] and comparison.overall_delta == 23
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is history and history.is_mounted, "back to history")

        # Marking an attempt at another question and comparing is refused with a notice.
        await pilot.press("space", "down", "c")
        await wait_until(
            pilot, lambda: any("same question" in str(n.message) for n in app._notifications), "notice"
        )
        # Marking two attempts at one question compares exactly those two.
        await pilot.press("space", "down", "down", "c")
        await wait_until(pilot, lambda: shown(app, CompareScreen), "compare marked")
        comparison = cast(CompareScreen, app.screen).comparison
        assert {comparison.before.id, comparison.after.id} == {ids[-2], ids[-4]}
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is history and history.is_mounted, "back to history")

        # Filtering by question narrows the table and the trend.
        select = history.query_one("#history-filter", Select)
        select.value = "q:low-score"
        await wait_until(pilot, lambda: rows(history) == 4, "4 rows")
        assert all(history._rows[i].question_id == "low-score" for i in history._rows)
        await pilot.press("escape")
        await wait_until(pilot, lambda: shown(app, HomeScreen), "home")


async def test_history_is_off_without_a_store(services: Services) -> None:
    services.store = None
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await wait_until(pilot, lambda: any("History is off" in str(n.message) for n in app._notifications))
        assert isinstance(app.screen, HomeScreen)


async def test_an_answer_left_by_a_crash_is_found_and_scored_from_history(services: Services) -> None:
    # A recording with no attempt, as a crash between recording and saving leaves it.
    audio = services.data_dir / "audio"
    audio.mkdir(parents=True, exist_ok=True)
    orphan = audio / "20250501-093000-000000-low-score.wav"
    FakeRecording(orphan, [], 30.0).stop()
    hour_ago = time.time() - 3600
    os.utime(orphan, (hour_ago, hour_ago))

    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: any("not scored yet" in str(n.message) for n in app._notifications))
        history = await open_history(pilot, app, lambda h: rows(h) == 1, "the pending row")
        assert next(iter(history._rows.values())).pending
        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "feedback", timeout=60)
        feedback = cast(FeedbackScreen, app.screen)
        assert feedback.question.id == "low-score" and feedback.score.transcript is not None
        assert cast(FakeTranscriber, services.transcriber).calls == [orphan]
        # "Transcribing…" went with the result: it does not stay on after the feedback is shown.
        assert not any("Transcribing" in str(n.message) for n in app._notifications)
        assert not history.query_one("#history-busy", Static).display
        assert feedback.subtitle.startswith("Try 1 of this question")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is history and history.is_mounted, "back")
        await wait_until(pilot, lambda: not next(iter(history._rows.values())).pending, "scored row")


async def test_a_silent_recording_found_after_a_crash_is_removed_not_left_new(services: Services) -> None:
    audio = services.data_dir / "audio"
    audio.mkdir(parents=True, exist_ok=True)
    orphan = audio / "20250501-093000-000000-low-score.wav"
    FakeRecording(orphan, [], 30.0).stop()
    hour_ago = time.time() - 3600
    os.utime(orphan, (hour_ago, hour_ago))
    cast(FakeTranscriber, services.transcriber).no_speech = True

    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: any("not scored yet" in str(n.message) for n in app._notifications))
        history = await open_history(pilot, app, lambda h: rows(h) == 1, "the pending row")
        await pilot.press("enter")
        await wait_until(pilot, lambda: rows(history) == 0, "the silent row removed")
        assert any("No speech" in str(n.message) for n in app._notifications)
    assert cast(Store, services.store).count() == 0 and not orphan.exists()


async def test_a_damaged_row_opens_to_a_note_saying_so(services: Services) -> None:
    """A stored score that no longer reads is named as damaged, with the way to mend it."""
    import sqlite3

    from interviewcoach.core.history.store import DB_NAME

    store = cast(Store, services.store)
    ids = seed_history(store, days=1)
    with sqlite3.connect(services.data_dir / DB_NAME) as conn:
        conn.execute(
            "UPDATE attempt_details SET score_json = ? WHERE attempt_id = ?", ('{"overall": "x"', ids[-1])
        )
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(pilot, app, lambda h: rows(h) > 0, "rows")
        table = history.query_one("#attempts", DataTable)
        table.move_cursor(row=table.get_row_index(str(ids[-1])))
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: any(f"rescore {ids[-1]}" in str(n.message) for n in app._notifications),
            "a note on the damaged row",
        )
        note = next(str(n.message) for n in app._notifications if f"rescore {ids[-1]}" in str(n.message))
        assert "stored score cannot be read" in note
        assert app.screen is history


async def test_a_store_that_keeps_no_history_offers_none(services: Services) -> None:
    """The in-memory store saves answers but keeps no history to browse: h says so, no empty screen."""
    from interviewcoach.core.history.store import Store
    from interviewcoach.core.protocols import HistoryStore, RecordingStore, history_of, recordings_of
    from tests.tui.fakes import MemoryStore

    assert isinstance(Store(services.data_dir), HistoryStore)
    # The contracts are checked by shape, not class: the SQLite store honours every depth of them.
    assert recordings_of(Store(services.data_dir)) is not None
    assert isinstance(Store(services.data_dir), RecordingStore)
    assert history_of(MemoryStore()) is None and recordings_of(MemoryStore()) is None
    services.store = MemoryStore()
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await wait_until(pilot, lambda: any("History is off" in str(n.message) for n in app._notifications))
        assert isinstance(app.screen, HomeScreen)


async def test_trend_names_criteria_as_the_answers_rubric_names_them(services: Services) -> None:
    # "own_role" is "What you did" in the motivation rubric and "Your own action" in the
    # behavioural one, which no answer here used.
    store = cast(Store, services.store)
    for overall, at in ((30, "2025-05-01T10:00:00"), (60, "2025-05-02T10:00:00")):
        store.save_attempt(
            make_score(
                "why-ir", overall=overall, criteria={"own_role": overall / 100}, rubric_id="motivation"
            ),
            created_at=at,
        )
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(pilot, app, lambda h: rows(h) == 2, "2 rows")
        trend = str(history.query_one("#trend", Static).render())
        assert "What you did" in trend and "Your own action" not in trend


async def test_compare_marks_a_figure_neither_answer_has_as_unknown_not_unchanged(
    services: Services,
) -> None:
    # Seen comparing two typed answers: "Length (s)  -  -  =", as if the length had not changed.
    store = cast(Store, services.store)
    for overall, at in ((40, "2025-05-01T10:00:00"), (60, "2025-05-02T10:00:00")):
        store.save_attempt(make_score(overall=overall, audio=False), created_at=at)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot, app, lambda h: rows(h) == 2, "2 rows")
        await pilot.press("c")
        await wait_until(pilot, lambda: shown(app, CompareScreen), "compare")
        table = plain(app.screen.query_one("#compare-table", Static), 100)
    length = next(line for line in table.splitlines() if "Length (s)" in line)
    assert length.split()[-3:] == ["-", "-", "-"], length


async def test_a_typed_answer_says_typed_in_the_length_column(services: Services) -> None:
    # Seen: "-" as a typed answer's length, where `interviewcoach history` says "typed".
    store = cast(Store, services.store)
    store.save_attempt(make_score(overall=40, audio=False), created_at="2025-05-01T10:00:00")
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(pilot, app, lambda h: rows(h) == 1, "1 row")
        table = history.query_one("#attempts", DataTable)
        assert str(table.get_cell_at((0, 3))) == "typed"
        # One attempt is counted in the singular (seen: "1 attempts").
        count = str(history.query_one("#history-count", Static).render())
        assert count.startswith("1 attempt ·"), count
