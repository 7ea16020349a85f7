"""Layout snapshots of home, interview (recording), feedback, settings, history and the mock summary at
60x20, 80x24 and 120x40 (the feedback's delivery timeline at 60x20 and 80x24): nothing taller than the
screen, nothing cut without "…"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from interviewcoach.core.history.store import Store
from interviewcoach.tui.app import InterviewCoachApp
from interviewcoach.tui.plan import Answer, PracticePlan
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.screens.history import HistoryScreen
from interviewcoach.tui.screens.interview import InterviewScreen
from interviewcoach.tui.screens.settings import SettingsScreen
from interviewcoach.tui.screens.summary import SummaryScreen
from tests.tui.conftest import make_app, wait_until
from tests.tui.content import QUESTIONS, canned_score, seed_history, snapshot_services

SIZES = [
    pytest.param((60, 20), id="60x20"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
]


def app_for(tmp_path: Path) -> InterviewCoachApp:
    # A no-op warm-up so the status line settles on "ready" as it does for a user.
    return make_app(snapshot_services(tmp_path), warm_up=lambda services: None)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await wait_until(pilot, lambda: pilot.app.models_ready, "models ready")  # type: ignore[attr-defined]
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await wait_until(pilot, lambda: "78" in str(pilot.app.screen.query_one("#recent").render()), "recent")

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_interview_recording(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        plan = PracticePlan("Mock interview: 3 questions", "mock", list(QUESTIONS), index=1)
        plan.questions[1] = QUESTIONS[0]
        screen = InterviewScreen(plan)
        await pilot.app.push_screen(screen)
        await wait_until(pilot, lambda: screen.phase == "ready", "ready")
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.phase == "recording", "recording")
        await pilot.pause(0.3)

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_feedback(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        plan = PracticePlan(QUESTIONS[0].text, "question", [QUESTIONS[0]], follow_on=list(QUESTIONS))
        await pilot.app.push_screen(FeedbackScreen(canned_score(), QUESTIONS[0], plan=plan))
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [pytest.param((60, 20), id="60x20"), pytest.param((80, 24), id="80x24")])
def test_feedback_timeline(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The delivery timeline, focused, its caret moved to 0:10 of the canned answer's recording."""
    import numpy as np
    import soundfile as sf

    from interviewcoach.tui.widgets.delivery_timeline import DeliveryTimeline

    score = canned_score()
    assert score.transcript is not None
    wav = tmp_path / "answer.wav"
    sf.write(wav, np.zeros(round(score.transcript.duration_s * 16000), np.float32), 16000)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = FeedbackScreen(score, QUESTIONS[0], mode="review", audio=wav)
        await pilot.app.push_screen(screen)
        timeline = screen.query_one("#timeline", DeliveryTimeline)
        timeline.focus()
        await pilot.press("right", "right")
        timeline.scroll_visible(animate=False, top=True)
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_settings(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen), "settings")
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_history(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    services = snapshot_services(tmp_path)
    services.store = Store(tmp_path / "history")
    seed_history(services.store, days=4)
    app = make_app(services, warm_up=lambda services: None)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen), "history")
        screen = pilot.app.screen
        await wait_until(pilot, lambda: screen.query_one("#attempts", DataTable).row_count == 8, "rows")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_mock_summary(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        plan = PracticePlan("Mock interview (2 questions)", "mock", list(QUESTIONS[:2]))
        score = canned_score()
        plan.record(Answer(QUESTIONS[0], score, 1, 41.0))
        plan.advance()
        second = score.model_copy(update={"question_id": QUESTIONS[1].id, "overall": 64})
        plan.record(Answer(QUESTIONS[1], second, 2, 72.5))
        await pilot.app.push_screen(SummaryScreen(plan))
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)
