"""The TUI's plain-Python parts: choosing questions, summarising a run, highlight kinds, the timer's zones."""

from __future__ import annotations

import itertools
import random

import pytest

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.models import CriterionResult, Evidence, Metrics, Score
from interviewcoach.core.scoring.rubrics import RubricSet
from interviewcoach.tui import plan as plans
from interviewcoach.tui.highlights import Kind, kind_for, spans_for
from interviewcoach.tui.widgets.timer_bar import zone
from tests.tui.content import ANSWER, QUESTIONS, RUBRIC, canned_score


def score(question_id: str, overall: int, **criteria: float) -> Score:
    return Score(
        question_id=question_id,
        rubric_id="setback",
        overall=overall,
        answer="",
        criteria={
            cid: CriterionResult(score=v, passed=v >= 0.5, feedback=f"advice for {cid}")
            for cid, v in criteria.items()
        },
        metrics=Metrics(),
    )


@pytest.mark.parametrize("n", [1, 3, 5, 50])
def test_mock_interview_mixes_categories_without_repeats(bank: QuestionBank, n: int) -> None:
    plan = plans.mock_interview(bank, n, random.Random(n))
    ids = [q.id for q in plan.questions]
    assert len(ids) == min(n, len(bank)) and len(set(ids)) == len(ids)
    categories = [q.category for q in plan.questions]
    # Categories are taken in turn: the first k questions cover k categories.
    k = min(len(categories), len(bank.categories()))
    assert len(set(categories[:k])) == k


def test_mock_interview_is_reproducible_with_a_seed(bank: QuestionBank) -> None:
    first = plans.mock_interview(bank, 5, random.Random(3)).questions
    again = plans.mock_interview(bank, 5, random.Random(3)).questions
    assert first == again


def test_single_question_keeps_going_through_the_bank() -> None:
    bank = QuestionBank(QUESTIONS)
    plan = plans.single(bank, "why-ir")
    assert not plan.finite and plan.position == ""
    assert plan.advance() and plan.current.id == "angio-2am"
    assert plan.advance() and plan.current.id == "low-score"  # wraps round


def test_finite_plan_ends_and_a_retry_replaces_the_answer() -> None:
    plan = plans.PracticePlan("t", "category", list(QUESTIONS))
    plan.record(plans.Answer(plan.current, score("low-score", 40, brevity=0.4)))
    plan.record(plans.Answer(plan.current, score("low-score", 70, brevity=0.7)))
    assert [a.score.overall for a in plan.answers.values()] == [70]
    assert plan.advance() and plan.advance()
    assert plan.at_last and not plan.advance()


def test_summary_ranks_criteria_and_says_what_to_practise() -> None:
    rubrics = RubricSet([RUBRIC])
    plan = plans.PracticePlan("Mock", "mock", list(QUESTIONS))
    results = [
        score("low-score", 55, brevity=1.0, pivot=0.2, changes=0.8),
        score("why-ir", 85, brevity=0.6, pivot=0.6, changes=1.0),
    ]
    for i, result in enumerate(results):
        plan.index = i
        plan.record(plans.Answer(QUESTIONS[i], result))
    summary = plans.summarize(plan, rubrics)
    assert summary.mean_overall == 70
    assert summary.strongest is not None and summary.strongest.name == "Concrete changes and results"
    assert summary.weakest is not None and summary.weakest.name == "Pivots to strengths"
    assert summary.weakest.mean == pytest.approx(0.4)
    assert summary.practise_next[0].startswith("Work on Pivots to strengths (average 40%). advice for pivot")
    assert any(QUESTIONS[0].text in step for step in summary.practise_next)


def test_summary_of_answers_too_short_to_score() -> None:
    plan = plans.PracticePlan("Mock", "mock", list(QUESTIONS[:1]))
    empty = score("low-score", 0, brevity=0.0).model_copy(update={"no_answer": True})
    plan.record(plans.Answer(QUESTIONS[0], empty))
    summary = plans.summarize(plan, RubricSet([RUBRIC]))
    assert summary.criteria == [] and summary.strongest is None
    assert summary.practise_next[0].startswith("Answer again: 1 answer(s)")


@pytest.mark.parametrize(
    ("label", "detector", "kind"),
    [
        ("filler", None, "filler"),
        ("blame", None, "negative"),
        ("minimising", "keywords", "negative"),
        ("excuse", None, "negative"),
        ("change", None, "change"),
        ("outcome", None, "change"),
        ("pivot", None, "strength"),
        ("strength", "avoid", "strength"),
        ("talking_point", None, "strength"),
        ("something_else", "avoid", "negative"),
        ("something_else", "keywords", "change"),
        ("too_long", "brevity", None),
    ],
)
def test_highlight_kind_from_label_then_detector(label: str, detector: str | None, kind: Kind | None) -> None:
    assert kind_for(label, detector) == kind


def test_highlights_keep_short_evidence_visible_inside_long_evidence() -> None:
    result = canned_score()
    # A pivot that quotes the whole answer must not hide the filler, the blame or the numbers in it.
    whole = Evidence(label="pivot", text=ANSWER, start=0, end=len(ANSWER))
    result.criteria["pivot"].evidence.append(whole)
    highlights = spans_for(result, RubricSet([RUBRIC]))
    runs = highlights.runs
    assert all(a.end <= b.start for a, b in itertools.pairwise(runs))
    kinds = {ANSWER[s.start : s.end]: s.kind for s in runs}
    assert kinds["the school gave us no study time"] == "negative"
    assert kinds["scored 254 on Step 2 CK"] == "change"
    assert kinds["Um"] == "filler"
    assert kinds["My Step 1 score was below where I wanted it, partly because "] == "strength"
    # Every character is covered: the long span fills the gaps between the short ones.
    assert sum(s.end - s.start for s in runs) == len(ANSWER)
    # The legend counts pieces of evidence, not runs (the filler is in the evidence and the audio).
    assert highlights.counts == {"filler": 1, "negative": 1, "change": 3, "strength": 2}


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (0, "short"),
        (29.9, "short"),
        (30, "good"),
        (85, "good"),
        (85.1, "over"),
        (93.5, "over"),
        (94, "too_long"),
    ],
)
def test_timer_zones(elapsed: float, expected: str) -> None:
    assert zone(elapsed, 30, 85, 93.5) == expected
