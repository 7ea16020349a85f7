"""The talking-points detector: which of an advisor's talking points the answer covered.

A talking point is a short phrase ("Step 2 CK improvement"). Spoken answers rarely repeat it word for
word, so a point counts as covered when most of its content words appear close together in the
answer, compared as lemmas reduced by a light suffix stripper ("preparing", "preparation" and
"prepare" meet) and through small synonym groups ("improved" and "raised"; "IR" and "interventional
radiology"). spaCy's small model has no real word vectors, so similarity scores would be noise; a
lemma-set overlap with a threshold is predictable and explainable to the student.

A point may list alternatives separated by " | " ("Step 2 CK improvement | better board score"):
any one of them covers it. A number in a point must be said ("Step 1" does not cover "Step 2").
Points whose words are all stop words fall back to every word. Negation is not understood: "I never
used a question bank" still mentions a question bank.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import Field, field_validator

from interviewcoach.core.detectors import Context, DetectorParams, DetectorResult, detector, fill
from interviewcoach.core.models import CriterionResult, Unscored

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from spacy.tokens import Doc, Token

    from interviewcoach.core.models import Score
    from interviewcoach.core.questions import Question
    from interviewcoach.core.rubrics import Rubric

DETECTOR = "talking_points"
ALTERNATIVE_SEPARATOR = " | "

# Small, domain-minded groups: words an applicant says in place of an advisor's wording. The first
# entry of each group is its canonical form. Rubrics may replace or extend these.
DEFAULT_SYNONYMS: list[list[str]] = [
    ["ir", "interventional radiology", "interventional radiologist", "interventional"],
    ["dr", "diagnostic radiology"],
    ["esir", "early specialization"],
    [
        "improve",
        "improvement",
        "better",
        "raise",
        "increase",
        "boost",
        "rise",
        "higher",
        "jump",
        "climb",
        "go up",
    ],
    ["score", "result"],
    ["change", "revamp", "overhaul", "adjust", "switch", "restructure", "rework", "modify", "shift"],
    ["study", "prep", "preparation", "prepare"],
    ["mentor", "mentorship", "advisor", "adviser"],
    ["team", "teamwork", "collaborate", "collaboration", "multidisciplinary"],
    ["calm", "composed", "steady", "unflappable"],
    ["pressure", "stress", "stressful", "emergency"],
    ["plan", "strategy", "approach"],
    ["feedback", "criticism", "critique"],
    ["question bank", "qbank", "uworld", "practice question"],
    ["fail", "failure", "unsuccessful"],
    ["own", "ownership", "responsibility", "accountable", "accountability"],
    ["honors", "honours", "honor"],
    ["weakness", "gap"],
]

DEFAULT_ADVICE = {
    "pass": "You covered {count} of {total} talking points: {covered}.{missed_note}",
    "fail": "You covered {count} of {total} talking points. Work in: {missed}.",
}

# A word list reads better as one string than as 29 quoted items.
_SMALL = (  # noqa: SIM905
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()  # noqa: SIM905
# Spoken numbers meet written ones: "Step two" covers "Step 2".
_NUMBER_WORDS = (
    {word: str(value) for value, word in enumerate(_SMALL)}
    | {word: str(20 + 10 * i) for i, word in enumerate(_TENS)}
    | {"hundred": "100"}
)

# Derivational endings stripped from lemmas, longest first, so "strategic"/"strategy" and
# "preparation"/"prepare" share a key. Conservative on purpose: no "er"/"or" ("mentor", "mention").
_SUFFIXES = (  # noqa: SIM905
    "ations ation itions ition ments ment ships ship nesses ness ities ity ical ally ings ing ions ion "
    "ies ied ive ic al ly ed es e y s"
).split()
_MIN_STEM = 3


def stem(word: str) -> str:
    """A crude stem of a lower-case lemma: strip derivational endings while a stem stays long."""
    word = word.lower().strip(".'-")
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    for _ in range(3):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


class TalkingPointsParams(DetectorParams):
    # Share of a point's content words that must appear near each other for the point to count.
    coverage: float = Field(default=0.5, gt=0, le=1)
    # Share of the question's points to cover for the criterion to pass.
    pass_share: float = Field(default=0.67, gt=0, le=1)
    # How many consecutive sentences a point's words may spread over.
    window_sentences: int = Field(default=2, ge=1, le=10)
    synonyms: list[list[str]] = Field(default_factory=lambda: [list(g) for g in DEFAULT_SYNONYMS])
    extra_synonyms: list[list[str]] = Field(default_factory=list, max_length=100)

    @field_validator("synonyms", "extra_synonyms")
    @classmethod
    def _groups(cls, groups: list[list[str]]) -> list[list[str]]:
        if len(groups) > 200:
            raise ValueError("at most 200 synonym groups")
        out = []
        for group in groups:
            words = [" ".join(w.split()).lower() for w in group]
            if len(words) < 2 or len(words) > 20:
                raise ValueError("a synonym group lists 2 to 20 words or short phrases")
            for word in words:
                if not word or len(word) > 60 or len(word.split()) > 4:
                    raise ValueError("a synonym is a word or a phrase of up to 4 words (60 characters)")
            out.append(words)
        return out

    def all_synonyms(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(g) for g in [*self.synonyms, *self.extra_synonyms])


@dataclass(frozen=True)
class Unit:
    """One content word (or a collapsed multi-word synonym) of a text, with its keys and span."""

    keys: frozenset[str]
    start: int
    end: int
    sentence: int
    # A number in a talking point ("Step 2") must be said: "Step 1" does not cover "Step 2".
    required: bool = False


def _is_content(token: Token) -> bool:
    if token.is_punct or token.is_space:
        return False
    return token.like_num or not token.is_stop


def _token_keys(token: Token) -> set[str]:
    return {stem(token.lemma_), stem(token.lower_)} - {""}


def _is_word(token: Token) -> bool:
    return not (token.is_punct or token.is_space)


@functools.lru_cache(maxsize=32)
def _synonym_tables(
    groups: tuple[tuple[str, ...], ...],
) -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """Single-word keys and multi-word key sequences, each mapped to its group's canonical key.

    Multi-word entries keep their stop words, so phrasal verbs ("go up") can be synonyms.
    """
    from interviewcoach.core.analysis import get_nlp

    nlp = get_nlp()
    single: dict[str, str] = {}
    multi: dict[tuple[str, ...], str] = {}
    entries = [entry for group in groups for entry in group]
    docs = dict(zip(entries, nlp.pipe(entries), strict=True))
    for group in groups:
        canonical = ""
        for entry in group:
            tokens = [t for t in docs[entry] if _is_word(t)]
            if not tokens:
                continue
            if len(tokens) == 1:
                keys = _token_keys(tokens[0])
                canonical = canonical or "=" + min(keys)
                for key in keys:
                    single.setdefault(key, canonical)
            else:
                sequence = tuple(stem(t.lemma_) for t in tokens)
                canonical = canonical or "=" + " ".join(sequence)
                multi.setdefault(sequence, canonical)
    return single, multi


def units(
    tokens: Sequence[Token], groups: tuple[tuple[str, ...], ...], sentence_of: dict[int, int] | None = None
) -> list[Unit]:
    """The content units of a run of tokens, with multi-word synonyms collapsed into one."""
    single, multi = _synonym_tables(groups)
    longest = max((len(k) for k in multi), default=1)
    words = [t for t in tokens if _is_word(t)]
    sentence_of = sentence_of or {}
    out: list[Unit] = []
    i = 0
    while i < len(words):
        for length in range(min(longest, len(words) - i), 1, -1):
            run = words[i : i + length]
            canonical = multi.get(tuple(stem(t.lemma_) for t in run))
            if canonical is not None:
                first, last = run[0], run[-1]
                span_end = last.idx + len(last)
                out.append(Unit(frozenset({canonical}), first.idx, span_end, sentence_of.get(first.i, 0)))
                i += length
                break
        else:
            token = words[i]
            i += 1
            if not _is_content(token):
                continue
            keys = _token_keys(token)
            keys |= {single[k] for k in keys if k in single}
            span = (token.idx, token.idx + len(token))
            out.append(Unit(frozenset(keys), *span, sentence_of.get(token.i, 0), required=token.like_num))
    return out


@functools.lru_cache(maxsize=512)
def _point_units(alternative: str, groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[Unit, ...], bool]:
    """A point's distinct content units, and whether it had none (then every word counts)."""
    from interviewcoach.core.analysis import get_nlp

    doc = get_nlp()(alternative)
    found = units(list(doc), groups)
    stop_words_only = not found
    if stop_words_only:
        # A point of stop words only ("what I did"): match on every word instead.
        found = [
            Unit(frozenset(_token_keys(t)), t.idx, t.idx + len(t), 0)
            for t in doc
            if not (t.is_punct or t.is_space)
        ]
    # The same word twice in a point counts once.
    unique: dict[frozenset[str], Unit] = {}
    for unit in found:
        unique.setdefault(unit.keys, unit)
    return tuple(unique.values()), stop_words_only


