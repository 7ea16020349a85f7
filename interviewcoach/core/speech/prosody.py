"""Vocal variety measured from the audio: pitch range, monotone stretches and loudness variation.

Speech coaches (Speaker Coach, Orai) report whether a voice moves or stays on one note. This module
tracks the pitch of the voice with YIN (de Cheveigné and Kawahara 2002) in numpy, keeps the voiced
frames inside the speech, and reports:

- the pitch range in semitones, from the 10th to the 90th percentile of the voiced frames, so a
  few octave slips or a final creak do not widen it;
- monotone stretches: runs of speech where every few-second window stays within a narrow band of
  pitch (`MONOTONE_SPREAD_ST`), reported with where they start and how long they last;
- the loudness variation: the spread (10th to 90th percentile) of voiced-frame loudness in dB, which
  does not depend on the microphone's gain.

It is a report beside the delivery verdicts, not a scored criterion. Too little voiced sound gives
no figure at all ("no speech detected"), never a made-up one. The band edges are fitted and
measured on generated speech with flat and varied intonation by bench/vocal_variety.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from interviewcoach.core.models import Metrics, Span, VocalVariety

SAMPLE_RATE = 16000
# 20 ms frames: intonation moves over syllables (100-300 ms), so finer frames would only double the
# work done after the student stops (138 ms of CPU for a 67 s answer at 10 ms).
HOP = 320
FRAME_S = HOP / SAMPLE_RATE
PITCH_MIN_HZ = 60.0
PITCH_MAX_HZ = 500.0
# Pitch is tracked at 8 kHz: a voice's fundamental is far below 4 kHz, and half the samples make
# the tracker four times cheaper (it runs after the student stops, inside the feedback wait).
_RATE = 8000
_STEP = HOP * _RATE // SAMPLE_RATE
_WIN = 256  # 32 ms integration window
_MIN_LAG = int(_RATE / PITCH_MAX_HZ)
_MAX_LAG = int(np.ceil(_RATE / PITCH_MIN_HZ))
_SEG = _WIN + _MAX_LAG + 1
_NFFT = 1 << int(np.ceil(np.log2(_SEG)))  # no wrap-around for lags up to _MAX_LAG
_BLOCK = 2000  # frames per block, so a long answer stays within a few MB
_HALFBAND = np.sinc(np.arange(-15, 16) / 2.0) / 2.0 * np.hamming(31)

# YIN's absolute threshold on the cumulative-mean-normalised difference: the first dip under it is
# the period. A frame is voiced when its best dip is under VOICED_APERIODICITY.
YIN_THRESHOLD = 0.15
VOICED_APERIODICITY = 0.25
# Frames this far (dB) under the loudest speech are breath and room, not voice.
_LEVEL_BELOW_PEAK_DB = 35.0
_ABSOLUTE_FLOOR_DBFS = -60.0
# Less voiced sound than this is not enough to speak of a voice's range.
MIN_VOICED_S = 1.5

# Monotone: a window of this much time in which the voiced pitch (10th-90th percentile) spans less
# than MONOTONE_SPREAD_ST; overlapping monotone windows join into a stretch, reported from
# MONOTONE_MIN_S. The spread is fitted by bench/vocal_variety.py on espeak-ng en-us and en-gb
# (flat windows span about 1 st, a voice's own intonation 3 st and more); window and minimum length
# are chosen, not fitted: a listener notices a flat voice after a few seconds, not one word.
MONOTONE_WINDOW_S = 4.0
MONOTONE_STEP_S = 0.5
MONOTONE_SPREAD_ST = 1.75
MONOTONE_MIN_S = 6.0
_MIN_WINDOW_VOICED_S = 0.8

# Bands of the answer's pitch range (semitones): under FLAT_MAX_ST is monotone, under VARIED_MIN_ST
# is some variety, from VARIED_MIN_ST on a varied voice. Fitted by bench/vocal_variety.py on espeak-ng
# en-us and en-gb: flat speech spans 0.9-1.2 st there, the voices' own intonation 4.2-6.2 st; the
# varied edge lies between their own intonation and SSML range="x-high", which overlap (it is the
# weakest of the edges).
FLAT_MAX_ST = 2.75
VARIED_MIN_ST = 5.25
# Loudness spread (dB, 10th-90th percentile of voiced frames): under this the voice stays at one level.
# Not fitted: generated speech spreads 8-15 dB flat or varied alike, so this only catches a voice
# held at one loudness (a compressor, a drone), about half the spread of any synthetic voice here.
ENERGY_FLAT_MAX_DB = 6.0

Samples = npt.NDArray[np.float32]
FloatArray = npt.NDArray[np.float64]
Band = Literal["good", "fair", "poor"]


@dataclass
class PitchTrack:
    """Per-frame (20 ms) pitch (Hz, NaN where unvoiced), YIN aperiodicity and loudness (dBFS)."""

    f0: FloatArray
    aperiodicity: FloatArray
    level_db: FloatArray

    @property
    def voiced(self) -> npt.NDArray[np.bool_]:
        return ~np.isnan(self.f0)

    def __len__(self) -> int:
        return len(self.f0)


def _level_db(audio: FloatArray, n: int) -> FloatArray:
    """Loudness (dBFS) of each of the first `n` frames of `audio` over its 32 ms window.

    Each frame's power is summed from its own samples (not read off a running sum), so a frame's
    level is the same bits whichever earlier audio came with it: the levels worked out while the
    answer is recorded are those of the whole answer.
    """
    span = _WIN * SAMPLE_RATE // _RATE
    if n <= 0:
        return np.zeros(0)
    power = np.square(audio[: (n - 1) * HOP + span])
    windows = np.lib.stride_tricks.sliding_window_view(power, span)[::HOP]
    return np.asarray(10.0 * np.log10(windows.sum(axis=1) / span + 1e-12), dtype=np.float64)


def frame_count(n_samples: int) -> int:
    """How many 20 ms pitch frames an answer of `n_samples` has."""
    return max(0, 1 + (n_samples - _SEG * 2) // HOP) if n_samples >= _SEG * 2 else 0


def frames_needing(n_samples: int) -> int:
    """Frames whose 8 kHz window lies wholly in `n_samples` of audio, filter reach included: they
    come out the same from that audio as from any longer recording that starts with it."""
    reach = len(_HALFBAND) // 2
    last_x = (n_samples - reach - 1) // 2  # the last 8 kHz sample all of whose input is there
    return max(0, min(frame_count(n_samples), (last_x - _SEG + 1) // _STEP + 1))


def yin(x: FloatArray, which: npt.NDArray[np.intp], first_x: int = 0) -> tuple[FloatArray, FloatArray]:
    """YIN's pitch (Hz, NaN unvoiced) and aperiodicity of frames `which`, from the 8 kHz signal
    (half-band low-pass, every other sample) `x` whose first sample is sample `first_x` of it: the
    difference function through the FFT, its cumulative-mean normalisation, the first dip under
    the threshold, refined by a parabola through its neighbours."""
    f0 = np.full(len(which), np.nan)
    aperiodicity = np.ones(len(which))
    lags = np.arange(_MAX_LAG + 1, dtype=np.float64)
    for first in range(0, len(which), _BLOCK):
        frames = which[first : first + _BLOCK]
        count = len(frames)
        seg = x[frames[:, None] * _STEP - first_x + np.arange(_SEG)[None, :]]
        seg = seg - seg[:, :_WIN].mean(axis=1, keepdims=True)
        head = seg[:, :_WIN]
        # r(tau) = sum_j x_j x_{j+tau} over the window; energies of the shifted windows by cumsum.
        r = np.fft.irfft(np.fft.rfft(seg, _NFFT) * np.conj(np.fft.rfft(head, _NFFT)), _NFFT)[
            :, : _MAX_LAG + 1
        ]
        sq = np.concatenate([np.zeros((count, 1)), np.cumsum(seg**2, axis=1)], axis=1)
        shifted = sq[:, _WIN : _WIN + _MAX_LAG + 1] - sq[:, : _MAX_LAG + 1]
        diff = np.maximum(sq[:, _WIN : _WIN + 1] + shifted - 2.0 * r, 0.0)
        running = np.cumsum(diff[:, 1:], axis=1)
        cmnd = np.ones_like(diff)
        cmnd[:, 1:] = diff[:, 1:] * lags[1:] / np.maximum(running, 1e-12)
        band = cmnd[:, _MIN_LAG : _MAX_LAG + 1]
        inner = band[:, 1:-1]
        dips = (inner <= band[:, :-2]) & (inner <= band[:, 2:])
        under = dips & (inner < YIN_THRESHOLD)
        best = np.where(under.any(axis=1), np.argmax(under, axis=1), np.argmin(inner, axis=1)) + 1
        rows = np.arange(count)
        a, b, c = band[rows, best - 1], band[rows, best], band[rows, best + 1]
        denom = a - 2.0 * b + c
        safe = np.where(np.abs(denom) > 1e-12, denom, 1.0)
        shift = np.where(np.abs(denom) > 1e-12, 0.5 * (a - c) / safe, 0.0)
        period = best + _MIN_LAG + np.clip(shift, -1.0, 1.0)
        aperiodicity[first : first + count] = b
        f0[first : first + count] = np.where(b < VOICED_APERIODICITY, _RATE / period, np.nan)
    return f0, aperiodicity


@dataclass
class KnownPitch:
    """YIN's results for some frames, worked out before (while the answer was recorded)."""

    done: npt.NDArray[np.bool_]
    f0: FloatArray
    aperiodicity: FloatArray
    level_db: FloatArray  # every frame's loudness, done or not


