"""Advisor comments brought back: `comments import` validates, stores once, and `show` includes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.history.store import Store
from tests.history_data import make_score


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def comments_file(path: Path, uid: str, **changes: Any) -> Path:
    data: dict[str, Any] = {
        "format": "interviewcoach-comments",
        "format_version": 1,
        "set_id": "ir-low-score",
        "student": {"name": "Ana Ruiz", "cohort": "2027"},
        "author": "Dr. Okafor",
        "exported_at": "2026-12-06T09:00:00Z",
        "comments": [
            {"attempt_uid": uid, "created_at": "2026-12-06T08:55:00Z", "text": "Lead with the 255."},
            {"attempt_uid": "f" * 32, "created_at": "2026-12-06T08:56:00Z", "text": "Not yours."},
        ],
        "overrides": [{"attempt_uid": uid, "point": "Step 2 CK improvement", "covered": True}],
    }
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture()
def saved(tmp_path: Path) -> tuple[Path, int, str]:
    data = tmp_path / "data"
    store = Store(data)
    attempt_id = store.save_attempt(make_score(audio=False), set_id="ir-low-score", set_version=1)
    return data, attempt_id, store.get(attempt_id).uid


def test_comments_import_once_and_show_them(tmp_path: Path, saved: tuple[Path, int, str]) -> None:
    data, attempt_id, uid = saved
    file = comments_file(tmp_path / "comments.json", uid)
    code, out, err = run("comments", "import", str(file), "--data-dir", str(data))
    assert code == 0, err
    assert "imported 1 comment from Dr. Okafor" in out
    assert "1 talking-point verdict" in out and "1 on attempts not in this history" in out
    # The same file again adds nothing.
    code, out, _ = run("comments", "import", str(file), "--data-dir", str(data))
    assert code == 0 and "imported 0 comments" in out and "1 already imported" in out
    store = Store(data)
    assert [c.text for c in store.comments_for(uid)] == ["Lead with the 255."]
    assert [(o.point, o.covered) for o in store.overrides_for(uid)] == [("Step 2 CK improvement", True)]

    code, out, _ = run("show", str(attempt_id), "--data-dir", str(data))
    assert code == 0
    section = out[out.index("Advisor's comments:") :]
    assert "Dr. Okafor, 2026-12-06: Lead with the 255." in section
    assert "Dr. Okafor marks talking point 'Step 2 CK improvement' as covered" in section
    code, out, _ = run("show", str(attempt_id), "--json", "--data-dir", str(data))
    shown = json.loads(out)
    assert [c["text"] for c in shown["advisor_comments"]] == ["Lead with the 255."]
    assert shown["advisor_overrides"][0]["covered"] is True


def test_a_later_file_changes_the_verdict_and_adds_new_comments(
    tmp_path: Path, saved: tuple[Path, int, str]
) -> None:
    data, _, uid = saved
    run("comments", "import", str(comments_file(tmp_path / "a.json", uid)), "--data-dir", str(data))
    later = comments_file(
        tmp_path / "b.json",
        uid,
        comments=[{"attempt_uid": uid, "created_at": "2026-12-08T10:00:00Z", "text": "Better."}],
        overrides=[{"attempt_uid": uid, "point": "Step 2 CK improvement", "covered": False}],
    )
    assert run("comments", "import", str(later), "--data-dir", str(data))[0] == 0
    store = Store(data)
    assert [c.text for c in store.comments_for(uid)] == ["Lead with the 255.", "Better."]
    assert [o.covered for o in store.overrides_for(uid)] == [False]
    assert list(store.comments_for_set("ir-low-score")) == [uid]


def test_control_characters_in_comments_are_inert(tmp_path: Path, saved: tuple[Path, int, str]) -> None:
    data, attempt_id, uid = saved
    hostile = "Good\x1b[2J\x1b]0;pwned\x07 answer\u202e!"
    file = comments_file(
        tmp_path / "c.json",
        uid,
        author="Dr.\x1b[31m Red",
        comments=[{"attempt_uid": uid, "created_at": "2026-12-06T08:55:00Z", "text": hostile}],
    )
    code, out, _ = run("comments", "import", str(file), "--data-dir", str(data))
    assert code == 0 and "\x1b" not in out
    assert [c.text for c in Store(data).comments_for(uid)] == ["Good answer!"]
    code, out, _ = run("show", str(attempt_id), "--data-dir", str(data))
    assert "Dr. Red, 2026-12-06: Good answer!" in out
    assert "\x1b" not in out and "\u202e" not in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"format": "something-else"}', "not an interviewcoach comments file"),
        ("[1, 2]", "not an interviewcoach comments file"),
        (None, "comments.0.attempt_uid"),
        ("extra", "unknown field"),
        ("long", "comments.0.text"),
    ],
)
def test_a_bad_comments_file_is_one_line_and_exit_2(
    tmp_path: Path, saved: tuple[Path, int, str], content: str | None, message: str
) -> None:
    data, _, uid = saved
    file = tmp_path / "bad.json"
    if content is None:
        comments_file(
            file, uid, comments=[{"attempt_uid": "../../x", "created_at": "2026-12-06", "text": "x"}]
        )
    elif content == "extra":
        comments_file(file, uid, script="<x>")
    elif content == "long":
        comments_file(
            file, uid, comments=[{"attempt_uid": uid, "created_at": "2026-12-06", "text": "x" * 20_001}]
        )
    else:
        file.write_text(content, encoding="utf-8")
    code, out, err = run("comments", "import", str(file), "--data-dir", str(data))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err
    assert Store(data).comments_for(uid) == []


def test_a_missing_or_huge_file_is_refused(tmp_path: Path, saved: tuple[Path, int, str]) -> None:
    data, _, _ = saved
    code, _, err = run("comments", "import", str(tmp_path / "nope.json"), "--data-dir", str(data))
    assert (code, err) == (2, f"interviewcoach: {tmp_path / 'nope.json'}: no such file\n")
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (8 * 1024 * 1024 + 1))
    code, _, err = run("comments", "import", str(huge), "--data-dir", str(data))
    assert code == 2 and "too large (8,388,609 bytes; a comments file is at most 8 MiB)" in err


def test_two_comments_stamped_alike_are_both_kept(tmp_path: Path, saved: tuple[Path, int, str]) -> None:
    data, _, uid = saved
    stamp = "2026-12-06T09:00:00Z"
    file = comments_file(
        tmp_path / "same.json",
        uid,
        comments=[
            {"attempt_uid": uid, "created_at": stamp, "text": "Open with the 255."},
            {"attempt_uid": uid, "created_at": stamp, "text": "Name the ESIR route."},
        ],
    )
    for _ in range(2):
        assert run("comments", "import", str(file), "--data-dir", str(data))[0] == 0
    assert [c.text for c in Store(data).comments_for(uid)] == ["Open with the 255.", "Name the ESIR route."]


def test_comments_saved_under_schema_3_survive_the_upgrade(tmp_path: Path) -> None:
    import sqlite3

    from interviewcoach.core.history.schema import MIGRATIONS

    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    conn = sqlite3.connect(data / "history.sqlite3")
    for step in MIGRATIONS[:3]:
        step(conn)
    conn.execute(
        "INSERT INTO advisor_comments (attempt_uid, author, created_at, text) VALUES (?, ?, ?, ?)",
        ("a" * 32, "Dr. Okafor", "2026-12-06T09:00:00Z", "Kept."),
    )
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    store = Store(data)
    assert store.schema_version() == 4
    assert [c.text for c in store.comments_for("a" * 32)] == ["Kept."]
