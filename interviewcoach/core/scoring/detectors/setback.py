"""Detectors for the setback rubric (low score, failed attempt): brevity, tone, improvement, pivot.

The seed's advice for a red-flag question is: state the fact, give at most a sentence or two of cause
without blaming anyone, name the concrete changes and an objective result, then pivot to strengths.
Each detector reads the story in that order from the parse. Every word list, phrase, token pattern,
clause rule, threshold and advice text comes from the rubric file; this module holds only the logic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from interviewcoach.core.models import CriterionResult, Evidence
from interviewcoach.core.scoring.analysis import NEG_RAISERS, NEGATORS, has_negation, is_negated, question_doc
from interviewcoach.core.scoring.detectors import Context, DetectorParams, detector
from interviewcoach.core.scoring.patterns import PatternSet, find, find_each
from interviewcoach.core.scoring.story import (
    FAILURE_VERBS,
    LIGHT_VERBS,
    VAGUE_ROLE,
    Clause,
    changed_practice,
    read,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from interviewcoach.core.scoring.analysis import Analysis

LABEL = r"^[a-z][a-z0-9_]{0,40}$"
Negation = Literal["any", "negated", "affirmed"]


# --- rule models -------------------------------------------------------------------------------


class Cue(DetectorParams):
    """Phrases and token patterns that signal one thing, optionally only when (not) negated."""

    label: str = Field(pattern=LABEL)
    match: PatternSet
    # "affirmed": "I took NBMEs" counts but "I never took an NBME" does not; "negated": the reverse.
    negation: Negation = "any"


class ClauseRule(DetectorParams):
    """A clause found through the dependency parse rather than the surface words.

    A clause is a head word (a verb, or the "be" of "the form was bizarre") with its subject and
    complements. Each list is a set of lemmas; an empty list accepts anything. This catches "they
    just didn't prepare us", "our dedicated period was cut to four weeks" and "the curriculum was
    changed without warning" whatever words sit between the parts.
    """

    label: str = Field(pattern=LABEL)
    heads: list[str] = Field(default_factory=list, max_length=200)
    # Heads that never make the clause count ("the school offered me a tutor" is help, not blame).
    not_heads: list[str] = Field(default_factory=list, max_length=200)
    subjects: list[str] = Field(default_factory=list, max_length=200)
    not_subjects: list[str] = Field(default_factory=list, max_length=200)
    complements: list[str] = Field(default_factory=list, max_length=200)
    not_complements: list[str] = Field(default_factory=list, max_length=200)
    # Adverbs on the head: "our school only cares about COMLEX".
    modifiers: list[str] = Field(default_factory=list, max_length=50)
    # Subordinators that introduce the clause: "... because the school switched schedules".
    markers: list[str] = Field(default_factory=list, max_length=20)
    negated: bool | None = None
    passive: bool | None = None
    # A rhetorical question denies what it asks: "does one score really tell you who I am?"
    question_negates: bool = False
    # Whether the clause acts on the speaker or their things: "the proctor messed up my breaks",
    # "they took my money" (an object "me"/"us" or one owned with "my"/"our").
    on_speaker: bool | None = None
    # "present": an opinion held now ("Step 1 doesn't measure anything"), not a report of what
    # happened ("my practice tests didn't show how weak I was"); "past": the reverse.
    tense: Literal["any", "present", "past"] = "any"
    # Only in sentences an earlier criterion marked as the cause (see ToneParams.cause_labels):
    # "the attending let me close" is praise after the change but blame in the cause.
    in_cause: bool = False

    @model_validator(mode="after")
    def _lower(self) -> ClauseRule:
        for name in (
            "heads",
            "not_heads",
            "subjects",
            "not_subjects",
            "complements",
            "not_complements",
            "modifiers",
            "markers",
        ):
            object.__setattr__(self, name, [w.lower() for w in getattr(self, name)])
        if not (self.heads or self.subjects or self.complements):
            raise ValueError("a clause rule needs heads, subjects or complements")
        return self


@dataclass(frozen=True)
class Hit:
    """One signal found in the answer."""

    label: str
    start: int
    end: int
    text: str
    sentence: int


# --- matching helpers --------------------------------------------------------------------------

_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "expl"}
_COMPLEMENT_DEPS = {
    "dobj",
    "attr",
    "acomp",
    "oprd",
    "prt",
    "xcomp",
    "dative",
    "agent",
    "prep",
    "advmod",
    "npadvmod",
}


def _root(doc: Doc, start: int, end: int) -> Token:
    """The token of doc[start:end] whose head lies outside the span (the phrase's syntactic root)."""
    span = doc[start:end]
    return span.root


def _cue_hits(cues: Sequence[Cue], analysis: Analysis) -> list[Hit]:
    """Every hit of every cue, in order of the cues, with negation applied where a cue asks."""
    cues = [c for c in cues if c.match]
    if not cues:
        return []
    doc = analysis.doc
    hits: list[Hit] = []
    for cue, matches in zip(cues, find_each([c.match for c in cues], doc), strict=True):
        for m in matches:
            # "It has not happened again", "no further errors": a cue that spells its own negation
            # is read as written; only a negation around it denies it.
            spelled = any(t.lower_ in NEGATORS for t in doc[m.token_start : m.token_end])
            if cue.negation != "any" and not spelled:
                negated = is_negated(_root(doc, m.token_start, m.token_end))
                if negated != (cue.negation == "negated"):
                    continue
            hits.append(Hit(cue.label, m.start, m.end, m.text, analysis.sentence_index(m.start)))
    return hits


def _pattern_hits(label: str, patterns: PatternSet, analysis: Analysis) -> list[Hit]:
    """Every match of one bare pattern set, as hits labelled `label`."""
    return [
        Hit(label, m.start, m.end, m.text, analysis.sentence_index(m.start))
        for m in find(patterns, analysis.doc)
    ]


def _lemmas(tokens: Iterable[Token]) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        out.add(t.lemma_.lower())
        out.add(t.lower_)
    return out


def _subject_of(head: Token) -> list[Token]:
    subjects = [c for c in head.children if c.dep_ in _SUBJECT_DEPS]
    # "they cut our dedicated and changed the curriculum": the second verb shares the subject.
    if not subjects and head.dep_ in {"conj", "xcomp"} and head.head is not head:
        subjects = [c for c in head.head.children if c.dep_ in _SUBJECT_DEPS]
    return subjects


def _phrase(token: Token, limit: int = 8) -> list[Token]:
    tokens = list(token.subtree)
    if len(tokens) > limit:
        # Long subtrees (relative clauses) say little about what the subject is: keep its core.
        tokens = [
            token,
            *(c for c in token.children if c.dep_ in {"compound", "amod", "poss", "det", "prep"}),
        ]
        for c in list(tokens):
            if c.dep_ == "prep":
                tokens.extend(g for g in c.children if g.dep_ == "pobj")
    return tokens


def _complements(head: Token) -> list[Token]:
    out: list[Token] = []
    for child in head.children:
        if child.dep_ not in _COMPLEMENT_DEPS:
            continue
        out.append(child)
        for grand in child.children:
            if grand.dep_ in {"pobj", "pcomp", "compound", "amod", "dobj", "prep", "acomp", "attr"}:
                out.append(grand)
                out.extend(g for g in grand.children if g.dep_ in {"pobj", "compound", "amod"})
    return out


_SPEAKER = {"me", "us", "myself", "ourselves"}
_SPEAKER_POSS = {"my", "our"}


def _acts_on_speaker(head: Token) -> bool:
    """Whether the speaker or something of theirs is the object: "cut our dedicated", "told us"."""
    # "npadvmod": the parser's reading of "messed up my break times" in spoken word order.
    objects = [c for c in head.children if c.dep_ in {"dobj", "dative", "iobj", "npadvmod"}]
    objects += [g for c in head.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    return any(
        o.lower_ in _SPEAKER or any(c.dep_ == "poss" and c.lower_ in _SPEAKER_POSS for c in o.children)
        for o in objects
    )


def _clause_negated(head: Token, subject_words: set[str], complements: Sequence[Token]) -> bool:

    if is_negated(head):
        return True
    # The parser sometimes hangs "I'm not sure" or "I don't think" under the clause it doubts.
    for c in head.children:
        doubts = c.lemma_.lower() in NEG_RAISERS or any(g.lemma_.lower() in NEG_RAISERS for g in c.children)
        if c.dep_ == "ccomp" and doubts and has_negation(c):
            return True
    if subject_words & {"nobody", "nothing", "none", "noone"} or {"no", "one"} <= subject_words:
        return True
    return any(
        g.lower_ in NEGATORS for c in complements for g in c.children if g.dep_ in {"det", "nummod", "neg"}
    )


def _clause_hits(
    rules: Iterable[ClauseRule], analysis: Analysis, cause_sentences: set[int] | None = None
) -> list[Hit]:
    hits: list[Hit] = []
    rules = list(rules)
    if not rules:
        return hits
    doc = analysis.doc
    # Most rules name their heads: only those tokens need their subject and complements read.
    any_head = any(not r.heads for r in rules)
    wanted = {h for r in rules for h in r.heads}
    for head in doc:
        if head.pos_ not in {"VERB", "AUX", "ADJ", "NOUN"}:
            continue
        head_lemma = head.lemma_.lower()
        if not any_head and head_lemma not in wanted:
            continue
        subjects = _subject_of(head)
        subject_tokens = [t for s in subjects for t in _phrase(s)]
        subject_words = _lemmas(subject_tokens)
        complements = _complements(head)
        complement_words = _lemmas(complements)
        modifier_words = _lemmas(c for c in head.children if c.dep_ in {"advmod", "neg"})
        marker_words = _lemmas(c for c in head.children if c.dep_ in {"mark", "advmod"})
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in head.children)
        negated: bool | None = None
        for rule in rules:
            if rule.heads and head_lemma not in rule.heads:
                continue
            if head_lemma in rule.not_heads:
                continue
            if rule.subjects and not (subject_words & set(rule.subjects)):
                continue
            if rule.not_subjects and subject_words & set(rule.not_subjects):
                continue
            if rule.complements and not (complement_words & set(rule.complements)):
                continue
            if rule.not_complements and complement_words & set(rule.not_complements):
                continue
            if rule.modifiers and not (modifier_words & set(rule.modifiers)):
                continue
            if rule.markers and not (marker_words & set(rule.markers)):
                continue
            if rule.passive is not None and passive != rule.passive:
                continue
            if rule.on_speaker is not None and _acts_on_speaker(head) != rule.on_speaker:
                continue
            if rule.tense != "any" and _tells_past(head) != (rule.tense == "past"):
                continue
            if rule.in_cause and analysis.sentence_index(head.idx) not in (cause_sentences or set()):
                continue
            if rule.negated is not None:
                if negated is None:
                    negated = _clause_negated(head, subject_words, complements)
                asked = rule.question_negates and head.sent.text.rstrip().endswith("?")
                if (negated or asked) != rule.negated:
                    continue
            hits.append(_clause_span(rule.label, head, subject_tokens, complements, analysis))
    return hits


def _clause_span(
    label: str, head: Token, subject: Sequence[Token], complements: Sequence[Token], analysis: Analysis
) -> Hit:
    sent = head.sent
    indexes = [head.i, *(t.i for t in subject), *(t.i for t in complements)]
    start = max(min(indexes), sent.start)
    end = min(max(indexes) + 1, sent.end)
    # Keep quotes short enough to read in one breath.
    if end - start > 22:
        start, end = max(start, head.i - 10), min(end, head.i + 11)
    doc = analysis.doc
    while start < end - 1 and doc[start].is_punct:
        start += 1
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    span = doc[start:end]
    return Hit(label, span.start_char, span.end_char, span.text, analysis.sentence_index(span.start_char))


def collect(
    cues: Sequence[Cue],
    clauses: Iterable[ClauseRule],
    analysis: Analysis,
    cause_sentences: set[int] | None = None,
) -> list[Hit]:
    """Every cue and clause hit, in order, overlapping hits of the same label merged."""
    hits = sorted(
        _cue_hits(cues, analysis) + _clause_hits(clauses, analysis, cause_sentences),
        key=lambda h: (h.start, -h.end),
    )
    out: list[Hit] = []
    for hit in hits:
        if out and out[-1].label == hit.label and hit.start < out[-1].end:
            continue
        out.append(hit)
    return out


def evidence(hits: Iterable[Hit]) -> list[Evidence]:
    return [Evidence(label=h.label, text=h.text, start=h.start, end=h.end) for h in hits]


def quote(text: str, limit: int = 90) -> str:
    """Text for an advice quote: trimmed at a word boundary, without trailing punctuation."""
    text = " ".join(text.split()).strip(" ,;:.")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + " ..."


def _sentence_evidence(label: str, sent: Span) -> Evidence:
    """A whole sentence as evidence, without the spaces or line breaks around it."""
    text = sent.text
    lead = len(text) - len(text.lstrip())
    start = sent.start_char + lead
    return Evidence(label=label, text=text.strip(), start=start, end=start + len(text.strip()))


def _sentence_text(sent: Span) -> str:
    return quote(sent.text)


# --- the story: where the setback, the cause and the change are -----------------------------------


class StoryParams(DetectorParams):
    """How to find the parts of a setback answer; shared by the criteria that need them."""

    # The fact itself: "I failed Step 1", "my Step 2 CK was a 233", "below your range".
    setback: PatternSet = Field(default_factory=PatternSet)
    # Where the answer moves on to what changed: "after that", "for the retake", "I met with ...".
    change_start: list[Cue] = Field(default_factory=list)
    # Ranges a later exam score falls in (USMLE three-digit, COMLEX) for a number to count as one.
    score_ranges: list[tuple[float, float]] = Field(default_factory=lambda: [(150.0, 300.0)])
    # Nouns a number counts rather than scores: "two hundred questions", "240 cards".
    counted_nouns: list[str] = Field(default_factory=list)
    # Words that, right after a number, make it a score: "251 on Step 2", "648 on COMLEX".
    score_words: list[str] = Field(default_factory=list)
    # Words of a question about an exam ("Step", "score"). For any other setback (a gap year, a
    # mistake, a delay) the change and its result are read from the story reading: two concrete
    # things the speaker did and a concrete result after them (advice key `story_pass`), and the
    # setback told at length is a story told, not a cause explained (advice key `over_told`).
    exam_words: list[str] = Field(default_factory=list, max_length=50)


@dataclass
class Story:
    """Sentence indexes of the answer's parts."""

    setback_sentences: set[int]
    change_start: int  # first sentence about the change; len(sentences) if there is none
    setback_hits: list[Hit]


def _is_score(analysis: Analysis, start: int, end: int, params: StoryParams, value: float) -> bool:
    if not any(lo <= value <= hi for lo, hi in params.score_ranges):
        return False
    span = analysis.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return True
    last = span[-1]
    counted = {w.lower() for w in params.counted_nouns}
    nxt = analysis.doc[last.i + 1] if last.i + 1 < len(analysis.doc) else None
    if nxt is not None and nxt.lemma_.lower() in counted:
        return False
    # "250 embolizations", "two hundred questions": a number that counts things is not a score.
    score_words = {w.lower() for w in params.score_words}
    if (
        last.dep_ == "nummod"
        and last.head.pos_ in {"NOUN", "PROPN"}
        and last.head.lemma_.lower() not in score_words
    ):
        return False
    return not is_negated(span.root)


def _fronted(analysis: Analysis, hit: Hit) -> bool:
    """Whether a marker opens its clause: "After that I met ..." moves the story on, "I never
    found my rhythm after that" does not."""
    span = analysis.doc.char_span(hit.start, hit.end, alignment_mode="expand")
    if span is None:
        return True
    verb = span.root
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    return verb.pos_ not in {"VERB", "AUX"} or span.start <= verb.i


def read_story(params: StoryParams, analysis: Analysis, fallback: Iterable[int] = ()) -> Story:
    """Find the setback and where the change begins.

    `fallback` holds sentences that name a concrete change; the change begins at the first of
    them or at the first marker such as "after that", whichever comes first.
    """
    setback_hits = _pattern_hits("setback", params.setback, analysis)
    change = [h for h in _cue_hits(params.change_start, analysis) if _fronted(analysis, h)]
    # A change before the setback is mentioned is background ("I was doing UWorld"), not the change.
    # The first score said is the setback too ("I ended up with a 213"): later ones are results.
    scores = [
        analysis.sentence_index(n.start)
        for n in analysis.numbers
        if _is_score(analysis, n.start, n.end, params, n.value)
    ]
    first_setback = min([h.sentence for h in setback_hits] + scores[:1], default=0)
    # A concrete change told before any marker ("I rebuilt everything with our learning
    # specialist", then "every time I sit down to study") starts the change too.
    starts = [h.sentence for h in change if h.sentence >= first_setback]
    starts += [i for i in fallback if i >= first_setback]
    change_start = min(starts, default=len(analysis.sentences))
    return Story({h.sentence for h in setback_hits}, change_start, setback_hits)


# --- brevity -----------------------------------------------------------------------------------


class BrevityParams(StoryParams):
    words_per_minute: float = Field(default=150, gt=60, lt=260)
    # Fails under this share of the question's minimum, or over this share of its maximum.
    fail_below_share: float = Field(default=0.53, gt=0, le=1)
    fail_above_share: float = Field(default=1.18, ge=1, le=3)
    # Between the target and the fail line the answer passes with this score.
    near_score: float = Field(default=0.8, ge=0, le=1)
    max_cause_sentences: int = Field(default=2, ge=1, le=10)
    # Plain sentences allowed inside the run of cause sentences before the run is over.
    max_gap_sentences: int = Field(default=1, ge=0)
    # Sentences shorter than this ("Sure.", "That's on me.") never count as cause.
    min_cause_words: int = Field(default=4, ge=1)
    # Partial credit. Too long: this at the target's maximum, less the share it runs over; too short:
    # this times the share of the minimum reached; over-explained: `over_explained_score` less
    # `over_explained_step` per cause sentence beyond the limit, never under `over_explained_floor`.
    too_long_score: float = Field(default=0.5, ge=0, le=1)
    too_short_score: float = Field(default=0.5, ge=0, le=1)
    over_explained_score: float = Field(default=0.6, ge=0, le=1)
    over_explained_step: float = Field(default=0.15, ge=0, le=1)
    over_explained_floor: float = Field(default=0.2, ge=0, le=1)
    # Longest quote of the answer in advice, in characters (a whole-answer quote is shorter).
    quote_chars: int = Field(default=70, ge=20, le=400)
    short_quote_chars: int = Field(default=60, ge=20, le=400)
    cause: list[Cue] = Field(default_factory=list)
    # A sentence that is only a feeling ("I was crushed") is not an explanation.
    feeling: PatternSet = Field(default_factory=PatternSet)
    # Negated verbs that explain nothing: "I don't want to make excuses", "not going to pretend".
    negation_ignores: list[str] = Field(default_factory=list)
    # A sentence before the change whose main clause tells what happened (past tense: "my father
    # had a stroke", "I flew home"), or states a circumstance with a subject other than the
    # speaker or the score ("the questions are long"), explains why even without a cue word.
    narrative_counts: bool = True
    # Sentences about strengths ("my year in the IR lab", "I led our interest group") move the
    # story on even when no change is told; they count as cause only with a cue of cause.
    not_cause: PatternSet = Field(default_factory=PatternSet)
    # Subjects that make a present-tense clause an opinion about the setback or about the speaker
    # ("it's not as bad as it looks", "I don't think one exam defines anyone"), not a circumstance.
    opinion_subjects: list[str] = Field(default_factory=list)


_PAST_AUX = {"did", "was", "were", "had", "'d"}


def _tells_past(verb: Token) -> bool:
    """Whether the clause headed by `verb` reports something that happened.

    "I didn't take an NBME", "my father had a stroke", "it was cut", "anyone would have failed"
    are past; "I don't think it matters", "it's not as bad as it looks" are opinions held now.
    """
    if verb.tag_ == "VBD":
        return True
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.tag_ == "VBD" or (a.lower_ in _PAST_AUX and verb.tag_ == "VBN") for a in auxes):
        return True
    # Perfect aspect, modal or not: "I had never done", "I should have postponed".
    return verb.tag_ == "VBN" and any(a.lemma_.lower() == "have" for a in auxes)


