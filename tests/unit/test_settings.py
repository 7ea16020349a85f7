"""Saved settings: defaults, round trip, private file, and clear errors for a bad file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from interviewcoach.core.errors import DataFileError, UserError
from interviewcoach.core.settings import (
    Settings,
    load_settings,
    save_settings,
    settings_path,
    update_settings,
)


def test_defaults_when_nothing_is_saved(tmp_path: Path) -> None:
    # As in a real interview: the question is asked aloud, then there is a moment to think.
    assert load_settings(tmp_path) == Settings(
        device=None, keep_audio=True, read_aloud=True, live_transcript=False, think_seconds=15
    )
    assert not settings_path(tmp_path).exists()


def test_round_trip_private_file(tmp_path: Path) -> None:
    saved = Settings(device="USB Headset", keep_audio=False, think_seconds=15)
    path = save_settings(saved, tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
    assert load_settings(tmp_path) == saved
    assert update_settings(tmp_path, device=3).device == 3
    assert load_settings(tmp_path).device == 3
    assert load_settings(tmp_path).keep_audio is False
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_default_location_is_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWCOACH_HOME", str(tmp_path / "home"))
    save_settings(Settings(read_aloud=True))
    assert (tmp_path / "home" / "settings.json").is_file()
    assert load_settings().read_aloud is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{\n  "keep_audio": true,\n  "devise": 2\n}', "settings.json:3: devise: unknown setting"),
        (
            '{\n  "think_seconds": -5\n}',
            "settings.json:2: think_seconds: Input should be greater than or equal to 0",
        ),
        ('{\n  "keep_audio": "maybe"\n}', "settings.json:2: keep_audio: Input should be a valid boolean"),
        # Named at the comma on every Python (3.13's json points there, 3.11 and 3.12 at the brace).
        (
            '{\n  "keep_audio": true,\n}',
            "settings.json:2: not valid JSON: a trailing comma before '}' (column 21)",
        ),
        ('{\n  "device": [1,\n  ]\n}', "settings.json:2: not valid JSON: a trailing comma before ']'"),
        (
            '{\n  "keep_audio": true,\n  think_seconds: 5\n}',
            "settings.json:3: not valid JSON: Expecting property",
        ),
        (
            '{\n  "keep_audio": true\n  "think_seconds": 5\n}',
            "settings.json:3: not valid JSON: Expecting ',' delimiter",
        ),
        ("[1, 2]", "settings.json:1: must be a JSON object"),
    ],
)
def test_bad_file_names_file_line_and_setting(tmp_path: Path, text: str, expected: str) -> None:
    settings_path(tmp_path).write_text(text)
    with pytest.raises(DataFileError) as err:
        load_settings(tmp_path)
    assert expected in str(err.value.problems[0])


def test_update_rejects_invalid_values(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="think_seconds"):
        update_settings(tmp_path, think_seconds=10_000)
    assert not settings_path(tmp_path).exists()
