"""SQLite history of attempts and their recordings on disk: save, list, open, compare, trend, repair.

One database file (`history.sqlite3`) and one `audio/` folder live in the data directory. The schema is
versioned with `PRAGMA user_version` and migrated forward in one transaction (a backup of the old
file is kept first). Every write is its own `BEGIN IMMEDIATE` transaction with a busy timeout, so two
processes (the TUI and a CLI command) can share a data directory. Audio is always complete and
synced on disk before the row pointing to it commits; `doctor()` repairs what a crash can leave.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interviewcoach.core.content.questions import follow_up_base, question_for_attempt
from interviewcoach.core.errors import UserError
from interviewcoach.core.history.database import Database, immediate, make_private, use_wal
from interviewcoach.core.history.schema import MIGRATIONS, SCHEMA_VERSION, shipped_question_info
from interviewcoach.core.models import Score
from interviewcoach.core.paths import data_dir as resolve_data_dir
from interviewcoach.core.paths import ensure_private_dir, is_writable_dir
from interviewcoach.core.records import (
    AdvisorComment,
    AdvisorOverride,
    Attempt,
    AttemptSummary,
    Comparison,
    CriterionDelta,
    Filter,
    Trend,
    TrendPoint,
)
from interviewcoach.core.scoring.engine import score as score_answer
from interviewcoach.core.scoring.rubrics import load_rubrics
from interviewcoach.core.settings import load_settings
from interviewcoach.core.speech.transcribe import transcribe_answer
from interviewcoach.core.speech.vocabulary import vocabulary_for

if TYPE_CHECKING:
    from interviewcoach.core.content.questions import QuestionBank
    from interviewcoach.core.models import Question
    from interviewcoach.core.protocols import RecordingStore, Transcriber
    from interviewcoach.core.scoring.rubrics import RubricSet

DB_NAME = "history.sqlite3"
AUDIO_DIR = "audio"
AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".mp3", ".m4a", ".opus"})
# A file younger than this may still be being recorded or copied by another process.
DOCTOR_MIN_AGE_S = 120.0

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
# Recordings are named `<YYYYmmdd-HHMMSS-ffffff>-<question id>.<ext>` (see session.new_recording_path).
AUDIO_NAME = re.compile(r"^(\d{8}-\d{6}-\d{6})-([a-z0-9][a-z0-9-]{0,63})(?:-\d+)?\.[A-Za-z0-9]+$")
INCOMING_PREFIX = ".incoming-"
TRASH_SUFFIX = ".deleted"
# Notes the recorder (core/audio.py) keeps beside a WAV: being recorded now, or recovered after a crash.
RECORDING_SUFFIX = ".recording"
INTERRUPTED_SUFFIX = ".interrupted"


class UnknownAttemptError(UserError):
    def __init__(self, attempt_id: int) -> None:
        self.attempt_id = attempt_id
        super().__init__(f"no attempt {attempt_id} in the history (see `interviewcoach history`)")


class StoreError(UserError):
    """The history database cannot be used as it is (damaged, or made by a newer version)."""


# ---------------------------------------------------------------------------------------------------
# Time helpers


def read_score(score_json: str | bytes | None) -> tuple[Score | None, str]:
    """(score, "") from a stored row, or (None, what is wrong) when the row is damaged.

    One bad row must not stop `show`, `export`, `rescore` or the app from reading the others.
    """
    if score_json is None:
        return None, ""
    try:
        return Score.model_validate_json(score_json), ""
    except (ValueError, TypeError, RecursionError) as exc:  # pydantic's ValidationError is a ValueError
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"its stored score cannot be read ({first[:120]})"


def now_stamp() -> str:
    return datetime.now(UTC).strftime(_TIME_FORMAT)


def to_stamp(moment: datetime) -> str:
    """A sortable UTC text timestamp; a naive datetime is taken as local time."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_stamp(stamp: str) -> datetime:
    return datetime.strptime(stamp, _TIME_FORMAT).replace(tzinfo=UTC)