def pitch_of_frames(audio: Samples, first: int, last: int) -> KnownPitch:
    """YIN's results for frames `first` to `last` (exclusive; at most `frames_needing(len(audio))`)
    that are loud enough to be voice, from the audio those frames read and no more, so the work is
    the same whether done once or a few seconds at a time while the answer is recorded.

    Which frames are the voice depends on the whole answer (its loudest speech, its speech regions),
    so every frame over the absolute floor (less a margin) is worked out; `track_pitch` takes the
    ones it needs from the result.
    """
    count = max(0, last - first)
    done = np.zeros(count, dtype=bool)
    f0 = np.full(count, np.nan)
    aperiodicity = np.ones(count)
    if count == 0:
        return KnownPitch(done, f0, aperiodicity, np.zeros(0))
    span = _WIN * SAMPLE_RATE // _RATE
    part = np.asarray(audio[first * HOP : (last - 1) * HOP + span], dtype=np.float64)
    level = _level_db(part, count)
    done[:] = level >= _ABSOLUTE_FLOOR_DBFS - 3.0
    which = np.flatnonzero(done) + first
    x, x_lo = _downsampled_for(audio, first, last)
    f0[done], aperiodicity[done] = yin(x, which, x_lo)
    return KnownPitch(done, f0, aperiodicity, level)


