"""Broken and hostile audio files: limits checked before decoding, one line and exit 2, bounded memory.

Each of these once took gigabytes (a header saying 1 Hz, a 2 GB WAV, 10 hours of FLAC) or read a
whole 2 GB junk file; they now fail at the header, in a process limited to 1.5 GB.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hypothesis import given
from hypothesis import strategies as st

from interviewcoach.core.audio.files import AudioFileError, load_audio
from tests.fuzz_budget import Fuzzer, fuzz_settings

LIMIT_BYTES = 1_500_000_000


def _wav(path: Path, rate: int, channels: int, data_bytes: int, payload: bytes = b"", bits: int = 16) -> Path:
    block = channels * bits // 8
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + data_bytes,
        b"WAVE",
        b"fmt ",
        16,
        1,
        channels,
        rate,
        rate * block,
        block,
        bits,
        b"data",
        data_bytes,
    )
    path.write_bytes(header + payload)
    return path


def _sparse(path: Path, size: int) -> None:
    with path.open("r+b") as handle:
        handle.truncate(size)


def _flac_claiming(path: Path, seconds: int) -> Path:
    """A one-second FLAC whose STREAMINFO says it is `seconds` long."""
    sf.write(path, np.zeros(16000, dtype=np.float32), 16000, format="FLAC")
    data = bytearray(path.read_bytes())
    # STREAMINFO: 4-byte marker, 4-byte block header, then the 36-bit total sample count at the
    # low 4 bits of byte 21 and bytes 22-25.
    total = seconds * 16000
    data[21] = (data[21] & 0xF0) | ((total >> 32) & 0x0F)
    data[22:26] = (total & 0xFFFFFFFF).to_bytes(4, "big")
    path.write_bytes(bytes(data))
    return path


def _cases(folder: Path) -> dict[str, tuple[Path, str]]:
    one_hz = _wav(folder / "one-hz.wav", 1, 1, 400_000, bytes(400_000))
    big = _wav(folder / "big.wav", 16000, 1, 2_000_000_000)
    _sparse(big, 44 + 2_000_000_000)
    junk = folder / "junk.mp3"
    junk.write_bytes(os.urandom(70_000))
    _sparse(junk, 2_000_000_000)
    return {
        "header says 1 Hz": (one_hz, "sample rate of 1 Hz"),
        "header says 100 channels": (
            _wav(folder / "chan.wav", 16000, 100, 3200, bytes(3200), bits=8),
            "100 channels",
        ),
        "2 GB WAV": (big, "minutes long; answers are limited to 20 minutes"),
        "10 h FLAC": (_flac_claiming(folder / "long.flac", 36_000), "600.0 minutes long"),
        "2 GB junk mp3": (junk, "compressed audio is limited to 256 MB"),
        "truncated WAV": (_wav(folder / "cut.wav", 16000, 1, 320_000, bytes(3200)), "is truncated"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "header says 1 Hz",
        "header says 100 channels",
        "2 GB WAV",
        "10 h FLAC",
        "2 GB junk mp3",
        "truncated WAV",
    ],
)
def test_hostile_audio_is_one_line_and_exit_2_within_1_5_gb(tmp_path: Path, case: str) -> None:
    path, message = _cases(tmp_path)[case]
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({LIMIT_BYTES}, {LIMIT_BYTES}))\n"
        "sys.argv = ['interviewcoach', 'score', '-q', 'low-score', '--audio', sys.argv[1]]\n"
        "from interviewcoach.cli import main\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stderr[-2000:]
    assert out.stdout == ""
    [line] = out.stderr.splitlines()
    assert line.startswith(f"interviewcoach: {path}: ") and message in line, line


def test_a_wav_cut_short_with_audio_left_still_loads(tmp_path: Path) -> None:
    samples = (np.sin(np.arange(32000) / 5) * 10000).astype("<i2").tobytes()
    path = _wav(tmp_path / "half.wav", 16000, 1, len(samples), samples[: len(samples) // 2])
    assert load_audio(path).size == 16000


_HEADERS = st.tuples(
    st.integers(0, 400_000),  # rate
    st.integers(0, 12),  # channels
    st.sampled_from([8, 16, 24, 32, 12, 0]),  # bits
    st.integers(0, 2**32 - 1),  # declared data bytes
    st.integers(0, 20_000),  # bytes actually present
)


# Each case is one load, whatever the header claims (rate, channels, a data size up to 4 GiB).
WAV_HEADERS = Fuzzer("audio: WAV headers")


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One WAV loaded before the budgeted cases, so none of them pays for the decoders' imports."""
    path = _wav(tmp_path_factory.mktemp("warm") / "w.wav", 16000, 1, 3200, bytes(3200))
    assert load_audio(path).size == 1600


@fuzz_settings(max_examples=150)
@given(_HEADERS)
def test_fuzzed_wav_headers_load_or_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, warm: None, header: tuple[int, ...]
) -> None:
    rate, channels, bits, declared, present = header
    folder = tmp_path_factory.mktemp("wav")
    try:
        path = _wav(folder / "f.wav", rate, channels, declared, os.urandom(present), bits=bits)
    except struct.error:
        return  # not representable in a WAV header
    try:
        samples = WAV_HEADERS.wrap(load_audio)(path)
    except AudioFileError as exc:
        assert "\n" not in str(exc)
        return
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert samples.size <= 20 * 60 * 16000
