"""Property tests: random and mutated set and rubric files either load or raise the project's own error."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.content.sets import load_set_file
from interviewcoach.core.errors import DataFileError, UserError
from interviewcoach.core.paths import shipped_dir
from interviewcoach.core.scoring.rubrics import RubricSet
from tests.fuzz_budget import Fuzzer, examples

# Every load is one budgeted case (time and memory), counted in the end-of-session fuzz table.
load_set_file = Fuzzer("sets: set and rubric files").wrap(load_set_file)

SETS = shipped_dir("question_bank") / "sets"
SET_TEXT = (SETS / "ir-low-score.toml").read_text(encoding="utf-8")
RUBRIC_TEXT = (SETS / "advisor-ir.toml").read_text(encoding="utf-8")
# Past Python's 4,300-digit limit for int(): tomllib raises ValueError, not TOMLDecodeError.
HUGE_INTEGER = "9" * 5000
FUZZ = settings(
    max_examples=examples(120),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def toml_float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


scalars = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(toml_float),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.text(max_size=30).map(json.dumps),
    st.sampled_from(["1979-05-27T07:32:00Z", "07:32:00", "''", '""""""', "{}", "[]", HUGE_INTEGER]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), inner, max_size=3).map(
            lambda table: "{" + ", ".join(f"{k} = {v}" for k, v in table.items()) + "}"
        ),
    ),
    max_leaves=8,
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """The text with a few lines deleted, duplicated, swapped, re-valued, re-keyed or garbled."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "value", "key", "garble", "truncate"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "value" and "=" in lines[i]:
            lines[i] = lines[i].split("=", 1)[0] + "= " + draw(values)
        elif op == "key" and "=" in lines[i]:
            key = draw(st.from_regex(r"[A-Za-z_.\"' -]{1,12}", fullmatch=True))
            lines[i] = key + " =" + lines[i].split("=", 1)[1]
        elif op == "garble":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(max_size=8)) + lines[i][at:]
        elif op == "truncate":
            lines = lines[: i + 1]
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return "\n".join(lines) + "\n"


def loads_or_user_error(path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    try:
        practice_set = load_set_file(path, bank=bank, rubrics=rubrics)
    except DataFileError as exc:
        event("DataFileError")
        assert exc.problems
        for problem in exc.problems:
            assert problem.path.parent == path.parent
            assert problem.line is None or problem.line >= 1
            assert str(problem).startswith(str(problem.path))
    except UserError:
        event("UserError")
    else:
        event("loaded")
        assert len(practice_set) >= 1
        for question in practice_set:
            assert practice_set.rubric_for(question).criteria


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz")
    (path / "advisor-ir.toml").write_text(RUBRIC_TEXT, encoding="utf-8")
    return path


@FUZZ
@given(text=mutated(SET_TEXT))
def test_mutated_set_files(folder: Path, bank: QuestionBank, rubrics: RubricSet, text: str) -> None:
    path = folder / "set.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    loads_or_user_error(path, bank, rubrics)


@FUZZ
@given(text=mutated(RUBRIC_TEXT))
def test_mutated_custom_rubric_files(
    tmp_path_factory: pytest.TempPathFactory, bank: QuestionBank, rubrics: RubricSet, text: str
) -> None:
    folder = tmp_path_factory.mktemp("rubric", numbered=True)
    (folder / "advisor-ir.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    path = folder / "set.toml"
    path.write_text(SET_TEXT, encoding="utf-8")
    loads_or_user_error(path, bank, rubrics)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_random_bytes(folder: Path, bank: QuestionBank, rubrics: RubricSet, data: bytes) -> None:
    path = folder / "random.toml"
    path.write_bytes(data)
    loads_or_user_error(path, bank, rubrics)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.dictionaries(
        st.sampled_from(
            [
                "ref",
                "id",
                "text",
                "category",
                "rubric",
                "target_seconds",
                "think_seconds",
                "follow_ups",
                "tips",
                "talking_points",
                "extra",
            ]
        ),
        values,
        max_size=6,
    )
)
def test_random_question_tables(
    folder: Path, bank: QuestionBank, rubrics: RubricSet, table: dict[str, str]
) -> None:
    body = "\n".join(f"{key} = {value}" for key, value in table.items())
    text = f'[set]\ntitle = "t"\nauthor = "a"\n\n[[questions]]\n{body}\n'
    path = folder / "table.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    loads_or_user_error(path, bank, rubrics)


# --- control characters in every field reach no output --------------------------------------------

# Every character a terminal or a bidi-aware viewer acts on (tab and newline are text).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_HOSTILE_PIECES = st.one_of(
    st.characters(max_codepoint=0x9F),
    st.sampled_from(
        [
            "\x1b[2J",
            "\x1b]0;owned\x07",
            "\x1b]52;c;cHduZWQ=\x07",
            "\x9b31m",
            "\u202e",
            "\u2066",
            "\u200f",
            "é",
        ]
    ),
)
HOSTILE_TEXT = st.lists(_HOSTILE_PIECES, min_size=1, max_size=12).map(lambda parts: "x" + "".join(parts))
# The set's text fields; a sample answer is hostile text too (the transcript of `sets test`).
FIELDS = ("title", "author", "description", "instructions", "text", "follow_up", "tip", "point", "answer")


