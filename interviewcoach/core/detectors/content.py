"""General content detectors: answer length, required kinds of content, and things to avoid."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from interviewcoach.core.detectors import Context, DetectorParams, detector
from interviewcoach.core.models import CriterionResult, Evidence
from interviewcoach.core.patterns import PatternSet, find

Region = Literal["all", "opening", "closing"]


def region_bounds(ctx: Context, region: Region, share: float) -> tuple[int, int]:
    """Character bounds of the opening or closing `share` of the answer, by words."""
    text = ctx.analysis.text
    if region == "all":
        return 0, len(text)
    words = [t for t in ctx.analysis.doc if not (t.is_punct or t.is_space)]
    if not words:
        return 0, len(text)
    cut = max(1, round(len(words) * share))
    if region == "opening":
        last = words[min(cut, len(words)) - 1]
        return 0, last.idx + len(last.text)
    return words[max(0, len(words) - cut)].idx, len(text)


class BrevityParams(DetectorParams):
    words_per_minute: float = Field(default=150, gt=60, lt=260)
    # Allowed over the target before the verdict turns, as a share of the maximum.
    slack: float = Field(default=0.1, ge=0, le=1)


@detector("brevity", BrevityParams)
def brevity(params: BrevityParams, ctx: Context) -> CriterionResult:
    """Length against the question's target: measured duration with audio, words otherwise."""
    low_s, high_s = ctx.question.target_seconds
    words = ctx.analysis.word_count
    if ctx.transcript is not None and ctx.transcript.duration_s > 0:
        seconds = ctx.transcript.speech_s or ctx.transcript.duration_s
        measure = f"{seconds:.0f} s"
    else:
        seconds = words / params.words_per_minute * 60
        measure = f"{words} words (about {seconds:.0f} s spoken)"
    values = {"measure": measure, "min": low_s, "max": high_s}
    text = ctx.analysis.text
    if seconds > high_s * (1 + params.slack):
        # Point at where the answer ran past the target.
        limit_words = int(high_s / 60 * params.words_per_minute)
        tokens = [t for t in ctx.analysis.doc if not (t.is_punct or t.is_space)]
        start = tokens[min(limit_words, len(tokens) - 1)].idx
        over = seconds / high_s - 1
        evidence = [Evidence(label="too_long", text=text[start:], start=start, end=len(text))]
        return CriterionResult(
            score=max(0.0, 1 - over),
            passed=False,
            feedback=ctx.advice("too_long", **values),
            evidence=evidence,
        )
    if seconds < low_s:
        evidence = [Evidence(label="too_short", text=text, start=0, end=len(text))]
        return CriterionResult(
            score=max(0.0, seconds / low_s),
            passed=False,
            feedback=ctx.advice("too_short", **values),
            evidence=evidence,
        )
    return CriterionResult(score=1.0, passed=True, feedback=ctx.advice("pass", **values))


class Group(DetectorParams):
    label: str = Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")
    name: str = Field(min_length=1, max_length=80)
    match: PatternSet


class KeywordsParams(DetectorParams):
    groups: list[Group] = Field(min_length=1, max_length=20)
    # How many distinct groups must appear for a pass.
    min_groups: int = Field(default=1, ge=1)
    region: Region = "all"
    region_share: float = Field(default=0.25, gt=0, le=1)


@detector("keywords", KeywordsParams)
def keywords(params: KeywordsParams, ctx: Context) -> CriterionResult:
    """Passes when enough groups of wanted content (phrases or token patterns) appear."""
    lo, hi = region_bounds(ctx, params.region, params.region_share)
    evidence: list[Evidence] = []
    found: list[str] = []
    for group in params.groups:
        hits = [m for m in find(group.match, ctx.analysis.doc) if lo <= m.start and m.end <= hi]
        if hits:
            found.append(group.name)
            evidence.extend(ctx.evidence(group.label, m.start, m.end) for m in hits)
    missing = [g.name for g in params.groups if g.name not in found]
    need = min(params.min_groups, len(params.groups))
    score = min(1.0, len(found) / need)
    values = {"found": ", ".join(found) or "none", "missing": ", ".join(missing) or "none"}
    passed = len(found) >= need
    return CriterionResult(
        score=round(score, 2),
        passed=passed,
        feedback=ctx.advice("pass" if passed else "fail", **values),
        evidence=sorted(evidence, key=lambda e: e.start),
    )


class AvoidParams(DetectorParams):
    label: str = Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")
    match: PatternSet
    # Each hit costs this much of the score; any hit fails the criterion.
    penalty: float = Field(default=0.5, gt=0, le=1)


@detector("avoid", AvoidParams)
def avoid(params: AvoidParams, ctx: Context) -> CriterionResult:
    """Fails when the answer says something the rubric warns against, quoting each instance."""
    hits = find(params.match, ctx.analysis.doc)
    evidence = [ctx.evidence(params.label, m.start, m.end) for m in hits]
    if not hits:
        return CriterionResult(score=1.0, passed=True, feedback=ctx.advice("pass"))
    quote = "; ".join(f'"{m.text}"' for m in hits[:3])
    return CriterionResult(
        score=max(0.0, 1 - params.penalty * len(hits)),
        passed=False,
        feedback=ctx.advice("fail", quote=quote),
        evidence=evidence,
    )
