"""The `interviewcoach` command line: one Typer app (cli/app.py); each area's module registers its commands.

User errors (bad input, missing device, unknown question) print one line on stderr and exit 2,
never a traceback.
"""

from __future__ import annotations

# Imported for their side effect: each module adds its commands to `app`, so `app` is complete here.
from interviewcoach.cli import (  # noqa: F401
    audio_cmds,
    cohort_cmds,
    comments_cmds,
    history_cmds,
    model_cmds,
    practice_cmds,
    profile_cmds,
    score_cmds,
    sets_cmds,
    transcribe_cmds,
)
from interviewcoach.cli.app import app, fail

__all__ = ["app", "fail", "main"]


def main() -> None:
    """Entry point for the `interviewcoach` script and `python -m interviewcoach`."""
    app()
