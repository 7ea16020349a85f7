"""The advisor's round trip through the installed command, one process per step, as people run it.

An advisor packs a set with a custom rubric; two students, each with their own data directory, import
the pack, practise typed (`score --save`) and one of them aloud (`record --save`, speech from the fake
microphone, transcribed by Whisper); each exports the bundle. The advisor imports both bundles, reads
the cohort report as HTML and JSON, comments on an attempt and writes the comments file; the student
imports it and `show` prints the comment. Nothing passes between the sides except the files they send.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from tests.audio_rig import AlsaFileMic
from tests.speech import Clip
from tests.student_data import DR_STRONG, LOW_SCORE, write_set

pytestmark = pytest.mark.slow

SET_ID = "cohort-a"
ANA = {"name": "Ana Ruiz", "email": "ana@example.org", "cohort": "2027"}
BEN = {"name": "Ben Osei", "email": "ben@example.org", "cohort": "2027"}
# The custom rubric's own criterion names (the built-in rubric says "Brief").
CUSTOM_CRITERIA = ["Length", "Specific IR experience", "Your advisor's points"]
COMMENT = "Lead with IR; the ESIR plan is the strongest line."


def _entry_point() -> str:
    path = Path(sys.executable).parent / "interviewcoach"
    assert path.exists(), "the interviewcoach entry point is not installed next to this Python"
    return str(path)


def run(home: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    """Run one command in `home`'s data directory; it must succeed and print no traceback."""
    proc = subprocess.run(
        [_entry_point(), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {}), "INTERVIEWCOACH_HOME": str(home)},
    )
    assert proc.returncode == 0, f"{args}: {proc.stderr}"
    assert "Traceback" not in proc.stderr
    return proc.stdout + proc.stderr


def student_practises(home: Path, pack: Path, work: Path, who: dict[str, str]) -> None:
    run(home, "profile", "--name", who["name"], "--email", who["email"], "--cohort", who["cohort"])
    imported = run(home, "sets", "import", str(pack))
    assert f"imported set '{SET_ID}'" in imported and "version 3" in imported
    for question, answer in (("dr-backup-plan", DR_STRONG), ("low-score", LOW_SCORE)):
        typed = work / f"{question}.txt"
        typed.write_text(answer, encoding="utf-8")
        run(home, "score", "--set", SET_ID, "-q", question, "--text-file", str(typed), "--save")


def export_bundle(home: Path, out: Path) -> dict[str, Any]:
    run(home, "export", "--set", SET_ID, "--format", "bundle", "--out", str(out))
    bundle: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return bundle


def test_pack_practise_typed_and_aloud_export_review_and_comment_back(
    tmp_path: Path, alsa_mic: Callable[..., AlsaFileMic], speech_clip: Clip
) -> None:
    ana, ben, advisor = tmp_path / "ana", tmp_path / "ben", tmp_path / "advisor"
    pack = tmp_path / "cohort-a.icset"
    # A version other than the default, so every side shows it was carried, not assumed.
    run(advisor, "sets", "pack", str(write_set(tmp_path / "set")), "--out", str(pack), "--version", "3")
    assert pack.is_file()

    student_practises(ana, pack, tmp_path, ANA)
    student_practises(ben, pack, tmp_path, BEN)
    # Ana also answers aloud: the fake microphone plays the clip, Whisper writes it, the scorer reads it.
    mic = alsa_mic(speech_clip.samples())
    spoken = run(ana, "record", "--set", SET_ID, "-q", "low-score", "--seconds", "10", "--save", env=mic.env)
    assert "saved as attempt 3" in spoken
    assert re.search(r"^overall \d+/100", spoken, re.MULTILINE | re.IGNORECASE)

    sent = {
        "Ana Ruiz": export_bundle(ana, tmp_path / "ana.json"),
        "Ben Osei": export_bundle(ben, tmp_path / "ben.json"),
    }
    ana_bundle = sent["Ana Ruiz"]
    assert ana_bundle["student"] == ANA
    assert ana_bundle["set"]["id"] == SET_ID and ana_bundle["set"]["version"] == 3
    # Every attempt, typed and spoken, keeps the version it was made with.
    assert [a["set_version"] for a in ana_bundle["attempts"]] == [3, 3, 3]
    recorded = [a for a in ana_bundle["attempts"] if a["question_id"] == "low-score" and a.get("duration_s")]
    assert recorded and re.search(r"\bstep\b", recorded[0]["transcript"], re.IGNORECASE)
    dr_attempt = next(a for a in ana_bundle["attempts"] if a["question_id"] == "dr-backup-plan")
    names = [c["name"] for c in dr_attempt["criteria"]]
    assert set(CUSTOM_CRITERIA) <= set(names) and "Brief" not in names

    imported = run(advisor, "cohort", "import", str(tmp_path / "ana.json"), str(tmp_path / "ben.json"))
    assert f"Ana Ruiz, set {SET_ID}: 3 new" in imported and f"Ben Osei, set {SET_ID}: 2 new" in imported

    page = tmp_path / "cohort.html"
    run(advisor, "cohort", "report", "--set", SET_ID, "--out", str(page))
    # The page's text, as a reader sees it: tags dropped, entities read.
    html = " ".join(unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))).split())
    for text in ("Ana Ruiz", "Ben Osei", f"Set {SET_ID} (version 3)", *CUSTOM_CRITERIA):
        assert text in html, text
    rows = json.loads(run(advisor, "cohort", "report", "--set", SET_ID, "--json"))
    assert [r["student"] for r in rows] == [ANA, BEN]
    by_name = {r["student"]["name"]: r["questions"] for r in rows}
    assert by_name["Ana Ruiz"]["low-score"]["attempts"] == 2
    assert by_name["Ben Osei"]["low-score"]["attempts"] == 1
    for name, questions in by_name.items():
        dr = next(a for a in sent[name]["attempts"] if a["question_id"] == "dr-backup-plan")
        assert questions["dr-backup-plan"]["latest"] == dr["overall"]
        assert questions["dr-backup-plan"]["points_covered"] == sum(
            p["covered"] for p in dr["talking_points"]
        )
        assert questions["angio-suite-2am"]["attempts"] == 0

    # The advisor finds Ana's typed DR answer by its uid and comments on it.
    listing = run(advisor, "cohort", "attempts", "--set", SET_ID, "--student", "Ana Ruiz")
    assert dr_attempt["uid"] in listing
    run(advisor, "cohort", "comment", dr_attempt["uid"], COMMENT, "--author", "Dr. Okafor")
    back = tmp_path / "comments-ana.json"
    written = run(
        advisor, "cohort", "comments", "--set", SET_ID, "--student", "Ana Ruiz", "--out", str(back),
        "--author", "Dr. Okafor",
    )  # fmt: skip
    assert "1 comment(s)" in written

    assert "imported 1 comment from Dr. Okafor" in run(ana, "comments", "import", str(back))
    history = json.loads(run(ana, "history", "--json"))
    [local] = [h for h in history if h["question_id"] == "dr-backup-plan"]
    shown = " ".join(run(ana, "show", str(local["id"])).split())
    assert "Advisor's comments: Dr. Okafor" in shown and COMMENT in shown
    # Ben's data directory never saw it.
    ben_history = json.loads(run(ben, "history", "--json"))
    for attempt in ben_history:
        assert COMMENT not in run(ben, "show", str(attempt["id"]))
