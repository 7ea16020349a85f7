"""The talking-points detector: which of an advisor's talking points the answer covered, by meaning.

A talking point is a short statement ("Step 2 CK improvement", "discussed cases at tumor board").
Spoken answers rarely repeat it word for word ("I presented her at our multidisciplinary liver
conference"), so each sentence of the answer, and each clause inside it, is compared with the point
by sentence embeddings (all-MiniLM-L6-v2, see embeddings.py), plus a bonus for the point's own words
said in that sentence (lemmas reduced by a light suffix stripper, and small synonym groups: the word
matcher this detector used to be, kept as `word_match`).

Meaning alone is not enough: "I never presented a poster" and "my roommate's Step 2 went up" are
close in meaning to what they deny. So the clause that carries the point (the one that says most of
its words, else the closest in meaning) must say it of the speaker and not deny it, as the story
reading (story.py) parses clauses: its subject ("I", "we", "my score", not "my roommate" or "the
fellow" unless they act on "me"), its negation, and whether a clause about a thing narrates the
speaker's story ("the MRI showed a complete response") or only describes the world ("the tumor
board room is next to the cafeteria"). A point that itself negates ("own the failure without
blaming") wants a negated clause.

The specialty's name is no evidence: nearly every sentence of an IR interview says "IR", and MiniLM
weighs that rare token heavily, so a point that names the specialty must also match, sentence or
clause alike, with the name taken out ("an IR mentor who guided me" as "an mentor who guided me").
A fact the speaker says they know ("I know how competitive the programs are") is theirs.

A point may list alternatives separated by " | " ("Step 2 CK improvement | better board score"):
any one of them covers it. A number in a point must be said after the same word, or as an ordinal
("Step 1" does not cover "Step 2"; "my second board exam" does). Each point's result quotes the
sentence that covered it, or, when missed, the nearest sentence (`PointMatch.to_json`).
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator

from interviewcoach.core.models import CriterionResult, Unscored
from interviewcoach.core.scoring.analysis import analyze, get_nlp
from interviewcoach.core.scoring.detectors import Context, DetectorParams, DetectorResult, detector, fill
from interviewcoach.core.scoring.embeddings import encode, encode_spans
from interviewcoach.core.scoring.story import read

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from spacy.tokens import Doc, Span, Token

    from interviewcoach.core.models import Question, Score
    from interviewcoach.core.scoring.analysis import Analysis
    from interviewcoach.core.scoring.embeddings import Vectors
    from interviewcoach.core.scoring.rubrics import Rubric
    from interviewcoach.core.scoring.story import Clause

DETECTOR = "talking_points"
ALTERNATIVE_SEPARATOR = " | "

# Small, domain-minded groups: words an applicant says in place of an advisor's wording. The first
# entry of each group is its canonical form. Rubrics may replace or extend these.
DEFAULT_SYNONYMS: list[list[str]] = [
    ["ir", "interventional radiology", "interventional radiologist", "interventional"],
    ["dr", "diagnostic radiology"],
    ["esir", "early specialization"],
    [
        "improve",
        "improvement",
        "better",
        "raise",
        "increase",
        "boost",
        "rise",
        "higher",
        "jump",
        "climb",
        "go up",
    ],
    ["score", "result"],
    ["change", "revamp", "overhaul", "adjust", "switch", "restructure", "rework", "modify", "shift"],
    ["study", "prep", "preparation", "prepare"],
    ["mentor", "mentorship", "advisor", "adviser"],
    ["team", "teamwork", "collaborate", "collaboration", "multidisciplinary"],
    ["calm", "composed", "steady", "unflappable"],
    ["pressure", "stress", "stressful", "emergency"],
    ["plan", "strategy", "approach"],
    ["feedback", "criticism", "critique"],
    ["question bank", "qbank", "uworld", "practice question"],
    ["fail", "failure", "unsuccessful"],
    ["own", "ownership", "responsibility", "accountable", "accountability"],
    ["honors", "honours", "honor"],
    ["weakness", "gap"],
]

DEFAULT_ADVICE = {
    "pass": "You covered {count} of {total} talking points: {covered}.{missed_note}",
    "fail": "You covered {count} of {total} talking points. Work in: {missed}.",
}

# A word list reads better as one string than as 29 quoted items.
_SMALL = (  # noqa: SIM905
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()  # noqa: SIM905
# Spoken numbers meet written ones: "Step two" covers "Step 2".
_NUMBER_WORDS = (
    {word: str(value) for value, word in enumerate(_SMALL)}
    | {word: str(20 + 10 * i) for i, word in enumerate(_TENS)}
    | {"hundred": "100"}
)

# Derivational endings stripped from lemmas, longest first, so "strategic"/"strategy" and
# "preparation"/"prepare" share a key. Conservative on purpose: no "er"/"or" ("mentor", "mention").
_SUFFIXES = (  # noqa: SIM905
    "ations ation itions ition ments ment ships ship nesses ness ities ity ical ally ings ing ions ion "
    "ies ied ive ic al ly ed es e y s"
).split()
_MIN_STEM = 3


# Cached: every answer stems each of its words, and a point's words again against each sentence.
@functools.lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A crude stem of a lower-case lemma: strip derivational endings while a stem stays long."""
    word = word.lower().strip(".'-")
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    for _ in range(3):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


