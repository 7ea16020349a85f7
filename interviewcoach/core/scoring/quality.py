"""How an answer reads beside strong, adequate and weak answers to the same question, from its
meaning: a learned ranking model over its sentence vectors, with the sentences that move it.

The grammar reading (`story.py`) sees how an answer is told: an episode, the speaker's own acts, a
result, a lesson. It does not see whether what is told is any good: a bravado story, a failure
played down, a lesson that is the wrong one are told in the same grammar as strong ones. Measured on
writers the rules were never tuned on, rules alone put 0.74-0.82 of answer pairs in the coach's
order; a pairwise model of sentence meaning, fitted on tiered answers and tested on a writer it
never saw, 0.90-0.94 (README, "A learned ranking signal").

The model is a logistic regression on the difference of two answers to one question (labelled by
their tiers), over the mean of the answer's sentence vectors (all-MiniLM-L6-v2, `embeddings.py`),
made unit length. It reads what the answer says, not how near it sits to the question: a first
version also read the answer's cosine to the question, learnt that answers echoing the question
rank low, and so scored the same answer higher when given to another question (in 696 of 788
answers); without it, answers rank as well or better (882 against 880 pairs, each set left out in
turn). Whether the answer addresses the question is the topic check's part (`on_topic`).

`bench/rank_model.py --ship` fits it on the tiered sets (`../shared/eval/dev_other.jsonl`, whose
tiers a coach set, and the project writers' `bench/data/heldout_rank*.jsonl`) and writes
`data/answer_quality.json`, the principal components and the standardisation folded in, so reading
it is one product. No sentence of any set is stored: only 384 weights and a bias.

Because the score is linear in the sentence vectors, it splits exactly into one share per
sentence: the sentences with the largest and smallest shares are the words a verdict quotes.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from interviewcoach.core.scoring.embeddings import DIMENSION, Vectors

MODEL_FILE = Path(__file__).resolve().parent / "data" / "answer_quality.json"
FEATURES = DIMENSION  # the unit mean vector

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Reading:
    """One answer as the model reads it: its score (a logit; a difference of 1 between two answers
    to one question is odds of e to 1 that a coach puts the higher first), the same made a 0-1 score
    by the rubric's calibration, and each sentence's share of the score."""

    logit: float
    score: float
    shares: tuple[float, ...]


# The calibration of a rubric the model has no tiered answers of.
POOLED = "*"


class QualityModel:
    """The shipped weights: `read` scores one answer and splits the score by sentence.

    `calibration` maps a rubric to (centre, scale): the logit of its adequate answers' mean scores
    0.5, and one scale above it sigmoid(1) (the model ranks answers to one question; its level
    differs from one kind of question to another). `min_words` is the shortest answer it was fitted
    on: it does not read a shorter one."""

    def __init__(
        self, weights: Array, bias: float, calibration: dict[str, tuple[float, float]], min_words: int
    ):
        if weights.shape != (FEATURES,):
            raise ValueError(
                f"answer-quality weights of shape {weights.shape} do not fit {FEATURES} features"
            )
        if POOLED not in calibration:
            raise ValueError(f"answer-quality calibration needs a pooled entry ({POOLED!r})")
        if any(scale <= 0 for _, scale in calibration.values()):
            raise ValueError("answer-quality scales must be positive")
        self.weights = weights
        self.bias = bias
        self.calibration = dict(calibration)
        self.min_words = min_words

    def read(self, sentence_vectors: Vectors, rubric: str = POOLED) -> Reading:
        """The answer's score from its sentences' vectors (one row each) and the rubric it is
        scored by."""
        if len(sentence_vectors) == 0:
            return Reading(logit=self.bias, score=self._calibrated(self.bias, rubric), shares=())
        shares = sentence_shares(sentence_vectors, self.weights)
        logit = float(shares.sum()) + self.bias
        return Reading(
            logit=logit, score=self._calibrated(logit, rubric), shares=tuple(float(s) for s in shares)
        )

    def _calibrated(self, logit: float, rubric: str) -> float:
        centre, scale = self.calibration.get(rubric, self.calibration[POOLED])
        return float(1.0 / (1.0 + np.exp(-(logit - centre) / scale)))

    def to_json(self, about: dict[str, object]) -> str:
        return json.dumps(
            {
                "about": about,
                "bias": round(self.bias, 6),
                "calibration": {k: [round(c, 6), round(s, 6)] for k, (c, s) in self.calibration.items()},
                "min_words": self.min_words,
                "weights": [round(float(x), 6) for x in self.weights],
            }
        )


def sentence_shares(sentence_vectors: Vectors, weights: Array) -> Array:
    """Each sentence's share of weights . (unit mean of the sentence vectors): the dot product is
    the sum over rows of weights . row / (n |mean|), so the shares add up to it exactly."""
    rows = sentence_vectors.astype(np.float64)
    norm = max(float(np.linalg.norm(rows.mean(axis=0))), 1e-9)
    out: Array = rows @ weights / (len(rows) * norm)
    return out


def features(sentence_vectors: Vectors) -> Array:
    """The model's input for one answer (what `bench/rank_model.py` fits on)."""
    mean = sentence_vectors.astype(np.float64).mean(axis=0)
    out: Array = mean / max(float(np.linalg.norm(mean)), 1e-9)
    return out


@functools.lru_cache(maxsize=1)
def quality_model() -> QualityModel:
    """The shipped model, read once (about 5 KB)."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return QualityModel(
        np.asarray(data["weights"], dtype=np.float64),
        float(data["bias"]),
        {str(k): (float(c), float(s)) for k, (c, s) in data["calibration"].items()},
        int(data["min_words"]),
    )
