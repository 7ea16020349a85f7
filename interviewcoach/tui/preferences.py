"""The practice preferences the TUI offers, read from and saved to the user's settings file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interviewcoach.core.errors import UserError
from interviewcoach.core.settings import DEFAULT_THINK_SECONDS
from interviewcoach.tui.plan import DEFAULT_MOCK_LENGTH


@dataclass
class Preferences:
    # On by default, as in a real interview: the question is asked aloud, then there is time to think.
    read_aloud: bool = True
    # Think time before recording when the question sets none (0: start when the student is ready).
    think_seconds: int = DEFAULT_THINK_SECONDS
    # Keep each answer's audio after scoring (off: keep only the transcript and scores).
    keep_audio: bool = True
    # Show the words under the question while the student answers (off: it distracts).
    live_transcript: bool = False
    # For this session only: not a saved setting.
    mock_length: int = DEFAULT_MOCK_LENGTH
    # In a mock, the interviewer asks one follow-up after each answer (this session only).
    follow_ups: bool = True
    # The student's name, carried in the reports and bundles they send an advisor (None: not set).
    student_name: str | None = None

    def think_for(self, question_think_seconds: int) -> int:
        """A question's own think time (an advisor may set one) wins over the general setting."""
        return question_think_seconds or self.think_seconds

    @classmethod
    def load(cls, data_dir: Path) -> tuple[Preferences, str]:
        """The saved preferences, or the defaults and the problem when the settings file is bad."""
        from interviewcoach.core.settings import load_settings

        try:
            saved = load_settings(data_dir)
        except UserError as exc:
            return cls(), str(exc).splitlines()[0]
        prefs = cls(saved.read_aloud, saved.think_seconds, saved.keep_audio, saved.live_transcript)
        prefs.student_name = saved.student_name
        return prefs, ""

    def save(self, data_dir: Path) -> None:
        """Save the settings that persist (raises UserError when the file cannot be written)."""
        from interviewcoach.core.settings import update_settings

        try:
            update_settings(
                data_dir,
                read_aloud=self.read_aloud,
                think_seconds=self.think_seconds,
                keep_audio=self.keep_audio,
                live_transcript=self.live_transcript,
            )
        except OSError as exc:
            raise UserError(f"settings not saved: {exc.strerror or exc}") from None

    def save_name(self, data_dir: Path, name: str) -> None:
        """Save the student's name on its own (blank clears it), so the rest of the profile is kept.

        Raises UserError for a name the profile refuses (control characters, too long).
        """
        from interviewcoach.core.settings import update_settings

        try:
            saved = update_settings(data_dir, student_name=name)
        except OSError as exc:
            raise UserError(f"name not saved: {exc.strerror or exc}") from None
        self.student_name = saved.student_name
