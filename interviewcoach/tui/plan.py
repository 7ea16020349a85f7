"""What the student chose to practise (one question, a category, a mock interview, a set) and how it went.

Plain Python with no textual import, so the choice of questions and the end-of-interview summary are
tested without a terminal.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from interviewcoach.core.models import CATEGORY_TITLES

if TYPE_CHECKING:
    from interviewcoach.core.content.questions import QuestionBank
    from interviewcoach.core.models import Question, Score
    from interviewcoach.core.session import RubricSet

PlanKind = Literal["question", "category", "mock", "set", "review"]

DEFAULT_MOCK_LENGTH = 5


@dataclass
class Answer:
    """One scored answer in a plan."""

    question: Question
    score: Score
    attempt_id: int | None = None
    duration_s: float | None = None
    interrupted: bool = False
    # The recording, when it is kept.
    audio_path: Path | None = None


@dataclass
class PracticePlan:
    """An ordered run of questions and the latest answer to each."""

    title: str
    kind: PlanKind
    questions: list[Question]
    index: int = 0
    answers: dict[int, Answer] = field(default_factory=dict)
    set_id: str | None = None
    # The set's version: every attempt saved on the set keeps it.
    set_version: int | None = None
    # An advisor set's rubrics (shipped, custom and talking-points), used instead of the shipped ones.
    rubrics: RubricSet | None = None
    # For a single question, "next" keeps going through the bank in this order.
    follow_on: list[Question] = field(default_factory=list)
    # The interviewer's follow-ups in a mock: index of the follow-up -> index of the question it follows.
    follow_up_of: dict[int, int] = field(default_factory=dict)

    @property
    def current(self) -> Question:
        return self.questions[self.index]

    @property
    def position(self) -> str:
        """ "Question 2 of 5" for a finite run, nothing for open-ended practice."""
        return "" if self.kind == "question" else self.position_of(self.index)

    def position_of(self, index: int) -> str:
        """ "Question 2 of 5", or "Follow-up to question 2 of 5", for any question of the run."""
        return position_text(index, len(self.questions), self.follow_up_of)

    def number(self, index: int) -> str:
        """The question's number in the run, follow-ups not counted ("2"); a follow-up is "↳2"."""
        return question_number(index, self.follow_up_of)

    def add_follow_up(self, question: Question) -> None:
        """Ask `question` next, as a follow-up to the current one (once per question)."""
        at = self.index + 1
        self.questions.insert(at, question)
        self.answers = {(i + 1 if i >= at else i): a for i, a in self.answers.items()}
        shifted = {(i + 1 if i >= at else i): (p + 1 if p >= at else p) for i, p in self.follow_up_of.items()}
        self.follow_up_of = {**shifted, at: self.index}

    @property
    def at_follow_up(self) -> bool:
        """The current question is a follow-up the interviewer asked."""
        return self.index in self.follow_up_of

    @property
    def has_follow_up(self) -> bool:
        """The current question is a follow-up, or has had its follow-up already."""
        return self.index in self.follow_up_of or (self.index + 1) in self.follow_up_of

    @property
    def finite(self) -> bool:
        return self.kind != "question"

    @property
    def at_last(self) -> bool:
        return self.index >= len(self.questions) - 1

    @property
    def done(self) -> bool:
        """Every question of a finite run has an answer."""
        return self.finite and len(self.answers) >= len(self.questions)

    def record(self, answer: Answer) -> None:
        """Keep the latest answer for the current question (a retry replaces the earlier one)."""
        self.answers[self.index] = answer

    def advance(self) -> bool:
        """Move to the next question; False at the end of a finite run."""
        if not self.at_last:
            self.index += 1
            return True
        if self.kind == "question" and self.follow_on:
            current = self.current
            ids = [q.id for q in self.follow_on]
            nxt = self.follow_on[(ids.index(current.id) + 1) % len(ids)] if current.id in ids else None
            if nxt is None or nxt.id == current.id:
                return False
            self.questions.append(nxt)
            self.index += 1
            return True
        return False


def question_number(index: int, follow_up_of: dict[int, int]) -> str:
    if index in follow_up_of:
        return f"↳{question_number(follow_up_of[index], follow_up_of)}"
    return str(sum(1 for i in range(index + 1) if i not in follow_up_of))


def position_text(index: int, count: int, follow_up_of: dict[int, int]) -> str:
    total = count - len(follow_up_of)
    if index in follow_up_of:
        return f"Follow-up to question {question_number(follow_up_of[index], follow_up_of)} of {total}"
    return f"Question {question_number(index, follow_up_of)} of {total}"