@dataclass(frozen=True)
class PointMatch:
    """How well one talking point was covered, and where."""

    point: str
    coverage: float
    covered: bool
    start: int | None = None
    end: int | None = None


class AnswerUnits:
    """The answer's units, computed once per answer and shared by every point."""

    def __init__(self, doc: Doc, groups: tuple[tuple[str, ...], ...]) -> None:
        self.doc = doc
        self.groups = groups
        self.sentence_of: dict[int, int] = {}
        for number, sentence in enumerate(doc.sents):
            for token in sentence:
                self.sentence_of[token.i] = number
        self.sentences = max(self.sentence_of.values(), default=0) + 1
        self.content = units(list(doc), groups, self.sentence_of)
        self._every: list[Unit] | None = None
        self._split: dict[int, list[list[Unit]]] = {}

    @property
    def every(self) -> list[Unit]:
        """Every word, stop words included, for points made of stop words only."""
        if self._every is None:
            self._every = [
                Unit(frozenset(_token_keys(t)), t.idx, t.idx + len(t), self.sentence_of.get(t.i, 0))
                for t in self.doc
                if not (t.is_punct or t.is_space)
            ]
        return self._every

    def by_sentence(self, pool: list[Unit]) -> list[list[Unit]]:
        """`pool` split by sentence, so each window is a slice rather than a scan."""
        key = id(pool)
        if key not in self._split:
            groups: list[list[Unit]] = [[] for _ in range(self.sentences)]
            for unit in pool:
                groups[unit.sentence].append(unit)
            self._split[key] = groups
        return self._split[key]


