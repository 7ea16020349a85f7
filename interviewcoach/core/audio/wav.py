"""Crash-safe WAV streaming, header repair and a streaming resampler for recorded answers.

Recordings are 16-bit PCM, mono, 16 kHz WAV files with the canonical 44-byte header: every player and
both Whisper engines read them, and a file cut short by a crash is repaired by rewriting two sizes.
"""

from __future__ import annotations

import math
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

HEADER_BYTES = 44
SAMPLE_WIDTH = 2  # bytes per sample: 16-bit PCM
Float32Array = npt.NDArray[np.float32]


def wav_header(samplerate: int, data_bytes: int, channels: int = 1) -> bytes:
    """The canonical 44-byte header of a 16-bit PCM WAV holding `data_bytes` of samples."""
    block_align = channels * SAMPLE_WIDTH
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + data_bytes,
        b"WAVE",
        b"fmt ",
        16,
        1,  # PCM
        channels,
        samplerate,
        samplerate * block_align,
        block_align,
        SAMPLE_WIDTH * 8,
        b"data",
        data_bytes,
    )


def to_pcm16(samples: Float32Array) -> bytes:
    """Float samples in [-1, 1] as little-endian 16-bit PCM (clipped, rounded)."""
    scaled = np.rint(np.clip(samples, -1.0, 1.0) * 32767.0)
    return bytes(scaled.astype("<i2").tobytes())


class WavStreamWriter:
    """Appends 16-bit mono samples to a WAV on disk, keeping the header's sizes current on request.

    Data goes straight to the OS with unbuffered writes, so a killed process loses nothing the writer
    already wrote; `update_header` makes the file's own sizes include it (and fsyncs, for power loss).
    The file is created readable by the user only.
    """

    def __init__(self, path: Path, samplerate: int) -> None:
        self.path = path
        self.samplerate = samplerate
        self.data_bytes = 0
        self._header_bytes = -1
        self._fd: int | None = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(self._fd, 0o600)
        self._pwrite_all(wav_header(samplerate, 0), 0)
        self._header_bytes = 0

    @property
    def frames(self) -> int:
        return self.data_bytes // SAMPLE_WIDTH

    @property
    def header_frames(self) -> int:
        """Frames the header on disk currently claims (what a player would read after a crash)."""
        return max(self._header_bytes, 0) // SAMPLE_WIDTH

    def append(self, samples: Float32Array) -> None:
        """Write samples; on OSError (disk full) the bytes that did reach the disk stay counted."""
        payload = to_pcm16(samples)
        assert self._fd is not None
        view = memoryview(payload)
        while view:
            written = os.pwrite(self._fd, view, HEADER_BYTES + self.data_bytes)
            self.data_bytes += written
            view = view[written:]

    def update_header(self, *, sync: bool = True) -> None:
        """Rewrite the sizes for the whole samples written so far (an odd trailing byte is dropped)."""
        assert self._fd is not None
        whole = self.data_bytes - self.data_bytes % SAMPLE_WIDTH
        if whole != self.data_bytes:
            os.ftruncate(self._fd, HEADER_BYTES + whole)
            self.data_bytes = whole
        # Overwriting the header allocates no new blocks, so this still works when the disk is full.
        self._pwrite_all(wav_header(self.samplerate, whole), 0)
        self._header_bytes = whole
        if sync:
            os.fsync(self._fd)

    def close(self) -> None:
        """Finalise the header and close (idempotent); raises OSError if the header cannot be written."""
        if self._fd is None:
            return
        try:
            self.update_header()
        finally:
            os.close(self._fd)
            self._fd = None

    def _pwrite_all(self, data: bytes, offset: int) -> None:
        assert self._fd is not None
        view = memoryview(data)
        while view:
            written = os.pwrite(self._fd, view, offset)
            offset += written
            view = view[written:]


@dataclass(frozen=True)
class WavInfo:
    samplerate: int
    channels: int
    bits: int
    frames: int

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate if self.samplerate else 0.0


def _find_chunks(data: bytes) -> tuple[tuple[int, int, int, int] | None, int | None]:
    """(channels, rate, bits, format) from `fmt ` and the offset of the `data` payload, if present."""
    fmt: tuple[int, int, int, int] | None = None
    offset = 12
    while offset + 8 <= len(data):
        chunk_id = data[offset : offset + 4]
        (size,) = struct.unpack_from("<I", data, offset + 4)
        if chunk_id == b"fmt " and offset + 24 <= len(data):
            audio_format, channels, rate = struct.unpack_from("<HHI", data, offset + 8)
            (bits,) = struct.unpack_from("<H", data, offset + 22)
            fmt = (channels, rate, bits, audio_format)
        if chunk_id == b"data":
            return fmt, offset + 8
        offset += 8 + size + (size & 1)
    return fmt, None


