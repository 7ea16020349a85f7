"""Hostile inputs: peak memory and time for the worst files a user could be handed, each in a fresh process.

Run: python bench/hostile.py [--keep DIR] [--limit-gb 3]
     python bench/hostile.py --fuzz [--examples 2000]

Every case runs `python -m interviewcoach ...` (or a short script) in its own process under an
address-space limit (so a regression cannot take the machine down) and reports its exit status,
CPU and wall time, peak RSS and the line of its output that names the problem. Targets: every case
under 1.5 GB and 10 s of CPU, saying what is wrong; a hostile input ends with exit 2 and one line
per problem, an input at the limits is scored (exit 0).
Exit status 1 when a target is missed.

`--fuzz` runs the suite's fuzzers instead (tests/unit/test_hostile_*.py and test_sets_fuzz.py,
with pytest from the test extra), each file in its own pytest process, with `--examples` examples
per fuzzer instead of the suite's few dozen, and prints the harness's figures per fuzzer: cases,
clean errors, tracebacks (target 0), worst CPU and wall time and peak memory per case (budget:
5 CPU s and 256 MB). Exit status 1 when a fuzzer fails or goes over its budget.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_cases import HOSTILE_JSONL, REFUSED, WORST_ACCEPTED, write_set  # noqa: E402

RSS_TARGET_MB = 1536
# CPU seconds (user + system) of the case's process: on a shared machine wall time mostly measures
# the neighbours; both are printed.
TIME_TARGET_S = 10.0

# Runs the command in-process and prints its own peak RSS and CPU time last, so the figures are this
# case's alone.
RUNNER = """
import atexit, resource, sys
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
atexit.register(lambda: print(f"@rss_kb {peak()} {cpu():.3f}", file=sys.stderr))
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
if sys.argv[2] == "-c":
    exec(sys.argv[3])
else:
    sys.argv = ["interviewcoach", *sys.argv[2:]]
    from interviewcoach.cli import main
    main()
"""

WORST_PATTERNS = """
import json, sys, time
from interviewcoach.core.scoring.analysis import get_nlp
from interviewcoach.core.scoring.patterns import PatternSet, find
doc = get_nlp().make_doc(" ".join(["word"] * 4000))  # about 20,000 characters, the answer limit
worst = json.loads(WORST)
start = time.perf_counter()
for pattern in worst:
    find(PatternSet(patterns=[pattern]), doc)
print(f"matched the {len(worst)} worst accepted patterns in {time.perf_counter() - start:.2f} s")
""".replace("WORST", repr(json.dumps(WORST_ACCEPTED)))


@dataclass
class Case:
    name: str
    args: list[str]
    expect: int  # exit status: 2 for hostile input, 0 for input at the limits
    says: str  # what the output must say: the refusal names this problem (or the result, for 0)


def _wav(path: Path, rate: int, channels: int, data_bytes: int, payload: bytes = b"") -> Path:
    block = channels * 2
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + data_bytes, b"WAVE", b"fmt ", 16, 1, channels, rate, rate * block, block, 16,
        b"data", data_bytes,
    )  # fmt: skip
    path.write_bytes(header + payload)
    return path


def _sparse(path: Path, size: int) -> Path:
    with path.open("r+b") as handle:
        handle.truncate(size)
    return path


def _flac_claiming(path: Path, seconds: int) -> Path:
    import numpy as np
    import soundfile as sf

    sf.write(path, np.zeros(16000, dtype=np.float32), 16000, format="FLAC")
    data = bytearray(path.read_bytes())
    total = seconds * 16000
    data[21] = (data[21] & 0xF0) | ((total >> 32) & 0x0F)
    data[22:26] = (total & 0xFFFFFFFF).to_bytes(4, "big")
    path.write_bytes(bytes(data))
    return path


def _file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def build(folder: Path) -> list[Case]:
    answer = " ".join(["I changed how I study and my score rose"] * 500)[:20_000]
    junk = folder / "junk.mp3"
    junk.write_bytes(os.urandom(65536))

    def validate(name: str, pattern: str) -> list[str]:
        return ["sets", "validate", str(write_set(folder / name, pattern))]

    def toml(name: str, text: str) -> list[str]:
        return ["sets", "validate", str(_file(folder / name, text))]

    def audio(path: Path) -> list[str]:
        return ["score", "-q", "low-score", "--audio", str(path)]

    def jsonl(name: str, line: str) -> list[str]:
        return ["score", "--jsonl", str(_file(folder / f"{name}.jsonl", line + "\n"))]

    def answer_line(question: str, text: str) -> str:
        return json.dumps({"question_id": question, "answer": text})

    big_wav = _sparse(_wav(folder / "big.wav", 16000, 1, 2_000_000_000), 2_000_000_044)
    # The refused patterns bench/hostile.py runs, from the tests' list.
    patterns = [c for c in REFUSED if c.bench]
    return [
        *(
            Case(f"set: {c.tokens}", validate(f"s{n}", c.pattern), 2, c.message)
            for n, c in enumerate(patterns, 1)
        ),
        Case(
            "worst accepted patterns, 4,000 words",
            ["-c", WORST_PATTERNS],
            0,
            f"matched the {len(WORST_ACCEPTED)} worst",
        ),
        Case(
            'TOML: [ + 990,000 spaces + "a]b"]',
            toml("spaces.toml", "[" + " " * 990_000 + '"a]b"]\nx = 1\n'),
            2,
            "a]b: unknown key",
        ),
        Case(
            "TOML: dotted header, 1 MB",
            toml("dotted.toml", "[" + ".".join(["a"] * 490_000) + "]\nx = 1\n"),
            2,
            "nest at most 32 levels",
        ),
        Case(
            "WAV header says 1 Hz (400 KB)",
            audio(_wav(folder / "one-hz.wav", 1, 1, 400_000, bytes(400_000))),
            2,
            "sample rate of 1 Hz",
        ),
        Case("2 GB WAV", audio(big_wav), 2, "answers are limited to 20 minutes"),
        Case("10 h FLAC", audio(_flac_claiming(folder / "long.flac", 36_000)), 2, "600.0 minutes long"),
        Case("2 GB junk .mp3", audio(_sparse(junk, 2_000_000_000)), 2, "limited to 256 MB"),
        Case(
            "truncated WAV",
            audio(_wav(folder / "cut.wav", 16000, 1, 320_000, bytes(3200))),
            2,
            "is truncated",
        ),
        *(
            Case(f"jsonl: {name}", jsonl(f"j{n}", line), 2, says)
            for n, (name, (line, says)) in enumerate(HOSTILE_JSONL.items())
        ),
        Case(
            "jsonl: 1,000,001-character answer",
            jsonl("huge", answer_line("why-ir", "a" * 1_000_001)),
            2,
            "the limit is",
        ),
        Case(
            "jsonl: 20,000-character answer (the limit)",
            jsonl("limit", answer_line("low-score", answer)),
            0,
            '"overall": ',
        ),
    ]


def run(case: Case, limit: int) -> tuple[int, float, float, float, str, bool]:
    """(exit status, wall s, CPU s, peak RSS MB, the line to show, whether the output says `case.says`)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", RUNNER, str(limit), *case.args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    seconds = time.perf_counter() - start
    rss_mb = cpu = 0.0
    lines = []
    for line in [*out.stderr.splitlines(), *out.stdout.splitlines()]:
        if line.startswith("@rss_kb "):
            rss_mb = int(line.split()[1]) / 1024
            cpu = float(line.split()[2])
        else:
            lines.append(line)
    # Show the line that names the problem (a set whose rubric fails also says its question's
    # rubric is unknown, first).
    said = [line for line in lines if case.says in line]
    shown = said[0] if said else (lines[0] if lines else "")
    if len(lines) > 1:
        shown += f"  (+{len(lines) - 1} more lines)"
    return out.returncode, seconds, cpu, rss_mb, shown, bool(said)


