"""Scores and recordings for history tests, built directly from the models (no spaCy, no Whisper)."""

from __future__ import annotations

import wave
from pathlib import Path

from interviewcoach.core.models import (
    CriterionResult,
    Evidence,
    Filler,
    Metrics,
    Pause,
    Score,
    Segment,
    Transcript,
    Word,
)

ANSWER = (
    "I scored a 221 on Step 1. I changed how I study, used spaced repetition every day, "
    "and my Step 2 CK score was 255."
)


def transcript_for(
    text: str = ANSWER, *, engine: str = "faster-whisper", model: str = "tiny.en"
) -> Transcript:
    """A transcript whose words are timed 0.4 s apart, as an engine would report them."""
    words = [
        Word(word=w, start=round(i * 0.4, 2), end=round(i * 0.4 + 0.3, 2)) for i, w in enumerate(text.split())
    ]
    duration = round(len(words) * 0.4 + 0.5, 2)
    return Transcript(
        text=text,
        words=words,
        segments=[Segment(text=text, start=0.0, end=duration)],
        duration_s=duration,
        speech_s=duration - 0.5,
        engine=engine,
        model=model,
        fillers=[Filler(text="um", kind="filled_pause", start=1.0, end=1.3)],
        pauses=[Pause(start=2.0, end=3.1)],
    )


def make_score(
    question_id: str = "low-score",
    *,
    overall: int = 70,
    criteria: dict[str, float] | None = None,
    text: str = ANSWER,
    audio: bool = True,
    no_answer: bool = False,
    rubric_id: str = "setback",
) -> Score:
    """A Score as `scoring.score` shapes it, with evidence spans and (optionally) a timed transcript."""
    criteria = criteria if criteria is not None else {"brevity": 0.7, "ownership": 0.4}
    results = {
        cid: CriterionResult(
            score=value,
            passed=value >= 0.6,
            feedback=f"{cid} feedback",
            evidence=[Evidence(label=f"{cid}_span", text=text[:20], start=0, end=min(20, len(text)))],
        )
        for cid, value in criteria.items()
    }
    transcript = transcript_for(text) if audio else None
    metrics = Metrics(
        word_count=len(text.split()),
        sentence_count=2,
        duration_s=transcript.duration_s if transcript else None,
        words_per_minute=150.0 if transcript else None,
        filler_count=1 if transcript else 0,
    )
    return Score(
        question_id=question_id,
        rubric_id=rubric_id,
        overall=overall,
        no_answer=no_answer,
        answer=text,
        criteria=results,
        metrics=metrics,
        transcript=transcript,
    )


def write_wav(path: Path, seconds: float = 0.5, *, seed: int = 1) -> Path:
    """A small 16 kHz mono WAV with distinct content per seed (so copies can be told apart)."""
    frames = int(16000 * seconds)
    data = bytes((i * seed * 7 + seed) % 256 for i in range(frames * 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(data)
    return path
