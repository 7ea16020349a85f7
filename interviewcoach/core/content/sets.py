"""Advisor question sets: the set file format, its loader and checks, and import/list/remove.

A set file comes from someone else (a faculty mentor, a school's career office), so it is untrusted
data: it is parsed as TOML and validated, never executed; patterns in its rubrics are word lists or
token patterns (patterns.py refuses regular expressions); it has size and count limits; and any
rubric file it names must sit beside it. Every problem is reported as `FILE:LINE: field: problem`.

    [set]
    id = "ir-low-score"                  # optional: defaults to the file name
    title = "..."
    author = "..."
    description = "..."
    instructions = "..."                 # optional: shown before the first question
    rubrics = ["advisor-ir.toml"]        # optional: custom rubric files beside this file
    due = "2026-12-20"                   # optional: when the advisor wants the answers back
    required_attempts = 2                # optional: attempts wanted per question (default 1)
    version = 3                          # optional: the set's version (see "Versions" below)

    [[questions]]
    ref = "low-score"                    # a bank question, with optional overrides
    talking_points = ["Step 2 CK improvement"]

    [[questions]]
    id = "dr-backup"                     # a new question
    text = "..."
    category = "pathway"
    rubric = "advisor-ir"

Overrides on either kind: `target_seconds = [min, max]`, `think_seconds`, `follow_ups`, `tips`,
`talking_points`, `rubric` and `required_attempts`. A new question whose id is also in the bank
replaces it within the set (`PracticeSet.bank`). A question with talking points is scored with its
rubric plus a `talking_points` criterion (see `with_talking_points`), unless its rubric already has one.

A set travels as one file, a pack (`.icset`, see `write_pack`): a JSON document holding the set
file's text and the text of each rubric file it names, checked exactly like the folder it came from.

Versions. Every attempt saved on a set keeps the set's version, so an advisor can tell answers to
the old wording from answers to the new. The rules:
- a set file is version `[set] version`, or 1 when it does not say;
- `sets pack` writes `--version N`, else the file's own `version`, else: 1 for a new pack, the same
  version when the pack it overwrites holds the same content, the next one when the content changed;
- `sets import` keeps the incoming version for a new set; importing the same content again keeps
  the imported version; a changed set of the same id gets `max(imported + 1, incoming)`: a version
  never goes back, so two different contents never share a number on one machine.
"Same content" is the text of the set file and its rubric files (a BOM and CRLF line ends aside).
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from interviewcoach import __version__
from interviewcoach.core.content.questions import QuestionBank, load_bank
from interviewcoach.core.datafiles import (
    MAX_FILE_BYTES,
    LineIndex,
    format_loc,
    problems_from_validation,
    read_toml,
)
from interviewcoach.core.errors import DataFileError, FileProblem, UserError
from interviewcoach.core.models import ID_PATTERN, Category, Question
from interviewcoach.core.paths import data_dir as resolve_data_dir
from interviewcoach.core.paths import ensure_private_dir, shipped_dir
from interviewcoach.core.safetext import escape
from interviewcoach.core.scoring.detectors.talking_points import DETECTOR as TALKING_POINTS
from interviewcoach.core.scoring.detectors.talking_points import TalkingPointsParams, has_criterion
from interviewcoach.core.scoring.rubrics import Criterion, Rubric, RubricSet, load_rubric, load_rubrics
from interviewcoach.core.wording import counted

MAX_QUESTIONS = 200
MAX_RUBRIC_FILES = 10
MAX_TALKING_POINT_CHARS = 200
MAX_REQUIRED_ATTEMPTS = 50
MAX_VERSION = 1_000_000
DEFAULT_TARGET_SECONDS = (30, 90)
# Where imported sets live, under the data directory: sets/<id>/set.toml plus its rubric files.
SETS_FOLDER = "sets"
SET_FILE = "set.toml"
# Beside an imported set: its version and the digest of its content ({"version": N, "digest": hex}).
VERSION_FILE = "version.json"
# Example sets shipped with the app, usable by id without importing.
SHIPPED_SETS = "sets"
# Derived rubric ids are valid ids (a Question holding one validates); custom rubric files may not
# use the suffix, so a derived id never clashes with a file's.
DERIVED_SUFFIX = "--talking-points"
TALKING_POINTS_WEIGHT = 2.0

_ID = re.compile(ID_PATTERN)
_RUBRIC_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,94}\.toml$")


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class SetInfo(BaseModel):
    """The `[set]` table: who wrote the set and what it is for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(default=None, pattern=ID_PATTERN)
    title: str = Field(max_length=200)
    author: str = Field(max_length=200)
    description: str = Field(default="", max_length=4000)
    instructions: str = Field(default="", max_length=4000)
    rubrics: list[str] = Field(default_factory=list)
    due: date | None = None
    required_attempts: int = Field(default=1, ge=1, le=MAX_REQUIRED_ATTEMPTS)
    version: int | None = Field(default=None, ge=1, le=MAX_VERSION)

    _blank = field_validator("title", "author")(_non_blank)


