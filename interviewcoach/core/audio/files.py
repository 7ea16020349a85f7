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

from interviewcoach.core.audio.wav import read_wav_info
from interviewcoach.core.errors import UserError

SAMPLE_RATE = 16000
# Formats that must load without FFmpeg: a failure here means a damaged file, not a missing decoder.
NATIVE_SUFFIXES = frozenset({".wav", ".wave", ".flac"})
# Compressed formats go straight to FFmpeg: libsndfile's MP3 reader prints C errors on junk and
# reads the whole file looking for a frame.
FFMPEG_SUFFIXES = frozenset(
    {
        ".mp3",
        ".m4a",
        ".aac",
        ".mp4",
        ".webm",
        ".ogg",
        ".oga",
        ".opus",
        ".wma",
        ".amr",
        ".3gp",
        ".mka",
        ".mkv",
        ".mov",
    }
)

# Limits checked before (and while) decoding, so no file can take unbounded time or memory.
MAX_SECONDS = 20 * 60
MIN_RATE, MAX_RATE = 8000, 192_000
MAX_CHANNELS = 8
# Compressed audio: 20 minutes at any bitrate a phone or recorder uses fits well within this.
MAX_COMPRESSED_BYTES = 256 * 1024 * 1024
# Native files are read in blocks of this many seconds and resampled as they arrive.
_BLOCK_S = 10

Samples = npt.NDArray[np.float32]


class AudioFileError(UserError):
    """An audio file that cannot be read: missing, empty, damaged or in an unsupported format."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}")


def load_audio(path: Path | str, *, max_seconds: float = MAX_SECONDS) -> Samples:
    """The file's audio as 16 kHz mono float32 in [-1, 1]; raises AudioFileError when unreadable.

    The header (rate, channels, length) is checked before any audio is decoded, and decoding is
    streamed: memory stays in proportion to `max_seconds` of 16 kHz audio whatever the file says.
    """
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

    suffix = path.suffix.lower()
    samples = None if suffix in FFMPEG_SUFFIXES else _read_soundfile(path, max_seconds)
    if samples is None and suffix in NATIVE_SUFFIXES:
        raise AudioFileError(path, f"not a valid {suffix.lstrip('.').upper()} file (damaged or truncated?)")
    if samples is None:
        if size > MAX_COMPRESSED_BYTES:
            raise AudioFileError(
                path,
                f"is {size / 2**20:,.0f} MB; compressed audio is limited to "
                f"{MAX_COMPRESSED_BYTES // 2**20} MB (answers are at most {MAX_SECONDS // 60} minutes)",
            )
        samples = _decode_other(path, max_seconds)
    if samples.size == 0:
        raise AudioFileError(path, "holds no audio samples")
    if not np.all(np.isfinite(samples)):
        raise AudioFileError(path, "holds invalid samples (NaN or infinity)")
    return samples


def _too_long(path: Path, seconds: float, max_seconds: float) -> AudioFileError:
    return AudioFileError(
        path, f"is {seconds / 60:.1f} minutes long; answers are limited to {max_seconds / 60:g} minutes"
    )


def _check_format(path: Path, rate: int, channels: int) -> None:
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioFileError(
            path,
            f"its header gives a sample rate of {rate:,} Hz; audio from {MIN_RATE // 1000} to "
            f"{MAX_RATE // 1000} kHz is supported (damaged file?)",
        )
    if not 1 <= channels <= MAX_CHANNELS:
        raise AudioFileError(
            path, f"its header gives {channels} channels; 1 to {MAX_CHANNELS} are supported (damaged file?)"
        )


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


def _read_soundfile(path: Path, max_seconds: float) -> Samples | None:
    """16 kHz mono samples when libsndfile can read the file, else None; limits checked first."""
    import soundfile as sf

    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        return None
    _check_format(path, int(info.samplerate), int(info.channels))
    rate = int(info.samplerate)
    if info.frames > max_seconds * rate:
        raise _too_long(path, info.frames / rate, max_seconds)
    _check_not_truncated(path, info.frames, rate)
    resampler = _Resampler(rate)
    try:
        with sf.SoundFile(str(path)) as sound:
            for block in sound.blocks(blocksize=_BLOCK_S * rate, dtype="float32", always_2d=True):
                resampler.add(np.asarray(block, dtype=np.float32).mean(axis=1, dtype=np.float32))
                if resampler.seconds > max_seconds:
                    raise _too_long(path, resampler.seconds, max_seconds)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        return None
    return resampler.finish()


def _check_not_truncated(path: Path, frames: int, rate: int) -> None:
    """A WAV that holds almost none of the audio its header promises is an incomplete copy: say so.

    Otherwise the little that is there reads as silence, and the advice is to check the microphone.
    A file cut short with a tenth or more left still gives the audio that is there.
    """

    try:
        declared = read_wav_info(path)
    except (OSError, ValueError):
        return
    # 0 and 0xFFFFFFFF-sized data chunks come from tools that stream WAV and never fill the size in.
    unknown = declared.frames == 0 or declared.frames * declared.channels * (declared.bits // 8) >= 0xFFFFFFF0
    if not unknown and frames * 10 < declared.frames:
        raise AudioFileError(
            path,
            f"is truncated: its header promises {declared.frames / rate:.1f} s of audio but the file "
            f"holds {frames / rate:.1f} s (an incomplete copy? copy it again)",
        )


class _Resampler:
    """Mono blocks at any rate in, one 16 kHz array out, resampled as the blocks arrive."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.chunks: list[Samples] = []
        self.samples_in = 0
        self._av: Any = None
        if rate != SAMPLE_RATE:
            import av

            self._av = av
            self._resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)

    @property
    def seconds(self) -> float:
        return self.samples_in / self.rate

    def add(self, mono: Samples) -> None:
        self.samples_in += mono.size
        if self._av is None:
            self.chunks.append(mono.copy())
            return
        for start in range(0, mono.size, self.rate):
            chunk = np.ascontiguousarray(mono[start : start + self.rate]).reshape(1, -1)
            frame = self._av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
            frame.sample_rate = self.rate
            self.chunks.extend(_mono(f) for f in self._resampler.resample(frame))

    def finish(self) -> Samples:
        if self._av is not None:
            self.chunks.extend(_mono(f) for f in self._resampler.resample(None))
        if not self.chunks:
            return np.zeros(0, dtype=np.float32)
        return np.ascontiguousarray(np.concatenate(self.chunks), dtype=np.float32)


