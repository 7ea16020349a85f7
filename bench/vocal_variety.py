"""Vocal variety (core/prosody.py) measured on generated speech with flat and varied intonation.

Clips are answers of 6-8 sentences spoken by two synthesiser families:

- espeak-ng: flat is SSML `<prosody range="x-low">` (the voice's pitch range squeezed), neutral
  is the voice's own intonation, lively is `<prosody range="x-high">`; base pitch (`-p`) and speed
  vary from clip to clip.
- Festival: flat is the diphone voices' DuffInt intonation held at 110 Hz from start to end,
  neutral is the voice's own intonation. The HTS voice (us-slt) makes its own F0, which DuffInt
  does not change, so it has neutral clips only.

The band edges are fitted on the tuning voices (espeak-ng en-us and en-gb) and measured on the
others, per family: flat must come out "poor" with a monotone stretch, neutral and lively must not.

    python bench/vocal_variety.py            # fit on the tuning voices, report tuning and test
    python bench/vocal_variety.py --clips 4  # fewer clips per voice and style
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviewcoach.core.speech import acoustics as da
from interviewcoach.core.speech import prosody
from tests.speech import ANSWER_SENTENCES, FESTIVAL, festival_voices

TUNING = ("en-us", "en-gb")
ESPEAK_TEST = ("en-us+f3", "en-029", "en-us+m3", "en-gb-x-rp")
STYLES = ("flat", "neutral", "lively")
_RANGE = {"flat": "x-low", "lively": "x-high"}


@dataclass
class Measured:
    family: str
    voice: str
    style: str
    range_st: float
    energy_db: float
    st: np.ndarray  # semitones per frame, NaN where unvoiced
    seconds: float
    measure_s: float


def _espeak(text: str, voice: str, style: str, rng: random.Random, out: Path) -> None:
    body = f'<speak><prosody range="{_RANGE[style]}">{text}</prosody></speak>' if style in _RANGE else text
    args = ["espeak-ng", "-v", voice, "-s", str(rng.randint(140, 180)), "-p", str(rng.randint(35, 65))]
    subprocess.run(
        [*args, *(["-m"] if style in _RANGE else []), "-w", str(out), body], check=True, timeout=60
    )


def _festival(text: str, voice: str, style: str, out: Path) -> None:
    script = out.with_suffix(".txt")
    script.write_text(text)
    flat = [
        "-eval",
        "(Parameter.set 'Int_Method 'DuffInt)",
        "-eval",
        "(set! duffint_params '((start 110) (end 110)))",
    ]
    args = [
        "text2wave",
        "-eval",
        f"(voice_{voice})",
        *(flat if style == "flat" else []),
        str(script),
        "-o",
        str(out),
    ]
    subprocess.run(args, check=True, capture_output=True, timeout=120)


def _load16k(path: Path) -> np.ndarray:
    resampled = path.with_name(path.stem + "_16k.wav")
    subprocess.run(
        ["sox", "-D", str(path), "-r", "16000", "-c", "1", "-b", "16", str(resampled)],
        check=True,
        capture_output=True,
    )
    audio, _ = sf.read(resampled, dtype="float32")
    return np.asarray(audio, dtype=np.float32)


def generate(folder: Path, clips: int) -> list[Measured]:
    plan: list[tuple[str, str, str]] = [("espeak-ng", v, s) for v in (*TUNING, *ESPEAK_TEST) for s in STYLES]
    for name in festival_voices():
        voice = name.removeprefix(FESTIVAL)
        for style in ("flat", "neutral"):
            if style == "flat" and "hts" in voice:
                continue  # the HTS voice's F0 comes from its own model: DuffInt cannot flatten it
            plan.append(("festival", voice, style))
    out = []
    for family, voice, style in plan:
        for k in range(clips):
            rng = random.Random(f"{voice}/{style}/{k}")
            text = " ".join(rng.sample(ANSWER_SENTENCES, rng.randint(6, 8)))
            wav = folder / f"{family}_{voice.replace('+', '_')}_{style}_{k}.wav"
            if family == "espeak-ng":
                _espeak(text, voice, style, rng, wav)
            else:
                _festival(text, voice, style, wav)
            audio = _load16k(wav)
            began = time.perf_counter()
            regions = da.speech_regions(audio)
            _, st = prosody.voiced_pitch(audio, regions)
            v = prosody.measure(audio, regions)
            spent = time.perf_counter() - began
            if v.pitch_range_st is None or v.energy_spread_db is None:
                print(f"  no figure for {wav.name}", file=sys.stderr)
                continue
            out.append(
                Measured(
                    family, voice, style, v.pitch_range_st, v.energy_spread_db, st, len(audio) / 16000, spent
                )
            )
    return out


def _poor(m: Measured, flat_max: float) -> bool:
    """The band the report gives (prosody.pitch_band): poor under the flat edge."""
    return m.range_st < flat_max


def _stretch(m: Measured, spread: float) -> bool:
    return bool(prosody.monotone_stretches(m.st, spread_st=spread))


def _balanced(rows: list[Measured], called: Callable[[Measured], bool]) -> float:
    parts = []
    for flat in (True, False):
        group = [m for m in rows if (m.style == "flat") == flat]
        if group:
            parts.append(sum(called(m) == flat for m in group) / len(group))
    return float(np.mean(parts))


def _middle_of_best(grid: np.ndarray, score: Callable[[float], float]) -> float:
    scores = [score(float(e)) for e in grid]
    winners = [float(e) for e, s in zip(grid, scores, strict=True) if s == max(scores)]
    return winners[len(winners) // 2]


def fit(rows: list[Measured]) -> tuple[float, float, float]:
    """Band edges from the tuning rows: the flat edge and the monotone window's spread each in the
    middle of the run with the best balanced accuracy; the varied edge between neutral and lively."""
    grid = np.round(np.arange(0.5, 8.01, 0.25), 2)
    flat_max = _middle_of_best(grid, lambda e: _balanced(rows, lambda m: _poor(m, e)))
    spread = _middle_of_best(grid, lambda e: _balanced(rows, lambda m: _stretch(m, e)))
    neutral = [m.range_st for m in rows if m.style == "neutral"]
    lively = [m.range_st for m in rows if m.style == "lively"]
    varied_min = float(np.round((np.percentile(neutral, 75) + np.percentile(lively, 25)) / 2 * 4) / 4)
    return flat_max, spread, max(varied_min, flat_max + 1.0)


def report(rows: list[Measured], flat_max: float, spread: float, varied_min: float) -> None:
    groups: dict[tuple[str, str], list[Measured]] = defaultdict(list)
    for m in rows:
        part = "tuning" if m.voice in TUNING else "test"
        groups[(part, m.family)].append(m)
    print(
        f"{'part':7} {'family':10} {'clips':>5} {'band: flat poor':>15} {'varied not':>10}"
        f" {'stretch: flat':>13} {'varied none':>11}"
    )
    for (part, family), group in sorted(groups.items(), key=lambda kv: (kv[0][0] != "tuning", kv[0][1])):
        flat = [m for m in group if m.style == "flat"]
        varied = [m for m in group if m.style != "flat"]
        cells = [
            f"{sum(_poor(m, flat_max) for m in flat)}/{len(flat)}",
            f"{sum(not _poor(m, flat_max) for m in varied)}/{len(varied)}",
            f"{sum(_stretch(m, spread) for m in flat)}/{len(flat)}",
            f"{sum(not _stretch(m, spread) for m in varied)}/{len(varied)}",
        ]
        print(
            f"{part:7} {family:10} {len(group):5d} {cells[0]:>15} {cells[1]:>10}"
            f" {cells[2]:>13} {cells[3]:>11}"
        )
    print("\nper voice and style: pitch range st (median, min-max), loudness spread dB (median), banded poor")
    by_voice: dict[tuple[str, str, str], list[Measured]] = defaultdict(list)
    for m in rows:
        by_voice[(m.family, m.voice, m.style)].append(m)
    for (family, voice, style), group in sorted(by_voice.items()):
        r = [m.range_st for m in group]
        e = [m.energy_db for m in group]
        called = sum(_poor(m, flat_max) for m in group)
        tag = "tuning" if voice in TUNING else "test"
        print(
            f"  {tag:6} {family:9} {voice:26} {style:7} {np.median(r):5.1f} ({min(r):4.1f}-{max(r):4.1f})"
            f"  {np.median(e):5.1f}  {called}/{len(group)}"
        )
    lively = [m for m in rows if m.style == "lively" and m.voice not in TUNING]
    if lively:
        good = sum(m.range_st >= varied_min and not _stretch(m, spread) for m in lively)
        print(f"\nlively test clips banded good (>= {varied_min:g} st): {good}/{len(lively)}")
    seconds = sum(m.seconds for m in rows)
    spent = sum(m.measure_s for m in rows)
    print(f"measure time: {spent / seconds * 60 * 1000:.0f} ms per minute of audio (VAD + pitch, twice)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clips", type=int, default=8, help="clips per voice and style")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vocal-variety-") as tmp:
        rows = generate(Path(tmp), args.clips)
    tuning = [m for m in rows if m.voice in TUNING]
    flat_max, spread, varied_min = fit(tuning)
    print(f"fitted on {len(tuning)} tuning clips ({', '.join(TUNING)}):")
    print(f"  FLAT_MAX_ST = {flat_max:g}  MONOTONE_SPREAD_ST = {spread:g}  VARIED_MIN_ST = {varied_min:g}")
    print(
        f"  in the code: FLAT_MAX_ST = {prosody.FLAT_MAX_ST:g}  MONOTONE_SPREAD_ST = "
        f"{prosody.MONOTONE_SPREAD_ST:g}  VARIED_MIN_ST = {prosody.VARIED_MIN_ST:g}\n"
    )
    print("with the code's edges:")
    report(rows, prosody.FLAT_MAX_ST, prosody.MONOTONE_SPREAD_ST, prosody.VARIED_MIN_ST)


if __name__ == "__main__":
    main()