def _states_circumstance(verb: Token, opinion: set[str]) -> bool:
    """Whether the clause's subject is someone or something other than the speaker or the score."""
    subjects = _subject_of(verb)
    if not subjects:
        return False
    # The subject's head word decides: "one reason is ..." is about a reason, not about "one".
    return not (_lemmas(subjects) & opinion)


_ANAPHORS = {"that", "this", "it"}


def _looks_back(verb: Token) -> bool:
    """A verdict on what was just said ("That decision was mine", "That was a planning mistake"):
    "be" with "that"/"this"/"it" as its subject judges the story, it does not add to it."""
    if verb.lemma_.lower() != "be":
        return False
    return any(
        s.lower_ in _ANAPHORS or any(c.dep_ == "det" and c.lower_ in _ANAPHORS for c in s.children)
        for s in _subject_of(verb)
    )


def _main_verbs(sent: Span) -> list[Token]:
    """The verbs of a sentence's main clauses: its roots, the verbs joined to them by "and", and
    clauses they take as complement ("the questions are long, so we lose time" is often parsed
    with "are" under "lose"), except under a verb of opinion ("I don't think one exam defines")."""

    todo = [t for t in sent if t.dep_ == "ROOT"]
    out: list[Token] = []
    while todo:
        tok = todo.pop()
        if tok.pos_ in {"VERB", "AUX"}:
            out.append(tok)
        opinion = tok.lemma_.lower() in NEG_RAISERS
        todo += [c for c in tok.children if c.dep_ == "conj" or (c.dep_ == "ccomp" and not opinion)]
    return sorted(out, key=lambda t: t.i)