class TalkingPointsParams(DetectorParams):
    # Share of a point's content words that must appear near each other for the point to count.
    coverage: float = Field(default=0.5, gt=0, le=1)
    # The match a sentence or clause needs to cover a point: its cosine similarity to the point
    # (all-MiniLM-L6-v2), plus word_bonus times the share of the point's words it says (so up to
    # 1 + word_bonus). Both tuned on the tuning half of bench/data/talking_points.jsonl only; the top of
    # the plateau, since a real answer offers every point many sentences to match by chance.
    similarity: float = Field(default=0.32, ge=-1, le=2)
    word_bonus: float = Field(default=0.3, ge=0, le=1)
    # A point that names the specialty ("an IR mentor who guided me") must also match without that
    # name, by at least this much: every sentence of an IR interview shares the name, and MiniLM weighs
    # a rare token like "IR" heavily ("I spent four weeks with the IR team" came within 0.42 of
    # "respect for how competitive IR-integrated is"). Chosen on the tuning half of
    # bench/data/talking_points.jsonl: between its same-topic distractors (at most 0.17) and the
    # paraphrases it covers (at least 0.21, but one: "two audition electives in interventional
    # radiology at other hospitals" is lost for "away rotations at other IR programs").
    topic_floor: float = Field(default=0.19, ge=-1, le=1)
    # Share of the question's points to cover for the criterion to pass.
    pass_share: float = Field(default=0.67, gt=0, le=1)
    # How many consecutive sentences a point's words may spread over.
    window_sentences: int = Field(default=2, ge=1, le=10)
    synonyms: list[list[str]] = Field(default_factory=lambda: [list(g) for g in DEFAULT_SYNONYMS])
    extra_synonyms: list[list[str]] = Field(default_factory=list, max_length=100)

    @field_validator("synonyms", "extra_synonyms")
    @classmethod
    def _groups(cls, groups: list[list[str]]) -> list[list[str]]:
        if len(groups) > 200:
            raise ValueError("at most 200 synonym groups")
        out = []
        for group in groups:
            words = [" ".join(w.split()).lower() for w in group]
            if len(words) < 2 or len(words) > 20:
                raise ValueError("a synonym group lists 2 to 20 words or short phrases")
            for word in words:
                if not word or len(word) > 60 or len(word.split()) > 4:
                    raise ValueError("a synonym is a word or a phrase of up to 4 words (60 characters)")
            out.append(words)
        return out

    def all_synonyms(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(g) for g in [*self.synonyms, *self.extra_synonyms])


@dataclass(frozen=True)
class Unit:
    """One content word (or a collapsed multi-word synonym) of a text, with its keys and span."""

    keys: frozenset[str]
    start: int
    end: int
    sentence: int
    # A number in a talking point ("Step 2") must be said: "Step 1" does not cover "Step 2".
    required: bool = False


def _is_content(token: Token) -> bool:
    if token.is_punct or token.is_space:
        return False
    return token.like_num or not token.is_stop


def _token_keys(token: Token) -> set[str]:
    return {stem(token.lemma_), stem(token.lower_)} - {""}


def _is_word(token: Token) -> bool:
    return not (token.is_punct or token.is_space)


# A key that only the word itself, as said, can have (a stem never starts with it).
_EXACT = "\x00"


def _relational_form(word: str) -> bool:
    """Whether a word has the form of a relational adjective ("interventional", "diagnostic")."""
    return word.isalpha() and len(word) >= 5 and word.endswith(_RELATIONAL_ENDINGS)


def _relational(token: Token) -> bool:
    """A relational adjective: it sorts a noun into a kind."""
    return token.pos_ == "ADJ" and _relational_form(token.lower_)


def _group_keys(token: Token, keys: set[str]) -> set[str]:
    """The keys by which a one-word synonym joins its group. A relational adjective joins by its own
    form only: its derivational stem is its base noun's, and that names something else ("an
    intervention" is a treatment, not interventional radiology; "a diagnosis" is not diagnostic
    radiology)."""
    return {_EXACT + token.lower_} if _relational(token) else keys


def _keys_with_groups(token: Token, single: dict[str, str]) -> set[str]:
    """A word's keys and the canonical keys of the synonym groups it belongs to."""
    keys = _token_keys(token)
    return keys | {single[k] for k in keys | {_EXACT + token.lower_} if k in single}


@functools.lru_cache(maxsize=32)
def _synonym_tables(
    groups: tuple[tuple[str, ...], ...],
) -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """Single-word keys and multi-word key sequences, each mapped to its group's canonical key.

    Multi-word entries keep their stop words, so phrasal verbs ("go up") can be synonyms.
    """

    nlp = get_nlp()
    single: dict[str, str] = {}
    multi: dict[tuple[str, ...], str] = {}
    entries = [entry for group in groups for entry in group]
    docs = dict(zip(entries, nlp.pipe(entries), strict=True))
    for group in groups:
        canonical = ""
        for entry in group:
            tokens = [t for t in docs[entry] if _is_word(t)]
            if not tokens:
                continue
            if len(tokens) == 1:
                keys = _token_keys(tokens[0])
                canonical = canonical or "=" + min(keys)
                for key in _group_keys(tokens[0], keys):
                    single.setdefault(key, canonical)
            else:
                sequence = tuple(stem(t.lemma_) for t in tokens)
                canonical = canonical or "=" + " ".join(sequence)
                multi.setdefault(sequence, canonical)
    return single, multi


