"""Reading what the app draws in a pseudo-terminal: for tests and the start-up benchmarks."""

from __future__ import annotations

import os
import re
import select
import time

# Escape sequences a terminal app writes (cursor moves, colours, titles, modes): stripped to read
# the text on screen.
ANSI = re.compile(rb"\x1b\[[0-9;?<>]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b[=>]")


def read_until(fd: int, mark: bytes, buffer: bytearray, deadline: float) -> bool:
    """Read `fd` into `buffer` until `mark` appears in its text (True), it closes or `deadline`
    (a `time.monotonic()` value) passes (False). An impossible mark reads until the deadline."""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            buffer.extend(chunk)
            if mark in ANSI.sub(b"", bytes(buffer)):
                return True
    return False
