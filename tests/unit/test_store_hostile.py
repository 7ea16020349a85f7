"""A damaged history row, a full disk, a read-only data directory: one line, nothing lost.

Each case used to break every command that touched the history (one bad row broke `show`,
`export` of all attempts, `rescore` and the app while `doctor` said "all good").
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.history.store import DB_NAME, Store
from tests.history_data import make_score
from tests.speech import Clip


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


# --- a read-only data directory: history readable, one clear line on anything that writes


def _as_other_user() -> list[str]:
    """A command prefix that runs as an unprivileged user (root could write anywhere)."""
    import os
    import shutil

    if os.geteuid() != 0:
        pytest.skip("needs root to run a command as a user who cannot write the data directory")
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux)")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.other_user
def test_read_only_data_directory_reads_history_and_refuses_saves_in_one_line() -> None:
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    prefix = _as_other_user()
    top = Path(tempfile.mkdtemp(prefix="ro-history-"))
    try:
        data = top / "data"
        store = Store(data)
        attempt = store.save_attempt(make_score(overall=77, audio=False))
        answer = top / "answer.txt"
        answer.write_text("I failed Step 1 and I changed how I study.", encoding="utf-8")
        # Readable by everyone, writable by its owner (root) only: to the other user it is read-only.
        for path in [top, data, *data.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        answer.chmod(0o644)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "HOME": str(top)}

        def cli(*args: str) -> subprocess.CompletedProcess[str]:
            cmd = [*prefix, sys.executable, "-m", "interviewcoach", *args, "--data-dir", str(data)]
            return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, cwd=top)

        listed = cli("history")
        assert listed.returncode == 0, listed.stderr
        assert str(attempt) in listed.stdout
        shown = cli("show", str(attempt))
        assert shown.returncode == 0 and "77" in shown.stdout, shown.stderr
        saved = cli("score", "-q", "low-score", "--text-file", str(answer), "--save")
        assert saved.returncode == 2, saved.stderr
        [line] = saved.stderr.splitlines()
        assert "is read-only: your history can be read but nothing can be saved" in line
        checked = cli("doctor")
        assert "Traceback" not in checked.stderr, checked.stderr
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_settings_that_cannot_be_written_are_one_user_error(tmp_path: Path) -> None:
    from interviewcoach.core.errors import UserError
    from interviewcoach.core.settings import Settings, save_settings, settings_path

    settings_path(tmp_path).mkdir()  # something that cannot be replaced by a file
    with pytest.raises(UserError, match=r"settings not saved .*; the previous settings are kept"):
        save_settings(Settings(), tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# --- a full disk at save time: says so, keeps the recording and the history

FILL_AND_RUN = """
import sys
from pathlib import Path
from interviewcoach.core.history.store import Store
from tests.history_data import make_score
from tests.speech import Clip
data = Path(sys.argv[1])
store = Store(data)
store.save_attempt(make_score(overall=61, audio=False))
with open(data.parent / "filler", "wb", buffering=0) as filler:  # fill the disk to the last byte
    try:
        while True:
            filler.write(b"x" * 4096)
            filler.flush()
    except OSError:
        pass
sys.argv = ["interviewcoach", *sys.argv[2:], "--data-dir", str(data)]
from interviewcoach.cli import main
main()
"""


def _on_a_full_disk(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `interviewcoach ARGS` on a data directory on its own 512 KiB file system, filled up."""
    import os
    import shutil

    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a small file system")
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = f'mount -t tmpfs -o size=512k tmpfs "{disk}" && exec "$@"'
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = [
        "unshare",
        "-m",
        "sh",
        "-c",
        mount,
        "sh",
        sys.executable,
        "-c",
        FILL_AND_RUN,
        str(disk / "data"),
        *args,
    ]
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a mount namespace here")
    return subprocess.run(
        cmd, capture_output=True, text=True, env=env, timeout=300, cwd=Path(__file__).parents[2]
    )


def test_full_disk_at_save_says_full_disk_and_keeps_the_history(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text("I failed Step 1, then I changed how I study and passed Step 2.", encoding="utf-8")
    out = _on_a_full_disk(tmp_path, "score", "-q", "low-score", "--text-file", str(answer), "--save")
    assert out.returncode == 2, out.stderr
    [line] = out.stderr.splitlines()
    assert "the disk is full, so the attempt was not saved (your history is unharmed)" in line
    assert "move the file aside" not in line
    assert out.stdout  # the score was still shown


@pytest.mark.slow
def test_full_disk_while_copying_the_recording_keeps_it(tmp_path: Path, speech_clip: Clip) -> None:
    clip = speech_clip.path
    kept = tmp_path / "answer.wav"
    import numpy as np
    import soundfile as sf

    samples, rate = sf.read(clip, dtype="float32")
    sf.write(kept, np.tile(samples, 3), rate)  # bigger than the space left
    out = _on_a_full_disk(tmp_path, "score", "-q", "low-score", "--audio", str(kept), "--save")
    assert out.returncode == 2, out.stderr
    [line] = out.stderr.splitlines()
    assert "the disk is full" in line and f"the recording is kept: {kept}" in line
    assert kept.is_file() and sf.info(kept).frames == 3 * len(samples)


def test_a_damaged_history_database_still_opens_the_app_with_history_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged database used to stop the app from starting at all."""
    from interviewcoach.tui.app import InterviewCoachApp

    data = tmp_path / "data"
    data.mkdir()
    (data / DB_NAME).write_bytes(b"this is not a database" * 100)
    started: list[InterviewCoachApp] = []
    # Only the terminal is pretended: the app is built from the real services, not run.
    monkeypatch.setattr(InterviewCoachApp, "run", lambda self, *a, **k: started.append(self))
    monkeypatch.setattr("interviewcoach.cli.practice_cmds._interactive", lambda: True)
    code, _, err = run("practice", "--data-dir", str(data))
    assert code == 0, err
    [line] = err.splitlines()
    assert "cannot use the history database" in line and line.endswith("history is off for this session")
    [app_] = started
    assert app_.services.store is None
