"""Filled-pause detection measured on generated answers with known filler positions.

Each clip is spoken in pieces (sentences, "um"/"uh"/"er", silences) and joined sample by sample, so
every filler's true time is known. The full transcription pipeline runs on each clip; a detected
filled pause is a hit when it overlaps a true one (within 0.1 s), each true one counted once.

The default run measures on voices the acoustic detector was never fitted on: four espeak-ng voices
outside the fitting set (tests/speech.py VOICES), Festival's voices (HTS and the diphone voice not
fitted on), Flite's slt and the app's neural voice, each when installed, with answers that have
fillers and clean answers that have none. It compares three methods (transcribe.FILLER_METHODS):
the acoustic detector alone, Whisper prompted to write fillers itself, and both; per synthesiser
family and per voice: recall, precision, false alarms per minute of clean speech, and decoding
time. Targets: recall >= 0.80 and precision >= 0.85 on every family, at most 1 false alarm a
minute.

    python bench/fillers.py                  # held-out voices, faster-whisper
    python bench/fillers.py --reuse-decodes  # the same, keeping Whisper's decodes for the next run
    python bench/fillers.py --engine openai-whisper
    python bench/fillers.py --fitted         # the old measure: espeak-ng voices of the fitting set
    python bench/fillers.py --fit            # refit the detector's weights on the fitting clips
    python bench/fillers.py --validate --sweep 0.3 0.35 0.4   # thresholds on validation clips
    python bench/fillers.py --cross-voice --sweep 0.3 0.5     # each added espeak-ng voice left out
    python bench/fillers.py --cross-family --sweep 0.3 0.5    # each fitting family left out in turn
    python bench/fillers.py --cross-family --prompted         # the same, Whisper prompted for fillers

Voices: the detector's model is fitted (--fit, which writes core/speech/filler_model.json) on
espeak-ng seeds 100-259 in the VOICES of tests/speech.py and 6000-6089 in EXTRA_ESPEAK, on
Festival's kal_diphone (seeds 3000-3039, and 3040-3099 with the pitch moved by sox) and, where Flite
is installed, on Flite's kal, kal16, awb and rms (seeds 7000-7099); it is measured on the other
voices only (HELDOUT_ESPEAK, Festival's ked_diphone and cmu_us_slt_arctic_hts, Flite's slt, and the
app's neural voice). The
threshold is chosen with --validate, on other seeds of the fitting voices (VALIDATE_SEEDS and the
like). --fitted evaluates on seeds 1000 onwards, never used for fitting but spoken by the fitting
espeak-ng voices.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import pickle
import sys
import tempfile
import time
from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviewcoach.core.errors import NoSpeechError
from interviewcoach.core.models import Filler, Transcript, Word
from interviewcoach.core.speech import acoustics as da
from interviewcoach.core.speech import transcribe as tr
from interviewcoach.core.speech.transcribe import make_transcriber
from interviewcoach.core.speech.vocabulary import vocabulary_prompt
from tests.speech import Clip, Say, SpeechMaker, random_answer

TOLERANCE_S = 0.1
FIT_SEEDS = range(100, 260)


def match(truth: list[tuple[float, float, str]], found: list[tuple[float, float]]) -> tuple[int, int, int]:
    """(hits, false alarms, misses), each true filler matched at most once."""
    used: set[int] = set()
    hits = 0
    for start, end, _ in truth:
        for k, (s, e) in enumerate(found):
            if k not in used and s < end + TOLERANCE_S and e > start - TOLERANCE_S:
                used.add(k)
                hits += 1
                break
    return hits, len(found) - len(used), len(truth) - hits


def evaluate(engine: str, seeds: range, maker: SpeechMaker, verbose: bool, sweep: list[float]) -> None:
    from interviewcoach.core.audio.files import load_audio

    transcriber = make_transcriber(engine)
    transcriber.load()
    swept = {t: [0, 0, 0] for t in sweep}
    hits = false_alarms = misses = 0
    audio_s = elapsed = 0.0
    for seed in seeds:
        clip = random_answer(maker, seed)
        started = time.perf_counter()
        try:
            transcript = transcriber.transcribe(clip.path)
            found = [(f.start or 0.0, f.end or 0.0) for f in transcript.fillers if f.kind == "filled_pause"]
        except NoSpeechError:
            found = []
        elapsed += time.perf_counter() - started
        audio_s += clip.duration_s
        for threshold, counts in swept.items():
            again = da.detect_filled_pauses(load_audio(clip.path), transcript.words, threshold=threshold)
            spans = list(again.placed.values()) + [(f.start or 0.0, f.end or 0.0) for f in again.heard]
            for i, n in enumerate(match(clip.fillers, spans)):
                counts[i] += n
        h, fa, m = match(clip.fillers, found)
        hits, false_alarms, misses = hits + h, false_alarms + fa, misses + m
        if verbose:
            truth = ", ".join(f"{s:.2f}" for s, _, _ in clip.fillers) or "-"
            got = ", ".join(f"{s:.2f}" for s, _ in found) or "-"
            print(f"seed {seed}: truth [{truth}]  found [{got}]  hits {h} false {fa} missed {m}")
    recall = hits / (hits + misses) if hits + misses else 1.0
    precision = hits / (hits + false_alarms) if hits + false_alarms else 1.0
    print(f"engine {engine}: {len(seeds)} clips, {audio_s:.0f} s of audio, {hits + misses} filled pauses")
    print(f"  hits {hits}, false alarms {false_alarms}, missed {misses}")
    print(f"  recall {recall:.2f}  precision {precision:.2f}  (targets >= 0.80)")
    for threshold, (th, tfa, tm) in swept.items():
        recall, precision = th / max(th + tm, 1), th / max(th + tfa, 1)
        print(f"  threshold {threshold:.2f}: recall {recall:.2f}  precision {precision:.2f}")
    print(
        f"  pipeline time {elapsed:.1f} s (RTF {elapsed / max(audio_s, 1e-9):.3f}, includes filler analysis)"
    )


# ---------------------------------------------------------------------------- held-out voices


def transcript_of(
    transcriber: tr.WhisperTranscriber, clip: Clip, cache: Path | None
) -> tuple[Transcript | None, float]:
    """The clip as `transcriber.transcribe` gives it (None: no speech), and the seconds it took.

    Whisper's decode of a clip does not depend on the filler detector, so with `cache` it is kept
    (per clip, engine and prompt) and only the analysis after it runs again: a changed detector is
    measured on the same words in seconds instead of decoding every clip again.
    """
    from interviewcoach.core.audio.files import load_audio

    started = time.perf_counter()
    samples = load_audio(clip.path)
    regions = da.speech_regions(samples)
    prompt = transcriber.prompt(vocabulary_prompt(()))
    key = hashlib.sha256(f"{clip.path.name}|{transcriber.engine}|{transcriber.model_name}|{prompt}".encode())
    stored = cache / f"raw-{key.hexdigest()[:16]}.pickle" if cache else None
    if stored is not None and stored.exists():
        raw = pickle.loads(stored.read_bytes())
    else:
        engine = tr._engine_for(transcriber.engine, transcriber.source)
        with transcriber.lock:
            raw = engine.run(samples, None, prompt)
        if stored is not None:
            stored.write_bytes(pickle.dumps(raw))
    try:
        transcript: Transcript | None = tr.build_transcript(
            samples,
            raw,
            regions,
            engine=transcriber.engine,
            model=transcriber.model_name,
            fillers=transcriber.fillers,
        )
    except NoSpeechError:
        transcript = None
    return transcript, time.perf_counter() - started


def pipeline(
    transcriber: tr.WhisperTranscriber, clip: Clip, cache: Path | None
) -> tuple[list[Filler], float]:
    """The clip's filled pauses as the transcriber finds them, and the seconds it took."""
    transcript, seconds = transcript_of(transcriber, clip, cache)
    fillers = [f for f in transcript.fillers if f.kind == "filled_pause"] if transcript else []
    return fillers, seconds


