"""`interviewcoach sets ...` on the command line, and a set from import to a saved, scored attempt."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.content.sets import load_practice_set
from interviewcoach.core.paths import shipped_dir
from interviewcoach.core.scoring.detectors.talking_points import talking_points_report
from interviewcoach.core.scoring.engine import score

EXAMPLE = shipped_dir("question_bank") / "sets" / "ir-low-score.toml"
PROBLEM_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<field>[\w.\[\]]+): (?P<message>.+)$")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_validate_ok_prints_one_line(runner: CliRunner) -> None:
    code, out, err = run(runner, "sets", "validate", str(EXAMPLE))
    assert code == 0 and err == ""
    assert out.splitlines() == [
        f"{EXAMPLE}: ok: set 'ir-low-score' (IR interviews with a low Step score) by IR faculty mentor "
        "(example): 7 questions (4 from the bank, 3 new), 1 custom rubric, 23 talking points"
    ]


BAD = """\
[set]
title = "Mentor set"
author = "Dr Mentor"
rubrics = ["../outside.toml"]

[[questions]]
ref = "low-scor"
talking_points = ["Step 2 CK improvement"]

[[questions]]
id = "dr-plan"
txt = "What if you match DR?"
category = "pathway"
rubric = "setbak"
think_seconds = "ten"

[[questions]]
id = "dr-plan"
text = ""
category = "pathway"
rubric = "setback"
"""


def test_validate_lists_every_problem_as_file_line_field(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "mentor.toml"
    path.write_text(BAD, encoding="utf-8")
    code, out, err = run(runner, "sets", "validate", str(path))
    assert code == 2 and out == ""
    lines = err.splitlines()
    parsed = [PROBLEM_LINE.match(line) for line in lines]
    assert all(parsed), lines
    found = [(m["file"], int(m["line"]), m["field"]) for m in parsed if m]
    assert found == [
        (str(path), 4, "set.rubrics[0]"),
        (str(path), 7, "questions[0].ref"),
        (str(path), 10, "questions[1].text"),
        (str(path), 12, "questions[1].txt"),
        (str(path), 14, "questions[1].rubric"),
        (str(path), 15, "questions[1].think_seconds"),
        (str(path), 18, "questions[2].id"),
        (str(path), 19, "questions[2].text"),
    ]
    assert "unknown key; did you mean 'text'?" in lines[3]
    assert "did you mean 'low-score'?" in lines[1] and "did you mean 'setback'?" in lines[4]
    assert "duplicate question id 'dr-plan'" in lines[6] and "must not be empty" in lines[7]
    assert "Traceback" not in err


def test_validate_syntax_error_and_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "mentor.toml"
    path.write_text('[set]\ntitle = "unterminated\n', encoding="utf-8")
    code, _, err = run(runner, "sets", "validate", str(path))
    assert code == 2
    assert re.fullmatch(rf"{re.escape(str(path))}:2: TOML syntax error: .+ \(column \d+\)\n", err)
    code, _, err = run(runner, "sets", "validate", str(tmp_path / "absent.toml"))
    assert code == 2 and err == f"interviewcoach: {tmp_path / 'absent.toml'}: no such file or folder\n"


def test_import_list_remove(runner: CliRunner, tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    code, out, _ = run(runner, "sets", "list", "--data-dir", data)
    assert code == 0 and out == "no sets imported; add one with: interviewcoach sets import FILE\n"
    code, out, _ = run(runner, "sets", "import", str(EXAMPLE), "--data-dir", data)
    assert code == 0
    assert out.splitlines()[-1] == "practise it with: interviewcoach practice --set ir-low-score"
    code, out, _ = run(runner, "sets", "import", str(EXAMPLE), "--data-dir", data)
    assert code == 0 and "already imported, unchanged (version 1)" in out
    assert run(runner, "sets", "import", str(EXAMPLE), "--replace", "--data-dir", data)[0] == 0
    code, out, _ = run(runner, "sets", "list", "--data-dir", data)
    assert code == 0
    assert re.fullmatch(r"ir-low-score +7 questions +IR interviews with a low Step score \(.+\)\n", out)
    code, out, _ = run(runner, "sets", "list", "--json", "--data-dir", data)
    [row] = json.loads(out)
    assert row["id"] == "ir-low-score" and row["ok"] and row["questions"] == 7
    code, _, err = run(runner, "sets", "remove", "ir-low-scor", "--data-dir", data)
    assert code == 2 and "did you mean ir-low-score?" in err
    code, out, _ = run(runner, "sets", "remove", "ir-low-score", "--data-dir", data)
    assert code == 0 and out == "removed set 'ir-low-score'\n"
    assert json.loads(run(runner, "sets", "list", "--json", "--data-dir", data)[1]) == []


def test_import_of_a_bad_set_stores_nothing(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "mentor.toml"
    path.write_text(BAD, encoding="utf-8")
    data = tmp_path / "data"
    code, _, err = run(runner, "sets", "import", str(path), "--data-dir", str(data))
    assert code == 2 and len(err.splitlines()) == 8
    assert not (data / "sets").exists() or list((data / "sets").iterdir()) == []


def test_sets_without_a_command_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["sets"])
    assert "validate" in result.output and "import" in result.output and "remove" in result.output


def test_installed_entry_point_validates(tmp_path: Path) -> None:
    path = tmp_path / "mentor.toml"
    path.write_text(BAD, encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "interviewcoach", "sets", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and bad.stdout == "" and "Traceback" not in bad.stderr
    assert bad.stderr.splitlines()[0].startswith(f"{path}:4: set.rubrics[0]: ")
    good = subprocess.run(
        [sys.executable, "-m", "interviewcoach", "sets", "validate", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert good.returncode == 0 and "ok: set 'ir-low-score'" in good.stdout


ANSWER = (
    "My long-term goal is to become an interventional radiologist. I know how competitive the "
    "integrated programs are, so I applied to DR as well. If I match DR I would pursue ESIR and the "
    "independent IR pathway. I loved following a GI bleed patient through embolization in the angio "
    "suite, and that is the work I want to do."
)


def test_import_then_score_a_set_question_and_save_the_attempt(runner: CliRunner, tmp_path: Path) -> None:
    """End to end: import the example set, answer one of its questions, keep the attempt."""
    from interviewcoach.core.history.store import Filter, Store

    data = tmp_path / "data"
    assert run(runner, "sets", "import", str(EXAMPLE), "--data-dir", str(data))[0] == 0
    ps = load_practice_set("ir-low-score", data)
    question = ps.get("dr-backup-plan")
    rubric = ps.rubric_for(question)
    result = score(question, rubric, text=ANSWER)
    report = talking_points_report(result, question, rubric)
    assert report is not None
    assert [point for point, _ in report.covered] == question.talking_points
    assert report.missed == []
    assert result.criteria["talking_points"].passed

    store = Store(data)
    attempt_id = store.save_attempt(result, set_id=ps.id, question=question, rubric_version=rubric.version)
    [saved] = store.attempts(Filter(set_id="ir-low-score"))
    assert saved.id == attempt_id and saved.set_id == "ir-low-score"
    assert saved.question_text == question.text and saved.rubric_id == "advisor-ir"
    assert saved.score is not None
    assert saved.score.criteria["talking_points"] == result.criteria["talking_points"]
    assert store.set_ids() == ["ir-low-score"]
