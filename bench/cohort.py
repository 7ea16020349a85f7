"""Benchmark the advisor's side: a program's season imported and reported within 10 s, pages under 5 MB.

Run: python bench/cohort.py [--students 200] [--sets 3] [--questions 10] [--attempts 5] [--keep DIR]

A season: every student practises every question of every set five times and sends one bundle per
set (200 students x 3 sets x 10 questions x 5 attempts = 30,000 attempts in 600 bundles). Each
attempt is a realistic answer of about 150 words with five criteria (with evidence quotes) and four
talking points. The timed steps are the real command line in a fresh process, held to two CPU cores:
`cohort import` of every bundle at once, then `cohort report` of each set as HTML and as JSON.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TARGET_S = 10.0
PAGE_TARGET_BYTES = 5 * 1024 * 1024
CRITERIA = [
    ("brevity", "Keeps it brief"),
    ("ownership", "Owns the setback"),
    ("improvement", "Shows improvement"),
    ("pivot", "Pivots to the future"),
    ("specifics", "Shown, not claimed"),
]
SENTENCES = [
    "I scored below the range I was hoping for on Step 1, and I want to be direct about that.",
    "I looked hard at how I was studying and realised I was rereading instead of testing myself.",
    "So I built a new plan with a question bank, spaced repetition every morning and weekly reviews.",
    "My Step 2 CK score rose by thirty points, which told me the change was real.",
    "On my IR rotation I prepared every case the night before and asked the fellow for feedback.",
    "One attending told me my presentations were the clearest on the team that month.",
    "What I learned is to ask for help early rather than waiting until things go wrong.",
    "In residency I will keep that habit, especially on busy call nights with sick patients.",
    "I saw a patient with a GI bleed stabilised by embolisation in under an hour.",
    "That case is why I want a specialty where procedures and clinical care meet.",
    "I also spent a year doing research on outcomes after uterine artery embolisation.",
    "Working with nurses and technologists taught me how much the team carries each case.",
]
POINTS = ["Step 2 CK improvement", "a new study plan", "what I learned", "a patient story"]


def _answer(rng: random.Random) -> str:
    words: list[str] = []
    while len(words) < 150:
        words.extend(rng.choice(SENTENCES).split())
    return " ".join(words)


def _span(text: str, rng: random.Random) -> dict[str, Any]:
    start = rng.randrange(0, max(1, len(text) - 60))
    return {"text": text[start : start + 60], "start": start, "end": start + 60}


def make_bundle(
    rng: random.Random, student: int, set_no: int, questions: int, attempts: int
) -> dict[str, Any]:
    set_questions = [
        {
            "id": f"s{set_no}-q{q + 1:02d}",
            "text": f"Question {q + 1} of set {set_no}: tell me about a time you recovered from a setback.",
            "category": "setbacks",
            "follow_ups": ["What would you do differently?"],
            "talking_points": POINTS,
            "required_attempts": 3,
            "rubric": {
                "id": "advisor-ir",
                "name": "Advisor IR rubric",
                "criteria": [{"id": cid, "name": name} for cid, name in CRITERIA],
            },
        }
        for q in range(questions)
    ]
    start = datetime(2026, 9, 1, 9, tzinfo=UTC) + timedelta(days=30 * set_no)
    records = []
    for q in set_questions:
        for n in range(attempts):
            text = _answer(rng)
            records.append(
                {
                    "uid": uuid.UUID(int=rng.getrandbits(128)).hex,
                    "question_id": q["id"],
                    "created_at": (start + timedelta(hours=rng.randrange(0, 600), minutes=n)).strftime(
                        "%Y-%m-%dT%H:%M:%SZ"
                    ),
                    "set_version": 1,
                    "overall": rng.randint(35, 95),
                    "no_answer": False,
                    "duration_s": round(rng.uniform(45, 110), 1),
                    "transcript": text,
                    "criteria": [
                        {
                            "id": cid,
                            "name": name,
                            "score": (criterion_score := round(rng.random(), 2)),
                            "passed": criterion_score >= 0.5,
                            "advice": "Name what you changed and what it gave, in one sentence each.",
                            "evidence": [_span(text, rng)],
                        }
                        for cid, name in CRITERIA
                    ],
                    "talking_points": [
                        {
                            "text": point,
                            "covered": (covered := rng.random() > 0.4),
                            "evidence": _span(text, rng) if covered else None,
                            "nearest": None if covered else _span(text, rng),
                        }
                        for point in POINTS
                    ],
                    "audio": None,
                }
            )
    return {
        "format": "interviewcoach-bundle",
        "format_version": 1,
        "exported_at": "2026-12-20T10:00:00Z",
        "app_version": "0.1.0",
        "student": {
            "name": f"Student {student:03d}",
            "email": f"student{student:03d}@example.org",
            "cohort": "2027",
        },
        "set": {
            "id": f"season-{set_no}",
            "version": 1,
            "title": f"IR interview season, set {set_no}",
            "author": "Program director",
            "instructions": "Answer each question three times or more.",
            "due": "2026-12-31",
            "questions": set_questions,
        },
        "attempts": records,
    }


def _cli(data: Path, *args: str) -> float:
    """Wall seconds of one command in a fresh process (its CPU seconds are printed beside it)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "interviewcoach", *args, "--data-dir", str(data)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"  [{' '.join(args[:2])}: {wall:.1f} s wall, {cpu:.1f} s CPU, load {os.getloadavg()[0]:.1f}]")
    return wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--sets", type=int, default=3)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--attempts", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Write bundles, database and pages here and keep them.")
    args = parser.parse_args()
    # Two cores, as on a modest laptop; the child processes inherit the affinity.
    cpus = sorted(os.sched_getaffinity(0))[:2]
    os.sched_setaffinity(0, cpus)
    root = args.keep or Path(tempfile.mkdtemp(prefix="cohort-bench-"))
    bundles = root / "bundles"
    bundles.mkdir(parents=True, exist_ok=True)
    data = root / "data"
    rng = random.Random(14)
    paths = []
    for student in range(args.students):
        for set_no in range(1, args.sets + 1):
            path = bundles / f"student{student:03d}-set{set_no}.json"
            path.write_text(json.dumps(make_bundle(rng, student, set_no, args.questions, args.attempts)))
            paths.append(path)
    total = args.students * args.sets * args.questions * args.attempts
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} bundles, {total} attempts, {size / 1e6:.0f} MB, on {len(cpus)} cores")
    ok = True
    seconds = _cli(data, "cohort", "import", *map(str, paths))
    ok &= seconds <= TARGET_S
    print(f"cohort import (all bundles): {seconds:.1f} s (target {TARGET_S:.0f} s)")
    again = _cli(data, "cohort", "import", *map(str, paths))
    print(f"cohort import again (nothing new): {again:.1f} s")
    for set_no in range(1, args.sets + 1):
        page = root / f"season-{set_no}.html"
        html_s = _cli(data, "cohort", "report", "--set", f"season-{set_no}", "--out", str(page))
        json_s = _cli(
            data, "cohort", "report", "--set", f"season-{set_no}", "--out", str(root / f"s{set_no}.json")
        )
        page_bytes = page.stat().st_size
        ok &= html_s <= TARGET_S and json_s <= TARGET_S and page_bytes <= PAGE_TARGET_BYTES
        print(
            f"cohort report season-{set_no}: HTML {html_s:.1f} s, {page_bytes / 1e6:.1f} MB; "
            f"JSON {json_s:.1f} s (targets {TARGET_S:.0f} s, {PAGE_TARGET_BYTES / 1e6:.1f} MB)"
        )
    if args.keep is None:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    print("ok" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
