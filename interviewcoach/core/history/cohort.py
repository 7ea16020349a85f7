"""The advisor's cohort: students' bundles imported into one private database, read as a grid.

An advisor receives one bundle per student and set (see bundle.py). `CohortStore` keeps them in
`cohort.sqlite3` in the data directory (0600, WAL, its own `PRAGMA user_version`), separate from the
advisor's own practice history. Attempts are keyed by their uid, so importing the same bundle twice,
or a newer bundle from the same student, adds nothing twice: newer data replaces older, attempts the
newer bundle no longer carries are kept. The advisor's own words (comments per attempt, overrides of
a talking-point verdict) live beside the imported data and survive re-imports.

`grid(set_id)` is what the CLI's report, the HTML page and the TUI's Advisor screen all read: one row
per student, one cell per question (latest and best score, attempts made against those required,
talking points covered), each cell holding its attempts for a drill-down.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from interviewcoach.core.errors import UserError
from interviewcoach.core.history.bundle import (
    COMMENTS_FORMAT,
    FORMAT_VERSION,
    MAX_COMMENT_CHARS,
    Bundle,
    BundleCriterion,
    BundleError,
    BundleQuestion,
    BundleTalkingPoint,
    CommentsFile,
    read_bundle,
)
from interviewcoach.core.history.database import Database, immediate, use_wal
from interviewcoach.core.paths import data_dir as resolve_data_dir
from interviewcoach.core.paths import ensure_private_dir

DB_NAME = "cohort.sqlite3"
SCHEMA_VERSION = 1
DEFAULT_AUTHOR = "Advisor"

_SCHEMA = [
    """CREATE TABLE students (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        email TEXT,
        cohort TEXT,
        updated_from TEXT NOT NULL
    )""",
    """CREATE TABLE sets (
        set_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        author TEXT NOT NULL,
        instructions TEXT NOT NULL,
        due TEXT,
        questions_json TEXT NOT NULL,
        PRIMARY KEY (set_id, version)
    ) WITHOUT ROWID""",
    """CREATE TABLE submissions (
        student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
        set_id TEXT NOT NULL,
        exported_at TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        app_version TEXT NOT NULL,
        PRIMARY KEY (student_id, set_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE attempts (
        uid TEXT PRIMARY KEY,
        student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
        set_id TEXT NOT NULL,
        set_version INTEGER,
        question_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        overall INTEGER,
        no_answer INTEGER NOT NULL,
        duration_s REAL,
        transcript TEXT NOT NULL,
        criteria_json TEXT NOT NULL,
        points_json TEXT NOT NULL,
        exported_at TEXT NOT NULL
    )""",
    "CREATE INDEX attempts_by_set ON attempts(set_id, student_id, question_id, created_at)",
    """CREATE TABLE overrides (
        attempt_uid TEXT NOT NULL,
        point TEXT NOT NULL,
        covered INTEGER NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (attempt_uid, point)
    ) WITHOUT ROWID""",
    """CREATE TABLE comments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        attempt_uid TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX comments_by_attempt ON comments(attempt_uid, created_at)",
]

_CRITERIA = TypeAdapter(list[BundleCriterion])
_POINTS = TypeAdapter(list[BundleTalkingPoint])
_QUESTIONS = TypeAdapter(list[BundleQuestion])


class CohortError(UserError):
    """The cohort database cannot be used, or a name given to it matches nothing."""


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def student_key(name: str, email: str | None) -> str:
    """Who a bundle is from: the email when there is one (names repeat), else the name."""
    if email and email.strip():
        return "email:" + email.strip().casefold()
    return "name:" + " ".join(name.split()).casefold()


# ---------------------------------------------------------------------------------------------------
# Records read from the cohort


@dataclass(frozen=True)
class StudentInfo:
    id: int
    name: str
    email: str | None
    cohort: str | None

    def to_json(self) -> dict[str, str | None]:
        return {"name": self.name, "email": self.email, "cohort": self.cohort}


@dataclass(frozen=True)
class CohortSet:
    id: str
    version: int
    title: str
    author: str
    instructions: str
    due: str | None
    questions: list[BundleQuestion]


@dataclass(frozen=True)
class Comment:
    id: int
    attempt_uid: str
    author: str
    created_at: str
    text: str


@dataclass(frozen=True)
class Quote:
    """A stretch of the transcript the student's app quoted (character offsets into it)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Verdict:
    """A rubric criterion's verdict on an attempt, under the rubric's own name."""

    id: str
    name: str
    score: float
    passed: bool
    advice: str
    evidence: list[Quote]


@dataclass(frozen=True)
class PointView:
    """A talking point's verdict as shown: the student's app's, or the advisor's when overridden."""

    text: str
    covered: bool
    evidence: Quote | None
    nearest: Quote | None
    overridden: bool = False
    # What the student's app said, when the advisor overrode it.
    original: bool | None = None


@dataclass(frozen=True)
class AttemptView:
    uid: str
    question_id: str
    created_at: str
    set_version: int | None
    overall: int | None
    no_answer: bool
    duration_s: float | None
    transcript: str
    criteria: list[Verdict]
    points: list[PointView]
    comments: list[Comment] = field(default_factory=list)

    @property
    def scored(self) -> bool:
        return not self.no_answer and self.overall is not None

    @property
    def points_covered(self) -> int:
        return sum(1 for p in self.points if p.covered)


@dataclass(frozen=True)
class Cell:
    """One student's work on one question: attempts oldest first."""

    question_id: str
    required: int
    points_total: int
    attempts: list[AttemptView]

    @property
    def latest_attempt(self) -> AttemptView | None:
        """The most recent scored attempt (an attempt with no answer has no score to show)."""
        return next((a for a in reversed(self.attempts) if a.scored), None)

    @property
    def latest(self) -> int | None:
        attempt = self.latest_attempt
        return attempt.overall if attempt is not None else None

    @property
    def best(self) -> int | None:
        scores = [a.overall for a in self.attempts if a.scored and a.overall is not None]
        return max(scores) if scores else None

    @property
    def points_covered(self) -> int:
        """Talking points the latest scored answer covers (advisor's overrides applied)."""
        attempt = self.latest_attempt
        return min(attempt.points_covered, self.points_total) if attempt is not None else 0

    @property
    def attempted(self) -> bool:
        return bool(self.attempts)

    def to_json(self) -> dict[str, int | None]:
        return {
            "latest": self.latest,
            "best": self.best,
            "attempts": len(self.attempts),
            "required": self.required,
            "points_covered": self.points_covered,
            "points_total": self.points_total,
        }


@dataclass(frozen=True)
class StudentRow:
    student: StudentInfo
    cells: dict[str, Cell]
    exported_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "student": self.student.to_json(),
            "questions": {qid: cell.to_json() for qid, cell in self.cells.items()},
        }


