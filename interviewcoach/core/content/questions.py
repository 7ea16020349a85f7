"""The question bank: interview questions loaded from `question_bank/*.toml`, validated, looked up."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from interviewcoach.core.datafiles import read_toml, validate_data
from interviewcoach.core.errors import DataFileError, FileProblem, UnknownQuestionError
from interviewcoach.core.paths import shipped_dir

Category = Literal["setbacks", "fit", "motivation", "pathway", "behavioural", "research", "general"]

CATEGORY_TITLES: dict[str, str] = {
    "setbacks": "Setbacks and red flags",
    "fit": "Fit for IR",
    "motivation": "Motivation",
    "pathway": "Pathway (IR, DR, ESIR)",
    "behavioural": "Behavioural",
    "research": "Research",
    "general": "General",
}

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class Question(BaseModel):
    """One interview question and what a strong answer to it looks like."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(max_length=1000)
    category: Category
    rubric: str = Field(pattern=ID_PATTERN)
    target_seconds: tuple[int, int]
    think_seconds: int = Field(default=0, ge=0, le=600)
    follow_ups: list[str] = Field(default_factory=list, max_length=20)
    tips: list[str] = Field(default_factory=list, max_length=10)
    talking_points: list[str] = Field(default_factory=list, max_length=30)

    _blank = field_validator("text")(_non_blank)

    @field_validator("follow_ups", "tips", "talking_points")
    @classmethod
    def _items_non_blank(cls, items: list[str]) -> list[str]:
        return [_non_blank(item) for item in items]

    @field_validator("target_seconds")
    @classmethod
    def _range(cls, value: tuple[int, int]) -> tuple[int, int]:
        low, high = value
        if not 5 <= low < high <= 900:
            raise ValueError("must be [min, max] seconds with 5 <= min < max <= 900")
        return value

    @property
    def target_words(self) -> tuple[int, int]:
        """The target length in words, at a conversational 150 words per minute."""
        low, high = self.target_seconds
        return round(low * 2.5), round(high * 2.5)


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