# (voice, words a minute): none of these is in tests/speech.py VOICES, the fitting voices.
HELDOUT_ESPEAK = (
    ("en-gb-scotland", 150),
    ("en-us+Annie", 175),
    ("en-gb-x-gbclan+Andy", 160),
    ("en-us+f4", 185),
)
FESTIVAL_RATES = (150, 170, 160)
# Flite's clustergen voice not fitted on (the others are fitting voices, FIT_FLITE).
HELDOUT_FLITE = "flite:slt"
METHODS = ("acoustic", "whisper", "both")
# --inline also measures these fitting voices, apart from the measuring ones.
INLINE_FITTED = (("en-us", 160), ("festival:kal_diphone", 160))


def family(voice: str) -> str:
    if voice in dict(INLINE_FITTED):
        return f"fitting voice ({voice})"
    if voice == "piper":
        return "neural (Piper)"
    if voice.startswith("festival:"):
        return "festival-hts" if voice.endswith("_hts") else "festival-diphone"
    if voice.startswith("flite:"):
        return flite_kind(voice)
    return "espeak-ng"


# --voices: measure only these held-out voices (all when empty).
ONLY_VOICES: set[str] = set()


def heldout_voices() -> list[tuple[int, str, int]]:
    """The measuring voices as (seed block, voice, words a minute): other espeak-ng voices, Festival's
    unfitted ones, the app's neural (Piper, VITS) voice, a family no detector was fitted on, and
    Flite's unfitted voice, each where installed. A voice's seed block is its place in the full list,
    so its clips stay the same whichever voices are installed or chosen with --voices."""
    from tests.speech import FESTIVAL_VOICES, PIPER, festival_voices, flite_voices, piper_installed

    installed = {*festival_voices(), *flite_voices(), *([PIPER] if piper_installed() else [])}
    full = [
        *HELDOUT_ESPEAK,
        *zip(FESTIVAL_VOICES, FESTIVAL_RATES, strict=True),
        (PIPER, 165),
        (HELDOUT_FLITE, 160),
    ]
    return [
        (k, v, r)
        for k, (v, r) in enumerate(full)
        if (k < len(HELDOUT_ESPEAK) or v in installed) and (not ONLY_VOICES or v in ONLY_VOICES)
    ]


