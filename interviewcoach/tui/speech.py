"""Reading a question aloud with espeak-ng, when it is installed; silently nothing otherwise."""

from __future__ import annotations

import shutil
import subprocess
import threading

VOICES = ("espeak-ng", "espeak")


def reader() -> str | None:
    """The speech program found on PATH, if any."""
    for name in VOICES:
        path = shutil.which(name)
        if path:
            return path
    return None


def read_aloud(text: str, *, cancel: threading.Event, program: str | None = None) -> bool:
    """Speak `text` and wait until done or cancelled; False when nothing could speak it."""
    program = program or reader()
    if program is None:
        return False
    try:
        # The text goes through stdin so nothing in it is read as an option.
        proc = subprocess.Popen(
            [program, "-v", "en-us", "-s", "165", "--stdin"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return False
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode("utf-8"))
        proc.stdin.close()
    except OSError:
        pass
    while proc.poll() is None:
        if cancel.wait(0.05):
            proc.terminate()
            try:
                proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                proc.kill()
            break
    return proc.returncode == 0
