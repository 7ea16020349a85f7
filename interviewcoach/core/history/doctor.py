"""`interviewcoach doctor`: check the history database against the recordings on disk and repair it.

What a crash or a full disk can leave, and what is done about it: a recording without a row is
imported as a pending attempt (never deleted); a row whose recording is gone keeps its transcript and
score; a delete cut short is finished, or undone if its row survived; a recording the recorder was
writing when the app died gets its header repaired; permissions are made private again.
"""

from __future__ import annotations

import contextlib
import sqlite3
import stat
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from interviewcoach.core.history.database import make_private
from interviewcoach.core.history.store import (
    AUDIO_NAME,
    AUDIO_SUFFIXES,
    DB_NAME,
    DOCTOR_MIN_AGE_S,
    INCOMING_PREFIX,
    INTERRUPTED_SUFFIX,
    RECORDING_SUFFIX,
    TRASH_SUFFIX,
    Store,
    audio_duration,
    read_score,
    to_stamp,
)
from interviewcoach.core.paths import ensure_private_dir
from interviewcoach.core.protocols import RecordingStore


@dataclass
class DoctorReport:
    """What `doctor` found and what it repaired; `problems` left are ones it could not fix."""

    checked_attempts: int = 0
    checked_audio: int = 0
    repaired: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    imported: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "checked_attempts": self.checked_attempts,
            "checked_audio": self.checked_audio,
            "repaired": self.repaired,
            "problems": self.problems,
            "imported": self.imported,
        }


def doctor(store: Store, *, repair: bool = True, min_age_s: float = DOCTOR_MIN_AGE_S) -> DoctorReport:
    """Check the database and the audio folder against each other and repair what can be.

    Audio without a row is imported as a pending attempt (rescore transcribes it); a row whose
    audio is gone keeps its transcript and score and loses the path; an interrupted delete is
    finished (or undone if its row survived); permissions are made private again. A read-only
    history can only be checked.
    """
    repair = repair and not store.read_only
    report = DoctorReport()
    _check_integrity(store, report)
    recovered: set[Path] = set()
    if repair:
        ensure_private_dir(store.audio_dir)
        recovered = _recover_recordings(store, report)
    _check_permissions(store, report, repair)
    with store._write() if repair else store._read() as conn:
        rows = conn.execute("SELECT id, status, audio_path FROM attempts").fetchall()
        report.checked_attempts = len(rows)
        referenced = {r[2]: (r[0], r[1]) for r in rows if r[2] is not None}
        _check_audio_files(store, conn, report, referenced, repair, min_age_s, recovered)
        _check_missing_audio(store, conn, report, rows, repair)
        _check_criterion_rows(store, conn, report, repair)
        _check_stored_scores(conn, report)
    return report


def repair(store: RecordingStore) -> DoctorReport:
    """`doctor` with repairs, for an interface that holds the store by its contract (the TUI, at start-up).

    What doctor checks is the database and the recordings in the store's data directory, so it opens
    them as the SQLite history it checks; the files are the same whichever object the caller holds.
    """
    return doctor(Store(store.data_dir), repair=True)


def _check_stored_scores(conn: sqlite3.Connection, report: DoctorReport) -> None:
    """Every stored score must read back: a damaged row is reported (show and export skip it)."""
    for attempt_id, score_json in conn.execute(
        "SELECT attempt_id, score_json FROM attempt_details WHERE score_json IS NOT NULL"
    ):
        _, damaged = read_score(score_json)
        if damaged:
            report.problems.append(
                f"attempt {attempt_id}: {damaged}; `interviewcoach rescore {attempt_id}` scores it again "
                f"from its audio, or `interviewcoach delete {attempt_id}` removes it"
            )