UNIT = ROOT / "tests" / "unit"
# The harness's own tests (test_hostile_fuzz_budget.py) are not a fuzzer.
FUZZ_FILES = [
    *sorted(p for p in UNIT.glob("test_hostile_*.py") if p.name != "test_hostile_fuzz_budget.py"),
    UNIT / "test_sets_fuzz.py",
]


def fuzz(examples: int) -> int:
    """Run every fuzzer with `examples` examples and print the harness's table."""
    from tests.fuzz_budget import COLUMNS, EXAMPLES_ENV, REPORT_ENV, FuzzStats, format_row

    failed = 0
    print(f"{examples} examples per fuzzer, each file in a fresh pytest process")
    print(COLUMNS)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        for path in FUZZ_FILES:
            report = Path(tmp) / f"{path.stem}.json"
            env = {**os.environ, EXAMPLES_ENV: str(examples), REPORT_ENV: str(report)}
            env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
            start = time.perf_counter()
            # Only the fuzzers (their names say so); no per-test timeout, thousands of cases take a while.
            out = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout=0", "-k", "fuzz",
                 "--basetemp", str(Path(tmp) / path.stem), str(path.relative_to(ROOT))],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )  # fmt: skip
            seconds = time.perf_counter() - start
            rows = [FuzzStats(**row) for row in json.loads(report.read_text())] if report.exists() else []
            for stats in rows:
                failed += bool(stats.tracebacks or stats.over_budget)
                print(format_row(stats))
            if out.returncode not in (0, 5):  # 5: nothing selected
                failed += 1
                summary = [line for line in out.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
                print(f"{path.name}: pytest exit {out.returncode}: {'; '.join(summary) or out.stdout[-500:]}")
            elif not rows:
                print(f"{path.name}: ran in {seconds:.0f} s without the budget harness (no figures)")
    print(f"budget per case: 5 CPU s and 256 MB; tracebacks target 0; failed or over budget: {failed}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the inputs in this folder and keep them")
    parser.add_argument("--limit-gb", type=float, default=3.0, help="address-space limit per case")
    parser.add_argument("--fuzz", action="store_true", help="run the fuzzers and print their figures")
    parser.add_argument("--examples", type=int, default=2000, help="examples per fuzzer with --fuzz")
    args = parser.parse_args()
    if args.fuzz:
        return fuzz(args.examples)
    limit = int(args.limit_gb * 2**30)
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        cases = build(folder)
        missed = 0
        print(f"{'case':<48} {'exit':>4} {'CPU s':>6} {'wall s':>6} {'peak MB':>7}  what it says")
        for case in cases:
            code, seconds, cpu, rss_mb, first, said = run(case, limit)
            ok = code == case.expect and said and cpu < TIME_TARGET_S and rss_mb < RSS_TARGET_MB
            missed += not ok
            mark = "" if ok else "  <-- MISSED"
            print(
                f"{case.name:<48} {code:>4} {cpu:>6.2f} {seconds:>6.2f} {rss_mb:>7.0f}  {first[:100]}{mark}"
            )
        print(
            f"targets: exit as expected, saying why, under {TIME_TARGET_S:g} CPU s and {RSS_TARGET_MB} MB;"
            f" missed: {missed}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
