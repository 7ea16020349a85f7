"""Delivery measured from the audio: islands, pauses, voicing, and filled pauses Whisper leaves out."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf

from interviewcoach.core.audio.files import load_audio
from interviewcoach.core.models import Filler, Pause, Transcript, Word
from interviewcoach.core.protocols import Transcriber
from interviewcoach.core.speech import acoustics as da
from interviewcoach.core.speech import transcribe as tr
from tests.speech import Clip, Silence, SpeechMaker, Um, festival_voices

SR = 16000


def _w(word: str, start: float, end: float) -> Word:
    return Word(word=word, start=start, end=end, probability=0.9)


# ---------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    ("pattern", "bridge", "expected"),
    [
        ("..######..", 2, [(2, 8)]),
        ("######.#######", 2, [(0, 14)]),  # a one-frame dip (a stop closure) does not split
        ("######..#######", 2, [(0, 6), (8, 15)]),
        ("######..#######", 4, [(0, 15)]),
        ("###.......", 2, []),  # too short to be anything
        ("", 2, []),
    ],
)
def test_islands_are_runs_of_sound(pattern: str, bridge: int, expected: list[tuple[int, int]]) -> None:
    active = np.array([c == "#" for c in pattern], dtype=bool)
    islands = da.find_islands(active, bridge=bridge, min_frames=6)
    assert [(i.first, i.last) for i in islands] == expected


def test_islands_know_the_silence_around_them() -> None:
    active = np.array([c == "#" for c in "...#######.....########...."], dtype=bool)
    first, second = da.find_islands(active, bridge=2)
    assert first.gap_before_s == pytest.approx(0.03)
    assert first.gap_after_s == pytest.approx(0.05) == second.gap_before_s
    assert second.gap_after_s == pytest.approx(0.04)


@pytest.mark.parametrize(
    ("regions", "span", "expected"),
    [
        ([(0.5, 2.0), (3.2, 5.0)], (0.5, 5.0), [(2.0, 3.2)]),
        ([(0.5, 2.0), (2.3, 5.0)], (0.5, 5.0), []),  # 0.3 s is an ordinary gap
        ([(0.5, 2.0), (2.6, 3.0), (4.5, 6.0)], (0.5, 6.0), [(2.0, 2.6), (3.0, 4.5)]),
        # Silence before the first word and after the last is not a pause in the answer.
        ([(0.0, 0.2), (2.0, 3.0), (6.0, 6.2)], (2.0, 3.0), []),
        ([(0.5, 2.0)], None, []),
    ],
)
def test_pauses_are_silences_inside_the_answer(
    regions: list[tuple[float, float]], span: tuple[float, float] | None, expected: list[tuple[float, float]]
) -> None:
    assert da.find_pauses(regions, span) == [Pause(start=s, end=e) for s, e in expected]


def test_words_timed_in_silence_are_dropped() -> None:
    regions = [(1.0, 3.0), (5.0, 6.0)]
    words = [_w("so", 0.9, 1.2), _w("thank", 3.9, 4.2), _w("you", 4.2, 4.4), _w("yes", 5.1, 5.5)]
    assert [w.word for w in da.words_in_speech(words, regions)] == ["so", "yes"]


def test_speech_span_snaps_to_the_voice() -> None:
    regions = [(0.62, 2.0), (2.5, 4.1)]
    words = [_w("I", 0.0, 0.9), _w("did", 0.9, 1.5), _w("it", 3.6, 4.6)]
    assert da.speech_span(regions, words) == (0.62, 4.1)
    assert da.speech_span(regions, []) is None


def test_voicing_and_pitch_of_a_tone_and_of_noise() -> None:
    t = np.arange(SR) / SR
    tone = (0.3 * np.sin(2 * np.pi * 150 * t)).astype(np.float32)
    frames = da.frame_features(tone)
    assert len(frames) == 1 + (SR - 400) // 160
    assert float(np.median(frames.periodicity)) > 0.9
    assert float(np.median(frames.f0)) == pytest.approx(150, rel=0.03)
    noise = np.random.default_rng(0).standard_normal(SR).astype(np.float32) * 0.1
    assert float(np.median(da.frame_features(noise).periodicity)) < 0.4


def test_peak_level() -> None:
    assert da.peak_level_db(np.zeros(SR, dtype=np.float32)) < -100
    assert da.peak_level_db(np.full(SR, 0.1, dtype=np.float32)) == pytest.approx(-20, abs=0.1)


def _model(trees: list[list[float]], features: tuple[str, ...], bias: float = 0.0) -> da.FillerModel:
    table = np.array(trees, dtype=np.float64)
    index = [da.FILLER_FEATURES.index(name) for name in features]
    return da.FillerModel(
        features=features,
        bias=bias,
        split_feature=np.array(index)[table[:, [0, 2, 4]].astype(np.int64)],
        split_value=table[:, [1, 3, 5]],
        leaves=table[:, 6:],
        threshold=0.5,
    )


def test_each_tree_sends_an_island_to_one_of_its_four_leaves() -> None:
    # One tree: root on "gap_min" <= 0.1; left child on "duration" <= 0.3, right child on "steady" <= 0.2.
    model = _model(
        [[0, 0.1, 1, 0.3, 2, 0.2, 1.0, 2.0, 3.0, 4.0]], ("gap_min", "duration", "steady"), bias=-1.0
    )
    gap, duration, steady = (da.FILLER_FEATURES.index(n) for n in ("gap_min", "duration", "steady"))
    rows = np.zeros((4, len(da.FILLER_FEATURES)))
    rows[:, [gap, duration, steady]] = [[0.0, 0.2, 0.0], [0.0, 0.5, 0.0], [0.3, 0.5, 0.1], [0.3, 0.2, 0.25]]
    assert model.log_odds(rows).tolist() == [0.0, 1.0, 2.0, 3.0]
    # Trees add up.
    twice = _model([[0, 0.1, 1, 0.3, 2, 0.2, 1.0, 2.0, 3.0, 4.0]] * 2, ("gap_min", "duration", "steady"))
    assert twice.log_odds(rows).tolist() == [2.0, 4.0, 6.0, 8.0]


def test_the_shipped_model_weighs_features_the_detector_measures() -> None:
    model = da.filler_model()
    assert set(model.features) <= set(da.FILLER_FEATURES)
    assert len(model.leaves) > 0
    assert 0.0 < model.threshold < 1.0
    assert model.split_feature.max() < len(da.FILLER_FEATURES)


# ---------------------------------------------------------------------------- on speech

WITH_FILLERS = [
    "My Step two score went up by twenty points.",
    Um("um"),
    "I spent a month on the interventional radiology service.",
    Silence(0.3),
    Um("uh"),
    Silence(0.3),
    "I learned to place ports and drains.",
]


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> SpeechMaker:
    return SpeechMaker(tmp_path_factory.mktemp("speech"))


@pytest.fixture(scope="module")
def fw() -> Transcriber:
    return tr.make_transcriber("faster-whisper")


@pytest.fixture(scope="module")
def filler_clip(speech: SpeechMaker) -> Clip:
    return speech.clip(WITH_FILLERS, noise_dbfs=-55)


@pytest.fixture(scope="module")
def filler_transcript(fw: Transcriber, filler_clip: Clip) -> Transcript:
    return fw.transcribe(filler_clip.path)


def _hits(truth: list[tuple[float, float, str]], fillers: list[Filler]) -> tuple[int, int]:
    found = [(f.start or 0.0, f.end or 0.0) for f in fillers if f.kind == "filled_pause"]
    hits = sum(1 for s, e, _ in truth if any(a < e + 0.1 and b > s - 0.1 for a, b in found))
    return hits, len(found) - hits


def test_whisper_leaves_the_fillers_out_of_the_text(filler_transcript: Transcript) -> None:
    words = {w.word.lower().strip(",.") for w in filler_transcript.words}
    assert not words & {"um", "uh"}


def test_filled_pauses_are_heard_in_the_audio(filler_clip: Clip, filler_transcript: Transcript) -> None:
    hits, false_alarms = _hits(filler_clip.fillers, filler_transcript.fillers)
    assert hits == 2, filler_transcript.fillers
    assert false_alarms == 0, filler_transcript.fillers
    heard = [f for f in filler_transcript.fillers if f.kind == "filled_pause"]
    assert all(f.text == da.FILLED_PAUSE_TEXT for f in heard)
    for (start, end, _), filler in zip(filler_clip.fillers, heard, strict=True):
        assert filler.start == pytest.approx(start, abs=0.1)
        assert filler.end == pytest.approx(end, abs=0.1)


def test_the_same_answer_without_fillers_has_none(speech: SpeechMaker, fw: Transcriber) -> None:
    clean = speech.clip([p for p in WITH_FILLERS if not isinstance(p, Um)], noise_dbfs=-55)
    transcript = fw.transcribe(clean.path)
    assert [f for f in transcript.fillers if f.kind == "filled_pause"] == []


def test_a_written_um_is_moved_onto_its_sound(filler_clip: Clip, filler_transcript: Transcript) -> None:
    # Whisper sometimes does write "um", timed a few hundred ms off; it must land on the sound and
    # not be counted twice.
    truth_start, truth_end, _ = filler_clip.fillers[0]
    words = list(filler_transcript.words)
    late = _w("um,", truth_end + 0.25, truth_end + 0.45)
    words.append(late)
    words.sort(key=lambda w: w.start)
    found = da.detect_filled_pauses(load_audio(filler_clip.path), words)
    index = words.index(late)
    assert found.placed[index][0] == pytest.approx(truth_start, abs=0.1)
    assert all(abs((f.start or 0) - truth_start) > 0.1 for f in found.heard)
    assert len(found.heard) == 1


def test_island_sounds_worked_out_while_recording_give_the_same_filled_pauses(
    filler_clip: Clip, filler_transcript: Transcript
) -> None:
    from interviewcoach.core.speech.incremental import IncrementalFrames

    audio = load_audio(filler_clip.path)
    words = list(filler_transcript.words)
    sounds: da.IslandSounds = {}
    incremental = IncrementalFrames()
    for at in (len(audio) // 3, 2 * len(audio) // 3):  # two chunks' worth, as the streamer does
        incremental.advance(audio, at)
        da.remember_sounds(incremental.so_far(), sounds)
    remembered = dict(sounds)
    frames = incremental.close(audio)
    with_memory = da.detect_filled_pauses(audio, words, frames=frames, sounds=sounds)
    assert with_memory == da.detect_filled_pauses(audio, words)
    assert len(with_memory.heard) == len(filler_clip.fillers)
    # Most islands heard so far were the whole answer's too: their sounds were not worked out again.
    _, candidates = da.filler_islands(frames, words)
    reused = [ev for ev in candidates if (ev.island.first, ev.island.last) in remembered]
    assert len(reused) >= len(candidates) // 3
    for ev in reused:
        assert remembered[(ev.island.first, ev.island.last)] is sounds[(ev.island.first, ev.island.last)]


def test_lexical_fillers_get_the_times_of_their_words(
    filler_clip: Clip, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever spans analysis.find_lexical_fillers reports, the transcript times them by word."""
    from interviewcoach.core.scoring import analysis

    words = [_w(" So", 0.3, 0.5), _w(" you", 0.5, 0.7), _w(" know,", 0.7, 1.0), _w(" I", 1.2, 1.3)]

    def fake(doc: object) -> list[Filler]:
        return [Filler(text="you know", kind="lexical", char_start=3, char_end=11)]

    monkeypatch.setattr(analysis, "find_lexical_fillers", fake)
    raw = tr.RawResult(words=words, segments=[(" So you know, I", 0.3, 1.3, words)])
    transcript = tr.build_transcript(
        load_audio(filler_clip.path), raw, [(0.3, 1.4)], engine="faster-whisper", model="tiny.en"
    )
    assert transcript.text == "So you know, I"
    lexical = [f for f in transcript.fillers if f.kind == "lexical"]
    assert [(f.text, f.start, f.end, f.char_start) for f in lexical] == [("you know", 0.5, 1.0, 3)]


