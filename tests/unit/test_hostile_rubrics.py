"""Rubric files changed at random: each loads and then scores an answer, or is refused with FILE:LINE.

A rubric is written by an advisor and shared; the worst outcome is one that loads and then crashes
scoring after the student has answered (as token patterns once did). These cases take each shipped
rubric, change a few values anywhere in it (params, weights, caps, advice, patterns) to other
values of any type, and require either a clean refusal at load time or a score from 0 to 100.
"""

from __future__ import annotations

import copy
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.errors import DataFileError
from interviewcoach.core.paths import shipped_dir
from interviewcoach.core.scoring.analysis import Analysis, analyze
from interviewcoach.core.scoring.engine import score
from interviewcoach.core.scoring.rubrics import load_rubric
from tests.fuzz_budget import Fuzzer, fuzz_settings

SHIPPED = {
    path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
    for path in shipped_dir("rubrics").glob("*.toml")
}
ANSWER = (
    "On my IR rotation a patient on the ward became confused before her biopsy, and the nurse "
    "was worried. I stopped, checked her labs with the resident, and called the attending. We "
    "found her sodium was 121, so we held the procedure and corrected it; two days later the "
    "biopsy went ahead. Since then I check the labs myself before every case, and I learned to "
    "speak up early. I want interventional radiology because I like fixing problems with my hands."
)


def _keys(node: object, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(key)
            _keys(value, out)
    elif isinstance(node, list):
        for value in node:
            _keys(value, out)
    return out


KEYS = sorted(_keys(SHIPPED, set()) | {"OP", "IN", "LOWER", "LEMMA", "LIKE_NUM", "extra"})
WORDS = ["*", "+", "?", "{0,3}", "{9}", "", "keywords", "brevity", "story", "PROPN", "NOUN", "{topic}", "{"]
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
SCALARS = st.one_of(
    st.integers(-5, 1000),
    st.sampled_from([0, -1, 10**6, 2**63 - 1]),
    st.floats(),
    st.booleans(),
    _TEXT,
    st.sampled_from(WORDS),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=8,
)


def _value(value: Any) -> str:
    """`value` as a TOML value (inline tables and arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value) if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_value(v)}" for k, v in value.items()) + "}"


def _dump(tree: dict[str, Any]) -> str:
    """A TOML document for `tree`: top-level tables and arrays of tables, values inline."""
    lines = [f"{json.dumps(k)} = {_value(v)}" for k, v in tree.items() if not _is_table(v)]
    for key, value in tree.items():
        if isinstance(value, dict):
            lines += [f"[{json.dumps(key)}]", *(f"{json.dumps(k)} = {_value(v)}" for k, v in value.items())]
        elif _is_table(value):
            for table in value:
                lines += [
                    f"[[{json.dumps(key)}]]",
                    *(f"{json.dumps(k)} = {_value(v)}" for k, v in table.items()),
                ]
    return "\n".join(lines) + "\n"


def _is_table(value: object) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)
    )


def _alike(value: Any) -> st.SearchStrategy[Any]:
    """Values of the same type as `value`, near it where that means anything."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.one_of(st.integers(value - 3, value + 3), st.integers(-(2**63), 2**63 - 1))
    if isinstance(value, float):
        return st.one_of(st.floats(value - 1, value + 1), st.floats())
    if isinstance(value, str):
        return st.one_of(_TEXT, st.sampled_from(WORDS), st.just(value[: len(value) // 2]))
    if isinstance(value, list) and value:
        return st.lists(st.sampled_from(value).map(copy.deepcopy), max_size=len(value) + 2)
    return VALUES


# Go one level deeper nine times in ten (sampled, not an integer range, so it is not biased to
# the ends; shrinking still goes to the shallow choice).
DEEPER = st.sampled_from([False, *[True] * 9])


@st.composite
def mutated_rubric(draw: st.DrawFn) -> tuple[str, str]:
    """(shipped rubric id, its text with 1-3 values anywhere replaced, removed or added)."""
    name = draw(st.sampled_from(sorted(SHIPPED)))
    tree = copy.deepcopy(SHIPPED[name])
    for _ in range(draw(st.integers(1, 3))):
        parent: Any = tree
        key: Any = draw(st.sampled_from(sorted(tree)))
        criteria = tree.get("criteria")
        # Mostly a criterion's params: the values detectors read while scoring.
        if isinstance(criteria, list) and criteria and draw(st.integers(0, 3)):
            index = draw(st.integers(0, len(criteria) - 1))
            if isinstance(criteria[index], dict) and criteria[index]:
                parent = criteria[index]
                key = "params" if "params" in parent else draw(st.sampled_from(sorted(parent)))
        # Walk down a random path, mostly to a leaf (params, patterns, advice); stopping higher up
        # now and then changes whole tables, which are almost always refused.
        while isinstance(parent[key], dict | list) and parent[key] and draw(DEEPER):
            parent = parent[key]
            key = (
                draw(st.sampled_from(sorted(parent)))
                if isinstance(parent, dict)
                else draw(st.integers(0, len(parent) - 1))
            )
        op = draw(st.sampled_from(["alike", "alike", "replace", "delete", "add"]))
        if op == "alike":
            # A value of the same type: what an advisor's typo or a bad tweak usually is.
            parent[key] = draw(_alike(parent[key]))
        elif op == "replace":
            parent[key] = draw(VALUES)
        elif op == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(VALUES)
        else:
            parent.append(copy.deepcopy(parent[key]) if draw(st.booleans()) else draw(VALUES))
        if not tree:
            break
    return name, _dump(tree)


RUBRICS = Fuzzer("rubrics: changed values, scored")


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    """The answer parsed once (entities too); every case scores it with its own rubric."""
    return analyze(ANSWER)


def test_the_shipped_rubrics_survive_the_round_trip(tmp_path: Path) -> None:
    """Unchanged, each rubric written back by the fuzzer's writer loads as itself."""
    for name, tree in SHIPPED.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(_dump(tree), encoding="utf-8")
        assert load_rubric(path).id == name


@fuzz_settings(max_examples=60)
@given(case=mutated_rubric())
def test_fuzzed_rubrics_load_and_score_or_are_refused(
    tmp_path_factory: pytest.TempPathFactory, bank: QuestionBank, analysis: Analysis, case: tuple[str, str]
) -> None:
    name, text = case
    path = tmp_path_factory.mktemp("rubric") / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    question = next(q for q in bank if q.rubric == name)
    with RUBRICS.case() as outcome:
        try:
            rubric = load_rubric(path)
        except DataFileError as exc:
            outcome.clean_error(str(exc))
            assert exc.problems and all(str(p).startswith(str(path)) for p in exc.problems)
            assert all("\n" not in str(p) for p in exc.problems)
            return
        result = score(question, rubric, text=ANSWER, analysis=analysis)
    assert 0 <= result.overall <= 100
    assert set(result.criteria) <= {c.id for c in rubric.criteria}
