"""One assignment file and its versions: `sets pack`, importing packs, `score --set`, set ids everywhere."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.content.sets import load_practice_set, set_summary
from interviewcoach.core.history.store import Filter, Store
from interviewcoach.core.paths import shipped_dir

SETS = shipped_dir("question_bank") / "sets"
EXAMPLE = SETS / "ir-low-score.toml"
ANSWER = (
    "My long-term goal is to become an interventional radiologist. I know how competitive the "
    "integrated programs are, so I applied to DR as well. If I match DR I would pursue ESIR and the "
    "independent IR pathway. I loved following a GI bleed patient through embolization in the angio "
    "suite, and that is the work I want to do."
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def set_folder(tmp_path: Path) -> Path:
    """A copy of the example set's folder that a test may edit."""
    folder = tmp_path / "advisor"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "ir-low-score.toml")
    shutil.copy(SETS / "advisor-ir.toml", folder / "advisor-ir.toml")
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "ir-low-score.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_pack_is_one_private_json_file_that_validates_like_its_folder(
    set_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ir.icset"
    code, stdout, err = run("sets", "pack", str(set_folder), "--out", str(out))
    assert code == 0 and err == ""
    assert f"wrote {out}: version 1" in stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    pack = json.loads(out.read_text(encoding="utf-8"))
    assert pack["format"] == "interviewcoach-set" and pack["format_version"] == 1
    assert pack["id"] == "ir-low-score" and pack["version"] == 1
    assert set(pack["rubric_files"]) == {"advisor-ir.toml"}
    code, stdout, _ = run("sets", "validate", str(out))
    assert code == 0 and stdout.startswith(f"{out}: ok: set 'ir-low-score'")


def test_a_changed_set_gets_the_next_version_and_attempts_keep_theirs(
    set_folder: Path, tmp_path: Path
) -> None:
    out, data = tmp_path / "ir.icset", str(tmp_path / "data")
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    assert run("sets", "pack", str(set_folder), "--out", str(out))[0] == 0
    assert run("sets", "import", str(out), "--data-dir", data)[0] == 0
    save = ("score", "--set", "ir-low-score", "-q", "dr-backup-plan", "--text-file", str(answer), "--save")
    assert run(*save, "--data-dir", data)[0] == 0

    # Packing the same content again keeps the version; importing it again changes nothing.
    code, stdout, _ = run("sets", "pack", str(set_folder), "--out", str(out))
    assert code == 0 and "version 1 (unchanged)" in stdout
    code, stdout, _ = run("sets", "import", str(out), "--data-dir", data)
    assert code == 0 and "already imported, unchanged (version 1)" in stdout

    # The advisor rewords a question: the pack over the old one is version 2, and a student's
    # import of it replaces version 1 without --replace.
    edit(set_folder, "what is your long-term plan?", "what is your plan for the next ten years?")
    code, stdout, _ = run("sets", "pack", str(set_folder), "--out", str(out))
    assert code == 0 and "version 2 (was 1)" in stdout
    code, stdout, _ = run("sets", "import", str(out), "--data-dir", data)
    assert code == 0 and "version 2, replacing version 1" in stdout
    assert run(*save, "--data-dir", data)[0] == 0

    attempts = Store(Path(data)).attempts(Filter(set_id="ir-low-score"))
    assert sorted((a.set_version, a.question_text.endswith("ten years?")) for a in attempts) == [
        (1, False),
        (2, True),
    ]
    listed = json.loads(run("sets", "list", "--json", "--data-dir", data)[1])
    assert [(row["id"], row["version"]) for row in listed] == [("ir-low-score", 2)]


def test_a_set_file_may_name_its_version_and_due_date(set_folder: Path, tmp_path: Path) -> None:
    edit(set_folder, 'id = "ir-low-score"', 'id = "ir-low-score"\nversion = 4\ndue = "2026-12-20"')
    edit(set_folder, 'ref = "low-score"', 'ref = "low-score"\nrequired_attempts = 3')
    out = tmp_path / "ir.icset"
    code, stdout, _ = run("sets", "pack", str(set_folder), "--out", str(out))
    assert code == 0 and "version 4, due 2026-12-20" in stdout
    ps = load_practice_set(str(out))
    assert ps.version == 4 and ps.due is not None and ps.due.isoformat() == "2026-12-20"
    summary = set_summary(ps)
    assert summary["due"] == "2026-12-20"
    assert [q["required_attempts"] for q in summary["questions"]][:2] == [3, 1]
    # An explicit --version wins.
    assert "version 9" in run("sets", "pack", str(set_folder), "--out", str(out), "--version", "9")[1]


