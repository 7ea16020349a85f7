"""Transcribe an answer while it is being recorded, so feedback follows the stop within a second.

The recorder hands every 16 kHz block to `StreamingTranscriber.feed` (a copy and a list append). A
worker thread runs the Silero voice activity detector over the new audio as it arrives, cuts the
answer in the silences between phrases into chunks of 10-20 s, and decodes each finished chunk while
the student keeps talking, with the text before it as Whisper's prompt and the first seconds after it
as context (their words are left to the next chunk). Word times are moved onto the whole answer's
clock. While a chunk waits for that context, it is decoded provisionally with what there is (and
again, to a later pause, once a stop would leave too much after it), so that after the stop only the
audio since the last chunk, provisional or not, is left to decode. After each chunk the worker also
works out ahead what the feedback will need again: the sounds of the islands the filled-pause search
judges, and (`on_words`) the scorer's sentence vectors.

Cuts fall only where the detector hears silence (or, after 20 s without a pause, in the quietest
10 ms between two words), so no word straddles two chunks: none is lost or said twice. Delivery
(fillers, pauses, pace) is measured over the whole answer by the same code as a whole-file
transcription (`transcribe.build_transcript`), fed with the detector's probabilities and the frame
features computed while the student spoke (`incremental.py`): the same figures, without the second
of work they would cost after the stop.

When decoding cannot keep up (near real time: a slow or busy machine), the worker stops decoding in
the background, leaving the CPU to the recording and the interface, and the rest of the answer is
transcribed after the stop; `outcome.message` says so.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from interviewcoach.core.errors import NoSpeechError
from interviewcoach.core.models import Transcript, Word
from interviewcoach.core.speech import acoustics as delivery_audio
from interviewcoach.core.speech import transcribe as tr
from interviewcoach.core.speech.chunk_decoder import ChunkDecoder, VoiceAfter, WhisperChunkDecoder
from interviewcoach.core.speech.incremental import (
    VAD_NEG_THRESHOLD,
    VAD_THRESHOLD,
    VAD_WINDOW,
    IncrementalFrames,
    IncrementalPeak,
    IncrementalPitch,
    IncrementalVad,
)
from interviewcoach.core.speech.transcribe import (
    FILLER_PROMPT,
    WhisperTranscriber,
    check_cancel,
    transcribe_answer,
)
from interviewcoach.core.speech.vocabulary import combine_prompt, vocabulary_prompt

if TYPE_CHECKING:
    from interviewcoach.core.protocols import Transcriber
    from interviewcoach.core.speech.transcribe import RawResult

Samples = npt.NDArray[np.float32]

SAMPLE_RATE = 16000
# A chunk ends at a silence of at least GAP_S once it holds MIN_CHUNK_S of audio; a busy decoder
# lets chunks grow (fewer, longer decodes catch up faster) up to MAX_CHUNK_S, after which the
# quietest place is cut. Whisper decodes 30 s windows, so a chunk never needs more than one.
# Short chunks cost accuracy: on three generated 90 s answers tiny.en had 14.9% WER with 6 s
# chunks, 9.2% with 10 s chunks and 11.1% on the whole file. Decoding time grows with the length
# only from 10 s (encoder_window: the encoder reads the chunk's own frames, at least 10 s of them).
MIN_CHUNK_S = 10.0
MAX_CHUNK_S = 20.0
GAP_S = 0.3
# Each chunk is decoded from a little before its first speech to a little after its last:
# leading silence makes Whisper start the first word too early; too little silence after the
# last word and Whisper garbles it. Never closer than EDGE_MARGIN_S to another chunk's voice.
LEAD_S = 0.2
TAIL_S = 0.3
EDGE_MARGIN_S = 0.1
# Once the voice has been quiet this long, the audio since the last cut is decoded ahead of time:
# if the student stops there, that decode is the last chunk and the stop does not wait for it.
# Pauses inside fluent speech are mostly shorter; the time to reach for the stop key is longer.
SPECULATE_AFTER_S = 0.5
# Less detected voice than this in a chunk is a cough or a click, not worth a decode.
MIN_CHUNK_SPEECH_S = 0.2
# A word that ends this soon after a chunk's voice begins, or starts this late before it ends, lies
# in the silence around it: a real word lasts longer than that.
SILENT_WORD_S = 0.05
# The prompt: the end of the text so far (Whisper keeps at most ~220 prompt tokens).
PROMPT_CHARS = 200
# A chunk is decoded once LOOKAHEAD_S of audio follows it, and with that audio: Whisper hears what
# comes next, as it does inside a whole file's 30 s windows, and the words there are the next chunk's.
# A chunk decoded without it ends at the end of its audio, where tiny.en makes more mistakes: on 12
# generated 180 s answers (bench/long_answers.py, the tuning set) the streamed WER was 11.6%
# without it, 10.7% with 4 s and 10.0% with 6 s, against 9.9% for the whole file; audio before each
# chunk instead (decodes filled to 28 s) gave 11.3%. The cost is after the stop: the audio left to
# decode then is LOOKAHEAD_S longer.
LOOKAHEAD_S = 6.0
# Until then, a chunk that has PROVISIONAL_S of audio after its cut is decoded with that much while
# the decoder would otherwise wait: kept for the stop (only the audio after it is decoded then) and
# dropped once the chunk is decoded with its whole lookahead. Without it the stop decoded up to
# MIN_CHUNK_S + LOOKAHEAD_S of audio (16 s at the end of a 30 s answer).
PROVISIONAL_S = 1.0
# ...and decoded again, to end at a later pause, once a stop would leave PROVISIONAL_TAIL_S after
# it. What the stop decodes costs about the same for any length up to the encoder's 10 s floor
# (encoder_window), so decoding again sooner buys the stop little and keeps the worker busy: when
# it was decoded again each time 2 s more audio came in, these decodes took four times the CPU of
# the chunks themselves, and a stop found one in flight more often (and waited for it).
PROVISIONAL_TAIL_S = 8.0
# A provisional chunk may be shorter than a chunk: PROVISIONAL_MIN_S from the cut. What the stop
# decodes is the audio after it, and a decode costs the same for any length up to the encoder's
# 10 s floor (encoder_window) but more beyond it: with chunks of MIN_CHUNK_S that tail was at
# least MIN_CHUNK_S + GAP_S + PROVISIONAL_S (11.3 s; 13 s in the slowest stops measured, 0.7 s to
# decode); from 5 s it stays under the floor. Kept only if the student stops there, so the shorter
# chunk costs accuracy only at the end of an answer.
PROVISIONAL_MIN_S = 5.0
# Decoding slower than this (seconds per second of audio, over the last chunks) cannot keep up.
FALLBACK_RTF = 0.9
RTF_CHUNKS = 3
# More audio than this waiting for the decoder, beyond the lookahead a chunk waits for, shows as
# "still transcribing".
BEHIND_S = MAX_CHUNK_S + 5.0
POLL_S = 0.2


@dataclass(frozen=True)
class StreamState:
    """What the interface shows while recording: how far transcription has got."""

    received_s: float  # audio fed so far
    transcribed_s: float  # audio up to this point is transcribed (or was silence)
    pending_s: float  # audio not transcribed yet
    keeping_up: bool  # False: show "still transcribing"
    fallback: bool  # True: decoding stopped; the rest is transcribed after the stop
    chunks: int
    text: str  # the transcript so far (for the optional live view)


@dataclass
class StreamOutcome:
    """How an answer was transcribed, known once `finish` returns."""

    mode: Literal["streamed", "after_stop"] = "streamed"
    # For the student when something did not go as designed (empty when all went well).
    message: str = ""
    chunks: int = 0
    # Seconds of decoding per second of audio over the chunks decoded during the answer.
    decode_rtf: float | None = None
    # Audio decoded after the stop, and the time `finish` took: waiting for the decode in flight
    # at the stop, decoding the last chunk, then measuring delivery over the whole answer.
    tail_s: float = 0.0
    finish_s: float = 0.0
    wait_s: float = 0.0
    tail_decode_s: float = 0.0
    # The last chunk was decoded ahead of the stop, while the student was quiet (SPECULATE_AFTER_S).
    tail_ready: bool = False
    # The chunk before the tail was decoded while the student spoke, with less audio after it than
    # LOOKAHEAD_S (PROVISIONAL_S at least): the stop decoded only the audio after it.
    provisional: bool = False
    # Where the answer was cut: (start, end) seconds of each chunk, silent ones included.
    spans: list[tuple[float, float]] = field(default_factory=list)


# ---------------------------------------------------------------------------- the streamer


def decoder_for(transcriber: Transcriber) -> ChunkDecoder | None:
    """A chunk decoder for `transcriber`, or None when it can only transcribe whole answers."""

    if isinstance(transcriber, WhisperTranscriber):
        return WhisperChunkDecoder(transcriber)
    return None


@dataclass
class _Chunk:
    start: int  # samples, on the answer's clock
    end: int
    words: list[Word] = field(default_factory=list)
    segments: list[tuple[str, float, float, list[Word]]] = field(default_factory=list)
    decode_s: float = 0.0
    decoded_s: float = 0.0  # audio given to the decoder (silence trimmed); 0 when skipped


class StreamingTranscriber:
    """Transcribes an answer chunk by chunk while it is recorded; `finish` gives the Transcript.

    `feed` may be called from any thread (the recorder's writer thread); `state()` is cheap and
    safe to poll from the interface; `on_partial(text)` is called from the worker thread with the
    text so far after each chunk (post it to the interface's thread before touching widgets).
    `on_words(words)`, also from the worker thread, gets the words so far after each chunk decoded
    before the stop (a provisional one's too), for work to do ahead of the scoring; it delays the
    next decode by its own time, so it should be short.

    `threaded=False` does the work inside `feed` instead of a worker thread, as an idle machine
    would: chunk boundaries then depend on the audio alone (for tests and measurements).
    `vocabulary` (terms such as "ESIR", "Y-90") leads every chunk's prompt, before the text so far.
    """

    def __init__(
        self,
        transcriber: Transcriber,
        *,
        on_partial: Callable[[str], None] | None = None,
        on_words: Callable[[list[Word]], None] | None = None,
        decoder: ChunkDecoder | None = None,
        threaded: bool = True,
        prompt: bool = True,
        vocabulary: Sequence[str] = (),
        min_chunk_s: float = MIN_CHUNK_S,
        max_chunk_s: float = MAX_CHUNK_S,
        fallback_rtf: float = FALLBACK_RTF,
        lookahead_s: float = LOOKAHEAD_S,
        provisional_s: float | None = PROVISIONAL_S,
        provisional_min_s: float = PROVISIONAL_MIN_S,
        provisional_tail_s: float = PROVISIONAL_TAIL_S,
    ) -> None:
        self.transcriber = transcriber
        self.on_partial = on_partial
        self.on_words = on_words
        self.decoder = decoder if decoder is not None else decoder_for(transcriber)
        self.use_prompt = prompt
        self._terms = tuple(vocabulary)
        self.vocabulary = vocabulary_prompt(vocabulary)
        # Whether Whisper is asked to write "um" and "uh" (the transcriber's filler method).
        self.fillers = str(getattr(transcriber, "fillers", "acoustic"))
        self.min_chunk = round(min_chunk_s * SAMPLE_RATE)
        self.max_chunk = round(max_chunk_s * SAMPLE_RATE)
        self.fallback_rtf = fallback_rtf
        self.lookahead = round(lookahead_s * SAMPLE_RATE)
        # None: no provisional chunks (each stop then decodes everything since the last cut).
        self.provisional = None if provisional_s is None else round(provisional_s * SAMPLE_RATE)
        self.provisional_min = round(min(provisional_min_s, min_chunk_s) * SAMPLE_RATE)
        self.provisional_tail = round(provisional_tail_s * SAMPLE_RATE)
        self.outcome = StreamOutcome()

        self._lock = threading.Lock()
        self._incoming: list[Samples] = []
        self._received = 0
        # The worker's own copy of the answer, grown by doubling (no copy of the whole per block).
        self._audio = np.zeros(SAMPLE_RATE * 30, dtype=np.float32)
        self._length = 0
        self._vad = IncrementalVad()
        self._frames = IncrementalFrames()
        self._pitch = IncrementalPitch()
        # The sounds of islands that could be filled pauses, worked out after each chunk.
        self._sounds: delivery_audio.IslandSounds = {}
        self._peak = IncrementalPeak()
        self._chunks: list[_Chunk] = []
        self._cut = 0  # everything before this sample is transcribed (or was silence)
        # The audio since the cut, decoded ahead of time: (extent decoded, prompt) and its chunk.
        self._ahead: tuple[tuple[int, int, str], _Chunk] | None = None
        # The next chunk, decoded before its whole lookahead came in: (cut, text so far) it followed.
        self._provisional: tuple[tuple[int, str], _Chunk] | None = None
        self._text = ""
        self._fallback_reason = ""
        self._error: BaseException | None = None
        self._stop = threading.Event()  # the recording ended: finish() takes over
        self._abort = threading.Event()  # the answer was discarded: drop the decode in flight
        self._closed = False
        self._finished = False
        self._threaded = threaded
        self._unprocessed = 0
        self._worker: threading.Thread | None = None
        if threaded:
            self._worker = threading.Thread(target=self._run, name="streaming-transcriber", daemon=True)
            self._worker.start()

    # --- the producer side --------------------------------------------------------------------
    def feed(self, block: npt.ArrayLike) -> None:
        """Add captured audio: 16 kHz mono float32. Cheap (a copy and an append) when threaded."""
        samples = np.array(block, dtype=np.float32, copy=True)
        if samples.ndim == 2:
            samples = samples.mean(axis=1, dtype=np.float32)
        samples = samples.reshape(-1)
        if samples.size == 0:
            return
        with self._lock:
            if self._finished or self._closed:
                return
            self._incoming.append(samples)
            self._received += samples.size
        if not self._threaded:
            self._unprocessed += samples.size
            if self._unprocessed >= POLL_S * SAMPLE_RATE:
                self._unprocessed = 0
                while self._step(self._abort):
                    pass

    # --- the interface side -------------------------------------------------------------------
    def state(self) -> StreamState:
        """Progress for the interface: poll it (e.g. with the level meter's timer)."""
        with self._lock:
            received = self._received
            done = min(self._cut, received)
            fallback = bool(self._fallback_reason)
            text = self._text
            chunks = len(self._chunks)
        pending = (received - done) / SAMPLE_RATE
        return StreamState(
            received_s=round(received / SAMPLE_RATE, 3),
            transcribed_s=round(done / SAMPLE_RATE, 3),
            pending_s=round(pending, 3),
            keeping_up=not fallback and pending <= BEHIND_S + self.lookahead / SAMPLE_RATE,
            fallback=fallback,
            chunks=chunks,
            text=text,
        )

    def close(self) -> None:
        """Stop and drop everything (the answer was discarded); idempotent, never blocks long."""
        with self._lock:
            self._closed = True
            self._incoming.clear()
        self._abort.set()
        self._stop.set()

    def finish(self, cancel: threading.Event | None = None) -> Transcript:
        """Once the recording has stopped: decode what is left, measure delivery over the whole answer.

        Raises NoSpeechError on silence, Cancelled when `cancel` is set. Call it once.
        """
        began = time.monotonic()
        with self._lock:
            if self._closed:
                raise RuntimeError("this answer's transcription was closed")
            if self._finished:
                raise RuntimeError("finish() was already called")
            self._finished = True
        self._stop.set()
        # A decode in flight is let finish (its chunk is needed anyway) unless the user cancels.
        while self._worker is not None and self._worker.is_alive():
            self._worker.join(0.05)
            if cancel is not None and cancel.is_set():
                self._abort.set()
                check_cancel(cancel)
        self.outcome.wait_s = round(time.monotonic() - began, 3)
        self._take_incoming()
        try:
            return self._complete(self._audio[: self._length], cancel)
        finally:
            self.outcome.finish_s = round(time.monotonic() - began, 3)

    # --- the worker ---------------------------------------------------------------------------
    def _run(self) -> None:
        busy = False
        # Straight on after a decode: more audio is waiting by then.
        while not self._stop.wait(0.0 if busy else POLL_S):
            try:
                busy = self._step(self._abort)
            except Exception as exc:
                # Whatever failed is done again after the stop, where its error reaches the user.
                if not self._abort.is_set():
                    self._error = exc
                    with self._lock:
                        self._fallback_reason = self._fallback_reason or "error"
                busy = False

    def _step(self, cancel: threading.Event) -> bool:
        """Analyse the new audio and decode the next chunk if one is ready; True if it decoded."""
        self._take_incoming()
        audio = self._audio[: self._length]
        self._vad.advance(audio, self._length)
        self._frames.advance(audio, self._length)
        self._pitch.advance(audio, self._length)
        self._peak.advance(audio, self._length)
        if self.decoder is None or self._fallback_reason:
            return False
        span = self._next_chunk()
        if span is None:
            return self._decode_provisional(audio, cancel) or self._decode_ahead(audio, cancel)
        self._decode(span, audio, cancel)
        return True

    def _decode_provisional(self, audio: Samples, cancel: threading.Event) -> bool:
        """Decode the next chunk with the audio there is after it (PROVISIONAL_S at least), and
        again to end at a later pause once a stop would leave PROVISIONAL_TAIL_S after it; True if
        it decoded."""
        if self.provisional is None:
            return False
        span = self._next_chunk(self.provisional, self.provisional_min)
        if span is None:
            return False
        last = self._provisional_chunk()
        # Only a later end shortens what the stop decodes, so the same chunk is never decoded
        # twice (a provisional chunk can have its whole lookahead and still not be a chunk:
        # shorter than MIN_CHUNK_S, or cut in the quietest place, which a chunk waits for till
        # MAX_CHUNK_S + LOOKAHEAD_S).
        if last is not None and (span[1] <= last.end or self._length - last.end < self.provisional_tail):
            return False
        key = (self._cut, self._text)
        chunk = self._decode_chunk(span, audio, cancel, self._voice_extent(*span), lookahead=self.lookahead)
        self._provisional = (key, chunk)
        self._read_ahead(chunk)
        return True

    def _read_ahead(self, pending: _Chunk | None = None) -> None:
        """Work out ahead what delivery will need again (the sounds of the islands so far), and give
        `on_words` the words so far (and `pending`'s), unless the recording has stopped."""
        if self._stop.is_set():
            return
        if self.fillers != "whisper":
            delivery_audio.remember_sounds(self._frames.so_far(), self._sounds)
        words = [w for c in self._chunks for w in c.words] + (pending.words if pending is not None else [])
        if self.on_words is not None and words:
            # Work done ahead only saves time: its failure must not stop the transcription.
            with contextlib.suppress(Exception):
                self.on_words(words)

    def _provisional_chunk(self) -> _Chunk | None:
        """The provisional chunk if it still follows the last cut and the text so far."""
        if self._provisional is not None and self._provisional[0] == (self._cut, self._text):
            return self._provisional[1]
        return None

    def _decode_ahead(self, audio: Samples, cancel: threading.Event) -> bool:
        """Decode the audio since the last cut once the voice has been quiet for SPECULATE_AFTER_S:
        if the student stops now, it is the last chunk (`_complete` takes it when nothing was said
        since); True if it decoded."""
        before = self._provisional_chunk()
        start = self._cut if before is None else before.end
        extent = self._voice_extent(start, self._length)
        if extent is None or self._length < (extent[3] + SPECULATE_AFTER_S) * SAMPLE_RATE:
            return False
        key = self._ahead_key(extent, before)
        if self._ahead is not None and self._ahead[0] == key:
            return False
        chunk = self._decode_chunk((start, self._length), audio, cancel, extent, prompt=key[2])
        self._ahead = (key, chunk)
        return True

    def _ahead_key(
        self, extent: tuple[int, int, float, float], before: _Chunk | None = None
    ) -> tuple[int, int, str]:
        """What a decode depends on: the audio it reads (the voice's extent) and the prompt (the
        text so far, and `before`'s)."""
        return (extent[0], extent[1], self._prompt(before) if self.use_prompt else "")

    def _take_incoming(self) -> None:
        with self._lock:
            blocks, self._incoming = self._incoming, []
        for block in blocks:
            need = self._length + block.size
            if need > self._audio.size:
                grown = np.zeros(max(need, self._audio.size * 2), dtype=np.float32)
                grown[: self._length] = self._audio[: self._length]
                self._audio = grown
            self._audio[self._length : need] = block
            self._length = need

    def _next_chunk(
        self, lookahead: int | None = None, shortest: int | None = None
    ) -> tuple[int, int] | None:
        """The next chunk to decode, [start, end) in samples, once a silence closes one at least
        `shortest` samples (by default MIN_CHUNK_S) after the last cut and `lookahead` samples (by
        default the whole LOOKAHEAD_S) follow the cut."""
        lookahead = self.lookahead if lookahead is None else lookahead
        shortest = self.min_chunk if shortest is None else shortest
        probs = self._vad.probs
        first = self._cut // VAD_WINDOW
        last = self._vad.windows
        if last <= first:
            return None
        window_probs = probs[first:last]
        speech = window_probs >= VAD_THRESHOLD
        gap = max(1, round(GAP_S * SAMPLE_RATE / VAD_WINDOW))
        if not speech.any():
            # Only silence since the last cut: move the cut along, so silence never makes a chunk.
            with self._lock:
                self._cut = max(self._cut, (last - gap) * VAD_WINDOW)
            return None
        first_speech = int(np.argmax(speech))
        runs = [(a, b) for a, b in _runs(window_probs < VAD_NEG_THRESHOLD) if a > first_speech]
        # Cut GAP_S into each long enough silence: Whisper garbles a last word that ends right at
        # the end of its audio. A busy decoder takes the latest cut that keeps the chunk under the
        # maximum, so it catches up with fewer, longer decodes.
        candidates = [
            cut
            for a, b in runs
            if b - a >= gap
            for cut in [(first + a + gap) * VAD_WINDOW]
            if shortest <= cut - self._cut <= self.max_chunk and cut + lookahead <= last * VAD_WINDOW
        ]
        if candidates:
            return self._cut, candidates[-1]
        if (last - first) * VAD_WINDOW < self.max_chunk + lookahead:
            return None
        # Talking for the maximum without a pause: cut in the quietest stretch, between two words.
        return self._cut, self._quietest(self._cut + self.min_chunk, self._cut + self.max_chunk)

    def _quietest(self, lo: int, hi: int) -> int:
        """The middle of the longest near-silent stretch of 10 ms frames in audio[lo:hi]."""
        hop = delivery_audio.HOP
        energy = self._frames.energy()[lo // hop : hi // hop]
        if energy.size == 0:
            return hi
        quiet = energy < np.percentile(energy, 5) + 6.0
        start, end = max(_runs(quiet), key=lambda run: run[1] - run[0])
        return lo // hop * hop + (start + end) // 2 * hop

    def _decode(self, span: tuple[int, int], audio: Samples, cancel: threading.Event | None) -> None:
        """Decode audio[start:end] (trimmed to its voice), with the lookahead after it, and add it as
        the next chunk."""
        extent = self._voice_extent(*span)
        self._add_chunk(self._decode_chunk(span, audio, cancel, extent, lookahead=self.lookahead))
        self._read_ahead()

    def _decode_chunk(
        self,
        span: tuple[int, int],
        audio: Samples,
        cancel: threading.Event | None,
        extent: tuple[int, int, float, float] | None,
        *,
        lookahead: int = 0,
        prompt: str | None = None,
    ) -> _Chunk:
        """The chunk audio[start:end], decoded from its voice's `extent` (none: nothing to decode)
        and on for `lookahead` samples past `end`, whose words are left out (the next chunk's);
        `prompt` when not the one for the text so far."""
        start, end = span
        chunk = _Chunk(start=start, end=end)
        if extent is not None and self.decoder is not None:
            a, b, onset, voice_end = extent
            until = math.inf
            if lookahead:
                # Words belong to this chunk up to the middle of the silence it was cut in.
                until = (voice_end + max(self._next_onset(end), voice_end)) / 2
                b = max(b, min(end + lookahead, self._length))
            began = time.monotonic()
            # Decoding may stop once the chunk's own voice has its words.
            own = b if until == math.inf else min(b, math.ceil(until * SAMPLE_RATE))
            if prompt is None:
                prompt = self._prompt() if self.use_prompt else ""
            raw = self._decode_guarded(audio[a:b], cancel, self._voice_after(a, own), prompt)
            # Chunk by chunk, so the text so far in later prompts has the terms right too.
            raw = tr.correct_terms(raw, self._terms)
            chunk.decode_s = time.monotonic() - began
            # The chunk's own audio (the pace check asks whether decoding keeps up with the voice).
            chunk.decoded_s = (own - a) / SAMPLE_RATE
            self._place_words(chunk, raw, a / SAMPLE_RATE, (b - a) / SAMPLE_RATE, onset, voice_end, until)
        return chunk

    def _decode_guarded(
        self, samples: Samples, cancel: threading.Event | None, voice_after: VoiceAfter, prompt: str
    ) -> RawResult:
        """Decode with the prompt, in the chunk's own window (encoder_window); when that went round
        in a loop (Whisper's own compression-ratio test, as in `tr.fill_missed`), again in Whisper's
        whole 30 s window; and once more without the text so far (or the vocabulary) when the decode
        still loops or wrote a run of the text so far again (`tr.restarts`)."""
        assert self.decoder is not None
        samples = np.ascontiguousarray(samples)
        raw = self.decoder.decode(samples, prompt=prompt, cancel=cancel, voice_after=voice_after)
        # The short window saves a third to half of a decode but loops more often than the window
        # Whisper was trained on: on six generated 180 s answers, two chunks wrote one piece until
        # the token limit ("set-me-me-me-..."), which the whole window decoded well.
        whole = tr.repetitive(raw)
        if whole:
            raw = self.decoder.decode(
                samples, prompt=prompt, cancel=cancel, voice_after=voice_after, full_window=True
            )
        bare = FILLER_PROMPT if self.use_prompt and self.fillers != "acoustic" else ""
        if prompt != bare and (tr.repetitive(raw) or tr.restarts(raw.words, before=prompt)):
            again = self.decoder.decode(
                samples, prompt=bare, cancel=cancel, voice_after=voice_after, full_window=whole
            )
            if not tr.repetitive(again):
                return again
        return raw

    def _next_onset(self, at: int) -> float:
        """When the voice next starts after sample `at` (seconds; `at` itself if it never does)."""
        first = at // VAD_WINDOW
        after = np.flatnonzero(self._vad.probs[first:] >= VAD_THRESHOLD)
        return (first + int(after[0])) * VAD_WINDOW / SAMPLE_RATE if after.size else at / SAMPLE_RATE

    def _add_chunk(self, chunk: _Chunk) -> None:
        with self._lock:
            self._chunks.append(chunk)
            self._cut = max(self._cut, chunk.end)
            if chunk.words:
                self._text = _join_text(self._chunks)
            text = self._text
            self._check_pace()
        if self.on_partial is not None and chunk.words:
            with contextlib.suppress(Exception):
                self.on_partial(text)

    def _voice_after(self, a: int, b: int) -> VoiceAfter:
        """Seconds of voice in audio[a:b] after a time on the chunk's clock (for the decoder)."""
        probs = self._vad.probs

        def voice_after(t: float) -> float:
            w0 = max(0, int((a + t * SAMPLE_RATE) // VAD_WINDOW))
            w1 = min(len(probs), -(-b // VAD_WINDOW))
            return float(np.count_nonzero(probs[w0:w1] >= VAD_THRESHOLD)) * VAD_WINDOW / SAMPLE_RATE

        return voice_after

    def _place_words(
        self,
        chunk: _Chunk,
        raw: RawResult,
        offset: float,
        limit: float,
        onset: float,
        voice_end: float,
        until: float,
    ) -> None:
        """Move a chunk's words onto the answer's clock, without the ones said in its silence or
        centred after `until` (the lookahead's: the next chunk's)."""
        # Whisper tends to start a chunk's first word at the very start of its audio; nobody
        # speaks before the detector hears a voice.
        moved: dict[int, Word] = {}
        for w in raw.words:
            if (w.start + w.end) / 2 + offset > until:
                continue
            placed = _shift(w, offset, limit, not_before=onset if not moved else 0.0)
            # Text placed wholly in the silence around the voice is invented (often the prompt
            # repeated, or "Thank you." after the last word).
            if placed.end <= onset + SILENT_WORD_S or placed.start >= voice_end - SILENT_WORD_S:
                continue
            moved[id(w)] = placed
            chunk.words.append(placed)
        for text, s, e, words in raw.segments:
            kept = [moved[id(w)] for w in words if id(w) in moved]
            if not kept and words:
                continue
            if len(kept) != len(words):
                text = "".join(w.word for w in kept)
            chunk.segments.append(
                (
                    text,
                    round(min(max(s, 0.0), limit) + offset, 3),
                    round(min(max(e, 0.0), limit) + offset, 3),
                    kept,
                )
            )

    def _voice_extent(self, start: int, end: int) -> tuple[int, int, float, float] | None:
        """The audio to decode for the chunk [start, end), and when its voice starts and ends.

        From LEAD_S before the first voice to TAIL_S after the last, reaching into the silence on
        either side of the chunk if need be (the cut is only GAP_S into a pause), never into
        another chunk's voice. None when there is too little voice to decode.
        """
        probs = self._vad.probs
        first, last = start // VAD_WINDOW, min(-(-end // VAD_WINDOW), len(probs))
        voiced = np.flatnonzero(probs[first:last] >= VAD_THRESHOLD)
        if voiced.size * VAD_WINDOW < MIN_CHUNK_SPEECH_S * SAMPLE_RATE:
            return None
        onset = (first + int(voiced[0])) * VAD_WINDOW
        voice_end = (first + int(voiced[-1]) + 1) * VAD_WINDOW
        margin = round(EDGE_MARGIN_S * SAMPLE_RATE)
        before = np.flatnonzero(probs[:first] >= VAD_THRESHOLD)
        after = np.flatnonzero(probs[last:] >= VAD_THRESHOLD)
        floor = (int(before[-1]) + 1) * VAD_WINDOW + margin if before.size else 0
        ceiling = (last + int(after[0])) * VAD_WINDOW - margin if after.size else len(probs) * VAD_WINDOW
        # After a forced cut the voices meet at the boundary: then the boundary is the limit.
        a = max(onset - round(LEAD_S * SAMPLE_RATE), min(floor, start), 0)
        b = min(voice_end + round(TAIL_S * SAMPLE_RATE), max(ceiling, end), self._length)
        return (a, b, onset / SAMPLE_RATE, voice_end / SAMPLE_RATE) if b > a else None

    def _prompt(self, before: _Chunk | None = None) -> str:
        """The vocabulary before the first chunk; the end of the text so far (and `before`'s, a chunk
        not added yet) before the others.

        The vocabulary before every chunk, ahead of the text so far, raised WER on two generated
        90 s answers from 10.2% and 9.4% to 18.9% and 25.6% (a chunk cut short, invented
        acronyms); before the first chunk only: 10.6% and 10.2%. Later chunks still see the terms
        the student has used, in the text so far.
        """
        whole = self._text if before is None or not before.words else _join_text([*self._chunks, before])
        text = whole[-PROMPT_CHARS:]
        if len(whole) > PROMPT_CHARS and " " in text:
            text = text[text.index(" ") + 1 :]
        lead = "" if text else self.vocabulary
        if self.fillers != "acoustic":
            lead = combine_prompt(lead, FILLER_PROMPT)
        return combine_prompt(lead, text)

    def _check_pace(self) -> None:
        """Give up decoding in the background when it cannot keep up with the student's voice."""
        timed = [c for c in self._chunks if c.decoded_s > 0][-RTF_CHUNKS:]
        if len(timed) < 2 or self._fallback_reason:
            return
        rtf = sum(c.decode_s for c in timed) / sum(c.decoded_s for c in timed)
        if rtf >= self.fallback_rtf:
            self._fallback_reason = f"slow:{rtf:.2f}"

    # --- after the stop -----------------------------------------------------------------------
    def _complete(self, audio: Samples, cancel: threading.Event | None) -> Transcript:

        if audio.size == 0:
            raise NoSpeechError("the recording is empty")
        self._vad.close(audio)
        check_cancel(cancel)
        if self._peak.level_db(audio) < tr.SILENT_PEAK_DB:
            raise NoSpeechError("the recording is silent")
        regions = self._vad.regions(audio.size)
        if sum(e - s for s, e in regions) < tr.MIN_SPEECH_S:
            raise NoSpeechError("no voice in the recording")
        if self.decoder is None:
            # A transcriber that cannot decode chunks: the whole answer, after the stop.
            self.outcome.mode = "after_stop"
            self.outcome.tail_s = round(audio.size / SAMPLE_RATE, 3)
            return transcribe_answer(self.transcriber, audio, cancel=cancel, vocabulary=self._terms)

        before = self._provisional_chunk()
        if before is not None and before.end < audio.size:
            # Decoded while the student spoke: only the audio after it is left.
            self._add_chunk(before)
            self.outcome.provisional = True
        tail_start = self._cut
        if tail_start < audio.size:
            decode_began = time.monotonic()
            extent = self._voice_extent(tail_start, audio.size)
            ahead = self._ahead
            if extent is not None and ahead is not None and ahead[0] == self._ahead_key(extent):
                # Nothing was said since the decode made while the student was quiet: it is the tail.
                ahead[1].start, ahead[1].end = tail_start, audio.size
                self._add_chunk(ahead[1])
                self.outcome.tail_ready = True
            else:
                self._add_chunk(self._decode_chunk((tail_start, audio.size), audio, cancel, extent))
            self.outcome.tail_decode_s = round(time.monotonic() - decode_began, 3)
        check_cancel(cancel)
        self._summarise(audio, tail_start)
        frames = self._frames.close(audio)
        raw = tr.RawResult(
            words=[w for c in self._chunks for w in c.words],
            segments=[s for c in self._chunks for s in c.segments],
        )
        return tr.build_transcript(
            audio,
            raw,
            regions,
            engine=self.decoder.engine,
            model=self.decoder.model_name,
            fillers=self.fillers,
            frames=frames,
            pitch=self._pitch.known(),
            sounds=self._sounds,
        )

    def _summarise(self, audio: Samples, tail_start: int) -> None:
        during = [c for c in self._chunks if c.start < tail_start and c.decoded_s > 0]
        outcome = self.outcome
        outcome.chunks = sum(1 for c in self._chunks if c.decoded_s > 0)
        outcome.tail_s = round((audio.size - tail_start) / SAMPLE_RATE, 3)
        outcome.spans = [(c.start / SAMPLE_RATE, c.end / SAMPLE_RATE) for c in self._chunks]
        if during:
            outcome.decode_rtf = round(sum(c.decode_s for c in during) / sum(c.decoded_s for c in during), 3)
        reason = self._fallback_reason
        if reason.startswith("slow:"):
            rtf = float(reason.split(":", 1)[1])
            outcome.mode = "after_stop"
            outcome.message = (
                f"This computer could not transcribe while you spoke (decoding took {rtf:.1f} s per "
                f"second of speech), so the last {outcome.tail_s:.0f} s were transcribed after you "
                "stopped."
            )
        elif reason == "error":
            outcome.mode = "after_stop"
            outcome.message = (
                f"Transcribing while you spoke failed ({type(self._error).__name__}: {self._error}); "
                "the rest of the answer was transcribed after you stopped."
            )


def _shift(w: Word, offset: float, limit: float, *, not_before: float = 0.0) -> Word:
    """`w` on the answer's clock; `not_before` is on the answer's clock too."""
    start = min(max(w.start, 0.0), limit)
    end = min(max(w.end, start), limit)
    if not_before > start + offset and end + offset > not_before:
        start = not_before - offset
    return Word(
        word=w.word, start=round(start + offset, 3), end=round(end + offset, 3), probability=w.probability
    )


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _join_text(chunks: list[_Chunk]) -> str:
    return " ".join(text.strip() for c in chunks for text, *_ in c.segments if text.strip())
