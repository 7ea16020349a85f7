"""The bundle a student sends an advisor: `export --format bundle`, its exact shape, its reader's checks."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.errors import UserError
from interviewcoach.core.history.bundle import MAX_BUNDLE_BYTES, Bundle, read_bundle
from interviewcoach.core.history.store import Store
from tests.history_data import make_score, write_wav
from tests.student_data import DR_STRONG, DR_WEAK, LOW_SCORE, SET_TOML, practise

# The format's keys, level by level, exactly as the advisor's side expects them.
TOP = {"format", "format_version", "exported_at", "app_version", "student", "set", "attempts"}
SET = {"id", "version", "title", "author", "instructions", "due", "questions"}
QUESTION = {"id", "text", "category", "follow_ups", "talking_points", "required_attempts", "rubric"}
ATTEMPT = {
    "uid",
    "question_id",
    "created_at",
    "set_version",
    "overall",
    "no_answer",
    "duration_s",
    "transcript",
    "criteria",
    "talking_points",
    "audio",
}
CRITERION = {"id", "name", "score", "passed", "advice", "evidence"}
POINT = {"text", "covered", "evidence", "nearest"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    answers = [("dr-backup-plan", DR_WEAK), ("low-score", LOW_SCORE), ("dr-backup-plan", DR_STRONG)]
    practise(data, tmp_path / "set", answers)
    return data


def test_bundle_has_the_agreed_shape_and_content(tmp_path: Path, data: Path) -> None:
    assert run("profile", "--name", "Ana Ruiz", "--cohort", "2027", "--data-dir", str(data))[0] == 0
    out = tmp_path / "ana.json"
    code, stdout, err = run(
        "export", "--set", "cohort-a", "--format", "bundle", "--out", str(out), "--data-dir", str(data)
    )
    assert code == 0, err
    assert stdout == "" and "wrote 3 attempts" in err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    bundle = read_bundle(out)  # the advisor's reader accepts it
    raw: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert set(raw) == TOP and set(raw["set"]) == SET
    assert all(set(q) == QUESTION for q in raw["set"]["questions"])
    assert all(set(a) == ATTEMPT for a in raw["attempts"])
    assert all(set(c) == CRITERION for a in raw["attempts"] for c in a["criteria"])
    assert all(set(p) == POINT for a in raw["attempts"] for p in a["talking_points"])

    assert raw["format"] == "interviewcoach-bundle" and raw["format_version"] == 1
    assert raw["student"] == {"name": "Ana Ruiz", "email": None, "cohort": "2027"}
    assert raw["set"]["id"] == "cohort-a" and raw["set"]["version"] == 1
    assert raw["set"]["instructions"].startswith("Answer aloud")
    dr = raw["set"]["questions"][0]
    assert dr["follow_ups"] == ["Would you be happy as a diagnostic radiologist?"]
    # The custom rubric's own criterion names, not the built-in ones.
    assert {"id": "brevity", "name": "Length"} in dr["rubric"]["criteria"]
    assert [q["id"] for q in raw["set"]["questions"]] == ["dr-backup-plan", "low-score", "angio-suite-2am"]

    store = Store(data)
    assert [a["uid"] for a in raw["attempts"]] == [a.uid for a in store.attempts()]
    strong = raw["attempts"][2]
    assert strong["transcript"] == DR_STRONG and strong["set_version"] == 1 and strong["audio"] is None
    assert strong["overall"] == store.attempts()[2].overall
    brevity = next(c for c in strong["criteria"] if c["id"] == "brevity")
    assert brevity["name"] == "Length" and brevity["advice"]
    # Evidence spans point into the transcript, each once.
    for attempt in raw["attempts"]:
        for criterion in attempt["criteria"]:
            spans = [(e["start"], e["end"]) for e in criterion["evidence"]]
            assert len(spans) == len(set(spans))
            for e in criterion["evidence"]:
                assert attempt["transcript"][e["start"] : e["end"]] == e["text"]
    points = {p["text"]: p for p in strong["talking_points"]}
    goal = points["long-term goal is interventional radiology"]
    assert goal["covered"] is True and goal["evidence"] is not None
    assert DR_STRONG[goal["evidence"]["start"] : goal["evidence"]["end"]] == goal["evidence"]["text"]
    weak_points = raw["attempts"][0]["talking_points"]
    assert [p["covered"] for p in weak_points] == [False, False] and weak_points[0]["evidence"] is None
    # A missed point quotes the answer's nearest sentence (it was always null).
    for point in weak_points:
        near = point["nearest"]
        assert near is not None and DR_WEAK[near["start"] : near["end"]] == near["text"]
    assert all(p["nearest"] is None for p in strong["talking_points"] if p["covered"])
    assert isinstance(bundle, Bundle) and len(bundle.attempts) == 3


def test_the_bundle_carries_the_due_date_and_the_attempts_asked_for(tmp_path: Path) -> None:
    """The set's due date and required attempts reach the advisor (they were dropped: 1 and no date)."""
    text = SET_TOML.replace(
        'rubrics = ["custom-ir.toml"]', 'rubrics = ["custom-ir.toml"]\ndue = "2027-01-15"'
    ).replace(
        'rubric = "custom-ir"\nfollow_ups', 'rubric = "custom-ir"\nrequired_attempts = 2\nfollow_ups', 1
    )
    data = tmp_path / "data"
    practise(data, tmp_path / "set", [("dr-backup-plan", DR_STRONG)], text=text)
    out = tmp_path / "ana.json"
    args = ["export", "--set", "cohort-a", "--format", "bundle", "--out", str(out), "--data-dir", str(data)]
    code, _, err = run(*args, "--student", "Ana Ruiz")
    assert code == 0, err
    summary = read_bundle(out).set
    assert str(summary.due) == "2027-01-15"
    wanted = {q.id: q.required_attempts for q in summary.questions}
    assert wanted == {"dr-backup-plan": 2, "low-score": 1, "angio-suite-2am": 1}


