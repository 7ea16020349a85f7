"""The learned ranking reading (`reads_strong`): the model's arithmetic, the shipped file, and the
verdicts it gives through the scorer, with the real sentence model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from interviewcoach.core.content.sets import load_content
from interviewcoach.core.scoring.embeddings import DIMENSION, encode_cached
from interviewcoach.core.scoring.engine import score
from interviewcoach.core.scoring.quality import (
    FEATURES,
    MODEL_FILE,
    POOLED,
    QualityModel,
    features,
    quality_model,
)

# Hand-written for these tests: the same night told as a story, and as claims about oneself.
STORY = (
    "During my medicine sub-internship a man with a GI bleed dropped his pressure to 70 over 40 "
    "just after midnight. I called the rapid response, hung the second unit of blood the resident "
    "had ordered, and got the CTA done within the hour. It showed a bleeding gastroduodenal artery, "
    "and I stayed to watch the IR fellow coil it. His pressure was back above 100 by three, and he "
    "went home four days later without another transfusion. The part I think about most is the "
    "hour before the scan, when the nurses kept asking me what came next and I had no written plan "
    "to point to. Since then I write the transfusion plan and the escalation steps on the board for "
    "every bleeder I admit, and on my next call night the charge nurse used it without asking me."
)
CLAIMS = (
    "I am someone who thrives under pressure and stays calm when things get hectic. Good "
    "communication and teamwork are the keys to handling any emergency, and I always make sure "
    "everyone on the team feels heard. In interventional radiology the stakes are high and you "
    "have to be ready at any hour of the night. I am resilient, adaptable and always put the "
    "patient first, whatever the situation. I believe that a calm presence helps the whole team "
    "perform at its best, and I try to bring that energy every day. I am passionate about learning "
    "from every experience so I keep growing as a clinician, and I know I would be a reliable "
    "member of any team in the angio suite."
)


def _model(weights: np.ndarray, bias: float = 0.0) -> QualityModel:
    return QualityModel(weights, bias, {POOLED: (0.0, 1.0)}, min_words=100)


def test_the_score_splits_exactly_into_one_share_per_sentence() -> None:
    rng = np.random.default_rng(3)
    weights = rng.normal(size=FEATURES)
    model = _model(weights, bias=0.7)
    rows = rng.normal(size=(5, DIMENSION)).astype(np.float32)
    reading = model.read(rows)
    expected = float(features(rows) @ weights) + 0.7
    assert reading.logit == pytest.approx(expected, rel=1e-6)
    assert sum(reading.shares) + 0.7 == pytest.approx(expected, rel=1e-6)
    assert reading.score == pytest.approx(1 / (1 + np.exp(-expected)))
    # A sentence along the weights lifts the answer most; one against them holds it back most.
    rows[1] = weights.astype(np.float32)
    rows[3] = -weights.astype(np.float32)
    shares = model.read(rows).shares
    assert max(range(5), key=lambda k: shares[k]) == 1
    assert min(range(5), key=lambda k: shares[k]) == 3


def test_each_rubric_is_read_on_its_own_calibration() -> None:
    model = QualityModel(np.zeros(FEATURES), 1.0, {POOLED: (1.0, 0.5), "pathway": (0.0, 2.0)}, 100)
    none = np.zeros((0, DIMENSION), dtype=np.float32)
    assert model.read(none).score == pytest.approx(0.5)
    assert model.read(none, "advisor-ir").score == pytest.approx(0.5)  # the pooled one
    assert model.read(none, "pathway").score == pytest.approx(1 / (1 + np.exp(-0.5)))
    assert model.read(none).shares == ()


def test_bad_model_files_are_refused() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        QualityModel(np.zeros(DIMENSION + 2), 0.0, {POOLED: (0.0, 1.0)}, 100)
    with pytest.raises(ValueError, match="positive"):
        QualityModel(np.zeros(FEATURES), 0.0, {POOLED: (0.0, 0.0)}, 100)
    with pytest.raises(ValueError, match="pooled"):
        QualityModel(np.zeros(FEATURES), 0.0, {"setback": (0.0, 1.0)}, 100)


def test_the_shipped_file_says_what_it_was_fitted_on_and_matches_the_rubrics() -> None:
    about = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["about"]
    assert about["fitted_by"] == "bench/rank_model.py --ship"
    assert "dev_other.jsonl" in about["fitted_on"]
    model = quality_model()
    assert model.weights.shape == (FEATURES,)
    assert about["answer_words"][0] == model.min_words
    assert set(model.calibration) >= {POOLED, "behavioural", "pathway", "setback"}
    share = about["criterion_share_in_rubrics"]
    bank, rubrics = load_content()
    for rubric_id in sorted({q.rubric for q in bank}):
        rubric = rubrics.get(rubric_id)
        text = [c for c in rubric.criteria if not c.delivery]
        mine = sum(c.weight for c in text if c.detector == "reads_strong")
        # Each rubric's weight is the share rounded to half a point of weight.
        assert mine / sum(c.weight for c in text) == pytest.approx(share, abs=0.02), rubric_id


def test_encoded_sentences_are_shared_and_read_only() -> None:
    first = encode_cached(("I paged the fellow at midnight.",))
    assert encode_cached(("I paged the fellow at midnight.",)) is first
    with pytest.raises(ValueError):
        first[0, 0] = 1.0


def test_sentences_are_encoded_ahead_from_the_text_so_far() -> None:
    from interviewcoach.core.scoring.embeddings import encoded
    from interviewcoach.core.scoring.engine import prepare

    # Sentences no other test encodes, so the memory starts without them.
    first = "On my sub-internship a man of 71 came in with a bleeding gastric ulcer at 2:40 am."
    second = "I paged the fellow, set up the angio suite and had the consent signed by 3:05 am."
    assert not encoded(first) and not encoded(second)
    prepare(f"{first} {second} Then we went")  # the answer goes on after this
    assert encoded(first) and encoded(second)
    assert not encoded("Then we went")  # three words: too short to read an answer by
    bank, rubrics = load_content()
    question = bank.get("calm-under-pressure")
    whole = f"{first} {second} The bleeding stopped after the embolization and he went home on day four."
    assert score(question, rubrics.get(question.rubric), text=whole).criteria


def _reads_strong(
    text: str, question_id: str = "calm-under-pressure"
) -> tuple[float, bool, dict[str, str], str]:
    bank, rubrics = load_content()
    question = bank.get(question_id)
    result = score(question, rubrics.get(question.rubric), text=text)
    verdict = result.criteria["reads_strong"]
    for e in verdict.evidence:
        assert text[e.start : e.end] == e.text
    return verdict.score, verdict.passed, {e.label: e.text for e in verdict.evidence}, verdict.feedback


def test_a_story_reads_stronger_than_claims_about_the_same_night() -> None:
    story, story_passed, story_evidence, story_feedback = _reads_strong(STORY)
    claims, claims_passed, claims_evidence, claims_feedback = _reads_strong(CLAIMS)
    assert story > claims
    assert story_passed and not claims_passed
    # A pass shows what carries it; a fail what holds it back, with what to do instead.
    assert set(story_evidence) == {"strongest"}
    assert set(claims_evidence) == {"weakest"}
    assert story_evidence["strongest"][:40] in story_feedback
    assert claims_evidence["weakest"][:40] in claims_feedback
    assert "what you did" in claims_feedback


def test_a_committed_plan_reads_stronger_than_a_hedge() -> None:
    plan = (
        "My goal is interventional radiology, and I am applying to integrated IR programmes this "
        "cycle. I did a four-week IR elective at my home school, where I scrubbed into twenty "
        "cases, and I presented a case of a splenic artery embolisation at our regional meeting in "
        "March. I know the integrated spots are few, so I am applying to diagnostic radiology as "
        "well. If I match diagnostic radiology instead, I will apply for an independent IR "
        "residency through the ESIR pathway in my PGY-4 year, and I have already asked my IR "
        "mentor which programmes near my family offer ESIR and how their residents got in. Either "
        "way, the next six years end in the angio suite."
    )
    hedge = (
        "Honestly I would be happy either way. Diagnostic radiology is a great field too and I "
        "could see myself doing many things, maybe IR, maybe something else, I am open to "
        "anything really. I think whatever happens will be the right fit, and I will figure it out "
        "when I get there, because I just want to keep my options open for as long as I can and "
        "see what feels right down the road. There are so many good paths in radiology and in "
        "medicine in general that I do not want to box myself in too early. I am sure I will be "
        "happy wherever I end up, as long as I keep learning and working with good people."
    )
    strong, _, _, _ = _reads_strong(plan, "integrated-vs-dr")
    weak, passed, _, _ = _reads_strong(hedge, "integrated-vs-dr")
    assert strong > weak
    assert not passed


def test_an_answer_shorter_than_any_it_was_fitted_on_is_not_read() -> None:
    bank, rubrics = load_content()
    question = bank.get("calm-under-pressure")
    short = " ".join(STORY.split()[:70])
    result = score(question, rubrics.get(question.rubric), text=short)
    assert "reads_strong" not in result.criteria
    reason = next(u.reason for u in result.unscored if u.id == "reads_strong")
    assert str(quality_model().min_words) in reason


def test_batch_scoring_encodes_ahead_and_gives_what_one_by_one_gives() -> None:
    from interviewcoach.core.scoring.engine import ENCODE_AHEAD, score_many

    bank, rubrics = load_content()
    texts = [STORY, CLAIMS] * (ENCODE_AHEAD // 2 + 2)  # more answers than are encoded ahead
    ids = ["calm-under-pressure", "angio-suite-2am", "critical-feedback"]
    requests = []
    for k, text in enumerate(texts):
        question = bank.get(ids[k % len(ids)])
        requests.append((question, rubrics.get(question.rubric), text, k))
    batch = list(score_many(requests))
    assert [s.id for s in batch] == list(range(len(texts)))
    for (question, rubric, text, _), got in zip(requests, batch, strict=True):
        one = score(question, rubric, text=text)
        assert got.overall == one.overall
        assert got.criteria == one.criteria
        assert "reads_strong" in got.criteria


def test_an_answer_reads_no_better_for_being_given_to_another_question() -> None:
    # A first model also read the answer's nearness to the question; it had learnt that answers
    # echoing the question rank low, so the same answer read better given to another question.
    calm, _, _, _ = _reads_strong(STORY, "calm-under-pressure")
    other, _, _, _ = _reads_strong(STORY, "critical-feedback")  # the same rubric, another question
    assert calm == other
