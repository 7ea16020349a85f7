"""The student profile: `interviewcoach profile` sets, shows and refuses, and the settings keep it."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.settings import load_settings, settings_path


def run(data: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["profile", "--data-dir", str(data), *args])
    return result.exit_code, result.stdout, result.stderr


def test_profile_is_set_once_and_shown_as_json_and_words(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, out, _ = run(data, "--json")
    assert code == 0 and json.loads(out) == {"name": None, "email": None, "cohort": None}
    code, out, _ = run(data)
    assert code == 0 and "no name set yet" in out and "profile --name" in out

    code, out, _ = run(data, "--name", "  Ana Ruiz ", "--email", "ana@example.org", "--cohort", "2027")
    assert code == 0 and "Ana Ruiz" in out
    code, out, _ = run(data, "--json")
    assert json.loads(out) == {"name": "Ana Ruiz", "email": "ana@example.org", "cohort": "2027"}
    code, out, _ = run(data)
    assert out.strip() == "you are Ana Ruiz (email ana@example.org, cohort 2027)"
    # Later changes keep the rest; an empty value clears an optional field.
    code, out, _ = run(data, "--email", "")
    assert code == 0
    assert load_settings(data).student_email is None and load_settings(data).student_name == "Ana Ruiz"
    assert stat.S_IMODE(settings_path(data).stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", ""], "the name must not be empty"),
        (["--name", "   "], "the name must not be empty"),
        (["--name", "Ana\x1b[2J Ruiz"], "--name: must not contain control characters"),
        (["--name", "Ana\nRuiz"], "--name: must not contain control characters"),
        (["--name", "A" * 201], "--name"),
        (["--email", "a@b.org"], "set your name first: interviewcoach profile --name ..."),
    ],
)
def test_bad_profile_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    data = tmp_path / "data"
    code, out, err = run(data, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "\x1b" not in err
    # Nothing was saved.
    assert load_settings(data).student_name is None


def test_a_bad_value_leaves_the_saved_profile_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "--name", "Ana Ruiz")[0] == 0
    assert run(data, "--name", "", "--cohort", "2028")[0] == 2
    assert json.loads(run(data, "--json")[1]) == {"name": "Ana Ruiz", "email": None, "cohort": None}
