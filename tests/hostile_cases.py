"""Hostile token patterns in rubric files, listed once: read by the tests and by bench/hostile.py.

Each refused pattern once got past `sets validate` and then crashed scoring (spaCy refused the pattern
after the student had answered), crashed the validator itself, or grew without bound in memory; the
worst accepted patterns are the ones the windowed matcher must keep bounded on a long answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# A rubric whose one keywords group matches "pad"; a hostile pattern goes beside that good one. The
# layout is fixed: tests name the line of each field (the patterns are on line 21).
_RUBRIC = """\
[rubric]
id = "RUBRIC_ID"
title = "Mine"
version = 1

[[criteria]]
id = "named"
name = "Named"
detector = "keywords"
weight = 1
advice.pass = "ok"

[criteria.params]
min_groups = 1

[[criteria.params.groups]]
label = "area"
name = "an area"
[criteria.params.groups.match]
phrases = ["trauma"]
patterns = [[{ LOWER = "pad" }]EXTRA]
"""
PATTERNS_LINE = 21
PATTERNS_FIELD = "criteria[0].params.groups[0].match.patterns"

SET = """\
[set]
title = "Mentor set"
author = "Dr Mentor"
rubrics = ["mine.toml"]

[[questions]]
id = "why-ir"
text = "Why IR?"
category = "motivation"
rubric = "mine"
"""


def rubric_toml(pattern: str | None = None, *, rubric_id: str = "mine") -> str:
    """The rubric file, with `pattern` (TOML: a list of token tables) beside its good pattern."""
    extra = f", {pattern}" if pattern is not None else ""
    return _RUBRIC.replace("RUBRIC_ID", rubric_id).replace("EXTRA", extra)


def write_set(folder: Path, pattern: str) -> Path:
    """A set file and its rubric `mine.toml` carrying `pattern`, in `folder`; the set file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.toml").write_text(rubric_toml(pattern), encoding="utf-8")
    path = folder / "set.toml"
    path.write_text(SET, encoding="utf-8")
    return path


@dataclass(frozen=True)
class RefusedPattern:
    """A token pattern that must be refused at load time, and what the refusal says."""

    tokens: str  # the pattern's token tables, as written inside its brackets
    message: str
    # bench/hostile.py also runs it in a fresh process, for its memory and time.
    bench: bool = False

    @property
    def pattern(self) -> str:
        return f"[{self.tokens}]"


REFUSED = [
    RefusedPattern('{ LIKE_NUM = "yes" }', "LIKE_NUM must be true or false", bench=True),
    RefusedPattern('{ LOWER = "a", OP = "{}" }', "OP '{}' is not allowed"),
    RefusedPattern('{ LOWER = "a", OP = "{,}" }', "OP '{,}' is not allowed"),
    RefusedPattern('{ LOWER = "a", OP = "{5,2}" }', "lower bound is above the upper bound"),
    RefusedPattern('{ LOWER = "pad", OP = "{500}" }', "OP '{500}' is not allowed"),
    RefusedPattern('{ LENGTH = "long" }', "LENGTH must be a whole number"),
    RefusedPattern("{ LENGTH = 1.5 }", "LENGTH must be a whole number"),
    RefusedPattern('{ LOWER = { IN = "abc" } }', "IN needs a list of words"),
    RefusedPattern('{ LOWER = { IN = ["a", 1] } }', "IN needs a list of words; 1 is not one"),
    RefusedPattern('{ LEMMA = { "==" = "x" } }', "operator '==' is not allowed"),
    RefusedPattern('{ TEXT = { REGEX = "^p.d$" } }', "operator 'REGEX' is not allowed"),
    RefusedPattern('{ LOWER = { FUZZY = "pad" } }', "'FUZZY' is not allowed"),
    RefusedPattern("{ _ = { x = 1 } }", "token attribute '_' is not allowed"),
    RefusedPattern('{ LENGTH = { ">=" = "x" } }', ">= needs a whole number"),
    RefusedPattern('{ MORPH = { IS_SUBSET = ["a"] } }', "MORPH: IS_SUBSET needs a list of words"),
    RefusedPattern("{ IS_SENT_START = 1 }", "IS_SENT_START must be true or false"),
    RefusedPattern('{ LOWER = "a", OP = {} }', "OP {} is not allowed", bench=True),
    RefusedPattern('{ LOWER = "a", OP = [] }', "OP [] is not allowed"),
    RefusedPattern(
        '{ OP = "*" }, { OP = "*" }, { OP = "*" }', "too many repeated or optional tokens", bench=True
    ),
    RefusedPattern('{ OP = "*" }, { OP = "{0,8}" }', "too many repeated or optional tokens"),
    RefusedPattern('{ OP = "{0,50}" }', "counts above 8 are not allowed"),
]

# The most expensive patterns still accepted: on 4,000 words each must finish within the matcher's
# bounds (before matching was windowed, a single `{OP = "*"}` there needed over 3 GB).
WORST_ACCEPTED: list[list[dict[str, str]]] = [
    [{"OP": "*"}],
    [{"OP": "*"}, {"OP": "*"}],
    [{"OP": "+"}, {"OP": "?"}, {"OP": "{0,3}"}],
    [{"OP": "?"}, {"OP": "?"}, {"OP": "{0,6}"}],
    [{"OP": "{1,5}"}, {"OP": "*"}],
]


# Hostile `score --jsonl` lines, each with a part of the one line on stderr that refuses it: read by
# tests/unit/test_hostile_jsonl.py and bench/hostile.py (which also measures their time and memory).
HOSTILE_JSONL: dict[str, tuple[str, str]] = {
    "5,000-digit id": ('{"id": ' + "9" * 5000 + ', "question_id": "why-ir", "answer": "x"}', "too large"),
    "nested 100,000 deep": ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    "nested object 20,000 deep": ('{"a":' * 20_000 + "1" + "}" * 20_000, "nested too deeply"),
    "1 MB answer": (json.dumps({"question_id": "why-ir", "answer": "word " * 200_000}), "the limit is"),
    "30,000-character answer": (
        json.dumps({"question_id": "why-ir", "answer": "a" * 30_000}),
        "the answer is 30,000 characters; the limit is 20,000",
    ),
    "NaN": ('{"id": NaN, "question_id": "why-ir", "answer": "x"}', "NaN is not valid JSON"),
    "huge id string": (json.dumps({"id": "x" * 500, "question_id": "why-ir", "answer": "x"}), "at most 200"),
}
