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

    [[questions]]
    ref = "low-score"                    # a bank question, with optional overrides
    talking_points = ["Step 2 CK improvement"]

    [[questions]]
    id = "dr-backup"                     # a new question
    text = "..."
    category = "pathway"
    rubric = "advisor-ir"

Overrides on either kind: `target_seconds = [min, max]`, `think_seconds`, `follow_ups`, `tips`,
`talking_points`, and `rubric`. A new question whose id is also in the bank replaces it within the
set (`PracticeSet.bank`). A question with talking points is scored with its rubric plus a
`talking_points` criterion (see `with_talking_points`), unless its rubric already has one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from interviewcoach.core.datafiles import (
    MAX_FILE_BYTES,
    LineIndex,
    format_loc,
    problems_from_validation,
    read_toml,
)
from interviewcoach.core.detectors.talking_points import DETECTOR as TALKING_POINTS
from interviewcoach.core.detectors.talking_points import TalkingPointsParams, has_criterion
from interviewcoach.core.errors import DataFileError, FileProblem, UserError
from interviewcoach.core.paths import ensure_private_dir
from interviewcoach.core.questions import ID_PATTERN, Category, Question, QuestionBank
from interviewcoach.core.rubrics import Criterion, Rubric, RubricSet, load_rubric

MAX_QUESTIONS = 200
MAX_RUBRIC_FILES = 10
MAX_TALKING_POINT_CHARS = 200
DEFAULT_TARGET_SECONDS = (30, 90)
# Where imported sets live, under the data directory: sets/<id>/set.toml plus its rubric files.
SETS_FOLDER = "sets"
SET_FILE = "set.toml"
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
            f"set {self.id!r} ({self.title}) by {self.author}: {len(self)} question"
            f"{'s' if len(self) != 1 else ''} ({self.bank_refs} from the bank, {new} new), "
            f"{custom} custom rubric{'s' if custom != 1 else ''}, "
            f"{self.talking_point_count} talking point{'s' if self.talking_point_count != 1 else ''}"
        )


class UnknownSetError(UserError):
    """A set id that is not imported, with the closest imported ids to suggest."""

    def __init__(self, set_id: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"no imported set {set_id!r}{hint} (`interviewcoach sets list` shows them; "
            "or give a set file ending in .toml)"
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
        if q.rubric is not None and q.rubric not in rubric_ids:
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
        from interviewcoach.core.services import load_content

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
    )


# --- the data directory ---------------------------------------------------------------------------


def sets_root(data_dir: Path | str | None = None) -> Path:
    """The folder of imported sets in the data directory (created 0700)."""
    from interviewcoach.core.paths import data_dir as resolve_data_dir

    return ensure_private_dir(resolve_data_dir(data_dir) / SETS_FOLDER)


def imported_ids(data_dir: Path | str | None = None) -> list[str]:
    root = sets_root(data_dir)
    return sorted(p.name for p in root.iterdir() if _ID.match(p.name) and p.is_dir() and not p.is_symlink())


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _read_limited(path: Path) -> bytes:
    with path.open("rb") as source:
        data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise DataFileError(path, [FileProblem(path, None, "", f"file is over {MAX_FILE_BYTES:,} bytes")])
    return data


def import_set(
    path: Path | str,
    data_dir: Path | str | None = None,
    *,
    replace: bool = False,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
) -> PracticeSet:
    """Check a set file and copy it, with its rubric files, into the data directory (user-only).

    The copy is checked again before it replaces anything, so what is stored is what was checked.
    """
    path = Path(path)
    checked = load_set_file(path, bank=bank, rubrics=rubrics)
    root = sets_root(data_dir)
    target = root / checked.id
    if (target.exists() or target.is_symlink()) and not replace:
        raise UserError(
            f"a set {checked.id!r} is already imported; add --replace to overwrite it, "
            f"or `interviewcoach sets remove {checked.id}` first"
        )
    staging = Path(tempfile.mkdtemp(prefix=f".import-{checked.id}-", dir=root))
    try:
        staging.chmod(0o700)
        _write_private(staging / SET_FILE, _read_limited(path))
        for name in checked.rubric_files:
            _write_private(staging / name, _read_limited(path.parent / name))
        # Checked again from the copy: a file changed since the first check cannot slip in.
        stored = load_set_file(staging / SET_FILE, bank=bank, rubrics=rubrics, set_id=checked.id)
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return dataclasses.replace(stored, path=target / SET_FILE)


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
        from interviewcoach.core.services import load_content

        bank, rubrics = load_content()
    out = []
    root = sets_root(data_dir)
    for set_id in imported_ids(data_dir):
        path = root / set_id / SET_FILE
        try:
            loaded = load_set_file(path, bank=bank, rubrics=rubrics, set_id=set_id)
        except UserError as exc:
            out.append(SetListing(set_id, path, None, str(exc).splitlines()[0]))
        else:
            out.append(SetListing(set_id, path, loaded))
    return out


def load_practice_set(
    id_or_file: str | Path,
    data_dir: Path | str | None = None,
    *,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
) -> PracticeSet:
    """The set to practise, from an imported set id or a set file path: the one call for CLI and TUI.

    `id_or_file` is read as a file when it ends in `.toml` or names a folder, as an imported id when
    one by that name exists, and as a file otherwise. `data_dir` defaults to the user's data
    directory; `bank`/`rubrics` to the shipped content (pass `services.bank`/`services.rubrics`).

    Use it like this:

        ps = load_practice_set("ir-low-score", services.data_dir)
        ps.instructions                      # show before the first question, if not empty
        for question in ps.questions:        # in the advisor's order, overrides applied
            rubric = ps.rubric_for(question) # includes the talking-points criterion when needed
            result = score(question, rubric, text=answer)
            store.save_attempt(result, set_id=ps.id, rubric_version=rubric.version)

    To reuse code that looks questions up in `services`, swap in the set's view:
    `services.bank = ps.bank(services.bank)` and `services.rubrics = ps.rubrics`.
    Raises DataFileError (every problem, FILE:LINE) or UnknownSetError, both UserErrors.
    """
    text = str(id_or_file)
    as_path = Path(text).expanduser()
    looks_like_path = text.endswith(".toml") or "/" in text or os.sep in text
    if not looks_like_path and _ID.match(text):
        stored = sets_root(data_dir) / text / SET_FILE
        if stored.is_file():
            return load_set_file(stored, bank=bank, rubrics=rubrics, set_id=text)
        if not as_path.is_file():
            raise UnknownSetError(text, difflib.get_close_matches(text, imported_ids(data_dir), n=3))
    if not as_path.is_file():
        raise UserError(f"{text}: no such set file")
    return load_set_file(as_path, bank=bank, rubrics=rubrics)
