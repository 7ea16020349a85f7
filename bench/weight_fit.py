"""Would fitted criterion weights rank answers more like a coach than the rubrics' own?

Each rubric's overall is the weighted mean of its criteria, capped while a gating criterion fails
(engine.score). The weights are set by hand in rubrics/*.toml. This fits them to the tiered sets
instead and asks whether the fit holds on a set it did not see: each set is left out in turn, the
weights are fitted on the others (coordinate ascent over a small grid, on the count of pairs in the
coach's order), and the left-out set's pairs are counted with the fitted weights and with the
shipped ones. Two ways of fitting: one weight per criterion id shared by every rubric ("story"
weighs the same in behavioural and fit), or one per rubric and criterion.

Usage: python bench/weight_fit.py [PATH ...]   (the tuning pool of bench/score_rank.py by default:
../shared/eval/dev_other.jsonl and bench/data/heldout_rank..heldout_rank13.jsonl)

Every answer is scored once (about 0.2 s each); the overall is then recomputed from its criterion
scores for each set of weights, exactly as engine.score forms it (checked on every answer).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.score_rank import DEFAULT, TIER_RANK, _load, question_of  # noqa: E402

POOL = [DEFAULT] + [ROOT / "bench" / "data" / f"heldout_rank{n}.jsonl" for n in ("", *range(2, 14))]
GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
ROUNDS = 3

Key = tuple[str, str]  # (rubric id, criterion id)


@dataclass(frozen=True)
class Row:
    """One scored answer: what the overall is formed from."""

    set: str
    question: str
    tier: str
    rubric: str
    overall: int
    scores: dict[str, tuple[float, bool]]  # criterion id -> (score, passed)
    weights: dict[str, float]
    caps: list[tuple[str, int]]


def collect(paths: list[Path]) -> list[Row]:
    from interviewcoach.core.content.sets import load_content
    from interviewcoach.core.scoring.analysis import warm_up
    from interviewcoach.core.scoring.engine import score

    warm_up()
    bank, rubrics = load_content()
    others = tuple(bank)
    rows = []
    for path in paths:
        for item in _load(path):
            question = question_of(item, bank)
            rubric = rubrics.get(question.rubric)
            result = score(question, rubric, text=item["answer"], answer_id=item["id"], others=others)
            rows.append(
                Row(
                    set=path.name,
                    question=item["question_id"],
                    tier=item["tier"],
                    rubric=rubric.id,
                    overall=result.overall,
                    scores={k: (c.score, c.passed) for k, c in result.criteria.items()},
                    weights={c.id: c.weight for c in rubric.criteria},
                    caps=[(c.criterion, c.max_overall) for c in rubric.rubric.caps],
                )
            )
    return rows


def overall(row: Row, fitted: dict[Key, float]) -> int:
    """The overall as engine.score forms it, with `fitted` weights where given."""
    weights = {k: fitted.get((row.rubric, k), row.weights[k]) for k in row.scores}
    total = sum(weights.values())
    value = sum(row.scores[k][0] * w for k, w in weights.items()) / total if total else 0.0
    mean = value
    for criterion, ceiling in row.caps:
        if criterion in row.scores and not row.scores[criterion][1]:
            value = min(value, ceiling / 100 - 0.1 * (1 - mean))
    return round(value * 100)


def pairs(rows: list[Row], fitted: dict[Key, float]) -> tuple[int, int]:
    """(pairs in the coach's order, pairs): a tie is out of order, as in bench/score_rank.py."""
    by_question: dict[tuple[str, str], list[tuple[Row, int]]] = defaultdict(list)
    for row in rows:
        by_question[(row.set, row.question)].append((row, overall(row, fitted)))
    total = right = 0
    for answers in by_question.values():
        for a, score_a in answers:
            for b, score_b in answers:
                if TIER_RANK[a.tier] > TIER_RANK[b.tier]:
                    total += 1
                    right += score_a > score_b
    return right, total


def fit(rows: list[Row], per_rubric: bool) -> dict[Key, float]:
    """Weights chosen one at a time from GRID while the pair count rises (ROUNDS passes)."""
    keys = sorted({(r.rubric, k) for r in rows for k in r.scores})
    names: list[str] = sorted({k for _, k in keys})

    def expand(chosen: dict[str, float]) -> dict[Key, float]:
        if per_rubric:
            return {(rubric, k): chosen[f"{rubric}/{k}"] for rubric, k in keys if f"{rubric}/{k}" in chosen}
        return {(rubric, k): chosen[k] for rubric, k in keys if k in chosen}

    slots = [f"{rubric}/{k}" for rubric, k in keys] if per_rubric else names
    chosen: dict[str, float] = {}
    best = pairs(rows, {})[0]
    for _ in range(ROUNDS):
        moved = False
        for slot in slots:
            for value in GRID:
                trial = {**chosen, slot: value}
                right = pairs(rows, expand(trial))[0]
                if right > best:
                    best, chosen, moved = right, trial, True
        if not moved:
            break
    return expand(chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = [p for p in (args.paths or POOL) if p.is_file()]
    if not paths:
        print("weight_fit: no tiered answers found (pass JSONL paths)", file=sys.stderr)
        return 2
    rows = collect(paths)
    off = sum(overall(r, {}) != r.overall for r in rows)
    if off:
        print(
            f"weight_fit: {off} overalls differ from engine.score: the formula here is stale", file=sys.stderr
        )
        return 1
    sets = sorted({r.set for r in rows})
    right, total = pairs(rows, {})
    print(f"{len(rows)} answers in {len(sets)} sets; shipped weights: {right}/{total} pairs in order")
    for per_rubric in (False, True):
        how = "per rubric" if per_rubric else "shared"
        fitted_sum = shipped_sum = 0
        for name in sets:
            train = [r for r in rows if r.set != name]
            test = [r for r in rows if r.set == name]
            fitted = fit(train, per_rubric)
            right, total = pairs(test, fitted)
            shipped, _ = pairs(test, {})
            fitted_sum, shipped_sum = fitted_sum + right, shipped_sum + shipped
            print(f"  {how:<10} {name:<24} fitted {right}/{total}  shipped {shipped}/{total}")
        print(f"left out in turn, {how}: fitted {fitted_sum}, shipped {shipped_sum} of {pairs(rows, {})[1]}")
        whole = fit(rows, per_rubric)
        print(f"  fitted on every set ({how}): {pairs(rows, whole)[0]} in order on those same sets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
