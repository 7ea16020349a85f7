"""The `devices` and `record` commands through real PortAudio with fake microphones."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.audio.wav import wav_header
from interviewcoach.core.history.doctor import doctor
from interviewcoach.core.settings import Settings, save_settings
from tests.audio_rig import AlsaFileMic, PulseMic, align, load_mono
from tests.speech import Clip

ROOT = Path(__file__).resolve().parents[2]
MIN_CORRELATION = 0.99


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_devices_json_lists_inputs_and_marks_default_and_saved(
    alsa_mic: Callable[..., AlsaFileMic],
) -> None:
    alsa_mic(np.zeros(1600, np.float32))
    save_settings(Settings(device="fakemic"))
    code, out, _ = run("devices", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert set(rows) == {"fakemic", "default"}
    assert rows["default"]["default"] and not rows["fakemic"]["default"]
    assert rows["fakemic"]["saved"] and not rows["default"]["saved"]
    assert rows["fakemic"]["index"] == 0 and rows["fakemic"]["hostapi"] == "ALSA"
    code, out, _ = run("devices")
    assert code == 0
    assert out.splitlines() == [
        " +   0  fakemic  (ALSA, 128 ch, 16000 Hz)",
        "*    1  default  (ALSA, 128 ch, 16000 Hz)",
    ]


def test_devices_with_no_microphone(no_audio_devices: dict[str, str]) -> None:
    code, out, err = run("devices")
    assert code == 2 and out == ""
    assert err.startswith("interviewcoach: no audio input device found: connect a microphone")
    assert len(err.splitlines()) == 1
    # JSON still prints the (empty) list, so a script's parse never fails; the exit code says why.
    code, out, _ = run("devices", "--json")
    assert code == 2 and json.loads(out) == []


def test_record_fixed_length_to_a_file(
    alsa_mic: Callable[..., AlsaFileMic], speech_clip: Clip, tmp_path: Path
) -> None:
    fed = speech_clip.samples()
    alsa_mic(fed)
    out_file = tmp_path / "answer.wav"
    code, _, err = run("record", "--seconds", "2.5", "--out", str(out_file))
    assert code == 0, err
    assert err.strip() == f"Recorded 2.5 s -> {out_file}"
    info = sf.info(str(out_file))
    assert (info.samplerate, info.channels, info.frames) == (16000, 1, 40000)
    offset, corr = align(load_mono(out_file), fed)
    assert offset == 0 and corr >= MIN_CORRELATION


@pytest.mark.parametrize(
    ("args", "saved", "message"),
    [
        (
            ["--device", "bogus"],
            None,
            "interviewcoach: no input device matching 'bogus'; input devices: 0 'fakemic', 1 'default' "
            "(default). Choose one with --device NAME or INDEX",
        ),
        ([], "usb headset", "no input device matching 'usb headset'; input devices: 0 'fakemic'"),
        (["--device", "7"], "fakemic", "no input device matching '7'"),
    ],
)
def test_record_names_a_missing_device_and_lists_the_real_ones(
    alsa_mic: Callable[..., AlsaFileMic], tmp_path: Path, args: list[str], saved: str | None, message: str
) -> None:
    alsa_mic(np.zeros(1600, np.float32))
    if saved is not None:
        save_settings(Settings(device=saved))
    out_file = tmp_path / "a.wav"
    code, _, err = run("record", "--seconds", "1", "--out", str(out_file), *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert not out_file.exists()


def test_record_uses_the_saved_device_unless_told_otherwise(
    alsa_mic: Callable[..., AlsaFileMic], tmp_path: Path
) -> None:
    alsa_mic(np.zeros(1600, np.float32))
    save_settings(Settings(device="unplugged usb mic"))
    code, _, _ = run("record", "--seconds", "0.5", "--out", str(tmp_path / "a.wav"))
    assert code == 2
    code, _, err = run("record", "--seconds", "0.5", "--out", str(tmp_path / "a.wav"), "--device", "default")
    assert code == 0, err


def test_record_without_a_microphone_says_so(no_audio_devices: dict[str, str], tmp_path: Path) -> None:
    code, _, err = run("record", "--seconds", "1", "--out", str(tmp_path / "a.wav"))
    assert code == 2
    assert err.startswith("interviewcoach: no microphone found: there is no audio input device.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give exactly one of --out FILE.wav or --question ID"),
        (["--out", "a.wav", "--question", "low-score"], "give exactly one of"),
        (["--out", "a.mp3", "--seconds", "1"], "a.mp3: the output must be a .wav file"),
        (["--out", "a.wav", "--seconds", "0"], "--seconds must be more than 0"),
        (["--out", "a.wav", "--save"], "--save works with --question"),
        (
            ["--question", "low-score", "--engine", "vosk"],
            "'vosk' is not one of 'faster-whisper', 'openai-whisper'",
        ),
    ],
)
def test_record_rejects_bad_options(no_audio_devices: dict[str, str], args: list[str], message: str) -> None:
    code, _, err = run("record", *args)
    assert code == 2 and message in err


def test_record_unknown_question_fails_before_recording(alsa_mic: Callable[..., AlsaFileMic]) -> None:
    alsa_mic(np.zeros(1600, np.float32))
    code, _, err = run("record", "--question", "low-scor")
    assert code == 2
    assert err.startswith("interviewcoach: unknown question id 'low-scor'; did you mean low-score")
    assert not (Path(os.environ["INTERVIEWCOACH_HOME"]) / "audio").exists()


PORTAUDIO_HIDDEN = textwrap.dedent(
    """
    import ctypes.util, sys
    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None if "portaudio" in name else real(name)
    from interviewcoach.cli import main
    sys.argv = ["interviewcoach", *sys.argv[1:]]
    main()
    """
)


@pytest.mark.parametrize("args", [["devices"], ["record", "--seconds", "1", "--out", "x.wav"]])
def test_missing_portaudio_says_which_package_to_install(args: list[str], tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PORTAUDIO_HIDDEN, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "interviewcoach: PortAudio is not installed, so the microphone cannot be used: install it with "
        "`sudo apt-get install libportaudio2` on Debian/Ubuntu (`sudo dnf install portaudio` on "
        "Fedora, `brew install portaudio` on macOS)"
    )


def test_record_keeps_an_interrupted_recording_found_at_start(
    alsa_mic: Callable[..., AlsaFileMic], tmp_path: Path
) -> None:
    alsa_mic(np.zeros(1600, np.float32))
    audio = Path(os.environ["INTERVIEWCOACH_HOME"]) / "audio"
    audio.mkdir(parents=True)
    left = audio / "20260101-120000-000000-low-score.wav"
    left.write_bytes(wav_header(16000, 0) + bytes(32000))
    (audio / (left.name + ".recording")).write_text("{}")
    code, _, err = run("record", "--seconds", "0.5", "--out", str(tmp_path / "a.wav"))
    assert code == 0
    assert f"kept an interrupted recording (1.0 s): {left}" in err
    assert sf.info(str(left)).frames == 16000


def _record_process(pulse: PulseMic, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "interviewcoach", "record", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **pulse.env},
    )


def _wait_for_line(stream: object, text: str) -> None:
    for line in stream:  # type: ignore[attr-defined]
        if text in line:
            return
    raise AssertionError(f"never printed {text!r}")


@pytest.mark.slow
@pytest.mark.parametrize("how", ["enter", "ctrl-c", "sigterm", "sighup"])
def test_record_until_enter_or_interrupt_keeps_the_answer(
    pulse_mic: PulseMic, short_speech_clip: Clip, tmp_path: Path, how: str
) -> None:
    out_file = tmp_path / "answer.wav"
    child = _record_process(pulse_mic, "--out", str(out_file))
    try:
        _wait_for_line(child.stderr, "press Enter or Ctrl+C to stop")
        time.sleep(0.3)
        pulse_mic.play(short_speech_clip.path).wait(timeout=30)
        time.sleep(0.3)
        assert child.stdin is not None
        if how == "enter":
            child.stdin.write("\n")
            child.stdin.flush()
        else:
            child.send_signal({"ctrl-c": signal.SIGINT, "sigterm": signal.SIGTERM}.get(how, signal.SIGHUP))
        _, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    # SIGTERM and SIGHUP end the answer as Ctrl+C does: the file is finished and the command succeeds.
    assert child.returncode == 0, err
    if how.startswith("sig"):
        assert f"{how.upper()} received: the answer is finished and kept" in err
    assert "Traceback" not in err
    assert not out_file.with_name(out_file.name + ".recording").exists()
    recorded = load_mono(out_file)
    assert len(recorded) / 16000 >= short_speech_clip.duration_s
    _, corr = align(recorded, short_speech_clip.samples())
    assert corr >= MIN_CORRELATION


@pytest.mark.slow
def test_record_stops_at_end_of_input_when_not_a_terminal(pulse_mic: PulseMic, tmp_path: Path) -> None:
    out_file = tmp_path / "short.wav"
    child = _record_process(pulse_mic, "--out", str(out_file))
    _, err = child.communicate(input="", timeout=30)
    assert child.returncode == 0, err
    assert sf.info(str(out_file)).samplerate == 16000


EXAMPLE_SET = Path(__file__).resolve().parents[2] / "question_bank" / "sets" / "ir-low-score.toml"


@pytest.mark.slow
@pytest.mark.parametrize("set_args", [[], ["--set", str(EXAMPLE_SET)]], ids=["bank", "advisor-set"])
def test_record_question_is_a_complete_practice_round(
    pulse_mic: PulseMic, speech_clip: Clip, set_args: list[str]
) -> None:
    """Show the question, record until Enter, transcribe with Whisper, print the feedback, save it."""
    child = _record_process(pulse_mic, "--question", "low-score", "--save", *set_args)
    try:
        _wait_for_line(child.stderr, "press Enter when you have finished")
        time.sleep(0.3)
        pulse_mic.play(speech_clip.path).wait(timeout=30)
        time.sleep(0.3)
        assert child.stdin is not None
        child.stdin.write("\n")
        child.stdin.flush()
        out, err = child.communicate(timeout=300)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    question = "Walk me through your board scores."
    assert out.startswith(f"Q: {question}")  # shown before recording
    assert re.search(r"^overall \d+/100", out, re.MULTILINE | re.IGNORECASE)
    words = re.search(r"\b(\d+) words, ", out)
    assert words is not None and int(words.group(1)) >= 15  # Whisper heard the answer
    assert "saved as attempt 1" in err

    from interviewcoach.core.history.store import Store

    home = Path(os.environ["INTERVIEWCOACH_HOME"])
    [attempt] = Store(home).recent()
    assert attempt.question_id == "low-score" and not attempt.interrupted
    if set_args:
        # The advisor's overrides apply: their target length and talking points, and the set is named.
        assert attempt.set_id == "ir-low-score"
        assert "aim for 30-75 seconds" in out
        assert "talking points" in out.lower()
    else:
        assert attempt.set_id is None
        assert "aim for 30-85 seconds" in out
    assert attempt.duration_s is not None and attempt.duration_s >= speech_clip.duration_s
    assert len(list((home / "audio").glob("*-low-score.wav"))) == 1


@pytest.mark.slow
def test_record_question_without_save_leaves_nothing_in_history(
    alsa_mic: Callable[..., AlsaFileMic], speech_clip: Clip
) -> None:
    mic = alsa_mic(speech_clip.samples())
    child = subprocess.Popen(
        [sys.executable, "-m", "interviewcoach", "record", "--question", "low-score", "--seconds", "8"],
        stdin=subprocess.PIPE,  # held open: the recording ends at its length, not at end of input
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **mic.env},
    )
    try:
        child.wait(timeout=300)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.stdout is not None and child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()
    assert child.returncode == 0, err
    assert re.search(r"^overall \d+/100", out, re.MULTILINE | re.IGNORECASE)
    assert "Not saved to your history (add --save to keep it)" in err

    from interviewcoach.core.history.store import Store

    home = Path(os.environ["INTERVIEWCOACH_HOME"])
    store = Store(home)
    assert doctor(store, min_age_s=0).imported == [] and store.count() == 0


@pytest.mark.slow
def test_sigterm_during_record_question_still_scores_and_saves(
    pulse_mic: PulseMic, short_speech_clip: Clip
) -> None:
    """SIGTERM used to end the round silently (rc 143) with the answer never scored or saved."""
    child = _record_process(pulse_mic, "--question", "low-score", "--save")
    try:
        _wait_for_line(child.stderr, "press Enter when you have finished")
        time.sleep(0.3)
        pulse_mic.play(short_speech_clip.path).wait(timeout=30)
        time.sleep(0.3)
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=300)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert "SIGTERM received: the answer is finished and kept" in err
    assert "saved as attempt 1" in err and "Traceback" not in err
    assert re.search(r"^overall \d+/100", out, re.MULTILINE | re.IGNORECASE)


@pytest.mark.slow
def test_a_crashed_record_out_outside_the_data_dir_is_repaired_on_the_next_run(
    pulse_mic: PulseMic, short_speech_clip: Clip, tmp_path: Path
) -> None:
    """kill -9 during `record --out F` (F outside the data directory): the next run repairs F."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out_file = elsewhere / "answer.wav"
    child = _record_process(pulse_mic, "--out", str(out_file))
    try:
        _wait_for_line(child.stderr, "press Enter or Ctrl+C to stop")
        time.sleep(0.3)
        pulse_mic.play(short_speech_clip.path).wait(timeout=30)
        time.sleep(1.5)  # past a header rewrite, then a crash
        child.kill()
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    marker = out_file.with_name(out_file.name + ".recording")
    assert marker.exists()
    code, _, err = run("record", "--seconds", "0.2", "--out", str(tmp_path / "next.wav"))
    assert code == 0, err
    assert "kept an interrupted recording" in err and str(out_file) in err
    assert not marker.exists()
    recorded = load_mono(out_file)
    assert len(recorded) / 16000 >= short_speech_clip.duration_s
    _, corr = align(recorded, short_speech_clip.samples())
    assert corr >= MIN_CORRELATION


