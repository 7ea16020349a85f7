"""The story reading: what an answer *says*, read from the grammar of its clauses, shared by every rubric.

Interviewers rate answers by substance, not vocabulary: one episode told in the past tense and
anchored in time, place or person, what the speaker did in it, what came of it and what they took
from it. Generic answers say the right words in another grammar: the present tense of habit ("I
always stay calm"), the generic "you" ("you need to be adaptable"), adjectives said of oneself ("I'm
hardworking and a team player") and abstract nouns ("my growth", "the importance of communication").
In a study of 20,572 rated interview answers (Leadership IQ), low-rated answers used "you" 392% more,
the present tense 104% more and absolutes ("always", "never") 103% more than high-rated ones.

So each finite clause is read for its subject (the speaker, "we", the generic "you", someone else),
tense and aspect (past, perfect, present, future or modal, habitual), negation, whether its verb
names an event or a state, and how concrete its complements are (numbers, names, times, nouns that
are not abstract or general). The facets (story, own action, result, reflection, blame, hedging,
generic claims, a concrete IR link) are judgements over those clauses, each with evidence spans
into the answer. The word classes below are closed grammatical classes (frequency adverbs, stative
and cognition verbs, general nouns in the sense of Halliday and Hasan, 1976, abstract-noun
suffixes, Hyland's hedges), not phrases collected from answers; the one content list is the named
IR work and training routes, which are a list by nature.

`read_answer` is computed once per answer and cached on its `Analysis`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Literal

from interviewcoach.core.scoring.analysis import Analysis, analyze, has_negation, is_negated, joined_to

if TYPE_CHECKING:
    from spacy.tokens import Token

Person = Literal["i", "we", "you", "other", "thing", "none"]
Tense = Literal["past", "perfect", "present", "future", "modal", "nonfinite"]
ActionLevel = Literal["clear", "vague", "none"]

# --- closed word classes -----------------------------------------------------------------------

# Adverbs and determiners of frequency: they turn a clause into a habit ("I always", "every time").
FREQUENCY = {
    "always", "usually", "often", "generally", "typically", "normally", "constantly", "consistently",
    "regularly", "routinely", "frequently", "sometimes", "continually", "invariably", "habitually",
    "whenever", "every", "each", "daily",
}  # fmt: skip
# Adjectives of frequency that pin a plan down ("a fixed weekly schedule", "daily timed blocks").
FREQUENCY_ADJ = {"daily", "weekly", "monthly", "nightly", "hourly", "yearly", "annual", "biweekly"}
# Stative, copular and mental-state verbs: they describe, they do not narrate. The psychological
# verbs of the admire and appeal classes (Levin, 1993, 31.2 and 31.4) are states too: "the families
# trusted her", "the work appealed to me" hold over a time, nothing happens in them.
STATIVE = {
    "be", "have", "feel", "think", "know", "believe", "want", "like", "love", "enjoy", "seem",
    "appear", "need", "hope", "wish", "care", "understand", "remember", "mean", "consider",
    "appreciate", "value", "prefer", "tend", "matter", "belong", "deserve", "find", "guess",
    "become", "remain", "stay", "keep", "look", "sound", "get",
    "trust", "respect", "admire", "dislike", "hate", "fear", "envy", "appeal",
}  # fmt: skip
# Verbs that name a role rather than an action ("I helped", "I was involved", "I supported").
VAGUE_ROLE = {
    "help", "assist", "support", "participate", "involve", "contribute", "engage", "collaborate",
    "work", "try", "handle", "manage", "deal", "ensure", "focus", "strive", "aim", "prioritize",
    "prioritise", "grow", "improve", "develop", "approach",
    "embrace", "leverage", "adapt", "thrive", "commit",
}  # fmt: skip
# Achievement verbs (Vendler, 1957): they report what befell the speaker or what came of it
# ("I passed", "I got COVID", "I scored 251"), a result or a circumstance, not an action taken.
ACHIEVEMENT = {
    "pass", "fail", "score", "get", "receive", "earn", "win", "lose", "match", "catch", "suffer",
    "reach", "obtain", "achieve", "land", "happen", "end", "honor", "honour",
}  # fmt: skip
# Achievements that are outcomes in themselves: passing, honoring, matching, earning, winning.
ATTAINMENT = {"pass", "honor", "honour", "match", "earn", "win"}
# Light verbs (Jespersen; Grimshaw and Mester, 1988): they carry tense while their object carries
# the meaning ("I took the year", "I did my rotation", "I made changes"), so alone they say no
# particular thing was done.
LIGHT_VERBS = {"do", "make", "take", "give", "have", "get"}
# Third-person pronouns as objects: they point at a particular person already in the story.
PERSONAL_OBJECTS = {"him", "her", "them"}
# Adverbial particles that make a phrasal verb of a light one ("came in", "took over").
PARTICLES = {"in", "out", "up", "over", "back", "down", "off", "through", "on", "around"}
# Prepositions of a path: "I reached across the table" moves, it achieves nothing.
PATH_PREPS = {"across", "over", "under", "through", "toward", "towards", "behind", "past"}
# Simple past forms of English irregular verbs (a closed class), and the prefixes they take.
IRREGULAR_PAST = {
    "wrote", "took", "gave", "went", "saw", "ran", "began", "drove", "spoke", "broke", "chose",
    "rode", "rose", "shook", "stole", "threw", "woke", "wore", "forgot", "drew", "flew", "grew",
    "knew", "sang", "sank", "swam", "bit", "hid", "fell", "held", "told", "sold", "found", "brought",
    "bought", "caught", "taught", "thought", "fought", "sought", "kept", "slept", "left", "felt",
    "dealt", "meant", "sent", "spent", "built", "lent", "stood", "understood", "paid", "said",
    "laid", "led", "fed", "met", "sat", "lost", "won", "struck", "stuck", "hung", "dug", "spun",
    "came", "became", "ate", "got", "did", "made", "had",
}  # fmt: skip
PREFIXES = {"re", "over", "under", "out", "mis", "with", "fore", "up"}
# Verbs whose past is their present form ("I let", "I put"): only the clause they are joined to
# says which it is.
INVARIANT_PAST = {
    "let", "put", "set", "cut", "hit", "quit", "shut", "spread", "cast", "cost", "hurt", "read",
    "split", "burst", "upset", "shed",
}  # fmt: skip
# Verbs of perception: watching a case is being there, not doing ("I watched the attending coil").
PERCEPTION = {"watch", "see", "observe", "shadow", "witness", "hear", "look", "listen", "attend"}
# Verbs of posture (Levin, 1993, 50 and 47.6) and of lingering ("wait", 53.1, a state in WordNet):
# held, a position is a state ("I stood at the back", "I was sitting by the monitor"), being
# there, not doing.
POSTURE = {"stand", "sit", "lie", "kneel", "crouch", "lean", "squat", "perch", "wait"}
# Aspectual and catenative verbs: their complement is the event, in their tense ("I started
# writing the plan first", "I kept calling the unit", "I decided to page the fellow").
ASPECTUAL = {
    "start", "begin", "continue", "keep", "stop", "finish", "resume", "quit", "decide", "choose",
    "manage", "remember", "offer", "volunteer", "go", "proceed",
}  # fmt: skip
# Verbs by which someone lets or has the speaker do something ("let me set up the tray", "had me
# place the drain", "trusted me to close"): the complement is the speaker's act, in their tense.
PERMISSIVE = {"let", "have", "make", "allow", "permit", "trust"}
# Nouns for one's share of the work: "my part was labelling the studies", "my job was to pull
# the labs" say what the speaker did.
SHARE_NOUNS = {"part", "job", "role", "task", "responsibility", "contribution", "duty"}
# Verbs of reporting: what someone else said or wrote about the speaker.
REPORTING = {"say", "note", "tell", "write", "comment", "mention", "notice", "praise", "call", "remark"}
# Verbs of opinion (Kiparsky and Kiparsky, 1970): the non-factive verbs of believing, whose content
# is offered as true, and the emotive factives of valuing, whose content is presupposed and valued
# (`_opinion_held_now`).
BELIEVING = {"think", "believe", "feel", "guess", "suppose"}
VALUING = {"like", "love", "appreciate"}
# Verbs that report an output ("we presented it at SIR", "I published the case").
OUTPUT_VERBS = {"present", "publish", "finish", "complete", "submit", "accept", "win", "match"}
# Verbs of coming to know: the core of a reflection ("I learned", "it taught me").
COGNITION_CHANGE = {
    "learn", "realize", "realise", "understand", "recognize", "recognise", "notice", "teach",
    "show", "remind", "see", "discover", "appreciate",
}  # fmt: skip
# The causatives among them: someone makes another come to know.
TEACHING = {"teach", "show", "remind"}
# Nouns that nominalise coming to know, naming what was learnt ("learn" / "lesson", "take away"
# / "takeaway", "realize" / "realization"): the subject of "the lesson was that ...".
LESSON_NOUNS = {"lesson", "takeaway", "realization", "realisation"}
# Adverbs that set now against then: "now I", "since then", "from then on", "these days".
CONTRAST_NOW = {"now", "since", "anymore", "still", "today", "nowadays", "again"}
# The adverbs of that contrast on the verb itself: "I use fewer slides now", "I've done it since".
NOW_AGAINST_THEN = {"now", "since", "anymore", "nowadays"}
# Pronouns that refer back to the episode: "what I took from it", "from that".
ANAPHORS = {"it", "that", "this", "them", "experience", "case", "night", "episode"}
# General nouns (Halliday and Hasan): they refer without naming anything.
GENERAL_NOUNS = {
    "thing", "stuff", "way", "approach", "skill", "outcome", "experience", "situation", "aspect",
    "lot", "kind", "part", "area", "field", "value", "goal", "passion", "mindset", "people",
    "person", "everything", "something", "anything", "nothing", "place", "matter", "issue",
    "problem", "challenge", "opportunity", "environment", "role", "level", "step", "time",
    "work", "setting", "specialty", "journey", "quality", "strength", "weakness",
    "attitude", "effort", "performance", "ability", "team", "everyone", "one", "others", "care",
}  # fmt: skip
# How concrete a noun is comes from WordNet's supersenses (`data/noun_senses.tsv`, see its builder):
# below -ABSTRACT_AT it is abstract ("resilience", "growth", "purpose"), above CONCRETE_AT concrete
# ("catheter", "nurse", "graft"); a noun WordNet does not know is taken as concrete, since what it
# lacks is mostly technical vocabulary ("embolization", "fistulagram").
ABSTRACT_AT = -0.3
CONCRETE_AT = 0.2
# Hedges (after Hyland, 2005) and openness to alternatives where commitment is asked for.
EPISTEMIC = {"maybe", "perhaps", "possibly", "probably"}
UNSURE = {"unsure", "undecided", "uncertain", "torn"}
# Verbs of choosing a course: an epistemic adverb on them leaves the choice open.
CHOICE_VERBS = {
    "decide",
    "choose",
    "switch",
    "settle",
    "consider",
    "try",
    "pursue",
    "go",
    "end",
    "stay",
    "do",
}
# Free-choice words: any alternative at all ("open to anything", "happy with whatever").
FREE_CHOICE = {"anything", "whatever", "everything", "any", "either", "both", "options", "all"}
# Courses a student could be open to.
SPECIALTY_NOUNS = {"specialty", "field", "radiology", "surgery", "medicine", "program", "route", "pathway"}
OPENNESS_ADJ = {"open", "happy", "fine", "flexible", "content", "comfortable", "okay", "ok", "willing"}
# Temporal nouns that anchor an episode when a determiner points at one ("that night", "one morning").
TEMPORAL = {
    "night", "morning", "evening", "afternoon", "day", "week", "month", "year", "shift", "call",
    "weekend", "summer", "fall", "autumn", "winter", "spring", "hour", "minute", "moment", "time",
    "rotation", "clerkship", "elective", "block", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "am", "pm", "a.m.", "p.m.", "o'clock", "midnight", "noon",
}  # fmt: skip
# Determiners that point at one person in the story: "my attending", "the senior resident".
PERSON_POINTERS = {"my", "our", "the", "that", "this", "his", "her"}
# Long stretches of time: they frame a CV line ("my second year", "that summer") as well as a story.
# A rotation, a clerkship, an elective or a block is such a stretch too, weeks of training ("on my IR
# rotation I saw a Y-90 case" opens a life story as readily as a night on call): it pins no occasion.
LONG_SPAN = {
    "year", "month", "week", "summer", "fall", "autumn", "winter", "spring", "semester", "weekend",
    "decade", "term", "rotation", "clerkship", "elective", "block",
}  # fmt: skip
# The months of the calendar: like a year, a month dates a stretch of a life ("In October I did a
# two-week IR selective"), it pins no occasion.
MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
}  # fmt: skip
# Parts of a stretch of time: "by the end of the rotation", "at the start of my shift".
TIME_PARTS = {"end", "start", "beginning", "middle", "rest", "course"}
# Words that point at one stretch of time: "that night", "one morning", "my surgery rotation".
POINTING = {
    "that", "one", "last", "next", "this", "the", "first", "second", "third", "final", "same", "my", "our",
}  # fmt: skip
# Entity labels that pin a clause to a particular time, place, person or amount.
ANCHOR_ENTS = {"DATE", "TIME", "PERSON", "GPE", "FAC", "LOC", "CARDINAL", "QUANTITY", "PERCENT", "ORDINAL"}
# Evaluations of others that put them down or blame them (the polarity of the predicate decides).
NEGATIVE_EVAL = {
    "incompetent", "lazy", "useless", "unfair", "disorganized", "disorganised", "rude", "unhelpful",
    "careless", "clueless", "terrible", "awful", "bad", "poor", "wrong", "slow", "sloppy", "hostile",
    "toxic", "dismissive", "arrogant", "unreasonable", "unprofessional", "inadequate", "chaotic",
    "mediocre", "boring", "outdated", "inferior", "limited", "stuck", "unclear", "confusing",
    "absent", "unavailable", "unsupportive", "biased", "political", "impossible", "ridiculous",
    "tedious", "pointless",
}  # fmt: skip
# Qualities whose denial blames ("the expectations weren't clear", "they weren't supportive").
POSITIVE_EVAL = {
    "clear", "fair", "helpful", "supportive", "organized", "organised", "available", "responsive",
    "reasonable", "consistent", "prepared", "professional", "competent", "welcoming",
}  # fmt: skip
# Verbs of mind: "they didn't expect it" is no failure of duty.
MENTAL = {
    "expect",
    "anticipate",
    "think",
    "know",
    "realize",
    "realise",
    "see",
    "notice",
    "mean",
    "plan",
    "intend",
}
# Failure verbs that blame when someone else is their subject ("the fellow forgot", "they ignored").
FAILURE_VERBS = {
    "forget", "ignore", "refuse", "neglect", "blame", "dismiss", "mess",
    "overrule", "undermine", "screw", "complain", "yell", "criticize", "criticise", "belittle",
}  # fmt: skip
# People and bodies with a duty in a student's story: their failures are what blame is made of.
ROLE_HOLDERS = {
    "nurse", "resident", "intern", "attending", "fellow", "team", "staff", "school", "program",
    "faculty", "administration", "department", "hospital", "surgeon", "doctor", "physician",
    "mentor", "pi", "advisor", "coordinator", "tech", "technologist", "service", "clerkship",
    "director", "dean", "chief", "senior", "supervisor", "colleague", "cardiologist", "radiologist",
}  # fmt: skip
# The bodies among them: they can fail a student, but pointing at one ("the emergency department",
# "the administration") points at no person in one scene, as "my attending" does.
INSTITUTIONS = {
    "team", "staff", "program", "school", "hospital", "service", "faculty", "administration",
    "department", "clerkship",
}  # fmt: skip
# Verbs by which a thing shows something of a person: what a record or an event says of them.
MEANING_VERBS = {"say", "show", "reflect", "mean", "define", "capture", "indicate", "represent", "count"}
# Verbs of helping and teaching: negated with another subject they blame ("nobody explained").
DUTY_VERBS = {"tell", "explain", "teach", "give", "show", "help", "support", "train", "warn", "let", "answer"}

# Named IR work, devices and training steps: a content list, as the rubrics' own lists are.
IR_TERMS = {
    "embolization", "embolisation", "embolize", "embolized", "coil", "coiled", "stent", "angioplasty",
    "angiogram", "angiography", "thrombectomy", "thrombolysis", "tips", "tace", "y-90", "y90",
    "radioembolization", "ablation", "biopsy", "nephrostomy", "drain", "cholecystostomy", "chole",
    "port", "picc", "fistulagram", "declot", "thrombolytic", "ivc", "filter", "kyphoplasty",
    "vertebroplasty", "uae", "ufe", "pae", "gae", "brto", "varicocele", "fistula", "graft",
    "catheter", "sheath", "wire", "microcatheter", "angio", "fluoro", "fluoroscopy", "esir",
    "paracentesis", "thoracentesis", "gastrostomy", "g-tube", "dialysis", "aneurysm", "endoleak",
    "chemoembolization", "cryoablation", "portal", "hepatic", "pe", "dvt", "pad", "cli",
}  # fmt: skip
IR_FRAMES = {
    "suite", "rotation", "elective", "fellow", "attending", "team", "service", "residency", "resident",
    "consult", "clinic", "procedure", "case", "call", "conference", "meeting", "sir", "society",
}  # fmt: skip


@dataclass(frozen=True)
class Clause:
    """One finite (or infinitive) clause: a verb with its subject, tense and arguments."""

    head: Token
    start: int
    end: int
    person: Person
    tense: Tense
    habitual: bool
    negated: bool
    stative: bool
    passive: bool
    concrete: int  # how many concrete items its own arguments hold (numbers, names, concrete nouns)
    abstract: int  # abstract or general nouns among its arguments
    anchored: bool  # a time, place or person anchor in the clause
    sentence: int

    @property
    def lemma(self) -> str:
        return self.head.lemma_.lower()

    @property
    def past(self) -> bool:
        return self.tense == "past"

    @property
    def comes_to_know(self) -> bool:
        """ "I learned", "it showed me"; a phrasal verb is another verb ("I showed up at 5 am"), and
        the speaker teaching, showing or reminding ("I taught her how to consent", "I showed her
        the angiogram") makes someone else know: an act, not a lesson."""
        if self.person == "i" and self.lemma in TEACHING:
            return False
        return self.lemma in COGNITION_CHANGE and not any(ch.dep_ == "prt" for ch in self.head.children)


@dataclass(frozen=True)
class Span_:
    """Evidence: a labelled span of the answer."""

    label: str
    start: int
    end: int


@dataclass
class Reading:
    """The facets of one answer, each with the clauses that earned it."""

    text: str
    clauses: list[Clause]
    episode: list[Clause] = field(default_factory=list)
    anchors: list[Span_] = field(default_factory=list)
    own_actions: list[Clause] = field(default_factory=list)
    vague_actions: list[Clause] = field(default_factory=list)
    results: list[Clause] = field(default_factory=list)
    vague_results: list[Clause] = field(default_factory=list)
    reflections: list[Clause] = field(default_factory=list)
    blame: list[Clause] = field(default_factory=list)
    hedge_clauses: list[Clause] = field(default_factory=list)
    generic: list[Clause] = field(default_factory=list)
    self_descriptions: list[Clause] = field(default_factory=list)
    ir_terms: list[Span_] = field(default_factory=list)
    # Every anchor in the answer (numbers, names, times, places), in or out of an episode.
    specifics: list[Span_] = field(default_factory=list)
    word_count: int = 0
    # The speaker's lapse that divides a mistake story, and their acts that tell it (before it or
    # joined to it), as against what they did about it (`_setback_lapse`).
    setback: Clause | None = None
    setback_telling: list[Clause] = field(default_factory=list)

    # -- facets -------------------------------------------------------------------------------
    @property
    def has_story(self) -> bool:
        return len(self.episode) >= 3 and bool(self.anchors) and _narrates(self.episode)

    @property
    def own_action_level(self) -> ActionLevel:
        # Clear: things done in one told episode, or pinned to a time, number or name; a list of
        # roles held ("I served on the committee, I did my undergrad in biology") stays vague.
        # A past habit ("I lifeguarded every summer") is a line of a CV, not a time pinned down; nor
        # is the perfect ("I've scrubbed over a hundred cases"), which takes no definite time ("I
        # scrubbed yesterday", never "I've scrubbed yesterday"), or a plan ("I'd apply in the
        # spring"), which is clear only as a plan (below). An act is pinned by what pins an occasion
        # in a story: a calendar year or a long stretch ("In 2019 I worked as a scribe", "in my
        # second year I joined the interest group") dates a line of a CV, not one time.
        told = [c for c in self.own_actions if c in self.episode and self.has_story]
        pinned = [
            c
            for c in self.own_actions
            if c.anchored
            and not c.habitual
            and c.tense not in ("perfect", "modal", "future")
            and any(_point_anchor(t) for t in _anchor_tokens(_arguments(c.head, set())))
        ]
        # A plan of concrete steps ("I'd do ESIR, then apply for the independent residency") is
        # clear the same way: what the speaker will do, named.
        plans = [c for c in self.own_actions if c.tense in ("modal", "future")]
        named = any(
            t.pos_ == "PROPN" or t.text[:2].isupper() for c in plans for t in _arguments(c.head, set())
        )
        if len(self.own_actions) >= 2 and (told or pinned or (len(plans) >= 2 and named)):
            return "clear"
        # "I told the fellow, we moved her to Thursday": one act of the speaker's told in the story
        # and carried on with the team is the speaker's part in a shared act, not a role.
        shared = [
            c
            for c in self.episode
            if c.person == "we" and not c.stative and not c.negated and c.concrete > c.abstract
        ]
        if told and any(t.start < c.start for t in told for c in shared):
            return "clear"
        # In a told episode every act of the speaker's is specific by its place in the story ("I
        # sketched for him where the narrowing was"), when one of them is concrete on its own.
        if self.has_story and self.own_actions:
            first, last = self.episode[0].start, self.episode[-1].end
            # An act whose content is abstract ("I changed my approach", "I used it as an
            # opportunity for growth") names no doing, wherever it stands in the story.
            acts = [
                c
                for c in self.clauses
                if c.past and first <= c.start <= last and _speaker_act(c) and c.abstract <= c.concrete
            ]
            if len(acts) >= 2:
                return "clear"
        if self.own_actions or self.vague_actions:
            return "vague"
        return "none"

    @property
    def has_result(self) -> bool:
        return bool(self.results)

    @property
    def has_reflection(self) -> bool:
        return bool(self.reflections) and (self.has_story or (len(self.episode) >= 2 and bool(self.anchors)))

    @property
    def has_ir_link(self) -> bool:
        return bool(self.ir_terms)

    @property
    def blames_others(self) -> bool:
        return bool(self.blame)

    @property
    def hedges(self) -> bool:
        return bool(self.hedge_clauses)

    @property
    def generic_share(self) -> float:
        finite = [c for c in self.clauses if c.tense != "nonfinite"]
        return len(self.generic) / len(finite) if finite else 0.0

    @property
    def specifics_per_100_words(self) -> float:
        return 100 * len(self.specifics) / self.word_count if self.word_count else 0.0

    @property
    def mostly_generic(self) -> bool:
        if self.has_story:
            return False
        return (
            self.generic_share >= 0.4
            or self.specifics_per_100_words < 1.5
            or len(self.self_descriptions) >= 2
        )

    def clause_span(self, clause: Clause) -> tuple[int, int]:
        """Where a clause reads whole as a quote: without the conjunction or comma at either edge
        ("... I kept that habit, and"), and with what a saying or learning verb took in ("my
        evaluation said I stayed steady", "it taught me to write the plan first"), which the clause
        itself leaves to its own clause. Only quotes and evidence use it; the reading keeps its
        bounds."""
        head = clause.head
        doc = head.doc
        end = clause.end
        taken_in = []
        if clause.lemma in REPORTING or clause.lemma in COGNITION_CHANGE:
            taken_in = [ch for ch in head.children if ch.dep_ in ("ccomp", "xcomp") and ch.i > head.i]
        # "What I took from it is to say the number early": the pseudo-cleft's other side is what
        # was taken.
        if head.dep_ == "csubj" and head.head.lemma_.lower() == "be":
            taken_in = [ch for ch in head.head.children if ch.dep_ in _CLEFT_SIDES and ch.i > head.i]
        # "I used to say yes", "my attending asked me to present them": an open complement is part
        # of the predicate. "I found that most were renal", "My weakness is that I say yes": a verb
        # with no complement of its own says what it means only with the clause it takes.
        if not taken_in:
            own = any(ch.dep_ in _OWN_COMPLEMENTS and ch.i > head.i for ch in head.children)
            taken_in = [
                ch
                for ch in head.children
                if ch.i > head.i and (ch.dep_ == "xcomp" or (ch.dep_ == "ccomp" and not own))
            ]
        # "moved my tray without telling me": the negative preposition's clause says what was not
        # done; cut before it, the quote says the opposite.
        taken_in += [
            g for p in head.children if p.dep_ == "prep" and p.lower_ == "without" for g in p.children
        ]
        for ch in taken_in:
            last = max(ch.subtree, key=lambda t: t.i)
            end = max(end, last.idx + len(last.text))
        start = clause.start
        # "every question I had missed", "the one who paged the fellow": a relative clause reads
        # whole with the noun phrase it tells about.
        if head.dep_ == "relcl" and head.head.i < head.i:
            start = min(start, head.head.left_edge.idx)
        # "The fellow let me set up the tray": quoted with who let them, not from "me".
        if _let_do(head):
            start = min(start, head.head.left_edge.idx)
        span = doc.char_span(start, end, alignment_mode="expand")
        words = list(span) if span is not None else []
        while words and (_edge(words[0]) or _opening(words[0], head)):
            words.pop(0)
        while words and _edge(words[-1]):
            words.pop()
        if not words:
            return clause.start, clause.end
        return words[0].idx, words[-1].idx + len(words[-1].text)

    def clause_text(self, clause: Clause) -> str:
        start, end = self.clause_span(clause)
        return self.text[start:end]


# What the other side of a pseudo-cleft's "is" can be ("what I took from it is to ask early").
_CLEFT_SIDES = ("attr", "xcomp", "ccomp", "acomp")
# A verb's own complements: with one of them its clause says what it means without a ccomp.
_OWN_COMPLEMENTS = ("dobj", "attr", "acomp", "dative", "prep", "oprd")


def _edge(token: Token) -> bool:
    """Punctuation, space or a conjunction at a quote's edge ("..., and")."""
    return token.is_punct or token.is_space or token.dep_ == "cc"


def _opening(token: Token, head: Token) -> bool:
    """What opens a clause without being part of what it says: an interjection ("yes so I give
    myself a day"), a connective "so", or the complementiser "that" of a reported clause ("that
    I studied passively")."""
    if token.dep_ == "intj":
        return True
    if token.lower_ == "so" and token.dep_ in ("advmod", "mark") and token.head.i == head.i:
        return True
    return token.lower_ == "that" and token.dep_ == "mark" and token.head.i == head.i


# --- reading clauses ---------------------------------------------------------------------------

_CLAUSE_DEPS = {"ROOT", "conj", "ccomp", "advcl", "relcl", "xcomp", "parataxis", "csubj", "pcomp", "acl"}
_MODALS = {
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "'ll",
    "'d",
    "wo",
    "ca",
}


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """The verb's subject (and whether it is passive); conjoined and controlled verbs share their head's."""
    frame = _cleft_frame(verb)
    if frame is not None:
        return _subject(frame)
    t = verb
    joined = False  # reached `t` from a verb joined to it by "and"
    for _ in range(8):
        subject = next((ch for ch in t.children if ch.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")), None)
        if subject is not None and joined and _embedded_question(t, subject):
            # "I told my senior what happened and apologized to the nurse": the parser joins
            # "apologized" to the embedded question, whose "what" cannot be its subject; the
            # conjunct goes with the clause that holds the question.
            t, joined = t.head, False
            continue
        if subject is not None:
            if subject.lower_ in ("who", "that") and t.dep_ == "relcl":
                # "I was the one who called": the relative pronoun stands for its antecedent.
                return _one_of(t.head) or subject, subject.dep_ == "nsubjpass"
            speaker = next((g for g in subject.children if g.dep_ == "appos" and g.lower_ == "myself"), None)
            if speaker is not None:
                # "..., did every measurement myself": the parser takes the object for a subject
                # and the emphatic reflexive for its appositive; no thing is "myself", the
                # speaker is the one who did it.
                return speaker, False
            return subject, subject.dep_ == "nsubjpass"
        if t.dep_ == "acl" and t.tag_ == "VBG" and _one_of(t.head) is not None:
            # "I'd been the one tracking her lactate"
            return _one_of(t.head), False
        if _series_verb(t):
            joined = True
            t = t.head
            continue
        first = _series_start(t)
        if first is not None:
            t, joined = first, True
            continue
        if _accompanying(t):
            joined = False
            t = t.head
            continue
        if t.dep_ in ("conj", "xcomp", "advcl") and t.head is not t and t.pos_ in ("VERB", "AUX"):
            if _misread_conjunct(t):
                joined = True
                t = t.head
                continue
            if t.dep_ == "advcl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
                return None, False
            joined = t.dep_ == "conj"
            t = joined_to(t) if joined else t.head
            continue
        return None, False
    return None, False


def _misread_conjunct(verb: Token) -> bool:
    """ "I did the chart review and then, with the nurse practitioner, set up a tracking list": after
    "and" and a phrase set off by commas the parser may hang the second verb on the first as an
    adverbial clause. A finite past with no subject and no subordinator of its own is no adverbial
    clause (only an imperative has no subject, and it is no past): after its head's "and" it is the
    second conjunct, whose subject is the first one's."""
    head = verb.head
    return (
        verb.dep_ == "advcl"
        and verb.tag_ == "VBD"
        and head.i < verb.i
        and head.pos_ in ("VERB", "AUX")
        and not any(ch.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "mark") for ch in verb.children)
        and any(ch.dep_ == "cc" and ch.i < verb.i for ch in head.children)
    )


def _accompanying(verb: Token) -> bool:
    """ "I did most of the wound imaging, taking photos every two days and measuring each area in
    ImageJ": a participle after its clause, with no subject or subordinator of its own, tells what
    the clause's subject did in doing it. Its subject is the clause's (subject control), and so is
    its time. One before the clause ("Looking back, I ...", "Seeing her face, I knew") frames it
    instead, and keeps no subject here. After seeing or watching, the participle is what was seen
    ("I stood by the door watching the nurse, drawing a stomach on a paper towel"), and after a
    posture held it is how the speaker was there ("standing at the foot of the bed, taking it all
    in"); one with no object is a manner, no act ("I'd hit the ground running")."""
    head = verb.head
    return (
        verb.dep_ == "advcl"
        and verb.tag_ == "VBG"
        and head is not verb
        and head.i < verb.i
        and head.pos_ in ("VERB", "AUX")
        and head.lemma_.lower() not in PERCEPTION
        and not _posture(head)
        and any(ch.dep_ == "dobj" for ch in verb.children)
        and not any(
            ch.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "mark", "aux", "auxpass")
            for ch in verb.children
        )
    )


def _series_verb(verb: Token) -> bool:
    """ "I checked the wound, then paged the fellow": the parser often leaves the second verb of a
    series as an unlabelled dependent ("dep") of the first, with no subject of its own. A finite
    verb so hung on a verb before it is the next act of a series that shares the first one's subject
    (the subject left out of a coordination), so it heads a clause of its own. So is a bare verb
    hung on a bare verb ("I'd use electives to stay close, then apply for independent IR"): the
    two share the subject and the modal."""
    head = verb.head
    return (
        verb.dep_ == "dep"
        and (verb.tag_ in ("VBD", "VBZ", "VBP") or (verb.tag_ == "VB" and head.tag_ == "VB"))
        and head.i < verb.i
        and head.pos_ in ("VERB", "AUX")
        and not any(ch.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for ch in verb.children)
    )


def _series_start(verb: Token) -> Token | None:
    """ "I saw each new consult with the fellow, wrote the orders, and called the wards": the parser
    hangs the first act, subject and all, on the second as its content clause, and leaves the
    second without a subject. A finite past with no subject cannot report a clause before it (only
    an imperative has no subject, and it is no past), so the clause before it, up to a comma, is
    the series' first act, whose subject it shares."""
    if verb.tag_ != "VBD" or any(ch.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for ch in verb.children):
        return None
    for ch in verb.children:
        if ch.dep_ != "ccomp" or ch.i > verb.i:
            continue
        between = verb.doc[ch.right_edge.i + 1 : verb.i]
        if any(t.dep_ in ("nsubj", "nsubjpass") for t in ch.children) and all(
            t.lower_ in (",", "then") for t in between
        ):
            return ch
    return None


def _embedded_question(verb: Token, subject: Token) -> bool:
    """`verb` heads an embedded question whose subject is its wh-word ("told him what happened")."""
    return verb.dep_ == "ccomp" and verb.head.i != verb.i and subject.tag_ == "WP"


def _one_of(noun: Token) -> Token | None:
    """The subject a predicate noun describes: "I" in "I was the one (who) ..."."""
    if noun.dep_ != "attr" or noun.head.i == noun.i:
        return None
    for child in noun.head.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


def _person(subject: Token | None) -> Person:
    if subject is None:
        return "none"
    low = subject.lower_
    if low in ("i", "me", "myself"):
        return "i"
    if subject.lemma_.lower() in SHARE_NOUNS and any(c.lower_ == "my" for c in subject.children):
        return "i"
    if low in ("we", "us"):
        return "we"
    if low in ("you", "anyone", "everyone", "everybody", "people") or (
        low == "one" and not any(c.dep_ == "prep" for c in subject.children)
    ):
        return "you"
    if low in (
        "it",
        "this",
        "that",
        "there",
        "what",
        "which",
        "things",
        "everything",
        "something",
        "anything",
        "nothing",
    ):
        return "thing"
    return "other"


# Negative implicative verbs (Karttunen 1971, "Implicative verbs"): "I forgot to follow up the
# potassium" entails that it was not followed up, as "I didn't follow it up" does.
# The inflected forms are listed too: the lemmatiser leaves "forgot" as it is.
NEGATIVE_IMPLICATIVES = {"forget", "forgot", "forgotten", "fail", "neglect", "omit"}


def _lapse(verb: Token) -> bool:
    """`verb` is a negative implicative over what was then not done, or what it says was not done:
    both are denied acts ("I forgot to follow up", its "to follow up")."""
    if _implicative(verb) and any(ch.dep_ == "xcomp" for ch in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head.i != verb.i and _implicative(head)


def _implicative(verb: Token) -> bool:
    return verb.lemma_.lower() in NEGATIVE_IMPLICATIVES or verb.lower_ in NEGATIVE_IMPLICATIVES


def _third_singular(subject: Token) -> bool:
    return subject.lower_ in ("he", "she", "it") or subject.tag_ in ("NN", "NNP")


def _let_do(verb: Token) -> bool:
    """`verb` is what someone let or had the speaker do ("let me set up the tray", "allowed me to
    do the access"), not denied ("didn't let me show")."""
    head = verb.head
    return (
        verb.dep_ in ("ccomp", "xcomp")
        and head.i != verb.i
        and head.lemma_.lower() in PERMISSIVE
        and not any(ch.dep_ == "neg" for ch in head.children)
        and (
            any(ch.lower_ == "me" and ch.dep_ == "nsubj" for ch in verb.children)
            or any(ch.lower_ == "me" and ch.dep_ == "dobj" for ch in head.children)
        )
    )


def _cleft_frame(verb: Token) -> Token | None:
    """ "What I did was check the guideline and take it to the nurse in charge": in a pseudo-cleft
    (Quirk et al., 1985, 18.29) the free relative "what I did" only frames the act; the focus after
    the copula is the act itself, done by the frame's subject, in the frame's tense. The frame's
    "do" for a verb in focus (or joined to one), else None."""
    t = verb
    while t.dep_ == "conj" and t.head is not t and t.pos_ in ("VERB", "AUX"):
        t = t.head
    copula = t.head
    if t.dep_ not in _CLEFT_SIDES or t.pos_ != "VERB" or copula is t or copula.lemma_.lower() != "be":
        return None
    return next((ch for ch in copula.children if _frames_cleft(ch) and ch.i < t.i), None)


def _frames_cleft(verb: Token) -> bool:
    """ "What I did": the free relative of a pseudo-cleft, "do" with "what" for its object and the
    copula it is the subject of (`_cleft_frame`)."""
    return (
        verb.dep_ == "csubj"
        and verb.lemma_.lower() == "do"
        and any(ch.dep_ == "dobj" and ch.lower_ == "what" for ch in verb.children)
        and verb.head.lemma_.lower() == "be"
        and any(ch.dep_ in _CLEFT_SIDES and ch.pos_ == "VERB" and ch.i > verb.i for ch in verb.head.children)
    )


def _necessity_met(verb: Token) -> bool:
    """ "I had to flush the line and re-tape it", "I had to call the fellow myself": in the simple past a
    necessity modal entails that its complement happened (the actuality entailment of root modals
    in the perfective, Bhatt 1999; Hacquard 2009): the speaker did it, then, as "I flushed it"
    says. Not when denied ("I didn't have to call"), and only of the speaker, who vouches for their
    own acts: another's necessity ("the intern had to restart the drip") reports an obligation."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.i == verb.i or head.lemma_.lower() != "have" or head.tag_ != "VBD":
        return False
    if not any(a.dep_ == "aux" and a.lower_ == "to" for a in verb.children):
        return False
    if any(ch.dep_ == "neg" for ch in head.children):
        return False
    subject, _ = _subject(head)
    return subject is not None and subject.lower_ == "i"


def _tense(verb: Token) -> Tense:
    head = verb.head
    frame = _cleft_frame(verb)
    if frame is not None:
        return _tense(frame)
    if (
        verb.dep_ == "xcomp"
        and head.i != verb.i
        and head.lemma_.lower() in ASPECTUAL
        and (verb.tag_ == "VBG" or any(a.lower_ == "to" for a in verb.children if a.dep_ == "aux"))
    ):
        # "I started writing the plan first": the complement is the event, in its verb's tense.
        return _tense(head)
    if _accompanying(verb):
        return _tense(head)
    if _necessity_met(verb):
        # "I had to flush the line and re-tape it": what the speaker had to do, they did, then.
        return _tense(verb.head)
    if _let_do(verb):
        # "The fellow let me set up the tray", "she had me place the drain": the speaker's act, in
        # the tense of the one who let or had them do it.
        return _tense(head)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and _one_of(head) is not None:
        # "I'd been the one tracking her lactate": the copula's tense.
        return _tense(head.head)
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ == "VB" and not auxes and _series_verb(verb):
        # "I'd use electives, then apply for independent IR": the bare verb of a series takes the
        # first one's modal.
        return _tense(head)
    lows = [a.lower_ for a in auxes]
    if any(a in _MODALS for a in lows):
        if any(a in ("will", "'ll", "shall", "wo") for a in lows):
            return "future"
        if "would" in lows or "'d" in lows:
            # "I'd called" is a past perfect; "I'd call" a modal.
            return "past" if verb.tag_ == "VBN" and "have" not in lows else "modal"
        return "modal"
    if any(a in ("have", "has", "'ve", "'s") and verb.tag_ == "VBN" for a in lows):
        return "perfect"
    # "I've been going to the venous clinic since March": the present perfect progressive is a
    # perfect too, of an activity still going on (Quirk et al., 1985, 4.27), not a bare -ing form.
    if "been" in lows and verb.tag_ == "VBG" and any(a in ("have", "has", "'ve", "'s") for a in lows):
        return "perfect"
    if any(a in ("had", "did", "was", "were") for a in lows):
        return "past"
    if any(a in ("do", "does", "am", "is", "are", "'m", "'re") for a in lows):
        return "present"
    # "I called for help, set up two IVs and started the transfusion": a bare conjoined verb takes
    # its head's tense (the tagger often reads an irregular past as a base form).
    if (
        verb.dep_ == "conj"
        and (verb.tag_ in ("VB", "VBN") or (verb.tag_ == "VBG" and verb.head.tag_ == "VBG"))
        and verb.head is not verb
        and verb.head.pos_ in ("VERB", "AUX")
        and not auxes
    ):
        return _tense(joined_to(verb))
    if (
        verb.lower_ in INVARIANT_PAST
        and verb.tag_ in ("VB", "VBP")
        and not auxes
        and any(ch.dep_ == "nsubj" and _third_singular(ch) for ch in verb.children)
    ):
        # "the fellow let me set up the tray": with a singular third-person subject and no -s, a
        # verb whose past is its base form is the past.
        return "past"
    if any(a.lower_ == "to" for a in auxes) or (verb.tag_ in ("VB", "VBG") and not auxes):
        return "nonfinite"
    if verb.lower_ in INVARIANT_PAST and verb.tag_ == "VBD" and not auxes and _now(verb):
        # "So now I split the list at noon, I let the interns write": the form is the present's as
        # much as the past's, and the tagger guesses; "now" says which.
        return "present"
    if verb.tag_ == "VBD" or _irregular_past(verb):
        return "past"
    if verb.tag_ == "VBN":
        return "past" if verb.dep_ in ("ROOT", "conj") else "nonfinite"
    if (
        verb.tag_ == "VBP"
        and verb.lower_ in INVARIANT_PAST
        and verb.dep_ == "conj"
        and verb.head is not verb
        and verb.head.pos_ in ("VERB", "AUX")
        and _tense(verb.head) == "past"
    ):
        # "I did the admissions first and I let the pages stack up": joined to a past, a past.
        return "past"
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    return "nonfinite"


def _now(verb: Token) -> bool:
    """The verb, or the verb it is conjoined to, is set in the present by "now" or "these days"."""
    for t in (verb, verb.head) if verb.dep_ == "conj" else (verb,):
        for ch in t.children:
            if ch.dep_ == "advmod" and ch.lower_ in ("now", "nowadays"):
                return True
            if (
                ch.dep_ == "npadvmod"
                and ch.lemma_.lower() == "day"
                and any(d.lower_ == "these" for d in ch.children)
            ):
                return True
    return False


def _irregular_past(verb: Token) -> bool:
    """ "then I rewrote my notes": the tagger sometimes reads an irregular past, often with a
    prefix, as a present; the past forms of English irregular verbs are a closed class."""
    if verb.tag_ not in ("VBP", "VB", "NN") or any(a.dep_ == "aux" for a in verb.children):
        return False
    low = verb.lower_
    return any(
        low == form or (low.endswith(form) and low[: -len(form)] in PREFIXES) for form in IRREGULAR_PAST
    )


def _every_time(noun: Token) -> bool:
    quantifiers = ("every", "each", "most", "many", "some")
    return noun.lemma_.lower() in TEMPORAL and any(d.lower_ in quantifiers for d in noun.children)


def _habitual(verb: Token) -> bool:
    for child in verb.children:
        low = child.lower_
        if child.dep_ in ("advmod", "npadvmod") and low in FREQUENCY:
            return True
        # "every night", "on each shift": a quantified time repeats; "every chart" is just all of them.
        if child.dep_ == "npadvmod" and _every_time(child):
            return True
        if child.dep_ == "advcl" and any(g.lower_ == "whenever" for g in child.children):
            return True
        if child.dep_ == "prep" and any(g.dep_ == "pobj" and _every_time(g) for g in child.children):
            return True
    # "I tend to", "I used to"
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_.lower() in ("tend", "use") and head is not verb:
        return True
    # ... and the marker's own clause: "the residents used to joke" tells a habit in both its
    # verbs, where "I used a wire to cross it" is an act (its infinitive does not follow at once).
    doc = verb.doc
    return (
        verb.lemma_.lower() in ("tend", "use")
        and verb.i + 2 < len(doc)
        and doc[verb.i + 1].lower_ == "to"
        and doc[verb.i + 2].dep_ == "xcomp"
        and doc[verb.i + 2].head.i == verb.i
    )


_noun_senses: dict[str, float] | None = None
_noun_lock = threading.Lock()


def _data_lines(name: str) -> list[str]:
    """The lines of a table shipped with the scorer, without its comments and blank lines."""
    text = resources.files("interviewcoach.core.scoring.data").joinpath(name).read_text("utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def noun_concreteness() -> dict[str, float]:
    """The WordNet concreteness table, read once per process (about 44,000 nouns)."""
    global _noun_senses
    if _noun_senses is None:
        with _noun_lock:
            if _noun_senses is None:
                table: dict[str, float] = {}
                for line in _data_lines("noun_senses.tsv"):
                    word, _, value = line.partition("\t")
                    table[word] = float(value)
                _noun_senses = table
    return _noun_senses


_stative_verbs: frozenset[str] | None = None


def stative_verbs() -> frozenset[str]:
    """Verbs whose most frequent WordNet sense is a state ("differ", "lack"), read once per process."""
    global _stative_verbs
    if _stative_verbs is None:
        with _noun_lock:
            if _stative_verbs is None:
                _stative_verbs = frozenset(_data_lines("stative_verbs.txt"))
    return _stative_verbs


def concreteness(noun: Token) -> float:
    """-1 (abstract) .. +1 (concrete); general nouns ("thing", "approach") count as abstract.

    The parts of a stretch of time ("by the end of the rotation") are neutral: they place, they do
    not abstract.
    """
    low = noun.lemma_.lower()
    if low in GENERAL_NOUNS:
        return -1.0
    if low in TIME_PARTS:
        return 0.0
    return noun_concreteness().get(low, 1.0)


def _specified(noun: Token) -> bool:
    """A noun pinned down by what modifies it (after Li and Nenkova's specificity features): a
    number, a name or another noun ("an NBME practice test", "two weeks", "the Y-90 schedule")."""
    return any(
        c.dep_ in ("nummod", "compound") or c.pos_ == "PROPN" or c.like_num or c.lower_ in FREQUENCY_ADJ
        for c in noun.children
        if c.dep_ != "det"
    ) or _restricted_by_speaker(noun)


def _restricted_by_speaker(noun: Token) -> bool:
    """A noun that is not abstract, restricted by a relative clause telling what the speaker did
    ("every question I had missed", "the drains I flushed"): the clause picks out things of the
    story, as a number or a name would. Only a told event restricts so: a state, a light verb, a
    present, a perfect or a plan ("every question I had gotten", "the cases I have seen", "the kind
    of resident I'll be", "the results I want") says what kind, not which."""
    if concreteness(noun) <= ABSTRACT_AT:
        return False
    return any(
        ch.dep_ == "relcl"
        and any(g.dep_ == "nsubj" and g.lower_ == "i" for g in ch.children)
        and _tense(ch) == "past"
        and ch.lemma_.lower() not in STATIVE
        and ch.lemma_.lower() not in LIGHT_VERBS
        for ch in noun.children
    )


def _is_abstract(noun: Token) -> bool:
    return concreteness(noun) <= ABSTRACT_AT


def _arguments(verb: Token, stop: set[int]) -> list[Token]:
    """Tokens of the verb's own arguments (not of clauses below it)."""
    out: list[Token] = []
    todo = [c for c in verb.children if c.i not in stop]
    while todo:
        t = todo.pop()
        if t.i in stop or (t.pos_ in ("VERB", "AUX") and t.dep_ in _CLAUSE_DEPS):
            continue
        out.append(t)
        todo.extend(c for c in t.children if c.i not in stop)
    return out


def _anchor_tokens(tokens: Iterable[Token]) -> list[Token]:
    out = []
    for t in tokens:
        if (
            (t.ent_type_ in ANCHOR_ENTS and t.ent_type_ != "ORDINAL" and not _names_exam(t))
            # "the first week" anchors; "in the first place" and "first-years" do not.
            or (t.ent_type_ == "ORDINAL" and t.head.lemma_.lower() in TEMPORAL and t.head is not t)
            or (t.like_num and not _names_exam(t))
            or (t.lower_ in TEMPORAL and any(_points(c, t) or c.like_num for c in t.children))
            or (t.pos_ == "PROPN" and t.ent_type_ not in ("ORG", "NORP") and t.lower_ not in IR_TERMS)
        ):
            out.append(t)
    return out


def _points(det: Token, noun: Token) -> bool:
    """ "that night", "one morning", "my surgery rotation"; but "at the time", "this time" only
    refer back, so "time" is pinned only by a demonstrative, a number or an ordinal."""
    if noun.lower_ == "time":
        # "During that time", "over that time": a stretch referred back to, not an occasion.
        if noun.dep_ == "pobj" and noun.head.lower_ in ("during", "over", "throughout"):
            return False
        return det.lower_ in ("that", "one", "first", "last", "second", "next")
    return det.lower_ in POINTING


def _story_anchors(c: Clause) -> list[Token]:
    """What pins an episode's clause to one occasion: a time, place, amount or name, or a person
    with a role pointed at ("my attending", "the night nurse") or the clause's own subject."""
    args = _arguments(c.head, set())
    subject, _ = _subject(c.head)
    if subject is not None and subject not in args:
        args.append(subject)
    out = [t for t in _anchor_tokens(args) if _point_anchor(t)]
    out += [
        t
        for t in args
        if t.lemma_.lower() in ROLE_HOLDERS
        and t.lemma_.lower() not in INSTITUTIONS
        and any(d.lower_ in PERSON_POINTERS for d in t.children if d.dep_ in ("det", "poss"))
    ]
    return out


def _point_anchor(t: Token) -> bool:
    """An anchor that pins one occasion: a person, a place, an amount, a night or a day. A long
    stretch ("my second year", "two years", "the summer", "my surgery rotation") frames a CV line
    as well as a story, and an exam's name ("Step 2") is no occasion."""
    if t.lower_ in ("step", "level") and t.i + 1 < len(t.doc) and t.doc[t.i + 1].like_num:
        return False
    if t.lemma_.lower() in LONG_SPAN:
        return False
    # A town, a state or a country locates a stretch of a life ("I grew up outside Dayton", "a
    # semester in Madrid"), as a year dates one: no occasion.
    if t.ent_type_ == "GPE":
        return False
    # A calendar year or month ("In 2019 I worked as a scribe", "In December I started a project")
    # dates a stretch of a life the same way: a chronicle of dated acts is a CV, not one occasion.
    # The whole date is judged, not each of its words: "October of third year", "the week before
    # the exam" date a stretch in every word, where "March 3" or "the morning of the exam" is a day.
    if t.ent_type_ == "DATE" and _dates_a_stretch(_entity(t)):
        return False
    # "one on Y-90 dosimetry and one on fibroids": "one" standing for a noun (substitution, in
    # Halliday and Hasan's sense) counts nothing; "one morning" does.
    if t.lower_ == "one" and t.dep_ != "nummod":
        return False
    # "on Saturday mornings", "weekly": a repeated time is a routine, no occasion.
    if t.lower_ in FREQUENCY_ADJ or any(
        w.lemma_.lower() in TEMPORAL and w.tag_ in ("NNS", "NNPS") for w in (t, t.head)
    ):
        return False
    # "two years", "the first year", "a few months": a number or ordinal measuring a long stretch.
    return not (
        t.head.i != t.i
        and t.head.lemma_.lower() in LONG_SPAN
        and (t.like_num or t.ent_type_ in ("DATE", "ORDINAL"))
    )


def _calendar(t: Token) -> bool:
    """A month's name or a year's number ("October", "2019")."""
    return t.lower_ in MONTHS or (t.shape_ == "dddd" and t.text[:2] in ("19", "20"))


def _entity(t: Token) -> list[Token]:
    """The tokens of the named entity `t` belongs to."""
    doc = t.doc
    start = t.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = t.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return list(doc[start:end])


def _dates_a_stretch(words: Sequence[Token]) -> bool:
    """A date made of a month, a year or a long span with no day in it: "In 2019", "last March",
    "October of third year", "the week before the exam"; "March 3", "that morning" name a day, "three
    weeks later" a moment measured from the story's, and "a 44-year-old" is an age."""
    day = any(
        (w.lemma_.lower() in TEMPORAL and w.lemma_.lower() not in LONG_SPAN)
        or w.lower_ in ("later", "earlier", "ago", "old")
        or (w.like_num and not _calendar(w) and w.head.lower_ in MONTHS)
        or (w.lower_ in MONTHS and any(c.like_num and not _calendar(c) for c in w.children))
        for w in words
    )
    stretch = any(_calendar(w) or w.lemma_.lower() in LONG_SPAN for w in words)
    return stretch and not day


def _names_exam(t: Token) -> bool:
    """ "Step 1", "Level 2": the number names an exam, it is no detail."""
    i = t.i
    doc = t.doc
    return i > 0 and doc[i - 1].lower_ in ("step", "level", "part", "phase", "block")


def _concrete(tokens: Sequence[Token]) -> tuple[int, int]:
    concrete = abstract = 0
    for t in tokens:
        if (t.like_num and not _names_exam(t)) or t.pos_ == "PROPN":
            concrete += 1
        elif t.lower_ in PERSONAL_OBJECTS and t.dep_ in ("dobj", "pobj", "dative"):
            # "I sketched it for him", "I emailed her": a particular person, named before.
            concrete += 1
        elif t.pos_ == "NOUN":
            value = concreteness(t)
            # An acronym ("the ABCs", "a CTA") names something specific whatever WordNet says.
            if value >= CONCRETE_AT or _specified(t) or t.text[:2].isupper():
                concrete += 1
            elif value <= ABSTRACT_AT:
                abstract += 1
    return concrete, abstract


def _clause_bounds(verb: Token, heads: set[int]) -> tuple[int, int]:
    tokens = [verb]
    todo = list(verb.children)
    while todo:
        t = todo.pop()
        if t.i in heads:
            continue
        tokens.append(t)
        todo.extend(t.children)
    words = [t for t in tokens if not (t.is_punct or t.is_space)] or [verb]
    first = min(words, key=lambda t: t.i)
    last = max(words, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _stray_clause(verb: Token) -> bool:
    """A finite verb with a subject of its own that the parser hung on another word as a modifier
    ("From that weekend I sort by which drain is blocked, and ... so no one is left wondering",
    where "sort" is parsed as an adverb of "left"): it heads a clause all the same."""
    finite = verb.tag_ in ("VBP", "VBZ", "VBD")
    # A preposition takes a noun phrase, not a finite clause: "the deadline for one of the case
    # reports", with "reports" tagged a verb and "one" its subject, is a noun misread.
    if verb.dep_ == "pobj":
        return False
    return finite and any(ch.dep_ in ("nsubj", "nsubjpass") for ch in verb.children)


def _clauses(analysis: Analysis) -> list[Clause]:
    doc = analysis.doc
    heads = [
        t
        for t in doc
        if t.pos_ in ("VERB", "AUX") and (t.dep_ in _CLAUSE_DEPS or _stray_clause(t) or _series_verb(t))
    ]
    head_ids = {t.i for t in heads}
    out: list[Clause] = []
    for verb in heads:
        subject, passive = _subject(verb)
        tense = _tense(verb)
        args = _arguments(verb, head_ids)
        concrete, abstract = _concrete(args)
        person = _person(subject)
        if concrete == abstract == 0 and tense == "past" and person == "i":
            # "I explained that dialysis was the safest option", "I started by asking what they
            # understood about his kidneys": the speaker's told act whose content is a clause.
            concrete, abstract = _concrete(_complement(verb))
        anchored = bool(_anchor_tokens(args))
        start, end = _clause_bounds(verb, head_ids - {verb.i})
        out.append(
            Clause(
                head=verb,
                start=start,
                end=end,
                person=person,
                tense=tense,
                habitual=_habitual(verb),
                negated=is_negated(verb) or has_negation(verb) or _lapse(verb),
                stative=verb.lemma_.lower() in STATIVE
                and not _keeps_a_thing(verb)
                and not _puts_someone(verb),
                passive=passive,
                concrete=concrete,
                abstract=abstract,
                anchored=anchored,
                sentence=analysis.sentence_index(verb.idx),
            )
        )
    return out


# --- facets ------------------------------------------------------------------------------------


# A story dates its occasion and perhaps a time before or after it; events dated in this many
# calendar years are a chronicle, a CV told year by year.
CHRONICLE_YEARS = 3


def _chronicle(episode: Sequence[Clause]) -> bool:
    """ "In 2018 I graduated ... In 2019 I worked as a scribe ... In 2021 I joined ...": events each
    dated by its own calendar year tell a life's stretches in order, not one occasion, so nothing
    in them pins an episode (whatever else they name: "I won first place", "an evening shift")."""
    years = {
        t.text
        for c in episode
        for t in _arguments(c.head, set())
        if t.shape_ == "dddd" and t.text[:2] in ("19", "20")
    }
    return len(years) >= CHRONICLE_YEARS


def _episode(clauses: Sequence[Clause]) -> list[Clause]:
    """Clauses that narrate: past-tense events, not habits or states (states count when anchored)."""
    return [
        c
        for c in clauses
        if c.past
        and not c.habitual
        and (not c.stative or c.anchored or c.concrete >= 2)
        # An event needs something to be about: "I came back with a renewed sense of purpose",
        # "I used the time productively" have only abstractions where the content should be.
        and (c.concrete >= 1 or c.anchored)
        and (c.anchored or c.concrete >= c.abstract)
        and c.person != "you"
        # "it showed me", "I learned": coming to know is reflection, not a narrated event; "I saw
        # a fellow embolize a bleed" is an event witnessed.
        and (not c.comes_to_know or _perceives(c))
    ]


def _narrates(episode: Sequence[Clause]) -> bool:
    """At least two events, not only states: a narrative is at least two clauses in the order of
    the events they tell (Labov and Waletzky, 1967, on the minimal narrative). Past states, however
    well anchored ("the chief was old-school, his notes were sloppy, the nurses were the same"),
    describe how things were; nothing happens in them, so they tell no story."""
    return sum(1 for c in episode if not c.stative) >= 2


def _perceives(c: Clause) -> bool:
    """ "I saw a fellow embolize a splenic bleed": seeing a thing or an event, not seeing that. "The
    first case I saw", "things I saw": a relative clause whose noun is what was seen, or an object
    of "see" that is no abstraction, is seeing a thing too, however plain its words."""
    if c.lemma not in PERCEPTION or _sees_that(c.head):
        return False
    if c.concrete > 0:
        return True
    if c.lemma not in ("see", "watch"):
        return False
    return c.head.dep_ == "relcl" or any(
        ch.dep_ == "dobj" and ch.pos_ == "NOUN" and not _is_abstract(ch) for ch in c.head.children
    )


def _sees_that(verb: Token) -> bool:
    """ "I saw that his glove had touched the drape", "I saw what the team does for families": a
    verb of perception over a finite or wh-clause perceives a fact, not a thing or an event; it is
    knowing (epistemic "see"), not being there. Over a bare infinitive or an -ing form ("I saw a
    fellow coil the artery") it perceives the event itself (Barwise, 1981, on naked infinitives)."""
    return any(
        (ch.dep_ == "ccomp" and _finite(ch)) or ch.lower_ in ("how", "that", "why", "what")
        for ch in verb.children
    )


def _finite(verb: Token) -> bool:
    """A clause with tense of its own: a tensed verb, an auxiliary other than "to", or "that"."""
    return verb.tag_ in ("VBD", "VBZ", "VBP") or any(
        (a.dep_ in ("aux", "auxpass") and a.lower_ != "to") or a.dep_ == "mark" for a in verb.children
    )


def _misread_copula(verb: Token) -> bool:
    """ "I am hardworking, a strong team player": the tagger reads "am hardworking" as a verb in
    -ing; with "am"/"is" before it and nothing done to an object, it describes, it does not act."""
    if verb.tag_ != "VBG" or any(ch.dep_ in ("xcomp", "ccomp", "dative") for ch in verb.children):
        return False
    # A real object follows its verb directly; "hardworking, a strong team player" is a list.
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if any(ch.dep_ == "dobj" for ch in verb.children) and not (nxt is not None and nxt.is_punct):
        return False
    # "applying to DR" acts on something; "since then" only dates the description.
    if any(ch.dep_ == "prep" and ch.lower_ != "since" for ch in verb.children):
        return False
    return any(ch.dep_ == "aux" and ch.lemma_ == "be" for ch in verb.children)


def _about_speaker(verb: Token) -> bool:
    """A relative clause on "someone"/"a person" that the speaker says they are or describes
    themselves as: "I am someone who ...", "I'd describe myself as a person who ..."."""
    if verb.dep_ != "relcl":
        return False
    antecedent = verb.head
    if antecedent.lemma_.lower() not in ("someone", "somebody", "person", "kind", "type", "one", "student"):
        return False
    owner = antecedent.head
    while owner.dep_ in ("prep", "pobj", "attr") and owner.head is not owner:
        owner = owner.head
    subject, _ = _subject(owner)
    return subject is not None and subject.lower_ in ("i", "me", "myself")


def _self_description(c: Clause) -> bool:
    """ "I'm hardworking", "I am a team player", "I became more confident": a copula said of oneself,
    also through a relative clause ("I'd describe myself as someone who's resilient")."""
    if c.person == "i" and _misread_copula(c.head):
        return True
    if c.lemma not in ("be", "become", "feel", "stay", "remain"):
        return False
    if c.person != "i" and not _about_speaker(c.head):
        return False
    if c.lemma == "be" and c.tense not in ("present", "future", "modal"):
        return False
    # A description pinned to a time, place, number or name ("I was a paramedic for six years",
    # "I'm a fourth-year student in New Jersey") is a fact about the speaker, not a claim.
    return any(ch.dep_ in ("acomp", "attr") and ch.pos_ != "NUM" for ch in c.head.children) and not c.anchored


def _generic(c: Clause) -> bool:
    if c.tense == "nonfinite" or (c.negated and c.person == "i" and c.past):
        return False
    # "Since then I always read back every order": a habit anchored after the episode is the
    # change the speaker made, told in the present, not a claim about themselves.
    if changed_practice(c):
        return False
    # The generic "you" of a claim ("you need to stay calm"), not of an explanation full of facts
    # ("you apply to independent IR in your third DR year, through ERAS in December").
    if c.person == "you":
        return not c.anchored and c.concrete < 3
    if c.habitual and c.tense in ("present", "modal", "future"):
        return not c.anchored
    if _self_description(c):
        return True
    if c.person in ("i", "we") and c.tense in ("present", "future", "modal") and c.abstract > c.concrete:
        return True
    # "I value feedback", "I believe in teamwork": a present state of mind with nothing concrete.
    if c.person in ("i", "we") and c.tense == "present" and c.stative and c.concrete == 0 and c.lemma != "be":
        return True
    return c.person in ("thing", "other") and c.tense == "present" and c.abstract > 0 and c.concrete == 0


def _speaker_act(c: Clause) -> bool:
    """The speaker doing something, whatever its object: an event verb in the first person that is
    no role ("I helped"), no light verb ("I took the year"), no perception ("I watched") and no
    coming to know ("I learned")."""
    # A past routine with concrete content ("I took an NBME every two weeks") is a real change;
    # a present habit ("I always double-check") is a claim.
    causes = _causative(c.head)
    changed = changed_practice(c)
    if c.person != "i" or c.passive or c.negated or (c.stative and not causes):
        return False
    # "I'll get through the reading years": a slight, not a step (`_endures_diagnostic`).
    if _endures_diagnostic(c):
        return False
    if c.habitual and not c.past and not changed:
        return False
    if c.tense not in ("past", "perfect", "future", "modal", "present"):
        return False
    if c.tense == "present" and c.head.tag_ != "VBG" and not changed:
        return False
    if c.lemma in VAGUE_ROLE or c.comes_to_know or (_achievement(c.head) and not causes):
        return False
    # "I was following him", "I was basically functioning as an extra fellow": the past progressive
    # is imperfective, an activity under way that frames the story's events, not a bounded act done.
    if _past_progressive(c):
        return False
    # A light verb names no act of its own ("I took the year", "I did my rotation") unless its
    # object is a concrete thing ("I did his H and P", "I put my hand on the graft") or it makes
    # someone do something ("I had the nurse page the fellow").
    if (
        c.lemma in LIGHT_VERBS
        and not _particle(c.head)
        and not _concrete_object(c.head)
        and not _anothers_object(c.head)
        and not _hands_on(c.head)
        and not _puts_someone(c.head)
        and not causes
    ):
        return False
    if c.lemma in PERCEPTION or _posture(c.head):
        return False
    # "I should have pushed it back": what was not done. A plan ("I'd apply for ESIR") is an act
    # when it names what will be done, not a virtue ("I'd seek feedback from mentors") or a better
    # self ("I'd come back a stronger applicant").
    if c.tense in ("modal", "future") and (_counterfactual(c.head) or c.abstract > 0 or _comparative(c.head)):
        return False
    # "I'd tell them that IR is where you fix things": what the speaker would say is an opinion
    # voiced, its content a clause; a plan names what will be done ("I'd tell my PD early").
    if c.tense in ("modal", "future") and says_that(c.head):
        return False
    # "If I matched into DR": a condition, not a thing done.
    if _conditional(c.head):
        return False
    # "before I left the hospital", "when I came back", "because I'd held it in plastic": a clause
    # subordinated as the time or the reason of another is its background, not an act told.
    if _background(c.head):
        return False
    return not _self_description(c)


def says_that(verb: Token) -> bool:
    """A verb of saying over a content clause ("tell them that ...", "say it's ..."): what is said
    is content, not a thing done."""
    return verb.lemma_.lower() in REPORTING and any(ch.dep_ == "ccomp" for ch in verb.children)


# Subordinators of time and reason: the clause they open frames the event of the clause above it.
BACKGROUND_MARKERS = {"while", "as", "because", "since", "before", "after", "until", "till", "once"}


def _posture(verb: Token) -> bool:
    """ "I stood at the back of the room", "I was sitting by the monitor": a posture held is a state
    (Dowty, 1979, on interval statives), the speaker present but doing nothing. Taking one up ("I sat
    down") or a phrasal verb ("I sat in on the board") is another verb, as is one with an object ("I
    sat the exam"); keeping someone company ("I sat with her through the consent") is done for that
    person: a comitative makes it an act."""
    if verb.lemma_.lower() not in POSTURE or _particle(verb):
        return False
    return not any(ch.dep_ == "dobj" or (ch.dep_ == "prep" and ch.lower_ == "with") for ch in verb.children)


def _background(verb: Token) -> bool:
    """An adverbial clause opened by a subordinator of time or reason ("before I left", "because
    I'd used CAD") or by "when" or "whenever" (an adverb in the parse): it says when or why, not what
    was done."""
    return verb.dep_ == "advcl" and any(
        (m.dep_ == "mark" and m.lower_ in BACKGROUND_MARKERS)
        or (m.dep_ in ("advmod", "mark") and m.lower_ in ("when", "whenever"))
        for m in verb.children
    )


def _past_progressive(c: Clause) -> bool:
    """ "I was following him", "I was driving home most weekends": "was" with an -ing verb and "I"
    as its subject; "my part was labelling the studies" says what the part was, it is a copula."""
    verb = c.head
    if not (c.past and verb.tag_ == "VBG"):
        return False
    if not any(a.dep_ == "aux" and a.lower_ in ("was", "were") for a in verb.children):
        return False
    subject, _ = _subject(verb)
    return subject is not None and subject.lower_ == "i"


def _causative(verb: Token) -> bool:
    """ "I had a certified interpreter check it", "I made her say the name", "I got him to sign
    the consent": a causative light verb over a small clause with its own subject. What the other
    person did, the speaker made happen: an act of the speaker's (Quirk et al., 1985, on complex
    transitive complementation)."""
    if verb.lemma_.lower() not in ("have", "make", "get", "let"):
        return False
    return any(
        ch.dep_ in ("ccomp", "xcomp", "dobj") and any(g.dep_ == "nsubj" for g in ch.children)
        for ch in verb.children
    )


def _achievement(verb: Token) -> bool:
    """ "I passed", "I scored 251", "I reached 250": what befell or came of it, not an act; a verb
    of achievement along a path ("I reached across the table") is a movement, and "get" putting
    people somewhere ("I got the family on the phone") is caused motion (`_puts_someone`)."""
    if verb.lemma_.lower() not in ACHIEVEMENT or _puts_someone(verb):
        return False
    return not any(ch.dep_ == "prep" and ch.lower_ in PATH_PREPS for ch in verb.children)


def _own_action(c: Clause) -> bool:
    """Something the speaker did or will do, concretely: "I called the fellow", "I'll apply to ESIR"."""
    if not _speaker_act(c):
        return False
    # "I ran the statistics myself": the emphatic reflexive claims the doing outright.
    if any(ch.lower_ == "myself" and ch.dep_ in ("npadvmod", "advmod", "appos") for ch in c.head.children):
        return True
    return c.concrete > 0 and c.concrete >= c.abstract


def _complement(verb: Token) -> list[Token]:
    """The words of the clause a verb takes as its content: a that- or wh-clause ("explained that
    ..."), or a gerund after a preposition ("by asking ...")."""
    clauses = [ch for ch in verb.children if ch.dep_ == "ccomp"]
    clauses += [g for ch in verb.children if ch.dep_ == "prep" for g in ch.children if g.dep_ == "pcomp"]
    return [t for clause in clauses for t in clause.subtree]


def _particle(verb: Token) -> bool:
    """ "set up", "took over", "came in": a phrasal verb is a verb of its own, light or not."""
    return any(
        ch.dep_ == "prt" or (ch.dep_ == "advmod" and ch.i == verb.i + 1 and ch.lower_ in PARTICLES)
        for ch in verb.children
    )


def _concrete_object(verb: Token) -> bool:
    """A direct object that is a concrete or specified thing: not a stretch of time, an exam or a pronoun."""
    # "I've done two IR electives and a QI project": each of the coordinated objects is an object.
    objects = [ch for ch in verb.children if ch.dep_ == "dobj"]
    objects += [g for o in objects for g in o.conjuncts]
    for noun in objects:
        if noun.pos_ not in ("NOUN", "PROPN") or (noun.lemma_.lower() in TEMPORAL and not _per_unit(noun)):
            continue
        nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
        if nxt is not None and _names_exam(nxt):
            continue
        # A thing, or an act pinned by a number or a name ("took an NBME practice test").
        if _concrete_noun(noun) or _specified(noun):
            return True
        # "the measurements for the fistulagram project": an act pinned by what it was for.
        for prep in noun.children:
            if prep.dep_ == "prep" and any(
                g.dep_ == "pobj" and g.lemma_.lower() not in TEMPORAL and (_concrete_noun(g) or _specified(g))
                for g in prep.children
            ):
                return True
    return False


def _keeps_a_thing(verb: Token) -> bool:
    """ "Over the next fortnight I kept a tally", "I kept a log of every drain": "keep" with a thing
    for its object is keeping it up, an activity (Levin, 1993, 15.2), not the copula of "keep calm"
    or "kept quiet", which take an adjective."""
    return verb.lemma_.lower() == "keep" and _concrete_object(verb)


def _hands_on(verb: Token) -> bool:
    """ "I took it to the nurse in charge", "I gave the list to my attending": a light verb with a
    goal ("to" a person or a place) is a verb of sending and carrying (Levin, 1993, 11), a thing
    moved from the speaker to someone, not the light verb of "I took the year"."""
    return verb.lemma_.lower() in ("take", "give", "bring") and any(
        p.dep_ in ("prep", "dative")
        and p.lower_ == "to"
        and any(g.pos_ in ("NOUN", "PROPN") for g in p.children)
        for p in verb.children
    )


def _puts_someone(verb: Token) -> bool:
    """ "I got my attending and the fellow on one call", "I got him into the scanner": "get" with a
    person for its object and a place or medium for them ("on", "into", "onto", "to") is caused
    motion (Levin, 1993, 11 and 9), the speaker putting people somewhere, not the light verb of
    "I got a spot on the team", whose object is a thing gained."""
    if verb.lemma_.lower() != "get":
        return False
    objects = [ch for ch in verb.children if ch.dep_ == "dobj"]
    objects += [g for o in objects for g in o.conjuncts]
    people = [
        o
        for o in objects
        if o.lower_ in PERSONAL_OBJECTS
        or o.ent_type_ == "PERSON"
        or (o.lemma_.lower() in ROLE_HOLDERS | {"patient", "family"} and o.lemma_.lower() not in INSTITUTIONS)
    ]
    return bool(people) and any(
        p.dep_ == "prep"
        and p.lower_ in ("on", "into", "onto", "to")
        and any(g.pos_ in ("NOUN", "PROPN") for g in p.children)
        for holder in (verb, *people)
        for p in holder.children
    )


def _anothers_object(verb: Token) -> bool:
    """ "I did her discharge paperwork", "I did his dissections", "I took the patient's consent":
    a light verb's object that belongs to someone else is a task done to or for that person, where
    the speaker's own ("I did my rotation", "I took my year") is a stretch of their own life."""
    objects = [ch for ch in verb.children if ch.dep_ == "dobj"]
    objects += [g for o in objects for g in o.conjuncts]
    return any(
        p.dep_ == "poss" and (p.lower_ in ("his", "her", "their") or p.pos_ in ("NOUN", "PROPN"))
        for o in objects
        for p in o.children
    )


def _per_unit(noun: Token) -> bool:
    """ "two blocks a day", "three shifts per week": a count of units at a rate is work done,
    not a stretch of time spent ("I did my surgery block")."""
    counted = any(c.dep_ == "nummod" or c.like_num for c in noun.children)
    rate = any(
        (c.dep_ == "npadvmod" and any(d.lower_ in ("a", "an", "every", "each") for d in c.children))
        or (c.dep_ == "prep" and c.lower_ == "per")
        for c in noun.children
    )
    return counted and rate


def _concrete_noun(noun: Token) -> bool:
    return noun.pos_ == "PROPN" or concreteness(noun) >= CONCRETE_AT or noun.text[:2].isupper()


def _comparative(verb: Token) -> bool:
    return any(t.tag_ in ("JJR", "RBR") for t in _arguments(verb, set()))


def _conditional(verb: Token) -> bool:
    """The verb heads (or is conjoined into) an if- or unless-clause."""
    t = verb
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    return any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in t.children)


def _counterfactual(verb: Token) -> bool:
    """ "I should have called", "I would have paged": a modal perfect, what did not happen."""
    lows = {a.lower_ for a in verb.children if a.dep_ == "aux"}
    return verb.tag_ == "VBN" and bool(lows & {"have", "'ve", "of"}) and bool(lows & _MODALS)


def _pro_verb(verb: Token) -> bool:
    """ "all I did", "everything I did": light "do" relativised on its own object, which is the
    noun it modifies; it names no act, it refers to acts."""
    return (
        verb.lemma_.lower() == "do"
        and verb.dep_ == "relcl"
        and not any(ch.dep_ in ("dobj", "ccomp", "xcomp", "prt") for ch in verb.children)
    )


def _vague_action(c: Clause) -> bool:
    """The speaker in the story without a concrete act: a role ("I was involved", "I helped"), a
    habit, a light verb, something watched, or "we" for what the team did."""
    # An infinitive is no act told ("to contribute"); of passives only the role ("I was involved").
    if c.tense == "nonfinite" or c.negated:
        return False
    # "What I did was ...": the frame of a pseudo-cleft, whose act is its focus (`_cleft_frame`);
    # "the part of radiology I'll put up with" is a slight (`_endures_diagnostic`).
    if _frames_cleft(c.head) or _endures_diagnostic(c):
        return False
    # "That was all I did", "everything I did that week": "do" in a relative clause with no object
    # of its own stands for the acts its noun gathers (a pro-verb), told elsewhere; no part of its own.
    if _pro_verb(c.head):
        return False
    # "If I went that route", "when I came back": a condition or a background says when or if, it
    # plays no part, as for a clear act.
    if _conditional(c.head) or _background(c.head):
        return False
    if c.person == "i":
        if c.passive or c.stative:
            return c.lemma in VAGUE_ROLE
        # Being there ("I saw a fibroid embolization") is a part, if a small one; "I've seen" alone,
        # coming to know and what befell one ("I passed") are no part at all, nor is seeing that
        # something was so ("I saw the line had kinked"): that is knowing it, not being there.
        if c.lemma in PERCEPTION:
            return c.concrete > 0 and c.tense in ("past", "perfect") and not _sees_that(c.head)
        if _posture(c.head):
            return False
        if c.comes_to_know or _took_away(c) or _achievement(c.head) or c.lemma in REPORTING:
            return False
        if c.tense == "modal":
            return c.lemma in VAGUE_ROLE
        # In the present, only a role, a habit or a light verb claims doing ("I take ownership",
        # "I always follow up"); "I thrive in a team" describes.
        if c.tense == "present" and c.head.tag_ != "VBG":
            return c.lemma in VAGUE_ROLE or c.lemma in LIGHT_VERBS or c.habitual
        return True
    return c.person == "we" and c.past and not c.stative


def _result(c: Clause, first_action: int) -> bool:
    """What came of it: a past event after the first action, with concrete content."""
    if c.start <= first_action or not (c.past or c.tense == "perfect") or c.habitual:
        return False
    # "In the six months since, I have not missed a result": a lapse denied after the change is
    # what came of it, where other events denied are none ("the fellow never came back").
    if c.negated:
        return _lapse_held(c) or _absence_held(c)
    if _absence_held(c):
        return True
    # The past perfect sets the scene before the story's time ("his heart rate had been high").
    if past_perfect(c.head):
        return False
    if _vague_result(c) or (c.lemma in VAGUE_CHANGE and not c.anchored):
        return False
    if c.comes_to_know and c.person == "i":
        return False
    # "All of these have taught me time management", "it showed me": what the episode taught the
    # speaker is a lesson (a reflection), whatever taught it, not what came of the episode.
    if _teaches_me(c):
        return False
    # "what the scan showed", "how IR tied it together": an embedded question names a content,
    # it tells no event; a subject wh-word ("what convinced me was ...") opens a pseudo-cleft.
    if c.head.dep_ in ("ccomp", "pcomp", "csubj", "xcomp") and any(
        ch.tag_ in ("WP", "WRB") and ch.dep_ != "nsubj" for ch in c.head.children
    ):
        return False
    if _yes_no_question(c.head):
        return False
    # "I think the rotation has prepared me well", "I like that the interns ran the sessions": an
    # event told as the speaker's present opinion is a view held now, not an outcome of the story.
    if _opinion_held_now(c.head):
        return False
    # "if I got the research year", "unless the scan came back clean": the protasis of a condition
    # asserts no event, it supposes one (Comrie, 1986, on conditionals as non-factual), whatever its
    # tense; the past there is the past of hypothesis, not of the story.
    if _conditional(c.head):
        return False
    # "while PT did the evaluation", "because the lab didn't flag it", "when a patient crashed": a
    # clause subordinated as the background, the time or the reason of another tells what was going
    # on, not what came of it ("when" is the clause's adverb in the parse, the others its marker).
    if c.head.dep_ == "advcl" and any(
        (m.dep_ == "mark" and m.lower_ in ("while", "as", "because", "since"))
        or (m.dep_ == "advmod" and m.lower_ == "when")
        for m in c.head.children
    ):
        return False
    # "It deepened my love of IR", "the case made me more confident": a change in the
    # speaker's own mind is what they say it did to them, no outcome anyone else could see.
    if _changes_the_speakers_mind(c):
        return False
    # "It has made me a stronger candidate", "it's been a really full year", "the extra year set me
    # up": a result whose subject is a pronoun or a stretch of time needs a measure, not a date.
    subject, _ = _subject(c.head)
    vague_subject = c.person == "thing" or (subject is not None and subject.lemma_.lower() in TEMPORAL)
    if vague_subject and not _measured(c):
        return False
    # "She said my notes were the clearest on the team", "my evaluation noted I left on time": a
    # change someone else noticed, reported after the speaker acted.
    # "Attendings have told me I'm a natural", "my mentor has joked that I need to go home": what
    # others have said of the speaker, in the perfect, gathers over time, a reputation, and is no
    # reaction to this story (the perfect takes no definite time).
    if c.person == "other" and c.tense == "perfect" and _said_of_speaker(c):
        return False
    if c.person == "other" and c.lemma in REPORTING:
        # What they said must be about the speaker ("my notes", "I left on time"); "he told me his
        # chest hurt" is the story, not a reaction to it.
        return _said_of_speaker(c)
    # "The co-author was supposed to do the measurements": what was to be done (a semi-modal of
    # obligation, "be supposed to", "be meant to") asserts no event, whoever was to do it.
    if c.passive and c.lemma in ("suppose", "mean") and any(x.dep_ == "xcomp" for x in c.head.children):
        return False
    # "I saw his glove touch the drape", "we noticed the line was kinked": what the speaker saw is
    # the scene they were in, the content of their perception, not what came of anything.
    if _perceived(c.head):
        return False
    # "I was still the one catching things on rounds", "a patient admitted overnight": a participle
    # modifying a noun says what kind of thing it is; it asserts no event of its own.
    if c.head.dep_ == "acl" and c.head.tag_ in ("VBG", "VBN"):
        return False
    # "March, where I presented a paper", "a small town where my dad ran a store": a relative
    # clause opened by "where" or "when" says where or when its noun is, the setting; unless, like a
    # state below, it is pinned to a point of the story's time ("a hospital where IR embolized the
    # artery in forty minutes").
    if _setting_relative(c.head) and not _at_a_point(c):
        return False
    # "The nearest hospital was ninety minutes away", "my scores stayed flat for three weeks", "she
    # was handling thirty requests": a state of someone or something else, or what they were in
    # the middle of doing, describes the scene (the imperfective backgrounds; Hopper, 1979); it is
    # what came of it only when it holds at a point of the story's time ("her level was normal by
    # the afternoon", "three weeks later she was walking") or measures the outcome ("the rate was
    # 6 percent"). A verb of change ("got", "became") tells an event.
    if (
        (c.stative or _progressive(c.head))
        and c.person in ("other", "thing")
        and c.lemma not in CHANGE_OF_STATE
        and not _causative(c.head)
        and not (_at_a_point(c) or _state_measured(c))
    ):
        return False
    if c.person in ("other", "thing", "we") or c.passive:
        # "He was embolized within the hour": an event pinned in time is concrete enough.
        return (c.concrete >= 1 or c.anchored) and c.concrete >= c.abstract and (not c.stative or c.anchored)
    # "I scored 251", "we presented it at SIR": the speaker's own result is an achievement or an
    # output with an amount or a name; "I set up two IVs" is an action, whatever it counts.
    if c.person not in ("i", "we") or (c.stative and c.lemma not in ACHIEVEMENT) or c.negated:
        return False
    # "I scrubbed on thirty cases that month": a count of things done over a stretch is its sum,
    # what came of the stretch, where "I set up two IVs" in one scene is a step of it.
    if _tally(c):
        return True
    if c.lemma not in ACHIEVEMENT and c.lemma not in OUTPUT_VERBS:
        return False
    # "Then I passed the retake", "I honored the surgery clerkship": a verb of attainment
    # reports an outcome by its meaning alone; "I got", "I reached" need the amount or the name.
    # "I passed everything" names nothing attained: an indefinite pronoun sums up a record, it
    # tells no outcome of the story.
    if c.lemma in ATTAINMENT:
        return not any(ch.dep_ == "dobj" and ch.lower_ in INDEFINITE_PRONOUNS for ch in c.head.children)
    return c.anchored or any(
        t.like_num and not _names_exam(t) and t.ent_type_ not in ("TIME", "DATE")
        for t in _arguments(c.head, set())
    )


def _changes_the_speakers_mind(c: Clause) -> bool:
    """A change told of the speaker's own mind, an experiencer's state (Levin 1993, 31.1, the
    amuse class, whose object is the one moved), with no number to measure it:
    - a small clause predicating a state of "me": "it made me more passionate about IR", "the
      advice helped me be more relaxed", "it made me a better listener" (an adjective, "be", or a
      noun with its quality; "helped me place the line" is an act of the speaker's, and stays);
    - an abstract noun of the speaker's as the object: "it strengthened my commitment", "the
      elective reinforced my interest in IR" ("it cut my wait to two days" measures a thing).
    Such a change is what the speaker says of themselves, a reflection at most, not an outcome."""
    head = c.head
    if any(t.like_num and t.ent_type_ not in ("TIME", "DATE") for t in _arguments(head, set())):
        return False
    for ch in head.children:
        if ch.dep_ in ("ccomp", "xcomp", "oprd") and any(
            s.dep_ == "nsubj" and s.lower_ == "me" for s in ch.children
        ):
            if ch.pos_ == "ADJ" or ch.lemma_.lower() == "be":
                return True
            if ch.pos_ == "NOUN" and any(a.dep_ == "amod" for a in ch.children):
                return True
        if (
            ch.dep_ == "dobj"
            and ch.pos_ == "NOUN"
            and _is_abstract(ch)
            and any(p.dep_ == "poss" and p.lower_ == "my" for p in ch.children)
        ):
            return True
    return False


def _yes_no_question(verb: Token) -> bool:
    """ "a project on whether the lower dose still gave enough image quality", "I asked if the scan
    had shown a leak": a yes-no question embedded (by "whether", or "if" as a complement) asserts
    neither answer, so it tells no event."""
    embedded = verb.dep_ in ("ccomp", "pcomp", "csubj", "pobj")
    return embedded and any(ch.dep_ == "mark" and ch.lower_ in ("whether", "if") for ch in verb.children)


def _opinion_held_now(verb: Token) -> bool:
    """The verb's clause is the content of the speaker's present opinion, a view held at the time of
    speaking (Benveniste's discourse, not the story's time), with "I" in the present tense:
    - valued: "I like [that the fellows taught the course]": an emotive factive presupposes its
      content and asserts the valuing (Kiparsky and Kiparsky, 1970), a feature the speaker likes;
    - believed in the perfect: "I think [the block has prepared me]": the perfect's reference time
      is the present (Reichenbach, 1947), so the whole is an assessment of now. In the simple past
      ("I think [the drill sped up our sign-out]") the belief only hedges an event of the story's time.
    Reported or remembered ("I thought it had worked", "I know she went home") it stays the story's."""
    t = verb
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    if t.dep_ != "ccomp" or t.head.i == t.i:
        return False
    matrix = t.head
    subject, _ = _subject(matrix)
    if subject is None or subject.lower_ != "i" or _tense(matrix) != "present":
        return False
    lemma = matrix.lemma_.lower()
    return lemma in VALUING or (lemma in BELIEVING and _tense(verb) == "perfect")


def _reported(verb: Token) -> bool:
    """Inside what someone else said or felt about the speaker: "he told me he was glad [I had spoken
    up]", "my senior said [I had made the handoff faster]". The speaker's clause there is part of
    that report (a result), not a part the speaker tells themselves."""
    for a in (verb, *verb.ancestors):
        if a.dep_ != "ccomp":
            continue
        head = a.head
        if head.lemma_.lower() not in REPORTING:
            continue
        subject, _ = _subject(head)
        if subject is not None and subject.lower_ not in ("i", "we"):
            return True
    return False


def _said_of_speaker(c: Clause) -> bool:
    """A content clause of the verb's that is about the speaker: "... that I need to go home"."""
    # "My final evaluation called my notes concise": a verdict given as an object and a predicate
    # of it (a small clause), the same report as "said my notes were concise".
    if any(ch.dep_ == "oprd" for ch in c.head.children) and any(
        o.dep_ == "dobj" and _mentions_speaker(o) for o in c.head.children
    ):
        return True
    for ch in c.head.children:
        if ch.dep_ != "ccomp":
            continue
        if _mentions_speaker(ch):
            return True
        # "told me my sign out was the easiest to follow": the parser hangs the content clause's
        # subject on the reporting verb as its object, leaving the clause without one.
        if not any(g.dep_ in ("nsubj", "nsubjpass") for g in ch.children) and any(
            o.dep_ == "dobj" and _mentions_speaker(o) for o in c.head.children
        ):
            return True
    return False


def _mentions_speaker(token: Token) -> bool:
    return any(t.lower_ in ("my", "i", "me") for t in token.subtree)


def _tally(c: Clause) -> bool:
    """The speaker's past act over a long stretch ("that month", "by the end of the elective") whose
    own words count plural things with a number: "I scrubbed on thirty cases that month"."""
    if not c.past or c.person != "i" or c.habitual:
        return False
    args = _arguments(c.head, set())
    counted = any(
        t.dep_ == "nummod" and t.like_num and t.head.tag_ == "NNS" and t.head.lemma_.lower() not in TEMPORAL
        for t in args
    )
    stretch = any(t.lemma_.lower() in LONG_SPAN and t.pos_ == "NOUN" for t in args)
    return counted and stretch


def past_perfect(verb: Token) -> bool:
    """ "had been", "'d seen": the past before the story's past, which sets its scene."""
    return verb.tag_ == "VBN" and any(a.lower_ in ("had", "'d") for a in verb.children if a.dep_ == "aux")


def _measured(c: Clause) -> bool:
    """A number that is not a time, a name, or named IR work among the clause's own words."""
    for t in _arguments(c.head, set()):
        if t.like_num and not _names_exam(t) and t.ent_type_ not in ("TIME", "DATE"):
            return True
        if t.ent_type_ in ("PERSON", "ORG", "GPE", "FAC", "PERCENT", "QUANTITY") or t.lower_ in IR_TERMS:
            return True
    return False


# Pronouns that stand for no particular thing: "I passed everything".
INDEFINITE_PRONOUNS = {"everything", "anything", "something", "all"}
# Stative verbs whose meaning is a change of state: "he got his line", "it became a poster".
CHANGE_OF_STATE = {"get", "become"}
# Prepositions that set a state at a point of time ("by the afternoon", "at discharge", "after
# that"), where "for three weeks" or "during the rotation" spread it over a stretch.
POINT_PREPS = {"by", "within", "after", "at", "on", "until", "since", "in"}
# Adverbs that set a state after the story's events: "then", "afterwards", "by then".
POINT_ADVERBS = {"then", "afterwards", "afterward", "later", "eventually", "finally", "soon", "again", "now"}


def _perceived(verb: Token) -> bool:
    """The complement of the speaker's verb of perception: "I saw [his glove touched the table]"."""
    if verb.dep_ not in ("ccomp", "xcomp"):
        return False
    head = verb.head
    if head.lemma_.lower() not in PERCEPTION | {"notice", "spot"}:
        return False
    subject, _ = _subject(head)
    return subject is not None and subject.lower_ in ("i", "we")


def _setting_relative(verb: Token) -> bool:
    """A relative clause opened by "where" or "when", or a verb conjoined to one ("a hospital where
    two IRs covered everything and ran a clinic"); the parser hangs a "where" clause after a comma
    on the verb as an adverbial ("I grew up in Erie, where I first got interested in medicine")."""
    while verb.dep_ == "conj":
        verb = verb.head
    if verb.dep_ == "advcl":
        return any(t.dep_ == "advmod" and t.lower_ == "where" for t in verb.children)
    return verb.dep_ == "relcl" and any(
        t.dep_ == "advmod" and t.lower_ in ("where", "when") for t in verb.children
    )


def _progressive(verb: Token) -> bool:
    """ "was handling", "were waiting", "had been translating": a past in the middle of its course."""
    return verb.tag_ == "VBG" and any(
        a.dep_ == "aux" and a.lower_ in ("was", "were", "been") for a in verb.children
    )


def _at_a_point(c: Clause) -> bool:
    """A state told at one point of the story's time: "by the afternoon", "by eleven", "at the end
    of the month", "that evening", "then"; a long stretch ("on my IR elective") or a length of time
    ("ninety minutes away", "for three weeks") is no point."""
    for t in _arguments(c.head, set()):
        word = t.lemma_.lower()
        if t.dep_ == "pobj" and t.head.lower_ in POINT_PREPS:
            if (word in TEMPORAL and word not in LONG_SPAN) or word in TIME_PARTS or word == "then":
                return True
            # "by the third week", "by February": "by" sets a deadline, a point, whatever its span.
            if t.head.lower_ == "by" and (word in TEMPORAL or word in MONTHS):
                return True
            if t.ent_type_ == "TIME" or (t.like_num and t.head.lower_ == "by"):
                return True
        if (
            t.dep_ == "npadvmod"
            and word in TEMPORAL
            and word not in LONG_SPAN
            and not any(n.like_num for n in t.children)
        ):
            return True
        if t.dep_ == "advmod" and t.lower_ in POINT_ADVERBS:
            return True
    return False


def _state_measured(c: Clause) -> bool:
    """A state whose complement holds a number or a share: "the rate was 6 percent", "my shelf was
    twelve points above the pass line"; "one" ("one comment", "one of my favourites") counts
    nothing, and an ordinal ("the first-years") ranks, it measures nothing."""
    for ch in c.head.children:
        if ch.dep_ in ("attr", "acomp", "oprd", "dobj") and any(
            (t.pos_ == "NUM" and t.lower_ != "one") or t.ent_type_ == "PERCENT" for t in ch.subtree
        ):
            return True
    return False


# Verbs of change that need a measure to say anything ("my evaluations improved significantly").
VAGUE_CHANGE = {
    "improve",
    "grow",
    "change",
    "work",
    "turn",
    "reflect",
    "increase",
    "get",
    "become",
    "pay",
    "go",
}


def _vague_result(c: Clause) -> bool:
    # "the interns were not getting any practice": a change denied claims no result, vague or not.
    if not (c.past or c.tense in ("perfect", "present")) or c.negated:
        return False
    # "I never give up when things get difficult", "if it gets better": a change in a clause of time
    # or condition says when or if, the setting of another clause; it claims nothing came of anything.
    if _background(c.head) or _conditional(c.head):
        return False
    # "It made me a more empathetic doctor": a change of the speaker told as a causative, no measure.
    if c.lemma == "make" and any(
        t.lower_ == "me" and t.head in (c.head, *c.head.children) for t in c.head.subtree
    ):
        return not _measured(c)
    return c.lemma in VAGUE_CHANGE and not c.anchored


def _since_then(verb: Token) -> bool:
    """ "since then", "ever since", "from then on" fronting the verb's clause."""
    for prep in verb.children:
        if prep.i > verb.i or prep.lower_ not in ("since", "from"):
            continue
        if any(w.lower_ == "then" for w in prep.subtree):
            return True
    return False


def _quality_at_doing(verb: Token) -> bool:
    """ "better at recognizing when I'm overextended": the quality's complement names a doing."""
    preps = [ch for ch in verb.children if ch.dep_ == "prep"]
    preps += [p for ch in verb.children if ch.dep_ == "acomp" for p in ch.children if p.dep_ == "prep"]
    return any(g.tag_ == "VBG" for p in preps for g in p.children)


# Aspectual verbs over a practice: its beginning (inceptive) or its end (terminative; Freed 1979,
# Brinton 1988): "started writing the plan down", "stopped carrying the old checklist".
PRACTICE_ASPECTUALS = {"start", "begin", "stop", "quit"}


def _habit_begun(c: Clause) -> bool:
    """ "After that I started writing the plan down", "from that night on I began asking", "after
    that I stopped carrying the old checklist": a practice that begins or ends (an aspectual verb over what
    is then done, or no longer done) once the episode is over, told as an event but a change kept,
    a reflection; "after that I paged the fellow" is the next step. A verb conjoined to one so set
    shares its time ("after that I stopped carrying the old checklist and started writing each question
    down")."""
    head = c.head
    if c.lemma not in PRACTICE_ASPECTUALS or c.negated:
        return False
    # "stopped to check the chart" stops one thing for another, a step: a practice ended is a
    # gerund ("stopped carrying").
    if not any(
        ch.dep_ == "xcomp" and ch.i > head.i and (ch.tag_ == "VBG" or c.lemma in ("start", "begin"))
        for ch in head.children
    ):
        return False
    verbs = [head]
    while verbs[-1].dep_ == "conj" and verbs[-1].head.pos_ in ("VERB", "AUX"):
        verbs.append(verbs[-1].head)
    return any(_set_after_the_episode(v) for v in verbs)


def _set_after_the_episode(head: Token) -> bool:
    """A fronted "after that", "since then", "from that night" on the verb."""
    for prep in head.children:
        if prep.i > head.i or prep.lower_ not in ("after", "since", "from"):
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            if obj.lower_ in ("then", "that", "this", "it") or any(
                d.lower_ in ("that", "this") for d in obj.children if d.dep_ == "det"
            ):
                return True
    return False


def _now_against_then(verb: Token) -> bool:
    """ "now", "since", "anymore" modifying the verb itself (not a clause below it)."""
    for ch in verb.children:
        if ch.lower_ in NOW_AGAINST_THEN and ch.dep_ in ("advmod", "npadvmod", "prep", "advcl"):
            # "since" opening a clause of its own ("since I was a kid") gives a reason or a start.
            opens_clause = any(g.dep_ in ("pobj", "pcomp", "nsubj") for g in ch.children)
            if ch.lower_ == "since" and opens_clause and not any(g.lower_ == "then" for g in ch.subtree):
                continue
            return True
    return False


def _after_the_episode(verb: Token) -> bool:
    """The clause is set after the episode: "now", "since then", "ever since", "from then on",
    "these days", "after that" on the verb itself, or a bare "since" in a perfect clause ("I have
    kept a list of every lab since", where the parser hangs "since" on the last noun)."""
    if _now_against_then(verb) or _since_then(verb):
        return True
    for ch in verb.children:
        # "These days I read back every order"
        if (
            ch.dep_ == "npadvmod"
            and ch.lemma_.lower() == "day"
            and any(d.lower_ == "these" for d in ch.children)
        ):
            return True
        # "After that I page the fellow myself", "from that night on I ..."
        if (
            ch.dep_ == "prep"
            and ch.i < verb.i
            and ch.lower_ in ("after", "since", "from")
            and _points_back(ch)
        ):
            return True
    perfect = any(a.lower_ in ("have", "has", "'ve") for a in verb.children if a.dep_ == "aux")
    return perfect and any(
        t.lower_ == "since" and t.dep_ == "advmod" and not any(t.children) for t in _arguments(verb, set())
    )


def _points_back(prep: Token) -> bool:
    """A preposition whose object points back at the episode: "after that", "from that night"."""
    return any(
        obj.dep_ in ("pobj", "pcomp")
        and (
            obj.lower_ in ("then", "that", "this", "it")
            or any(d.lower_ in ("that", "this") for d in obj.children if d.dep_ == "det")
        )
        for obj in prep.children
    )


def changed_practice(c: Clause) -> bool:
    """What the speaker does now that they did not do before the episode: a present habit or a
    perfect set after it ("Since then I keep a written list of every lab I order", "Now I read
    back every order", "I've kept a list since"). The anchor tells a change made, where a bare
    present habit ("I always double-check") is a claim about oneself."""
    return (
        c.person == "i"
        and c.tense in ("present", "perfect")
        and not c.negated
        and _after_the_episode(c.head)
        and not (_self_description(c) and not _quality_at_doing(c.head))
    )


# Verbs whose meaning is a lapse: said of the speaker in the past ("I missed two sessions", "I
# overlooked the allergy", "I failed Step 1") they tell the setback itself, as a negative
# implicative does ("I forgot to follow it up").
LAPSE_VERBS = NEGATIVE_IMPLICATIVES | {"miss", "overlook", "skip"}


def _lapse_verb(verb: Token) -> bool:
    return verb.lemma_.lower() in LAPSE_VERBS or verb.lower_ in LAPSE_VERBS


def _setback_lapse(c: Clause) -> bool:
    """The speaker's lapse, told as an event of the story: an act of theirs denied in the simple
    past ("I didn't ask her myself"), a negative implicative ("I forgot to follow it up"), or a
    verb whose meaning is a lapse ("I missed two required sessions"). It is the setback of a
    mistake story, and divides it: what the speaker did before it tells the setback, what they did
    after it is what they did about it. A state denied ("I wasn't sure", "I didn't know") leaves no
    act undone; a denial in a clause below another (a reason, a condition, a relative clause) or
    bounded in time ("I didn't leave until he was stable") is no event of the story; and a lapse
    denied after the episode ("I haven't missed one since") is the change holding (`_lapse_held`)."""
    head = c.head
    if c.person != "i" or not c.past or c.habitual or past_perfect(head) or c.passive:
        return False
    if head.dep_ not in ("ROOT", "conj", "parataxis") or _conditional(head):
        return False
    if c.stative or c.lemma in MENTAL or c.comes_to_know:
        return False
    if _after_the_episode(head) or _again(head) or _stretch_after(head):
        return False
    if not c.negated:
        return _lapse_verb(head)
    # "I didn't leave until he was stable": the denial is bounded in time, it tells what was done.
    bounds = [ch for ch in head.children if ch.dep_ in ("prep", "advcl")]
    bounds += [g for ch in bounds for g in ch.children if g.dep_ == "mark"]
    return not any(t.lower_ in ("until", "till") for t in bounds)


def _again(verb: Token) -> bool:
    """ "not ... again": the verb itself said to recur."""
    return any(ch.lower_ == "again" and ch.dep_ == "advmod" for ch in verb.children)


def _stretch_after(verb: Token) -> bool:
    """A stretch of time set after the episode among the verb's own words: "in the six months
    since", "in the two years after that", "for the rest of the rotation"."""
    for t in _arguments(verb, set()):
        if t.lemma_.lower() not in LONG_SPAN:
            continue
        # "after that" on the noun or, as the parser often hangs it, on its preposition ("in").
        near = list(t.children) + (list(t.head.children) if t.head.dep_ == "prep" else [])
        for ch in near:
            if ch.lower_ == "since" and ch.dep_ == "advmod" and not any(ch.children):
                return True
            if ch.dep_ == "prep" and ch.lower_ in ("after", "since") and _points_back(ch):
                return True
        # "the rest of the rotation"
        if t.head.lower_ == "of" and t.head.head.lemma_.lower() == "rest":
            return True
    return False


def _lapse_held(c: Clause) -> bool:
    """A lapse denied over a stretch set after the episode: "In the six months since, I have not
    missed a result", "I haven't forgotten a follow-up since", "it hasn't happened again". What
    came of the change: it held. The lapse is the speaker's (a verb whose meaning is a lapse) or
    the episode pointed back at ("it", "that") said not to have happened again."""
    if not c.negated or c.tense not in ("past", "perfect"):
        return False
    head = c.head
    if c.person == "i":
        lapse = _lapse_verb(head)
    else:
        subject, _ = _subject(head)
        lapse = c.lemma == "happen" and subject is not None and subject.lower_ in ("it", "that", "this")
    return lapse and (_after_the_episode(head) or _again(head) or _stretch_after(head))


def _absence_held(c: Clause) -> bool:
    """What the story's trouble no longer brought, over a time set after the episode: "in the month
    after, there were no cancelled scans", "since then there hasn't been a single missed hold",
    "I've had no cancelled scans in the four months since", "I didn't get that complaint again".
    Existence or receipt denied (an existential "there be", or "have", "get" with "no" or "not")
    tells the state of things after the change, what came of it, as a lapse denied does
    (`_lapse_held`); "there were no beds that night" denies within the story, and sets its scene."""
    head = c.head
    if c.tense not in ("past", "perfect"):
        return False
    existential = c.lemma == "be" and any(ch.dep_ == "expl" for ch in head.children)
    if not (existential or c.lemma in ("have", "get")):
        return False
    denied = c.negated or any(
        ch.dep_ in ("attr", "dobj", "nsubj")
        and any(d.dep_ == "det" and d.lower_ == "no" for d in ch.children)
        for ch in head.children
    )
    return denied and (
        _after_the_episode(head) or _again(head) or _stretch_after(head) or _stretch_after_bare(head)
    )


def _stretch_after_bare(verb: Token) -> bool:
    """ "in the month after", "the weeks afterwards": a stretch of time followed by a bare "after"
    or "afterwards", which points back at the episode."""
    return any(
        t.lemma_.lower() in LONG_SPAN
        and any(
            ch.dep_ == "advmod" and ch.lower_ in ("after", "afterwards", "afterward") and not any(ch.children)
            for ch in t.children
        )
        for t in _arguments(verb, set())
    )


def _coordinated(c: Clause, clauses: Sequence[Clause]) -> list[Clause]:
    """The clauses joined to `c` that share its subject ("I ordered a potassium and forgot to
    follow it up"): one chain, told of one subject. A conjunct with a subject of its own ("..., so
    I met with the clerkship director") is a clause of its own."""

    def own_subject(t: Token) -> bool:
        return any(ch.dep_ in ("nsubj", "nsubjpass", "expl") for ch in t.children)

    top = c.head
    while top.dep_ == "conj" and top.head.i != top.i and not own_subject(top):
        top = top.head
    chain = {top.i}
    todo = [top]
    while todo:
        t = todo.pop()
        for ch in t.children:
            if ch.dep_ == "conj" and ch.pos_ in ("VERB", "AUX") and not own_subject(ch):
                chain.add(ch.i)
                todo.append(ch)
    return [d for d in clauses if d.head.i in chain]


def _learned_a_thing(verb: Token) -> bool:
    """ "I learned ultrasound-guided access", "I learned a lot about imaging": a skill or a quantity learnt, a
    noun object and no clause; a lesson is a proposition ("I learned that ...", "learned to ask")."""
    if verb.lemma_.lower() != "learn" or any(ch.dep_ in ("ccomp", "xcomp") for ch in verb.children):
        return False
    return any(ch.dep_ == "dobj" and ch.pos_ in ("NOUN", "PROPN") for ch in verb.children)


# Verbs of finding out: achievements (Vendler 1957), which in the simple present can only tell a
# habit ("I learn best by doing"), never a state held now as "I understand it now" does.
FINDING_OUT = {"learn", "discover", "notice"}


def _finds_out_habitually(c: Clause) -> bool:
    """ "I learn best by doing it myself", "the kind of student who learns fastest with feedback":
    a verb of finding out in the simple present is a habit, a way of learning claimed for the
    speaker, not something the episode taught; "I learned", "I've learned" still find out."""
    return c.lemma in FINDING_OUT and c.tense == "present" and c.head.tag_ in ("VBP", "VBZ")


def _sees_what(c: Clause) -> bool:
    """ "What I saw here was a team that teaches", "I liked what I saw on the rotation", "from what
    I've seen": a verb of perception whose own object is the wh-word of a free relative before it
    sees a thing, named by the relative as a noun phrase (Bresnan and Grimshaw 1978), not a fact;
    the wh-word of a content clause belongs to the clause below ("I saw what the team does for
    families", knowing, `_sees_that`)."""
    return c.lemma in PERCEPTION and any(
        ch.dep_ == "dobj" and ch.tag_ == "WP" and ch.i < c.head.i for ch in c.head.children
    )


def _found_in_story(c: Clause) -> bool:
    """ "I saw it was bright red", "I noticed that his foot was cold", "I realized the line had
    kinked": coming to know a past state of someone or something else in the scene is a turn of
    the story, found out there and then; a lesson holds beyond the episode, so it is about the
    speaker ("I saw I had waited too long") or told out of the story's past ("I realized that
    nurses notice it first"). A wh-clause ("I saw how much of the work was deciding who not to
    treat") asks how things are, knowing, not a state seen (`_sees_that`)."""
    contents = [ch for ch in c.head.children if ch.dep_ == "ccomp" and _finite(ch)]
    if not contents or any(v.left_edge.tag_ in ("WRB", "WP", "WDT") for v in contents):
        return False
    for verb in contents:
        subject, _ = _subject(verb)
        if _person(subject) not in ("other", "thing") or _tense(verb) != "past":
            return False
    return True


def _teaches_me(c: Clause) -> bool:
    """ "It taught me", "that night showed me", "it reminds me": a verb of teaching with the
    speaker as the one taught."""
    return c.lemma in TEACHING and any(ch.lower_ == "me" for ch in c.head.children)


# Adjectives that say only that something matters.
IMPORTANCE = {"important", "crucial", "essential", "vital"}


def _maxim_of_importance(verb: Token) -> bool:
    """The content of a verb of knowing or showing is that something matters, in general: "how
    important it is to ...", "that it's essential to ...", "the importance of ..."."""
    for content in verb.children:
        if content.dep_ not in ("ccomp", "xcomp", "dobj"):
            continue
        for t in content.subtree:
            if t.lemma_.lower() == "importance":
                return True
            if (
                t.lemma_.lower() in IMPORTANCE
                and t.dep_ == "acomp"
                and any(s.dep_ == "nsubj" and s.lower_ == "it" for s in t.head.children)
            ):
                return True
    return False


def _virtue_list(c: Clause) -> bool:
    """What was learnt is a list of abstract nouns: "It taught me humility, accountability and the
    importance of communication", "I noticed that there was little agreement on the timing of such
    decisions". When the speaker's verb has no nouns of its own the clause's counts are its content
    clause's (`_clauses`); but a content clause left in the present after a past verb of knowing
    ("I learned that whoever orders a test has to read the result") has escaped the backshift of
    reported speech, which says its proposition still holds at the time of speaking (Huddleston
    and Pullum 2002, ch. 3, on backshift; Comrie 1986, "Tense in indirect speech"): a lesson kept,
    to be judged as a claim (`_maxim_of_importance`), not as a list of nouns."""
    if c.abstract < 2 or c.abstract <= c.concrete:
        return False
    concrete, abstract = _concrete(_arguments(c.head, set()))
    if abstract >= 2 and abstract > concrete:
        return True
    return not _holds_now(c.head)


def _holds_now(verb: Token) -> bool:
    """A content clause of the verb in the present (or with a present modal): not backshifted."""
    return any(ch.dep_ == "ccomp" and _tense(ch) in ("present", "modal") for ch in verb.children)


def _lesson_specified(c: Clause) -> bool:
    """ "The lesson for me was that you read every result you order", "my takeaway is that ...": a
    specificational copular clause (Higgins 1979; Declerck 1988) whose subject, a definite noun
    that nominalises coming to know, is given its value by a content clause, a proposition learnt
    about how one acts (`_conduct`). "The lesson was the value of empathy" gives a noun for its
    value, a quality named (a slogan); "the lesson was how important it is to ..." a maxim
    (`_maxim_of_importance`)."""
    head = c.head
    if c.lemma != "be" or c.negated or _maxim_of_importance(head):
        return False
    subject, _ = _subject(head)
    if subject is None or subject.lemma_.lower() not in LESSON_NOUNS or subject.tag_ != "NN":
        return False
    definite = any(d.dep_ in ("det", "poss") and d.lower_ not in ("a", "an") for d in subject.children)
    return definite and any(ch.dep_ == "ccomp" and _conduct(ch) for ch in head.children)


def _lesson_as_instruction(c: Clause) -> bool:
    """ "The lesson for me was to read back every drip", "the lesson was: say it out loud",
    "Lesson: call the pharmacist first": a lesson noun whose value is an instruction, a
    to-infinitive or an imperative, which says how one acts by its form (an open proposition
    whose subject is whoever acts, Huddleston and Pullum 2002, ch. 14), so it needs no subject of
    its own as a content clause does (`_conduct`). The parser reads an imperative after "was" as a
    passive and after a colon as the verb of the lesson noun; a maxim ("the lesson was to
    remember how important it is to ...") stays one."""
    head = c.head
    if c.negated or _maxim_of_importance(head):
        return False
    if c.lemma == "be":
        subject, _ = _subject(head)
        if subject is None or subject.lemma_.lower() not in LESSON_NOUNS:
            return False
        return any(
            x.dep_ == "xcomp"
            and x.tag_ == "VB"
            and any(a.lower_ == "to" for a in x.children)
            and not _maxim_of_importance(x)
            for x in head.children
        )
    # "The lesson was test your orders early", "Lesson: talk to the pharmacist": a bare verb
    # with no tense or modal of its own, the lesson noun hung on it as its subject.
    if head.tag_ != "VB" or any(
        (a.dep_ == "aux" and a.lower_ == "to") or a.tag_ == "MD" for a in head.children
    ):
        return False
    return any(
        s.dep_ in ("nsubj", "nsubjpass") and s.lemma_.lower() in LESSON_NOUNS and s.i < head.i
        for s in head.children
    )


# Modals of obligation (Palmer's deontic modality): "you should", "one must".
DEONTIC_MODALS = {"must", "should", "ought"}


def _conduct(verb: Token) -> bool:
    """The proposition is about how one acts: a person its subject ("you ask for help early", "I
    read back every order", "we page sooner") or an obligation (deontic modality, Palmer 2001:
    "whoever orders a test has to read it", "the plan should be written down"). A verdict on a
    thing ("IR is the sweet spot", "the system had gaps") is a view reached, not a lesson for
    practice."""
    subject, _ = _subject(verb)
    if _person(subject) in ("i", "we", "you"):
        return True
    if any(a.dep_ == "aux" and a.lower_ in DEONTIC_MODALS for a in verb.children):
        return True
    # "has to", "need to": obligation told by a main verb with a to-infinitive.
    return verb.lemma_.lower() in ("have", "need") and any(
        x.dep_ == "xcomp" and any(a.lower_ == "to" for a in x.children) for x in verb.children
    )


def _carried_over(c: Clause) -> bool:
    """ "On my sub-I I kept the same checklist", "I wrote my next shelf with the same schedule",
    "on my rotation I did the same": the speaker's own act whose object is "the same", a
    comparative of identity with no standard after it ("as ..."), so it refers back into the text
    (Halliday and Hasan 1976, comparative reference): what the episode taught, done again. "A man
    with the same cancer as my aunt" names its standard, and compares; "I saw the same anatomy"
    perceives, it does not do again."""
    head = c.head
    if c.person != "i" or c.tense not in ("past", "perfect") or c.negated or c.lemma in PERCEPTION:
        return False
    objects = [ch for ch in head.children if ch.dep_ == "dobj"]
    objects += [g for p in head.children if p.dep_ == "prep" and p.lower_ == "with" for g in p.children]
    for obj in objects:
        same = obj if obj.lower_ == "same" else next((a for a in obj.children if a.lower_ == "same"), None)
        if same is None or not any(d.lower_ == "the" for d in (*obj.children, *same.children)):
            continue
        if not any(t.lower_ == "as" and t.i > same.i for t in _arguments(head, set())):
            return True
    return False


def _learns_a_quality(c: Clause, clauses: Sequence[Clause]) -> bool:
    """ "It showed me that I'm good under pressure", "I saw that I'm a natural at this": what
    was learnt is a quality claimed for the speaker (`_self_description`), an individual-level
    predicate (Carlson 1977) that holds of them before and after the episode alike, so nothing
    was changed by it; the same claim made outright is no reflection either. What the speaker did
    then ("it showed me that I had waited too long") is learnt about the episode, and stays."""
    if not (c.comes_to_know or _teaches_me(c)):
        return False
    contents = {ch.i for ch in c.head.children if ch.dep_ == "ccomp"}
    return any(d.head.i in contents and _self_description(d) for d in clauses)


def _fared_since(c: Clause) -> bool:
    """ "I've coped well since", "I've had no problems since then", "I've been fine ever since": a
    perfect of a state held ("be", "have") or of "do" with no object, a manner only ("done well",
    "done fine"), says how the speaker has fared since the episode, a record of how it went (a
    result at most), not a practice they do now that they did not before ("I've read back every
    order since", "I've kept a list since")."""
    if c.tense != "perfect" or c.person != "i":
        return False
    if c.lemma in ("be", "have"):
        return True
    return c.lemma == "do" and not any(ch.dep_ in ("dobj", "ccomp", "xcomp") for ch in c.head.children)


def _way_changed(c: Clause) -> bool:
    """ "After that I changed how I hand over a drip", "that night changed the way I write a
    sign-out": a change whose object is the speaker's way of doing (a free relative, or "the way"
    with a relative clause) told in the present, which, left unshifted after the past of the change
    (`_holds_now`), is the practice the speaker keeps now: a change kept. "I changed my mind" names
    no doing; "it changed how I felt that day" is a past of the story's."""
    head = c.head
    if c.lemma != "change" or c.negated or not (c.past or c.tense == "perfect"):
        return False
    ways = [
        ch for ch in head.children if ch.dep_ == "ccomp" and any(w.tag_ in ("WRB", "WP") for w in ch.children)
    ]
    ways += [
        r
        for n in head.children
        if n.dep_ in ("dobj", "npadvmod") and n.lemma_.lower() == "way"
        for r in n.children
        if r.dep_ == "relcl"
    ]
    for verb in ways:
        subject, _ = _subject(verb)
        if subject is not None and subject.lower_ in ("i", "we") and _tense(verb) in ("present", "modal"):
            return True
    return False


def _took_away(c: Clause) -> bool:
    """ "What I took away", "what I took from it": what the speaker kept of the episode, a coming
    to know told with "take", not an act."""
    return c.lemma == "take" and any(
        ch.lower_ == "away" or (ch.lower_ == "from" and any(g.lower_ in ANAPHORS for g in ch.children))
        for ch in c.head.children
    )


def _reflection(c: Clause) -> bool:
    head = c.head
    # "That night changed how I write a sign-out": the speaker's way of doing changed, held now.
    if _way_changed(c):
        return True
    # "I use fewer slides now", "I've kept that habit on every rotation since", "I'm better now at
    # spotting it": a present set against the past, wherever the adverb stands, state or event.
    # "I'm more confident now", "I've been consistent ever since": a quality claimed for the
    # speaker is a self-description, not a practice changed; "I'm better now at recognizing when
    # I'm overextended" says at what, a doing.
    if _fared_since(c):
        return False
    if changed_practice(c):
        return True
    if c.person == "i" and c.tense in ("present", "perfect") and not c.negated and _now_against_then(head):
        return False
    # "It taught me humility, accountability and the importance of communication": a list of
    # virtues is a slogan, whatever verb introduces it.
    if _virtue_list(c):
        return False
    # "It showed me how important it is to work as a team": that something matters, said of no one
    # with an expletive subject, is a maxim that holds without the story; it changes nothing told.
    if _maxim_of_importance(head):
        return False
    took_away = _took_away(c)
    if c.person == "i" and (c.comes_to_know or took_away) and not c.negated and not _perceives(c):
        if _learned_a_thing(head) or _finds_out_habitually(c) or _sees_what(c) or _found_in_story(c):
            return False
        return c.tense in ("past", "perfect", "present") or head.tag_ == "VBN"
    # "Nobody was teaching me": a lesson denied is none.
    if _teaches_me(c) and not c.negated:
        return True
    # "What stuck with me was ...", "it stayed with me": what the episode left behind.
    if c.lemma in ("stick", "stay") and any(
        ch.lower_ == "with" and any(g.lower_ == "me" for g in ch.children) for ch in head.children
    ):
        return True
    # "Now I ask for help early", "since then I page the fellow myself"; "I still keep the
    # spreadsheet": "keep" with an object is a practice kept, not the copula of "keep calm".
    kept = c.lemma == "keep" and _concrete_object(head)
    if c.person == "i" and c.tense in ("present", "perfect") and (not c.stative or kept):
        return any(ch.lower_ in CONTRAST_NOW for ch in head.subtree if ch.i < head.i + 3)
    # "On my sub-I I kept the same checklist": the practice of the story carried to another.
    if _carried_over(c):
        return True
    # "Since then I checked the access first": the adverbial sets the time after the episode,
    # whatever tense the transcript gave the verb.
    if c.person == "i" and c.past and not c.stative:
        return _since_then(head) or _habit_begun(c)
    # "The lesson for me was that ...", "my takeaway is that ...": the lesson named and specified.
    if _lesson_specified(c) or _lesson_as_instruction(c):
        return True
    # "Next time I would..." / "I would have called sooner"
    return c.person == "i" and c.tense == "modal" and any(ch.lower_ == "differently" for ch in head.subtree)


def _blame(c: Clause) -> bool:
    if _disclaims_control(c) or _disowns_what_it_shows(c) or _belittles(c) or _endures_diagnostic(c):
        return True
    if c.person not in ("other", "thing", "you"):
        return False
    head = c.head
    subject, _ = _subject(head)
    # "My notes were late", "my presentations were disorganised": the speaker's own work, owned.
    if subject is not None and any(ch.lower_ in ("my", "our") for ch in subject.children):
        return False
    # "If that nurse hadn't asked": a condition imagined, not a fault told.
    if _conditional(head):
        return False
    # "A refusal is usually a question nobody has answered": a relative clause in a generic
    # statement says what kind of thing its noun is, not what anyone failed to do.
    if head.dep_ == "relcl" and _in_generic_statement(head):
        return False
    # An evaluation is of its subject: "it was the wrong one" or "something had gone wrong" judge
    # no one, and "she had a poor runoff" describes a patient, not a failing.
    pronoun_subject = (
        subject is not None
        and subject.pos_ == "PRON"
        and subject.lower_ not in ("they", "he", "she")
        and not _judges_what_others_did(subject)
    )
    # An evaluation in the object ("they gave a sloppy handoff") judges how its agent acted, so
    # only someone who can act badly is judged by it: "a consent listed the wrong side" faults no one.
    agent = _duty_holder(subject) or (
        subject is not None and (subject.lower_ in ("he", "she") or subject.ent_type_ == "PERSON")
    )
    dep = ("acomp", "attr", "advmod", "oprd") + (("dobj",) if c.lemma != "have" and agent else ())
    preds = [ch for ch in head.children if ch.dep_ in dep]
    # "He was sixty-eight with bad claudication": what a prepositional phrase gives the subject (a
    # condition, a thing had) is not how it acted, so an evaluation inside one judges no one.
    words = {t.lower_ for p in preds for t in _outside_preps(p)}
    if words & NEGATIVE_EVAL and not c.negated and not pronoun_subject and not _counts_things(subject):
        return True
    # "The expectations weren't clear", "the process wasn't fair": a good quality denied.
    if c.negated and c.lemma == "be" and words & POSITIVE_EVAL and not pronoun_subject:
        return True
    # "She'd moved my tray without telling me", "he stopped answering emails": something owed to
    # the speaker, left undone.
    if _owed_and_withheld(head) and not c.negated and (_duty_holder(subject) or _someone(subject)):
        return True
    # "The resident ignored my pages": a failure verb blames someone with a duty in the story; a
    # patient who refused the drain or pulled out a line is the story's problem, not a fault laid.
    if c.lemma in FAILURE_VERBS and not c.negated:
        return _duty_holder(subject)
    # "Nobody explained the system to us"; but "three questions nobody had answered" says which
    # questions (the gap a project fills), as a relative clause says which thing its noun is.
    if c.lemma in DUTY_VERBS and c.negated and c.person == "other" and head.dep_ != "relcl":
        return True
    # "The day team hadn't followed up", "they never taught us": someone whose job it was did not
    # do it. Inability ("couldn't get it") is no fault, and a patient is no role-holder. A state
    # denied ("they didn't differ", "it didn't contain a date") is no duty left undone.
    if not (c.negated and c.tense in ("past", "perfect") and not c.stative) or c.lemma in MENTAL:
        return False
    if c.lemma in stative_verbs():
        return False
    if any(a.lower_ in ("could", "ca", "can") for a in head.children if a.dep_ == "aux"):
        return False
    return _duty_holder(subject)


# Exclusive focus particles: on a predicate they reduce what its subject does to that one thing.
# "Just" and "simply" are left out: they are as often emphatic ("attendings just take the time")
# or temporal ("she had just come back") as exclusive (Lee, 1987, on the senses of "just").
EXCLUSIVES = {"only", "merely"}


def _belittles(c: Clause) -> bool:
    """Others' work reduced to one thing, said of a group in general: "Surgeons only care about the
    operation", "DR is sitting in a dark room all day", "staring at a monitor and reading scans all
    day isn't the job I'm after". The predicate is narrowed by an exclusive ("only", "merely") or
    stretched by an extreme-case universal of time ("all day", "all the time"; Pomerantz, 1986, on
    extreme case formulations in complaints), its subject is a group in general (a bare plural of
    a role, a named field) or an activity named by no one in particular, and the clause is a
    present generalisation. The speaker's field ("IR only needs a needle hole") and an exclusive
    over an amount ("residents only get four weeks of IR") are no slight."""
    head = c.head
    if c.tense not in ("present", "nonfinite") or has_negation(head) or c.person in ("i", "we"):
        return False
    if head.dep_ == "relcl" or any(t.like_num for t in _arguments(head, set())):
        return False
    only = any(ch.dep_ == "advmod" and ch.lower_ in EXCLUSIVES for ch in head.children)
    all_day = any(
        ch.dep_ == "npadvmod"
        and ch.lemma_.lower() in TEMPORAL
        and any(d.lower_ == "all" for d in ch.children)
        for ch in head.children
    )
    if not (only or all_day):
        return False
    subject, _ = _subject(head)
    if subject is None:
        # "Staring at a monitor and reading scans all day isn't the job I'm after": an activity
        # named as the subject of a judgement, done all day by no one in particular.
        return all_day and c.tense == "nonfinite" and _named_as_subject(head)
    if any(t.lower_ in ("ir", "interventional") for t in subject.subtree):
        return False
    if subject.pos_ == "PROPN":
        # "DR", "Interventional Cardiology": a named field, not a person (the tagger takes "DR" for a
        # place, so places are not left out).
        return subject.ent_type_ != "PERSON"
    # "Surgeons", "most radiologists"; "the surgeons" or "my attendings" are people of the story.
    return (
        subject.tag_ == "NNS"
        and subject.lemma_.lower() in ROLE_HOLDERS
        and subject.lemma_.lower() not in INSTITUTIONS
        and not any(
            d.dep_ in ("det", "poss") and d.lower_ not in ("all", "most", "many") for d in subject.children
        )
    )


# The diagnostic side of radiology, as a student names it: the part of the training an IR
# applicant can be heard to look down on (a content list, as IR_TERMS is).
DIAGNOSTIC_WORDS = {"dr", "diagnostic", "diagnostics", "reading", "reads", "dictating", "pacs"}
# The stretches and parts of a training that such a word can name ("the DR years").
TRAINING_PARTS = {"year", "part", "side", "training", "residency", "rotation", "stuff", "work", "portion"}


def slights_a_field(c: Clause) -> bool:
    """A clause of blame that runs down a field or its work ("surgeons only care about the
    operation", "I'll get through the reading years") rather than a person of the story."""
    return _belittles(c) or _endures_diagnostic(c)


def _endures_diagnostic(c: Clause) -> bool:
    """ "I'll get through the reading years", "reading is the part of radiology I'll put up with",
    "the DR years are something you get through": a verb of enduring (get through, put up with,
    sit through, survive, tolerate, endure) whose object is the diagnostic training treats the
    field the answer is about as something to be got over, the slight on DR a program hears. What
    is endured is the verb's object, or, in a relative clause, its noun and what the copula or "see
    ... as" says it of ("the DR years are something ...")."""
    head = c.head
    lemma = c.lemma
    particles = {ch.lower_ for ch in head.children if ch.dep_ == "prt"}
    preps = {ch.lower_: ch for ch in head.children if ch.dep_ == "prep"}
    endured: list[Token] = []
    if lemma in ("get", "sit", "go", "push", "grind", "slog") and "through" in (preps.keys() | particles):
        endured = [g for g in (preps["through"].children if "through" in preps else ()) if g.dep_ == "pobj"]
        endured += [ch for ch in head.children if ch.dep_ == "dobj"]
    elif lemma == "put" and "up" in particles and "with" in preps:
        endured = [g for g in preps["with"].children if g.dep_ == "pobj"]
    elif lemma in ("survive", "tolerate", "endure"):
        endured = [ch for ch in head.children if ch.dep_ == "dobj"]
    else:
        return False
    if c.negated:
        return False
    if head.dep_ in ("relcl", "acl"):
        noun = head.head
        endured.append(noun)
        if noun.dep_ in ("attr", "acomp") and noun.head.lemma_.lower() == "be":
            endured += [ch for ch in noun.head.children if ch.dep_ in ("nsubj", "nsubjpass")]
        # "I see the DR years as something to get through": what is seen as it.
        if noun.dep_ == "pobj" and noun.head.lower_ == "as":
            seen = noun.head.head
            endured += (
                [seen]
                if seen.pos_ in ("NOUN", "PROPN")
                else [ch for ch in seen.children if ch.dep_ == "dobj"]
            )
    # "the reading years", "reading", "DR": the diagnostic side itself, or a stretch or part of the
    # training named by it; "the reading list on PE" is a list.
    return any(
        e.lower_ in DIAGNOSTIC_WORDS
        or (e.lemma_.lower() in TRAINING_PARTS and any(t.lower_ in DIAGNOSTIC_WORDS for t in e.subtree))
        for e in endured
    )


def _named_as_subject(verb: Token) -> bool:
    """A non-finite verb inside a clausal subject ("staring at a monitor reading scans all day is ...")."""
    for t in (verb, *verb.ancestors):
        if t.dep_ == "csubj":
            return True
        # The nearest clause with a subject or a finite verb of its own ends the subject phrase.
        if t.i != verb.i and (
            t.tag_ in ("VBZ", "VBP", "VBD", "MD") or any(ch.dep_ == "nsubj" for ch in t.children)
        ):
            return False
    return False


def _counts_things(subject: Token | None) -> bool:
    """A count or a share of things as the subject ("roughly a fifth were wrong", "two of the reports
    were wrong"): a measure of what was found, which judges no one's conduct; a count of people
    ("two of the nurses were rude") still does."""
    if subject is None or not (subject.like_num or subject.ent_type_ in ("CARDINAL", "PERCENT")):
        return False
    counted = [g for p in subject.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children]
    return not any(g.lemma_.lower() in ROLE_HOLDERS or g.lower_ in ("them", "us") for g in counted)


def _outside_preps(word: Token) -> list[Token]:
    """The words of `word`'s phrase, without the prepositional phrases inside it."""
    out: list[Token] = []
    todo = [word]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(ch for ch in t.children if ch.dep_ != "prep")
    return out


def _judges_what_others_did(subject: Token) -> bool:
    """ "The night team let it slip on the phone, which was unprofessional": a "which" after a
    comma (a sentential relative) judges the act of its sentence, whose agent is the main
    clause's subject."""
    if subject.lower_ != "which" or subject.i == 0 or subject.doc[subject.i - 1].lower_ != ",":
        return False
    main, _ = _subject(subject.sent.root)
    return _duty_holder(main)


def _disclaims_control(c: Clause) -> bool:
    """ "Issues outside my control", "which wasn't in my control": the cause put beyond the
    speaker's agency, the external attribution of an excuse, whoever the clause's subject is."""
    for t in _arguments(c.head, set()):
        if t.lemma_.lower() != "control" or not any(ch.lower_ == "my" for ch in t.children):
            continue
        prep = t.head
        if prep.lower_ in ("outside", "beyond") or (prep.lower_ == "of" and prep.head.lower_ == "out"):
            return True
        if prep.lower_ == "in" and c.negated and prep.head.i == c.head.i:
            return True
    return False


def _disowns_what_it_shows(c: Clause) -> bool:
    """ "I don't think it says anything about me", "it doesn't reflect who I am", "it doesn't count
    as a mistake on my part": something other than the speaker denied to show anything of them, the
    premise argued away, as an excuse puts the cause beyond the speaker's control."""
    if not c.negated or c.lemma not in MEANING_VERBS or c.person in ("i", "we", "you"):
        return False
    return any(t.lower_ in ("me", "my", "i", "myself") for t in c.head.subtree if t.i != c.head.i)


def _in_generic_statement(verb: Token) -> bool:
    """The nearest clause above `verb` is a present habit or generalisation ("is usually ...")."""
    governor = next((a for a in verb.ancestors if a.pos_ in ("VERB", "AUX")), None)
    return governor is not None and _habitual(governor) and _tense(governor) == "present"


# Verbs of answering someone: owed, like the duty verbs, to whoever asked.
ANSWERING = {"answer", "respond", "reply"}


def _owed_and_withheld(verb: Token) -> bool:
    """ "... moved my tray without telling me", "changed the order without warning us": "without"
    is a negative preposition (Quirk et al., 1985, 9.56), so the act done without telling the
    speaker is a telling denied, as "nobody told me" is (asking leave is no duty owed: "the nurse
    used my checklist without asking me" takes up the speaker's work, no fault); "he stopped
    answering emails", "she quit responding": a terminative aspectual over answering (Freed,
    1979) denies it from then on."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "without":
            for told in prep.children:
                if (
                    told.dep_ == "pcomp"
                    and told.tag_ == "VBG"
                    and told.lemma_.lower() in DUTY_VERBS
                    and any(ch.lower_ in ("me", "us") for ch in told.children)
                ):
                    return True
    if verb.lemma_.lower() not in ("stop", "quit"):
        return False
    return any(
        ch.dep_ == "xcomp" and ch.tag_ == "VBG" and ch.lemma_.lower() in DUTY_VERBS | ANSWERING
        for ch in verb.children
    )


def _someone(subject: Token | None) -> bool:
    """A particular person of the story: "he", "she", a name."""
    return subject is not None and (subject.lower_ in ("he", "she") or subject.ent_type_ == "PERSON")


def _duty_holder(subject: Token | None) -> bool:
    """ "they", a role with a duty in a student's story ("the nurse", "the school"), or an
    organisation: who can fail someone. A partitive takes the people it counts ("a lot of them",
    "some of the residents")."""
    if subject is None:
        return False
    if subject.lower_ == "they" or subject.lemma_.lower() in ROLE_HOLDERS or subject.ent_type_ == "ORG":
        return True
    counted = [g for p in subject.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children]
    return any(g.dep_ == "pobj" and (g.lower_ == "them" or g.lemma_.lower() in ROLE_HOLDERS) for g in counted)


def _hedge(c: Clause) -> bool:
    """Non-commitment on the speaker's own course: openness to alternatives ("I'd be happy with DR
    too", "I'm open to anything"), a possibility modal on a choice ("I might switch"), or an
    epistemic adverb on the alternative or the answer itself ("maybe internal medicine", "I think
    probably, yes"). Ability ("I could sit there for hours") and a hedged detail of a committed
    plan ("I'd probably look for a research year") are not hedges (Hyland, 2005: hedges withhold
    commitment to the proposition)."""
    if c.person != "i":
        return False
    head = c.head
    if c.lemma == "be":
        for adj in head.children:
            if adj.dep_ == "acomp" and adj.lower_ in OPENNESS_ADJ and _open_to_something(adj):
                return c.tense in ("modal", "present", "future")
    if any(a.dep_ == "aux" and a.lower_ in ("might", "may") for a in head.children) and not c.stative:
        return True
    # "I'm not sure yet", "I'm undecided"; not a doubt set in a clause of time or condition, or
    # told of a thing ("even when I'm not sure", "the drape, which I'm still not sure counted").
    if (
        c.lemma == "be"
        and c.tense != "past"
        and not (_background(head) or _conditional(head) or head.dep_ in ("relcl", "advcl"))
        and any(
            a.dep_ == "acomp"
            and (a.lower_ in UNSURE or (a.lower_ in ("sure", "certain", "decided") and c.negated))
            for a in head.children
        )
    ):
        return True
    # "I guess I will settle for it", "I suppose I'd do DR": a guess about the speaker's own
    # course; "I guess what I learned is ...", "I suppose it's a perfectionist streak" soften a
    # lesson or a description, no commitment withheld.
    if c.lemma in ("guess", "suppose") and not c.negated:
        return any(
            ch.dep_ == "ccomp" and _tense(ch) in ("modal", "future") and _person(_subject(ch)[0]) == "i"
            for ch in head.children
        )
    # "I'd probably decide later", "maybe try ESIR": the choice itself left open.
    if c.lemma in CHOICE_VERBS and any(a.lower_ in EPISTEMIC for a in head.children if a.dep_ == "advmod"):
        return True
    # The adverb may sit on an alternative named anywhere in the sentence ("I'd look at what's open
    # in SOAP, maybe internal medicine"), or on the answer itself ("I think probably, yes").
    sentence = head.sent
    answers = any(t.lower_ in ("yes", "no") for t in sentence)
    for t in sentence:
        if t.lower_ not in EPISTEMIC:
            continue
        # "maybe an hour a day" approximates an amount; "maybe internal medicine" names an option.
        amount = t.head.lemma_.lower() in TEMPORAL or any(ch.like_num for ch in t.head.children)
        if (t.head.pos_ in ("NOUN", "PROPN") and not amount) or (
            answers and (t.head.i == head.i or t.head.pos_ == "INTJ")
        ):
            return True
    return False


def _within_complement(token: Token, adj: Token) -> bool:
    """`token` hangs on `adj` through at most one clause, and that clause is the adjective's own."""
    t = token.head
    while t.i != adj.i and t.head.i != t.i:
        if t.dep_ in ("advcl", "xcomp", "ccomp", "acl", "relcl", "pcomp") and t.head.i != adj.i:
            return False
        t = t.head
    return t.i == adj.i


def _open_to_something(adj: Token) -> bool:
    """ "open to anything", "happy with DR", "happy in DR too", "fine either way": open to an
    alternative, which is any one at all (a free-choice "anything", "whatever"), a field named, or
    one added to the goal ("too", "either", "also"); not "open about it", "happy here", "comfortable
    with older patients" or "open to constructive criticism", which say how the speaker takes a
    thing, not which course they would take."""
    # "happy with DR too", "I'm also open to it", "I'd be fine either way": the additive or the
    # "either" on the adjective or on its copula.
    near = [*adj.children, *adj.head.children]
    if any(g.dep_ == "advmod" and g.lower_ in ("too", "also", "either") for g in near):
        return True
    # "happy in body imaging too", "happy doing DR too": on the alternative itself, within the
    # adjective's own complement, not in a clause further down ("comfortable working alone while
    # also collaborating").
    if any(g.lower_ in ("too", "also", "either") and _within_complement(g, adj) for g in adj.subtree):
        return True
    if any(ch.dep_ == "npadvmod" and any(g.lower_ == "either" for g in ch.subtree) for ch in near):
        return True
    objects = [
        g for p in adj.children if p.dep_ == "prep" and p.lower_ in ("to", "with", "in") for g in p.children
    ]
    # "open to seeing how I feel during residency", "open to finding out where I fit": open to a
    # question left open (an embedded question), not to a doing ("open to learning from nurses").
    return any(
        g.lower_ in FREE_CHOICE
        or g.pos_ == "PROPN"
        or g.lemma_.lower() in SPECIALTY_NOUNS
        or (
            g.tag_ == "VBG"
            and any(ch.dep_ == "ccomp" and ch.left_edge.tag_ in ("WRB", "WP") for ch in g.children)
        )
        for g in objects
    )


def _ir_terms(analysis: Analysis) -> list[Span_]:
    out: list[Span_] = []
    doc = analysis.doc
    for t in doc:
        low = t.lower_
        if low in IR_TERMS or t.lemma_.lower() in IR_TERMS:
            out.append(Span_("ir", t.idx, t.idx + len(t.text)))
        elif low in ("ir", "interventional"):
            # "the IR suite", "my IR rotation": IR with a concrete frame, not "passionate about IR".
            frame = t.head if t.dep_ in ("compound", "amod", "nmod") else None
            nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if frame is not None and frame.lemma_.lower() in IR_FRAMES:
                out.append(Span_("ir", t.idx, frame.idx + len(frame.text)))
            elif nxt is not None and nxt.lemma_.lower() in IR_FRAMES:
                out.append(Span_("ir", t.idx, nxt.idx + len(nxt.text)))
    return out


def _specifics(analysis: Analysis) -> list[Span_]:
    """Anchors anywhere in the answer, one per entity or token (a date's words count once)."""
    out: list[Span_] = []
    seen_ents: set[int] = set()
    doc = analysis.doc
    for t in _anchor_tokens(doc):
        if t.ent_type_ and t.ent_iob_ in ("B", "I"):
            # Quote the whole entity ("last March"), once.
            start = t.i
            while start > 0 and doc[start].ent_iob_ == "I":
                start -= 1
            if start in seen_ents:
                continue
            seen_ents.add(start)
            end = start + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            span = doc[start:end]
            out.append(Span_("specific", span.start_char, span.end_char))
            continue
        out.append(Span_("specific", t.idx, t.idx + len(t.text)))
    return out


def read(analysis: Analysis) -> Reading:
    """The story reading of an analysed answer (cached on the analysis)."""
    cached = getattr(analysis, "_reading", None)
    if isinstance(cached, Reading):
        return cached
    analysis.ensure_entities()
    clauses = _clauses(analysis)
    episode = _episode(clauses)
    anchors = [Span_("anchor", t.idx, t.idx + len(t.text)) for c in episode for t in _story_anchors(c)]
    if _chronicle(episode):
        anchors = []
    own = [c for c in clauses if _own_action(c)]
    speaker = [c for c in clauses if c.person in ("i", "we") and c.past and not c.stative]
    # Without any act of the speaker's, what came of the story comes after its first event.
    first_action = min(
        (c.start for c in own + speaker), default=min((c.start for c in episode), default=len(analysis.text))
    )
    # A mistake story is divided by its lapse ("I forgot to follow it up"): the speaker's acts
    # before it, or joined to it, tell the setback, and what follows it before the speaker's first
    # response ("the night resident found it at 7.1") is its harm, not what came of the response.
    lapse = next((c for c in clauses if _setback_lapse(c)), None)
    telling: list[Clause] = []
    response = 0  # where the speaker's first response to the lapse starts; 0: none told
    if lapse is not None:
        chain = _coordinated(lapse, clauses)
        telling = [c for c in own if c.start < lapse.start or c in chain]
        practices = [c for c in clauses if changed_practice(c)]
        # A response is told as an event of the story, not as the time or reason of another
        # ("before I left", "because I had missed it").
        responses = [
            c.start
            for c in own + speaker + practices
            if c.start > lapse.start
            and c not in chain
            and not c.negated
            and c.head.dep_ in ("ROOT", "conj", "parataxis", "xcomp")
        ]
        # With no response told, the lapse only illustrates ("I missed a blush that the attending
        # found; two hours later the vessel was coiled"): the story's events stay as told.
        response = min(responses, default=0)

    def harm(c: Clause) -> bool:
        return lapse is not None and lapse.start < c.start < response

    reading = Reading(
        text=analysis.text,
        clauses=clauses,
        episode=episode,
        anchors=anchors,
        own_actions=own,
        vague_actions=[c for c in clauses if c not in own and _vague_action(c) and not _reported(c.head)],
        results=[c for c in clauses if _result(c, first_action) and not harm(c)],
        vague_results=[c for c in clauses if _vague_result(c)],
        reflections=[c for c in clauses if _reflection(c) and not _learns_a_quality(c, clauses)],
        blame=[c for c in clauses if _blame(c)],
        hedge_clauses=[c for c in clauses if _hedge(c)],
        generic=[c for c in clauses if _generic(c)],
        self_descriptions=[c for c in clauses if _self_description(c)],
        ir_terms=_ir_terms(analysis),
        specifics=_specifics(analysis),
        word_count=analysis.word_count,
        setback=lapse,
        setback_telling=telling,
    )
    analysis._reading = reading  # type: ignore[attr-defined]
    return reading


def read_answer(text: str) -> Reading:
    """Parse and read `text` (for benchmarks and tests; scoring reads the analysis it already has)."""
    return read(analyze(text))