def test_speech_regions_follow_the_voice(filler_clip: Clip, speech: SpeechMaker) -> None:
    regions = da.speech_regions(load_audio(filler_clip.path))
    assert regions
    assert regions[0][0] == pytest.approx(filler_clip.spoken[0][0], abs=0.15)
    assert regions[-1][1] == pytest.approx(filler_clip.spoken[-1][1], abs=0.15)
    assert da.speech_regions(load_audio(speech.silence(2.0))) == []
    assert da.speech_regions(load_audio(speech.noise(2.0, dbfs=-30))) == []


# ---------------------------------------------------------------------------- other voices

# A voice the detector's weights were not fitted on (bench/fillers.py names the fitting voices), from
# the second synthesiser family. Its "um" is short and articulated, not a held vowel, so only the
# word timings around it give it away.
UNFITTED_DIPHONE = "festival:ked_diphone"
PAUSED_FILLER = [
    "I took a hard look at how I studied.",
    Silence(0.2),
    Um("um"),
    Silence(0.2),
    "I built a schedule and did questions every morning.",
    Um("um"),
    "That experience showed me how much I enjoy procedures.",
]


def _unfitted_diphone() -> None:
    if UNFITTED_DIPHONE not in festival_voices():
        pytest.fail(f"Festival voice {UNFITTED_DIPHONE} is not installed (make install-test installs it)")


