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
    from interviewcoach.core.rubrics import RubricSet

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


def spans_for(score: Score, rubrics: RubricSet) -> list[Span]:
    """Non-overlapping highlight spans over `score.answer`, earliest first (longer spans win ties)."""
    detectors: dict[str, str] = {}
    if score.rubric_id in rubrics:
        detectors = {c.id: c.detector for c in rubrics.get(score.rubric_id).criteria}
    found: list[Span] = []
    for cid, result in score.criteria.items():
        for ev in result.evidence:
            kind = kind_for(ev.label, detectors.get(cid))
            if kind is not None and 0 <= ev.start < ev.end <= len(score.answer):
                found.append(Span(ev.start, ev.end, kind, ev.label))
    if score.transcript is not None:
        for f in score.transcript.fillers:
            if f.char_start is not None and f.char_end is not None and f.char_end <= len(score.answer):
                found.append(Span(f.char_start, f.char_end, "filler", "filler"))
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in found:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept
