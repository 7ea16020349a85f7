"""Transcription while recording: the incremental detector and frame features match the whole-answer
ones, chunks are cut in silence with every word kept once, slow decoding falls back to after the stop,
and with the real tiny.en weights (both engines, and through PortAudio) the streamed transcript
agrees with the whole-file one."""

from __future__ import annotations

import difflib
import itertools
import re
import threading
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf

from interviewcoach.core import session
from interviewcoach.core.audio.recorder import SoundDeviceRecorder
from interviewcoach.core.errors import Cancelled, NoSpeechError
from interviewcoach.core.models import Transcript, Word
from interviewcoach.core.protocols import Transcriber
from interviewcoach.core.session import Services
from interviewcoach.core.speech import acoustics as delivery_audio
from interviewcoach.core.speech import streaming
from interviewcoach.core.speech import transcribe as tr
from interviewcoach.core.speech.chunk_decoder import VoiceAfter
from interviewcoach.core.speech.incremental import IncrementalFrames, IncrementalPeak, IncrementalVad
from interviewcoach.core.speech.streaming import LOOKAHEAD_S, PROVISIONAL_TAIL_S, StreamingTranscriber
from interviewcoach.core.speech.transcribe import RawResult
from interviewcoach.core.speech.vocabulary import LEAD
from tests.audio_rig import PulseMic, wait_for
from tests.speech import Clip, Piece, Say, Silence, SpeechMaker

Samples = npt.NDArray[np.float32]
RATE = 16000
BLOCK = 800  # the recorder's 50 ms blocks

SENTENCES = (
    "My first score was lower than I wanted.",
    "I changed how I studied.",
    "I did questions every morning before clinic.",
    "My second score went up by twenty points.",
    "I spent a month on the radiology service.",
    "I learned to place drains and ports.",
    "That month showed me how much I enjoy procedures.",
    "I am ready for the next step.",
)


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> SpeechMaker:
    return SpeechMaker(tmp_path_factory.mktemp("speech"))


@pytest.fixture(scope="module")
def answer(speech: SpeechMaker) -> Clip:
    """~23 s: eight sentences with half-second pauses (three chunks at the default sizes)."""
    pieces: list[Piece | str] = []
    for sentence in SENTENCES:
        pieces += [Say(sentence), Silence(0.5)]
    return speech.clip(pieces[:-1])


@pytest.fixture(scope="module")
def worded(speech: SpeechMaker) -> Clip:
    """Every word its own piece, so each word's time is known: sentences with pauses between."""
    pieces: list[Piece | str] = []
    for sentence in SENTENCES[:6]:
        pieces += [Say(w) for w in sentence.rstrip(".").split()]
        pieces.append(Silence(0.45))
    return speech.clip(pieces[:-1], join_s=0.06)


@pytest.fixture(scope="module")
def short_worded(speech: SpeechMaker) -> Clip:
    """The first three sentences of `worded` (~8 s): three chunks when every pause is a cut."""
    pieces: list[Piece | str] = []
    for sentence in SENTENCES[:3]:
        pieces += [Say(w) for w in sentence.rstrip(".").split()]
        pieces.append(Silence(0.45))
    return speech.clip(pieces[:-1], join_s=0.06)


@pytest.fixture(scope="module")
def short_answer(speech: SpeechMaker) -> Clip:
    """~12 s: the first four sentences of `answer`."""
    pieces: list[Piece | str] = []
    for sentence in SENTENCES[:4]:
        pieces += [Say(sentence), Silence(0.5)]
    return speech.clip(pieces[:-1])


def feed(stream: StreamingTranscriber, samples: Samples, *, realtime: float = 0.0) -> None:
    start = time.monotonic()
    for i in range(0, len(samples), BLOCK):
        stream.feed(samples[i : i + BLOCK])
        if realtime:
            time.sleep(max(0.0, start + (i + BLOCK) / RATE / realtime - time.monotonic()))


def bare(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


# ---------------------------------------------------------------------------- an ideal recogniser


class IdealDecoder:
    """Stands in for Whisper: finds the chunk in the clip and returns the words whose middle is in it.

    A word cut by a chunk boundary would still come out once, so the tests also check that no cut
    falls inside a word. `rtf` makes decoding take that many seconds per second of audio.
    """

    engine = "ideal"
    model_name = "ground-truth"

    def __init__(self, clip: Clip, *, rtf: float = 0.0, slow_calls: int = 2, extra: str = "") -> None:
        self.samples = clip.samples()
        self.words = clip.text.split()
        self.spans = clip.spoken
        self.rtf = rtf
        self.slow_calls = slow_calls  # only the first calls are slow, to keep the tests short
        self.extra = extra  # said after the voice in every chunk (an invented "Thank you.")
        self.calls: list[tuple[float, float, str]] = []
        self.full_windows: list[bool] = []  # per call: asked for Whisper's whole 30 s window
        self._bytes = self.samples.tobytes()

    def locate(self, audio: Samples) -> int:
        voiced = np.flatnonzero(np.abs(audio) > 1e-3)
        first = int(voiced[0]) if voiced.size else 0
        needle = audio[first:].tobytes()  # all of it: single words repeat, chunks do not
        at = self._bytes.find(needle)
        while at >= 0 and at % 4:
            at = self._bytes.find(needle, at + 1)
        assert at >= 0, "chunk audio is not in the clip"
        return at // 4 - first

    def decode(
        self,
        audio: Samples,
        *,
        prompt: str,
        cancel: threading.Event | None,
        voice_after: VoiceAfter | None = None,
        full_window: bool = False,
    ) -> RawResult:
        offset = self.locate(audio) / RATE
        end = offset + len(audio) / RATE
        self.calls.append((offset, end, prompt))
        self.full_windows.append(full_window)
        if self.rtf and len(self.calls) <= self.slow_calls:
            time.sleep(self.rtf * len(audio) / RATE)
        words = [
            Word(word=" " + w, start=round(s - offset, 3), end=round(e - offset, 3))
            for w, (s, e) in zip(self.words, self.spans, strict=True)
            if offset <= (s + e) / 2 < end
        ]
        if words and self.extra:
            # Whisper's invented tail: timed from a little after the last word to the chunk's end.
            start = words[-1].end + 0.1
            words.append(Word(word=" " + self.extra, start=start, end=max(start + 0.1, len(audio) / RATE)))
        text = "".join(w.word for w in words)
        return RawResult(words=words, segments=[(text, 0.0, len(audio) / RATE, words)] if words else [])


class NoWholeFile:
    """The transcriber argument for streams with a decoder: must never be asked for a whole file."""

    engine = "ideal"
    model_name = "ground-truth"

    def load(self) -> None:
        pass

    def transcribe(self, audio: object, *, cancel: threading.Event | None = None) -> Transcript:
        raise AssertionError("whole-file transcription was not expected")


def ideal_stream(decoder: IdealDecoder, **options: object) -> StreamingTranscriber:
    return StreamingTranscriber(NoWholeFile(), decoder=decoder, **options)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- incremental analysis


@pytest.mark.parametrize("seed", [0, 1])
def test_detector_probabilities_and_regions_equal_the_whole_answer(answer: Clip, seed: int) -> None:
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(RATE).astype(np.float32) * 0.02
    samples = np.concatenate([answer.samples(), np.zeros(7777, np.float32), noise, answer.samples()[:5000]])
    vad = IncrementalVad()
    at = 0
    while at < len(samples):  # blocks of any size, as a recorder delivers them
        at = min(len(samples), at + int(rng.integers(1, 4000)))
        vad.advance(samples, at)
    vad.close(samples)
    assert vad.regions(len(samples)) == delivery_audio.speech_regions(samples)
    assert len(vad.regions(len(samples))) >= len(SENTENCES)


def test_frame_features_and_peak_level_equal_the_whole_answer(answer: Clip) -> None:
    samples = answer.samples()[: 9 * RATE + 123]
    frames = IncrementalFrames()
    peak = IncrementalPeak()
    for at in range(BLOCK, len(samples), BLOCK):
        frames.advance(samples, at)
        peak.advance(samples, at)
    assert peak.level_db(samples) == delivery_audio.peak_level_db(samples)
    short = np.zeros(100, np.float32)
    assert IncrementalPeak().level_db(short) == delivery_audio.peak_level_db(short)
    got = frames.close(samples)
    want = delivery_audio.frame_features(samples)
    assert len(got) == len(want) > 800
    for name in ("energy_db", "periodicity", "f0", "mel"):
        np.testing.assert_allclose(getattr(got, name), getattr(want, name), rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------------------- chunks and boundaries


@pytest.mark.parametrize(
    ("min_chunk_s", "max_chunk_s"),
    [(10.0, 20.0), (1.0, 20.0), (0.5, 2.5)],
    ids=["default", "every-pause", "forced-cuts"],
)
def test_every_word_once_in_order_and_no_cut_inside_a_word(
    worded: Clip, min_chunk_s: float, max_chunk_s: float
) -> None:
    decoder = IdealDecoder(worded)
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=min_chunk_s, max_chunk_s=max_chunk_s)
    feed(stream, worded.samples())
    transcript = stream.finish()

    assert [bare(w.word) for w in transcript.words] == [bare(w) for w in worded.text.split()]
    for got, (start, end) in zip(transcript.words, worded.spoken, strict=True):
        assert got.end == pytest.approx(end, abs=0.002)
        assert got.start == pytest.approx(start, abs=0.05)  # snapped to the detector's onset at most
    spans = stream.outcome.spans
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start  # no audio in two chunks; only silence skipped between them
        assert not any(s < start and e > end for s, e in worded.spoken)
    assert spans[-1][1] == pytest.approx(worded.duration_s)
    cuts = [end for _, end in spans[:-1]]
    assert len(cuts) >= (2 if min_chunk_s < 10 else 1)
    for cut in cuts:
        assert not any(s < cut < e for s, e in worded.spoken), f"cut at {cut:.2f} s inside a word"
    assert stream.outcome.mode == "streamed" and stream.outcome.message == ""


def test_chunks_leave_out_their_silences_and_prompt_with_the_text_so_far(worded: Clip) -> None:
    # Without the lookahead, so that each decode is one chunk's audio.
    decoder = IdealDecoder(worded)
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=1.0, lookahead_s=0.0)
    feed(stream, worded.samples())
    stream.finish()
    texts = [
        " ".join(w for w, (s, e) in zip(worded.text.split(), worded.spoken, strict=True) if a <= s < b)
        for a, b, _ in decoder.calls
    ]
    assert decoder.calls[0][2] == ""
    for (_, _, prompt), before in zip(decoder.calls[1:], texts, strict=False):
        assert prompt.endswith(before)
    # Decoded from just before the first word to just after the last: not the pauses between.
    for start, end, _ in decoder.calls:
        inside = [(s, e) for s, e in worded.spoken if start <= s < end]
        assert inside[0][0] - start <= 0.25
        assert end - inside[-1][1] <= 0.4