class SetQuestion(BaseModel):
    """One `[[questions]]` entry: `ref` to a bank question, or a new question; both take overrides."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ref: str | None = Field(default=None, pattern=ID_PATTERN)
    id: str | None = Field(default=None, pattern=ID_PATTERN)
    text: str | None = Field(default=None, max_length=1000)
    category: Category | None = None
    rubric: str | None = Field(default=None, pattern=ID_PATTERN)
    target_seconds: tuple[int, int] | None = None
    think_seconds: int | None = Field(default=None, ge=0, le=600)
    follow_ups: list[str] | None = Field(default=None, max_length=20)
    tips: list[str] | None = Field(default=None, max_length=10)
    talking_points: list[str] | None = Field(default=None, max_length=30)
    required_attempts: int | None = Field(default=None, ge=1, le=MAX_REQUIRED_ATTEMPTS)

    @field_validator("text")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return None if value is None else _non_blank(value)

    @field_validator("follow_ups", "tips", "talking_points")
    @classmethod
    def _items(cls, items: list[str] | None) -> list[str] | None:
        return None if items is None else [_non_blank(item) for item in items]

    @field_validator("talking_points")
    @classmethod
    def _points(cls, items: list[str] | None) -> list[str] | None:
        for item in items or []:
            if len(item) > MAX_TALKING_POINT_CHARS:
                raise ValueError(f"a talking point is at most {MAX_TALKING_POINT_CHARS} characters")
        return items

    @field_validator("target_seconds")
    @classmethod
    def _range(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None and not 5 <= value[0] < value[1] <= 900:
            raise ValueError("must be [min, max] seconds with 5 <= min < max <= 900")
        return value

    def overrides(self) -> dict[str, Any]:
        keys = ("rubric", "target_seconds", "think_seconds", "follow_ups", "tips", "talking_points")
        return {key: getattr(self, key) for key in keys if getattr(self, key) is not None}


class SetFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    set: SetInfo
    questions: list[SetQuestion] = Field(min_length=1)


@dataclass(frozen=True)
class PracticeSet:
    """A loaded set, ready to practise: its questions in order, resolved, with the rubrics they need."""

    id: str
    title: str
    author: str
    description: str
    instructions: str
    questions: tuple[Question, ...]
    # Shipped rubrics, the set's custom rubrics and any derived talking-points rubrics.
    rubrics: RubricSet
    path: Path
    bank_refs: int = 0
    custom_rubric_ids: tuple[str, ...] = ()
    # The custom rubric files, by name, beside `path`.
    rubric_files: tuple[str, ...] = ()
    # See "Versions" in the module docstring; attempts saved on the set keep it.
    version: int = 1
    due: date | None = None
    # Attempts the advisor wants per question id (1 unless the set says otherwise).
    required_attempts: Mapping[str, int] = field(default_factory=dict)
    # sha256 of the set's content (see `content_digest`).
    digest: str = ""
    # Whether `version` came from the file (or pack) rather than the default.
    version_declared: bool = False
    # Control characters removed from the set's text at load, FILE:LINE each (see datafiles).
    warnings: tuple[FileProblem, ...] = ()

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        close = difflib.get_close_matches(question_id, [q.id for q in self.questions], n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UserError(f"set {self.id!r} has no question {question_id!r}{hint}")

    def rubric_for(self, question: Question) -> Rubric:
        return self.rubrics.get(question.rubric)

    def attempts_wanted(self, question_id: str) -> int:
        return self.required_attempts.get(question_id, 1)

    def bank(self, base: QuestionBank) -> QuestionBank:
        """`base` plus this set's questions (a set's version of a bank question wins)."""
        return base.with_questions(self.questions)

    @property
    def talking_point_count(self) -> int:
        return sum(len(q.talking_points) for q in self.questions)

    def summary(self) -> str:
        """One line: id, title, author and counts."""
        new = len(self) - self.bank_refs
        custom = len(self.custom_rubric_ids)
        return (
            f"set {self.id!r} ({self.title}) by {self.author}: {counted(len(self), 'question')} "
            f"({self.bank_refs} from the bank, {new} new), {counted(custom, 'custom rubric')}, "
            f"{counted(self.talking_point_count, 'talking point')}"
        )


def set_summary(practice_set: PracticeSet) -> dict[str, Any]:
    """The set as a student's bundle carries it (the bundle format's "set" object), JSON-ready.

    Each question's rubric is the one it is scored with (with the talking-points criterion when
    the question has talking points), so its criteria match the attempts' criteria.
    """
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
                "required_attempts": practice_set.attempts_wanted(question.id),
                "rubric": {
                    "id": rubric.id,
                    "name": rubric.rubric.title,
                    "criteria": [{"id": c.id, "name": c.name} for c in rubric.criteria],
                },
            }
        )
    return {
        "id": practice_set.id,
        "version": practice_set.version,
        "title": practice_set.title,
        "author": practice_set.author,
        "instructions": practice_set.instructions,
        "due": practice_set.due.isoformat() if practice_set.due is not None else None,
        "questions": questions,
    }


class UnknownSetError(UserError):
    """A set id that is neither imported nor shipped, with the closest ids to suggest."""

    def __init__(self, set_id: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"no imported set {set_id!r}{hint} (`interviewcoach sets list` shows them; "
            "or give a set file ending in .toml or .icset)"
        )


# --- talking points -------------------------------------------------------------------------------


def talking_points_criterion(weight: float = TALKING_POINTS_WEIGHT) -> Criterion:
    """The criterion added to a question's rubric when the question has talking points."""
    params = TalkingPointsParams()
    return Criterion(
        id="talking_points",
        name="Talking points",
        detector=TALKING_POINTS,
        weight=weight,
        description="Covers the points the advisor wants to hear, in the student's own words.",
        parsed=params,
    )


def derived_id(base_id: str) -> str:
    return base_id[: 64 - len(DERIVED_SUFFIX)] + DERIVED_SUFFIX


def base_rubric_id(rubric_id: str, rubrics: RubricSet) -> str:
    """The rubric a derived talking-points rubric was made from (or `rubric_id` itself)."""
    base = rubric_id.removesuffix(DERIVED_SUFFIX)
    return base if base != rubric_id and base in rubrics else rubric_id


