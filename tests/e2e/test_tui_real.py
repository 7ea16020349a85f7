"""The mock interview end to end with real parts: PortAudio fed by a PulseAudio fake microphone,
Whisper tiny.en, the real scorer and the SQLite store, driven through the TUI with Pilot."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import cast

import pytest
from textual.widgets import OptionList, Static

from interviewcoach.core import session
from interviewcoach.core.history.store import Store
from interviewcoach.tui.app import InterviewCoachApp
from interviewcoach.tui.preferences import Preferences
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.screens.interview import InterviewScreen
from interviewcoach.tui.widgets.level_meter import FLOOR_DBFS, LevelMeter
from interviewcoach.tui.widgets.score_card import ScoreCard
from interviewcoach.tui.widgets.transcript_view import TranscriptView
from tests.audio_rig import PulseMic
from tests.speech import Clip
from tests.tui.conftest import plain, shown, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.audio]

QUESTION = "failed-attempt"


async def test_spoken_answer_through_the_app_gets_real_feedback(
    pulse_mic: PulseMic, speech_clip: Clip, tmp_path: Path
) -> None:
    services = session.build_services(data_dir=tmp_path / "data")
    # Not read aloud: the voice would play into the fake microphone this test speaks into.
    preferences = Preferences(read_aloud=False, think_seconds=0)
    app = InterviewCoachApp(services, preferences=preferences, load_sets=False)
    async with app.run_test(size=(100, 32)) as pilot:
        choices = app.screen.query_one("#choices", OptionList)
        choices.highlighted = choices.get_option_index(f"q:{QUESTION}")
        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "interview")
        screen = cast(InterviewScreen, app.screen)
        await wait_until(pilot, lambda: screen.phase == "ready", "microphone checked")

        await pilot.press("space")
        await wait_until(pilot, lambda: screen.phase == "recording", "recording")
        player = pulse_mic.play(speech_clip.path)
        meter = screen.query_one("#level", LevelMeter)
        loudest = FLOOR_DBFS
        while player.poll() is None:
            await pilot.pause(0.05)
            loudest = max(loudest, meter.rms_dbfs)
        assert player.returncode == 0, cast(subprocess.Popen[bytes], player).stderr
        await pilot.pause(0.6)
        # The live meter saw the answer while it played.
        assert loudest > -40.0
        await pilot.press("space")

        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "feedback", timeout=120)
        feedback = cast(FeedbackScreen, app.screen)
        said = str(feedback.query_one(TranscriptView).render()).lower()
        for word in ("failed", "step", "changed", "passed", "score"):
            assert word in said, said
        rubric = services.rubrics.get(services.bank.get(QUESTION).rubric)
        cards = {card.criterion_name for card in feedback.query(ScoreCard)}
        assert cards and cards <= {c.name for c in rubric.criteria}
        assert "Brief" in cards
        delivery = plain(feedback.query_one("DeliveryPanel", Static))
        assert "wpm" in delivery and "Pace" in delivery
        assert feedback.score.transcript is not None and feedback.score.transcript.engine == "faster-whisper"

        saved = cast(Store, services.store).recent()
        assert [a.question_id for a in saved] == [QUESTION]
        attempt = cast(Store, services.store).get(saved[0].id)
        assert attempt.audio_exists and 8.0 < (attempt.duration_s or 0) < 20.0
