"""Token patterns from untrusted files: refused at load time with FILE:LINE, never a crash or a blow-up.

The cases are listed once, in tests/hostile_cases.py (bench/hostile.py runs some of them too).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.scoring.analysis import get_nlp
from interviewcoach.core.scoring.patterns import PatternSet, find
from tests.fuzz_budget import Fuzzer, fuzz_settings
from tests.hostile_cases import (
    PATTERNS_FIELD,
    PATTERNS_LINE,
    REFUSED,
    WORST_ACCEPTED,
    RefusedPattern,
    write_set,
)

PROBLEM = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<field>[\w.\[\]]+): (?P<message>.+)$")


@pytest.mark.parametrize("case", REFUSED, ids=[c.tokens for c in REFUSED])
def test_sets_validate_refuses_each_pattern_spacy_would(tmp_path: Path, case: RefusedPattern) -> None:
    set_file = write_set(tmp_path, case.pattern)
    rubric = tmp_path / "mine.toml"
    result = CliRunner().invoke(app, ["sets", "validate", str(set_file)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    # (The question that names the broken rubric is reported too, on its own line.)
    [line] = [line for line in result.stderr.splitlines() if line.startswith(str(rubric))]
    found = PROBLEM.match(line)
    assert found, line
    assert (found["file"], found["line"]) == (str(rubric), str(PATTERNS_LINE))
    assert found["field"] == PATTERNS_FIELD
    assert case.message in found["message"], line


@pytest.fixture(autouse=True, scope="module")
def _warm_spacy() -> None:
    """Load the pipeline before any timed (Hypothesis) case."""
    get_nlp()


def _spacy_accepts(pattern: list[dict[str, Any]]) -> None:
    """spaCy itself takes the pattern and runs it on a parsed answer."""
    from spacy.matcher import Matcher

    matcher = Matcher(get_nlp().vocab, validate=True)
    matcher.add("T", [pattern])
    matcher(get_nlp()("I scored 251 on Step 2 CK after I changed how I studied."))


_ATTRS = ["LOWER", "LEMMA", "POS", "MORPH", "LENGTH", "LIKE_NUM", "IS_SENT_START", "OP", "ORTH"]
_VALUES = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(-3, 300),
        st.floats(allow_nan=False, width=16),
        st.sampled_from(["a", "Number=Sing", "Tense=Past|VerbForm=Fin", "", "?", "*", "+", "!"]),
        st.from_regex(r"\{\d{0,2}(,\d{0,2})?\}", fullmatch=True),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["IN", "NOT_IN", "IS_SUBSET", "==", ">=", "<", "REGEX"]), inner, max_size=2
        ),
    ),
    max_leaves=6,
)
_SPECS = st.dictionaries(st.sampled_from(_ATTRS), _VALUES, max_size=3)


# A refusal here is pydantic's ValidationError, which the file loaders turn into FILE:LINE problems.
PATTERNS = Fuzzer("patterns: token patterns", clean=(ValidationError,))


@fuzz_settings(max_examples=400)
@given(st.lists(_SPECS, min_size=1, max_size=4))
def test_fuzzed_patterns_we_accept_spacy_accepts(pattern: list[dict[str, Any]]) -> None:
    """Our load-time checks are at least as strict as spaCy's own, on any value at all."""
    with PATTERNS.case() as case:
        try:
            PatternSet(patterns=[pattern])
        except ValidationError:
            case.clean_error()
            return
        _spacy_accepts(pattern)


def test_every_shipped_pattern_still_loads(content: object) -> None:
    """The shipped rubrics fit the quantifier bounds (they loaded in `content`)."""
    assert content


def test_worst_accepted_patterns_stay_bounded_on_a_long_answer(tmp_path: Path) -> None:
    """Under a 1.5 GB address-space limit, the worst patterns we accept finish on 4,000 words.

    Before matching was windowed, a single `{OP = "*"}` on this answer needed over 3 GB.
    """
    script = textwrap.dedent(
        f"""
        import json, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
        from interviewcoach.core.scoring.analysis import get_nlp
        from interviewcoach.core.scoring.patterns import MAX_MATCHES, PatternSet, find
        doc = get_nlp().make_doc(" ".join(["word"] * 4000))
        for pattern in json.loads({json.dumps(json.dumps(WORST_ACCEPTED))}):
            hits = find(PatternSet(patterns=[pattern]), doc)
            assert 0 < len(hits) <= MAX_MATCHES
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def test_windowed_matching_finds_what_whole_matching_finds() -> None:
    """A match far into a long answer, and one across a window edge, are still found once each."""
    words = ["filler"] * 200
    words[40:43] = ["I", "really", "changed"]
    words[150:152] = ["scored", "251"]
    doc = get_nlp()(" ".join(words))
    patterns = PatternSet(
        patterns=[
            [{"LOWER": "i"}, {"OP": "*", "LOWER": "really"}, {"LOWER": "changed"}],
            [{"LOWER": "scored"}, {"LIKE_NUM": True}],
        ]
    )
    assert [m.text for m in find(patterns, doc)] == ["I really changed", "scored 251"]