def rubric_label(rubric_id: str) -> str:
    """A rubric id as a reader sees it: a derived rubric is named as its base plus the set's points.

    "behavioural--talking-points" is an internal id; history and reports say
    "behavioural + talking points".
    """
    base = rubric_id.removesuffix(DERIVED_SUFFIX)
    return f"{base} + talking points" if base and base != rubric_id else rubric_id


def derive_rubric(base: Rubric) -> Rubric:
    """`base` plus a talking-points criterion, as a new rubric; `base` itself is left untouched."""
    criterion = talking_points_criterion()
    taken = {c.id for c in base.criteria}
    if criterion.id in taken:
        criterion = criterion.model_copy(update={"id": "advisor_talking_points"})
    info = base.rubric.model_copy(
        update={"id": derived_id(base.id), "title": f"{base.rubric.title} + talking points"}
    )
    return base.model_copy(update={"rubric": info, "criteria": [*base.criteria, criterion]})


def with_talking_points(
    questions: Iterable[Question], rubrics: RubricSet
) -> tuple[list[Question], RubricSet]:
    """Point each question that has talking points at a rubric that scores them.

    A question whose rubric already has a talking-points criterion keeps it; otherwise it gets the
    derived rubric `<rubric>--talking-points` (its rubric plus the criterion). A question without
    talking points goes back to its base rubric. Idempotent: safe to apply to a bank already treated.
    """
    extra: dict[str, Rubric] = {}
    out = []
    for question in questions:
        base_id = base_rubric_id(question.rubric, rubrics)
        if base_id not in rubrics:
            out.append(question)
            continue
        base = rubrics.get(base_id)
        wanted = base_id
        if question.talking_points and not has_criterion(base):
            wanted = derived_id(base_id)
            if wanted not in rubrics and wanted not in extra:
                extra[wanted] = derive_rubric(base)
        out.append(question if wanted == question.rubric else question.model_copy(update={"rubric": wanted}))
    return out, rubrics.with_rubrics(extra.values()) if extra else rubrics


# --- loading and checking -------------------------------------------------------------------------


class _Problems:
    """Problems found in one set file, each placed at the line of its key."""

    def __init__(self, path: Path, index: LineIndex) -> None:
        self.path = path
        self.index = index
        self.items: list[FileProblem] = []
        # Ids of custom rubric files that did not load ("" for one whose id cannot be read).
        self.broken_rubrics: set[str] = set()

    def add(self, loc: tuple[str | int, ...], message: str, *, field: str | None = None) -> None:
        line = self.index.line_of(loc)
        self.items.append(FileProblem(self.path, line, field or format_loc(loc), message))

    def extend(self, problems: Iterable[FileProblem]) -> None:
        self.items.extend(problems)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        # Set file first, by line; then any rubric files' problems.
        seen: set[str] = set()
        unique = []
        for problem in self.items:
            if str(problem) not in seen:
                seen.add(str(problem))
                unique.append(problem)
        unique.sort(key=lambda p: (p.path != self.path, str(p.path), p.line or 0))
        raise DataFileError(self.path, unique)


