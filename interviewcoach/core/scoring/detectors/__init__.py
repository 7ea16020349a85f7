"""The registry of detector kinds a rubric criterion can name, each with its own parameter model.

A rubric file says `detector = "tone"` and gives `[criteria.params]`; the registry validates those
params against the detector's pydantic model when the rubric loads, so a typo in a rubric is reported
with its file and line before any answer is scored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from interviewcoach.core.models import CriterionResult, Evidence, Unscored

if TYPE_CHECKING:
    from interviewcoach.core.models import Question, Transcript
    from interviewcoach.core.scoring.analysis import Analysis
    from interviewcoach.core.scoring.rubrics import Criterion


class DetectorParams(BaseModel):
    """Base for every detector's parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


P = TypeVar("P", bound=DetectorParams)


@dataclass
class Context:
    """What a detector sees: the question, the analysed words and, with audio, the transcript."""

    question: Question
    analysis: Analysis
    criterion: Criterion
    transcript: Transcript | None = None
    # Results of criteria scored earlier in the rubric, for detectors that combine them.
    earlier: dict[str, CriterionResult] = field(default_factory=dict)
    # The other questions the answer could have been meant for (the bank), for `on_topic`.
    others: tuple[Question, ...] = ()

    def advice(self, key: str, **values: object) -> str:
        """The criterion's advice text for `key`, with {placeholders} filled in."""
        template = self.criterion.advice.get(key) or self.criterion.advice.get("fail", "")
        return fill(template, values)

    def evidence(self, label: str, start: int, end: int) -> Evidence:
        return Evidence(label=label, text=self.analysis.text[start:end], start=start, end=end)

    def spoken_length(self, words_per_minute: float) -> tuple[int, str]:
        """The answer's length in whole seconds, and as the advice shows it: measured with audio
        ("41 s"), else from its words at `words_per_minute` ("102 words (about 41 s spoken)"). It is
        judged in the whole seconds shown, so "about 45 s" is never "under 45-90 s"."""
        transcript = self.transcript
        if transcript is not None and transcript.duration_s > 0:
            seconds = transcript.speech_s or transcript.duration_s
            measure = f"{seconds:.0f} s"
        else:
            words = self.analysis.word_count
            seconds = words / words_per_minute * 60
            measure = f"{words} words (about {seconds:.0f} s spoken)"
        return round(seconds), measure

    def marked_sentences(self, labels: Iterable[str]) -> set[int]:
        """The sentences holding evidence an earlier criterion gave one of `labels` (Brief's "cause")."""
        wanted = set(labels)
        return {
            self.analysis.sentence_index(e.start)
            for earlier in self.earlier.values()
            for e in earlier.evidence
            if e.label in wanted
        }


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, values: dict[str, object]) -> str:
    """Fill {name} placeholders; anything else in braces stays as written (no str.format)."""
    return _PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template
    )


DetectorResult = CriterionResult | Unscored
DetectorFn = Callable[[Any, Context], DetectorResult]


@dataclass(frozen=True)
class DetectorKind(Generic[P]):
    kind: str
    params: type[P]
    run: Callable[[P, Context], DetectorResult]
    doc: str
    # Whether the detector reads named entities (doc.ents). The entity recogniser is the slowest
    # part of the parse, so a rubric whose detectors all say False is parsed without it.
    entities: bool = True


REGISTRY: dict[str, DetectorKind[Any]] = {}


def detector(
    kind: str, params: type[P], *, entities: bool = True
) -> Callable[[Callable[[P, Context], DetectorResult]], Callable[[P, Context], DetectorResult]]:
    """Register a detector function under `kind` with its parameter model.

    Pass `entities=False` when the detector never reads `doc.ents`.
    """

    def register(
        fn: Callable[[P, Context], DetectorResult],
    ) -> Callable[[P, Context], DetectorResult]:
        if kind in REGISTRY:
            raise RuntimeError(f"detector kind {kind!r} registered twice")
        REGISTRY[kind] = DetectorKind(kind, params, fn, (fn.__doc__ or "").strip(), entities)
        return fn

    return register


def load_all() -> dict[str, DetectorKind[Any]]:
    """Import every detector module so the registry is complete (cheap: no spaCy at import)."""
    from interviewcoach.core.scoring.detectors import (  # noqa: F401
        content,
        delivery,
        goal,
        ranking,
        research,
        setback,
        substance,
        talking_points,
    )

    return REGISTRY
