"""Recording through real PortAudio with fake microphones: fidelity, levels, endings, crash recovery."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from interviewcoach.core.audio.recorder import (
    DeviceNotFoundError,
    LevelMeter,
    NoInputDeviceError,
    SoundDeviceRecorder,
    is_interrupted,
    recover_interrupted,
    resolve_device,
)
from interviewcoach.core.audio.wav import (
    HEADER_BYTES,
    StreamingResampler,
    WavStreamWriter,
    read_wav_info,
    repair_wav,
    wav_header,
)
from tests.audio_rig import AlsaFileMic, PulseMic, align, load_mono, wait_for
from tests.speech import Clip

ROOT = Path(__file__).resolve().parents[2]
MIN_CORRELATION = 0.99


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _sine(freq: float, seconds: float, rate: int, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


# --- without audio hardware --------------------------------------------------------------------


def test_importing_audio_needs_no_portaudio() -> None:
    """The module imports without PortAudio; only using a device says what to install."""
    code = textwrap.dedent(
        """
        import ctypes.util, sys
        real = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None if "portaudio" in name else real(name)
        import interviewcoach.core.audio.recorder as audio, interviewcoach.cli.audio_cmds
        assert "sounddevice" not in sys.modules, "sounddevice imported at module top"
        try:
            audio.list_devices()
        except audio.AudioUnavailableError as exc:
            print(exc)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "PortAudio is not installed" in out.stdout
    assert "sudo apt-get install libportaudio2" in out.stdout