def _frame_levels(full: FloatArray, known: KnownPitch | None) -> FloatArray:
    """Every frame's loudness: the known frames' as worked out before, the rest from the audio."""
    n = frame_count(len(full))
    before = np.zeros(0) if known is None else known.level_db[:n]
    return np.concatenate([before, _level_db(full[len(before) * HOP :], n - len(before))])


def _downsampled_for(audio: Samples | FloatArray, first: int, last: int) -> tuple[FloatArray, int]:
    """The 8 kHz samples frames `first` to `last` (exclusive) read, and the index of the first:
    filtered from a slice with the filter's reach on both sides (an even start keeps the decimation
    in step with the whole answer's), so they equal the whole answer's filtered at a slice's cost."""
    reach = len(_HALFBAND) // 2
    x_lo, x_hi = first * _STEP, (last - 1) * _STEP + _SEG
    s_lo = max(0, 2 * x_lo - reach - 1)
    s_hi = min(len(audio), 2 * (x_hi - 1) + reach + 1)
    filtered = np.convolve(np.asarray(audio[s_lo:s_hi], dtype=np.float64), _HALFBAND, mode="same")
    return np.asarray(filtered[2 * x_lo - s_lo :: 2], dtype=np.float64), x_lo


def track_pitch(
    audio: Samples | FloatArray,
    frames: npt.NDArray[np.bool_] | None = None,
    *,
    known: KnownPitch | None = None,
    level_db: FloatArray | None = None,
) -> PitchTrack:
    """YIN pitch per 20 ms frame.

    `frames` (one flag per frame) limits the work to those frames; the others stay unvoiced.
    `known` frames are taken as they are, not worked out again; `level_db`, the frames' loudness,
    when the caller has it already.
    """
    full = np.asarray(audio, dtype=np.float64)
    n = frame_count(len(full))
    f0 = np.full(n, np.nan)
    aperiodicity = np.ones(n)
    level = _frame_levels(full, known) if level_db is None else level_db
    wanted = np.ones(n, dtype=bool) if frames is None else frames[:n].copy()
    if known is not None:
        m = min(n, len(known.done))
        reuse = np.zeros(n, dtype=bool)
        reuse[:m] = wanted[:m] & known.done[:m]
        f0[reuse] = known.f0[:m][reuse[:m]]
        aperiodicity[reuse] = known.aperiodicity[:m][reuse[:m]]
        wanted &= ~reuse
    todo = np.flatnonzero(wanted)
    if todo.size:
        x, x_lo = _downsampled_for(full, int(todo[0]), int(todo[-1]) + 1)
        f0[todo], aperiodicity[todo] = yin(x, todo, x_lo)
    return PitchTrack(f0, aperiodicity, level)