def _did_you_mean(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _rubric_file(set_path: Path, name: str) -> tuple[Path | None, str]:
    """The rubric file `name` beside the set, or why it may not be used."""
    if not name.strip():
        return None, "must not be empty"
    pure = PurePath(name)
    if pure.is_absolute() or "/" in name or "\\" in name or len(pure.parts) != 1 or name in {".", ".."}:
        return None, f"{name!r}: a rubric file must be named by its file name alone, beside the set"
    if not name.endswith(".toml"):
        return None, f"{name!r}: a rubric file must end in .toml"
    if not _RUBRIC_FILE_NAME.match(name):
        return None, f"{name!r}: use letters, digits, '.', '_', '-' and spaces (up to 100 characters)"
    if name == set_path.name:
        return None, f"{name!r} is the set file itself"
    candidate = set_path.parent / name
    try:
        if not candidate.exists() and not candidate.is_symlink():
            return None, f"{name!r}: no such file beside the set"
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, f"{name!r}: a broken or looping link, or not readable"
    if resolved.parent != set_path.parent.resolve():
        return None, f"{name!r} links to a file outside the set's folder"
    if not resolved.is_file():
        return None, f"{name!r} is not a regular file"
    return resolved, ""


def _load_custom_rubrics(
    names: list[str], set_path: Path, shipped: RubricSet, problems: _Problems
) -> list[tuple[str, Rubric]]:
    loc: tuple[str | int, ...] = ("set", "rubrics")
    if len(names) > MAX_RUBRIC_FILES:
        problems.add(loc, f"{len(names)} rubric files; a set may name at most {MAX_RUBRIC_FILES}")
        return []
    loaded: list[tuple[str, Rubric]] = []
    seen_ids: dict[str, str] = {}
    for i, name in enumerate(names):
        field = f"set.rubrics[{i}]"
        if name in names[:i]:
            problems.add(loc, f"{name!r} is listed twice", field=field)
            continue
        path, why = _rubric_file(set_path, name)
        if path is None:
            problems.add(loc, why, field=field)
            continue
        try:
            rubric = load_rubric(set_path.parent / name)
        except DataFileError as exc:
            problems.extend(exc.problems)
            # Its own problems are the one error: questions naming it are not also "unknown rubric".
            problems.broken_rubrics.add(_declared_rubric_id(set_path.parent / name))
            continue
        if rubric.id.endswith(DERIVED_SUFFIX):
            message = f"{name}: a rubric id may not end in {DERIVED_SUFFIX!r} (kept for derived rubrics)"
            problems.add(loc, message, field=field)
        elif rubric.id in shipped:
            message = (
                f"{name}: rubric id {rubric.id!r} is a shipped rubric; give the custom rubric its own id"
            )
            problems.add(loc, message, field=field)
        elif rubric.id in seen_ids:
            problems.add(
                loc, f"{name}: rubric id {rubric.id!r} is also in {seen_ids[rubric.id]}", field=field
            )
        else:
            seen_ids[rubric.id] = name
            loaded.append((name, rubric))
    return loaded


def _declared_rubric_id(path: Path) -> str:
    """The id a rubric file declares, read leniently (the file has problems of its own), or ""."""
    try:
        data, _ = read_toml(path)
    except DataFileError:
        return ""
    info = data.get("rubric")
    declared = info.get("id") if isinstance(info, dict) else None
    return declared if isinstance(declared, str) else ""


def _check_questions(
    questions: list[tuple[int, SetQuestion]],
    bank: QuestionBank,
    rubric_ids: set[str],
    problems: _Problems,
    dropped: dict[int, set[str]] | None = None,
) -> None:
    """Refs, required keys of new questions, duplicate ids and rubric names.

    `dropped` names keys already reported as invalid, which are not reported again as missing.
    """
    seen: dict[str, int] = {}
    for i, q in questions:
        if q.ref is not None:
            for key in ("id", "text", "category"):
                if getattr(q, key) is not None:
                    message = (
                        f"not allowed with ref: a bank question keeps its {key}; drop {key!r}, "
                        "or drop 'ref' to write a new question"
                    )
                    problems.add(("questions", i, key), message)
            if q.ref not in bank:
                hint = _did_you_mean(q.ref, (b.id for b in bank))
                problems.add(("questions", i, "ref"), f"unknown bank question {q.ref!r}{hint}")
            qid, key = q.ref, "ref"
        else:
            invalid = (dropped or {}).get(i, set())
            required = ("id", "text", "category", "rubric")
            missing = [k for k in required if getattr(q, k) is None and k not in invalid]
            for k in missing:
                message = "missing: a new question needs id, text, category and rubric (or give ref)"
                problems.add(("questions", i), message, field=f"questions[{i}].{k}")
            if q.id is None:
                continue
            # A new question may share a bank question's id (the bank grows after sets are
            # written): within the set, the set's question wins.
            qid, key = q.id, "id"
        if qid in seen:
            problems.add(
                ("questions", i, key), f"duplicate question id {qid!r} (also questions[{seen[qid]}])"
            )
        else:
            seen[qid] = i
        broken = problems.broken_rubrics
        if (
            q.rubric is not None
            and q.rubric not in rubric_ids
            and q.rubric not in broken
            and "" not in broken
        ):
            hint = _did_you_mean(q.rubric, rubric_ids) or (
                f": name a shipped rubric ({', '.join(sorted(rubric_ids))}) or list its file in set.rubrics"
            )
            problems.add(("questions", i, "rubric"), f"unknown rubric {q.rubric!r}{hint}")


def _lenient_question(raw: object) -> tuple[SetQuestion, set[str]] | None:
    """The valid part of a question entry that failed validation, and the keys left out."""
    if not isinstance(raw, dict):
        return None
    try:
        SetQuestion.model_validate(raw)
    except ValidationError as exc:
        bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        kept = {k: v for k, v in raw.items() if k not in bad}
        try:
            return SetQuestion.model_validate(kept), bad
        except ValidationError:
            return None
    return SetQuestion.model_validate(raw), set()


def _question(q: SetQuestion, bank: QuestionBank, rubrics: RubricSet) -> Question:
    if q.ref is not None:
        base = bank.get(q.ref).model_dump()
        base["rubric"] = base_rubric_id(base["rubric"], rubrics)
        return Question.model_validate({**base, **q.overrides()})
    data = {
        "id": q.id,
        "text": q.text,
        "category": q.category,
        "target_seconds": q.target_seconds or DEFAULT_TARGET_SECONDS,
        **q.overrides(),
    }
    return Question.model_validate(data)


def _set_id(info: SetInfo | None, path: Path, set_id: str | None, problems: _Problems) -> str:
    if set_id is not None:
        return set_id
    if info is not None and info.id is not None:
        return info.id
    derived = re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-")[:64]
    if not _ID.match(derived):
        message = f'the file name {path.name!r} makes no usable id; add id = "my-set" to [set]'
        problems.add(("set",), message, field="set.id")
    return derived


def load_set_file(
    path: Path | str,
    *,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
    set_id: str | None = None,
) -> PracticeSet:
    """Read, check and resolve a set file, or raise DataFileError listing every problem found.

    `bank` and `rubrics` default to the shipped content. `set_id` overrides the file's id (an
    imported set is known by its folder name).
    """
    path = Path(path)
    if bank is None or rubrics is None:
        shipped_bank, shipped_rubrics = load_content()
        bank = shipped_bank if bank is None else bank
        rubrics = shipped_rubrics if rubrics is None else rubrics
    if not path.is_file():
        why = "no such file" if not path.exists() else "not a file"
        raise DataFileError(path, [FileProblem(path, None, "", why)])
    data, index = read_toml(path, max_bytes=MAX_FILE_BYTES)
    problems = _Problems(path, index)

    raw_questions = data.get("questions")
    if isinstance(raw_questions, list) and len(raw_questions) > MAX_QUESTIONS:
        message = f"{len(raw_questions)} questions; a set holds at most {MAX_QUESTIONS}"
        problems.add(("questions", 0), message, field="questions")
        problems.raise_if_any()

    info: SetInfo | None = None
    checked: list[tuple[int, SetQuestion]] = []
    rubric_names: list[str] = []
    dropped: dict[int, set[str]] = {}
    try:
        parsed = SetFile.model_validate(data)
        info, checked = parsed.set, list(enumerate(parsed.questions))
        rubric_names = info.rubrics
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, SetFile, path, index))
        # Check what did validate too, so one run lists every problem in the file.
        raw_info = data.get("set")
        with contextlib.suppress(ValidationError):
            info = SetInfo.model_validate(raw_info)
        raw_names = raw_info.get("rubrics") if isinstance(raw_info, dict) else None
        if isinstance(raw_names, list) and all(isinstance(n, str) for n in raw_names):
            rubric_names = raw_names
        for i, raw in enumerate(raw_questions if isinstance(raw_questions, list) else []):
            partial = _lenient_question(raw)
            if partial is not None:
                checked.append((i, partial[0]))
                dropped[i] = partial[1]

    shipped_ids = {r.id for r in rubrics if not r.id.endswith(DERIVED_SUFFIX)}
    custom = _load_custom_rubrics(rubric_names, path, rubrics, problems)
    _check_questions(checked, bank, shipped_ids | {r.id for _, r in custom}, problems, dropped)
    resolved_id = _set_id(info, path, set_id, problems)
    problems.raise_if_any()
    assert info is not None  # no problems means the whole file validated

    all_rubrics = rubrics.with_rubrics(r for _, r in custom)
    questions, all_rubrics = with_talking_points(
        (_question(q, bank, rubrics) for _, q in checked), all_rubrics
    )
    wanted = {(q.ref or q.id or ""): q.required_attempts or info.required_attempts for _, q in checked}
    rubric_texts = {name: _text_of(path.parent / name) for name, _ in custom}
    warnings = list(index.controls)
    for name in rubric_texts:
        warnings.extend(read_toml(path.parent / name)[1].controls)
    return PracticeSet(
        id=resolved_id,
        title=info.title,
        author=info.author,
        description=info.description,
        instructions=info.instructions,
        questions=tuple(questions),
        rubrics=all_rubrics,
        path=path,
        bank_refs=sum(1 for _, q in checked if q.ref is not None),
        custom_rubric_ids=tuple(r.id for _, r in custom),
        rubric_files=tuple(name for name, _ in custom),
        version=info.version or 1,
        version_declared=info.version is not None,
        due=info.due,
        required_attempts=wanted,
        digest=content_digest(_text_of(path), rubric_texts),
        warnings=tuple(warnings),
    )


