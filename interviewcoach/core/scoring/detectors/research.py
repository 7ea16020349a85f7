"""The research project said clearly: what was studied, in one clause, with its content named.

A coach asks for "the project in one sentence": the kind of work and what it asked or measured. That
is read from the grammar rather than from phrases: a research frame (a study noun such as "a
retrospective review of ...", "the question was whether ...", or a study verb such as "I looked at",
"we compared") whose own phrase holds the content: an open question ("whether feeding-artery
diameter predicted recanalisation"), or concrete things (a number of patients, a named procedure or
device, a time span). "My research focuses on improving outcomes" has a frame with nothing in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from interviewcoach.core.models import CriterionResult
from interviewcoach.core.scoring.detectors import Context, DetectorParams, detector
from interviewcoach.core.scoring.detectors.content import quote
from interviewcoach.core.scoring.story import CONCRETE_AT, IR_TERMS, concreteness

if TYPE_CHECKING:
    from spacy.tokens import Token

# Nouns naming a piece of research work, and verbs of studying something.
STUDY_NOUNS = {
    "project", "study", "review", "series", "trial", "registry", "database", "audit", "analysis",
    "survey", "cohort", "poster", "abstract", "paper", "manuscript", "thesis", "pilot", "qi",
    "meta-analysis", "question", "hypothesis",
}  # fmt: skip
STUDY_VERBS = {
    "study", "examine", "compare", "measure", "review", "test", "evaluate", "assess", "analyse",
    "analyze", "investigate", "quantify", "track", "predict", "characterize", "characterise",
    "randomize", "randomise",
}  # fmt: skip
# "look at", "look into": a study verb only with its preposition.
LOOK_PREPS = {"at", "into"}
QUESTION_WORDS = {"whether", "if", "how", "which", "what", "why", "when"}
# Entity types that make content concrete: counts, amounts, dates and spans.
CONCRETE_ENTS = {"CARDINAL", "QUANTITY", "PERCENT", "DATE", "ORDINAL"}


# What a frame's content hangs on: a verb's object, preposition or clause; a noun's preposition or
# apposition ("a review of 41 patients"), not a relative clause about it ("questions that matter").
_VERB_CONTENT = {"dobj", "prep", "ccomp", "pcomp", "xcomp", "prt", "npadvmod", "obj"}
_NOUN_CONTENT = {"prep", "acl", "appos"}
_ASKING = {"mark", "advmod", "nsubj", "dobj", "det"}
_COPULA_SIDE = {"attr", "acomp", "ccomp", "prep", "xcomp"}


class ProjectParams(DetectorParams):
    # How many concrete items a frame's phrase needs when it asks no open question.
    min_concrete: int = Field(default=2, ge=1, le=10)


def _frame(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ in ("NOUN", "PROPN") and (lemma in STUDY_NOUNS or token.lower_ in STUDY_NOUNS):
        return True
    if token.pos_ == "VERB" and lemma in STUDY_VERBS:
        return True
    return (
        token.pos_ == "VERB"
        and lemma == "look"
        and any(ch.dep_ in ("prep", "prt") and ch.lower_ in LOOK_PREPS for ch in token.children)
    )


def _content(frame: Token) -> list[Token]:
    """What the frame is about: its phrase after the frame word (its object, preposition, clause).

    For a copula ("the question was whether ...", "the question became: how many ...") the other
    side of "be" or "become" is the content.
    """
    if frame.dep_ == "nsubj" and frame.head.lemma_.lower() in ("be", "become"):
        verb = frame.head
        return [t for ch in verb.children if ch.i > frame.i and ch.dep_ in _COPULA_SIDE for t in ch.subtree]
    deps = _VERB_CONTENT if frame.pos_ == "VERB" else _NOUN_CONTENT
    return [t for ch in frame.children if ch.i > frame.i and ch.dep_ in deps for t in ch.subtree]


def _asks(words: list[Token]) -> bool:
    """An open question inside the phrase: "whether X predicted Y", "how often it clotted"."""
    return any(t.lower_ in QUESTION_WORDS and t.dep_ in _ASKING and t.head.pos_ != "NOUN" for t in words)


def _specified_noun(noun: Token) -> bool:
    return any(ch.dep_ in ("compound", "amod", "nummod") for ch in noun.children)


def _concrete_item(t: Token) -> bool:
    if t.like_num or t.ent_type_ in CONCRETE_ENTS or t.pos_ == "PROPN":
        return True
    # A named IR procedure or device ("after uterine fibroid embolization") is what was studied,
    # though the concreteness norms, rated by the general public, leave most of them out.
    if t.pos_ == "NOUN" and (t.lower_ in IR_TERMS or t.lemma_.lower() in IR_TERMS):
        return True
    return t.pos_ == "NOUN" and concreteness(t) >= CONCRETE_AT and _specified_noun(t)


def _concrete(words: list[Token]) -> list[Token]:
    # A bare population ("patients", "physicians") is in every research answer; a concrete noun
    # counts when it is itself specified ("dialysis catheters", "fin regeneration").
    return [t for t in words if _concrete_item(t)]


@detector("project", ProjectParams)
def project(params: ProjectParams, ctx: Context) -> CriterionResult:
    """The project named clearly: a study frame whose phrase asks a question or names concrete things.

    Advice keys: pass, partial (a study named with nothing concrete in it; falls back to fail), fail.
    Placeholders: {quote} (the frame's phrase).
    """
    text = ctx.analysis.text
    best: tuple[float, int, int] | None = None
    for token in ctx.analysis.doc:
        if not _frame(token):
            continue
        words = _content(token)
        strength = 1.0 if _asks(words) else min(1.0, len(_concrete(words)) / params.min_concrete)
        phrase = [token, *words]
        start = min(t.idx for t in phrase)
        end = (
            max(t.idx + len(t.text) for t in phrase if not t.is_punct)
            if len(phrase) > 1
            else token.idx + len(token.text)
        )
        if best is None or strength > best[0]:
            best = (strength, start, end)
    if best is None:
        return CriterionResult(
            score=0.0, passed=False, feedback=ctx.advice("fail", quote="nothing"), evidence=[]
        )
    strength, start, end = best
    evidence = [ctx.evidence("project", start, end)]
    values = {"quote": quote([text[start:end]])}
    if strength >= 1.0:
        return CriterionResult(
            score=1.0, passed=True, feedback=ctx.advice("pass", **values), evidence=evidence
        )
    return CriterionResult(
        score=round(0.3 + 0.4 * strength, 2),
        passed=False,
        feedback=ctx.advice("partial", **values),
        evidence=evidence,
    )
