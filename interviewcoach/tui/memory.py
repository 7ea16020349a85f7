"""What the history remembers about a question: the last try, what changed since, what to work on.

Plain Python (no textual), read in thread workers: the feedback screen shows what changed since the
last try at the same question (better or worse per criterion, nothing about what stayed the same),
and the interview screen shows last time's two weakest points before the student answers again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from interviewcoach.core.protocols import history_of
from interviewcoach.core.records import Filter
from interviewcoach.tui.plan import criterion_name

if TYPE_CHECKING:
    from interviewcoach.core.models import Score
    from interviewcoach.core.protocols import AttemptStore
    from interviewcoach.core.records import Attempt
    from interviewcoach.core.session import RubricSet

# How many recent attempts at a question to look through for the last scored one.
LOOK_BACK = 5


@dataclass(frozen=True)
class Change:
    name: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Since:
    """What changed since the last try: the overall score and only the criteria that moved."""

    before: int
    after: int
    better: list[Change]
    worse: list[Change]

    @property
    def unchanged(self) -> bool:
        return self.before == self.after and not self.better and not self.worse


@dataclass(frozen=True)
class WeakPoint:
    name: str
    score: float
    advice: str


def last_try(store: AttemptStore | None, question_id: str, *, before_id: int | None = None) -> Attempt | None:
    """The latest scored attempt at `question_id` other than (and older than) attempt `before_id`."""
    history = history_of(store)
    if history is None:
        return None  # a store without a history keeps no attempts to look back on
    for summary in history.list_attempts(
        Filter(question_id=question_id, include_pending=False), limit=LOOK_BACK
    ):
        if before_id is not None and summary.id >= before_id:
            continue
        if summary.no_answer:
            continue
        attempt = history.get(summary.id)
        if attempt.score is not None:
            return attempt
    return None


def changes(before: Score, after: Score, rubrics: RubricSet) -> list[Change]:
    """Each criterion scored both times, in the rubric's order, with its change."""
    out = []
    for cid, result in after.criteria.items():
        earlier = before.criteria.get(cid)
        if earlier is not None:
            out.append(Change(criterion_name(rubrics, cid, after.rubric_id), earlier.score, result.score))
    return out


def since(before: Score, after: Score, rubrics: RubricSet) -> Since:
    """The change since `before`: a criterion counts as changed when it moved by a whole point of
    100 (as shown), so a criterion that is the "same" on screen is never listed."""
    moved = [c for c in changes(before, after, rubrics) if round(c.delta * 100) != 0]
    return Since(
        before.overall,
        after.overall,
        better=sorted((c for c in moved if c.delta > 0), key=lambda c: -c.delta),
        worse=sorted((c for c in moved if c.delta < 0), key=lambda c: c.delta),
    )


def weakest(score: Score, rubrics: RubricSet, n: int = 2) -> list[WeakPoint]:
    """The `n` lowest-scoring criteria short of full marks, failed ones first, with their advice."""
    ranked = sorted(
        ((cid, r) for cid, r in score.criteria.items() if r.score < 0.999 or not r.passed),
        key=lambda item: (item[1].passed, item[1].score),
    )
    return [
        WeakPoint(criterion_name(rubrics, cid, score.rubric_id), result.score, result.feedback)
        for cid, result in ranked[:n]
    ]