def _candidates(level_db: FloatArray, regions: Sequence[tuple[float, float]] | None) -> npt.NDArray[np.bool_]:
    """Frames loud enough to be the voice and, when regions are given, inside speech."""
    keep = np.ones(len(level_db), dtype=bool)
    if regions is not None:
        keep[:] = False
        for start, end in regions:
            keep[max(0, int(start / FRAME_S)) : max(0, int(np.ceil(end / FRAME_S)))] = True
    if keep.any():
        peak = float(np.percentile(level_db[keep], 95))
        keep &= level_db >= max(peak - _LEVEL_BELOW_PEAK_DB, _ABSOLUTE_FLOOR_DBFS)
    return keep


def _spread(values: FloatArray) -> float:
    return float(np.percentile(values, 90) - np.percentile(values, 10))


def semitones(track: PitchTrack, keep: npt.NDArray[np.bool_]) -> FloatArray:
    """Semitones (re 100 Hz) of the kept frames, smoothed within each voiced run by a 5-frame
    (100 ms) running median, so a brief octave slip does not count as a pitch move.

    A run is mirrored at its own ends (its first two frames reversed before it, its last two after
    it), and a run under five frames is left as it is. All runs are smoothed at once: a long answer
    has a thousand of them.
    """
    out = np.full(len(track), np.nan)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], keep.astype(np.int8), [0]])))
    starts, ends = edges[::2], edges[1::2]
    if starts.size == 0:
        return out
    lengths = ends - starts
    at = np.flatnonzero(keep)
    run_start = np.repeat(starts, lengths)
    run_end = np.repeat(ends, lengths)
    # The five frames around each, mirrored at its run's ends.
    around = at[:, None] + np.arange(-2, 3)[None, :]
    around = np.where(around < run_start[:, None], 2 * run_start[:, None] - 1 - around, around)
    around = np.where(around >= run_end[:, None], 2 * run_end[:, None] - 1 - around, around)
    short = np.repeat(lengths < 5, lengths)
    around[short] = at[short, None]
    values = np.full(len(track), np.nan)
    values[at] = 12.0 * np.log2(track.f0[at] / 100.0)
    out[at] = np.median(values[around], axis=1)
    return out


def _window_spreads(st: FloatArray, window: int, step: int) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """For the windows starting every `step` frames: the spread of the voiced values (as `_spread`
    gives it: numpy's linear percentiles, worked out here for all windows at once) and their count."""
    windows = np.lib.stride_tricks.sliding_window_view(st, window)[::step]
    ordered = np.sort(windows, axis=1)  # NaN (unvoiced) last
    counts = np.count_nonzero(~np.isnan(windows), axis=1)
    rows = np.arange(len(windows))
    last = np.maximum(counts - 1, 0)

    def percentile(q: float) -> FloatArray:
        at = last * q
        below = np.floor(at).astype(np.intp)
        gamma = at - below
        a, b = ordered[rows, below], ordered[rows, np.minimum(below + 1, last)]
        # numpy's own interpolation (`_lerp`): from below, or from above past halfway.
        diff = b - a
        return np.asarray(np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma), dtype=np.float64)

    return percentile(0.9) - percentile(0.1), counts


def monotone_stretches(st: FloatArray, *, spread_st: float = MONOTONE_SPREAD_ST) -> list[Span]:
    """Stretches of at least MONOTONE_MIN_S in which every window stays within `spread_st`."""
    window = round(MONOTONE_WINDOW_S / FRAME_S)
    step = round(MONOTONE_STEP_S / FRAME_S)
    need = _MIN_WINDOW_VOICED_S / FRAME_S
    flat: list[tuple[int, int]] = []
    if len(st) >= window:
        spreads, counts = _window_spreads(st, window, step)
        lengths = [window] * len(spreads)
    else:  # one window, shorter than the others
        voiced = st[~np.isnan(st)]
        spreads = np.array([_spread(voiced) if voiced.size else np.inf])
        counts, lengths = np.array([voiced.size]), [len(st)]
    for index in np.flatnonzero((counts >= need) & (spreads < spread_st)).tolist():
        s = index * step
        if flat and s <= flat[-1][1]:
            flat[-1] = (flat[-1][0], s + lengths[index])
        else:
            flat.append((s, s + lengths[index]))
    out = []
    for s, e in flat:
        # The stretch runs from its first voiced frame to its last, not over the silence around it.
        voiced_at = np.flatnonzero(~np.isnan(st[s:e]))
        start, end = (s + voiced_at[0]) * FRAME_S, (s + voiced_at[-1] + 1) * FRAME_S
        if end - start >= MONOTONE_MIN_S:
            out.append(Span(start=round(start, 2), end=round(end, 2)))
    return out


