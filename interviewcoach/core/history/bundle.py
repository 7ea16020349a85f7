"""The two files of the advisor round trip: the student's bundle and the advisor's comments file.

A bundle (`export --format bundle`) is what a student sends an advisor: who they are, the set they
practised (its version, instructions, questions and rubric criteria) and every attempt at it with
the transcript, verdicts, evidence, talking points and, only if the student chose, the recording.
A comments file is what comes back: the advisor's comments on attempts, named by attempt uid, and
their talking-point overrides.

Each file is untrusted on the side that reads it, so these models forbid unknown keys (except inside
"audio"), bound every size, and `parse_bundle` / `parse_comments` report any problem in one line.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interviewcoach import __version__
from interviewcoach.core.errors import UserError
from interviewcoach.core.safetext import escape
from interviewcoach.core.scoring.detectors.talking_points import talking_points_report

if TYPE_CHECKING:
    from interviewcoach.core.content.sets import PracticeSet
    from interviewcoach.core.history.store import Attempt
    from interviewcoach.core.models import Evidence, Question, Score
    from interviewcoach.core.scoring.rubrics import Rubric

BUNDLE_FORMAT = "interviewcoach-bundle"
COMMENTS_FORMAT = "interviewcoach-comments"
FORMAT_VERSION = 1

# Bounds a reader enforces before trusting a file. A bundle with recordings is the large one.
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
MAX_ATTEMPTS = 10_000
MAX_TRANSCRIPT_CHARS = 200_000
# One recording, base64: about 20 minutes of 16 kHz mono 16-bit WAV.
MAX_AUDIO_BASE64_CHARS = 52_000_000
MAX_COMMENTS_BYTES = 8 * 1024 * 1024
MAX_COMMENTS = 10_000
MAX_COMMENT_CHARS = 20_000
MAX_NAME_CHARS = 200
MAX_TEXT_CHARS = 4_000

Uid = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
Short = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
# An ISO 8601 date or date-time ("2026-12-05T10:00:00Z", "2026-12-05T10:00:00.123+01:00").
Stamp = Annotated[
    str,
    Field(
        max_length=40,
        pattern=r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Student(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
    email: Short | None = None
    cohort: Short | None = None


class CriterionName(_Strict):
    id: Short
    name: Short


class BundleRubric(_Strict):
    id: Short
    name: Short
    criteria: Annotated[list[CriterionName], Field(max_length=100)]


class BundleQuestion(_Strict):
    id: Short
    text: Text
    category: Short
    follow_ups: Annotated[list[Text], Field(max_length=50)]
    talking_points: Annotated[list[Text], Field(max_length=50)]
    required_attempts: Annotated[int, Field(ge=0, le=1000)]
    rubric: BundleRubric


class BundleSet(_Strict):
    id: Short
    version: Annotated[int, Field(ge=1)]
    title: Short
    author: Short
    instructions: Text
    due: Day | None = None
    questions: Annotated[list[BundleQuestion], Field(max_length=500)]


class Span(_Strict):
    text: Annotated[str, Field(max_length=MAX_TRANSCRIPT_CHARS)]
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]


class BundleCriterion(_Strict):
    id: Short
    name: Short
    score: Annotated[float, Field(ge=0.0, le=1.0)]
    passed: bool
    advice: Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
    evidence: Annotated[list[Span], Field(max_length=1000)]


class BundleTalkingPoint(_Strict):
    text: Text
    covered: bool
    evidence: Span | None = None
    nearest: Span | None = None


class Audio(BaseModel):
    """A recording; extra keys allowed here (a later writer may add a sample rate or a checksum)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    format: Literal["wav", "flac"]
    base64: Annotated[str, Field(max_length=MAX_AUDIO_BASE64_CHARS)]


class BundleAttempt(_Strict):
    uid: Uid
    question_id: Short
    created_at: Stamp
    set_version: int | None = None
    overall: Annotated[int, Field(ge=0, le=100)] | None = None
    no_answer: bool
    duration_s: Annotated[float, Field(ge=0.0)] | None = None
    transcript: Annotated[str, Field(max_length=MAX_TRANSCRIPT_CHARS)]
    criteria: Annotated[list[BundleCriterion], Field(max_length=100)]
    talking_points: Annotated[list[BundleTalkingPoint], Field(max_length=50)]
    audio: Audio | None = None


