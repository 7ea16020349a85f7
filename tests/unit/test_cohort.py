"""The advisor's cohort: `interviewcoach cohort ...` importing bundles, reporting, commenting, sending back.

Bundles are written in the bundle format by tests/cohort_data.py; the cohort database is the real
SQLite file in the test's data directory.
"""

from __future__ import annotations

import json
import re
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.history.bundle import MAX_BUNDLE_BYTES, MAX_TRANSCRIPT_CHARS, CommentsFile
from interviewcoach.core.history.cohort import DB_NAME, CohortStore
from interviewcoach.core.paths import data_dir
from tests.cohort_data import attempt, bundle, write


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def report_json() -> list[dict[str, Any]]:
    code, out, err = run("cohort", "report", "--set", "ir-2027", "--json")
    assert code == 0, err
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def attempts_in_db() -> list[tuple[str, int | None]]:
    with sqlite3.connect(data_dir() / DB_NAME) as conn:
        return [(r[0], r[1]) for r in conn.execute("SELECT uid, overall FROM attempts ORDER BY uid")]


# -- import --------------------------------------------------------------------------------------


def test_import_two_students_then_report_rows(tmp_path: Path) -> None:
    ada = write(tmp_path / "ada.json", bundle())
    grace_attempts = [
        attempt(overall=50, created_at="2026-11-01T09:00:00Z", covered=(True, False, False)),
        attempt(overall=81, created_at="2026-11-02T09:00:00Z", covered=(True, True, True)),
        attempt(overall=64, created_at="2026-11-03T09:00:00Z", covered=(False, True, False)),
    ]
    grace = write(
        tmp_path / "grace.json", bundle("Grace Hopper", email="grace@example.org", attempts=grace_attempts)
    )
    code, out, err = run("cohort", "import", str(ada), str(grace))
    assert code == 0 and err == ""
    assert out.splitlines() == [
        f"{ada}: Ada Lovelace, set ir-2027: 1 new, 0 updated",
        f"{grace}: Grace Hopper, set ir-2027: 3 new, 0 updated",
    ]
    rows = {row["student"]["name"]: row for row in report_json()}
    assert rows["Ada Lovelace"]["student"] == {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "cohort": "2027",
    }
    assert rows["Grace Hopper"]["questions"]["low-score"] == {
        "latest": 64,
        "best": 81,
        "attempts": 3,
        "required": 2,
        "points_covered": 1,
        "points_total": 3,
    }
    assert rows["Grace Hopper"]["questions"]["why-ir"] == {
        "latest": None,
        "best": None,
        "attempts": 0,
        "required": 1,
        "points_covered": 0,
        "points_total": 1,
    }


def test_cohort_database_is_private_and_versioned(tmp_path: Path) -> None:
    run("cohort", "import", str(write(tmp_path / "a.json", bundle())))
    db = data_dir() / DB_NAME
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_reimport_same_bundle_adds_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "ada.json", bundle(attempts=[attempt(), attempt(overall=90)]))
    assert run("cohort", "import", str(path))[0] == 0
    before = attempts_in_db()
    code, out, _ = run("cohort", "import", str(path), str(path))
    assert code == 0
    assert out.splitlines() == [f"{path}: Ada Lovelace, set ir-2027: 0 new, 2 updated"] * 2
    assert attempts_in_db() == before
    assert report_json()[0]["questions"]["low-score"]["attempts"] == 2


def test_newer_bundle_from_same_student_merges_by_uid(tmp_path: Path) -> None:
    first, second = attempt(overall=60), attempt(overall=70, created_at="2026-11-21T10:00:00Z")
    old = write(tmp_path / "old.json", bundle(attempts=[first, second]))
    newer_second = dict(second, overall=75)  # rescored on the student's side
    third = attempt(overall=88, created_at="2026-11-30T10:00:00Z")
    new = write(
        tmp_path / "new.json",
        bundle("Ada  Lovelace", exported_at="2026-12-10T10:00:00Z", attempts=[newer_second, third]),
    )
    run("cohort", "import", str(old))
    code, out, _ = run("cohort", "import", str(new))
    assert code == 0
    assert out.splitlines() == [f"{new}: Ada  Lovelace, set ir-2027: 1 new, 1 updated"]
    assert sorted(a[1] or 0 for a in attempts_in_db()) == [60, 75, 88]
    # The older bundle imported again afterwards changes nothing the newer one brought.
    code, out, _ = run("cohort", "import", str(old))
    assert "1 kept as imported before" in out
    assert sorted(a[1] or 0 for a in attempts_in_db()) == [60, 75, 88]
    rows = report_json()
    assert len(rows) == 1 and rows[0]["questions"]["low-score"]["latest"] == 88