def repair_wav(path: Path) -> WavInfo:
    """Make a WAV's sizes match what is on disk (after a crash), dropping a partial trailing frame.

    Raises ValueError when the file is not a PCM WAV this module could have written.
    """
    with path.open("r+b") as handle:
        head = handle.read(4096)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise ValueError(f"{path}: not a WAV file")
        fmt, data_offset = _find_chunks(head)
        if fmt is None or data_offset is None:
            raise ValueError(f"{path}: WAV header incomplete")
        channels, rate, bits, audio_format = fmt
        if audio_format != 1 or bits % 8 or channels < 1:
            raise ValueError(f"{path}: not a PCM WAV")
        block = channels * bits // 8
        size = path.stat().st_size
        data_bytes = max(size - data_offset, 0)
        data_bytes -= data_bytes % block
        handle.truncate(data_offset + data_bytes)
        handle.seek(4)
        handle.write(struct.pack("<I", data_offset - 8 + data_bytes))
        handle.seek(data_offset - 4)
        handle.write(struct.pack("<I", data_bytes))
        handle.flush()
        os.fsync(handle.fileno())
    return WavInfo(rate, channels, bits, data_bytes // block)


def read_wav_info(path: Path) -> WavInfo:
    """What a WAV's header says (not what the file size implies)."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a WAV file")
    fmt, data_offset = _find_chunks(head)
    if fmt is None or data_offset is None:
        raise ValueError(f"{path}: WAV header incomplete")
    channels, rate, bits, _ = fmt
    (data_bytes,) = struct.unpack_from("<I", head, data_offset - 4)
    return WavInfo(rate, channels, bits, data_bytes // max(channels * bits // 8, 1))


class StreamingResampler:
    """Windowed-sinc polyphase resampler that takes audio in blocks of any size.

    Output sample n sits at input time n * rate_in / rate_out, computed exactly in integers so long
    recordings never drift. Feeding a signal in pieces gives the same samples as feeding it whole.
    Used when a microphone cannot capture at 16 kHz (most hardware runs at 44.1 or 48 kHz).
    """

    MAX_PHASES = 4096

    def __init__(self, rate_in: int, rate_out: int, *, zero_crossings: int = 16, beta: float = 8.0) -> None:
        if rate_in <= 0 or rate_out <= 0:
            raise ValueError("sample rates must be positive")
        g = math.gcd(rate_in, rate_out)
        self.up = rate_out // g
        self.down = rate_in // g
        self.phases = min(self.up, self.MAX_PHASES)
        scale = min(1.0, rate_out / rate_in)
        # Cut a little below the output's Nyquist frequency so the transition band does not alias.
        cutoff = 0.5 * scale * 0.94
        self.half = math.ceil(zero_crossings / scale)
        taps = np.arange(2 * self.half, dtype=np.float64) - (self.half - 1)
        frac = np.arange(self.phases, dtype=np.float64)[:, None] / self.phases
        x = taps[None, :] - frac
        ratio = np.clip(x / self.half, -1.0, 1.0)
        window = np.i0(beta * np.sqrt(1.0 - ratio**2)) / np.i0(beta)
        kernel = 2 * cutoff * np.sinc(2 * cutoff * x) * window
        kernel /= kernel.sum(axis=1, keepdims=True)
        self._table = kernel.astype(np.float32)
        self._offsets = np.arange(2 * self.half) - (self.half - 1)
        self._buf: Float32Array = np.zeros(self.half - 1, dtype=np.float32)
        self._buf_start = -(self.half - 1)
        self._total_in = 0
        self._next_out = 0
        self._flushed = False

    def process(self, samples: Float32Array) -> Float32Array:
        """Resample the next block; returns every output sample it can compute so far."""
        if self._flushed:
            raise RuntimeError("resampler already flushed")
        self._buf = np.concatenate([self._buf, np.asarray(samples, dtype=np.float32)])
        self._total_in += len(samples)
        # Output n needs input up to floor(n*down/up) + half.
        last = ((self._total_in - self.half) * self.up - 1) // self.down
        return self._emit(last)

    def flush(self) -> Float32Array:
        """The remaining output for the input given so far (the signal is taken to end in silence)."""
        if self._flushed:
            return np.zeros(0, dtype=np.float32)
        self._buf = np.concatenate([self._buf, np.zeros(self.half + 1, dtype=np.float32)])
        last = (self._total_in * self.up - 1) // self.down
        out = self._emit(last)
        self._flushed = True
        return out

    def _emit(self, last: int) -> Float32Array:
        if last < self._next_out:
            return np.zeros(0, dtype=np.float32)
        n = np.arange(self._next_out, last + 1, dtype=np.int64)
        position = n * self.down
        bases = position // self.up
        phases = (position % self.up) * self.phases // self.up
        index = bases[:, None] + self._offsets[None, :] - self._buf_start
        out: Float32Array = np.einsum("ij,ij->i", self._buf[index], self._table[phases]).astype(np.float32)
        self._next_out = last + 1
        keep_from = (self._next_out * self.down) // self.up - (self.half - 1)
        drop = keep_from - self._buf_start
        if drop > 0:
            self._buf = self._buf[drop:]
            self._buf_start = keep_from
        return out