def test_no_name_refused_and_student_option_overrides(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "b.json"
    args = ["export", "--set", "cohort-a", "--format", "bundle", "--out", str(out), "--data-dir", str(data)]
    code, stdout, err = run(*args)
    assert code == 2 and stdout == "" and not out.exists()
    assert err == "interviewcoach: set your name first: interviewcoach profile --name ...\n"
    assert run(*args, "--student", "Ben Cho")[0] == 0
    assert read_bundle(out).student.name == "Ben Cho"
    code, _, err = run(*args, "--student", "Ben\x1b[2J")
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err


@pytest.mark.parametrize(
    "extra",
    [
        ["--format", "bundle"],  # no --set
        ["--set", "cohort-a", "--question", "low-score", "--format", "bundle"],
        ["--set", "cohort-a", "--format", "html", "--with-audio"],
        ["--set", "no-such-set", "--format", "bundle"],
    ],
)
def test_bad_bundle_requests_are_one_line(tmp_path: Path, data: Path, extra: list[str]) -> None:
    args = ["export", *extra, "--out", str(tmp_path / "b.json"), "--student", "Ana", "--data-dir", str(data)]
    code, stdout, err = run(*args)
    assert code == 2 and stdout == "" and err.count("\n") == 1


def test_recordings_only_when_the_student_chooses(tmp_path: Path, data: Path) -> None:
    wav = write_wav(tmp_path / "answer.wav")
    recorded = wav.read_bytes()
    store = Store(data, keep_audio=True)
    store.save_attempt(
        make_score("low-score", rubric_id="setback--talking-points"), set_id="cohort-a", audio_path=wav
    )
    out = tmp_path / "b.json"
    args = ["export", "--set", "cohort-a", "--format", "bundle", "--out", str(out), "--student", "Ana"]
    assert run(*args, "--data-dir", str(data))[0] == 0
    assert all(a.audio is None for a in read_bundle(out).attempts)
    code, _, err = run(*args, "--with-audio", "--data-dir", str(data))
    assert code == 0 and "with 1 recording" in err
    with_audio = [a for a in read_bundle(out).attempts if a.audio is not None]
    assert len(with_audio) == 1 and with_audio[0].audio is not None
    assert with_audio[0].audio.format == "wav"
    assert base64.b64decode(with_audio[0].audio.base64) == recorded


def _bundle(tmp_path: Path, data: Path) -> dict[str, Any]:
    out = tmp_path / "good.json"
    run(
        "export",
        "--set",
        "cohort-a",
        "--format",
        "bundle",
        "--out",
        str(out),
        "--student",
        "Ana",
        "--data-dir",
        str(data),
    )
    loaded: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b.update(script="x"), "script: unknown field"),
        (lambda b: b["attempts"][0].update(uid="../x"), "attempts.0.uid"),
        (lambda b: b["attempts"][0].update(transcript="x" * 200_001), "attempts.0.transcript"),
        (lambda b: b["attempts"][0]["criteria"][0].update(score=7), "attempts.0.criteria.0.score"),
        (lambda b: b["student"].update(name=""), "student.name"),
        (lambda b: b.update(format_version=2), "bundle format version 2 is not supported"),
        (lambda b: b["attempts"][0].update(audio={"format": "wav", "base64": "", "rate": 16000}), None),
    ],
)
def test_the_reader_refuses_a_bad_bundle_in_one_line(
    tmp_path: Path, data: Path, damage: Any, message: str | None
) -> None:
    raw = _bundle(tmp_path, data)
    damage(raw)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    if message is None:  # extra keys are allowed inside "audio" only
        assert read_bundle(path).attempts[0].audio is not None
        return
    with pytest.raises(UserError) as caught:
        read_bundle(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_the_reader_bounds_the_file_and_the_attempts(tmp_path: Path, data: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(MAX_BUNDLE_BYTES + 1)
    with pytest.raises(UserError, match=r"too large \(67,108,865 bytes; a bundle is at most 64 MiB\)"):
        read_bundle(huge)
    raw = _bundle(tmp_path, data)
    raw["attempts"] = raw["attempts"][:1] * 10_001
    many = tmp_path / "many.json"
    many.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(UserError, match="attempts"):
        read_bundle(many)
