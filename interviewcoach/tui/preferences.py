"""The practice preferences the TUI offers: the user's `Settings`, plus choices kept for this session only.

`Preferences` is the core's `Settings` model itself (extended, not copied field by field), so a setting
added to the core is read, validated and saved here without touching this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr

from interviewcoach.core.errors import UserError
from interviewcoach.core.settings import Settings, load_settings, update_settings
from interviewcoach.tui.plan import DEFAULT_MOCK_LENGTH


class Preferences(Settings):
    # For this session only: not saved settings.
    mock_length: int = Field(default=DEFAULT_MOCK_LENGTH, ge=1)
    # In a mock, the interviewer asks one follow-up after each answer.
    follow_ups: bool = True
    # The settings as last read or saved: only what changed since is written back, so a change
    # made meanwhile elsewhere (the CLI's `profile`, say) is not overwritten with a stale value.
    _saved: Settings = PrivateAttr(default_factory=Settings)

    def think_for(self, question_think_seconds: int) -> int:
        """A question's own think time (an advisor may set one) wins over the general setting."""
        return question_think_seconds or self.think_seconds

    def settings(self) -> Settings:
        """The persistent part, as the core's model."""
        return Settings.model_validate(self.model_dump(include=set(Settings.model_fields)))

    @classmethod
    def load(cls, data_dir: Path) -> tuple[Preferences, str]:
        """The saved preferences, or the defaults and the problem when the settings file is bad."""
        try:
            saved = load_settings(data_dir)
        except UserError as exc:
            return cls(), str(exc).splitlines()[0]
        prefs = cls.model_validate(saved.model_dump())
        prefs._saved = saved
        return prefs, ""

    def save(self, data_dir: Path) -> None:
        """Save the settings changed since they were read (raises UserError when it cannot be written)."""
        current = self.settings()
        changes: dict[str, Any] = {
            name: getattr(current, name)
            for name in Settings.model_fields
            if getattr(current, name) != getattr(self._saved, name)
        }
        try:
            update_settings(data_dir, **changes)
        except OSError as exc:
            raise UserError(f"settings not saved: {exc.strerror or exc}") from None
        self._saved = current

    def save_name(self, data_dir: Path, name: str) -> None:
        """Save the student's name on its own (blank clears it), so the rest of the profile is kept.

        Raises UserError for a name the profile refuses (control characters, too long).
        """
        try:
            saved = update_settings(data_dir, student_name=name)
        except OSError as exc:
            raise UserError(f"name not saved: {exc.strerror or exc}") from None
        self.student_name = saved.student_name
        self._saved = self._saved.model_copy(update={"student_name": saved.student_name})
