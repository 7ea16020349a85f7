"""The counts every report shows (words, sentences, fillers, pace, pauses, hedges), from the analysis.

Delivery figures are filled only when audio timing is known. The scoring engine and the delivery
detectors both read them, so they live apart from both.
"""

from __future__ import annotations

from interviewcoach.core.models import Metrics, Transcript
from interviewcoach.core.scoring.analysis import Analysis
from interviewcoach.core.scoring.verbal import habits_of

# A silence this long (seconds) is a long pause in every report.
LONG_PAUSE_S = 1.0


def metrics_for(analysis: Analysis, transcript: Transcript | None) -> Metrics:
    """Counts every report shows; delivery figures only when audio timing is known."""
    lexical = [f for f in analysis.lexical_fillers if f.kind == "lexical"]
    text_pauses = [f for f in analysis.lexical_fillers if f.kind == "filled_pause"]
    m = Metrics(
        word_count=analysis.word_count,
        sentence_count=analysis.sentence_count,
        lexical_filler_count=len(lexical),
        readability_grade=round(analysis.readability_grade, 1),
        mean_sentence_words=analysis.mean_sentence_words,
    )
    hedges, repeats = habits_of(analysis)
    m.hedge_count, m.hedges = len(hedges), [h.text for h in hedges]
    m.repetition_count, m.repetitions = len(repeats), [r.text for r in repeats]
    if transcript is None:
        m.filler_count = len(analysis.lexical_fillers)
    else:
        heard = [f for f in transcript.fillers if f.kind == "filled_pause"]
        # Filled pauses written in the transcript text and heard in the audio are the same
        # event; count the audio ones (with times) and any written ones beyond them.
        m.filled_pause_count = max(len(heard), len(text_pauses))
        m.filler_count = len(lexical) + m.filled_pause_count
        long = [p for p in transcript.pauses if p.duration >= LONG_PAUSE_S]
        m.duration_s = round(transcript.duration_s, 2)
        m.vocal_variety = transcript.vocal_variety
        m.long_pause_count = len(long)
        m.longest_pause_s = round(max((p.duration for p in transcript.pauses), default=0.0), 2)
        # Pace counts from the first word to the last: dead air before the student starts or after
        # they finish is not slow speech.
        speaking = transcript.speech_s if transcript.speech_s > 0 else transcript.duration_s
        m.words_per_minute = round(analysis.word_count / max(speaking, 1e-6) * 60, 1)
        inside = [p for p in long if p.duration <= speaking]
        talking = speaking - sum(p.duration for p in inside)
        m.articulation_wpm = round(analysis.word_count / max(talking, 1e-6) * 60, 1)
    total = analysis.word_count + (m.filled_pause_count or 0)
    m.filler_ratio = round(m.filler_count / total, 4) if total else 0.0
    return m
