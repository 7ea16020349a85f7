"""Hyphenated words come back whole: on word lists, and from real tiny.en transcriptions (both
engines, whole file and streamed)."""

from __future__ import annotations

import itertools

import pytest

from interviewcoach.core.models import Word
from interviewcoach.core.protocols import Transcriber
from interviewcoach.core.speech import transcribe as tr
from interviewcoach.core.speech.streaming import StreamingTranscriber
from tests.speech import Clip, Silence, SpeechMaker

BLOCK = 800  # the recorder's 50 ms blocks


def _words(*texts: str) -> list[Word]:
    return [
        Word(word=t, start=i * 0.5, end=i * 0.5 + 0.4, probability=0.9 - i * 0.1) for i, t in enumerate(texts)
    ]


@pytest.mark.parametrize(
    ("pieces", "joined"),
    [
        ((" I", " chose", " the", " R", "-elective"), ["I", "chose", "the", "R-elective"]),
        ((" a", " child", " -puggin", " class"), ["a", "child", "-puggin", "class"]),  # a space: not joined
        ((" a", " Child", "-Pugh", " B"), ["a", "Child-Pugh", "B"]),
        ((" Y", "-90", " and", " follow", "-up."), ["Y-90", "and", "follow-up."]),
        ((" I", " did", " -", " well"), ["I", "did", "-", "well"]),  # a lone dash stays
        ((" it", " was", " hard,", "-but"), ["it", "was", "hard,", "-but"]),  # not after a letter
        (("-first", " word"), ["-first", "word"]),  # nothing before it
        # A full stop starts a piece of its own: abbreviations and decimals come back split.
        ((" at", " 6", " p", ".m.", " that"), ["at", "6", "p.m.", "that"]),
        ((" e", ".g.,", " a"), ["e.g.,", "a"]),
        ((" a", " 3", ".5", " cm"), ["a", "3.5", "cm"]),
        ((" it", " ended.", " Then"), ["it", "ended.", "Then"]),  # a new sentence has its space
        ((" and", " so", " ..."), ["and", "so", "..."]),  # no letter after the stop
        # A thousands separator starts a piece too: "1,100" comes back as "1" and ",100".
        ((" on", " 1", ",100", " films"), ["on", "1,100", "films"]),
        ((" 2", ",500", ",000"), ["2,500,000"]),
        ((" in", " 2019", ",", " I"), ["in", "2019", ",", "I"]),  # a lone comma stays
        ((" won", ",but"), ["won", ",but"]),  # only digits continue a number
        # An apostrophe starts a piece too: "4 o'clock" came back as "o" and "'clock".
        ((" at", " 4", " o", "'clock", " before"), ["at", "4", "o'clock", "before"]),
        ((" I", " don", "\u2019t", " know"), ["I", "don\u2019t", "know"]),
        ((" he", " said", " 'fine'"), ["he", "said", "'fine'"]),  # a quote opens with its space
    ],
)
def test_split_pieces_are_joined(pieces: tuple[str, ...], joined: list[str]) -> None:
    words = tr.join_split_words(_words(*pieces))
    assert [w.word.strip() for w in words] == joined


def test_a_joined_word_spans_both_pieces() -> None:
    r, elective = _words(" R", "-elective")
    (word,) = tr.join_split_words([r, elective])
    assert word.word == " R-elective"
    assert (word.start, word.end) == (r.start, elective.end)
    assert word.probability == min(r.probability, elective.probability)


@pytest.mark.parametrize(
    ("pieces", "kept"),
    [
        # A decoding loop, as heard on a spoken answer ("bleeding duodenal ulcer").
        ((" a", " bleeding", *["-doo"] * 30, " ulcer"), ["a", "bleeding-doo", "ulcer"]),
        ((" see", " you", " next", " time") * 5, ["see", "you", "next", "time"]),
        (
            (" I", " was", " in", " the", " first", " time") * 6 + (" attempt",),
            ["I", "was", "in", "the", "first", "time", "attempt"],
        ),
        # What people say: a stumble of three, a phrase said twice, a word said four times.
        ((" I,", " I,", " I", " think"), ["I,", "I,", "I", "think"]),
        ((" very", " very", " very", " very", " slowly"), ["very", "very", "very", "very", "slowly"]),
        ((" step", " by", " step", " by", " step"), ["step", "by", "step", "by", "step"]),
        # A sentence said again, even three times, is not a loop.
        ((" I", " would", " do", " it", " again.") * 3, ["I", "would", "do", "it", "again."] * 3),
    ],
)
def test_a_decoding_loop_is_cut_to_its_first_pass(pieces: tuple[str, ...], kept: list[str]) -> None:
    words = tr.join_split_words(tr.drop_decoding_loops(_words(*pieces)))
    assert [w.word.strip() for w in words] == kept


