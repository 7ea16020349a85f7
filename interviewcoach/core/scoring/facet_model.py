"""A second reading of five facets of the story reading (a story, a result, a lesson, blame,
generic claims), from the answer's meaning, that settles them where it is sure.

The grammar reading (`story.py`) finds a result, a lesson or blame by how a clause is built: an
event after the speaker's acts, a practice changed since, a cause put on others. Over sixteen rounds
its rules were tuned on the tiered sets, and on the last writers they were never tuned on they agree
with a coach's labels less well (results 0.70-0.80, lessons 0.78-0.82, blame 0.80-0.85). What a
clause says, not how it is built, is what they miss: a relative clause of setting read as a result,
a lesson told as a change of mind read as none.

This model reads each facet from the mean of the answer's sentence vectors (all-MiniLM-L6-v2, the
vectors the topic check and `quality.py` already make): one logistic regression per facet, fitted
on the facet labels of the tiered sets by `bench/facet_model.py --ship`. It is only a second reader:
where its probability is at least `sure` (or at most 1 - `sure`) it settles the facet's criterion,
and in between the grammar's reading stands. `sure` (0.8) and that rule were fixed before any set
was measured with them (README, "A second reading of five facets"). It does not read an answer
shorter than any it was fitted on, so short answers are read by the grammar alone.

Because the logit is linear in the sentence vectors, it splits exactly into one share per sentence,
so a facet the model finds is quoted by the sentence that carries it most.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from interviewcoach.core.scoring.analysis import Analysis, word_span
from interviewcoach.core.scoring.embeddings import DIMENSION, EmbeddingModelMissing, Vectors, encode_cached
from interviewcoach.core.scoring.kinds import compared_sentences
from interviewcoach.core.scoring.quality import sentence_shares

MODEL_FILE = Path(__file__).resolve().parent / "data" / "facet_model.json"
FACETS = ("result", "reflection", "blame", "story", "generic")

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class FacetReading:
    """One facet as the model reads an answer: the probability that a coach would say the answer
    has it, and each compared sentence's share of the logit (in the order of `sentences`)."""

    probability: float
    shares: tuple[float, ...]
    sentences: tuple[tuple[int, int], ...]  # each compared sentence's character span
    sure: float

    @property
    def verdict(self) -> bool | None:
        """True or False where the model is sure, None where the grammar's reading should stand."""
        if self.probability >= self.sure:
            return True
        if 1.0 - self.probability >= self.sure:
            return False
        return None

    def strongest(self) -> tuple[int, int] | None:
        """The span of the sentence that carries the facet most."""
        if not self.shares:
            return None
        return self.sentences[int(np.argmax(self.shares))]

    def weakest(self) -> tuple[int, int] | None:
        """The span of the sentence that reads least like the facet."""
        if not self.shares:
            return None
        return self.sentences[int(np.argmin(self.shares))]


class FacetModel:
    """Per facet a weight vector over the unit mean sentence vector and a bias; `min_words` is the
    shortest answer it was fitted on (it does not read a shorter one), `sure` the probability at
    which it settles a facet."""

    def __init__(self, weights: dict[str, tuple[Array, float]], min_words: int, sure: float):
        for facet, (w, _) in weights.items():
            if w.shape != (DIMENSION,):
                raise ValueError(f"facet {facet!r}: weights of shape {w.shape} do not fit {DIMENSION}")
        if not 0.5 < sure < 1.0:
            raise ValueError("facet model: 'sure' must lie between 0.5 and 1")
        self.weights = weights
        self.min_words = min_words
        self.sure = sure

    def read(self, vectors: Vectors, spans: tuple[tuple[int, int], ...]) -> dict[str, FacetReading]:
        """Every facet's reading from the compared sentences' vectors (one row each) and spans."""
        out = {}
        for facet, (w, bias) in self.weights.items():
            shares = sentence_shares(vectors, w) if len(vectors) else np.zeros(0)
            logit = float(shares.sum()) + bias
            out[facet] = FacetReading(
                probability=float(1.0 / (1.0 + np.exp(-logit))),
                shares=tuple(float(s) for s in shares),
                sentences=spans,
                sure=self.sure,
            )
        return out

    def to_json(self, about: dict[str, object]) -> str:
        return json.dumps(
            {
                "about": about,
                "min_words": self.min_words,
                "sure": self.sure,
                "facets": {
                    f: {"bias": round(b, 6), "weights": [round(float(x), 6) for x in w]}
                    for f, (w, b) in self.weights.items()
                },
            }
        )


@functools.lru_cache(maxsize=1)
def facet_model() -> FacetModel:
    """The shipped model, read once (about 21 KB)."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return FacetModel(
        {
            str(f): (np.asarray(v["weights"], dtype=np.float64), float(v["bias"]))
            for f, v in data["facets"].items()
        },
        int(data["min_words"]),
        float(data["sure"]),
    )


def second_reading(analysis: Analysis) -> dict[str, FacetReading]:
    """The model's reading of the answer's facets; empty when the answer is shorter than any it
    was fitted on, has no sentence long enough to read, or the sentence model is missing (then the
    grammar's reading stands alone)."""
    cached: dict[str, FacetReading] | None = getattr(analysis, "_facets", None)
    if cached is not None:
        return cached
    model = facet_model()
    out: dict[str, FacetReading] = {}
    sentences = compared_sentences(analysis.sentences)
    if analysis.word_count >= model.min_words and sentences:
        try:
            vectors = encode_cached(tuple(s.text for s in sentences))
        except EmbeddingModelMissing:
            vectors = None
        if vectors is not None:
            spans = tuple(word_span(s) for s in sentences)
            out = model.read(vectors, spans)
    analysis._facets = out  # type: ignore[attr-defined]
    return out


def settled(analysis: Analysis, facet: str, by_grammar: bool) -> bool:
    """The facet as the scorer takes it: the model's verdict where it is sure, else the grammar's."""
    reading = second_reading(analysis).get(facet)
    verdict = reading.verdict if reading is not None else None
    return by_grammar if verdict is None else verdict
