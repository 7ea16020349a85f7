"""A chunk decode's encoder reads the chunk's own frames; whole files keep Whisper's 30 s window."""

from __future__ import annotations

import numpy as np
import pytest

from interviewcoach.core.speech.chunk_decoder import WhisperChunkDecoder
from interviewcoach.core.speech.encoder_window import FLOOR_FRAMES, MARGIN_FRAMES, trimmed, window_frames
from interviewcoach.core.speech.transcribe import make_transcriber
from tests.speech import SpeechMaker


def _padded(audio_frames: int, total: int = 3000, mels: int = 80) -> np.ndarray:
    rng = np.random.default_rng(audio_frames)
    features = np.zeros((mels, total), dtype=np.float32)
    features[:, :audio_frames] = rng.uniform(-0.5, 1.0, (mels, audio_frames))
    return features


@pytest.mark.parametrize(
    ("audio_frames", "expected"),
    [
        (0, FLOOR_FRAMES),  # nothing but padding
        (300, FLOOR_FRAMES),  # 3 s: never under the floor
        (2000, 2000 + MARGIN_FRAMES),
        (2001, 2001 + MARGIN_FRAMES + 1),  # even, for the encoder's halving convolution
        (2950, 3000),  # never over the window
        (3000, 3000),
    ],
)
def test_the_window_is_the_audio_plus_a_margin_within_floor_and_window(
    audio_frames: int, expected: int
) -> None:
    assert window_frames(_padded(audio_frames)) == expected
    # faster-whisper's own shape, with the batch axis.
    assert window_frames(_padded(audio_frames)[None]) == expected


def test_a_frame_with_one_sound_band_is_audio() -> None:
    features = _padded(1500)
    features[:, 1500:] = 0.0
    features[7, 2400] = 0.25  # a single mel band: still audio
    assert window_frames(features) == 2400 + 1 + MARGIN_FRAMES + 1


@pytest.fixture(scope="module")
def model() -> object:
    transcriber = make_transcriber()
    transcriber.load()
    return transcriber.library_model()


def test_the_encoder_reads_a_short_window_only_inside_trimmed(model: object) -> None:
    features = _padded(400)[None]
    full = model.encode(features)  # type: ignore[attr-defined]
    with trimmed(model):
        short = model.encode(features)  # type: ignore[attr-defined]
    after = model.encode(features)  # type: ignore[attr-defined]
    # The encoder halves the frames: 3000 -> 1500 positions, 1000 -> 500.
    assert full.shape[1] == 1500
    assert short.shape[1] == FLOOR_FRAMES // 2
    assert after.shape[1] == 1500


def test_trimming_ends_when_the_decode_fails(model: object) -> None:
    with pytest.raises(RuntimeError), trimmed(model):
        raise RuntimeError("decode failed")
    assert model.encode(_padded(400)[None]).shape[1] == 1500  # type: ignore[attr-defined]


def test_a_model_without_the_setting_is_left_alone() -> None:
    class Other:
        pass

    other = Other()
    with trimmed(other):
        assert not hasattr(other, "trim_padding")


def test_a_chunk_decoded_in_its_own_window_has_its_words(model: object) -> None:
    speech = SpeechMaker()
    clip = speech.say("I did questions every morning before clinic.")
    decoder = WhisperChunkDecoder(make_transcriber())
    seen: list[int] = []
    encode = type(model).encode

    def spy(self: object, features: np.ndarray) -> object:
        out = encode(self, features)
        seen.append(int(out.shape[1]))
        return out

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(model), "encode", spy)
        raw = decoder.decode(clip.samples(), prompt="", cancel=None)
        short = list(seen)
        seen.clear()
        whole = decoder.decode(clip.samples(), prompt="", cancel=None, full_window=True)
    words = " ".join(w.word.strip(" ,.").lower() for w in raw.words)
    assert words == "i did questions every morning before clinic"
    assert [w.word for w in whole.words] == [w.word for w in raw.words]
    assert short and all(n == FLOOR_FRAMES // 2 for n in short)
    assert seen and all(n == 1500 for n in seen)
