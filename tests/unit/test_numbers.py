"""Numbers in answers: written and spoken scores, years and counts, with their spans."""

from __future__ import annotations

import pytest

from interviewcoach.core.scoring.analysis import analyze
from interviewcoach.core.scoring.numbers import number_value, numbers_in_text, spoken_value


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("216", 216),
        ("2,500", 2500),
        ("3.5", 3.5),
        ("two forty eight", 248),
        ("two forty-eight", 248),
        ("two hundred and six", 206),
        ("two hundred six", 206),
        ("a two fifty-one", 251),
        ("two fifty-one", 251),
        ("six forty eight", 648),
        ("two oh six", 206),
        ("two sixteen", 216),
        ("a hundred", 100),
        ("one hundred and twelve", 112),
        ("forty", 40),
        ("forty eight", 48),
        ("sixteen", 16),
        ("twenty twenty one", 2021),
        ("nineteen ninety-nine", 1999),
        ("two thousand nineteen", 2019),
        ("three thousand two hundred and five", 3205),
        ("twelve hundred", 1200),
    ],
)
def test_number_value(phrase: str, value: float) -> None:
    assert number_value(phrase) == value


@pytest.mark.parametrize("phrase", ["", "two and three", "fifty fifty", "hundred", "oh", "step", "two two"])
def test_not_one_number(phrase: str) -> None:
    assert spoken_value(phrase) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I got a two forty eight on Step 1.", [(248, "two forty eight"), (1, "1")]),
        ("It came back at 648, then two hundred and six.", [(648, "648"), (206, "two hundred and six")]),
        ("Forty UWorld questions a day and 3 NBMEs.", [(40, "Forty"), (3, "3")]),
        ("My Step 2 CK was a two fifty-one, above the mean.", [(2, "2"), (251, "two fifty-one")]),
        ("Twenty-one days, two and three blocks.", [(21, "Twenty-one"), (2, "two"), (3, "three")]),
        ("No numbers at all here.", []),
    ],
)
def test_numbers_in_plain_text(text: str, expected: list[tuple[float, str]]) -> None:
    found = numbers_in_text(text)
    assert [(m.value, m.text) for m in found] == expected
    for m in found:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # A count before a noun keeps its plain reading; a score after "a" is read as one number.
        ("I did two forty questions blocks a week.", [2, 40]),
        ("I got a two forty on Step 2 CK.", [240, 2]),
        # "one" as a pronoun is not a number.
        ("I was the one they sent to see new consults.", []),
        ("It was one test on one day.", [1, 1]),
        ("I scored two hundred and thirty one on my first attempt.", [231]),
    ],
)
def test_numbers_with_parse_context(text: str, values: list[float]) -> None:
    analysis = analyze(text)
    assert [m.value for m in analysis.numbers] == values
    assert all(text[m.start : m.end] == m.text for m in analysis.numbers)


def test_spoken_flag() -> None:
    found = numbers_in_text("a 251, then two fifty-one")
    assert [(m.value, m.spoken) for m in found] == [(251, False), (251, True)]
