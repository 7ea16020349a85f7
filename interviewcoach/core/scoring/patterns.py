"""Word lists and token patterns from data files, matched with spaCy's PhraseMatcher and Matcher.

Rubrics and advisor sets are data, some of it untrusted: patterns are phrases or spaCy token
patterns restricted to plain attributes and operators. Regular expressions (spaCy's REGEX and FUZZY
operators) are refused, every value is checked against the type spaCy's pattern schema wants (at
load time, without importing spaCy, so `sets validate` reports it as FILE:LINE), quantifiers are
bounded per pattern, and answers are matched in windows with a cap on matches: nothing a file says
can run, crash scoring, or take time and memory without bound.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from interviewcoach.core.errors import UserError
from interviewcoach.core.scoring.analysis import get_nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# Token attributes a pattern may test, by the kind of value spaCy's own pattern schema requires for
# them; anything else (REGEX, FUZZY, _ extensions) is refused.
STRING_ATTRS = {"ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "POS", "TAG", "DEP", "ENT_TYPE", "MORPH"}
BOOL_ATTRS = {"IS_DIGIT", "IS_ALPHA", "IS_PUNCT", "IS_STOP", "LIKE_NUM", "IS_SENT_START"}
NUMBER_ATTRS = {"LENGTH"}
ALLOWED_ATTRS = STRING_ATTRS | BOOL_ATTRS | NUMBER_ATTRS | {"OP"}
ALLOWED_OPS = {"!", "?", "+", "*"}
_COUNT_OP = re.compile(r"^\{(\d{0,2})(,(\d{0,2}))?\}$")
SET_PREDICATES = {"IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS"}
COMPARISONS = {"==", "!=", ">=", "<=", ">", "<"}
_MORPH = re.compile(r"^[A-Za-z_]+=[^|=]+(\|[A-Za-z_]+=[^|=]+)*$")

# Bounds on quantifiers. spaCy's Matcher keeps every partial match, so quantified tokens multiply
# the work: three unbounded wildcards reached 16.7 GB on a 300-word answer. Within these bounds
# the worst pattern takes well under a second on the longest answer scored (see bench/hostile.py),
# and every shipped rubric fits.
MAX_TOKENS = 12
MAX_QUANTIFIED = 3  # tokens with ?, *, + or a {n,m} range
MAX_UNBOUNDED = 2  # tokens with * or + (or {n,})
MAX_COUNT = 8  # the m of {n,m}
# Optional token slots (each ? counts 1, each {n,m} counts m-n) allowed beside 0, 1 or 2 unbounded.
MAX_OPTIONAL_SLOTS = {0: 8, 1: 4, 2: 0}
# Answers are matched in overlapping windows of tokens, so no pattern can produce a number of
# candidate matches that grows with the square of the answer's length; a match up to WINDOW_STEP
# tokens long is always whole in some window. Matches per answer are capped as well.
WINDOW = 64
WINDOW_STEP = 32
MAX_MATCHES = 2000

TokenSpec = dict[str, Any]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_value(attr: str, value: Any) -> None:
    """Raise ValueError unless `value` is what spaCy's pattern schema accepts for `attr`."""
    if attr in BOOL_ATTRS:
        if not isinstance(value, bool):
            raise ValueError(f"{attr} must be true or false, not {value!r}")
        return
    number = attr in NUMBER_ATTRS
    kind = "whole numbers" if number else "words"

    def scalar_ok(item: Any) -> bool:
        if number:
            return _is_int(item)
        return isinstance(item, str) and (attr != "MORPH" or _MORPH.match(item) is not None)

    if not isinstance(value, dict):
        if not scalar_ok(value):
            what = "a whole number" if number else "a word"
            if attr == "MORPH":
                what = 'features such as "Number=Sing"'
            raise ValueError(f"{attr} must be {what} or a table of tests, not {value!r}")
        return
    if not value:
        raise ValueError(f"{attr}: the table of tests is empty")
    for predicate, arg in value.items():
        if predicate in SET_PREDICATES:
            if not isinstance(arg, list):
                raise ValueError(f"{attr}: {predicate} needs a list of {kind}, not {arg!r}")
            bad = [item for item in arg if not scalar_ok(item)]
            if bad:
                raise ValueError(f"{attr}: {predicate} needs a list of {kind}; {bad[0]!r} is not one")
        elif number and predicate in COMPARISONS:
            if not _is_int(arg):
                raise ValueError(f"{attr}: {predicate} needs a whole number, not {arg!r}")
        else:
            allowed = sorted(SET_PREDICATES | (COMPARISONS if number else set()))
            raise ValueError(
                f"{attr}: operator {predicate!r} is not allowed (use one of {', '.join(allowed)})"
            )


