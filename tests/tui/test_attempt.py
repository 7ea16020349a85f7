"""The steps of one answer that the interview screen runs in workers: every failure is an outcome."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.protocols import RecordedAnswer
from interviewcoach.core.scoring.rubrics import Rubric, RubricSet
from interviewcoach.core.session import Services
from interviewcoach.tui import attempt
from tests.tui.content import QUESTIONS, RUBRIC
from tests.tui.fakes import FakeRecorder, FakeRecording, FakeTranscriber


class BrokenRecording(FakeRecording):
    def stop(self) -> RecordedAnswer:
        raise OSError("disk full")


class ExplodingTranscriber(FakeTranscriber):
    def transcribe(self, audio: object, *, cancel: threading.Event | None = None) -> object:  # type: ignore[override]
        raise RuntimeError("CTranslate2 crashed")


class BrokenRecorder(FakeRecorder):
    def check(self) -> None:
        raise RuntimeError("PortAudio says no")


def services_with(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet, **kwargs: object) -> Services:
    options: dict[str, object] = {"transcriber": FakeTranscriber(), "recorder": FakeRecorder()}
    options.update(kwargs)
    return Services(bank=bank, rubrics=rubrics, data_dir=tmp_path, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("recorder", "expected"),
    [
        (FakeRecorder(), ""),
        (None, "Recording is not available"),
        (FakeRecorder(missing=True), "no input device found"),
        (BrokenRecorder(), "the microphone could not be opened: PortAudio says no"),
    ],
    ids=["ok", "none", "missing", "unexpected"],
)
def test_microphone_problem(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet, recorder: FakeRecorder | None, expected: str
) -> None:
    problem = attempt.microphone_problem(services_with(tmp_path, bank, rubrics, recorder=recorder))
    assert problem.startswith(expected) if expected else problem == ""


def test_open_recording_gives_a_private_path_or_a_reason(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    question = bank.get("low-score")
    opened = attempt.open_recording(services_with(tmp_path, bank, rubrics), question)
    assert isinstance(opened, FakeRecording)
    assert opened.path.parent == tmp_path / "audio" and opened.path.name.endswith("-low-score.wav")
    assert (opened.path.parent.stat().st_mode & 0o777) == 0o700
    missing = services_with(tmp_path, bank, rubrics, recorder=FakeRecorder(missing=True))
    assert isinstance(attempt.open_recording(missing, question), str)


def test_finish_attempt_outcomes(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    question = bank.get("low-score")
    recording = lambda: FakeRecording(tmp_path / "a.wav", [], 30.0)  # noqa: E731
    stopped: list[RecordedAnswer] = []

    scored = attempt.finish_attempt(
        recording(),
        services_with(tmp_path, bank, rubrics),
        question,
        threading.Event(),
        on_stopped=stopped.append,
    )
    assert scored.kind == "scored" and scored.score is not None and scored.score.question_id == "low-score"
    assert stopped and stopped[0].path == tmp_path / "a.wav"

    silent = services_with(tmp_path, bank, rubrics, transcriber=FakeTranscriber(no_speech=True))
    outcome = attempt.finish_attempt(recording(), silent, question, threading.Event())
    assert (outcome.kind, outcome.score) == ("no_speech", None) and "no speech detected" in outcome.message

    crashed = services_with(tmp_path, bank, rubrics, transcriber=ExplodingTranscriber())
    outcome = attempt.finish_attempt(recording(), crashed, question, threading.Event())
    assert outcome.kind == "error" and "CTranslate2 crashed" in outcome.message

    cancel = threading.Event()
    cancel.set()
    outcome = attempt.finish_attempt(recording(), services_with(tmp_path, bank, rubrics), question, cancel)
    assert outcome.kind == "cancelled" and outcome.answer is not None

    broken = BrokenRecording(tmp_path / "b.wav", [], 3.0)
    outcome = attempt.finish_attempt(
        broken, services_with(tmp_path, bank, rubrics), question, threading.Event()
    )
    assert outcome.kind == "error" and "disk full" in outcome.message


def test_maximum_is_the_target_plus_the_brevity_slack() -> None:
    question = QUESTIONS[0]  # target 30-85 s
    assert attempt.maximum_seconds(RubricSet([RUBRIC]), question) == pytest.approx(85 * 1.1)
    slack = RUBRIC.model_copy(
        update={"criteria": [RUBRIC.criteria[0].model_copy(update={"params": {"slack": 0.5}})]}
    )
    assert attempt.maximum_seconds(RubricSet([Rubric.model_validate(slack.model_dump())]), question) == 127.5
