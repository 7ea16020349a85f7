"""Where the speaker is heading: a goal stated in their own voice ("my long-term goal is IR", "IR is
what I want"), and a close that moves from the story to now and next.

A goal statement is read from the grammar, not from a list of set phrases: a clause whose subject is
the speaker and whose verb wants or intends (want, plan, intend, hope, "I'd love to"), a goal noun
that is theirs ("my goal", "my long-term plan"), a commitment said of themselves ("I am committed
to"), a future they put themselves in ("I will be", "I'm going to be", "I see myself"), a purpose
("I'm applying to become"), or a plan to enter the field's training ("If I match DR, I'll apply for
ESIR"). Only an affirmed statement counts ("I don't want to do IR" is none), and
the goal must be the target (interventional radiology) within the statement itself: "If I don't get
IR I will just do radiology" states no IR goal though it names IR.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from interviewcoach.core.models import CriterionResult, Unscored
from interviewcoach.core.scoring.detectors import Context, DetectorParams, detector
from interviewcoach.core.scoring.detectors.content import LABEL_PATTERN, not_asked, quote, region_bounds
from interviewcoach.core.scoring.patterns import PatternSet, find
from interviewcoach.core.scoring.story import Clause, Span_, past_perfect, read, says_that

if TYPE_CHECKING:
    from spacy.tokens import Token

# Verbs of wanting and intending (the speaker's volition); "like" and "love" only as "I'd like to".
VOLITION = {"want", "plan", "intend", "aim", "hope", "wish", "strive", "mean", "dream"}
WOULD_VOLITION = {"like", "love"}
# Nouns naming a goal; they state one when they are the speaker's ("my goal") or long-range.
GOAL_NOUNS = {"goal", "plan", "aim", "ambition", "dream", "future", "intention", "aspiration", "career"}
LONG_RANGE = {"long-term", "long", "ultimate", "end", "career", "final"}
# Adjectives of commitment said of oneself ("I am committed to IR").
COMMITTED = {"committed", "determined", "dedicated", "set"}
# What a future or a purpose puts the speaker in: a role, a practice, a career.
CAREER_VERBS = {"be", "become", "practise", "practice", "do", "pursue", "work", "train", "end", "spend"}
# Seeing oneself somewhere ("I see myself in IR").
PICTURE_VERBS = {"see", "picture", "envision", "imagine"}
# Entering training for a field: a plan to apply for IR training states the goal of IR by what it
# commits to ("If I match DR, I'll apply for ESIR"), as a want does by saying so.
ENTRY_VERBS = {"apply", "reapply", "pursue", "enter"}
_PLAN_MODALS = {"will", "would", "'ll", "'d", "shall"}


class GoalParams(DetectorParams):
    """`target` is what the goal must be (the field's names); `label` names the goal's evidence."""

    target: PatternSet
    label: str = Field(default="goal", pattern=LABEL_PATTERN)
    target_label: str = Field(default="ir", pattern=LABEL_PATTERN)
    # Judged only when the question names one of these: where it puts the goal in doubt (DR, the
    # match, another route). "Where do you see yourself in IR ten years from now?" takes the goal
    # as given, and an answer need not say it again.
    asked: PatternSet | None = None


def _negated(token: Token) -> bool:
    return any(ch.dep_ == "neg" for ch in token.children)


def _speaker_subject(token: Token) -> bool:
    """The speaker is the subject of `token`'s clause (or of the clause it completes)."""
    for verb in (token, token.head):
        if any(ch.dep_ in ("nsubj", "nsubjpass") and ch.lower_ == "i" for ch in verb.children):
            return True
    return False


def _future(verb: Token) -> bool:
    """ "I will be", "I'll do", "I'm going to be": the speaker's future, not a conditional."""
    if any(ch.dep_ == "aux" and ch.lemma_.lower() == "will" for ch in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_.lower() == "go" and head.tag_ == "VBG"


def _purpose(verb: Token) -> bool:
    """ "I'm applying to become ...": an infinitive of purpose or aim, not "whether to do IR"."""
    return (
        any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in verb.children)
        and verb.dep_ in ("xcomp", "advcl")
        and not any(ch.dep_ == "mark" or ch.tag_ in ("WDT", "WRB", "IN") for ch in verb.children)
    )


# What a role, practice or field hangs on: "be an IR", "do IR", "work in IR", "end up in IR".
_ABOUT = ("dobj", "attr", "oprd", "prep", "dative", "prt")


def _names_what(verb: Token) -> bool:
    """A career verb's future or purpose says what it is about: "to be an interventional radiologist",
    "do IR", "work in IR". "To be honest" (be and an adjective alone) says how the speaker speaks,
    and "I will do fine" (do with no object) how they will fare: neither is a goal."""
    # The parser may take "fine" in "do fine" for an object: an object is a noun or a pronoun.
    kinds = {ch.dep_ for ch in verb.children if ch.dep_ != "dobj" or ch.pos_ in ("NOUN", "PROPN", "PRON")}
    if verb.lemma_.lower() == "do":
        return "dobj" in kinds
    return bool(kinds.intersection(_ABOUT))


def _trigger(token: Token) -> bool:
    """Whether `token` states a goal of the speaker's."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB" and lemma in VOLITION:
        return _speaker_subject(token)
    if token.pos_ == "VERB" and lemma in WOULD_VOLITION:
        would = any(ch.dep_ == "aux" and ch.lower_ in ("would", "'d") for ch in token.children)
        return would and _speaker_subject(token)
    if token.pos_ == "NOUN" and lemma in GOAL_NOUNS:
        mine = any(ch.dep_ == "poss" and ch.lower_ == "my" for ch in token.children)
        long_range = any(ch.dep_ in ("amod", "compound") and ch.lower_ in LONG_RANGE for ch in token.children)
        return mine or long_range
    if token.lower_ in COMMITTED:
        return _speaker_subject(token)
    if token.pos_ in ("VERB", "AUX") and lemma in PICTURE_VERBS:
        # The parser may hang "myself" lower down ("I see myself long term"), so its subtree is read.
        return _speaker_subject(token) and any(t.lower_ == "myself" for t in token.subtree)
    if token.pos_ == "VERB" and lemma in ENTRY_VERBS and _names_what(token):
        planned = _future(token) or any(
            ch.dep_ == "aux" and ch.lower_ in _PLAN_MODALS for ch in token.children
        )
        return planned and _speaker_subject(token)
    if token.pos_ in ("VERB", "AUX") and lemma in CAREER_VERBS and _names_what(token):
        if _future(token):
            return _speaker_subject(token) or _speaker_subject(token.head)
        if _purpose(token):
            governor = token.head
            return _speaker_subject(governor) and not _negated(governor)
    return False


_COPULA_SIDES = ("attr", "nsubj", "csubj", "ccomp", "acomp", "advcl")
_CLAUSES = ("advcl", "ccomp", "parataxis")


def _scope(token: Token) -> tuple[int, int]:
    """The characters the statement covers: its clause, or the copula's when it is one side of
    "IR is what I want" / "my goal is IR" / "IR is where I see myself"."""
    node = token
    # From an infinitive or a clause it governs up to the stating verb ("want" in "I want to become").
    if node.dep_ in ("xcomp", "ccomp") and node.head.lemma_.lower() in VOLITION | WOULD_VOLITION:
        node = node.head
    copula = node.head.lemma_.lower() == "be" and node.dep_ in _COPULA_SIDES
    if copula:
        node = node.head
    # A clause joined on ("..., and I have already spent a year in IR") is another statement.
    # So is a clause said before a verb's statement ("I believe a great IR is ..., so I want to ...").
    joined = {
        t.i
        for ch in node.children
        if ch.dep_ in ("conj", "cc") or (not copula and ch.i < node.i and ch.dep_ in _CLAUSES)
        for t in ch.subtree
    }
    parts = [t for t in node.subtree if t.i not in joined]
    kept = {t.i for t in parts}
    # The unbroken stretch around the stating word, without edge punctuation or spaces.
    first = last = node.i
    while first - 1 in kept:
        first -= 1
    while last + 1 in kept:
        last += 1
    doc = node.doc
    words = [t for t in doc[first : last + 1] if not (t.is_punct or t.is_space)] or [node]
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _in_question(token: Token, top: Token) -> bool:
    """ "think about whether IR is right": the target inside an open question is no goal."""
    for node in [token, *token.ancestors]:
        if node.i == top.i:
            return False
        if any(ch.dep_ == "mark" and ch.lower_ in ("whether", "if") for ch in node.children):
            return True
    return False


def _statements(ctx: Context) -> list[tuple[Token, tuple[int, int]]]:
    out = []
    for token in ctx.analysis.doc:
        if not _trigger(token) or _negated(token):
            continue
        span = _scope(token)
        # "My goal is not IR": the copula carrying the statement is negated.
        if token.head.lemma_.lower() == "be" and _negated(token.head) and token.head.idx >= span[0]:
            continue
        out.append((token, span))
    return out


@detector("goal", GoalParams)
def goal(params: GoalParams, ctx: Context) -> CriterionResult | Unscored:
    """A goal said plainly in the speaker's voice, whose object is the target.

    Advice keys: pass, partial (a goal not of the target; falls back to fail), named (the target
    named with no goal stated; falls back to partial), fail. Placeholders: {quote} (the statement,
    or the sentence that first names the target).
    """
    unasked = not_asked(params.asked, ctx)
    if unasked is not None:
        return unasked
    targets = find(params.target, ctx.analysis.doc)
    statements = _statements(ctx)
    text = ctx.analysis.text
    doc = ctx.analysis.doc
    stated = [
        (start, end)
        for trigger, (start, end) in statements
        if any(
            start <= m.start and m.end <= end and not _in_question(doc[m.token_start], trigger.head)
            for m in targets
        )
    ]
    if stated:
        start, end = stated[0]
        evidence = [ctx.evidence(params.label, start, end)]
        evidence += [
            ctx.evidence(params.target_label, m.start, m.end)
            for m in targets
            if start <= m.start and m.end <= end
        ]
        evidence.sort(key=lambda e: e.start)
        return CriterionResult(
            score=1.0,
            passed=True,
            feedback=ctx.advice("pass", quote=quote([text[start:end]])),
            evidence=evidence,
        )
    if statements:
        found = [text[s:e] for _, (s, e) in statements]
        evidence = [ctx.evidence(params.label, s, e) for _, (s, e) in statements]
        return CriterionResult(
            score=0.5, passed=False, feedback=ctx.advice("partial", quote=quote(found)), evidence=evidence
        )
    if targets:
        # The target named with no goal stated: the sentence that names it says more than the name.
        sentence = doc[targets[0].token_start].sent
        evidence = [ctx.evidence(params.target_label, m.start, m.end) for m in targets]
        key = "named" if "named" in ctx.criterion.advice else "partial"
        return CriterionResult(
            score=0.5,
            passed=False,
            feedback=ctx.advice(key, quote=quote([sentence.text])),
            evidence=evidence,
        )
    return CriterionResult(score=0.0, passed=False, feedback=ctx.advice("fail", quote="nothing"), evidence=[])


class ForwardParams(DetectorParams):
    # The closing share of the answer (by words) where the close is looked for.
    closing_share: float = Field(default=0.3, gt=0, le=1)


# Forward in tense: what the speaker will do or would do, or a line that runs up to now.
_FORWARD_TENSES = ("future", "modal", "perfect")
# Of the modals, those of intent; "could" and "might" in a story are what was possible then.
_INTENT_MODALS = {"will", "would", "shall", "'d", "'ll"}


def _forward_tense(verb: Token) -> bool:
    if past_perfect(verb):
        return False
    modals = [ch for ch in verb.children if ch.dep_ == "aux" and ch.tag_ == "MD"]
    return not modals or any(m.lower_ in _INTENT_MODALS or m.lemma_.lower() in _INTENT_MODALS for m in modals)


# Said of oneself before what comes next: "I'm excited to bring", "I look forward to".
EAGER = {"excited", "eager", "keen", "ready", "thrilled"}


def _eager(verb: Token) -> bool:
    if verb.lemma_.lower() == "look" and any(ch.lower_ == "forward" for ch in verb.children):
        return True
    return any(ch.dep_ == "acomp" and ch.lower_ in EAGER for ch in verb.children)


def _embedded_question(verb: Token) -> bool:
    """ "how far I've come": a clause that is the content of a question names no step."""
    return verb.dep_ in ("ccomp", "pcomp", "advcl", "xcomp", "csubj") and any(
        t.tag_ in ("WRB", "WP") for t in verb.lefts for t in t.subtree
    )


def _in_ir(clause: Clause, ir_terms: list[Span_]) -> bool:
    """The clause's sentence sets it in IR work: an IR procedure, device or setting ("my IR
    elective", "the IR suite"), not IR named as a field."""
    sentence = clause.head.sent
    return any(sentence.start_char <= s.start < sentence.end_char for s in ir_terms)


@detector("forward", ForwardParams)
def forward(params: ForwardParams, ctx: Context) -> CriterionResult:
    """The close moves from the story to now and next, in the speaker's voice.

    Read from tense and agency, not from words like "future" or "contribute": in the closing share a
    clause of the speaker's that is future or modal ("I'd bring", "I will"), wants or intends ("I
    want a program where ..."), or runs up to now in the present perfect ("I've since done two IR
    electives"), not negated. So does a close that carries the story into IR by something the
    speaker did there ("that came in useful on my IR elective, where I flushed every drain on the
    morning round"): the thread from the background to IR the rubric asks for, and what they have
    done since, told in the past as it happened. A close that stays in the past with no act of the
    speaker's in IR ("that came in useful on my elective") or in generic present claims does not.
    Advice keys: pass, into_ir (the close is only an act in IR; falls back to pass), fail.
    Placeholders: {quote}.
    """
    lo, _ = region_bounds(ctx, "closing", params.closing_share)
    # The close is at least the last sentence, however short the answer.
    sentences = ctx.analysis.sentences
    if sentences:
        lo = min(lo, sentences[-1].start_char)
    reading = read(ctx.analysis)
    close = [c for c in reading.clauses if c.end > lo and c.person in ("i", "we") and not c.negated]
    ahead = [
        c
        for c in close
        if not _embedded_question(c.head)
        and ((c.tense in _FORWARD_TENSES and _forward_tense(c.head)) or _trigger(c.head) or _eager(c.head))
    ]
    into_ir = [
        c
        for c in close
        if c not in ahead
        and c in reading.own_actions
        # "I told myself a bleed could be stopped with a catheter": what was said, not done in IR.
        and not says_that(c.head)
        and _in_ir(c, reading.ir_terms)
    ]
    found = sorted(ahead + into_ir, key=lambda c: c.start)
    evidence = [ctx.evidence("forward", *reading.clause_span(c)) for c in found]
    values = {"quote": quote([reading.clause_text(c) for c in found], limit=2) or "nothing"}
    if found:
        # A close that only carries the story into IR is told in the past: "looking forward" would
        # misname it.
        key = "into_ir" if not ahead and "into_ir" in ctx.criterion.advice else "pass"
        return CriterionResult(score=1.0, passed=True, feedback=ctx.advice(key, **values), evidence=evidence)
    return CriterionResult(score=0.0, passed=False, feedback=ctx.advice("fail", **values), evidence=[])
