"""Decode one chunk of a longer answer with the loaded Whisper engine, the text before it as prompt.

Whisper decodes 30 s windows; a chunk of an answer (at most ~20 s, cut in a silence) fits in one.
Both libraries' long-form loops would go on to decode the few tenths of a second after the last
word as a second window: a full encoder pass for nothing, and with a prompt Whisper tends to
invent a tail there ("Thank you for watching", repeated until the token limit). So a chunk stops
after the window whose words reach the end of the detected voice (`voice_after`): faster-whisper
by leaving its segment generator, openai-whisper by decoding the single window itself.
Settings are those of the whole-file path (`transcribe.BEAM_SIZE`, temperature 0, English), but
faster-whisper's encoder reads the chunk's own audio rather than a 30 s window (encoder_window)
unless asked for the whole window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from interviewcoach.core.models import Word
from interviewcoach.core.speech import transcribe as tr
from interviewcoach.core.speech.acoustics import speech_regions
from interviewcoach.core.speech.encoder_window import trimmed

if TYPE_CHECKING:
    from interviewcoach.core.speech.transcribe import RawResult, WhisperTranscriber

Samples = npt.NDArray[np.float32]
SAMPLE_RATE = 16000
# Detected voice left after the last decoded word that still needs a decode. The detector hears a
# voice for up to ~0.15 s after a word ends; a word it left out adds at least ~0.15 s more.
LEFT_VOICE_S = 0.2
AFTER_WORD_S = 0.15
# Longer audio than this is not one window: the library's own loop decodes it (the fallback tail).
ONE_WINDOW_S = 28.0

# voice_after(t): seconds of detected voice in the chunk after t seconds (chunk clock).
VoiceAfter = Callable[[float], float]


class ChunkDecoder(Protocol):
    """Decodes one chunk of 16 kHz mono audio, with the text before it as context."""

    engine: str
    model_name: str

    def decode(
        self,
        audio: Samples,
        *,
        prompt: str,
        cancel: threading.Event | None,
        voice_after: VoiceAfter | None = None,
        full_window: bool = False,
    ) -> RawResult:
        """`full_window`: Whisper's encoder reads its whole 30 s window, not the chunk's own."""
        ...


class WhisperChunkDecoder:
    """Decodes chunks with the engine a `WhisperTranscriber` loaded (one model per process)."""

    def __init__(self, transcriber: WhisperTranscriber) -> None:
        self.transcriber = transcriber
        self.engine = transcriber.engine
        self.model_name = transcriber.model_name

    def decode(
        self,
        audio: Samples,
        *,
        prompt: str,
        cancel: threading.Event | None,
        voice_after: VoiceAfter | None = None,
        full_window: bool = False,
    ) -> RawResult:
        model = self.transcriber.library_model()
        # The transcriber's own lock: one decode at a time on a model, whoever asks.
        with self.transcriber.lock:
            raw = self._decode(model, audio, prompt, cancel, voice_after, full_window)
            if audio.size > ONE_WINDOW_S * SAMPLE_RATE:
                # The library's long-form loop (a tail left for after the stop) can skip speech.
                raw = tr.fill_missed(
                    raw,
                    audio,
                    speech_regions(audio),
                    lambda part, before: self._decode(model, part, before, cancel, None, full_window),
                )
            return raw

    def _decode(
        self,
        model: Any,
        audio: Samples,
        prompt: str,
        cancel: threading.Event | None,
        voice_after: VoiceAfter | None,
        full_window: bool,
    ) -> RawResult:
        if self.engine == "faster-whisper":
            if full_window:
                return decode_faster_whisper(model, audio, prompt, cancel, voice_after)
            with trimmed(model):
                return decode_faster_whisper(model, audio, prompt, cancel, voice_after)
        return decode_openai_whisper(model, audio, prompt, voice_after)


def _all_heard(words: list[Word], voice_after: VoiceAfter | None) -> bool:
    return (
        voice_after is not None and bool(words) and voice_after(words[-1].end + AFTER_WORD_S) < LEFT_VOICE_S
    )


def decode_faster_whisper(
    model: Any,
    audio: Samples,
    prompt: str,
    cancel: threading.Event | None,
    voice_after: VoiceAfter | None,
) -> RawResult:

    segments, info = model.transcribe(
        audio,
        language=tr.LANGUAGE,
        beam_size=tr.BEAM_SIZE,
        temperature=0.0,
        word_timestamps=True,
        condition_on_previous_text=False,
        vad_filter=False,
        initial_prompt=prompt or None,
    )
    result = tr.RawResult(words=[], segments=[], language=info.language or tr.LANGUAGE)
    # The generator decodes a window when asked for its first segment: stop asking once every
    # voiced part of the chunk has its words.
    try:
        for segment in segments:
            tr.check_cancel(cancel)
            words = [tr.make_word(w.word, w.start, w.end, w.probability) for w in segment.words or []]
            result.words.extend(words)
            result.segments.append((segment.text, segment.start, segment.end, words))
            if _all_heard(result.words, voice_after):
                break
    finally:
        close = getattr(segments, "close", None)
        if close is not None:
            close()
    return result


def decode_openai_whisper(
    model: Any, audio: Samples, prompt: str, voice_after: VoiceAfter | None
) -> RawResult:

    if audio.size > ONE_WINDOW_S * SAMPLE_RATE or voice_after is None:
        out = model.transcribe(
            audio,
            language=tr.LANGUAGE,
            beam_size=tr.BEAM_SIZE,
            temperature=0.0,
            word_timestamps=True,
            condition_on_previous_text=False,
            fp16=False,
            verbose=None,
            initial_prompt=prompt or None,
        )
        return _openai_result(out["segments"], str(out.get("language") or tr.LANGUAGE))
    # Window after window from the last word, as transcribe() seeks, until every voiced part has
    # its words; like transcribe() with condition_on_previous_text off, only the first gets the prompt.
    segments: list[dict[str, Any]] = []
    offset = 0.0
    for _ in range(4):
        found = _openai_one_window(
            model, audio[round(offset * SAMPLE_RATE) :], prompt if not segments else ""
        )
        for segment in found:
            segment["start"] += offset
            segment["end"] += offset
            for w in segment.get("words", []):
                w["start"] += offset
                w["end"] += offset
        segments += found
        words = [w for s in segments for w in s.get("words", [])]
        if not found or not words or voice_after(words[-1]["end"] + AFTER_WORD_S) < LEFT_VOICE_S:
            break
        if words[-1]["end"] < offset + 0.5:
            break
        offset = words[-1]["end"]
    return _openai_result(segments, tr.LANGUAGE)


def _openai_result(segments: list[dict[str, Any]], language: str) -> RawResult:

    result = tr.RawResult(words=[], segments=[], language=language)
    for segment in segments:
        words = [
            tr.make_word(w["word"], w["start"], w["end"], w["probability"]) for w in segment.get("words", [])
        ]
        result.words.extend(words)
        result.segments.append((segment["text"], segment["start"], segment["end"], words))
    return result


def _openai_one_window(model: Any, audio: Samples, prompt: str) -> list[dict[str, Any]]:
    """openai-whisper's transcribe() for one window, as its loop does the first one."""
    import torch
    from whisper.audio import N_FRAMES, N_SAMPLES, log_mel_spectrogram, pad_or_trim
    from whisper.decoding import DecodingOptions
    from whisper.timing import add_word_timestamps
    from whisper.tokenizer import get_tokenizer

    mel = log_mel_spectrogram(
        torch.from_numpy(np.ascontiguousarray(audio)), model.dims.n_mels, padding=N_SAMPLES
    )
    frames = mel.shape[-1] - N_FRAMES
    window = pad_or_trim(mel[:, :frames], N_FRAMES).to(model.device)
    tokenizer = get_tokenizer(
        model.is_multilingual, num_languages=model.num_languages, language=tr.LANGUAGE, task="transcribe"
    )
    options = DecodingOptions(
        language=tr.LANGUAGE,
        beam_size=tr.BEAM_SIZE,
        temperature=0.0,
        fp16=False,
        prompt=tokenizer.encode(" " + prompt.strip()) if prompt.strip() else None,
    )
    result = model.decode(window, options)
    # transcribe()'s silence rule (no_speech_threshold 0.6, logprob_threshold -1).
    if result.no_speech_prob > 0.6 and result.avg_logprob < -1.0:
        return []
    tokens = list(result.tokens)
    begin = tokenizer.timestamp_begin
    precision = 0.02  # seconds per timestamp token
    is_time = [t >= begin for t in tokens]
    single_ending = is_time[-2:] == [False, True]
    pairs = [i for i in range(1, len(tokens)) if is_time[i] and is_time[i - 1]]
    pieces: list[tuple[float, float, list[int]]] = []
    if pairs:
        cuts = [*pairs, len(tokens)] if single_ending else pairs
        last = 0
        for cut in cuts:
            part = tokens[last:cut]
            pieces.append(((part[0] - begin) * precision, (part[-1] - begin) * precision, part))
            last = cut
    else:
        times = [t for t in tokens if t >= begin]
        duration = frames * 0.01
        if times and times[-1] != begin:
            duration = (times[-1] - begin) * precision
        pieces.append((0.0, duration, tokens))
    segments = [
        {
            "seek": 0,
            "start": start,
            "end": end,
            "tokens": part,
            "text": tokenizer.decode([t for t in part if t < tokenizer.eot]),
        }
        for start, end, part in pieces
    ]
    segments = [s for s in segments if s["start"] != s["end"] and s["text"].strip()]
    if segments:
        add_word_timestamps(
            segments=segments,
            model=model,
            tokenizer=tokenizer,
            mel=window,
            num_frames=frames,
            last_speech_timestamp=0.0,
        )
    return segments