def single(bank: QuestionBank, question_id: str) -> PracticePlan:
    question = bank.get(question_id)
    return PracticePlan(question.text, "question", [question], follow_on=list(bank))


def category(bank: QuestionBank, name: str) -> PracticePlan:
    questions = bank.by_category(name)
    title = CATEGORY_TITLES.get(name, name)
    return PracticePlan(title, "category", questions)


def mock_interview(
    bank: QuestionBank, n: int = DEFAULT_MOCK_LENGTH, rng: random.Random | None = None
) -> PracticePlan:
    """N questions, taking categories in turn (in a shuffled order) so the interview mixes them."""
    rng = rng or random.Random()
    pools = {name: bank.by_category(name) for name in bank.categories()}
    for pool in pools.values():
        rng.shuffle(pool)
    order = list(pools)
    rng.shuffle(order)
    picked: list[Question] = []
    while len(picked) < n and any(pools.values()):
        for name in order:
            if pools[name] and len(picked) < n:
                picked.append(pools[name].pop())
    return PracticePlan(f"Mock interview ({len(picked)} questions)", "mock", picked)


@dataclass(frozen=True)
class CriterionMean:
    id: str
    name: str
    mean: float
    # The advice given the last time this criterion scored lowest.
    advice: str = ""


@dataclass
class Summary:
    """The end of a run: each answer, the criteria from strongest to weakest, and what to do next."""

    answers: list[Answer]
    mean_overall: float
    criteria: list[CriterionMean]
    practise_next: list[str]

    @property
    def strongest(self) -> CriterionMean | None:
        return self.criteria[0] if self.criteria else None

    @property
    def weakest(self) -> CriterionMean | None:
        return self.criteria[-1] if self.criteria else None


def criterion_name(rubrics: RubricSet, criterion_id: str, rubric_id: str | None = None) -> str:
    """The human name of a criterion, looked up in its rubric (or any rubric that has it)."""
    candidates = [r for r in rubrics if r.id == rubric_id] + [r for r in rubrics if r.id != rubric_id]
    for rubric in candidates:
        for c in rubric.criteria:
            if c.id == criterion_id:
                return c.name
    return criterion_id.replace("_", " ")


def summarize(plan: PracticePlan, rubrics: RubricSet) -> Summary:
    answers = [plan.answers[i] for i in sorted(plan.answers)]
    scored = [a for a in answers if not a.score.no_answer]
    totals: dict[str, list[float]] = {}
    worst: dict[str, tuple[float, str]] = {}
    rubric_of: dict[str, str] = {}
    for a in scored:
        for cid, result in a.score.criteria.items():
            totals.setdefault(cid, []).append(result.score)
            rubric_of.setdefault(cid, a.score.rubric_id)
            if cid not in worst or result.score < worst[cid][0]:
                worst[cid] = (result.score, result.feedback)
    means = [
        CriterionMean(cid, criterion_name(rubrics, cid, rubric_of[cid]), sum(v) / len(v), worst[cid][1])
        for cid, v in totals.items()
    ]
    means.sort(key=lambda m: (-m.mean, m.name))
    mean_overall = sum(a.score.overall for a in answers) / len(answers) if answers else 0.0
    return Summary(answers, mean_overall, means, _next_steps(answers, means))


def _next_steps(answers: list[Answer], means: list[CriterionMean]) -> list[str]:
    steps: list[str] = []
    unanswered = [a for a in answers if a.score.no_answer]
    if unanswered:
        steps.append(f"Answer again: {len(unanswered)} answer(s) were too short to score.")
    if means and means[-1].mean < 1.0:
        weak = means[-1]
        steps.append(
            f"Work on {weak.name} (average {weak.mean:.0%})." + (f" {weak.advice}" if weak.advice else "")
        )
    scored = [a for a in answers if not a.score.no_answer]
    if scored:
        lowest = min(scored, key=lambda a: a.score.overall)
        if lowest.score.overall < 80:
            steps.append(f'Retry your lowest answer ({lowest.score.overall}/100): "{lowest.question.text}"')
            title = CATEGORY_TITLES.get(lowest.question.category, lowest.question.category)
            steps.append(f"Practise the category {title} from the home screen.")
    if not steps:
        steps.append("Every criterion passed: try a longer mock interview or an advisor's set.")
    return steps
