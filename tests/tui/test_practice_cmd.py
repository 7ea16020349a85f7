"""`interviewcoach` and `practice`: options reach the factory, errors exit 2, textual stays lazy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core import session
from interviewcoach.core.paths import shipped_dir
from interviewcoach.core.session import Services
from interviewcoach.core.settings import update_settings
from interviewcoach.tui.app import InterviewCoachApp

runner = CliRunner()


@pytest.fixture()
def started(monkeypatch: pytest.MonkeyPatch, services: Services) -> dict[str, Any]:
    """Pretend to be in a terminal; record what the factory and the app were given."""
    seen: dict[str, Any] = {}

    def build(**kwargs: Any) -> Services:
        seen["factory"] = kwargs
        return services

    def run(self: InterviewCoachApp, *args: Any, **kwargs: Any) -> None:
        seen["app"] = self

    monkeypatch.setattr(session, "build_services", build)
    monkeypatch.setattr(InterviewCoachApp, "run", run)
    monkeypatch.setattr("interviewcoach.cli.practice_cmds._interactive", lambda: True)
    return seen


@pytest.mark.parametrize("argv", [[], ["practice"]])
def test_no_command_and_practice_start_the_app(started: dict[str, Any], argv: list[str]) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert started["factory"] == {"data_dir": None, "engine": "faster-whisper", "model": None, "device": None}
    assert isinstance(started["app"], InterviewCoachApp)


def test_practice_options_reach_the_factory(started: dict[str, Any], tmp_path: Path) -> None:
    argv = ["practice", "--engine", "openai-whisper", "--model", "tiny.en", "--device", "2"]
    result = runner.invoke(app, [*argv, "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert started["factory"] == {
        "data_dir": tmp_path,
        "engine": "openai-whisper",
        "model": "tiny.en",
        "device": 2,
    }


def test_practice_uses_the_saved_device_unless_told_otherwise(
    started: dict[str, Any], tmp_path: Path
) -> None:
    update_settings(tmp_path, device="USB headset")
    assert runner.invoke(app, ["practice", "--data-dir", str(tmp_path)]).exit_code == 0
    assert started["factory"]["device"] == "USB headset"
    assert runner.invoke(app, ["practice", "--data-dir", str(tmp_path), "--device", "1"]).exit_code == 0
    assert started["factory"]["device"] == 1


def test_practice_a_set_file_opens_on_its_first_question(started: dict[str, Any]) -> None:
    set_file = shipped_dir("question_bank") / "sets" / "ir-low-score.toml"
    result = runner.invoke(app, ["practice", "--set", str(set_file)])
    assert result.exit_code == 0, result.output
    coach: InterviewCoachApp = started["app"]
    assert coach.practice_sets and coach.practice_sets[0].questions
    plan = coach.set_plan(coach.practice_sets[0].id)
    assert plan.kind == "set" and plan.rubrics is not None
    assert [q.id for q in plan.questions] == [q.id for q in coach.practice_sets[0].questions]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["practice", "--engine", "whisperx"], "'whisperx' is not one of"),
        (["practice", "--set", "no-such-set"], "no-such-set"),
        (["practice", "--set", "missing/set.toml"], "missing/set.toml: no such set file"),
    ],
)
def test_practice_errors_are_one_line_and_exit_2(
    started: dict[str, Any], argv: list[str], message: str
) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert "app" not in started


def test_practice_without_a_terminal_says_so() -> None:
    result = runner.invoke(app, ["practice"])
    assert result.exit_code == 2
    assert "needs an interactive terminal" in result.output


def test_textual_is_not_imported_until_the_app_starts() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from interviewcoach.cli import app; "
        "r = CliRunner().invoke(app, ['practice', '--help']); "
        "r2 = CliRunner().invoke(app, ['practice']); "
        "print(r.exit_code, r2.exit_code, 'textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "2", "False"]
