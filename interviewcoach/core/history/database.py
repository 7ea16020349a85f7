"""One SQLite file in the data directory, as the history and the cohort both keep theirs.

The file is created private (0600) before SQLite opens it. Every call opens its own short-lived
connection with a busy timeout, so threads and processes share the file through SQLite's own locking;
every write is one `BEGIN IMMEDIATE` transaction, which takes the write lock up front (no deadlock
when a reader upgrades). A database error reaches the user as the subclass words it (`_damaged`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from interviewcoach.core.errors import UserError

BUSY_TIMEOUT_S = 30.0


def make_private(path: Path, mode: int) -> bool:
    """Set `mode` if it differs; True when it had to be changed (False when it cannot be)."""
    current = stat.S_IMODE(path.stat().st_mode)
    if current != mode:
        try:
            path.chmod(mode)
        except OSError:  # not ours to change (read-only history): left as it is
            return False
        return True
    return False


@contextlib.contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """One transaction that takes the write lock up front; rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def use_wal(conn: sqlite3.Connection, timeout_s: float = BUSY_TIMEOUT_S) -> None:
    """Switch the file to write-ahead logging, waiting out other processes that open it too.

    SQLite does not call the busy handler when the switch finds another connection reading (it
    already holds its own read lock), so two processes opening a new history at once would see
    "database is locked" at once; the switch is retried until the busy timeout instead.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


class Database:
    """Connections, reads and writes over `db_path`; a subclass names the file and words its errors."""

    db_path: Path
    # A database this process cannot write is opened immutable and refuses writes (the history's case).
    read_only: bool = False
    # Set on every connection after the busy timeout and foreign keys.
    PRAGMAS: tuple[str, ...] = ()

    def _damaged(self, exc: sqlite3.Error) -> UserError:
        """The user's one line for a database error: busy, full disk, damaged file..."""
        raise NotImplementedError

    def read_only_error(self) -> UserError:
        return UserError(f"{self.db_path} is read-only")

    def _create_private(self) -> None:
        if not self.db_path.exists():
            # Created 0600 before SQLite opens it; SQLite gives -wal and -shm the same mode.
            fd = os.open(self.db_path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
        make_private(self.db_path, 0o600)

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            # immutable: SQLite needs no -shm/-wal file beside the database to read it.
            uri = f"{self.db_path.resolve().as_uri()}?mode=ro&immutable=1"
            try:
                return sqlite3.connect(uri, uri=True, isolation_level=None)
            except sqlite3.DatabaseError as exc:
                raise self._damaged(exc) from None
        try:
            conn = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            for pragma in self.PRAGMAS:
                conn.execute(f"PRAGMA {pragma}")
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        return conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        try:
            yield conn
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            conn.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction over its own connection."""
        if self.read_only:
            raise self.read_only_error()
        conn = self._connect()
        try:
            with immediate(conn):
                yield conn
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            conn.close()

    def schema_version(self) -> int:
        """The file's schema version (SQLite's user_version)."""
        with self._read() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
