"""Agreement of the setback scorer with labelled answers: per criterion, with P/R of "falls short".

Usage: python bench/score_eval.py [PATH] [--show]

PATH defaults to ../shared/eval/dev.jsonl relative to the repository root: one JSON object per line
with "id", "question_id", "answer" and "labels" (criterion id -> true/false). "Falls short" (false)
is the verdict a coach acts on, so precision and recall are reported for it. --show prints every
disagreement with the scorer's advice.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "eval" / "dev.jsonl"
sys.path.insert(0, str(ROOT))


@dataclass
class Tally:
    agree: int = 0
    total: int = 0
    # Counts for the "falls short" (label false) class.
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, item_id: str, label: bool, verdict: bool) -> None:
        self.total += 1
        self.agree += label == verdict
        if not verdict and not label:
            self.tp += 1
        elif not verdict and label:
            self.fp += 1
        elif verdict and not label:
            self.fn += 1
        if label != verdict:
            self.misses.append(item_id)

    def line(self, name: str) -> str:
        agreement = self.agree / self.total if self.total else 0.0
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        misses = ", ".join(self.misses) or "-"
        return (
            f"{name:<22} {agreement:6.3f} ({self.agree}/{self.total})   "
            f"P {precision:5.2f}  R {recall:5.2f}   disagree: {misses}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--show", action="store_true", help="print each disagreement with its advice")
    args = parser.parse_args(argv)
    path: Path = args.path
    if not path.is_file():
        print(f"score_eval: no labelled answers at {path} (pass a JSONL path)", file=sys.stderr)
        return 2

    from interviewcoach.core.content.sets import load_content
    from interviewcoach.core.scoring.analysis import warm_up
    from interviewcoach.core.scoring.engine import score

    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            print(f"score_eval: {path}:{number}: not JSON: {exc.msg}", file=sys.stderr)
            return 2

    bank, rubrics = load_content()
    warm_up()
    tallies: dict[str, Tally] = {}
    started = time.perf_counter()
    for item in items:
        question = bank.get(item["question_id"])
        result = score(question, rubrics.get(question.rubric), text=item["answer"], answer_id=item.get("id"))
        for criterion, label in item.get("labels", {}).items():
            if criterion not in result.criteria:
                continue
            verdict = result.criteria[criterion].passed
            tally = tallies.setdefault(criterion, Tally())
            tally.add(str(item.get("id")), bool(label), verdict)
            if args.show and verdict != label:
                got = "pass" if verdict else "fail"
                print(f"{item.get('id')} {criterion}: label {label}, scorer {got}")
                print(f"    feedback: {result.criteria[criterion].feedback}")
                for ev in result.criteria[criterion].evidence[:6]:
                    print(f"    [{ev.label}] {ev.text[:100]!r}")
                if item.get("note"):
                    print(f"    note: {item['note']}")
    elapsed = time.perf_counter() - started

    print(f"{len(items)} answers from {path}")
    print(f"{'criterion':<22} agreement           falls short: precision/recall")
    for criterion, tally in tallies.items():
        print(tally.line(criterion))
    print(
        f"scored in {elapsed:.2f} s ({elapsed / max(len(items), 1) * 1000:.0f} ms per answer, model loaded)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
