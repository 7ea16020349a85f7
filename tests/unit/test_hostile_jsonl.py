"""Hostile `score --jsonl` and `--text-file` input: one line on stderr, exit 2, never a traceback.

Each case once gave a traceback (a 5,000-digit id, an array nested 100,000 deep, an answer over
1,000,000 characters) or took 60 s and 3.3 GB (a 1 MB answer).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from interviewcoach.cli import app
from tests.fuzz_budget import Fuzzer, fuzz_settings
from tests.hostile_cases import HOSTILE_JSONL as HOSTILE

LINE = '{"id": 1, "question_id": "why-ir", "answer": "I want to do IR."}'


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", HOSTILE.keys())
def test_hostile_jsonl_lines(tmp_path: Path, case: str) -> None:
    line, message = HOSTILE[case]
    path = tmp_path / "answers.jsonl"
    path.write_text(LINE + "\n" + line + "\n", encoding="utf-8")
    code, out, err = _run(["score", "--jsonl", str(path)])
    assert (code, out) == (2, ""), err
    [only] = err.splitlines()
    assert only.startswith(f"interviewcoach: {path}:2: ") and message in only, only


def test_long_text_file_is_refused_before_scoring(tmp_path: Path) -> None:
    path = tmp_path / "answer.txt"
    path.write_text("word " * 200_000, encoding="utf-8")
    code, out, err = _run(["score", "-q", "why-ir", "--text-file", str(path)])
    assert (code, out) == (2, "")
    assert err.startswith(f"interviewcoach: {path}: the file is 1,000,000 bytes; the limit is ")
    path.write_text("a" * 20_001, encoding="utf-8")
    code, out, err = _run(["score", "-q", "why-ir", "--text-file", str(path)])
    assert (code, out) == (2, "")
    assert "the answer is 20,001 characters; the limit is 20,000" in err and len(err.splitlines()) == 1


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["id", "question_id", "answer", "x"]), inner, max_size=4)
    ),
    max_leaves=20,
)


JSONL = Fuzzer("jsonl: score --jsonl lines")


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One answer scored before the budgeted cases, so none of them pays for loading the pipeline."""
    path = tmp_path_factory.mktemp("warm") / "a.jsonl"
    path.write_text(LINE + "\n", encoding="utf-8")
    assert _run(["score", "--jsonl", str(path)])[0] == 0


# Each case reloads the rubrics and scores in a new CLI run, about 0.06 s of CPU (0.35 s under
# tracemalloc): 75 examples here, thousands in `bench/hostile.py --fuzz`.
@pytest.mark.slow
@fuzz_settings(max_examples=75)
@given(st.one_of(_JSON.map(json.dumps), st.text(max_size=80)))
def test_fuzzed_jsonl_lines_score_or_fail_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, warm: None, line: str
) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "a.jsonl"
    path.write_text(line.replace("\n", " ").replace("\r", " ") + "\n", encoding="utf-8", errors="replace")
    with JSONL.case() as case:
        # Not caught by the runner: an exception the program does not turn into one line is raised
        # here, and counted as a traceback.
        result = CliRunner().invoke(app, ["score", "--jsonl", str(path)], catch_exceptions=False)
        code, out, err = result.exit_code, result.stdout, result.stderr
        if code == 2:
            case.clean_error(err)
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 2:
        assert out == "" and len(err.splitlines()) == 1, err