def units(
    tokens: Sequence[Token], groups: tuple[tuple[str, ...], ...], sentence_of: dict[int, int] | None = None
) -> list[Unit]:
    """The content units of a run of tokens, with multi-word synonyms collapsed into one."""
    single, multi = _synonym_tables(groups)
    longest = max((len(k) for k in multi), default=1)
    words = [t for t in tokens if _is_word(t)]
    stems = [stem(t.lemma_) for t in words]
    sentence_of = sentence_of or {}
    out: list[Unit] = []
    i = 0
    while i < len(words):
        for length in range(min(longest, len(words) - i), 1, -1):
            run = words[i : i + length]
            canonical = multi.get(tuple(stems[i : i + length]))
            if canonical is not None:
                first, last = run[0], run[-1]
                span_end = last.idx + len(last)
                out.append(Unit(frozenset({canonical}), first.idx, span_end, sentence_of.get(first.i, 0)))
                i += length
                break
        else:
            token = words[i]
            i += 1
            if not _is_content(token):
                continue
            keys = _keys_with_groups(token, single)
            span = (token.idx, token.idx + len(token))
            out.append(Unit(frozenset(keys), *span, sentence_of.get(token.i, 0), required=token.like_num))
    return out


@functools.lru_cache(maxsize=512)
def _point_units(alternative: str, groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[Unit, ...], bool]:
    """A point's distinct content units, and whether it had none (then every word counts)."""

    doc = get_nlp()(alternative)
    found = units(list(doc), groups)
    stop_words_only = not found
    if stop_words_only:
        # A point of stop words only ("what I did"): match on every word instead.
        found = [
            Unit(frozenset(_token_keys(t)), t.idx, t.idx + len(t), 0)
            for t in doc
            if not (t.is_punct or t.is_space)
        ]
    # The same word twice in a point counts once.
    unique: dict[frozenset[str], Unit] = {}
    for unit in found:
        unique.setdefault(unit.keys, unit)
    return tuple(unique.values()), stop_words_only


class AnswerUnits:
    """The answer's units, computed once per answer and shared by every point."""

    def __init__(self, doc: Doc, groups: tuple[tuple[str, ...], ...]) -> None:
        self.doc = doc
        self.groups = groups
        self.sentence_of: dict[int, int] = {}
        for number, sentence in enumerate(doc.sents):
            for token in sentence:
                self.sentence_of[token.i] = number
        self.sentences = max(self.sentence_of.values(), default=0) + 1
        self.content = units(list(doc), groups, self.sentence_of)
        self._every: list[Unit] | None = None
        self._split: dict[int, list[list[Unit]]] = {}

    @property
    def every(self) -> list[Unit]:
        """Every word, stop words included, for points made of stop words only."""
        if self._every is None:
            self._every = [
                Unit(frozenset(_token_keys(t)), t.idx, t.idx + len(t), self.sentence_of.get(t.i, 0))
                for t in self.doc
                if not (t.is_punct or t.is_space)
            ]
        return self._every

    def by_sentence(self, pool: list[Unit]) -> list[list[Unit]]:
        """`pool` split by sentence, so each window is a slice rather than a scan."""
        key = id(pool)
        if key not in self._split:
            groups: list[list[Unit]] = [[] for _ in range(self.sentences)]
            for unit in pool:
                groups[unit.sentence].append(unit)
            self._split[key] = groups
        return self._split[key]


@dataclass(frozen=True)
class WordMatch:
    """How much of a point's wording the answer repeats, and where (the lexical reading)."""

    coverage: float
    covered: bool
    start: int | None = None
    end: int | None = None


def word_match(point: str, answer: AnswerUnits, params: TalkingPointsParams) -> WordMatch:
    """The best-covered alternative of `point` by words, within any window of consecutive sentences.

    This was the whole detector before meaning was read; it stays as the benchmark's baseline and
    for the numbers a point requires.
    """
    best = WordMatch(0.0, False)
    best_width: int | None = None
    for alternative in alternatives(point):
        wanted, stop_words_only = _point_units(alternative, answer.groups)
        if not wanted:
            continue
        pool = answer.by_sentence(answer.every if stop_words_only else answer.content)
        need = max(1, math.ceil(params.coverage * len(wanted) - 1e-9))
        for first in range(max(1, answer.sentences - params.window_sentences + 1)):
            window = [u for sentence in pool[first : first + params.window_sentences] for u in sentence]
            found = [(w, next((u for u in window if u.keys & w.keys), None)) for w in wanted]
            hits = [hit for _, hit in found if hit is not None]
            if not hits:
                continue
            start, end = min(h.start for h in hits), max(h.end for h in hits)
            complete = all(hit is not None for want, hit in found if want.required)
            candidate = WordMatch(
                round(len(hits) / len(wanted), 2), len(hits) >= need and complete, start, end
            )
            rank, best_rank = (candidate.covered, candidate.coverage), (best.covered, best.coverage)
            if rank > best_rank or (
                rank == best_rank and best_width is not None and end - start < best_width
            ):
                best, best_width = candidate, end - start
    return best