# ---------------------------------------------------------------------------- fillers inside the phrase

# Sentences for --inline only (none is in tests/speech.py ANSWER_SENTENCES, which the fitting clips
# speak), said whole by the synthesiser with the fillers written into the text.
INLINE_SENTENCES = (
    "I paged the fellow as soon as the pressure dropped.",
    "We moved the patient to the angio suite within the hour.",
    "I wrote down every question I missed in a notebook.",
    "The nurse showed me how to flush the drain properly.",
    "My research looked at bleeding after liver biopsies.",
    "I called the family back that evening to explain the plan.",
    "The second practice test came back eighteen points higher.",
    "I stayed late to help the technologist restock the room.",
    "Our project reviewed three years of port placements.",
    "I asked the attending to watch me do the next consent.",
    "The scan showed the clot had cleared by the morning.",
    "I started studying with a partner twice a week.",
    "She told me my presentations had become much clearer.",
    "I would like to train where procedures start early.",
    "The fistula was working again before dialysis that day.",
    "I learned to check the labs before every case.",
)
INLINE_SOUNDS = ("um", "uh", "um", "uh", "er")


def inline_answer(
    maker: SpeechMaker, seed: int, *, voice: str, rate: int, min_fillers: int, max_fillers: int
) -> tuple[Clip, list[int]]:
    """An answer said whole, with its fillers written into the text ("and, um, did" or "and um
    did"), so the synthesiser says each one inside the phrase, in its own rhythm and pitch, as a
    person does, rather than as a piece spoken apart and joined in. Returns the clip (its `text`
    the words without fillers, its `fillers` empty: where each one falls is known only in words)
    and, per filler, the index of the reference word it comes before."""
    import random

    rng = random.Random(seed)
    sentences = rng.sample(INLINE_SENTENCES, rng.randint(3, 4))
    words = [w for sentence in sentences for w in sentence.split()]
    n_fillers = rng.choice(range(min_fillers, max_fillers + 1))
    # Never before the first word (a filler there has no word before it to place it by).
    slots = sorted(rng.sample(range(1, len(words)), n_fillers))
    said: list[str] = []
    for i, word in enumerate(words):
        if i in slots:
            sound = rng.choice(INLINE_SOUNDS)
            if said[-1].endswith("."):
                said.append(sound.capitalize() + ",")
                word = word[0].lower() + word[1:] if word != "I" else word
            elif rng.random() < 0.5:
                said[-1] += ","
                said.append(sound + ",")
            else:
                said.append(sound)
        said.append(word)
    clip = maker.clip([Say(" ".join(said))], voice=voice, rate=rate, seed=seed)
    return replace(clip, text=" ".join(words)), slots


def _plain(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalnum() or ch == "'")


def filler_windows(
    clip: Clip, slots: list[int], words: list[Word]
) -> tuple[list[tuple[float, float, str]], int]:
    """Where each filler said inside the phrase falls, from the words Whisper heard around it: from
    the middle of the heard word before it to the middle of the one after (the words are aligned
    to the script by difflib; an unheard neighbour widens the window to the nearest heard one).
    Also returns how many fillers had both neighbours heard (the others' windows are wider)."""
    script = [_plain(w) for w in clip.text.split()]
    heard = [_plain(w.word) for w in words]
    aligned: dict[int, int] = {}
    for a, b, n in SequenceMatcher(a=script, b=heard, autojunk=False).get_matching_blocks():
        aligned.update((a + k, b + k) for k in range(n))

    def middle(i: int) -> float:
        word = words[aligned[i]]
        return (word.start + word.end) / 2

    windows: list[tuple[float, float, str]] = []
    tight = 0
    for slot in slots:
        before = max((i for i in aligned if i < slot), default=None)
        after = min((i for i in aligned if i >= slot), default=None)
        tight += before == slot - 1 and after == slot
        start = middle(before) if before is not None else 0.0
        end = middle(after) if after is not None else clip.duration_s
        windows.append((start, end, "filler"))
    return windows, tight


