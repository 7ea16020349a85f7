"""The contracts of the services an interface drives: transcriber, recorder and recording, store.

`session.build_services` wires the real ones; tests hand the TUI fakes that honour the same
Protocols while end-to-end tests use the real ones. Only the leaf layer's models and records are
named here, so every layer can depend on these contracts.

A store comes in three depths, each a Protocol the next extends: every store saves attempts
(`AttemptStore`); a `HistoryStore` can also be browsed; a `RecordingStore` also keeps each answer's
recording as a file, so it can be scored again and repaired after a crash. An interface asks which
one it holds with `history_of` and `recordings_of`, never by the class.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from interviewcoach.core.records import AttemptSummary

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from interviewcoach.core.models import Question, Score, Transcript
    from interviewcoach.core.records import (
        AdvisorComment,
        AdvisorOverride,
        Attempt,
        Comparison,
        Filter,
        Trend,
    )


@runtime_checkable
class Transcriber(Protocol):
    """Turns an answer's audio into a Transcript with word timings, fillers and pauses."""

    engine: str
    model_name: str

    def load(self) -> None:
        """Load the model now (idempotent); callers warm it in the background at start-up."""

    def transcribe(
        self,
        audio: Path | npt.NDArray[np.float32],
        *,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        """Transcribe a file or 16 kHz mono float32 samples; raise NoSpeechError on silence."""
        ...


@dataclass(frozen=True)
class Level:
    """Input level of the last block, for the live meter."""

    rms_dbfs: float
    peak_dbfs: float
    too_quiet: bool


@dataclass(frozen=True)
class RecordedAnswer:
    """A finished recording: the WAV on disk and how the recording ended."""

    path: Path
    duration_s: float
    interrupted: bool = False
    # Why recording stopped early (device lost, disk full, maximum length), if it did.
    stop_reason: str = ""


class Recording(Protocol):
    """An answer being recorded right now."""

    path: Path

    @property
    def elapsed_s(self) -> float: ...

    def level(self) -> Level: ...

    @property
    def finished(self) -> bool:
        """True once recording stopped by itself (maximum length, device lost, disk full)."""
        ...

    def stop(self) -> RecordedAnswer:
        """Stop (idempotent) and return the complete file; the audio so far is always kept."""
        ...


class Recorder(Protocol):
    def check(self) -> None:
        """Raise a UserError saying what to do when there is no usable input device."""

    def start(self, path: Path, *, max_seconds: float = 600.0) -> Recording: ...


class AttemptStore(Protocol):
    """What the interfaces need of every history store: saving an answer, and home's summary."""

    def save_attempt(
        self,
        score: Score,
        *,
        audio_path: Path | None = None,
        interrupted: bool = False,
        set_id: str | None = None,
        rubric_version: int | None = None,
        # The question as practised (an advisor set's own question is not in the shipped bank).
        question: Question | None = None,
        # False: remove the recording once the attempt is saved (None: the store's own default).
        keep_audio: bool | None = None,
        # The advisor set's version the question came from, when it came from one.
        set_version: int | None = None,
    ) -> int:
        """Save a scored attempt and return its id."""
        ...

    def recent(self, limit: int = 10) -> list[AttemptSummary]: ...

    def criterion_averages(self) -> dict[str, float]:
        """Mean score per criterion id over all attempts (for "weakest criterion so far")."""
        ...


@runtime_checkable
class HistoryStore(AttemptStore, Protocol):
    """A store whose history can be browsed: filtered listings, attempts in full, trends, comments.

    The SQLite `Store` honours it; a store without a history (the in-memory one of the snapshot
    tests) honours only `AttemptStore`, and the screens then show no history rather than fail.
    """

    def list_attempts(
        self,
        where: Filter | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
    ) -> list[AttemptSummary]: ...

    def count(self, where: Filter | None = None) -> int: ...

    def trend(self, where: Filter | None = None, *, last: int | None = None) -> Trend: ...

    def questions(self) -> list[tuple[str, str, int]]:
        """(question id, question text, attempts) for every question attempted."""
        ...

    def categories(self) -> list[str]: ...

    def set_ids(self) -> list[str]: ...

    def get(self, attempt_id: int) -> Attempt: ...

    def delete(self, attempt_id: int) -> Path | None: ...

    def previous(self, attempt_id: int) -> int | None: ...

    def compare(self, first: int, second: int) -> Comparison: ...

    def comments_for(self, attempt_uid: str) -> list[AdvisorComment]: ...

    def overrides_for(self, attempt_uid: str) -> list[AdvisorOverride]: ...


@runtime_checkable
class RecordingStore(HistoryStore, Protocol):
    """A history that keeps the answers' recordings as files beside its database, in `data_dir`.

    Only such a store can score a stored recording again (`rescore_attempt` transcribes a pending
    attempt's audio) or hold audio that a crash left without a row (`doctor` finds and imports it).
    """

    data_dir: Path

    @property
    def keep_audio(self) -> bool:
        """False: a recording is removed once its attempt is scored (the user's setting)."""
        ...

    def update_score(self, attempt_id: int, score: Score, *, rubric_version: int | None = None) -> Attempt:
        """Replace an attempt's score, keeping when it was made and its audio."""
        ...

    def drop_audio(self, attempt_id: int) -> None:
        """Remove an attempt's recording, keeping its transcript and score."""
        ...


def history_of(store: AttemptStore | None) -> HistoryStore | None:
    """The store as a browsable history, or None when it keeps none (no store, or an in-memory one)."""
    return store if isinstance(store, HistoryStore) else None


def recordings_of(store: AttemptStore | None) -> RecordingStore | None:
    """The store as a history with its recordings on disk, or None when it keeps no files."""
    return store if isinstance(store, RecordingStore) else None
