"""Settings: your name, read the question aloud, think time, keeping recordings, mock interview length,
and the speech model that transcribes answers."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Switch

from interviewcoach.core import session
from interviewcoach.core.errors import UserError
from interviewcoach.tui import speech
from interviewcoach.tui.coach import CoachModalScreen

MOCK_LENGTHS = (3, 5, 8, 10)
# What each switch is for; its label also says "on" or "off" in words, not by colour alone.
SWITCH_TEXTS = {
    "read-aloud": "Read each question aloud",
    "keep-audio": "Keep recordings (off: only transcripts and scores)",
    "live-transcript": "Show my words while I answer",
    "follow-ups": "Follow-up questions in a mock interview (this session)",
}


def switch_label(switch_id: str, value: bool, note: str = "") -> str:
    return f"{'On ' if value else 'Off'} · {SWITCH_TEXTS[switch_id]}{note}"


THINK_SECONDS = (0, 5, 10, 15, 30, 60)


class SettingsScreen(CoachModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close settings")]

    def compose(self) -> ComposeResult:
        prefs = self.coach.preferences
        reader = speech.reader()
        self._read_aloud_note = "" if reader else " (install espeak-ng for this)"
        with VerticalScroll(id="settings"):
            with Horizontal(classes="setting", id="name-setting"):
                yield Input(
                    prefs.student_name or "", placeholder="Your name", max_length=200, id="student-name"
                )
                yield Label("Your name, on reports you send")
            with Horizontal(classes="setting"):
                yield Switch(prefs.read_aloud, id="read-aloud", disabled=reader is None)
                yield Label(
                    switch_label("read-aloud", prefs.read_aloud, self._read_aloud_note), id="read-aloud-label"
                )
            with Horizontal(classes="setting"):
                seconds = sorted({*THINK_SECONDS, prefs.think_seconds})
                options = [("off" if s == 0 else f"{s} s", s) for s in seconds]
                yield Select(options, value=prefs.think_seconds, allow_blank=False, id="think-seconds")
                yield Label("Think time before recording")
            with Horizontal(classes="setting"):
                yield Switch(prefs.keep_audio, id="keep-audio")
                yield Label(switch_label("keep-audio", prefs.keep_audio), id="keep-audio-label")
            with Horizontal(classes="setting"):
                yield Switch(prefs.live_transcript, id="live-transcript")
                yield Label(
                    switch_label("live-transcript", prefs.live_transcript), id="live-transcript-label"
                )
            with Horizontal(classes="setting"):
                lengths = sorted({*MOCK_LENGTHS, prefs.mock_length})
                yield Select(
                    [(str(n), n) for n in lengths],
                    value=prefs.mock_length,
                    allow_blank=False,
                    id="mock-length",
                )
                yield Label("Questions in a mock interview (this session)")
            with Horizontal(classes="setting"):
                yield Switch(prefs.follow_ups, id="follow-ups")
                yield Label(switch_label("follow-ups", prefs.follow_ups), id="follow-ups-label")
            yield from self._model_setting()

    def _model_setting(self) -> ComposeResult:
        """The speech models to choose from; one not installed says so, and choosing it says how."""
        transcriber = self.coach.services.transcriber
        if transcriber is None:
            return
        choices = session.model_choices()
        options = [(c.name if c.installed else f"{c.name} (not installed)", c.name) for c in choices]
        if transcriber.model_name not in {name for _, name in options}:
            # A model folder (given with --model, or saved): its name, the whole path would not fit.
            options.append((Path(transcriber.model_name).name, transcriber.model_name))
        with Horizontal(classes="setting"):
            yield Select(options, value=transcriber.model_name, allow_blank=False, id="model", compact=True)
            yield Label("Speech model that transcribes answers", id="model-label")

    def on_mount(self) -> None:
        dialog = self.query_one("#settings", VerticalScroll)
        dialog.border_title = "Settings"
        # On the frame, not a line of its own: the dialog fits 80x24 without scrolling.
        where = "saved for next time" if self.coach.persist_preferences else "for this session"
        dialog.border_subtitle = f"Esc closes · changes are {where}"

    @on(Switch.Changed)
    def _show_state(self, event: Switch.Changed) -> None:
        switch_id = event.switch.id or ""
        if switch_id in SWITCH_TEXTS:
            note = self._read_aloud_note if switch_id == "read-aloud" else ""
            self.query_one(f"#{switch_id}-label", Label).update(switch_label(switch_id, event.value, note))

    @on(Switch.Changed, "#read-aloud")
    def _read_aloud(self, event: Switch.Changed) -> None:
        self.coach.preferences.read_aloud = event.value
        self.coach.save_preferences()

    @on(Select.Changed, "#think-seconds")
    def _think_seconds(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.coach.preferences.think_seconds = event.value
            self.coach.save_preferences()

    @on(Switch.Changed, "#live-transcript")
    def _live_transcript(self, event: Switch.Changed) -> None:
        self.coach.preferences.live_transcript = event.value
        self.coach.save_preferences()

    @on(Switch.Changed, "#keep-audio")
    def _keep_audio(self, event: Switch.Changed) -> None:
        self.coach.preferences.keep_audio = event.value
        self.coach.save_preferences()

    @on(Switch.Changed, "#follow-ups")
    def _follow_ups(self, event: Switch.Changed) -> None:
        self.coach.preferences.follow_ups = event.value

    @on(Select.Changed, "#mock-length")
    def _mock_length(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.coach.preferences.mock_length = event.value

    @on(Select.Changed, "#model")
    def _model(self, event: Select.Changed) -> None:
        transcriber = self.coach.services.transcriber
        if not isinstance(event.value, str) or transcriber is None or event.value == transcriber.model_name:
            return
        try:
            self.coach.use_model(event.value)
        except UserError as exc:
            self.notify(f"model not changed: {exc}", severity="error", markup=False)
            select: Select[str] = self.query_one("#model", Select)
            select.value = transcriber.model_name
            return
        self.notify(f"Answers are transcribed with {event.value} from now on.", markup=False)

    @on(Input.Submitted, "#student-name")
    def _name_submitted(self) -> None:
        self._save_name()

    def _save_name(self) -> bool:
        """Save the name if it changed; False (and a notice) when it cannot be saved."""
        value = self.query_one("#student-name", Input).value
        if value.strip() == (self.coach.preferences.student_name or ""):
            return True
        if not self.coach.persist_preferences:
            self.coach.preferences.student_name = value.strip() or None
            return True
        try:
            self.coach.preferences.save_name(self.coach.services.data_dir, value)
        except UserError as exc:
            # The text the student typed is shown as it is, never read as markup.
            self.notify(f"name not saved: {exc}", severity="error", markup=False)
            return False
        return True

    def action_close(self) -> None:
        if self._save_name():
            self.dismiss()