def alternatives(point: str) -> list[str]:
    return [a.strip() for a in point.split(ALTERNATIVE_SEPARATOR) if a.strip()]


# --- reading by meaning ------------------------------------------------------------------------

Verdict = Literal[
    "covered", "negated", "someone else", "not about you", "planned", "a different one", "not said"
]

# People a student talks about besides themselves: a clause whose subject is one of them (or is owned
# by one: "my roommate's score") is about someone else. Role holders come from the story reading
# (see `_people`); institutions among them ("the program", "the hospital") are things here.
_INSTITUTIONS = {
    "team", "staff", "school", "program", "faculty", "administration", "department", "hospital",
    "service", "clerkship",
}  # fmt: skip
_PEOPLE = {
    "roommate", "friend", "classmate", "peer", "partner", "brother", "sister", "mother", "father",
    "mom", "dad", "parent", "wife", "husband", "spouse", "cousin", "son", "daughter", "co-resident",
    "coresident", "student", "applicant", "author", "mentee", "everyone", "someone",
    "somebody", "nobody", "anyone", "he", "she", "they", "man", "woman", "guy", "girl", "boy",
    "people", "person", "others",
}  # fmt: skip
# What someone else does to the speaker is about the speaker ("she coached me", "he mentored us").
_SPEAKER_OBJECTS = {"me", "us", "myself", "ourselves"}
# Negation in a point ("own the failure without blaming") asks for a negated clause in the answer.
_POINT_NEGATORS = {"without", "not", "no", "never", "n't", "nobody", "nothing"}
# Ordinals said for a number a point names: "my second board exam" for "Step 2".
_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4"}
# Abbreviations the sentence model does not know (its word pieces read "IR" as the letters "ir"):
# a point is also embedded with them spelled out.
GLOSSARY = {
    "IR": "interventional radiology",
    "DR": "diagnostic radiology",
    "ESIR": "early specialization in interventional radiology",
    "SIR": "the Society of Interventional Radiology meeting",
    "TACE": "chemoembolization of a liver tumor",
    "Y-90": "yttrium-90 radioembolization",
    "CK": "clinical knowledge board exam",
}
_SPEAKER = {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"}
# Relational adjectives ("interventional", "diagnostic", "clinical", "pulmonary") sort a noun into a
# kind rather than grade it: two different ones on the same noun name two different things
# ("diagnostic radiology" is not "interventional radiology"), while gradable ones ("strong",
# "glowing") may paraphrase each other. English forms them with these endings.
_RELATIONAL_ENDINGS = ("al", "ic", "ary")
_OTHER_OWNERS = {"his", "her", "their", "its", "your"}


@functools.cache
def _people() -> frozenset[str]:
    # Imported here, as the model and numpy are: the detector module loads with the app, at start-up.
    from interviewcoach.core.scoring.story import ROLE_HOLDERS

    return frozenset((ROLE_HOLDERS - _INSTITUTIONS) | _PEOPLE)


def _is_person(token: Token) -> bool:
    people = _people()
    return token.lemma_.lower() in people or token.lower_ in people or token.ent_type_ == "PERSON"


def _speaker_word(token: Token) -> bool:
    return token.lower_ in _SPEAKER


def _owner_of(noun: Token) -> Token | None:
    return next((c for c in noun.children if c.dep_ == "poss"), None)


def _attribution(clause: Clause, sentence: Span, *, negative_point: bool = False) -> Verdict:
    """Whether a clause says something of the speaker, affirmatively (the story reading's facts).

    A clause about a thing ("the MRI showed a complete response", "our abstract was accepted")
    counts when its sentence speaks of the speaker; one that names no one ("the tumor board room is
    next to the cafeteria") does not.
    """
    if clause.negated and not negative_point:
        return "negated"
    if clause.person in ("i", "we"):
        return "covered"
    if clause.person == "you":
        return "not about you"
    # Every subject word: the parser may split one ("co", "-", "resident"); "most of my classmates"
    # is about the classmates.
    subjects = [c for c in clause.head.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl")]
    subjects += [g for c in subjects for p in c.children if p.lower_ == "of" for g in p.children]
    if clause.person == "other" and subjects:
        if any(_speaker_word(c) for subject in subjects for c in subject.conjuncts):
            return "covered"  # "my mentor and I presented it"
        if any(_is_person(subject) for subject in subjects):
            done_to_speaker = any(
                t.lower_ in _SPEAKER_OBJECTS for t in sentence if clause.start <= t.idx < clause.end
            )
            return "covered" if done_to_speaker else "someone else"
        for subject in subjects:
            owner = _owner_of(subject)
            if owner is None:
                continue
            if _speaker_word(owner):
                return "covered"  # "my Step 2 score went up"
            if owner.lower_ in _OTHER_OWNERS or _is_person(owner) or owner.pos_ == "PROPN":
                return "someone else"  # "my roommate's Step 2", "his evaluations"
    # A fact the speaker says they know or grant, as the content of their own clause ("I know how
    # competitive the integrated programs are"), is theirs.
    governor = clause.head.head
    if clause.head.dep_ == "ccomp" and any(c.dep_ == "nsubj" and _speaker_word(c) for c in governor.children):
        return "covered"
    # A thing or no subject. A present description of the world ("the tumor board room is next to
    # the cafeteria", "TACE is a common procedure") says nothing the speaker did; a past event ("the
    # MRI showed a complete response") is part of their story; otherwise the sentence must name them.
    if clause.tense in ("past", "perfect") and not clause.stative:
        return "covered"
    if clause.tense == "present" and clause.stative:
        return "not about you"
    for token in sentence:
        if _speaker_word(token) and not (token.dep_ == "poss" and _is_person(token.head)):
            return "covered"
    return "not about you"


def _kind_of(token: Token) -> Token | None:
    """The relational adjective right before a noun ("diagnostic" in "diagnostic radiology")."""
    if token.pos_ not in ("NOUN", "PROPN") or token.i == 0:
        return None
    before = token.doc[token.i - 1]
    return before if before.pos_ in ("ADJ", "PROPN") and _relational_form(before.lower_) else None


@functools.lru_cache(maxsize=1024)
def _point_kinds(
    alternative: str, groups: tuple[tuple[str, ...], ...]
) -> tuple[tuple[str, frozenset[str]], ...]:
    """The nouns a point sorts into a kind, each with the keys of its kind word: ("radiology",
    {"interventional", "=ir", ...}) for "interventional radiology", as written and spelled out."""
    single, _ = _synonym_tables(groups)
    found: dict[tuple[str, frozenset[str]], None] = {}
    for text in dict.fromkeys([alternative, spelled_out(alternative)]):
        for token in get_nlp()(text):
            kind = _kind_of(token)
            if kind is not None:
                found[(stem(token.lemma_.lower()), frozenset(_keys_with_groups(kind, single)))] = None
    return tuple(found)


def _another_kind(kinds: Sequence[tuple[str, frozenset[str]]], reading: _Reading, sentence: Span) -> bool:
    """Whether the sentence names a different kind of a noun the point names a kind of, and never the
    point's own: "fine with diagnostic radiology" against "long-term goal is interventional radiology".
    A clash of relational adjectives on the same noun, so the shared noun's meaning does not carry
    a sentence about the other thing. Saying the point's kind anywhere in the sentence ("IR", or
    "interventional radiology, not diagnostic") lifts it."""
    if not kinds:
        return False
    said = reading.said_in(sentence)
    for noun, wanted in kinds:
        if any(keys & wanted for keys in said):
            continue
        for token in sentence:
            kind = _kind_of(token)
            if kind is not None and stem(token.lemma_.lower()) == noun and not (_token_keys(kind) & wanted):
                return True
    return False


@functools.lru_cache(maxsize=1024)
def _stated_as_done(alternative: str) -> bool:
    """Whether a point tells something done: its main verb in the past ("presented a poster at SIR",
    "took overnight calls"), not a noun phrase ("Step 2 CK improvement") or a state ("goal is IR")."""
    return any(
        t.pos_ == "VERB" and t.tag_ in ("VBD", "VBN") and t.dep_ in ("ROOT", "conj")
        for t in get_nlp()(alternative)
    )


# Verbs of wishing, meaning and trying: what their infinitive names was wanted or attempted, not
# done, whatever their tense ("I wanted to present a poster" has not presented one). Verbs of
# achieving ("managed to", "went on to", "got to") are not among them. "hop" because the English
# pipeline lemmatises "hoped" and "hoping" so (no one hops to present a poster).
_INTENT_VERBS = {
    "want", "wish", "hope", "hop", "plan", "intend", "mean", "try", "attempt", "aim", "seek", "strive",
    "aspire", "expect", "desire", "dream", "long",
}  # fmt: skip


def _planned(clause: Clause, clauses: Sequence[Clause]) -> bool:
    """Whether a clause tells a plan, a wish or a supposition rather than something done: future or
    modal ("I will present", "I would apply"), under "if", an infinitive governed by a verb of
    wishing or trying in any tense ("I wanted to present", "I was hoping to present"), or one hung
    on a clause of the present or the future ("I am ready to present"); the story reading's tenses."""
    head = clause.head
    if clause.tense in ("future", "modal"):
        return True
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in head.children):
        return True
    if clause.tense == "nonfinite" and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children):
        if head.dep_ == "xcomp" and head.head.lemma_.lower() in _INTENT_VERBS:
            return not _come_true(head.head)
        governor = next((c for c in clauses if c.head.i == head.head.i != head.i), None)
        return governor is not None and (governor.tense == "present" or _planned(governor, clauses))
    return False


