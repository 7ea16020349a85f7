"""The answer-kind model: its shipped weights and how it turns sentence vectors into shares."""

from __future__ import annotations

import numpy as np
import pytest

from interviewcoach.core.scoring.embeddings import DIMENSION
from interviewcoach.core.scoring.kinds import FitModel, KindModel, fit_features, fit_model, kind_model


def test_the_shipped_model_reads_every_rubric_of_the_bank() -> None:
    model = kind_model()
    assert set(model.kinds) >= {
        "behavioural",
        "fit",
        "general",
        "motivation",
        "pathway",
        "research",
        "setback",
        "weakness",
    }
    shares = model.probabilities(np.full((3, DIMENSION), 0.05, dtype=np.float32))
    assert set(shares) == set(model.kinds)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in shares.values())


def test_shares_follow_the_weights_of_the_mean_vector() -> None:
    weights = np.zeros((DIMENSION, 2))
    weights[0, 1] = 10.0  # the first dimension speaks for the second kind
    model = KindModel(["a", "b"], weights, np.zeros(2))
    vectors = np.zeros((2, DIMENSION), dtype=np.float32)
    vectors[:, 0] = [1.0, 0.0]  # mean 0.5 on the first dimension: logits 0 and 5
    shares = model.probabilities(vectors)
    assert shares["b"] == pytest.approx(1 / (1 + np.exp(-5.0)))
    assert model.probabilities(np.zeros((0, DIMENSION), dtype=np.float32)) == {}


def test_weights_that_do_not_fit_are_refused() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        KindModel(["a", "b"], np.zeros((DIMENSION, 3)), np.zeros(2))


def test_the_fit_model_reads_the_answer_against_each_question() -> None:
    weights = np.zeros(DIMENSION + 1)
    weights[-1] = 8.0  # only the cosine of answer and question speaks
    model = FitModel(weights, -4.0)
    answer = np.zeros((2, DIMENSION), dtype=np.float32)
    answer[:, 0] = 1.0
    questions = np.zeros((2, DIMENSION), dtype=np.float32)
    questions[0, 0] = 1.0  # the same direction: cosine 1
    questions[1, 1] = 1.0  # orthogonal: cosine 0
    fits = model.probabilities(answer, questions)
    assert fits[0] == pytest.approx(1 / (1 + np.exp(-4.0)))
    assert fits[1] == pytest.approx(1 / (1 + np.exp(4.0)))
    features = fit_features(answer, questions)
    assert features.shape == (2, DIMENSION + 1)
    with pytest.raises(ValueError, match="do not fit"):
        FitModel(np.zeros(DIMENSION), 0.0)


def test_the_shipped_fit_model_loads() -> None:
    model = fit_model()
    assert model.weights.shape == (DIMENSION + 1,)
