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
