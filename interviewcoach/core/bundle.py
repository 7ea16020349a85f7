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

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interviewcoach.core.errors import UserError
from interviewcoach.core.safetext import escape

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