def _quantifier(op: Any) -> tuple[int, bool]:
    """(optional slots, unbounded) for one token's OP; ValueError for an OP spaCy would refuse."""
    forms = "use one of ! ? + * or {n}, {n,m}, {n,}, {,m}"
    if not isinstance(op, str):
        raise _bad_op(op, forms)
    if op == "!":
        return 0, False
    if op == "?":
        return 1, False
    if op in ("*", "+"):
        return 0, True
    count = _COUNT_OP.match(op)
    if count is None:
        raise _bad_op(op, forms)
    low_text, comma, high_text = count.group(1), count.group(2), count.group(3)
    if comma is None and not low_text:
        raise _bad_op(op, "give a number, as in {2}")
    if comma is not None and not low_text and not high_text:
        raise _bad_op(op, "give at least one bound, as in {1,3}")
    low = int(low_text) if low_text else 0
    high = None if comma is not None and not high_text else int(high_text or low_text)
    if high is not None and low > high:
        raise _bad_op(op, "the lower bound is above the upper bound")
    if max(low, high or 0) > MAX_COUNT:
        raise _bad_op(op, f"counts above {MAX_COUNT} are not allowed")
    if high is None:  # {n,}: at least n, no upper bound
        return 0, True
    return high - low, False


def _bad_op(op: Any, why: str) -> ValueError:
    return ValueError(f"OP {op!r} is not allowed: {why}")


def check_token_pattern(pattern: Any) -> None:
    """Raise ValueError unless `pattern` is a token pattern spaCy accepts, within our bounds."""
    if not isinstance(pattern, list) or not pattern or len(pattern) > MAX_TOKENS:
        raise ValueError(f"a token pattern is a list of 1 to {MAX_TOKENS} token tests")
    slots = unbounded = quantified = 0
    for number, spec in enumerate(pattern, start=1):
        if not isinstance(spec, dict):
            raise ValueError(f"token {number}: a token test is a table, not {spec!r}")
        try:
            for attr, value in spec.items():
                if attr not in ALLOWED_ATTRS:
                    close = difflib.get_close_matches(str(attr).upper(), sorted(ALLOWED_ATTRS), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    raise ValueError(f"token attribute {attr!r} is not allowed{hint}")
                if attr == "OP":
                    extra, endless = _quantifier(value)
                    slots += extra
                    unbounded += endless
                    quantified += bool(extra or endless)
                else:
                    _check_value(attr, value)
        except ValueError as exc:
            raise ValueError(f"token {number}: {exc}") from None
    if quantified > MAX_QUANTIFIED or unbounded > MAX_UNBOUNDED or slots > MAX_OPTIONAL_SLOTS[unbounded]:
        raise ValueError(
            f"too many repeated or optional tokens ({quantified}; at most {MAX_QUANTIFIED} per pattern, "
            f"at most {MAX_UNBOUNDED} of them * or +, with fewer ? or {{n,m}} beside a * or +): "
            "such a pattern can take unbounded time and memory"
        )


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
        for number, pattern in enumerate(patterns, start=1):
            try:
                check_token_pattern(pattern)
            except ValueError as exc:
                raise ValueError(f"pattern {number}: {exc}") from None
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


class PatternError(UserError):
    """A token pattern that spaCy refuses although it passed validation."""


def _token_matches(matcher: Any, doc: Doc) -> list[tuple[int, int, int]]:
    """The token matcher's (key, start, end) matches, found in overlapping windows and capped (see WINDOW)."""
    if len(doc) <= WINDOW:
        return [(k, s, e) for k, s, e in matcher(doc)[:MAX_MATCHES]]
    found: set[tuple[int, int, int]] = set()
    for start in range(0, len(doc) - WINDOW_STEP, WINDOW_STEP):
        # Matching a Span gives token offsets relative to the span.
        for key, s, e in matcher(doc[start : start + WINDOW]):
            found.add((key, start + s, start + e))
        if len(found) >= MAX_MATCHES:
            break
    return sorted(found, key=lambda m: (m[1], m[2], m[0]))[:MAX_MATCHES]


def _lemma_docs(nlp: Any, phrases: Sequence[str]) -> list[Doc]:
    """Each phrase as a Doc with lemmas, tagged in one pass.

    The phrases go through the tagger together, one short "sentence" each, and are cut apart
    again: one document of a few hundred words costs far less than hundreds of tiny ones. Lemmas
    need only the tagger and lemmatizer: skipping the parser and entity recogniser makes compiling
    a rubric's few hundred phrases several times faster.
    """
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    bounds: list[tuple[int, int]] = []
    for phrase in phrases:
        start = len(words)
        for tok in nlp.tokenizer(phrase):
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))
        bounds.append((start, len(words)))
        if spaces:
            spaces[-1] = True
        words.append(".")
        spaces.append(True)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    for name, proc in nlp.pipeline:
        if name not in {"parser", "ner"}:
            doc = proc(doc)
    return [doc[a:b].as_doc() for a, b in bounds]