def heldout(
    engine: str,
    maker: SpeechMaker,
    per_voice: int,
    clean_per_voice: int,
    verbose: bool,
    cache: Path | None,
    inline: bool = False,
) -> None:
    """Each method on every held-out voice; counts per voice, then summed per family. With `inline`
    the fillers are said inside the phrase (`inline_answer`) and the fitting voices are measured
    too, apart, to tell what the condition costs from what a new voice costs."""
    acoustic = make_transcriber(engine, fillers="acoustic")
    prompted = make_transcriber(engine, fillers="both")
    assert isinstance(acoustic, tr.WhisperTranscriber) and isinstance(prompted, tr.WhisperTranscriber)
    acoustic.load()
    # counts[voice][method] = [hits, false alarms, misses, false alarms on clean, clean seconds]
    counts: dict[str, dict[str, list[float]]] = {}
    decode = {"acoustic": 0.0, "prompted": 0.0}
    tight = said = 0
    measured = heldout_voices()
    if inline:
        measured += [(len(measured) + 10 + k, v, r) for k, (v, r) in enumerate(INLINE_FITTED)]
    for vi, voice, rate in measured:
        if voice == FIT_FESTIVAL and not inline:
            continue  # a fitting voice; the others keep their seeds (by position in the list)
        table = counts.setdefault(voice, {m: [0, 0, 0, 0, 0.0] for m in METHODS})
        jobs = [(2000 + 100 * vi + k, False) for k in range(per_voice)]
        jobs += [(5000 + 100 * vi + k, True) for k in range(clean_per_voice)]
        for seed, clean in jobs:
            slots: list[int] | None = None
            lo, hi = (0, 0) if clean else (2, 5)
            if inline:
                clip, slots = inline_answer(
                    maker, 9000 + seed, voice=voice, rate=rate, min_fillers=lo, max_fillers=hi
                )
            else:
                clip = random_answer(maker, seed, min_fillers=lo, max_fillers=hi, voice=voice, rate=rate)
            found: dict[str, list[tuple[float, float]]] = {}
            for label, transcriber in (("acoustic", acoustic), ("prompted", prompted)):
                transcript, seconds = transcript_of(transcriber, clip, cache)
                fillers = [f for f in transcript.fillers if f.kind == "filled_pause"] if transcript else []
                decode[label] += seconds
                if slots is not None and label == "acoustic":
                    windows, n = filler_windows(clip, slots, transcript.words if transcript else [])
                    clip = replace(clip, fillers=windows)
                    tight, said = tight + n, said + len(slots)
                spans = [(f.start or 0.0, f.end or 0.0, f.char_start is not None) for f in fillers]
                if label == "acoustic":
                    found["acoustic"] = [(a, b) for a, b, _ in spans]
                else:
                    found["whisper"] = [(a, b) for a, b, written in spans if written]
                    found["both"] = [(a, b) for a, b, _ in spans]
            for method in METHODS:
                h, fa, m = match(clip.fillers, found[method])
                row = table[method]
                if clean:
                    row[3] += fa
                    row[4] += clip.duration_s
                else:
                    row[0], row[1], row[2] = row[0] + h, row[1] + fa, row[2] + m
            if verbose:
                truth = ", ".join(f"{a:.2f}" for a, _, _ in clip.fillers) or "-"
                got = "; ".join(
                    f"{m}: " + (", ".join(f"{a:.2f}" for a, _ in found[m]) or "-") for m in METHODS
                )
                print(f"{voice} seed {seed}: truth [{truth}]  {got}")

    def line(name: str, rows: list[dict[str, list[float]]]) -> str:
        cells = []
        for method in METHODS:
            h, fa, m, cfa, cs = (sum(r[method][i] for r in rows) for i in range(5))
            recall = h / max(h + m, 1)
            precision = h / max(h + fa, 1)
            per_min = cfa / max(cs / 60, 1e-9)
            cells.append(f"{recall:.2f} {precision:.2f} {per_min:4.1f}/min")
        return f"  {name:<32} " + "  |  ".join(cells)

    print(
        f"engine {engine}: held-out voices, {per_voice} answers with fillers + {clean_per_voice} clean each"
    )
    print(f"  {'':<32} " + "  |  ".join(f"{m + ': recall precision FA':<27}" for m in METHODS))
    for fam in sorted({family(v) for v in counts}):
        voices = [v for v in counts if family(v) == fam]
        print(line(fam, [counts[v] for v in voices]))
        for voice in voices:
            print(line("  " + voice, [counts[voice]]))
    print(line("all held-out voices", [c for v, c in counts.items() if v not in dict(INLINE_FITTED)]))
    if inline:
        print(f"  fillers placed between the two words heard either side: {tight} of {said}")
    ratio = decode["prompted"] / max(decode["acoustic"], 1e-9)
    print(
        f"  whole pipeline time: acoustic {decode['acoustic']:.1f} s, prompted {decode['prompted']:.1f} s"
        f" ({ratio:.2f}x)"
    )


# ---------------------------------------------------------------------------- fitting

# The fitting clips: espeak-ng answers in the VOICES of tests/speech.py (seeds drawn as for
# --fitted) and answers in one Festival diphone voice. The measuring voices (HELDOUT_ESPEAK, the
# other diphone voice, the HTS voice) are never used here.
FIT_FESTIVAL = "festival:kal_diphone"
FIT_FESTIVAL_SEEDS = range(3000, 3040)


# Validation clips in the fitting voices (other seeds), on which the threshold is chosen.
VALIDATE_SEEDS = range(1000, 1080)
VALIDATE_FESTIVAL_SEEDS = range(3100, 3120)


