"""The sentence model's int8 path: the packaged model rewritten to int8 matrix products reads sentences
as the float model does, and the encoder the app uses takes that path. Real model, real onnxruntime."""

from __future__ import annotations

import platform

import numpy as np
import pytest

from interviewcoach.core.scoring import embeddings
from interviewcoach.core.scoring.embeddings import (
    CHECK_SENTENCES,
    Encoder,
    check_vectors,
    get_encoder,
    int8_saturates,
    model_files,
    pool,
)
from interviewcoach.core.scoring.onnx_int8 import int8_matmuls

SENTENCES = [
    "I presented her at our multidisciplinary liver conference.",
    "My Step 2 CK came back at two fifty-one.",
    "If I match diagnostic radiology, I will apply for ESIR.",
    "The tumor board room is next to the cafeteria.",
    "Thank you.",
]


def _vectors(encoder: Encoder) -> np.ndarray:
    hidden, mask, _ = encoder.hidden(SENTENCES)
    return pool(hidden, mask)


def test_int8_matrix_products_read_sentences_as_the_float_model_does(monkeypatch: pytest.MonkeyPatch) -> None:
    saturates = int8_saturates()
    # The int8 graph itself, on any CPU: where its products saturate the app does not use it (next
    # test), but a full sentence still reads as the float model reads it.
    monkeypatch.setattr(embeddings, "int8_saturates", lambda: False)
    exact, fast = Encoder(int8=False), Encoder(int8=True)
    assert fast.int8 and not exact.int8
    a, b = _vectors(exact), _vectors(fast)
    cosines = (a * b).sum(axis=1)
    # A sentence of a few word pieces averages less of the rounding away ("Thank you." 0.96 with
    # VNNI, 0.944 without).
    full = np.array([len(s.split()) >= 6 for s in SENTENCES])
    assert cosines[full].min() >= 0.985 and cosines.min() >= (0.93 if saturates else 0.95), cosines
    # Still told apart from one another as the float model tells them (no collapse to one vector).
    assert np.abs(a @ a.T - b @ b.T).max() <= 0.05


def test_every_weight_product_is_rewritten_once() -> None:
    model, _ = model_files()
    rewritten, count = int8_matmuls(model.read_bytes())
    # all-MiniLM-L6-v2: six layers of query, key, value, output and two feed-forward products.
    assert count == 6 * 6
    # A graph with nothing left to rewrite comes back as it was.
    again, none = int8_matmuls(rewritten)
    assert none == 0 and again == rewritten


def test_the_app_encoder_runs_int8_where_the_cpu_adds_int8_products_in_32_bits() -> None:
    assert get_encoder().int8 is not int8_saturates()


@pytest.mark.parametrize(
    ("flags", "saturates"),
    [
        ("fpu sse2 avx avx2 fma", True),
        ("fpu sse2 avx avx2 avx512f avx512_vnni", False),
        ("fpu sse2 avx avx2 avx_vnni", False),
        ("fpu sse2 avx avx2 amx_int8 amx_tile", False),
    ],
)
def test_int8_saturates_on_x86_without_vnni_or_amx(
    monkeypatch: pytest.MonkeyPatch, flags: str, saturates: bool
) -> None:
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    assert int8_saturates(f"processor\t: 0\nflags\t\t: {flags}\n") is saturates
    # ARM's dot products add in 32 bits; there the check sentences decide.
    monkeypatch.setattr(platform, "machine", lambda: "aarch64")
    assert not int8_saturates(f"flags\t\t: {flags}\n")


def test_an_int8_model_that_reads_differently_is_not_used() -> None:
    # No int8 graph reads the check sentences exactly as the float one: asking for that keeps float.
    encoder = Encoder(int8=True, min_cosine=1.01)
    assert not encoder.int8
    exact = Encoder(int8=False)
    assert np.array_equal(encoder.hidden(SENTENCES)[0], exact.hidden(SENTENCES)[0])


def test_the_stored_check_vectors_are_the_float_models() -> None:
    # A stale file (other sentences, another model) would keep every machine on the float path.
    expected = check_vectors()
    assert expected is not None
    hidden, mask, _ = Encoder(int8=False).hidden(CHECK_SENTENCES)
    assert float((pool(hidden, mask) * expected).sum(axis=1).min()) >= 0.9999


def test_a_sentence_gets_one_vector_whatever_it_is_encoded_with() -> None:
    short, long = (
        "I paged the fellow at 3:10.",
        ("That evening I set up the suite, checked the consent and stayed until the bleeding stopped."),
    )
    together = embeddings.encode_cached((short, long))
    # The same bits alone, in another order, or uncached: a vector never depends on its companions.
    np.testing.assert_array_equal(together[0], embeddings.encode_cached((long, short))[1])
    np.testing.assert_array_equal(together[1], embeddings.encode_one(long))
    np.testing.assert_array_equal(together[0], embeddings.encode([short])[0])
    assert embeddings.encode_cached(()).shape == (0, embeddings.DIMENSION)