def _decode_other(path: Path, max_seconds: float) -> Samples:
    """Decode a format libsndfile does not read, with PyAV or else the ffmpeg program."""
    try:
        import av
    except ImportError:
        return _decode_ffmpeg(path, max_seconds)
    limit = int(max_seconds * SAMPLE_RATE)
    try:
        with av.open(str(path), "r", **_open_options(av)) as container:
            if not container.streams.audio:
                raise AudioFileError(path, "has no audio track")
            stream = container.streams.audio[0]
            if not stream.sample_rate or not stream.channels:
                raise AudioFileError(path, "not a readable audio file (no valid audio stream found)")
            _check_format(path, int(stream.sample_rate), int(stream.channels))
            if container.duration is not None and container.duration / 1_000_000 > max_seconds:
                raise _too_long(path, container.duration / 1_000_000, max_seconds)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            chunks: list[Samples] = []
            total = 0
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(_mono(out))
                    total += chunks[-1].size
                if total > limit:
                    raise _too_long(path, total / SAMPLE_RATE, max_seconds)
            chunks.extend(_mono(f) for f in resampler.resample(None))
    except AudioFileError:
        raise
    except (av.error.FFmpegError, ValueError, IndexError, OSError) as exc:
        raise AudioFileError(path, f"not a readable audio file ({_reason(exc)})") from None
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32)


def _open_options(av: Any) -> dict[str, Any]:
    """What `av.open` needs so that a file's tags never stop its audio from loading.

    PyAV 18 and older decode every container and stream tag at open, strictly by default, so a phone's
    file with a title in another encoding raised UnicodeDecodeError and was refused as unreadable;
    `metadata_errors="ignore"` drops the bad bytes. PyAV 19 reads tags as UTF-8 with surrogateescape
    (which never fails) and no longer takes the argument. Tags are never read here either way.
    """
    major = int(str(av.__version__).split(".", 1)[0])
    return {"metadata_errors": "ignore"} if major < 19 else {}


def _decode_ffmpeg(path: Path, max_seconds: float) -> Samples:
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
        "-t",
        str(max_seconds + 1),
        "-",
    ]
    result = subprocess.run(cmd, capture_output=True, check=False)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        reason = detail[-1] if detail else f"ffmpeg exit status {result.returncode}"
        raise AudioFileError(path, f"not a readable audio file ({reason})")
    samples = np.frombuffer(result.stdout, dtype=np.float32).copy()
    if samples.size > max_seconds * SAMPLE_RATE:
        raise _too_long(path, samples.size / SAMPLE_RATE, max_seconds)
    return samples


def _mono(frame: Any) -> Samples:
    return np.asarray(frame.to_ndarray(), dtype=np.float32).reshape(-1)


def _reason(exc: BaseException) -> str:
    """The decoder's reason alone: FFmpeg's and the OS's errors also carry an errno and the path,
    which the message already names ("[Errno 1094995529] Invalid data ...: '/path/a.mp3'")."""
    strerror = getattr(exc, "strerror", None)
    return strerror.strip() if isinstance(strerror, str) and strerror.strip() else _first_line(exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