def hostile_set(values: dict[str, str]) -> str:
    def q(name: str) -> str:
        return json.dumps(values[name])  # a TOML basic string: JSON's escapes are TOML's

    return f"""\
[set]
id = "hostile"
title = {q("title")}
author = {q("author")}
description = {q("description")}
instructions = {q("instructions")}
rubrics = ["advisor-ir.toml"]

[[questions]]
id = "dr-backup-plan"
text = {q("text")}
category = "pathway"
rubric = "advisor-ir"
follow_ups = [{q("follow_up")}]
tips = [{q("tip")}]
talking_points = [{q("point")}, "ESIR or the independent IR pathway"]
"""


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({name: HOSTILE_TEXT for name in FIELDS}))
def test_no_control_character_in_any_set_field_reaches_any_output(
    tmp_path_factory: pytest.TempPathFactory, values: dict[str, str]
) -> None:
    folder = tmp_path_factory.mktemp("hostile", numbered=True)
    (folder / "advisor-ir.toml").write_text(RUBRIC_TEXT, encoding="utf-8")
    path = folder / "set.toml"
    path.write_text(hostile_set(values), encoding="utf-8")
    answer = folder / "answer.txt"
    # The hostile text sits inside words that cover a talking point, so quotes of the answer carry it.
    said = f"I would pursue ESIR {values['answer']} or the independent IR pathway."
    answer.write_text(said, encoding="utf-8")
    samples = folder / "samples.jsonl"
    samples.write_text(
        json.dumps({"question": "dr-backup-plan", "text": said, "label": values["answer"]}) + "\n"
    )
    data = ["--data-dir", str(folder / "data")]
    score = ["score", "--set", str(path), "-q", "dr-backup-plan", "--text-file", str(answer)]
    runs = [
        ["sets", "validate", str(path)],
        ["sets", "import", str(path), *data],
        ["sets", "list", *data],
        ["sets", "list", "--json", *data],
        ["sets", "pack", str(folder), "--out", str(folder / "h.icset")],
        ["sets", "validate", str(folder / "h.icset")],
        [*score, "--json"],
        score,
        ["sets", "test", str(path), "--answers", str(samples)],
        ["sets", "test", str(path), "--answers", str(samples), "--json"],
    ]
    runner = CliRunner()
    for args in runs:
        result = runner.invoke(app, args)
        output = result.stdout + result.stderr
        assert result.exit_code in (0, 1, 2) and "Traceback" not in output, (args, output)
        found = CONTROL.search(output)
        assert found is None, (args, repr(found.group()), output)
