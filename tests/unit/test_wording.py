"""Counted nouns, as every message and screen writes them."""

from __future__ import annotations

import pytest

from interviewcoach.core.wording import counted, noun_for


@pytest.mark.parametrize(
    ("count", "singular", "plural", "expected"),
    [
        (0, "attempt", None, "0 attempts"),
        (1, "attempt", None, "1 attempt"),
        (2, "talking point", None, "2 talking points"),
        (1, "try", "tries", "1 try"),
        (3, "try", "tries", "3 tries"),
    ],
)
def test_a_count_takes_the_form_of_its_noun(
    count: int, singular: str, plural: str | None, expected: str
) -> None:
    assert counted(count, singular, plural) == expected
    assert noun_for(count, singular, plural) == expected.split(" ", 1)[1]