def test_each_chunk_is_decoded_with_the_audio_after_it_and_leaves_those_words_to_the_next(
    worded: Clip,
) -> None:
    decoder = IdealDecoder(worded)
    # No provisional chunks: every chunk waits for its whole lookahead.
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=1.0, lookahead_s=2.0, provisional_s=None)
    feed(stream, worded.samples())
    transcript = stream.finish()

    said = worded.text.split()
    assert [bare(w.word) for w in transcript.words] == [bare(w) for w in said]
    spans = stream.outcome.spans
    assert len(decoder.calls) == len(spans) >= 3
    for (_, end, _), (_, cut) in zip(decoder.calls[:-1], spans[:-1], strict=True):
        assert end == pytest.approx(cut + 2.0, abs=0.01)  # decoded on for 2 s past its cut
        # ...where the decoder heard words that the next chunk gives.
        assert any(cut < s and (s + e) / 2 < end for s, e in worded.spoken)
    assert decoder.calls[-1][1] == pytest.approx(worded.duration_s, abs=0.01)
    # Each prompt is the text of the chunks before, never words heard only in a lookahead.
    for (_, _, prompt), (chunk_start, _) in zip(decoder.calls[1:], spans[1:], strict=True):
        before = [w for w, (s, _) in zip(said, worded.spoken, strict=True) if s < chunk_start]
        assert prompt.split()[-3:] == before[-3:]


class PromptedFaultDecoder(IdealDecoder):
    """Decodes one chunk (call `at`, and the `faults - 1` calls after it) wrongly when prompted with
    the text before it, as tiny.en did on some prompted decodes; decodes it well without that prompt."""

    at = 0
    faults = 1

    def decode(
        self,
        audio: Samples,
        *,
        prompt: str,
        cancel: threading.Event | None,
        voice_after: VoiceAfter | None = None,
        full_window: bool = False,
    ) -> RawResult:
        raw = super().decode(
            audio, prompt=prompt, cancel=cancel, voice_after=voice_after, full_window=full_window
        )
        if not self.at <= len(self.calls) < self.at + self.faults or not prompt:
            return raw
        return self.fault(prompt)

    def fault(self, prompt: str) -> RawResult:
        raise NotImplementedError


