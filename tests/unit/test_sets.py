"""Advisor question sets: every rule of the set format, rubric files beside the set, the data directory."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.content.sets import (
    DERIVED_SUFFIX,
    MAX_QUESTIONS,
    MAX_RUBRIC_FILES,
    SET_FILE,
    VERSION_FILE,
    PracticeSet,
    UnknownSetError,
    import_set,
    import_set_file,
    imported_ids,
    list_sets,
    load_content,
    load_practice_set,
    load_set_file,
    remove_set,
    with_talking_points,
)
from interviewcoach.core.errors import DataFileError, UserError
from interviewcoach.core.models import Question
from interviewcoach.core.paths import shipped_dir
from interviewcoach.core.scoring.rubrics import RubricSet

EXAMPLE = shipped_dir("question_bank") / "sets" / "ir-low-score.toml"

# Lines are numbered from 1 at `[set]`; the tests below count on it.
GOOD = """\
[set]
title = "Low score practice"
author = "Dr Mentor"
description = "Two questions."

[[questions]]
ref = "low-score"
talking_points = ["Step 2 CK improvement"]

[[questions]]
id = "dr-plan"
text = "If you match DR and not IR, what then?"
category = "pathway"
rubric = "setback"
"""

CUSTOM_RUBRIC = """\
[rubric]
id = "advisor-strict"
title = "Strict"
version = 2

[[criteria]]
id = "brevity"
name = "Brief"
detector = "brevity"
weight = 1
advice.pass = "ok"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load(folder: Path, text: str, bank: QuestionBank, rubrics: RubricSet) -> PracticeSet:
    return load_set_file(write(folder, "advisor.toml", text), bank=bank, rubrics=rubrics)


def problems_of(folder: Path, text: str, bank: QuestionBank, rubrics: RubricSet) -> list[str]:
    with pytest.raises(DataFileError) as info:
        load(folder, text, bank, rubrics)
    return [str(p) for p in info.value.problems]


# --- the shipped example -----------------------------------------------------------------------------


