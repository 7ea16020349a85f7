"""Fixtures for TUI tests: services built from fakes (recorder, transcriber) and the real store."""

from __future__ import annotations

import io
import random
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.history.store import Store
from interviewcoach.core.scoring.rubrics import RubricSet
from interviewcoach.core.session import Services
from interviewcoach.tui.app import InterviewCoachApp
from interviewcoach.tui.preferences import Preferences
from tests.tui.fakes import FakeRecorder, FakeTranscriber

WAIT_S = 20.0


def plain(widget: Static, width: int = 100) -> str:
    """What a Static shows, as plain text (Rich tables and styled Text alike)."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return console.export_text()


@pytest.fixture()
def services(bank: QuestionBank, rubrics: RubricSet, tmp_path: Path) -> Services:
    data = tmp_path / "data"
    return Services(
        bank=bank,
        rubrics=rubrics,
        data_dir=data,
        transcriber=FakeTranscriber(),
        recorder=FakeRecorder(),
        store=Store(data),
    )


def quiet(**changes: Any) -> Preferences:
    """Preferences for tests about something else: no read-aloud and no think time.

    Both are on by default (as in a real interview); the tests about them turn them on themselves.
    """
    return Preferences(**{"read_aloud": False, "think_seconds": 0, **changes})


def make_app(services: Services, **kwargs: object) -> InterviewCoachApp:
    """The app as a test drives it: no model warm-up, no sets folder, a seeded shuffle, quiet."""
    options: dict[str, object] = {"warm_up": None, "load_sets": False, "rng": random.Random(7)}
    options.update(kwargs)
    options.setdefault("preferences", quiet())
    return InterviewCoachApp(services, **options)  # type: ignore[arg-type]


async def wait_until(
    pilot: Pilot[None], condition: Callable[[], bool], what: str = "condition", *, timeout: float = WAIT_S
) -> None:
    """Let the app run until `condition` holds (workers are threads: poll, do not sleep blind).

    The timeout only stops a hung test; it is not a speed assertion.
    """
    loop_time = 0.0
    while not condition():
        await pilot.pause(0.02)
        loop_time += 0.02
        if loop_time > timeout:
            raise AssertionError(f"timed out waiting for {what}")


def shown(app: App[Any], screen_type: type[Screen[Any]]) -> bool:
    """The app shows a screen of this type, composed and mounted (its widgets can be queried)."""
    return isinstance(app.screen, screen_type) and app.screen.is_mounted


Step = Callable[[Pilot[None]], Awaitable[None]]