class LoopingDecoder(PromptedFaultDecoder):
    """Goes round in a loop ("the the the ...") on the second chunk, in its own window only."""

    at = 2

    def fault(self, prompt: str) -> RawResult:
        loop = [Word(word=" the", start=0.3 + 0.02 * i, end=0.31 + 0.02 * i) for i in range(40)]
        return RawResult(words=loop, segments=[("".join(w.word for w in loop), 0.0, 1.2, loop)])


class AlwaysLoopingDecoder(LoopingDecoder):
    """Loops on the second chunk whenever the text before it is the prompt, in either window."""

    faults = 2


def test_a_chunk_decoded_in_a_loop_is_decoded_again_in_the_whole_window(worded: Clip) -> None:
    decoder = LoopingDecoder(worded)
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=1.0, lookahead_s=1.0)
    feed(stream, worded.samples())
    transcript = stream.finish()
    assert [bare(w.word) for w in transcript.words] == [bare(w) for w in worded.text.split()]
    (a1, b1, prompt), (a2, b2, again) = decoder.calls[1:3]
    # Same audio, same prompt; only the encoder's window differs.
    assert prompt and again == prompt and (a1, b1) == (a2, b2)
    assert decoder.full_windows[1:4] == [False, True, False]
    assert not any(decoder.full_windows[3:])


def test_a_chunk_still_looping_in_the_whole_window_is_decoded_again_without_the_text_before_it(
    worded: Clip,
) -> None:
    decoder = AlwaysLoopingDecoder(worded)
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=1.0, lookahead_s=1.0)
    feed(stream, worded.samples())
    transcript = stream.finish()
    assert [bare(w.word) for w in transcript.words] == [bare(w) for w in worded.text.split()]
    (a1, b1, prompt), (_, _, same), (a3, b3, again) = decoder.calls[1:4]
    assert prompt and same == prompt and again == "" and (a1, b1) == (a3, b3)
    assert decoder.full_windows[1:4] == [False, True, True]


class RestartingDecoder(PromptedFaultDecoder):
    """Writes the text before the third chunk again over it."""

    at = 3

    def fault(self, prompt: str) -> RawResult:
        said = prompt.split()[-8:]
        words = [Word(word=" " + w, start=0.2 + 0.3 * i, end=0.45 + 0.3 * i) for i, w in enumerate(said)]
        return RawResult(words=words, segments=[(" " + " ".join(said), 0.2, words[-1].end, words)])


def test_a_chunk_decoded_into_the_text_before_it_is_decoded_again_without_that_text(worded: Clip) -> None:
    decoder = RestartingDecoder(worded)
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=1.0, lookahead_s=1.0)
    feed(stream, worded.samples())
    transcript = stream.finish()
    assert [bare(w.word) for w in transcript.words] == [bare(w) for w in worded.text.split()]
    (a1, b1, prompt), (a2, b2, again) = decoder.calls[2:4]
    assert len(prompt.split()) >= 8 and again == "" and (a1, b1) == (a2, b2)


def test_the_first_chunk_is_prompted_with_the_vocabulary_the_others_with_the_text_so_far(
    worded: Clip,
) -> None:
    decoder = IdealDecoder(worded)
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=1.0, vocabulary=["ESIR", "Y-90"])
    feed(stream, worded.samples())
    stream.finish()
    assert len(decoder.calls) >= 3
    # The first chunk may be decoded twice (provisionally, then with its whole lookahead).
    opening = decoder.calls[0][0]
    firsts = [prompt for start, _, prompt in decoder.calls if start == opening]
    later = [prompt for start, _, prompt in decoder.calls if start != opening]
    assert firsts and set(firsts) == {LEAD + "ESIR, Y-90."}
    assert len(later) >= 2
    for prompt in later:
        assert prompt and "ESIR" not in prompt  # the words before the chunk, without the vocabulary


def test_text_invented_in_the_silence_after_the_voice_is_dropped(worded: Clip) -> None:
    stream = ideal_stream(IdealDecoder(worded, extra="Thanks."), threaded=False, min_chunk_s=1.0)
    feed(stream, worded.samples())
    transcript = stream.finish()
    assert "thanks" not in {bare(w.word) for w in transcript.words}
    assert len(transcript.words) == len(worded.text.split())


