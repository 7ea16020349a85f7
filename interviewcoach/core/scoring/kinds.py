"""What kind of question an answer was written for, and whether it fits a given question, read
from its meaning.

A question's rubric says what its answer must hold: a setback told and what changed, a research
project and the speaker's part, a plan for the match, a reason for IR. An answer written for a
question of another kind ("my Step 1 score" given to "Why interventional radiology?") meets much
of any rubric's form, so the form alone cannot tell. Two small models read it, both over the mean
of the answer's sentence vectors (all-MiniLM-L6-v2, `embeddings.py`):

- `KindModel`, the kind: a multinomial logistic regression giving each rubric a probability;
- `FitModel`, the fit: a logistic regression over the answer's vector times a question's vector,
  giving the probability that the answer was written for that question, new questions included.

Both are fitted by `bench/other_question.py --fit` on the labelled answers the project's own
writers wrote (`bench/data/heldout.jsonl` and `heldout_rank` to `heldout_rank9`: 448 answers to 94
questions in and out of the bank, every rubric) and measured on answers they were not fitted on
(the coach's `dev_other`, and sets written later). The fitted numbers ship in
`data/answer_kinds.json` and `data/answer_fit.json`, the standardisation folded in, so reading
either is one product and a softmax or a sigmoid.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from interviewcoach.core.scoring.embeddings import DIMENSION, Vectors

if TYPE_CHECKING:
    from spacy.tokens import Span

MODEL_FILE = Path(__file__).resolve().parent / "data" / "answer_kinds.json"
FIT_FILE = Path(__file__).resolve().parent / "data" / "answer_fit.json"

# The most sentences of an answer read. Every labelled answer the checks were calibrated on has at
# most 16 sentences of more than three words; a longer answer is read at evenly spaced sentences.
MAX_COMPARED_SENTENCES = 16


def comparable(sentence: Span) -> bool:
    """Whether a sentence is long enough (more than three words) to read an answer by."""
    return sum(not t.is_punct for t in sentence) > 3


def compared_sentences(sentences: Sequence[Span]) -> list[Span]:
    """The sentences an answer is read by: those of more than three words, at most
    MAX_COMPARED_SENTENCES of them, evenly spaced. What an answer is about shows all through it,
    and the model's time grows with every sentence (a 3-minute answer took 0.13 s more)."""
    kept = [s for s in sentences if comparable(s)]
    if len(kept) > MAX_COMPARED_SENTENCES:
        step = len(kept) / MAX_COMPARED_SENTENCES
        kept = [kept[int(k * step)] for k in range(MAX_COMPARED_SENTENCES)]
    return kept


class KindModel:
    """The fitted weights: `probabilities` gives each rubric's share for one answer."""

    def __init__(self, kinds: Sequence[str], weights: npt.NDArray[np.float64], bias: npt.NDArray[np.float64]):
        if weights.shape != (DIMENSION, len(kinds)) or bias.shape != (len(kinds),):
            raise ValueError(f"answer-kind weights of shape {weights.shape} do not fit {len(kinds)} kinds")
        self.kinds = tuple(kinds)
        self.weights = weights
        self.bias = bias

    def probabilities(self, sentence_vectors: Vectors) -> dict[str, float]:
        """Each rubric's probability for an answer given its sentences' vectors (one row each),
        read from their mean."""
        if len(sentence_vectors) == 0:
            return {}
        shares = self._shares(sentence_vectors.astype(np.float64).mean(axis=0, keepdims=True))[0]
        return {kind: float(p) for kind, p in zip(self.kinds, shares, strict=True)}

    def best_sentence(self, sentence_vectors: Vectors, kind: str) -> tuple[int, float]:
        """The sentence read most as `kind` on its own, and that probability: the words to quote
        for an answer read as that kind."""
        shares = self._shares(sentence_vectors.astype(np.float64))[:, self.kinds.index(kind)]
        best = int(np.argmax(shares))
        return best, float(shares[best])

    def _shares(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        logits = rows @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        shares: npt.NDArray[np.float64] = np.exp(logits)
        shares /= shares.sum(axis=1, keepdims=True)
        return shares

    def to_json(self, about: dict[str, object]) -> str:
        return json.dumps(
            {
                "about": about,
                "kinds": list(self.kinds),
                "bias": [round(float(x), 6) for x in self.bias],
                "weights": [[round(float(x), 6) for x in row] for row in self.weights],
            },
            indent=None,
        )


class FitModel:
    """Whether an answer fits one question: a logistic regression over the answer's mean sentence
    vector (unit length) times the question's vector, dimension by dimension, and their cosine.
    Fitted on pairs of an answer and its own question against the same answer and the questions
    of other rubrics, so it reads a new question's text, not only its rubric."""

    def __init__(self, weights: npt.NDArray[np.float64], bias: float):
        if weights.shape != (DIMENSION + 1,):
            raise ValueError(
                f"answer-fit weights of shape {weights.shape} do not fit {DIMENSION + 1} features"
            )
        self.weights = weights
        self.bias = bias

    def probabilities(self, sentence_vectors: Vectors, questions: Vectors) -> npt.NDArray[np.float64]:
        """For each question (one vector a row), the probability that the answer was written for it."""
        features = fit_features(sentence_vectors, questions)
        logits = features @ self.weights + self.bias
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logits))
        return out

    def to_json(self, about: dict[str, object]) -> str:
        weights = [round(float(x), 6) for x in self.weights]
        return json.dumps({"about": about, "bias": round(self.bias, 6), "weights": weights})


def fit_features(sentence_vectors: Vectors, questions: Vectors) -> npt.NDArray[np.float64]:
    """The answer-fit model's numbers for an answer against each question: the elementwise product
    of the answer's mean sentence vector (made unit length) with the question's, and their cosine."""
    mean = sentence_vectors.astype(np.float64).mean(axis=0)
    mean /= max(float(np.linalg.norm(mean)), 1e-9)
    products = questions.astype(np.float64) * mean
    return np.hstack([products, products.sum(axis=1, keepdims=True)])


@functools.lru_cache(maxsize=1)
def fit_model() -> FitModel:
    """The shipped answer-fit model, read once (about 8 KB)."""
    data = json.loads(FIT_FILE.read_text(encoding="utf-8"))
    return FitModel(np.asarray(data["weights"], dtype=np.float64), float(data["bias"]))


@functools.lru_cache(maxsize=1)
def kind_model() -> KindModel:
    """The shipped model, read once (about 40 KB)."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return KindModel(
        data["kinds"],
        np.asarray(data["weights"], dtype=np.float64),
        np.asarray(data["bias"], dtype=np.float64),
    )
