"""The IR vocabulary for Whisper's prompt: where its terms come from, their order, the prompt budget,
and real tiny.en transcriptions (whole file and streamed) that spell the terms with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.history.doctor import doctor
from interviewcoach.core.history.store import Store, rescore_attempt
from interviewcoach.core.models import Question
from interviewcoach.core.protocols import Transcriber
from interviewcoach.core.scoring.rubrics import RubricSet
from interviewcoach.core.speech import transcribe as tr
from interviewcoach.core.speech import vocabulary as v
from interviewcoach.core.speech.streaming import PROMPT_CHARS, StreamingTranscriber
from interviewcoach.core.speech.transcribe import bundled_model_path
from tests.speech import Clip, Silence, SpeechMaker

# Whisper keeps the last n_text_ctx // 2 - 1 tokens of a prompt (both libraries).
WHISPER_PROMPT_TOKENS = 223


def test_the_curated_list_holds_the_terms_tiny_en_mishears() -> None:
    terms = v.curated_terms()
    assert {"ESIR", "TACE", "Y-90", "embolization", "thrombectomy", "UWorld", "NBME"} <= set(terms)
    assert {"Step 2 CK", "angio", "Child-Pugh"} <= set(terms)
    assert not any(t.startswith("#") or t != t.strip() for t in terms)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your Step 2 CK came in below the national mean.", ["Step 2 CK"]),  # not "CK" again
        ("Tell me about Y-90 and an IR-integrated program.", ["Y-90", "IR-integrated"]),
        ("I did an ESIR year; I liked angio and TACE.", ["ESIR", "angio", "TACE"]),
        ("I think I am ready.", []),
    ],
)
def test_terms_in_text(text: str, expected: list[str]) -> None:
    assert sorted(v.terms_in(text)) == sorted(expected)


def test_the_question_s_own_terms_come_first(bank: QuestionBank) -> None:
    question = bank.get("low-score")
    terms = v.vocabulary_for(question, bank)
    assert terms[:2] == ["Step 1", "Step 2 CK"]
    assert "ESIR" in terms and "Y-90" in terms  # the curated list and the bank follow
    assert len({t.lower() for t in terms}) == len(terms)


def test_an_advisor_s_talking_points_join_the_vocabulary(bank: QuestionBank) -> None:
    question = bank.get("low-score").model_copy(
        update={
            "talking_points": [
                "Y-90 dosimetry",
                "I rebuilt my study plan with a learning specialist at UWorld",
            ]
        }
    )
    assert isinstance(question, Question)
    terms = v.vocabulary_for(question, bank)
    assert terms.index("Y-90 dosimetry") < terms.index("ESIR")  # a short point is a term itself
    assert "UWorld" in terms[: terms.index("ESIR")]  # a long one gives its terms
    assert not any("learning specialist" in t for t in terms)


def test_the_prompt_keeps_the_first_terms_within_its_budget(bank: QuestionBank) -> None:
    terms = v.vocabulary_for(bank.get("low-score"), bank) + [f"extra term {i}" for i in range(100)]
    prompt = v.vocabulary_prompt(terms)
    assert len(prompt) <= len(v.LEAD) + v.VOCABULARY_CHARS
    assert prompt.startswith(v.LEAD + "Step 1, Step 2 CK, ")
    assert prompt.endswith(".")
    assert v.vocabulary_prompt([]) == ""


def test_vocabulary_and_text_so_far_fit_whisper_s_prompt_together(bank: QuestionBank) -> None:
    tokenizers = pytest.importorskip("tokenizers")
    tokenizer = tokenizers.Tokenizer.from_file(str(Path(bundled_model_path()) / "tokenizer.json"))
    longest = max((v.vocabulary_for(q, bank) for q in bank), key=lambda t: len(v.vocabulary_prompt(t)))
    text_so_far = ("and then I went back to the reading room to review my cases " * 10)[:PROMPT_CHARS]
    from interviewcoach.core.speech.transcribe import FILLER_PROMPT

    vocabulary = v.combine_prompt(v.vocabulary_prompt(longest), FILLER_PROMPT)
    prompt = v.combine_prompt(vocabulary, text_so_far)
    # Nothing is cut: neither the vocabulary at the front nor the words just said.
    assert len(tokenizer.encode(" " + prompt).ids) <= WHISPER_PROMPT_TOKENS
    assert prompt.endswith(text_so_far.strip())


# ---------------------------------------------------------------------------- real transcriptions

# Spelled as people say them; tiny.en wrote "taste", "wide eye teeth", "your world" without a hint.
SAID = [
    "We treated the liver tumor with tace and later with Y ninety.",
    Silence(0.6),
    "The fellow showed me how to do an angioplasty on the femoral artery.",
]


@pytest.fixture(scope="module")
def said(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    return SpeechMaker(tmp_path_factory.mktemp("speech")).clip(SAID)


@pytest.fixture(scope="module")
def fw() -> Transcriber:
    transcriber = tr.make_transcriber("faster-whisper")
    transcriber.load()
    return transcriber


def _has_terms(text: str, terms: tuple[str, ...] = ("TACE", "Y-90", "angioplasty")) -> None:
    for term in terms:
        assert term in text, text


def test_whole_file_transcription_spells_the_vocabulary(
    fw: Transcriber, said: Clip, bank: QuestionBank
) -> None:
    terms = v.vocabulary_for(bank.get("low-score"), bank)
    _has_terms(tr.transcribe_answer(fw, said.path, vocabulary=terms).text)


def test_streamed_transcription_spells_the_vocabulary(
    fw: Transcriber, said: Clip, bank: QuestionBank
) -> None:
    # Short chunks and a short lookahead: this short clip is still cut in several places.
    stream = StreamingTranscriber(
        fw, threaded=False, min_chunk_s=1.0, lookahead_s=1.0, vocabulary=v.vocabulary_for(None, bank)
    )
    samples = said.samples()
    for at in range(0, samples.size, 800):
        stream.feed(samples[at : at + 800])
    transcript = stream.finish()
    assert stream.outcome.chunks >= 2
    # Only the first chunk is prompted with the vocabulary (streaming.StreamingTranscriber._prompt).
    _has_terms(transcript.text, ("TACE", "Y-90"))


# tiny.en, prompted with the vocabulary, writes "phromectomy" and "big line" for these (espeak-ng
# en-us); the term correction puts the terms back.
MISHEARD = [
    "I scrubbed into a thrombectomy for a large vessel stroke.",
    Silence(0.6),
    "A pick line was placed under ultrasound guidance.",
]


@pytest.fixture(scope="module")
def misheard(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    return SpeechMaker(tmp_path_factory.mktemp("speech")).clip(MISHEARD)


@pytest.mark.slow
def test_misheard_terms_are_corrected_whole_file_and_streamed(
    fw: Transcriber, misheard: Clip, bank: QuestionBank
) -> None:
    terms = v.vocabulary_for(None, bank)
    whole = tr.transcribe_answer(fw, misheard.path, vocabulary=terms).text
    _has_terms(whole, ("thrombectomy", "PICC line"))
    stream = StreamingTranscriber(fw, threaded=False, vocabulary=terms)
    samples = misheard.samples()
    for at in range(0, samples.size, 800):
        stream.feed(samples[at : at + 800])
    _has_terms(stream.finish().text, ("thrombectomy", "PICC line"))
    # Without the vocabulary nothing is corrected: the ordinary words stay as heard.
    plain = tr.transcribe_answer(fw, misheard.path).text
    assert "ultrasound guidance" in plain


def test_a_pending_attempt_is_transcribed_with_its_question_s_vocabulary(
    fw: Transcriber, said: Clip, content: tuple[QuestionBank, RubricSet], tmp_path: Path
) -> None:
    # An answer left unscored (a crash, a cancel) is transcribed when it is rescored: with the
    # vocabulary it was recorded under, as live, not "taste" for TACE.
    bank, rubrics = content
    store = Store(tmp_path / "data")
    store.audio_dir.mkdir(parents=True)
    shutil.copyfile(said.path, store.audio_dir / "20261207-120000-000000-low-score.wav")
    (pending,) = doctor(store, min_age_s=0).imported
    attempt = rescore_attempt(store, pending, bank=bank, rubrics=rubrics, transcriber=fw)
    assert attempt.score is not None
    _has_terms(attempt.score.answer, ("TACE", "Y-90"))
