"""Set files that say what is wrong in an advisor's words, and `sets test` on sample answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.paths import shipped_dir

SETS = shipped_dir("question_bank") / "sets"
EXAMPLE = SETS / "ir-low-score.toml"

SET = """\
[set]
id = "mentor"
title = "Practice"
author = "Dr Mentor"
rubrics = ["mine.toml"]

[[questions]]
ref = "low-score"
talking_points = ["Step 2 CK improvement"]

[[questions]]
id = "dr-plan"
text = "If you match DR and not IR, what then?"
category = "pathway"
rubric = "advisor-ir"
"""
STRONG = (
    "My long-term goal is to become an interventional radiologist. I know how competitive the "
    "integrated programs are, so I applied to DR as well. If I match DR I would pursue ESIR and the "
    "independent IR pathway. I loved following a GI bleed patient through embolization in the angio "
    "suite, and that is the work I want to do."
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def folder_with(tmp_path: Path, set_text: str = SET, rubric_text: str | None = None) -> Path:
    (tmp_path / "set.toml").write_text(set_text, encoding="utf-8")
    rubric = rubric_text or (SETS / "advisor-ir.toml").read_text(encoding="utf-8")
    (tmp_path / "mine.toml").write_text(rubric, encoding="utf-8")
    return tmp_path / "set.toml"


def errors(path: Path) -> list[str]:
    code, out, err = run("sets", "validate", str(path))
    assert code == 2 and out == ""
    return err.splitlines()


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = folder_with(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, err = run("sets", "validate", str(path))
    assert code == 0 and err == "" and ": ok: set 'mentor'" in out


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'talking_points = ["Step 2 CK improvement"]',
            "target_seconds = 45",
            "set.toml:9: questions[0].target_seconds: give two numbers of seconds, shortest and longest, "
            "like [45, 90]",
        ),
        (
            'id = "mentor"',
            'id = "Mentor_Set"',
            "set.toml:2: set.id: use lower-case letters, digits and hyphens",
        ),
        (
            'author = "Dr Mentor"',
            'author = "Dr Mentor"\ndue = "soon"',
            'set.due: give a date as "YYYY-MM-DD"',
        ),
        (
            'talking_points = ["Step 2 CK improvement"]',
            'talking_points = ["Step 2 CK improvement",\n  "board readiness",\n',
            "set.toml:9: TOML syntax error: an array opened with [ on this line is never closed",
        ),
        (
            'author = "Dr Mentor"',
            'author = "Dr Mentor"\nrequired_attempts = 0',
            "a number of at least 1",
        ),
    ],
)
def test_errors_say_what_to_write_with_a_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in SET
    problems = errors(folder_with(tmp_path, SET.replace(old, new, 1)))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(str(tmp_path)) and ".toml:" in p for p in problems), problems
    for python_words in ("Input should be", "valid tuple", "should match pattern", "at end of document"):
        assert not any(python_words in p for p in problems), problems


RUBRIC = (SETS / "advisor-ir.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'id = "specific_ir"',
            'id = "brevity"',
            "mine.toml:21: criteria[1].id: duplicate criterion id 'brevity' (also criteria[0]): "
            "give each its own id",
        ),
        (
            "advice.too_short =",
            "advice.too_shrot =",
            "mine.toml:18: criteria[0].advice.too_shrot: unknown advice key 'too_shrot' for detector "
            "'brevity': did you mean 'too_short'?",
        ),
        (
            '"{measure} is under',
            '"{mesure} is under',
            "mine.toml:18: criteria[0].advice.too_short: unknown placeholder {mesure}: "
            "did you mean {measure}? this detector fills {cut}, {max}, {measure}, {min}, {seconds}, {words}",
        ),
    ],
)
def test_rubric_problems_are_one_line_each_at_their_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in RUBRIC
    problems = errors(folder_with(tmp_path, rubric_text=RUBRIC.replace(old, new, 1)))
    assert [p.removeprefix(f"{tmp_path}/") for p in problems] == [expected]


def test_a_broken_rubric_file_is_not_also_an_unknown_rubric(tmp_path: Path) -> None:
    problems = errors(folder_with(tmp_path, rubric_text=RUBRIC.replace("weight = 1", "weight = -1", 1)))
    assert len(problems) == 1 and "mine.toml:" in problems[0], problems
    problems = errors(folder_with(tmp_path, rubric_text="[rubric\n"))
    assert len(problems) == 1 and "TOML syntax error" in problems[0], problems


def test_control_characters_are_removed_with_a_warning_naming_the_line(tmp_path: Path) -> None:
    hostile = SET.replace('title = "Practice"', 'title = "Practice\\u001b]52;c;cHduZWQ=\\u0007 \\u202e"')
    path = folder_with(tmp_path, hostile)
    code, out, err = run("sets", "validate", str(path))
    assert code == 0 and "(Practice ]52;c;cHduZWQ= )" not in out
    assert "Practice" in out and "\x1b" not in out + err and "\u202e" not in out + err
    assert f"{path}:3: set.title: warning: a control character (U+001B ESC) was removed" in err


# --- sets test ------------------------------------------------------------------------------------


def samples(tmp_path: Path, *rows: dict[str, object]) -> Path:
    path = tmp_path / "samples.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_sets_test_prints_each_verdict_by_the_rubrics_names(tmp_path: Path) -> None:
    path = samples(
        tmp_path,
        {"question": "dr-backup-plan", "text": STRONG, "label": "strong", "expect": {"talking_points": True}},
        {"question": "dr-backup-plan", "text": "Radiology is cool.", "expect": {"talking_points": False}},
    )
    code, out, err = run("sets", "test", str(EXAMPLE), "--answers", str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("#1 dr-backup-plan (strong): overall ")
    assert "  PASS  Your advisor's points" in lines
    # The quote is the sentence that covered the point (talking points are matched by meaning).
    covered = [line for line in lines if line.startswith("  covered  ESIR or the independent IR pathway (")]
    assert len(covered) == 1 and "ESIR and the independent IR pathway" in covered[0]
    assert "  missed   ESIR or the independent IR pathway" in lines
    assert lines[-1] == "2 samples; 2 of 2 expected verdicts met"

    code, out, _ = run("sets", "test", "ir-low-score", "--answers", str(path), "--json")
    first = json.loads(out.splitlines()[0])
    assert first["label"] == "strong" and first["expectations_met"] is True
    names = {c["id"]: c["name"] for c in first["criteria"]}
    assert names["talking_points"] == "Your advisor's points"
    assert [p["covered"] for p in first["talking_points"]] == [True, True, True]


def test_sets_test_exits_1_when_a_verdict_is_not_the_expected_one(tmp_path: Path) -> None:
    path = samples(
        tmp_path,
        {"question": "dr-backup-plan", "text": "Radiology is cool.", "expect": {"talking_points": True}},
    )
    code, out, _ = run("sets", "test", str(EXAMPLE), "--answers", str(path))
    assert code == 1
    assert "  FAIL  Your advisor's points   << expected PASS" in out.splitlines()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"question": "dr-backup-pla", "text": "x"}', "set 'ir-low-score' has no question 'dr-backup-pla'"),
        ('{"question": "dr-backup-plan"}', "text: missing or not text in quotes"),
        ('{"question": "dr-backup-plan", "text": "x", "expected": {}}', "unknown key 'expected'"),
        (
            '{"question": "dr-backup-plan", "text": "x", "expect": {"brevity": 1}}',
            "expect: give criterion",
        ),
        ("not json", "not JSON"),
    ],
)
def test_sets_test_bad_samples_are_one_line(tmp_path: Path, line: str, expected: str) -> None:
    path = tmp_path / "samples.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    code, out, err = run("sets", "test", str(EXAMPLE), "--answers", str(path))
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"interviewcoach: {path}:1: ") and expected in err


def test_sets_test_takes_a_folder_and_a_pack(tmp_path: Path) -> None:
    folder = tmp_path / "advisor"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "ir-low-score.toml")
    shutil.copy(SETS / "advisor-ir.toml", folder / "advisor-ir.toml")
    path = samples(tmp_path, {"question": "dr-backup-plan", "text": STRONG})
    assert run("sets", "test", str(folder), "--answers", str(path))[0] == 0
    pack = tmp_path / "ir.icset"
    assert run("sets", "pack", str(folder), "--out", str(pack))[0] == 0
    code, out, _ = run("sets", "test", str(pack), "--answers", str(path))
    assert code == 0 and out.splitlines()[-1] == "1 sample"


def test_a_sample_too_short_to_score_says_so_instead_of_failing_every_criterion(tmp_path: Path) -> None:
    # Seen: "I like procedures." listed 13 FAIL lines, "No blame, no put-downs" and the delivery
    # criteria (never judged on typed text) among them, and never said the answer was not scored.
    path = samples(tmp_path, {"question": "dr-backup-plan", "text": "Radiology is cool."})
    code, out, _ = run("sets", "test", str(EXAMPLE), "--answers", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("#1 dr-backup-plan: not scored: No answer to score")
    assert not any(line.startswith("  FAIL") for line in lines)
    code, out, _ = run("sets", "test", str(EXAMPLE), "--answers", str(path), "--json")
    row = json.loads(out.splitlines()[0])
    assert row["no_answer"] is True and row["message"].startswith("No answer to score")


def test_sets_test_scores_a_sample_as_the_student_would_be_scored(tmp_path: Path) -> None:
    # Seen: an answer to "Why IR?" given to the board-score question scored 39 in `sets test` and 8
    # with `score --set` (and in the app): `sets test` skipped the check for another question's answer.
    text = (
        "I want IR because I like procedures and I like helping people. IR is the future of medicine. "
        "I am a hard worker and a team player."
    )
    path = samples(tmp_path, {"question": "low-score", "text": text})
    code, out, _ = run("sets", "test", str(EXAMPLE), "--answers", str(path), "--json")
    assert code == 0
    answer = tmp_path / "answer.txt"
    answer.write_text(text, encoding="utf-8")
    data = str(tmp_path / "data")
    code, scored, err = run(
        "score",
        "--set",
        str(EXAMPLE),
        "-q",
        "low-score",
        "--text-file",
        str(answer),
        "--json",
        "--data-dir",
        data,
    )
    assert code == 0, err
    assert json.loads(out.splitlines()[0])["overall"] == json.loads(scored)["overall"]