def test_an_older_pack_does_not_replace_a_newer_import_without_replace(
    set_folder: Path, tmp_path: Path
) -> None:
    data = str(tmp_path / "data")
    old, new = tmp_path / "old.icset", tmp_path / "new.icset"
    assert run("sets", "pack", str(set_folder), "--out", str(old))[0] == 0
    edit(set_folder, "Seven questions", "7 questions")
    assert run("sets", "pack", str(set_folder), "--out", str(new), "--version", "2")[0] == 0
    assert run("sets", "import", str(new), "--data-dir", data)[0] == 0
    code, _, err = run("sets", "import", str(old), "--data-dir", data)
    assert code == 2 and len(err.splitlines()) == 1
    assert "a different set 'ir-low-score' (version 2) is already imported; add --replace" in err
    code, stdout, _ = run("sets", "import", str(old), "--replace", "--data-dir", data)
    # The version never goes back: the old content is version 3 here.
    assert code == 0 and "version 3, replacing version 2" in stdout


def test_set_summary_is_the_bundle_set_object() -> None:
    summary = set_summary(load_practice_set(str(EXAMPLE)))
    assert set(summary) == {"id", "version", "title", "author", "instructions", "due", "questions"}
    assert summary["id"] == "ir-low-score" and summary["version"] == 1 and summary["due"] is None
    question = summary["questions"][3]
    assert set(question) == {
        "id",
        "text",
        "category",
        "follow_ups",
        "talking_points",
        "required_attempts",
        "rubric",
    }
    assert question["id"] == "dr-backup-plan"
    assert question["follow_ups"] == ["Would you be happy as a diagnostic radiologist?"]
    # advisor-ir scores talking points itself, so the question keeps it as it is.
    assert question["rubric"]["name"] == "Advisor: IR fit and pathway"
    assert {"id": "talking_points", "name": "Your advisor's points"} in question["rubric"]["criteria"]
    json.dumps(summary)  # JSON-ready as it is


# --- hostile packs ---------------------------------------------------------------------------------


def _pack(tmp_path: Path, **changes: object) -> Path:
    base: dict[str, object] = {
        "format": "interviewcoach-set",
        "format_version": 1,
        "id": "ir-low-score",
        "version": 1,
        "set_file": EXAMPLE.read_text(encoding="utf-8"),
        "rubric_files": {"advisor-ir.toml": (SETS / "advisor-ir.toml").read_text(encoding="utf-8")},
    }
    path = tmp_path / "hostile.icset"
    path.write_text(json.dumps(base | changes), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"format": "zip"}, "not a set pack"),
        ({"format_version": 7}, "pack format version 7: this app reads version 1"),
        ({"rubric_files": {"../../evil.toml": "x"}}, "'../../evil.toml': not a rubric file name"),
        ({"rubric_files": {"set.toml": "x"}}, "'set.toml': not a rubric file name"),
        ({"id": "../x"}, "id: String should match"),
        ({"extra": 1}, "extra: Extra inputs are not permitted"),
        ({"set_file": "[set\n"}, "hostile.icset/set.toml:1: TOML syntax error"),
        (
            {"rubric_files": {"advisor-ir.toml": "[rubric]\nid = 'advisor-ir'\n"}},
            "hostile.icset/advisor-ir.toml",
        ),
    ],
)
def test_a_hostile_pack_is_refused_in_plain_lines_and_stores_nothing(
    tmp_path: Path, changes: dict[str, object], expected: str
) -> None:
    data = tmp_path / "data"
    path = _pack(tmp_path, **changes)
    code, _, err = run("sets", "import", str(path), "--data-dir", str(data))
    assert code == 2 and expected in err
    assert not (data / "sets").exists() or list((data / "sets").iterdir()) == []
    assert not (tmp_path / "evil.toml").exists() and not (tmp_path.parent / "evil.toml").exists()


def test_not_json_and_oversized_packs(tmp_path: Path) -> None:
    path = tmp_path / "x.icset"
    path.write_text("{not json", encoding="utf-8")
    code, _, err = run("sets", "validate", str(path))
    assert code == 2
    assert (
        err == f"{path}:1: not a set pack (JSON error: Expecting property name enclosed in double quotes)\n"
    )
    with path.open("wb") as big:
        big.truncate(17 * 1024 * 1024)
    code, _, err = run("sets", "import", str(path), "--data-dir", str(tmp_path / "data"))
    assert code == 2 and "is over 16,777,216 bytes" in err