def _recover_recordings(store: Store, report: DoctorReport) -> set[Path]:
    """Recordings whose process is gone: headers a crash cut short repaired (the recorder's recovery).

    Returns their paths: they are imported whatever their age, since their writer is known to be dead.
    """
    try:
        from interviewcoach.core.audio.recorder import recover_interrupted
    except ImportError:  # numpy missing: nothing was recorded with this install anyway
        return set()
    found_paths: set[Path] = set()
    for found in recover_interrupted(store.data_dir):
        report.repaired.append(f"{found.path}: {found.stop_reason}")
        found_paths.add(found.path.resolve())
    return found_paths


def _check_integrity(store: Store, report: DoctorReport) -> None:
    with store._read() as conn:
        result = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if result != ["ok"]:
            report.problems.extend(f"database: {line}" for line in result[:20])
        for row in conn.execute("PRAGMA foreign_key_check"):
            report.problems.append(f"database: {row[0]} row {row[1]} points to a missing {row[2]}")


def _check_permissions(store: Store, report: DoctorReport, repair: bool) -> None:
    targets: list[tuple[Path, int]] = [(store.data_dir, 0o700)]
    if store.audio_dir.is_dir():
        targets.append((store.audio_dir, 0o700))
        targets += [(p, 0o600) for p in store.audio_dir.iterdir() if p.is_file()]
    targets += [(p, 0o600) for p in store.data_dir.iterdir() if p.is_file() and p.name.startswith(DB_NAME)]
    for path, mode in targets:
        current = stat.S_IMODE(path.stat().st_mode)
        if current == mode:
            continue
        if repair:
            path.chmod(mode)
            report.repaired.append(f"{path}: permissions {current:o} -> {mode:o}")
        else:
            report.problems.append(f"{path}: permissions {current:o}, should be {mode:o}")


def _check_audio_files(
    store: Store,
    conn: sqlite3.Connection,
    report: DoctorReport,
    referenced: dict[str, tuple[int, str]],
    repair: bool,
    min_age_s: float,
    recovered: set[Path],
) -> None:
    if not store.audio_dir.is_dir():
        return
    now = time.time()
    for path in sorted(store.audio_dir.iterdir()):
        if not path.is_file():
            continue
        name = path.name
        age = now - path.stat().st_mtime
        if name.startswith(".") and name.endswith(TRASH_SUFFIX):
            original = path.with_name(name[1 : -len(TRASH_SUFFIX)])
            if store._stored_path(original) in referenced:
                if repair:
                    path.replace(original)
                    report.repaired.append(f"{original}: restored (its delete did not complete)")
                else:
                    report.problems.append(f"{original}: renamed for deletion but its attempt remains")
            elif repair:
                path.unlink()
                report.repaired.append(f"{path}: finished an interrupted delete")
            else:
                report.problems.append(f"{path}: left over from an interrupted delete")
            continue
        if name.startswith(INCOMING_PREFIX):
            if age < min_age_s:
                continue
            if repair:
                # An incomplete copy; the original recording is still where the user had it.
                path.unlink()
                report.repaired.append(f"{path}: removed an incomplete copy")
            else:
                report.problems.append(f"{path}: incomplete copy")
            continue
        if name.startswith(".") or path.suffix.lower() not in AUDIO_SUFFIXES:
            continue
        report.checked_audio += 1
        if store._stored_path(path) in referenced:
            continue
        if path.with_name(name + RECORDING_SUFFIX).exists():
            continue  # its recorder's process is alive: recording, or about to save it
        # The recorder's notes tell a dead writer's answer apart from a file another process may be
        # writing or copying in right now; only files without a note wait (the repair itself renews
        # mtime). A header with nothing after it yet is such a file too, the moment after it opens.
        known_dead = path.resolve() in recovered or path.with_name(name + INTERRUPTED_SUFFIX).exists()
        if not known_dead and age < min_age_s:
            continue
        if _holds_no_audio(path):
            # A recording that never got past its header (a full disk at the start): there is
            # nothing to keep, and as an attempt it could never be scored.
            if repair:
                path.unlink()
                path.with_name(name + INTERRUPTED_SUFFIX).unlink(missing_ok=True)
                report.repaired.append(f"{path}: removed an empty recording (no audio in it)")
            else:
                report.problems.append(f"{path}: empty recording (no audio in it)")
            continue
        if not repair:
            report.problems.append(f"{path}: recording without an attempt")
            continue
        attempt_id = _import_orphan(store, conn, path)
        report.imported.append(attempt_id)
        report.repaired.append(
            f"{path}: recording without an attempt, imported as pending attempt {attempt_id} "
            "(run `interviewcoach rescore --all` to transcribe and score it)"
        )


