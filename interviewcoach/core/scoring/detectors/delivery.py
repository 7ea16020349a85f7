"""Delivery detectors: pace, fillers and long pauses, banded by rubric parameters.

Pace and pauses need audio timing and are reported as unscored for a typed answer; fillers are
counted from the words alone when there is no audio.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from interviewcoach.core.models import CriterionResult, Evidence, Pause, Unscored, Word
from interviewcoach.core.scoring.detectors import Context, DetectorParams, DetectorResult, detector
from interviewcoach.core.scoring.metrics import LONG_PAUSE_S, metrics_for


class PaceParams(DetectorParams):
    good_min_wpm: float = 120
    good_max_wpm: float = 165
    flag_below_wpm: float = 100
    flag_above_wpm: float = 180

    @model_validator(mode="after")
    def _ordered(self) -> PaceParams:
        bands = (self.flag_below_wpm, self.good_min_wpm, self.good_max_wpm, self.flag_above_wpm)
        if list(bands) != sorted(bands):
            raise ValueError("need flag_below_wpm <= good_min_wpm <= good_max_wpm <= flag_above_wpm")
        return self


@detector("pace", PaceParams, entities=False)
def pace(params: PaceParams, ctx: Context) -> DetectorResult:
    """Words per minute against the good band.

    Outside the good band the advice says "slower/faster than the band", so the verdict fails too;
    the score falls gently between the good and flag bands and steeply beyond them.
    """
    if ctx.transcript is None:
        return Unscored(id=ctx.criterion.id, reason="pace needs audio: unknown for a typed answer")
    wpm = metrics_for(ctx.analysis, ctx.transcript).words_per_minute or 0.0
    values = {"wpm": f"{wpm:.0f}", "low": f"{params.good_min_wpm:.0f}", "high": f"{params.good_max_wpm:.0f}"}
    if params.good_min_wpm <= wpm <= params.good_max_wpm:
        return CriterionResult(score=1.0, passed=True, feedback=ctx.advice("pass", **values))
    if wpm < params.good_min_wpm:
        span = params.good_min_wpm - params.flag_below_wpm or 1
        score = max(0.0, 1 - (params.good_min_wpm - wpm) / span * 0.5)
        key = "too_slow"
    else:
        span = params.flag_above_wpm - params.good_max_wpm or 1
        score = max(0.0, 1 - (wpm - params.good_max_wpm) / span * 0.5)
        key = "too_fast"
    # A failed verdict never keeps a (nearly) full score, as for pauses.
    score = min(0.8, score)
    return CriterionResult(score=round(score, 2), passed=False, feedback=ctx.advice(key, **values))


class FillerParams(DetectorParams):
    good_max_ratio: float = Field(default=0.02, ge=0, le=1)
    fair_max_ratio: float = Field(default=0.05, ge=0, le=1)


@detector("fillers", FillerParams, entities=False)
def fillers(params: FillerParams, ctx: Context) -> DetectorResult:
    """Fillers as a share of words: under 2% good, 2-5% fair, over 5% poor (by default)."""
    metrics = metrics_for(ctx.analysis, ctx.transcript)
    ratio = metrics.filler_ratio
    evidence = [
        Evidence(
            label="filler",
            text=ctx.analysis.text[f.char_start : f.char_end],
            start=f.char_start,
            end=f.char_end,
        )
        for f in ctx.analysis.lexical_fillers
        if f.char_start is not None and f.char_end is not None
    ]
    words = sorted({e.text.lower() for e in evidence})
    values = {
        "count": metrics.filler_count,
        "percent": f"{ratio * 100:.1f}",
        "words": ", ".join(f'"{w}"' for w in words[:5]) or "filled pauses",
    }
    if ratio <= params.good_max_ratio:
        return CriterionResult(
            score=1.0, passed=True, feedback=ctx.advice("pass", **values), evidence=evidence
        )
    if ratio <= params.fair_max_ratio:
        return CriterionResult(
            score=0.6, passed=True, feedback=ctx.advice("fair", **values), evidence=evidence
        )
    return CriterionResult(
        score=max(0.0, 0.4 - (ratio - params.fair_max_ratio) * 4),
        passed=False,
        feedback=ctx.advice("fail", **values),
        evidence=evidence,
    )


class PauseParams(DetectorParams):
    long_pause_s: float = Field(default=LONG_PAUSE_S, gt=0)
    max_long_pauses_per_minute: float = Field(default=2.0, ge=0)
    max_pause_s: float = Field(default=4.0, gt=0)


def pauses_allowed(params: PauseParams, duration_s: float) -> float:
    """Long pauses an answer of `duration_s` may have; a short answer may still have one."""
    return max(1.0, params.max_long_pauses_per_minute * max(duration_s / 60, 1 / 60))


@detector("pauses", PauseParams, entities=False)
def pauses(params: PauseParams, ctx: Context) -> DetectorResult:
    """Long silences mid-answer: a few are fine, many or very long ones lose the listener."""
    if ctx.transcript is None:
        return Unscored(id=ctx.criterion.id, reason="pauses need audio: unknown for a typed answer")
    long = [p for p in ctx.transcript.pauses if p.duration >= params.long_pause_s]
    allowed = pauses_allowed(params, ctx.transcript.duration_s)
    longest = max((p.duration for p in long), default=0.0)
    values = {"count": len(long), "longest": f"{longest:.1f}"}
    passed = len(long) <= allowed and longest <= params.max_pause_s
    # Each long pause over the allowance, and each second over the longest allowed, costs 0.2;
    # a failed verdict never keeps a full score.
    over = max(0.0, len(long) - allowed) + max(0.0, longest - params.max_pause_s)
    score = 1.0 if passed else min(0.8, max(0.0, 1 - 0.2 * over))
    return CriterionResult(
        score=round(min(1.0, score), 2),
        passed=passed,
        feedback=ctx.advice("pass" if passed else "fail", **values),
        evidence=_pause_evidence(ctx, long),
    )


def _word_spans(text: str, words: list[Word]) -> list[tuple[int, int]]:
    """Character span of each timed word in the transcript text, found in order."""
    spans, cursor = [], 0
    for word in words:
        token = word.word.strip()
        at = text.find(token, cursor) if token else -1
        if at < 0:
            spans.append((cursor, cursor))
            continue
        spans.append((at, at + len(token)))
        cursor = at + len(token)
    return spans


def _pause_evidence(ctx: Context, long: list[Pause]) -> list[Evidence]:
    """Each long pause, pointed at by the words either side of the silence."""
    assert ctx.transcript is not None
    words = ctx.transcript.words
    if ctx.analysis.text != ctx.transcript.text or not words:
        return []
    spans = _word_spans(ctx.transcript.text, words)
    out = []
    for pause in long:
        after = next((i for i, w in enumerate(words) if w.start >= pause.end - 0.05), None)
        if after is None or after == 0:
            continue
        start, end = spans[after - 1][0], spans[after][1]
        if end > start:
            out.append(ctx.evidence(f"pause_{pause.duration:.1f}s", start, end))
    return out
