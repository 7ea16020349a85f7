"""Time from starting `interviewcoach` to an interactive home screen, in a real pseudo-terminal.

For each run: start the command in an 80x24 pty with an empty data directory, wait until the home
screen is drawn ("Mock interview"), press `?` at once and wait until the help screen is drawn. The
second figure is the one the issue asks about: the app has not only painted but answers a key.
Models load in a background worker meanwhile, so this also shows they do not hold up the UI.

    python bench/startup.py [--runs 5] [--command "interviewcoach"]
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
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.terminal_rig import ANSI, read_until

HOME_MARK = b"Mock interview"
HELP_MARK = b"Esc closes"
TIMEOUT_S = 30.0


def one_run(command: list[str], cols: int, rows: int) -> tuple[float, float]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    with tempfile.TemporaryDirectory() as home:
        env = dict(
            os.environ, INTERVIEWCOACH_HOME=home, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows)
        )
        started = time.monotonic()
        proc = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        buffer = bytearray()
        try:
            if not read_until(master, HOME_MARK, buffer, started + TIMEOUT_S):
                tail = ANSI.sub(b"", bytes(buffer))[-600:].decode(errors="replace")
                raise SystemExit(f"home screen never appeared; output ended with:\n{tail}")
            home = time.monotonic() - started
            buffer.clear()
            os.write(master, b"?")
            if not read_until(master, HELP_MARK, buffer, started + TIMEOUT_S):
                raise SystemExit("the help screen never appeared after pressing ?")
            interactive = time.monotonic() - started
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            os.close(master)
    return home, interactive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--command", default=f"{sys.executable} -m interviewcoach")
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    cols, rows = (int(v) for v in args.size.split("x"))
    command = shlex.split(args.command)
    one_run(command, cols, rows)  # warm the OS file cache; not counted
    results = [one_run(command, cols, rows) for _ in range(args.runs)]
    homes = [h for h, _ in results]
    keys = [k for _, k in results]
    print(f"command: {args.command}   terminal {cols}x{rows}   runs: {args.runs}")
    for label, values in (("home drawn", homes), ("home answers a key", keys)):
        median = statistics.median(values)
        print(f"{label:<20} median {median:.2f} s  (min {min(values):.2f}, max {max(values):.2f})")
    target = 1.0
    verdict = "meets" if statistics.median(keys) <= target else "misses"
    print(f"target: interactive within {target:.1f} s -> {verdict}")


if __name__ == "__main__":
    main()