def _moving_on(analysis: Analysis, story: Story) -> set[int]:
    """Sentences past the cause, found by the story reading for any setback (an exam, a gap year, a
    mistake): from the first sentence where the speaker does two concrete things in the simple past
    or present perfect ("I did the CME modules and shadowed twice a week"), that sentence and every
    later one: the cause is told in one run before the change, so what follows the speaker's doing
    is the response and what came of it ("retrieval rose to just under half"), as after a marker of
    change. The past is the clause's, so "put" joined to "wrote" counts whatever its tag. The past
    perfect ("I'd moved my exam date up") and the setback's own sentence are background, not the
    change."""
    reading = read(analysis)
    own: dict[int, int] = {}
    for c in reading.own_actions:
        perfect_past = any(a.lower_ in ("had", "'d") for a in c.head.children if a.dep_ == "aux")
        if (c.past or c.tense == "perfect") and not perfect_past:
            own[c.sentence] = own.get(c.sentence, 0) + 1
    starts = [i for i, n in own.items() if n >= 2 and i not in story.setback_sentences]
    if not starts:
        return set()
    first = min(starts)
    return set(range(first, len(analysis.sentences)))


def _states_the_fact(analysis: Analysis, question: str) -> bool:
    """The answer opens by taking up what the question names ("Tell me about the biggest mistake
    ..." -> "My biggest mistake was on my surgery clerkship"): that first sentence states the fact,
    as the framework asks first, before any reason for it."""
    if not analysis.sentences:
        return False
    asked = {t.lemma_.lower() for t in question_doc(question) if t.pos_ in ("NOUN", "PROPN")}
    return any(t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in asked for t in analysis.sentences[0])