def _text_of(path: Path) -> str:
    return _read_limited(path).decode("utf-8", errors="replace")


def content_digest(set_text: str, rubric_texts: Mapping[str, str]) -> str:
    """sha256 of a set's content: its file's text and each rubric file's name and text.

    A BOM and CRLF line ends are left out, so the same set saved on Windows is the same content.
    """

    def normal(text: str) -> str:
        return text.removeprefix("\ufeff").replace("\r\n", "\n")

    canonical = {"set": normal(set_text), "rubrics": {k: normal(v) for k, v in sorted(rubric_texts.items())}}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode("utf-8")).hexdigest()


# --- packs: one file to send ---------------------------------------------------------------------

PACK_FORMAT = "interviewcoach-set"
PACK_SUFFIX = ".icset"
# A pack holds the set file and at most MAX_RUBRIC_FILES rubric files of MAX_FILE_BYTES each; JSON
# may spell a character as a 6-character escape, so the bound on the pack is generous but finite.
MAX_PACK_BYTES = 16 * 1024 * 1024


class SetPack(BaseModel):
    """A `.icset` file: the set file's text and its rubric files' texts, with the set's id and version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str
    format_version: int
    id: str = Field(pattern=ID_PATTERN)
    version: int = Field(ge=1, le=MAX_VERSION)
    packed_at: str = Field(default="", max_length=40)
    app_version: str = Field(default="", max_length=40)
    set_file: str = Field(max_length=MAX_FILE_BYTES)
    rubric_files: dict[str, str] = Field(default_factory=dict, max_length=MAX_RUBRIC_FILES)


def _pack_problem(path: Path, message: str, line: int | None = None) -> DataFileError:
    return DataFileError(path, [FileProblem(path, line, "", message)])


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def read_pack(path: Path) -> SetPack:
    """Read and check a pack's outer layer (not yet the set inside it); one plain line per problem."""
    try:
        with path.open("rb") as source:
            raw = source.read(MAX_PACK_BYTES + 1)
    except OSError as exc:
        raise _pack_problem(path, f"cannot read: {exc.strerror}") from None
    if len(raw) > MAX_PACK_BYTES:
        raise _pack_problem(path, f"the pack is over {MAX_PACK_BYTES:,} bytes: not a set pack")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _pack_problem(path, "not a set pack (not UTF-8 text)") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise _pack_problem(path, f"not a set pack (JSON error: {exc.msg})", exc.lineno) from None
    except (ValueError, RecursionError):
        raise _pack_problem(path, "not a set pack (JSON this program does not read)") from None
    if not isinstance(data, dict) or data.get("format") != PACK_FORMAT:
        raise _pack_problem(
            path, f"not a set pack (made by `interviewcoach sets pack`, format {PACK_FORMAT!r})"
        )
    if data.get("format_version") != 1:
        raise _pack_problem(
            path,
            f"pack format version {data.get('format_version')!r}: this app reads version 1",
        )
    try:
        return SetPack.model_validate(data)
    except ValidationError as exc:
        problems = [
            FileProblem(path, None, format_loc(tuple(e["loc"])), e["msg"].removeprefix("Value error, "))
            for e in exc.errors()
        ]
        raise DataFileError(path, problems) from None


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


