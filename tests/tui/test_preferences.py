"""The TUI's preferences are the user's settings: every setting is read, and saving keeps the others."""

from __future__ import annotations

from pathlib import Path

from interviewcoach.core.settings import Settings, load_settings, save_settings
from interviewcoach.tui.preferences import Preferences


def test_every_setting_is_read_and_a_change_saves_without_losing_the_rest(tmp_path: Path) -> None:
    saved = Settings(
        device="USB mic",
        keep_audio=False,
        read_aloud=False,
        live_transcript=True,
        think_seconds=40,
        student_name="Ada",
        student_email="ada@example.org",
        student_cohort="2026",
    )
    save_settings(saved, tmp_path)
    prefs, problem = Preferences.load(tmp_path)
    assert problem == ""
    assert prefs.settings() == saved  # every field, including ones the Settings screen does not show

    prefs.think_seconds = 0
    prefs.mock_length = 8  # a choice for this session only: never written to the settings file
    prefs.save(tmp_path)
    assert load_settings(tmp_path) == saved.model_copy(update={"think_seconds": 0})


def test_saving_does_not_overwrite_a_setting_changed_elsewhere_meanwhile(tmp_path: Path) -> None:
    save_settings(Settings(student_email="old@example.org"), tmp_path)
    prefs, _ = Preferences.load(tmp_path)
    # Meanwhile the CLI changes the profile.
    save_settings(Settings(student_email="new@example.org"), tmp_path)
    prefs.keep_audio = False
    prefs.save(tmp_path)
    now = load_settings(tmp_path)
    assert now.keep_audio is False and now.student_email == "new@example.org"
    prefs.read_aloud = False
    prefs.save(tmp_path)
    assert load_settings(tmp_path).student_email == "new@example.org"
