"""The same answer scores the same spoken or typed: sentences and reading grade do not hang on
Whisper's punctuation.

Five answers are spoken by generated voices of two synthesiser families (espeak-ng and Festival),
transcribed by the real tiny.en model through the app's transcribe path, and scored beside their
typed scripts. The voices speak at about the 150 words a minute that the typed length estimate
assumes, and the answers sit well inside their length targets, so only the transcript's form (its
punctuation and sentence boundaries) could move a verdict. The same transcripts with every
punctuation mark removed still get sentences and an ordinary reading grade.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.models import Score, Transcript, Word
from interviewcoach.core.protocols import Transcriber
from interviewcoach.core.scoring.analysis import analyze
from interviewcoach.core.scoring.engine import score
from interviewcoach.core.scoring.rubrics import RubricSet
from interviewcoach.core.speech import transcribe as tr
from tests.speech import FESTIVAL, SpeechMaker, festival_voices

ESPEAK = ("en-us", 130)
FESTIVAL_KAL = (f"{FESTIVAL}kal_diphone", 140)

ANSWERS = [
    (
        "low-score",
        ESPEAK,
        "Honestly my Step one score is not a fair picture of me. The school changed the curriculum "
        "without warning and the lectures did not match the exam. Nobody gave us practice exams, and "
        "the dean's office never answered our emails. I studied as hard as anyone in my class. I think "
        "programs put too much weight on one number. My clinical grades are strong and my attendings "
        "would tell you I work hard.",
    ),
    (
        "critical-feedback",
        FESTIVAL_KAL,
        "On my surgery clerkship the chief resident told me my presentations were too long and buried "
        "the plan. I was surprised, but I asked her to listen to one the next morning. I rewrote my "
        "notes so the assessment and plan came first and I practised each presentation in two minutes. "
        "By the end of the rotation she said mine were the clearest on the team, and I still use that "
        "format on every service.",
    ),
    (
        "greatest-weakness",
        ESPEAK,
        "My weakness is that I used to say yes to every project. In my third year I joined four "
        "research projects and two of them stalled because I could not give them enough time. I now "
        "keep a written list of my commitments and I check it before I agree to anything new. This "
        "year I finished one project and presented it as a poster at a national meeting. I also "
        "turned down two offers that I knew I could not do well, and I told the mentors why.",
    ),
    (
        "calm-under-pressure",
        FESTIVAL_KAL,
        "During my medicine rotation a patient on our floor became short of breath and his pressure "
        "dropped. I was the only student in the room, so I called the rapid response team and started "
        "giving the nurse his history while she placed oxygen. When the resident arrived I told her "
        "his vital signs and the medications he had received. He was moved to the intensive care unit "
        "and recovered over the next week. I learned that a clear and short handoff keeps everyone calm.",
    ),
    (
        "failed-attempt",
        ESPEAK,
        "I failed Step one on my first attempt. I had been working twenty hours a week in the lab and "
        "I did not protect my study time, which was my choice. After that I stopped the lab work for "
        "three months, built a daily schedule with a tutor and took a practice exam every other week. "
        "I passed on the second attempt and scored two fifty on Step two. Now I plan my time before I "
        "take on anything new.",
    ),
]

_PUNCT = re.compile(r"[.,!?;:]")


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    transcriber = tr.make_transcriber("faster-whisper")
    transcriber.load()
    return transcriber


@pytest.fixture(scope="module")
def maker(tmp_path_factory: pytest.TempPathFactory) -> SpeechMaker:
    return SpeechMaker(tmp_path_factory.mktemp("spoken-typed"))


def _spoken(maker: SpeechMaker, transcriber: Transcriber, text: str, voice: tuple[str, int]) -> Transcript:
    name, rate = voice
    if name.startswith(FESTIVAL) and name not in festival_voices():
        pytest.fail(f"Festival voice {name} is not installed (make install-test installs it)")
    clip = maker.clip([text], voice=name, rate=rate)
    return transcriber.transcribe(Path(clip.path))


def _unpunctuated(transcript: Transcript) -> Transcript:
    """The transcript as Whisper sometimes writes it: the same words and timings, no punctuation."""
    words = [
        Word(word=_PUNCT.sub("", w.word), start=w.start, end=w.end, probability=w.probability)
        for w in transcript.words
    ]
    words = [w for w in words if w.word.strip()]
    text = " ".join(w.word.strip() for w in words)
    return transcript.model_copy(update={"text": text, "words": words})


def _content_verdicts(result: Score, content: list[str]) -> dict[str, bool]:
    return {cid: result.criteria[cid].passed for cid in content if cid in result.criteria}


@pytest.mark.slow
@pytest.mark.parametrize(("question_id", "voice", "text"), ANSWERS, ids=[a[0] for a in ANSWERS])
def test_spoken_and_typed_answers_get_the_same_content_verdicts(
    question_id: str,
    voice: tuple[str, int],
    text: str,
    bank: QuestionBank,
    rubrics: RubricSet,
    maker: SpeechMaker,
    transcriber: Transcriber,
) -> None:
    question = bank.get(question_id)
    rubric = rubrics.get(question.rubric)
    content = [c.id for c in rubric.criteria if not c.delivery]
    transcript = _spoken(maker, transcriber, text, voice)

    typed = score(question, rubric, text=text)
    spoken = score(question, rubric, transcript=transcript)
    assert _content_verdicts(spoken, content) == _content_verdicts(typed, content), transcript.text

    # Without any punctuation the answer still reads as sentences of ordinary length and grade.
    bare = score(question, rubric, transcript=_unpunctuated(transcript))
    assert not any(mark in bare.answer for mark in ".,?!")
    assert abs(bare.metrics.sentence_count - typed.metrics.sentence_count) <= 2, bare.answer
    assert abs(bare.metrics.readability_grade - typed.metrics.readability_grade) <= 3.0
    assert 0 < bare.metrics.readability_grade < 14


def test_unpunctuated_text_gets_sentences_and_an_ordinary_grade() -> None:
    """An unpunctuated transcript once read as one 120-word sentence: "reading grade 36.9"."""
    typed = (
        "Honestly my Step one score is not a fair picture of me. The school changed the curriculum "
        "without warning and the lectures did not match the exam. Nobody gave us practice exams and the "
        "dean's office never answered our emails. I think programs put too much weight on one number. "
        "My clinical grades are strong and my attendings would tell you I work hard."
    )
    bare = analyze(_PUNCT.sub("", typed))
    assert [s.text.split()[0] for s in bare.sentences] == ["Honestly", "The", "Nobody", "I", "My"]
    assert abs(bare.readability_grade - analyze(typed).readability_grade) < 1.0
    assert bare.readability_grade < 10


def test_a_pause_ends_a_sentence_the_words_leave_open() -> None:
    """ "... in my class I think programs ...": a clause after "class" could be the object of a
    relative clause; a half-second silence before "I" says the speaker ended the sentence."""
    text = "I studied as hard as anyone in my class I think programs weigh one number too much"
    pieces = text.split()
    words, at = [], 0.0
    for k, piece in enumerate(pieces):
        at += 0.55 if piece == "I" and k > 0 else 0.05
        words.append(Word(word=" " + piece, start=at, end=at + 0.3))
        at += 0.3
    timed = analyze(text, words=words)
    assert [s.text for s in timed.sentences] == [
        "I studied as hard as anyone in my class",
        "I think programs weigh one number too much",
    ]