# More fitting variety, so the model cannot learn one synthesiser's "um": espeak-ng voices and
# variants outside both VOICES and HELDOUT_ESPEAK, and the fitting diphone voice with its pitch
# moved (sox `pitch` keeps every time in the clip, so the filler positions still hold).
EXTRA_ESPEAK = ("en-gb-x-gbcwmd", "en-us-nyc", "en-us+klatt2", "en-gb+f2", "en-029+m5", "en-us+michael")
EXTRA_FIT_SEEDS = range(6000, 6090)
EXTRA_VALIDATE_SEEDS = range(6500, 6524)
PITCHED_FIT_SEEDS = range(3040, 3100)
PITCHED_VALIDATE_SEEDS = range(3120, 3140)
PITCH_CENTS = (-500, -250, 250, 500)


def pitched(clip: Clip, cents: int) -> Clip:
    """The clip with its pitch (and formants) moved by `cents`, its timing unchanged."""
    import dataclasses
    import subprocess

    path = clip.path.with_name(f"{clip.path.stem}-pitch{cents:+d}.wav")
    if not path.exists():
        subprocess.run(["sox", "-D", str(clip.path), str(path), "pitch", str(cents)], check=True)
    return dataclasses.replace(clip, path=path)


# A third synthesiser family, Flite: its diphone voices and two of its clustergen (statistical
# parametric) voices, a kind of synthesis close to the HTS measuring voice. Its clustergen voice slt
# is left out: it is built from the same recordings (CMU ARCTIC slt) as the HTS measuring voice.
FIT_FLITE = ("flite:kal", "flite:kal16", "flite:awb", "flite:rms")
FLITE_FIT_SEEDS = range(7000, 7100)
FLITE_VALIDATE_SEEDS = range(7500, 7532)


def flite_kind(voice: str) -> str:
    return "flite-diphone" if voice.removeprefix("flite:").startswith("kal") else "flite-clustergen"


def fitting_clips(
    maker: SpeechMaker,
    espeak: range = FIT_SEEDS,
    festival: range = FIT_FESTIVAL_SEEDS,
    extra: range = EXTRA_FIT_SEEDS,
    festival_pitched: range = PITCHED_FIT_SEEDS,
    flite: range = FLITE_FIT_SEEDS,
) -> list[tuple[str, Clip]]:
    """(family, clip) for every clip of a fitting or validation set (by its seeds). Flite's clips come
    only where Flite is installed (`FIT_FLITE` voices, seeds shared out among them in turn)."""
    import random

    from tests.speech import flite_voices

    clips = [("espeak-ng", random_answer(maker, seed)) for seed in espeak]
    for seed in extra:
        rng = random.Random(seed)
        voice, rate = EXTRA_ESPEAK[seed % len(EXTRA_ESPEAK)], rng.randint(140, 190)
        clips.append(
            ("espeak-ng", random_answer(maker, seed, min_fillers=1, max_fillers=5, voice=voice, rate=rate))
        )
    for seed in [*festival, *festival_pitched]:
        rng = random.Random(seed)
        rate = rng.randint(140, 190)
        clip = random_answer(maker, seed, min_fillers=1, max_fillers=5, voice=FIT_FESTIVAL, rate=rate)
        if seed in festival_pitched:
            clip = pitched(clip, rng.choice(PITCH_CENTS))
        clips.append(("festival-diphone", clip))
    voices = [v for v in FIT_FLITE if v in flite_voices()]
    for seed in flite if voices else ():
        rng = random.Random(seed)
        voice, rate = voices[seed % len(voices)], rng.randint(140, 190)
        clip = random_answer(maker, seed, min_fillers=1, max_fillers=5, voice=voice, rate=rate)
        clips.append((flite_kind(voice), clip))
    return clips


def validate(engine: str, maker: SpeechMaker, cache: Path | None, thresholds: list[float]) -> None:
    """Recall, precision and false alarms a minute on the validation clips, per family and threshold."""
    transcriber = make_transcriber(engine)
    assert isinstance(transcriber, tr.WhisperTranscriber)
    clips = fitting_clips(
        maker,
        VALIDATE_SEEDS,
        VALIDATE_FESTIVAL_SEEDS,
        EXTRA_VALIDATE_SEEDS,
        PITCHED_VALIDATE_SEEDS,
        FLITE_VALIDATE_SEEDS,
    )
    default = da.FILLED_PAUSE_THRESHOLD
    for threshold in thresholds or [da.filler_model().threshold]:
        da.FILLED_PAUSE_THRESHOLD = threshold
        counts: dict[str, list[float]] = {}
        for fam, clip in clips:
            found, _ = pipeline(transcriber, clip, cache)
            h, fa, m = match(clip.fillers, [(f.start or 0.0, f.end or 0.0) for f in found])
            row = counts.setdefault(fam, [0, 0, 0, 0.0])
            row[0], row[1], row[2], row[3] = row[0] + h, row[1] + fa, row[2] + m, row[3] + clip.duration_s
        cells = [
            f"{fam}: recall {h / max(h + m, 1):.2f} precision {h / max(h + fa, 1):.2f} "
            f"({fa / (s / 60):.1f} false a minute of answer)"
            for fam, (h, fa, m, s) in counts.items()
        ]
        print(f"threshold {threshold:.2f}: " + "; ".join(cells))
    da.FILLED_PAUSE_THRESHOLD = default


