"""The SQLite history: round trips, filters, trends, deletes, migration from v1, crashes and concurrency."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.errors import UserError
from interviewcoach.core.history.doctor import doctor
from interviewcoach.core.history.store import (
    DB_NAME,
    SCHEMA_VERSION,
    Filter,
    Store,
    StoreError,
    UnknownAttemptError,
    parse_since,
    rescore_attempt,
    save_result,
)
from interviewcoach.core.models import Transcript
from interviewcoach.core.scoring.rubrics import RubricSet
from tests.history_data import ANSWER, make_score, transcript_for, write_wav

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data", keep_audio=True)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 1, day, hour)


# --- round trips -------------------------------------------------------------------------------------


def test_text_answer_round_trips_with_every_field(store: Store) -> None:
    score = make_score(audio=False)
    attempt_id = store.save_attempt(score, set_id="ir-low-score", rubric_version=3)
    attempt = store.get(attempt_id)
    assert attempt.score is not None
    assert attempt.score.model_dump(exclude={"id"}) == score.model_dump(exclude={"id"})
    assert attempt.score.id == attempt_id
    assert (attempt.overall, attempt.rubric_id, attempt.rubric_version) == (70, "setback", 3)
    assert attempt.set_id == "ir-low-score"
    assert attempt.status == "scored" and not attempt.interrupted and attempt.audio_path is None
    # Question text and category come from the bank when the caller did not pass the question.
    assert attempt.category == "setbacks"
    assert attempt.question_text.startswith("Walk me through your board scores")
    assert attempt.engine == "" and attempt.duration_s is None


def test_recorded_answer_keeps_word_timings_engine_and_a_private_copy_of_the_audio(
    store: Store, tmp_path: Path
) -> None:
    source = write_wav(tmp_path / "mine" / "answer.wav", seed=3)
    score = make_score()
    attempt_id = store.save_attempt(score, audio_path=source, interrupted=True)
    attempt = store.get(attempt_id)
    assert attempt.score is not None and attempt.score.transcript is not None
    assert attempt.score.transcript.words == score.transcript.words  # type: ignore[union-attr]
    assert attempt.score.criteria["ownership"].evidence[0].label == "ownership_span"
    assert (attempt.engine, attempt.model) == ("faster-whisper", "tiny.en")
    assert attempt.interrupted and attempt.duration_s == score.metrics.duration_s
    # The user's file is copied in, never moved: deleting the attempt must not touch theirs.
    assert attempt.audio_path is not None and attempt.audio_path.parent == store.audio_dir
    assert attempt.audio_path.read_bytes() == source.read_bytes() and source.is_file()
    assert attempt.audio_path.name.endswith("-low-score.wav")
    assert mode(attempt.audio_path) == 0o600 and mode(store.audio_dir) == 0o700
    # Kept relative, so the data directory can be moved.
    with sqlite3.connect(store.db_path) as conn:
        stored = conn.execute("SELECT audio_path FROM attempts WHERE id = ?", (attempt_id,)).fetchone()[0]
    assert stored == f"audio/{attempt.audio_path.name}"


def test_recording_made_in_the_audio_folder_stays_where_it_is(store: Store) -> None:
    recording = write_wav(store.audio_dir / "20250101-120000-000000-low-score.wav")
    attempt_id = store.save_attempt(make_score(), audio_path=recording)
    assert store.get(attempt_id).audio_path == recording
    assert sorted(p.name for p in store.audio_dir.iterdir()) == [recording.name]
    # The same file saved for a second attempt gets its own copy: one attempt, one recording.
    second = store.save_attempt(make_score(), audio_path=recording)
    assert store.get(second).audio_path not in (None, recording)


def test_without_keep_audio_the_recording_goes_and_the_transcript_stays(tmp_path: Path) -> None:
    store = Store(tmp_path / "data", keep_audio=False)
    recording = write_wav(store.audio_dir / "20250101-120000-000000-low-score.wav")
    users_own = write_wav(tmp_path / "elsewhere.wav")
    first = store.save_attempt(make_score(), audio_path=recording)
    second = store.save_attempt(make_score(), audio_path=users_own)
    assert not recording.exists() and users_own.is_file()
    for attempt_id in (first, second):
        attempt = store.get(attempt_id)
        assert attempt.audio_path is None
        assert attempt.score is not None and attempt.score.transcript is not None
    assert list(store.audio_dir.iterdir()) == []


def test_save_result_resolves_the_data_directory_like_the_cli(tmp_path: Path) -> None:
    attempt_id = save_result(tmp_path / "d", make_score(), write_wav(tmp_path / "a.wav"), True)
    attempt = Store(tmp_path / "d").get(attempt_id)
    assert attempt.interrupted and attempt.audio_exists


def test_unknown_attempt_is_a_user_error(store: Store) -> None:
    with pytest.raises(UnknownAttemptError, match="no attempt 42"):
        store.get(42)
    with pytest.raises(UnknownAttemptError):
        store.delete(42)


def test_missing_audio_file_is_refused_before_anything_is_saved(store: Store, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such audio file"):
        store.save_attempt(make_score(), audio_path=tmp_path / "gone.wav")
    assert store.count() == 0


# --- listing, filters, trends, comparisons ------------------------------------------------------------


@pytest.fixture()
def filled(store: Store) -> Store:
    store.save_attempt(make_score(overall=40, criteria={"brevity": 0.2, "ownership": 0.4}), created_at=at(1))
    store.save_attempt(make_score("failed-attempt", overall=50), created_at=at(2), set_id="advisor-1")
    store.save_attempt(
        make_score(overall=0, no_answer=True, criteria={"brevity": 0.0, "ownership": 0.0}), created_at=at(3)
    )
    store.save_attempt(make_score(overall=80, criteria={"brevity": 0.8, "ownership": 0.9}), created_at=at(4))
    store.save_attempt(make_score("own-question", overall=90), created_at=at(5), set_id="advisor-1")
    return store


def test_list_is_newest_first_and_pages(filled: Store) -> None:
    rows = filled.list_attempts()
    assert [r.overall for r in rows] == [90, 80, 0, 50, 40]
    assert [r.overall for r in filled.list_attempts(limit=2, offset=1)] == [80, 0]
    assert [r.overall for r in filled.list_attempts(oldest_first=True, limit=1)] == [40]
    assert [r.overall for r in filled.recent(2)] == [90, 80]
    assert rows[2].no_answer and not rows[0].no_answer


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (Filter(question_id="low-score"), [80, 0, 40]),
        (Filter(category="setbacks"), [80, 0, 50, 40]),
        (Filter(set_id="advisor-1"), [90, 50]),
        (Filter(since=parse_since("2025-01-03")), [90, 80, 0]),
        (Filter(question_id="low-score", until=parse_since("2025-01-03")), [40]),
        (Filter(question_id="nobody-asked"), []),
    ],
)
def test_filters(filled: Store, where: Filter, expected: list[int]) -> None:
    assert [r.overall for r in filled.list_attempts(where)] == expected
    assert filled.count(where) == len(expected)


def test_filter_menus(filled: Store) -> None:
    assert [(q, n) for q, _, n in filled.questions()] == [
        ("low-score", 3),
        ("failed-attempt", 1),
        ("own-question", 1),
    ]
    assert filled.categories() == ["setbacks"]  # own-question is not in the bank: no category
    assert filled.set_ids() == ["advisor-1"]


def test_averages_leave_out_answers_too_short_to_score(filled: Store) -> None:
    averages = filled.criterion_averages(Filter(question_id="low-score"))
    assert averages == pytest.approx({"brevity": 0.5, "ownership": 0.65})


def test_trend_is_oldest_first_per_criterion_without_unjudged_answers(filled: Store) -> None:
    # The answer too short to score (overall 0 on day 3) is not a point on the trend.
    trend = filled.trend(Filter(question_id="low-score"))
    assert [p.value for p in trend.overall] == [40, 80]
    assert [p.value for p in trend.criteria["brevity"]] == [0.2, 0.8]
    last_two = filled.trend(last=2)
    assert [p.value for p in last_two.overall] == [80, 90]
    assert [p.attempt_id for p in last_two.criteria["ownership"]] == [p.attempt_id for p in last_two.overall]


def test_compare_puts_the_earlier_attempt_first(filled: Store) -> None:
    newest, _, first = (r.id for r in filled.list_attempts(Filter(question_id="low-score")))
    comparison = filled.compare(newest, first)
    assert comparison.before.id == first and comparison.after.id == newest
    assert comparison.same_question and comparison.overall_delta == 40
    deltas = {d.criterion_id: d for d in comparison.criteria}
    assert deltas["brevity"].delta == pytest.approx(0.6)
    assert (deltas["brevity"].before_passed, deltas["brevity"].after_passed) == (False, True)
    assert filled.previous(newest) is not None
    assert filled.previous(first) is None


# --- delete -----------------------------------------------------------------------------------------


def test_delete_removes_the_row_its_details_and_its_audio(store: Store, tmp_path: Path) -> None:
    keep = store.save_attempt(make_score(), audio_path=write_wav(tmp_path / "a.wav", seed=1))
    gone = store.save_attempt(make_score(), audio_path=write_wav(tmp_path / "b.wav", seed=2))
    audio = store.get(gone).audio_path
    assert audio is not None and audio.is_file()
    assert store.delete(gone) == audio
    assert not audio.exists()
    with pytest.raises(UnknownAttemptError):
        store.get(gone)
    with sqlite3.connect(store.db_path) as conn:
        assert conn.execute(
            "SELECT count(*) FROM attempt_details WHERE attempt_id = ?", (gone,)
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM criterion_scores WHERE attempt_id = ?", (gone,)
        ).fetchone() == (0,)
    assert store.get(keep).audio_exists
    assert [p.name for p in store.audio_dir.iterdir()] == [store.get(keep).audio_path.name]  # type: ignore[union-attr]
    # Ids are never reused, so an export or note naming an old id cannot point at a new attempt.
    assert store.save_attempt(make_score()) > gone


def test_drop_audio_keeps_transcript_and_score(store: Store, tmp_path: Path) -> None:
    attempt_id = store.save_attempt(make_score(), audio_path=write_wav(tmp_path / "a.wav"))
    audio = store.get(attempt_id).audio_path
    store.drop_audio(attempt_id)
    attempt = store.get(attempt_id)
    assert audio is not None and not audio.exists()
    assert attempt.audio_path is None and attempt.score is not None


# --- privacy ----------------------------------------------------------------------------------------


def test_database_and_its_journal_files_are_private(store: Store) -> None:
    store.save_attempt(make_score())
    names = {p.name for p in store.data_dir.iterdir() if p.name.startswith(DB_NAME)}
    assert {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"} <= names or DB_NAME in names
    for name in names:
        assert mode(store.data_dir / name) == 0o600, name
    assert mode(store.data_dir) == 0o700
    with sqlite3.connect(store.db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# --- schema -----------------------------------------------------------------------------------------


def _v1_database(folder: Path) -> Path:
    folder.mkdir(parents=True)
    conn = sqlite3.connect(folder / DB_NAME)
    conn.executescript((DATA / "history_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    write_wav(folder / "audio" / "20240302-101500-000000-low-score.wav")
    return folder


def test_migrates_a_version_1_database(tmp_path: Path) -> None:
    folder = _v1_database(tmp_path / "old")
    store = Store(folder)
    assert store.schema_version() == SCHEMA_VERSION == 4
    assert (folder / f"{DB_NAME}.v1.bak").is_file()
    assert mode(folder / f"{DB_NAME}.v1.bak") == 0o600
    rows = store.list_attempts()
    assert [(r.id, r.question_id, r.overall) for r in rows] == [
        (5, "retired-question", 81),
        (3, "failed-attempt", 0),
        (2, "low-score", 68),
        (1, "low-score", 55),
    ]
    # Filled in from the bank where it knows the question; kept blank where it does not.
    assert rows[2].category == "setbacks" and rows[2].question_text
    assert rows[0].category == "" and rows[0].question_text == ""
    assert rows[1].no_answer
    second = store.get(2)
    assert second.score is not None and second.score.transcript is not None
    assert second.audio_exists
    # Two v1 rows shared a recording; only the older one keeps it, so deleting one cannot orphan the other.
    assert store.get(5).audio_path is None
    # Per-criterion rows were rebuilt from the JSON (the no-answer attempt is left out of averages).
    assert store.criterion_averages() == pytest.approx({"brevity": (0.5 + 0.8 + 0.9) / 3, "ownership": 0.5})
    # Attempt 4 was deleted under v1: its id stays unused.
    assert store.save_attempt(make_score()) == 6
    # Opening again does not migrate twice.
    assert Store(folder).count() == 5
    # Every old attempt got its own stable uid (an advisor's comment names an attempt by it).
    uids = {store.get(r.id).uid for r in store.list_attempts()}
    assert len(uids) == 5 and all(len(u) == 32 for u in uids)


def test_an_attempt_keeps_its_uid_and_set_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    first = store.save_attempt(make_score(), set_id="ir-low-score", set_version=3)
    second = store.save_attempt(make_score(), uid="0" * 32)
    a, b = store.get(first), store.get(second)
    assert (a.set_id, a.set_version) == ("ir-low-score", 3)
    assert b.uid == "0" * 32 and a.uid != b.uid and len(a.uid) == 32
    assert a.to_json_dict()["uid"] == a.uid and a.to_json_dict()["set_version"] == 3


def test_a_newer_schema_is_refused_not_damaged(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer interviewcoach"):
        Store(folder)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot use the history database"):
        Store(folder)


# --- crashes and doctor -------------------------------------------------------------------------------

_CRASH_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from interviewcoach.core.history import store as store_module
    from tests.history_data import make_score

    def die(*args, **kwargs):
        os._exit(3)  # the process is killed after the audio is on disk, before the row commits

    store_module.Store._write_details = staticmethod(die)
    store = store_module.Store(Path(sys.argv[1]), keep_audio=True)
    store.save_attempt(make_score("failed-attempt"), audio_path=Path(sys.argv[2]))
    """
)