def _come_true(wish: Token) -> bool:
    """A wish joined to a bare past "did" that is not denied: "I wanted to present it, and I did
    (so)". A "did" with an object of its own ("and I did a lot of reading") does something else."""
    return any(
        c.dep_ == "conj"
        and c.lemma_ == "do"
        and c.tag_ == "VBD"
        and not any(g.dep_ in ("neg", "dobj") for g in c.children)
        for c in wish.children
    )


def _carrier(clauses: Sequence[Clause], hits: Sequence[int], sims: Any) -> int:
    """The clause that says the point: the one with most of its words; among those, one that holds
    them inside another ("to present a poster at SIR" inside "I wanted to present a poster at SIR"),
    which says them without the verb over it; then the nearest in meaning. The meaning decides only
    what the words cannot, so a verdict does not turn on the third decimal of a cosine, which the
    CPU's arithmetic can move."""

    def inside(k: int) -> bool:
        a = clauses[k]
        return any(
            j != k
            and hits[j] == hits[k]
            and b.start <= a.start
            and a.end <= b.end
            and (b.start, b.end) != (a.start, a.end)
            for j, b in enumerate(clauses)
        )

    return max(range(len(clauses)), key=lambda k: (hits[k], inside(k), float(sims[k])))


def _told_as_done(clause: Clause, clauses: Sequence[Clause]) -> Verdict:
    """For a point stated as done: "planned" for a plan, "not said" for a present state ("my goal is
    IR", "I enjoy reading the posters" tell no event), else "covered"."""
    if _planned(clause, clauses):
        return "planned"  # "I hope to present a poster" has not presented one
    if clause.tense == "present" and clause.stative:
        return "not said"
    return "covered"


