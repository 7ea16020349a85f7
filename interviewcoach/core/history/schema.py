"""The history database's schema: version 1 (the first) and the migrations that bring a file up to date.

`Store` runs every migration from the file's `PRAGMA user_version` to SCHEMA_VERSION in one write
transaction; a new file is built by the same steps, so the migrations are exercised on every install.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from interviewcoach.core.content.questions import load_bank
from interviewcoach.core.errors import UserError

SCHEMA_VERSION = 4


# Version 1: the first schema (one table; the whole Score as JSON in each row).
_V1 = [
    """CREATE TABLE attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        question_id TEXT NOT NULL,
        rubric_id TEXT NOT NULL,
        rubric_version INTEGER NOT NULL,
        overall INTEGER NOT NULL,
        duration_s REAL,
        interrupted INTEGER NOT NULL DEFAULT 0,
        audio_path TEXT,
        engine TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        score_json TEXT NOT NULL
    )""",
    "CREATE INDEX attempts_by_time ON attempts(created_at)",
    "CREATE INDEX attempts_by_question ON attempts(question_id, created_at)",
]

# Version 2: small summary rows (the list stays fast with long transcripts), the Score JSON in its own
# table, per-criterion scores for trends and averages, advisor sets, categories, and "pending"
# attempts (audio that doctor found without a row, to transcribe later).
_V2 = [
    # The old table is renamed out of the way first: dropping a table that new tables reference
    # would cascade-delete their rows (foreign keys cannot be switched off inside the transaction).
    "DROP INDEX attempts_by_time",
    "DROP INDEX attempts_by_question",
    "ALTER TABLE attempts RENAME TO attempts_v1",
    """CREATE TABLE attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        question_id TEXT NOT NULL,
        question_text TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL DEFAULT '',
        set_id TEXT,
        status TEXT NOT NULL DEFAULT 'scored' CHECK (status IN ('scored', 'pending')),
        rubric_id TEXT NOT NULL DEFAULT '',
        rubric_version INTEGER NOT NULL DEFAULT 0,
        overall INTEGER CHECK (overall BETWEEN 0 AND 100),
        no_answer INTEGER NOT NULL DEFAULT 0,
        duration_s REAL,
        interrupted INTEGER NOT NULL DEFAULT 0,
        audio_path TEXT UNIQUE,
        engine TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        rescored_at TEXT,
        note TEXT NOT NULL DEFAULT '',
        CHECK ((status = 'scored') = (overall IS NOT NULL))
    )""",
    """CREATE TABLE attempt_details (
        attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
        score_json TEXT NOT NULL
    )""",
    """CREATE TABLE criterion_scores (
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        criterion_id TEXT NOT NULL,
        score REAL NOT NULL,
        passed INTEGER NOT NULL,
        PRIMARY KEY (attempt_id, criterion_id)
    ) WITHOUT ROWID""",
    # Two v1 rows naming one file would let deleting one remove the other's audio: the oldest keeps it.
    """INSERT INTO attempts (id, created_at, question_id, rubric_id, rubric_version, overall,
            no_answer, duration_s, interrupted, audio_path, engine, model)
        SELECT id, created_at, question_id, rubric_id, rubric_version, overall,
            coalesce(json_extract(score_json, '$.no_answer'), 0), duration_s, interrupted,
            CASE WHEN id = (SELECT min(b.id) FROM attempts_v1 b WHERE b.audio_path = v.audio_path)
                 THEN audio_path END,
            engine, model
        FROM attempts_v1 v""",
    "INSERT INTO attempt_details (attempt_id, score_json) SELECT id, score_json FROM attempts_v1",
    """INSERT INTO criterion_scores (attempt_id, criterion_id, score, passed)
        SELECT a.id, c.key, json_extract(c.value, '$.score'), json_extract(c.value, '$.passed')
        FROM attempts_v1 a, json_each(a.score_json, '$.criteria') c""",
    "DROP TABLE attempts_v1",
    "CREATE INDEX attempts_by_time ON attempts(created_at)",
    "CREATE INDEX attempts_by_question ON attempts(question_id, created_at)",
    "CREATE INDEX attempts_by_category ON attempts(category, created_at)",
    "CREATE INDEX attempts_by_set ON attempts(set_id, created_at)",
    "CREATE INDEX criterion_scores_by_criterion ON criterion_scores(criterion_id)",
]


def _migrate_v1_to_v2(conn: sqlite3.Connection) -> None:
    # AUTOINCREMENT's high-water mark goes with the dropped table; keep it so deleted ids stay unused.
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'attempts'").fetchone()
    for statement in _V2:
        conn.execute(statement)
    if row is not None:
        conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'attempts'", (row[0],))
        conn.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'attempts', ? "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'attempts')",
            (row[0],),
        )
    # Question text and category were not kept in v1: fill them in from the bank where it knows the id.
    info = shipped_question_info()
    for question_id, (text, category) in info.items():
        conn.execute(
            "UPDATE attempts SET question_text = ?, category = ? WHERE question_id = ?",
            (text, category, question_id),
        )


# Version 3: the advisor round trip. Every attempt gets a stable `uid` (a row id means nothing on
# another machine, so an advisor's comment names the attempt by uid), the version of the set it was
# made with, and advisor comments imported back by the student.
_V3 = [
    "ALTER TABLE attempts ADD COLUMN uid TEXT",
    "ALTER TABLE attempts ADD COLUMN set_version INTEGER",
    "UPDATE attempts SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL",
    "CREATE UNIQUE INDEX attempts_by_uid ON attempts(uid)",
    """CREATE TABLE advisor_comments (
        attempt_uid TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (attempt_uid, author, created_at)
    ) WITHOUT ROWID""",
]


def _migrate_v2_to_v3(conn: sqlite3.Connection) -> None:
    for statement in _V3:
        conn.execute(statement)


# Version 4: an advisor's talking-point overrides ("you did cover the DR backup plan"), imported with
# their comments. One row per attempt, advisor and point: a later comments file replaces the verdict.
# A comment is now told apart by its text too: an advisor's tool may stamp every comment of one
# export with the same time, and two comments on one attempt must not collapse into one.
_V4 = [
    "ALTER TABLE advisor_comments RENAME TO advisor_comments_v3",
    """CREATE TABLE advisor_comments (
        attempt_uid TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (attempt_uid, author, created_at, text)
    )""",
    """INSERT INTO advisor_comments (attempt_uid, author, created_at, text)
        SELECT attempt_uid, author, created_at, text FROM advisor_comments_v3""",
    "DROP TABLE advisor_comments_v3",
    "CREATE INDEX advisor_comments_by_attempt ON advisor_comments(attempt_uid, created_at)",
    """CREATE TABLE advisor_overrides (
        attempt_uid TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        point TEXT NOT NULL,
        covered INTEGER NOT NULL CHECK (covered IN (0, 1)),
        PRIMARY KEY (attempt_uid, author, point)
    ) WITHOUT ROWID""",
]


def _migrate_v3_to_v4(conn: sqlite3.Connection) -> None:
    for statement in _V4:
        conn.execute(statement)


def _create_v1(conn: sqlite3.Connection) -> None:
    for statement in _V1:
        conn.execute(statement)


# MIGRATIONS[n] takes a database at version n to version n + 1 (version 0 is an empty file).
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _create_v1,
    _migrate_v1_to_v2,
    _migrate_v2_to_v3,
    _migrate_v3_to_v4,
]
assert len(MIGRATIONS) == SCHEMA_VERSION


def shipped_question_info() -> dict[str, tuple[str, str]]:
    """Question id -> (text, category) for the shipped bank; empty if the bank does not load."""
    try:
        return {q.id: (q.text, q.category) for q in load_bank()}
    except UserError:
        return {}