def match_point(point: str, answer: AnswerUnits, params: TalkingPointsParams) -> PointMatch:
    """The best-covered alternative of `point` within any window of consecutive sentences."""
    best = PointMatch(point, 0.0, False)
    for alternative in (a.strip() for a in point.split(ALTERNATIVE_SEPARATOR)):
        if not alternative:
            continue
        wanted, stop_words_only = _point_units(alternative, answer.groups)
        if not wanted:
            continue
        pool = answer.by_sentence(answer.every if stop_words_only else answer.content)
        need = max(1, math.ceil(params.coverage * len(wanted) - 1e-9))
        for first in range(max(1, answer.sentences - params.window_sentences + 1)):
            window = [u for sentence in pool[first : first + params.window_sentences] for u in sentence]
            found = [(w, next((u for u in window if u.keys & w.keys), None)) for w in wanted]
            hits = [hit for _, hit in found if hit is not None]
            if not hits:
                continue
            start, end = min(h.start for h in hits), max(h.end for h in hits)
            complete = all(hit is not None for want, hit in found if want.required)
            covered = len(hits) >= need and complete
            candidate = PointMatch(point, round(len(hits) / len(wanted), 2), covered, start, end)
            rank, best_rank = (candidate.covered, candidate.coverage), (best.covered, best.coverage)
            if rank > best_rank or (
                rank == best_rank
                and best.start is not None
                and best.end is not None
                and end - start < best.end - best.start
            ):
                best = candidate
    return best


def match_points(points: Iterable[str], doc: Doc, params: TalkingPointsParams) -> list[PointMatch]:
    """Match every point against one answer."""
    answer = AnswerUnits(doc, params.all_synonyms())
    return [match_point(point, answer, params) for point in points]


def _advice(ctx: Context, key: str, values: dict[str, object]) -> str:
    template = ctx.criterion.advice.get(key) or DEFAULT_ADVICE[key]
    return fill(template, values)


@detector(DETECTOR, TalkingPointsParams)
def talking_points(params: TalkingPointsParams, ctx: Context) -> DetectorResult:
    """Which of the question's talking points the answer covered, by lemma and close paraphrase."""
    points = ctx.question.talking_points
    if not points:
        return Unscored(id=ctx.criterion.id, reason="this question has no talking points")
    matches = match_points(points, ctx.analysis.doc, params)
    covered = [m for m in matches if m.covered]
    missed = [m.point for m in matches if not m.covered]
    evidence = [
        ctx.evidence(m.point, m.start, m.end) for m in covered if m.start is not None and m.end is not None
    ]
    # Compared as shown (two decimals), so a pass_share of 0.67 means two of three points.
    share = round(len(covered) / len(points), 2)
    passed = share >= params.pass_share
    values: dict[str, object] = {
        "count": len(covered),
        "total": len(points),
        "covered": "; ".join(m.point for m in covered) or "none",
        "missed": "; ".join(missed) or "none",
        "missed_note": f" Not yet: {'; '.join(missed)}." if missed else "",
    }
    return CriterionResult(
        score=share,
        passed=passed,
        feedback=_advice(ctx, "pass" if passed else "fail", values),
        evidence=sorted(evidence, key=lambda e: e.start),
    )


@dataclass(frozen=True)
class TalkingPointsReport:
    """Covered points (with the words that covered them) and missed points, for reports and exports."""

    criterion_id: str
    covered: list[tuple[str, str]]
    missed: list[str]


def talking_points_report(score: Score, question: Question, rubric: Rubric) -> TalkingPointsReport | None:
    """Read a scored answer's talking-points verdict back into covered and missed points.

    None when the rubric has no talking-points criterion, the question has no points, or the answer
    was too short to score.
    """
    criterion = next((c for c in rubric.criteria if c.detector == DETECTOR), None)
    if criterion is None or not question.talking_points:
        return None
    result = score.criteria.get(criterion.id)
    if result is None:
        return None
    quotes = {e.label: e.text for e in result.evidence}
    covered = [(p, quotes[p]) for p in question.talking_points if p in quotes]
    missed = [p for p in question.talking_points if p not in quotes]
    return TalkingPointsReport(criterion.id, covered, missed)


def has_criterion(rubric: Rubric) -> bool:
    return any(c.detector == DETECTOR for c in rubric.criteria)


def criterion_ids(rubrics: Iterable[Rubric]) -> set[str]:
    """Ids of every talking-points criterion in `rubrics` (custom rubrics may rename it)."""
    return {c.id for r in rubrics for c in r.criteria if c.detector == DETECTOR}
