"""The advisor's round trip end to end, each side through its own CLI and its own data directory.

A student practises a set (answers scored by the real scorer and saved as the practice screen saves
them), exports a bundle with `export --format bundle`; the advisor imports it with `cohort import`,
reads `cohort report --json`, comments and overrides, and writes `cohort comments`; the student
brings that file back with `comments import` and sees it in `show`. Nothing is written by hand in
between: what one side writes, the other reads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.history.store import Store
from tests.student_data import DR_STRONG, DR_WEAK, LOW_SCORE, practise

SET_ID = "cohort-a"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def report(advisor: Path) -> dict[str, Any]:
    code, out, err = run("cohort", "report", "--set", SET_ID, "--json", "--data-dir", str(advisor))
    assert code == 0, err
    rows: list[dict[str, Any]] = json.loads(out)
    assert len(rows) == 1
    questions: dict[str, Any] = rows[0]["questions"]
    assert rows[0]["student"] == {"name": "Ana Ruiz", "email": "ana@example.org", "cohort": "2027"}
    return questions


def test_bundle_to_cohort_and_comments_back_to_the_student(tmp_path: Path) -> None:
    student, advisor = tmp_path / "student", tmp_path / "advisor"
    # The strong answer first, the weak one last: latest and best differ.
    answers = [("dr-backup-plan", DR_STRONG), ("low-score", LOW_SCORE), ("dr-backup-plan", DR_WEAK)]
    practice_set = practise(student, tmp_path / "set", answers)
    profile = ["--name", "Ana Ruiz", "--email", "ana@example.org", "--cohort", "2027"]
    assert run("profile", *profile, "--data-dir", str(student))[0] == 0
    sent = tmp_path / "ana.json"
    code, _, err = run(
        "export", "--set", SET_ID, "--format", "bundle", "--out", str(sent), "--data-dir", str(student)
    )
    assert code == 0, err

    code, out, err = run("cohort", "import", str(sent), "--data-dir", str(advisor))
    assert (code, err) == (0, "")
    assert out == f"{sent}: Ana Ruiz, set {SET_ID}: 3 new, 0 updated\n"

    saved = Store(student).attempts()  # oldest first, as saved
    strong, low, weak = saved
    assert strong.overall is not None and weak.overall is not None and strong.overall != weak.overall
    bundle = json.loads(sent.read_text(encoding="utf-8"))
    covered = {a["uid"]: sum(p["covered"] for p in a["talking_points"]) for a in bundle["attempts"]}
    questions = report(advisor)
    assert list(questions) == [q.id for q in practice_set.questions]
    assert questions["dr-backup-plan"] == {
        "latest": weak.overall,
        "best": max(strong.overall, weak.overall),
        "attempts": 2,
        "required": 1,
        "points_covered": covered[weak.uid],
        "points_total": 2,
    }
    assert questions["low-score"] == {
        "latest": low.overall,
        "best": low.overall,
        "attempts": 1,
        "required": 1,
        "points_covered": covered[low.uid],
        "points_total": 1,
    }
    assert questions["angio-suite-2am"]["attempts"] == 0 and questions["angio-suite-2am"]["latest"] is None

    # The advisor comments on the weak answer and reverses the app's verdict on its first point.
    point = "long-term goal is interventional radiology"
    was_covered = next(
        p["covered"]
        for a in bundle["attempts"]
        if a["uid"] == weak.uid
        for p in a["talking_points"]
        if p["text"] == point
    )
    verdict = "--not-covered" if was_covered else "--covered"
    comment = "Say IR first; the hours are not a reason."
    assert (
        run("cohort", "comment", weak.uid, comment, "--author", "Dr. Okafor", "--data-dir", str(advisor))[0]
        == 0
    )
    code, _, err = run(
        "cohort",
        "override",
        weak.uid,
        "--point",
        point,
        verdict,
        "--author",
        "Dr. Okafor",
        "--data-dir",
        str(advisor),
    )
    assert code == 0, err
    after = report(advisor)["dr-backup-plan"]["points_covered"]
    assert after == covered[weak.uid] + (-1 if was_covered else 1)

    back = tmp_path / "comments.json"
    code, out, err = run(
        "cohort",
        "comments",
        "--set",
        SET_ID,
        "--student",
        "Ana Ruiz",
        "--out",
        str(back),
        "--author",
        "Dr. Okafor",
        "--data-dir",
        str(advisor),
    )
    assert (code, err) == (0, "")
    assert out == f"wrote {back}: 1 comment(s), 1 override(s)\n"

    code, out, err = run("comments", "import", str(back), "--data-dir", str(student))
    assert (code, err) == (0, "")
    assert out == f"imported 1 comment from Dr. Okafor on set {SET_ID} (1 talking-point verdict)\n"
    code, out, err = run("show", str(weak.id), "--data-dir", str(student))
    assert code == 0, err
    # `show` wraps long lines to the terminal; read the section as running text.
    section = " ".join(out[out.index("Advisor's comments:") :].split())
    assert f"Dr. Okafor, {out_day(back)}: {comment}" in section
    assert (
        f"Dr. Okafor marks talking point '{point}' as {'not covered' if was_covered else 'covered'}"
        in section
    )
    # Only the attempt the advisor spoke to carries it.
    code, out, _ = run("show", str(strong.id), "--data-dir", str(student))
    assert code == 0 and "Advisor's comments:" not in out


def out_day(comments_file: Path) -> str:
    """The day the advisor's comment is stamped with, as `show` prints it."""
    document = json.loads(comments_file.read_text(encoding="utf-8"))
    day: str = document["comments"][0]["created_at"][:10]
    return day


def test_an_answer_full_of_fillers_exports_and_imports(tmp_path: Path) -> None:
    # Every "um" and "like" is a quote of the fillers verdict: 1,500 of them here. The writer used to
    # allow 1,000 quotes (this one failed to export at all) and the reader 200; both now keep 200.
    rambling = " ".join(["Um, I think, like, you know, basically IR is, um, great."] * 300)
    student, advisor = tmp_path / "student", tmp_path / "advisor"
    practise(student, tmp_path / "set", [("dr-backup-plan", rambling)])
    sent = tmp_path / "ana.json"
    code, _, err = run(
        "export",
        "--set",
        SET_ID,
        "--format",
        "bundle",
        "--out",
        str(sent),
        "--student",
        "Ana Ruiz",
        "--data-dir",
        str(student),
    )
    assert code == 0, err
    fillers = next(
        c
        for c in json.loads(sent.read_text(encoding="utf-8"))["attempts"][0]["criteria"]
        if c["id"] == "fillers"
    )
    assert len(fillers["evidence"]) == 200
    code, out, err = run("cohort", "import", str(sent), "--data-dir", str(advisor))
    assert (code, err) == (0, "") and out.endswith("1 new, 0 updated\n")