@pytest.mark.xfail(
    strict=True,
    reason="the boosted filler model misses this voice's short articulated 'um' (recall 0.04 on ked_diphone "
    "in bench/fillers.py; README 'Speech on voices it was not fitted to'); the previous logistic model found "
    "a quarter of them",
)
def test_a_filled_pause_is_heard_in_a_voice_it_was_not_fitted_on(
    speech: SpeechMaker, fw: Transcriber
) -> None:
    _unfitted_diphone()
    clip = speech.clip(PAUSED_FILLER, voice=UNFITTED_DIPHONE, rate=160, noise_dbfs=-55)
    transcript = fw.transcribe(clip.path)
    hits, false_alarms = _hits(clip.fillers, transcript.fillers)
    assert hits >= 1, transcript.fillers
    assert false_alarms == 0, transcript.fillers


def test_clean_speech_in_a_voice_it_was_not_fitted_on_has_no_filled_pause(
    speech: SpeechMaker, fw: Transcriber
) -> None:
    _unfitted_diphone()
    clean = speech.clip(
        [p for p in PAUSED_FILLER if not isinstance(p, Um)], voice=UNFITTED_DIPHONE, rate=160, noise_dbfs=-55
    )
    assert [f for f in fw.transcribe(clean.path).fillers if f.kind == "filled_pause"] == []


