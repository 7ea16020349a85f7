"""Convert a CTranslate2 Whisper model (model.bin) to an openai-whisper checkpoint, cached by hash.

The offline tiny.en weights ship in CTranslate2 format only. openai-whisper can run the very same
weights once they are renamed and unfused: CTranslate2 fuses the self-attention q/k/v projections
row-wise into one matrix (with a zero bias for k) and the cross-attention k/v into another. The
converted checkpoint is cached in the user's cache directory under the hash of the source files and
checked against its own recorded hash before reuse, so a damaged cache is rebuilt, never trusted.

The alignment heads that word timestamps rely on live in the model's config.json; openai-whisper's
`load_model(path)` does not know them, so callers apply `ConvertedModel.alignment_heads` with
`model.set_alignment_heads` (without it, word times drift by about 70 ms).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from interviewcoach.core.errors import UserError
from interviewcoach.core.paths import cache_dir

# Bump when the conversion itself changes, so old cached checkpoints are not reused.
CONVERTER_VERSION = 1
# Index of the dtype byte in model.bin, as CTranslate2 writes it.
_DTYPES: tuple[str, ...] = ("float32", "int8", "int16", "int32", "float16", "bfloat16")
_GELU = 3

Array = npt.NDArray[Any]


class ConversionError(UserError):
    """A model folder that is not a CTranslate2 Whisper model this converter understands."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: cannot use this model with openai-whisper: {problem}")


@dataclass(frozen=True)
class ConvertedModel:
    """A converted checkpoint ready for `whisper.load_model(str(checkpoint))`."""

    checkpoint: Path
    # The base85 gzip dump that `Whisper.set_alignment_heads` takes.
    alignment_heads: bytes
    source_sha256: str
    reused: bool


# ---------------------------------------------------------------------------- reading model.bin


def read_ct2_model(path: Path) -> tuple[dict[str, Array], dict[str, str]]:
    """All variables (name -> array) and aliases (name -> target) of a CTranslate2 model.bin."""
    data = path.read_bytes()
    reader = _Reader(data, path)
    version = reader.u32()
    if version not in (5, 6):
        raise ConversionError(
            path.parent, f"model.bin format version {version} is not supported (need 5 or 6)"
        )
    spec = reader.string()
    if spec != "WhisperSpec":
        raise ConversionError(path.parent, f"model spec is {spec!r}, not a Whisper model")
    reader.u32()  # spec revision
    variables: dict[str, Array] = {}
    for _ in range(reader.u32()):
        name = reader.string()
        rank = reader.u8()
        dims = tuple(reader.u32() for _ in range(rank))
        dtype_index = reader.u8()
        nbytes = reader.u32()
        raw = reader.take(nbytes)
        if dtype_index >= len(_DTYPES):
            raise ConversionError(path.parent, f"{name}: unknown dtype index {dtype_index}")
        variables[name] = _decode(raw, _DTYPES[dtype_index], dims)
    aliases: dict[str, str] = {}
    if reader.remaining() >= 4:
        for _ in range(reader.u32()):
            alias = reader.string()
            aliases[alias] = reader.string()
    return variables, aliases


class _Reader:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data = data
        self.offset = 0
        self.path = path

    def take(self, n: int) -> bytes:
        end = self.offset + n
        if end > len(self.data):
            raise ConversionError(self.path.parent, "model.bin is truncated")
        chunk = self.data[self.offset : end]
        self.offset = end
        return chunk

    def u8(self) -> int:
        return int(self.take(1)[0])

    def u16(self) -> int:
        return int(struct.unpack("<H", self.take(2))[0])

    def u32(self) -> int:
        return int(struct.unpack("<I", self.take(4))[0])

    def string(self) -> str:
        # u16 length including the trailing NUL.
        raw = self.take(self.u16())
        return raw[:-1].decode("utf-8")

    def remaining(self) -> int:
        return len(self.data) - self.offset


def _decode(raw: bytes, dtype: str, dims: tuple[int, ...]) -> Array:
    if dtype == "bfloat16":
        # numpy has no bfloat16: widen to float32 by placing the 16 bits in the high half.
        halves = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        return halves.view(np.float32).reshape(dims)
    return np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<")).reshape(dims)


# ---------------------------------------------------------------------------- conversion


