"""Score an answer against a rubric: one verdict per criterion, with evidence and advice.

`score()` is a pure function of its inputs; the CLI and the TUI both call it. Heavy work (spaCy) is
in `analysis.analyze`, which callers may run once and pass in.
"""

from __future__ import annotations

import contextlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from interviewcoach.core.models import CriterionResult, Metrics, Score, Transcript, Unscored, Word
from interviewcoach.core.scoring import detectors
from interviewcoach.core.scoring.analysis import Analysis, analyze, analyze_many
from interviewcoach.core.scoring.metrics import metrics_for

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from interviewcoach.core.models import Question
    from interviewcoach.core.scoring.rubrics import Rubric

# Fewer words than this is not an answer to score: "I don't know" gets a message, not a grade.
MIN_ANSWER_WORDS = 8
# Answers batch scoring encodes ahead of the one it scores (see score_many).
ENCODE_AHEAD = 8


def _no_answer(question: Question, rubric: Rubric, analysis: Analysis, metrics: Metrics) -> Score:
    message = (
        "No answer to score: say at least a few sentences. "
        f"Aim for {question.target_seconds[0]}-{question.target_seconds[1]} seconds."
    )
    criteria = {c.id: CriterionResult(score=0.0, passed=False, feedback=message) for c in rubric.criteria}
    return Score(
        question_id=question.id,
        rubric_id=rubric.id,
        overall=0,
        no_answer=True,
        message=message,
        answer=analysis.text,
        criteria=criteria,
        metrics=metrics,
    )


def needs_entities(rubric: Rubric) -> bool:
    """Whether any detector of `rubric` reads named entities (unknown detectors are assumed to)."""
    registry = detectors.load_all()
    return any(c.detector not in registry or registry[c.detector].entities for c in rubric.criteria)


def score(
    question: Question,
    rubric: Rubric,
    *,
    text: str | None = None,
    transcript: Transcript | None = None,
    analysis: Analysis | None = None,
    answer_id: str | int | None = None,
    others: Sequence[Question] = (),
) -> Score:
    """Score one answer, given as text or as a transcript (whose text is then used).

    `others` are the bank's other questions: with them, `on_topic` also notices an answer written
    for another question.
    """
    if text is None:
        text = transcript.text if transcript is not None else ""
    # Entities only when a detector of this rubric reads them: the recogniser is the slowest part.
    entities = needs_entities(rubric)
    if analysis is None:
        # A spoken answer's word timings: its pauses help mark where sentences end.
        timed = transcript.words if transcript is not None and transcript.text == text else None
        analysis = analyze(text, entities=entities, words=timed)
    elif entities:
        analysis.ensure_entities()
    metrics = metrics_for(analysis, transcript)
    if analysis.word_count < MIN_ANSWER_WORDS:
        result = _no_answer(question, rubric, analysis, metrics)
        result.id = answer_id
        result.transcript = transcript
        return result

    registry = detectors.load_all()
    results: dict[str, CriterionResult] = {}
    unscored: list[Unscored] = []
    for criterion in rubric.criteria:
        ctx = detectors.Context(
            question, analysis, criterion, transcript, earlier=dict(results), others=tuple(others)
        )
        outcome = registry[criterion.detector].run(criterion.parsed, ctx)
        if isinstance(outcome, Unscored):
            unscored.append(outcome)
        else:
            results[criterion.id] = outcome

    weights = {c.id: c.weight for c in rubric.criteria if c.id in results}
    total = sum(weights.values())
    overall = sum(results[cid].score * w for cid, w in weights.items()) / total if total else 0.0
    # Substance before polish: a failed gating criterion caps the overall (see the rubric's caps).
    # Under a cap, answers keep their order: the ceiling sits lower by up to 10 points for a weaker
    # mean, so two capped answers do not tie at the cap whatever else they did.
    mean = overall
    for cap in rubric.rubric.caps:
        if cap.criterion in results and not results[cap.criterion].passed:
            overall = min(overall, cap.max_overall / 100 - 0.1 * (1 - mean))
    return Score(
        id=answer_id,
        question_id=question.id,
        rubric_id=rubric.id,
        overall=round(overall * 100),
        answer=text,
        criteria=results,
        unscored=unscored,
        metrics=metrics,
        transcript=transcript,
    )


def _encode_sentences(analysis: Analysis) -> None:
    """Encode the sentences the answer's criteria will read, into encode_cached's memory."""
    # Imported here: only batch scoring needs them, and `score` alone stays light to import.
    from interviewcoach.core.scoring.embeddings import EmbeddingModelMissing, encode_cached
    from interviewcoach.core.scoring.kinds import compared_sentences

    sentences = compared_sentences(analysis.sentences)
    # Without the model, the criteria that need it are left unscored, as they are one by one.
    if sentences:
        with contextlib.suppress(EmbeddingModelMissing):
            encode_cached(tuple(s.text for s in sentences))


def prepare(text: str, words: Sequence[Word] | None = None) -> None:
    """Work out ahead what scoring an answer will need again, from its text so far (while it is
    still spoken): the vectors of its sentences, all of them (which ones a long answer is read by
    depends on how many it ends with). A sentence that comes out the same in the whole answer then
    costs nothing after the stop. Without the sentence model it does nothing."""
    from interviewcoach.core.scoring.embeddings import EmbeddingModelMissing, encode_one
    from interviewcoach.core.scoring.kinds import comparable

    for sentence in analyze(text, entities=False, words=words).sentences:
        if comparable(sentence):
            try:
                encode_one(sentence.text)
            except EmbeddingModelMissing:
                return


def score_many(
    items: Iterable[tuple[Question, Rubric, str, str | int | None]],
) -> Iterator[Score]:
    """`score` for many typed answers (question, rubric, text, id), in order, as scoring them one by
    one would. Parsed in batches, and each answer's sentence vectors are made on a second thread a
    few answers ahead: the sentence model runs outside the GIL while the next answers are parsed, so
    on two cores the two costs overlap instead of adding up."""
    items = list(items)
    analyses = analyze_many((text for _, _, text, _ in items), entities=False)
    pending: deque[tuple[tuple[Question, Rubric, str, str | int | None], Analysis, Future[None]]] = deque()
    with ThreadPoolExecutor(max_workers=1) as worker:
        for item, analysis in zip(items, analyses, strict=True):
            pending.append((item, analysis, worker.submit(_encode_sentences, analysis)))
            if len(pending) > ENCODE_AHEAD:
                yield _score_pending(*pending.popleft())
        while pending:
            yield _score_pending(*pending.popleft())


def _score_pending(
    item: tuple[Question, Rubric, str, str | int | None], analysis: Analysis, encoded: Future[None]
) -> Score:
    encoded.result()
    question, rubric, text, answer_id = item
    return score(question, rubric, text=text, analysis=analysis, answer_id=answer_id)
