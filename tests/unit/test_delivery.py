"""Delivery criteria (pace, fillers, pauses) banded by rubric parameters, from a timed transcript;
hedges and repetition reported beside them."""

from __future__ import annotations

import pytest

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.models import Pause, Transcript, Word
from interviewcoach.core.scoring.engine import score
from interviewcoach.core.scoring.rubrics import RubricSet

ANSWER = (
    "I took Step 1 in my second year and scored below the mean. I rebuilt my plan with a learning "
    "specialist, did forty timed questions a day and an NBME every two weeks, and my Step 2 CK came "
    "back at 251. Since then I have honored surgery and spent a month in the IR suite."
)


def timed(duration: float, pauses: list[tuple[float, float]]) -> Transcript:
    words = ANSWER.split()
    step = duration / len(words)
    return Transcript(
        text=ANSWER,
        words=[Word(word=w, start=i * step, end=(i + 1) * step) for i, w in enumerate(words)],
        duration_s=duration,
        speech_s=duration,
        pauses=[Pause(start=a, end=b) for a, b in pauses],
    )


def outcome(bank: QuestionBank, rubrics: RubricSet, transcript: Transcript | None, cid: str) -> object:
    question = bank.get("low-score")
    result = score(question, rubrics.get(question.rubric), transcript=transcript, text=ANSWER)
    return result.criteria.get(cid) or next(u for u in result.unscored if u.id == cid)


@pytest.mark.parametrize(
    ("duration", "passed", "advice_word"),
    [
        (len(ANSWER.split()) / 140 * 60, True, ""),
        (len(ANSWER.split()) / 70 * 60, False, "slow"),
        (len(ANSWER.split()) / 110 * 60, False, "slow"),  # between the flag and good bands
        (len(ANSWER.split()) / 176 * 60, False, "fast"),  # "176 wpm is fast" is not a pass
        (len(ANSWER.split()) / 220 * 60, False, "fast"),
    ],
)
def test_pace_verdict_agrees_with_its_advice(
    bank: QuestionBank, rubrics: RubricSet, duration: float, passed: bool, advice_word: str
) -> None:
    result = outcome(bank, rubrics, timed(duration, []), "pace")
    assert result.passed is passed  # type: ignore[attr-defined]
    assert (result.score == 1.0) is passed  # type: ignore[attr-defined]
    assert advice_word in result.feedback  # type: ignore[attr-defined]
    if not passed:
        assert result.score <= 0.8  # type: ignore[attr-defined]


def test_pace_and_pauses_are_unscored_without_audio(bank: QuestionBank, rubrics: RubricSet) -> None:
    question = bank.get("low-score")
    result = score(question, rubrics.get(question.rubric), text=ANSWER)
    assert {u.id for u in result.unscored} >= {"pace", "pauses"}
    assert "pace" not in result.criteria
    assert result.metrics.words_per_minute is None


@pytest.mark.parametrize(
    ("pauses", "passed"),
    [
        ([], True),
        ([(5.0, 6.2)], True),
        ([(5.0, 11.0)], False),  # one very long silence
        ([(2, 3.2), (6, 7.2), (9, 10.2), (12, 13.2), (15, 16.2), (18, 19.2)], False),  # many
    ],
)
def test_pauses_verdict_and_score_agree(
    bank: QuestionBank, rubrics: RubricSet, pauses: list[tuple[float, float]], passed: bool
) -> None:
    result = outcome(bank, rubrics, timed(25.0, pauses), "pauses")
    assert result.passed is passed  # type: ignore[attr-defined]
    assert (result.score == 1.0) is passed  # type: ignore[attr-defined]


