"""Pilot flows through the app with fake recorder and transcriber, the real scorer and the real store."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path
from typing import cast

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, DataTable, OptionList, Select, Static, Switch
from textual.widgets.option_list import OptionDoesNotExist

from interviewcoach.core.history.doctor import doctor
from interviewcoach.core.history.store import Store
from interviewcoach.core.session import Services
from interviewcoach.core.settings import DEFAULT_THINK_SECONDS, load_settings, update_settings
from interviewcoach.tui import speech
from interviewcoach.tui.app import InterviewCoachApp
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.screens.help import HelpScreen, keys_table
from interviewcoach.tui.screens.home import HomeScreen
from interviewcoach.tui.screens.interview import InterviewScreen
from interviewcoach.tui.screens.settings import SettingsScreen
from interviewcoach.tui.screens.summary import SummaryScreen
from interviewcoach.tui.widgets.delivery_timeline import DeliveryTimeline
from interviewcoach.tui.widgets.score_card import ScoreCard
from interviewcoach.tui.widgets.transcript_view import TranscriptView
from tests.tui.conftest import WAIT_S, make_app, plain, quiet, shown, wait_until
from tests.tui.fakes import QUIET, FakeRecorder, FakeTranscriber

SIZE = (100, 32)


def text_of(widget: Static) -> str:
    return str(widget.render())


def interview(app: InterviewCoachApp) -> InterviewScreen:
    assert isinstance(app.screen, InterviewScreen), type(app.screen).__name__
    return app.screen


async def choose(pilot: Pilot[None], option_id: str) -> None:
    """Highlight a home option by id and press Enter on it."""
    choices = pilot.app.screen.query_one("#choices", OptionList)
    choices.highlighted = choices.get_option_index(option_id)
    await pilot.press("enter")
    await wait_until(pilot, lambda: shown(pilot.app, InterviewScreen), "the interview screen")


async def answer(pilot: Pilot[None]) -> FeedbackScreen:
    """From a fresh interview screen: start, stop, and wait for the feedback."""
    app = cast(InterviewCoachApp, pilot.app)
    await wait_until(pilot, lambda: interview(app).phase == "ready", "ready to record")
    await pilot.press("space")
    await wait_until(pilot, lambda: interview(app).phase == "recording", "recording")
    await pilot.pause(0.15)
    await pilot.press("space")
    try:
        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "feedback")
    except AssertionError as timed_out:
        # Say where it stopped (a notice's text, or the phase it hung in), so a rare failure in CI can
        # be told from a slow machine.
        screen = app.screen
        where = type(screen).__name__
        if isinstance(screen, InterviewScreen):
            panel = screen.query_one("#notice-panel", Static)
            where += f" in phase {screen.phase!r}, notice {panel.border_title!r}: {plain(panel)!r}"
        raise AssertionError(f"{timed_out}; the app shows {where}") from None
    await pilot.pause()
    assert isinstance(app.screen, FeedbackScreen)
    return app.screen


def stored(services: Services) -> Store:
    assert isinstance(services.store, Store)
    return services.store


async def test_question_record_feedback_retry_next(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await choose(pilot, "q:low-score")
        screen = interview(app)
        assert screen.question.id == "low-score"
        assert "board scores" in text_of(screen.query_one("#question", Static))

        feedback = await answer(pilot)
        assert feedback.question.id == "low-score"
        assert feedback.score.transcript is not None and feedback.score.transcript.engine == "fake"
        names = {card.criterion_name for card in feedback.query(ScoreCard)}
        rubric = services.rubrics.get(services.bank.get("low-score").rubric)
        assert names == {c.name for c in rubric.criteria if c.id in feedback.score.criteria}
        assert "254 on Step 2 CK" in text_of(feedback.query_one(TranscriptView))
        # The answer was saved with its audio, and the recorder got a private path in the data dir.
        recent = stored(services).recent()
        assert [a.question_id for a in recent] == ["low-score"]
        assert recent[0].overall == feedback.score.overall
        recording = cast(FakeRecorder, services.recorder).recordings[0]
        assert recording.path.parent.parent == services.data_dir

        await pilot.press("r")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "retry")
        assert interview(app).question.id == "low-score"
        await answer(pilot)
        assert len(stored(services).recent()) == 2

        await pilot.press("n")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "next question")
        assert interview(app).question.id != "low-score"

        await pilot.press("escape")
        await wait_until(pilot, lambda: shown(app, HomeScreen), "home")
        await wait_until(
            pilot, lambda: "board scores" in text_of(app.screen.query_one("#recent", Static)), "recent list"
        )


@pytest.mark.slow
async def test_full_mock_interview_ends_with_summary(services: Services) -> None:
    app = make_app(services, preferences=quiet(mock_length=3, follow_ups=False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "first question")
        plan = interview(app).plan
        assert plan.kind == "mock" and len(plan.questions) == 3
        # Three questions from three different categories.
        assert len({q.category for q in plan.questions}) == 3
        for n in range(3):
            assert interview(app).plan.position == f"Question {n + 1} of 3"
            await answer(pilot)
            await pilot.press("n")
        await wait_until(pilot, lambda: shown(app, SummaryScreen), "summary")
        summary = app.screen
        table = summary.query_one("#answers", DataTable)
        assert table.row_count == 3
        head = text_of(summary.query_one("#summary-head", Static))
        assert "Strongest:" in head and "Weakest:" in head
        assert "%" in text_of(summary.query_one("#criteria-summary", Static))
        assert text_of(summary.query_one("#practise-next", Static)).startswith("•")
        assert len(stored(services).recent()) == 3

        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "answer review")
        review = app.screen
        assert isinstance(review, FeedbackScreen) and review.mode == "review"
        assert review.question.id == plan.questions[0].id
        await pilot.press("escape")
        await wait_until(pilot, lambda: shown(app, SummaryScreen), "back to summary")
        await pilot.press("escape")
        await wait_until(pilot, lambda: shown(app, HomeScreen), "home")


async def test_escape_cancels_transcription_and_nothing_is_saved(services: Services) -> None:
    transcriber = cast(FakeTranscriber, services.transcriber)
    transcriber.hold = threading.Event()
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await wait_until(pilot, lambda: interview(app).phase == "ready", "ready")
        await pilot.press("space")
        await wait_until(pilot, lambda: interview(app).phase == "recording", "recording")
        await pilot.press("space")
        await wait_until(pilot, transcriber.started.is_set, "transcription to start")
        assert interview(app).phase == "processing"
        # The UI keeps answering while the worker is busy: help opens and closes.
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: shown(app, HelpScreen), "help")
        await pilot.press("escape")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "back from help")

        await pilot.press("escape")
        await wait_until(pilot, lambda: interview(app).phase == "ready", "cancelled")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert isinstance(app.screen, InterviewScreen)
        assert stored(services).recent() == []
        # The recording itself is kept on disk.
        assert cast(FakeRecorder, services.recorder).recordings[0].path.is_file()


async def test_no_microphone_is_a_notice_not_a_crash(services: Services) -> None:
    services.recorder = FakeRecorder(missing=True)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await wait_until(pilot, lambda: interview(app).phase == "notice", "the notice")
        notice = app.screen.query_one("#notice-panel", Static)
        assert notice.border_title == "No microphone"
        assert "no input device found" in text_of(notice)
        assert "press Space to try again" in text_of(notice)
        assert app.screen.query_one("#stage", ContentSwitcher).current == "notice-panel"
        await pilot.press("space")
        await wait_until(pilot, lambda: interview(app).phase == "notice", "the notice again")
        await pilot.press("escape")
        await wait_until(pilot, lambda: shown(app, HomeScreen), "home")


async def test_no_speech_is_a_notice_and_nothing_is_scored(services: Services) -> None:
    cast(FakeTranscriber, services.transcriber).no_speech = True
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await wait_until(pilot, lambda: interview(app).phase == "ready", "ready")
        await pilot.press("space")
        await wait_until(pilot, lambda: interview(app).phase == "recording", "recording")
        await pilot.press("space")
        await wait_until(pilot, lambda: interview(app).phase == "notice", "the notice")
        notice = app.screen.query_one("#notice-panel", Static)
        assert notice.border_title == "No speech detected", text_of(notice)
        assert "microphone is on" in text_of(notice)
        assert stored(services).recent() == []
        await pilot.press("space")
        await wait_until(pilot, lambda: interview(app).phase == "ready", "ready again")
    # The silent clip is gone: the next start must not offer it as an answer to score.
    assert not cast(FakeRecorder, services.recorder).recordings[0].path.exists()
    assert doctor(stored(services), min_age_s=0).imported == []


async def test_quiet_input_warns_and_a_recording_that_stops_itself_is_scored(services: Services) -> None:
    finish = threading.Event()
    services.recorder = FakeRecorder(levels=[QUIET], finish=finish)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await wait_until(pilot, lambda: interview(app).phase == "ready", "ready")
        await pilot.press("space")
        await wait_until(pilot, lambda: interview(app).phase == "recording", "recording")
        await wait_until(
            pilot, lambda: "Too quiet" in plain(app.screen.query_one("#quiet", Static)), "warning"
        )
        # No stop key: the recording reports finished (maximum length) and the app moves on.
        finish.set()
        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "feedback")
        assert any("stopped early" in str(n.message) for n in app._notifications)
        assert stored(services).recent()[0].interrupted


@pytest.mark.parametrize(
    ("question_think", "setting", "shown"),
    [(30, 0, "0:30"), (0, 10, "0:10"), (20, 10, "0:20")],
    ids=["question-sets-it", "setting", "question-wins"],
)
async def test_think_time_counts_down_then_records(
    services: Services, question_think: int, setting: int, shown: str
) -> None:
    question = services.bank.get("low-score").model_copy(update={"think_seconds": question_think})
    services.bank = services.bank.with_questions([question])
    app = make_app(services, preferences=quiet(think_seconds=setting))
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await wait_until(pilot, lambda: interview(app).phase == "thinking", "think time")
        # The countdown starts at the chosen time; on a busy machine a second may already be gone.
        left = re.findall(r"\b(\d+):(\d\d)\b", text_of(app.screen.query_one("#think-panel", Static)))
        seconds = [int(m) * 60 + int(s) for m, s in left]
        start = int(shown[:-3]) * 60 + int(shown[-2:])
        assert any(start - 2 <= value <= start for value in seconds), (seconds, shown)
        await pilot.press("t")
        await wait_until(pilot, lambda: interview(app).phase == "recording", "recording")


async def test_without_the_neural_voice_espeak_reads_the_question_before_recording(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    heard = tmp_path / "heard.txt"
    voice = tmp_path / "voice"
    voice.write_text(f"#!/bin/sh\ncat > '{heard}'\n")
    voice.chmod(0o755)
    monkeypatch.setattr(speech, "reader", lambda: str(voice))
    monkeypatch.setattr(speech, "neural_voice", lambda: None)  # as when its package is not installed
    app = make_app(services, preferences=quiet(read_aloud=True))
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await wait_until(pilot, lambda: interview(app).phase == "ready", "ready after reading")
        assert heard.read_text() == services.bank.get("low-score").text


async def test_recordings_are_not_kept_when_the_setting_is_off(services: Services) -> None:
    app = make_app(services, preferences=quiet(keep_audio=False))
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await answer(pilot)
        attempt = stored(services).get(stored(services).recent()[0].id)
        assert attempt.audio_path is None and attempt.score is not None
        assert not cast(FakeRecorder, services.recorder).recordings[0].path.exists()


async def test_help_lists_every_key_of_every_screen(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: shown(app, HelpScreen), "help")
        console = Console(width=80, record=True, file=io.StringIO())
        console.print(keys_table(cast(HelpScreen, app.screen).sections))
        listed = console.export_text()
        for title, bindings in app.help_sections():
            assert title in listed
            for binding in bindings:
                description = getattr(binding, "description", "")
                assert description in listed
        await pilot.press("escape")
        await wait_until(pilot, lambda: shown(app, HomeScreen), "home")


async def test_settings_are_saved_and_read_back(services: Services) -> None:
    app = make_app(services, preferences=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_until(pilot, lambda: shown(app, SettingsScreen), "settings")
        app.screen.query_one("#mock-length", Select).value = 3
        app.screen.query_one("#think-seconds", Select).value = 10
        app.screen.query_one("#keep-audio", Switch).value = False
        await pilot.pause()
        await pilot.press("escape")
        await wait_until(pilot, lambda: shown(app, HomeScreen), "home")
        choices = app.screen.query_one("#choices", OptionList)
        assert "3 questions" in str(choices.get_option("mock").prompt)
    saved = load_settings(services.data_dir)
    assert (saved.think_seconds, saved.keep_audio) == (10, False)
    again = make_app(services, preferences=None)
    assert (again.preferences.think_seconds, again.preferences.keep_audio) == (10, False)
    # The mock length is for one session only.
    assert again.preferences.mock_length == 5


async def test_the_speech_model_is_chosen_in_settings_saved_and_loaded(services: Services) -> None:
    # The app was started on a saved model folder; the student goes back to the bundled tiny.en.
    update_settings(services.data_dir, model=str(services.data_dir / "my-whisper"))
    services.transcriber = FakeTranscriber(engine="faster-whisper", model_name="my-whisper")
    app = make_app(services, preferences=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_until(pilot, lambda: shown(app, SettingsScreen), "settings")
        select = app.screen.query_one("#model", Select)
        assert select.value == "my-whisper"
        offered = [str(prompt) for prompt, _ in select._options]
        assert "tiny.en" in offered and any(p.startswith("base") for p in offered)
        select.value = "tiny.en"
        await wait_until(pilot, lambda: app.models_ready, "tiny.en loaded", timeout=60)
        assert app.services.transcriber is not None
        assert app.services.transcriber.model_name == "tiny.en"
        assert app.models_status == "Speech model ready (faster-whisper tiny.en)"
    assert load_settings(services.data_dir).model is None


async def test_a_broken_settings_file_is_a_notice_and_defaults(services: Services) -> None:
    services.data_dir.mkdir(parents=True, exist_ok=True)
    (services.data_dir / "settings.json").write_text('{"think_seconds": "soon"}')
    app = make_app(services, preferences=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(app._notifications), "notice")
        message = str(next(iter(app._notifications)).message)
        assert "settings.json" in message and "think_seconds" in message
        assert app.preferences.think_seconds == DEFAULT_THINK_SECONDS


async def test_an_imported_advisor_set_is_on_home_and_practised_with_its_rubrics(services: Services) -> None:
    from interviewcoach.core.content.sets import import_set
    from interviewcoach.core.paths import shipped_dir

    practice_set = import_set(shipped_dir("question_bank") / "sets" / "ir-low-score.toml", services.data_dir)
    app = make_app(services, load_sets=True)
    async with app.run_test(size=SIZE) as pilot:
        choices = app.screen.query_one("#choices", OptionList)
        await wait_until(pilot, lambda: _has(choices, "set:ir-low-score"), "the set on home")
        assert practice_set.title in str(choices.get_option("set:ir-low-score").prompt)
        await choose(pilot, "set:ir-low-score")
        plan = interview(app).plan
        assert plan.kind == "set" and plan.set_id == "ir-low-score"
        assert [q.id for q in plan.questions] == [q.id for q in practice_set.questions]
        # The set's own target for this question, not the bank's.
        assert interview(app).question.target_seconds == (30, 75)
        feedback = await answer(pilot)
        # Scored with the set's rubric, which adds the advisor's talking points.
        rubric = practice_set.rubric_for(practice_set.questions[0])
        assert feedback.score.rubric_id == rubric.id
        assert set(feedback.score.criteria) <= {c.id for c in rubric.criteria}
        saved = stored(services).recent()
        assert saved[0].set_id == "ir-low-score"
        # The attempt keeps the set's version, so an advisor can tell answers to a later wording apart.
        assert stored(services).get(saved[0].id).set_version == practice_set.version == 1


def _has(options: OptionList, option_id: str) -> bool:
    try:
        options.get_option(option_id)
    except OptionDoesNotExist:
        return False
    return True


@pytest.mark.audio
async def test_playing_an_answer_without_an_output_device_is_a_notice(
    services: Services, no_audio_devices: dict[str, str]
) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        feedback = await answer(pilot)
        assert feedback.audio is not None and feedback.audio.is_file()
        await pilot.press("p")
        await wait_until(pilot, lambda: any("output device" in str(n.message) for n in app._notifications))
        # The key works again once the attempt failed.
        timeline = feedback.query_one("#timeline", DeliveryTimeline)
        await wait_until(pilot, lambda: not timeline._starting, "playback attempt over")
        assert not timeline.playing and feedback.check_action("play", ()) is True


async def test_quitting_mid_answer_keeps_the_recording(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await wait_until(pilot, lambda: interview(app).phase == "ready", "ready")
        await pilot.press("space")
        await wait_until(pilot, lambda: interview(app).phase == "recording", "recording")
        await pilot.press("ctrl+q")
        await pilot.pause()
    recording = cast(FakeRecorder, services.recorder).recordings[0]
    # Finished on a thread of its own (never the UI thread), which quitting waits for.
    assert recording.done.wait(WAIT_S)
    assert recording._stopped is not None and recording.path.is_file()
    assert recording.stopped_on is not None and recording.stopped_on is not threading.main_thread()