def test_example_set_loads_in_order_with_refs_resolved_and_overrides_applied(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    ps = load_set_file(EXAMPLE, bank=bank, rubrics=rubrics)
    assert ps.id == "ir-low-score"
    assert [q.id for q in ps][:2] == ["low-score", "failed-attempt"]
    assert len(ps) == 7 and ps.bank_refs == 4
    low = ps.get("low-score")
    assert low.text == bank.get("low-score").text
    assert low.target_seconds == (30, 75) != bank.get("low-score").target_seconds
    assert len(low.talking_points) == 4
    assert ps.instructions.startswith("Answer out loud")
    assert ps.custom_rubric_ids == ("advisor-ir",) and ps.rubric_files == ("advisor-ir.toml",)


def test_every_example_question_with_talking_points_is_scored_on_them(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    ps = load_set_file(EXAMPLE, bank=bank, rubrics=rubrics)
    for question in ps:
        assert question.talking_points
        detectors = [c.detector for c in ps.rubric_for(question).criteria]
        assert detectors.count("talking_points") == 1, question.id
    # The custom rubric carries its own talking-points criterion; the shipped one gets a derived copy.
    assert ps.get("dr-backup-plan").rubric == "advisor-ir"
    assert ps.get("low-score").rubric == "setback" + DERIVED_SUFFIX
    # A question pointing at a derived rubric is still a valid Question (stores re-validate them).
    for question in ps:
        assert Question.model_validate(question.model_dump()) == question
    # The shipped rubric itself is untouched.
    assert all(c.detector != "talking_points" for c in rubrics.get("setback").criteria)
    assert all(c.detector != "talking_points" for c in ps.rubrics.get("setback").criteria)


def test_practice_set_bank_view_and_lookup(bank: QuestionBank, rubrics: RubricSet) -> None:
    ps = load_set_file(EXAMPLE, bank=bank, rubrics=rubrics)
    view = ps.bank(bank)
    assert view.get("low-score").target_seconds == (30, 75)
    assert "dr-backup-plan" in view and "dr-backup-plan" not in bank
    assert len(view) == len({q.id for q in bank} | {q.id for q in ps})
    with pytest.raises(UserError, match="did you mean dr-backup-plan"):
        ps.get("dr-backup-pla")
    assert "7 questions (4 from the bank, 3 new), 1 custom rubric, 23 talking points" in ps.summary()


# --- rules of the set file: one valid and one invalid example per rule ----------------------------


def test_minimal_valid_set(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    ps = load(tmp_path, GOOD, bank, rubrics)
    assert ps.id == "advisor"  # from the file name
    assert [q.id for q in ps] == ["low-score", "dr-plan"]
    assert ps.get("dr-plan").target_seconds == (30, 90)  # the default for a new question
    assert ps.get("dr-plan").rubric == "setback"  # no talking points: the base rubric


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        (
            'description = "Two questions."',
            'descripton = "x"',
            4,
            "set.descripton",
            "did you mean 'description'",
        ),
        (
            'talking_points = ["Step 2 CK improvement"]',
            'talking_point = ["x"]',
            8,
            "questions[0].talking_point",
            "unknown key; did you mean 'talking_points'?",
        ),
        ('title = "Low score practice"', "title = 3", 2, "set.title", "give text in quotes"),
        ('author = "Dr Mentor"', 'author = "  "', 3, "set.author", "must not be empty"),
        (
            'rubric = "setback"',
            'rubric = "setback"\nthink_seconds = "ten"',
            15,
            "questions[1].think_seconds",
            "give a whole number",
        ),
        (
            'rubric = "setback"',
            'rubric = "setback"\ntarget_seconds = [90, 30]',
            15,
            "questions[1].target_seconds",
            "must be [min, max]",
        ),
        (
            'rubric = "setback"',
            'rubric = "setback"\ntarget_seconds = "long"',
            15,
            "questions[1].target_seconds",
            "give two numbers of seconds, shortest and longest, like [45, 90]",
        ),
        (
            'ref = "low-score"',
            'ref = "low-scor"',
            7,
            "questions[0].ref",
            "unknown bank question 'low-scor'; did you mean 'low-score'?",
        ),
        (
            'ref = "low-score"',
            'ref = "Low Score"',
            7,
            "questions[0].ref",
            "use lower-case letters, digits and hyphens",
        ),
        (
            'rubric = "setback"',
            'rubric = "setbak"',
            14,
            "questions[1].rubric",
            "unknown rubric 'setbak'; did you mean 'setback'?",
        ),
        (
            'rubric = "setback"',
            'rubric = "zzzzzz"',
            14,
            "questions[1].rubric",
            "list its file in set.rubrics",
        ),
        (
            'id = "dr-plan"',
            'id = "low-score"\nref = "low-score"',
            11,
            "questions[1].id",
            "not allowed with ref",
        ),
        (
            'text = "If you match DR and not IR, what then?"',
            'text = "   "',
            12,
            "questions[1].text",
            "must not be empty",
        ),
        (
            'text = "If you match DR and not IR, what then?"',
            "",
            10,
            "questions[1].text",
            "a new question needs id, text, category and rubric",
        ),
        (
            'category = "pathway"',
            'category = "pathways"',
            13,
            "questions[1].category",
            "use one of 'setbacks', 'fit'",
        ),
        (
            'talking_points = ["Step 2 CK improvement"]',
            'talking_points = ["ok", " "]',
            8,
            "questions[0].talking_points",
            "must not be empty",
        ),
        (
            'talking_points = ["Step 2 CK improvement"]',
            f'talking_points = ["{"x" * 201}"]',
            8,
            "questions[0].talking_points",
            "at most 200 characters",
        ),
        (
            'talking_points = ["Step 2 CK improvement"]',
            f"talking_points = {['p'] * 31}",
            8,
            "questions[0].talking_points",
            "at most 30",
        ),
        (
            'talking_points = ["Step 2 CK improvement"]',
            "talking_points = 3",
            8,
            "questions[0].talking_points",
            'give a list in square brackets, like ["first", "second"]',
        ),
        (
            'title = "Low score practice"',
            'id = "Bad Id"\ntitle = "x"',
            2,
            "set.id",
            "use lower-case letters, digits and hyphens",
        ),
        ('id = "dr-plan"', 'id = "low-score"', 11, "questions[1].id", "duplicate question id 'low-score'"),
    ],
)
def test_invalid_set_reports_file_line_field_and_problem(
    tmp_path: Path,
    bank: QuestionBank,
    rubrics: RubricSet,
    old: str,
    new: str,
    line: int,
    field: str,
    message: str,
) -> None:
    assert old in GOOD
    path = tmp_path / "advisor.toml"
    with pytest.raises(DataFileError) as info:
        load(tmp_path, GOOD.replace(old, new, 1), bank, rubrics)
    matching = [p for p in info.value.problems if p.field == field]
    assert matching, [str(p) for p in info.value.problems]
    problem = matching[0]
    assert problem.path == path
    assert problem.line == line
    assert message in problem.message
    assert str(problem) == f"{path}:{line}: {field}: {problem.message}"


def test_duplicate_refs_are_reported(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    text = GOOD + '\n[[questions]]\nref = "low-score"\n'
    path = tmp_path / "advisor.toml"
    assert problems_of(tmp_path, text, bank, rubrics) == [
        f"{path}:17: questions[2].ref: duplicate question id 'low-score' (also questions[0])"
    ]


def test_missing_set_table_and_questions(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    problems = problems_of(tmp_path, "# nothing here\n", bank, rubrics)
    path = tmp_path / "advisor.toml"
    assert problems == [f"{path}: set: missing: add it", f"{path}: questions: missing: add it"]
    text = "questions = []\n" + GOOD.split("[[questions]]")[0]
    assert any("questions: too few: give at least 1" in p for p in problems_of(tmp_path, text, bank, rubrics))


def test_every_problem_is_listed_in_one_run_in_line_order(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    text = (
        GOOD.replace('author = "Dr Mentor"', 'author = ""')
        .replace('ref = "low-score"', 'ref = "low-scor"')
        .replace('rubric = "setback"', 'rubric = "nope"\ntarget_seconds = [1, 2]')
    )
    problems = problems_of(tmp_path, text, bank, rubrics)
    # Semantic checks (unknown ref, unknown rubric) run even though validation failed elsewhere.
    assert [p.split(": ")[1] for p in problems] == [
        "set.author",
        "questions[0].ref",
        "questions[1].rubric",
        "questions[1].target_seconds",
    ]
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == sorted(lines)


def test_toml_syntax_error_gives_line_and_column(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    problems = problems_of(
        tmp_path, GOOD.replace('author = "Dr Mentor"', 'author = "Dr Mentor'), bank, rubrics
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'advisor.toml'}:3: TOML syntax error")
    assert "(column" in problems[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
        ("x = " + "9" * 5000 + "\n", "TOML value error"),
        (b"\xff\xfe[set]\n".decode("latin-1"), "TOML syntax error"),
    ],
)
def test_hostile_toml_is_a_data_error(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet, text: str, message: str
) -> None:
    problems = problems_of(tmp_path, text, bank, rubrics)
    assert message in problems[0]


def test_non_utf8_file(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    path = tmp_path / "advisor.toml"
    path.write_bytes(b'[set]\ntitle = "\xff"\n')
    with pytest.raises(DataFileError, match="not UTF-8"):
        load_set_file(path, bank=bank, rubrics=rubrics)


# --- limits --------------------------------------------------------------------------------------------


def test_file_size_limit(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    text = GOOD + "# " + "x" * 1_000_001 + "\n"
    size = len(text.encode())
    problems = problems_of(tmp_path, text, bank, rubrics)
    assert problems == [f"{tmp_path / 'advisor.toml'}: file is {size:,} bytes; the limit is 1,000,000"]


def test_question_count_limit(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    many = "".join(
        f'\n[[questions]]\nid = "q{i}"\ntext = "Q {i}?"\ncategory = "general"\nrubric = "setback"\n'
        for i in range(MAX_QUESTIONS)
    )
    problems = problems_of(tmp_path, GOOD + many, bank, rubrics)
    assert problems == [f"{tmp_path / 'advisor.toml'}:6: questions: 202 questions; a set holds at most 200"]


def test_exactly_the_question_limit_loads(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    head = GOOD.split("[[questions]]")[0]
    many = "".join(
        f'\n[[questions]]\nid = "q{i}"\ntext = "Q {i}?"\ncategory = "general"\nrubric = "setback"\n'
        for i in range(MAX_QUESTIONS)
    )
    assert len(load(tmp_path, head + many, bank, rubrics)) == MAX_QUESTIONS


def test_rubric_file_count_limit(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    names = [f"r{i}.toml" for i in range(MAX_RUBRIC_FILES + 1)]
    text = GOOD.replace("[[questions]]", f"rubrics = {names}\n\n[[questions]]", 1)
    problems = problems_of(tmp_path, text, bank, rubrics)
    assert problems == [
        f"{tmp_path / 'advisor.toml'}:6: set.rubrics: 11 rubric files; a set may name at most 10"
    ]


# --- custom rubrics beside the set ---------------------------------------------------------------------


def with_rubric(name: str, rubric: str = "advisor-strict") -> str:
    return GOOD.replace("[[questions]]", f'rubrics = ["{name}"]\n\n[[questions]]', 1).replace(
        'rubric = "setback"', f'rubric = "{rubric}"'
    )


def test_custom_rubric_beside_the_set_is_used(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    write(tmp_path, "strict.toml", CUSTOM_RUBRIC)
    ps = load(tmp_path, with_rubric("strict.toml"), bank, rubrics)
    assert ps.rubric_for(ps.get("dr-plan")).version == 2
    assert "advisor-strict" not in rubrics  # the shipped set is not changed


def test_link_to_a_rubric_in_the_same_folder_is_allowed(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    write(tmp_path, "strict.toml", CUSTOM_RUBRIC)
    (tmp_path / "alias.toml").symlink_to(tmp_path / "strict.toml")
    assert load(tmp_path, with_rubric("alias.toml"), bank, rubrics).custom_rubric_ids == ("advisor-strict",)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("/etc/passwd.toml", "by its file name alone"),
        ("../strict.toml", "by its file name alone"),
        ("sub/strict.toml", "by its file name alone"),
        ("sub\\\\strict.toml", "by its file name alone"),
        ("..", "by its file name alone"),
        ("strict.txt", "must end in .toml"),
        ("absent.toml", "no such file beside the set"),
        ("advisor.toml", "is the set file itself"),
        ("outside.toml", "links to a file outside the set's folder"),
        ("folder.toml", "is not a regular file"),
        ("loop.toml", "broken or looping link"),
        ("", "must not be empty"),
        ("a\\u0000b.toml", "use letters, digits"),
        ("a" * 300 + ".toml", "up to 100 characters"),
        ("~user.toml", "use letters, digits"),
    ],
)
def test_rubric_files_must_sit_beside_the_set(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet, name: str, message: str
) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    write(tmp_path, "strict.toml", CUSTOM_RUBRIC)
    (folder / "outside.toml").symlink_to(tmp_path / "strict.toml")
    (folder / "folder.toml").mkdir()
    (folder / "loop.toml").symlink_to(folder / "loop.toml")
    problems = problems_of(folder, with_rubric(name), bank, rubrics)
    rubric_line = [p for p in problems if "set.rubrics[0]" in p]
    assert len(rubric_line) == 1, problems
    assert rubric_line[0].startswith(f"{folder / 'advisor.toml'}:6: set.rubrics[0]: ")
    assert message in rubric_line[0]


def test_problems_in_a_custom_rubric_name_the_rubric_file(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    bad = CUSTOM_RUBRIC.replace("weight = 1", "wieght = 1")
    rubric_path = write(tmp_path, "strict.toml", bad)
    problems = problems_of(tmp_path, with_rubric("strict.toml"), bank, rubrics)
    assert f"{rubric_path}:10: criteria[0].wieght: unknown key; did you mean 'weight'?" in problems
    # One error per real problem: the question naming the rubric that did not load is not also
    # reported as naming an unknown rubric.
    assert not any("unknown rubric" in p for p in problems), problems


def test_custom_rubric_patterns_may_not_be_regular_expressions(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    regex = CUSTOM_RUBRIC + (
        '\n[[criteria]]\nid = "avoid_x"\nname = "x"\ndetector = "avoid"\nweight = 1\n'
        'params.label = "x"\nparams.match.patterns = [[{LOWER = {REGEX = "(a+)+$"}}]]\n'
    )
    rubric_path = write(tmp_path, "strict.toml", regex)
    problems = problems_of(tmp_path, with_rubric("strict.toml"), bank, rubrics)
    assert any(p.startswith(f"{rubric_path}:") and "'REGEX' is not allowed" in p for p in problems), problems


def test_custom_rubric_may_not_replace_a_shipped_one(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    write(tmp_path, "strict.toml", CUSTOM_RUBRIC.replace('"advisor-strict"', '"setback"'))
    problems = problems_of(tmp_path, with_rubric("strict.toml", "setback"), bank, rubrics)
    assert problems == [
        f"{tmp_path / 'advisor.toml'}:6: set.rubrics[0]: strict.toml: rubric id 'setback' is a shipped "
        "rubric; give the custom rubric its own id"
    ]


def test_custom_rubric_may_not_use_the_derived_suffix(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    write(tmp_path, "strict.toml", CUSTOM_RUBRIC.replace('"advisor-strict"', f'"setback{DERIVED_SUFFIX}"'))
    problems = problems_of(
        tmp_path,
        GOOD.replace("[[questions]]", 'rubrics = ["strict.toml"]\n\n[[questions]]', 1),
        bank,
        rubrics,
    )
    assert problems == [
        f"{tmp_path / 'advisor.toml'}:6: set.rubrics[0]: strict.toml: a rubric id may not end in "
        "'--talking-points' (kept for derived rubrics)"
    ]


def test_two_custom_rubrics_with_one_id(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    write(tmp_path, "a.toml", CUSTOM_RUBRIC)
    write(tmp_path, "b.toml", CUSTOM_RUBRIC)
    text = GOOD.replace("[[questions]]", 'rubrics = ["a.toml", "b.toml", "a.toml"]\n\n[[questions]]', 1)
    problems = problems_of(tmp_path, text, bank, rubrics)
    assert [p.split(": ", 2)[2] for p in problems] == [
        "b.toml: rubric id 'advisor-strict' is also in a.toml",
        "'a.toml' is listed twice",
    ]


# --- set ids -------------------------------------------------------------------------------------------


def test_set_id_from_the_file_name_or_the_set_table(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    assert load_set_file(write(tmp_path, "My Set!.toml", GOOD), bank=bank, rubrics=rubrics).id == "my-set"
    explicit = GOOD.replace("[set]\n", '[set]\nid = "mentor-set"\n')
    assert load_set_file(write(tmp_path, "x.toml", explicit), bank=bank, rubrics=rubrics).id == "mentor-set"
    with pytest.raises(DataFileError) as info:
        load_set_file(write(tmp_path, "___.toml", GOOD), bank=bank, rubrics=rubrics)
    assert str(info.value.problems[0]).endswith(
        "set.id: the file name '___.toml' makes no usable id; add id = \"my-set\" to [set]"
    )


# --- talking points choose the rubric -------------------------------------------------------------------


def test_with_talking_points_derives_once_and_is_idempotent(rubrics: RubricSet) -> None:
    plain = Question(id="a", text="A?", category="general", rubric="setback", target_seconds=(30, 60))
    pointed = plain.model_copy(update={"id": "b", "talking_points": ["Step 2 CK improvement"]})
    questions, derived = with_talking_points([plain, pointed], rubrics)
    assert [q.rubric for q in questions] == ["setback", "setback" + DERIVED_SUFFIX]
    extra = derived.get("setback" + DERIVED_SUFFIX)
    base = rubrics.get("setback")
    assert [c.id for c in extra.criteria] == [*(c.id for c in base.criteria), "talking_points"]
    assert extra.version == base.version and extra.criteria[-1].parsed is not None
    # Applying it again changes nothing; dropping the points goes back to the base rubric.
    again, derived_again = with_talking_points(questions, derived)
    assert again == questions and derived_again.ids() == derived.ids()
    back, _ = with_talking_points([questions[1].model_copy(update={"talking_points": []})], derived)
    assert back[0].rubric == "setback"


def test_shipped_bank_questions_with_talking_points_are_scored_on_them() -> None:
    bank, rubrics = load_content()
    for question in bank:
        if question.talking_points:
            assert any(c.detector == "talking_points" for c in rubrics.get(question.rubric).criteria)


# --- the data directory ----------------------------------------------------------------------------------


def test_import_is_private_and_loads_by_id(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    data = tmp_path / "data"
    ps = import_set(EXAMPLE, data, bank=bank, rubrics=rubrics)
    folder = data / "sets" / "ir-low-score"
    assert ps.path == folder / SET_FILE
    assert sorted(p.name for p in folder.iterdir()) == ["advisor-ir.toml", SET_FILE, VERSION_FILE]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "sets").stat().st_mode) == 0o700
    for file in folder.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert (folder / SET_FILE).read_bytes() == EXAMPLE.read_bytes()
    loaded = load_practice_set("ir-low-score", data, bank=bank, rubrics=rubrics)
    assert [q.id for q in loaded] == [q.id for q in ps] and loaded.id == "ir-low-score"
    assert imported_ids(data) == ["ir-low-score"]


def test_import_twice_keeps_the_version_and_a_changed_set_needs_replace(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    data = tmp_path / "data"
    assert import_set(EXAMPLE, data, bank=bank, rubrics=rubrics).version == 1
    again = import_set_file(EXAMPLE, data, bank=bank, rubrics=rubrics)
    assert again.unchanged and again.practice_set.version == 1
    changed = tmp_path / "ir-low-score.toml"
    changed.write_text(EXAMPLE.read_text(encoding="utf-8").replace("Seven questions", "7 questions"))
    write(tmp_path, "advisor-ir.toml", (EXAMPLE.parent / "advisor-ir.toml").read_text(encoding="utf-8"))
    with pytest.raises(UserError, match=r"already imported; add --replace .*becomes version 2"):
        import_set(changed, data, bank=bank, rubrics=rubrics)
    result = import_set_file(changed, data, replace=True, bank=bank, rubrics=rubrics)
    assert result.previous_version == 1 and result.practice_set.version == 2
    assert load_practice_set("ir-low-score", data, bank=bank, rubrics=rubrics).version == 2
    # Going back to the first content is a change too: the version never goes back.
    assert import_set(EXAMPLE, data, replace=True, bank=bank, rubrics=rubrics).version == 3
    assert [p.name for p in (data / "sets").iterdir()] == ["ir-low-score"]  # no staging left behind


def test_import_keeps_the_file_name_id(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    data = tmp_path / "data"
    source = write(tmp_path, "mentor-set.toml", GOOD)
    assert import_set(source, data, bank=bank, rubrics=rubrics).id == "mentor-set"
    # Stored as set.toml, it is still known by its folder's id.
    assert load_practice_set("mentor-set", data, bank=bank, rubrics=rubrics).id == "mentor-set"


def test_failed_import_leaves_nothing(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    data = tmp_path / "data"
    source = write(tmp_path, "bad.toml", GOOD.replace('ref = "low-score"', 'ref = "nope"'))
    with pytest.raises(DataFileError):
        import_set(source, data, bank=bank, rubrics=rubrics)
    assert imported_ids(data) == [] and not (data / "sets").exists()


def test_list_reports_a_stored_set_that_no_longer_loads(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    data = tmp_path / "data"
    import_set(EXAMPLE, data, bank=bank, rubrics=rubrics)
    import_set(write(tmp_path, "other.toml", GOOD), data, bank=bank, rubrics=rubrics)
    stored = data / "sets" / "other" / SET_FILE
    stored.write_text(GOOD.replace('ref = "low-score"', 'ref = "gone"'), encoding="utf-8")
    listing = {item.id: item for item in list_sets(data, bank=bank, rubrics=rubrics)}
    assert sorted(listing) == ["ir-low-score", "other"]
    assert listing["ir-low-score"].practice_set is not None
    assert listing["other"].practice_set is None
    assert listing["other"].problem == f"{stored}:7: questions[0].ref: unknown bank question 'gone'"


def test_remove(tmp_path: Path, bank: QuestionBank, rubrics: RubricSet) -> None:
    data = tmp_path / "data"
    import_set(EXAMPLE, data, bank=bank, rubrics=rubrics)
    with pytest.raises(UnknownSetError, match="did you mean ir-low-score"):
        remove_set("ir-low-scor", data)
    with pytest.raises(UserError, match="is not a set id"):
        remove_set("../ir-low-score", data)
    assert remove_set("ir-low-score", data) == data / "sets" / "ir-low-score"
    assert imported_ids(data) == []
    # Removed, the id is the shipped example's again.
    assert load_practice_set("ir-low-score", data, bank=bank, rubrics=rubrics).path == EXAMPLE


def test_load_practice_set_from_a_file_or_an_id(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    assert load_practice_set(EXAMPLE, data, bank=bank, rubrics=rubrics).id == "ir-low-score"
    assert load_practice_set(str(EXAMPLE), data, bank=bank, rubrics=rubrics).path == EXAMPLE
    with pytest.raises(UserError, match="no such set file"):
        load_practice_set(str(tmp_path / "absent.toml"), data, bank=bank, rubrics=rubrics)
    with pytest.raises(UnknownSetError, match="sets list"):
        load_practice_set("absent", data, bank=bank, rubrics=rubrics)
    # A bare name that is a file in the working directory, and no imported set: the file.
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "plain-name", GOOD)
    assert load_practice_set("plain-name", data, bank=bank, rubrics=rubrics).id == "plain-name"


def test_load_practice_set_defaults_to_the_shipped_content_and_data_dir() -> None:
    # INTERVIEWCOACH_HOME points at a private tmp dir for every test (conftest); looking an id up
    # there adds no sets folder.
    with pytest.raises(UnknownSetError, match="did you mean ir-low-score"):
        load_practice_set("ir-low-scor")
    assert not (Path(os.environ["INTERVIEWCOACH_HOME"]) / "sets").exists()
    assert load_practice_set(str(EXAMPLE)).id == "ir-low-score"
    # A shipped example set is known by its id without importing it.
    assert load_practice_set("ir-low-score").path == EXAMPLE


def test_loading_a_set_pulls_no_ui_and_no_language_model() -> None:
    code = (
        "import sys; from interviewcoach.core.content.sets import load_set_file; "
        f"load_set_file({str(EXAMPLE)!r}); "
        "print(','.join(m for m in ('textual', 'spacy', 'torch', 'faster_whisper') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_stray_entries_in_the_sets_folder_are_ignored(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    data = tmp_path / "data"
    import_set(EXAMPLE, data, bank=bank, rubrics=rubrics)
    root = data / "sets"
    (root / "notes.txt").write_text("x", encoding="utf-8")
    (root / ".import-half-done").mkdir()
    (root / "linked").symlink_to(root / "ir-low-score")
    assert imported_ids(data) == ["ir-low-score"]
    assert [item.id for item in list_sets(data, bank=bank, rubrics=rubrics)] == ["ir-low-score"]
    # Removing a link removes only the link.
    remove_set("linked", data)
    assert (root / "ir-low-score" / SET_FILE).is_file()
