"""Control characters and escape sequences in set text never reach the terminal.

A set is written by someone else; its text is shown by `sets list`, `sets validate`, `record` and
the app. Escape sequences could clear the screen or retitle the window, bidi overrides make text
read backwards; they are removed when the file is loaded, and anything shown as it is (file names,
error details) is escaped.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.content.sets import load_set_file
from interviewcoach.core.safetext import clean, escape
from tests.fuzz_budget import Case, Fuzzer, fuzz_settings

# Anything a terminal could act on: C0 except tab and newline, DEL, C1, bidi controls.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "Mentor\x1b[2J\x1b]0;pwned\x07 set\u202e evil\x00\x85\x9b31m [/] [@click=app.quit]q[/]"


def toml_string(text: str) -> str:
    """A TOML basic string holding `text` exactly (controls as \\u escapes)."""
    out = []
    for char in text:
        if char in '"\\' or ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def set_file(title: str, author: str = "Dr A", text: str = "Why IR?", tip: str = "tip") -> str:
    return f"""\
[set]
title = {toml_string(title)}
author = {toml_string(author)}
description = {toml_string(title)}
instructions = {toml_string(title)}

[[questions]]
id = "why-ir"
text = {toml_string(text)}
category = "motivation"
rubric = "motivation"
tips = [{toml_string(tip)}]
talking_points = [{toml_string(tip)}]
"""


def test_clean_removes_whole_sequences_and_keeps_tabs_and_newlines() -> None:
    assert clean("a\x1b[31mred\x1b[0m\x1b]0;title\x07b\u202ec\td\ne\x85") == "aredbc\td\ne"
    assert escape("x\x1by\u202e\nz") == "x\\x1by\\u202e\nz"
    assert escape("x\ny", keep_newlines=False) == "x\\x0ay"


def test_set_text_is_cleaned_at_load(tmp_path: Path) -> None:
    path = tmp_path / "set.toml"
    path.write_text(set_file(HOSTILE, HOSTILE, HOSTILE, HOSTILE), encoding="utf-8")
    loaded = load_set_file(path)
    question = loaded.questions[0]
    for value in [loaded.title, loaded.author, loaded.description, loaded.instructions, question.text]:
        assert not CONTROL.search(value), repr(value)
        assert "[/]" in value  # brackets are text, kept as written
    assert not CONTROL.search(" ".join(question.tips + question.talking_points))


def _outputs(tmp_path: Path, text: str, fuzzer: Fuzzer | None = None) -> list[str]:
    """What `sets validate`, `sets import` and `sets list` print for a set full of `text`.

    With a fuzzer, the three commands are one case of it.
    """
    runner = CliRunner()
    path = tmp_path / f"set{text.count(chr(0))}.toml"
    path.write_text(set_file(text, text, text, text), encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "data")]
    commands = [
        ["sets", "validate", str(path)],
        ["sets", "import", str(path), *data],
        ["sets", "list", *data],
    ]
    with contextlib.nullcontext(Case()) if fuzzer is None else fuzzer.case() as case:
        # An exception the program does not turn into one line is raised here, not hidden in a result.
        results = [runner.invoke(app, command, catch_exceptions=False) for command in commands]
        if any(result.exit_code == 2 for result in results):
            case.clean_error()
    for result in results:
        assert result.exit_code in (0, 2), result.output
        assert "Traceback" not in result.output
    return [r.stdout + r.stderr for r in results]


def test_hostile_set_text_reaches_no_cli_output(tmp_path: Path) -> None:
    for output in _outputs(tmp_path, HOSTILE):
        assert not CONTROL.search(output), repr(output)


def test_a_hostile_file_name_is_escaped_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad\x1b[2Jname.toml"
    path.write_text("[set]\ntitle = 1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["sets", "validate", str(path)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "bad\\x1b[2Jname.toml" in result.stderr


_TEXT = st.lists(
    st.one_of(
        st.characters(max_codepoint=0x9F),
        st.sampled_from(["\u202e", "\u2066", "\u200f", "\x1b[", "\x1b]", "[/]", "[@click=app.quit]", "é"]),
    ),
    max_size=40,
).map("".join)


SET_TEXT = Fuzzer("text: set text in CLI output")


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The three commands once before the budgeted cases, so none of them pays for first imports."""
    _outputs(tmp_path_factory.mktemp("warm"), "plain")


@pytest.mark.slow
@fuzz_settings(max_examples=25)
@given(_TEXT)
def test_fuzzed_set_text_reaches_no_cli_output(
    tmp_path_factory: pytest.TempPathFactory, warm: None, text: str
) -> None:
    for output in _outputs(tmp_path_factory.mktemp("fuzz"), text, SET_TEXT):
        assert not CONTROL.search(output), repr(output)


@pytest.mark.audio
def test_hostile_set_text_reaches_no_record_output(tmp_path: Path, alsa_mic: object) -> None:
    """`record --question ID --set FILE` shows the set's question: cleaned, whatever the answer."""
    mic = alsa_mic(np.zeros(16000, dtype=np.float32))  # type: ignore[operator]
    assert mic is not None
    path = tmp_path / "set.toml"
    path.write_text(set_file(HOSTILE, text="Why IR? " + HOSTILE), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["record", "--question", "why-ir", "--set", str(path), "--data-dir", str(tmp_path / "data")],
        input="\n",
    )
    assert result.exit_code in (0, 2), result.output
    assert "Why IR? Mentor" in result.stdout
    assert not CONTROL.search(result.stdout + result.stderr), repr(result.stdout + result.stderr)