@dataclass(frozen=True)
class Grid:
    set: CohortSet
    rows: list[StudentRow]

    def question_stats(self, question_id: str) -> dict[str, float | int | None]:
        """Across students: how many attempted, the mean latest and mean best score."""
        cells = [row.cells[question_id] for row in self.rows]
        latest = [c.latest for c in cells if c.latest is not None]
        best = [c.best for c in cells if c.best is not None]
        return {
            "attempted": sum(1 for c in cells if c.attempted),
            "done": sum(1 for c in cells if len(c.attempts) >= c.required),
            "mean_latest": round(sum(latest) / len(latest)) if latest else None,
            "mean_best": round(sum(best) / len(best)) if best else None,
        }


@dataclass(frozen=True)
class ImportResult:
    path: Path
    student: str
    set_id: str
    added: int
    updated: int
    kept: int


@dataclass(frozen=True)
class SetSummary:
    id: str
    version: int
    title: str
    students: int
    attempts: int


# ---------------------------------------------------------------------------------------------------
# The store


class CohortStore(Database):
    """The advisor's cohort database in a data directory.

    import      import_bundle(path) -> ImportResult (BundleError for a bad file)
    read        sets(), grid(set_id), attempt(uid), find_student(set_id, name)
    advisor     add_comment(uid, text), set_override(uid, point, covered), clear_override(uid, point)
    send back   comments_file(set_id, student) -> dict in the comments format
    """

    def __init__(self, data_dir: Path | str | None = None) -> None:
        self.data_dir = ensure_private_dir(resolve_data_dir(data_dir))
        self.db_path = self.data_dir / DB_NAME
        self._open()

    # -- connections ------------------------------------------------------------------------------

    def _damaged(self, exc: sqlite3.Error) -> CohortError:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return CohortError(f"{self.db_path}: the cohort is busy (another import is writing); try again")
        return CohortError(
            f"{self.db_path}: cannot use the cohort database ({exc}); move the file aside and import "
            "the bundles again"
        )

    def _open(self) -> None:
        self._create_private()
        conn = self._connect()
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return
            if version > SCHEMA_VERSION:
                raise CohortError(
                    f"{self.db_path} was written by a newer interviewcoach (schema {version}, this one "
                    f"knows {SCHEMA_VERSION}); upgrade interviewcoach"
                )
            use_wal(conn)
            with immediate(conn):
                # Another process may have built the schema while this one waited for the lock.
                if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                    for statement in _SCHEMA:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            conn.close()

    # -- import -----------------------------------------------------------------------------------

    def import_bundle(self, path: Path) -> ImportResult:
        """Validate one bundle file and merge it in (one transaction); BundleError when it is bad."""
        result = self.import_bundles([path])[0]
        if isinstance(result, BundleError):
            raise result
        return result

    def import_bundles(self, paths: Sequence[Path]) -> list[ImportResult | BundleError]:
        """Import each file in its own transaction over one connection; a bad file is its error."""
        results: list[ImportResult | BundleError] = []
        conn = self._connect()
        try:
            # The cohort can always be rebuilt from the bundles, so a commit need not reach the disk
            # platter before the next bundle is read (WAL keeps the database whole either way).
            conn.execute("PRAGMA synchronous = NORMAL")
            for path in paths:
                try:
                    bundle = read_bundle(path)
                    with immediate(conn):
                        results.append(self._merge(conn, bundle, path))
                except BundleError as exc:
                    results.append(exc)
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            conn.close()
        return results

    def _merge(self, conn: sqlite3.Connection, bundle: Bundle, path: Path) -> ImportResult:
        known_questions = {q.id for q in bundle.set.questions}
        stray = next((a for a in bundle.attempts if a.question_id not in known_questions), None)
        if stray is not None:
            raise BundleError(path, f"attempt {stray.uid}: question {stray.question_id!r} is not in the set")
        student = bundle.student
        key = student_key(student.name, student.email)
        exported = bundle.exported_at
        row = conn.execute("SELECT id, updated_from FROM students WHERE key = ?", (key,)).fetchone()
        if row is None:
            student_id = conn.execute(
                "INSERT INTO students (key, name, email, cohort, updated_from) VALUES (?, ?, ?, ?, ?)",
                (key, student.name, student.email, student.cohort, exported),
            ).lastrowid
        else:
            student_id = row[0]
            if exported >= row[1]:
                conn.execute(
                    "UPDATE students SET name = ?, email = ?, cohort = ?, updated_from = ? WHERE id = ?",
                    (student.name, student.email, student.cohort, exported, student_id),
                )
        info = bundle.set
        conn.execute(
            "INSERT OR REPLACE INTO sets (set_id, version, title, author, instructions, due, "
            "questions_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                info.id,
                info.version,
                info.title,
                info.author,
                info.instructions,
                info.due,
                _QUESTIONS.dump_json(info.questions).decode(),
            ),
        )
        conn.execute(
            "INSERT INTO submissions (student_id, set_id, exported_at, imported_at, app_version) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (student_id, set_id) DO UPDATE SET "
            "exported_at = max(exported_at, excluded.exported_at), imported_at = excluded.imported_at, "
            "app_version = excluded.app_version",
            (student_id, info.id, exported, now_iso(), bundle.app_version),
        )
        existing: dict[str, tuple[int, str]] = {}
        uids = [a.uid for a in bundle.attempts]
        for chunk in _chunks(uids, 500):
            marks = ",".join("?" * len(chunk))
            for uid, owner, was_exported in conn.execute(
                f"SELECT uid, student_id, exported_at FROM attempts WHERE uid IN ({marks})", chunk
            ):
                existing[uid] = (owner, was_exported)
        added = updated = kept = 0
        rows = []
        for attempt in bundle.attempts:
            before = existing.get(attempt.uid)
            if before is not None and (before[0] != student_id or before[1] > exported):
                # Another student's attempt (a uid is not a secret), or an older copy than the
                # one already imported: what is stored stays.
                kept += 1
                continue
            if before is None:
                added += 1
            else:
                updated += 1
            rows.append(
                (
                    attempt.uid,
                    student_id,
                    info.id,
                    attempt.set_version,
                    attempt.question_id,
                    attempt.created_at,
                    attempt.overall,
                    int(attempt.no_answer),
                    attempt.duration_s,
                    attempt.transcript,
                    _CRITERIA.dump_json(attempt.criteria).decode(),
                    _POINTS.dump_json(attempt.talking_points).decode(),
                    exported,
                )
            )
        conn.executemany(
            "INSERT OR REPLACE INTO attempts (uid, student_id, set_id, set_version, question_id, "
            "created_at, overall, no_answer, duration_s, transcript, criteria_json, points_json, "
            "exported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return ImportResult(path, student.name, info.id, added, updated, kept)

    # -- reading ----------------------------------------------------------------------------------

    def sets(self) -> list[SetSummary]:
        with self._read() as conn:
            rows = conn.execute(
                """SELECT s.set_id, s.version, s.title,
                        (SELECT count(*) FROM submissions u WHERE u.set_id = s.set_id),
                        (SELECT count(*) FROM attempts a WHERE a.set_id = s.set_id)
                   FROM sets s
                   WHERE s.version = (SELECT max(version) FROM sets t WHERE t.set_id = s.set_id)
                   ORDER BY s.set_id"""
            ).fetchall()
        return [SetSummary(*row) for row in rows]

    def students(self, set_id: str | None = None) -> list[StudentInfo]:
        with self._read() as conn:
            if set_id is None:
                rows = conn.execute("SELECT id, name, email, cohort FROM students").fetchall()
            else:
                rows = conn.execute(
                    "SELECT s.id, s.name, s.email, s.cohort FROM students s JOIN submissions u "
                    "ON u.student_id = s.id WHERE u.set_id = ?",
                    (set_id,),
                ).fetchall()
        out = [StudentInfo(*row) for row in rows]
        return sorted(out, key=lambda s: (s.name.casefold(), s.email or "", s.id))

    def cohort_set(self, set_id: str) -> CohortSet:
        with self._read() as conn:
            row = conn.execute(
                "SELECT set_id, version, title, author, instructions, due, questions_json FROM sets "
                "WHERE set_id = ? ORDER BY version DESC LIMIT 1",
                (set_id,),
            ).fetchone()
        if row is None:
            known = ", ".join(s.id for s in self.sets()) or "none imported yet"
            raise CohortError(f"no set {set_id!r} in the cohort (sets: {known})")
        found, version, title, author, instructions, due, questions = row
        parsed = _QUESTIONS.validate_json(questions)
        return CohortSet(found, version, title, author, instructions, due, parsed)

    def grid(self, set_id: str, *, details: bool = True) -> Grid:
        """Every student who sent this set, every question of its newest version, their attempts.

        `details=False` leaves transcripts, criteria and comments out (the JSON rows need none).
        """
        practice_set = self.cohort_set(set_id)
        students = self.students(set_id)
        columns = (
            "uid, student_id, question_id, created_at, set_version, overall, no_answer, duration_s, "
            + ("transcript, criteria_json, points_json" if details else "'', '[]', points_json")
        )
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {columns} FROM attempts WHERE set_id = ? ORDER BY created_at, uid", (set_id,)
            ).fetchall()
            overrides: dict[str, dict[str, bool]] = {}
            for uid, point, covered in conn.execute(
                "SELECT o.attempt_uid, o.point, o.covered FROM overrides o JOIN attempts a "
                "ON a.uid = o.attempt_uid WHERE a.set_id = ?",
                (set_id,),
            ):
                overrides.setdefault(uid, {})[point] = bool(covered)
            comments: dict[str, list[Comment]] = {}
            if details:
                for cid, uid, author, created, text in conn.execute(
                    "SELECT c.id, c.attempt_uid, c.author, c.created_at, c.text FROM comments c "
                    "JOIN attempts a ON a.uid = c.attempt_uid WHERE a.set_id = ? ORDER BY c.created_at, c.id",
                    (set_id,),
                ):
                    comments.setdefault(uid, []).append(Comment(cid, uid, author, created, text))
            exported = dict(
                conn.execute("SELECT student_id, exported_at FROM submissions WHERE set_id = ?", (set_id,))
            )
        by_student: dict[int, dict[str, list[AttemptView]]] = {}
        for row in rows:
            view = _attempt_view(row, overrides.get(row[0], {}), comments.get(row[0], []))
            by_student.setdefault(row[1], {}).setdefault(view.question_id, []).append(view)
        grid_rows = []
        for student in students:
            attempts = by_student.get(student.id, {})
            cells = {
                q.id: Cell(
                    q.id,
                    q.required_attempts,
                    _points_total(q, attempts.get(q.id, [])),
                    attempts.get(q.id, []),
                )
                for q in practice_set.questions
            }
            grid_rows.append(StudentRow(student, cells, exported.get(student.id, "")))
        return Grid(practice_set, grid_rows)

    def report_rows(self, set_id: str) -> list[dict[str, Any]]:
        """The JSON report: one row per student, `{"student": {...}, "questions": {QID: {...}}}`."""
        return [row.to_json() for row in self.grid(set_id, details=False).rows]

    def attempt(self, uid: str) -> tuple[AttemptView, StudentInfo, str]:
        """One attempt by its uid (or a unique prefix of 6+ characters), its student and set id."""
        full = self.resolve_uid(uid)
        with self._read() as conn:
            row = conn.execute(
                "SELECT uid, student_id, question_id, created_at, set_version, overall, no_answer, "
                "duration_s, transcript, criteria_json, points_json, set_id FROM attempts WHERE uid = ?",
                (full,),
            ).fetchone()
            student = StudentInfo(
                *conn.execute(
                    "SELECT id, name, email, cohort FROM students WHERE id = ?", (row[1],)
                ).fetchone()
            )
            overrides = {
                point: bool(covered)
                for point, covered in conn.execute(
                    "SELECT point, covered FROM overrides WHERE attempt_uid = ?", (full,)
                )
            }
            comments = [
                Comment(*c)
                for c in conn.execute(
                    "SELECT id, attempt_uid, author, created_at, text FROM comments WHERE attempt_uid = ? "
                    "ORDER BY created_at, id",
                    (full,),
                )
            ]
        return _attempt_view(row[:11], overrides, comments), student, row[11]

    def resolve_uid(self, uid: str) -> str:
        text = uid.strip().lower()
        if not (6 <= len(text) <= 32) or any(c not in "0123456789abcdef" for c in text):
            raise CohortError(f"{uid!r} is not an attempt uid (32 hex characters, or the first 6 or more)")
        with self._read() as conn:
            found = [
                r[0]
                for r in conn.execute(
                    "SELECT uid FROM attempts WHERE uid >= ? AND uid < ? LIMIT 2", (text, text + "g")
                )
            ]
        if not found:
            raise CohortError(f"no attempt {uid!r} in the cohort (see `interviewcoach cohort report`)")
        if len(found) > 1:
            raise CohortError(f"{uid!r} names more than one attempt; give more of its uid")
        return str(found[0])

    def find_student(self, set_id: str, name: str) -> StudentInfo:
        """The student of this set whose name (or email) is `name`, ignoring case."""
        wanted = " ".join(name.split()).casefold()
        students = self.students(set_id)
        found = [
            s
            for s in students
            if " ".join(s.name.split()).casefold() == wanted or (s.email or "").casefold() == wanted
        ]
        if not found:
            names = ", ".join(s.name for s in students[:10]) or "none"
            raise CohortError(f"no student {name!r} sent set {set_id!r} (students: {names})")
        if len(found) > 1:
            raise CohortError(f"{len(found)} students of set {set_id!r} are called {name!r}; give an email")
        return found[0]

    # -- the advisor's words ----------------------------------------------------------------------

    def add_comment(self, uid: str, text: str, author: str = DEFAULT_AUTHOR) -> Comment:
        full = self.resolve_uid(uid)
        body = text.strip()
        if not body:
            raise CohortError("the comment is empty")
        if len(body) > MAX_COMMENT_CHARS:
            raise CohortError(
                f"the comment is too long ({len(body)} characters; at most {MAX_COMMENT_CHARS})"
            )
        created = now_iso()
        with self._write() as conn:
            cid = conn.execute(
                "INSERT INTO comments (attempt_uid, author, created_at, text) VALUES (?, ?, ?, ?)",
                (full, author, created, body),
            ).lastrowid
        assert cid is not None
        return Comment(cid, full, author, created, body)

    def set_override(self, uid: str, point: str, covered: bool, author: str = DEFAULT_AUTHOR) -> str:
        """Record the advisor's verdict on one talking point of an attempt; returns the point's text."""
        view, _, _ = self.attempt(uid)
        text = self._point_text(view, point)
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO overrides (attempt_uid, point, covered, author, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (view.uid, text, int(covered), author, now_iso()),
            )
        return text

    def clear_override(self, uid: str, point: str) -> None:
        view, _, _ = self.attempt(uid)
        text = self._point_text(view, point)
        with self._write() as conn:
            conn.execute("DELETE FROM overrides WHERE attempt_uid = ? AND point = ?", (view.uid, text))

    @staticmethod
    def _point_text(view: AttemptView, point: str) -> str:
        texts = [p.text for p in view.points]
        if point in texts:
            return point
        folded = [t for t in texts if t.casefold() == point.strip().casefold()]
        if len(folded) == 1:
            return folded[0]
        listed = "; ".join(repr(t) for t in texts) or "none"
        raise CohortError(f"attempt {view.uid[:8]} has no talking point {point!r} (its points: {listed})")

    def comments_file(self, set_id: str, student_name: str, author: str = DEFAULT_AUTHOR) -> dict[str, Any]:
        """The comments file for one student: every comment and override on their attempts in the set."""
        self.cohort_set(set_id)
        student = self.find_student(set_id, student_name)
        with self._read() as conn:
            comments = [
                {"attempt_uid": uid, "created_at": created, "text": text}
                for uid, created, text in conn.execute(
                    "SELECT c.attempt_uid, c.created_at, c.text FROM comments c JOIN attempts a "
                    "ON a.uid = c.attempt_uid WHERE a.set_id = ? AND a.student_id = ? "
                    "ORDER BY c.created_at, c.id",
                    (set_id, student.id),
                )
            ]
            overrides = [
                {"attempt_uid": uid, "point": point, "covered": bool(covered)}
                for uid, point, covered in conn.execute(
                    "SELECT o.attempt_uid, o.point, o.covered FROM overrides o JOIN attempts a "
                    "ON a.uid = o.attempt_uid WHERE a.set_id = ? AND a.student_id = ? "
                    "ORDER BY o.created_at, o.attempt_uid",
                    (set_id, student.id),
                )
            ]
        document = {
            "format": COMMENTS_FORMAT,
            "format_version": FORMAT_VERSION,
            "set_id": set_id,
            "student": student.to_json(),
            "author": author,
            "exported_at": now_iso(),
            "comments": comments,
            "overrides": overrides,
        }
        # Built through the model `comments import` reads with: what this writes, a student can read.
        return CommentsFile.model_validate(document).model_dump(mode="json")


