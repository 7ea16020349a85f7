"""Score an answer against a rubric: one verdict per criterion, with evidence and advice.

`score()` is a pure function of its inputs; the CLI and the TUI both call it. Heavy work (spaCy) is
in `analysis.analyze`, which callers may run once and pass in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from interviewcoach.core import detectors
from interviewcoach.core.analysis import Analysis, analyze
from interviewcoach.core.models import CriterionResult, Metrics, Score, Transcript, Unscored

if TYPE_CHECKING:
    from interviewcoach.core.questions import Question
    from interviewcoach.core.rubrics import Rubric

# Fewer words than this is not an answer to score: "I don't know" gets a message, not a grade.
MIN_ANSWER_WORDS = 8
LONG_PAUSE_S = 1.0


def metrics_for(analysis: Analysis, transcript: Transcript | None) -> Metrics:
    """Counts every report shows; delivery figures only when audio timing is known."""
    from interviewcoach.core.verbal import habits_of

    lexical = [f for f in analysis.lexical_fillers if f.kind == "lexical"]
    text_pauses = [f for f in analysis.lexical_fillers if f.kind == "filled_pause"]
    m = Metrics(
        word_count=analysis.word_count,
        sentence_count=analysis.sentence_count,
        lexical_filler_count=len(lexical),
        readability_grade=round(analysis.readability_grade, 1),
        mean_sentence_words=analysis.mean_sentence_words,
    )
    hedges, repeats = habits_of(analysis)
    m.hedge_count, m.hedges = len(hedges), [h.text for h in hedges]
    m.repetition_count, m.repetitions = len(repeats), [r.text for r in repeats]
    if transcript is None:
        m.filler_count = len(analysis.lexical_fillers)
    else:
        heard = [f for f in transcript.fillers if f.kind == "filled_pause"]
        # Filled pauses written in the transcript text and heard in the audio are the same
        # event; count the audio ones (with times) and any written ones beyond them.
        m.filled_pause_count = max(len(heard), len(text_pauses))
        m.filler_count = len(lexical) + m.filled_pause_count
        long = [p for p in transcript.pauses if p.duration >= LONG_PAUSE_S]
        m.duration_s = round(transcript.duration_s, 2)
        m.vocal_variety = transcript.vocal_variety
        m.long_pause_count = len(long)
        m.longest_pause_s = round(max((p.duration for p in transcript.pauses), default=0.0), 2)
        # Pace counts from the first word to the last: dead air before the student starts or after
        # they finish is not slow speech.
        speaking = transcript.speech_s if transcript.speech_s > 0 else transcript.duration_s
        m.words_per_minute = round(analysis.word_count / max(speaking, 1e-6) * 60, 1)
        inside = [p for p in long if p.duration <= speaking]
        talking = speaking - sum(p.duration for p in inside)
        m.articulation_wpm = round(analysis.word_count / max(talking, 1e-6) * 60, 1)
    total = analysis.word_count + (m.filled_pause_count or 0)
    m.filler_ratio = round(m.filler_count / total, 4) if total else 0.0
    return m


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
) -> Score:
    """Score one answer, given as text or as a transcript (whose text is then used)."""
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
        ctx = detectors.Context(question, analysis, criterion, transcript, earlier=dict(results))
        outcome = registry[criterion.detector].run(criterion.parsed, ctx)
        if isinstance(outcome, Unscored):
            unscored.append(outcome)
        else:
            results[criterion.id] = outcome

    weights = {c.id: c.weight for c in rubric.criteria if c.id in results}
    total = sum(weights.values())
    overall = sum(results[cid].score * w for cid, w in weights.items()) / total if total else 0.0
    # Substance before polish: a failed gating criterion caps the overall (see the rubric's caps).
    for cap in rubric.rubric.caps:
        if cap.criterion in results and not results[cap.criterion].passed:
            overall = min(overall, cap.max_overall / 100)
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
