"""Playing a recorded answer back (history review), when the machine has an output device."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from interviewcoach.core.errors import UserError


def play(path: Path, *, cancel: threading.Event) -> None:
    """Play a WAV on the default output until it ends or `cancel` is set; UserError says why not."""
    import soundfile as sf

    from interviewcoach.core.session import AudioUnavailableError

    try:
        import sounddevice as sd
    except OSError:  # PortAudio missing
        raise AudioUnavailableError() from None
    try:
        data, rate = sf.read(path, dtype="float32")
    except (OSError, RuntimeError) as exc:
        raise UserError(f"{path}: the recording cannot be read ({exc})") from None
    try:
        sd.play(data, rate)
    except (sd.PortAudioError, ValueError) as exc:
        raise UserError(f"no audio output device to play on ({exc})") from None
    try:
        deadline = time.monotonic() + len(data) / rate + 0.3
        while time.monotonic() < deadline and not cancel.wait(0.05):
            pass
    finally:
        sd.stop()
