"""The interviewer's follow-up after an answer in a mock: one question chosen from what the answer lacked.

Plain Python (no textual). The failed criteria name what is missing: blame or defensiveness ->
what would you do differently; nothing specific -> one specific time; a story told but the
speaker's part vague -> what exactly you did; no result or improvement -> what happened; a missing
reflection -> what you learned (in that order when several are missing).
The question's own follow-ups from the bank are preferred when one asks for that (matched by its
words); otherwise a plain question of that kind is asked. An answer with nothing failed gets the
bank's first follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

# The follow-up question itself is the core's (a saved follow-up is rescored without the app).
from interviewcoach.core.content.questions import follow_up_question as follow_up_question

if TYPE_CHECKING:
    from interviewcoach.core.models import Question, Score
    from interviewcoach.core.session import Rubric


@dataclass(frozen=True)
class Intent:
    """What the follow-up asks for: the words that show a bank follow-up asks it, and a fallback."""

    name: str
    words: tuple[str, ...]
    fallback: str


HAPPENED = Intent(
    "happened",
    ("happen", "result", "outcome", "patient", "change", "confident", "know", "show"),
    "What happened in the end, and how do you know it worked?",
)
DIFFERENTLY = Intent(
    "differently", ("differently", "again", "learn", "change"), "What would you do differently next time?"
)
SPECIFIC = Intent(
    "specific", ("specific", "time", "example", "one", "case"), "Tell me about one specific time."
)
# After a story whose own part is vague, "Tell me about one specific time" asks again for what was
# given; an interviewer asks for the part instead.
ROLE = Intent(
    "role",
    ("did you do", "you yourself", "your role", "your part", "you personally"),
    "What exactly did you do yourself?",
)
REFLECT = Intent("reflect", ("learn", "learned", "take away", "differently"), "What did you learn from it?")

# Criterion ids (of the shipped rubrics) and detectors that say what is missing, checked id first.
_BY_CRITERION: dict[str, Intent] = {
    "non_defensive_tone": DIFFERENTLY,
    "ownership": DIFFERENTLY,
    "coachability": DIFFERENTLY,
    "specific": SPECIFIC,
    "situation": SPECIFIC,
    "action": SPECIFIC,
    "clinical_example": SPECIFIC,
    "specific_experience": SPECIFIC,
    "not_generic": SPECIFIC,
    "own_role": ROLE,
    "project": SPECIFIC,
    "names_weakness": SPECIFIC,
    "not_cliche": SPECIFIC,
    "result": HAPPENED,
    "improvement_evidence": HAPPENED,
    "output": HAPPENED,
    "progress": HAPPENED,
    "concrete_steps": HAPPENED,
    "reflection": REFLECT,
}
_BY_DETECTOR: dict[str, Intent] = {
    # The story reading's detectors (every shipped rubric uses them).
    "tone": DIFFERENTLY,
    "story": SPECIFIC,
    "own_role": ROLE,
    "shown_not_claimed": SPECIFIC,
    "on_topic": SPECIFIC,
    "outcome": HAPPENED,
    "lesson": REFLECT,
    "setback_improvement": HAPPENED,
    "setback_tone": DIFFERENTLY,
    "avoid": DIFFERENTLY,
    "specific_example": SPECIFIC,
    "own_actions": ROLE,
}
# When several things are missing, what an interviewer asks first: blame before vagueness (no story
# before a vague part in one) before a missing outcome before a missing lesson.
PRIORITY = (DIFFERENTLY, SPECIFIC, ROLE, HAPPENED, REFLECT)


def intent_for(score: Score, rubric: Rubric | None) -> Intent | None:
    """What the failed criteria call for, the most pressing first (see PRIORITY)."""
    detectors = {c.id: c.detector for c in rubric.criteria} if rubric is not None else {}
    wanted = set()
    for cid, result in score.criteria.items():
        if not result.passed:
            intent = _BY_CRITERION.get(cid) or _BY_DETECTOR.get(detectors.get(cid, ""))
            if intent is not None:
                wanted.add(intent.name)
    return next((intent for intent in PRIORITY if intent.name in wanted), None)


def choose(question: Question, score: Score, rubric: Rubric | None) -> str | None:
    """The follow-up to ask after this answer, or None when there is nothing to follow up."""
    if score.no_answer:
        return None
    intent = intent_for(score, rubric)
    if intent is None:
        return question.follow_ups[0] if question.follow_ups else None
    best, hits = None, 0
    for text in question.follow_ups:
        lowered = text.lower()
        count = sum(1 for word in intent.words if word in lowered)
        if count > hits:
            best, hits = text, count
    return best or intent.fallback