def test_crash_between_audio_and_row_is_recovered_by_doctor(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    data = tmp_path / "data"
    source = write_wav(tmp_path / "answer.wav", seed=5)
    Store(data).save_attempt(make_score(overall=10))
    run = subprocess.run(
        [sys.executable, "-c", _CRASH_SCRIPT, str(data), str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 3, run.stderr
    store = Store(data, keep_audio=True)
    assert store.count() == 1  # the crashed attempt's row never committed
    (orphan,) = [p for p in store.audio_dir.iterdir() if p.suffix == ".wav"]
    assert orphan.read_bytes() == source.read_bytes()

    report = doctor(store, min_age_s=0)
    assert report.ok and len(report.imported) == 1
    pending = store.get(report.imported[0])
    assert pending.pending and pending.question_id == "failed-attempt" and pending.audio_path == orphan
    assert pending.duration_s == pytest.approx(0.5)
    assert [r.pending for r in store.list_attempts()] == [True, False]  # the crash was after the first save
    assert [r.id for r in store.recent()] != [pending.id]
    # A second doctor run finds nothing more to do.
    assert doctor(store, min_age_s=0).repaired == []

    class FakeTranscriber:
        engine = "fake"
        model_name = "fake"

        def load(self) -> None:
            pass

        def transcribe(self, audio: Path, *, cancel: threading.Event | None = None) -> Transcript:
            assert audio == orphan
            return transcript_for(ANSWER + " I learned to ask for help early.", engine="fake", model="none")

    scored = rescore_attempt(store, pending.id, bank=bank, rubrics=rubrics, transcriber=FakeTranscriber())
    assert scored.status == "scored" and scored.score is not None and scored.engine == "fake"
    assert set(scored.score.criteria) <= {c.id for c in rubrics.get("setback").criteria}
    assert scored.audio_exists


def test_a_recording_imported_while_being_made_is_completed_not_duplicated(store: Store) -> None:
    recording = write_wav(store.audio_dir / "20250101-120000-000000-low-score.wav")
    (pending_id,) = doctor(store, min_age_s=0).imported
    attempt_id = store.save_attempt(make_score(overall=77), audio_path=recording)
    assert attempt_id == pending_id and store.count() == 1
    assert store.get(attempt_id).overall == 77 and not store.get(attempt_id).pending


def test_doctor_leaves_young_files_alone(store: Store) -> None:
    write_wav(store.audio_dir / "20250101-120000-000000-low-score.wav")
    report = doctor(store)
    assert report.imported == [] and store.count() == 0


def test_doctor_repairs_missing_audio_interrupted_deletes_and_permissions(
    store: Store, tmp_path: Path
) -> None:
    lost = store.save_attempt(make_score(), audio_path=write_wav(tmp_path / "a.wav", seed=1))
    interrupted = store.save_attempt(make_score(), audio_path=write_wav(tmp_path / "b.wav", seed=2))
    lost_audio = store.get(lost).audio_path
    kept_audio = store.get(interrupted).audio_path
    assert lost_audio is not None and kept_audio is not None
    lost_audio.unlink()
    # A delete that renamed the file but whose row survived (the commit never happened).
    trash = kept_audio.with_name(f".{kept_audio.name}.deleted")
    kept_audio.replace(trash)
    # A delete whose row went but whose file was not yet unlinked.
    leftover = store.audio_dir / ".20240101-000000-000000-low-score.wav.deleted"
    leftover.write_bytes(b"x")
    store.db_path.chmod(0o644)

    check = doctor(store, repair=False, min_age_s=0)
    assert not check.ok and check.repaired == []
    assert any("is missing" in p for p in check.problems)
    assert mode(store.db_path) == 0o644 and trash.exists()

    report = doctor(store, min_age_s=0)
    assert report.ok, report.problems
    assert mode(store.db_path) == 0o600
    assert kept_audio.is_file() and not trash.exists() and not leftover.exists()
    attempt = store.get(lost)
    assert attempt.audio_path is None and attempt.score is not None and "missing" in attempt.note
    assert store.get(interrupted).audio_exists


def test_doctor_removes_a_pending_attempt_whose_audio_is_gone(store: Store) -> None:
    recording = write_wav(store.audio_dir / "20250101-120000-000000-low-score.wav")
    (pending,) = doctor(store, min_age_s=0).imported
    recording.unlink()
    doctor(store, min_age_s=0)
    with pytest.raises(UnknownAttemptError):
        store.get(pending)


# --- concurrency ------------------------------------------------------------------------------------

_WRITER_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from interviewcoach.core.history.store import Store
    from tests.history_data import make_score, write_wav

    data, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = Store(data, keep_audio=True)
    for i in range(count):
        audio = write_wav(data.parent / name / f"{i}.wav", seconds=0.05, seed=i + 1) if i % 4 == 0 else None
        store.save_attempt(make_score(overall=i % 101), audio_path=audio, set_id=name)
        store.list_attempts(limit=5)
    """
)


def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    count = 40
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER_SCRIPT, str(data), name, str(count)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("one", "two")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    store = Store(data)
    assert store.count(Filter(set_id="one")) == store.count(Filter(set_id="two")) == count
    assert len(set(store.ids())) == 2 * count
    assert doctor(store, repair=False, min_age_s=0).ok
    with sqlite3.connect(store.db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM criterion_scores").fetchone() == (4 * count,)
    assert len([p for p in store.audio_dir.iterdir()]) == 2 * count // 4


def test_threads_sharing_one_store(store: Store) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(15):
                store.save_attempt(make_score(overall=(n * 15 + i) % 100))
                store.trend(last=10)
        except BaseException as exc:  # collected: a failing thread must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count() == 60


# --- rescore ----------------------------------------------------------------------------------------


def test_rescore_uses_the_current_rubric_on_the_stored_transcript(
    store: Store, bank: QuestionBank, rubrics: RubricSet
) -> None:
    old = make_score(overall=12, criteria={"retired_criterion": 0.1})
    attempt_id = store.save_attempt(old, rubric_version=0, created_at=at(1))
    attempt = rescore_attempt(store, attempt_id, bank=bank, rubrics=rubrics)
    rubric = rubrics.get("setback")
    assert attempt.rubric_version == rubric.version and attempt.rescored_at is not None
    assert attempt.created_at.startswith("2025-01-01")  # when it was answered, not when rescored
    assert attempt.score is not None and "retired_criterion" not in attempt.score.criteria
    assert set(attempt.score.criteria) <= {c.id for c in rubric.criteria}
    # Word timings survive a rescore: delivery criteria can still be judged.
    assert attempt.score.transcript == old.transcript
    assert "retired_criterion" not in store.criterion_averages()


def test_parse_since_rejects_nonsense() -> None:
    assert parse_since("2025-01-31T18:00").startswith("2025-01-31")
    with pytest.raises(UserError, match="expected a date"):
        parse_since("last tuesday")


def test_moving_the_data_directory_keeps_recordings(store: Store, tmp_path: Path) -> None:
    attempt_id = store.save_attempt(make_score(), audio_path=write_wav(tmp_path / "a.wav"))
    moved = tmp_path / "moved"
    shutil.move(store.data_dir, moved)
    assert Store(moved).get(attempt_id).audio_exists


def test_history_rows_for_a_week(store: Store) -> None:
    start = datetime(2025, 3, 1, 9)
    for day in range(7):
        store.save_attempt(make_score(overall=50 + day), created_at=start + timedelta(days=day))
    assert store.count(Filter(since=parse_since("2025-03-05"))) == 3


def test_keep_audio_follows_the_users_setting(tmp_path: Path) -> None:
    settings = pytest.importorskip("interviewcoach.core.settings")
    data = tmp_path / "data"
    settings.update_settings(data, keep_audio=False)
    store = Store(data)
    recording = write_wav(store.audio_dir / "20250101-120000-000000-low-score.wav")
    attempt_id = store.save_attempt(make_score(), audio_path=recording)
    assert not recording.exists() and store.get(attempt_id).audio_path is None
    # A settings file that does not load must not cost the attempt: audio is kept.
    (data / "settings.json").write_text("{not json", encoding="utf-8")
    recording = write_wav(store.audio_dir / "20250101-120001-000000-low-score.wav")
    assert store.get(store.save_attempt(make_score(), audio_path=recording)).audio_exists


def test_doctor_keeps_a_recording_cut_short_by_a_crash(store: Store) -> None:
    from interviewcoach.core.audio import recorder as audio
    from interviewcoach.core.audio.wav import wav_header

    assert (audio.RECORDING_SUFFIX, audio.INTERRUPTED_SUFFIX) == (".recording", ".interrupted")
    # What a killed recorder leaves: a header still saying "no data", 0.75 s of samples, and its
    # marker, whose lock died with the process.
    wav = store.audio_dir / "20250101-120000-000000-low-score.wav"
    wav.parent.mkdir(parents=True, exist_ok=True)
    wav.write_bytes(wav_header(16000, 0) + bytes(range(256)) * 93 + b"\x00" * 96)
    marker = wav.with_name(wav.name + ".recording")
    marker.write_text('{"pid": 999999999, "started_at": "2025-01-01T12:00:00+00:00"}')
    report = doctor(store, min_age_s=0)
    assert report.ok and len(report.imported) == 1
    attempt = store.get(report.imported[0])
    assert attempt.pending and attempt.interrupted
    assert attempt.duration_s == pytest.approx(0.75)
    assert not marker.exists() and wav.with_name(wav.name + ".interrupted").exists()
    # Deleting the attempt removes the recorder's note with the recording.
    store.delete(attempt.id)
    assert list(store.audio_dir.iterdir()) == []


def test_doctor_skips_a_recording_in_progress(store: Store) -> None:
    import fcntl

    wav = write_wav(store.audio_dir / "20250101-120000-000000-low-score.wav")
    marker = wav.with_name(wav.name + ".recording")
    with marker.open("w") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # the recorder holds this while it records
        assert doctor(store, min_age_s=0).imported == []
    assert store.count() == 0


def test_audio_is_complete_on_disk_before_its_row_commits(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_wav(tmp_path / "answer.wav", seconds=2.0, seed=9)
    seen: list[bytes] = []
    original = Store._write_details

    def checking(conn: sqlite3.Connection, attempt_id: int, score: object, score_json: str) -> None:
        # Inside the transaction, before COMMIT: the row's recording must already be whole.
        (stored,) = conn.execute("SELECT audio_path FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        seen.append((store.data_dir / stored).read_bytes())
        original(conn, attempt_id, score, score_json)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_write_details", staticmethod(checking))
    store.save_attempt(make_score(), audio_path=source)
    assert seen == [source.read_bytes()]
    assert not [p for p in store.audio_dir.iterdir() if p.name.startswith(".")]  # no temporary copy left