def test_same_name_without_email_is_one_student_other_email_another(tmp_path: Path) -> None:
    run("cohort", "import", str(write(tmp_path / "a.json", bundle("Sam Lee", email=None))))
    run("cohort", "import", str(write(tmp_path / "b.json", bundle("sam lee", email=None))))
    run("cohort", "import", str(write(tmp_path / "c.json", bundle("Sam Lee", email="other@example.org"))))
    assert len(report_json()) == 2


# -- bad bundles -----------------------------------------------------------------------------------


def test_bad_bundles_one_line_each_others_imported(tmp_path: Path) -> None:
    good = write(tmp_path / "good.json", bundle())
    wrong_tag = write(tmp_path / "tag.json", dict(bundle(), format="interviewcoach-export"))
    missing = bundle()
    del missing["student"]["name"]
    missing_path = write(tmp_path / "missing.json", missing)
    extra = bundle()
    extra["attempts"][0]["script"] = "<script>alert(1)</script>"
    extra_path = write(tmp_path / "extra.json", extra)
    not_json = tmp_path / "notjson.json"
    not_json.write_text("{ not json", encoding="utf-8")
    version = write(tmp_path / "v2.json", dict(bundle(), format_version=2))
    stray = bundle(attempts=[attempt("not-in-set")])
    stray_path = write(tmp_path / "stray.json", stray)
    absent = tmp_path / "absent.json"
    files = [good, wrong_tag, missing_path, extra_path, not_json, version, stray_path, absent]
    code, out, err = run("cohort", "import", *map(str, files))
    assert code == 2
    assert out.splitlines() == [f"{good}: Ada Lovelace, set ir-2027: 1 new, 0 updated"]
    lines = err.splitlines()
    assert len(lines) == 8, err
    assert lines[0] == (
        f"interviewcoach: {wrong_tag}: not an interviewcoach bundle (format 'interviewcoach-export', "
        "expected 'interviewcoach-bundle')"
    )
    assert lines[1] == f"interviewcoach: {missing_path}: student.name: missing"
    assert lines[2] == f"interviewcoach: {extra_path}: attempts.0.script: unknown field"
    assert lines[3].startswith(f"interviewcoach: {not_json}: not a bundle: not valid JSON (")
    assert lines[4].startswith(f"interviewcoach: {version}: bundle format version 2 is not supported")
    assert lines[5].endswith("question 'not-in-set' is not in the set")
    assert lines[6] == f"interviewcoach: {absent}: no such file"
    assert lines[7] == "interviewcoach: 7 of 8 bundles not imported"
    assert len(attempts_in_db()) == 1


def test_oversized_bundle_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(MAX_BUNDLE_BYTES + 1)  # sparse: no 64 MiB written
    code, _, err = run("cohort", "import", str(big))
    assert code == 2
    assert err.splitlines()[0] == (
        f"interviewcoach: {big}: too large (67,108,865 bytes; a bundle is at most 64 MiB)"
    )