# The features the model is fitted on: acoustics.FILLER_FEATURES without those that told one
# synthesiser's "um" from another's rather than an "um" from a word. Left out (leave-one-family-out
# on the fitting families, --cross-family, threshold 0.5: mean recall 0.43 -> 0.61, precision 0.84 ->
# 0.86, the worst family's recall 0.17 -> 0.49): the island's pitch, level and pitch fall against the
# speaker's, its level spread, its length in seconds and longest held sound (its length against the
# recording's islands and words stays), and its periodicity. Whether a synthesiser says "um" higher,
# louder, longer or more periodic than its words is its own habit.
UNUSED_FEATURES = frozenset({"pitch", "level", "fall", "level_spread", "duration", "steady", "periodicity"})
MODEL_FEATURES = tuple(f for f in da.FILLER_FEATURES if f not in UNUSED_FEATURES)


def _island_table(
    clip: Clip, transcriber: tr.WhisperTranscriber, cache: Path | None
) -> tuple[list[list[float]], list[bool], list[tuple[float, float]]]:
    """Features (MODEL_FEATURES), labels (a filled pause or not) and times of every candidate island,
    as the detector sees them."""
    from interviewcoach.core.audio.files import load_audio

    transcript, _ = transcript_of(transcriber, clip, cache)
    if transcript is None:
        return [], [], []
    # As detect_filled_pauses does: a written "um" stands for the sound, it does not account for it.
    spoken = [w for w in transcript.words if not da.is_filled_pause_word(w.word)]
    _, candidates = da.filler_islands(da.frame_features(load_audio(clip.path)), spoken)
    columns = [da.FILLER_FEATURES.index(f) for f in MODEL_FEATURES]
    rows = da.feature_rows(candidates)[:, columns].tolist()
    labels = [any(s < ev.island.end and e > ev.island.start for s, e, _ in clip.fillers) for ev in candidates]
    return rows, labels, [(ev.island.start, ev.island.end) for ev in candidates]


def _written_fillers(
    clip: Clip, transcriber: tr.WhisperTranscriber, cache: Path | None
) -> list[tuple[float, float]]:
    """Where the fillers Whisper wrote were placed (on their sound) in the clip's transcript."""
    transcript, _ = transcript_of(transcriber, clip, cache)
    if transcript is None:
        return []
    return [
        (f.start or 0.0, f.end or 0.0)
        for f in transcript.fillers
        if f.kind == "filled_pause" and f.char_start is not None
    ]


# Boosting: depth-2 trees on logistic loss, each split chosen among 19 quantiles of a feature.
TREES = 100
LEARNING_RATE = 0.2
MIN_LEAF = 20
NO_SPLIT = (0, math.inf)  # every island goes left


def _best_split(
    x: np.ndarray, g: np.ndarray, h: np.ndarray, cuts: list[np.ndarray]
) -> tuple[int, float] | None:
    """The (feature, threshold) that most lowers the second-order loss (None: no split leaves
    MIN_LEAF islands on each side)."""
    best: tuple[float, int, float] | None = None
    total_g, total_h = g.sum(), h.sum()
    for j, values in enumerate(cuts):
        left = x[:, j][:, None] <= values[None, :]
        n_left = left.sum(axis=0)
        g_left, h_left = g @ left, h @ left
        gain = g_left**2 / (h_left + 1) + (total_g - g_left) ** 2 / (total_h - h_left + 1)
        gain[(n_left < MIN_LEAF) | (len(g) - n_left < MIN_LEAF)] = -math.inf
        k = int(np.argmax(gain))
        if math.isfinite(gain[k]) and (best is None or gain[k] > best[0]):
            best = (float(gain[k]), j, float(values[k]))
    return None if best is None else (best[1], best[2])


def _leaf(g: np.ndarray, h: np.ndarray) -> float:
    return float(-g.sum() / (h.sum() + 1.0)) * LEARNING_RATE


def boost(x: np.ndarray, y: np.ndarray) -> tuple[float, list[list[float]]]:
    """Bias and trees ([feature, threshold] x 3, then four leaves) in acoustics.FillerModel's layout."""
    bias = math.log(y.mean() / (1 - y.mean()))
    score = np.full(len(y), bias)
    cuts = [np.unique(np.quantile(x[:, j], np.linspace(0.05, 0.95, 19))) for j in range(x.shape[1])]
    trees: list[list[float]] = []
    for _ in range(TREES):
        p = 1 / (1 + np.exp(-score))
        g, h = p - y, p * (1 - p)
        root = _best_split(x, g, h, cuts) or NO_SPLIT
        right = x[:, root[0]] > root[1]
        children, leaves = [], []
        for side in (~right, right):
            split = _best_split(x[side], g[side], h[side], cuts) or NO_SPLIT
            below = side & ~(x[:, split[0]] > split[1])
            above = side & (x[:, split[0]] > split[1])
            children.append(split)
            leaves += [_leaf(g[below], h[below]), _leaf(g[above], h[above])]
        tree = [root[0], root[1], children[0][0], children[0][1], children[1][0], children[1][1], *leaves]
        trees.append([float(v) for v in tree])
        column = x[np.arange(len(y))[:, None], np.array(tree[0:6:2], dtype=int)[None, :]]
        go_right = column[:, 0] > tree[1]
        below = np.where(go_right, column[:, 2] > tree[5], column[:, 1] > tree[3])
        score += np.array(leaves)[2 * go_right.astype(int) + below.astype(int)]
    return bias, trees


