"""Broken data files are reported as FILE:LINE: field: problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewcoach.core.errors import DataFileError
from interviewcoach.core.questions import load_bank
from interviewcoach.core.rubrics import load_rubric

GOOD_QUESTION = """
[[questions]]
id = "low-score"
text = "Walk me through your board scores."
category = "setbacks"
rubric = "setback"
target_seconds = [30, 85]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        (
            GOOD_QUESTION + '\n[[questions]]\nid = "b"\ntxt = "x"\n',
            11,
            "questions[1].txt",
            "unknown key; did you mean 'text'?",
        ),
        (
            GOOD_QUESTION.replace("[30, 85]", "[85, 30]"),
            7,
            "questions[0].target_seconds",
            "must be [min, max]",
        ),
        (GOOD_QUESTION.replace('"setbacks"', '"setback"'), 5, "questions[0].category", "Input should be"),
        (
            GOOD_QUESTION.replace('"Walk me through your board scores."', '"   "'),
            4,
            "questions[0].text",
            "must not be empty",
        ),
        (GOOD_QUESTION + GOOD_QUESTION, 10, "questions[1].id", "duplicate question id"),
    ],
)
def test_bank_errors_name_file_line_and_field(
    tmp_path: Path, text: str, line: int | None, field: str, message: str
) -> None:
    path = write(tmp_path, "bank.toml", text)
    with pytest.raises(DataFileError) as info:
        load_bank(tmp_path)
    problem = next(p for p in info.value.problems if p.field == field)
    assert problem.path == path
    if line is not None:
        assert problem.line == line
    assert problem.field == field
    assert message in problem.message
    assert str(problem).startswith(f"{path}:")


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    write(tmp_path, "bank.toml", GOOD_QUESTION + "\nid = = 3\n")
    with pytest.raises(DataFileError) as info:
        load_bank(tmp_path)
    problem = info.value.problems[0]
    assert problem.line == 9
    assert "TOML syntax error" in problem.message and "column" in problem.message


def test_unknown_rubric_is_reported_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "bank.toml", GOOD_QUESTION)
    with pytest.raises(DataFileError) as info:
        load_bank(tmp_path, rubric_ids=["setbak", "fit"])
    problem = info.value.problems[0]
    assert (problem.line, problem.field) == (6, "questions[0].rubric")
    assert "did you mean 'setbak'" in problem.message


RUBRIC = """
[rubric]
id = "r"
title = "R"
version = 1

[[criteria]]
id = "brevity"
name = "Brief"
detector = "brevity"
weight = 1
[criteria.params]
words_per_minute = 150
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        ('detector = "brevity"', 'detector = "brevty"', 10, "criteria[0].detector", "did you mean 'brevity'"),
        (
            "words_per_minute = 150",
            "words_per_minute = 5",
            13,
            "criteria[0].params.words_per_minute",
            "greater than",
        ),
        ("words_per_minute = 150", "wpm = 150", 13, "criteria[0].params.wpm", "unknown key"),
        ("weight = 1", "weight = -1", 11, "criteria[0].weight", "greater than 0"),
    ],
)
def test_rubric_errors_name_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, message: str
) -> None:
    path = write(tmp_path, "r.toml", RUBRIC.replace(old, new))
    with pytest.raises(DataFileError) as info:
        load_rubric(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.field) == (line, field)
    assert message in problem.message


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "bank.toml", GOOD_QUESTION + "# pad\n" * 200_000)
    with pytest.raises(DataFileError, match="limit"):
        load_bank(tmp_path)


def test_unknown_dotted_key_is_reported_at_its_own_line(tmp_path: Path) -> None:
    text = RUBRIC.replace("weight = 1\n", 'weight = 1\nadvise.pass = "x"\n')
    path = write(tmp_path, "r.toml", text)
    with pytest.raises(DataFileError) as info:
        load_rubric(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.field) == (12, "criteria[0].advise")
    assert "did you mean 'advice'" in problem.message
