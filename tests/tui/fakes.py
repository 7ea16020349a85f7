"""Deterministic stand-ins for the recorder, transcriber and store, honouring the services Protocols.

Flow and snapshot tests inject these through `Services` so they run without a microphone or a
speech model; the scorer and spaCy stay real.
"""

from __future__ import annotations

import threading
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from interviewcoach.core.errors import NoSpeechError, UserError
from interviewcoach.core.models import Filler, Pause, Score, Transcript, Word
from interviewcoach.core.protocols import Level, RecordedAnswer
from interviewcoach.core.records import AttemptSummary

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from interviewcoach.core.protocols import AttemptStore, Recorder, Transcriber

ANSWER = (
    "My Step 1 score was below where I wanted it, and that is on me. "
    "I changed how I studied: I did two thousand practice questions, "
    "met a tutor weekly and scored 254 on Step 2 CK. "
    "Um, since then I have spent four weeks on the IR service, "
    "presented a poster on TIPS outcomes and I love the procedural problem solving in IR."
)


def transcript_for(text: str = ANSWER, *, wpm: float = 150.0, pause_after: int = 20) -> Transcript:
    """A transcript of `text` with even word timings and one 1.4 s pause after word `pause_after`."""
    step = 60.0 / wpm
    words: list[Word] = []
    fillers: list[Filler] = []
    pauses: list[Pause] = []
    t = 0.0
    pos = 0
    for i, token in enumerate(text.split()):
        start_char = text.index(token, pos)
        pos = start_char + len(token)
        if i == pause_after:
            pauses.append(Pause(start=t, end=t + 1.4))
            t += 1.4
        words.append(Word(word=token, start=round(t, 2), end=round(t + step * 0.9, 2)))
        if token.strip(",.").lower() == "um":
            fillers.append(
                Filler(
                    text="Um",
                    kind="filled_pause",
                    start=t,
                    end=t + step,
                    char_start=start_char,
                    char_end=start_char + 2,
                )
            )
        t += step
    return Transcript(
        text=text,
        words=words,
        duration_s=round(t, 2),
        speech_s=round(t - sum(p.duration for p in pauses), 2),
        engine="fake",
        model="canned",
        fillers=fillers,
        pauses=pauses,
    )


@dataclass
class FakeTranscriber:
    """Returns a canned transcript; can raise NoSpeechError or hold until cancelled."""

    transcript: Transcript = field(default_factory=transcript_for)
    no_speech: bool = False
    # When set, transcribe() waits until this event or the caller's cancel event is set.
    hold: threading.Event | None = None
    engine: str = "fake"
    model_name: str = "canned"
    loads: int = 0
    calls: list[Path] = field(default_factory=list)
    started: threading.Event = field(default_factory=threading.Event)

    def load(self) -> None:
        self.loads += 1

    def transcribe(
        self, audio: Path | npt.NDArray[np.float32], *, cancel: threading.Event | None = None
    ) -> Transcript:
        assert isinstance(audio, Path) and audio.is_file(), audio
        self.calls.append(audio)
        self.started.set()
        if self.hold is not None:
            # Waits (never spins: a busy loop here starves the app's own thread of the GIL).
            while not self.hold.wait(0.01):
                if cancel is not None and cancel.is_set():
                    break
        if self.no_speech:
            raise NoSpeechError()
        return self.transcript


@dataclass
class FakeRecording:
    path: Path
    levels: list[Level]
    seconds: float
    _polls: int = 0
    _stopped: RecordedAnswer | None = None
    # Set by a test to make the recording stop by itself (maximum length reached).
    finish: threading.Event | None = None
    # The thread that stopped it (a stop joins and fsyncs: never the UI thread's job).
    stopped_on: threading.Thread | None = None
    # Set once the file is complete (stop() may run on another thread than the test's).
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def elapsed_s(self) -> float:
        return self.seconds

    def level(self) -> Level:
        level = self.levels[min(self._polls, len(self.levels) - 1)]
        self._polls += 1
        return level

    @property
    def finished(self) -> bool:
        return self.finish is not None and self.finish.is_set()

    def stop(self) -> RecordedAnswer:
        if self._stopped is None:
            self.stopped_on = threading.current_thread()
            # A second of silence at 16 kHz: a real WAV file for the pipeline to hand on.
            with wave.open(str(self.path), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(16000)
                out.writeframes(b"\0\0" * 16000)
            self.path.chmod(0o600)
            reason = "maximum length reached" if self.finished else ""
            self._stopped = RecordedAnswer(
                self.path, self.seconds, interrupted=bool(reason), stop_reason=reason
            )
            self.done.set()
        return self._stopped


LOUD = Level(rms_dbfs=-18.0, peak_dbfs=-6.5, too_quiet=False)
QUIET = Level(rms_dbfs=-58.0, peak_dbfs=-52.0, too_quiet=True)


@dataclass
class FakeRecorder:
    """A microphone that 'records' for a fixed elapsed time with scripted levels."""

    seconds: float = 42.0
    levels: list[Level] = field(default_factory=lambda: [LOUD])
    missing: bool = False
    finish: threading.Event | None = None
    recordings: list[FakeRecording] = field(default_factory=list)

    def check(self) -> None:
        if self.missing:
            raise UserError("no input device found; connect a microphone (devices available: none)")

    def start(self, path: Path, *, max_seconds: float = 600.0) -> FakeRecording:
        self.check()
        recording = FakeRecording(path, list(self.levels), self.seconds, finish=self.finish)
        self.recordings.append(recording)
        return recording


@dataclass
class MemoryStore:
    """An in-memory AttemptStore for snapshot tests (flow tests use the real SQLite store)."""

    saved: list[tuple[Score, RecordedAnswer | None]] = field(default_factory=list)
    summaries: list[AttemptSummary] = field(default_factory=list)
    averages: dict[str, float] = field(default_factory=dict)

    def save_attempt(self, score: Score, **kwargs: object) -> int:
        self.saved.append((score, None))
        return len(self.saved)

    def recent(self, limit: int = 10) -> list[AttemptSummary]:
        return self.summaries[:limit]

    def criterion_averages(self) -> dict[str, float]:
        return dict(self.averages)


if TYPE_CHECKING:
    # The fakes honour the services' contracts (mypy checks it here, not only where they are used).
    _transcriber: type[Transcriber] = FakeTranscriber
    _recorder: type[Recorder] = FakeRecorder
    _store: type[AttemptStore] = MemoryStore
