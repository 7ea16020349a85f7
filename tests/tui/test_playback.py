"""Playback you can follow: the delivery timeline's marks, seeking, pausing and the position readout."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest
import soundfile as sf

from interviewcoach.core.models import Filler, Pause, Transcript, Word
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.widgets.delivery_timeline import FAST_WINDOW_S, DeliveryTimeline
from tests.audio_rig import PulseMic
from tests.tui.conftest import make_app, shown, wait_until
from tests.tui.content import QUESTIONS, canned_score, snapshot_services

# 20 s, 100 columns of strip at 0.2 s each: an even 150 wpm stretch (0-4 s), a 2 s pause (4-6 s),
# an "um" (6.2-6.6 s), 150 wpm again (7-12 s), then 300 wpm (12-17 s), then silence to 20 s.
DURATION = 20.0
STRIP = 100


def known_transcript() -> Transcript:
    words = [Word(word=f"w{i}", start=i * 0.4, end=i * 0.4 + 0.3) for i in range(10)]
    words.append(Word(word="um", start=6.2, end=6.6))
    words += [Word(word=f"x{i}", start=7 + i * 0.4, end=7 + i * 0.4 + 0.3) for i in range(13)]
    words += [Word(word=f"y{i}", start=12.2 + i * 0.2, end=12.2 + i * 0.2 + 0.15) for i in range(24)]
    text = " ".join(w.word for w in words)
    return Transcript(
        text=text,
        words=words,
        duration_s=DURATION,
        speech_s=14.0,
        fillers=[Filler(text="um", kind="filled_pause", start=6.2, end=6.6)],
        pauses=[Pause(start=4.0, end=6.0)],
    )


def silent_wav(path: Path, seconds: float, *, tone: bool = False) -> Path:
    rate = 16000
    t = np.arange(round(seconds * rate)) / rate
    samples = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32) if tone else np.zeros(len(t), np.float32)
    sf.write(path, samples, rate, subtype="FLOAT")
    return path


async def open_feedback(pilot: Any, transcript: Transcript, audio: Path | None) -> DeliveryTimeline:
    score = canned_score().model_copy(update={"transcript": transcript})
    await pilot.app.push_screen(FeedbackScreen(score, QUESTIONS[0], mode="review", audio=audio))
    await wait_until(pilot, lambda: shown(pilot.app, FeedbackScreen), "feedback")
    timeline = pilot.app.screen.query_one("#timeline", DeliveryTimeline)
    timeline.focus()
    timeline.scroll_visible(animate=False)
    await pilot.pause()
    return timeline


def lines_of(timeline: DeliveryTimeline) -> list[str]:
    return timeline.render().plain.splitlines()


async def test_the_timeline_marks_each_moment_where_it_happened(tmp_path: Path) -> None:
    # Border, padding and the page's scrollbar take 8 columns: a strip of exactly STRIP columns.
    app = make_app(snapshot_services(tmp_path))
    async with app.run_test(size=(STRIP + 8, 30)) as pilot:
        timeline = await open_feedback(pilot, known_transcript(), None)
        strip = lines_of(timeline)[1]
        assert len(strip) == STRIP

        def at(start: float, end: float) -> str:
            return strip[round(start / 0.2) : round(end / 0.2)]

        assert set(at(0, 3.8)) == {"─"}  # 150 wpm: speaking, not fast
        assert set(at(4.0, 6.0)) == {"_"}  # the long pause, all of it
        assert set(at(6.2, 6.6)) == {"f"}  # the filler
        # Pace is judged over 6 s, as heard: the mark may start up to half of that before the speed-up.
        assert set(at(7.0, 12.2 - FAST_WINDOW_S / 2)) == {"─"}
        assert set(at(12.2, 16.8)) == {"»"}  # 300 wpm, all of it
        assert set(at(17.2, 20.0)) == {"·"}  # silence after the answer
        assert "f filler" in lines_of(timeline)[3] and "_ long pause" in lines_of(timeline)[3]


async def test_left_and_right_seek_five_seconds_and_the_caret_follows(tmp_path: Path) -> None:
    wav = silent_wav(tmp_path / "answer.wav", 47.0)
    app = make_app(snapshot_services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = await open_feedback(pilot, known_transcript(), wav)
        assert lines_of(timeline)[0].startswith("0:00 / 0:47")
        await pilot.press("right", "right")
        lines = lines_of(timeline)
        assert lines[0].startswith("0:10 / 0:47")
        width = len(lines[1])
        assert lines[2].index("▲") == int(10 / 47 * width)
        await pilot.press("left")
        assert lines_of(timeline)[0].startswith("0:05 / 0:47")
        await pilot.press("left", "left")  # not before the start
        assert lines_of(timeline)[0].startswith("0:00 / 0:47")
        for _ in range(12):  # nor past the end
            await pilot.press("right")
        assert lines_of(timeline)[0].startswith("0:47 / 0:47")
        assert lines_of(timeline)[2].index("▲") == width - 1


@pytest.mark.audio
async def test_playback_moves_the_readout_pauses_and_seeks(tmp_path: Path, pulse_mic: PulseMic) -> None:
    wav = silent_wav(tmp_path / "answer.wav", 30.0, tone=True)
    app = make_app(snapshot_services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = await open_feedback(pilot, known_transcript(), wav)
        await pilot.press("p")
        await wait_until(pilot, lambda: timeline.playing and timeline.position >= 1.0, "playing")
        assert "playing" in lines_of(timeline)[0]
        before = timeline.position
        await pilot.press("right")
        assert timeline.position >= before + 5.0
        await pilot.press("space")
        await wait_until(pilot, lambda: not timeline.playing, "paused")
        paused_at = timeline.position
        time.sleep(0.4)
        await pilot.pause(0.3)
        assert timeline.position == paused_at and "paused" in lines_of(timeline)[0]
        minutes, seconds = divmod(int(paused_at), 60)
        assert lines_of(timeline)[0].startswith(f"{minutes}:{seconds:02d} / 0:30")
        await pilot.press("space")
        await wait_until(pilot, lambda: timeline.position > paused_at + 0.3, "playing again")
        await pilot.press("left", "left", "left")
        assert timeline.position < paused_at
        cast(FeedbackScreen, app.screen).dismiss()
        await pilot.pause()
        assert timeline.player is not None and timeline.player._stream is None  # device released