def test_wav_writer_keeps_header_current_and_file_private(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    writer = WavStreamWriter(path, 16000)
    assert _mode(path) == 0o600
    assert read_wav_info(path).frames == 0
    writer.append(_sine(440, 1.0, 16000))
    # Written but not yet in the header: a crash now keeps the audio only after repair.
    assert path.stat().st_size == HEADER_BYTES + 32000
    assert read_wav_info(path).frames == 0
    writer.update_header(sync=False)
    assert read_wav_info(path).frames == 16000 == writer.header_frames
    writer.append(_sine(440, 0.5, 16000))
    writer.close()
    data, rate = sf.read(path, dtype="float32")
    assert rate == 16000 and len(data) == 24000
    assert np.max(np.abs(data - _sine(440, 1.5, 16000)[:24000])) < 1 / 32767 + 1e-6


@pytest.mark.parametrize(
    ("claimed_bytes", "extra_bytes", "expected_frames"),
    [
        (0, 32000, 16000),  # crash before the first header update
        (16000, 32000, 16000),  # header a second behind the data
        (0, 32001, 16000),  # killed mid-sample: the partial frame is dropped
        (0, 0, 0),  # nothing recorded
        (50000, 32000, 16000),  # header claims more than there is
    ],
)
def test_repair_wav_makes_header_match_the_file(
    tmp_path: Path, claimed_bytes: int, extra_bytes: int, expected_frames: int
) -> None:
    path = tmp_path / "r.wav"
    path.write_bytes(
        wav_header(16000, claimed_bytes)
        + bytes(range(256)) * (extra_bytes // 256)
        + b"\x01" * (extra_bytes % 256)
    )
    info = repair_wav(path)
    assert info.frames == expected_frames
    assert read_wav_info(path).frames == expected_frames
    assert path.stat().st_size == HEADER_BYTES + 2 * expected_frames
    if expected_frames:
        assert sf.info(str(path)).frames == expected_frames


def test_repair_wav_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    path.write_bytes(b"not a wav at all, just text")
    with pytest.raises(ValueError, match="not a WAV"):
        repair_wav(path)


@pytest.mark.parametrize("rate_in", [44100, 48000, 22050, 8000])
def test_resampler_is_accurate_and_block_size_independent(rate_in: int) -> None:
    signal_in = _sine(1000, 2.0, rate_in)
    whole = StreamingResampler(rate_in, 16000)
    expected = np.concatenate([whole.process(signal_in), whole.flush()])
    pieces = StreamingResampler(rate_in, 16000)
    rng = np.random.default_rng(rate_in)
    out, i = [], 0
    while i < len(signal_in):
        step = int(rng.integers(1, 2500))
        out.append(pieces.process(signal_in[i : i + step]))
        i += step
    out.append(pieces.flush())
    streamed = np.concatenate(out)
    assert np.array_equal(streamed, expected)
    assert len(streamed) == 32000
    reference = _sine(1000, 2.0, 16000)
    error = streamed[100:-100] - reference[100:-100]
    snr_db = 10 * np.log10(np.mean(reference**2) / np.mean(error**2))
    assert snr_db > 60


@pytest.mark.parametrize("rate_in", [44100, 48000])
def test_resampler_removes_what_16k_cannot_hold(rate_in: int) -> None:
    """A 10 kHz tone is above 16 kHz audio's 8 kHz limit: it must vanish, not alias to 6 kHz."""
    resampler = StreamingResampler(rate_in, 16000)
    out = np.concatenate([resampler.process(_sine(10000, 1.0, rate_in)), resampler.flush()])
    assert 20 * np.log10(np.sqrt(np.mean(out[200:-200] ** 2)) / (0.5 / np.sqrt(2))) < -60


def test_level_meter_reports_dbfs_and_too_quiet() -> None:
    meter = LevelMeter(16000)
    meter.add(_sine(440, 0.5, 16000, amplitude=0.5))
    assert meter.level.peak_dbfs == pytest.approx(-6.0, abs=0.1)
    assert meter.level.rms_dbfs == pytest.approx(-9.0, abs=0.1)
    assert not meter.level.too_quiet
    meter.add(np.full(round(2.8 * 16000), 1e-4, np.float32))  # -80 dBFS, but only for 2.8 s
    assert meter.level.rms_dbfs == pytest.approx(-80.0, abs=0.1)
    assert not meter.level.too_quiet
    meter.add(np.zeros(round(0.4 * 16000), np.float32))  # now 3 s with nothing above the floor
    assert meter.level.too_quiet
    assert meter.level.rms_dbfs == -120.0
    meter.add(_sine(440, 0.1, 16000, amplitude=0.05))  # speech again
    assert not meter.level.too_quiet


def _leave_crashed_recording(folder: Path, name: str, seconds: float) -> Path:
    """What a killed process leaves: header sizes stale, data on disk, an unlocked marker."""
    folder.mkdir(parents=True, exist_ok=True)
    wav = folder / name
    wav.write_bytes(wav_header(16000, 0) + np.zeros(round(seconds * 16000), "<i2").tobytes() + b"\x00")
    (folder / (name + ".recording")).write_text(json.dumps({"pid": 999999999, "started_at": "x"}))
    return wav


def test_recover_interrupted_repairs_keeps_and_marks(tmp_path: Path) -> None:
    wav = _leave_crashed_recording(tmp_path / "audio", "20260101-120000-000000-why-ir.wav", 2.5)
    empty = _leave_crashed_recording(tmp_path / "audio", "20260101-120100-000000-why-ir.wav", 0)
    found = recover_interrupted(tmp_path)
    assert [(r.path, r.duration_s, r.interrupted) for r in found] == [(wav, 2.5, True)]
    assert "stopped while recording" in found[0].stop_reason
    assert read_wav_info(wav).frames == 40000
    assert _mode(wav) == 0o600
    assert is_interrupted(wav)
    assert not (wav.parent / (wav.name + ".recording")).exists()
    # Nothing was said in the empty one: it is not kept.
    assert not empty.exists() and not (empty.parent / (empty.name + ".recording")).exists()
    assert recover_interrupted(tmp_path) == []


def test_recover_interrupted_leaves_a_recording_in_progress_alone(tmp_path: Path) -> None:
    wav = _leave_crashed_recording(tmp_path, "live.wav", 1.0)
    fd = os.open(wav.parent / "live.wav.recording", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as the recording process holds it
        assert recover_interrupted(tmp_path) == []
        assert read_wav_info(wav).frames == 0
    finally:
        os.close(fd)
    assert [r.path for r in recover_interrupted(tmp_path)] == [wav]


# --- ALSA file plugin: fixed-length recordings -------------------------------------------------


def test_fixed_length_recording_matches_the_microphone(
    alsa_mic: Callable[..., AlsaFileMic], speech_clip: Clip, tmp_path: Path
) -> None:
    fed = speech_clip.samples()
    alsa_mic(fed)
    path = tmp_path / "answers" / "a.wav"
    recording = SoundDeviceRecorder().start(path, max_seconds=3.0)
    assert wait_for(lambda: recording.finished, timeout=30)
    answer = recording.stop()
    assert answer.duration_s == 3.0 and not answer.interrupted
    assert "maximum length (3 s)" in answer.stop_reason
    info = sf.info(str(path))
    assert (info.samplerate, info.channels, info.frames) == (16000, 1, 48000)
    recorded = load_mono(path)
    offset, corr = align(recorded, fed)
    assert offset == 0 and corr >= MIN_CORRELATION
    # The file plugin is exact: the only difference is 16-bit rounding.
    assert np.max(np.abs(recorded - fed[:48000])) <= 1 / 32767 + 1e-6
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.wav"]
    assert recording.stop() is answer  # idempotent


def test_device_without_16k_is_recorded_at_its_rate_and_resampled(
    alsa_mic: Callable[..., AlsaFileMic], speech_clip: Clip, tmp_path: Path
) -> None:
    fed = speech_clip.samples()
    resampler = StreamingResampler(16000, 44100)
    alsa_mic(np.concatenate([resampler.process(fed), resampler.flush()]), rate=44100)
    recorder = SoundDeviceRecorder(samplerate=44100)
    assert recorder.settings().samplerate == 44100
    recording = recorder.start(tmp_path / "b.wav", max_seconds=3.0)
    assert wait_for(lambda: recording.finished, timeout=30)
    answer = recording.stop()
    assert sf.info(str(answer.path)).samplerate == 16000
    _, corr = align(load_mono(answer.path), fed)
    assert corr >= MIN_CORRELATION


def test_silence_is_flagged_too_quiet_and_speech_is_not(
    alsa_mic: Callable[..., AlsaFileMic], speech_clip: Clip, tmp_path: Path
) -> None:
    alsa_mic(np.zeros(16000 * 5, np.float32))
    quiet = SoundDeviceRecorder().start(tmp_path / "q.wav", max_seconds=4.0)
    assert wait_for(lambda: quiet.finished, timeout=30)
    quiet.stop()
    assert quiet.level().too_quiet
    alsa_mic(speech_clip.samples())
    loud = SoundDeviceRecorder().start(tmp_path / "l.wav", max_seconds=4.0)
    assert wait_for(lambda: loud.finished, timeout=30)
    loud.stop()
    assert not loud.level().too_quiet


def test_full_disk_stops_and_keeps_the_audio_so_far(
    alsa_mic: Callable[..., AlsaFileMic], speech_clip: Clip, tmp_path: Path
) -> None:
    """A file-size limit stands in for a full disk (same write error path, no root needed)."""
    fed = speech_clip.samples()
    mic = alsa_mic(fed)
    limit = HEADER_BYTES + 2 * 16000 * 2 + 1001  # room for 2 s and half a sample
    path = tmp_path / "full.wav"
    code = textwrap.dedent(
        f"""
        import json, resource, signal
        from pathlib import Path
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        from interviewcoach.core.audio.recorder import SoundDeviceRecorder
        recording = SoundDeviceRecorder().start(Path({str(path)!r}), max_seconds=5.0)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        import time
        while not recording.finished:
            time.sleep(0.05)
        answer = recording.stop()
        print(json.dumps({{"duration": answer.duration_s, "interrupted": answer.interrupted,
                           "reason": answer.stop_reason}}))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **mic.env},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["interrupted"] is True
    assert result["reason"].startswith("the disk is full; kept the first")
    frames = (limit - HEADER_BYTES) // 2
    assert result["duration"] == pytest.approx(frames / 16000)
    assert read_wav_info(path).frames == frames == sf.info(str(path)).frames
    _, corr = align(load_mono(path), fed)
    assert corr >= MIN_CORRELATION
    assert not (tmp_path / "full.wav.recording").exists()


def test_no_input_device_says_what_to_do(no_audio_devices: dict[str, str]) -> None:
    with pytest.raises(NoInputDeviceError, match="no microphone found") as err:
        SoundDeviceRecorder().check()
    assert "Connect a microphone" in str(err.value)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "bogus-usb-mic",
            "no input device matching 'bogus-usb-mic'; input devices: 0 'fakemic', 1 'default'",
        ),
        (99, "no input device matching '99'"),
        ("f", "input device 'f' is ambiguous: it matches 0 'fakemic', 1 'default'"),
    ],
)
def test_missing_device_lists_the_devices_there_are(
    alsa_mic: Callable[..., AlsaFileMic], spec: str | int, message: str
) -> None:
    alsa_mic(np.zeros(1600, np.float32))
    with pytest.raises(DeviceNotFoundError) as err:
        SoundDeviceRecorder(spec).check()
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("spec", "name"), [(None, "default"), ("FAKEmic", "fakemic"), ("0", "fakemic"), (1, "default")]
)
def test_device_chosen_by_index_or_name(
    alsa_mic: Callable[..., AlsaFileMic], spec: str | int | None, name: str
) -> None:
    alsa_mic(np.zeros(1600, np.float32))
    assert resolve_device(spec).name == name


# --- PulseAudio null sink: recordings timed by the wall clock ------------------------------------


@pytest.mark.slow
def test_recording_stopped_by_request_matches_what_was_said(
    pulse_mic: PulseMic, short_speech_clip: Clip, tmp_path: Path
) -> None:
    fed = short_speech_clip.samples()
    recording = SoundDeviceRecorder().start(tmp_path / "p.wav")
    assert wait_for(lambda: recording.first_block_at is not None)
    player = pulse_mic.play(short_speech_clip.path)
    loudest = -120.0
    while player.poll() is None:
        time.sleep(0.05)
        loudest = max(loudest, recording.level().rms_dbfs)
    assert player.returncode == 0
    time.sleep(0.3)
    assert not recording.finished
    answer = recording.stop()
    assert not answer.interrupted and answer.stop_reason == ""
    assert answer.duration_s >= short_speech_clip.duration_s
    assert loudest > -30.0  # the live meter saw the speech
    offset, corr = align(load_mono(answer.path), fed)
    assert offset >= 0 and corr >= MIN_CORRELATION
    assert not (tmp_path / "p.wav.recording").exists()


@pytest.mark.slow
def test_microphone_unplugged_mid_answer_keeps_the_audio(
    pulse_mic: PulseMic, short_speech_clip: Clip, tmp_path: Path
) -> None:
    recording = SoundDeviceRecorder().start(tmp_path / "u.wav")
    assert wait_for(lambda: recording.first_block_at is not None)
    player = pulse_mic.play(short_speech_clip.path)
    assert wait_for(lambda: recording.elapsed_s >= 1.5)
    pulse_mic.unplug()
    assert wait_for(lambda: recording.finished, timeout=15)
    player.wait(timeout=30)
    answer = recording.stop()
    assert answer.interrupted
    assert answer.stop_reason.startswith("the microphone went away")
    assert answer.duration_s >= 1.5
    kept = load_mono(answer.path)
    _, corr = align(kept, short_speech_clip.samples())
    assert corr >= MIN_CORRELATION


@pytest.mark.slow
def test_microphone_that_stops_delivering_is_noticed(pulse_mic: PulseMic, tmp_path: Path) -> None:
    recording = SoundDeviceRecorder().start(tmp_path / "f.wav")
    assert wait_for(lambda: recording.elapsed_s >= 0.5)
    pulse_mic.freeze()
    assert wait_for(lambda: recording.finished, timeout=15)
    answer = recording.stop()
    assert answer.interrupted
    assert answer.stop_reason.startswith("the microphone stopped sending audio; kept the first")
    assert sf.info(str(answer.path)).frames == round(answer.duration_s * 16000) >= 8000


@pytest.mark.slow
def test_killed_recording_keeps_all_but_the_last_second_and_is_recovered(
    pulse_mic: PulseMic, short_speech_clip: Clip, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    path = data / "audio" / "20260101-120000-000000-why-ir.wav"
    code = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from interviewcoach.core.audio.recorder import SoundDeviceRecorder
        recording = SoundDeviceRecorder().start(Path({str(path)!r}))
        while True:
            print(recording.elapsed_s, recording.header_frames, flush=True)
            time.sleep(0.1)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **pulse_mic.env},
    )
    try:
        assert child.stdout is not None
        elapsed = float(child.stdout.readline().split()[0])
        player = pulse_mic.play(short_speech_clip.path)
        while elapsed < 3.2:
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else ""
            elapsed = float(line.split()[0])
        # While it records, its marker is locked: recovery must leave the file alone.
        assert recover_interrupted(data) == []
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=10)
        player.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    # Unrepaired, the file already plays and holds everything but (at most) the last second.
    info = sf.info(str(path))
    assert info.samplerate == 16000
    assert info.frames >= (elapsed - 1.0) * 16000
    assert (path.parent / (path.name + ".recording")).exists()
    found = recover_interrupted(data)
    assert [(r.path, r.interrupted) for r in found] == [(path, True)]
    assert found[0].duration_s >= elapsed
    assert is_interrupted(path) and _mode(path) == 0o600
    _, corr = align(load_mono(path), short_speech_clip.samples())
    assert corr >= MIN_CORRELATION
