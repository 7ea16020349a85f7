"""Fixed questions, a rubric and a scored answer for snapshot tests, independent of the shipped files.

Snapshots show layout; if they used the shipped bank and rubrics, every wording change there would
break them. The score here is built by hand so the feedback screen shows every kind of highlight.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.history.store import Store
from interviewcoach.core.models import CriterionResult, Evidence, Metrics, Question, Score
from interviewcoach.core.records import AttemptSummary
from interviewcoach.core.scoring.rubrics import Rubric, RubricSet
from interviewcoach.core.session import Services
from tests.tui.fakes import FakeRecorder, FakeTranscriber, MemoryStore, transcript_for

QUESTIONS = [
    Question(
        id="low-score",
        text="Walk me through your board scores. Your Step 1 / Step 2 CK is below our usual range.",
        category="setbacks",
        rubric="setback",
        target_seconds=(30, 85),
        tips=[
            "State the fact calmly in one sentence; give at most one or two sentences of cause.",
            "Name the concrete changes you made and an objective result, such as your Step 2 CK score.",
        ],
    ),
    Question(
        id="why-ir",
        text="Why interventional radiology, and why now?",
        category="motivation",
        rubric="setback",
        target_seconds=(45, 90),
    ),
    Question(
        id="angio-2am",
        text="Would I want you in my angio suite at 2 a.m.? Convince me.",
        category="fit",
        rubric="setback",
        target_seconds=(45, 100),
    ),
]

RUBRIC = Rubric.model_validate(
    {
        "rubric": {"id": "setback", "title": "Setback", "version": 1},
        "criteria": [
            {"id": "brevity", "name": "Brief", "detector": "brevity", "weight": 1},
            {"id": "ownership", "name": "Owns it without blame", "detector": "avoid", "weight": 2},
            {"id": "changes", "name": "Concrete changes and results", "detector": "keywords", "weight": 2},
            {"id": "pivot", "name": "Pivots to strengths", "detector": "keywords", "weight": 2},
            {"id": "pace", "name": "Pace", "detector": "pace", "weight": 1, "delivery": True},
            {"id": "fillers", "name": "Fillers", "detector": "fillers", "weight": 1, "delivery": True},
            {"id": "pauses", "name": "Long pauses", "detector": "pauses", "weight": 1, "delivery": True},
        ],
    }
)

ANSWER = (
    "My Step 1 score was below where I wanted it, partly because the school gave us no study time, "
    "but that is on me. Um, I changed how I studied: I did two thousand practice questions, met a "
    "tutor weekly and scored 254 on Step 2 CK. Since then I have spent four weeks on the IR service, "
    "and I love the procedural problem solving in IR."
)


def _ev(label: str, phrase: str) -> Evidence:
    start = ANSWER.index(phrase)
    return Evidence(label=label, text=phrase, start=start, end=start + len(phrase))


def canned_score() -> Score:
    transcript = transcript_for(ANSWER)
    criteria = {
        "brevity": CriterionResult(
            score=1.0, passed=True, feedback="Good length: 27 s, within the 30-85 s target."
        ),
        "ownership": CriterionResult(
            score=0.5,
            passed=False,
            feedback='Drop the blame: "the school gave us no study time". Own it in one sentence.',
            evidence=[_ev("blame", "the school gave us no study time")],
        ),
        "changes": CriterionResult(
            score=1.0,
            passed=True,
            feedback="Specific changes and a result: exactly what the committee wants to hear.",
            evidence=[
                _ev("change", "I changed how I studied"),
                _ev("change", "two thousand practice questions"),
                _ev("outcome", "scored 254 on Step 2 CK"),
            ],
        ),
        "pivot": CriterionResult(
            score=0.6,
            passed=True,
            feedback="You pivot to IR; name one strength the program gets from you.",
            evidence=[_ev("pivot", "I love the procedural problem solving in IR")],
        ),
        "pace": CriterionResult(
            score=1.0, passed=True, feedback="Comfortable pace: 142 wpm, within 120-165."
        ),
        "fillers": CriterionResult(
            score=1.0, passed=True, feedback="Few fillers: 1 (1.6%).", evidence=[_ev("filler", "Um")]
        ),
        "pauses": CriterionResult(score=1.0, passed=True, feedback="No long pauses that lose the listener."),
    }
    metrics = Metrics(
        word_count=63,
        sentence_count=4,
        duration_s=transcript.duration_s,
        words_per_minute=142.0,
        articulation_wpm=150.0,
        filler_count=1,
        filled_pause_count=1,
        filler_ratio=0.0156,
        long_pause_count=1,
        longest_pause_s=1.4,
        readability_grade=7.9,
        mean_sentence_words=15.8,
    )
    return Score(
        question_id="low-score",
        rubric_id="setback",
        overall=78,
        answer=ANSWER,
        criteria=criteria,
        metrics=metrics,
        transcript=transcript,
    )


def snapshot_services(data_dir: Path) -> Services:
    store = MemoryStore(
        summaries=[
            AttemptSummary(3, "low-score", "2025-05-02T09:15:00", 78, 41.0, False),
            AttemptSummary(2, "why-ir", "2025-05-01T18:40:00", 64, 72.5, False),
            AttemptSummary(1, "low-score", "2025-04-30T20:05:00", 52, 95.0, True),
        ],
        averages={"brevity": 0.9, "ownership": 0.55, "changes": 0.8, "pivot": 0.42},
    )
    return Services(
        bank=QuestionBank(QUESTIONS),
        rubrics=RubricSet([RUBRIC]),
        data_dir=data_dir,
        transcriber=FakeTranscriber(),
        recorder=FakeRecorder(),
        store=store,
    )


def seed_history(store: Store, days: int = 6) -> list[int]:
    """Attempts at two questions over `days` days, improving, for history tests and the demo."""
    ids = []
    base = canned_score()
    for day in range(days):
        for question in QUESTIONS[:2]:
            level = 0.3 + 0.7 * day / max(days - 1, 1)
            criteria = {
                cid: result.model_copy(update={"score": round(level, 2), "passed": level >= 0.6})
                for cid, result in base.criteria.items()
            }
            score = base.model_copy(
                update={"question_id": question.id, "overall": round(level * 100), "criteria": criteria}
            )
            when = datetime(2025, 5, 1 + day, 9, 30 + QUESTIONS.index(question))
            ids.append(store.save_attempt(score, question=question, created_at=when, interrupted=day == 1))
    return ids
