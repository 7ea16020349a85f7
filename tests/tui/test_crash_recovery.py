"""kill -9 mid-answer, restart at once: the answer is offered on the first screen, not minutes later."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.widgets import DataTable

from interviewcoach.core.history.store import Store
from interviewcoach.core.session import Services
from interviewcoach.tui.screens.history import HistoryScreen
from interviewcoach.tui.screens.home import HomeScreen
from tests.audio_rig import PulseMic
from tests.speech import Clip
from tests.tui.conftest import make_app, shown, wait_until

ROOT = Path(__file__).resolve().parents[2]

# What the app does when Space starts an answer: the real recorder, into the history's audio folder.
_RECORDING_APP = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from interviewcoach.core.audio.recorder import SoundDeviceRecorder
    recording = SoundDeviceRecorder().start(Path(sys.argv[1]))
    while True:
        print(recording.header_frames, flush=True)
        time.sleep(0.1)
    """
)


@pytest.mark.slow
async def test_an_answer_killed_mid_recording_is_offered_on_the_first_screen(
    pulse_mic: PulseMic, short_speech_clip: Clip, services: Services
) -> None:
    wav = services.data_dir / "audio" / "20260101-120000-000000-low-score.wav"
    child = subprocess.Popen(
        [sys.executable, "-c", _RECORDING_APP, str(wav)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **pulse_mic.env},
    )
    player = pulse_mic.play(short_speech_clip.path)
    try:
        assert child.stdout is not None
        while int(child.stdout.readline() or -1) < 2 * 16000:  # two seconds safely on disk
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=10)
        player.wait(timeout=30)

    app = make_app(services)
    async with app.run_test(size=(100, 32)) as pilot:
        offered = lambda: any("not scored yet" in str(n.message) for n in app._notifications)  # noqa: E731
        await wait_until(pilot, offered, "the offer of the killed answer", timeout=10)
        assert shown(app, HomeScreen)
        await pilot.press("h")
        await wait_until(pilot, lambda: shown(app, HistoryScreen), "history")
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
    assert isinstance(services.store, Store)
    (attempt,) = services.store.list_attempts()
    assert attempt.pending and attempt.interrupted and (attempt.duration_s or 0) >= 2.0
