"""A pure-numpy BERT sentence encoder (inference only, float32).

Runs all-MiniLM-L6-v2 or another BERT sentence model from its directory
(``config.json`` and ``model.safetensors``) without torch or transformers,
which alone take seconds to import. The backend around it (tokenizer,
batching, threads, cache) is ``MiniLMEmbedder`` in :mod:`newsweave.embed`.

* Sequences are packed without padding: consecutive sequences of equal
  length form one group, and attention runs per group, so no attention mask
  is needed.
* The attention scaling is folded into the query weights; of the attention
  biases only the query bias is applied (see ``NumpyBert.__init__``).
* GELU uses the tanh form (cosine to the reference >= 0.9999 per sentence).
* Output: mean-pooled, L2-normalised rows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError

_GELU_A = np.float32(-2 * math.sqrt(2 / math.pi))
_GELU_B = np.float32(-2 * math.sqrt(2 / math.pi) * 0.044715)


def _gelu_(x: np.ndarray) -> np.ndarray:
    """In-place tanh-form GELU: 0.5x(1+tanh(u)) == x / (1 + exp(-2u))."""
    y = np.multiply(x, x)
    y *= _GELU_B
    y += _GELU_A
    y *= x
    np.exp(y, out=y)  # overflows to inf for very negative x: x / inf == -0
    y += 1
    np.divide(x, y, out=x)
    return x


def _layer_norm_(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    x -= x.mean(axis=1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)
    var *= np.float32(1 / x.shape[1])
    var += np.float32(eps)
    np.sqrt(var, out=var)
    x /= var[:, None]
    x *= gamma
    x += beta
    return x


class NumpyBert:
    """Inference-only BERT encoder + mean pooling in numpy (float32).

    Input is a packed batch: the token ids of several sequences, one after
    the other, with ``groups`` of ``(first_row, n_sequences, length)`` where
    all sequences of a group have the same length (so no padding or
    attention mask is needed).
    """

    def __init__(self, model_dir: Path) -> None:
        from safetensors import safe_open

        cfg = json.loads((model_dir / "config.json").read_text())
        if cfg.get("hidden_act", "gelu") not in ("gelu", "gelu_new"):
            raise InputError(f"{model_dir}: unsupported activation {cfg['hidden_act']!r}")
        self.dim = int(cfg["hidden_size"])
        self.heads = int(cfg["num_attention_heads"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.max_positions = int(cfg["max_position_embeddings"])
        hd = self.dim // self.heads
        with safe_open(str(model_dir / "model.safetensors"), framework="numpy") as f:
            keys = set(f.keys())
            prefix = "bert." if "bert.embeddings.word_embeddings.weight" in keys else ""

            def get(k: str) -> np.ndarray:
                return np.asarray(f.get_tensor(prefix + k), dtype=np.float32)

            def t(k: str, scale: float = 1.0) -> np.ndarray:  # (out, in) -> (in, out)
                return np.ascontiguousarray(get(k).T * np.float32(scale))

            self.word = get("embeddings.word_embeddings.weight")
            self.pos = get("embeddings.position_embeddings.weight")
            self.pos = self.pos + get("embeddings.token_type_embeddings.weight")[0]
            self.emb_ln = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
            self.layers: list[dict[str, Any]] = []
            s = 1 / math.sqrt(hd)  # attention scaling folded into the query weights
            for i in range(int(cfg["num_hidden_layers"])):
                p = f"encoder.layer.{i}."
                a, o = p + "attention.self.", p + "attention.output."
                qkv = [(a + "query", s), (a + "key", 1.0), (a + "value", 1.0)]
                dense = {"o": o + "dense", "i": p + "intermediate.dense", "f": p + "output.dense"}
                ly: dict[str, Any] = {f"{k}_w": t(n + ".weight") for k, n in dense.items()}
                ly |= {f"{k}_b": get(n + ".bias") for k, n in dense.items()}
                ly["qkv_w"] = np.concatenate([t(n + ".weight", sc) for n, sc in qkv], axis=1)
                # Only the query bias is needed in attention: the key bias adds the
                # same score to every key of a query (softmax ignores it), and as
                # attention rows sum to 1 the value bias moves to the output bias.
                ly["q_b"] = get(a + "query.bias") * np.float32(s)
                ly["o_b"] = ly["o_b"] + get(a + "value.bias") @ ly["o_w"]
                for k, n in (("ln1", o), ("ln2", p + "output.")):
                    ly[k] = (get(n + "LayerNorm.weight"), get(n + "LayerNorm.bias"))
                self.layers.append(ly)

    def forward(self, ids: np.ndarray, groups: list[tuple[int, int, int]]) -> np.ndarray:
        """Mean-pooled, L2-normalised embeddings, one row per sequence."""
        h, nh = self.dim, self.heads
        hd = h // nh
        rows = len(ids)
        positions = np.concatenate([np.tile(np.arange(length), n) for _, n, length in groups])
        x = self.word[ids]
        x += self.pos[positions]
        x = _layer_norm_(x, *self.emb_ln, self.eps)
        with np.errstate(over="ignore"):
            for ly in self.layers:
                qkv = x @ ly["qkv_w"]
                qkv[:, :h] += ly["q_b"]
                ctx = np.empty((rows, h), dtype=np.float32)
                for start, n, length in groups:
                    blk = qkv[start : start + n * length].reshape(n, length, 3, nh, hd)
                    q = blk[:, :, 0].transpose(0, 2, 1, 3)
                    k = blk[:, :, 1].transpose(0, 2, 3, 1)
                    v = blk[:, :, 2].transpose(0, 2, 1, 3)
                    sc = q @ k  # (n, heads, L, L)
                    sc -= sc.max(axis=-1, keepdims=True)
                    np.exp(sc, out=sc)
                    sc /= sc.sum(axis=-1, keepdims=True)
                    dst = ctx[start : start + n * length].reshape(n, length, nh, hd)
                    dst[...] = (sc @ v).transpose(0, 2, 1, 3)
                a = ctx @ ly["o_w"]
                a += ly["o_b"]
                a += x
                x = _layer_norm_(a, *ly["ln1"], self.eps)
                inner = x @ ly["i_w"]
                inner += ly["i_b"]
                out = _gelu_(inner) @ ly["f_w"]
                out += ly["f_b"]
                out += x
                x = _layer_norm_(out, *ly["ln2"], self.eps)
        pooled = np.concatenate(
            [x[s : s + n * length].reshape(n, length, h).mean(axis=1) for s, n, length in groups]
        )
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled

    def encode(self, seqs: Sequence[Sequence[int]]) -> np.ndarray:
        """Embeddings of token id sequences, one row each.

        Consecutive sequences of equal length are packed into one group; give
        them sorted by length to get few, large groups.
        """
        flat = np.fromiter(
            (t for s in seqs for t in s),
            dtype=np.int64,
            count=sum(len(s) for s in seqs),
        )
        groups: list[tuple[int, int, int]] = []
        row = 0
        for s in seqs:
            length = len(s)
            if groups and groups[-1][2] == length:
                start, n, _ = groups[-1]
                groups[-1] = (start, n + 1, length)
            else:
                groups.append((row, 1, length))
            row += length
        return self.forward(flat, groups)
