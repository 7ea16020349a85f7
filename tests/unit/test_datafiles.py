"""Broken data files are reported as FILE:LINE: field: problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewcoach.core.content.questions import load_bank
from interviewcoach.core.errors import DataFileError
from interviewcoach.core.scoring.rubrics import load_rubric

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
        (GOOD_QUESTION.replace('"setbacks"', '"setback"'), 5, "questions[0].category", "use one of"),
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
            "give a number above",
        ),
        ("words_per_minute = 150", "wpm = 150", 13, "criteria[0].params.wpm", "unknown key"),
        ("weight = 1", "weight = -1", 11, "criteria[0].weight", "give a number above 0"),
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


# --- hostile but valid TOML: line indexing takes time in proportion to the file, at the 1 MB limit

HOSTILE_TOML = {
    # The header regular expression was cubic here: 3,000 spaces took 13 s, 8,000 took 239 s.
    "spaces in a header": "[" + " " * 990_000 + '"a]b"]\nx = 1\n',
    # Dotted headers were quadratic: 400 KB took 158 s.
    "a long dotted header": "[" + ".".join(["a"] * 300_000) + "]\nx = 1\n",
    "many keys under a deep table": "["
    + ".".join(["a"] * 5_000)
    + "]\n"
    + "".join(f"k{i} = 1\n" for i in range(90_000)),
    "a long dotted key": ".".join(["a"] * 300_000) + " = 1\n",
    "spaces in a key line": "a" + " " * 990_000 + "b\n",
}


@pytest.mark.parametrize("text", HOSTILE_TOML.values(), ids=HOSTILE_TOML.keys())
def test_line_index_of_hostile_toml_finishes(text: str, tmp_path: Path) -> None:
    """Each of these took minutes to hours before; now the whole file is indexed within a budget.

    The budget (30 s in a subprocess, on a shared machine) is a guard against a blow-up, not a speed
    target: bench/hostile.py measures the times.
    """
    import subprocess
    import sys

    assert len(text.encode()) <= 1_000_000
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from interviewcoach.core.datafiles import LineIndex; "
        "LineIndex(Path(sys.argv[1]).read_text()); print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == "ok", out.stderr[-1000:]


def test_quoted_bracket_in_a_header_keeps_the_lines_right() -> None:
    from interviewcoach.core.datafiles import LineIndex

    index = LineIndex('[ "a]b" ]\nx = 1\n\n[[c]]\ny = 2\n[c.d]\nz = 3\n[[c]]\ny = 4\n')
    assert index.line_of(("a]b", "x")) == 2
    assert index.line_of(("c", 0, "y")) == 5
    assert index.line_of(("c", 0, "d", "z")) == 7
    assert index.line_of(("c", 1, "y")) == 9


@pytest.mark.parametrize(
    "text",
    [
        "[" + ".".join(["a"] * 490_000) + "]\nx = 1\n",
        ".".join(["a"] * 490_000) + " = 1\n",
        "a = " + "{b = " * 150_000 + "1" + "}" * 150_000 + "\n",
    ],
    ids=["dotted header", "dotted key", "nested inline tables"],
)
def test_deeply_nested_toml_is_one_problem_within_a_budget(text: str, tmp_path: Path) -> None:
    """tomllib is quadratic in a header's dotted names (a 1 MB one ran for minutes): refused first."""
    import subprocess
    import sys

    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from interviewcoach.core.errors import DataFileError\n"
        "from interviewcoach.core.datafiles import read_toml\n"
        "try:\n    read_toml(Path(sys.argv[1]))\nexcept DataFileError as exc:\n    print(exc)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr[-1000:]
    [line] = out.stdout.splitlines()
    assert line.startswith(str(path)) and ("32 levels deep" in line or "nested too deeply" in line), line
