"""The second reading of three facets (`core/scoring/facet_model.py`): its arithmetic, the shipped
file, and how it settles the result, lesson and tone criteria through the scorer, with the real
parser and sentence model."""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import pytest

import interviewcoach.core.scoring.facet_model as fm
from interviewcoach.core.content.sets import load_content
from interviewcoach.core.models import CriterionResult
from interviewcoach.core.scoring.analysis import analyze
from interviewcoach.core.scoring.embeddings import DIMENSION, encode_cached
from interviewcoach.core.scoring.engine import score
from tests.unit.test_quality import CLAIMS, STORY

# A sentence of STORY that the built models below point at.
OUTCOME = (
    "His pressure was back above 100 by three, and he went home four days later without another transfusion"
)


def _model(facets: dict[str, tuple[np.ndarray, float]], sure: float = 0.8) -> fm.FacetModel:
    return fm.FacetModel(facets, min_words=100, sure=sure)


@pytest.fixture
def install(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    def put(model: fm.FacetModel) -> None:
        monkeypatch.setattr(fm, "facet_model", lambda: model)

    yield put


def _criteria(text: str, question_id: str = "calm-under-pressure") -> dict[str, CriterionResult]:
    bank, rubrics = load_content()
    question = bank.get(question_id)
    result = score(question, rubrics.get(question.rubric), text=text)
    for verdict in result.criteria.values():
        for e in verdict.evidence:
            assert text[e.start : e.end] == e.text
    return dict(result.criteria)


def test_the_logit_splits_exactly_into_one_share_per_sentence() -> None:
    rng = np.random.default_rng(5)
    w = rng.normal(size=DIMENSION)
    model = _model({"result": (w, -0.3)})
    rows = rng.normal(size=(4, DIMENSION)).astype(np.float32)
    rows[2] = 3 * w.astype(np.float32)
    spans = ((0, 5), (6, 10), (11, 20), (21, 30))
    reading = model.read(rows, spans)["result"]
    mean = rows.astype(np.float64).mean(axis=0)
    logit = float(mean / np.linalg.norm(mean) @ w) - 0.3
    assert sum(reading.shares) - 0.3 == pytest.approx(logit, rel=1e-6)
    assert reading.probability == pytest.approx(1 / (1 + np.exp(-logit)))
    assert reading.strongest() == (11, 20)


def test_the_model_settles_a_facet_only_where_it_is_sure() -> None:
    def verdict(p: float) -> bool | None:
        return fm.FacetReading(probability=p, shares=(), sentences=(), sure=0.8).verdict

    assert verdict(0.85) is True
    assert verdict(0.8) is True
    assert verdict(0.5) is None
    assert verdict(0.21) is None
    assert verdict(0.2) is False


def test_bad_model_files_are_refused() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        _model({"result": (np.zeros(DIMENSION + 1), 0.0)})
    with pytest.raises(ValueError, match="sure"):
        _model({"result": (np.zeros(DIMENSION), 0.0)}, sure=0.5)


def test_the_shipped_file_reads_the_three_facets_of_a_story_and_of_claims() -> None:
    data = json.loads(fm.MODEL_FILE.read_text(encoding="utf-8"))
    assert data["about"]["fitted_by"] == "bench/facet_model.py --ship"
    assert "dev_other.jsonl" in data["about"]["fitted_on"]
    fm.facet_model.cache_clear()
    model = fm.facet_model()
    assert set(model.weights) == set(fm.FACETS)
    assert model.min_words >= 100
    story_read = fm.second_reading(analyze(STORY))
    claims_read = fm.second_reading(analyze(CLAIMS))
    assert [story_read[f].verdict for f in ("result", "reflection", "blame")] == [True, True, False]
    assert [claims_read[f].verdict for f in ("result", "reflection")] == [False, False]
    story = _criteria(STORY)
    claims = _criteria(CLAIMS)
    # A told night with its outcome and a practice changed since; claims about oneself have neither.
    assert story["result"].passed and story["reflection"].passed and story["tone"].passed
    assert not claims["result"].passed and not claims["reflection"].passed


def test_a_result_the_model_is_sure_of_is_quoted_by_what_the_grammar_found_short_of_it(
    install: object,
) -> None:
    install(_model({}))  # type: ignore[operator]
    grammar = _criteria(CLAIMS)["result"]
    # The grammar finds only a vague result in claims about oneself.
    assert not grammar.passed
    vague = [e.text for e in grammar.evidence if e.label == "vague_result"]
    assert vague
    # A model built to be sure of a result wherever this sentence of CLAIMS is said.
    target = (
        "In interventional radiology the stakes are high and you have to be ready at any hour of the night"
    )
    (vector,) = encode_cached((target + ".",))
    install(_model({"result": (40 * vector.astype(np.float64), -12.0)}))  # type: ignore[operator]
    verdict = _criteria(CLAIMS)["result"]
    assert verdict.passed
    assert [(e.label, e.text) for e in verdict.evidence] == [("result", t) for t in vague]
    assert vague[0][:30] in verdict.feedback
    assert verdict.feedback.startswith("This reads as saying what came of it")


def test_a_sure_no_overrules_the_grammar_and_a_sure_yes_fails_the_tone(install: object) -> None:
    grammar = _criteria(STORY)
    assert grammar["result"].passed and grammar["tone"].passed
    (vector,) = encode_cached((OUTCOME + ".",))
    install(  # type: ignore[operator]
        _model({"result": (np.zeros(DIMENSION), -5.0), "blame": (40 * vector.astype(np.float64), -12.0)})
    )
    settled = _criteria(STORY)
    assert not settled["result"].passed and settled["result"].evidence == []
    assert not settled["tone"].passed
    assert settled["tone"].evidence[0].label == "blame"
    # Blame the grammar did not find is quoted by the sentence that carries it most.
    assert settled["tone"].evidence[0].text == OUTCOME
    assert OUTCOME[:40] in settled["tone"].feedback
    # The facets it does not read stand as the grammar read them.
    assert settled["reflection"] == grammar["reflection"]


def test_an_unsure_model_or_a_short_answer_leaves_the_grammar_s_reading(install: object) -> None:
    install(_model({}))  # type: ignore[operator]
    grammar = _criteria(STORY)
    install(_model({f: (np.zeros(DIMENSION), 0.0) for f in fm.FACETS}))  # type: ignore[operator]
    assert _criteria(STORY) == grammar
    short = " ".join(STORY.split()[:70])
    install(_model({}))  # type: ignore[operator]
    short_grammar = _criteria(short)
    install(_model({f: (np.zeros(DIMENSION), -5.0) for f in fm.FACETS}))  # type: ignore[operator]
    assert _criteria(short) == short_grammar


def test_a_rubric_without_the_reading_s_advice_falls_back_to_its_own(install: object) -> None:
    # An advisor's rubric may predate the "read" advice: blame the model finds is then said in
    # the rubric's own words for blame.
    (vector,) = encode_cached((OUTCOME + ".",))
    install(_model({"blame": (40 * vector.astype(np.float64), -12.0)}))  # type: ignore[operator]
    bank, rubrics = load_content()
    question = bank.get("calm-under-pressure")
    rubric = rubrics.get(question.rubric)
    bare = rubric.model_copy(
        update={
            "criteria": [
                c.model_copy(update={"advice": {k: v for k, v in c.advice.items() if k != "read"}})
                for c in rubric.criteria
            ]
        }
    )
    shipped = score(question, rubric, text=STORY).criteria["tone"]
    fallen_back = score(question, bare, text=STORY).criteria["tone"]
    assert shipped.feedback.startswith("This reads as putting blame")
    blame_advice = next(c.advice["blame"] for c in rubric.criteria if c.id == "tone")
    assert fallen_back.feedback.endswith(blame_advice.split("{quote}")[1])
    assert OUTCOME[:40] in fallen_back.feedback
    assert not fallen_back.passed
