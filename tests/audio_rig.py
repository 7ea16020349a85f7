"""Fake microphones for tests and benchmarks: real PortAudio, audio fed from a WAV, no sound card.

Two rigs, both selected through environment variables that PortAudio (via ALSA) reads when it starts:

- `AlsaFileMic`: ALSA's `file` plugin reads a headerless float32 file as the microphone. No daemon,
  instant and bit-exact, but NOT paced in real time (a recording timed by the wall clock reads far
  too much) and past the end it returns stale data, so the feed is padded with silence. Use it for
  fixed-length recordings (`start(..., max_seconds=N)` and `record --seconds N`).
- `PulseMic`: a private PulseAudio server (own HOME/XDG_RUNTIME_DIR/socket in a temp dir, stopped by
  its PID) with a null sink named `mic` whose monitor is the default source; ALSA's default device
  points at it. Real time: the test plays a WAV into it with `play()` while the app records. Speech
  lands a fraction of a second after the stream opens, so compare with `align()`. Use it for
  anything timed by the wall clock: stop requests, the TUI's record button, level meters, killing
  a recording process. `unplug()`/`replug()` remove and restore the microphone mid-recording;
  `freeze()` leaves it present but silent-without-data (the recorder notices after 3 s).
- `no_device_env()`: an ALSA configuration in which PortAudio finds no device at all.

In-process use: PortAudio reads the device list once, so after changing the environment call
`activate(env, monkeypatch)` (it re-initialises PortAudio); subprocesses just get `{**os.environ,
**rig.env}`.

Pytest fixtures (tests/conftest.py loads this module as a plugin, so every test can ask for them by
name; import only the classes and helpers you use):

- `speech_clip` (session): a ~9 s spoken answer (tests/speech.py), a Clip with `.path`/`.samples()`.
- `short_speech_clip` (session): ~3.6 s of speech, for real-time tests where the words do not matter.
- `alsa_mic` (function): a factory `alsa_mic(samples, rate=16000) -> AlsaFileMic`, already active in
  this process.
- `pulse_server` (session): one private PulseAudio server for the whole session.
- `pulse_mic` (function): that server, active in this process (PortAudio re-initialised); the
  microphone is replugged after each test.
- `no_audio_devices` (function): PortAudio sees no device in this process; returns the env.

The rigs need the Debian packages libportaudio2, sox, espeak-ng, pulseaudio, pulseaudio-utils and
libasound2-plugins (the Makefile's test target installs them); a missing tool fails the test with
that list rather than skipping it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf

from tests.speech import Clip, SpeechMaker

SAMPLE_RATE = 16000
ALSA_BASE = "/usr/share/alsa/alsa.conf"
PACKAGES = "libportaudio2 sox espeak-ng pulseaudio pulseaudio-utils libasound2-plugins"
ANSWER_TEXT = (
    "Thank you for asking. I failed Step one the first time. I changed how I study, "
    "and I passed Step two with a strong score."
)
SHORT_ANSWER_TEXT = "I failed Step one, then I changed how I study."

FloatArray = npt.NDArray[np.float32]


def require_tools(*tools: str) -> None:
    """Fail (not skip) with the packages to install when a rig's tool is missing."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: install {PACKAGES} (make install-test)")


def reinit_portaudio() -> None:
    """Make PortAudio re-read ALSA's configuration and its device list (after an env change)."""
    import sounddevice as sd

    with contextlib.suppress(Exception):
        sd._terminate()
    sd._initialize()


