"""Vocal variety: the pitch tracker on known tones, and flat and varied speech through the real
pipeline (espeak-ng speech, the small Whisper model, scoring, the CLI report and the TUI row)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from interviewcoach.cli.render import render_score
from interviewcoach.core.audio.files import load_audio
from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.models import Metrics, VocalVariety
from interviewcoach.core.scoring.engine import score
from interviewcoach.core.scoring.rubrics import RubricSet
from interviewcoach.core.speech import prosody
from interviewcoach.core.speech.incremental import IncrementalPitch
from interviewcoach.core.speech.transcribe import make_transcriber
from interviewcoach.tui.widgets.delivery_panel import delivery_rows
from tests.speech import missing_tools

RATE = 16000
ANSWER = (
    "During my sub internship a nurse told me that my sign out was hard to follow. I had been "
    "listing every lab value instead of saying what mattered. I asked her what she needed at night, "
    "and I rebuilt my sign out around the one problem most likely to go wrong. Two weeks later the "
    "night team said my patients were the easiest to cover. I still use that format today."
)


@pytest.mark.parametrize("hz", [65.0, 98.0, 123.4, 196.0, 261.6, 440.0])
def test_tracker_finds_a_tone_within_2_percent(hz: float) -> None:
    t = np.arange(RATE) / RATE
    # A voice-like tone: the fundamental and two weaker harmonics.
    tone = sum(0.3 / k * np.sin(2 * np.pi * k * hz * t) for k in (1, 2, 3))
    track = prosody.track_pitch(np.asarray(tone, dtype=np.float32))
    voiced = track.f0[track.voiced]
    assert voiced.size > 0.9 * len(track)
    assert np.all(np.abs(voiced / hz - 1) < 0.02)


def test_tracker_follows_a_glide_within_2_percent() -> None:
    t = np.arange(2 * RATE) / RATE
    glide = 90.0 * 3.0 ** (t / 2)  # 90 Hz to 270 Hz over two seconds
    audio = 0.3 * np.sin(2 * np.pi * np.cumsum(glide) / RATE)
    track = prosody.track_pitch(audio.astype(np.float32))
    # Each frame's window starts at its hop; its pitch is the glide's at the window's middle.
    truth = np.interp(np.arange(len(track)) * prosody.HOP + 256, np.arange(len(glide)), glide)
    assert track.voiced.mean() > 0.9
    assert np.nanmax(np.abs(track.f0 / truth - 1)) < 0.02


@pytest.mark.parametrize(
    "audio",
    [
        np.zeros(3 * RATE, dtype=np.float32),
        (0.05 * np.random.default_rng(1).standard_normal(3 * RATE)).astype(np.float32),
    ],
    ids=["silence", "noise"],
)
def test_silence_and_noise_give_no_figure(audio: np.ndarray) -> None:
    v = prosody.measure(audio)
    assert v.pitch_range_st is None and v.energy_spread_db is None and v.monotone == []
    report = prosody.variety_report(Metrics(vocal_variety=v))
    assert report is not None and report.value == "no speech detected" and report.band is None


def _spoken_like(seconds: float, seed: int) -> np.ndarray:
    """Voiced stretches (gliding harmonic tones) between pauses, with breath-level noise."""
    rng = np.random.default_rng(seed)
    audio = (0.002 * rng.standard_normal(int(seconds * RATE))).astype(np.float32)
    at = int(0.3 * RATE)
    while at < len(audio) - RATE:
        length = int(rng.uniform(0.3, 2.0) * RATE)
        t = np.arange(length) / RATE
        hz = rng.uniform(90, 220) * 2.0 ** (rng.uniform(-0.5, 0.5) * t)
        phase = 2 * np.pi * np.cumsum(hz) / RATE
        voice = sum(rng.uniform(0.05, 0.3) / k * np.sin(k * phase) for k in (1, 2, 3))
        audio[at : at + length] += np.asarray(voice, dtype=np.float32)[: len(audio) - at]
        at += length + int(rng.uniform(0.1, 0.8) * RATE)
    return audio


def test_pitch_worked_out_while_recording_equals_the_whole_answer() -> None:
    # The streaming transcriber works out the pitch frames as audio arrives (in blocks of any
    # size); the vocal variety measured with them must be the whole-answer one, exactly.
    audio = _spoken_like(40.0, seed=3)
    regions = [(0.2, 39.5)]
    rng = np.random.default_rng(4)
    incremental = IncrementalPitch()
    at = 0
    while at < len(audio):
        at = min(len(audio), at + int(rng.integers(800, 60000)))
        incremental.advance(audio, at)
    known = incremental.known()
    assert known.done.sum() > 1000  # most of the voice was worked out before the "stop"
    whole = prosody.track_pitch(audio)
    with_known = prosody.track_pitch(audio, known=known)
    np.testing.assert_array_equal(with_known.f0, whole.f0)
    np.testing.assert_array_equal(with_known.aperiodicity, whole.aperiodicity)
    # The frames' loudness too: worked out block by block while recording, the whole answer's bits.
    assert len(known.level_db) == len(known.done)
    np.testing.assert_array_equal(with_known.level_db, whole.level_db)
    assert prosody.measure(audio, regions, known=known) == prosody.measure(audio, regions)
    assert prosody.measure(audio, regions).pitch_range_st is not None


def _median5(values: np.ndarray) -> np.ndarray:
    """One run's 5-frame running median, padded with its own ends mirrored (the way it was once
    worked out run by run)."""
    if values.size < 5:
        return values
    padded = np.concatenate([values[:2][::-1], values, values[-2:][::-1]])
    return np.asarray(np.median(np.lib.stride_tricks.sliding_window_view(padded, 5), axis=1))


@pytest.mark.parametrize("seed", range(30))
def test_voiced_runs_are_smoothed_each_on_its_own(seed: int) -> None:
    # All runs are smoothed at once; each must come out as the 5-frame running median of that run
    # alone, mirrored at its own ends, a run under five frames left as it is, and unkept frames NaN.
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 1500))
    f0 = np.where(rng.random(n) < rng.uniform(0.05, 0.95), rng.uniform(80, 300, n), np.nan)
    track = prosody.PitchTrack(f0, np.ones(n), np.zeros(n))
    got = prosody.semitones(track, track.voiced)
    expected = np.full(n, np.nan)
    run_start = None
    for i in range(n + 1):
        voiced = i < n and not np.isnan(f0[i])
        if voiced and run_start is None:
            run_start = i
        elif not voiced and run_start is not None:
            expected[run_start:i] = _median5(12.0 * np.log2(f0[run_start:i] / 100.0))
            run_start = None
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("seed", range(20))
def test_monotone_windows_read_as_numpy_percentiles(seed: int) -> None:
    # Every window's spread is worked out at once; it must be np.percentile's, to the last bit.
    rng = np.random.default_rng(seed)
    st = rng.normal(0, 2, int(rng.integers(200, 2000))).cumsum() * 0.05
    st[rng.random(len(st)) < rng.uniform(0.1, 0.8)] = np.nan
    window, step = 200, 25
    spreads, counts = prosody._window_spreads(st, window, step)
    for index, start in enumerate(range(0, max(0, len(st) - window + 1), step)):
        part = st[start : start + window]
        voiced = part[~np.isnan(part)]
        assert counts[index] == voiced.size
        if voiced.size:
            assert spreads[index] == np.percentile(voiced, 90) - np.percentile(voiced, 10)


def test_a_typed_answer_shows_nothing() -> None:
    assert prosody.variety_report(Metrics()) is None
    assert all(row[0] != "Vocal variety" for row in delivery_rows(Metrics(), None))


def _espeak(folder: Path, name: str, ssml_range: str) -> Path:
    wav = folder / f"{name}.wav"
    text = f'<speak><prosody range="{ssml_range}">{ANSWER}</prosody></speak>'
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-m", "-w", str(wav), text], check=True)
    return wav


@pytest.mark.slow
@pytest.mark.skipif(bool(missing_tools()), reason="needs espeak-ng and sox")
def test_flat_speech_is_monotone_and_varied_is_not(
    tmp_path: Path, bank: QuestionBank, rubrics: RubricSet
) -> None:
    transcriber = make_transcriber()
    question = bank.get("critical-feedback")
    rubric = rubrics.get(question.rubric)
    reports = {}
    for name, ssml_range in (("flat", "x-low"), ("varied", "x-high")):
        transcript = transcriber.transcribe(load_audio(_espeak(tmp_path, name, ssml_range)))
        # The script as the text: tiny.en drops much of a flat synthetic voice, and the words are
        # not what this test is about; the voice figures come from the transcript's audio.
        scored = score(question, rubric, text=ANSWER, transcript=transcript)
        v = scored.metrics.vocal_variety
        assert isinstance(v, VocalVariety) and v.pitch_range_st is not None
        reports[name] = (v, prosody.variety_report(scored.metrics), render_score(scored, question, rubric))
    flat, flat_report, flat_text = reports["flat"]
    varied, varied_report, _ = reports["varied"]
    assert flat.pitch_range_st is not None and varied.pitch_range_st is not None
    assert flat.pitch_range_st < prosody.FLAT_MAX_ST <= varied.pitch_range_st
    assert flat.monotone and not varied.monotone
    assert flat_report is not None and flat_report.band == "poor" and "monotone" in flat_report.advice
    assert varied_report is not None and varied_report.band != "poor"
    assert "Vocal variety" in flat_text and "monotone" in flat_text
    # A report, not a scored criterion: no rubric criterion reads the voice.
    assert not any("vocal" in c.id or "pitch" in c.id for c in rubric.criteria)
