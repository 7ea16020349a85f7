"""Word lists and token patterns from data files, matched with spaCy's PhraseMatcher and Matcher.

Rubrics and advisor sets are data, some of it untrusted: patterns are phrases or spaCy token
patterns restricted to plain attributes and operators. Regular expressions (spaCy's REGEX and FUZZY
operators) are refused, so nothing a file says can run or backtrack without bound.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Token attributes a pattern may test; anything else (REGEX, FUZZY, _ extensions) is refused.
ALLOWED_ATTRS = {
    "ORTH",
    "TEXT",
    "LOWER",
    "NORM",
    "LEMMA",
    "POS",
    "TAG",
    "DEP",
    "ENT_TYPE",
    "MORPH",
    "IS_DIGIT",
    "IS_ALPHA",
    "IS_PUNCT",
    "IS_STOP",
    "LIKE_NUM",
    "IS_SENT_START",
    "LENGTH",
    "OP",
}
ALLOWED_OPS = {"!", "?", "+", "*"}
_COUNT_OP = re.compile(r"^\{\d{0,2}(,\d{0,2})?\}$")
ALLOWED_PREDICATES = {"IN", "NOT_IN", "==", ">=", "<=", ">", "<", "INTERSECTS", "IS_SUBSET"}

TokenSpec = dict[str, Any]


def _check_value(attr: str, value: Any) -> None:
    if isinstance(value, dict):
        for predicate, arg in value.items():
            if predicate not in ALLOWED_PREDICATES:
                raise ValueError(f"{attr}: operator {predicate!r} is not allowed")
            items = arg if isinstance(arg, list) else [arg]
            if not all(isinstance(i, str | int | float | bool) for i in items):
                raise ValueError(f"{attr}: values must be words or numbers")
    elif not isinstance(value, str | int | float | bool):
        raise ValueError(f"{attr}: value must be a word, number, true/false or a table of tests")


class PatternSet(BaseModel):
    """Phrases (matched on lemmas or lower-case text) and spaCy token patterns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phrases: list[str] = Field(default_factory=list, max_length=500)
    patterns: list[list[TokenSpec]] = Field(default_factory=list, max_length=200)
    match_on: Literal["LEMMA", "LOWER"] = "LEMMA"

    @field_validator("phrases")
    @classmethod
    def _phrases(cls, phrases: list[str]) -> list[str]:
        out = []
        for phrase in phrases:
            phrase = " ".join(phrase.split())
            if not phrase:
                raise ValueError("a phrase must not be empty")
            if len(phrase) > 200:
                raise ValueError("a phrase must be at most 200 characters")
            out.append(phrase)
        return out

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, patterns: list[list[TokenSpec]]) -> list[list[TokenSpec]]:
        for pattern in patterns:
            if not pattern or len(pattern) > 12:
                raise ValueError("a token pattern has 1 to 12 token tests")
            for spec in pattern:
                for attr, value in spec.items():
                    if attr not in ALLOWED_ATTRS:
                        raise ValueError(f"token attribute {attr!r} is not allowed")
                    if attr == "OP":
                        if value not in ALLOWED_OPS and not _COUNT_OP.match(str(value)):
                            raise ValueError(f"OP {value!r} is not allowed")
                        continue
                    _check_value(attr, value)
        return patterns

    def __bool__(self) -> bool:
        return bool(self.phrases or self.patterns)

    def __hash__(self) -> int:
        return hash((tuple(self.phrases), repr(self.patterns), self.match_on))


@dataclass(frozen=True)
class Match:
    """A matched span of the answer: character offsets into the analysed text."""

    start: int
    end: int
    text: str
    token_start: int
    token_end: int


_compiled: dict[int, Any] = {}
_lock = threading.Lock()


def _compile(patterns: PatternSet) -> tuple[Any, Any, Any]:
    from spacy.matcher import Matcher, PhraseMatcher

    from interviewcoach.core.analysis import get_nlp

    key = hash(patterns)
    with _lock:
        if key in _compiled:
            return _compiled[key]  # type: ignore[no-any-return]
        nlp = get_nlp()
        phrase_matcher = PhraseMatcher(nlp.vocab, attr=patterns.match_on)
        # Lemma matching alone misses a phrase whose lemma changes with context: a name or acronym
        # typed alone ("UWorld", "ESIR") is lemmatised differently than inside a sentence. The
        # phrase as written (lower case) is matched too.
        written_matcher = None
        if patterns.phrases:
            written = [nlp.make_doc(p) for p in patterns.phrases]
            if patterns.match_on == "LEMMA":
                phrase_matcher.add("P", list(nlp.pipe(patterns.phrases)))
                written_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
                written_matcher.add("W", written)
            else:
                phrase_matcher.add("P", written)
        matcher = Matcher(nlp.vocab)
        if patterns.patterns:
            matcher.add("T", patterns.patterns)
        _compiled[key] = (phrase_matcher, written_matcher, matcher)
        return phrase_matcher, written_matcher, matcher


def find(patterns: PatternSet, doc: Doc) -> list[Match]:
    """Every non-overlapping match of `patterns` in `doc`, longest first where they overlap."""
    if not patterns:
        return []
    from spacy.util import filter_spans

    phrase_matcher, written_matcher, matcher = _compile(patterns)
    # A matcher with nothing added warns (W036) on every call; only run the ones that have patterns.
    spans = [doc[s:e] for _, s, e in phrase_matcher(doc)] if patterns.phrases else []
    if written_matcher is not None:
        spans += [doc[s:e] for _, s, e in written_matcher(doc)]
    if patterns.patterns:
        spans += [doc[s:e] for _, s, e in matcher(doc)]
    spans = sorted(filter_spans(spans), key=lambda span: span.start)
    return [Match(span.start_char, span.end_char, span.text, span.start, span.end) for span in spans]
