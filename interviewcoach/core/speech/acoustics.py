"""How an answer sounded, measured from the audio: speech regions, silent pauses and filled pauses.

Whisper leaves out "um" and "uh", so filled pauses are found in the audio itself. The audio is cut
into voiced "islands" (runs of sound between silences) and each short island is judged on two kinds
of evidence: how it sounds, against the same speaker's voice in the recording (a filled pause is a
short voiced sound, often held; its pitch, level, spectrum and spectral change are measured relative
to the speaker's own), and whether the recognised words account for it (a dropped filler sits in a
gap between word timings, under a word whose timing was stretched over it, or under a short word
Whisper wrote with little confidence). Small boosted decision trees (`filler_model.json`, which names
the numbers it weighs) weigh it. Speech regions and pauses come from the Silero voice activity
detector that faster-whisper ships, so both engines measure pauses the same way.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from interviewcoach.core.models import Filler, Pause, Word

SAMPLE_RATE = 16000
HOP = 160  # 10 ms frames
FRAME_S = HOP / SAMPLE_RATE
_SPECTRUM_WIN = 400  # 25 ms analysis window
_PITCH_WIN = 640  # 40 ms: at least two periods of a low (70 Hz) voice
N_MELS = 24
_BLOCK_FRAMES = 3000  # frames per block, so long recordings stay within a few MB

# Pauses shorter than this are ordinary gaps between phrases, not worth reporting.
MIN_PAUSE_S = 0.5
FILLED_PAUSE_TEXT = "(filled pause)"
# Words Whisper sometimes does write down: they are filled pauses, with timings.
FILLED_PAUSE_WORDS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "mm", "mmm", "ah"})

Samples = npt.NDArray[np.float32]
FloatArray = npt.NDArray[np.float64]


# ---------------------------------------------------------------------------- speech regions


def speech_regions(audio: Samples) -> list[tuple[float, float]]:
    """(start, end) seconds of speech according to Silero VAD, with fine (150 ms) gaps kept."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.size < SAMPLE_RATE // 10:
        return []
    options = VadOptions(
        threshold=0.5, min_speech_duration_ms=100, min_silence_duration_ms=150, speech_pad_ms=30
    )
    stamps = get_speech_timestamps(np.ascontiguousarray(audio, dtype=np.float32), options)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def speech_span(regions: Sequence[tuple[float, float]], words: Sequence[Word]) -> tuple[float, float] | None:
    """From the start of the first spoken word to the end of the last, snapped to speech regions.

    Whisper often starts the first word at 0.0 even when the speaker began later, so the voice
    activity regions that hold words give the truer edges.
    """
    if not words:
        return None
    first, last = words[0].start, words[-1].end
    holding = [(s, e) for s, e in regions if e >= first - 0.3 and s <= last + 0.3]
    if holding:
        start = max(first, holding[0][0]) if holding[0][0] <= words[0].end else holding[0][0]
        end = min(last, holding[-1][1]) if holding[-1][1] >= words[-1].start else holding[-1][1]
        if end > start:
            return start, end
    return (first, last) if last > first else None


def find_pauses(
    regions: Sequence[tuple[float, float]],
    span: tuple[float, float] | None,
    *,
    min_pause_s: float = MIN_PAUSE_S,
) -> list[Pause]:
    """Silences of at least `min_pause_s` between speech regions, inside the spoken span."""
    if span is None:
        return []
    start, end = span
    inside = [(max(s, start), min(e, end)) for s, e in regions if e > start and s < end]
    pauses = []
    for (_, prev_end), (next_start, _) in itertools.pairwise(inside):
        if next_start - prev_end >= min_pause_s:
            pauses.append(Pause(start=round(prev_end, 3), end=round(next_start, 3)))
    return pauses


def words_in_speech(
    words: Sequence[Word], regions: Sequence[tuple[float, float]], *, tolerance_s: float = 0.4
) -> list[Word]:
    """Drop words timed wholly in silence: text Whisper invented where nobody spoke."""
    kept = []
    for w in words:
        if any(w.start <= e + tolerance_s and w.end >= s - tolerance_s for s, e in regions):
            kept.append(w)
    return kept