class _Matchers:
    """Several pattern sets compiled together: one PhraseMatcher per attribute and one Matcher.

    Running one matcher per list of sets instead of two or three per set keeps a whole rubric's
    worth of patterns to a few passes over the answer. Each set's matches come back separately.
    """

    def __init__(self, sets: Sequence[PatternSet]) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        nlp = get_nlp()
        self.count = len(sets)
        self.phrase = {
            "LEMMA": PhraseMatcher(nlp.vocab, attr="LEMMA"),
            "LOWER": PhraseMatcher(nlp.vocab, attr="LOWER"),
        }
        # validate=True: spaCy checks the patterns against its own schema too, so a pattern that
        # got past our checks is still refused here, as one clear error instead of a crash later.
        self.tokens = Matcher(nlp.vocab, validate=True)
        self.keys: dict[int, int] = {}
        for i, patterns in enumerate(sets):
            key = f"pattern_set_{i}"
            self.keys[nlp.vocab.strings.add(key)] = i
            if patterns.phrases:
                # Every phrase also matches as written (lower case): the lemmatizer treats a name or
                # acronym alone ("UWorld", "ESIR") differently from the same name in a sentence.
                self.phrase["LOWER"].add(key, [nlp.make_doc(p.lower()) for p in patterns.phrases])
                if patterns.match_on == "LEMMA":
                    self.phrase["LEMMA"].add(key, _lemma_docs(nlp, patterns.phrases))
            if patterns.patterns:
                try:
                    self.tokens.add(key, patterns.patterns)
                except Exception as exc:  # spaCy raises ValueError, MatchPatternError, KeyError...
                    first = str(exc).strip().splitlines()[-1].strip("- ")
                    raise PatternError(f"spaCy refused a token pattern: {first}") from None

    def __call__(self, doc: Doc) -> list[list[Span]]:
        found: list[list[Span]] = [[] for _ in range(self.count)]
        # A matcher with nothing added warns (W036) on every call; only run the ones that have patterns.
        for matcher in self.phrase.values():
            if len(matcher):
                for key, start, end in matcher(doc):
                    found[self.keys[key]].append(doc[start:end])
        if len(self.tokens):
            for key, start, end in _token_matches(self.tokens, doc):
                found[self.keys[key]].append(doc[start:end])
        return found


# One cache for every caller, by content: a rubric's sets compile once per process. Bounded, since
# advisor sets bring patterns of their own.
_CACHE_SIZE = 256
_compiled: OrderedDict[tuple[int, ...], _Matchers] = OrderedDict()
_lock = threading.Lock()


def _matchers(sets: Sequence[PatternSet]) -> _Matchers:
    key = tuple(hash(s) for s in sets)
    with _lock:
        found = _compiled.get(key)
        if found is not None:
            _compiled.move_to_end(key)
            return found
    built = _Matchers(sets)
    with _lock:
        _compiled[key] = built
        while len(_compiled) > _CACHE_SIZE:
            _compiled.popitem(last=False)
    return built


_MEMO = "interviewcoach.pattern_matches"


def find_each(sets: Sequence[PatternSet], doc: Doc) -> list[list[Match]]:
    """For each set, every non-overlapping match in `doc`, longest first where they overlap."""
    from spacy.util import filter_spans

    if not any(sets):
        return [[] for _ in sets]
    # Several detectors look for the same cues in one answer (the setback rubric's cause and tone
    # both read its excuse cues): the matches are kept on the doc and found once. The entity
    # recogniser may run on the doc later (`Analysis.ensure_entities`), which can change what a
    # pattern on entity types matches, so whether it has run is part of the key.
    memo: dict[tuple[object, ...], list[list[Match]]] = doc.user_data.setdefault(_MEMO, {})
    key = (*(hash(s) for s in sets), doc.has_annotation("ENT_IOB"))
    found = memo.get(key)
    if found is None:
        found = []
        for spans in _matchers(sets)(doc):
            kept = sorted(filter_spans(spans), key=lambda span: span.start)
            found.append([Match(s.start_char, s.end_char, s.text, s.start, s.end) for s in kept])
        memo[key] = found
    return [list(matches) for matches in found]


def find(patterns: PatternSet, doc: Doc) -> list[Match]:
    """Every non-overlapping match of `patterns` in `doc`, longest first where they overlap."""
    if not patterns:
        return []
    return find_each([patterns], doc)[0]
