"""The `reads_strong` detector: how the answer reads beside strong and weak answers to the same
question, by the learned ranking model of `core/scoring/quality.py`, quoting the sentences that
move it most.

The grammar criteria say how an answer is told; this one says whether what it tells reads like
what strong answers tell. A pass quotes the sentence that lifts the answer most, a fail the one that
holds it back most, so it points at words like every other verdict.
"""

from __future__ import annotations

from pydantic import Field

from interviewcoach.core.models import CriterionResult, Evidence, Unscored
from interviewcoach.core.scoring.analysis import word_span
from interviewcoach.core.scoring.detectors import Context, DetectorParams, DetectorResult, detector
from interviewcoach.core.scoring.detectors.content import quote
from interviewcoach.core.scoring.embeddings import EmbeddingModelMissing, encode_cached
from interviewcoach.core.scoring.kinds import compared_sentences
from interviewcoach.core.scoring.quality import quality_model


class ReadsStrongParams(DetectorParams):
    # The model's 0-1 score (calibrated so an adequate answer of the tiered sets sits near 0.5)
    # at which the criterion passes.
    pass_at: float = Field(default=0.5, gt=0, lt=1)


@detector("reads_strong", ReadsStrongParams)
def reads_strong(params: ReadsStrongParams, ctx: Context) -> DetectorResult:
    """The answer, read by meaning, ranks with strong answers to this question.

    Advice keys: pass, fail. Placeholders: {best} (the sentence that lifts the answer most),
    {worst} (the one that holds it back most), {score} (the model's 0-100 reading).
    """
    model = quality_model()
    # It was fitted on answers of a full spoken length; a short one it would only guess at.
    if ctx.analysis.word_count < model.min_words:
        return Unscored(
            id=ctx.criterion.id,
            reason=(
                f"{ctx.analysis.word_count} words is shorter than any answer it was fitted on; "
                f"it reads answers of {model.min_words} words or more"
            ),
        )
    sentences = compared_sentences(ctx.analysis.sentences)
    if not sentences:
        return Unscored(id=ctx.criterion.id, reason="no sentence long enough to read")
    try:
        vectors = encode_cached(tuple(s.text for s in sentences))
    except EmbeddingModelMissing as exc:
        return Unscored(id=ctx.criterion.id, reason=f"sentence model missing: {exc}")
    reading = model.read(vectors, ctx.question.rubric)
    order = sorted(range(len(sentences)), key=lambda k: reading.shares[k])
    # The compared sentences are the answer's own sentences (a subset), so their spans are its.
    best, worst = (word_span(sentences[k]) for k in (order[-1], order[0]))
    passed = reading.score >= params.pass_at
    # A passing answer is shown what carries it, a failing one what holds it back most (its
    # "strongest" sentence would be praise for a sentence of a weak answer).
    label, (start, end) = ("strongest", best) if passed else ("weakest", worst)
    evidence = [Evidence(label=label, text=ctx.analysis.text[start:end], start=start, end=end)]
    feedback = ctx.advice(
        "pass" if passed else "fail",
        best=quote([ctx.analysis.text[best[0] : best[1]]], limit=1),
        worst=quote([ctx.analysis.text[worst[0] : worst[1]]], limit=1),
        score=round(100 * reading.score),
    )
    return CriterionResult(
        score=round(reading.score, 2),
        passed=passed,
        feedback=feedback,
        evidence=evidence,
    )
