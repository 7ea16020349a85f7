"""Reading answer audio: any rate and channel count to 16 kHz mono, and a plain error for bad files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.audio.files import SAMPLE_RATE, AudioFileError, load_audio, to_model_input
from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.errors import UserError


def _tone(freq: float, seconds: float, rate: int, channels: int = 1) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    mono = 0.4 * np.sin(2 * np.pi * freq * t)
    return np.repeat(mono[:, None], channels, axis=1) if channels > 1 else mono


def _dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * SAMPLE_RATE / len(samples))


@pytest.mark.parametrize(
    ("rate", "channels", "subtype", "suffix"),
    [
        (16000, 1, "PCM_16", ".wav"),
        (8000, 1, "PCM_16", ".wav"),
        (22050, 2, "PCM_16", ".wav"),
        (44100, 2, "PCM_24", ".wav"),
        (48000, 1, "FLOAT", ".wav"),
        (48000, 6, "PCM_16", ".wav"),
        (44100, 2, "PCM_24", ".flac"),
        (16000, 1, "PCM_16", ".flac"),
    ],
)
def test_any_rate_and_channel_count_becomes_16k_mono(
    tmp_path: Path, rate: int, channels: int, subtype: str, suffix: str
) -> None:
    path = tmp_path / f"tone-{rate}-{channels}{suffix}"
    sf.write(path, _tone(440, 2.0, rate, channels), rate, subtype=subtype)
    samples = load_audio(path)
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    assert abs(len(samples) - 2 * SAMPLE_RATE) <= SAMPLE_RATE * 0.01
    assert abs(_dominant_hz(samples) - 440) < 3
    # Mixing down keeps the level (channels are averaged, not summed or dropped).
    assert 0.35 < float(np.max(np.abs(samples))) < 0.45


def test_downsampling_removes_content_above_the_new_nyquist(tmp_path: Path) -> None:
    # A 10 kHz tone at 48 kHz must vanish at 16 kHz, not fold back to 6 kHz.
    path = tmp_path / "high.wav"
    sf.write(path, _tone(10000, 1.0, 48000), 48000)
    samples = load_audio(path)
    assert float(np.sqrt(np.mean(samples[1000:-1000] ** 2))) < 0.01


def test_arrays_in_other_shapes_are_normalised() -> None:
    stereo = _tone(300, 1.0, 32000, 2).astype(np.float32)
    out = to_model_input(stereo, 32000)
    assert out.shape == (SAMPLE_RATE,)
    assert abs(_dominant_hz(out) - 300) < 3


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the compressed test files")
@pytest.mark.parametrize("suffix", [".m4a", ".mp3", ".ogg", ".webm"])
def test_compressed_formats_decode(tmp_path: Path, suffix: str) -> None:
    wav = tmp_path / "tone.wav"
    sf.write(wav, _tone(440, 1.5, 44100, 2), 44100)
    out = tmp_path / f"tone{suffix}"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), str(out)], check=True)
    samples = load_audio(out)
    assert abs(len(samples) - 1.5 * SAMPLE_RATE) < 0.1 * SAMPLE_RATE
    assert abs(_dominant_hz(samples) - 440) < 3


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the compressed test files")
@pytest.mark.parametrize("suffix", [".m4a", ".mp3", ".ogg", ".webm"])
def test_tags_in_another_encoding_do_not_stop_the_audio(tmp_path: Path, suffix: str) -> None:
    """A phone's recording titled in Latin-1 (not UTF-8): the answer loads, whatever PyAV does with tags."""
    wav = tmp_path / "tone.wav"
    sf.write(wav, _tone(440, 1.5, 44100), 44100)
    out = tmp_path / f"tagged{suffix}"
    tags = [b"-metadata", b"title=caf\xe9 \xff", b"-metadata:s:a:0", b"language=\xe9\xe9\xe9"]
    subprocess.run([b"ffmpeg", b"-v", b"error", b"-y", b"-i", bytes(wav), *tags, bytes(out)], check=True)
    samples = load_audio(out)
    assert abs(len(samples) - 1.5 * SAMPLE_RATE) < 0.1 * SAMPLE_RATE
    assert abs(_dominant_hz(samples) - 440) < 3


