"""Messages that thread workers post to the UI; named in the past tense, safe to post from any thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from interviewcoach.core.content.sets import PracticeSet
    from interviewcoach.core.models import Score
    from interviewcoach.core.protocols import RecordedAnswer, Recording
    from interviewcoach.core.records import Attempt, AttemptSummary, Comparison, Trend
    from interviewcoach.core.session import StreamingTranscriber


def cancelled() -> bool:
    """In a thread worker: it was cancelled (a newer request replaced it), so its result is unwanted.

    Checked just before posting; a result posted anyway is still dropped by the request tag it carries.
    """
    return get_current_worker().is_cancelled


class ModelsWarmed(Message):
    """The speech and language models finished loading in the background."""

    def __init__(self, seconds: float, model_name: str = "") -> None:
        super().__init__()
        self.seconds = seconds
        # The speech model that loaded: the status ignores one the student has since switched from.
        self.model_name = model_name


class WarmUpFailed(Message):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class MicrophoneChecked(Message):
    """The recorder's device check finished; `problem` is empty when a microphone is usable."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class QuestionRead(Message):
    """Reading the question aloud finished (or was skipped)."""


class RecordingStarted(Message):
    def __init__(self, recording: Recording, stream: StreamingTranscriber | None = None) -> None:
        super().__init__()
        self.recording = recording
        # Transcribes the answer while it is spoken; None when this transcriber cannot stream.
        self.stream = stream


class RecordingFailed(Message):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class RecordingStopped(Message):
    """The recording is complete on disk; transcription starts next."""

    def __init__(self, answer: RecordedAnswer) -> None:
        super().__init__()
        self.answer = answer


class AnswerScored(Message):
    def __init__(self, answer: RecordedAnswer, score: Score, attempt_id: int | None, save_error: str) -> None:
        super().__init__()
        self.answer = answer
        self.score = score
        self.attempt_id = attempt_id
        self.save_error = save_error


class ScoringFailed(Message):
    """Transcription or scoring ended without a score; `kind` picks the notice shown."""

    def __init__(self, message: str, kind: str = "error", answer: RecordedAnswer | None = None) -> None:
        super().__init__()
        self.message = message
        self.kind = kind
        self.answer = answer


class SetsLoaded(Message):
    """The imported advisor sets were read; `problems` names any that no longer load."""

    def __init__(self, sets: list[PracticeSet], problems: list[str]) -> None:
        super().__init__()
        self.sets = sets
        self.problems = problems


class HistoryRead(Message):
    def __init__(
        self,
        rows: list[AttemptSummary],
        total: int,
        trend: Trend | None,
        filters: list[tuple[str, str]],
        *,
        request: int = 0,
    ) -> None:
        super().__init__()
        # Which read this answers: the screen shows only the result of its latest one.
        self.request = request
        self.rows = rows
        self.total = total
        self.trend = trend
        self.filters = filters


class AttemptOpened(Message):
    def __init__(self, attempt: Attempt, try_number: int | None = None, *, request: int = 0) -> None:
        super().__init__()
        # Which open (or scoring) this answers: only the latest one pushes a screen.
        self.request = request
        self.attempt = attempt
        # Which try at its question this was (1 for the first), counted in the history.
        self.try_number = try_number


class AttemptsCompared(Message):
    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison


class HistoryFailed(Message):
    """Reading failed (`problem`), or there was simply nothing to do (a plain notice)."""

    def __init__(self, message: str, *, problem: bool = True) -> None:
        super().__init__()
        self.message = message
        self.problem = problem


class RecoveryChecked(Message):
    """The start-up history check ran: `found` unscored answers were added as pending attempts."""

    def __init__(self, found: int, problem: str) -> None:
        super().__init__()
        self.found = found
        self.problem = problem


class LastTryFound(Message):
    """The latest earlier scored attempt at the question on screen (None: this is the first)."""

    def __init__(self, attempt: Attempt | None) -> None:
        super().__init__()
        self.attempt = attempt


class AttemptRemoved(Message):
    """An attempt left the history (a silent recording found after a crash): read the table again."""
