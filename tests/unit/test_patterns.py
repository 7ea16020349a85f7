"""Phrase and token patterns match by lemma and as written; unsafe patterns are refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from interviewcoach.core.scoring.analysis import analyze, get_nlp
from interviewcoach.core.scoring.patterns import PatternSet, find


@pytest.mark.parametrize(
    ("phrases", "text", "expected"),
    [
        (["UWorld"], "I used UWorld every morning.", ["UWorld"]),
        (["ESIR"], "I would pursue ESIR through a strong DR program.", ["ESIR"]),
        (["take a practice exam"], "I took a practice exam weekly.", ["took a practice exam"]),
        (["blame"], "I never blamed anyone.", ["blamed"]),
        (["ESIR"], "I like interventional work.", []),
    ],
)
def test_phrases_match_by_lemma_and_as_written(phrases: list[str], text: str, expected: list[str]) -> None:
    hits = find(PatternSet(phrases=phrases), get_nlp()(text))
    assert [h.text for h in hits] == expected
    assert all(text[h.start : h.end] == h.text for h in hits)


def test_token_patterns_match() -> None:
    patterns = PatternSet(patterns=[[{"LEMMA": "score"}, {"LIKE_NUM": True}]])
    hits = find(patterns, get_nlp()("I scored 251 on Step 2 CK."))
    assert [h.text for h in hits] == ["scored 251"]


def test_matches_are_found_again_after_the_entities_are_added() -> None:
    # Matches are kept on the doc; adding entities later must not hand out the matches from before.
    dates = PatternSet(patterns=[[{"ENT_TYPE": "DATE"}]])
    analysis = analyze("My retake was in March.", entities=False)
    assert find(dates, analysis.doc) == []
    analysis.ensure_entities()
    assert [h.text for h in find(dates, analysis.doc)] == ["March"]


def test_kept_matches_are_copies() -> None:
    patterns = PatternSet(phrases=["fellow"])
    doc = get_nlp()("I paged the fellow.")
    find(patterns, doc).clear()
    assert [h.text for h in find(patterns, doc)] == ["fellow"]


@pytest.mark.parametrize(
    "pattern",
    [
        [{"TEXT": {"REGEX": "^a.*"}}],
        [{"LOWER": {"FUZZY": "blame"}}],
        [{"_": {"x": 1}}],
        [{"LOWER": "a", "OP": "??"}],
    ],
)
def test_unsafe_patterns_are_refused(pattern: list[dict[str, object]]) -> None:
    with pytest.raises(ValidationError):
        PatternSet(patterns=[pattern])
