"""`record` on a full disk: one line, exit 2, and no marker or empty file left behind.

A full disk at the start used to end in an ENOSPC traceback with a `.recording` marker left, and
4 KiB free left a 0-byte WAV that `doctor` turned into an attempt `rescore --all` failed on forever.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from interviewcoach.core.history.doctor import doctor
from interviewcoach.core.history.store import Store
from tests.audio_rig import AlsaFileMic

FILL_AND_RECORD = """
import sys
from pathlib import Path
disk = Path(sys.argv[1])
with open(disk / "filler", "wb", buffering=0) as filler:  # fill the disk to the last byte
    try:
        while True:
            filler.write(b"x" * 4096)
    except OSError:
        pass
sys.argv = ["interviewcoach", *sys.argv[2:]]
from interviewcoach.cli import main
try:
    main()
finally:  # what the command left on the disk, seen from inside its mount
    print("LEFT:" + ",".join(sorted(p.name for p in disk.iterdir() if p.name != "filler")))
"""


def _on_a_full_disk(
    tmp_path: Path, env: dict[str, str], *args: str
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a small file system")
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot create a mount namespace here")
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = f'mount -t tmpfs -o size=256k tmpfs "{disk}" && exec "$@"'
    full_env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = ["unshare", "-m", "sh", "-c", mount, "sh", sys.executable, "-c", FILL_AND_RECORD, str(disk), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=120)
    return disk, out


@pytest.mark.audio
def test_record_out_on_a_full_disk_is_one_line_and_leaves_nothing(
    tmp_path: Path, alsa_mic: Callable[..., AlsaFileMic]
) -> None:
    mic = alsa_mic(np.zeros(16000, dtype=np.float32))
    target = tmp_path / "disk" / "answer.wav"
    _, out = _on_a_full_disk(tmp_path, mic.env, "record", "--seconds", "1", "--out", str(target))
    assert out.returncode == 2, out.stderr
    [line] = out.stderr.splitlines()
    assert "cannot start the recording" in line and "the disk is full" in line, line
    assert "Traceback" not in out.stderr
    assert out.stdout.splitlines()[-1] == "LEFT:", out.stdout  # no marker, no empty WAV


def test_doctor_removes_an_empty_recording_instead_of_importing_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store(data)
    store.audio_dir.mkdir(exist_ok=True)
    empty = store.audio_dir / "20260101-120000-000000-low-score.wav"
    empty.write_bytes(b"")
    header_only = store.audio_dir / "20260101-120001-000000-low-score.wav"
    header_only.write_bytes(b"RIFF" + bytes(40))
    old = 1_700_000_000
    for path in (empty, header_only):
        os.utime(path, (old, old))
    report = doctor(store, repair=True, min_age_s=0)
    assert report.imported == []
    assert not empty.exists() and not header_only.exists()
    assert store.count() == 0
    assert any("removed an empty recording" in line for line in report.repaired)


def test_doctor_leaves_a_header_just_written_for_its_writer(tmp_path: Path) -> None:
    # A WAV is a bare header the moment after it is opened; without a note that its writer died,
    # a young one is being written (the app's start-up check runs while an answer is recorded).
    store = Store(tmp_path / "data")
    store.audio_dir.mkdir(parents=True)
    fresh = store.audio_dir / "20260101-120002-000000-low-score.wav"
    fresh.write_bytes(b"RIFF" + bytes(40))
    fresh.chmod(0o600)
    report = doctor(store, repair=True, min_age_s=60)
    assert fresh.exists() and report.repaired == [] and report.imported == []
    # Once it is old enough, it is the empty recording of a writer that never went on.
    old = 1_700_000_000
    os.utime(fresh, (old, old))
    report = doctor(store, repair=True, min_age_s=60)
    assert not fresh.exists()
    assert any("removed an empty recording" in line for line in report.repaired)
