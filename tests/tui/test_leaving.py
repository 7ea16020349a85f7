"""Leaving an answer or a mock interview asks first, and a mock left unfinished resumes where it stopped."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import cast

import pytest
from textual.widgets import DataTable, Static

from interviewcoach.core.session import Services
from interviewcoach.tui import mock_state
from interviewcoach.tui.app import InterviewCoachApp
from interviewcoach.tui.screens.confirm import ConfirmScreen
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.screens.home import HomeScreen
from interviewcoach.tui.screens.interview import InterviewScreen
from interviewcoach.tui.screens.summary import SummaryScreen
from tests.tui.conftest import WAIT_S, make_app, plain, quiet, shown, wait_until
from tests.tui.fakes import FakeRecorder
from tests.tui.test_flows import SIZE, answer, choose, interview


async def _recording(pilot: object) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    app = cast(InterviewCoachApp, pilot.app)
    await wait_until(pilot, lambda: interview(app).phase == "ready", "ready")
    await pilot.press("space")
    await wait_until(pilot, lambda: interview(app).phase == "recording", "recording")


async def test_escape_while_answering_asks_and_a_second_escape_keeps_recording(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await _recording(pilot)
        screen = interview(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert app.screen is screen and screen.phase == "recording"
        assert cast(FakeRecorder, services.recorder).recordings[0]._stopped is None
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question again")
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.phase == "ready", "stopped without scoring")
        assert app.screen is screen
        recording = cast(FakeRecorder, services.recorder).recordings[0]
        await wait_until(pilot, lambda: recording._stopped is not None, "the recording finished")
        # Stopping joins the audio thread and fsyncs the file: done off the UI thread.
        assert recording.stopped_on is not None and recording.stopped_on is not threading.main_thread()
        assert recording.path.is_file()
        assert any("History offers to score it" in str(n.message) for n in app._notifications)


async def test_escape_twice_does_not_end_a_mock(services: Services) -> None:
    app = make_app(services, preferences=quiet(mock_length=3, follow_ups=False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "first question")
        await _recording(pilot)
        await pilot.press("escape", "escape")
        await pilot.pause(0.1)
        assert shown(app, InterviewScreen) and interview(app).phase == "recording"
        await pilot.press("space")  # finish this answer
        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "feedback")
        await pilot.press("escape", "escape")
        await pilot.pause(0.1)
        assert shown(app, FeedbackScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "leave the mock?")
        message = " ".join(plain(app.screen.query_one("#confirm-message", Static), 200).split())
        assert message.endswith("to resume it where you left off.")
        await pilot.press("y")
        await wait_until(pilot, lambda: shown(app, HomeScreen), "home")


async def test_ctrl_q_mid_answer_asks_first(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await _recording(pilot)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "quit?")
        assert "middle of an answer" in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("n")
        await pilot.pause(0.1)
        assert shown(app, InterviewScreen) and interview(app).phase == "recording"
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "quit? again")
        await pilot.press("y")
        await wait_until(pilot, lambda: app._exit, "the app to quit")
    recording = cast(FakeRecorder, services.recorder).recordings[0]
    assert recording.done.wait(WAIT_S), "the recording was never finished"
    assert recording.path.is_file()


@pytest.mark.slow
async def test_a_mock_quit_halfway_resumes_where_it_stopped(services: Services) -> None:
    first = make_app(services, preferences=quiet(mock_length=3, follow_ups=False))
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await wait_until(pilot, lambda: shown(first, InterviewScreen), "first question")
        questions = [q.id for q in interview(first).plan.questions]
        await answer(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: interview(first).plan.index == 1, "second question")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(first.screen, ConfirmScreen), "quit?")
        assert "question 2 of 3" in str(first.screen.query_one("#confirm-message").render())
        await pilot.press("y")
        await wait_until(pilot, lambda: first._exit, "quit")

    again = make_app(services, preferences=quiet(mock_length=3, follow_ups=False))
    async with again.run_test(size=SIZE) as pilot:
        offered = lambda: any("press m to resume" in str(n.message) for n in again._notifications)  # noqa: E731
        await wait_until(pilot, offered, "the offer to resume")
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(again.screen, ConfirmScreen), "resume or new?")
        await pilot.press("r")
        await wait_until(pilot, lambda: shown(again, InterviewScreen), "the mock again")
        plan = interview(again).plan
        assert [q.id for q in plan.questions] == questions
        assert plan.index == 1 and plan.position == "Question 2 of 3"
        assert sorted(plan.answers) == [0]  # the first answer, read back from the history
        await answer(pilot)
        await pilot.press("n")
        await wait_until(
            pilot, lambda: shown(again, InterviewScreen) and interview(again).plan.index == 2, "q3"
        )
        await answer(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: shown(again, SummaryScreen), "summary")
        assert again.screen.query_one("#answers", DataTable).row_count == 3
    assert mock_state.load(services.data_dir) is None  # finished: nothing left to resume


def test_a_broken_resume_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / mock_state.FILE_NAME).write_text('{"questions": ["low-score"], "index": 7}')
    assert mock_state.load(tmp_path) is None
    (tmp_path / mock_state.FILE_NAME).write_text("not json")
    assert mock_state.load(tmp_path) is None


async def test_ctrl_q_over_help_still_asks_when_an_answer_is_below(services: Services) -> None:
    from interviewcoach.tui.screens.help import HelpScreen

    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await _recording(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "quit?")
        await pilot.press("n")
        await pilot.pause(0.1)
        assert not app._exit
