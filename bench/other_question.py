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
heldout_rank..heldout_rank9, the project's own writers' answers to 94 questions. --fit prints, for
each floor, how many real answers fall under it and how many moved ones do, each set left out of the
fit in turn; the floor in rubrics' on_topic params was chosen there. Answers the model never saw
measure it: dev_other, dev, heldout_topic, and the sets kept out of every fit (HELDOUT_KIND:
heldout_rank10 to heldout_rank19, answers to questions outside the bank, scored as the app scores
an advisor's question, with the bank as the other questions; a set not yet written is skipped).
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

from bench.score_rank import question_of  # noqa: E402
from interviewcoach.core.content.sets import load_content  # noqa: E402
from interviewcoach.core.models import Question, Score  # noqa: E402
from interviewcoach.core.scoring.analysis import warm_up  # noqa: E402
from interviewcoach.core.scoring.engine import score  # noqa: E402
from interviewcoach.core.scoring.kinds import (  # noqa: E402
    FIT_FILE,
    MODEL_FILE,
    FitModel,
    KindModel,
    compared_sentences,
    fit_features,
)

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
HELDOUT_KIND = tuple(DATA / f"heldout_rank{n}.jsonl" for n in (10, 11, 12, 13, 14, 15, 16, 17, 18, 19))
# The fit: L2 penalty on the standardised vectors, plain gradient descent (the loss is convex).
PENALTY = 0.1
STEPS = 2000
RATE = 0.5
# The answer-fit model: a lighter penalty, as its numbers are many weak products.
FIT_PENALTY = 0.01
FIT_STEPS = 1500


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


def _fit_binary(x: Any, y: Any, weight: Any) -> tuple[Any, float]:
    """Weighted logistic regression by gradient descent on standardised x; returns the weights and
    bias with the standardisation folded in."""
    import numpy as np

    centre, spread = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - centre) / spread
    weights, bias = np.zeros(x.shape[1]), 0.0
    for _ in range(FIT_STEPS):
        grad = (1.0 / (1.0 + np.exp(-(z @ weights + bias))) - y) * weight
        weights -= RATE * (z.T @ grad / len(y) + FIT_PENALTY * weights)
        bias -= RATE * float(grad.mean())
    return weights / spread, bias - float((centre / spread) @ weights)


def fit_kinds(bank: Any) -> None:
    """Fit the answer-kind and answer-fit models on FIT_SETS, report each set left out in turn,
    write both."""
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
    by_sentence = []
    for _, row in rows:
        sentences = compared_sentences(analyze(row["answer"], entities=False).sentences)
        by_sentence.append(encode([s.text for s in sentences] or [row["answer"]]))
    x = np.array([each.astype(np.float64).mean(axis=0) for each in by_sentence])
    centre, spread = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - centre) / spread
    # Every question asked in the sets and the bank, with its rubric and vector.
    texts = {q.id: (q.text, q.rubric) for q in bank}
    texts |= {row["question_id"]: (row["question"], row["rubric"]) for _, row in rows if "question" in row}
    qids = sorted(texts)
    qvectors = dict(zip(qids, encode([texts[q][0] for q in qids]), strict=True))
    bank_ids = [q.id for q in bank if q.rubric != "general"]

    def pairs(chosen: Any) -> tuple[Any, Any, Any]:
        # Each answer against its own question (weight 1) and every question of another rubric
        # asked in the chosen sets or the bank (weight 1 in all), so each answer counts once.
        pool = sorted({rows[i][1]["question_id"] for i in chosen} | set(bank_ids))
        feats, labels, weight = [], [], []
        for i in chosen:
            row, rubric = rows[i][1], kinds[y[i]]
            if rubric == "general":
                continue
            wrong = [q for q in pool if texts[q][1] not in (rubric, "general")]
            vectors = np.stack([qvectors[row["question_id"]], *(qvectors[q] for q in wrong)])
            feats.append(fit_features(by_sentence[i], vectors))
            labels += [1.0] + [0.0] * len(wrong)
            weight += [1.0] + [1.0 / len(wrong)] * len(wrong)
        return np.vstack(feats), np.array(labels), np.array(weight)

    # Each set left out in turn: the share each answer gives its own rubric and each other rubric
    # of the bank, and the fit model's probability for its own question and each bank question of
    # another rubric (the answer moved there).
    own, moved = [], []
    for name in sorted(set(names)):
        out = names == name
        weights, bias = _fit(z[~out], y[~out], len(kinds))
        fit_w, fit_b = _fit_binary(*pairs(np.flatnonzero(~out)))
        for i in np.flatnonzero(out):
            if kinds[y[i]] == "general":
                continue
            shares = _softmax(z[i : i + 1] @ weights + bias)[0]
            row = rows[i][1]
            targets = [q for q in bank_ids if texts[q][1] != kinds[y[i]]]
            vectors = np.stack([qvectors[row["question_id"]], *(qvectors[q] for q in targets)])
            fits = 1.0 / (1.0 + np.exp(-(fit_features(by_sentence[i], vectors) @ fit_w + fit_b)))
            own.append((shares[y[i]], fits[0]))
            moved += [(shares[kinds.index(texts[q][1])], f) for q, f in zip(targets, fits[1:], strict=True)]
    own_arr, moved_arr = np.array(own), np.array(moved)
    print(f"Fitted on {len(rows)} answers ({', '.join(kinds)}) and {len(qids)} questions.")
    print(f"Each of the {len(set(names))} sets left out in turn; flagged when the asked rubric's share is")
    print("under the kind floor or the asked question's fit under the fit floor (0: that part off):")
    for floor in (0.0, 0.001, 0.002, 0.005):
        for fit_floor in (0.0, 0.1, 0.15, 0.17, 0.2, 0.25):
            real = ((own_arr[:, 0] < floor) | (own_arr[:, 1] < fit_floor)).sum()
            caught = ((moved_arr[:, 0] < floor) | (moved_arr[:, 1] < fit_floor)).mean()
            print(
                f"  kind {floor:<5} fit {fit_floor:<4}: real answers flagged {real} of {len(own_arr)};"
                f" moved to another rubric {caught:.2f} of {len(moved_arr)}"
            )
    weights, bias = _fit(z, y, len(kinds))
    # Fold the standardisation in: ((v - centre) / spread) @ W + b = v @ (W / spread) + (b - ...).
    model = KindModel(kinds, weights / spread[:, None], bias - (centre / spread) @ weights)
    fit_w, fit_b = _fit_binary(*pairs(np.arange(len(rows))))
    about: dict[str, object] = {
        "fitted_by": "bench/other_question.py --fit",
        "fitted_on": [path.name for path in FIT_SETS],
        "answers": len(rows),
    }
    what = "answer kind (rubric) from the mean of an answer's sentence vectors; core/scoring/kinds.py"
    MODEL_FILE.write_text(model.to_json(about | {"what": what, "penalty": PENALTY, "steps": STEPS}) + "\n")
    what = "whether an answer fits a question, from its mean sentence vector and the question's"
    fit = FitModel(fit_w, fit_b).to_json(about | {"what": what, "penalty": FIT_PENALTY, "steps": FIT_STEPS})
    FIT_FILE.write_text(fit + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE.relative_to(ROOT)} and {FIT_FILE.relative_to(ROOT)}")


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
                answers.append((path.stem, question_of(row, bank), row["answer"], row.get("tier", "")))
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


if __name__ == "__main__":
    main()