@dataclass(frozen=True)
class Quote:
    """A sentence of the answer: its text and character offsets."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class PointMatch:
    """How one talking point fared: covered or not, by which sentence, or the nearest one.

    `similarity` is the best meaning match (cosine, -1..1) of any sentence or clause; `verdict` says
    why an answer that spoke of the point did not cover it ("negated", "someone else", ...).
    """

    point: str
    covered: bool
    similarity: float
    verdict: Verdict
    evidence: Quote | None = None
    nearest: Quote | None = None

    @property
    def start(self) -> int | None:
        return self.evidence.start if self.evidence else None

    @property
    def end(self) -> int | None:
        return self.evidence.end if self.evidence else None

    def to_json(self) -> dict[str, object]:
        """The CLI's shape for one point (stable: a cohort view may override `covered`)."""
        return {
            "text": self.point,
            "covered": self.covered,
            "evidence": self.evidence.to_json() if self.evidence else None,
            "nearest": self.nearest.to_json() if self.nearest else None,
        }


@dataclass
class _Reading:
    """An answer's sentences and clauses, with their vectors."""

    analysis: Analysis
    sentences: list[Span]
    clauses: list[list[Clause]]
    sentence_vectors: Vectors
    clause_vectors: list[Vectors]
    words: AnswerUnits
    # Per clause and per sentence, what is read again for every point (filled on first use).
    _clause_units: dict[tuple[int, int], list[Unit]] = field(default_factory=dict)
    _said: dict[int, list[frozenset[str]]] = field(default_factory=dict)
    _ordinals: dict[int, set[str]] = field(default_factory=dict)

    def units_in(self, start: int, end: int) -> list[Unit]:
        """The answer's content units that start inside characters `start`..`end`."""
        key = (start, end)
        if key not in self._clause_units:
            self._clause_units[key] = [u for u in self.words.content if start <= u.start < end]
        return self._clause_units[key]

    def said_in(self, sentence: Span) -> list[frozenset[str]]:
        """The keys of a sentence's words, abbreviations counted as the words they stand for."""
        if sentence.start not in self._said:
            said = [u.keys for u in self.units_in(sentence.start_char, sentence.end_char)]
            # An abbreviation says its words: "ESIR" names interventional radiology.
            said += [frozenset({stem(w)}) for t in sentence for w in GLOSSARY.get(t.text, "").lower().split()]
            self._said[sentence.start] = said
        return self._said[sentence.start]

    def ordinals_in(self, sentence: Span) -> set[str]:
        """The numbers a sentence says as ordinals ("second" for 2)."""
        if sentence.start not in self._ordinals:
            self._ordinals[sentence.start] = {_ORDINALS[t.lower_] for t in sentence if t.lower_ in _ORDINALS}
        return self._ordinals[sentence.start]


def _read(analysis: Analysis, params: TalkingPointsParams) -> _Reading:

    sentences = list(analysis.sentences)
    by_sentence: list[list[Clause]] = [[] for _ in sentences]
    for clause in read(analysis).clauses:
        if 0 <= clause.sentence < len(sentences):
            by_sentence[clause.sentence].append(clause)
    bounds = [(s.start_char, s.end_char) for s in sentences]
    clause_spans = [(c.start, c.end) for clauses in by_sentence for c in clauses]
    vectors = encode_spans(analysis.text, bounds, bounds + clause_spans)
    parts: list[Vectors] = []
    at = len(bounds)
    for clauses in by_sentence:
        parts.append(vectors[at : at + len(clauses)])
        at += len(clauses)
    words = AnswerUnits(analysis.doc, params.all_synonyms())
    return _Reading(analysis, sentences, by_sentence, vectors[: len(bounds)], parts, words)


def spelled_out(text: str) -> str:
    """`text` with the glossary's abbreviations spelled out."""
    return " ".join(GLOSSARY.get(word.strip(",.;:"), word) for word in text.split())


@functools.lru_cache(maxsize=1024)
def _point_vectors(alternative: str) -> Vectors:
    """The point as written and, when it uses abbreviations, spelled out."""

    texts = list(dict.fromkeys([alternative, spelled_out(alternative)]))
    vectors: Vectors = encode(texts)
    return vectors


