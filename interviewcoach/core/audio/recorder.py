"""Microphone recording through sounddevice (PortAudio): devices, crash-safe WAV streaming, live levels.

How an answer is never lost:
- PortAudio's callback only copies each block into a queue. A writer thread streams the blocks to a
  WAV file as they arrive and rewrites the header's sizes (and fsyncs) at least once a second, so a
  killed process leaves a playable file holding all but the last second.
- While recording, a marker `<name>.wav.recording` sits beside the WAV holding an flock, which the
  kernel drops when the process dies. `recover_interrupted` finds markers that nobody holds, repairs
  the WAV header from the file size and renames the marker to `<name>.wav.interrupted`.
- A recording in a history `audio/` folder keeps its marker, locked and noting "finished", after the
  stop, until `release_recording` says the answer is settled (saved, or deleted as no speech). So an
  answer cancelled, discarded or cut short by a crash while it was being scored is found the moment
  its process is gone, and never while that process may still save it.
- A stop request (Ctrl+C), the maximum length, a lost device or a full disk all end the same way:
  the header is finalised, the audio so far is kept, and `stop_reason` says what happened.

Format: the WAV is always 16 kHz mono 16-bit PCM, what Whisper wants. Capture is float32 mono at
16 kHz when the device allows; otherwise at the device's own rate (or in stereo), resampled and mixed
down in the writer thread. One format on disk means the transcriber, the store and a recovered file
never need to know what the microphone could do.

PortAudio is imported lazily: importing this module is cheap and works where PortAudio is missing.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import math
import os
import queue
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from interviewcoach.core.audio.wav import (
    HEADER_BYTES,
    StreamingResampler,
    WavStreamWriter,
    read_wav_info,
    repair_wav,
    to_pcm16,
)
from interviewcoach.core.errors import UserError
from interviewcoach.core.paths import ensure_private_dir
from interviewcoach.core.protocols import Level, RecordedAnswer

SAMPLE_RATE = 16000
DEFAULT_MAX_SECONDS = 600.0
# Below this RMS level for QUIET_WINDOW_S the input is "too quiet": speech into a working microphone
# sits around -35 to -15 dBFS, a quiet room's noise floor near -60 dBFS, a muted input at -inf.
QUIET_DBFS = -50.0
QUIET_WINDOW_S = 3.0
LEVEL_WINDOW_S = 0.1
# PortAudio hands over 50 ms blocks: with the host's own (often ~2 ms) blocks the Python callback
# alone cost 8% of a core; at 50 ms it is under 1%, and 50 ms is still smooth for a level meter.
BLOCK_S = 0.05
# No block for this long while recording means the device stopped delivering (unplugged, suspended).
STALL_S = 3.0
FLOOR_DBFS = -120.0
RECORDING_SUFFIX = ".recording"
INTERRUPTED_SUFFIX = ".interrupted"

PORTAUDIO_HINT = (
    "PortAudio is not installed, so the microphone cannot be used: install it with "
    "`sudo apt-get install libportaudio2` on Debian/Ubuntu "
    "(`sudo dnf install portaudio` on Fedora, `brew install portaudio` on macOS)"
)


class AudioUnavailableError(UserError):
    """PortAudio (the system library behind sounddevice) is not installed."""

    def __init__(self) -> None:
        super().__init__(PORTAUDIO_HINT)


class NoInputDeviceError(UserError):
    """PortAudio sees no device with an input."""


class DeviceNotFoundError(UserError):
    """The requested input device (by name or index) does not exist."""


class DeviceOpenError(UserError):
    """The device exists but could not be opened for recording (busy, unsupported format)."""


def _sounddevice() -> ModuleType:
    try:
        import sounddevice
    except OSError:  # "PortAudio library not found"
        raise AudioUnavailableError() from None
    module: ModuleType = sounddevice
    return module


@dataclass(frozen=True)
class InputDevice:
    """An audio device that can record."""

    index: int
    name: str
    hostapi: str
    channels: int
    default_samplerate: float
    is_default: bool

    def describe(self) -> str:
        return f"{self.index} {self.name!r}" + (" (default)" if self.is_default else "")


def _default_input_index(sd: ModuleType) -> int:
    try:
        value = sd.default.device[0]
    except (TypeError, IndexError):
        return -1
    if isinstance(value, str):
        try:
            return int(sd.query_devices(value, "input")["index"])
        except (ValueError, sd.PortAudioError):
            return -1
    return int(value) if value is not None else -1


def _all_devices(sd: ModuleType) -> list[dict[str, Any]]:
    return [dict(d) for d in sd.query_devices()]


def list_devices() -> list[InputDevice]:
    """Every input device PortAudio sees, in its order."""
    sd = _sounddevice()
    hostapis = [h["name"] for h in sd.query_hostapis()]
    default = _default_input_index(sd)
    return [
        InputDevice(
            index=int(d["index"]),
            name=str(d["name"]),
            hostapi=hostapis[d["hostapi"]] if d["hostapi"] < len(hostapis) else "?",
            channels=int(d["max_input_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            is_default=int(d["index"]) == default,
        )
        for d in _all_devices(sd)
        if d["max_input_channels"] > 0
    ]


def _refresh_portaudio(sd: ModuleType) -> None:
    """Re-read the device list (PortAudio reads it once at start); only while nothing is recording."""
    if _ACTIVE:
        return
    with contextlib.suppress(Exception):
        sd._terminate()
    sd._initialize()


def _device_list_text(devices: list[InputDevice]) -> str:
    return ", ".join(d.describe() for d in devices)


def resolve_device(spec: str | int | None) -> InputDevice:
    """The input device for `spec`: an index, an exact or unique partial name, or None for the default.

    Raises NoInputDeviceError or DeviceNotFoundError with the devices there are, so the user can
    choose one.
    """
    devices = list_devices()
    if not devices or (spec is not None and _match(devices, spec) is None):
        # A microphone plugged in after start-up is invisible until PortAudio re-reads the list.
        _refresh_portaudio(_sounddevice())
        devices = list_devices()
    if not devices:
        sd = _sounddevice()
        others = [f"{d['index']} {d['name']!r} (no input)" for d in _all_devices(sd)]
        where = f"; devices without an input: {', '.join(others)}" if others else ""
        raise NoInputDeviceError(
            "no microphone found: there is no audio input device" + where + ". Connect a microphone "
            "(on Linux check that PulseAudio or PipeWire is running, or that `arecord -l` lists a "
            "capture card), then run `interviewcoach devices`"
        )
    if spec is None:
        for device in devices:
            if device.is_default:
                return device
        return devices[0]
    found = _match(devices, spec)
    if isinstance(found, InputDevice):
        return found
    listing = _device_list_text(devices)
    if isinstance(found, list):
        names = _device_list_text(found)
        raise DeviceNotFoundError(
            f"input device {str(spec)!r} is ambiguous: it matches {names}; give the index or the full "
            "name with --device"
        )
    raise DeviceNotFoundError(
        f"no input device matching {str(spec)!r}; input devices: {listing}. Choose one with "
        "--device NAME or INDEX (see `interviewcoach devices`)"
    )


def _match(devices: list[InputDevice], spec: str | int) -> InputDevice | list[InputDevice] | None:
    """The device `spec` names, a list when a partial name is ambiguous, None when nothing matches."""
    text = str(spec).strip()
    if isinstance(spec, int) or text.lstrip("-").isdigit():
        index = int(text)
        return next((d for d in devices if d.index == index), None)
    lowered = text.casefold()
    exact = [d for d in devices if d.name.casefold() == lowered]
    if exact:
        return exact[0]
    partial = [d for d in devices if lowered in d.name.casefold()]
    if len(partial) == 1:
        return partial[0]
    return partial or None


@dataclass(frozen=True)
class CaptureSettings:
    """How a device will be opened: at 16 kHz mono when it can, else its own rate and/or stereo."""

    device: InputDevice
    samplerate: int
    channels: int

    @property
    def resampled(self) -> bool:
        return self.samplerate != SAMPLE_RATE


def negotiate(device: InputDevice, samplerate: int | None = None) -> CaptureSettings:
    """Pick the capture rate and channel count the device accepts, preferring 16 kHz mono."""
    sd = _sounddevice()
    rates = [samplerate] if samplerate else [SAMPLE_RATE, round(device.default_samplerate)]
    channel_options = [1] if device.channels < 2 else [1, 2]
    last: Exception | None = None
    for channels in channel_options:
        for rate in dict.fromkeys(rates):
            try:
                sd.check_input_settings(
                    device=device.index, channels=channels, dtype="float32", samplerate=rate
                )
            except (sd.PortAudioError, ValueError) as exc:
                last = exc
                continue
            return CaptureSettings(device, rate, channels)
    raise DeviceOpenError(f"input device {device.describe()} cannot record here: {last}")


def _dbfs(value: float) -> float:
    return max(20.0 * math.log10(value), FLOOR_DBFS) if value > 0 else FLOOR_DBFS


class LevelMeter:
    """RMS and peak over ~100 ms windows, and "too quiet" when the last few seconds stayed quiet."""

    def __init__(
        self,
        samplerate: int = SAMPLE_RATE,
        *,
        quiet_dbfs: float = QUIET_DBFS,
        quiet_window_s: float = QUIET_WINDOW_S,
        window_s: float = LEVEL_WINDOW_S,
    ) -> None:
        self._window = max(1, round(samplerate * window_s))
        self._quiet_dbfs = quiet_dbfs
        self._recent: deque[float] = deque(maxlen=max(1, round(quiet_window_s / window_s)))
        self._sumsq = 0.0
        self._peak = 0.0
        self._count = 0
        self.level = Level(FLOOR_DBFS, FLOOR_DBFS, False)

    def add(self, samples: npt.NDArray[np.float32]) -> None:
        start = 0
        while start < len(samples):
            take = min(self._window - self._count, len(samples) - start)
            chunk = samples[start : start + take].astype(np.float64)
            self._sumsq += float(np.dot(chunk, chunk))
            self._peak = max(self._peak, float(np.max(np.abs(chunk))))
            self._count += take
            start += take
            if self._count == self._window:
                rms = _dbfs(math.sqrt(self._sumsq / self._count))
                self._recent.append(rms)
                quiet = len(self._recent) == self._recent.maxlen and max(self._recent) < self._quiet_dbfs
                self.level = Level(round(rms, 1), round(_dbfs(self._peak), 1), quiet)
                self._sumsq, self._peak, self._count = 0.0, 0.0, 0


class _Marker:
    """`<name>.wav.recording` beside a WAV being written, locked while its process is alive."""

    def __init__(self, wav: Path) -> None:
        self.path = wav.with_name(wav.name + RECORDING_SUFFIX)
        tmp = wav.with_name(f".{wav.name}{RECORDING_SUFFIX}-{os.getpid()}")
        self._fd: int | None = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            # Lock before the marker gets its real name, so recovery never sees it unlocked while we live.
            _lock(self._fd, blocking=True)
            info = {
                "pid": os.getpid(),
                "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "wav": wav.name,
            }
            os.write(self._fd, json.dumps(info).encode())
            self._info = info
            tmp.replace(self.path)
        except OSError:
            # A full disk before the recording starts: leave nothing behind.
            os.close(self._fd)
            self._fd = None
            tmp.unlink(missing_ok=True)
            raise

    def mark_finished(self) -> None:
        """The WAV is complete: after a crash it needs no repair, only an attempt."""
        if self._fd is None:
            return
        data = json.dumps({**self._info, "finished": True}).encode()
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, data, 0)

    def release(self, *, remove: bool) -> None:
        if self._fd is None:
            return
        if remove:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        os.close(self._fd)
        self._fd = None


def _write_problem(exc: OSError) -> str:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "the disk is full; free some space and try again"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    return exc.strerror or type(exc).__name__


def _lock(fd: int, *, blocking: bool) -> bool:
    """An exclusive flock; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): recovery falls back to the PID in the marker
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