def _holds_no_audio(path: Path) -> bool:
    """True for a file with no byte beyond a WAV header: nothing in it can ever be audio."""
    size = path.stat().st_size
    return size == 0 or (path.suffix.lower() in (".wav", ".wave") and size <= 44)


def _import_orphan(store: Store, conn: sqlite3.Connection, path: Path) -> int:
    match = AUDIO_NAME.match(path.name)
    question_id = "unknown"
    created = datetime.fromtimestamp(path.stat().st_mtime)
    if match is not None:
        question_id = match.group(2)
        with contextlib.suppress(ValueError):
            created = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f")
    text, category = store._info_for(question_id)
    make_private(path, 0o600)
    cursor = conn.execute(
        "INSERT INTO attempts (created_at, question_id, question_text, category, status, duration_s, "
        "interrupted, audio_path, note, uid) "
        "VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, lower(hex(randomblob(16))))",
        (
            to_stamp(created),
            question_id,
            text,
            category,
            audio_duration(path),
            int(path.with_name(path.name + INTERRUPTED_SUFFIX).exists()),
            store._stored_path(path),
            "found by doctor: recording without an attempt; not transcribed yet",
        ),
    )
    return int(cursor.lastrowid or 0)


def _check_missing_audio(
    store: Store, conn: sqlite3.Connection, report: DoctorReport, rows: list[Any], repair: bool
) -> None:
    for attempt_id, status, stored in rows:
        path = store._real_path(stored)
        if path is None or path.is_file():
            continue
        if status == "pending":
            # Nothing but the missing recording was ever known about this attempt.
            if repair:
                conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
                report.repaired.append(f"attempt {attempt_id}: pending and its audio {path} is gone; removed")
            else:
                report.problems.append(f"attempt {attempt_id}: pending and its audio {path} is gone")
        elif repair:
            conn.execute(
                "UPDATE attempts SET audio_path = NULL, note = ? WHERE id = ?",
                (f"audio {path.name} was missing; transcript and score kept", attempt_id),
            )
            report.repaired.append(
                f"attempt {attempt_id}: audio {path} is missing; kept transcript and score"
            )
        else:
            report.problems.append(f"attempt {attempt_id}: audio {path} is missing")


def _check_criterion_rows(store: Store, conn: sqlite3.Connection, report: DoctorReport, repair: bool) -> None:
    sql = (
        "SELECT a.id, d.score_json FROM attempts a LEFT JOIN attempt_details d ON d.attempt_id = a.id "
        "WHERE a.status = 'scored' AND (d.score_json IS NULL OR NOT EXISTS "
        "(SELECT 1 FROM criterion_scores c WHERE c.attempt_id = a.id))"
    )
    for attempt_id, score_json in conn.execute(sql).fetchall():
        if score_json is None:
            report.problems.append(f"attempt {attempt_id}: its score details are missing")
            continue
        score, _ = read_score(score_json)
        if score is None:
            continue  # reported by _check_stored_scores
        if not score.criteria:
            continue
        if repair:
            store._write_details(conn, attempt_id, score, score_json)
            report.repaired.append(f"attempt {attempt_id}: rebuilt its per-criterion scores")
        else:
            report.problems.append(f"attempt {attempt_id}: per-criterion scores missing")
