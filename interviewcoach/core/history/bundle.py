"""The two files of the advisor round trip, defined once: the student's bundle and the advisor's comments.

A bundle (`export --format bundle`) is what a student sends an advisor: who they are, the set they
practised (its version, instructions, questions and rubric criteria) and every attempt at it with
the transcript, verdicts, evidence, talking points and, only if the student chose, the recording.
A comments file (`cohort comments`) is what comes back: the advisor's comments on attempts, named by
attempt uid, and their talking-point overrides.

The models here are the format: the student's side builds each file through them and the reading
side (`cohort import`, `comments import`) validates with them, so what one writes the other reads.
Each file is untrusted where it is read: its size is checked before a byte is read, it is parsed as
JSON only, unknown keys are refused (except inside "audio" and beside the comments file's student
name), every count and length is bounded, and any problem is one plain line naming the file.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from interviewcoach import __version__
from interviewcoach.core.content.sets import set_summary
from interviewcoach.core.errors import UserError
from interviewcoach.core.safetext import escape
from interviewcoach.core.scoring.detectors.talking_points import talking_points_json, talking_points_report
from interviewcoach.core.wording import counted

if TYPE_CHECKING:
    from interviewcoach.core.content.sets import PracticeSet
    from interviewcoach.core.models import Evidence, Question, Score
    from interviewcoach.core.records import Attempt
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
# A set file holds at most 200 questions (sets.MAX_QUESTIONS); rubrics have at most 30 criteria.
MAX_QUESTIONS = 200
MAX_CRITERIA = 100
MAX_POINTS = 50
MAX_FOLLOW_UPS = 50
# Quotes per criterion: each quote is kept once, and a verdict needs a handful, not thousands.
MAX_EVIDENCE = 200
# A quote is a stretch of one answer; a typed answer is at most 20,000 characters.
MAX_QUOTE_CHARS = 20_000
MAX_COMMENTS_BYTES = 8 * 1024 * 1024
MAX_COMMENTS = 10_000
# What an advisor may write in one comment (the cohort refuses longer ones as they are typed).
MAX_COMMENT_CHARS = 5_000
MAX_NAME_CHARS = 200
# Set files cap instructions and descriptions at 4,000 characters, question text at 1,000.
MAX_TEXT_CHARS = 4_000

Uid = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
Id = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
Short = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
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


# ---------------------------------------------------------------------------------------------------
# The bundle (student -> advisor)


class Student(_Strict):
    name: Name
    email: Short | None = None
    cohort: Short | None = None


class CriterionName(_Strict):
    id: Id
    name: Short


class BundleRubric(_Strict):
    id: Id
    name: Short
    criteria: Annotated[list[CriterionName], Field(max_length=MAX_CRITERIA)]


class BundleQuestion(_Strict):
    id: Id
    text: Text
    category: Short
    follow_ups: Annotated[list[Text], Field(max_length=MAX_FOLLOW_UPS)]
    talking_points: Annotated[list[Text], Field(max_length=MAX_POINTS)]
    required_attempts: Annotated[int, Field(ge=0, le=1000)]
    rubric: BundleRubric


class BundleSet(_Strict):
    id: Id
    version: Annotated[int, Field(ge=1)]
    title: Short
    author: Short
    instructions: Text
    due: Day | None = None
    questions: Annotated[list[BundleQuestion], Field(max_length=MAX_QUESTIONS)]


class Span(_Strict):
    """A quote from the transcript, by character offsets into it."""

    text: Annotated[str, Field(max_length=MAX_QUOTE_CHARS)]
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]


class BundleCriterion(_Strict):
    id: Id
    name: Short
    score: Annotated[float, Field(ge=0.0, le=1.0)]
    passed: bool
    advice: Text
    evidence: Annotated[list[Span], Field(max_length=MAX_EVIDENCE)]


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
    question_id: Id
    created_at: Stamp
    set_version: int | None = None
    overall: Annotated[int, Field(ge=0, le=100)] | None = None
    no_answer: bool
    duration_s: Annotated[float, Field(ge=0.0)] | None = None
    transcript: Annotated[str, Field(max_length=MAX_TRANSCRIPT_CHARS)]
    criteria: Annotated[list[BundleCriterion], Field(max_length=MAX_CRITERIA)]
    talking_points: Annotated[list[BundleTalkingPoint], Field(max_length=MAX_POINTS)]
    audio: Audio | None = None


class Bundle(_Strict):
    format: Literal["interviewcoach-bundle"]
    format_version: Literal[1]
    exported_at: Stamp
    app_version: Short
    student: Student
    set: BundleSet
    attempts: Annotated[list[BundleAttempt], Field(max_length=MAX_ATTEMPTS)]

    @model_validator(mode="after")
    def _unique_uids(self) -> Bundle:
        # The advisor's cohort keys attempts by uid: two attempts under one uid would be one.
        seen: set[str] = set()
        for attempt in self.attempts:
            if attempt.uid in seen:
                raise ValueError(f"attempt uid {attempt.uid} appears twice")
            seen.add(attempt.uid)
        return self


# ---------------------------------------------------------------------------------------------------
# The comments file (advisor -> student)


class CommentsStudent(BaseModel):
    """The student the comments are for; more keys (email, cohort) may come along."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: Name
    email: Short | None = None
    cohort: Short | None = None


