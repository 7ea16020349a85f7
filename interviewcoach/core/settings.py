"""The user's saved preferences (`settings.json` in the data directory, readable by the user only)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from interviewcoach.core.datafiles import json_syntax_error
from interviewcoach.core.errors import DataFileError, FileProblem, UserError
from interviewcoach.core.paths import data_dir as resolve_data_dir
from interviewcoach.core.safetext import clean

FILENAME = "settings.json"
MAX_PROFILE_CHARS = 200


def _profile_text(value: str | None) -> str | None:
    """A profile field: trimmed, one line, no control characters; blank means not set."""
    if value is None:
        return None
    if clean(value) != value or "\n" in value or "\t" in value:
        raise ValueError("must not contain control characters or line breaks")
    value = value.strip()
    return value or None


# A real interviewer leaves a moment to think after asking; the student can start at once.
DEFAULT_THINK_SECONDS = 15


class Settings(BaseModel):
    """Preferences that persist between sessions; every field has a default, so a missing file is fine."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # The input device: a PortAudio index or (part of) a device name; None means the system default.
    device: str | int | None = None
    # Keep each answer's WAV after scoring (the history can then replay it).
    keep_audio: bool = True
    # Speak the question aloud before recording, as an interviewer would.
    read_aloud: bool = True
    # Show a rough transcript while recording.
    live_transcript: bool = False
    # The Whisper model the app transcribes with: "tiny.en" (bundled), "base" (once its packages are
    # installed) or a model folder; None means tiny.en. `--model` overrides it for one run.
    model: str | None = Field(default=None, max_length=4096)
    # Seconds to think before recording starts (0: start at once); Space always starts sooner.
    think_seconds: int = Field(default=DEFAULT_THINK_SECONDS, ge=0, le=600)
    # The student profile, carried in every export and bundle so an advisor knows whose answers
    # these are; None until `interviewcoach profile --name` (or the Settings screen) sets it.
    student_name: str | None = Field(default=None, max_length=MAX_PROFILE_CHARS)
    student_email: str | None = Field(default=None, max_length=MAX_PROFILE_CHARS)
    student_cohort: str | None = Field(default=None, max_length=MAX_PROFILE_CHARS)

    _profile = field_validator("student_name", "student_email", "student_cohort")(_profile_text)
    _model = field_validator("model")(_profile_text)


def settings_path(data_dir: Path | str | None = None) -> Path:
    return resolve_data_dir(data_dir) / FILENAME


def load_settings(data_dir: Path | str | None = None) -> Settings:
    """The saved settings, or the defaults when none are saved yet.

    A file that is not valid JSON, or holds an unknown or invalid setting, raises DataFileError naming
    the file, the line (for JSON syntax errors) and the setting.
    """
    path = settings_path(data_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, [FileProblem(path, None, "", f"cannot read: {exc}")]) from None
    try:
        raw: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        line, column, what = json_syntax_error(text, exc)
        raise DataFileError(
            path, [FileProblem(path, line, "", f"not valid JSON: {what} (column {column})")]
        ) from None
    if not isinstance(raw, dict):
        raise DataFileError(path, [FileProblem(path, 1, "", "must be a JSON object of settings")])
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        problems = [
            FileProblem(
                path,
                _line_of(text, str(error["loc"][0])) if error["loc"] else None,
                ".".join(str(part) for part in error["loc"]),
                "unknown setting" if error["type"] == "extra_forbidden" else error["msg"],
            )
            for error in exc.errors()
        ]
        raise DataFileError(path, problems) from None


def _line_of(text: str, key: str) -> int | None:
    needle = json.dumps(key) + ":"
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line.replace('" :', '":'):
            return number
    return None


def save_settings(settings: Settings, data_dir: Path | str | None = None) -> Path:
    """Write the settings atomically (a crash leaves the old file or the new one), mode 0600."""
    path = settings_path(data_dir)
    tmp = path.with_name(f".{FILENAME}.{os.getpid()}.tmp")
    payload = json.dumps(settings.model_dump(mode="json"), indent=2) + "\n"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, payload.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        # A full disk or a read-only folder: one line, and the old settings file is untouched.
        why = {errno.ENOSPC: "the disk is full", errno.EROFS: "read-only file system"}.get(
            exc.errno or 0, exc.strerror or type(exc).__name__
        )
        raise UserError(f"{path}: settings not saved ({why}); the previous settings are kept") from None
    return path


def update_settings(data_dir: Path | str | None = None, **changes: Any) -> Settings:
    """Load, change the given fields (validated), save, and return the new settings."""
    current = load_settings(data_dir)
    try:
        updated = Settings.model_validate({**current.model_dump(), **changes})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise UserError(f"setting {field}: {first['msg']}") from None
    save_settings(updated, data_dir)
    return updated


def student_profile(settings: Settings) -> dict[str, str | None]:
    """The student as exports and bundles name them: `{"name", "email", "cohort"}`."""
    return {"name": settings.student_name, "email": settings.student_email, "cohort": settings.student_cohort}


def set_profile(
    data_dir: Path | str | None = None,
    *,
    name: str | None = None,
    email: str | None = None,
    cohort: str | None = None,
) -> Settings:
    """Set the student's name (required, non-blank) and, when given, email and cohort ("" clears them)."""
    changes: dict[str, str | None] = {}
    if name is not None:
        if not name.strip():
            raise UserError("the name must not be empty")
        changes["student_name"] = name
    if email is not None:
        changes["student_email"] = email
    if cohort is not None:
        changes["student_cohort"] = cohort
    try:
        return update_settings(data_dir, **changes)
    except UserError as exc:
        # "setting student_name: Value error, must not ..." reads better as the option's name.
        message = str(exc).replace("setting student_", "--").replace("Value error, ", "")
        raise UserError(message) from None
