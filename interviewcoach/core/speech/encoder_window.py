"""Whisper's encoder over a chunk's own audio instead of a 30 s window mostly made of padding.

Whisper reads audio in 30 s windows: a shorter piece is padded with zero features to 3000 frames,
and the encoder, about two thirds of a chunk's decoding time with tiny.en on a CPU, reads all of
them. CTranslate2's encoder takes fewer frames. A chunk decode (while the student speaks, and the
last chunk after the stop, which the student waits for) gives it the chunk's frames plus
MARGIN_FRAMES of padding, and never fewer than FLOOR_FRAMES: with only a few seconds of context
tiny.en repeats itself ("Sure... Sure... Sure..." for a 1 s "Sure."). The whole-file path keeps the
full window.

Fewer frames than Whisper was trained on make tiny.en loop more often, so a decode that loops here is
made again in the whole window (streaming.StreamingTranscriber._decode_guarded). Measured on 80 new
generated tails of 1-26 s in four voices of two synthesiser families, tiny.en int8, the text before
each as prompt: decodes took 53-68% of the time; WER lower in three voices, 1 point higher in
Festival's HTS voice (README, "Time to feedback").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt

# 10 ms feature frames. At least 10 s; the audio plus 1 s of padding.
FLOOR_FRAMES = 1000
MARGIN_FRAMES = 100
# Whisper's window.
WINDOW_FRAMES = 3000


def window_frames(features: npt.NDArray[Any]) -> int:
    """How many frames of `features` (mels x frames, zero-padded at the end) the encoder needs."""
    total = int(features.shape[-1])
    # Padding is exact zeros (faster-whisper's pad_or_trim); a real log-mel frame never is.
    frame_has_audio = np.any(features.reshape(-1, total) != 0, axis=0)
    used = int(np.flatnonzero(frame_has_audio)[-1]) + 1 if frame_has_audio.any() else 0
    frames = max(used + MARGIN_FRAMES, FLOOR_FRAMES)
    frames += frames % 2  # the encoder's convolution halves the frames
    return min(frames, total)


def windowed_model_class(base: type) -> type:
    """faster-whisper's WhisperModel whose encoder, inside `trimmed(model)`, reads `window_frames`."""

    class WindowedWhisperModel(base):  # type: ignore[misc]
        trim_padding = False

        def encode(self, features: npt.NDArray[Any]) -> Any:
            if self.trim_padding:
                features = np.ascontiguousarray(features[..., : window_frames(features)])
            return super().encode(features)

    return WindowedWhisperModel


@contextmanager
def trimmed(model: Any) -> Iterator[None]:
    """Decodes of `model` inside read only their own audio (a model of another class is unchanged).

    The caller holds the model's decoding lock, so no other decode sees the setting."""
    if not hasattr(model, "trim_padding"):
        yield
        return
    model.trim_padding = True
    try:
        yield
    finally:
        model.trim_padding = False
