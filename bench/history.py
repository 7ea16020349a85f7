"""Benchmark the history: 5,000 attempts list and filter in under 100 ms; one opens in under 200 ms.

Run: python bench/history.py [--attempts 5000] [--runs 25] [--keep DIR]

Each attempt is a realistic 90-second spoken answer (about 220 timed words, seven criteria with
evidence). Every timed call opens its own connection, as the CLI and the TUI's workers do, so the
figures include that cost. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from interviewcoach.core.content.sets import load_content
from interviewcoach.core.history.store import Store, parse_since
from interviewcoach.core.models import (
    CriterionResult,
    Evidence,
    Filler,
    Metrics,
    Pause,
    Score,
    Segment,
    Transcript,
    Word,
)
from interviewcoach.core.records import Filter

LIST_TARGET_MS = 100.0
OPEN_TARGET_MS = 200.0
CRITERIA = ["brevity", "tone", "ownership", "improvement", "pivot", "pace", "fillers"]
_SENTENCE = (
    "my step one score was below the range I changed how I study with question banks and spaced "
    "repetition every day and my step two score rose on my rotation I learned to prepare cases the "
    "night before and the attendings noticed that I take ownership of"
)
VOCABULARY = _SENTENCE.split()


def make_score(rng: random.Random, question_id: str, rubric_id: str) -> Score:
    words = [rng.choice(VOCABULARY) for _ in range(220)]
    text = " ".join(words)
    timed = [Word(word=w, start=round(i * 0.4, 2), end=round(i * 0.4 + 0.32, 2)) for i, w in enumerate(words)]
    transcript = Transcript(
        text=text,
        words=timed,
        segments=[
            Segment(text=text[i : i + 200], start=i / 10, end=i / 10 + 9) for i in range(0, len(text), 200)
        ],
        duration_s=90.0,
        speech_s=84.0,
        engine="faster-whisper",
        model="tiny.en",
        fillers=[Filler(text="um", kind="filled_pause", start=5.0 * k, end=5.0 * k + 0.4) for k in range(4)],
        pauses=[Pause(start=20.0 * k, end=20.0 * k + 1.2) for k in range(3)],
    )
    criteria = {}
    for cid in CRITERIA:
        value = round(rng.random(), 3)
        start = rng.randrange(0, len(text) - 60)
        evidence = [
            Evidence(label=f"{cid}_{k}", text=text[start : start + 60], start=start, end=start + 60)
            for k in range(2)
        ]
        criteria[cid] = CriterionResult(
            score=value, passed=value >= 0.6, feedback=f"Advice on {cid}. " * 3, evidence=evidence
        )
    metrics = Metrics(
        word_count=220, sentence_count=12, duration_s=90.0, words_per_minute=146.7, filler_count=6
    )
    overall = round(sum(c.score for c in criteria.values()) / len(criteria) * 100)
    return Score(
        question_id=question_id,
        rubric_id=rubric_id,
        overall=overall,
        answer=text,
        criteria=criteria,
        metrics=metrics,
        transcript=transcript,
    )


def populate(store: Store, count: int, rng: random.Random) -> float:
    """Save `count` attempts over about a year; return the mean time of one save in ms."""
    bank, _ = load_content()
    questions = list(bank)
    start = datetime(2025, 1, 1, 8)
    samples = [make_score(rng, q.id, q.rubric) for q in questions for _ in range(3)]
    began = time.perf_counter()
    for i in range(count):
        question = questions[i % len(questions)]
        score = samples[(i % len(questions)) * 3 + i % 3]
        when = start + timedelta(minutes=105 * i)
        set_id = "ir-low-score" if i % 5 == 0 else None
        store.save_attempt(score, question=question, set_id=set_id, rubric_version=1, created_at=when)
    return (time.perf_counter() - began) / count * 1000


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm the OS cache and SQLite's page cache in the same way a second call would see them
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


def query_plans(store: Store) -> list[str]:
    """Confirm the filters use indexes rather than scanning the table."""
    conn = sqlite3.connect(store.db_path)
    checks = {
        "question": "SELECT id FROM attempts WHERE question_id = 'low-score' ORDER BY created_at DESC",
        "category": "SELECT id FROM attempts WHERE category = 'setbacks' ORDER BY created_at DESC",
        "set": "SELECT id FROM attempts WHERE set_id = 'ir-low-score' ORDER BY created_at DESC",
        "since": "SELECT id FROM attempts WHERE created_at >= '2025-06-01' ORDER BY created_at DESC",
    }
    out = []
    for name, sql in checks.items():
        plan = " / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
        out.append(f"  {name:<9} {plan}")
        if "USING INDEX" not in plan and "USING COVERING INDEX" not in plan:
            out.append(f"  !! {name} does not use an index")
    conn.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="Build the history in this folder and keep it.")
    args = parser.parse_args()
    rng = random.Random(7)

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "data"
        store = Store(folder, keep_audio=True)
        if store.count() < args.attempts:
            print(f"saving {args.attempts} attempts ...", flush=True)
            save_ms = populate(store, args.attempts - store.count(), rng)
            print(f"  one save: {save_ms:.1f} ms on average (a transaction with a full sync each)")
        size_mb = store.db_path.stat().st_size / 1e6
        print(f"history: {store.count()} attempts, database {size_mb:.1f} MB")
        print("query plans:")
        plans = query_plans(store)
        print("\n".join(plans))

        ids = store.ids()
        picks = [rng.choice(ids) for _ in range(args.runs + 1)]
        it = iter(picks * 3)
        since = parse_since("2025-10-01")
        cases: list[tuple[str, Callable[[], object], float]] = [
            ("open the store (schema check)", lambda: Store(folder, keep_audio=True), LIST_TARGET_MS),
            ("list all attempts", lambda: store.list_attempts(), LIST_TARGET_MS),
            ("list first page (50)", lambda: store.list_attempts(limit=50), LIST_TARGET_MS),
            (
                "filter by question",
                lambda: store.list_attempts(Filter(question_id="low-score")),
                LIST_TARGET_MS,
            ),
            ("filter by category", lambda: store.list_attempts(Filter(category="setbacks")), LIST_TARGET_MS),
            ("filter by set", lambda: store.list_attempts(Filter(set_id="ir-low-score")), LIST_TARGET_MS),
            ("filter since a date", lambda: store.list_attempts(Filter(since=since)), LIST_TARGET_MS),
            ("count", lambda: store.count(), LIST_TARGET_MS),
            ("questions menu", lambda: store.questions(), LIST_TARGET_MS),
            ("recent (home screen)", lambda: store.recent(10), LIST_TARGET_MS),
            ("criterion averages", lambda: store.criterion_averages(), LIST_TARGET_MS),
            ("trend of one question", lambda: store.trend(Filter(question_id="low-score")), LIST_TARGET_MS),
            ("trend of everything", lambda: store.trend(), OPEN_TARGET_MS),
            ("open an attempt", lambda: store.get(next(it)), OPEN_TARGET_MS),
            ("compare two attempts", lambda: store.compare(next(it), next(it)), OPEN_TARGET_MS),
        ]
        failed = False
        print(f"\n{'operation':<32} {'median ms':>10} {'max ms':>8} {'target':>8}")
        for name, fn, target in cases:
            median, worst = timed(fn, args.runs)
            ok = median < target
            failed |= not ok
            print(f"{name:<32} {median:>10.2f} {worst:>8.2f} {target:>7.0f}  {'ok' if ok else 'MISSED'}")

        cli = [sys.executable, "-m", "interviewcoach", "history", "--limit", "50", "--data-dir", str(folder)]
        runs = []
        for _ in range(5):
            began = time.perf_counter()
            subprocess.run(cli, check=True, capture_output=True)
            runs.append((time.perf_counter() - began) * 1000)
        print(f"{'`history --limit 50` (process)':<32} {statistics.median(runs):>10.0f} {max(runs):>8.0f}")
        if any(p.startswith("  !!") for p in plans):
            failed = True
    print("\nall targets met" if not failed else "\nsome targets MISSED")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
