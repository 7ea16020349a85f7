"""Run the app on the fakes (no microphone, no speech model) to look at it: `python -m tests.tui.demo`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from interviewcoach.core.content.sets import load_content
from interviewcoach.core.session import Services
from interviewcoach.tui.app import InterviewCoachApp
from interviewcoach.tui.plan import PracticePlan
from interviewcoach.tui.screens.feedback import FeedbackScreen
from tests.tui.content import QUESTIONS, canned_score, seed_history, snapshot_services
from tests.tui.fakes import LOUD, QUIET, FakeRecorder, FakeTranscriber


def demo_services(data_dir: Path, *, missing_mic: bool = False, no_speech: bool = False) -> Services:
    from interviewcoach.core.history.store import Store

    bank, rubrics = load_content()
    return Services(
        bank=bank,
        rubrics=rubrics,
        data_dir=data_dir,
        transcriber=FakeTranscriber(no_speech=no_speech),
        recorder=FakeRecorder(missing=missing_mic, levels=[LOUD, LOUD, QUIET] * 50 + [QUIET] * 1000),
        store=Store(data_dir),
    )


class CannedFeedbackApp(InterviewCoachApp):
    """Opens straight on the snapshot tests' canned feedback."""

    def _after_first_paint(self) -> None:
        super()._after_first_paint()
        plan = PracticePlan(QUESTIONS[0].text, "question", [QUESTIONS[0]], follow_on=list(QUESTIONS))
        self.push_screen(FeedbackScreen(canned_score(), QUESTIONS[0], plan=plan))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = Path(args[0]) if args else Path(tempfile.mkdtemp())
    if "--history" in sys.argv:
        from interviewcoach.core.history.store import Store

        seed_history(Store(folder))
    if "--feedback" in sys.argv:
        CannedFeedbackApp(snapshot_services(folder), warm_up=None).run()
    else:
        services = demo_services(
            folder, missing_mic="--no-mic" in sys.argv, no_speech="--no-speech" in sys.argv
        )
        InterviewCoachApp(services).run()