@pytest.mark.slow
def test_a_lost_microphone_with_out_is_one_line_and_exit_2(pulse_mic: PulseMic, tmp_path: Path) -> None:
    out_file = tmp_path / "answer.wav"
    child = _record_process(pulse_mic, "--out", str(out_file))
    try:
        _wait_for_line(child.stderr, "press Enter or Ctrl+C to stop")
        time.sleep(1.0)
        pulse_mic.unplug()
        # stdin stays open: the recording must end by itself (closing stdin would stop it as Enter does).
        child.wait(timeout=60)
        _, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 2, err
    ours = [line for line in err.splitlines() if line.startswith("interviewcoach:")]
    assert len(ours) == 1 and "recording stopped:" in ours[0] and "kept" in ours[0], err
    # PortAudio's own C-level lines ("Expression '...' failed in '...pa_linux_alsa.c'") stay off it.
    assert [line for line in err.splitlines() if line.strip()] == ours, err
    assert sf.info(str(out_file)).frames > 0


def test_no_microphone_is_one_line_for_a_question_an_imported_set_asks(
    no_audio_devices: dict[str, str], tmp_path: Path
) -> None:
    # Seen: the "it is also in set" note came first, then the missing microphone: two lines.
    example = Path(__file__).resolve().parents[2] / "question_bank" / "sets" / "ir-low-score.toml"
    data = str(tmp_path / "data")
    assert run("sets", "import", str(example), "--data-dir", data)[0] == 0
    code, _, err = run("record", "--question", "low-score", "--data-dir", data)
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("interviewcoach: no microphone found")
