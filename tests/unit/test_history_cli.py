"""The history commands: score --save, history, show, rescore, delete, export and doctor."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.content.questions import QuestionBank, follow_up_question
from interviewcoach.core.content.sets import load_practice_set
from interviewcoach.core.history.store import Filter, Store, local_time
from interviewcoach.core.scoring.engine import score
from interviewcoach.core.scoring.rubrics import RubricSet
from tests.history_data import make_score, write_wav

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_SET = ROOT / "question_bank" / "sets" / "ir-low-score.toml"

ANSWER = (
    "My Step 1 score was 221, below the range for IR. I did not have a study system then. I rebuilt it "
    "around daily question banks and spaced repetition, and my Step 2 CK score rose to 255. On my IR "
    "rotation I earned honors, and that is the habit I bring to residency."
)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def answer_file(tmp_path: Path) -> Path:
    path = tmp_path / "answer.txt"
    path.write_text(ANSWER, encoding="utf-8")
    return path


def test_score_save_then_history_and_show(runner: CliRunner, data: Path, answer_file: Path) -> None:
    code, out, err = run(
        runner,
        "score",
        "-q",
        "low-score",
        "--text-file",
        str(answer_file),
        "--json",
        "--save",
        "--data-dir",
        str(data),
    )
    assert code == 0, err
    scored = json.loads(out)  # stdout stays pure JSON; the saved note goes to stderr
    assert "saved as attempt 1" in err

    code, out, _ = run(runner, "history", "--data-dir", str(data))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["#", "when", "question"]
    assert lines[1].split()[0] == "1" and "low-score" in lines[1] and str(scored["overall"]) in lines[1]

    code, out, _ = run(runner, "show", "1", "--json", "--data-dir", str(data))
    shown = json.loads(out)
    assert shown["score"]["criteria"] == scored["criteria"]
    assert shown["category"] == "setbacks" and shown["status"] == "scored"

    code, out, _ = run(runner, "show", "1", "--data-dir", str(data))
    assert code == 0
    assert "Attempt 1" in out and "Walk me through your board scores" in out
    assert f"{scored['overall']}/100" in out and "Transcript:" in out and "spaced repetition" in out


def test_history_filters_and_json(runner: CliRunner, data: Path) -> None:
    store = Store(data)
    store.save_attempt(make_score(overall=30), created_at="2025-01-01T10:00:00.000000Z")
    store.save_attempt(make_score("failed-attempt", overall=60), created_at="2025-02-01T10:00:00.000000Z")
    store.save_attempt(make_score(overall=70), created_at="2025-03-01T10:00:00.000000Z", set_id="s1")
    code, out, _ = run(runner, "history", "--question", "low-score", "--json", "--data-dir", str(data))
    assert code == 0 and [r["overall"] for r in json.loads(out)] == [70, 30]
    code, out, _ = run(runner, "history", "--since", "2025-01-15", "--json", "--data-dir", str(data))
    assert [r["overall"] for r in json.loads(out)] == [70, 60]
    # A date with a time, local: noon on 2 February is after 1 February 10:00 UTC in every time zone.
    code, out, _ = run(runner, "history", "--since", "2025-02-02T12:00", "--json", "--data-dir", str(data))
    assert code == 0 and [r["overall"] for r in json.loads(out)] == [70]
    code, out, _ = run(runner, "history", "--set", "s1", "--data-dir", str(data))
    assert "set s1" in out and len(out.splitlines()) == 2
    code, out, _ = run(runner, "history", "--question", "nope", "--data-dir", str(data))
    assert code == 0 and "no attempts saved match" in out


def test_empty_history_says_how_to_save(runner: CliRunner, data: Path) -> None:
    code, out, _ = run(runner, "history", "--data-dir", str(data))
    assert code == 0 and "--save" in out


def test_history_uses_interviewcoach_home_without_data_dir(runner: CliRunner) -> None:
    Store(Path(os.environ["INTERVIEWCOACH_HOME"])).save_attempt(make_score(overall=44))
    code, out, _ = run(runner, "history")
    assert code == 0 and " 44 " in out


def test_show_unknown_attempt_is_one_line_and_exit_2(runner: CliRunner, data: Path) -> None:
    code, out, err = run(runner, "show", "9", "--data-dir", str(data))
    assert code == 2 and out == ""
    assert err.strip() == "interviewcoach: no attempt 9 in the history (see `interviewcoach history`)"


def test_show_compare(runner: CliRunner, data: Path) -> None:
    store = Store(data)
    store.save_attempt(
        make_score(overall=40, criteria={"brevity": 0.3}), created_at="2025-01-01T10:00:00.000000Z"
    )
    store.save_attempt(
        make_score(overall=65, criteria={"brevity": 0.9}), created_at="2025-01-02T10:00:00.000000Z"
    )
    code, out, _ = run(runner, "show", "2", "--data-dir", str(data))
    assert "show 2 --compare 1" in out
    code, out, _ = run(runner, "show", "2", "--compare", "1", "--data-dir", str(data))
    assert code == 0
    overall = next(line for line in out.splitlines() if line.startswith("overall"))
    assert overall.split() == ["overall", "40", "65", "+25"]
    brevity = next(line for line in out.splitlines() if line.startswith("Brief"))
    assert brevity.split() == ["Brief", "0.30", "0.90", "+0.60"]


def test_rescore_after_a_rubric_change(
    runner: CliRunner, data: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    store = Store(data)
    old = make_score(overall=12, criteria={"retired_criterion": 0.1}, text=ANSWER, audio=False)
    store.save_attempt(old, rubric_version=0)
    code, out, err = run(runner, "rescore", "1", "--data-dir", str(data))
    assert code == 0, err
    question = bank.get("low-score")
    expected = score(question, rubrics.get(question.rubric), text=ANSWER)
    version = rubrics.get(question.rubric).version
    assert out.strip() == f"attempt 1: 12 -> {expected.overall} (rubric {question.rubric} v{version})"
    stored = store.get(1)
    assert stored.score is not None and set(stored.score.criteria) == set(expected.criteria)
    assert stored.rubric_version == version and stored.rescored_at is not None


def test_rescore_all_reports_what_it_could_not_do(runner: CliRunner, data: Path) -> None:
    store = Store(data)
    store.save_attempt(make_score(text=ANSWER, audio=False))
    store.save_attempt(make_score("retired-question", text=ANSWER, audio=False))
    code, out, err = run(runner, "rescore", "--all", "--data-dir", str(data))
    assert code == 2
    assert "attempt 1: " in out and "rescored 1 of 2 attempts" in out
    assert "attempt 2: not rescored: unknown question id 'retired-question'" in err
    code, out, err = run(runner, "rescore", "--data-dir", str(data))
    assert code == 2 and out == ""
    assert err == "interviewcoach: say what to rescore: an attempt id, or --all for every saved attempt\n"
    code, out, err = run(runner, "rescore", "1", "--all", "--data-dir", str(data))
    assert code == 2 and out == "" and err == "interviewcoach: give attempt 1 or --all, not both\n"


def test_delete_removes_the_attempt_and_its_recording(runner: CliRunner, data: Path, tmp_path: Path) -> None:
    store = Store(data, keep_audio=True)
    attempt_id = store.save_attempt(make_score(), audio_path=write_wav(tmp_path / "a.wav"))
    audio = store.get(attempt_id).audio_path
    assert audio is not None and audio.is_file()
    code, out, _ = run(runner, "delete", str(attempt_id), "--data-dir", str(data))
    assert code == 0 and out.strip() == f"deleted attempt {attempt_id} and its recording"
    assert not audio.exists() and store.count() == 0
    code, _, err = run(runner, "delete", str(attempt_id), "--data-dir", str(data))
    assert code == 2 and "no attempt" in err


def test_export_one_attempt_each_format(runner: CliRunner, data: Path, tmp_path: Path) -> None:
    Store(data).save_attempt(make_score(text="Answer with <script>x</script> & more words here."))
    for suffix in ("md", "html", "json"):
        out_file = tmp_path / f"report.{suffix}"
        code, _, err = run(runner, "export", "1", "--out", str(out_file), "--data-dir", str(data))
        assert code == 0, err
        assert "wrote 1 attempt to" in err
        text = out_file.read_text(encoding="utf-8")
        assert "<script>" not in text or suffix == "json"
        assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    assert json.loads((tmp_path / "report.json").read_text())["attempts"][0]["id"] == 1
    code, out, _ = run(runner, "export", "1", "--format", "md", "--out", "-", "--data-dir", str(data))
    assert code == 0 and out.startswith("# Interview practice: attempt 1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "r.md"], "say what to export"),
        (["1", "--question", "low-score", "--out", "r.md"], "not both"),
        (["1", "--out", "report.txt"], "give --format"),
        (["1", "--format", "pdf", "--out", "r.pdf"], "'pdf' is not one of 'md', 'html', 'json', 'bundle'"),
        (["--question", "low-score", "--out", "r.md"], "no saved attempts match"),
        (["--since", "yesterday-ish", "--out", "r.md"], "'yesterday-ish' is not a date"),
    ],
)
def test_export_errors(runner: CliRunner, data: Path, args: list[str], message: str) -> None:
    code, _, err = run(runner, "export", *args, "--data-dir", str(data))
    assert code == 2 and message in err


def test_export_set_for_an_advisor(
    runner: CliRunner, data: Path, tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    code, _, err = run(runner, "sets", "import", str(EXAMPLE_SET), "--data-dir", str(data))
    assert code == 0, err
    practice = load_practice_set("ir-low-score", data, bank=bank, rubrics=rubrics)
    question = practice.get("low-score")
    rubric = practice.rubric_for(question)
    store = Store(data)
    for day, text in ((1, ANSWER[:160]), (2, ANSWER)):
        result = score(question, rubric, text=text)
        store.save_attempt(
            result,
            set_id=practice.id,
            rubric_version=rubric.version,
            question=question,
            created_at=f"2025-01-0{day}T10:00:00.000000Z",
        )
    store.save_attempt(make_score(text=ANSWER, audio=False))  # not on the set: left out

    out_file = tmp_path / "advisor.html"
    code, _, err = run(
        runner, "export", "--set", practice.id, "--out", str(out_file), "--data-dir", str(data)
    )
    assert code == 0, err
    page = out_file.read_text(encoding="utf-8")
    assert "<title>Practice report: IR interviews with a low Step score</title>" in page
    assert "IR faculty mentor (example)" in page
    assert page.count('<h2 id="attempt-') == 2 and "Progress by question" in page
    assert "Talking points" in page  # the talking-points criterion, by its rubric name
    # The rubric a set's talking points make is named for a reader, not by its internal id.
    assert "rubric setback + talking points v" in page and "--talking-points" not in page
    code, out, _ = run(runner, "show", "1", "--data-dir", str(data))
    assert code == 0 and "rubric setback + talking points v" in out and "--talking-points" not in out

    json_file = tmp_path / "advisor.json"
    code, _, _ = run(runner, "export", "--set", practice.id, "--out", str(json_file), "--data-dir", str(data))
    report = json.loads(json_file.read_text(encoding="utf-8"))
    assert [a["set_id"] for a in report["attempts"]] == [practice.id, practice.id]
    talking = [a["score"]["criteria"]["talking_points"] for a in report["attempts"]]
    assert all("talking points" in t["feedback"] for t in talking)
    assert len(report["trends"]["criteria"]["talking_points"]) == 2
    assert store.count(Filter(set_id=practice.id)) == 2


def test_doctor_imports_a_recording_without_an_attempt(runner: CliRunner, data: Path) -> None:
    store = Store(data)
    orphan = write_wav(store.audio_dir / "20250101-120000-000000-low-score.wav")
    old = time.time() - 3600
    os.utime(orphan, (old, old))
    code, out, _ = run(runner, "doctor", "--check", "--data-dir", str(data))
    assert code == 1 and "problem:" in out and "recording without an attempt" in out
    code, out, _ = run(runner, "doctor", "--data-dir", str(data))
    assert code == 0 and "imported as pending attempt 1" in out
    code, out, _ = run(runner, "history", "--data-dir", str(data))
    assert "pending" in out.splitlines()[1]
    code, out, _ = run(runner, "show", "1", "--data-dir", str(data))
    assert "rescore 1" in out
    code, out, _ = run(runner, "doctor", "--json", "--data-dir", str(data))
    assert json.loads(out)["ok"] is True and json.loads(out)["repaired"] == []


def test_history_commands_are_registered(runner: CliRunner) -> None:
    code, out, _ = run(runner, "--help")
    assert code == 0
    for name in ("history", "show", "rescore", "delete", "export", "doctor"):
        assert name in out


def test_show_an_attempt_scored_with_an_older_rubric(runner: CliRunner, data: Path) -> None:
    Store(data).save_attempt(make_score(overall=12, criteria={"retired_criterion": 0.1}), rubric_version=0)
    code, out, _ = run(runner, "show", "1", "--data-dir", str(data))
    assert code == 0
    assert "OVERALL 12/100   (rubric setback v0 at the time)" in out
    assert "SHORT  retired_criterion  0.10" in out and "retired_criterion feedback" in out


def test_show_compare_names_criteria_by_the_attempts_own_rubric(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    # "own_role" is "What you did" in the motivation rubric and "Concrete steps" in the
    # weakness and pathway rubrics: the table must use the rubric the answers were scored on.
    weak = tmp_path / "weak.txt"
    weak.write_text("I want IR because I like procedures. I am a hard worker.", encoding="utf-8")
    strong = tmp_path / "strong.txt"
    strong.write_text(
        "On my IR elective I scrubbed in as Dr. Patel embolized a bleeding artery, and I rounded on "
        "the patient the next day. That is why I want IR.",
        encoding="utf-8",
    )
    for path in (weak, strong):
        code, _, _ = run(
            runner, "score", "-q", "why-ir", "--text-file", str(path), "--save", "--data-dir", str(data)
        )
        assert code == 0
    code, out, _ = run(runner, "show", "2", "--compare", "1", "--data-dir", str(data))
    assert code == 0
    labels = [line[:28].strip() for line in out.splitlines()]
    assert "What you did" in labels and "What came of it" in labels
    assert "Concrete steps" not in labels and "Evidence of progress" not in labels
    code, out, _ = run(
        runner, "export", "-q", "why-ir", "--format", "json", "--out", "-", "--data-dir", str(data)
    )
    assert code == 0
    report = json.loads(out)
    assert report["criterion_names"]["own_role"] == "What you did"
    assert report["rubric_names"]["motivation"]["own_role"] == "What you did"
    assert report["rubric_names"]["weakness"]["own_role"] == "Concrete steps"


def test_a_mock_follow_up_can_be_rescored(
    runner: CliRunner, data: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    # A follow-up is saved under "<question>-follow-up", which is no bank question: rescoring it
    # said "unknown question id 'low-score-follow-up'; did you mean low-score?".
    store = Store(data)
    old = make_score("low-score-follow-up", overall=12, text=ANSWER, audio=False)
    store.save_attempt(old, rubric_version=0)
    code, out, err = run(runner, "rescore", "1", "--data-dir", str(data))
    assert code == 0, err
    # Scored on its question's rubric against the follow-up's short target.
    question = follow_up_question(bank.get("low-score"), "What would you do differently?")
    expected = score(question, rubrics.get(question.rubric), text=ANSWER)
    assert out.startswith(f"attempt 1: 12 -> {expected.overall} (rubric setback ")


def test_show_compare_gives_the_time_of_two_answers_made_the_same_day(runner: CliRunner, data: Path) -> None:
    # Seen: "when  2026-12-05  2026-12-05" for a retry an hour later: the two columns looked alike.
    store = Store(data)
    store.save_attempt(make_score(overall=40), created_at="2025-01-01T10:00:00.000000Z")
    store.save_attempt(make_score(overall=65), created_at="2025-01-01T11:30:00.000000Z")
    code, out, _ = run(runner, "show", "2", "--compare", "1", "--data-dir", str(data))
    assert code == 0
    when = next(line for line in out.splitlines() if line.startswith("when"))
    first, second = (local_time(s) for s in ("2025-01-01T10:00:00.000000Z", "2025-01-01T11:30:00.000000Z"))
    assert first in when and second in when


def test_rescore_with_the_same_rubric_gives_the_same_score(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    # Seen: an answer to "Why IR?" saved on the board-score question scored 8; `rescore` made it 39
    # with no rubric change, because it scored without the bank's other questions (the off-topic check).
    answer = tmp_path / "answer.txt"
    answer.write_text(
        "I want IR because I like procedures and I like helping people. IR is the future of medicine. "
        "I am a hard worker and a team player.",
        encoding="utf-8",
    )
    code, _, err = run(
        runner, "score", "-q", "low-score", "--text-file", str(answer), "--save", "--data-dir", str(data)
    )
    assert code == 0, err
    before = Store(data).get(1).overall
    code, out, err = run(runner, "rescore", "1", "--data-dir", str(data))
    assert code == 0, err
    assert out.startswith(f"attempt 1: {before} -> {before} "), out
