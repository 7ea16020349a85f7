"""Would a small learned model of answer quality rank pairs more like a coach than the shipped score?
And, with --ship, the fit of the one the scorer uses (`reads_strong`, core/scoring/quality.py).

Each answer of the tuning pool's sixteen tiered
sets is read once: its MiniLM sentence vectors, mean-pooled (384-d; cut to its first 48 principal
components on the answers of each outer fold's training sets), and their cosine to the question;
the shipped scorer's criterion scores and overall (as bench/weight_fit.py scores them); the story
reading's facets and the sizes of what earned them. A pairwise ranking model (logistic
regression on the feature difference of two answers to one question, labelled by tier order, L2
penalty, numpy Newton steps) is fitted leaving one set out in turn, and the left-out set's pairs
are counted in the coach's order (a tie is out of order, as in bench/score_rank.py) for

  (1) the shipped overall,
  (2) the model alone,
  (3) the shipped overall + w x the model's score,

with the penalty and w chosen by an inner leave-one-set-out on the fifteen training sets only. Also
counted: strong above every keyword-stuffed answer, per question. Besides the full model ("all")
two reduced ones are run the same way: "embed" (the answer's vector and its cosine to the question
only: what the grammar rules do not see) and "scorer" (criterion scores, overall and reading only).

Caveat: the grammar rules were tuned on every one of these sixteen sets, so a left-out set's scorer
and reading features have already seen it, and the "all" and "scorer" rows flatter a new writer. The
clean test runs this script in a checkout of an older commit on the sets that commit never tuned on
(--held-out: fitted once on the other sets, settings by their own leave-one-set-out); e.g. the code of
162d567 (end of round 13) never saw heldout_rank14 or heldout_rank15. The "embed" rows have no such
leak (MiniLM was not tuned on any set).

Run time: about 2 min to read the 708 answers, then under a minute per feature set; BLAS is held to
one thread (two threads on this shared two-core machine made the Newton steps ten times slower).

--ship fits the "embed" model on every set read but the --held-out ones (penalty by
leave-one-set-out), calibrates it per rubric, prints the pairs in order for each share of the
overall the criterion could be given (leave-one-set-out over the training sets, and on each held-out
set) and writes it to core/scoring/data/answer_quality.json (--dry: writes nothing). The shipped
file was made by
  python bench/rank_model.py --add bench/data/heldout_rank16.jsonl \
      --add bench/data/heldout_rank17.jsonl --held-out heldout_rank17.jsonl --ship
The criterion's own verdicts are never a feature: the scorer's columns leave it out, and the
shipped overall column is re-formed without it.

Usage: python bench/rank_model.py [--cache FILE.npz] [--features all,embed,scorer] [--held-out NAMES]
                                 [--add PATH]
(the sixteen sets of the pool are named one by one below; no other set is read unless --add names it:
`--add bench/data/heldout_rank16.jsonl --held-out heldout_rank16.jsonl` fits on the pool and counts
the newest writer's pairs only).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.score_rank import DEFAULT, STUFFED, TIER_RANK, _load, question_of  # noqa: E402

DATA = ROOT / "bench" / "data"
QUALITY = "reads_strong"  # the shipped model's own criterion: never a feature of itself
# The tuning pool, named one by one (the newest held-out set is never read here).
POOL = [
    DEFAULT,
    DATA / "heldout_rank.jsonl",
    DATA / "heldout_rank2.jsonl",
    DATA / "heldout_rank3.jsonl",
    DATA / "heldout_rank4.jsonl",
    DATA / "heldout_rank5.jsonl",
    DATA / "heldout_rank6.jsonl",
    DATA / "heldout_rank7.jsonl",
    DATA / "heldout_rank8.jsonl",
    DATA / "heldout_rank9.jsonl",
    DATA / "heldout_rank10.jsonl",
    DATA / "heldout_rank11.jsonl",
    DATA / "heldout_rank12.jsonl",
    DATA / "heldout_rank13.jsonl",
    DATA / "heldout_rank14.jsonl",
    DATA / "heldout_rank15.jsonl",
]
PENALTIES = (3.0, 30.0, 300.0)
# Points of the overall per unit of the model's score (a logit); 0 is the shipped overall alone.
MIX = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0)
NEWTON_STEPS = 12
DIMENSION = 384  # MiniLM's sentence vector, the first columns of the "embed" block
VECTOR_COLUMNS = DIMENSION + 2  # with the answer's cosine to the question (mean, best sentence)
COMPONENTS = 48
READING_COUNTS = (
    "episode",
    "anchors",
    "own_actions",
    "vague_actions",
    "results",
    "vague_results",
    "reflections",
    "blame",
    "hedge_clauses",
    "generic",
    "self_descriptions",
    "ir_terms",
    "specifics",
)
OWN_LEVELS = ("none", "vague", "clear")

Matrix = npt.NDArray[np.float64]


@dataclass
class Pool:
    """Every answer of the pool, read once."""

    sets: npt.NDArray[np.str_]
    questions: npt.NDArray[np.str_]  # set/question_id
    tiers: npt.NDArray[np.int64]
    stuffed: npt.NDArray[np.bool_]
    overall: Matrix
    embed: Matrix  # answer vector, cosine to the question
    scorer: Matrix  # criterion scores, overall, facets, reading counts
    # To add a criterion to the overall as the engine forms it: the weighted mean of the text
    # criteria, their total weight, the lowest cap of a failing gate (inf: none fails).
    mean: Matrix
    weight: Matrix
    cap: Matrix
    rubrics: npt.NDArray[np.str_]  # the rubric each answer's question is scored by
    words: npt.NDArray[np.int64]  # the answer's length (whitespace words)


def collect(paths: list[Path]) -> Pool:
    from interviewcoach.core.content.sets import load_content
    from interviewcoach.core.scoring.analysis import analyze, warm_up
    from interviewcoach.core.scoring.embeddings import encode
    from interviewcoach.core.scoring.engine import needs_entities, score
    from interviewcoach.core.scoring.kinds import compared_sentences
    from interviewcoach.core.scoring.quality import features
    from interviewcoach.core.scoring.story import read

    warm_up()
    bank, rubrics = load_content()
    others = tuple(bank)
    items: list[tuple[str, dict[str, Any]]] = [(p.name, item) for p in paths for item in _load(p)]
    criteria: list[dict[str, float]] = []
    facets: list[list[float]] = []
    vectors: list[Matrix] = []
    sets, questions, tiers, stuffed, overall = [], [], [], [], []
    means, weights, caps, rubric_ids, words = [], [], [], [], []
    for name, item in items:
        question = question_of(item, bank)
        rubric = rubrics.get(question.rubric)
        analysis = analyze(item["answer"], entities=needs_entities(rubric))
        result = score(
            question, rubric, text=item["answer"], analysis=analysis, answer_id=item["id"], others=others
        )
        reading = read(analysis)
        # The sentences the scorer reads (compared_sentences), so the shipped model sees what it
        # was fitted on.
        sentences = [s.text for s in compared_sentences(analysis.sentences)] or [item["answer"]]
        answer = encode(sentences)
        q = encode([question.text])[0].astype(np.float64)
        # The shipped model's input, and (for the "embed" experiment) the cosine of that mean
        # vector and of the best sentence to the question.
        mean = features(answer)
        best = float((answer.astype(np.float64) @ q).max())
        vectors.append(np.concatenate([mean, [float(mean @ q), best]]))
        scored = {k: c for k, c in result.criteria.items() if k != QUALITY}
        criteria.append({f"{rubric.id}/{k}": c.score for k, c in scored.items()})
        weight = {c.id: c.weight for c in rubric.criteria if c.id in scored}
        weights.append(float(sum(weight.values())))
        means.append(sum(scored[k].score * w for k, w in weight.items()) / max(weights[-1], 1e-9))
        failing = [
            cap.max_overall / 100
            for cap in rubric.rubric.caps
            if cap.criterion in scored and not scored[cap.criterion].passed
        ]
        caps.append(min(failing, default=float("inf")))
        facets.append(
            [
                float(reading.has_story),
                float(reading.has_result),
                float(reading.has_reflection),
                float(reading.has_ir_link),
                float(reading.blames_others),
                float(reading.hedges),
                float(reading.mostly_generic),
                *(float(reading.own_action_level == level) for level in OWN_LEVELS),
                *(float(np.log1p(len(getattr(reading, k)))) for k in READING_COUNTS),
            ]
        )
        sets.append(name)
        rubric_ids.append(rubric.id)
        words.append(len(item["answer"].split()))
        questions.append(f"{name}/{item['question_id']}")
        tiers.append(TIER_RANK[item["tier"]])
        stuffed.append(item.get("flaw") == STUFFED)
        overall.append(float(round(100 * with_criterion(means[-1], weights[-1], caps[-1], 0.0, 0.0))))
    # One column per rubric and criterion (0 for other rubrics: they cancel within a question).
    keys = sorted({k for c in criteria for k in c})
    scores = np.array([[c.get(k, 0.0) for k in keys] for c in criteria])
    return Pool(
        sets=np.array(sets),
        questions=np.array(questions),
        tiers=np.array(tiers),
        stuffed=np.array(stuffed),
        overall=np.array(overall),
        embed=np.array(vectors),
        scorer=np.hstack([scores, np.array(overall)[:, None] / 100, np.array(facets)]),
        mean=np.array(means),
        weight=np.array(weights),
        cap=np.array(caps),
        rubrics=np.array(rubric_ids),
        words=np.array(words),
    )


def read_pool(paths: list[Path], cache: Path | None, name: str) -> Pool | None:
    """The sets read (or taken from `cache` when it exists, and saved there when it does not);
    None, with one line said, when a set file is missing."""
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"{name}: missing {', '.join(str(p) for p in missing)}", file=sys.stderr)
        return None
    if cache and cache.is_file():
        return load(cache)
    pool = collect(paths)
    if cache:
        save(pool, cache)
    return pool


def with_criterion(mean: Any, weight: Any, cap: Any, score: Any, extra: Any) -> Any:
    """The overall (0-1) as the engine forms it with one more criterion of weight `extra` scoring
    `score`: the weighted mean, then under the lowest failing cap, up to 0.1 lower for a weaker mean."""
    new = (mean * weight + score * extra) / (weight + extra)
    return np.minimum(new, cap - 0.1 * (1 - new))


def save(pool: Pool, path: Path) -> None:
    np.savez(path, **{k: getattr(pool, k) for k in Pool.__dataclass_fields__})


def load(path: Path) -> Pool:
    data = np.load(path)
    return Pool(**{k: data[k] for k in Pool.__dataclass_fields__})


def pair_index(questions: npt.NDArray[np.str_], tiers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """(higher tier, lower tier) row indices of every within-question pair."""
    by_question: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(questions):
        by_question[str(q)].append(i)
    out = [(a, b) for rows in by_question.values() for a in rows for b in rows if tiers[a] > tiers[b]]
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def fit(x: Matrix, pairs: npt.NDArray[np.int64], penalty: float) -> Matrix:
    """Weights minimising sum log(1 + exp(-w.(x_hi - x_lo))) + penalty/2 |w|^2 (Newton steps)."""
    d = x[pairs[:, 0]] - x[pairs[:, 1]]
    w = np.zeros(x.shape[1])
    eye = penalty * np.eye(x.shape[1])
    for _ in range(NEWTON_STEPS):
        margin = d @ w
        p = 1.0 / (1.0 + np.exp(np.clip(margin, -30, 30)))  # P(pair out of order)
        grad = -(d.T @ p) + penalty * w
        hess = (d * (p * (1 - p))[:, None]).T @ d + eye
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-6:
            break
    return w


def standardise(train: Matrix, test: Matrix) -> tuple[Matrix, Matrix]:
    mean, std = train.mean(axis=0), train.std(axis=0)
    std[std < 1e-9] = 1.0
    return (train - mean) / std, (test - mean) / std


def counts(score: Matrix, pool: Pool, rows: npt.NDArray[np.int64]) -> tuple[int, int, int, int]:
    """(pairs in order, pairs, strong above every stuffed answer, questions with both) on `rows`."""
    pairs = pair_index(pool.questions[rows], pool.tiers[rows])
    right = int((score[pairs[:, 0]] > score[pairs[:, 1]]).sum())
    above = total = 0
    questions = pool.questions[rows]
    for q in np.unique(questions):
        here = np.flatnonzero(questions == q)
        strong = [i for i in here if pool.tiers[rows][i] == TIER_RANK["strong"]]
        stuffed = [i for i in here if pool.stuffed[rows][i]]
        if strong and stuffed:
            total += 1
            above += all(score[strong[0]] > score[s] for s in stuffed)
    return right, len(pairs), above, total


def project(x: Matrix, train: npt.NDArray[np.int64]) -> Matrix:
    """The sentence vector (the first DIMENSION columns) cut to its first COMPONENTS principal
    components on the training answers (no labels; the left-out set's answers take no part), the
    other columns as they are: the same ranking problem at a fraction of the Newton steps' cost."""
    if x.shape[1] < VECTOR_COLUMNS:
        return x
    vectors = x[train, :DIMENSION]
    centre = vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(vectors - centre, full_matrices=False)
    return np.hstack([(x[:, :DIMENSION] - centre) @ axes[:COMPONENTS].T, x[:, DIMENSION:]])


def model_scores(
    x: Matrix, pool: Pool, train: npt.NDArray[np.int64], test: npt.NDArray[np.int64], penalty: float
) -> Matrix:
    x_train, x_test = standardise(x[train], x[test])
    w = fit(x_train, pair_index(pool.questions[train], pool.tiers[train]), penalty)
    return x_test @ w


def choose(x: Matrix, pool: Pool, train_sets: list[str]) -> tuple[float, float, float]:
    """Penalty for the model alone, and (penalty, w) for overall + w x model, by leave-one-set-out
    over `train_sets` only (pairs in order summed over the inner folds; ties to the first in grid)."""
    alone: dict[float, int] = defaultdict(int)
    mixed: dict[tuple[float, float], int] = defaultdict(int)
    for held in train_sets:
        inner_train = np.flatnonzero(np.isin(pool.sets, [s for s in train_sets if s != held]))
        inner_test = np.flatnonzero(pool.sets == held)
        for penalty in PENALTIES:
            s = model_scores(x, pool, inner_train, inner_test, penalty)
            alone[penalty] += counts(s, pool, inner_test)[0]
            for mix in MIX:
                combined = pool.overall[inner_test] + mix * s
                mixed[(penalty, mix)] += counts(combined, pool, inner_test)[0]
    best_alone = max(PENALTIES, key=lambda p: alone[p])
    best_penalty, best_mix = max(mixed, key=lambda k: mixed[k])
    return best_alone, best_penalty, best_mix


def run(pool: Pool, name: str, columns: Matrix) -> None:
    sets = list(dict.fromkeys(pool.sets.tolist()))
    print(f"\nfeatures: {name} ({columns.shape[1]} columns)")
    print(f"{'left out':<24} {'(1) shipped':>12} {'(2) model':>12} {'(3) mixed':>12}   settings")
    totals = np.zeros((3, 4), dtype=np.int64)
    for held in sets:
        train_sets = [s for s in sets if s != held]
        train = np.flatnonzero(pool.sets != held)
        test = np.flatnonzero(pool.sets == held)
        x = project(columns, train)
        penalty_alone, penalty_mix, mix = choose(x, pool, train_sets)
        alone = model_scores(x, pool, train, test, penalty_alone)
        mixed_model = (
            alone if penalty_mix == penalty_alone else model_scores(x, pool, train, test, penalty_mix)
        )
        rows = [
            counts(pool.overall[test], pool, test),
            counts(alone, pool, test),
            counts(pool.overall[test] + mix * mixed_model, pool, test),
        ]
        totals += np.array(rows)
        cells = " ".join(f"{r[0]:>3}/{r[1]:<3} {r[2]:>2}/{r[3]:<2}" for r in rows)
        print(f"{held:<24} {cells}   penalty {penalty_alone:g}; mixed: penalty {penalty_mix:g}, w {mix:g}")
    labels = ("(1) shipped", "(2) model alone", "(3) shipped + w x model")
    for label, (right, total, above, both) in zip(labels, totals, strict=True):
        print(f"  {label:<26} pairs {right}/{total} ({right / total:.3f})  strong > stuffed {above}/{both}")


def run_held_out(pool: Pool, name: str, columns: Matrix, held: list[str]) -> None:
    """Fit once on every set but `held` (settings by leave-one-set-out over those), count `held`."""
    train_sets = [s for s in dict.fromkeys(pool.sets.tolist()) if s not in held]
    train = np.flatnonzero(np.isin(pool.sets, train_sets))
    x = project(columns, train)
    penalty_alone, penalty_mix, mix = choose(x, pool, train_sets)
    print(
        f"\nfeatures: {name} ({x.shape[1]} columns); "
        f"fitted on {len(train_sets)} sets, never on {', '.join(held)}"
    )
    print(f"  settings: penalty {penalty_alone:g}; mixed: penalty {penalty_mix:g}, w {mix:g}")
    for held_set in held:
        test = np.flatnonzero(pool.sets == held_set)
        alone = model_scores(x, pool, train, test, penalty_alone)
        mixed_model = model_scores(x, pool, train, test, penalty_mix)
        rows = [
            counts(pool.overall[test], pool, test),
            counts(alone, pool, test),
            counts(pool.overall[test] + mix * mixed_model, pool, test),
        ]
        cells = "  ".join(
            f"{label} {r[0]}/{r[1]} ({r[2]}/{r[3]})"
            for label, r in zip(("(1)", "(2)", "(3)"), rows, strict=True)
        )
        print(f"  {held_set:<24} {cells}")


# The model's criterion's share of the text criteria's total weight (its weight in a rubric is
# share / (1 - share) x the other criteria's total).
# Fewest answers of each tier for a rubric's own calibration (else the pooled one).
MIN_CALIBRATION = 10
CRITERION_WEIGHTS = (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


@dataclass
class Shipped:
    """The embed-only model with its principal components and standardisation folded in, and its
    calibration per rubric (centre, scale; "*" for a rubric it has no answers of)."""

    weights: Matrix  # one per dimension of the sentence vector
    bias: float
    calibration: dict[str, tuple[float, float]]

    def logits(self, x: Matrix) -> Matrix:
        out: Matrix = x[:, :DIMENSION] @ self.weights + self.bias
        return out

    def scores(self, x: Matrix, rubrics: npt.NDArray[np.str_]) -> Matrix:
        centre, scale = zip(
            *(self.calibration.get(str(r), self.calibration["*"]) for r in rubrics), strict=True
        )
        out: Matrix = 1.0 / (1.0 + np.exp(-(self.logits(x) - np.array(centre)) / np.array(scale)))
        return out


def calibrate(logits: Matrix, tiers: npt.NDArray[np.int64]) -> tuple[float, float]:
    """The adequate answers' mean scores 0.5; one (strong - weak) / 4 above it scores sigmoid(1),
    so the strong and weak means sit near 0.88 and 0.12."""
    mean_of = {t: float(logits[tiers == t].mean()) for t in TIER_RANK.values()}
    spread = max(mean_of[TIER_RANK["strong"]] - mean_of[TIER_RANK["weak"]], 1e-6)
    return mean_of[TIER_RANK["adequate"]], spread / 4


def fit_shipped(pool: Pool, train: npt.NDArray[np.int64], penalty: float) -> Shipped:
    """Fit on `train` and fold the projection and standardisation into one weight per feature.
    Calibrated per rubric: the model ranks answers to one question, and its level differs from one
    kind of question to another (strong pathway answers average a lower score than strong research
    ones), so a pass means the same against each rubric's own tiers."""
    # The answer's mean vector only: with its cosines to the question the model learnt that answers
    # echoing the question rank low, and scored an answer higher given to another question (in 696
    # of 788 answers), for 2 pairs fewer in order over the seventeen sets left out in turn.
    x = pool.embed[:, :DIMENSION]
    vectors = x[train]
    centre = vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(vectors - centre, full_matrices=False)
    z = (x - centre) @ axes[:COMPONENTS].T
    mu, sd = z[train].mean(axis=0), z[train].std(axis=0)
    sd[sd < 1e-9] = 1.0
    w = fit((z[train] - mu) / sd, pair_index(pool.questions[train], pool.tiers[train]), penalty)
    folded = w / sd
    weights = axes[:COMPONENTS].T @ folded
    # folded . (z - mu) with z = (x - centre) A^T: the same as weights . x + bias.
    bias = float(-(weights @ centre) - folded @ mu)
    logits = vectors @ weights + bias
    tiers, rubrics = pool.tiers[train], pool.rubrics[train]
    calibration = {"*": calibrate(logits, tiers)}
    for rubric in np.unique(rubrics):
        here = rubrics == rubric
        if all((tiers[here] == t).sum() >= MIN_CALIBRATION for t in TIER_RANK.values()):
            calibration[str(rubric)] = calibrate(logits[here], tiers[here])
    return Shipped(weights, bias, calibration)


def choose_weight(pool: Pool, train_sets: list[str], penalty: float) -> tuple[float, dict[float, int]]:
    """The criterion's weight in the overall by leave-one-set-out over `train_sets` (pairs in order
    summed over the folds; ties to the smaller weight)."""
    right: dict[float, int] = defaultdict(int)
    for held in train_sets:
        inner = np.flatnonzero(np.isin(pool.sets, [s for s in train_sets if s != held]))
        test = np.flatnonzero(pool.sets == held)
        q = fit_shipped(pool, inner, penalty).scores(pool.embed[test], pool.rubrics[test])
        for extra in CRITERION_WEIGHTS:
            overall = np.round(
                100
                * with_criterion(
                    pool.mean[test],
                    pool.weight[test],
                    pool.cap[test],
                    q,
                    extra / (1 - extra) * pool.weight[test],
                )
            )
            right[extra] += counts(overall, pool, test)[0]
    best = max(CRITERION_WEIGHTS, key=lambda e: (right[e], -e))
    return best, dict(right)


def ship(pool: Pool, held: list[str], out: Path | None, share: float) -> None:
    """Fit the embed-only model on every set but `held` (penalty and criterion weight by
    leave-one-set-out over those), count `held` with it as a criterion, and write it to `out`."""
    train_sets = [s for s in dict.fromkeys(pool.sets.tolist()) if s not in held]
    train = np.flatnonzero(np.isin(pool.sets, train_sets))
    mean_only = pool.embed.copy()
    mean_only[:, DIMENSION:] = 0.0  # the shipped model reads the mean vector only (fit_shipped)
    penalty = choose(project(mean_only, train), pool, train_sets)[0]
    extra, right = choose_weight(pool, train_sets, penalty)
    model = fit_shipped(pool, train, penalty)
    print(f"\nshipped model: fitted on {len(train_sets)} sets; penalty {penalty:g}")
    print(
        "  criterion weight -> pairs in order, leave-one-set-out: "
        + ", ".join(f"{e:g}: {right[e]}" for e in CRITERION_WEIGHTS)
    )
    print(f"  best share {extra:g}; the rubrics give it {share:g}")
    print(
        "  calibration (centre, scale): "
        + ", ".join(f"{k} {c:.2f} {s:.2f}" for k, (c, s) in model.calibration.items())
    )
    for held_set in held:
        test = np.flatnonzero(pool.sets == held_set)
        q = model.scores(pool.embed[test], pool.rubrics[test])
        cells = []
        for e in CRITERION_WEIGHTS:
            overall = np.round(
                100
                * with_criterion(
                    pool.mean[test], pool.weight[test], pool.cap[test], q, e / (1 - e) * pool.weight[test]
                )
            )
            r = counts(overall, pool, test)
            cells.append(f"{e:g}: {r[0]}/{r[1]} ({r[2]}/{r[3]})")
        alone = counts(model.logits(pool.embed[test]), pool, test)
        print(
            f"  {held_set}: model alone {alone[0]}/{alone[1]} ({alone[2]}/{alone[3]}); with weight "
            + ", ".join(cells)
        )
    if out is not None:
        from interviewcoach.core.scoring.quality import QualityModel

        about = {
            "fitted_by": "bench/rank_model.py --ship",
            "fitted_on": train_sets,
            "answers": len(train),
            "what": "how an answer ranks beside tiered answers to one question, from its sentence vectors",
            "penalty": penalty,
            "components": COMPONENTS,
            "criterion_share_best_by_leave_one_set_out": extra,
            "criterion_share_in_rubrics": share,
            "answer_words": [int(pool.words[train].min()), int(pool.words[train].max())],
        }
        shipped = QualityModel(model.weights, model.bias, model.calibration, int(pool.words[train].min()))
        out.write_text(shipped.to_json(about) + "\n", encoding="utf-8")
        print(f"  written to {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache", type=Path, help="features saved here after reading (and read from here if present)"
    )
    parser.add_argument("--features", default="all,embed,scorer", help="comma-separated: all, embed, scorer")
    parser.add_argument(
        "--held-out",
        default="",
        help="comma-separated set file names: fit once on the others, count only these",
    )
    parser.add_argument(
        "--add",
        type=Path,
        action="append",
        default=[],
        help="a set to read besides the pool (the newest held-out set, measured with --held-out)",
    )
    parser.add_argument(
        "--ship",
        nargs="?",
        const=Path("interviewcoach/core/scoring/data/answer_quality.json"),
        type=Path,
        help="fit the embed-only model on every set not held out and write it (default: the shipped file)",
    )
    parser.add_argument("--dry", action="store_true", help="with --ship: measure, write nothing")
    parser.add_argument(
        "--share",
        type=float,
        default=0.4,
        help="with --ship: the criterion's share of the overall the rubrics give it (recorded in the file)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pool = read_pool([*POOL, *args.add], args.cache, "rank_model")
    if pool is None:
        return 2
    read_s = time.perf_counter() - started
    print(f"{len(pool.sets)} answers in {len(set(pool.sets.tolist()))} sets, read in {read_s:.0f} s")
    blocks = {"embed": pool.embed, "scorer": pool.scorer, "all": np.hstack([pool.embed, pool.scorer])}
    assert pool.embed.shape[1] == VECTOR_COLUMNS
    if args.ship is not None:
        held = [h for h in args.held_out.split(",") if h]
        ship(pool, held, None if args.dry else ROOT / args.ship, args.share)
        return 0
    for name in args.features.split(","):
        began = time.perf_counter()
        if args.held_out:
            run_held_out(pool, name, blocks[name], args.held_out.split(","))
        else:
            run(pool, name, blocks[name])
        print(f"  fitted and counted in {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