def test_the_last_chunk_is_decoded_while_the_student_is_quiet_before_the_stop(worded: Clip) -> None:
    # Quiet for a second before pressing stop: the audio since the last cut was decoded then, so
    # the stop decodes nothing and the transcript is the same as when it decodes the tail itself.
    # (Chunks of 8 s: the last sentences are left over when the voice stops.)
    quiet = np.concatenate([worded.samples(), np.zeros(RATE, np.float32)])
    decoder = IdealDecoder(worded)
    decoder._bytes = quiet.tobytes()  # the stand-in finds each chunk in the audio as recorded
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=8.0)
    feed(stream, quiet)
    decoded_before_stop = len(decoder.calls)
    transcript = stream.finish()
    assert stream.outcome.tail_ready and len(decoder.calls) == decoded_before_stop
    assert [bare(w.word) for w in transcript.words] == [bare(w) for w in worded.text.split()]

    # Stopped at once (the clip ends 0.3 s after the voice): the tail is decoded after the stop.
    decoder = IdealDecoder(worded)
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=8.0)
    feed(stream, worded.samples())
    decoded_before_stop = len(decoder.calls)
    again = stream.finish()
    assert not stream.outcome.tail_ready and len(decoder.calls) == decoded_before_stop + 1
    assert [(w.word, w.start, w.end) for w in again.words] == [
        (w.word, w.start, w.end) for w in transcript.words
    ]


def test_a_provisional_chunk_may_be_shorter_than_a_chunk_so_the_stop_decodes_less(worded: Clip) -> None:
    # Stopped 0.3 s into the pause after the fifth sentence, 9 s after the last cut: no pause 8 s
    # after the cut has the second of audio after it a provisional chunk needs, so with provisional
    # chunks as long as chunks the stop decodes all 9 s; from 2 s, only the last sentence.
    pauses = [a for a, b in worded.silences if b - a > 0.3]
    stop = round((pauses[4] + 0.3) * RATE)
    runs = {}
    for shortest in (8.0, 2.0):
        decoder = IdealDecoder(worded)
        stream = ideal_stream(decoder, threaded=False, min_chunk_s=8.0, provisional_min_s=shortest)
        feed(stream, worded.samples()[:stop])
        decoded_before_stop = len(decoder.calls)
        transcript = stream.finish()
        runs[shortest] = (stream.outcome, decoder.calls[decoded_before_stop:], transcript)
    (long_, long_after, long_words), (short, short_after, short_words) = runs[8.0], runs[2.0]
    assert not long_.provisional and short.provisional
    assert len(long_after) == len(short_after) == 1
    last_cut = long_.spans[-1][0]
    assert short.spans[-2][0] == last_cut and short.spans[-2][1] - last_cut < 8.0
    assert short.tail_s < long_.tail_s - 3.0
    assert short_after[0][0] > long_after[0][0] + 3.0
    spoken = [bare(w) for s in SENTENCES[:5] for w in s.rstrip(".").split()]
    assert [bare(w.word) for w in short_words.words] == [bare(w.word) for w in long_words.words] == spoken


def test_a_short_provisional_chunk_is_not_decoded_again_when_it_would_hear_nothing_new(worded: Clip) -> None:
    # 2 s of lookahead: the provisional chunk that ends at the second pause (7.3 s) has all of it
    # by 9.3 s, but is no chunk (8 s at least) until the third pause comes (11.4 s). In between,
    # decoding it again would hear the same audio with the same prompt.
    class Counted(IdealDecoder):
        def decode(self, audio: Samples, **options: object) -> RawResult:
            assert len(self.calls) < 100, "decoded over and over"
            return super().decode(audio, **options)  # type: ignore[arg-type]

    decoder = Counted(worded)
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=8.0, provisional_min_s=2.0, lookahead_s=2.0)
    feed(stream, worded.samples())
    transcript = stream.finish()
    decodes = [(round(start, 2), round(end, 2), prompt) for start, end, prompt in decoder.calls]
    assert len(set(decodes)) == len(decodes)
    assert [bare(w.word) for w in transcript.words] == [bare(w) for w in worded.text.split()]


def test_a_chunk_decoded_before_its_whole_lookahead_leaves_the_stop_only_the_audio_after_it(
    worded: Clip,
) -> None:
    # Stopped 0.3 s after the voice: the chunk before the tail has 1 s and more of audio after its
    # cut, not the whole 6 s lookahead; it was decoded provisionally with what there was.
    runs = {}
    for provisional_s in (None, 1.0):
        decoder = IdealDecoder(worded)
        stream = ideal_stream(decoder, threaded=False, min_chunk_s=8.0, provisional_s=provisional_s)
        feed(stream, worded.samples())
        decoded_before_stop = len(decoder.calls)
        transcript = stream.finish()
        runs[provisional_s] = (stream.outcome, decoder.calls[decoded_before_stop:], decoder.calls, transcript)
    (plain, plain_after, _, plain_words), (split, split_after, calls, split_words) = runs[None], runs[1.0]
    assert not plain.provisional and split.provisional
    assert len(plain_after) == len(split_after) == 1
    # The stop decoded only what followed the provisional chunk.
    cut = split.spans[-2][1]
    assert split_after[0][0] >= split.spans[-2][0] + 1.0 and split.tail_s < plain.tail_s - 1.0
    assert any(end < cut + LOOKAHEAD_S - 0.5 for start, end, _ in calls if start < cut)
    assert [bare(w.word) for w in split_words.words] == [bare(w) for w in worded.text.split()]
    for got, want in zip(split_words.words, plain_words.words, strict=True):
        # The same words and ends; a first word's start snaps to its chunk's onset (cuts differ).
        assert (got.word, got.end) == (want.word, want.end)
        assert got.start == pytest.approx(want.start, abs=0.05)


