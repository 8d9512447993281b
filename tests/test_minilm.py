"""The numpy BERT encoder: its maths against a naive reference, and packing."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from newsweave.errors import InputError
from newsweave.minilm import NumpyBert, _gelu_, _layer_norm_

CFG = {
    "hidden_size": 8,
    "num_attention_heads": 2,
    "num_hidden_layers": 2,
    "intermediate_size": 16,
    "vocab_size": 30,
    "max_position_embeddings": 16,
    "layer_norm_eps": 1e-12,
    "hidden_act": "gelu",
}


def gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def tiny_bert(folder: Path, prefix: str = "") -> dict[str, np.ndarray]:
    """A random BERT with every bias non-zero, saved as a model directory."""
    from safetensors.numpy import save_file

    rng = np.random.default_rng(7)
    h, inner = CFG["hidden_size"], CFG["intermediate_size"]
    w: dict[str, np.ndarray] = {}

    def add(name: str, *shape: int, scale: float = 0.5) -> None:
        w[name] = rng.normal(0, scale, size=shape).astype(np.float32)

    add("embeddings.word_embeddings.weight", CFG["vocab_size"], h)
    add("embeddings.position_embeddings.weight", CFG["max_position_embeddings"], h)
    add("embeddings.token_type_embeddings.weight", 2, h)
    for name in ("embeddings.LayerNorm", *(f"encoder.layer.{i}." for i in range(2))):
        if name.startswith("embeddings"):
            add(name + ".weight", h)
            add(name + ".bias", h)
            continue
        for dense, n_out, n_in in (
            ("attention.self.query", h, h),
            ("attention.self.key", h, h),
            ("attention.self.value", h, h),
            ("attention.output.dense", h, h),
            ("intermediate.dense", inner, h),
            ("output.dense", h, inner),
        ):
            add(name + dense + ".weight", n_out, n_in)
            add(name + dense + ".bias", n_out)
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            add(name + ln + ".weight", h)
            add(name + ln + ".bias", h)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(CFG))
    save_file({prefix + k: v for k, v in w.items()}, str(folder / "model.safetensors"))
    return w


def reference(w: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    """Textbook BERT + mean pooling in float64, with every bias applied."""
    w = {k: v.astype(np.float64) for k, v in w.items()}
    h, nh, eps = CFG["hidden_size"], CFG["num_attention_heads"], CFG["layer_norm_eps"]
    hd, n = h // nh, len(ids)
    x = w["embeddings.word_embeddings.weight"][ids]
    x = x + w["embeddings.position_embeddings.weight"][:n]
    x = x + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    for i in range(CFG["num_hidden_layers"]):
        p = f"encoder.layer.{i}."

        def lin(name: str, v: np.ndarray, p: str = p) -> np.ndarray:
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q, k, v = (
            lin(f"attention.self.{m}", x).reshape(n, nh, hd).transpose(1, 0, 2)
            for m in ("query", "key", "value")
        )
        sc = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
        sc = np.exp(sc - sc.max(axis=-1, keepdims=True))
        sc /= sc.sum(axis=-1, keepdims=True)
        ctx = (sc @ v).transpose(1, 0, 2).reshape(n, h)
        ln1 = p + "attention.output.LayerNorm."
        x = layer_norm(
            lin("attention.output.dense", ctx) + x, w[ln1 + "weight"], w[ln1 + "bias"], eps
        )
        out = lin("output.dense", gelu_tanh(lin("intermediate.dense", x))) + x
        x = layer_norm(out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    pooled = x.mean(axis=0)
    return pooled / np.linalg.norm(pooled)


@pytest.mark.parametrize("prefix", ["", "bert."])
def test_encoder_matches_textbook_bert_with_all_biases(tmp_path, prefix):
    # the encoder folds the attention scale into the query weights, drops the key
    # bias and moves the value bias into the output bias: results must not change
    weights = tiny_bert(tmp_path / "model", prefix)
    bert = NumpyBert(tmp_path / "model")
    assert (bert.dim, bert.heads, bert.max_positions) == (8, 2, 16)
    seqs = [[1, 5, 7, 2], [1, 9, 2], [1, 4, 4, 8, 11, 2], [1, 3, 2], [1, 6, 12, 13, 2]]
    got = bert.encode(seqs)
    want = np.array([reference(weights, s) for s in seqs])
    assert got.dtype == np.float32 and got.shape == (5, 8)
    assert np.abs(got - want).max() < 1e-5


def test_packing_order_does_not_change_vectors(tmp_path):
    tiny_bert(tmp_path / "model")
    bert = NumpyBert(tmp_path / "model")
    seqs = [[1, 5, 7, 2], [1, 9, 2], [1, 8, 10, 2], [1, 4, 4, 8, 11, 2], [1, 3, 2]]
    packed = bert.encode(seqs)  # groups: (4), (3), (4), (6), (3) tokens
    by_length = sorted(range(5), key=lambda i: len(seqs[i]))
    grouped = bert.encode([seqs[i] for i in by_length])  # groups of equal length
    one_by_one = np.vstack([bert.encode([s]) for s in seqs])
    assert np.allclose(packed, one_by_one, atol=1e-6)
    assert np.allclose(grouped, one_by_one[by_length], atol=1e-6)
    assert np.allclose(np.linalg.norm(packed, axis=1), 1.0, atol=1e-6)


def test_unsupported_activation_is_an_input_error(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps(CFG | {"hidden_act": "relu"}))
    with pytest.raises(InputError, match="unsupported activation 'relu'"):
        NumpyBert(tmp_path)


def test_gelu_and_layer_norm_work_in_place():
    x = np.linspace(-12, 12, 97, dtype=np.float32)
    want = gelu_tanh(x.astype(np.float64))
    with np.errstate(over="ignore"):
        assert _gelu_(x) is x
    assert np.abs(x - want).max() < 1e-5
    rng = np.random.default_rng(0)
    m = rng.normal(size=(4, 8)).astype(np.float32)
    g, b = rng.normal(size=8).astype(np.float32), rng.normal(size=8).astype(np.float32)
    want = layer_norm(m.astype(np.float64), g, b, 1e-12)
    assert _layer_norm_(m, g, b, 1e-12) is m
    assert np.abs(m - want).max() < 1e-5