def test_overlong_transcript_and_deep_nesting_refused(tmp_path: Path) -> None:
    long = write(
        tmp_path / "long.json", bundle(attempts=[attempt(transcript="a" * (MAX_TRANSCRIPT_CHARS + 1))])
    )
    deep = tmp_path / "deep.json"
    deep.write_text(
        json.dumps(bundle())[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8"
    )
    code, _, err = run("cohort", "import", str(long), str(deep))
    assert code == 2
    lines = err.splitlines()
    assert lines[0].startswith(f"interviewcoach: {long}: attempts.0.transcript: String should have at most")
    assert lines[1] == f"interviewcoach: {deep}: not a bundle: nested too deeply"


def test_control_characters_in_names_are_inert_in_terminal_and_html(tmp_path: Path) -> None:
    hostile = "Eve\x1b[2J\x1b]0;owned\x07\u202eevil<script>alert(1)</script>"
    data = bundle(
        hostile, email="eve@example.org", attempts=[attempt(transcript="Hi \x1b[31mred</p><b>x</b>")]
    )
    path = write(tmp_path / "eve\x1b[1m.json", data)
    code, out, err = run("cohort", "import", str(path))
    assert code == 0, err
    for text in (out, run("cohort", "list")[1]):
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
        assert "\\x1b[2J" in text
    page = tmp_path / "report.html"
    code, _, err = run("cohort", "report", "--set", "ir-2027", "--out", str(page))
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert "\x1b" not in html and "\u202e" not in html
    assert "<script>alert" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Hi \\x1b[31mred&lt;/p&gt;&lt;b&gt;x&lt;/b&gt;" in html
    # Only the page's own script, allowed by hash.
    assert html.count("<script>") == 1
    assert "script-src 'sha256-" in html
    json_out = run("cohort", "report", "--set", "ir-2027", "--json")[1]
    assert "\x1b" not in json_out and "\u202e" not in json_out
    assert json.loads(json_out)[0]["student"]["name"] == hostile


# -- the HTML report ---------------------------------------------------------------------------------


def test_html_report_grid_and_drill_down(tmp_path: Path) -> None:
    ada = bundle(attempts=[attempt(overall=60, created_at="2026-11-01T09:00:00Z"), attempt(overall=80)])
    run("cohort", "import", str(write(tmp_path / "a.json", ada)))
    run("cohort", "import", str(write(tmp_path / "b.json", bundle("Grace Hopper", email=None, attempts=[]))))
    page = tmp_path / "r.html"
    code, out, _ = run("cohort", "report", "--set", "ir-2027", "--out", str(page))
    assert code == 0 and out == f"wrote {page}\n"
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    html = page.read_text(encoding="utf-8")
    assert html.index('id="summary"') < html.index('id="grid"') < html.index('id="students"')
    assert "http://" not in html and "https://" not in html and "src=" not in html
    assert '<span class="score">80</span> <span class="muted">best 80</span>' in html
    assert "2/2 tries" in html and "2/3 pts" in html
    assert html.count("not yet attempted") >= 3  # Ada on why-ir, Grace on both, in grid and drill-down
    assert "Owns the setback" in html and "I built a new study plan" in html
    assert "@media print" in html and 'name="viewport"' in html


def test_report_needs_out_or_json_and_known_set(tmp_path: Path) -> None:
    run("cohort", "import", str(write(tmp_path / "a.json", bundle())))
    assert run("cohort", "report", "--set", "ir-2027") == (
        2,
        "",
        "interviewcoach: give --out FILE.html for the page, or --json for JSON rows\n",
    )
    code, _, err = run("cohort", "report", "--set", "nope", "--json")
    assert code == 2 and err == "interviewcoach: no set 'nope' in the cohort (sets: ir-2027)\n"


def test_report_json_to_file(tmp_path: Path) -> None:
    run("cohort", "import", str(write(tmp_path / "a.json", bundle())))
    out = tmp_path / "rows.json"
    assert run("cohort", "report", "--set", "ir-2027", "--out", str(out))[0] == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert set(rows[0]) == {"student", "questions"}
    assert set(rows[0]["questions"]["low-score"]) >= {"latest", "best", "attempts", "points_covered"}


# -- overrides and comments --------------------------------------------------------------------------


def test_override_changes_count_and_is_marked(tmp_path: Path) -> None:
    first = attempt(covered=(True, False, False))
    run("cohort", "import", str(write(tmp_path / "a.json", bundle(attempts=[first]))))
    assert report_json()[0]["questions"]["low-score"]["points_covered"] == 1
    code, out, err = run("cohort", "override", first["uid"][:8], "--point", "a NEW study plan", "--covered")
    assert (code, err) == (0, "")
    assert out == "covered (your verdict): a new study plan\n"
    assert report_json()[0]["questions"]["low-score"]["points_covered"] == 2
    page = tmp_path / "r.html"
    run("cohort", "report", "--set", "ir-2027", "--out", str(page))
    assert "advisor's verdict (the app said missed)" in page.read_text(encoding="utf-8")
    assert run("cohort", "override", first["uid"], "--point", "a new study plan", "--clear")[0] == 0
    assert report_json()[0]["questions"]["low-score"]["points_covered"] == 1


def test_override_unknown_point_or_attempt_is_one_line(tmp_path: Path) -> None:
    first = attempt()
    run("cohort", "import", str(write(tmp_path / "a.json", bundle(attempts=[first]))))
    code, _, err = run("cohort", "override", first["uid"], "--point", "bedside manner", "--covered")
    assert code == 2 and len(err.splitlines()) == 1
    assert "has no talking point 'bedside manner' (its points: 'Step 2 CK improvement';" in err
    code, _, err = run("cohort", "comment", "0" * 32, "hello")
    assert (code, err) == (
        2,
        f"interviewcoach: no attempt '{'0' * 32}' in the cohort (see `interviewcoach cohort report`)\n",
    )
    code, _, err = run("cohort", "override", first["uid"], "--point", "what I learned")
    assert (code, err) == (2, "interviewcoach: give --covered or --not-covered (or --clear)\n")


def test_comments_file_round_trip(tmp_path: Path) -> None:
    first, other = attempt(), attempt("why-ir", covered=(False,))
    run("cohort", "import", str(write(tmp_path / "a.json", bundle(attempts=[first, other]))))
    run(
        "cohort",
        "import",
        str(write(tmp_path / "b.json", bundle("Grace Hopper", email=None, attempts=[attempt()]))),
    )
    assert (
        run("cohort", "comment", first["uid"], "Lead with the Step 2 CK number.", "--author", "Dr. M")[0] == 0
    )
    assert run("cohort", "override", other["uid"], "--point", "a patient story", "--covered")[0] == 0
    out = tmp_path / "comments.json"
    code, stdout, err = run(
        "cohort",
        "comments",
        "--set",
        "ir-2027",
        "--student",
        "ada lovelace",
        "--out",
        str(out),
        "--author",
        "Dr. M",
    )
    assert (code, err) == (0, "")
    assert stdout == f"wrote {out}: 1 comment(s), 1 override(s)\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(out.read_text(encoding="utf-8"))
    CommentsFile.model_validate(document)
    assert document["format"] == "interviewcoach-comments" and document["format_version"] == 1
    assert document["set_id"] == "ir-2027" and document["author"] == "Dr. M"
    assert document["student"]["name"] == "Ada Lovelace"
    assert [(c["attempt_uid"], c["text"]) for c in document["comments"]] == [
        (first["uid"], "Lead with the Step 2 CK number.")
    ]
    assert document["overrides"] == [
        {"attempt_uid": other["uid"], "point": "a patient story", "covered": True}
    ]
    # Comments survive a re-import of the same bundle, and show in the report.
    run("cohort", "import", str(tmp_path / "a.json"))
    page = tmp_path / "r.html"
    run("cohort", "report", "--set", "ir-2027", "--out", str(page))
    assert "Lead with the Step 2 CK number." in page.read_text(encoding="utf-8")
    code, _, err = run("cohort", "comments", "--set", "ir-2027", "--student", "Nobody", "--out", str(out))
    assert code == 2 and err.startswith("interviewcoach: no student 'Nobody' sent set 'ir-2027'")


def test_empty_comment_refused(tmp_path: Path) -> None:
    first = attempt()
    run("cohort", "import", str(write(tmp_path / "a.json", bundle(attempts=[first]))))
    assert run("cohort", "comment", first["uid"], "   ") == (2, "", "interviewcoach: the comment is empty\n")


def test_list_and_attempts(tmp_path: Path) -> None:
    assert run("cohort", "list")[1].startswith("no bundles imported")
    first = attempt()
    run("cohort", "import", str(write(tmp_path / "a.json", bundle(attempts=[first]))))
    code, out, _ = run("cohort", "list")
    assert code == 0
    assert out.splitlines() == [
        "ir-2027 (version 3): IR interview season 2027 - 1 student, 1 attempt",
        "  Ada Lovelace <ada@example.org>: 1 attempt",
    ]
    code, out, _ = run("cohort", "attempts", "--set", "ir-2027", "--student", "ada@example.org")
    assert code == 0
    # In local time to the minute, as `history` and `show` give it (the bundle stores UTC).
    when = datetime(2026, 11, 20, 10, tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    assert f"  {first['uid']}  {when}  score 72, 2/3 points" in out.splitlines()
    assert "  not yet attempted" in out.splitlines()


def test_store_reads_without_cli(tmp_path: Path) -> None:
    store = CohortStore(tmp_path / "advisor")
    result = store.import_bundle(write(tmp_path / "a.json", bundle()))
    assert (result.added, result.updated) == (1, 0)
    grid = store.grid("ir-2027")
    cell = grid.rows[0].cells["low-score"]
    assert cell.latest_attempt is not None and cell.latest_attempt.criteria[0].name == "Owns the setback"
    assert store.schema_version() == 1
    with pytest.raises(Exception, match="not an attempt uid"):
        store.resolve_uid("xyz")


def test_evidence_is_marked_in_the_transcript_and_numbered(tmp_path: Path) -> None:
    from tests.cohort_data import ANSWER

    first = attempt(covered=(True, False, False))
    quote = "I built a new study plan"
    start = ANSWER.index(quote)
    first["criteria"][0]["evidence"] = [{"text": quote, "start": start, "end": start + len(quote)}]
    first["talking_points"][0]["evidence"] = {"text": "not in the answer", "start": 0, "end": 17}
    run("cohort", "import", str(write(tmp_path / "a.json", bundle(attempts=[first]))))
    page = tmp_path / "r.html"
    run("cohort", "report", "--set", "ir-2027", "--out", str(page))
    html = page.read_text(encoding="utf-8")
    assert f"<mark>{quote}</mark><sup>1</sup>" in html
    assert '<li class="p"><sup>1</sup> Owns the setback 80%</li>' in html
    # A quote whose offsets do not match the transcript is shown beside its verdict instead.
    assert "<sup>2</sup> Step 2 CK improvement <q>not in the answer</q>" in html


def test_audio_may_carry_extra_keys_and_is_not_kept(tmp_path: Path) -> None:
    with_audio = attempt()
    with_audio["audio"] = {"format": "flac", "base64": "ZkxhQw==", "sample_rate": 16000}
    bad_audio = attempt()
    bad_audio["audio"] = {"format": "mp3", "base64": ""}
    code, _, err = run(
        "cohort",
        "import",
        str(write(tmp_path / "a.json", bundle(attempts=[with_audio]))),
        str(write(tmp_path / "b.json", bundle("Grace Hopper", email=None, attempts=[bad_audio]))),
    )
    assert code == 2
    assert err.splitlines()[0].startswith(
        f"interviewcoach: {tmp_path / 'b.json'}: attempts.0.audio.format: Input should be"
    )
    assert len(attempts_in_db()) == 1


def test_html_report_gives_times_as_the_page_does_not_as_stored(tmp_path: Path) -> None:
    # Seen: "made 2026-12-05 17:15 UTC" above "Bundle exported 2026-12-05T17:15:43Z".
    first = attempt()
    run("cohort", "import", str(write(tmp_path / "a.json", bundle(attempts=[first]))))
    assert run("cohort", "comment", first["uid"], "Lead with the number.")[0] == 0
    page = tmp_path / "report.html"
    assert run("cohort", "report", "--set", "ir-2027", "--out", str(page))[0] == 0
    html = page.read_text(encoding="utf-8")
    assert "Bundle exported 2026-12-05 10:00 UTC" in html
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", html.split("<script")[0]), "a raw ISO stamp"
