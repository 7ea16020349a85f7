"""One answer after the stop key: finish the recording, transcribe and score it, and say how it went.

Plain Python (no textual) that the interview screen runs in a thread worker; every failure becomes an
Outcome with a kind the screen turns into a notice, so nothing raised here can reach the UI.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from interviewcoach.core import session
from interviewcoach.core.errors import Cancelled, NoSpeechError, UserError

if TYPE_CHECKING:
    from interviewcoach.core.models import Question, Score
    from interviewcoach.core.protocols import RecordedAnswer, Recording
    from interviewcoach.core.session import RubricSet, Services, StreamingTranscriber

OutcomeKind = Literal["scored", "no_speech", "error", "cancelled"]

# Recording stops by itself well past any target, so a forgotten recording does not fill the disk.
MAX_RECORDING_S = 600.0
DEFAULT_SLACK = 0.1
NO_RECORDER = "Recording is not available in this session."


def maximum_seconds(rubrics: RubricSet, question: Question) -> float:
    """Where the scorer starts calling the answer too long: the target's top plus brevity's slack."""
    slack = DEFAULT_SLACK
    if question.rubric in rubrics:
        for criterion in rubrics.get(question.rubric).criteria:
            if criterion.detector == "brevity":
                fallback = criterion.params.get("slack", DEFAULT_SLACK)
                slack = float(getattr(criterion.parsed, "slack", fallback))
    return question.target_seconds[1] * (1 + slack)


def microphone_problem(services: Services) -> str:
    """What is wrong with the microphone, in words a student can act on; empty when it is usable."""
    if services.recorder is None:
        return NO_RECORDER
    try:
        services.recorder.check()
    except UserError as exc:
        return str(exc)
    except Exception as exc:  # PortAudio can fail in ways the recorder does not foresee
        return f"the microphone could not be opened: {exc}"
    return ""


def open_recording(services: Services, question: Question) -> Recording | str:
    """Start recording an answer to `question` into a fresh private file; a string says why not."""
    if services.recorder is None:
        return NO_RECORDER
    try:
        path = session.new_recording_path(services, question)
        return services.recorder.start(path, max_seconds=MAX_RECORDING_S)
    except UserError as exc:
        return str(exc)
    except Exception as exc:
        return f"the microphone could not be opened: {exc}"


def start_stream(
    services: Services, recording: Recording, question: Question | None = None
) -> StreamingTranscriber | None:
    """Transcribe the answer while it is spoken; None (transcribe after the stop) if that cannot start."""
    try:
        return session.stream_answer(services, recording, question=question)
    except Exception:  # live transcription is a speed-up: without it the answer is still scored
        return None


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    answer: RecordedAnswer | None = None
    score: Score | None = None
    message: str = ""


def finish_attempt(
    recording: Recording,
    services: Services,
    question: Question,
    cancel: threading.Event,
    *,
    on_stopped: Callable[[RecordedAnswer], None] = lambda answer: None,
    stream: StreamingTranscriber | None = None,
) -> Outcome:
    """Stop the recording (the file is kept whatever follows), then transcribe and score it."""
    try:
        answer = recording.stop()
    except Exception as exc:  # the recorder keeps what it can; the student is told what happened
        if stream is not None:
            stream.close()
        return Outcome("error", message=f"the recording could not be finished: {exc}")
    on_stopped(answer)
    try:
        score = session.transcribe_and_score(services, question, answer.path, cancel=cancel, stream=stream)
    except Cancelled:
        return Outcome("cancelled", answer)
    except NoSpeechError as exc:
        # Nothing was heard: the clip is junk, and the student has been told. Kept, it would come
        # back at the next start as an unscored answer.
        session.discard_recording(answer.path)
        return Outcome("no_speech", answer, message=str(exc))
    except UserError as exc:
        return Outcome("error", answer, message=str(exc))
    except Exception as exc:  # an engine failure is a notice, never a crash
        return Outcome("error", answer, message=f"transcription failed: {exc}")
    if cancel.is_set():
        return Outcome("cancelled", answer)
    return Outcome("scored", answer, score)
