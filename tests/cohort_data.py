"""Students' bundles for cohort tests, written directly in the bundle format (no exporter needed)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

POINTS = ["Step 2 CK improvement", "a new study plan", "what I learned"]
QUESTIONS = [
    {
        "id": "low-score",
        "text": "Tell me about your Step 1 score.",
        "category": "setbacks",
        "follow_ups": ["What would you do differently?"],
        "talking_points": POINTS,
        "required_attempts": 2,
        "rubric": {
            "id": "advisor-ir",
            "name": "Advisor IR rubric",
            "criteria": [
                {"id": "ownership", "name": "Owns the setback"},
                {"id": "talking_points", "name": "Talking points"},
            ],
        },
    },
    {
        "id": "why-ir",
        "text": "Why interventional radiology?",
        "category": "motivation",
        "follow_ups": [],
        "talking_points": ["a patient story"],
        "required_attempts": 1,
        "rubric": {"id": "why", "name": "Why IR", "criteria": [{"id": "story", "name": "A real story"}]},
    },
]
ANSWER = (
    "I scored lower than I hoped on Step 1. I built a new study plan with spaced repetition, "
    "and my Step 2 CK score went up by thirty points. I learned to ask for help early."
)


def uid() -> str:
    return uuid.uuid4().hex


def attempt(
    question_id: str = "low-score",
    *,
    overall: int | None = 72,
    created_at: str = "2026-11-20T10:00:00Z",
    covered: tuple[bool, ...] = (True, True, False),
    points: list[str] | None = None,
    transcript: str = ANSWER,
    attempt_uid: str | None = None,
    no_answer: bool = False,
) -> dict[str, Any]:
    texts = points if points is not None else (POINTS if question_id == "low-score" else ["a patient story"])
    flags = (list(covered) + [False] * len(texts))[: len(texts)]
    return {
        "uid": attempt_uid or uid(),
        "question_id": question_id,
        "created_at": created_at,
        "set_version": 3,
        "overall": None if no_answer else overall,
        "no_answer": no_answer,
        "duration_s": 58.5,
        "transcript": transcript,
        "criteria": [
            {
                "id": "ownership",
                "name": "Owns the setback",
                "score": 0.8,
                "passed": True,
                "advice": "You named what you changed.",
                "evidence": [{"text": "I built a new study plan", "start": 48, "end": 72}],
            }
        ],
        "talking_points": [
            {
                "text": text,
                "covered": flag,
                "evidence": {"text": "my Step 2 CK score went up", "start": 100, "end": 126}
                if flag
                else None,
                "nearest": None
                if flag
                else {"text": "I learned to ask for help early.", "start": 140, "end": 172},
            }
            for text, flag in zip(texts, flags, strict=True)
        ],
        "audio": None,
    }


def bundle(
    name: str = "Ada Lovelace",
    *,
    email: str | None = "ada@example.org",
    cohort: str | None = "2027",
    attempts: list[dict[str, Any]] | None = None,
    exported_at: str = "2026-12-05T10:00:00Z",
    set_id: str = "ir-2027",
    version: int = 3,
) -> dict[str, Any]:
    return {
        "format": "interviewcoach-bundle",
        "format_version": 1,
        "exported_at": exported_at,
        "app_version": "0.1.0",
        "student": {"name": name, "email": email, "cohort": cohort},
        "set": {
            "id": set_id,
            "version": version,
            "title": "IR interview season 2027",
            "author": "Dr. Mentor",
            "instructions": "Answer each question twice.",
            "due": "2026-12-15",
            "questions": QUESTIONS,
        },
        "attempts": attempts if attempts is not None else [attempt()],
    }


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
