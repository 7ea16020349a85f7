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
    python bench/other_question.py --fit            # refit the answer-kind model (core/kinds.py)

The answer-kind model is fitted (--fit) on the labelled answers of FIT_SETS only: heldout.jsonl and
heldout_rank..heldout_rank9, the project's own writers' answers to 50 questions. --fit prints, for
each floor, how many real answers fall under it and how many moved ones do, each set left out of the
fit in turn; the floor in rubrics' on_topic params was chosen there. Answers the model never saw
measure it: dev_other, dev, heldout_topic, and the sets kept out of every fit (HELDOUT_KIND:
heldout_rank10 and heldout_rank11, answers to questions outside the bank, scored as the app scores
an advisor's question, with the bank as the other questions).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from interviewcoach.core.content.sets import load_content  # noqa: E402
from interviewcoach.core.models import Question, Score  # noqa: E402
from interviewcoach.core.scoring.analysis import warm_up  # noqa: E402
from interviewcoach.core.scoring.engine import score  # noqa: E402
from interviewcoach.core.scoring.kinds import MODEL_FILE, KindModel, compared_sentences  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
SETS = (
    SHARED / "dev_other.jsonl",
    ROOT / "bench" / "data" / "heldout_rank.jsonl",
    SHARED / "dev.jsonl",
    ROOT / "bench" / "data" / "heldout.jsonl",
)
HELDOUT = ROOT / "bench" / "data" / "heldout_topic.jsonl"
DATA = ROOT / "bench" / "data"
FIT_SETS = (DATA / "heldout.jsonl", *(DATA / f"heldout_rank{n}.jsonl" for n in ("", 2, 3, 4, 5, 6, 7, 8, 9)))
HELDOUT_KIND = (DATA / "heldout_rank10.jsonl", DATA / "heldout_rank11.jsonl")
# The fit: L2 penalty on the standardised vectors, plain gradient descent (the loss is convex).
PENALTY = 0.1
STEPS = 2000
RATE = 0.5


def flagged(result: Score) -> bool:
    """The on-topic criterion said the answer was written for another question."""
    return any(e.label == "other_question" for c in result.criteria.values() for e in c.evidence)


def _rubric(row: dict[str, Any], bank: Any) -> str:
    return str(row.get("rubric") or bank.get(row["question_id"]).rubric)


def _softmax(logits: Any) -> Any:
    import numpy as np

    logits = logits - logits.max(axis=1, keepdims=True)
    shares = np.exp(logits)
    return shares / shares.sum(axis=1, keepdims=True)


def _fit(x: Any, y: Any, kinds: int) -> tuple[Any, Any]:
    """Multinomial logistic regression by gradient descent; x standardised, y kind indices."""
    import numpy as np

    n, d = x.shape
    weights, bias = np.zeros((d, kinds)), np.zeros(kinds)
    onehot = np.eye(kinds)[y]
    for _ in range(STEPS):
        grad = _softmax(x @ weights + bias) - onehot
        weights -= RATE * (x.T @ grad / n + PENALTY * weights)
        bias -= RATE * grad.mean(axis=0)
    return weights, bias


def fit_kinds(bank: Any) -> None:
    """Fit the answer-kind model on FIT_SETS, report each set left out in turn, write the model."""
    import numpy as np

    from interviewcoach.core.scoring.analysis import analyze
    from interviewcoach.core.scoring.embeddings import encode

    rows = [
        (path.stem, json.loads(line))
        for path in FIT_SETS
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    kinds = sorted({_rubric(row, bank) for _, row in rows})
    names = np.array([name for name, _ in rows])
    y = np.array([kinds.index(_rubric(row, bank)) for _, row in rows])
    vectors, by_sentence = [], []
    for _, row in rows:
        sentences = compared_sentences(analyze(row["answer"], entities=False).sentences)
        each = encode([s.text for s in sentences] or [row["answer"]]).astype(np.float64)
        by_sentence.append(each)
        vectors.append(each.mean(axis=0))
    x = np.array(vectors)
    centre, spread = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - centre) / spread
    # Each set left out in turn: the share each answer gives each rubric, read from the mean of its
    # sentences and from its sentence read most as that rubric.
    whole, best = np.zeros((len(rows), len(kinds))), np.zeros((len(rows), len(kinds)))
    for name in sorted(set(names)):
        out = names == name
        weights, bias = _fit(z[~out], y[~out], len(kinds))
        whole[out] = _softmax(z[out] @ weights + bias)
        for i in np.flatnonzero(out):
            best[i] = _softmax((by_sentence[i] - centre) / spread @ weights + bias).max(axis=0)
    bank_kinds = [kinds.index(k) for k in sorted({q.rubric for q in bank} - {"general"})]
    real = np.array([kinds[k] != "general" for k in y])
    print(f"Answer kinds fitted on {len(rows)} answers ({', '.join(kinds)}).")
    print(f"Each of the {len(set(names))} sets left out of the fit in turn; floors for the whole answer and")
    print("for its sentence read most as the asked rubric (1.0: the sentence not read):")
    for floor in (0.001, 0.002, 0.005, 0.01, 0.02, 0.05):
        for sentence_floor in (0.02, 0.05, 0.1, 0.2, 0.3, 1.0):
            under = (whole < floor) & (best < sentence_floor)
            false = int(under[np.arange(len(rows)), y][real].sum())
            moved = [under[i, k] for i in range(len(rows)) for k in bank_kinds if k != y[i]]
            print(
                f"  {floor:<5} {sentence_floor:<4}: real answers under both {false} of {len(rows)};"
                f" moved to another rubric {np.mean(moved):.2f} of {len(moved)}"
            )
    weights, bias = _fit(z, y, len(kinds))
    # Fold the standardisation in: ((v - centre) / spread) @ W + b = v @ (W / spread) + (b - ...).
    folded = weights / spread[:, None]
    model = KindModel(kinds, folded, bias - (centre / spread) @ weights)
    about = {
        "what": "answer kind (rubric) from the mean of an answer's sentence vectors; core/scoring/kinds.py",
        "fitted_by": "bench/other_question.py --fit",
        "fitted_on": [path.name for path in FIT_SETS],
        "answers": len(rows),
        "penalty": PENALTY,
        "steps": STEPS,
    }
    MODEL_FILE.write_text(model.to_json(about) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=1, help="other questions each answer is moved to")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fit", action="store_true", help="refit the answer-kind model and write it")
    parser.add_argument(
        "--every",
        action="store_true",
        help="also move each strong answer to every question of another category",
    )
    args = parser.parse_args()
    bank, rubrics = load_content()
    if args.fit:
        fit_kinds(bank)
        return
    questions = list(bank)
    warm_up()
    rng = random.Random(args.seed)
    others = tuple(questions)
    answers: list[tuple[str, Question, str, str]] = []
    for path in (*SETS, HELDOUT, *HELDOUT_KIND):
        if not path.exists():
            print(f"(missing: {path})")
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["question_id"] in bank:
                answers.append((path.stem, bank.get(row["question_id"]), row["answer"], row.get("tier", "")))
            elif path in HELDOUT_KIND:
                # A question outside the bank, scored as the app scores an advisor's question.
                answers.append((path.stem, _question(row), row["answer"], row.get("tier", "")))
    fitted = {path.stem for path in FIT_SETS}
    false_alarms: dict[str, list[int]] = {}
    caught: dict[str, dict[str, list[int]]] = {}
    # The overall of strong answers on their own question and moved to a question of another
    # category: an answer to another question should score low whether or not the check names it.
    overall: dict[str, list[int]] = {}
    for name, question, text, tier in answers:
        group = "fitted on" if name in fitted else "never fitted on"
        result = score(question, rubrics.get(question.rubric), text=text, others=others)
        counts = false_alarms.setdefault(name, [0, 0])
        counts[0] += flagged(result)
        counts[1] += 1
        if tier == "strong":
            overall.setdefault(f"own question ({group})", []).append(result.overall)
        if name == HELDOUT.stem:
            continue  # written to check false alarms only
        moved = caught.setdefault(name, {"any other question": [0, 0], "another category": [0, 0]})
        for target in rng.sample([q for q in questions if q.id != question.id], args.moves):
            result = score(target, rubrics.get(target.rubric), text=text, others=others)
            hit = flagged(result)
            moved["any other question"][0] += hit
            moved["any other question"][1] += 1
            if target.category != question.category:
                moved["another category"][0] += hit
                moved["another category"][1] += 1
                if tier == "strong":
                    overall.setdefault(f"another category ({group})", []).append(result.overall)
        if args.every and tier == "strong":
            overall.setdefault(f"every question of another category ({group})", []).extend(
                score(target, rubrics.get(target.rubric), text=text, others=others).overall
                for target in questions
                if target.category != question.category
            )
    print("False alarms on answers to their own question (* the answer-kind model was fitted on the set):")
    for name, (hits, total) in false_alarms.items():
        print(f"  {name + ('*' if name in fitted else ''):<16} {hits} of {total}")
    print(f"Caught when moved to another question (seed {args.seed}, {args.moves} per answer):")
    for name, counts in caught.items():
        print(
            f"  {name + ('*' if name in fitted else ''):<16} "
            + "; ".join(
                f"{what} {hits} of {total} ({hits / max(total, 1):.2f})"
                for what, (hits, total) in counts.items()
            )
        )
    print("Overall of the strong answers:")
    for what, values in overall.items():
        high = sum(v >= 60 for v in values)
        print(
            f"  {what:<52} mean {sum(values) / max(len(values), 1):.1f} of {len(values)};"
            f" {high} at 60 or more ({high / max(len(values), 1):.2f})"
        )


def _question(row: dict[str, Any]) -> Question:
    category = {"setback": "setbacks"}.get(row["rubric"], row["rubric"])
    if category not in {"setbacks", "fit", "motivation", "pathway", "behavioural", "research"}:
        category = "general"
    return Question(
        id=row["question_id"],
        text=row["question"],
        category=category,
        rubric=row["rubric"],
        target_seconds=(45, 90),
    )


if __name__ == "__main__":
    main()
