"""The term correction: misheard IR terms put back, ordinary words and negations left as said."""

from __future__ import annotations

import pytest

from bench.ir_speech import HELDOUT_NEGATION_SENTENCES, NEGATION_SENTENCES
from bench.time_to_feedback import SCRIPT
from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.models import Word
from interviewcoach.core.speech import term_correction as tc
from interviewcoach.core.speech.vocabulary import vocabulary_for
from tests.speech import ANSWER_SENTENCES


@pytest.fixture(scope="module")
def corrector(bank: QuestionBank) -> tc.TermCorrector:
    return tc.TermCorrector.for_terms(tuple(vocabulary_for(None, bank)))


def heard(text: str, probability: float = 0.9, **unsure: float) -> list[Word]:
    """Whisper-style words (a leading space each), 0.3 s apart; `unsure` gives a word its own probability."""
    return [
        Word(
            word=" " + w,
            start=0.3 * i,
            end=0.3 * i + 0.25,
            probability=unsure.get(w.strip(".,"), probability),
        )
        for i, w in enumerate(text.split())
    ]


def said(words: list[Word]) -> str:
    return "".join(w.word for w in words).strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we offered embalination for the bleed", "we offered embolization for the bleed"),
        ("a patient with hepatosular carcinoma.", "a patient with hepatocellular carcinoma."),
        ("I scrubbed into a phromectomy today", "I scrubbed into a thrombectomy today"),
        ("my step 2c score", "my Step 2 CK score"),
        ("my umsmle scores", "my USMLE scores"),
    ],
)
def test_a_misheard_term_is_put_back(corrector: tc.TermCorrector, text: str, expected: str) -> None:
    assert said(corrector.correct(heard(text))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Heard in a spoken pathway answer (Festival HTS): each form is one grammar rules out.
        ("that I want I are and I would ask", "that I want IR and I would ask"),
        ("in my first year of Dr. I would tell", "in my first year of DR I would tell"),
        ("I would stay in Dr. for now", "I would stay in DR for now"),
        ("both Dr, and IR", "both DR, and IR"),
        # The pronoun with a verb it agrees with, and the title before a name, are left as said.
        ("I am sure that I was right", "I am sure that I was right"),
        ("when I, are we sure", "when I, are we sure"),
        ("I met Dr. Patel in clinic", "I met Dr. Patel in clinic"),
    ],
)
def test_ir_and_dr_written_as_words_grammar_rules_out_are_put_back(
    corrector: tc.TermCorrector, text: str, expected: str
) -> None:
    assert said(corrector.correct(heard(text))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Heard in a spoken low-score answer (neural voice), streamed: the chunk came back in lower case.
        ("the habits carried into my ir sub internship", "the habits carried into my IR sub internship"),
        ("an nbme form every week, and uworld daily.", "an NBME form every week, and UWorld daily."),
        # Lower-case forms that are English words too are left as said.
        ("yes sir, I gave them tips on the pad", "yes sir, I gave them tips on the pad"),
    ],
)
def test_a_term_written_in_lower_case_gets_its_capitals_back(
    corrector: tc.TermCorrector, text: str, expected: str
) -> None:
    assert said(corrector.correct(heard(text))) == expected


def test_ir_written_as_i_are_keeps_the_two_words_time(corrector: tc.TermCorrector) -> None:
    [*_, ir, after] = corrector.correct(heard("I want I are and"))
    assert (ir.word, ir.start, ir.end, after.word) == (" IR", 0.6, 1.15, " and")


def test_a_real_word_is_replaced_only_when_whisper_was_unsure_of_it(corrector: tc.TermCorrector) -> None:
    text = "I kept a log of every geography case"
    assert said(corrector.correct(heard(text, geography=0.2))) == "I kept a log of every angiography case"
    assert said(corrector.correct(heard(text))) == text


def test_the_replacement_keeps_the_span_s_time_and_punctuation(corrector: tc.TermCorrector) -> None:
    words = heard("placed by hepatosular carcinoma, then")
    fixed = corrector.correct(words)
    assert [w.word for w in fixed[2:4]] == [" hepatocellular", " carcinoma,"]
    assert fixed[2].start == words[2].start and fixed[3].end == words[3].end


@pytest.mark.parametrize(
    "text",
    [
        "I presented a poster on pulmonary embolism",  # a real word, near "embolization"
        "I spent a month as a student with every patient",  # near "stent"
        "My Step 2 score went up by twenty points",  # "score" is not "CK"
        "We gave tips to the team and I told them to meet",  # short terms and common words
        "I used UWorld and did an angioplasty after my ESIR year",  # terms already right
    ],
)
def test_ordinary_words_and_right_terms_are_left_alone(corrector: tc.TermCorrector, text: str) -> None:
    assert said(corrector.correct(heard(text))) == text


@pytest.mark.parametrize(
    "sentence", [*NEGATION_SENTENCES, *HELDOUT_NEGATION_SENTENCES, *ANSWER_SENTENCES, *SCRIPT]
)
def test_sentences_without_terms_are_never_changed_even_when_whisper_is_unsure(
    corrector: tc.TermCorrector, sentence: str
) -> None:
    for probability in (0.9, 0.1):
        assert said(corrector.correct(heard(sentence, probability))) == sentence


def test_a_negation_is_never_part_of_a_replaced_span(corrector: tc.TermCorrector) -> None:
    fixed = said(corrector.correct(heard("I did not embalination", 0.1)))
    assert fixed.startswith("I did not ")


def test_sound_keys_fold_what_whisper_confuses() -> None:
    assert tc.phonetic_key("embalination") == tc.phonetic_key("embolination")
    assert tc.phonetic_key("pick line") == tc.phonetic_key("big line")  # voiced and voiceless
    assert tc.spoken_forms("Y-90") == ["why ninety"]
    assert "en bee em ee" in tc.spoken_forms("NBME")
    assert tc.spoken_forms("UWorld") == ["you world"]


def test_a_raw_result_is_corrected_segment_by_segment(bank: QuestionBank) -> None:
    from interviewcoach.core.speech.transcribe import RawResult, correct_terms

    first = heard("we offered embalination")
    # The second segment follows the first in time, as Whisper's segments do.
    second = [
        w.model_copy(update={"start": w.start + 1.0, "end": w.end + 1.0}) for w in heard("then I went home")
    ]
    raw = RawResult(
        words=first + second,
        segments=[(" we offered embalination", 0.0, 1.0, first), (" then I went home", 1.0, 2.0, second)],
    )
    fixed = correct_terms(raw, vocabulary_for(None, bank))
    assert [s[0] for s in fixed.segments] == [" we offered embolization", " then I went home"]
    assert fixed.words == [w for s in fixed.segments for w in s[3]]
    assert correct_terms(raw, ()) is raw  # no vocabulary, nothing to correct against
