"""Native libraries' diagnostics stay off the terminal: the recording meter's and the practice app's.

ALSA prints "underrun occurred" straight to descriptor 2 when a loaded machine plays the question a
little late; without the redirect it lands on top of the app's screen.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest

from tests.terminal_rig import ANSI, read_until

ROOT = Path(__file__).resolve().parents[2]
NEVER = b"\x00never"  # a mark no screen has: read until the deadline
NOISE = "ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred"

QUIET = textwrap.dedent(
    f"""
    import os, sys
    from interviewcoach.cli.terminal import native_stderr_quiet
    with native_stderr_quiet():
        os.write(2, b"{NOISE}\\n")
        print("python's own message", file=sys.stderr, flush=True)
        sys.__stderr__.write("drawn on the screen\\n")
        sys.__stderr__.flush()
    os.write(2, b"descriptor 2 is back\\n")
    print("sys.stderr is back", file=sys.stderr, flush=True)
    """
)


def test_native_writes_are_dropped_and_python_and_the_screen_keep_the_terminal(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", QUIET],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines() == [
        "python's own message",
        "drawn on the screen",
        "descriptor 2 is back",
        "sys.stderr is back",
    ]


# The practice app, with a thread that writes to descriptor 2 as ALSA does from its own threads,
# while the file "noise" exists (the test makes it once the screen is drawn).
APP_WITH_NOISE = textwrap.dedent(
    f"""
    import os, sys, threading, time
    def noise():
        while True:
            time.sleep(0.2)
            if os.path.exists("noise"):
                os.write(2, b"{NOISE}\\n")
    threading.Thread(target=noise, daemon=True).start()
    sys.argv = ["interviewcoach"]
    from interviewcoach.cli import main
    main()
    """
)


@pytest.mark.slow
def test_the_practice_app_draws_its_screen_and_no_native_noise(tmp_path: Path) -> None:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "INTERVIEWCOACH_HOME": str(tmp_path / "data"),
        "TERM": "xterm-256color",
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", APP_WITH_NOISE],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    os.close(slave)
    buffer = bytearray()
    try:
        assert read_until(master, b"Mock interview", buffer, time.monotonic() + 60), bytes(buffer)[-600:]
        # A second of the app running while the noise thread writes five times.
        (tmp_path / "noise").touch()
        read_until(master, NEVER, buffer, time.monotonic() + 1.0)
        (tmp_path / "noise").unlink()
        time.sleep(0.3)
        os.write(master, b"\x11")  # Ctrl+Q
        read_until(master, NEVER, buffer, time.monotonic() + 10)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    screen = ANSI.sub(b"", bytes(buffer)).decode(errors="replace")
    assert "Mock interview" in screen
    assert "underrun" not in screen