def voiced_pitch(
    audio: Samples, regions: Sequence[tuple[float, float]] | None = None, *, known: KnownPitch | None = None
) -> tuple[PitchTrack, FloatArray]:
    """The pitch track of the speech and its voiced frames in semitones (NaN elsewhere)."""
    full = np.asarray(audio, dtype=np.float64)
    level = _frame_levels(full, known)
    track = track_pitch(full, _candidates(level, regions), known=known, level_db=level)
    return track, semitones(track, track.voiced)


def measure(
    audio: Samples, regions: Sequence[tuple[float, float]] | None = None, *, known: KnownPitch | None = None
) -> VocalVariety:
    """Pitch range, monotone stretches and loudness spread of the voiced speech in `audio`.

    `regions` are the speech regions (seconds) from voice activity detection; without them every
    loud enough voiced frame counts. With less than MIN_VOICED_S of voice the figures are None.
    `known` pitch frames (worked out while the answer was recorded) are not worked out again.
    """
    track, st = voiced_pitch(audio, regions, known=known)
    keep = track.voiced
    voiced_s = float(keep.sum()) * FRAME_S
    if voiced_s < MIN_VOICED_S:
        return VocalVariety(voiced_s=round(voiced_s, 2))
    values = st[keep]
    return VocalVariety(
        voiced_s=round(voiced_s, 2),
        pitch_median_hz=round(float(100.0 * 2.0 ** (np.median(values) / 12.0)), 1),
        pitch_range_st=round(_spread(values), 1),
        energy_spread_db=round(_spread(track.level_db[keep]), 1),
        monotone=monotone_stretches(st),
    )


# ---------------------------------------------------------------------------- report


@dataclass(frozen=True)
class VarietyReport:
    """One line of the delivery report: what, the figures, the bands, the verdict and its advice."""

    name: str
    value: str
    band_text: str
    band: Band | None  # None: nothing heard to judge
    advice: str


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def pitch_band(range_st: float, stretches: Sequence[Span]) -> Band:
    """Poor for a narrow range; a varied range with a monotone stretch in it is only fair."""
    if range_st < FLAT_MAX_ST:
        return "poor"
    if range_st < VARIED_MIN_ST or stretches:
        return "fair"
    return "good"


def variety_report(m: Metrics) -> VarietyReport | None:
    """The vocal variety line, or None for a typed answer (nothing was heard)."""
    v = m.vocal_variety
    if v is None:
        return None
    name = "Vocal variety"
    band_text = f"monotone under {FLAT_MAX_ST:g} st, varied from {VARIED_MIN_ST:g} st"
    if v.pitch_range_st is None or v.energy_spread_db is None:
        return VarietyReport(
            name, "no speech detected", band_text, None, "No voiced speech was heard to measure pitch from."
        )
    stretches = v.monotone
    value = f"pitch range {v.pitch_range_st:.1f} st, loudness varies {v.energy_spread_db:.0f} dB"
    if stretches:
        longest = max(stretches, key=lambda s: s.end - s.start)
        value += f", monotone {longest.end - longest.start:.0f} s from {_clock(longest.start)}"
        if len(stretches) > 1:
            value += f" (+{len(stretches) - 1} more)"
    verdict = pitch_band(v.pitch_range_st, stretches)
    loud_flat = v.energy_spread_db < ENERGY_FLAT_MAX_DB
    if verdict == "poor":
        advice = (
            f"Your pitch stayed within {v.pitch_range_st:.1f} semitones: it sounds monotone. "
            "Let your voice rise on the key result and fall at the end of each point."
        )
    elif stretches:
        longest = max(stretches, key=lambda s: s.end - s.start)
        advice = (
            f"Monotone for {longest.end - longest.start:.0f} s from {_clock(longest.start)}: "
            "vary your pitch on the key result there."
        )
    elif verdict == "fair":
        advice = "Some pitch movement, but narrow: lift your voice on the words that carry the point."
    else:
        advice = "Your pitch moves: the listener can hear which words matter."
    if loud_flat:
        advice += " Your loudness hardly changes: stress the key words a little louder."
    return VarietyReport(name, value, band_text, verdict, advice)