def cause_sentences(
    params: BrevityParams, analysis: Analysis, story: Story, question: str = ""
) -> list[tuple[int, Hit]]:
    """Sentences before the change that explain why it happened, each with its first cue; an
    opening that takes up what `question` names is the fact stated, not a cause."""
    fact = 0 if question and _states_the_fact(analysis, question) else None
    cue_hits = _cue_hits(params.cause, analysis)
    feeling_hits = {h.sentence for h in _pattern_hits("feeling", params.feeling, analysis)}
    other = {h.sentence for h in _pattern_hits("not_cause", params.not_cause, analysis)}
    ignores = {w.lower() for w in params.negation_ignores}
    opinion = {w.lower() for w in params.opinion_subjects}
    # The story of why starts at the setback or the first cue of cause, whichever comes first:
    # an opener before both ("I took Step 1 in June of second year") is background.
    story_start = min(story.setback_sentences | {h.sentence for h in cue_hits}, default=0)
    moving_on = _moving_on(analysis, story) if params.narrative_counts else set()
    out: list[tuple[int, Hit]] = []
    # The cause is told in one run; two plain sentences after it mean the story has moved on.
    quiet = 0
    for i, sent in enumerate(analysis.sentences[: story.change_start]):
        if out and quiet >= params.max_gap_sentences + 1:
            break
        # Where the speaker's doing starts the change, as a marker of change would: no cue after it
        # ("I wrote every note from a template") tells the cause again.
        if i in moving_on:
            break
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        if len(words) < params.min_cause_words or i == fact:
            continue
        setback_spans = [(h.start, h.end) for h in story.setback_hits if h.sentence == i]

        def outside_setback(start: int, end: int, spans: list[tuple[int, int]] = setback_spans) -> bool:
            return not any((s <= start and end <= e) or start <= s < end for s, e in spans)

        hits = [h for h in cue_hits if h.sentence == i and outside_setback(h.start, h.end)]
        for tok in sent:
            head = tok.head
            # What did not happen explains it ("I didn't take an NBME"); what the speaker does not
            # think now ("I don't think one exam defines anyone") argues instead.
            if (
                tok.dep_ == "neg"
                and head.lemma_.lower() not in ignores
                and (_tells_past(head) or _states_circumstance(head, opinion))
                and outside_setback(tok.idx, tok.idx + len(tok.text))
                and outside_setback(head.idx, head.idx + len(head.text))
            ):
                hits.append(Hit("cause", tok.head.idx, tok.head.idx + len(tok.head.text), tok.head.text, i))
        narrative = params.narrative_counts and i >= story_start and i not in other
        if narrative and not hits and not setback_spans:
            told = [
                v
                for v in _main_verbs(sent)
                if (_tells_past(v) or _states_circumstance(v, opinion)) and not _looks_back(v)
            ]
            if told:
                v = told[0]
                hits.append(Hit("cause", v.idx, v.idx + len(v.text), v.text, i))
        # A feeling ("I was crushed, I don't want to make excuses") is not an explanation unless
        # it carries more than one cue of cause.
        if i in feeling_hits and len(hits) < 2:
            continue
        if not hits:
            quiet += 1
            continue
        quiet = 0
        out.append((i, min(hits, key=lambda h: h.start)))
    return out