@contextlib.contextmanager
def _unpacked(path: Path) -> Iterator[tuple[Path, SetPack]]:
    """The pack's files in a private temporary folder, as a set folder: (set file path, pack)."""
    pack = read_pack(path)
    problems = []
    for name in pack.rubric_files:
        if not _RUBRIC_FILE_NAME.match(name) or name == SET_FILE:
            message = f"{name!r}: not a rubric file name (letters, digits, '.', '_', '-', spaces; .toml)"
            problems.append(FileProblem(path, None, "rubric_files", message))
    if problems:
        raise DataFileError(path, problems)
    with tempfile.TemporaryDirectory(prefix="interviewcoach-pack-") as folder:
        root = Path(folder)
        root.chmod(0o700)
        _write_private(root / SET_FILE, pack.set_file.encode("utf-8"))
        for name, text in pack.rubric_files.items():
            _write_private(root / name, text.encode("utf-8"))
        yield root / SET_FILE, pack


def _as_pack_error(exc: DataFileError, folder: Path, pack_path: Path) -> DataFileError:
    """Problems found in an unpacked pack, placed in the pack: `NAME.icset/set.toml:LINE: ...`."""
    problems = []
    for p in exc.problems:
        inside = p.path.parent == folder or p.path == folder
        where = pack_path / p.path.name if inside else p.path
        problems.append(FileProblem(where, p.line, p.field, p.message))
    return DataFileError(pack_path, problems)


def load_pack(
    path: Path | str,
    *,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
) -> PracticeSet:
    """Read and check a `.icset` pack exactly as the set folder it was made from."""
    path = Path(path)
    with _unpacked(path) as (set_path, pack):
        ps = _load_unpacked(set_path, pack, path, bank, rubrics)
    return dataclasses.replace(ps, path=path)


def _load_unpacked(
    set_path: Path, pack: SetPack, pack_path: Path, bank: QuestionBank | None, rubrics: RubricSet | None
) -> PracticeSet:
    try:
        ps = load_set_file(set_path, bank=bank, rubrics=rubrics, set_id=pack.id)
    except DataFileError as exc:
        raise _as_pack_error(exc, set_path.parent, pack_path) from None
    return dataclasses.replace(ps, version=pack.version, version_declared=True)


def find_set_file(source: Path) -> Path:
    """The set file in a folder (set.toml, or the one .toml with a [set] table), or `source` itself."""
    if not source.is_dir():
        if not source.is_file():
            raise UserError(f"{escape(str(source))}: no such file or folder")
        return source
    if (source / SET_FILE).is_file():
        return source / SET_FILE
    found = [p for p in sorted(source.glob("*.toml")) if _has_set_table(p)]
    if len(found) != 1:
        what = "no .toml file with a [set] table" if not found else "more than one set file"
        raise UserError(f"{escape(str(source))}: {what}; name the set file itself")
    return found[0]


def _has_set_table(path: Path) -> bool:
    try:
        data, _ = read_toml(path)
    except DataFileError:
        return False
    return isinstance(data.get("set"), dict)


@dataclass(frozen=True)
class PackResult:
    practice_set: PracticeSet
    out: Path
    version: int
    # The version of the pack this one replaced, when --out already held one of this set.
    replaced_version: int | None = None


def write_pack(
    source: Path | str,
    out: Path | str,
    *,
    version: int | None = None,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
) -> PackResult:
    """Check a set (a folder or its set file) and write it, with its rubric files, as one `.icset` file.

    The version is `version`, else the set file's own, else the previous pack's at `out` (the same
    when the content is the same, one more when it changed), else 1.
    """

    out = Path(out)
    if not out.name.endswith(PACK_SUFFIX):
        raise UserError(f"{escape(str(out))}: a set pack's name ends in {PACK_SUFFIX}")
    if version is not None and not 1 <= version <= MAX_VERSION:
        raise UserError(f"--version: give a whole number from 1 to {MAX_VERSION:,}")
    ps = load_set_file(find_set_file(Path(source)), bank=bank, rubrics=rubrics)
    set_text = _text_of(ps.path).removeprefix("\ufeff")
    rubric_texts = {name: _text_of(ps.path.parent / name).removeprefix("\ufeff") for name in ps.rubric_files}
    previous: SetPack | None = None
    if out.exists() or out.is_symlink():
        try:
            previous = read_pack(out)
        except DataFileError:
            previous = None
        if previous is None or previous.id != ps.id:
            raise UserError(
                f"{escape(str(out))} exists and is not a pack of set {ps.id!r}: choose another --out, "
                "or delete it first"
            )
    replaced = previous.version if previous is not None else None
    if version is None:
        if ps.version_declared:
            version = ps.version
        elif previous is not None:
            same = content_digest(previous.set_file, previous.rubric_files) == ps.digest
            version = previous.version if same else min(previous.version + 1, MAX_VERSION)
        else:
            version = 1
    pack = SetPack(
        format=PACK_FORMAT,
        format_version=1,
        id=ps.id,
        version=version,
        packed_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        app_version=__version__,
        set_file=set_text,
        rubric_files=rubric_texts,
    )
    data = (json.dumps(pack.model_dump(), indent=1) + "\n").encode("utf-8")
    if not out.parent.exists():
        ensure_private_dir(out.parent)
    fd, name = tempfile.mkstemp(prefix=".pack-", suffix=PACK_SUFFIX, dir=out.parent)
    staging = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        staging.chmod(0o600)
        staging.replace(out)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    return PackResult(dataclasses.replace(ps, version=version), out, version, replaced)


