"""Read an answer's audio file as 16 kHz mono float32 samples, the form both Whisper engines take.

WAV and FLAC (and whatever else libsndfile reads) load with soundfile, at any rate and channel count.
Other formats (m4a, mp3 from a phone, webm) decode through the FFmpeg libraries that PyAV bundles,
or an `ffmpeg` program on PATH; without either, the user gets a plain error rather than a traceback.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from interviewcoach.core.errors import UserError

SAMPLE_RATE = 16000
# Formats that must load without FFmpeg: a failure here means a damaged file, not a missing decoder.
NATIVE_SUFFIXES = frozenset({".wav", ".wave", ".flac"})

Samples = npt.NDArray[np.float32]


class AudioFileError(UserError):
    """An audio file that cannot be read: missing, empty, damaged or in an unsupported format."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}")


def load_audio(path: Path | str) -> Samples:
    """The file's audio as 16 kHz mono float32 in [-1, 1]; raises AudioFileError when unreadable."""
    path = Path(path)
    if not path.exists():
        raise AudioFileError(path, "no such file")
    if path.is_dir():
        raise AudioFileError(path, "is a folder, not an audio file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AudioFileError(path, exc.strerror or "cannot read") from None
    if size == 0:
        raise AudioFileError(path, "the file is empty (0 bytes)")

    native = _read_soundfile(path)
    if native is not None:
        samples, rate = native
    elif path.suffix.lower() in NATIVE_SUFFIXES:
        raise AudioFileError(
            path, f"not a valid {path.suffix.lstrip('.').upper()} file (damaged or truncated?)"
        )
    else:
        samples, rate = _decode_other(path), SAMPLE_RATE
    if samples.size == 0:
        raise AudioFileError(path, "holds no audio samples")
    if not np.all(np.isfinite(samples)):
        raise AudioFileError(path, "holds invalid samples (NaN or infinity)")
    return to_model_input(samples, rate)


def to_model_input(samples: npt.NDArray[np.floating], rate: int) -> Samples:
    """Mix down to mono and resample to 16 kHz (any shape: (n,) or (n, channels))."""
    audio = np.asarray(samples, dtype=np.float32)
    if audio.ndim == 2:
        audio = audio.mean(axis=1, dtype=np.float32)
    elif audio.ndim != 1:
        raise ValueError(f"audio must be 1-D or 2-D, got shape {audio.shape}")
    if rate != SAMPLE_RATE:
        audio = resample(audio, rate, SAMPLE_RATE)
    return np.ascontiguousarray(audio, dtype=np.float32)


def resample(audio: Samples, rate: int, target: int = SAMPLE_RATE) -> Samples:
    """Band-limited resampling with libswresample (PyAV), so 44.1/48 kHz phones do not alias."""
    if rate == target or audio.size == 0:
        return audio
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
    out: list[Samples] = []
    # Frames of one second keep memory flat for long recordings.
    step = rate
    for start in range(0, audio.size, step):
        chunk = np.ascontiguousarray(audio[start : start + step], dtype=np.float32).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
        frame.sample_rate = rate
        out.extend(_mono(f) for f in resampler.resample(frame))
    out.extend(_mono(f) for f in resampler.resample(None))
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, dtype=np.float32)


def _read_soundfile(path: Path) -> tuple[Samples, int] | None:
    """(samples, rate) when libsndfile can read the file, else None."""
    import soundfile as sf

    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        return None
    return np.asarray(data, dtype=np.float32), int(rate)


def _decode_other(path: Path) -> Samples:
    """Decode a format libsndfile does not read, with PyAV or else the ffmpeg program."""
    try:
        import av
    except ImportError:
        return _decode_ffmpeg(path)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioFileError(path, "has no audio track")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            chunks: list[Samples] = []
            for frame in container.decode(audio=0):
                chunks.extend(_mono(f) for f in resampler.resample(frame))
            chunks.extend(_mono(f) for f in resampler.resample(None))
    except AudioFileError:
        raise
    except (av.error.FFmpegError, ValueError, IndexError, OSError) as exc:
        raise AudioFileError(path, f"not a readable audio file ({_first_line(exc)})") from None
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32)


def _decode_ffmpeg(path: Path) -> Samples:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise AudioFileError(
            path,
            f"cannot read {path.suffix or 'this'} files without FFmpeg: install ffmpeg, "
            "or convert the recording to WAV or FLAC",
        )
    cmd = [
        ffmpeg,
        "-nostdin",
        "-v",
        "error",
        "-i",
        str(path),
        "-f",
        "f32le",
        "-ac",
        "1",
        "-ar",
        str(SAMPLE_RATE),
        "-",
    ]
    result = subprocess.run(cmd, capture_output=True, check=False)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        reason = detail[-1] if detail else f"ffmpeg exit status {result.returncode}"
        raise AudioFileError(path, f"not a readable audio file ({reason})")
    return np.frombuffer(result.stdout, dtype=np.float32).copy()


def _mono(frame: Any) -> Samples:
    return np.asarray(frame.to_ndarray(), dtype=np.float32).reshape(-1)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
