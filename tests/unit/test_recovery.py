"""An answer is recoverable the moment the process that recorded it is gone, never while it lives.

Real recorder (PortAudio through the ALSA file microphone), real SQLite store, real child processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np

from interviewcoach.core.audio.recorder import SoundDeviceRecorder, discard_recording, release_recording
from interviewcoach.core.audio.wav import wav_header
from interviewcoach.core.content.questions import load_bank, question_for_attempt
from interviewcoach.core.history.doctor import doctor
from interviewcoach.core.history.store import Store
from tests.audio_rig import AlsaFileMic, wait_for
from tests.history_data import make_score, write_wav

ROOT = Path(__file__).resolve().parents[2]
NAME = "20260101-120000-000000-low-score.wav"


def _tone(seconds: float) -> np.ndarray:
    t = np.arange(round(seconds * 16000)) / 16000
    return (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def _record(path: Path, seconds: float = 1.0) -> Path:
    recording = SoundDeviceRecorder().start(path, max_seconds=seconds)
    assert wait_for(lambda: recording.finished, timeout=20)
    return recording.stop().path


def test_a_crashed_recording_is_imported_at_once_though_its_repair_made_it_new(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    store.audio_dir.mkdir(parents=True)
    wav = store.audio_dir / NAME
    # What kill -9 leaves a second ago: a stale header, samples, and a marker nobody holds.
    wav.write_bytes(wav_header(16000, 0) + np.zeros(24000, "<i2").tobytes())
    (store.audio_dir / (NAME + ".recording")).write_text(json.dumps({"pid": 999999999}))
    report = doctor(store)  # the default age limit, as the app's start uses
    assert len(report.imported) == 1
    attempt = store.get(report.imported[0])
    assert attempt.pending and attempt.interrupted and attempt.duration_s == 1.5
    assert [r.pending for r in store.recent()] == []  # recent lists scored attempts only
    assert doctor(store).imported == []


def test_a_finished_answer_is_held_until_saved_and_never_imported_twice(
    alsa_mic: Callable[..., AlsaFileMic], tmp_path: Path
) -> None:
    alsa_mic(_tone(3.0))
    data = tmp_path / "data"
    wav = _record(data / "audio" / NAME)
    marker = wav.with_name(wav.name + ".recording")
    # Stopped but not yet saved (being scored): another start must leave it to this process.
    assert marker.exists()
    assert doctor(Store(data), min_age_s=0).imported == []
    store = Store(data, keep_audio=True)
    attempt_id = store.save_attempt(make_score(overall=70), audio_path=wav)
    release_recording(wav)
    assert not marker.exists()
    assert doctor(store, min_age_s=0).imported == [] and store.count() == 1
    assert store.get(attempt_id).audio_exists


def test_no_speech_clip_is_discarded_with_its_marker(
    alsa_mic: Callable[..., AlsaFileMic], tmp_path: Path
) -> None:
    alsa_mic(np.zeros(32000, np.float32))
    data = tmp_path / "data"
    wav = _record(data / "audio" / NAME)
    discard_recording(wav)
    assert list((data / "audio").iterdir()) == []
    assert doctor(Store(data), min_age_s=0).imported == []


_CANCELLED_THEN_EXIT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from interviewcoach.core.audio.recorder import SoundDeviceRecorder
    recording = SoundDeviceRecorder().start(Path(sys.argv[1]), max_seconds=1.0)
    while not recording.finished:
        pass
    recording.stop()  # cancelled before scoring, then the app quits normally
    """
)


def test_an_answer_cancelled_before_scoring_is_offered_at_the_next_start(
    alsa_mic: Callable[..., AlsaFileMic], tmp_path: Path
) -> None:
    mic = alsa_mic(_tone(3.0))
    data = tmp_path / "data"
    wav = data / "audio" / NAME
    run = subprocess.run(
        [sys.executable, "-c", _CANCELLED_THEN_EXIT, str(wav)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **mic.env},
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    report = doctor(Store(data))  # at once: the default age limit must not hide it
    assert len(report.imported) == 1
    attempt = Store(data).get(report.imported[0])
    assert attempt.pending and not attempt.interrupted and attempt.audio_path == wav
    assert not wav.with_name(wav.name + ".recording").exists()


def test_a_follow_up_left_mid_answer_is_named_and_can_be_scored(tmp_path: Path) -> None:
    # Leaving a mock mid follow-up keeps the recording; it came back as "low-score-follow-up",
    # an id no bank question has, and scoring it from History failed with "unknown question id".
    store = Store(tmp_path / "data")
    store.audio_dir.mkdir(parents=True)
    write_wav(store.audio_dir / "20261205-171413-548502-low-score-follow-up.wav", seconds=1.0)
    report = doctor(store, min_age_s=0)
    attempt = store.get(report.imported[0])
    text = load_bank().get("low-score").text
    assert attempt.pending and attempt.question_text == f"A follow-up to: {text}"
    assert attempt.category == "setbacks"
    question = question_for_attempt(load_bank(), attempt.question_id, attempt.question_text)
    assert question.rubric == "setback" and question.target_seconds == (15, 60)