def fit(engine: str, maker: SpeechMaker, cache: Path | None, threshold: float) -> None:
    """Fit the model on the fitting clips and write it where acoustics.FillerModel reads it."""
    import json

    from tests.speech import flite_voices

    transcriber = make_transcriber(engine)
    assert isinstance(transcriber, tr.WhisperTranscriber)
    # The transcripts' own filled pauses are not used here: a model of no trees lets the fit run
    # before any model file exists.
    da._MODEL = da.FillerModel(
        features=(),
        bias=0.0,
        split_feature=np.zeros((0, 3), dtype=np.int64),
        split_value=np.zeros((0, 3)),
        leaves=np.zeros((0, 4)),
        threshold=1.0,
    )
    table: list[list[float]] = []
    labels: list[bool] = []
    for _, clip in fitting_clips(maker):
        rows, ys, _ = _island_table(clip, transcriber, cache)
        table += rows
        labels += ys
    x = np.array(table)
    y = np.array(labels, dtype=float)
    bias, trees = boost(x, y)
    fitted_on = (
        f"espeak-ng seeds {FIT_SEEDS.start}-{FIT_SEEDS.stop - 1} (tests/speech.py VOICES) and "
        f"{EXTRA_FIT_SEEDS.start}-{EXTRA_FIT_SEEDS.stop - 1} ({', '.join(EXTRA_ESPEAK)}); "
        f"{FIT_FESTIVAL} seeds "
        f"{FIT_FESTIVAL_SEEDS.start}-{FIT_FESTIVAL_SEEDS.stop - 1} and, pitch moved, "
        f"{PITCHED_FIT_SEEDS.start}-{PITCHED_FIT_SEEDS.stop - 1}"
    )
    flite = [v for v in FIT_FLITE if v in flite_voices()]
    if flite:
        fitted_on += f"; {', '.join(flite)} seeds {FLITE_FIT_SEEDS.start}-{FLITE_FIT_SEEDS.stop - 1}"
    model = {
        "about": f"Filled-pause model written by bench/fillers.py --fit: {len(labels)} candidate islands, "
        f"{int(y.sum())} filled pauses; {fitted_on}. Threshold chosen with --validate.",
        "features": list(MODEL_FEATURES),
        "threshold": threshold,
        "bias": round(bias, 6),
        "trees": [[round(v, 6) if math.isfinite(v) else 1e9 for v in tree] for tree in trees],
    }
    path = Path(da.__file__).with_name("filler_model.json")
    path.write_text(json.dumps(model, indent=None, separators=(",", ":")).replace("],[", "],\n[") + "\n")
    print(model["about"])
    print(f"written to {path}")


def _log_odds(bias: float, trees: list[list[float]], x: np.ndarray) -> np.ndarray:
    score = np.full(len(x), bias)
    for tree in trees:
        right = x[:, int(tree[0])] > tree[1]
        below = np.where(right, x[:, int(tree[4])] > tree[5], x[:, int(tree[2])] > tree[3])
        score += np.array(tree[6:])[2 * right.astype(int) + below.astype(int)]
    return score