def convert_state_dict(
    variables: dict[str, Array], aliases: dict[str, str], where: Path
) -> tuple[dict[str, int], dict[str, Array]]:
    """(dims, state dict as float16 arrays) in openai-whisper's names and layout."""

    def get(name: str) -> Array:
        name = aliases.get(name, name)
        if name in variables:
            value = variables[name]
            if value.dtype == np.int8 and f"{name}_scale" in variables:
                # Quantized weights: CTranslate2 stores round(w * scale) with one scale per row.
                scale = variables[f"{name}_scale"].astype(np.float32)
                return value.astype(np.float32) / scale.reshape(-1, *([1] * (value.ndim - 1)))
            if value.dtype.kind != "f":
                raise ConversionError(where, f"{name} has integer type {value.dtype}")
            return value
        raise ConversionError(where, f"model.bin has no variable {name}")

    def scalar(name: str) -> int:
        return int(variables[name].reshape(-1)[0]) if name in variables else -1

    for side in ("encoder", "decoder"):
        if side == "decoder" and scalar("decoder/activation") not in (-1, _GELU):
            raise ConversionError(where, "decoder activation is not GELU")
    if scalar("decoder/scale_embeddings") == 1:
        raise ConversionError(where, "scaled embeddings are not a Whisper layout")

    def count_layers(side: str) -> int:
        pattern = re.compile(rf"^{side}/layer_(\d+)/")
        found = {int(m.group(1)) for n in variables if (m := pattern.match(n))}
        if not found or found != set(range(len(found))):
            raise ConversionError(where, f"cannot find the {side} layers")
        return len(found)

    conv1 = get("encoder/conv1/weight")
    n_audio_state = conv1.shape[0]
    token_embedding = get("decoder/embeddings/weight")
    n_text_state = token_embedding.shape[1]
    dims = {
        "n_mels": int(conv1.shape[1]),
        "n_audio_ctx": int(get("encoder/position_encodings/encodings").shape[0]),
        "n_audio_state": int(n_audio_state),
        "n_audio_head": scalar("encoder/num_heads"),
        "n_audio_layer": count_layers("encoder"),
        "n_vocab": int(token_embedding.shape[0]),
        "n_text_ctx": int(get("decoder/position_encodings/encodings").shape[0]),
        "n_text_state": int(n_text_state),
        "n_text_head": scalar("decoder/num_heads"),
        "n_text_layer": count_layers("decoder"),
    }
    if dims["n_audio_head"] <= 0 or dims["n_text_head"] <= 0:
        raise ConversionError(where, "the number of attention heads is missing")

    out: dict[str, Array] = {}

    def put(name: str, value: Array) -> None:
        out[name] = np.ascontiguousarray(value, dtype=np.float16)

    def linear(dst: str, src: str, *, bias: bool = True) -> None:
        put(f"{dst}.weight", get(f"{src}/weight"))
        if bias:
            put(f"{dst}.bias", get(f"{src}/bias"))

    def norm(dst: str, src: str) -> None:
        put(f"{dst}.weight", get(f"{src}/gamma"))
        put(f"{dst}.bias", get(f"{src}/beta"))

    def fused_qkv(dst: str, src: str, d: int) -> None:
        w, b = get(f"{src}/weight"), get(f"{src}/bias")
        if w.shape[0] != 3 * d:
            raise ConversionError(where, f"{src}: expected {3 * d} fused q/k/v rows, found {w.shape[0]}")
        put(f"{dst}.query.weight", w[:d])
        put(f"{dst}.query.bias", b[:d])
        put(f"{dst}.key.weight", w[d : 2 * d])
        put(f"{dst}.value.weight", w[2 * d :])
        put(f"{dst}.value.bias", b[2 * d :])

    def fused_kv(dst: str, src: str, d: int) -> None:
        w, b = get(f"{src}/weight"), get(f"{src}/bias")
        if w.shape[0] != 2 * d:
            raise ConversionError(where, f"{src}: expected {2 * d} fused k/v rows, found {w.shape[0]}")
        put(f"{dst}.key.weight", w[:d])
        put(f"{dst}.value.weight", w[d:])
        put(f"{dst}.value.bias", b[d:])

    def mlp(dst: str, src: str) -> None:
        norm(f"{dst}.mlp_ln", f"{src}/ffn/layer_norm")
        linear(f"{dst}.mlp.0", f"{src}/ffn/linear_0")
        linear(f"{dst}.mlp.2", f"{src}/ffn/linear_1")

    linear("encoder.conv1", "encoder/conv1")
    linear("encoder.conv2", "encoder/conv2")
    put("encoder.positional_embedding", get("encoder/position_encodings/encodings"))
    for i in range(dims["n_audio_layer"]):
        dst, src = f"encoder.blocks.{i}", f"encoder/layer_{i}"
        norm(f"{dst}.attn_ln", f"{src}/self_attention/layer_norm")
        fused_qkv(f"{dst}.attn", f"{src}/self_attention/linear_0", n_audio_state)
        linear(f"{dst}.attn.out", f"{src}/self_attention/linear_1")
        mlp(dst, src)
    norm("encoder.ln_post", "encoder/layer_norm")

    put("decoder.token_embedding.weight", token_embedding)
    put("decoder.positional_embedding", get("decoder/position_encodings/encodings"))
    for i in range(dims["n_text_layer"]):
        dst, src = f"decoder.blocks.{i}", f"decoder/layer_{i}"
        norm(f"{dst}.attn_ln", f"{src}/self_attention/layer_norm")
        fused_qkv(f"{dst}.attn", f"{src}/self_attention/linear_0", n_text_state)
        linear(f"{dst}.attn.out", f"{src}/self_attention/linear_1")
        norm(f"{dst}.cross_attn_ln", f"{src}/attention/layer_norm")
        linear(f"{dst}.cross_attn.query", f"{src}/attention/linear_0")
        fused_kv(f"{dst}.cross_attn", f"{src}/attention/linear_1", n_text_state)
        linear(f"{dst}.cross_attn.out", f"{src}/attention/linear_2")
        mlp(dst, src)
    norm("decoder.ln", "decoder/layer_norm")
    return dims, out


