"""Settings for this session: read the question aloud, think time, mock interview length."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static, Switch

from interviewcoach.tui import speech

if TYPE_CHECKING:
    from interviewcoach.tui.preferences import Preferences

MOCK_LENGTHS = (3, 5, 8, 10)


class SettingsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close settings")]

    def __init__(self, preferences: Preferences) -> None:
        super().__init__()
        self.preferences = preferences

    def compose(self) -> ComposeResult:
        prefs = self.preferences
        reader = speech.reader()
        with Vertical(id="settings"):
            with Horizontal(classes="setting"):
                yield Switch(prefs.read_aloud, id="read-aloud", disabled=reader is None)
                note = "" if reader else " (install espeak-ng to use this)"
                yield Label(f"Read each question aloud before answering{note}")
            with Horizontal(classes="setting"):
                yield Switch(prefs.think_time, id="think-time")
                yield Label("Think time before recording (when the question has one)")
            with Horizontal(classes="setting"):
                lengths = sorted({*MOCK_LENGTHS, prefs.mock_length})
                yield Select(
                    [(str(n), n) for n in lengths],
                    value=prefs.mock_length,
                    allow_blank=False,
                    id="mock-length",
                )
                yield Label("Questions in a mock interview")
            yield Static("Esc closes. Settings apply to this session.", classes="hint")

    def on_mount(self) -> None:
        box = self.query_one("#settings", Vertical)
        box.border_title = "Settings"

    @on(Switch.Changed, "#read-aloud")
    def _read_aloud(self, event: Switch.Changed) -> None:
        self.preferences.read_aloud = event.value

    @on(Switch.Changed, "#think-time")
    def _think_time(self, event: Switch.Changed) -> None:
        self.preferences.think_time = event.value

    @on(Select.Changed, "#mock-length")
    def _mock_length(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.preferences.mock_length = event.value

    def action_close(self) -> None:
        self.dismiss()
