"""Numbers in an answer, written ("216", "2,500") or spoken ("two forty eight", "two hundred and six").

Whisper writes most scores as digits but not all, and people type the way they talk, so a score may
arrive as "a two fifty-one" or "six forty eight". This module reads token sequences (spaCy tokens or
the plain ones from `tokenize`) without importing spaCy, so it is cheap to test on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000}
# "two oh six": spoken zero inside a number only, never on its own.
ZERO_WORDS = {"oh", "o"}
NUMBER_WORDS = set(UNITS) | set(TEENS) | set(TENS) | set(SCALES)
# Penn tags for nouns a small count can modify: "two forty questions" is 2 and 40, not 240.
_NOUN_TAGS = {"NN", "NNS"}
# "one" as a pronoun or noun ("the one they sent") is not a number.
_PRONOUN_ONE_TAGS = {"NN", "NNP", "PRP"}


class TokenLike(Protocol):
    """What the reader needs from a token; spaCy's Token has all three."""

    @property
    def text(self) -> str: ...

    @property
    def idx(self) -> int: ...

    @property
    def tag_(self) -> str: ...


@dataclass(frozen=True)
class SimpleToken:
    """A whitespace/punctuation token for text that has not been through spaCy."""

    text: str
    idx: int
    tag_: str = ""


@dataclass(frozen=True)
class NumberMention:
    """A number in the answer, written ("254") or spoken ("two fifty four"), with its character span."""

    value: float
    start: int
    end: int
    text: str
    spoken: bool = False


def tokenize(text: str) -> list[SimpleToken]:
    """Split into words and single punctuation marks, keeping "2,500" and "3.5" whole."""
    tokens: list[SimpleToken] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isalnum():
            j = i + 1
            while j < n and (
                text[j].isalnum()
                or text[j] == "'"
                or (text[j] in ",." and j + 1 < n and text[j + 1].isdigit() and text[j - 1].isdigit())
            ):
                j += 1
            tokens.append(SimpleToken(text[i:j], i))
            i = j
        else:
            tokens.append(SimpleToken(ch, i))
            i += 1
    return tokens


def _digits(word: str) -> float | None:
    clean = word.replace(",", "")
    if not clean or not (clean[0].isdigit() or (clean[0] == "." and len(clean) > 1)):
        return None
    try:
        return float(clean)
    except ValueError:
        return None