def test_a_provisional_chunk_is_decoded_again_only_once_a_stop_would_leave_its_budget_after_it(
    worded: Clip,
) -> None:
    # No chunk is cut in this 24 s clip (30 s at least): every decode before the stop is of the
    # provisional chunk from its start, ending at a later pause each time.
    def decoded_at(budget: float, samples: Samples) -> tuple[list[float], StreamingTranscriber]:
        heard: list[float] = []

        class Timed(IdealDecoder):
            def decode(self, audio: Samples, **options: object) -> RawResult:
                heard.append(stream.state().received_s)
                return super().decode(audio, **options)  # type: ignore[arg-type]

        stream = ideal_stream(
            Timed(worded), threaded=False, min_chunk_s=30.0, provisional_min_s=1.0, provisional_tail_s=budget
        )
        feed(stream, samples)
        return heard, stream

    samples = worded.samples()
    often, often_stream = decoded_at(2.0, samples)
    budget = PROVISIONAL_TAIL_S
    sparing, sparing_stream = decoded_at(budget, samples)
    assert 2 <= len(sparing) < len(often)
    for at in sparing[1:]:
        # Stopped just before that decode, the stop would have had the budget and more to decode.
        _, before = decoded_at(budget, samples[: round(at * RATE) - BLOCK])
        before.finish()
        assert before.outcome.provisional and before.outcome.tail_s >= budget - BLOCK / RATE - 0.01
    for stream in (often_stream, sparing_stream):
        assert [bare(w.word) for w in stream.finish().words] == [bare(w) for w in worded.text.split()]


def test_the_words_so_far_are_handed_on_after_each_chunk_until_the_stop(worded: Clip) -> None:
    seen: list[list[str]] = []
    stream = ideal_stream(
        IdealDecoder(worded),
        threaded=False,
        min_chunk_s=1.0,
        on_words=lambda ws: seen.append([w.word for w in ws]),
    )
    feed(stream, worded.samples())
    before_stop = len(seen)
    transcript = stream.finish()
    assert before_stop >= 3 and len(seen) == before_stop  # nothing after the stop
    final = [w.word for w in transcript.words]
    for words in seen:
        assert [bare(w) for w in words] == [bare(w) for w in final[: len(words)]]  # the answer so far


def test_slow_decoding_falls_back_to_transcribing_after_the_stop(short_worded: Clip) -> None:
    # Decoding at 0.35 s per second of audio against a limit of 0.3: the real limit (0.9) would
    # only make the test slower.
    # Without the lookahead, so that this short answer makes two chunks before its end.
    decoder = IdealDecoder(short_worded, rtf=0.35)
    stream = ideal_stream(decoder, threaded=False, min_chunk_s=1.0, fallback_rtf=0.3, lookahead_s=0.0)
    feed(stream, short_worded.samples())
    state = stream.state()
    assert state.fallback and not state.keeping_up
    assert state.pending_s > 3.0  # the rest waits for the stop
    decoded_before_stop = len(decoder.calls)
    assert decoded_before_stop == 2  # two chunks show the pace; then no more decoding in the background
    transcript = stream.finish()

    assert len(decoder.calls) == decoded_before_stop + 1  # the rest, in one piece, after the stop
    assert [bare(w.word) for w in transcript.words] == [bare(w) for w in short_worded.text.split()]
    outcome = stream.outcome
    assert outcome.mode == "after_stop"
    assert "could not transcribe while you spoke" in outcome.message
    assert outcome.tail_s == pytest.approx(short_worded.duration_s - decoder.calls[1][1], abs=0.6)


