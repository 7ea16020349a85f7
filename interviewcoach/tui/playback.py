"""Playing a recorded answer back with a position you can follow: play, pause, seek.

Plain Python (no textual). A `Player` knows the recording's length at once (from its header) and
keeps a position that can be moved before playing; `play()` opens the output stream (call it off the
UI thread: PortAudio can take a moment) and PortAudio's thread then copies samples from the position
on. Pausing keeps the stream and plays silence, so resuming is instant.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interviewcoach.core.errors import UserError
from interviewcoach.core.session import AudioUnavailableError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

SEEK_S = 5.0


class Player:
    """One recording, its position in seconds, and (once playing) an output stream."""

    def __init__(self, path: Path) -> None:
        import soundfile as sf

        self.path = path
        try:
            info = sf.info(str(path))
        except (OSError, RuntimeError) as exc:
            raise UserError(f"{path}: the recording cannot be read ({exc})") from None
        self.rate = int(info.samplerate)
        self.frames = int(info.frames)
        self._samples: npt.NDArray[np.float32] | None = None
        self._position = 0  # in frames; PortAudio's thread moves it while playing
        self._paused = True
        self._stream: Any = None
        self._lock = threading.Lock()

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate if self.rate else 0.0

    @property
    def position_s(self) -> float:
        with self._lock:
            return self._position / self.rate if self.rate else 0.0

    @property
    def playing(self) -> bool:
        return self._stream is not None and not self._paused

    @property
    def at_end(self) -> bool:
        with self._lock:
            return self._position >= self.frames

    def seek(self, seconds: float) -> None:
        """Move to `seconds` from the start (clamped to the recording), playing or not."""
        with self._lock:
            self._position = max(0, min(self.frames, round(seconds * self.rate)))

    def skip(self, seconds: float) -> None:
        """Move by `seconds` (negative: back)."""
        self.seek(self.position_s + seconds)

    def play(self) -> None:
        """Play from the position (from the start when at the end); UserError says why it cannot."""
        import soundfile as sf

        if self.at_end:
            self.seek(0)
        if self._samples is None:
            try:
                data, _ = sf.read(str(self.path), dtype="float32", always_2d=True)
            except (OSError, RuntimeError) as exc:
                raise UserError(f"{self.path}: the recording cannot be read ({exc})") from None
            self._samples = data[:, 0].copy()
            self.frames = len(self._samples)
        if self._stream is None:
            try:
                import sounddevice as sd
            except OSError:  # PortAudio missing
                raise AudioUnavailableError() from None
            try:
                stream = sd.OutputStream(
                    samplerate=self.rate, channels=1, dtype="float32", callback=self._fill
                )
                stream.start()
            except (sd.PortAudioError, ValueError) as exc:
                raise UserError(f"no audio output device to play on ({exc})") from None
            self._stream = stream
        self._paused = False

    def pause(self) -> None:
        self._paused = True

    def close(self) -> None:
        """Stop and release the output device (the position stays)."""
        self._paused = True
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception:  # a device already gone: nothing left to release
                pass

    def _fill(self, out: npt.NDArray[np.float32], frames: int, _time: object, _status: object) -> None:
        # PortAudio's thread: copy, move the position, nothing else.
        out.fill(0)
        samples = self._samples
        if self._paused or samples is None:
            return
        with self._lock:
            start = self._position
            chunk = samples[start : start + frames]
            out[: len(chunk), 0] = chunk
            self._position = start + len(chunk)
            if self._position >= self.frames:
                self._paused = True


def clock(seconds: float) -> str:
    """0:12, 1:05: a position or a length as the readout shows it."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"