def _below_hundred(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """1-99 from words[i:]: "seven", "sixteen", "forty", "forty eight". Returns (value, words used)."""
    if i >= len(words):
        return None
    w = words[i]
    if w in TENS:
        if i + 1 < len(words) and words[i + 1] in UNITS and words[i + 1] != "zero":
            return TENS[w] + UNITS[words[i + 1]], 2
        return TENS[w], 1
    if w in TEENS:
        return TEENS[w], 1
    if w in UNITS:
        return UNITS[w], 1
    return None


def _two_digits(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """The second half of a colloquial number: "forty eight", "sixteen", "oh six"."""
    if i < len(words) and words[i] in ZERO_WORDS:
        if i + 1 < len(words) and words[i + 1] in UNITS:
            return UNITS[words[i + 1]], 2
        return None
    if i < len(words) and words[i] in UNITS:
        return None
    return _below_hundred(words, i)


def _lead(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """What may stand before a scale word: "a" (one) or 1-99."""
    if i < len(words) and words[i] == "a":
        return 1, 1
    return _below_hundred(words, i)


def _standard(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """Number words with scales: "two hundred and six", "a hundred", "three thousand two hundred"."""
    total, j, scaled = 0, i, False
    for word, scale in (("thousand", 1000), ("hundred", 100)):
        lead = _lead(words, j)
        if lead is not None and j + lead[1] < len(words) and words[j + lead[1]] == word:
            total += lead[0] * scale
            j += lead[1] + 1
            scaled = True
    if scaled and j + 1 < len(words) and words[j] == "and" and _below_hundred(words, j + 1):
        j += 1
    tail = _below_hundred(words, j)
    if tail is not None:
        total += tail[0]
        j += tail[1]
    elif not scaled:
        return None
    if scaled and words[j - 1] == "and":
        j -= 1
    return total, j - i


def _colloquial(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """Scores and years said in pairs: "two forty eight" (248), "twenty twenty one" (2021)."""
    if i >= len(words):
        return None
    w = words[i]
    if w in UNITS and w != "zero":
        rest = _two_digits(words, i + 1)
        if rest is not None:
            return UNITS[w] * 100 + rest[0], 1 + rest[1]
        return None
    # Years: "nineteen ninety nine", "twenty twenty one", "twenty oh nine".
    if w in TEENS or (w == "twenty" and not (i + 1 < len(words) and words[i + 1] in UNITS)):
        head = TEENS.get(w) or TENS[w]
        rest = _two_digits(words, i + 1)
        if rest is not None and rest[0] >= 1 and (rest[1] == 2 or rest[0] >= 10):
            return head * 100 + rest[0], 1 + rest[1]
    return None


def number_value(phrase: str) -> float | None:
    """The value of a whole number, written or spoken ("216", "two forty eight"), or None."""
    digits = _digits(phrase.strip())
    if digits is not None:
        return digits
    spoken = spoken_value(phrase)
    return float(spoken) if spoken is not None else None


def spoken_value(phrase: str) -> int | None:
    """The value of a whole spoken number ("two forty eight" -> 248), or None if it is not one."""
    words = [t.text.lower() for t in tokenize(phrase.replace("-", " ")) if t.text.isalnum()]
    if words and words[0] == "a" and len(words) > 1 and words[1] not in SCALES:
        words = words[1:]
    if not words:
        return None
    best = _best(words, 0)
    if best is None or best[1] != len(words):
        return None
    return best[0]


def _best(words: Sequence[str], i: int) -> tuple[int, int] | None:
    candidates = [c for c in (_standard(words, i), _colloquial(words, i)) if c is not None]
    if not candidates:
        return None
    return max(candidates, key=lambda c: c[1])


def _is_number_word(token: TokenLike) -> bool:
    return token.text.lower() in NUMBER_WORDS or token.text.lower() in ZERO_WORDS


def find_numbers(tokens: Sequence[TokenLike]) -> list[NumberMention]:
    """Every number in `tokens`, in order; spoken runs are read as the longest sensible number."""
    out: list[NumberMention] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        value = _digits(tok.text)
        if value is not None:
            out.append(NumberMention(value, tok.idx, tok.idx + len(tok.text), tok.text))
            i += 1
            continue
        low = tok.text.lower()
        starts_scale = low == "a" and i + 1 < n and tokens[i + 1].text.lower() in SCALES
        if not (low in NUMBER_WORDS and low not in SCALES) and not starts_scale:
            i += 1
            continue
        # Gather the run of number words (hyphens and "and"/"oh" inside it are part of it).
        run: list[int] = []
        j = i
        while j < n:
            t = tokens[j].text.lower()
            if _is_number_word(tokens[j]) or (j == i and starts_scale):
                if t in ZERO_WORDS and not run:
                    break
                run.append(j)
                j += 1
            elif t in {"-", "and"} and run and j + 1 < n and _is_number_word(tokens[j + 1]):
                if t == "and":
                    run.append(j)
                j += 1
            else:
                break
        words = [tokens[k].text.lower() for k in run]
        k = 0
        while k < len(words):
            parsed = _best(words, k)
            if parsed is None:
                k += 1
                continue
            value_int, used = parsed
            standard = _standard(words, k)
            after = run[k + used - 1] + 1
            next_tag = tokens[after].tag_ if after < n else ""
            # "two forty questions" counts things: keep the plain reading when a noun follows.
            if standard is not None and standard[1] < used and next_tag in _NOUN_TAGS and words[k] in UNITS:
                value_int, used = standard
            first, last = tokens[run[k]], tokens[run[k + used - 1]]
            if used == 1 and words[k] == "one" and first.tag_ in _PRONOUN_ONE_TAGS:
                k += 1
                continue
            end = last.idx + len(last.text)
            # A trailing "and" belongs to the sentence, not the number.
            if words[k + used - 1] == "and":
                used -= 1
                last = tokens[run[k + used - 1]]
                end = last.idx + len(last.text)
            start = first.idx
            text = _join(tokens, run[k], run[k + used - 1])
            out.append(NumberMention(float(value_int), start, end, text, spoken=True))
            k += used
        i = j if j > i else i + 1
    return out


def _join(tokens: Sequence[TokenLike], first: int, last: int) -> str:
    """The text from token `first` to `last`, with the spacing the offsets say was there."""
    text = tokens[first].text
    for k in range(first + 1, last + 1):
        prev, tok = tokens[k - 1], tokens[k]
        text += " " * (tok.idx - (prev.idx + len(prev.text))) + tok.text
    return text


def numbers_in_text(text: str) -> list[NumberMention]:
    """Numbers in plain text, without spaCy (no part-of-speech hints)."""
    return find_numbers(tokenize(text))