# The specialty's names, which nearly every sentence of an IR interview shares.
_SPECIALTY = re.compile(
    r"\b(?:interventional|diagnostic)\s+radiolog(?:y|ists?)\b|\binterventional\b|\bradiology\b"
    r"|\b(?:IR|DR)\b-?",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1024)
def _without_specialty(alternative: str) -> Vectors | None:
    """The point without the specialty's names, as written and spelled out ("an mentor who guided
    me"), or None when it names no specialty or says nothing else ("IR", "interventional radiology")."""

    forms = []
    for text in dict.fromkeys([alternative, spelled_out(alternative)]):
        if _SPECIALTY.search(text):
            rest = " ".join(_SPECIALTY.sub(" ", text).split())
            if any(_is_content(t) for t in get_nlp().make_doc(rest)):
                forms.append(rest)
    if not forms:
        return None
    vectors: Vectors = encode(list(dict.fromkeys(forms)))
    return vectors


@functools.lru_cache(maxsize=4096)
def _numbers(text: str) -> frozenset[tuple[str, str]]:
    """The numbers a text names, each with the word before it: "Step two" and "Step 2" both give
    ("step", "2"), so "Step 1 was a two fourteen" does not say "Step 2"."""

    found = set()
    previous = ""
    for token in get_nlp().make_doc(text):
        if token.like_num and token.lower_ not in _ORDINALS:
            found.add((previous, stem(token.lower_)))
        previous = stem(token.lower_)
    return frozenset(found)


def _says_numbers(wanted: frozenset[tuple[str, str]], reading: _Reading, sentence: Span) -> bool:
    """Whether the sentence names each number the point names, after the same word, or as an
    ordinal ("my second board exam" for "Step 2")."""
    if not wanted:
        return True
    said = _numbers(sentence.text)
    ordinals = reading.ordinals_in(sentence)
    return all(pair in said or pair[1] in ordinals for pair in wanted)


def _word_hits(wanted: Sequence[Unit], reading: _Reading, clause: Clause) -> int:
    """How many of a point's words the clause says (the clause that carries the point)."""
    inside = reading.units_in(clause.start, clause.end)
    return sum(1 for w in wanted if any(u.keys & w.keys for u in inside))


def _quote(reading: _Reading, index: int) -> Quote:
    sentence = reading.sentences[index]
    return Quote(sentence.text, sentence.start_char, sentence.end_char)


def _match(point: str, reading: _Reading, params: TalkingPointsParams) -> PointMatch:
    import numpy as np

    best_covered: tuple[float, int] | None = None
    nearest: tuple[float, int, Verdict] | None = None
    for alternative in alternatives(point):
        vectors = _point_vectors(alternative)
        topic_free = _without_specialty(alternative)
        wanted_numbers = _numbers(alternative)
        wanted, _ = _point_units(alternative, reading.words.groups)
        negative_point = any(w.strip(",.").lower() in _POINT_NEGATORS for w in alternative.split())
        kinds = _point_kinds(alternative, reading.words.groups)
        done = _stated_as_done(alternative)
        lexical = word_match(alternative, reading.words, params)
        for i, sentence in enumerate(reading.sentences):
            clauses = reading.clauses[i]
            sims = (reading.clause_vectors[i] @ vectors.T).max(axis=1) if clauses else np.zeros(0)
            whole = float((reading.sentence_vectors[i] @ vectors.T).max())
            sim = max(whole, float(sims.max()) if clauses else -1.0)
            # Words repeated from the point back the meaning up (a short point embeds loosely).
            inside = lexical.start is not None and sentence.start_char <= lexical.start < sentence.end_char
            bonus = params.word_bonus * lexical.coverage if inside else 0.0
            sim += bonus
            kept = sim
            if topic_free is not None:
                # The sentence, or a clause, counts only where it matches the point without the
                # specialty's name too: "that I want IR" shares nothing else with "respect for how
                # competitive IR-integrated is".
                if float((reading.sentence_vectors[i] @ topic_free.T).max()) < params.topic_floor:
                    whole = -1.0
                if clauses:
                    rest = (reading.clause_vectors[i] @ topic_free.T).max(axis=1)
                    sims = np.where(rest < params.topic_floor, -1.0, sims)
                kept = max(whole, float(sims.max()) if clauses else -1.0) + bonus
            verdict: Verdict = "not said"
            if sim >= params.similarity and kept < params.similarity:
                if _another_kind(kinds, reading, sentence):
                    verdict = "a different one"  # "diagnostic radiology" for "interventional radiology"
            elif sim >= params.similarity:
                if not _says_numbers(wanted_numbers, reading, sentence):
                    verdict = "not said"  # "Step 1" does not cover "Step 2 CK"
                elif clauses:
                    carrier = _carrier(clauses, [_word_hits(wanted, reading, c) for c in clauses], sims)
                    verdict = _attribution(clauses[carrier], sentence, negative_point=negative_point)
                    if verdict == "covered" and done:
                        verdict = _told_as_done(clauses[carrier], clauses)
                else:
                    verdict = "covered"
                if verdict == "covered" and _another_kind(kinds, reading, sentence):
                    verdict = "a different one"  # "diagnostic radiology" for "interventional radiology"
            if verdict == "covered" and (best_covered is None or kept > best_covered[0]):
                best_covered = (kept, i)
            if nearest is None or sim > nearest[0]:
                nearest = (sim, i, verdict)
    if best_covered is not None:
        sim, i = best_covered
        return PointMatch(point, True, round(sim, 3), "covered", evidence=_quote(reading, i))
    if nearest is None:
        return PointMatch(point, False, 0.0, "not said")
    sim, i, verdict = nearest
    return PointMatch(point, False, round(sim, 3), verdict, nearest=_quote(reading, i))


