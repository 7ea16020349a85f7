"""Voice activity and frame features of an answer computed as it arrives, equal to the whole-answer ones.

`delivery_audio` measures an answer in one pass over the finished recording: Silero voice activity
for speech regions and pauses, 10 ms frame features for filled pauses. For a long answer that pass
costs about a second after the stop. Both are causal (a window or frame depends only on audio up to
its end, and Silero's recurrent state can be carried over), so they are computed here block by block
while the student speaks, with results identical to the single pass.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from interviewcoach.core.speech import acoustics as delivery_audio
from interviewcoach.core.speech import prosody

Samples = npt.NDArray[np.float32]
FloatArray = npt.NDArray[np.float64]

SAMPLE_RATE = 16000
# Silero VAD scores 32 ms windows, each seen with the last 4 ms of the window before it.
VAD_WINDOW = 512
VAD_CONTEXT = 64
VAD_THRESHOLD = 0.5
VAD_NEG_THRESHOLD = 0.35  # below this a window is silence (the detector's own hysteresis)
# The region options of `delivery_audio.speech_regions`, so pauses come out the same; a unit test
# checks the two agree.
REGION_MIN_SPEECH_MS = 100
REGION_MIN_SILENCE_MS = 150
REGION_PAD_MS = 30


class IncrementalVad:
    """Silero speech probabilities computed window by window as audio arrives.

    The model's recurrent state and the window context carry over between calls, so the
    probabilities are exactly those of one pass over the whole answer (`speech_regions`).
    """

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model

        self._model = get_vad_model()
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(VAD_CONTEXT, dtype=np.float32)
        self._probs: list[Samples] = []
        self.windows = 0
        self.closed = False

    def advance(self, audio: Samples, available: int) -> None:
        """Score the whole windows in `audio[:available]` not scored yet."""
        end = available // VAD_WINDOW
        if end > self.windows and not self.closed:
            self._run(audio[self.windows * VAD_WINDOW : end * VAD_WINDOW])

    def close(self, audio: Samples) -> None:
        """Score the rest, zero-padded the way `get_speech_timestamps` pads the whole answer."""
        if self.closed:
            return
        self.advance(audio, len(audio))
        rest = audio[self.windows * VAD_WINDOW :]
        self._run(np.concatenate([rest, np.zeros(VAD_WINDOW - len(rest), dtype=np.float32)]))
        self.closed = True

    def _run(self, audio: Samples) -> None:
        windows = audio.reshape(-1, VAD_WINDOW)
        contexts = np.concatenate([self._context[None, :], windows[:-1, -VAD_CONTEXT:]], axis=0)
        batch = np.ascontiguousarray(np.concatenate([contexts, windows], axis=1), dtype=np.float32)
        out, self._h, self._c = self._model.session.run(None, {"input": batch, "h": self._h, "c": self._c})
        self._context = windows[-1, -VAD_CONTEXT:].copy()
        self._probs.append(np.asarray(out, dtype=np.float32).reshape(-1))
        self.windows += len(windows)

    @property
    def probs(self) -> Samples:
        if len(self._probs) > 1:
            self._probs = [np.concatenate(self._probs)]
        return self._probs[0] if self._probs else np.zeros(0, dtype=np.float32)

    def regions(self, n_samples: int) -> list[tuple[float, float]]:
        """Speech regions in seconds, as `delivery_audio.speech_regions` gives them for the answer."""
        if n_samples < SAMPLE_RATE // 10:
            return []
        stamps = speech_timestamps(self.probs, n_samples)
        return [(s / SAMPLE_RATE, e / SAMPLE_RATE) for s, e in stamps]


def speech_timestamps(
    probs: Samples,
    n_samples: int,
    *,
    threshold: float = VAD_THRESHOLD,
    min_speech_ms: int = REGION_MIN_SPEECH_MS,
    min_silence_ms: int = REGION_MIN_SILENCE_MS,
    pad_ms: int = REGION_PAD_MS,
) -> list[tuple[int, int]]:
    """faster-whisper's `get_speech_timestamps` from probabilities already computed.

    The same steps as faster_whisper.vad (from silero-vad, MIT), without a maximum speech length.
    """
    window = VAD_WINDOW
    neg_threshold = max(threshold - 0.15, 0.01)
    min_speech = SAMPLE_RATE * min_speech_ms / 1000
    pad = SAMPLE_RATE * pad_ms / 1000
    min_silence = SAMPLE_RATE * min_silence_ms / 1000
    triggered = False
    speeches: list[list[int]] = []
    start = 0
    temp_end = 0
    for i, prob in enumerate(probs.tolist()):
        if prob >= threshold and temp_end:
            temp_end = 0
        if prob >= threshold and not triggered:
            triggered = True
            start = window * i
            continue
        if prob < neg_threshold and triggered:
            if not temp_end:
                temp_end = window * i
            if window * i - temp_end < min_silence:
                continue
            if temp_end - start > min_speech:
                speeches.append([start, temp_end])
            temp_end = 0
            triggered = False
    if triggered and n_samples - start > min_speech:
        speeches.append([start, n_samples])
    for i, speech in enumerate(speeches):
        if i == 0:
            speech[0] = int(max(0, speech[0] - pad))
        if i != len(speeches) - 1:
            silence = speeches[i + 1][0] - speech[1]
            if silence < 2 * pad:
                speech[1] += int(silence // 2)
                speeches[i + 1][0] = int(max(0, speeches[i + 1][0] - silence // 2))
            else:
                speech[1] = int(min(n_samples, speech[1] + pad))
                speeches[i + 1][0] = int(max(0, speeches[i + 1][0] - pad))
        else:
            speech[1] = int(min(n_samples, speech[1] + pad))
    return [(s, e) for s, e in speeches]


# ---------------------------------------------------------------------------- frame features


class IncrementalFrames:
    """`delivery_audio.frame_features` computed block by block as audio arrives.

    Each 10 ms frame depends only on the 40 ms of audio from its start, so a frame is final as
    soon as that audio is there; `close` adds the last frames with the whole-answer zero padding.
    """

    _MIN_BLOCK = 100  # frames (1 s) per call, to keep the per-call overhead small

    def __init__(self) -> None:
        self._parts: list[delivery_audio.Frames] = []
        self.frames = 0

    def advance(self, audio: Samples, available: int, *, force: bool = False) -> None:
        hop, span = delivery_audio.HOP, 640
        if available < span:
            return
        final = (available - span) // hop + 1  # frames whose whole window is there
        if final - self.frames < (1 if force else self._MIN_BLOCK):
            return
        start = self.frames * hop
        part = delivery_audio.frame_features(audio[start : (final - 1) * hop + span])
        self._add(part, final - self.frames)

    def close(self, audio: Samples) -> delivery_audio.Frames:
        self.advance(audio, len(audio), force=True)
        part = delivery_audio.frame_features(audio[self.frames * delivery_audio.HOP :])
        self._add(part, len(part))
        if len(self._parts) != 1:
            self._parts = [self._merged()]
        return self._parts[0]

    def energy(self) -> FloatArray:
        """Frame energies (dB) so far."""
        return self.so_far().energy_db

    def so_far(self) -> delivery_audio.Frames:
        """The final frames so far (not those the end of the answer decides)."""
        if len(self._parts) > 1:
            self._parts = [self._merged()]
        if not self._parts:
            empty = np.zeros(0)
            return delivery_audio.Frames(empty, empty, empty, np.zeros((0, delivery_audio.N_MELS)))
        return self._parts[0]

    def _merged(self) -> delivery_audio.Frames:
        return delivery_audio.Frames(
            energy_db=np.concatenate([p.energy_db for p in self._parts]),
            periodicity=np.concatenate([p.periodicity for p in self._parts]),
            f0=np.concatenate([p.f0 for p in self._parts]),
            mel=np.concatenate([p.mel for p in self._parts], axis=0),
        )

    def _add(self, part: delivery_audio.Frames, count: int) -> None:
        count = min(count, len(part))
        if count <= 0:
            return
        self._parts.append(
            delivery_audio.Frames(
                part.energy_db[:count], part.periodicity[:count], part.f0[:count], part.mel[:count]
            )
        )
        self.frames += count


class IncrementalPeak:
    """`delivery_audio.peak_level_db` (the loudest 10 ms) kept up to date as audio arrives."""

    def __init__(self) -> None:
        self.blocks = 0
        self._peak = 0.0

    def advance(self, audio: Samples, available: int) -> None:
        hop = delivery_audio.HOP
        end = available // hop
        if end > self.blocks:
            part = audio[self.blocks * hop : end * hop].astype(np.float64).reshape(-1, hop)
            self._peak = max(self._peak, float(np.max(np.mean(part**2, axis=1))))
            self.blocks = end

    def level_db(self, audio: Samples) -> float:
        self.advance(audio, len(audio))
        if self.blocks == 0:
            return -120.0
        return float(10.0 * np.log10(self._peak + 1e-12))


class IncrementalPitch:
    """The vocal-variety pitch track (`prosody`) worked out a few seconds at a time as audio arrives.

    Each 20 ms frame reads about 50 ms of audio (and the low-pass filter's reach), so it is final
    once that audio is there. After the stop `prosody.measure` takes these frames and works out only
    the last ones: on a three-minute answer that was about 0.2 s of CPU inside the feedback wait.
    """

    _MIN_BLOCK = 250  # frames (5 s) per call, to keep the per-call overhead small

    def __init__(self) -> None:
        self._parts: list[prosody.KnownPitch] = []
        self.frames = 0

    def advance(self, audio: Samples, available: int) -> None:
        final = prosody.frames_needing(available)
        if final - self.frames >= self._MIN_BLOCK:
            self._parts.append(prosody.pitch_of_frames(audio[:available], self.frames, final))
            self.frames = final

    def known(self) -> prosody.KnownPitch:
        """The frames worked out so far."""
        if not self._parts:
            return prosody.KnownPitch(np.zeros(0, dtype=bool), np.zeros(0), np.zeros(0), np.zeros(0))
        if len(self._parts) > 1:
            parts = self._parts
            self._parts = [
                prosody.KnownPitch(
                    done=np.concatenate([p.done for p in parts]),
                    f0=np.concatenate([p.f0 for p in parts]),
                    aperiodicity=np.concatenate([p.aperiodicity for p in parts]),
                    level_db=np.concatenate([p.level_db for p in parts]),
                )
            ]
        return self._parts[0]
