"""The practice preferences the TUI offers (read aloud, think time, mock length)."""

from __future__ import annotations

from dataclasses import dataclass

from interviewcoach.tui.plan import DEFAULT_MOCK_LENGTH


@dataclass
class Preferences:
    read_aloud: bool = False
    think_time: bool = True
    mock_length: int = DEFAULT_MOCK_LENGTH
