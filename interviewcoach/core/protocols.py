"""The contracts of the services an interface drives: transcriber, recorder and recording, store.

`session.build_services` wires the real ones; tests hand the TUI fakes that honour the same
Protocols while end-to-end tests use the real ones. Only domain models are named here, so every
layer can depend on these contracts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from interviewcoach.core.models import Question, Score, Transcript


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


@dataclass(frozen=True)
class AttemptSummary:
    id: int
    question_id: str
    created_at: str
    overall: int
    duration_s: float | None
    interrupted: bool
    question_text: str = ""
    category: str = ""
    set_id: str | None = None
    no_answer: bool = False
    # Audio that `doctor` found without a row, not transcribed yet: `overall` means nothing until rescored.
    pending: bool = False
    has_audio: bool = False


class AttemptStore(Protocol):
    """What the interfaces need of every history store: saving an answer, and home's summary.

    Browsing the history (filters, attempts in full, trends) names the history's own models, so that
    part of the contract is stated above this leaf layer, by the interface that browses.
    """

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