# ---------------------------------------------------------------------------- frame features


@dataclass
class Frames:
    """Per-10-ms features of the whole recording."""

    energy_db: FloatArray
    periodicity: FloatArray  # normalised autocorrelation peak, 1.0 for a pure tone
    f0: FloatArray  # Hz at the autocorrelation peak (meaningful where periodicity is high)
    mel: FloatArray  # log mel spectrum (frames x bands)

    def __len__(self) -> int:
        return len(self.energy_db)


def _mel_filterbank(
    n_fft: int = 512, n_mels: int = N_MELS, fmin: float = 80.0, fmax: float = 4000.0
) -> FloatArray:
    def hz_to_mel(f: float) -> float:
        return 2595.0 * math.log10(1.0 + f / 700.0)

    mels = np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2)
    hz = 700.0 * (10.0 ** (mels / 2595.0) - 1.0)
    bins = np.floor((n_fft + 1) * hz / SAMPLE_RATE).astype(int)
    bank = np.zeros((n_mels, n_fft // 2 + 1))
    for i in range(n_mels):
        lo, mid, hi = bins[i], bins[i + 1], bins[i + 2]
        bank[i, lo:mid] = (np.arange(lo, mid) - lo) / max(mid - lo, 1)
        bank[i, mid:hi] = (hi - np.arange(mid, hi)) / max(hi - mid, 1)
    return bank


_MEL_BANK = _mel_filterbank()
_HANN = np.hanning(_SPECTRUM_WIN)
_MIN_LAG = SAMPLE_RATE // 400  # 400 Hz
_MAX_LAG = SAMPLE_RATE // 70  # 70 Hz


def frame_features(audio: Samples) -> Frames:
    """Energy, voicing, pitch and spectrum per 10 ms frame, computed block by block."""
    n_frames = max(0, 1 + (len(audio) - _SPECTRUM_WIN) // HOP) if len(audio) >= _SPECTRUM_WIN else 0
    padded = np.concatenate([audio.astype(np.float64), np.zeros(_PITCH_WIN, dtype=np.float64)])
    energy = np.empty(n_frames)
    periodicity = np.empty(n_frames)
    f0 = np.empty(n_frames)
    mel = np.empty((n_frames, N_MELS))
    unbias = _PITCH_WIN / (_PITCH_WIN - np.arange(_PITCH_WIN))
    for first in range(0, n_frames, _BLOCK_FRAMES):
        count = min(_BLOCK_FRAMES, n_frames - first)
        starts = (first + np.arange(count)) * HOP
        short = padded[starts[:, None] + np.arange(_SPECTRUM_WIN)[None, :]]
        energy[first : first + count] = 10.0 * np.log10(np.mean(short**2, axis=1) + 1e-10)
        power = np.abs(np.fft.rfft(short * _HANN, 512)) ** 2
        mel[first : first + count] = np.log10(power @ _MEL_BANK.T + 1e-10)
        long = padded[starts[:, None] + np.arange(_PITCH_WIN)[None, :]]
        long = long - long.mean(axis=1, keepdims=True)
        spectrum = np.fft.rfft(long, 2 * _PITCH_WIN)
        acf = np.fft.irfft(np.abs(spectrum) ** 2)[:, :_PITCH_WIN] * unbias[None, :]
        window = acf[:, _MIN_LAG:_MAX_LAG]
        best = window.max(axis=1, keepdims=True)
        # The first peak nearly as high as the highest: multiples of the period score as high as
        # the period itself, and taking them would halve the pitch.
        inner = window[:, 1:-1]
        peaks = (inner >= window[:, :-2]) & (inner >= window[:, 2:]) & (inner >= 0.85 * best)
        lag = np.where(peaks.any(axis=1), np.argmax(peaks, axis=1) + 1, np.argmax(window, axis=1))
        periodicity[first : first + count] = window[np.arange(count), lag] / (acf[:, 0] + 1e-12)
        f0[first : first + count] = SAMPLE_RATE / (lag + _MIN_LAG)
    return Frames(energy, periodicity, f0, mel)


def activity_threshold(energy_db: FloatArray) -> float:
    """Frame energy (dB) above which there is sound: clear of the noise floor, near the speech."""
    if energy_db.size == 0:
        return 0.0
    floor = float(np.percentile(energy_db, 10))
    peak = float(np.percentile(energy_db, 99))
    return max(floor + 10.0, peak - 40.0)


def peak_level_db(audio: Samples) -> float:
    """The loudest 10 ms of the recording, in dBFS (for the silent-recording check)."""
    if audio.size < HOP:
        return -120.0
    usable = audio[: len(audio) // HOP * HOP].astype(np.float64).reshape(-1, HOP)
    return float(10.0 * np.log10(np.max(np.mean(usable**2, axis=1)) + 1e-12))


# ---------------------------------------------------------------------------- islands


@dataclass
class Island:
    """A run of sound between silences, in frames [first, last)."""

    first: int
    last: int
    gap_before_s: float = 0.0
    gap_after_s: float = 0.0

    @property
    def start(self) -> float:
        return self.first * FRAME_S

    @property
    def end(self) -> float:
        return self.last * FRAME_S

    @property
    def duration(self) -> float:
        return (self.last - self.first) * FRAME_S


def find_islands(active: npt.NDArray[np.bool_], *, bridge: int = 4, min_frames: int = 6) -> list[Island]:
    """Runs of active frames; gaps shorter than `bridge` frames (stop closures) do not split a run."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], active.astype(np.int8), [0]])))
    runs = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=False))
    merged: list[list[int]] = []
    for first, last in runs:
        if merged and first - merged[-1][1] < bridge:
            merged[-1][1] = last
        else:
            merged.append([first, last])
    islands = [Island(f, t) for f, t in merged if t - f >= min_frames]
    total = len(active)
    for i, island in enumerate(islands):
        before = islands[i - 1].last if i else 0
        after = islands[i + 1].first if i + 1 < len(islands) else total
        island.gap_before_s = (island.first - before) * FRAME_S
        island.gap_after_s = (after - island.last) * FRAME_S
    return islands


# ---------------------------------------------------------------------------- filled pauses

# A frame with a clearer period than this is voiced.
VOICED_PERIODICITY = 0.6
# Cosine terms 1-4 over the mel bands (a cepstrum's first shape terms, without the level term 0).
_SHAPE_BASIS = np.array(
    [np.cos(np.pi * c * (np.arange(N_MELS) + 0.5) / N_MELS) for c in range(1, 5)]
) * math.sqrt(2 / N_MELS)


@dataclass
class Voice:
    """The speaker's own levels in this recording, so that each island is judged against the same
    voice: synthesisers and people differ in pitch, loudness and how fast their spectrum moves."""

    flux: float  # median spectral change within the recording's islands
    f0: float  # median pitch of the voiced frames, Hz
    energy_db: float  # median level of the frames with sound
    mel: FloatArray | None = None  # mean log mel spectrum of the voiced frames
    mel_spread: float = 1.0  # typical spread of each mel band over the voiced frames
    island_s: float = 0.3  # median length of an island of sound
    word_s: float = 0.3  # median length of a recognised word


def _flux(frames: Frames, island: Island) -> float:
    """Mean spectral change between the island's voiced frames (low: one held sound)."""
    s, t = island.first, island.last
    voiced = frames.periodicity[s:t] > VOICED_PERIODICITY
    mel = frames.mel[s:t]
    used = mel[voiced] if voiced.sum() >= 3 else mel
    if len(used) < 2:
        return 1.0
    return float(np.mean(np.linalg.norm(np.diff(used, axis=0), axis=1)) / math.sqrt(N_MELS))


def voice_of(
    frames: Frames, active: npt.NDArray[np.bool_], islands: Sequence[Island], words: Sequence[Word] = ()
) -> Voice:
    """The recording's own pitch, level, spectrum and spectral change, measured over all its sound,
    and how long its islands and (from `words`) its words usually last."""
    voiced = active & (frames.periodicity > VOICED_PERIODICITY)
    f0 = float(np.median(frames.f0[voiced])) if voiced.any() else 150.0
    energy = float(np.median(frames.energy_db[active])) if active.any() else 0.0
    fluxes = [_flux(frames, i) for i in islands if i.duration >= 0.15]
    flux = float(np.median(fluxes)) if fluxes else 0.45
    sound = frames.mel[voiced] if voiced.sum() >= 2 else frames.mel
    durations = [i.duration for i in islands]
    word_s = [w.end - w.start for w in words]
    return Voice(
        flux=max(flux, 0.05),
        f0=f0,
        energy_db=energy,
        mel=sound.mean(axis=0) if len(sound) else None,
        mel_spread=float(sound.std(axis=0).mean()) + 1e-6 if len(sound) > 1 else 1.0,
        island_s=max(float(np.median(durations)), FRAME_S) if durations else 0.3,
        word_s=max(float(np.median(word_s)), 0.05) if word_s else 0.3,
    )


@dataclass
class IslandEvidence:
    """What is known about one island when deciding whether it is a filled pause."""

    island: Island
    voiced: float  # share of frames with a clear pitch
    flux: float  # mean spectral change between voiced frames (low: one held sound)
    steady_s: float  # longest stretch of one unchanging voiced sound
    f0_slope: float  # semitones per second over the voiced frames
    word_mass: float  # how many recognised words' timings fall in the island (0: none)
    word_centres: int  # words whose timing is centred in the island
    filler_word: bool  # Whisper wrote an "um"/"uh" here
    # Against the speaker's own voice in this recording (Voice):
    flux_ratio: float = 1.0  # spectral change over the recording's typical change
    pitch_st: float = 0.0  # median pitch, semitones above (+) or below (-) the speaker's median
    level_db: float = 0.0  # median level, dB above or below the speaker's median
    # The island's mean spectrum against the speaker's, in units of the speaker's spread: its tilt
    # (high bands against low) and its first cepstral shape terms. "um" and "uh" are one central
    # vowel or nasal, unlike the mix of sounds in a word, whatever the voice.
    tilt: float = 0.0
    shape: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    island_ratio: float = 1.0  # length over the recording's median island
    word_ratio: float = 1.0  # length over the recording's median word
    # Whisper often writes a short filler down as a short word ("on", "I"), with little confidence.
    min_probability: float = 1.0  # lowest probability of a word overlapping the island
    confident_mass: float = 0.0  # word_mass weighted by each word's probability
    short_word: bool = False  # a word of at most three letters is centred in the island
    pitch_spread: float = 0.0  # spread of the pitch inside the island, semitones
    level_spread: float = 0.0  # spread of the level inside the island, dB
    periodicity: float = 0.0  # mean periodicity of the island's frames


def _steady_run(mel: FloatArray, voiced: npt.NDArray[np.bool_], limit: float = 0.25) -> float:
    best = run = 0
    ref: FloatArray | None = None
    scale = math.sqrt(mel.shape[1]) if mel.ndim == 2 else 1.0
    for k in range(len(mel)):
        if not voiced[k]:
            run, ref = 0, None
        elif ref is not None and float(np.linalg.norm(mel[k] - ref)) / scale < limit:
            run += 1
            ref = 0.8 * ref + 0.2 * mel[k]
        else:
            run, ref = 1, mel[k].copy()
        best = max(best, run)
    return best * FRAME_S


@dataclass(frozen=True)
class IslandSound:
    """What an island's own frames say, whatever the voice and the words around it."""

    voiced: float
    flux: float
    steady_s: float
    f0_slope: float
    pitch_spread: float
    level_spread: float
    periodicity: float
    pitch_hz: float | None  # median pitch of the voiced frames (None: none voiced)
    level_db: float | None  # median level (None: no frames)
    mel: FloatArray | None  # mean log mel spectrum of the voiced frames (all when under two)


# Island sounds by (first, last) frame. A frame's features depend only on the audio under it, so
# an island's sound, once worked out while the answer was recorded, holds for the whole answer.
IslandSounds = dict[tuple[int, int], IslandSound]


def island_sound(island: Island, frames: Frames) -> IslandSound:
    """The island's voicing, spectral change, steadiness, pitch and level, from its frames alone."""
    s, t = island.first, island.last
    voiced_mask = frames.periodicity[s:t] > VOICED_PERIODICITY
    pitch = frames.f0[s:t][voiced_mask]
    slope = 0.0
    if len(pitch) > 3:
        semitones = 12.0 * np.log2(pitch)
        slope = float(np.polyfit(np.arange(len(semitones)) * FRAME_S, semitones, 1)[0])
    mel = None
    if t > s:
        mel = (frames.mel[s:t][voiced_mask] if voiced_mask.sum() >= 2 else frames.mel[s:t]).mean(axis=0)
    return IslandSound(
        voiced=float(voiced_mask.mean()) if t > s else 0.0,
        flux=_flux(frames, island),
        steady_s=_steady_run(frames.mel[s:t], voiced_mask),
        f0_slope=slope,
        pitch_spread=float(np.std(12.0 * np.log2(pitch))) if len(pitch) > 2 else 0.0,
        level_spread=float(np.std(frames.energy_db[s:t])) if t > s else 0.0,
        periodicity=float(frames.periodicity[s:t].mean()) if t > s else 0.0,
        pitch_hz=float(np.median(pitch)) if len(pitch) else None,
        level_db=float(np.median(frames.energy_db[s:t])) if t > s else None,
        mel=mel,
    )


def _sound(island: Island, frames: Frames, sounds: IslandSounds | None) -> IslandSound:
    if sounds is None:
        return island_sound(island, frames)
    key = (island.first, island.last)
    found = sounds.get(key)
    if found is None:
        found = sounds[key] = island_sound(island, frames)
    return found


def island_evidence(
    island: Island,
    frames: Frames,
    words: Sequence[Word],
    voice: Voice | None = None,
    sounds: IslandSounds | None = None,
) -> IslandEvidence:
    """The island's sound, against `voice` when given, and how far `words` account for it.

    `sounds` are island sounds worked out before (`remember_sounds`); new ones are added to it.
    """
    start, end = island.start, island.end
    sound = _sound(island, frames, sounds)
    mass = confident = 0.0
    lowest = 1.0
    centres = 0
    filler_word = short = False
    for w in words:
        overlap = min(end, w.end) - max(start, w.start)
        centred = start <= (w.start + w.end) / 2 <= end
        if overlap > 0:
            share = overlap / max(w.end - w.start, 0.02)
            mass += share
            if overlap > 0.05 and _bare(w.word) in FILLED_PAUSE_WORDS:
                filler_word = True
            if overlap > 0.03:
                confident += min(share, 1.0) * w.probability
                lowest = min(lowest, w.probability)
                short = short or (centred and len(_bare(w.word)) <= 3)
        if centred:
            centres += 1
    evidence = IslandEvidence(
        island=island,
        voiced=sound.voiced,
        flux=sound.flux,
        steady_s=sound.steady_s,
        f0_slope=sound.f0_slope,
        word_mass=mass,
        word_centres=centres,
        filler_word=filler_word,
        min_probability=lowest,
        confident_mass=confident,
        short_word=short,
        pitch_spread=sound.pitch_spread,
        level_spread=sound.level_spread,
        periodicity=sound.periodicity,
    )
    if voice is not None:
        evidence.island_ratio = island.duration / voice.island_s
        evidence.word_ratio = island.duration / voice.word_s
        if voice.mel is not None and sound.mel is not None:
            relative = (sound.mel - voice.mel) / voice.mel_spread
            evidence.tilt = float(relative[-8:].mean() - relative[:8].mean())
            evidence.shape = tuple(float(c) for c in _SHAPE_BASIS @ relative)
        evidence.flux_ratio = sound.flux / voice.flux
        if sound.pitch_hz is not None:
            evidence.pitch_st = float(12.0 * np.log2(sound.pitch_hz / voice.f0))
        if sound.level_db is not None:
            evidence.level_db = sound.level_db - voice.energy_db
    return evidence


def _bare(word: str) -> str:
    return word.strip().strip(".,!?;:-\"'").lower()


def filler_features(ev: IslandEvidence) -> dict[str, float]:
    """The island's evidence as the numbers the filled-pause model weighs (each clipped to the
    range where it still tells something)."""
    island = ev.island
    return {
        "duration": min(max(island.duration, _MIN_FILLER_S), 0.6),
        "voiced": ev.voiced,
        "flux": min(ev.flux_ratio, 2.5),
        "steady": min(ev.steady_s, 0.3),
        "word_mass": min(ev.word_mass, 2.0),
        "word_centres": float(min(ev.word_centres, 3)),
        "gap_min": min(island.gap_before_s, island.gap_after_s, 0.5),
        "gap_max": min(max(island.gap_before_s, island.gap_after_s), 0.5),
        # Filled pauses are said on a level or falling pitch; only the fall counts, and only so far.
        "fall": _clip(-ev.f0_slope, 0.0, 12.0),
        "pitch": _clip(ev.pitch_st, -6.0, 6.0),
        "level": _clip(ev.level_db, -15.0, 10.0),
        "min_probability": ev.min_probability,
        "confident_mass": min(ev.confident_mass, 2.0),
        "short_word": float(ev.short_word),
        "pitch_spread": min(ev.pitch_spread, 4.0),
        "level_spread": min(ev.level_spread, 12.0),
        "tilt": _clip(ev.tilt, -4.0, 4.0),
        **{f"shape{k + 1}": _clip(c, -5.0, 5.0) for k, c in enumerate(ev.shape)},
        "island_ratio": min(ev.island_ratio, 3.0),
        "word_ratio": min(ev.word_ratio, 4.0),
        "periodicity": ev.periodicity,
    }


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


FILLER_FEATURES = (
    *("duration", "voiced", "flux", "steady", "word_mass", "word_centres", "gap_min", "gap_max"),
    *("fall", "pitch", "level", "min_probability", "confident_mass", "short_word", "pitch_spread"),
    *("level_spread", "tilt", "shape1", "shape2", "shape3", "shape4", "island_ratio", "word_ratio"),
    "periodicity",
)


@dataclass(frozen=True)
class FillerModel:
    """Boosted depth-2 decision trees over `filler_features`, fitted by `bench/fillers.py --fit` on
    generated speech with known filler positions (the file names the voices and seeds).

    A tree is (feature, threshold) at its root and at each of its two children, then four leaf
    values (left-left, left-right, right-left, right-right; "left" is feature <= threshold). The
    island's log-odds of being a filled pause are `bias` plus the leaf each tree sends it to.
    """

    features: tuple[str, ...]
    bias: float
    split_feature: npt.NDArray[np.int64]  # trees x 3 (root, left child, right child)
    split_value: FloatArray  # trees x 3
    leaves: FloatArray  # trees x 4
    threshold: float

    @classmethod
    def load(cls) -> FillerModel:
        import json
        from importlib import resources

        text = resources.files("interviewcoach.core.speech").joinpath(_MODEL_FILE).read_text("utf-8")
        data = json.loads(text)
        features = tuple(data["features"])
        unknown = set(features) - set(FILLER_FEATURES)
        if unknown:
            raise ValueError(f"{_MODEL_FILE} names unknown features: {sorted(unknown)}")
        trees = np.array(data["trees"], dtype=np.float64).reshape(-1, 10)
        index = {name: k for k, name in enumerate(FILLER_FEATURES)}
        columns = np.array([index[name] for name in features])
        return cls(
            features=features,
            bias=float(data["bias"]),
            split_feature=columns[trees[:, [0, 2, 4]].astype(np.int64)],
            split_value=trees[:, [1, 3, 5]],
            leaves=trees[:, 6:],
            threshold=float(data["threshold"]),
        )

    def log_odds(self, x: FloatArray) -> FloatArray:
        """Log-odds for each row of `x` (islands x FILLER_FEATURES)."""
        trees = np.arange(len(self.leaves))
        root = x[:, self.split_feature[:, 0]] > self.split_value[None, :, 0]
        child = np.where(root, self.split_feature[:, 2], self.split_feature[:, 1])
        value = np.where(root, self.split_value[:, 2], self.split_value[:, 1])
        below = np.take_along_axis(x, child, axis=1) > value
        leaf = 2 * root.astype(np.int64) + below.astype(np.int64)
        return np.asarray(self.bias + self.leaves[trees[None, :], leaf].sum(axis=1), dtype=np.float64)


_MODEL_FILE = "filler_model.json"
_MODEL: FillerModel | None = None


def filler_model() -> FillerModel:
    """The shipped filled-pause model, read once."""
    global _MODEL
    if _MODEL is None:
        _MODEL = FillerModel.load()
    return _MODEL


def feature_rows(evidence: Sequence[IslandEvidence]) -> FloatArray:
    """`filler_features` of each island as rows, in FILLER_FEATURES order."""
    rows = [[features[name] for name in FILLER_FEATURES] for features in map(filler_features, evidence)]
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(FILLER_FEATURES))


def filler_probabilities(evidence: Sequence[IslandEvidence]) -> FloatArray:
    """How likely each island is a filled pause, from its sound and the word timings around it."""
    if not evidence:
        return np.zeros(0)
    z = filler_model().log_odds(feature_rows(evidence))
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def filler_probability(ev: IslandEvidence) -> float:
    """How likely one island is a filled pause."""
    return float(filler_probabilities([ev])[0])


# None: the model file's own threshold, chosen on validation clips of the fitting voices
# (`bench/fillers.py --validate`); the benchmark sets another to try it.
FILLED_PAUSE_THRESHOLD: float | None = None
# Islands outside this length are never one filled pause.
_MIN_FILLER_S = 0.08
_MAX_FILLER_S = 1.5
# Share of voiced frames below which an island is not a filled pause.
_MIN_VOICED = 0.3
# A written "um" is placed on the sound it stands for within this distance of its (often loose) timing.
_SNAP_S = 0.8


def is_candidate(island: Island, frames: Frames) -> bool:
    """Whether the island could be one filled pause at all: its length, and mostly voiced."""
    if not _MIN_FILLER_S <= island.duration <= _MAX_FILLER_S:
        return False
    voiced = frames.periodicity[island.first : island.last] > VOICED_PERIODICITY
    return bool(np.mean(voiced) >= _MIN_VOICED)


def _islands(frames: Frames) -> tuple[npt.NDArray[np.bool_], list[Island]]:
    active = frames.energy_db > activity_threshold(frames.energy_db)
    return active, find_islands(active, bridge=2)


def remember_sounds(frames: Frames, sounds: IslandSounds) -> None:
    """Work out the sound of each island in `frames` (an answer so far) that could be a filled
    pause, into `sounds`. The whole answer's islands are found again after the stop (its level
    decides what is sound), and those that come out the same cost nothing then."""
    if len(frames) == 0:
        return
    for island in _islands(frames)[1][:-1]:  # the last may not have ended yet
        if is_candidate(island, frames):
            _sound(island, frames, sounds)


def filler_islands(
    frames: Frames, words: Sequence[Word], sounds: IslandSounds | None = None
) -> tuple[list[Island], list[IslandEvidence]]:
    """All islands of sound, and the evidence (against the speaker's voice) on each one that could be a
    filled pause (`words` should leave out written fillers: they are what is being looked for)."""
    active, islands = _islands(frames)
    voice = voice_of(frames, active, islands, words)
    starts = np.array([w.start for w in words])
    ends = np.array([w.end for w in words])
    evidence = []
    for island in islands:
        if is_candidate(island, frames):
            # Only the words that touch the island can account for it (a long answer has hundreds).
            near = np.flatnonzero((ends >= island.start) & (starts <= island.end))
            evidence.append(island_evidence(island, frames, [words[k] for k in near.tolist()], voice, sounds))
    return islands, evidence


@dataclass
class FilledPauses:
    """Filled pauses in an answer: the ones Whisper wrote down, placed on their sound, and the rest."""

    # Word index of each written "um" -> (start, end) of the sound it stands for.
    placed: dict[int, tuple[float, float]]
    # Filled pauses heard in the audio that no word stands for.
    heard: list[Filler]


def detect_filled_pauses(
    audio: Samples,
    words: Sequence[Word],
    *,
    written: Sequence[int] | None = None,
    threshold: float | None = None,
    frames: Frames | None = None,
    sounds: IslandSounds | None = None,
) -> FilledPauses:
    """Find filled pauses in the audio; `written` are indices of words that are themselves fillers.

    `frames` are the audio's frame features if they were already computed (while it was recorded),
    `sounds` the island sounds worked out then (`remember_sounds`).

    Whisper's timing for a written "um" is often off by a few hundred milliseconds, so it is moved
    onto the sound it stands for, an island the other words do not account for (its own timing when
    there is none near), and that sound is not counted a second time.
    """
    if threshold is None:
        threshold = FILLED_PAUSE_THRESHOLD if FILLED_PAUSE_THRESHOLD is not None else filler_model().threshold
    if written is None:
        written = [k for k, w in enumerate(words) if _bare(w.word) in FILLED_PAUSE_WORDS]
    if frames is None:
        frames = frame_features(audio)
    if len(frames) == 0:
        return FilledPauses(placed={k: (words[k].start, words[k].end) for k in written}, heard=[])
    # A written "um" is evidence for a filled pause, not a word that accounts for the sound.
    skip = set(written)
    spoken = [w for k, w in enumerate(words) if k not in skip]
    islands, candidates = filler_islands(frames, spoken, sounds)
    scored = {
        id(ev.island): float(p) for ev, p in zip(candidates, filler_probabilities(candidates), strict=True)
    }

    placed: dict[int, tuple[float, float]] = {}
    taken: set[int] = set()
    for index in written:
        w = words[index]
        near = []
        for i in islands:
            distance = max(0.0, i.start - w.end, w.start - i.end)
            if id(i) in taken or distance > _SNAP_S or i.duration > _MAX_FILLER_S:
                continue
            mass = island_evidence(i, frames, spoken, sounds=sounds).word_mass
            near.append((mass >= 0.5, -scored.get(id(i), 0.0), distance, i))
        if near:
            # A sound the other words leave unexplained, the most filler-like first (a written
            # "um" is timed too loosely to trust which island it overlaps), else the nearest.
            island = min(near, key=lambda n: n[:3])[3]
            taken.add(id(island))
            placed[index] = (round(island.start, 3), round(island.end, 3))
        else:
            placed[index] = (w.start, w.end)
    heard = [
        Filler(text=FILLED_PAUSE_TEXT, kind="filled_pause", start=round(i.start, 3), end=round(i.end, 3))
        for ev in candidates
        if id(i := ev.island) not in taken and scored[id(i)] >= threshold
    ]
    return FilledPauses(placed=placed, heard=heard)


def is_filled_pause_word(word: str) -> bool:
    """True for a written "um", "uh", "hmm" (with any punctuation around it)."""
    return _bare(word) in FILLED_PAUSE_WORDS
