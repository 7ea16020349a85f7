"""Interventional radiology words for Whisper's prompt, so tiny.en writes "ESIR", not "essay".

Whisper reads a prompt as text said before the audio and leans towards its spellings. The prompt
names, in this order, the question's own terms (its text, follow-ups, tips and an advisor's talking
points), a curated list (`ir_vocabulary.txt`) and the acronyms and hyphenated names found anywhere in
the question bank, cut to a budget that leaves room in Whisper's prompt for the text said so far.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewcoach.core.content.questions import QuestionBank
    from interviewcoach.core.models import Question

# Whisper keeps the last 223 tokens of a prompt. The vocabulary gets at most about 135 of them
# (these terms run about 2.5 characters a token in tiny.en's tokenizer); the verbatim-style line
# (when Whisper writes fillers, about 20) and the text said so far (streaming.PROMPT_CHARS, about
# 50 tokens) follow it.
VOCABULARY_CHARS = 300
# The terms go in a sentence, not a bare list. Measured on 60 generated sentences (espeak-ng en-us
# and en-gb, faster-whisper tiny.en): a bare list of 360 characters got 63% of the terms right but
# set off loops of invented words ("CHAIR, CHAIR, ...": WER 68%); this sentence got 62% with WER
# 21.7%, below the 30% with no prompt at all.
LEAD = "In my interventional radiology interview I talked about "
# An advisor's talking point this short is a term in itself ("Y-90 outcomes"); a longer one only
# gives the terms inside it.
TERM_WORDS = 3
# Acronyms and names with capitals inside (ESIR, UWorld, CK) and hyphenated names with a capital or
# digit (Y-90, Child-Pugh, IR-integrated): the words Whisper spells wrong without a hint.
_TERM = re.compile(
    r"\b[A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+\b"  # hyphenated, with a capital
    r"|\b[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*\b"  # capitals or digits after the first letter
)
# Ordinary capitalised words and units of no use as hints.
_COMMON = frozenset({"I", "OK", "TV", "AM", "PM"})


@cache
def curated_terms() -> tuple[str, ...]:
    """The shipped list of IR terms, in file order."""
    text = resources.files("interviewcoach.core.speech").joinpath("ir_vocabulary.txt").read_text("utf-8")
    terms = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(t for t in terms if t)


def terms_in(text: str) -> list[str]:
    """Terms in a piece of text: acronyms, hyphenated names, and curated terms it mentions."""
    found = [m.group(0) for m in _TERM.finditer(text) if m.group(0) not in _COMMON]
    found += [term for term in curated_terms() if _mentions(text, term)]
    # "CK" says nothing that "Step 2 CK" does not.
    return [t for t in _unique(found) if not any(t != o and _mentions(o, t) for o in found)]


def _mentions(text: str, term: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(term.lower())}(?![\w-])", text.lower()) is not None


def question_terms(question: Question) -> list[str]:
    """The question's own terms, then its talking points (short ones whole)."""
    found: list[str] = []
    for text in (question.text, *question.follow_ups, *question.tips):
        found += terms_in(text)
    for point in question.talking_points:
        found += [point.strip()] if len(point.split()) <= TERM_WORDS else terms_in(point)
    return _unique(found)


def bank_terms(bank: QuestionBank) -> list[str]:
    """Every term found in the question bank's questions, follow-ups, tips and talking points."""
    found: list[str] = []
    for question in bank:
        found += question_terms(question)
    return _unique(found)


def vocabulary_for(question: Question | None = None, bank: QuestionBank | None = None) -> list[str]:
    """The question's terms first, then the curated list, then the rest of the bank's."""
    found = question_terms(question) if question is not None else []
    found += curated_terms()
    if bank is not None:
        found += bank_terms(bank)
    return _unique(found)


def vocabulary_prompt(terms: Sequence[str], budget: int = VOCABULARY_CHARS) -> str:
    """The terms in a sentence for Whisper's prompt, the first ones kept within `budget` characters."""
    kept: list[str] = []
    used = 0
    for term in _unique(terms):
        if used + len(term) + 2 > budget:
            break
        kept.append(term)
        used += len(term) + 2
    return LEAD + ", ".join(kept) + "." if kept else ""


def combine_prompt(vocabulary: str, text_so_far: str) -> str:
    """The vocabulary, then the text said so far (which Whisper keeps if the prompt runs long)."""
    return " ".join(p for p in (vocabulary.strip(), text_so_far.strip()) if p)


def _unique(terms: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for term in terms:
        key = term.lower()
        if term and key not in seen:
            seen.add(key)
            out.append(term)
    return out
