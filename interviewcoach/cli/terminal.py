"""Keeping native libraries' diagnostics off the terminal while audio runs.

PortAudio and ALSA print straight to file descriptor 2 ("ALSA lib pcm.c: underrun occurred" when a
loaded machine plays a sentence late, "Expression '...' failed" when a device goes away). In the
middle of a recording's meter, or over the practice app's screen, that text corrupts what the
student sees; the student gets our own one line instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def native_stderr_quiet() -> Iterator[None]:
    """Point descriptor 2 at the null device; Python's own writing keeps the terminal.

    `sys.stderr` and `sys.__stderr__` move to a copy of the original descriptor: Python's messages
    and tracebacks use the first, and the practice app's screen is drawn on the second (Textual
    writes to `sys.__stderr__`). Both are put back on the way out. Where stderr is not descriptor 2
    (a test runner's capture) nothing changes.
    """
    try:
        real = sys.stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):
        real = False
    if not real:
        yield
        return
    original, original_dunder = sys.stderr, sys.__stderr__
    original.flush()
    saved = os.dup(2)
    # Closed in the finally below, once descriptor 2 is back.
    replacement = os.fdopen(
        os.dup(saved), "w", buffering=1, encoding=original.encoding, errors=original.errors
    )
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)
    sys.stderr = replacement
    sys.__stderr__ = replacement  # type: ignore[misc]  # Final in the stubs; Textual reads it
    try:
        yield
    finally:
        replacement.flush()
        os.dup2(saved, 2)
        os.close(saved)
        sys.stderr = original
        sys.__stderr__ = original_dunder  # type: ignore[misc]
        replacement.close()
