"""Time from starting a mock interview to hearing its first question, through real audio.

For each run: start `interviewcoach` in an 80x24 pseudo-terminal with an empty data directory and a
private PulseAudio server (tests/audio_rig.py) whose null sink is both the speakers and, through its
monitor, the microphone. This process records the monitor. Wait until home is drawn (and, in the
`ready` scenario, until it says the speech model is ready, as it does a few seconds after start-up;
the voice loads just before it says so),
press `m`, and find when the interviewer's voice first reaches the speakers: the first 20 ms block
above -40 dBFS. The figure is keypress to that block, so it includes the microphone check, the
synthesis of the question's first piece and the audio device's own latency.

    python bench/first_question.py [--runs 5] [--scenario ready|at-once|both]

Needs the test rig's Debian packages (pulseaudio, pulseaudio-utils, libasound2-plugins, espeak-ng)
and the neural voice's package; without it the figure is espeak-ng's.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shlex
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.startup import HOME_MARK, TIMEOUT_S
from tests.audio_rig import PulseMic, reinit_portaudio
from tests.terminal_rig import ANSI, read_until

READY_MARK = b"Speech model ready"
RATE = 16000
BLOCK = RATE // 50
ONSET_DBFS = -40.0
TARGET_S = 1.0


class Listener:
    """Records the sink's monitor and notes the wall-clock time at which sound first arrives."""

    def __init__(self) -> None:
        import sounddevice as sd

        self.onset: float | None = None
        self._armed_at = float("inf")
        self._lock = threading.Lock()
        self.stream = sd.InputStream(
            samplerate=RATE, channels=1, dtype="float32", blocksize=BLOCK, callback=self._block
        )
        self.stream.start()

    def arm(self, at: float) -> None:
        with self._lock:
            self._armed_at, self.onset = at, None

    def _block(self, data: np.ndarray, frames: int, _time: object, _status: object) -> None:
        now = time.monotonic()
        peak = float(np.max(np.abs(data))) if frames else 0.0
        with self._lock:
            if self.onset is None and now >= self._armed_at and peak > 10 ** (ONSET_DBFS / 20):
                # The block arrived now; its loud part began at most one block earlier.
                first = int(np.argmax(np.abs(data[:, 0]) > 10 ** (ONSET_DBFS / 20)))
                self.onset = now - (frames - first) / RATE

    def close(self) -> None:
        self.stream.stop()
        self.stream.close()


def one_run(command: list[str], env: dict[str, str], listener: Listener, wait_ready: bool) -> float:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    with tempfile.TemporaryDirectory() as home:
        run_env = {**env, "INTERVIEWCOACH_HOME": home, "TERM": "xterm-256color"}
        started = time.monotonic()
        proc = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=run_env, start_new_session=True
        )
        os.close(slave)
        buffer = bytearray()
        try:
            mark = READY_MARK if wait_ready else HOME_MARK
            if not read_until(master, mark, buffer, started + 60):
                tail = ANSI.sub(b"", bytes(buffer))[-600:].decode(errors="replace")
                raise SystemExit(f"never saw {mark!r}; output ended with:\n{tail}")
            pressed = time.monotonic()
            listener.arm(pressed)
            os.write(master, b"m")
            deadline = pressed + TIMEOUT_S
            # Keep reading the terminal so the app never blocks on a full pty.
            while listener.onset is None and time.monotonic() < deadline:
                read_until(master, b"\x00never", buffer, time.monotonic() + 0.05)
                buffer.clear()
            if listener.onset is None:
                raise SystemExit("the question was never heard")
            return listener.onset - pressed
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            os.close(master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenario", choices=("ready", "at-once", "both"), default="both")
    parser.add_argument("--command", default=f"{sys.executable} -m interviewcoach")
    args = parser.parse_args()
    command = shlex.split(args.command)
    from interviewcoach.tui import speech

    print(f"voice: {speech.voice_name()}   runs: {args.runs}")
    with tempfile.TemporaryDirectory() as folder:
        rig = PulseMic(Path(folder) / "pulse")
        try:
            os.environ.update(rig.env)
            reinit_portaudio()
            listener = Listener()
            env = {**os.environ, **rig.env}
            scenarios = ["ready", "at-once"] if args.scenario == "both" else [args.scenario]
            for scenario in scenarios:
                wait_ready = scenario == "ready"
                one_run(command, env, listener, wait_ready)  # warm the OS file cache; not counted
                times = [one_run(command, env, listener, wait_ready) for _ in range(args.runs)]
                median = statistics.median(times)
                verdict = "meets" if median <= TARGET_S else "misses"
                label = "m once models are ready" if wait_ready else "m as soon as home shows"
                print(
                    f"{label:<26} first sound after {median:.2f} s median "
                    f"(min {min(times):.2f}, max {max(times):.2f}); target {TARGET_S:.1f} s -> {verdict}"
                )
            listener.close()
        finally:
            rig.stop()


if __name__ == "__main__":
    main()