def test_pack_refuses_to_overwrite_something_else(set_folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "notes.icset"
    other.write_text("my notes", encoding="utf-8")
    code, _, err = run("sets", "pack", str(set_folder), "--out", str(other))
    assert code == 2 and "exists and is not a pack of set 'ir-low-score'" in err
    assert other.read_text(encoding="utf-8") == "my notes"
    code, _, err = run("sets", "pack", str(set_folder), "--out", str(tmp_path / "x.json"))
    assert code == 2 and "a set pack's name ends in .icset" in err


# --- score --set and set ids ----------------------------------------------------------------------


def test_score_set_question_typed_json_and_save(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    data = tmp_path / "data"
    # A shipped example set by id, on a fresh data directory: nothing to import first.
    code, out, _ = run(
        "score", "--set", "ir-low-score", "-q", "dr-backup-plan", "--text-file", str(answer), "--json",
        "--save", "--data-dir", str(data),
    )  # fmt: skip
    assert code == 0
    result = json.loads(out)
    assert result["rubric_id"] == "advisor-ir"
    assert result["criteria"]["talking_points"]["passed"] is True
    [saved] = Store(data).attempts(Filter(set_id="ir-low-score"))
    assert saved.set_version == 1 and saved.question_id == "dr-backup-plan"


def test_score_a_set_question_without_set_names_the_set(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    code, out, err = run("score", "-q", "dr-backup-plan", "--text-file", str(answer))
    assert code == 2 and out == ""
    assert err == (
        "interviewcoach: question 'dr-backup-plan' is not in the bank; it is in set ir-low-score: "
        "add --set ir-low-score\n"
    )
    code, _, err = run("score", "--set", "ir-low-score", "-q", "dr-backup-pla", "--text-file", str(answer))
    assert (
        code == 2
        and "set 'ir-low-score' has no question 'dr-backup-pla'; did you mean dr-backup-plan?" in err
    )


def test_scoring_a_bank_question_an_imported_set_asks_says_how_to_score_it_as_the_set(
    tmp_path: Path,
) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    data = str(tmp_path / "data")
    assert run("sets", "import", str(EXAMPLE), "--data-dir", data)[0] == 0
    code, out, err = run("score", "-q", "low-score", "--text-file", str(answer), "--json", "--data-dir", data)
    assert code == 0 and json.loads(out)["rubric_id"] == "setback"
    assert "it is also in set ir-low-score: add --set ir-low-score" in err


def test_score_jsonl_with_a_set(tmp_path: Path) -> None:
    lines = tmp_path / "answers.jsonl"
    lines.write_text(json.dumps({"id": 1, "question_id": "dr-backup-plan", "answer": ANSWER}) + "\n")
    code, out, _ = run("score", "--set", str(EXAMPLE), "--jsonl", str(lines))
    assert code == 0 and json.loads(out)["rubric_id"] == "advisor-ir"


def test_record_names_a_shipped_set_by_id_on_a_fresh_data_directory(
    tmp_path: Path, no_audio_devices: dict[str, str]
) -> None:
    """The README's `record --question low-score --set ir-low-score` finds the set; only the
    microphone is missing here."""
    code, _, err = run(
        "record", "--question", "low-score", "--set", "ir-low-score", "--data-dir", str(tmp_path / "fresh")
    )
    assert code == 2 and "no imported set" not in err
    assert "input device" in err or "microphone" in err


def test_export_by_a_shipped_set_id(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    data = str(tmp_path / "data")
    score = ("score", "--set", "ir-low-score", "-q", "dr-backup-plan", "--text-file", str(answer), "--save")
    assert run(*score, "--data-dir", data)[0] == 0
    out = tmp_path / "report.md"
    code, _, err = run(
        "export", "--set", "ir-low-score", "--format", "md", "--out", str(out), "--data-dir", data
    )
    assert code == 0, err
    assert "IR interviews with a low Step score" in out.read_text(encoding="utf-8")


def test_record_names_the_set_of_a_set_only_question_before_any_audio(
    tmp_path: Path, no_audio_devices: dict[str, str]
) -> None:
    code, _, err = run("record", "--question", "dr-backup-plan", "--data-dir", str(tmp_path / "fresh"))
    assert code == 2
    assert err == (
        "interviewcoach: question 'dr-backup-plan' is not in the bank; it is in set ir-low-score: "
        "add --set ir-low-score\n"
    )


def test_a_missing_answer_file_is_one_line_even_for_a_question_an_imported_set_asks(
    tmp_path: Path,
) -> None:
    # Seen: the "it is also in set" note came first, then the error: two lines for one mistake.
    data = str(tmp_path / "data")
    assert run("sets", "import", str(EXAMPLE), "--data-dir", data)[0] == 0
    missing = tmp_path / "nope.txt"
    code, out, err = run("score", "-q", "low-score", "--text-file", str(missing), "--data-dir", data)
    assert code == 2 and out == ""
    assert err.splitlines() == [f"interviewcoach: {missing}: no such file"]