@pytest.mark.slow
def test_threaded_stream_reports_progress_and_falls_behind(short_worded: Clip) -> None:
    decoder = IdealDecoder(short_worded, rtf=0.3)
    seen: list[str] = []
    stream = ideal_stream(decoder, min_chunk_s=1.0, fallback_rtf=5.0, on_partial=seen.append)
    feed(stream, short_worded.samples())  # faster than real time: the decoder falls behind
    assert stream.state().received_s == pytest.approx(short_worded.duration_s, abs=0.06)
    assert wait_for(lambda: stream.state().chunks >= 1, timeout=20)
    state = stream.state()
    assert state.pending_s > 0 and not state.fallback
    assert state.transcribed_s + state.pending_s == pytest.approx(state.received_s, abs=0.01)
    transcript = stream.finish()
    assert seen and short_worded.text.split()[0] in seen[0]
    assert len(transcript.words) == len(short_worded.text.split())
    assert stream.outcome.mode == "streamed"


def test_silence_and_discarded_answers(speech: SpeechMaker, worded: Clip) -> None:
    stream = ideal_stream(IdealDecoder(worded), threaded=False)
    feed(stream, np.zeros(3 * RATE, np.float32))
    with pytest.raises(NoSpeechError):
        stream.finish()

    stream = ideal_stream(IdealDecoder(worded))
    feed(stream, worded.samples()[: 2 * RATE])
    stream.close()
    stream.feed(worded.samples()[:BLOCK])  # ignored after close
    assert stream.state().received_s == pytest.approx(2.0)
    with pytest.raises(RuntimeError):
        stream.finish()


def test_cancel_while_finishing(worded: Clip) -> None:
    stream = ideal_stream(IdealDecoder(worded, rtf=0.3), min_chunk_s=1.0)
    feed(stream, worded.samples())
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        stream.finish(cancel)


# ---------------------------------------------------------------------------- the real engines


@pytest.fixture(scope="module")
def fw() -> Transcriber:
    transcriber = tr.make_transcriber("faster-whisper")
    transcriber.load()
    return transcriber


def _agreement(whole: Transcript, streamed: Transcript) -> tuple[float, list[tuple[Word, Word]]]:
    a = [bare(w.word) for w in whole.words]
    b = [bare(w.word) for w in streamed.words]
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    pairs = [
        (whole.words[i], streamed.words[j])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag == "equal"
        for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
    ]
    return matcher.ratio(), pairs


@pytest.mark.slow
def test_streamed_and_whole_file_transcripts_agree(fw: Transcriber, answer: Clip) -> None:
    samples = answer.samples()
    whole = fw.transcribe(samples)
    stream = StreamingTranscriber(fw, threaded=False)
    feed(stream, samples)
    streamed = stream.finish()
    assert stream.outcome.chunks >= 2

    # tiny.en itself changes a word or two when the same audio starts 30 ms later, so the two
    # decodes agree on nearly every word, not all; where they agree, the times agree.
    ratio, pairs = _agreement(whole, streamed)
    assert ratio >= 0.9
    # Rounded to the millisecond: Whisper's times are multiples of 20 ms, and 1.34 - 1.24 is
    # 0.10000000000000009 in floating point, which must count as within 0.1 s.
    diffs = np.round([max(abs(w.start - s.start), abs(w.end - s.end)) for w, s in pairs], 3)
    assert np.median(diffs) <= 0.03
    assert np.mean(diffs <= 0.1) >= 0.9
    # Where they differ most, at the first word after a pause, the streamed time is as close to
    # the truth as the whole-file one, or closer (Whisper often starts an answer's first word at 0).
    mine, theirs = (
        np.array([abs(next(w for w in t.words if w.end > start).start - start) for start, _ in answer.spoken])
        for t in (streamed, whole)
    )
    # 0.25 s was exceeded once by 6 ms on a loaded machine: the bound guards against chunk-offset
    # errors (whole seconds), not against Whisper's own timing jitter.
    assert mine.max() <= 0.3
    assert mine.mean() <= theirs.mean() + 0.02
    # Delivery is measured over the whole answer as before.
    assert streamed.pauses == whole.pauses
    assert streamed.duration_s == whole.duration_s
    assert streamed.speech_s == pytest.approx(whole.speech_s, abs=0.35)
    assert streamed.engine == "faster-whisper"