def parse_since(value: str) -> str:
    """`--since` as a stamp: a local date (2025-01-31) means its midnight; ISO date-times also work."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
            return to_stamp(datetime(day.year, day.month, day.day))
        return to_stamp(datetime.fromisoformat(text))
    except ValueError:
        raise UserError(f"--since {value!r}: expected a date like 2025-01-31 or 2025-01-31T18:00") from None


def local_time(stamp: str) -> str:
    """A stamp shown in the user's time zone, to the minute."""
    return parse_stamp(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def _shipped_rubric_versions() -> dict[str, int]:
    try:
        return {r.id: r.version for r in load_rubrics()}
    except UserError:
        return {}


def keep_audio_setting(data_dir: Path) -> bool:
    """The user's "keep audio" setting (settings.json in the data directory)."""
    try:
        return load_settings(data_dir).keep_audio
    except UserError:
        # A broken settings file must not cost the student the attempt: keeping audio is the safe side.
        return True


# ---------------------------------------------------------------------------------------------------
# File helpers


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Less free space than this when a write fails means the failure was the full disk.
FULL_DISK_BYTES = 1 << 20


def _free_bytes(path: Path) -> int:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return 1 << 62


def audio_duration(path: Path) -> float | None:
    try:
        import soundfile

        return round(float(soundfile.info(str(path)).duration), 2)
    except Exception:  # any unreadable or partial file: the duration is simply unknown
        return None


# ---------------------------------------------------------------------------------------------------
# The store

_SUMMARY_COLUMNS = (
    "id, question_id, created_at, overall, duration_s, interrupted, question_text, category, set_id, "
    "no_answer, status, audio_path IS NOT NULL"
)
_ATTEMPT_COLUMNS = (
    "a.id, a.created_at, a.question_id, a.question_text, a.category, a.set_id, a.status, a.rubric_id, "
    "a.rubric_version, a.overall, a.no_answer, a.duration_s, a.interrupted, a.audio_path, a.engine, "
    "a.model, a.rescored_at, a.note, d.score_json, a.uid, a.set_version"
)


def _summary(row: Sequence[Any]) -> AttemptSummary:
    return AttemptSummary(
        id=row[0],
        question_id=row[1],
        created_at=row[2],
        overall=row[3] if row[3] is not None else 0,
        duration_s=row[4],
        interrupted=bool(row[5]),
        question_text=row[6],
        category=row[7],
        set_id=row[8],
        no_answer=bool(row[9]),
        pending=row[10] == "pending",
        has_audio=bool(row[11]),
    )


def _where(where: Filter, prefix: str = "") -> tuple[str, list[object]]:
    """The SQL WHERE clause (with its arguments) that selects the attempts `where` covers."""
    terms: list[str] = []
    args: list[object] = []
    for column, value in (
        ("question_id", where.question_id),
        ("category", where.category),
        ("set_id", where.set_id),
    ):
        if value is not None:
            terms.append(f"{prefix}{column} = ?")
            args.append(value)
    if where.since is not None:
        terms.append(f"{prefix}created_at >= ?")
        args.append(where.since)
    if where.until is not None:
        terms.append(f"{prefix}created_at < ?")
        args.append(where.until)
    if not where.include_pending:
        terms.append(f"{prefix}status = 'scored'")
    return (" WHERE " + " AND ".join(terms) if terms else ""), args


class Store(Database):
    """The history in `data_dir`: honours `protocols.RecordingStore`, the deepest of the store contracts.

    Each call opens its own short-lived connection, so a Store may be shared by threads (the TUI's
    workers) and by processes without coordination beyond SQLite's own locking.

    What a history screen needs, each one query (5,000 attempts: see bench/history.py):
        table       list_attempts(Filter(...), limit=, offset=) and count(Filter(...))
        filters     questions(), categories(), set_ids(); Filter(question_id, category, set_id, since)
        open        get(id) -> Attempt (score with transcript and word timings; audio_path to play)
        compare     previous(id) for the same question, then compare(a, b) -> Comparison
        trend       trend(Filter(question_id=...), last=20) -> Trend (overall and per criterion)
        remove      delete(id) (audio too) or drop_audio(id) (keeps transcript and score)
    """

    # FULL: a committed attempt survives a power cut, not only a crash; saves are rare.
    PRAGMAS = ("synchronous = FULL",)

    def __init__(self, data_dir: Path, *, keep_audio: bool | None = None) -> None:
        self.data_dir = ensure_private_dir(Path(data_dir))
        self.db_path = self.data_dir / DB_NAME
        self.audio_dir = self.data_dir / AUDIO_DIR
        self._keep_audio = keep_audio
        self._question_info: dict[str, tuple[str, str]] | None = None
        self._rubric_versions: dict[str, int] | None = None
        # A data directory this process cannot write (another owner, a read-only file system):
        # the history is read, and anything that would change it says why in one line.
        self.read_only = not is_writable_dir(self.data_dir) or (
            self.db_path.exists() and not os.access(self.db_path, os.W_OK)
        )
        self._open()

    # -- connections -----------------------------------------------------------------------------

    @property
    def keep_audio(self) -> bool:
        if self._keep_audio is None:
            return keep_audio_setting(self.data_dir)
        return self._keep_audio

    def read_only_error(self) -> StoreError:
        return StoreError(
            f"{self.data_dir} is read-only: your history can be read but nothing can be saved or changed; "
            "use --data-dir (or INTERVIEWCOACH_HOME) to pick a folder you can write"
        )

    def full_disk_error(self, kept: Path | None = None) -> StoreError:
        keep = f"; the recording is kept: {kept}" if kept is not None else ""
        return StoreError(
            f"{self.data_dir}: the disk is full, so the attempt was not saved (your history is "
            f"unharmed){keep}; free some space and save again"
        )

    def _damaged(self, exc: sqlite3.Error) -> StoreError:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc):
            return self.full_disk_error()
        # On a full disk SQLite often reports a plain I/O error (writing its WAL or shared memory):
        # the database is fine, so the advice must not be to move it aside.
        if "disk I/O error" in str(exc) and _free_bytes(self.data_dir) < FULL_DISK_BYTES:
            return self.full_disk_error()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return StoreError(
                f"{self.db_path}: the history is busy (another interviewcoach is writing); try again"
            )
        return StoreError(
            f"{self.db_path}: cannot use the history database ({exc}); "
            "move the file aside to start a new history (recordings in audio/ are kept)"
        )

    def _open(self) -> None:
        if self.read_only:
            if not self.db_path.exists():
                raise StoreError(f"{self.data_dir} is read-only and holds no history yet")
            with self._read() as conn:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.db_path} needs upgrading (schema {version}, this one knows {SCHEMA_VERSION}), "
                    "but its folder is read-only"
                )
            return
        self._create_private()
        conn = self._connect()
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.db_path} was written by a newer interviewcoach (schema {version}, "
                    f"this one knows {SCHEMA_VERSION}); upgrade interviewcoach"
                )
            use_wal(conn)
            if version > 0:
                self._backup(conn, version)
            with immediate(conn):
                # Another process may have migrated while this one waited for the lock.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                for step in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step](conn)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            conn.close()

    def _backup(self, conn: sqlite3.Connection, version: int) -> None:
        target = self.data_dir / f"{DB_NAME}.v{version}.bak"
        if target.exists():
            return
        fd = os.open(target, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
        backup = sqlite3.connect(target)
        try:
            conn.backup(backup)
        finally:
            backup.close()

    # -- paths -------------------------------------------------------------------------------------

    def _stored_path(self, path: Path) -> str:
        """Paths inside the data directory are kept relative, so the folder can be moved."""
        resolved = path.resolve()
        try:
            return resolved.relative_to(self.data_dir.resolve()).as_posix()
        except ValueError:
            return str(resolved)

    def _real_path(self, stored: str | None) -> Path | None:
        if stored is None:
            return None
        path = Path(stored)
        return path if path.is_absolute() else self.data_dir / path

    def _in_audio_dir(self, path: Path) -> bool:
        return path.resolve().parent == self.audio_dir.resolve()

    def _place_audio(self, source: Path, question_id: str, owned: set[str]) -> Path:
        """The recording's final home in audio/, complete and synced before its row is written.

        A file already in audio/ and not owned by another attempt stays where it is; anything else
        is copied in (the user's own file is never moved or deleted).
        """
        if not source.is_file():
            raise UserError(f"{source}: no such audio file")
        ensure_private_dir(self.audio_dir)
        if self._in_audio_dir(source) and self._stored_path(source) not in owned:
            make_private(source, 0o600)
            _fsync_file(source)
            return source.resolve()
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        suffix = source.suffix.lower() if source.suffix.lower() in AUDIO_SUFFIXES else ".wav"
        target = self.audio_dir / f"{stamp}-{question_id}{suffix}"
        counter = 1
        while target.exists():
            target = self.audio_dir / f"{stamp}-{question_id}-{counter}{suffix}"
            counter += 1
        part = self.audio_dir / f"{INCOMING_PREFIX}{target.name}.part"
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        part.replace(target)
        _fsync_dir(self.audio_dir)
        return target

    # -- lookups of shipped content (lazy: only when a caller did not say) ----------------------

    def _info_for(self, question_id: str) -> tuple[str, str]:
        if self._question_info is None:
            self._question_info = shipped_question_info()
        info = self._question_info.get(question_id)
        if info is None:
            # A mock's follow-up found only as a recording: named after the question it follows.
            base = follow_up_base(question_id, self._question_info)
            if base is not None:
                text, category = self._question_info[base]
                return f"A follow-up to: {text}", category
        return info or ("", "")

    def _rubric_version_for(self, rubric_id: str) -> int:
        if self._rubric_versions is None:
            self._rubric_versions = _shipped_rubric_versions()
        return self._rubric_versions.get(rubric_id, 1)

    # -- writing -----------------------------------------------------------------------------------

    def save_attempt(
        self,
        score: Score,
        *,
        audio_path: Path | None = None,
        interrupted: bool = False,
        set_id: str | None = None,
        rubric_version: int | None = None,
        question: Question | None = None,
        created_at: datetime | str | None = None,
        keep_audio: bool | None = None,
        set_version: int | None = None,
        uid: str | None = None,
    ) -> int:
        """Save a scored attempt; return its id.

        The audio is copied into (or synced inside) audio/ before the row commits. Without
        keep_audio, the recording is removed once the row is committed and no path is stored.
        """
        if self.read_only:
            raise self.read_only_error()
        keep = self.keep_audio if keep_audio is None else keep_audio
        text, category = (
            (question.text, str(question.category))
            if question is not None
            else self._info_for(score.question_id)
        )
        version = rubric_version if rubric_version is not None else self._rubric_version_for(score.rubric_id)
        stamp = to_stamp(created_at) if isinstance(created_at, datetime) else created_at or now_stamp()
        transcript = score.transcript
        duration = score.metrics.duration_s
        if duration is None and transcript is not None:
            duration = transcript.duration_s
        stored_score = score.model_copy(update={"id": None})
        score_json = stored_score.model_dump_json()
        values = {
            "created_at": stamp,
            "question_id": score.question_id,
            "question_text": text,
            "category": category,
            "set_id": set_id,
            "set_version": set_version,
            "uid": uid or uuid.uuid4().hex,
            "status": "scored",
            "rubric_id": score.rubric_id,
            "rubric_version": version,
            "overall": score.overall,
            "no_answer": int(score.no_answer),
            "duration_s": duration,
            "interrupted": int(interrupted),
            "engine": transcript.engine if transcript is not None else "",
            "model": transcript.model if transcript is not None else "",
        }

        source = Path(audio_path) if audio_path is not None else None
        # A recording the app made in audio/ may already be a pending attempt (doctor imported it
        # while it was being recorded): that attempt is completed rather than duplicated.
        source_key = self._stored_path(source) if source is not None and self._in_audio_dir(source) else None
        placed: Path | None = None
        copied = False
        if source is not None and keep:
            try:
                with self._read() as conn:
                    owned = {
                        r[0] for r in conn.execute("SELECT audio_path FROM attempts WHERE status = 'scored'")
                    }
            except StoreError as exc:
                if "disk is full" in str(exc):
                    raise self.full_disk_error(source) from None
                raise
            try:
                placed = self._place_audio(source, score.question_id, owned)
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise self.full_disk_error(source) from None
                raise StoreError(
                    f"{source}: the recording could not be copied into the history ({exc.strerror})"
                ) from None
            copied = placed != source.resolve()
        values["audio_path"] = self._stored_path(placed) if placed is not None else None
        try:
            with self._write() as conn:
                claimed = None
                if source_key is not None:
                    claimed = conn.execute(
                        "SELECT id FROM attempts WHERE audio_path = ? AND status = 'pending'", (source_key,)
                    ).fetchone()
                if claimed is not None:
                    attempt_id = int(claimed[0])
                    values.pop("created_at")
                    if uid is None:  # the pending row's uid stands
                        values.pop("uid")
                    sets = ", ".join(f"{k} = ?" for k in values)
                    conn.execute(
                        f"UPDATE attempts SET {sets}, note = '' WHERE id = ?", (*values.values(), attempt_id)
                    )
                else:
                    columns = ", ".join(values)
                    marks = ", ".join("?" for _ in values)
                    cursor = conn.execute(
                        f"INSERT INTO attempts ({columns}) VALUES ({marks})", tuple(values.values())
                    )
                    attempt_id = int(cursor.lastrowid or 0)
                self._write_details(conn, attempt_id, stored_score, score_json)
        except StoreError as exc:
            if copied and placed is not None:
                placed.unlink(missing_ok=True)
            if source is not None and "disk is full" in str(exc):
                raise self.full_disk_error(source) from None
            raise
        except BaseException:
            if copied and placed is not None:
                placed.unlink(missing_ok=True)
            raise
        # Only recordings the app made are removed; a user's own file elsewhere is theirs.
        if source is not None and not keep and source_key is not None and source.is_file():
            source.unlink()
        return attempt_id

    @staticmethod
    def _write_details(conn: sqlite3.Connection, attempt_id: int, score: Score, score_json: str) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO attempt_details (attempt_id, score_json) VALUES (?, ?)",
            (attempt_id, score_json),
        )
        conn.execute("DELETE FROM criterion_scores WHERE attempt_id = ?", (attempt_id,))
        conn.executemany(
            "INSERT INTO criterion_scores (attempt_id, criterion_id, score, passed) VALUES (?, ?, ?, ?)",
            [(attempt_id, cid, r.score, int(r.passed)) for cid, r in score.criteria.items()],
        )

    def update_score(self, attempt_id: int, score: Score, *, rubric_version: int | None = None) -> Attempt:
        """Replace an attempt's score (after `rescore`), keeping when it was made and its audio."""
        version = rubric_version if rubric_version is not None else self._rubric_version_for(score.rubric_id)
        stored_score = score.model_copy(update={"id": None})
        transcript = score.transcript
        duration = score.metrics.duration_s
        if duration is None and transcript is not None:
            duration = transcript.duration_s
        with self._write() as conn:
            row = conn.execute("SELECT duration_s, engine, model FROM attempts WHERE id = ?", (attempt_id,))
            old = row.fetchone()
            if old is None:
                raise UnknownAttemptError(attempt_id)
            conn.execute(
                "UPDATE attempts SET status = 'scored', rubric_id = ?, rubric_version = ?, overall = ?, "
                "no_answer = ?, duration_s = ?, engine = ?, model = ?, rescored_at = ?, note = '' "
                "WHERE id = ?",
                (
                    score.rubric_id,
                    version,
                    score.overall,
                    int(score.no_answer),
                    duration if duration is not None else old[0],
                    transcript.engine if transcript is not None else old[1],
                    transcript.model if transcript is not None else old[2],
                    now_stamp(),
                    attempt_id,
                ),
            )
            self._write_details(conn, attempt_id, stored_score, stored_score.model_dump_json())
        return self.get(attempt_id)

    def set_note(self, attempt_id: int, note: str) -> None:
        with self._write() as conn:
            if conn.execute("UPDATE attempts SET note = ? WHERE id = ?", (note, attempt_id)).rowcount == 0:
                raise UnknownAttemptError(attempt_id)

    def drop_audio(self, attempt_id: int) -> None:
        """Forget and remove an attempt's recording, keeping its transcript and score."""
        self._remove(attempt_id, keep_row=True)

    def delete(self, attempt_id: int) -> Path | None:
        """Delete an attempt and its recording; return the path of the audio that was removed."""
        return self._remove(attempt_id, keep_row=False)

    def _remove(self, attempt_id: int, *, keep_row: bool) -> Path | None:
        # The audio is renamed to a trash name inside the transaction and unlinked after the commit:
        # a crash in between leaves a file doctor recognises (restored if its row survived).
        trash: Path | None = None
        audio: Path | None = None
        try:
            with self._write() as conn:
                row = conn.execute("SELECT audio_path FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
                if row is None:
                    raise UnknownAttemptError(attempt_id)
                audio = self._real_path(row[0])
                if keep_row:
                    conn.execute("UPDATE attempts SET audio_path = NULL WHERE id = ?", (attempt_id,))
                else:
                    conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
                if audio is not None and audio.is_file():
                    trash = audio.with_name(f".{audio.name}{TRASH_SUFFIX}")
                    audio.replace(trash)
        except BaseException:
            if trash is not None and audio is not None and trash.exists():
                trash.replace(audio)
            raise
        if trash is not None and audio is not None:
            trash.unlink(missing_ok=True)
            audio.with_name(audio.name + INTERRUPTED_SUFFIX).unlink(missing_ok=True)
            return audio
        return None

    # -- reading -----------------------------------------------------------------------------------

    def recent(self, limit: int = 10) -> list[AttemptSummary]:
        """The latest scored attempts, newest first (the home screen's list)."""
        return self.list_attempts(Filter(include_pending=False), limit=limit)

    def list_attempts(
        self,
        where: Filter | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
    ) -> list[AttemptSummary]:
        """Summaries for a history table, newest first; page with limit and offset."""
        clause, args = _where(where or Filter())
        order = "ASC" if oldest_first else "DESC"
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM attempts{clause} ORDER BY created_at {order}, id {order}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        with self._read() as conn:
            return [_summary(row) for row in conn.execute(sql, args)]

    def count(self, where: Filter | None = None) -> int:
        clause, args = _where(where or Filter())
        with self._read() as conn:
            return int(conn.execute(f"SELECT count(*) FROM attempts{clause}", args).fetchone()[0])

    def questions(self) -> list[tuple[str, str, int]]:
        """(question id, question text, attempts) for every question attempted, most practised first."""
        sql = (
            "SELECT question_id, max(question_text), count(*) FROM attempts "
            "GROUP BY question_id ORDER BY count(*) DESC, question_id"
        )
        with self._read() as conn:
            return [(r[0], r[1], int(r[2])) for r in conn.execute(sql)]

    def categories(self) -> list[str]:
        with self._read() as conn:
            rows = conn.execute("SELECT DISTINCT category FROM attempts WHERE category != '' ORDER BY 1")
            return [r[0] for r in rows]

    def set_ids(self) -> list[str]:
        with self._read() as conn:
            rows = conn.execute("SELECT DISTINCT set_id FROM attempts WHERE set_id IS NOT NULL ORDER BY 1")
            return [r[0] for r in rows]

    def _attempt(self, row: Sequence[Any]) -> Attempt:
        score, damaged = read_score(row[18])
        if score is not None:
            score.id = row[0]
        return Attempt(
            id=row[0],
            created_at=row[1],
            question_id=row[2],
            question_text=row[3],
            category=row[4],
            set_id=row[5],
            status=row[6],
            rubric_id=row[7],
            rubric_version=row[8],
            overall=row[9],
            no_answer=bool(row[10]),
            duration_s=row[11],
            interrupted=bool(row[12]),
            audio_path=self._real_path(row[13]),
            engine=row[14],
            model=row[15],
            rescored_at=row[16],
            note=row[17],
            score=score,
            damaged=damaged,
            uid=row[19] or "",
            set_version=row[20],
        )

    def get(self, attempt_id: int) -> Attempt:
        """One attempt in full: transcript with word timings, criteria with evidence, metrics."""
        sql = (
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts a "
            "LEFT JOIN attempt_details d ON d.attempt_id = a.id WHERE a.id = ?"
        )
        with self._read() as conn:
            row = conn.execute(sql, (attempt_id,)).fetchone()
        if row is None:
            raise UnknownAttemptError(attempt_id)
        return self._attempt(row)

    def attempts(self, where: Filter | None = None) -> list[Attempt]:
        """Full attempts matching `where`, oldest first (exports)."""
        clause, args = _where(where or Filter(), "a.")
        sql = (
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts a LEFT JOIN attempt_details d ON d.attempt_id = a.id"
            f"{clause} ORDER BY a.created_at, a.id"
        )
        with self._read() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [self._attempt(row) for row in rows]

    def ids(self, where: Filter | None = None) -> list[int]:
        clause, args = _where(where or Filter())
        with self._read() as conn:
            return [
                r[0] for r in conn.execute(f"SELECT id FROM attempts{clause} ORDER BY created_at, id", args)
            ]

    def previous(self, attempt_id: int) -> int | None:
        """The attempt at the same question just before this one (what "compare" starts from)."""
        sql = (
            "SELECT p.id FROM attempts a JOIN attempts p ON p.question_id = a.question_id "
            "AND (p.created_at < a.created_at OR (p.created_at = a.created_at AND p.id < a.id)) "
            "WHERE a.id = ? AND p.status = 'scored' ORDER BY p.created_at DESC, p.id DESC LIMIT 1"
        )
        with self._read() as conn:
            if conn.execute("SELECT 1 FROM attempts WHERE id = ?", (attempt_id,)).fetchone() is None:
                raise UnknownAttemptError(attempt_id)
            row = conn.execute(sql, (attempt_id,)).fetchone()
        return int(row[0]) if row is not None else None

    def compare(self, first: int, second: int) -> Comparison:
        return compare_attempts(self.get(first), self.get(second))

    def criterion_averages(self, where: Filter | None = None) -> dict[str, float]:
        """Mean score per criterion over scored answers (no-answer attempts would only add zeros)."""
        clause, args = _where(replace(where or Filter(), include_pending=False), "a.")
        clause += (" AND " if clause else " WHERE ") + "a.no_answer = 0"
        sql = (
            "SELECT c.criterion_id, avg(c.score) FROM criterion_scores c "
            f"JOIN attempts a ON a.id = c.attempt_id{clause} GROUP BY c.criterion_id ORDER BY 1"
        )
        with self._read() as conn:
            return {r[0]: float(r[1]) for r in conn.execute(sql, args)}

    def trend(self, where: Filter | None = None, *, last: int | None = None) -> Trend:
        """Overall and per-criterion scores over time, oldest first (the last `last` attempts).

        Answers too short to score are left out: their zeros are not verdicts.
        """
        clause, args = _where(replace(where or Filter(), include_pending=False))
        clause += (" AND " if clause else " WHERE ") + "no_answer = 0"
        picked = (
            f"WITH picked AS (SELECT id, created_at, overall FROM attempts{clause} "
            "ORDER BY created_at DESC, id DESC LIMIT ?) "
        )
        args = [*args, last if last is not None else -1]
        with self._read() as conn:
            rows = conn.execute(
                picked + "SELECT id, created_at, overall FROM picked ORDER BY created_at, id", args
            )
            overall = [TrendPoint(r[0], r[1], float(r[2])) for r in rows]
            criteria: dict[str, list[TrendPoint]] = {}
            rows = conn.execute(
                picked + "SELECT c.criterion_id, p.id, p.created_at, c.score FROM picked p "
                "JOIN criterion_scores c ON c.attempt_id = p.id ORDER BY p.created_at, p.id",
                args,
            )
            for cid, aid, at, value in rows:
                criteria.setdefault(cid, []).append(TrendPoint(aid, at, float(value)))
        return Trend(overall=overall, criteria=criteria)

    # -- advisor comments --------------------------------------------------------------------------

    def known_uids(self, uids: Iterable[str]) -> set[str]:
        """Which of `uids` name attempts in this history."""
        wanted = sorted(set(uids))
        found: set[str] = set()
        with self._read() as conn:
            # In chunks: SQLite bounds the number of parameters in one statement.
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(f"SELECT uid FROM attempts WHERE uid IN ({marks})", chunk)
                found.update(r[0] for r in rows)
        return found

    def add_comments(
        self, comments: Iterable[AdvisorComment], overrides: Iterable[AdvisorOverride] = ()
    ) -> tuple[int, int]:
        """Store comments and overrides in one transaction; return (new comments, changed overrides).

        A comment already stored (same attempt, author and time) is not added again, so importing
        one file twice changes nothing; an override replaces the same advisor's earlier verdict on
        that point.
        """
        added = changed = 0
        with self._write() as conn:
            for c in comments:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO advisor_comments (attempt_uid, author, created_at, text) "
                    "VALUES (?, ?, ?, ?)",
                    (c.attempt_uid, c.author, c.created_at, c.text),
                )
                added += cursor.rowcount
            for o in overrides:
                cursor = conn.execute(
                    "INSERT INTO advisor_overrides (attempt_uid, author, point, covered) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (attempt_uid, author, point) DO UPDATE SET covered = excluded.covered "
                    "WHERE covered != excluded.covered",
                    (o.attempt_uid, o.author, o.point, int(o.covered)),
                )
                changed += cursor.rowcount
        return added, changed

    def comments_for(self, attempt_uid: str) -> list[AdvisorComment]:
        """The advisor comments on one attempt, oldest first."""
        return self.comments_for_uids([attempt_uid]).get(attempt_uid, [])

    def comments_for_uids(self, uids: Iterable[str]) -> dict[str, list[AdvisorComment]]:
        """Advisor comments by attempt uid (only uids that have some), each list oldest first."""
        wanted = sorted(set(uids))
        out: dict[str, list[AdvisorComment]] = {}
        with self._read() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT attempt_uid, author, created_at, text FROM advisor_comments "
                    f"WHERE attempt_uid IN ({marks}) ORDER BY created_at, author, rowid",
                    chunk,
                )
                for row in rows:
                    out.setdefault(row[0], []).append(AdvisorComment(*row))
        return out

    def comments_for_set(self, set_id: str) -> dict[str, list[AdvisorComment]]:
        """Advisor comments on every attempt at an advisor set, by attempt uid."""
        with self._read() as conn:
            uids = [r[0] for r in conn.execute("SELECT uid FROM attempts WHERE set_id = ?", (set_id,))]
        return self.comments_for_uids(uids)

    def overrides_for(self, attempt_uid: str) -> list[AdvisorOverride]:
        """The advisors' talking-point verdicts on one attempt."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT attempt_uid, author, point, covered FROM advisor_overrides WHERE attempt_uid = ? "
                "ORDER BY author, point",
                (attempt_uid,),
            ).fetchall()
        return [AdvisorOverride(r[0], r[1], r[2], bool(r[3])) for r in rows]

    # -- repair ------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------------
# Functions over attempts


def compare_attempts(first: Attempt, second: Attempt) -> Comparison:
    """Side by side, earlier first: per-criterion scores and the delivery figures that matter."""
    before, after = sorted((first, second), key=lambda a: (a.created_at, a.id))
    b_criteria = before.score.criteria if before.score is not None else {}
    a_criteria = after.score.criteria if after.score is not None else {}
    ids = list(dict.fromkeys([*b_criteria, *a_criteria]))
    deltas = [
        CriterionDelta(
            criterion_id=cid,
            before=b_criteria[cid].score if cid in b_criteria else None,
            after=a_criteria[cid].score if cid in a_criteria else None,
            before_passed=b_criteria[cid].passed if cid in b_criteria else None,
            after_passed=a_criteria[cid].passed if cid in a_criteria else None,
        )
        for cid in ids
    ]
    names = ("word_count", "duration_s", "words_per_minute", "filler_count", "long_pause_count")
    metrics: dict[str, tuple[float | None, float | None]] = {}
    for name in names:
        b_value = getattr(before.score.metrics, name) if before.score is not None else None
        a_value = getattr(after.score.metrics, name) if after.score is not None else None
        metrics[name] = (b_value, a_value)
    return Comparison(before=before, after=after, criteria=deltas, metrics=metrics)


def rescore_attempt(
    store: RecordingStore,
    attempt_id: int,
    *,
    bank: QuestionBank,
    rubrics: RubricSet,
    transcriber: Transcriber | None = None,
) -> Attempt:
    """Score a stored attempt again with the current rubric (and transcribe it first if pending)."""

    attempt = store.get(attempt_id)
    question = question_for_attempt(bank, attempt.question_id, attempt.question_text)
    rubric = rubrics.get(question.rubric)
    # The bank's other questions, as when the answer was first scored: without them the off-topic
    # check is skipped and an answer to another question scores as if it were on topic.
    others = tuple(bank)
    if attempt.score is not None:
        old = attempt.score
        new = score_answer(question, rubric, text=old.answer, transcript=old.transcript, others=others)
    else:
        if attempt.audio_path is None or not attempt.audio_path.is_file():
            raise UserError(f"attempt {attempt_id}: no transcript and no audio to transcribe")
        if transcriber is None:
            raise UserError(f"attempt {attempt_id}: pending; a transcriber is needed to score it")
        # With the vocabulary a live answer to this question gets (`vocabulary_for`: its terms, then
        # the curated list and the bank's): without it tiny.en writes "taste" for TACE and the
        # content criteria read other words.
        terms = vocabulary_for(question, bank)
        transcript = transcribe_answer(transcriber, attempt.audio_path, vocabulary=terms)
        new = score_answer(question, rubric, transcript=transcript, others=others)
    updated = store.update_score(attempt_id, new, rubric_version=rubric.version)
    if attempt.score is None and not store.keep_audio:
        store.drop_audio(attempt_id)
        updated = store.get(attempt_id)
    return updated


def save_result(
    data_dir: Path | str | None,
    score: Score,
    audio_path: Path | None = None,
    interrupted: bool = False,
    *,
    set_id: str | None = None,
    question: Question | None = None,
    set_version: int | None = None,
    rubric_version: int | None = None,
) -> int:
    """Save one scored answer to the history in `data_dir` (resolved as `--data-dir` is); its id."""
    try:
        store = Store(resolve_data_dir(data_dir))
        return store.save_attempt(
            score,
            audio_path=audio_path,
            interrupted=interrupted,
            set_id=set_id,
            question=question,
            set_version=set_version,
            rubric_version=rubric_version,
        )
    except StoreError as exc:
        # Said once, with where the recording is, whichever step found the disk full.
        if audio_path is not None and "disk is full" in str(exc) and "recording is kept" not in str(exc):
            raise StoreError(f"{exc}; the recording is kept: {audio_path}") from None
        raise