# --- the data directory ---------------------------------------------------------------------------


def sets_root(data_dir: Path | str | None = None) -> Path:
    """The folder of imported sets in the data directory (created 0700)."""

    return ensure_private_dir(resolve_data_dir(data_dir) / SETS_FOLDER)


def _sets_folder(data_dir: Path | str | None) -> Path:
    """The folder of imported sets, not created: looking a set up must not add a folder."""

    return resolve_data_dir(data_dir) / SETS_FOLDER


def imported_ids(data_dir: Path | str | None = None) -> list[str]:
    root = _sets_folder(data_dir)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if _ID.match(p.name) and p.is_dir() and not p.is_symlink())


def _read_limited(path: Path) -> bytes:
    with path.open("rb") as source:
        data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise DataFileError(path, [FileProblem(path, None, "", f"file is over {MAX_FILE_BYTES:,} bytes")])
    return data


def _stored_version(folder: Path) -> tuple[int, str]:
    """(version, digest) of an imported set; a set imported before versions existed is version 1."""
    try:
        with (folder / VERSION_FILE).open("rb") as source:
            meta = json.loads(source.read(10_000))
        version, digest = meta["version"], meta["digest"]
    except (OSError, ValueError, KeyError, TypeError):
        return 1, ""
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= MAX_VERSION:
        return 1, ""
    return version, digest if isinstance(digest, str) else ""


def _load_imported(
    set_id: str, data_dir: Path | str | None, bank: QuestionBank | None, rubrics: RubricSet | None
) -> PracticeSet:
    folder = _sets_folder(data_dir) / set_id
    loaded = load_set_file(folder / SET_FILE, bank=bank, rubrics=rubrics, set_id=set_id)
    version, _ = _stored_version(folder)
    return dataclasses.replace(loaded, version=version, version_declared=True)


@dataclass(frozen=True)
class ImportResult:
    """What `sets import` did: the stored set, and the version it replaced (if any)."""

    practice_set: PracticeSet
    # None: a new set. Equal to practice_set.version: the same content, nothing changed.
    previous_version: int | None = None

    @property
    def unchanged(self) -> bool:
        return self.previous_version == self.practice_set.version


def import_set_file(
    path: Path | str,
    data_dir: Path | str | None = None,
    *,
    replace: bool = False,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
) -> ImportResult:
    """Check a set file or pack and copy it, with its rubric files, into the data directory (user-only).

    Versions follow the rules in the module docstring. The copy is checked again before it replaces
    anything, so what is stored is what was checked.
    """
    path = Path(path)
    with contextlib.ExitStack() as stack:
        if path.name.endswith(PACK_SUFFIX):
            set_path, pack = stack.enter_context(_unpacked(path))
            checked = _load_unpacked(set_path, pack, path, bank, rubrics)
        else:
            set_path = path
            checked = load_set_file(path, bank=bank, rubrics=rubrics)
        return _store(checked, set_path, data_dir, replace=replace, bank=bank, rubrics=rubrics)
    raise AssertionError("unreachable")  # pragma: no cover


def _store(
    checked: PracticeSet,
    set_path: Path,
    data_dir: Path | str | None,
    *,
    replace: bool,
    bank: QuestionBank | None,
    rubrics: RubricSet | None,
) -> ImportResult:
    root = sets_root(data_dir)
    target = root / checked.id
    incoming = checked.version if checked.version_declared else None
    previous: int | None = None
    if target.is_dir() and not target.is_symlink():
        previous, digest = _stored_version(target)
        if digest == checked.digest:
            return ImportResult(
                dataclasses.replace(checked, version=previous, path=target / SET_FILE), previous
            )
        newer = incoming is not None and incoming > previous
        if not replace and not newer:
            raise UserError(
                f"a different set {checked.id!r} (version {previous}) is already imported; add --replace "
                f"to replace it (it becomes version {max(previous + 1, incoming or 0)}), "
                f"or `interviewcoach sets remove {checked.id}` first"
            )
        version = min(max(previous + 1, incoming or 0), MAX_VERSION)
    elif target.exists() or target.is_symlink():
        if not replace:
            raise UserError(
                f"a set {checked.id!r} is already imported; add --replace to overwrite it, "
                f"or `interviewcoach sets remove {checked.id}` first"
            )
        version = incoming or 1
    else:
        version = incoming or 1
    staging = Path(tempfile.mkdtemp(prefix=f".import-{checked.id}-", dir=root))
    try:
        staging.chmod(0o700)
        _write_private(staging / SET_FILE, _read_limited(set_path))
        for name in checked.rubric_files:
            _write_private(staging / name, _read_limited(set_path.parent / name))
        meta = {"version": version, "digest": checked.digest}
        _write_private(staging / VERSION_FILE, json.dumps(meta).encode("utf-8"))
        # Checked again from the copy: a file changed since the first check cannot slip in.
        stored = load_set_file(staging / SET_FILE, bank=bank, rubrics=rubrics, set_id=checked.id)
        if stored.digest != checked.digest:
            raise UserError(f"set {checked.id!r} changed while it was being imported; import it again")
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result = dataclasses.replace(stored, path=target / SET_FILE, version=version, version_declared=True)
    return ImportResult(result, previous)