@detector("setback_brevity", BrevityParams, entities=False)
def setback_brevity(params: BrevityParams, ctx: Context) -> CriterionResult:
    """Within the question's target length, with the cause told in at most two sentences."""
    analysis = ctx.analysis
    low_s, high_s = ctx.question.target_seconds
    seconds, measure = ctx.spoken_length(params.words_per_minute)
    story = read_story(params, analysis)
    causes = cause_sentences(params, analysis, story, ctx.question.text)
    cause_evidence = [_sentence_evidence("cause", analysis.sentences[i]) for i, _ in causes]
    values: dict[str, object] = {
        "measure": measure,
        "min": low_s,
        "max": high_s,
        "causes": len(causes),
        "max_causes": params.max_cause_sentences,
    }
    text = analysis.text
    if seconds > high_s * params.fail_above_share:
        limit = int(high_s / 60 * params.words_per_minute)
        tokens = list(analysis.words())
        start = tokens[min(limit, len(tokens) - 1)].idx
        # Quote what could go: the second cause sentence or else the longest sentence.
        cut = (
            analysis.sentences[causes[1][0]]
            if len(causes) > 1
            else max(analysis.sentences, key=lambda s: len(s))
        )
        values["cut"] = _sentence_text(cut)
        over = seconds / high_s - 1
        return CriterionResult(
            score=round(max(0.0, params.too_long_score - over), 2),
            passed=False,
            feedback=ctx.advice("too_long", **values),
            evidence=[
                Evidence(label="too_long", text=text[start:], start=start, end=len(text)),
                *cause_evidence,
            ],
        )
    if seconds < low_s * params.fail_below_share:
        values["quote"] = quote(text, params.short_quote_chars)
        return CriterionResult(
            score=round(max(0.0, params.too_short_score * seconds / low_s), 2),
            passed=False,
            feedback=ctx.advice("too_short", **values),
            evidence=[Evidence(label="too_short", text=text, start=0, end=len(text)), *cause_evidence],
        )
    if len(causes) > params.max_cause_sentences:
        values["quote"] = quote(analysis.sentences[causes[1][0]].text, params.quote_chars)
        values["first"] = quote(analysis.sentences[causes[0][0]].text, params.quote_chars)
        excess = len(causes) - params.max_cause_sentences
        return CriterionResult(
            score=round(
                max(
                    params.over_explained_floor,
                    params.over_explained_score - params.over_explained_step * excess,
                ),
                2,
            ),
            passed=False,
            # A mistake or a gap told at length is the story told, not causes explained.
            feedback=ctx.advice(
                "over_told"
                if "over_told" in ctx.criterion.advice and not _about_exam(params, ctx)
                else "over_explained",
                **values,
            ),
            evidence=cause_evidence,
        )
    if seconds < low_s:
        return CriterionResult(
            score=params.near_score,
            passed=True,
            feedback=ctx.advice("near_short", **values),
            evidence=cause_evidence,
        )
    if seconds > high_s:
        return CriterionResult(
            score=params.near_score,
            passed=True,
            feedback=ctx.advice("near_long", **values),
            evidence=cause_evidence,
        )
    return CriterionResult(
        score=1.0, passed=True, feedback=ctx.advice("pass", **values), evidence=cause_evidence
    )


# --- non-defensive tone ------------------------------------------------------------------------


class ToneParams(DetectorParams):
    cues: list[Cue] = Field(default_factory=list)
    clauses: list[ClauseRule] = Field(default_factory=list)
    # "That's on me", "my call", "I own that": taking responsibility (only when not negated).
    ownership: list[Cue] = Field(default_factory=list)
    # Any hit with one of these labels fails the criterion (arguing the premise, minimising...).
    fail_labels: list[str] = Field(default_factory=list)
    # Blame fails when it fills this many sentences, or any at all without ownership.
    blame_label: str = Field(default="blame", pattern=LABEL)
    blame_sentences_to_fail: int = Field(default=2, ge=1)
    # Names of each label in advice ("puts the cause on others").
    label_names: dict[str, str] = Field(default_factory=dict)
    # Evidence labels of earlier criteria that mark the sentences telling the cause.
    cause_labels: list[str] = Field(default_factory=list)
    # Ownership cues with this label are disclaimers ("I don't want to make excuses"): a
    # following "but" in the same sentence turns them into the preface of an excuse.
    disclaimer_label: str = Field(default="disclaimer", pattern=LABEL)
    concessions: list[str] = Field(default_factory=lambda: ["but", "however", "though", "although", "yet"])
    # Partial credit: blame owned in the same breath passes with `owned_circumstance_score`; a
    # failing answer gets `fail_score` less half of (`fail_penalty` per sentence with a failing
    # signal + `blame_penalty` per sentence of blame).
    owned_circumstance_score: float = Field(default=0.75, ge=0, le=1)
    fail_score: float = Field(default=0.5, ge=0, le=1)
    fail_penalty: float = Field(default=0.3, ge=0, le=1)
    blame_penalty: float = Field(default=0.2, ge=0, le=1)
    # Longest quote of the answer in advice, in characters.
    quote_chars: int = Field(default=90, ge=20, le=400)


def _conceded(params: ToneParams, analysis: Analysis, hit: Hit) -> bool:
    """A disclaimer followed by "but" ("I don't want to make excuses, but the exam ...")."""
    if hit.label != params.disclaimer_label:
        return False
    concessions = {w.lower() for w in params.concessions}
    sent = analysis.sentences[hit.sentence]
    return any(t.lower_ in concessions for t in sent if t.idx >= hit.end)


@detector("setback_tone", ToneParams, entities=False)
def setback_tone(params: ToneParams, ctx: Context) -> CriterionResult:
    """No blaming, bitterness, arguing with the question or playing the setback down."""
    analysis = ctx.analysis
    cause = ctx.marked_sentences(params.cause_labels)
    hits = collect(params.cues, params.clauses, analysis, cause)
    owned = []
    for h in _cue_hits(params.ownership, analysis):
        if not _conceded(params, analysis, h):
            owned.append(h)
        else:
            # What follows "I don't want to make excuses, but" is the excuse.
            hits.append(Hit(params.blame_label, h.start, h.end, h.text, h.sentence))
    strong = [h for h in hits if h.label in params.fail_labels]
    blame = [h for h in hits if h.label == params.blame_label]
    blame_sentences = {h.sentence for h in blame}
    own_evidence = [Evidence(label="ownership", text=h.text, start=h.start, end=h.end) for h in owned]
    bad = strong + blame
    failed = bool(strong) or len(blame_sentences) >= params.blame_sentences_to_fail or (blame and not owned)
    if not failed:
        if blame:
            owned_quote = quote(owned[0].text, params.quote_chars) if owned else ""
            values = {
                "quote": context_quote(analysis, blame[0], limit=params.quote_chars),
                "owned": owned_quote,
            }
            return CriterionResult(
                score=params.owned_circumstance_score,
                passed=True,
                feedback=ctx.advice("owned_circumstance", **values),
                evidence=sorted(evidence(blame) + own_evidence, key=lambda e: e.start),
            )
        if owned:
            return CriterionResult(
                score=1.0,
                passed=True,
                feedback=ctx.advice("pass_owned", quote=quote(owned[0].text, params.quote_chars)),
                evidence=own_evidence,
            )
        return CriterionResult(score=1.0, passed=True, feedback=ctx.advice("pass"))
    # Lead the advice with the worst thing said: arguing/minimising/bitterness before blame.
    order = {label: i for i, label in enumerate(params.fail_labels)}
    worst = min(bad, key=lambda h: (order.get(h.label, len(order)), h.start))
    kinds = sorted({h.label for h in bad}, key=lambda label: order.get(label, len(order)))
    values = {
        "quote": context_quote(analysis, worst, limit=params.quote_chars),
        "what": params.label_names.get(worst.label, worst.label.replace("_", " ")),
        "others": ", ".join(params.label_names.get(k, k.replace("_", " ")) for k in kinds if k != worst.label)
        or "nothing else",
    }
    penalty = params.fail_penalty * len({h.sentence for h in strong}) + params.blame_penalty * len(
        blame_sentences
    )
    return CriterionResult(
        score=round(max(0.0, params.fail_score - penalty / 2), 2),
        passed=False,
        feedback=ctx.advice(worst.label, **values),
        evidence=sorted(evidence(bad) + own_evidence, key=lambda e: e.start),
    )


# --- improvement evidence ----------------------------------------------------------------------


