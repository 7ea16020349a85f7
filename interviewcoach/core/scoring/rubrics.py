"""Rubrics: weighted criteria loaded from `rubrics/*.toml`, each naming a detector and its params.

Wording (advice, word lists, thresholds) lives in the files so an advisor can tune a rubric without
touching code. Each criterion's params are validated against its detector's own model at load time.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from interviewcoach.core.datafiles import (
    LineIndex,
    parse_toml,
    problems_from_validation,
    read_data_text,
    validate_data,
)
from interviewcoach.core.errors import DataFileError, FileProblem
from interviewcoach.core.models import ID_PATTERN
from interviewcoach.core.paths import shipped_dir
from interviewcoach.core.scoring import detectors


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
    # Groups of params from the rubric's [shared] table merged under this criterion's own (its own
    # win): markers two criteria read the same way are written once.
    uses: list[str] = Field(default_factory=list, max_length=5)
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
    # Named groups of params that criteria take with `uses = [name]`.
    shared: dict[str, dict[str, Any]] = Field(default_factory=dict, max_length=20)
    criteria: list[Criterion] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _unique(self) -> Rubric:
        ids = [c.id for c in self.criteria]
        for cid in ids:
            if ids.count(cid) > 1:
                raise ValueError(f"duplicate criterion id {cid!r}")
        for c in self.criteria:
            for name in c.uses:
                if name not in self.shared:
                    known = ", ".join(sorted(self.shared)) or "none"
                    raise ValueError(
                        f"criterion {c.id!r} uses {name!r}, which [shared] does not define (it has: {known})"
                    )
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
        merged: dict[str, Any] = {}
        origin: dict[str, str] = {}
        for name in criterion.uses:
            merged.update(rubric.shared[name])
            origin.update(dict.fromkeys(rubric.shared[name], name))
        merged.update(criterion.params)
        try:
            criterion.parsed = kind.params.model_validate(merged)
        except ValidationError as exc:
            for problem in problems_from_validation(exc, kind.params, path, LineIndex("")):
                rest = _field_loc(problem.field)
                group = origin.get(str(rest[0])) if rest and rest[0] not in criterion.params else None
                loc: tuple[str | int, ...]
                if group is not None:
                    loc, field = ("shared", group, *rest), f"shared.{group}.{problem.field}"
                else:
                    loc, field = ("criteria", i, "params", *rest), f"criteria[{i}].params.{problem.field}"
                problems.append(FileProblem(path, index.line_of(loc), field, problem.message))
    if problems:
        raise DataFileError(path, problems)


# The advice keys each detector looks up and the {placeholders} it fills, so a misspelt key or
# placeholder is an error at load time instead of advice never shown or a raw "{mesure}" shown to a
# student. "fail" is every detector's fallback. A detector missing here is not checked.
_COMMON = {"pass", "fail"}
ADVICE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    kind: (frozenset(_COMMON | set(keys.split())), frozenset(names.split()))
    for kind, keys, names in [
        ("avoid", "", "quote count"),
        ("brevity", "too_long too_short", "measure min max words seconds cut"),
        ("commitment", "hedging", "quote count"),
        ("fillers", "fair", "count percent words"),
        ("forward", "into_ir", "quote"),
        ("goal", "partial named", "quote"),
        ("ir_link", "", "quote count"),
        ("keywords", "partial", "found missing quote count"),
        ("lesson", "slogan read", "quote count"),
        ("on_topic", "off_topic other_question", "topic quote other"),
        ("outcome", "vague read", "quote count"),
        ("own_actions", "partial", "quote count others others_quote"),
        ("own_role", "vague one", "quote vague"),
        ("pace", "too_fast too_slow", "wpm low high"),
        ("pauses", "", "count longest"),
        ("project", "partial", "quote"),
        ("reads_strong", "", "best worst score"),
        (
            "setback_brevity",
            "too_long too_short over_explained over_told near_short near_long",
            "measure min max causes max_causes cut quote first words seconds",
        ),
        (
            "setback_improvement",
            "no_change no_change_with_outcome no_outcome story_pass story_short vague vague_with_outcome"
            " weak_outcome",
            "change outcome vague",
        ),
        ("setback_pivot", "adjectives apology excuse no_strengths setback", "quote strength"),
        (
            "setback_tone",
            "arguing_premise bitterness blame minimising owned_circumstance pass_owned",
            "quote what others owned",
        ),
        ("shown_not_claimed", "generic read", "quote share"),
        ("specific_example", "partial vague", "quote vague count kinds found missing"),
        ("story", "thin read", "anchors quote"),
        ("talking_points", "", "count total covered missed missed_note"),
        ("tone", "blame read slight", "quote"),
    ]
}
_BRACED = re.compile(r"\{([^{}\s]{1,40})\}")


def _check_advice(rubric: Rubric, path: Path, index: LineIndex) -> list[FileProblem]:
    problems = []
    for i, criterion in enumerate(rubric.criteria):
        rules = ADVICE.get(criterion.detector)
        if rules is None:
            continue
        keys, names = rules
        for key, text in criterion.advice.items():
            loc: tuple[str | int, ...] = ("criteria", i, "advice", key)
            field = f"criteria[{i}].advice.{key}"
            if key not in keys:
                close = difflib.get_close_matches(key, sorted(keys), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"use {', '.join(sorted(keys))}"
                message = f"unknown advice key {key!r} for detector {criterion.detector!r}: {hint}"
                problems.append(FileProblem(path, index.line_of(loc), field, message))
            for name in dict.fromkeys(_BRACED.findall(text)):
                if name in names:
                    continue
                close = difflib.get_close_matches(name, sorted(names), n=1)
                hint = f"did you mean {{{close[0]}}}? " if close else ""
                allowed = ", ".join(f"{{{n}}}" for n in sorted(names)) or "none"
                message = f"unknown placeholder {{{name}}}: {hint}this detector fills {allowed}"
                problems.append(FileProblem(path, index.line_of(loc), field, message))
    return problems


def _check_criteria_ids(data: dict[str, Any], path: Path, index: LineIndex) -> list[FileProblem]:
    """Duplicate criterion ids and caps naming no criterion, each at its own line."""
    criteria = data.get("criteria")
    if not isinstance(criteria, list):
        return []
    problems = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(criteria):
        cid = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(cid, str):
            continue
        if cid in seen:
            message = f"duplicate criterion id {cid!r} (also criteria[{seen[cid]}]): give each its own id"
            problems.append(
                FileProblem(path, index.line_of(("criteria", i, "id")), f"criteria[{i}].id", message)
            )
        else:
            seen[cid] = i
    info = data.get("rubric")
    caps = info.get("caps") if isinstance(info, dict) else None
    for j, cap in enumerate(caps if isinstance(caps, list) else []):
        name = cap.get("criterion") if isinstance(cap, dict) else None
        if isinstance(name, str) and name not in seen:
            loc: tuple[str | int, ...] = ("rubric", "caps", j, "criterion")
            message = f"{name!r} is not a criterion of this rubric" + (
                f"; did you mean {c[0]!r}?" if (c := difflib.get_close_matches(name, list(seen), n=1)) else ""
            )
            problems.append(FileProblem(path, index.line_of(loc), f"rubric.caps[{j}].criterion", message))
    return problems


# Rubrics loaded, by file and text. One command can load the shipped rubrics two or three times
# (`sets import` checks the set against them, then stores it, then reads the history's versions),
# and parsing and validating 30-odd files costs about 70 ms each time. A rubric is not changed
# after loading, so the same file with the same text gives the same object. Bounded: an advisor's
# rubrics come and go.
_LOADED: dict[tuple[str, bytes], Rubric] = {}
_LOADED_MAX = 256


def load_rubric(path: Path) -> Rubric:
    """The rubric in `path`, validated (its detectors' params too), or a DataFileError."""
    text = read_data_text(path)
    key = (str(path), hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest())
    loaded = _LOADED.get(key)
    if loaded is None:
        loaded = _load_rubric(path, text)
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.clear()
        _LOADED[key] = loaded
    return loaded


def _load_rubric(path: Path, text: str) -> Rubric:
    data, index = parse_toml(text, path)
    problems = _check_criteria_ids(data, path, index)
    try:
        rubric = validate_data(Rubric, data, path, index)
    except DataFileError as exc:
        # Problems the model would report without a line are reported above, with theirs.
        lined = [p for p in exc.problems if p.line is not None or not problems]
        raise DataFileError(path, sorted([*problems, *lined], key=lambda p: p.line or 0)) from None
    if problems:
        raise DataFileError(path, problems)
    _parse_params(rubric, path, index)
    advice = _check_advice(rubric, path, index)
    if advice:
        raise DataFileError(path, advice)
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
