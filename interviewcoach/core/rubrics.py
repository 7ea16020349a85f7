"""Rubrics: weighted criteria loaded from `rubrics/*.toml`, each naming a detector and its params.

Wording (advice, word lists, thresholds) lives in the files so an advisor can tune a rubric without
touching code. Each criterion's params are validated against its detector's own model at load time.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from interviewcoach.core import detectors
from interviewcoach.core.datafiles import (
    LineIndex,
    problems_from_validation,
    read_toml,
    validate_data,
)
from interviewcoach.core.errors import DataFileError, FileProblem
from interviewcoach.core.paths import shipped_dir
from interviewcoach.core.questions import ID_PATTERN


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    name: str = Field(min_length=1, max_length=80)
    detector: str
    weight: float = Field(gt=0, le=100)
    # Delivery criteria (pace, fillers, pauses) are judged only when audio timing is known.
    delivery: bool = False
    description: str = ""
    advice: dict[str, str] = Field(default_factory=dict)
    params: dict[str, Any] = Field(default_factory=dict)
    # The detector's validated params, filled in by the loader.
    parsed: Any = Field(default=None, exclude=True)


class Cap(BaseModel):
    """A ceiling on the overall score while one criterion fails: substance before polish.

    A polished answer with no story, no result or off the question's topic cannot score as if the
    missing part were a detail; `max_overall` is the most it can get while `criterion` fails.
    """

    model_config = ConfigDict(extra="forbid")

    criterion: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    max_overall: int = Field(ge=0, le=100)


class RubricInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    version: int = Field(ge=1)
    description: str = ""
    # How the overall is formed beyond the weighted mean of the criteria (see each rubric's header).
    caps: list[Cap] = Field(default_factory=list, max_length=30)


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rubric: RubricInfo
    criteria: list[Criterion] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _unique(self) -> Rubric:
        ids = [c.id for c in self.criteria]
        for cid in ids:
            if ids.count(cid) > 1:
                raise ValueError(f"duplicate criterion id {cid!r}")
        for cap in self.rubric.caps:
            if cap.criterion not in ids:
                raise ValueError(
                    f"rubric.caps names {cap.criterion!r}, which is not a criterion of this rubric"
                )
        return self

    @property
    def id(self) -> str:
        return self.rubric.id

    @property
    def version(self) -> int:
        return self.rubric.version

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)


def _field_loc(field: str) -> list[str | int]:
    """`groups[0].match.patterns` -> ["groups", 0, "match", "patterns"], to find nested params' lines."""
    loc: list[str | int] = []
    for part in field.split("."):
        name, *indexes = part.split("[")
        if name:
            loc.append(name)
        loc.extend(int(ix.rstrip("]")) for ix in indexes if ix.rstrip("]").isdigit())
    return loc


def _parse_params(rubric: Rubric, path: Path, index: LineIndex) -> None:
    registry = detectors.load_all()
    problems: list[FileProblem] = []
    for i, criterion in enumerate(rubric.criteria):
        kind = registry.get(criterion.detector)
        if kind is None:
            close = difflib.get_close_matches(criterion.detector, sorted(registry), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            line = index.line_of(("criteria", i, "detector"))
            message = f"unknown detector {criterion.detector!r}{hint}"
            problems.append(FileProblem(path, line, f"criteria[{i}].detector", message))
            continue
        try:
            criterion.parsed = kind.params.model_validate(criterion.params)
        except ValidationError as exc:
            for problem in problems_from_validation(exc, kind.params, path, LineIndex("")):
                loc: tuple[str | int, ...] = ("criteria", i, "params", *_field_loc(problem.field))
                field = f"criteria[{i}].params.{problem.field}"
                problems.append(FileProblem(path, index.line_of(loc), field, problem.message))
    if problems:
        raise DataFileError(path, problems)


def load_rubric(path: Path) -> Rubric:
    data, index = read_toml(path)
    rubric = validate_data(Rubric, data, path, index)
    _parse_params(rubric, path, index)
    return rubric


class RubricSet:
    def __init__(self, rubrics: Iterable[Rubric]) -> None:
        self._by_id = {r.id: r for r in rubrics}

    def __iter__(self) -> Iterator[Rubric]:
        return iter(self._by_id.values())

    def __contains__(self, rubric_id: object) -> bool:
        return rubric_id in self._by_id

    def ids(self) -> list[str]:
        return list(self._by_id)

    def get(self, rubric_id: str) -> Rubric:
        return self._by_id[rubric_id]

    def with_rubrics(self, extra: Iterable[Rubric]) -> RubricSet:
        return RubricSet([*self, *extra])


def load_rubrics(directory: Path | None = None) -> RubricSet:
    directory = directory or shipped_dir("rubrics")
    rubrics = []
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.toml")):
        rubric = load_rubric(path)
        if rubric.id in seen:
            problem = FileProblem(path, None, "rubric.id", f"{rubric.id!r} is also in {seen[rubric.id]}")
            raise DataFileError(path, [problem])
        seen[rubric.id] = path
        rubrics.append(rubric)
    if not rubrics:
        raise DataFileError(directory, [FileProblem(directory, None, "", "no *.toml files")])
    return RubricSet(rubrics)
