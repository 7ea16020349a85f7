"""The command line on Typer's own types: choices listed in help and refused with exit 2, dates parsed
by Typer, --version, shell completion, shared options that read the same in every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import interviewcoach
from interviewcoach.cli import app

runner = CliRunner()


def run(*args: str, **env: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), prog_name="interviewcoach", env=env or None)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out == f"interviewcoach {interviewcoach.__version__}\n"


def _shell(*args: str, **env: str) -> tuple[int, str, str]:
    """The CLI in a fresh process, as a shell runs it for completion (no state from other tests)."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("interviewcoach")), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


def test_shell_completion_script_and_answers() -> None:
    # Typer detects the calling shell unless told which; the test names bash whatever shell runs it
    # (under `sh`, as make runs tests, detection says "Shell sh not supported").
    code, out, err = _shell("--show-completion", "bash", _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    assert code == 0 and "_INTERVIEWCOACH_COMPLETE=complete_bash" in out, err
    code, out, _ = run("--help")
    assert "--install-completion" in out
    # What the shell asks when the user presses Tab after `questions --category s`.
    code, out, err = _shell(
        _INTERVIEWCOACH_COMPLETE="complete_bash",
        COMP_WORDS="interviewcoach questions --category s",
        COMP_CWORD="3",
    )
    assert code == 0 and out.split() == ["setbacks"], err


def test_unknown_category_is_refused() -> None:
    code, out, err = run("questions", "--category", "nope")
    assert code == 2 and out == ""
    assert "'nope' is not one of 'setbacks', 'fit'" in err
    code, out, _ = run("questions", "--category", "setbacks", "--json")
    rows = json.loads(out)
    assert code == 0 and rows and {r["category"] for r in rows} == {"setbacks"}


@pytest.mark.parametrize(
    ("command", "option", "choices"),
    [
        (["questions"], "--category", "<setbacks|fit|motivation|pathway|behavioural|research|general>"),
        (["history"], "--category", "<setbacks|fit|motivation|pathway|behavioural|research|general>"),
        (["export"], "--format", "<md|html|json|bundle>"),
        (["score"], "--engine", "<faster-whisper|openai-whisper>"),
        (["transcribe"], "--engine", "<faster-whisper|openai-whisper>"),
        (["record"], "--engine", "<faster-whisper|openai-whisper>"),
        (["rescore"], "--engine", "<faster-whisper|openai-whisper>"),
        (["practice"], "--engine", "<faster-whisper|openai-whisper>"),
        (["history"], "--since", "DATE"),
        (["export"], "--since", "DATE"),
    ],
)
def test_help_lists_the_choices(command: list[str], option: str, choices: str) -> None:
    code, out, _ = run(*command, "--help")
    line = next(line for line in out.splitlines() if line.strip().startswith(option))
    assert code == 0 and choices in line


@pytest.mark.parametrize(
    "args",
    [
        ["score", "-q", "low-score", "--text-file", "a.txt", "--engine", "vosk"],
        ["transcribe", "a.wav", "--engine", "vosk"],
        ["record", "--question", "low-score", "--engine", "vosk"],
        ["rescore", "--all", "--engine", "vosk"],
        ["practice", "--engine", "vosk"],
    ],
)
def test_unknown_engine_is_a_usage_error(args: list[str]) -> None:
    code, _, err = run(*args)
    # In plain words: Typer's own refusal began "Value error, ", its validator's phrase.
    assert code == 2 and "--engine': 'vosk' is not one of 'faster-whisper', 'openai-whisper'" in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["history", "--category", "nope"], "for '--category': 'nope' is not one of 'setbacks'"),
        (["history", "--limit", "ten"], "Invalid value for '--limit': not a whole number"),
    ],
)
def test_a_refused_value_is_said_without_the_validators_phrases(args: list[str], said: str) -> None:
    code, _, err = run(*args)
    assert code == 2 and said in err and "Value error" not in err and "Input should be" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "--since", "yesterday-ish"], "'yesterday-ish' is not a date: write 2025-01-31 or"),
        (["history", "--since", "2025-02-30"], "'2025-02-30' is not a date"),
        (["export", "--since", "last week", "--out", "r.md"], "'last week' is not a date"),
        (["export", "1", "--format", "pdf", "--out", "r.pdf"], "'pdf' is not one of 'md', 'html'"),
    ],
)
def test_bad_dates_and_formats_are_usage_errors(args: list[str], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2 and message in err
    if "--since" in args:
        # Neither the parser's name for its failure nor strftime codes (seen: "Value error, ... '%Y-%m-%d'").
        assert "Value error" not in err and "%Y" not in err


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["score", "--bogus"],
            "interviewcoach score: No such option: --bogus. See 'interviewcoach score --help'.",
        ),
        (["scor"], "interviewcoach: No such command 'scor'. Did you mean 'score', 'rescore', 'record'?"),
        (["score", "-q"], "interviewcoach score: Option '-q' requires an argument."),
        (["show"], "interviewcoach show: Missing argument 'ATTEMPT'. See 'interviewcoach show --help'."),
        (["--bogus"], "interviewcoach: No such option: --bogus. See 'interviewcoach --help'."),
        (
            ["history", "--limit", "ten"],
            "interviewcoach history: Invalid value for '--limit': not a whole number.",
        ),
        (["cohort", "report", "--bogus"], "interviewcoach cohort report: No such option: --bogus"),
    ],
)
def test_a_usage_error_is_one_line(args: list[str], line: str) -> None:
    code, out, err = run(*args)
    # One line that names the command and its help, not the parser's usage, hint, blank line and error.
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith(line), err


def _options(command: Any) -> list[Any]:
    """Every option of a command and of its subcommands (Typer's command objects)."""
    found = [p for p in command.params if p.param_type_name == "option"]
    for sub in getattr(command, "commands", {}).values():
        found += _options(sub)
    return found


@pytest.mark.parametrize("name", ["--engine", "--model", "--data-dir", "--device"])
def test_shared_options_read_the_same_everywhere(name: str) -> None:
    options = [o for o in _options(typer.main.get_command(app)) if name in o.opts]
    assert len(options) >= 2
    assert len({(o.help, tuple(o.opts)) for o in options}) == 1, {o.help for o in options}