class Comment(_Strict):
    attempt_uid: Uid
    created_at: Stamp
    text: Annotated[str, Field(min_length=1, max_length=MAX_COMMENT_CHARS)]


class Override(_Strict):
    attempt_uid: Uid
    point: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
    covered: bool


class CommentsFile(_Strict):
    format: Literal["interviewcoach-comments"]
    format_version: Literal[1]
    set_id: Id
    student: CommentsStudent
    author: Name
    exported_at: Stamp
    comments: Annotated[list[Comment], Field(max_length=MAX_COMMENTS)]
    overrides: Annotated[list[Override], Field(max_length=MAX_COMMENTS)]


# ---------------------------------------------------------------------------------------------------
# Reading either file


class BundleError(UserError):
    """A bundle or comments file that cannot be read, in one line that names the file."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(escape(f"{path}: {reason}", keep_newlines=False))


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class _Kind:
    """What tells the two files apart when reading them: their name in messages, tag and size limit."""

    what: str
    tag: str
    max_bytes: int


_BUNDLE = _Kind("bundle", BUNDLE_FORMAT, MAX_BUNDLE_BYTES)
_COMMENTS = _Kind("comments file", COMMENTS_FORMAT, MAX_COMMENTS_BYTES)


def _too_large(kind: _Kind, size: int) -> str:
    return f"too large ({size:,} bytes; a {kind.what} is at most {kind.max_bytes // (1024 * 1024)} MiB)"


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"])
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    elif error["type"] == "missing":
        message = "missing"
    more = exc.error_count() - 1
    extra = f" (and {counted(more, 'more problem')})" if more else ""
    return f"{where}: {message}{extra}" if where else f"{message}{extra}"


def _parse(kind: _Kind, model: type[M], data: bytes, path: Path | str) -> M:
    if len(data) > kind.max_bytes:
        raise BundleError(path, _too_large(kind, len(data)))
    try:
        # pydantic parses and validates in one pass (several times faster than json.loads first);
        # its parser refuses nesting deeper than the format's long before any stack is at risk.
        return model.model_validate_json(data)
    except ValidationError as exc:
        first = exc
    # Only for a bad file: read it again to say what is wrong in the terms a person would use.
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleError(path, f"not a {kind.what}: not UTF-8 text") from None
    except RecursionError:
        raise BundleError(path, f"not a {kind.what}: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise BundleError(
            path, f"not a {kind.what}: not valid JSON ({exc.msg} at line {exc.lineno})"
        ) from None
    if not isinstance(raw, dict):
        raise BundleError(path, f"not an interviewcoach {kind.what}: expected a JSON object")
    tag = raw.get("format")
    if tag != kind.tag:
        shown = repr(tag)[:60] if tag is not None else "none"
        raise BundleError(path, f"not an interviewcoach {kind.what} (format {shown}, expected {kind.tag!r})")
    version = raw.get("format_version")
    if version != FORMAT_VERSION:
        raise BundleError(
            path,
            f"{kind.what} format version {str(version)[:20]} is not supported (this interviewcoach reads "
            f"version {FORMAT_VERSION}); update interviewcoach",
        )
    if any(error["type"] == "recursion_loop" or "recursion" in str(error["msg"]) for error in first.errors()):
        raise BundleError(path, f"not a {kind.what}: nested too deeply")
    raise BundleError(path, _first_problem(first))


def _read(kind: _Kind, path: Path) -> bytes:
    """The file's bytes, its size checked before a byte is read."""
    try:
        if not path.is_file():
            raise BundleError(path, "not a file" if path.exists() else "no such file")
        size = path.stat().st_size
        if size > kind.max_bytes:
            raise BundleError(path, _too_large(kind, size))
        with path.open("rb") as handle:
            # Read one byte past the limit: a file that grew since stat() is still refused.
            return handle.read(kind.max_bytes + 1)
    except FileNotFoundError:
        raise BundleError(path, "no such file") from None
    except IsADirectoryError:
        raise BundleError(path, "not a file") from None
    except OSError as exc:
        raise BundleError(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None


def parse_bundle(data: bytes, path: Path | str = "<bundle>") -> Bundle:
    """A bundle from its bytes, or BundleError saying in one line what is wrong."""
    return _parse(_BUNDLE, Bundle, data, path)


def read_bundle(path: Path) -> Bundle:
    """Read and validate one bundle file; BundleError (one line) when it is not one."""
    return parse_bundle(_read(_BUNDLE, path), path)


def parse_comments(data: bytes, path: Path | str = "<comments>") -> CommentsFile:
    """A comments file from its bytes, or BundleError saying in one line what is wrong."""
    return _parse(_COMMENTS, CommentsFile, data, path)


def read_comments(path: Path) -> CommentsFile:
    """Read and validate one comments file; BundleError (one line) when it is not one."""
    return parse_comments(_read(_COMMENTS, path), path)


# ---------------------------------------------------------------------------------------------------
# Writing a bundle (the student's side)

# A recording larger than this is left out (its base64 would pass MAX_AUDIO_BASE64_CHARS).
MAX_AUDIO_BYTES = MAX_AUDIO_BASE64_CHARS // 4 * 3
_AUDIO_FORMATS: dict[str, Literal["wav", "flac"]] = {".wav": "wav", ".flac": "flac"}


def unique_evidence(evidence: Iterable[Evidence]) -> list[Evidence]:
    """Evidence spans in order, each span once (two labels on one quote are one piece of evidence)."""
    seen: set[tuple[int, int, str]] = set()
    out = []
    for ev in sorted(evidence, key=lambda e: (e.start, e.end)):
        key = (ev.start, ev.end, ev.text)
        # A quote longer than the format allows is a whole answer, not a quote: it says nothing.
        if key not in seen and len(ev.text) <= MAX_QUOTE_CHARS:
            seen.add(key)
            out.append(ev)
    return out


def _span(ev: Evidence) -> dict[str, Any]:
    return {"text": ev.text, "start": ev.start, "end": ev.end}


def talking_points_of(score: Score, question: Question, rubric: Rubric) -> list[dict[str, Any]]:
    """Per talking point: covered or not, and the words that covered it (from the coach's verdict)."""
    report = talking_points_report(score, question, rubric)
    if report is None:
        return []
    result = score.criteria.get(report.criterion_id)
    spans = {ev.label: ev for ev in (result.evidence if result is not None else [])}
    covered = {point for point, _ in report.covered}
    # A missed point's nearest sentence is not stored with the verdict: it is read again from the
    # answer (the stored verdict still decides what is covered, so an export never changes a score).
    nearest: dict[str, Any] = {}
    if report.missed:
        nearest = {str(p["text"]): p["nearest"] for p in talking_points_json(score, question, rubric)}
    points = []
    for point in question.talking_points:
        ev = spans.get(point) if point in covered else None
        span = _span(ev) if ev is not None and len(ev.text) <= MAX_QUOTE_CHARS else None
        near = None if point in covered else nearest.get(point)
        if near is not None and len(str(near["text"])) > MAX_QUOTE_CHARS:
            near = None
        points.append({"text": point, "covered": point in covered, "evidence": span, "nearest": near})
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
                        "evidence": [_span(ev) for ev in unique_evidence(result.evidence)][:MAX_EVIDENCE],
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