def _chunks(items: Sequence[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _points_total(question: BundleQuestion, attempts: list[AttemptView]) -> int:
    if question.talking_points:
        return len(question.talking_points)
    return max((len(a.points) for a in attempts), default=0)


def _quote(raw: dict[str, Any] | None) -> Quote | None:
    return Quote(raw["text"], raw["start"], raw["end"]) if raw else None


def _attempt_view(row: Sequence[Any], overrides: dict[str, bool], comments: list[Comment]) -> AttemptView:
    # The stored JSON was validated on import and written by this module: plain json.loads is enough
    # (and several times faster than validating 10,000 attempts again for every report).
    uid, _, question_id, created, set_version, overall, no_answer, duration, transcript = row[:9]
    points = []
    for point in json.loads(row[10]):
        text, covered = point["text"], point["covered"]
        evidence, nearest = _quote(point["evidence"]), _quote(point["nearest"])
        if text in overrides and overrides[text] != covered:
            points.append(PointView(text, overrides[text], evidence, nearest, True, covered))
        else:
            points.append(PointView(text, covered, evidence, nearest))
    criteria = [
        Verdict(c["id"], c["name"], c["score"], c["passed"], c["advice"], [Quote(**e) for e in c["evidence"]])
        for c in json.loads(row[9])
    ]
    return AttemptView(
        uid,
        question_id,
        created,
        set_version,
        overall,
        bool(no_answer),
        duration,
        transcript,
        criteria,
        points,
        comments,
    )


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, whole or not at all (a temporary name, then rename)."""
    target = Path(path)
    part = target.with_name(f".{target.name}.part-{os.getpid()}")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        part.replace(target)
        target.chmod(0o600)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        raise UserError(f"{target}: cannot write ({exc.strerror or type(exc).__name__})") from None


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script and no other."""
    import base64

    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def dumps(value: Any) -> str:
    """JSON for a terminal or a file: ASCII only, so no control or bidi character from a bundle is raw."""
    return json.dumps(value, indent=2, ensure_ascii=True)