@pytest.mark.openai
@pytest.mark.slow
def test_openai_whisper_streams_too(answer: Clip) -> None:
    pytest.importorskip("whisper", reason="the openai-whisper engine is not installed")
    ow = tr.make_transcriber("openai-whisper")
    ow.load()
    stream = StreamingTranscriber(ow, threaded=False)
    feed(stream, answer.samples())
    streamed = stream.finish()
    assert stream.outcome.chunks >= 2 and streamed.engine == "openai-whisper"
    said = [bare(w) for w in answer.text.split()]
    ratio = difflib.SequenceMatcher(a=said, b=[bare(w.word) for w in streamed.words], autojunk=False).ratio()
    assert ratio >= 0.85


# ---------------------------------------------------------------------------- through the recorder


@pytest.mark.slow
def test_a_listener_added_late_still_gets_the_whole_recording(
    pulse_mic: PulseMic, short_speech_clip: Clip, tmp_path: Path
) -> None:
    recording = SoundDeviceRecorder().start(tmp_path / "a.wav", max_seconds=30.0)
    try:
        player = pulse_mic.play(short_speech_clip.path)
        assert wait_for(lambda: recording.elapsed_s >= 1.0)
        got: list[Samples] = []
        recording.add_listener(got.append)
        failing: list[Samples] = []

        def fail_on_second_block(block: Samples) -> None:
            failing.append(block)
            if len(failing) > 1:
                raise RuntimeError("a listener's bug")

        recording.add_listener(fail_on_second_block)  # dropped after it raises; nothing else happens
        player.wait(timeout=30)
    finally:
        answer_file = recording.stop()
    stored, _ = sf.read(answer_file.path, dtype="float32")
    assert len(got) > 2 and got[0].size >= RATE  # the replay, then live blocks
    np.testing.assert_array_equal(np.concatenate(got), stored)
    assert len(failing) == 2


@pytest.mark.slow
def test_an_answer_through_portaudio_is_transcribed_while_recorded(
    pulse_mic: PulseMic, short_answer: Clip, fw: Transcriber, bank: object, rubrics: object, tmp_path: Path
) -> None:
    services = Services(
        bank=bank,  # type: ignore[arg-type]
        rubrics=rubrics,  # type: ignore[arg-type]
        data_dir=tmp_path,
        transcriber=fw,
        recorder=SoundDeviceRecorder(),
    )
    assert services.recorder is not None
    recording = services.recorder.start(tmp_path / "answer.wav", max_seconds=60)
    try:
        stream = session.stream_answer(services, recording)
        assert stream is not None
        pulse_mic.play(short_answer.path).wait(timeout=60)
    finally:
        recorded = recording.stop()
    question = services.bank.get("low-score")
    result = session.transcribe_and_score(services, question, recorded.path, stream=stream)

    assert result.transcript is not None and result.metrics.duration_s is not None
    # The stream heard exactly what the WAV holds.
    assert stream.state().received_s == pytest.approx(recorded.duration_s, abs=1e-3)
    np.testing.assert_array_equal(stream._audio[: stream._length], sf.read(recorded.path, dtype="float32")[0])
    said = [bare(w) for w in short_answer.text.split()]
    heard = [bare(w.word) for w in result.transcript.words]
    assert difflib.SequenceMatcher(a=said, b=heard, autojunk=False).ratio() >= 0.85, (
        result.transcript.text,
        stream.outcome,
    )
    assert stream.outcome.chunks >= 1 and stream.outcome.message in ("", stream.outcome.message)


def test_streaming_needs_a_tap_and_a_whisper_transcriber(
    bank: object, rubrics: object, tmp_path: Path
) -> None:
    class NoTap:
        path = tmp_path / "x.wav"

    services = Services(bank=bank, rubrics=rubrics, data_dir=tmp_path, transcriber=NoWholeFile())  # type: ignore[arg-type]
    assert session.stream_answer(services, NoTap()) is None  # type: ignore[arg-type]
    services.transcriber = tr.make_transcriber()
    assert session.stream_answer(services, NoTap()) is None  # type: ignore[arg-type]


def test_audio_waiting_for_its_lookahead_is_not_falling_behind(
    worded: Clip, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A chunk waits for the lookahead after it before it is decoded; that wait is not the decoder
    # falling behind. Scaled down: "behind" from 2 s, a 3 s lookahead, chunks from 1 s.
    monkeypatch.setattr(streaming, "BEHIND_S", 2.0)
    stream = ideal_stream(IdealDecoder(worded), threaded=False, min_chunk_s=1.0, lookahead_s=3.0)
    feed(stream, worded.samples()[: round(3.5 * RATE)])
    state = stream.state()
    assert state.chunks == 0 and state.pending_s > 3.0  # nothing could be decoded yet
    assert state.keeping_up
    stream.close()