# ---------------------------------------------------------------------------- real transcriptions

# Whisper writes "follow-up" as two word pieces ("follow", "-up") on this clip in both paths.
SCRIPT = [
    "I saw every patient again at the follow-up clinic.",
    Silence(0.6),
    "I chose the IR-elective in my third year.",
]


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    return SpeechMaker(tmp_path_factory.mktemp("speech")).clip(SCRIPT)


@pytest.fixture(scope="module")
def fw() -> Transcriber:
    transcriber = tr.make_transcriber("faster-whisper")
    transcriber.load()
    return transcriber


def _check(text: str, words: list[Word]) -> None:
    tokens = [w.word.strip(" .,") for w in words]
    assert "follow-up" in tokens, " ".join(tokens)
    assert not any(t.startswith("-") for t in tokens), tokens
    assert text == " ".join(w.word for w in words)
    assert "follow-up" in text


def test_whole_file_transcripts_keep_hyphenated_words(fw: Transcriber, clip: Clip) -> None:
    transcript = fw.transcribe(clip.path)
    _check(transcript.text, transcript.words)


def test_streamed_transcripts_keep_hyphenated_words(fw: Transcriber, clip: Clip) -> None:
    # Each sentence a chunk of its own, without the lookahead: decoded with the next sentence
    # after it, tiny.en writes "follow up" without the hyphen, and this test is about joining.
    stream = StreamingTranscriber(fw, threaded=False, min_chunk_s=1.0, lookahead_s=0.0)
    samples = clip.samples()
    for at in range(0, samples.size, BLOCK):
        stream.feed(samples[at : at + BLOCK])
    transcript = stream.finish()
    assert stream.outcome.chunks >= 2
    _check(transcript.text, transcript.words)


@pytest.mark.openai
def test_openai_whisper_transcripts_keep_hyphenated_words(clip: Clip) -> None:
    pytest.importorskip("whisper", reason="the openai-whisper engine is not installed")
    transcriber = tr.make_transcriber("openai-whisper")
    transcript = transcriber.transcribe(clip.path)
    _check(transcript.text, transcript.words)


def test_the_pronoun_i_is_written_as_a_capital_whatever_whisper_wrote() -> None:
    """A streamed chunk can come back all in lower case ("where i pre rounded"): the pronoun, alone
    or with its contractions, is written "I" in the transcript; "i.e." and words in "i" are not."""
    import numpy as np

    pieces = (" where", " i", " pre", " rounded,", " i've", " seen", " it,", " i.e.", " idle", " i.")
    words = _words(*pieces)
    raw = tr.RawResult(words=words, segments=[("".join(pieces), 0.0, 5.0, words)])
    samples = np.zeros(16000 * 6, dtype=np.float32)
    transcript = tr.build_transcript(samples, raw, [(0.0, 5.5)], engine="faster-whisper", model="tiny.en")
    assert transcript.text == "where I pre rounded, I've seen it, i.e. idle I."
    assert [w.word for w in transcript.words][1] == "I"


@pytest.mark.parametrize(
    ("pieces", "split"),
    [
        ((" of", " 212CT", " guided"), ["of", "212", "CT", "guided"]),
        ((" about", " 40CT-guided", " biopsies."), ["about", "40", "CT-guided", "biopsies."]),
        ((" a", " 3D", " model"), ["a", "3D", "model"]),  # one digit before letters: a name
        ((" in", " 2019,", " I"), ["in", "2019,", "I"]),
        ((" 90Y", " dosing"), ["90Y", "dosing"]),  # one letter after the digits: left
    ],
)
def test_a_number_run_into_an_acronym_is_two_words(pieces: tuple[str, ...], split: list[str]) -> None:
    # Seen measuring spoken against typed answers (bench/spoken_typed.py): "a chart review of 212
    # CT-guided lung biopsies" came back as "212CT guided", and the research project was no longer
    # read as clear from the transcript.
    words = tr.split_glued_numbers(_words(*pieces))
    assert [w.word.strip() for w in words] == split
    for before, after in itertools.pairwise(words):
        assert before.end <= after.start + 1e-9
