"""The question bank: interview questions loaded from `question_bank/*.toml`, validated, looked up."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from interviewcoach.core.datafiles import read_toml, validate_data
from interviewcoach.core.errors import DataFileError, FileProblem, UnknownQuestionError
from interviewcoach.core.models import Question
from interviewcoach.core.paths import shipped_dir


class BankFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questions: list[Question] = Field(min_length=1)


class QuestionBank:
    """All questions by id, in file order."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self._by_id: dict[str, Question] = {}
        for q in questions:
            self._by_id[q.id] = q

    def __iter__(self) -> Iterator[Question]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def get(self, question_id: str) -> Question:
        try:
            return self._by_id[question_id]
        except KeyError:
            close = difflib.get_close_matches(question_id, list(self._by_id), n=3, cutoff=0.5)
            raise UnknownQuestionError(question_id, close) from None

    def by_category(self, category: str) -> list[Question]:
        return [q for q in self if q.category == category]

    def categories(self) -> list[str]:
        return list(dict.fromkeys(q.category for q in self))

    def with_questions(self, extra: Iterable[Question]) -> QuestionBank:
        """A bank that also holds `extra` (an advisor set's own questions override by id)."""
        return QuestionBank([*self, *extra])


# A mock's follow-up is saved under its question's id with this suffix (at most 64 characters).
FOLLOW_UP_SUFFIX = "-follow-up"
# A follow-up is a short answer: the interviewer wants the missing piece, not the story again.
FOLLOW_UP_TARGET = (15, 60)


def follow_up_id(question_id: str) -> str:
    return f"{question_id}{FOLLOW_UP_SUFFIX}"[:64]


def follow_up_question(question: Question, text: str) -> Question:
    """A follow-up as a question of its own: same category and rubric, a short target, no think time."""
    return question.model_copy(
        update={
            "id": follow_up_id(question.id),
            "text": text,
            "target_seconds": FOLLOW_UP_TARGET,
            "think_seconds": 0,
            "follow_ups": [],
        }
    )


def follow_up_base(question_id: str, ids: Iterable[str]) -> str | None:
    """Which of `ids` has its follow-up saved as `question_id`, if any (the id may be cut at 64)."""
    return next((i for i in ids if follow_up_id(i) == question_id), None)


def follow_up_of(bank: QuestionBank, question_id: str) -> Question | None:
    """The bank question whose follow-up is saved as `question_id`, if it is one."""
    base = follow_up_base(question_id, (q.id for q in bank))
    return bank.get(base) if base is not None else None


def question_for_attempt(bank: QuestionBank, question_id: str, question_text: str = "") -> Question:
    """The question a saved attempt answered: a bank question, or a mock's follow-up to one.

    A follow-up is not in the bank; it is scored as it was asked, on its question's rubric with the
    follow-up's short target. Its own text is kept with the attempt; an answer found only as a
    recording (the app stopped mid-answer) has none, so it is named after its question.
    """
    if question_id not in bank:
        base = follow_up_of(bank, question_id)
        if base is not None:
            return follow_up_question(base, question_text or f"A follow-up to: {base.text}")
    return bank.get(question_id)


def load_bank(directory: Path | None = None, *, rubric_ids: Iterable[str] | None = None) -> QuestionBank:
    """Load every `*.toml` in the bank folder; with `rubric_ids`, check each question's rubric."""
    directory = directory or shipped_dir("question_bank")
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise DataFileError(directory, [FileProblem(directory, None, "", "no *.toml files")])
    known_rubrics = set(rubric_ids) if rubric_ids is not None else None
    questions: list[Question] = []
    seen: dict[str, Path] = {}
    for path in files:
        data, index = read_toml(path)
        bank = validate_data(BankFile, data, path, index)
        problems = []
        for i, q in enumerate(bank.questions):
            if q.id in seen:
                line = index.line_of(("questions", i, "id"))
                elsewhere = "" if seen[q.id] == path else f" (also in {seen[q.id]})"
                message = f"duplicate question id {q.id!r}{elsewhere}"
                problems.append(FileProblem(path, line, f"questions[{i}].id", message))
            seen[q.id] = path
            if known_rubrics is not None and q.rubric not in known_rubrics:
                close = difflib.get_close_matches(q.rubric, sorted(known_rubrics), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                line = index.line_of(("questions", i, "rubric"))
                message = f"unknown rubric {q.rubric!r}{hint}"
                problems.append(FileProblem(path, line, f"questions[{i}].rubric", message))
        if problems:
            raise DataFileError(path, problems)
        questions.extend(bank.questions)
    return QuestionBank(questions)