def _write_junk(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("missing.wav", lambda p: p, "no such file"),
        ("empty.wav", lambda p: _write_junk(p, b""), "empty"),
        ("junk.wav", lambda p: _write_junk(p, b"RIFF\x00\x00\x00\x00WAVEjunk" * 20), "not a valid WAV"),
        ("junk.flac", lambda p: _write_junk(p, b"fLaC" + b"\x00" * 300), "not a valid FLAC"),
        ("junk.m4a", lambda p: _write_junk(p, b"this is not audio " * 50), "not a readable audio file"),
        ("text.mp3", lambda p: _write_junk(p, b"hello"), "not a readable audio file"),
    ],
)
def test_bad_files_raise_a_user_error_naming_the_file(
    tmp_path: Path, name: str, make: object, message: str
) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    with pytest.raises(AudioFileError) as caught:
        load_audio(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)
    assert isinstance(caught.value, UserError)
    # Named once, and no decoder's error number (seen: "not a readable audio file ([Errno
    # 1094995529] Invalid data found when processing input: '/path/text.mp3')").
    assert str(caught.value).count(str(path)) == 1 and "Errno" not in str(caught.value)


def test_truncated_and_header_only_wavs(tmp_path: Path) -> None:
    whole = tmp_path / "whole.wav"
    sf.write(whole, _tone(440, 1.0, 16000), 16000, subtype="PCM_16")
    data = whole.read_bytes()
    header_only = _write_junk(tmp_path / "header.wav", data[:44])
    with pytest.raises(
        AudioFileError, match=r"is truncated: its header promises 1.0 s of audio but the file holds 0.0 s"
    ):
        load_audio(header_only)
    cut_header = _write_junk(tmp_path / "cut.wav", data[:20])
    with pytest.raises(AudioFileError, match="not a valid WAV"):
        load_audio(cut_header)
    # A recording cut short mid-data (a crash while writing) still gives the audio that is there.
    half = _write_junk(tmp_path / "half.wav", data[: 44 + 16000])
    assert len(load_audio(half)) == 8000


def test_a_folder_is_not_an_audio_file(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="folder"):
        load_audio(tmp_path)


def test_other_formats_without_any_ffmpeg_say_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write_junk(tmp_path / "answer.m4a", b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 200)
    monkeypatch.setitem(sys.modules, "av", None)  # PyAV missing: `import av` raises ImportError
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(AudioFileError, match="install ffmpeg, or convert the recording to WAV or FLAC"):
        load_audio(path)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs the ffmpeg program")
def test_the_ffmpeg_program_decodes_when_pyav_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wav = tmp_path / "tone.wav"
    sf.write(wav, _tone(440, 1.0, 22050), 22050)
    m4a = tmp_path / "tone.m4a"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), str(m4a)], check=True)
    monkeypatch.setitem(sys.modules, "av", None)
    samples = load_audio(m4a)
    assert abs(_dominant_hz(samples) - 440) < 3
    bad = _write_junk(tmp_path / "bad.m4a", b"nonsense" * 40)
    with pytest.raises(AudioFileError, match="not a readable audio file"):
        load_audio(bad)


@pytest.mark.parametrize("command", ["transcribe", "score"])
def test_cli_reports_a_bad_file_in_one_line_with_exit_2(
    tmp_path: Path, bank: QuestionBank, command: str
) -> None:
    path = _write_junk(tmp_path / "broken.wav", b"RIFF....WAVEfmt nonsense")
    question = next(iter(bank)).id
    args = (
        ["transcribe", str(path)]
        if command == "transcribe"
        else ["score", "-q", question, "--audio", str(path)]
    )
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "broken.wav" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
