"""The history's records as every layer sees them: attempts (listed, in full), filters, trends, comparisons.

`core/history` stores and reads them; the interfaces show them; the store contracts in `protocols.py`
name them. They sit in the leaf layer, beside the domain models, so that the contract of a history
store can be stated in the core rather than by the interface that browses one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewcoach.core.models import Score


@dataclass(frozen=True)
class AttemptSummary:
    """One attempt as a history listing shows it (a row of `recent` or `list_attempts`)."""

    id: int
    question_id: str
    created_at: str
    overall: int
    duration_s: float | None
    interrupted: bool
    question_text: str = ""
    category: str = ""
    set_id: str | None = None
    no_answer: bool = False
    # Audio that `doctor` found without a row, not transcribed yet: `overall` means nothing until rescored.
    pending: bool = False
    has_audio: bool = False


@dataclass(frozen=True)
class Filter:
    """Which attempts a list, count, trend or export covers; every field is optional."""

    question_id: str | None = None
    category: str | None = None
    set_id: str | None = None
    since: str | None = None  # a stamp (see parse_since); inclusive
    until: str | None = None  # exclusive
    include_pending: bool = True


@dataclass(frozen=True)
class Attempt:
    """One attempt in full: what `show` prints, the TUI's feedback view and exports read."""

    id: int
    created_at: str
    question_id: str
    question_text: str
    category: str
    set_id: str | None
    status: str  # "scored", or "pending" (audio found by doctor, not transcribed yet)
    rubric_id: str
    rubric_version: int
    overall: int | None
    no_answer: bool
    duration_s: float | None
    interrupted: bool
    audio_path: Path | None
    engine: str
    model: str
    rescored_at: str | None
    note: str
    score: Score | None
    # Why the stored score could not be read (a damaged row); the attempt is shown without it.
    damaged: str = ""
    # Stable across machines (an advisor's comment names the attempt by it); the set's version.
    uid: str = ""
    set_version: int | None = None

    @property
    def pending(self) -> bool:
        return self.status == "pending"

    @property
    def audio_exists(self) -> bool:
        return self.audio_path is not None and self.audio_path.is_file()

    def to_json_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "question_id": self.question_id,
            "question_text": self.question_text,
            "category": self.category,
            "set_id": self.set_id,
            "set_version": self.set_version,
            "uid": self.uid,
            "status": self.status,
            "rubric_id": self.rubric_id,
            "rubric_version": self.rubric_version,
            "overall": self.overall,
            "no_answer": self.no_answer,
            "duration_s": self.duration_s,
            "interrupted": self.interrupted,
            "audio_path": str(self.audio_path) if self.audio_path is not None else None,
            "audio_exists": self.audio_exists,
            "engine": self.engine,
            "model": self.model,
            "rescored_at": self.rescored_at,
            "note": self.note,
            "score": self.score.model_dump(mode="json") if self.score is not None else None,
        }


@dataclass(frozen=True)
class AdvisorComment:
    """An advisor's comment on one attempt, imported from their comments file."""

    attempt_uid: str
    author: str
    created_at: str
    text: str


@dataclass(frozen=True)
class AdvisorOverride:
    """An advisor's own verdict on one talking point of one attempt (it stands over the coach's)."""

    attempt_uid: str
    author: str
    point: str
    covered: bool


@dataclass(frozen=True)
class TrendPoint:
    attempt_id: int
    created_at: str
    value: float


@dataclass(frozen=True)
class Trend:
    """Overall (0-100) and per-criterion (0-1) scores in time order, oldest first."""

    overall: list[TrendPoint] = field(default_factory=list)
    criteria: dict[str, list[TrendPoint]] = field(default_factory=dict)


@dataclass(frozen=True)
class CriterionDelta:
    criterion_id: str
    before: float | None
    after: float | None
    before_passed: bool | None
    after_passed: bool | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    """Two attempts side by side, the earlier one first."""

    before: Attempt
    after: Attempt
    criteria: list[CriterionDelta]
    metrics: dict[str, tuple[float | None, float | None]]

    @property
    def same_question(self) -> bool:
        return self.before.question_id == self.after.question_id

    @property
    def overall_delta(self) -> int | None:
        if self.before.overall is None or self.after.overall is None:
            return None
        return self.after.overall - self.before.overall
