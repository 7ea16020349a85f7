"""The CTranslate2 -> openai-whisper conversion of the bundled tiny.en: layout, numbers, cache, heads."""

from __future__ import annotations

import base64
import gzip
import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from interviewcoach.core.speech import whisper_convert as wc
from interviewcoach.core.speech.transcribe import bundled_model_path

whisper = pytest.importorskip("whisper", reason="the openai-whisper engine is not installed")
torch = pytest.importorskip("torch")

pytestmark = pytest.mark.openai

TINY_EN_DIMS = {
    "n_mels": 80,
    "n_audio_ctx": 1500,
    "n_audio_state": 384,
    "n_audio_head": 6,
    "n_audio_layer": 4,
    "n_vocab": 51864,
    "n_text_ctx": 448,
    "n_text_state": 384,
    "n_text_head": 6,
    "n_text_layer": 4,
}


@pytest.fixture(scope="module")
def model_dir() -> Path:
    return bundled_model_path()


@pytest.fixture(scope="module")
def converted(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> wc.ConvertedModel:
    return wc.convert(model_dir, cache=tmp_path_factory.mktemp("convert-cache"))


@pytest.fixture(scope="module")
def checkpoint(converted: wc.ConvertedModel) -> dict[str, Any]:
    return torch.load(converted.checkpoint, map_location="cpu", weights_only=True)  # type: ignore[no-any-return]


def test_reads_every_variable_of_model_bin(model_dir: Path) -> None:
    variables, aliases = wc.read_ct2_model(model_dir / "model.bin")
    assert aliases == {"decoder/projection/weight": "decoder/embeddings/weight"}
    assert variables["encoder/conv1/weight"].shape == (384, 80, 3)
    assert variables["decoder/layer_3/self_attention/linear_0/weight"].shape == (3 * 384, 384)
    assert variables["decoder/layer_0/attention/linear_1/weight"].shape == (2 * 384, 384)
    # The k part of a fused q/k/v bias is zero (Whisper's key projection has no bias).
    bias = variables["encoder/layer_2/self_attention/linear_0/bias"]
    assert not np.any(bias[384:768])
    assert np.any(bias[:384])


def test_checkpoint_matches_openai_whispers_own_layout(checkpoint: dict[str, Any]) -> None:
    assert checkpoint["dims"] == TINY_EN_DIMS
    reference = whisper.model.Whisper(whisper.model.ModelDimensions(**TINY_EN_DIMS)).state_dict()
    state = checkpoint["model_state_dict"]
    assert set(state) == set(reference)
    for name, tensor in reference.items():
        assert tuple(state[name].shape) == tuple(tensor.shape), name


def test_encoder_gives_the_same_numbers_as_ctranslate2(converted: wc.ConvertedModel, model_dir: Path) -> None:
    import ctranslate2
    from faster_whisper.feature_extractor import FeatureExtractor

    rng = np.random.default_rng(3)
    t = np.arange(16000 * 3) / 16000
    audio = (0.3 * np.sin(2 * np.pi * 220 * t) * (1 + 0.5 * rng.standard_normal(t.size) * 0.1)).astype(
        np.float32
    )
    mel = FeatureExtractor(feature_size=80)(np.pad(audio, (0, 16000 * 27)))[:, :3000]

    reference = ctranslate2.models.Whisper(str(model_dir), device="cpu", compute_type="float32")
    expected = np.array(reference.encode(ctranslate2.StorageView.from_array(mel[None].astype(np.float32))))

    model = whisper.load_model(str(converted.checkpoint), device="cpu")
    with torch.no_grad():
        got = model.encoder(torch.from_numpy(mel[None].astype(np.float32))).numpy()
    assert got.shape == expected.shape == (1, 1500, 384)
    # float16 storage in the checkpoint, float32 arithmetic on both sides.
    assert float(np.max(np.abs(got - expected))) < 1e-3


def test_alignment_heads_come_from_config_json(converted: wc.ConvertedModel, model_dir: Path) -> None:
    heads = json.loads((model_dir / "config.json").read_text())["alignment_heads"]
    mask = np.frombuffer(gzip.decompress(base64.b85decode(converted.alignment_heads)), dtype=bool)
    mask = mask.reshape(4, 6)
    assert sorted(map(list, zip(*np.nonzero(mask), strict=True))) == sorted(heads)

    model = whisper.load_model(str(converted.checkpoint), device="cpu")
    default = model.alignment_heads.to_dense().numpy()
    model.set_alignment_heads(converted.alignment_heads)
    applied = model.alignment_heads.to_dense().numpy()
    assert np.array_equal(applied, mask)
    # load_model(path) alone would have used the upper half of the layers instead.
    assert not np.array_equal(default, mask)


def test_the_cache_is_reused_only_while_its_hash_matches(model_dir: Path, tmp_path: Path) -> None:
    first = wc.convert(model_dir, cache=tmp_path)
    assert not first.reused
    assert first.checkpoint.stat().st_mode & 0o777 == 0o600
    again = wc.convert(model_dir, cache=tmp_path)
    assert again.reused
    assert again.checkpoint == first.checkpoint
    assert again.alignment_heads == first.alignment_heads

    # A damaged checkpoint (disk error, half-copied cache) is rebuilt, never loaded.
    with first.checkpoint.open("r+b") as fh:
        fh.seek(5000)
        fh.write(b"\xff" * 64)
    rebuilt = wc.convert(model_dir, cache=tmp_path)
    assert not rebuilt.reused
    assert wc.convert(model_dir, cache=tmp_path).reused


def test_default_cache_lives_in_the_users_cache_directory(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERVIEWCOACH_CACHE", str(tmp_path / "cache"))
    result = wc.convert(model_dir)
    assert result.checkpoint.parent == tmp_path / "cache" / "openai-whisper"


def _string(text: str) -> bytes:
    raw = text.encode() + b"\x00"
    return struct.pack("<H", len(raw)) + raw


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (struct.pack("<I", 9), "format version 9"),
        (struct.pack("<I", 6) + _string("TransformerSpec") + struct.pack("<II", 1, 0), "not a Whisper model"),
        (struct.pack("<I", 6) + _string("WhisperSpec") + struct.pack("<II", 3, 2), "truncated"),
    ],
)
def test_models_it_cannot_convert_are_reported(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "model.bin").write_bytes(content)
    with pytest.raises(wc.ConversionError, match=message):
        wc.convert(tmp_path, cache=tmp_path / "cache")


def test_a_folder_without_model_bin_is_reported(tmp_path: Path) -> None:
    with pytest.raises(wc.ConversionError, match=r"no model\.bin"):
        wc.convert(tmp_path, cache=tmp_path / "cache")