def activate(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Point this process's PortAudio at a rig; monkeypatch restores the environment afterwards."""
    for key in ("ALSA_CONFIG_PATH", "PULSE_SERVER"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    reinit_portaudio()


def load_mono(path: Path, rate: int = SAMPLE_RATE) -> FloatArray:
    data, file_rate = sf.read(path, dtype="float32", always_2d=True)
    if file_rate != rate:
        raise ValueError(f"{path}: {file_rate} Hz, expected {rate}")
    return np.ascontiguousarray(data[:, 0])


def align(recorded: FloatArray, reference: FloatArray) -> tuple[int, float]:
    """(offset, correlation): where `reference` starts in `recorded`, and how well they then agree.

    The offset maximises the cross-correlation (found by FFT); the correlation is Pearson's over the
    overlap, so 1.0 means the same waveform. A negative offset means the recording began after the
    reference did (its first samples were missed).
    """
    n = len(recorded) + len(reference) - 1
    size = 1 << (n - 1).bit_length()
    spectrum = np.fft.rfft(recorded, size) * np.conj(np.fft.rfft(reference, size))
    cross = np.fft.irfft(spectrum, size)
    lags = np.concatenate([cross[: len(recorded)], cross[size - len(reference) + 1 :]])
    lag_values = np.concatenate([np.arange(len(recorded)), np.arange(-(len(reference) - 1), 0)])
    offset = int(lag_values[int(np.argmax(lags))])
    if offset >= 0:
        a = recorded[offset : offset + len(reference)]
        b = reference[: len(a)]
    else:
        b = reference[-offset : -offset + len(recorded)]
        a = recorded[: len(b)]
    if len(a) < 2 or np.std(a) == 0 or np.std(b) == 0:
        return offset, 0.0
    return offset, float(np.corrcoef(a, b)[0, 1])


class AlsaFileMic:
    """ALSA `file` plugin fed from samples: instant, bit-exact, not paced in real time."""

    def __init__(
        self, folder: Path, samples: FloatArray, *, rate: int = SAMPLE_RATE, pad_s: float = 20.0
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.rate = rate
        self.raw = folder / "mic.raw"
        self.config = folder / "asound.conf"
        padded = np.concatenate([samples.astype("<f4"), np.zeros(round(pad_s * rate), "<f4")])
        self.raw.write_bytes(padded.tobytes())
        # The plug layer accepts whatever the app opens and converts to the file's exact format.
        self.config.write_text(
            "pcm.fakemic { type plug\n"
            '  slave { pcm { type file slave.pcm "null" file "/dev/null" format "raw"\n'
            f'                infile "{self.raw}" }}\n'
            f"          format FLOAT_LE rate {rate} channels 1 }} }}\n"
            'pcm.!default "fakemic"\n'
        )
        self.env = {"ALSA_CONFIG_PATH": f"{ALSA_BASE}:{self.config}"}


def no_device_env(folder: Path) -> dict[str, str]:
    """Environment in which PortAudio finds no device at all, even on a machine with a sound card.

    The configuration replaces ALSA's (so no `hw` or `pulse` devices are defined) and its default
    points at a card that does not exist. An empty file would crash alsa-lib.
    """
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "nodevice.conf"
    config.write_text("pcm.!default { type hw card 99 }\n")
    return {"ALSA_CONFIG_PATH": str(config)}


class PulseMic:
    """A private PulseAudio server whose null sink `mic` is the default source's signal."""

    def __init__(self, folder: Path) -> None:
        require_tools("pulseaudio", "pactl", "paplay")
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        run = folder / "run"
        run.mkdir(mode=0o700, exist_ok=True)
        home = folder / "home"
        home.mkdir(exist_ok=True)
        self.socket = run / "native"
        script = folder / "default.pa"
        script.write_text(
            f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.socket}\n"
            + self._sink_line()
            + "set-default-sink mic\nset-default-source mic.monitor\n"
        )
        asound = folder / "asound.conf"
        asound.write_text("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
        self.env = {
            "PULSE_SERVER": f"unix:{self.socket}",
            "ALSA_CONFIG_PATH": f"{ALSA_BASE}:{asound}",
        }
        server_env = {
            **os.environ,
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(run),
            "XDG_CONFIG_HOME": str(home / ".config"),
        }
        for key in ("PULSE_SERVER", "DBUS_SESSION_BUS_ADDRESS", "DISPLAY"):
            server_env.pop(key, None)
        self._log = (folder / "pulseaudio.log").open("wb")
        self.process = subprocess.Popen(
            [
                "pulseaudio",
                "-n",
                "-F",
                str(script),
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--use-pid-file=no",
                "--system=no",
                "--log-target=stderr",
            ],
            env=server_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = self.process.pid
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pulseaudio exited: {(folder / 'pulseaudio.log').read_text()}")
            if self._pactl("info").returncode == 0:
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("pulseaudio did not answer within 15 s")

    @staticmethod
    def _sink_line() -> str:
        # norewinds: without it the monitor drops and repeats audio. The sink runs at the recorder's
        # own format, so nothing is resampled between the WAV played and the samples recorded.
        return (
            "load-module module-null-sink sink_name=mic norewinds=1 "
            f"rate={SAMPLE_RATE} channels=1 format=float32le\n"
        )

    def _pactl(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            ["pactl", *args], env={**os.environ, **self.env}, capture_output=True, timeout=10
        )

    def play(self, wav: Path) -> subprocess.Popen[bytes]:
        """Start playing `wav` into the microphone; wait() on the result to know it has finished."""
        return subprocess.Popen(
            ["paplay", "--device=mic", str(wav)],
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def unplug(self) -> None:
        """Remove the microphone, as when a USB headset is pulled out mid-answer."""
        self._pactl("unload-module", "module-null-sink").check_returncode()

    def freeze(self) -> None:
        """Suspend the microphone: it stays present but sends nothing (a sleeping Bluetooth headset)."""
        self._pactl("suspend-sink", "mic", "1").check_returncode()

    def replug(self) -> None:
        """Put the microphone back and awake (idempotent); make it the default source again."""
        sinks = self._pactl("list", "short", "sinks").stdout.decode()
        if not any(line.split("\t")[1:2] == ["mic"] for line in sinks.splitlines()):
            args = self._sink_line().split()[1:]
            self._pactl("load-module", *args).check_returncode()
        self._pactl("suspend-sink", "mic", "0")
        self._pactl("set-default-sink", "mic")
        self._pactl("set-default-source", "mic.monitor")

    def stop(self) -> None:
        """Stop the server by its PID: SIGTERM, then SIGKILL if it does not go."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._log.close()


def wait_for(condition: Callable[[], bool], timeout: float = 10.0, interval: float = 0.05) -> bool:
    """Poll `condition` until true or the (generous) timeout passes; returns the last result."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


# --- pytest fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def speech_clip(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    require_tools("espeak-ng", "sox")
    maker = SpeechMaker(tmp_path_factory.mktemp("speech"))
    return maker.say(ANSWER_TEXT)


@pytest.fixture(scope="session")
def short_speech_clip(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    require_tools("espeak-ng", "sox")
    return SpeechMaker(tmp_path_factory.mktemp("speech")).say(SHORT_ANSWER_TEXT)


@pytest.fixture()
def alsa_mic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AlsaFileMic]]:
    """Factory: `alsa_mic(samples, rate=16000)` feeds samples and makes the mic this process's default."""
    counter = iter(range(1000))

    def make(samples: FloatArray, *, rate: int = SAMPLE_RATE, pad_s: float = 20.0) -> AlsaFileMic:
        mic = AlsaFileMic(tmp_path / f"alsa-mic-{next(counter)}", samples, rate=rate, pad_s=pad_s)
        activate(mic.env, monkeypatch)
        return mic

    yield make
    monkeypatch.undo()
    reinit_portaudio()


@pytest.fixture(scope="session")
def pulse_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseMic]:
    server = PulseMic(tmp_path_factory.mktemp("pulse"))
    yield server
    server.stop()


@pytest.fixture()
def pulse_mic(pulse_server: PulseMic, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseMic]:
    pulse_server.replug()
    activate(pulse_server.env, monkeypatch)
    yield pulse_server
    pulse_server.replug()
    monkeypatch.undo()
    reinit_portaudio()


@pytest.fixture()
def no_audio_devices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    env = no_device_env(tmp_path / "nodevice")
    activate(env, monkeypatch)
    yield env
    monkeypatch.undo()
    reinit_portaudio()