# Recordings in progress in this process: stopped at exit so an uncaught error still keeps the audio.
_ACTIVE: weakref.WeakSet[SoundDeviceRecording] = weakref.WeakSet()
# Finished recordings this process may still save, by WAV path: their markers stay locked until then.
_HELD: dict[Path, _Marker] = {}
_HELD_LOCK = threading.Lock()
HISTORY_AUDIO_DIR = "audio"


def release_recording(path: Path) -> None:
    """The answer at `path` is settled (saved to the history, or deleted): drop its marker.

    Until then a finished recording keeps a locked marker, so no other process imports it while this
    one may still save it, and the next start offers it if this process ends without saving it.
    """
    with _HELD_LOCK:
        marker = _HELD.pop(path, None)
    if marker is not None:
        marker.release(remove=True)


def discard_recording(path: Path) -> None:
    """Delete a settled recording that is not worth keeping (no speech in it) with its marker."""
    path.unlink(missing_ok=True)
    release_recording(path)


@atexit.register
def _stop_active_recordings() -> None:
    for recording in list(_ACTIVE):
        with contextlib.suppress(Exception):
            recording.stop()


class SoundDeviceRecording:
    """An answer being recorded: PortAudio callback -> queue -> writer thread -> WAV on disk."""

    def __init__(
        self,
        path: Path,
        capture: CaptureSettings,
        *,
        max_seconds: float,
        quiet_dbfs: float,
        latency: str | float,
    ) -> None:
        sd = _sounddevice()
        self._sd = sd
        self.path = path
        self.capture = capture
        self.max_seconds = max_seconds
        self.requested_at = time.monotonic()
        self.first_block_at: float | None = None
        self.overflows = 0
        self._queue: queue.SimpleQueue[npt.NDArray[np.float32] | None] = queue.SimpleQueue()
        self._captured = 0
        self._max_capture = math.ceil(max_seconds * capture.samplerate)
        self._max_frames = round(max_seconds * SAMPLE_RATE)
        self._stop_requested = False
        self._max_reached = False
        self._stream_ended = False
        self._reason = ""
        self._reason_kind = ""
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._answer: RecordedAnswer | None = None
        self._meter = LevelMeter(SAMPLE_RATE, quiet_dbfs=quiet_dbfs)
        self._resampler = StreamingResampler(capture.samplerate, SAMPLE_RATE) if capture.resampled else None
        # Consumers of the audio as it is written (live transcription); see add_listener.
        self._listeners: list[Callable[[npt.NDArray[np.float32]], None]] = []
        self._tap_lock = threading.Lock()

        if not path.parent.exists():
            # A folder we create is private; an existing one (the user's --out folder) is left alone.
            ensure_private_dir(path.parent)
        try:
            self._marker = _Marker(path)
        except OSError as exc:
            raise UserError(f"cannot start the recording {path}: {_write_problem(exc)}") from None
        try:
            self._wav = WavStreamWriter(path, SAMPLE_RATE)
        except OSError as exc:
            self._marker.release(remove=True)
            # Only a header could have been written: no empty recording is left to become an attempt.
            with contextlib.suppress(OSError):
                if path.stat().st_size <= HEADER_BYTES:
                    path.unlink()
            raise UserError(f"cannot start the recording {path}: {_write_problem(exc)}") from None
        try:
            self._stream = sd.InputStream(
                device=capture.device.index,
                channels=capture.channels,
                samplerate=capture.samplerate,
                dtype="float32",
                latency=latency,
                blocksize=max(1, round(capture.samplerate * BLOCK_S)),
                callback=self._callback,
                finished_callback=self._on_finished,
            )
        except (sd.PortAudioError, ValueError) as exc:
            self._discard()
            raise DeviceOpenError(
                f"could not open the microphone {capture.device.describe()}: {exc}"
            ) from None
        self._stream_closed = False
        self._finalised = False
        self._writer = threading.Thread(target=self._write_loop, name="wav-writer", daemon=True)
        self._writer.start()
        _ACTIVE.add(self)
        try:
            self._stream.start()
        except sd.PortAudioError as exc:
            self._stop_requested = True
            self._close_stream()
            self._queue.put(None)
            self._writer.join()
            _ACTIVE.discard(self)
            self._discard()
            raise DeviceOpenError(
                f"could not start recording from {capture.device.describe()}: {exc}"
            ) from None

    # --- PortAudio's thread: copy and count, nothing else -------------------------------------
    def _callback(self, indata: npt.NDArray[np.float32], frames: int, _time: Any, status: Any) -> None:
        if status and status.input_overflow:
            self.overflows += 1
        if self.first_block_at is None:
            self.first_block_at = time.monotonic()
        self._queue.put(indata.copy())
        self._captured += frames
        if self._captured >= self._max_capture:
            self._max_reached = True
            raise self._sd.CallbackStop

    def _on_finished(self) -> None:
        self._stream_ended = True
        self._queue.put(None)

    # --- the writer thread -----------------------------------------------------------------------
    def _write_loop(self) -> None:
        last_block = last_header = time.monotonic()
        header_frames = 0
        try:
            while True:
                try:
                    block = self._queue.get(timeout=0.25)
                except queue.Empty:
                    # After a stop request, wait for the end marker: the last blocks may be in flight.
                    if not self._stop_requested and time.monotonic() - last_block > STALL_S:
                        self._set_reason("device", "the microphone stopped sending audio")
                        break
                    block = np.zeros((0, 1), np.float32)
                if block is None:
                    break
                if len(block):
                    last_block = time.monotonic()
                    self._consume(block)
                    if self._wav.frames >= self._max_frames:
                        break
                now = time.monotonic()
                if self._wav.frames != header_frames and (
                    self._wav.frames - header_frames >= SAMPLE_RATE or now - last_header >= 1.0
                ):
                    self._wav.update_header()
                    header_frames, last_header = self._wav.frames, now
            if not self._reason_kind and self._resampler is not None:
                self._write(self._resampler.flush())
        except OSError as exc:
            self._disk_error(exc)
        except Exception as exc:  # keep the audio whatever went wrong in here
            self._set_reason("error", f"recording failed ({type(exc).__name__}: {exc})")
        finally:
            self._finish_file()

    def _consume(self, block: npt.NDArray[np.float32]) -> None:
        mono = block[:, 0] if block.shape[1] == 1 else block.mean(axis=1, dtype=np.float32)
        if self._resampler is not None:
            mono = self._resampler.process(mono)
        self._write(mono)

    def _write(self, samples: npt.NDArray[np.float32]) -> None:
        room = self._max_frames - self._wav.frames
        if len(samples) > room:
            samples = samples[:room]
        if len(samples) == 0:
            return
        self._meter.add(samples)
        with self._tap_lock:
            self._wav.append(samples)
            if self._listeners:
                self._tell_listeners(samples)

    def _tell_listeners(self, samples: npt.NDArray[np.float32]) -> None:
        # Listeners get the samples as the WAV holds them (16-bit), so what they hear is the file.
        block = _as_stored(to_pcm16(samples))
        for listener in list(self._listeners):
            try:
                listener(block)
            except Exception:
                # A listener that fails is dropped; the recording itself must go on.
                self._listeners.remove(listener)

    def add_listener(self, listener: Callable[[npt.NDArray[np.float32]], None]) -> None:
        """Hand every block of the answer to `listener`: 16 kHz mono float32, as stored in the WAV.

        The audio written before this call is handed over first (read back from the file), so the
        listener gets the whole answer however late it is added. Later blocks arrive on the writer
        thread, every ~50 ms: the listener must be quick (copy and return) and must not block. A
        listener that raises is dropped without affecting the recording.
        """
        with self._tap_lock:
            data = b""
            with contextlib.suppress(OSError), self.path.open("rb") as f:
                f.seek(HEADER_BYTES)
                data = f.read(self._wav.frames * 2)
            if len(data) >= 2:
                listener(_as_stored(data[: len(data) // 2 * 2]))
            self._listeners.append(listener)

    def _disk_error(self, exc: OSError) -> None:
        import errno

        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            self._set_reason("disk", "the disk is full")
        else:
            self._set_reason("disk", f"could not write the recording ({exc.strerror or exc})")

    def _finish_file(self) -> None:
        if not self._reason_kind:
            if self._wav.frames >= self._max_frames or self._max_reached:
                minutes = self.max_seconds / 60
                limit = f"{minutes:g} min" if self.max_seconds >= 60 else f"{self.max_seconds:g} s"
                self._set_reason("max", f"reached the maximum length ({limit})")
            elif self._stream_ended and not self._stop_requested:
                self._set_reason("device", "the microphone went away (disconnected or turned off)")
        try:
            self._wav.close()
            self._finalised = True
        except OSError as exc:
            # The marker stays, so the next start repairs the header from the file size.
            self._finalised = False
            if not self._reason_kind:
                self._set_reason("disk", f"could not finish the recording ({exc.strerror or exc})")
        self._done.set()
        if self._reason_kind:
            # Ended by itself (maximum, device, disk): release the device now, not at stop().
            self._close_stream()

    def _set_reason(self, kind: str, text: str) -> None:
        if not self._reason_kind:
            self._reason_kind, self._reason = kind, text

    def _close_stream(self) -> None:
        with self._lock:
            if self._stream_closed:
                return
            self._stream_closed = True
            with contextlib.suppress(self._sd.PortAudioError):
                if self._reason_kind:
                    self._stream.abort()
                else:
                    self._stream.stop()  # lets the last blocks in flight reach the queue
            with contextlib.suppress(self._sd.PortAudioError):
                self._stream.close()

    def _discard(self) -> None:
        with contextlib.suppress(OSError):
            self._wav.close()
        with contextlib.suppress(OSError):
            self.path.unlink()
        self._marker.release(remove=True)

    # --- the Recording protocol --------------------------------------------------------------
    @property
    def elapsed_s(self) -> float:
        """Seconds of audio written to disk so far (not wall-clock time)."""
        return self._wav.frames / SAMPLE_RATE

    @property
    def header_frames(self) -> int:
        """Frames the WAV header on disk currently covers: what a crash right now would keep."""
        return self._wav.header_frames

    @property
    def first_block_latency_s(self) -> float | None:
        """Seconds from the start request to the first captured block."""
        return None if self.first_block_at is None else self.first_block_at - self.requested_at

    def level(self) -> Level:
        return self._meter.level

    @property
    def finished(self) -> bool:
        """True once recording has ended (by itself, or after stop())."""
        return self._done.is_set()

    @property
    def stop_reason(self) -> str:
        """Why recording ended by itself, with how much audio was kept; empty after a normal stop."""
        if not self._reason:
            return ""
        return f"{self._reason}; kept the first {self.elapsed_s:.1f} s"

    def stop(self) -> RecordedAnswer:
        """Stop (idempotent) and return the finished WAV; the audio so far is always kept."""
        with self._lock:
            if self._answer is not None:
                return self._answer
            self._stop_requested = True
        self._close_stream()
        self._queue.put(None)
        self._writer.join()
        with self._lock:
            if self._answer is None:
                if self._finalised and self.path.parent.name == HISTORY_AUDIO_DIR:
                    self._marker.mark_finished()
                    with _HELD_LOCK:
                        _HELD[self.path] = self._marker
                else:
                    self._marker.release(remove=self._finalised)
                _ACTIVE.discard(self)
                self._answer = RecordedAnswer(
                    path=self.path,
                    duration_s=self.elapsed_s,
                    interrupted=self._reason_kind in ("device", "disk", "error"),
                    stop_reason=self.stop_reason,
                )
            return self._answer


def _as_stored(pcm: bytes) -> npt.NDArray[np.float32]:
    """16-bit PCM bytes as the float samples a reader of the WAV gets (soundfile's scaling)."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / np.float32(32768.0)


class SoundDeviceRecorder:
    """The real Recorder: records answers from a PortAudio input device into private WAV files."""

    def __init__(
        self,
        device: str | int | None = None,
        *,
        samplerate: int | None = None,
        quiet_dbfs: float = QUIET_DBFS,
        latency: str | float = "low",
    ) -> None:
        """`device`: index or name (None: the system default); `samplerate`: force a capture rate."""
        self.device = device
        self.samplerate = samplerate
        self.quiet_dbfs = quiet_dbfs
        self.latency = latency

    def list_devices(self) -> list[InputDevice]:
        return list_devices()

    def settings(self) -> CaptureSettings:
        """The device and format recording will use; raises a UserError saying what to fix."""
        return negotiate(resolve_device(self.device), self.samplerate)

    def check(self) -> None:
        self.settings()

    def start(self, path: Path, *, max_seconds: float = DEFAULT_MAX_SECONDS) -> SoundDeviceRecording:
        if not max_seconds > 0:
            raise UserError("the maximum recording length must be more than 0 seconds")
        return SoundDeviceRecording(
            Path(path),
            self.settings(),
            max_seconds=max_seconds,
            quiet_dbfs=self.quiet_dbfs,
            latency=self.latency,
        )


def is_interrupted(wav: Path) -> bool:
    """True when `wav` was recovered after a crash (it has an `.interrupted` note beside it)."""
    return wav.with_name(wav.name + INTERRUPTED_SUFFIX).exists()


def _owner_alive(fd: int, marker: Path) -> bool:
    """Whether the process that wrote `marker` is still recording (it holds the marker's lock)."""
    wav = marker.with_name(marker.name[: -len(RECORDING_SUFFIX)])
    if wav in _HELD or any(recording.path == wav for recording in list(_ACTIVE)):
        return True
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return _pid_alive(marker)
    return not _lock(fd, blocking=False)


def _pid_alive(marker: Path) -> bool:
    try:
        pid = int(json.loads(marker.read_text()).get("pid", 0))
    except (OSError, ValueError, AttributeError):
        return False
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_interrupted(data_dir: Path) -> list[RecordedAnswer]:
    """Find recordings a crash left behind under `data_dir`, repair their headers, keep them.

    Each one cut short is returned as an interrupted RecordedAnswer (for the history) and marked with
    an `.interrupted` note beside the WAV; one that was complete but never saved (its process ended
    before scoring it) is returned as it is, not interrupted. Recordings still in progress (their
    marker is locked) are left alone; a marker whose WAV holds no audio is removed with it.
    """
    recovered: list[RecordedAnswer] = []
    if not data_dir.is_dir():
        return recovered
    for marker in sorted(data_dir.rglob("*.wav" + RECORDING_SUFFIX)):
        wav = marker.with_name(marker.name[: -len(RECORDING_SUFFIX)])
        # Skipped: still being recorded, or another process recovered it just now.
        result = _recover_marker(wav, marker)
        if result is not None:
            recovered.append(result)
    recovered += _recover_elsewhere(data_dir)
    return recovered


# Recordings made outside the data directory (`record --out F`) are noted here while they run, so
# a crash is repaired on the next run wherever the file was.
ELSEWHERE_DIR = "recordings-elsewhere"


def note_recording_elsewhere(data_dir: Path, wav: Path) -> Path | None:
    """Remember `wav` (outside `data_dir`) until it is finished; None when it cannot be noted."""
    import hashlib

    target = wav.resolve()
    name = hashlib.sha256(str(target).encode()).hexdigest()[:16] + ".json"
    try:
        folder = ensure_private_dir(data_dir / ELSEWHERE_DIR)
        note = folder / name
        fd = os.open(note, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump({"wav": str(target)}, handle)
    except (OSError, UserError):
        return None  # a read-only or full data directory: recording still works, unnoted
    return note


def forget_recording_elsewhere(note: Path | None) -> None:
    """Drop the note once the recording is finished (its marker gone)."""
    if note is None:
        return
    with contextlib.suppress(OSError, ValueError):
        wav = Path(json.loads(note.read_text())["wav"])
        if wav.with_name(wav.name + RECORDING_SUFFIX).exists():
            return  # not finished cleanly: the next run repairs it
    with contextlib.suppress(OSError):
        note.unlink()


def _recover_elsewhere(data_dir: Path) -> list[RecordedAnswer]:
    recovered: list[RecordedAnswer] = []
    folder = data_dir / ELSEWHERE_DIR
    if not folder.is_dir():
        return recovered
    for note in sorted(folder.glob("*.json")):
        try:
            wav = Path(json.loads(note.read_text())["wav"])
        except (OSError, ValueError, KeyError, TypeError):
            with contextlib.suppress(OSError):
                note.unlink()
            continue
        marker = wav.with_name(wav.name + RECORDING_SUFFIX)
        if wav.suffix.lower() == ".wav" and marker.is_file():
            result = _recover_marker(wav, marker)
            if result is not None:
                recovered.append(result)
        if not marker.exists():
            with contextlib.suppress(OSError):
                note.unlink()
    return recovered


def _recover_marker(wav: Path, marker: Path) -> RecordedAnswer | None:
    """Repair one recording whose marker nobody holds; None if it is live or held no audio."""
    try:
        fd = os.open(marker, os.O_RDWR)
    except OSError:
        return None
    try:
        if _owner_alive(fd, marker) or not marker.exists():
            return None
        return _recover_one(wav, marker)
    finally:
        os.close(fd)


def _recover_one(wav: Path, marker: Path) -> RecordedAnswer | None:
    try:
        info = json.loads(marker.read_text())
        started = info.get("started_at", "")
        finished = info.get("finished") is True
    except (OSError, ValueError, AttributeError):
        started, finished = "", False
    if finished:
        # Complete on disk; its process ended before the answer was saved (cancelled, discarded,
        # or a crash while scoring). Nothing to repair: it only needs an attempt.
        marker.unlink(missing_ok=True)
        if not wav.is_file():
            return None
        try:
            duration = read_wav_info(wav).duration_s
        except (OSError, ValueError):
            duration = 0.0
        return RecordedAnswer(path=wav, duration_s=duration, stop_reason="the app stopped before scoring it")
    try:
        info = repair_wav(wav)
    except (OSError, ValueError):
        info = None
    if info is None or info.frames == 0:
        for path in (wav, marker):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        return None
    wav.chmod(0o600)
    note = {
        "started_at": started,
        "recovered_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": round(info.duration_s, 3),
        "reason": "the app stopped while recording",
    }
    marker.write_text(json.dumps(note))
    marker.replace(wav.with_name(wav.name + INTERRUPTED_SUFFIX))
    return RecordedAnswer(
        path=wav,
        duration_s=info.duration_s,
        interrupted=True,
        stop_reason=f"the app stopped while recording; recovered {info.duration_s:.1f} s",
    )