def import_set(
    path: Path | str,
    data_dir: Path | str | None = None,
    *,
    replace: bool = False,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
) -> PracticeSet:
    """`import_set_file`, giving just the stored set."""
    return import_set_file(path, data_dir, replace=replace, bank=bank, rubrics=rubrics).practice_set


def remove_set(set_id: str, data_dir: Path | str | None = None) -> Path:
    """Delete an imported set; attempts already saved keep their set id."""
    if not _ID.match(set_id):
        raise UserError(f"{set_id!r} is not a set id (lower-case letters, digits and hyphens)")
    root = sets_root(data_dir)
    target = root / set_id
    if target.is_symlink():
        target.unlink()
        return target
    if not target.is_dir():
        raise UnknownSetError(set_id, difflib.get_close_matches(set_id, imported_ids(data_dir), n=3))
    shutil.rmtree(target)
    return target


@dataclass(frozen=True)
class SetListing:
    """One imported set for `sets list` and the TUI: the set, or why it no longer loads."""

    id: str
    path: Path
    practice_set: PracticeSet | None = None
    problem: str = ""


def list_sets(
    data_dir: Path | str | None = None,
    *,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
) -> list[SetListing]:
    """Every imported set by id; one that no longer loads (the bank changed) says why."""
    if bank is None or rubrics is None:
        bank, rubrics = load_content()
    out = []
    root = _sets_folder(data_dir)
    for set_id in imported_ids(data_dir):
        path = root / set_id / SET_FILE
        try:
            loaded = _load_imported(set_id, data_dir, bank, rubrics)
        except UserError as exc:
            out.append(SetListing(set_id, path, None, str(exc).splitlines()[0]))
        else:
            out.append(SetListing(set_id, path, loaded))
    return out


def shipped_sets() -> dict[str, Path]:
    """The example sets shipped with the app (question_bank/sets), by id: usable without importing."""

    found: dict[str, Path] = {}
    for path in sorted((shipped_dir("question_bank") / SHIPPED_SETS).glob("*.toml")):
        try:
            data, _ = read_toml(path)
        except DataFileError:
            continue
        info = data.get("set")
        if isinstance(info, dict):
            declared = info.get("id")
            set_id = declared if isinstance(declared, str) and _ID.match(declared) else path.stem
            found.setdefault(set_id, path)
    return found


def sets_with_question(
    question_id: str,
    data_dir: Path | str | None = None,
    *,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
    imported_only: bool = False,
) -> list[str]:
    """Ids of the imported and shipped sets that hold a question `question_id` (imported first)."""
    found = [
        item.id
        for item in list_sets(data_dir, bank=bank, rubrics=rubrics)
        if item.practice_set is not None and any(q.id == question_id for q in item.practice_set)
    ]
    for set_id, path in {} if imported_only else shipped_sets().items():
        if set_id in found:
            continue
        try:
            ps = load_set_file(path, bank=bank, rubrics=rubrics, set_id=set_id)
        except UserError:
            continue
        if any(q.id == question_id for q in ps):
            found.append(set_id)
    return found


def load_practice_set(
    id_or_file: str | Path,
    data_dir: Path | str | None = None,
    *,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
) -> PracticeSet:
    """The set to practise, from a set id or a set file or pack: the one call for CLI and TUI.

    `id_or_file` is read as a file when it ends in `.toml` or `.icset` or names a folder; otherwise
    as an imported set's id, then as a shipped example set's id (question_bank/sets), then as a
    file. `data_dir` defaults to the user's data directory; `bank`/`rubrics` to the shipped content
    (pass `services.bank`/`services.rubrics`).

    Use it like this:

        ps = load_practice_set("ir-low-score", services.data_dir)
        ps.instructions                      # show before the first question, if not empty
        for question in ps.questions:        # in the advisor's order, overrides applied
            rubric = ps.rubric_for(question) # includes the talking-points criterion when needed
            result = score(question, rubric, text=answer)
            store.save_attempt(result, set_id=ps.id, set_version=ps.version,
                               rubric_version=rubric.version, question=question)

    To reuse code that looks questions up in `services`, swap in the set's view:
    `services.bank = ps.bank(services.bank)` and `services.rubrics = ps.rubrics`.
    Raises DataFileError (every problem, FILE:LINE) or UnknownSetError, both UserErrors.
    """
    text = str(id_or_file)
    as_path = Path(text).expanduser()
    looks_like_path = text.endswith((".toml", PACK_SUFFIX)) or "/" in text or os.sep in text
    if not looks_like_path and _ID.match(text):
        if (_sets_folder(data_dir) / text / SET_FILE).is_file():
            return _load_imported(text, data_dir, bank, rubrics)
        shipped = shipped_sets()
        if text in shipped and not as_path.is_file():
            return load_set_file(shipped[text], bank=bank, rubrics=rubrics, set_id=text)
        if not as_path.is_file():
            known = [*imported_ids(data_dir), *shipped]
            raise UnknownSetError(text, difflib.get_close_matches(text, known, n=3))
    if not as_path.is_file():
        raise UserError(f"{escape(text)}: no such set file")
    if text.endswith(PACK_SUFFIX):
        return load_pack(as_path, bank=bank, rubrics=rubrics)
    return load_set_file(as_path, bank=bank, rubrics=rubrics)


def load_content() -> tuple[QuestionBank, RubricSet]:
    """The shipped question bank and rubrics, with every question's rubric checked."""
    rubrics = load_rubrics()
    bank = load_bank(rubric_ids=rubrics.ids())
    # A bank question with talking points is scored on them too, through a derived rubric.
    questions, rubrics = with_talking_points(bank, rubrics)
    return QuestionBank(questions), rubrics
