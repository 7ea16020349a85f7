"""Reading a student's submission bundle on the advisor's side: the format's models and its limits.

A bundle (`interviewcoach-bundle`, format version 1) is a JSON file a student exports and emails to
an advisor: who they are, the set they practised and every attempt on it. On the advisor's machine it
is untrusted data from someone else: it is size-checked before it is read, parsed as JSON only,
validated by strict models (no unknown keys except inside "audio"), bounded in counts and lengths,
and every problem becomes one plain line naming the file. Its text is stored as it was sent and made
inert where it is shown (safetext for terminals, escaping in HTML, plain Text in the TUI).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from interviewcoach.core.errors import UserError
from interviewcoach.core.safetext import escape

FORMAT = "interviewcoach-bundle"
FORMAT_VERSION = 1
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
MAX_ATTEMPTS = 10_000
MAX_QUESTIONS = 200
MAX_TRANSCRIPT_CHARS = 200_000
MAX_TEXT_CHARS = 20_000
MAX_NAME_CHARS = 200
MAX_ITEMS = 200

Name = Annotated[str, StringConstraints(max_length=MAX_NAME_CHARS)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_CHARS)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]
Date = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Stamp = Annotated[str, StringConstraints(min_length=10, max_length=40, pattern=r"^\d{4}-\d{2}-\d{2}")]
Uid = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Student(_Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_CHARS)]
    email: Name | None = None
    cohort: Name | None = None


class CriterionRef(_Strict):
    id: Id
    name: Name


class RubricRef(_Strict):
    id: Id
    name: Name
    criteria: list[CriterionRef] = Field(max_length=MAX_ITEMS)


class SetQuestion(_Strict):
    id: Id
    text: Text
    category: Name
    follow_ups: list[Text] = Field(max_length=MAX_ITEMS)
    talking_points: list[Text] = Field(max_length=MAX_ITEMS)
    required_attempts: int = Field(ge=0, le=1000)
    rubric: RubricRef


class SetInfo(_Strict):
    id: Id
    version: int = Field(ge=0)
    title: Text
    author: Name
    instructions: Text
    due: Date | None = None
    questions: list[SetQuestion] = Field(max_length=MAX_QUESTIONS)


class Span(_Strict):
    text: Text
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class CriterionVerdict(_Strict):
    id: Id
    name: Name
    score: float = Field(ge=0.0, le=1.0)
    passed: bool
    advice: Text
    evidence: list[Span] = Field(max_length=MAX_ITEMS)


class PointVerdict(_Strict):
    text: Text
    covered: bool
    evidence: Span | None = None
    nearest: Span | None = None


class Audio(BaseModel):
    # The one place the format allows extra keys (an exporter may add a sample rate or duration).
    model_config = ConfigDict(extra="allow", frozen=True)

    format: Literal["wav", "flac"]
    base64: str


class AttemptRecord(_Strict):
    uid: Uid
    question_id: Id
    created_at: Stamp
    set_version: int | None = None
    overall: int | None = Field(default=None, ge=0, le=100)
    no_answer: bool
    duration_s: float | None = Field(default=None, ge=0)
    transcript: Annotated[str, StringConstraints(max_length=MAX_TRANSCRIPT_CHARS)]
    criteria: list[CriterionVerdict] = Field(max_length=MAX_ITEMS)
    talking_points: list[PointVerdict] = Field(max_length=MAX_ITEMS)
    audio: Audio | None = None


class Bundle(_Strict):
    format: Literal["interviewcoach-bundle"]
    format_version: Literal[1]
    exported_at: Stamp
    app_version: Name
    student: Student
    set: SetInfo
    attempts: list[AttemptRecord] = Field(max_length=MAX_ATTEMPTS)

    @model_validator(mode="after")
    def _unique_uids(self) -> Bundle:
        seen: set[str] = set()
        for attempt in self.attempts:
            if attempt.uid in seen:
                raise ValueError(f"attempt uid {attempt.uid} appears twice")
            seen.add(attempt.uid)
        return self


class BundleError(UserError):
    """A bundle that cannot be imported, in one line that names the file."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(escape(f"{path}: {reason}", keep_newlines=False))


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"])
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    elif error["type"] == "missing":
        message = "missing"
    more = len(exc.errors()) - 1
    extra = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
    return f"{where}: {message}{extra}" if where else f"{message}{extra}"


def parse_bundle(data: bytes, path: Path | str = "<bundle>") -> Bundle:
    """A bundle from its bytes, or BundleError saying in one line what is wrong."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError(path, f"too large ({len(data) // (1024 * 1024)} MiB; the limit is 64 MiB)")
    try:
        # pydantic parses and validates in one pass (several times faster than json.loads first);
        # its parser refuses nesting deeper than the format's long before any stack is at risk.
        return Bundle.model_validate_json(data)
    except ValidationError as exc:
        first = exc
    # Only for a bad file: read it again to say what is wrong in the terms a person would use.
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleError(path, "not a bundle: not UTF-8 text") from None
    except RecursionError:
        raise BundleError(path, "not a bundle: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise BundleError(path, f"not a bundle: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(raw, dict):
        raise BundleError(path, "not a bundle: expected a JSON object")
    tag = raw.get("format")
    if tag != FORMAT:
        shown = repr(tag)[:60] if tag is not None else "none"
        raise BundleError(path, f"not an interviewcoach bundle (format {shown}, expected {FORMAT!r})")
    version = raw.get("format_version")
    if version != FORMAT_VERSION:
        raise BundleError(
            path,
            f"bundle format version {str(version)[:20]} is not supported (this interviewcoach reads "
            f"version {FORMAT_VERSION}); update interviewcoach",
        )
    if any(error["type"] == "recursion_loop" or "recursion" in str(error["msg"]) for error in first.errors()):
        raise BundleError(path, "not a bundle: nested too deeply")
    raise BundleError(path, _first_problem(first))


def read_bundle(path: Path) -> Bundle:
    """Read and validate one bundle file (its size is checked before a byte is read)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise BundleError(path, "not a file")
        if size > MAX_BUNDLE_BYTES:
            raise BundleError(path, f"too large ({size // (1024 * 1024)} MiB; the limit is 64 MiB)")
        with path.open("rb") as handle:
            # Read one byte past the limit: a file that grew since stat() is still refused.
            data = handle.read(MAX_BUNDLE_BYTES + 1)
    except FileNotFoundError:
        raise BundleError(path, "no such file") from None
    except IsADirectoryError:
        raise BundleError(path, "not a file") from None
    except OSError as exc:
        raise BundleError(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    return parse_bundle(data, path)