def alignment_heads_dump(heads: list[list[int]] | None, n_layers: int, n_heads: int) -> bytes:
    """The mask of cross-attention heads used for word timing, in `set_alignment_heads` form.

    With no list, openai-whisper's own default applies: every head of the upper half of the layers.
    """
    mask = np.zeros((n_layers, n_heads), dtype=bool)
    if heads:
        for layer, head in heads:
            if not (0 <= layer < n_layers and 0 <= head < n_heads):
                raise ValueError(f"alignment head ({layer}, {head}) outside {n_layers}x{n_heads}")
            mask[layer, head] = True
    else:
        mask[n_layers // 2 :] = True
    return base64.b85encode(gzip.compress(mask.tobytes(), mtime=0))


def _read_config(folder: Path) -> dict[str, Any]:
    config = folder / "config.json"
    if not config.is_file():
        return {}
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConversionError(folder, f"config.json is not valid JSON ({exc})") from None
    return data if isinstance(data, dict) else {}


# ---------------------------------------------------------------------------- cache


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def source_hash(folder: Path) -> str:
    """Hash of what the conversion reads (weights, config) and of the converter version."""
    digest = hashlib.sha256(f"interviewcoach-ct2-to-openai/{CONVERTER_VERSION}\n".encode())
    for name in ("model.bin", "config.json"):
        path = folder / name
        digest.update(f"{name}:{_sha256(path) if path.is_file() else '-'}\n".encode())
    return digest.hexdigest()


def convert(folder: Path | str, *, cache: Path | None = None) -> ConvertedModel:
    """The openai-whisper checkpoint for the CTranslate2 model in `folder`, converting it if needed."""
    folder = Path(folder)
    model_bin = folder / "model.bin"
    if not model_bin.is_file():
        raise ConversionError(folder, "no model.bin in this folder (not a CTranslate2 model)")
    config = _read_config(folder)
    key = source_hash(folder)
    target_dir = cache or (cache_dir() / "openai-whisper")
    target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    checkpoint = target_dir / f"ct2-{key[:20]}.pt"
    meta_path = checkpoint.with_suffix(".json")

    meta = _load_meta(meta_path)
    if (
        meta is not None
        and checkpoint.is_file()
        and meta.get("source_sha256") == key
        and meta.get("checkpoint_sha256") == _sha256(checkpoint)
    ):
        return ConvertedModel(checkpoint, str(meta["alignment_heads"]).encode(), key, reused=True)

    variables, aliases = read_ct2_model(model_bin)
    dims, state = convert_state_dict(variables, aliases, folder)
    heads = alignment_heads_dump(config.get("alignment_heads"), dims["n_text_layer"], dims["n_text_head"])
    _save_checkpoint(checkpoint, dims, state)
    meta = {
        "source": str(folder),
        "source_sha256": key,
        "checkpoint_sha256": _sha256(checkpoint),
        "alignment_heads": heads.decode(),
        "dims": dims,
        "converter_version": CONVERTER_VERSION,
    }
    _atomic_write(meta_path, json.dumps(meta, indent=2).encode())
    return ConvertedModel(checkpoint, heads, key, reused=False)


def _load_meta(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _save_checkpoint(path: Path, dims: dict[str, int], state: dict[str, Array]) -> None:
    import io

    import torch

    buffer = io.BytesIO()
    tensors = {name: torch.from_numpy(value.copy()) for name, value in state.items()}
    torch.save({"dims": dims, "model_state_dict": tensors}, buffer)
    _atomic_write(path, buffer.getvalue())


def _atomic_write(path: Path, data: bytes) -> None:
    """Write via a private temp file and rename, so a crash never leaves half a checkpoint."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).chmod(0o600)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