class ImprovementParams(StoryParams):
    specific_change: list[Cue] = Field(default_factory=list)
    vague_change: PatternSet = Field(default_factory=PatternSet)
    outcome: list[Cue] = Field(default_factory=list)
    # Partial credit: a change with no result; a result with no change; only vague change.
    no_outcome_score: float = Field(default=0.5, ge=0, le=1)
    outcome_only_score: float = Field(default=0.4, ge=0, le=1)
    vague_score: float = Field(default=0.15, ge=0, le=1)
    # Longest quote of the answer in advice, in characters.
    quote_chars: int = Field(default=60, ge=20, le=400)
    # Evidence labels of earlier criteria that mark the sentences telling the cause: an act told
    # there ("so I copied every lab into each note") is the setback, so the advice and the evidence
    # show the changes after it when there are any. What passes is decided as before.
    cause_labels: list[str] = Field(default_factory=list)


@detector("setback_improvement", ImprovementParams, entities=False)
def setback_improvement(params: ImprovementParams, ctx: Context) -> CriterionResult:
    """At least one specific change after the setback and at least one objective outcome."""
    analysis = ctx.analysis
    all_changes = _cue_hits(params.specific_change, analysis)
    story = read_story(params, analysis, fallback=sorted({h.sentence for h in all_changes}))
    after = story.change_start
    changes = [h for h in all_changes if h.sentence >= after]
    vague = _pattern_hits("vague_change", params.vague_change, analysis)
    # An outcome told first ("I've honored every shelf since, and here is how") still follows the
    # setback: a present-perfect or "since" clause reports what came after it.
    outcomes = [
        h for h in _cue_hits(params.outcome, analysis) if h.sentence >= after or _since_then(analysis, h)
    ]
    # A number said before the change is the setback itself ("my Step 1 was a 216"); a different
    # score-like number from the change onwards is the result ("then a 254 on Step 2 CK").
    scores = [n for n in analysis.numbers if _is_score(analysis, n.start, n.end, params, n.value)]
    setback_values = {n.value for n in scores if analysis.sentence_index(n.start) < after}
    # A transcript run on without full stops can hold the setback and the change in one sentence
    # ("my Step 1 was a 209 and ... after that I met with the specialist"): there the first score
    # said, before the first change named, is the setback still, as read_story takes it.
    first_change = min((h.start for h in changes), default=None)
    first = scores[0] if scores else None
    if (
        first
        and first_change is not None
        and first.start < first_change
        and analysis.sentence_index(first.start) == after
    ):
        setback_values.add(first.value)
    for n in analysis.numbers:
        if analysis.sentence_index(n.start) < after or n.value in setback_values:
            continue
        if _is_score(analysis, n.start, n.end, params, n.value):
            outcomes.append(Hit("outcome", n.start, n.end, n.text, analysis.sentence_index(n.start)))
    outcomes = _dedupe([_with_object(analysis, h) for h in outcomes])
    changes = _dedupe(changes)
    found = sorted(changes + outcomes, key=lambda h: h.start)
    values: dict[str, object] = {
        "change": quote(changes[0].text, params.quote_chars) if changes else "",
        "outcome": quote(outcomes[0].text, params.quote_chars) if outcomes else "",
        "vague": quote(vague[0].text, params.quote_chars) if vague else "",
    }
    ev = evidence(found) + evidence(vague)
    ev.sort(key=lambda e: e.start)
    if changes and outcomes:
        return CriterionResult(score=1.0, passed=True, feedback=ctx.advice("pass", **values), evidence=ev)
    story_result = _story_improvement(params, ctx, outcomes)
    if story_result is not None:
        return story_result
    if changes:
        # A result told without a number, honors or a shelf score ("I passed every shelf") is what
        # came of it but not an outcome a program can weigh: the advice quotes it and asks for one.
        told = _story_outcome(analysis, after=changes[0].start)
        key = "no_outcome"
        if told and "weak_outcome" in ctx.criterion.advice:
            key = "weak_outcome"
            values["outcome"] = quote(told[0].text, params.quote_chars)
            ev = sorted(ev + evidence(told), key=lambda e: e.start)
        return CriterionResult(
            score=params.no_outcome_score,
            passed=False,
            feedback=ctx.advice(key, **values),
            evidence=ev,
        )
    score = params.outcome_only_score if outcomes else (params.vague_score if vague else 0.0)
    if vague:
        key = "vague_with_outcome" if outcomes else "vague"
    else:
        key = "no_change_with_outcome" if outcomes else "no_change"
    # A mistake or a gap is not an exam: study habits are the wrong thing to ask for.
    if not _about_exam(params, ctx) and "story_short" in ctx.criterion.advice:
        key = "story_short"
    return CriterionResult(score=score, passed=False, feedback=ctx.advice(key, **values), evidence=ev)


# Verbs of a lapse: said of the speaker, they tell the setback itself, not a change.
LAPSE_VERBS = FAILURE_VERBS | {"fail", "miss", "overlook", "skip", "lose"}


def _about_exam(params: StoryParams, ctx: Context) -> bool:
    """The question asks about an exam (one of its words is an exam word), or no exam words are
    given, so every setback is read as one."""
    exam = {w.lower() for w in params.exam_words}
    question_words = {w.strip("?.,!/").lower() for w in ctx.question.text.split()}
    return not exam or bool(question_words & exam)


def _story_improvement(
    params: ImprovementParams, ctx: Context, outcomes: Sequence[Hit] = ()
) -> CriterionResult | None:
    """For a setback that is not an exam: what the speaker did about it and what came of it (a
    result the story reading finds, or one of the rubric's outcomes: "it has not happened again")."""
    if _about_exam(params, ctx):
        return None
    reading = read(ctx.analysis)
    actions = [c for c in reading.own_actions if c.tense in ("past", "perfect")]
    # "Since then I keep a written list of every lab I order": a practice the speaker has kept since
    # the episode, told in the present, is the change they made, as two acts told are.
    practices = [c for c in reading.clauses if changed_practice(c) and _practice_act(c)]
    if len(actions) < 2 and not practices:
        return None
    # The speaker's own lapse ("I forgot to follow up a potassium") is the setback: the acts told
    # before it or with it ("I ordered a repeat potassium and forgot ...") are the setback's own
    # telling, and what they did about it is the acts after it.
    acts = actions if len(actions) >= 2 else []
    about = [c for c in acts if c not in reading.setback_telling]
    changes = [c for c in about if c.lemma not in LAPSE_VERBS or c.negated] or about
    changes = sorted(changes + [c for c in practices if c not in changes], key=lambda c: c.start)
    if not changes:
        return None
    first = changes[0].start
    results = [r for r in reading.results if r.start > first]
    said = [h for h in outcomes if h.start > first]
    if not results and not said:
        return None
    cause = ctx.marked_sentences(params.cause_labels)
    shown = [c for c in changes if c.sentence not in cause] or changes
    values = {"change": quote(reading.clause_text(shown[0]), params.quote_chars)}
    # The last result is how it ended; earlier ones are steps on the way.
    spans = [(*reading.clause_span(r), reading.clause_text(r)) for r in results]
    spans += [(h.start, h.end, context_quote(ctx.analysis, h)) for h in said]
    spans.sort()
    values["outcome"] = quote(spans[-1][2], params.quote_chars)
    ev = [ctx.evidence("specific_change", *reading.clause_span(c)) for c in shown]
    ev += [ctx.evidence("outcome", start, end) for start, end, _ in spans]
    ev.sort(key=lambda e: e.start)
    return CriterionResult(score=1.0, passed=True, feedback=ctx.advice("story_pass", **values), evidence=ev)