_cache: OrderedDict[tuple[str, tuple[str, ...], str], list[PointMatch]] = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE = 16


def match_points(
    points: Sequence[str], answer: Analysis | str, params: TalkingPointsParams | None = None
) -> list[PointMatch]:
    """Match every point against one answer (remembered for the last few answers, so a report on a
    scored answer does not read it again)."""

    params = params or TalkingPointsParams()
    analysis = analyze(answer) if isinstance(answer, str) else answer
    key = (analysis.text, tuple(points), params.model_dump_json())
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    if not analysis.sentences:
        matches = [PointMatch(point, False, 0.0, "not said") for point in points]
    else:
        reading = _read(analysis, params)
        matches = [_match(point, reading, params) for point in points]
    with _cache_lock:
        _cache[key] = matches
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return matches


def _advice(ctx: Context, key: str, values: dict[str, object]) -> str:
    template = ctx.criterion.advice.get(key) or DEFAULT_ADVICE[key]
    return fill(template, values)


@detector(DETECTOR, TalkingPointsParams)
def talking_points(params: TalkingPointsParams, ctx: Context) -> DetectorResult:
    """Which of the question's talking points the answer covered, by lemma and close paraphrase."""
    points = ctx.question.talking_points
    if not points:
        return Unscored(id=ctx.criterion.id, reason="this question has no talking points")
    matches = match_points(points, ctx.analysis, params)
    covered = [m for m in matches if m.covered]
    missed = [m.point for m in matches if not m.covered]
    evidence = [
        ctx.evidence(m.point, m.start, m.end) for m in covered if m.start is not None and m.end is not None
    ]
    # Compared as shown (two decimals), so a pass_share of 0.67 means two of three points.
    share = round(len(covered) / len(points), 2)
    passed = share >= params.pass_share
    values: dict[str, object] = {
        "count": len(covered),
        "total": len(points),
        "covered": "; ".join(m.point for m in covered) or "none",
        "missed": "; ".join(missed) or "none",
        "missed_note": f" Not yet: {'; '.join(missed)}." if missed else "",
    }
    return CriterionResult(
        score=share,
        passed=passed,
        feedback=_advice(ctx, "pass" if passed else "fail", values),
        evidence=sorted(evidence, key=lambda e: e.start),
    )


@dataclass(frozen=True)
class TalkingPointsReport:
    """Covered points (with the words that covered them) and missed points, for reports and exports."""

    criterion_id: str
    covered: list[tuple[str, str]]
    missed: list[str]


def talking_points_report(score: Score, question: Question, rubric: Rubric) -> TalkingPointsReport | None:
    """Read a scored answer's talking-points verdict back into covered and missed points.

    None when the rubric has no talking-points criterion, the question has no points, or the answer
    was too short to score.
    """
    criterion = next((c for c in rubric.criteria if c.detector == DETECTOR), None)
    if criterion is None or not question.talking_points:
        return None
    result = score.criteria.get(criterion.id)
    if result is None:
        return None
    quotes = {e.label: e.text for e in result.evidence}
    covered = [(p, quotes[p]) for p in question.talking_points if p in quotes]
    missed = [p for p in question.talking_points if p not in quotes]
    return TalkingPointsReport(criterion.id, covered, missed)


def talking_points_json(score: Score, question: Question, rubric: Rubric) -> list[dict[str, object]]:
    """Each of the question's talking points as the CLI's JSON shows it, in the question's order:
    `{"text", "covered", "evidence", "nearest"}`, the quotes being `{"text", "start", "end"}` (character
    offsets in the answer) or null. Empty when the question has no points.

    Read with the rubric's talking-points params, from the scored answer (matches are remembered, so
    this does not read the answer again right after scoring).
    """
    if not question.talking_points:
        return []
    criterion = next((c for c in rubric.criteria if c.detector == DETECTOR), None)
    params = TalkingPointsParams.model_validate(criterion.params if criterion else {})
    if score.no_answer or not score.answer.strip():
        matches = [PointMatch(p, False, 0.0, "not said") for p in question.talking_points]
    else:
        matches = match_points(question.talking_points, score.answer, params)
    return [m.to_json() for m in matches]


def has_criterion(rubric: Rubric) -> bool:
    return any(c.detector == DETECTOR for c in rubric.criteria)


def criterion_ids(rubrics: Iterable[Rubric]) -> set[str]:
    """Ids of every talking-points criterion in `rubrics` (custom rubrics may rename it)."""
    return {c.id for r in rubrics for c in r.criteria if c.detector == DETECTOR}