def test_a_written_filler_lands_on_its_own_sound_not_on_a_word(speech: SpeechMaker, fw: Transcriber) -> None:
    # This voice says "er" breathily (few frames with a clear pitch), so its sound is no candidate
    # for a heard filled pause; a written "er" must still be placed on it, not on the words before.
    clip = speech.clip(
        [
            "I took a hard look at how I studied.",
            Um("er"),
            "I built a schedule and did questions every morning.",
        ],
        voice="en-us+Annie",
        rate=160,
        noise_dbfs=-55,
    )
    start, end, _ = clip.fillers[0]
    words = [w for w in fw.transcribe(clip.path).words if not da.is_filled_pause_word(w.word)]
    written = _w("er,", round(start, 2), round(end, 2))
    words = sorted([*words, written], key=lambda w: w.start)
    found = da.detect_filled_pauses(load_audio(clip.path), words)
    placed_start, placed_end = found.placed[words.index(written)]
    assert placed_start == pytest.approx(start, abs=0.1)
    assert placed_end == pytest.approx(end, abs=0.1)


# ---------------------------------------------------------------------------- a held vowel


def _held_vowel(seconds: float, f0: float, level_dbfs: float) -> npt.NDArray[np.float32]:
    """A schwa-like vowel made in numpy: harmonics of a slowly falling pitch shaped by three formants."""
    t = np.arange(round(seconds * SR)) / SR
    pitch = f0 * (1.0 - 0.08 * t / seconds)
    phase = 2 * np.pi * np.cumsum(pitch) / SR
    sound = np.zeros_like(t)
    for k in range(1, int(3800 // f0)):
        freq = k * f0
        gain = sum(1.0 / (1.0 + ((freq - fc) / bw) ** 2) for fc, bw in ((500, 90), (1500, 120), (2500, 160)))
        sound += gain / k * np.sin(k * phase)
    ramp = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.03)
    sound *= ramp
    rms = float(np.sqrt(np.mean(sound**2)))
    return (sound / rms * 10 ** (level_dbfs / 20)).astype(np.float32)


def test_a_held_vowel_between_words_is_a_filled_pause(
    speech: SpeechMaker, fw: Transcriber, tmp_path: Path
) -> None:
    # Not a synthesiser's "um" at all: a vowel made in numpy, held between two sentences, at the
    # speaker's own level and a little under their usual pitch, as a filled pause is said.
    before = speech.say("I took a hard look at how I studied.", noise_dbfs=-60).samples()
    after = speech.say("I built a schedule and did questions every morning.", noise_dbfs=-60).samples()
    frames = da.frame_features(before)
    active = frames.energy_db > da.activity_threshold(frames.energy_db)
    voiced = active & (frames.periodicity > da.VOICED_PERIODICITY)
    pitch = float(np.median(frames.f0[voiced])) * 2 ** (-1 / 12)
    vowel = _held_vowel(0.35, pitch, float(np.median(frames.energy_db[active])))
    start = len(before) / SR
    held = tmp_path / "held.wav"
    sf.write(held, np.concatenate([before, vowel, after]), SR, subtype="PCM_16")
    heard = [f for f in fw.transcribe(held).fillers if f.kind == "filled_pause"]
    assert len(heard) == 1, heard
    assert heard[0].start == pytest.approx(start, abs=0.1)
    assert heard[0].end == pytest.approx(start + 0.35, abs=0.1)
    clean = tmp_path / "clean.wav"
    sf.write(clean, np.concatenate([before, after]), SR, subtype="PCM_16")
    assert [f for f in fw.transcribe(clean).fillers if f.kind == "filled_pause"] == []