def _practice_act(c: Clause) -> bool:
    """A practice that is something done ("I keep a written list", "I read back every order"), not
    a state, a role ("I try to be careful"), a coming to know or a light verb with nothing named."""
    if c.lemma in VAGUE_ROLE or c.comes_to_know:
        return False
    if c.stative:
        return c.lemma == "keep" and any(ch.dep_ == "dobj" for ch in c.head.children)
    return c.lemma not in LIGHT_VERBS or any(ch.dep_ in ("dobj", "prt") for ch in c.head.children)


def _story_outcome(analysis: Analysis, after: int) -> list[Hit]:
    """The last result the story reading finds after the change ("I passed every shelf in my fourth
    year"): the one the answer's "What came of it" criterion quotes."""
    reading = read(analysis)
    later = [r for r in reading.results if r.start > after]
    if not later:
        return []
    start, end = reading.clause_span(later[-1])
    return [Hit("result", start, end, reading.text[start:end], analysis.sentence_index(start))]


def _since_then(analysis: Analysis, hit: Hit) -> bool:
    """Whether the clause holding `hit` is present perfect ("I've honored") or runs "since" then."""
    span = analysis.doc.char_span(hit.start, hit.end, alignment_mode="expand")
    if span is None:
        return False
    verb = span.root
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    auxes = [c for c in verb.children if c.dep_ == "aux"]
    perfect = verb.tag_ == "VBN" and any(a.lemma_.lower() == "have" and a.tag_ != "VBD" for a in auxes)
    since = any(c.lower_ == "since" for c in verb.children)
    return perfect or since


def _with_object(analysis: Analysis, hit: Hit, limit: int = 8) -> Hit:
    """A verb hit grown to take in its object: "honored my" -> "honored my medicine sub-internship"."""
    doc = analysis.doc
    span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
    if span is None:
        return hit
    verb = next((t for t in span if t.pos_ == "VERB"), None)
    if verb is None:
        return hit
    objects = [c for c in verb.children if c.dep_ in {"dobj", "attr"} and c.i >= span.start]
    if not objects:
        return hit
    stop = min(span.start + limit, verb.sent.end)
    end = min(max(t.i for t in objects[0].subtree) + 1, stop)
    # The parser often splits compounds such as "sub-internship": keep the rest of the noun.
    while end < stop and (
        doc[end].pos_ in {"NOUN", "PROPN"} or doc[end].text == "-" or doc[end - 1].text == "-"
    ):
        end += 1
    if end <= span.end:
        return hit
    grown = doc[span.start : end]
    return Hit(hit.label, grown.start_char, grown.end_char, grown.text, hit.sentence)


def _dedupe(hits: list[Hit]) -> list[Hit]:
    out: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.start, -h.end)):
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out


# --- pivot to strengths ------------------------------------------------------------------------


class PivotParams(DetectorParams):
    closing_share: float = Field(default=0.25, gt=0, le=1)
    strengths: PatternSet
    # What an answer must not end on: apologies, dwelling on the record, the excuse.
    endings: list[Cue] = Field(default_factory=list)
    # The setback itself, which the last sentence should not return to.
    setback: PatternSet = Field(default_factory=PatternSet)
    min_strengths: int = Field(default=1, ge=1)
    # Final sentences this short with no signal ("So, yeah.") defer to the one before.
    filler_sentence_words: int = Field(default=4, ge=0)
    # Evidence labels of earlier criteria that the answer must not end on.
    ending_labels: list[str] = Field(default_factory=list)
    # Evidence labels of earlier criteria whose sentences are no strength to point back to.
    avoid_labels: list[str] = Field(default_factory=list)
    # Said when the answer names no strength to point back to.
    fallback_strength: str = (
        "one concrete IR strength: a rotation, a procedure you scrubbed, research or teamwork"
    )
    # A pivot made only of adjectives said of oneself ("I'm hardworking, a strong team player")
    # claims strengths without showing one; with this set it fails (advice key `adjectives`).
    shown_strength: bool = True
    # Partial credit when the closing names strengths but fails (adjectives only, or a bad last word).
    claimed_score: float = Field(default=0.4, ge=0, le=1)
    weak_close_score: float = Field(default=0.4, ge=0, le=1)
    # Longest quote of the answer in advice, in characters.
    quote_chars: int = Field(default=80, ge=20, le=400)


def _closing_start(analysis: Analysis, share: float) -> int:
    words = list(analysis.words())
    if not words:
        return 0
    cut = max(1, round(len(words) * share))
    return words[max(0, len(words) - cut)].idx


def _your(span_text: str) -> str:
    """Turn the speaker's words into advice to them: "my IR sub-I" -> "your IR sub-I"."""
    swaps = {"my": "your", "i": "you", "i'm": "you're", "i've": "you've", "me": "you", "our": "your"}
    words = span_text.split()
    if words and words[0].lower() in {"a", "an", "the", "this", "that"}:
        words[0] = "your"
    return " ".join(swaps.get(w.lower(), w) for w in words).strip(" .,;:")


_QUANTIFIERS = {"some", "several", "many", "few", "lots", "lot", "of", "more", "most", "every", "each"}


def _strength_phrase(analysis: Analysis, hits: Sequence[Hit]) -> str | None:
    """The best noun phrase naming one of the speaker's strengths, for "finish on ... instead".

    Each hit grows over the nouns and adjectives around it ("IR" -> "my IR sub-internship"), and
    the speaker's own experience ("my ...") wins over a bare word, so the advice points at
    something they actually said.
    """
    doc = analysis.doc
    best: tuple[float, str] | None = None
    for hit in hits:
        span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
        if span is None:
            continue
        sent = analysis.sentences[hit.sentence]
        a, b = span.start, span.end
        while a > sent.start and (
            doc[a - 1].pos_ in {"NOUN", "PROPN", "ADJ", "NUM"} or doc[a - 1].text == "-"
        ):
            a -= 1
        if a > sent.start and doc[a - 1].lower_ in {"my", "our", "a", "an", "the"}:
            a -= 1
        while b < sent.end and (
            doc[b].pos_ in {"NOUN", "PROPN"}
            or (doc[b].text == "-" and b + 1 < sent.end and not doc[b + 1].is_punct)
            or (b > span.end - 1 and doc[b - 1].text == "-")
            # "my radiology and medicine rotations"
            or (doc[b].lower_ == "and" and b + 1 < sent.end and doc[b + 1].pos_ in {"NOUN", "PROPN"})
        ):
            b += 1
        if doc[b - 1].lower_ == "and":
            b -= 1
        while a < b and doc[a].lower_ in _QUANTIFIERS:
            a += 1
        words = [t for t in doc[a:b] if not t.is_punct]
        if not 2 <= len(words) <= 7:
            continue
        owned = doc[a].lower_ in {"my", "our"}
        # Own experience first, then later in the answer (the cause comes early), then ~3 words.
        later = hit.start / max(len(analysis.text), 1)
        rank = (20 if owned else 10) + 5 * later - abs(len(words) - 3)
        if best is None or rank > best[0]:
            best = (rank, _your(doc[a:b].text))
    return best[1] if best else None


