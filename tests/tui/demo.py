"""Run the app on the fakes (no microphone, no speech model) to look at it: `python -m tests.tui.demo`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from interviewcoach.core.services import Services, load_content
from interviewcoach.tui.app import InterviewCoachApp
from tests.tui.fakes import LOUD, QUIET, FakeRecorder, FakeTranscriber


def demo_services(data_dir: Path, *, missing_mic: bool = False, no_speech: bool = False) -> Services:
    from interviewcoach.core.store import Store

    bank, rubrics = load_content()
    return Services(
        bank=bank,
        rubrics=rubrics,
        data_dir=data_dir,
        transcriber=FakeTranscriber(no_speech=no_speech),
        recorder=FakeRecorder(missing=missing_mic, levels=[LOUD, LOUD, QUIET] * 50 + [QUIET] * 1000),
        store=Store(data_dir),
    )


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    InterviewCoachApp(
        demo_services(folder, missing_mic="--no-mic" in sys.argv, no_speech="--no-speech" in sys.argv)
    ).run()
