"""A damaged history row, a full disk, a read-only data directory: one line, nothing lost.

Each case used to break every command that touched the history (one bad row broke `show`,
`export` of all attempts, `rescore` and the app while `doctor` said "all good").
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.store import DB_NAME, Store
from tests.history_data import make_score


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def damaged(tmp_path: Path) -> tuple[Path, int, int]:
    """A history of two attempts, the first with a stored score that no longer parses."""
    data = tmp_path / "data"
    store = Store(data)
    bad = store.save_attempt(make_score(overall=40, audio=False))
    good = store.save_attempt(make_score(overall=80, audio=False))
    with sqlite3.connect(data / DB_NAME) as conn:
        conn.execute(
            "UPDATE attempt_details SET score_json = ? WHERE attempt_id = ?", ('{"overall": "x"', bad)
        )
    return data, bad, good


def test_one_damaged_row_is_skipped_by_show_export_and_history(
    damaged: tuple[Path, int, int], tmp_path: Path
) -> None:
    data, bad, good = damaged
    where = ["--data-dir", str(data)]
    code, out, err = run("show", str(bad), *where)
    assert code == 0, err
    assert f"attempt {bad}: its stored score cannot be read" in err and "Traceback" not in err
    code, out, err = run("show", str(good), *where)
    assert code == 0 and "80" in out
    report = tmp_path / "report.md"
    code, _, err = run("export", "--question", "low-score", "--out", str(report), *where)
    assert code == 0, err
    assert f"attempt {bad} skipped: its stored score cannot be read" in err
    assert "wrote 1 attempt" in err and report.is_file()
    code, out, err = run("history", *where)
    assert code == 0 and str(good) in out


def test_doctor_reports_a_damaged_row(damaged: tuple[Path, int, int]) -> None:
    data, bad, _ = damaged
    code, out, _ = run("doctor", "--check", "--data-dir", str(data))
    assert code != 0
    assert f"problem: attempt {bad}: its stored score cannot be read" in out
    assert "all good" not in out