@detector("setback_pivot", PivotParams, entities=False)
def setback_pivot(params: PivotParams, ctx: Context) -> CriterionResult:
    """The last quarter turns to strengths or IR fit and does not end on the setback or an apology."""
    analysis = ctx.analysis
    sentences = analysis.sentences
    closing = _closing_start(analysis, params.closing_share)
    strengths = _pattern_hits("strength", params.strengths, analysis)
    closing_strengths = [h for h in strengths if h.start >= closing]
    endings = _cue_hits(params.endings, analysis)
    setback = _pattern_hits("setback", params.setback, analysis)

    # The sentence the answer really ends on: skip a trailing "So, yeah." with nothing in it.
    last = len(sentences) - 1
    while last > 0:
        sent = sentences[last]
        n_words = sum(1 for t in sent if not (t.is_punct or t.is_space))
        signals = [h for h in strengths + endings + setback if h.sentence == last]
        if n_words <= params.filler_sentence_words and not signals:
            last -= 1
            continue
        break
    final_end = [h for h in endings if h.sentence == last]
    final_strength = [h for h in strengths if h.sentence == last]
    final_setback = [h for h in setback if h.sentence == last]
    # Coming back to the number itself ("won't hold the 228 against me") is ending on the setback.
    stated_in = min((h.sentence for h in setback), default=None)
    if stated_in is not None and stated_in < last:
        stated = {
            n.value
            for n in analysis.numbers
            if analysis.sentence_index(n.start) == stated_in and n.value >= 100
        }
        final_setback += [
            Hit("setback", n.start, n.end, n.text, last)
            for n in analysis.numbers
            if n.value in stated and analysis.sentence_index(n.start) == last
        ]
    # What an earlier criterion flagged (blame, arguing the premise) is no place to end either.
    for earlier in ctx.earlier.values():
        final_end += [
            Hit("excuse", e.start, e.end, e.text, last)
            for e in earlier.evidence
            if e.label in params.ending_labels and analysis.sentence_index(e.start) == last
        ]
    # What the answer ends on is what it says last: "... matters to programs, and I hope that
    # explains the 230" returns to the score after the strength word, so it ends on the score.
    last_strength = max((h.end for h in final_strength), default=-1)
    ends_badly = bool(final_end) or any(h.start > last_strength for h in final_setback)

    # Point back at a strength they named, but never one from the sentence that went wrong.
    avoid = {last} | {h.sentence for h in setback} | {h.sentence for h in endings}
    for earlier in ctx.earlier.values():
        avoid |= {
            analysis.sentence_index(e.start) for e in earlier.evidence if e.label in params.avoid_labels
        }
    candidates = [h for h in strengths if h.sentence not in avoid]
    strength_text = _strength_phrase(analysis, candidates) or params.fallback_strength
    final_quote = quote(sentences[last].text, params.quote_chars) if sentences else ""
    values = {"quote": final_quote, "strength": strength_text}
    ev_strength = [
        Evidence(label="strength", text=h.text, start=h.start, end=h.end) for h in closing_strengths
    ]
    claimed = params.shown_strength and _only_claimed(analysis, closing, closing_strengths)
    if len(closing_strengths) >= params.min_strengths and not ends_badly and claimed:
        values["quote"] = quote(sentences[closing_strengths[0].sentence].text, params.quote_chars)
        return CriterionResult(
            score=params.claimed_score,
            passed=False,
            feedback=ctx.advice("adjectives", **values),
            evidence=ev_strength,
        )
    if len(closing_strengths) >= params.min_strengths and not ends_badly:
        first = closing_strengths[0]
        sent = sentences[first.sentence]
        pivot = _sentence_evidence("pivot", sent)
        values["quote"] = quote(sent.text, params.quote_chars)
        return CriterionResult(
            score=1.0, passed=True, feedback=ctx.advice("pass", **values), evidence=[pivot, *ev_strength]
        )
    bad = final_end or final_setback
    ev = evidence(bad) + ev_strength
    ev.sort(key=lambda e: e.start)
    if final_end:
        values["quote"] = context_quote(analysis, final_end[-1], min_words=4, limit=params.quote_chars)
        key = final_end[-1].label
    elif ends_badly:
        key = "setback"
    else:
        key = "no_strengths"
    score = params.weak_close_score if closing_strengths else 0.0
    return CriterionResult(score=score, passed=False, feedback=ctx.advice(key, **values), evidence=ev)


def _only_claimed(analysis: Analysis, closing: int, strengths: Sequence[Hit]) -> bool:
    """Whether the closing's strengths are all adjectives said of oneself, with nothing shown: no
    concrete thing the speaker did, no number, no named IR work (the story reading decides)."""
    reading = read(analysis)
    claimed = {c.sentence for c in reading.self_descriptions if c.end > closing}
    if not claimed or not strengths:
        return False
    inside = all(h.sentence in claimed for h in strengths)
    first = analysis.sentence_index(closing)
    shown = (
        any(c.sentence >= first for c in reading.own_actions)
        or any(analysis.sentence_index(s.start) >= first for s in reading.ir_terms)
        or any(analysis.sentence_index(n.start) >= first for n in analysis.numbers)
        # "My IR sub-I letter says I'm ready": a concrete source stands behind the claim.
        or any(
            c.sentence >= first and c.concrete >= 2 and c not in reading.self_descriptions
            for c in reading.clauses
        )
    )
    return inside and not shown


def context_quote(analysis: Analysis, hit: Hit, min_words: int = 6, limit: int = 90) -> str:
    """The words around `hit` worth quoting back: its clause, widened until it says something.

    A bare hit ("my fault", "Great, another") means little on its own; the comma-delimited piece of
    the sentence that holds it ("It was not really my fault") is what the speaker will recognise.
    """
    sent = analysis.sentences[hit.sentence]
    pieces: list[tuple[int, int]] = []
    start = sent.start
    for tok in sent:
        if tok.text in {",", ";", ":"} or tok.i == sent.end - 1:
            end = tok.i if tok.is_punct else tok.i + 1
            if end > start:
                pieces.append((start, end))
            start = tok.i + 1
    doc = analysis.doc
    for k, (a, b) in enumerate(pieces):
        if doc[a].idx <= hit.start < doc[b - 1].idx + len(doc[b - 1].text) or hit.start < doc[a].idx:
            first, last = k, k
            # Widen forwards, then backwards, while the quote is shorter than a thought.
            while sum(pieces[j][1] - pieces[j][0] for j in range(first, last + 1)) < min_words:
                if last + 1 < len(pieces):
                    last += 1
                elif first > 0:
                    first -= 1
                else:
                    break
            span = doc[pieces[first][0] : pieces[last][1]]
            return quote(span.text, limit)
    return quote(sent.text, limit)