def test_long_pause_evidence_quotes_the_words_around_the_silence(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    transcript = timed(25.0, [])
    words = transcript.words
    # A 6 s silence between the 10th and 11th words.
    transcript.pauses = [Pause(start=words[9].end, end=words[10].start)]
    for w in words[10:]:
        w.start += 6
        w.end += 6
    transcript.pauses = [Pause(start=words[9].end, end=words[10].start)]
    transcript.duration_s = 31.0
    result = outcome(bank, rubrics, transcript, "pauses")
    assert result.passed is False  # type: ignore[attr-defined]
    (evidence,) = result.evidence  # type: ignore[attr-defined]
    assert evidence.text == f"{words[9].word} {words[10].word}"
    assert ANSWER[evidence.start : evidence.end] == evidence.text


# ---------------------------------------------------------------------------- hedges and repetition

HABITS = (
    "I think my Step one score was sort of lower than I wanted. I I went to the the library every day "
    "and I went I went back to basics. Maybe I should have started earlier. What kind of plan works? "
    "I built a schedule with a tutor. I took a practice exam every week. I think I am probably ready."
)


def test_hedges_are_counted_and_quoted() -> None:
    from interviewcoach.core.scoring.analysis import analyze
    from interviewcoach.core.scoring.verbal import find_hedges

    hedges = [h.text for h in find_hedges(analyze(HABITS).doc)]
    # "What kind of plan" is a noun phrase, "I took" states a fact: neither is a hedge.
    assert hedges == ["I think", "sort of", "Maybe", "I think", "probably"]
    assert find_hedges(analyze("I do not think so. I placed the line myself.").doc) == []


def test_restarts_and_repeated_phrases_are_found() -> None:
    from interviewcoach.core.scoring.analysis import analyze
    from interviewcoach.core.scoring.verbal import find_repetitions

    found = [(r.kind, r.text) for r in find_repetitions(analyze(HABITS).doc)]
    assert found == [("restart", "I I"), ("restart", "the the"), ("restart", "I went I went")]
    again = analyze("The outcome was good for her. Then we met, and the outcome was good for him too.")
    assert [(r.kind, r.text) for r in find_repetitions(again.doc)] == [
        ("repeated_phrase", "the outcome was good for")
    ]
    # Function words alone ("and then I") are how sentences are made, not repetition.
    plain = analyze("And then I called the fellow. And then I paged the nurse. And then I wrote the note.")
    assert find_repetitions(plain.doc) == []


def test_habit_bands_agree_with_their_advice(bank: QuestionBank, rubrics: RubricSet) -> None:
    from interviewcoach.core.scoring.verbal import hedge_report, repetition_report

    question = bank.get("low-score")
    result = score(question, rubrics.get(question.rubric), text=HABITS)
    m = result.metrics
    assert (m.hedge_count, m.repetition_count) == (5, 3)
    hedges, repeats = hedge_report(m), repetition_report(m)
    assert hedges.band == "poor" and "less sure" in hedges.advice and '"I think" x2' in hedges.value
    # 3 restarts in 61 words: 4.9%, fair.
    assert m.word_count == 61
    assert repeats.band == "fair" and "said twice" in repeats.advice
    calm = score(question, rubrics.get(question.rubric), text=ANSWER)
    assert hedge_report(calm.metrics).band == "good" and "Few hedges" in hedge_report(calm.metrics).advice
    assert repetition_report(calm.metrics).band == "good"


def test_cli_and_panel_show_hedges_and_repetition(bank: QuestionBank, rubrics: RubricSet) -> None:
    from interviewcoach.cli.render import render_score
    from interviewcoach.tui.widgets.delivery_panel import delivery_rows

    question = bank.get("low-score")
    rubric = rubrics.get(question.rubric)
    result = score(question, rubric, text=HABITS)
    text = render_score(result, question, rubric)
    delivery = text[text.index("DELIVERY") : text.index("NUMBERS")]
    assert "POOR   Hedges" in delivery and '"I think" x2' in delivery
    assert "FAIR   Repetition" in delivery and '"I went I went"' in delivery
    rows = {name: (value, verdict) for name, value, _, (verdict, _) in delivery_rows(result.metrics, rubric)}
    assert rows["Hedges"][1] == "poor" and '"sort of"' in rows["Hedges"][0]
    assert rows["Repetition"][1] == "fair"
