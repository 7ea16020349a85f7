"""Which transcript spans to highlight, and as what kind, from a score's evidence.

Rubrics name their evidence labels freely (`blame`, `change`, `pivot`...), so the kind comes from the
label's words first and from the kind of detector second: what an `avoid` criterion quotes is
something to drop, what a `keywords` criterion quotes is something that worked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from interviewcoach.core.models import Score
    from interviewcoach.core.session import RubricSet

Kind = Literal["filler", "negative", "change", "strength"]

KIND_TITLES: dict[Kind, str] = {
    "filler": "fillers",
    "negative": "blame, minimising",
    "change": "changes, outcomes",
    "strength": "strengths, pivot",
}

# Checked in order: the first kind whose stems appear in the label wins.
_STEMS: list[tuple[Kind, tuple[str, ...]]] = [
    ("filler", ("filler", "filled_pause", "hedge")),
    ("negative", ("blame", "minimi", "excuse", "defens", "negative", "deflect", "complain", "avoid")),
    ("strength", ("strength", "pivot", "forward", "talking_point", "point", "skill", "interest")),
    ("change", ("change", "outcome", "result", "improv", "action", "number", "metric", "score", "own")),
]

_DETECTOR_KINDS: dict[str, Kind] = {"fillers": "filler", "avoid": "negative", "keywords": "change"}


def kind_for(label: str, detector: str | None = None) -> Kind | None:
    lowered = label.lower()
    for kind, stems in _STEMS:
        if any(stem in lowered for stem in stems):
            return kind
    return _DETECTOR_KINDS.get(detector or "")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: Kind
    label: str


@dataclass
class Highlights:
    """Non-overlapping runs to colour, and how many pieces of evidence of each kind there were."""

    runs: list[Span]
    counts: dict[Kind, int]


def evidence_spans(score: Score, rubrics: RubricSet) -> list[Span]:
    """Every piece of evidence (and every filler the audio showed) that has a highlight kind."""
    detectors: dict[str, str] = {}
    if score.rubric_id in rubrics:
        detectors = {c.id: c.detector for c in rubrics.get(score.rubric_id).criteria}
    found: set[Span] = set()
    for cid, result in score.criteria.items():
        for ev in result.evidence:
            kind = kind_for(ev.label, detectors.get(cid))
            if kind is not None and 0 <= ev.start < ev.end <= len(score.answer):
                found.add(Span(ev.start, ev.end, kind, ev.label))
    if score.transcript is not None:
        for f in score.transcript.fillers:
            if f.char_start is not None and f.char_end is not None and f.char_end <= len(score.answer):
                found.add(Span(f.char_start, f.char_end, "filler", "filler"))
    # The same filler may come both from the audio and from a criterion's evidence.
    unique = {(s.start, s.end, s.kind): s for s in found}
    return sorted(unique.values(), key=lambda s: (s.start, s.end))


def spans_for(score: Score, rubrics: RubricSet) -> Highlights:
    """Runs over `score.answer`: where spans overlap the shorter (more specific) one shows.

    A rubric may quote a whole sentence as its evidence (a pivot) while other criteria quote a
    word inside it (a filler, a number); painting long spans first and short ones over them keeps
    every piece visible.
    """
    spans = evidence_spans(score, rubrics)
    painted: list[Span | None] = [None] * len(score.answer)
    for span in sorted(spans, key=lambda s: -(s.end - s.start)):
        for i in range(span.start, span.end):
            painted[i] = span
    runs: list[Span] = []
    start = 0
    for i in range(1, len(painted) + 1):
        if i == len(painted) or painted[i] is not painted[start]:
            owner = painted[start]
            if owner is not None:
                runs.append(Span(start, i, owner.kind, owner.label))
            start = i
    counts: dict[Kind, int] = {}
    for span in spans:
        counts[span.kind] = counts.get(span.kind, 0) + 1
    return Highlights(runs, counts)
