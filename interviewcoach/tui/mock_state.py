"""The mock interview in progress, kept on disk, so that a quit or a crash resumes it where it stopped.

Plain Python (no textual). One small private JSON file in the data directory holds the questions, the
question reached and the history id of each answer; the answers themselves are read back from the
history. The file goes once the summary is shown or the student starts a new mock.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from interviewcoach.core.paths import ensure_private_dir
from interviewcoach.tui import plan as plans
from interviewcoach.tui.follow_up import follow_up_question

if TYPE_CHECKING:
    from interviewcoach.core.content.questions import QuestionBank
    from interviewcoach.core.models import Question
    from interviewcoach.core.protocols import AttemptStore

FILE_NAME = "mock-in-progress.json"


@dataclass(frozen=True)
class SavedMock:
    question_ids: list[str]
    index: int
    # Question index -> history id of its latest answer.
    answers: dict[int, int]
    # The interviewer's follow-ups asked so far: index -> (index of the question it follows, its text).
    follow_ups: dict[int, tuple[int, str]] = field(default_factory=dict)

    @property
    def resume_index(self) -> int:
        """The first question not answered yet, from where the interview stopped."""
        index = self.index
        while index in self.answers:
            index += 1
        return index

    @property
    def where(self) -> str:
        follow_up_of = {i: p for i, (p, _) in self.follow_ups.items()}
        count = len(self.question_ids)
        return plans.position_text(min(self.resume_index, count - 1), count, follow_up_of).lower()


def save(data_dir: Path, plan: plans.PracticePlan) -> None:
    """Keep a mock interview's progress (other plans are not kept); never raises."""
    if plan.kind != "mock":
        return
    answers = {str(i): a.attempt_id for i, a in plan.answers.items() if a.attempt_id is not None}
    follow_ups = {str(i): [p, plan.questions[i].text] for i, p in plan.follow_up_of.items()}
    state = {
        "questions": [q.id for q in plan.questions],
        "index": plan.index,
        "answers": answers,
        "follow_ups": follow_ups,
    }
    path = data_dir / FILE_NAME
    tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    # Losing the resume point is a nuisance, never a reason to interrupt the interview itself.
    with contextlib.suppress(OSError):
        ensure_private_dir(data_dir)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(state, out)
        tmp.replace(path)


def load(data_dir: Path) -> SavedMock | None:
    """The interrupted mock, or None (none, or a file that does not read: it is only a resume point)."""
    try:
        state = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
        ids = [str(q) for q in state["questions"]]
        index = int(state["index"])
        answers = {int(k): int(v) for k, v in dict(state.get("answers", {})).items()}
        follow_ups = {int(k): (int(v[0]), str(v[1])) for k, v in dict(state.get("follow_ups", {})).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    if not ids or not 0 <= index < len(ids):
        return None
    if any(not 0 <= i < len(ids) or not 0 <= p < i for i, (p, _) in follow_ups.items()):
        return None
    return SavedMock(ids, index, answers, follow_ups)


def clear(data_dir: Path) -> None:
    with contextlib.suppress(OSError):
        (data_dir / FILE_NAME).unlink()


def restore(saved: SavedMock, bank: QuestionBank, store: AttemptStore | None) -> plans.PracticePlan | None:
    """The plan again, with the answers the history still has; None if a question is gone."""
    known = {q.id: q for q in bank}
    questions: list[Question] = []
    for index, qid in enumerate(saved.question_ids):
        if index in saved.follow_ups:
            parent, text = saved.follow_ups[index]
            questions.append(follow_up_question(questions[parent], text))
        elif qid in known:
            questions.append(known[qid])
        else:
            return None
    follow_up_of = {i: p for i, (p, _) in saved.follow_ups.items()}
    title = f"Mock interview ({len(questions) - len(follow_up_of)} questions)"
    plan = plans.PracticePlan(title, "mock", questions, follow_up_of=follow_up_of)
    get = getattr(store, "get", None)
    for index, attempt_id in saved.answers.items():
        if get is None or not 0 <= index < len(questions):
            continue
        try:
            attempt = get(attempt_id)
        except Exception:  # deleted since, or the history cannot be read: that answer is asked again
            continue
        if attempt.score is None:
            continue
        plan.answers[index] = plans.Answer(
            questions[index],
            attempt.score,
            attempt_id,
            attempt.duration_s,
            attempt.interrupted,
            attempt.audio_path if attempt.audio_exists else None,
        )
    plan.index = min(saved.resume_index, len(questions) - 1)
    return plan
