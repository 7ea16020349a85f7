"""How often an answer written for another question of the bank is caught, and how often a real answer is
wrongly said to belong to another question.

False alarms: every labelled answer to a bank question (dev_other, heldout_rank, dev, heldout: the
answers the check's margins were set on), scored against its own question with the bank as `others`,
as the app scores it; and, apart, bench/data/heldout_topic.jsonl (one answer to each bank question,
written after the margins were set and never used to set them). Catch rate: the same answers
moved to another bank question drawn at random (seeded), scored against that question. Moved answers
are counted two ways: to any other question, and to a question of another category (an answer moved
within its category is often a fair answer to its new question: "your biggest mistake" and "a time you
failed" ask much the same).

    python bench/other_question.py                  # ../shared/eval and bench/data
    python bench/other_question.py --moves 3        # each answer moved to three questions
    python bench/other_question.py --every          # and each strong answer to every question of
                                                    # another category, for their overall scores
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from interviewcoach.core.content.sets import load_content  # noqa: E402
from interviewcoach.core.models import Question, Score  # noqa: E402
from interviewcoach.core.scoring.analysis import warm_up  # noqa: E402
from interviewcoach.core.scoring.engine import score  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
SETS = (
    SHARED / "dev_other.jsonl",
    ROOT / "bench" / "data" / "heldout_rank.jsonl",
    SHARED / "dev.jsonl",
    ROOT / "bench" / "data" / "heldout.jsonl",
)
HELDOUT = ROOT / "bench" / "data" / "heldout_topic.jsonl"


def flagged(result: Score) -> bool:
    """The on-topic criterion said the answer was written for another question."""
    return any(e.label == "other_question" for c in result.criteria.values() for e in c.evidence)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=1, help="other questions each answer is moved to")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--every",
        action="store_true",
        help="also move each strong answer to every question of another category",
    )
    args = parser.parse_args()
    bank, rubrics = load_content()
    questions = list(bank)
    warm_up()
    rng = random.Random(args.seed)
    answers: list[tuple[str, Question, str]] = []
    tiers: dict[str, str] = {}
    for path in (*SETS, HELDOUT):
        if not path.exists():
            print(f"(missing: {path})")
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["question_id"] in {q.id for q in questions}:
                answers.append((path.stem, bank.get(row["question_id"]), row["answer"]))
                tiers[row["answer"]] = row.get("tier", "")
    false_alarms: dict[str, list[int]] = {}
    # The overall of strong answers on their own question and moved to a question of another
    # category: an answer to another question should score low whether or not the check names it.
    overall: dict[str, list[int]] = {"own question": [], "another category": []}
    for name, question, text in answers:
        result = score(question, rubrics.get(question.rubric), text=text, others=tuple(questions))
        counts = false_alarms.setdefault(name, [0, 0])
        counts[0] += flagged(result)
        counts[1] += 1
        if tiers.get(text) == "strong" and name != HELDOUT.stem:
            overall["own question"].append(result.overall)
    caught = {"any other question": [0, 0], "another category": [0, 0]}
    for name, question, text in answers:
        if name == HELDOUT.stem:
            continue  # moved answers: the sets the margins were set on, as when they were set
        for target in rng.sample([q for q in questions if q.id != question.id], args.moves):
            result = score(target, rubrics.get(target.rubric), text=text, others=tuple(questions))
            hit = flagged(result)
            caught["any other question"][0] += hit
            caught["any other question"][1] += 1
            if target.category != question.category:
                caught["another category"][0] += hit
                caught["another category"][1] += 1
                if tiers.get(text) == "strong":
                    overall["another category"].append(result.overall)
    print("False alarms on answers to their own question:")
    for name, (hits, total) in false_alarms.items():
        print(f"  {name:<16} {hits} of {total}")
    print(f"Caught when moved to another question (seed {args.seed}, {args.moves} per answer):")
    for what, (hits, total) in caught.items():
        print(f"  {what:<20} {hits} of {total} ({hits / max(total, 1):.2f})")
    if args.every:
        overall["every question of another category"] = [
            score(target, rubrics.get(target.rubric), text=text, others=tuple(questions)).overall
            for name, question, text in answers
            if name != HELDOUT.stem and tiers.get(text) == "strong"
            for target in questions
            if target.category != question.category
        ]
    print("Overall of the strong answers (dev_other, heldout_rank):")
    for what, values in overall.items():
        high = sum(v >= 60 for v in values)
        print(
            f"  {what:<34} mean {sum(values) / max(len(values), 1):.1f} of {len(values)};"
            f" {high} at 60 or more ({high / max(len(values), 1):.2f})"
        )


if __name__ == "__main__":
    main()