class Bundle(_Strict):
    format: Literal["interviewcoach-bundle"]
    format_version: Literal[1]
    exported_at: Stamp
    app_version: Short
    student: Student
    set: BundleSet
    attempts: Annotated[list[BundleAttempt], Field(max_length=MAX_ATTEMPTS)]


class CommentsStudent(BaseModel):
    """The student the comments are for; more keys (email, cohort) may come along."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]


class Comment(_Strict):
    attempt_uid: Uid
    created_at: Stamp
    text: Annotated[str, Field(min_length=1, max_length=MAX_COMMENT_CHARS)]


class Override(_Strict):
    attempt_uid: Uid
    point: Text
    covered: bool


class CommentsFile(_Strict):
    format: Literal["interviewcoach-comments"]
    format_version: Literal[1]
    set_id: Short
    student: CommentsStudent
    author: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
    exported_at: Stamp
    comments: Annotated[list[Comment], Field(max_length=MAX_COMMENTS)]
    overrides: Annotated[list[Override], Field(default_factory=list, max_length=MAX_COMMENTS)]


def _read_json(path: Path, max_bytes: int, what: str) -> Any:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(
            escape(f"{path}: cannot read {what}: {exc.strerror or exc}", keep_newlines=False)
        ) from None
    if size > max_bytes:
        raise UserError(
            escape(f"{path}: not a {what}: larger than {max_bytes // (1024 * 1024)} MiB", keep_newlines=False)
        )
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        raise UserError(
            escape(f"{path}: not a {what}: not valid JSON ({detail})", keep_newlines=False)
        ) from None


def _one_line(path: Path, what: str, exc: ValidationError) -> UserError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    message = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return UserError(escape(f"{path}: not a valid {what}: {where}: {message}{more}", keep_newlines=False))


def parse_bundle(path: Path) -> Bundle:
    """The bundle in `path`, validated and bounded; UserError (one line) when it is not one."""
    raw = _read_json(path, MAX_BUNDLE_BYTES, "bundle")
    if not isinstance(raw, dict) or raw.get("format") != BUNDLE_FORMAT:
        raise UserError(escape(f"{path}: not an interviewcoach bundle", keep_newlines=False))
    try:
        return Bundle.model_validate(raw)
    except ValidationError as exc:
        raise _one_line(path, "bundle", exc) from None


def parse_comments(path: Path) -> CommentsFile:
    """The comments file in `path`, validated and bounded; UserError (one line) when it is not one."""
    raw = _read_json(path, MAX_COMMENTS_BYTES, "comments file")
    if not isinstance(raw, dict) or raw.get("format") != COMMENTS_FORMAT:
        raise UserError(escape(f"{path}: not an interviewcoach comments file", keep_newlines=False))
    try:
        return CommentsFile.model_validate(raw)
    except ValidationError as exc:
        raise _one_line(path, "comments file", exc) from None


# ---------------------------------------------------------------------------------------------------
# Writing a bundle (the student's side)

# A recording larger than this is left out (its base64 would pass MAX_AUDIO_BASE64_CHARS).
MAX_AUDIO_BYTES = MAX_AUDIO_BASE64_CHARS // 4 * 3
_AUDIO_FORMATS: dict[str, Literal["wav", "flac"]] = {".wav": "wav", ".flac": "flac"}


def set_summary(practice_set: PracticeSet) -> dict[str, Any]:
    """The set as a bundle carries it: id, version, title, author, instructions, due, questions."""
    questions = []
    for question in practice_set.questions:
        rubric = practice_set.rubric_for(question)
        questions.append(
            {
                "id": question.id,
                "text": question.text,
                "category": str(question.category),
                "follow_ups": list(question.follow_ups),
                "talking_points": list(question.talking_points),
                # Sets that ask for several attempts per question say so; one otherwise.
                "required_attempts": int(getattr(question, "required_attempts", 1)),
                "rubric": {
                    "id": rubric.id,
                    "name": rubric.rubric.title,
                    "criteria": [{"id": c.id, "name": c.name} for c in rubric.criteria],
                },
            }
        )
    return {
        "id": practice_set.id,
        "version": int(getattr(practice_set, "version", 1)),
        "title": practice_set.title,
        "author": practice_set.author,
        "instructions": practice_set.instructions,
        "due": getattr(practice_set, "due", None),
        "questions": questions,
    }


def unique_evidence(evidence: Iterable[Evidence]) -> list[Evidence]:
    """Evidence spans in order, each span once (two labels on one quote are one piece of evidence)."""
    seen: set[tuple[int, int, str]] = set()
    out = []
    for ev in sorted(evidence, key=lambda e: (e.start, e.end)):
        key = (ev.start, ev.end, ev.text)
        if key not in seen:
            seen.add(key)
            out.append(ev)
    return out


def talking_points_of(score: Score, question: Question, rubric: Rubric) -> list[dict[str, Any]]:
    """Per talking point: covered or not, and the words that covered it (from the coach's verdict)."""
    report = talking_points_report(score, question, rubric)
    if report is None:
        return []
    result = score.criteria.get(report.criterion_id)
    spans = {ev.label: ev for ev in (result.evidence if result is not None else [])}
    covered = {point for point, _ in report.covered}
    points = []
    for point in question.talking_points:
        ev = spans.get(point) if point in covered else None
        span = {"text": ev.text, "start": ev.start, "end": ev.end} if ev is not None else None
        points.append({"text": point, "covered": point in covered, "evidence": span, "nearest": None})
    return points


def _audio(attempt: Attempt) -> dict[str, str] | None:
    path = attempt.audio_path
    if path is None or path.suffix.lower() not in _AUDIO_FORMATS:
        return None
    try:
        if path.stat().st_size > MAX_AUDIO_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return {"format": _AUDIO_FORMATS[path.suffix.lower()], "base64": base64.b64encode(data).decode("ascii")}


def build_bundle(
    practice_set: PracticeSet,
    attempts: Sequence[Attempt],
    student: Mapping[str, str | None],
    *,
    with_audio: bool = False,
    exported_at: datetime | None = None,
) -> Bundle:
    """The bundle of `attempts` at `practice_set`, validated by the same models an advisor reads with.

    Attempts at questions the set no longer has keep their stored verdicts with criterion ids as
    names. Recordings are included only `with_audio`, and only WAV or FLAC files within the bound.
    """
    summary = set_summary(practice_set)
    by_id = {q.id: q for q in practice_set.questions}
    items = []
    for attempt in attempts:
        score = attempt.score
        question = by_id.get(attempt.question_id)
        rubric = practice_set.rubric_for(question) if question is not None else None
        names = {c.id: c.name for c in rubric.criteria} if rubric is not None else {}
        criteria = []
        points: list[dict[str, Any]] = []
        if score is not None and not score.no_answer:
            for cid, result in score.criteria.items():
                criteria.append(
                    {
                        "id": cid,
                        "name": names.get(cid, cid),
                        "score": result.score,
                        "passed": result.passed,
                        "advice": result.feedback[:MAX_TEXT_CHARS],
                        "evidence": [
                            {"text": ev.text, "start": ev.start, "end": ev.end}
                            for ev in unique_evidence(result.evidence)
                        ],
                    }
                )
            if question is not None and rubric is not None:
                points = talking_points_of(score, question, rubric)
        items.append(
            {
                "uid": attempt.uid,
                "question_id": attempt.question_id,
                "created_at": attempt.created_at,
                "set_version": attempt.set_version,
                "overall": None if attempt.pending or attempt.no_answer else attempt.overall,
                "no_answer": attempt.no_answer,
                "duration_s": attempt.duration_s,
                "transcript": (score.answer if score is not None else "")[:MAX_TRANSCRIPT_CHARS],
                "criteria": criteria,
                "talking_points": points,
                "audio": _audio(attempt) if with_audio else None,
            }
        )
    moment = (exported_at or datetime.now(UTC)).astimezone(UTC)
    return Bundle.model_validate(
        {
            "format": BUNDLE_FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "app_version": __version__,
            "student": dict(student),
            "set": summary,
            "attempts": items,
        }
    )


def bundle_json(bundle: Bundle) -> str:
    """The bundle as the file holds it (audio's extra keys kept; nothing left out)."""
    return json.dumps(bundle.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n"
