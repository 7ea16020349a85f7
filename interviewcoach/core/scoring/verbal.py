"""Verbal habits in the words of an answer: hedges ("I think", "sort of", "maybe") and repetition
(restarts such as "I I went", and the same phrase said again), counted with the words quoted and
banded with advice, as speech coaches report them beside fillers and pace.

Hedges are the epistemic markers of Hyland's taxonomy (Hyland 1998, 2005: modal auxiliaries,
epistemic adverbs and adjectives, approximators and the first-person cognition verbs that soften a
claim), restricted to the forms that soften what the speaker says about themselves; "could" and
"may" of ability or permission are left out because the parse cannot tell them apart. Repetition
is found in the word sequence alone: a word or phrase said twice in a row is a restart, and a
phrase of three or more words said again later is a repeated phrase unless every word in it is a
function word ("and then I", "it was a").

The bands are shares of the answer's words, the same as the filler bands (under 2% good, under 5%
fair): like a filler, a hedge or a restart is a word the listener has to discount, so the same
share marks where it starts to colour the answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from interviewcoach.core.scoring.analysis import KIND_NOUN_MARKERS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from interviewcoach.core.models import Metrics
    from interviewcoach.core.scoring.analysis import Analysis

Band = Literal["good", "fair", "poor"]

# Epistemic adverbs, adjectives and approximators (Hyland 2005, appendix of hedges), one word.
HEDGE_WORDS = {
    "maybe", "perhaps", "possibly", "probably", "presumably", "apparently", "arguably", "somewhat",
    "somehow", "roughly", "approximately", "fairly", "relatively", "hopefully", "supposedly",
    "unsure", "likely", "unlikely",
}  # fmt: skip
# Multi-word hedges (lower-case word sequences).
HEDGE_PHRASES = {
    ("sort", "of"), ("kind", "of"), ("i", "guess"), ("i", "suppose"), ("more", "or", "less"),
    ("in", "a", "way"), ("to", "some", "extent"), ("i", "would", "say"), ("not", "sure"),
}  # fmt: skip
# First-person cognition verbs that soften the clause after them ("I think it went well").
HEDGE_VERBS = {"think", "believe", "feel", "guess", "suppose", "assume", "suspect"}
# "might" softens always; "may"/"could" too often mean permission or ability to count.
HEDGE_MODALS = {"might"}

# Shares of words (as for fillers): good up to the first, fair up to the second.
GOOD_MAX_SHARE = 0.02
FAIR_MAX_SHARE = 0.05
MIN_PHRASE_WORDS = 3
MAX_PHRASE_WORDS = 5
MAX_QUOTES = 4


@dataclass(frozen=True)
class Habit:
    """One hedge or repetition: its words and where they are in the answer text."""

    kind: Literal["hedge", "restart", "repeated_phrase"]
    text: str
    char_start: int
    char_end: int


def _words(doc: Doc) -> list[Token]:
    return [t for t in doc if not (t.is_punct or t.is_space)]


def _makes_noun(before: Token) -> bool:
    """ "what kind of case", "the sort of thing": a determiner or adjective makes "kind" a noun."""

    return before.lower_ in KIND_NOUN_MARKERS or before.pos_ in {"DET", "ADJ", "NUM"}


def find_hedges(doc: Doc) -> list[Habit]:
    """Hedges in the answer, each once, longest form first ("I would say" before "say")."""
    words = _words(doc)
    low = [t.lower_ for t in words]
    out: list[Habit] = []
    used: set[int] = set()
    for n in (3, 2):
        for i in range(len(words) - n + 1):
            if tuple(low[i : i + n]) in HEDGE_PHRASES and not used.intersection(range(i, i + n)):
                # "what kind of case": a noun phrase, not a hedge.
                before = words[i - 1] if i > 0 else None
                if low[i] in {"kind", "sort"} and before is not None and _makes_noun(before):
                    continue
                used.update(range(i, i + n))
                out.append(_habit("hedge", words[i], words[i + n - 1]))
    for i, t in enumerate(words):
        if i in used:
            continue
        hedge = t.lower_ in HEDGE_WORDS or (t.lower_ in HEDGE_MODALS and t.tag_ == "MD")
        if t.lemma_.lower() in HEDGE_VERBS and t.pos_ == "VERB":
            subject = [c for c in t.children if c.dep_ == "nsubj"]
            # "I think it helped": a first-person cognition verb with a clause under it.
            has_clause = any(c.dep_ in {"ccomp", "xcomp"} for c in t.children)
            negated = any(c.dep_ == "neg" for c in t.children)
            if subject and subject[0].lower_ == "i" and has_clause and not negated:
                out.append(_habit("hedge", subject[0], t))
                continue
        if hedge:
            out.append(_habit("hedge", t, t))
    return sorted(out, key=lambda h: h.char_start)


def find_repetitions(doc: Doc) -> list[Habit]:
    """Restarts ("I I went", "we we", "I went I went") and phrases of 3+ words said again later."""
    words = _words(doc)
    low = [t.lower_ for t in words]
    out: list[Habit] = []
    restart_words: set[int] = set()
    i = 0
    while i < len(words):
        found = 0
        for n in range(MAX_PHRASE_WORDS - 1, 0, -1):
            if i + 2 * n <= len(words) and low[i : i + n] == low[i + n : i + 2 * n]:
                # "had had", "that that": grammatical doubles a parser tags differently.
                if n == 1 and words[i].tag_ != words[i + 1].tag_:
                    continue
                if n == 1 and low[i] in {"had", "that", "very", "really", "far", "so", "no"}:
                    continue
                found = n
                break
        if found:
            # Said again across a full stop is a repeated phrase, not a restart mid-sentence.
            between = doc[words[i + found - 1].i + 1 : words[i + found].i]
            kind: Literal["restart", "repeated_phrase"] = (
                "repeated_phrase" if any(t.is_punct for t in between) else "restart"
            )
            first = words[i] if kind == "restart" else words[i + found]
            out.append(_habit(kind, first, words[i + 2 * found - 1]))
            restart_words.update(range(i, i + 2 * found))
            i += 2 * found
        else:
            i += 1
    seen: Counter[tuple[str, ...]] = Counter()
    first_at: dict[tuple[str, ...], int] = {}
    covered: set[int] = set(restart_words)
    # Read each token's stop-word flag once: the n-gram loop below asks for it about ten times.
    stop = [t.is_stop for t in words]
    for n in range(MAX_PHRASE_WORDS, MIN_PHRASE_WORDS - 1, -1):
        for k in range(len(words) - n + 1):
            span = range(k, k + n)
            if covered.intersection(span):
                continue
            gram = tuple(low[k : k + n])
            if all(stop[k : k + n]):
                continue
            seen[gram] += 1
            if seen[gram] == 1:
                first_at[gram] = k
            elif k >= first_at[gram] + n:
                covered.update(span)
                out.append(_habit("repeated_phrase", words[k], words[k + n - 1]))
    return sorted(out, key=lambda h: h.char_start)


def _habit(kind: Literal["hedge", "restart", "repeated_phrase"], first: Token, last: Token) -> Habit:
    start, end = first.idx, last.idx + len(last.text)
    # The span's own text: `doc.text` joins every token of the answer again on each call.
    text = first.doc[first.i : last.i + 1].text
    return Habit(kind=kind, text=text, char_start=start, char_end=end)


def band(count: int, words: int) -> Band:
    share = count / words if words else 0.0
    if share <= GOOD_MAX_SHARE:
        return "good"
    return "fair" if share <= FAIR_MAX_SHARE else "poor"


def quotes(texts: list[str]) -> str:
    """The distinct words quoted, most frequent first: "I think" x3, "maybe"."""
    counts: Counter[str] = Counter()
    said: dict[str, str] = {}
    for text in texts:
        key = " ".join(text.lower().split())
        counts[key] += 1
        said.setdefault(key, " ".join(text.split()))
    shown = [f'"{said[k]}"' + (f" x{c}" if c > 1 else "") for k, c in counts.most_common(MAX_QUOTES)]
    more = len(counts) - len(shown)
    return ", ".join(shown) + (f" (+{more} more)" if more > 0 else "")


@dataclass(frozen=True)
class HabitReport:
    """One line of the delivery report: what, how many, the band and the advice for that band."""

    name: str
    value: str
    band_text: str
    band: Band
    advice: str


def _report(name: str, count: int, words: int, said: list[str], advice: dict[Band, str]) -> HabitReport:
    """A habit's row: its count and share of the words, the quotes, the band and that band's advice."""
    share = count / words if words else 0.0
    value = f"{count} ({share:.1%} of words)" + (f": {quotes(said)}" if said else "")
    verdict = band(count, words)
    return HabitReport(name, value, _band_text(), verdict, advice[verdict])


def hedge_report(m: Metrics) -> HabitReport:
    said = quotes(m.hedges)
    return _report(
        "Hedges",
        m.hedge_count,
        m.word_count,
        m.hedges,
        {
            "good": "Few hedges: you state what you did and what you think plainly.",
            "fair": (
                f"Some hedging ({said}). Say the facts of your story without softeners; "
                'keep "I think" for real opinions.'
            ),
            "poor": (
                f"Hedges soften much of the answer ({said}): you sound less sure than your "
                "story is. Drop them from what you did and what came of it."
            ),
        },
    )


def repetition_report(m: Metrics) -> HabitReport:
    said = quotes(m.repetitions)
    return _report(
        "Repetition",
        m.repetition_count,
        m.word_count,
        m.repetitions,
        {
            "good": "Little repetition: the answer moves forward.",
            "fair": (
                f"Some words said twice ({said}). Pause to find the word instead of restarting the phrase."
            ),
            "poor": (
                f"Frequent restarts and repeated phrases ({said}) make the answer hard to "
                "follow. Know your next point before you start the sentence, and pause rather than repeat."
            ),
        },
    )


def _band_text() -> str:
    return f"good under {GOOD_MAX_SHARE:.0%}, fair under {FAIR_MAX_SHARE:.0%}"


def habits_of(analysis: Analysis) -> tuple[list[Habit], list[Habit]]:
    """(hedges, repetitions) of an analysed answer (cached on the analysis: the engine's counts and
    the delivery criteria each ask for them)."""
    cached = getattr(analysis, "_habits", None)
    if cached is None:
        cached = (find_hedges(analysis.doc), find_repetitions(analysis.doc))
        analysis._habits = cached  # type: ignore[attr-defined]
    return cached
