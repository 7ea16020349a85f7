"""The shipped question bank and rubrics: they load, cover the issue's categories and ids, and are usable."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.models import CATEGORY_TITLES, Category
from interviewcoach.core.scoring.engine import score
from interviewcoach.core.scoring.rubrics import RubricSet

REQUIRED_IDS = [
    "low-score",
    "failed-attempt",
    "angio-suite-2am",
    "dual-apply",
    "why-ir",
    "critical-feedback",
    "greatest-weakness",
    "biggest-mistake",
    "cv-gap",
    "tell-me-about-yourself",
]
FIXED_TEXTS = {
    "low-score": "Walk me through your board scores. Your Step 1 / Step 2 CK is below our usual range.",
    "failed-attempt": "I see an unsuccessful attempt on Step 1. What happened?",
}
SETBACK_CRITERIA = {"brevity", "non_defensive_tone", "improvement_evidence", "pivot_to_strengths"}
DELIVERY = {"pace", "fillers", "pauses"}

# The placeholders each generic detector fills, per advice key; a typo such as {qoute} would print
# literally in every report, so the files may use only these.
PLACEHOLDERS: dict[str, dict[str, set[str]]] = {
    "brevity": {
        "pass": {"measure", "min", "max", "words", "seconds"},
        "too_short": {"measure", "min", "max", "words", "seconds"},
        "too_long": {"measure", "min", "max", "words", "seconds", "cut"},
    },
    "keywords": {k: {"found", "missing", "quote", "count"} for k in ("pass", "partial", "fail")},
    "avoid": {k: {"quote", "count"} for k in ("pass", "fail")},
    "own_actions": {k: {"quote", "count", "others", "others_quote"} for k in ("pass", "partial", "fail")},
    "specific_example": {
        k: {"quote", "vague", "count", "kinds", "found", "missing"} for k in ("pass", "vague", "fail")
    },
    "pace": {k: {"wpm", "low", "high"} for k in ("pass", "too_slow", "too_fast")},
    "fillers": {k: {"count", "percent", "words"} for k in ("pass", "fair", "fail")},
    "pauses": {k: {"count", "longest"} for k in ("pass", "fail")},
    "goal": {k: {"quote"} for k in ("pass", "partial", "named", "fail")},
    "project": {k: {"quote"} for k in ("pass", "partial", "fail")},
    "forward": {k: {"quote"} for k in ("pass", "into_ir", "fail")},
}
REQUIRED_ADVICE = {
    "brevity": {"pass", "too_long", "too_short"},
    "keywords": {"pass", "fail"},
    "avoid": {"pass", "fail"},
    "own_actions": {"pass", "fail"},
    "specific_example": {"pass", "fail"},
    "pace": {"pass", "too_slow", "too_fast"},
    "fillers": {"pass", "fair", "fail"},
    "pauses": {"pass", "fail"},
    "goal": {"pass", "partial", "fail"},
    "project": {"pass", "partial", "fail"},
    "forward": {"pass", "fail"},
}


def test_bank_is_big_enough_and_covers_every_category(bank: QuestionBank) -> None:
    assert len(bank) >= 24
    categories = set(bank.categories())
    assert categories == set(get_args(Category)) == set(CATEGORY_TITLES)
    for category in categories:
        assert len(bank.by_category(category)) >= 3, category


@pytest.mark.parametrize("question_id", REQUIRED_IDS)
def test_required_question_exists(bank: QuestionBank, question_id: str) -> None:
    assert question_id in bank


@pytest.mark.parametrize(("question_id", "text"), sorted(FIXED_TEXTS.items()))
def test_fixed_texts_are_exact(bank: QuestionBank, question_id: str, text: str) -> None:
    question = bank.get(question_id)
    assert question.text == text
    assert question.target_seconds == (30, 85)
    assert question.rubric == "setback"


def test_required_questions_say_what_the_issue_says(bank: QuestionBank) -> None:
    assert "angio suite at 2 am" in bank.get("angio-suite-2am").text
    assert bank.get("dual-apply").text == "If you match DR but not IR, what is your long-term plan?"
    assert bank.get("biggest-mistake").rubric == "setback"
    assert bank.get("cv-gap").rubric == "setback"
    assert bank.get("why-ir").category == "motivation"
    assert bank.get("critical-feedback").category == "behavioural"
    assert {"biggest-mistake", "cv-gap", "greatest-weakness", "tell-me-about-yourself"} <= {
        q.id for q in bank.by_category("general")
    }


@pytest.mark.parametrize(
    ("category", "words"),
    [
        ("behavioural", ["critical feedback", "calm under pressure", "surgery, the ICU", "IR suite"]),
        ("pathway", ["DR but not IR", "ESIR", "independent IR"]),
        ("motivation", ["Why interventional radiology", "What kind of IR work"]),
    ],
)
def test_categories_ask_what_the_seed_covers(bank: QuestionBank, category: str, words: list[str]) -> None:
    texts = " | ".join(q.text for q in bank.by_category(category))
    for word in words:
        assert word in texts, f"no {category} question mentions {word!r}"


def test_every_question_is_complete(bank: QuestionBank, rubrics: RubricSet) -> None:
    for q in bank:
        assert q.rubric in rubrics, q.id
        assert 2 <= len(q.tips) <= 4, f"{q.id}: {len(q.tips)} tips"
        assert 2 <= len(q.follow_ups) <= 4, f"{q.id}: {len(q.follow_ups)} follow-ups"
        assert all(f.endswith(("?", ".")) for f in q.follow_ups), q.id
        low, high = q.target_seconds
        assert 30 <= low < high <= 120, q.id


def test_question_texts_are_unique(bank: QuestionBank) -> None:
    texts = [q.text for q in bank]
    assert len(texts) == len(set(texts))


def test_every_category_rubric_exists(bank: QuestionBank, rubrics: RubricSet) -> None:
    for rubric_id in ("setback", "fit", "pathway", "motivation", "behavioural", "research", "general"):
        assert rubric_id in rubrics
    assert {q.rubric for q in bank} <= set(rubrics.ids())


def test_setback_rubric_has_the_eval_criteria(rubrics: RubricSet) -> None:
    ids = {c.id for c in rubrics.get("setback").criteria}
    # These exact ids appear in the JSON and in the labelled evaluation set.
    assert ids - DELIVERY >= SETBACK_CRITERIA
    # ...and the story reading's criteria, judged on every rubric.
    assert {"on_topic", "own_role", "result", "shown"} <= ids


@pytest.mark.parametrize("rubric_id", ["fit", "pathway", "motivation", "behavioural", "research", "general"])
def test_rubric_has_brevity_and_delivery(rubrics: RubricSet, rubric_id: str) -> None:
    rubric = rubrics.get(rubric_id)
    by_id = {c.id: c for c in rubric.criteria}
    assert by_id["brevity"].detector == "brevity"
    for cid in DELIVERY:
        assert by_id[cid].detector == cid and by_id[cid].delivery, cid
    content = [c for c in rubric.criteria if c.id != "brevity" and not c.delivery]
    assert len(content) >= 3
    assert not any(c.delivery for c in content)


def test_advice_keys_and_placeholders(rubrics: RubricSet) -> None:
    for rubric in rubrics:
        for c in rubric.criteria:
            where = f"{rubric.id}.{c.id}"
            if c.detector not in PLACEHOLDERS:
                continue  # the setback rubric's own detectors document their own keys
            assert REQUIRED_ADVICE[c.detector] <= set(c.advice), where
            for key, template in c.advice.items():
                allowed = PLACEHOLDERS[c.detector].get(key)
                assert allowed is not None, f"{where}: advice key {key!r} is never used"
                used = set(re.findall(r"\{([a-z_]+)\}", template))
                assert used <= allowed, f"{where}.{key}: unknown {used - allowed}"


def test_content_advice_names_what_the_answer_did(rubrics: RubricSet) -> None:
    for rubric in rubrics:
        for c in rubric.criteria:
            if c.delivery or c.detector not in PLACEHOLDERS:
                continue
            assert any("{" in text for text in c.advice.values()), f"{rubric.id}.{c.id}"


def test_every_question_scores_a_plain_answer(bank: QuestionBank, rubrics: RubricSet) -> None:
    # Compiles every phrase and token pattern of every rubric against the real spaCy pipeline.
    answer = (
        "On my IR elective last spring I followed a patient with a GI bleed into the angio suite. "
        "I learned how calm the team stayed, and my long-term goal is to be an interventional radiologist."
    )
    for q in bank:
        rubric = rubrics.get(q.rubric)
        result = score(q, rubric, text=answer)
        assert not result.no_answer
        assert 0 <= result.overall <= 100
        assert set(result.criteria) | {u.id for u in result.unscored} == {c.id for c in rubric.criteria}
        for outcome in result.criteria.values():
            assert "{" not in outcome.feedback or "}" not in outcome.feedback, outcome.feedback
            for ev in outcome.evidence:
                assert answer[ev.start : ev.end] == ev.text