def cross_voice(
    engine: str,
    maker: SpeechMaker,
    cache: Path | None,
    thresholds: list[float],
    *,
    by_family: bool = False,
    prompted: bool = False,
) -> None:
    """Leave one voice out: fit on the fitting clips without one of EXTRA_ESPEAK's voices, measure on
    that voice's fitting clips; how the model does on a voice it has not heard, from fitting voices
    only. `by_family`: leave one synthesiser family out instead (espeak-ng, Festival's diphone voice,
    Flite's diphone voices, Flite's clustergen voices, and Flite whole): fit on the others, measure on
    its fitting clips. Counts the filled pauses heard in the audio (Whisper's
    rare written "um" is left aside). `prompted`: Whisper prompted to write fillers, the model fitted on
    those decodes, and the fillers it wrote (placed on their sound) found as well, as "both" does."""
    transcriber = make_transcriber(engine, fillers="both" if prompted else "acoustic")
    assert isinstance(transcriber, tr.WhisperTranscriber)
    clips = fitting_clips(maker)
    if by_family:
        groups = [fam for fam, _ in clips]
    else:
        groups = [""] * len(clips)
        for k, seed in enumerate(EXTRA_FIT_SEEDS):
            groups[len(FIT_SEEDS) + k] = EXTRA_ESPEAK[seed % len(EXTRA_ESPEAK)]
    tables = [_island_table(clip, transcriber, cache) for _, clip in clips]
    written = [_written_fillers(clip, transcriber, cache) if prompted else [] for _, clip in clips]
    results: dict[float, list[tuple[float, float]]] = {t: [] for t in thresholds}
    left_outs = sorted({g for g in groups if g})
    if by_family:
        # A synthesiser with voices of two kinds (Flite: diphone and clustergen) is also left out whole.
        synthesisers = {g.split("-")[0] for g in left_outs}
        left_outs += sorted(s for s in synthesisers if sum(g.startswith(s + "-") for g in left_outs) > 1)

    def held(group: str, left_out: str) -> bool:
        return group == left_out or group.startswith(left_out + "-")

    for left_out in left_outs:
        kept = [table for table, g in zip(tables, groups, strict=True) if not held(g, left_out)]
        rows = [r for table in kept for r in table[0]]
        labels = [y for table in kept for y in table[1]]
        bias, trees = boost(np.array(rows), np.array(labels, dtype=float))
        for threshold in thresholds:
            h = fa = m = 0
            for (_, clip), (x, _, spans), g, by_whisper in zip(clips, tables, groups, written, strict=True):
                if not held(g, left_out):
                    continue
                p = 1 / (1 + np.exp(-_log_odds(bias, trees, np.array(x)))) if x else np.zeros(0)
                found = [span for span, q in zip(spans, p, strict=True) if q >= threshold]
                found += [span for span in by_whisper if span not in found]
                counts = match(clip.fillers, found)
                h, fa, m = h + counts[0], fa + counts[1], m + counts[2]
            results[threshold].append((h / max(h + m, 1), h / max(h + fa, 1)))
            print(
                f"  left out {left_out}, threshold {threshold:.2f}: recall {h / max(h + m, 1):.2f} "
                f"precision {h / max(h + fa, 1):.2f}"
            )
    for threshold, pairs in results.items():
        recall, precision = np.array(pairs).T
        print(
            f"threshold {threshold:.2f}: mean recall {recall.mean():.2f} precision {precision.mean():.2f}; "
            f"worst left out recall {recall.min():.2f} precision {precision.min():.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", default="faster-whisper", choices=["faster-whisper", "openai-whisper"])
    parser.add_argument("--clips", type=int, default=80)
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "interviewcoach-bench-speech"
    )
    parser.add_argument("--fit", action="store_true", help="refit the detector weights on the fitting seeds")
    parser.add_argument("--fitted", action="store_true", help="measure on the fitting voices (old measure)")
    parser.add_argument(
        "--validate", action="store_true", help="validation clips of the fitting voices, for the threshold"
    )
    parser.add_argument(
        "--cross-voice", action="store_true", help="leave one added espeak-ng fitting voice out at a time"
    )
    parser.add_argument(
        "--cross-family", action="store_true", help="fit on one synthesiser family, measure on the other"
    )
    parser.add_argument("--per-voice", type=int, default=12, help="held-out answers with fillers per voice")
    parser.add_argument("--clean-per-voice", type=int, default=4, help="held-out clean answers per voice")
    parser.add_argument("--threshold", type=float, help="filled-pause probability threshold to try")
    parser.add_argument("--sweep", type=float, nargs="*", default=[], help="also score these thresholds")
    parser.add_argument(
        "--reuse-decodes",
        action="store_true",
        help="keep Whisper's decode of each held-out clip in the cache and reuse it (times then exclude it)",
    )
    parser.add_argument("--voices", default="", help="only these measuring voices, comma-separated")
    parser.add_argument(
        "--prompted",
        action="store_true",
        help="--cross-voice/--cross-family on decodes prompted for fillers, counting the ones Whisper wrote",
    )
    parser.add_argument(
        "--inline",
        action="store_true",
        help="held-out voices (and two fitting ones) with the fillers said inside the phrase, not joined in",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    ONLY_VOICES.update(v for v in args.voices.split(",") if v)
    maker = SpeechMaker(args.cache)
    if args.threshold is not None:
        da.FILLED_PAUSE_THRESHOLD = args.threshold
    decodes = args.cache / "decodes" if args.reuse_decodes else None
    if decodes is not None:
        decodes.mkdir(parents=True, exist_ok=True)
    if args.fit:
        fit(args.engine, maker, decodes, args.threshold if args.threshold is not None else 0.5)
    elif args.cross_voice or args.cross_family:
        thresholds = args.sweep or [da.filler_model().threshold]
        cross_voice(
            args.engine, maker, decodes, thresholds, by_family=args.cross_family, prompted=args.prompted
        )
    elif args.validate:
        validate(args.engine, maker, decodes, args.sweep)
    elif not args.fitted:
        heldout(args.engine, maker, args.per_voice, args.clean_per_voice, args.verbose, decodes, args.inline)
    else:
        evaluate(
            args.engine, range(args.first_seed, args.first_seed + args.clips), maker, args.verbose, args.sweep
        )


if __name__ == "__main__":
    main()
