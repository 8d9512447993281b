"""How an article is represented for clustering into stories.

An article is embedded once, when it is ingested, and the vector is stored.
What is embedded depends on the backend:

``bucket-idf`` (default for stories)
    The ``tfidf`` features below hashed into ``IDF_DIM`` (2048) dimensions,
    weighted at comparison time by an inverse document frequency per hash
    bucket (:class:`DocFreq`) counted over the articles already stored. What
    is stored is the *raw* (unweighted, L2-normalised) vector; the store
    keeps the document-frequency counters, and the clusterer weighs every
    vector it holds with one snapshot of them (:class:`IncrementalIdf`).
``tfidf``
    Model-free hashed word/bigram vectors (:class:`newsweave.embed.HashingEmbedder`,
    1024 dimensions) of the title plus the first ``BODY_CHARS`` characters of
    the article's content (boilerplate removed by
    :func:`newsweave.clean.clean_article`). Fast (thousands of articles a
    second) and better than MiniLM on the labelled set (see docs/stories.md).
``minilm`` / ``sentence-transformers``
    The sentence model on the title plus the lead: the first ``LEAD_CHARS``
    characters of content (about 2-3 sentences, 128 word pieces), so a long
    article costs the same as a short one.
``hybrid``
    Both, concatenated with weights so that the cosine is the mean of the two
    cosines.

Every vector is L2-normalised float32; the database keeps float16.

Content-free articles (:func:`content_free`: fewer than
``MIN_CONTENT_WORDS`` words in the title and in what is left once
boilerplate lines are removed, e.g. a web-archive crawl notice, a cookie or
"page not available" page) get the zero vector whatever the backend: their similarity to everything is 0, so
they never join or glue together stories and each stays a story of its own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..records import Article

BUCKET_IDF = "bucket-idf"
DEFAULT_STORY_EMBEDDER = BUCKET_IDF
IDF_DIM = 2048  # hashed dimensions of the bucket-idf representation
IDF_FLOOR = 0.1  # added to every idf, so that no weight is zero (a bucket in every article)
# pseudo-articles counted in N that contain nothing: with few articles stored,
# the words they all share (their common story) are not weighted away
IDF_PRIOR_DOCS = 50
IDF_REFRESH = 1.5  # re-weigh once the counted articles grew by this factor
# similarity an article needs to join a story, per representation (measured
# on the labelled set, see docs/stories.md); others use ClusterParams' default
DEFAULT_THRESHOLDS = {BUCKET_IDF: 0.16}
BODY_CHARS = 3000
LEAD_CHARS = 600
_DENSE_WEIGHT = 0.5
MIN_CONTENT_WORDS = 10
_WORD = re.compile(r"[^\W\d_]{2,}")


def content_text(article: Article) -> str:
    """The article's content with boilerplate lines left out (all text when
    cleaning keeps nothing)."""
    from ..clean import clean_article

    if article.content_spans is None:
        clean_article(article)
    parts = [article.text[s:e] for s, e in article.spans()]
    body = "\n".join(p for p in parts if p.strip())
    return body if body.strip() else article.text


def content_free(article: Article) -> bool:
    """Whether the article has fewer than ``MIN_CONTENT_WORDS`` words in its
    title and kept content spans (after :func:`newsweave.clean.clean_article`):
    pure boilerplate such as archive-crawl notices, cookie or subscription
    pages."""
    from ..clean import clean_article

    if article.content_spans is None:
        clean_article(article)
    words = len(_WORD.findall(article.title or ""))
    for s, e in article.spans():
        words += len(_WORD.findall(article.text[s:e]))
        if words >= MIN_CONTENT_WORDS:
            return False
    return True


def _head(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit]


def clustering_text(article: Article, *, lead: bool, body: str | None = None) -> str:
    """Title plus lead (``lead=True``) or plus the first part of the body."""
    body = content_text(article) if body is None else body
    head = _head(body, LEAD_CHARS if lead else BODY_CHARS)
    title = (article.title or "").strip()
    if title and not head.startswith(title):
        return f"{title}\n{head}"
    return head


def canonical(name: str | None) -> str:
    """The stored name of a story embedder (aliases resolved); an
    :class:`InputError` naming the representations for an unknown name."""
    key = (name or DEFAULT_STORY_EMBEDDER).strip().lower().replace("_", "-")
    key = {
        "hashing": "tfidf",
        "st": "sentence-transformers",
        "sbert": "sentence-transformers",
        "idf": BUCKET_IDF,
        "bucketidf": BUCKET_IDF,
    }.get(key, key)
    from ..embed import available_embedders  # the core's backends, registered ones too

    core = available_embedders()
    if key not in (BUCKET_IDF, "hybrid") and key not in core:
        names = [BUCKET_IDF, "tfidf", "minilm", "sentence-transformers", "hybrid"]
        names += sorted(set(core) - set(names))
        raise InputError(f"unknown embedder {name!r}; the story commands take: {', '.join(names)}")
    return key


def needs_idf(name: str | None) -> bool:
    """Whether the stored vectors of ``name`` are raw vectors to be weighted
    by document frequencies before any comparison."""
    return canonical(name) == BUCKET_IDF


def default_threshold(name: str | None, fallback: float) -> float:
    """The default clustering threshold for the representation ``name``."""
    return DEFAULT_THRESHOLDS.get(canonical(name), fallback)


_HASHERS: dict[int, object] = {}


def _hasher(dim: int):
    from ..embed import HashingEmbedder

    if dim not in _HASHERS:
        _HASHERS[dim] = HashingEmbedder(dim)
    return _HASHERS[dim]


def embed_articles(
    articles: Sequence[Article], name: str | None = None, *, bodies: Sequence[str] | None = None
) -> np.ndarray:
    """One L2-normalised float32 row per article, for story clustering
    (the zero row for a :func:`content_free` article).

    For ``bucket-idf`` these are the raw vectors that are stored; compare
    them only once weighted (:meth:`DocFreq.weigh`).

    ``bodies`` are the articles' content texts when the caller has them
    already (from :func:`content_text`).
    """
    from ..embed import get_embedder

    name = canonical(name)
    if bodies is None:
        bodies = [content_text(a) for a in articles]
    if not articles:
        return np.zeros((0, 1), dtype=np.float32)
    if name == "hybrid":
        dense = get_embedder("minilm").embed(
            [clustering_text(a, lead=True, body=b) for a, b in zip(articles, bodies, strict=True)]
        )
        sparse = get_embedder("tfidf").embed(
            [clustering_text(a, lead=False, body=b) for a, b in zip(articles, bodies, strict=True)]
        )
        out = np.hstack([np.sqrt(_DENSE_WEIGHT) * dense, np.sqrt(1 - _DENSE_WEIGHT) * sparse])
    elif name == BUCKET_IDF:
        texts = [
            clustering_text(a, lead=False, body=b) for a, b in zip(articles, bodies, strict=True)
        ]
        out = _hasher(IDF_DIM).embed(texts)
    else:
        lead = name != "tfidf"
        texts = [
            clustering_text(a, lead=lead, body=b) for a, b in zip(articles, bodies, strict=True)
        ]
        out = get_embedder(name).embed(texts)
    out = np.asarray(out, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out = out / norms
    out[[content_free(a) for a in articles]] = 0.0
    return out


def to_blob(vector: np.ndarray) -> bytes:
    """Stored form of one vector (float16)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` as they read back from the store (float16-rounded and
    re-normalised), so that what is clustered now equals what a later run
    rebuilds from the database."""
    return _normalise(np.asarray(vectors, dtype=np.float16).astype(np.float32))


def from_blobs(blobs: Sequence[bytes], dim: int) -> np.ndarray:
    """Stored vectors back as a float32 matrix with L2-normalised rows."""
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    out = np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(len(blobs), dim)
    return _normalise(out.astype(np.float32))


def _normalise(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return rows / norms


@dataclass
class DocFreq:
    """Document frequencies per hash bucket: ``df[j]`` of the ``docs``
    counted raw vectors have a non-zero value in dimension ``j``.

    Every stored vector counts in ``docs`` (a content-free zero vector adds
    to no bucket), so ``docs`` equals the number of stored vectors.
    """

    df: np.ndarray  # int64, one counter per dimension
    docs: int = 0

    @classmethod
    def empty(cls, dim: int) -> DocFreq:
        return cls(np.zeros(dim, dtype=np.int64), 0)

    @classmethod
    def of(cls, raw: np.ndarray) -> DocFreq:
        """The counts of ``raw`` (rows = articles)."""
        out = cls.empty(raw.shape[1])
        out.add(raw)
        return out

    @classmethod
    def from_blob(cls, docs: int, blob: bytes) -> DocFreq:
        return cls(np.frombuffer(blob, dtype=np.int64).copy(), int(docs))

    def to_blob(self) -> bytes:
        return np.asarray(self.df, dtype=np.int64).tobytes()

    def digest(self) -> str:
        """A short fingerprint of the counts (which weights a vector got)."""
        h = hashlib.sha256(self.to_blob() + str(self.docs).encode())
        return h.hexdigest()[:16]

    def copy(self) -> DocFreq:
        return DocFreq(self.df.copy(), self.docs)

    def add(self, raw: np.ndarray) -> None:
        """Count the rows of ``raw``."""
        for start in range(0, len(raw), 8192):  # bounded temporaries
            self.df += np.count_nonzero(raw[start : start + 8192], axis=0)
        self.docs += len(raw)

    def idf(self) -> np.ndarray:
        """``log((1 + docs + IDF_PRIOR_DOCS) / (1 + df)) + IDF_FLOOR`` per
        dimension (float32).

        The ``IDF_PRIOR_DOCS`` empty pseudo-articles matter only while few
        articles are stored: two articles of one story alone in a new
        database share most of their words, which a plain idf would weigh
        to nearly zero (their cosine fell from 0.46 to 0.04 on the bundled
        sample; 0.41 with the prior). With hundreds of articles stored the
        prior changes every weight by less than ``log(1 + 50 / N)``.
        """
        n = 1.0 + self.docs + IDF_PRIOR_DOCS
        return (np.log(n / (1.0 + self.df)) + IDF_FLOOR).astype(np.float32)

    def weigh(self, raw: np.ndarray, *, inplace: bool = False) -> np.ndarray:
        """``raw`` rows times the idf, L2-normalised (zero rows stay zero).

        ``inplace=True`` overwrites ``raw`` (a float32 array) block by block
        instead of allocating a weighted copy."""
        idf = self.idf()
        if not inplace:
            return _normalise(np.asarray(raw, dtype=np.float32) * idf)
        for start in range(0, len(raw), 8192):
            block = raw[start : start + 8192]
            block *= idf
            norms = np.linalg.norm(block, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            block /= norms
        return raw


@dataclass
class IncrementalIdf:
    """Document frequencies counted as articles arrive, and the snapshot of
    them that the clustering vectors are weighted with.

    ``live`` counts every stored vector; ``weights`` is the snapshot in use.
    :meth:`add` counts a new unit and takes a new snapshot when ``live`` has
    grown by ``IDF_REFRESH`` since the last one (always while the snapshot
    is empty), so the snapshot never lags far behind while re-weighting the
    held vectors costs O(n) a logarithmic number of times.
    """

    live: DocFreq
    weights: DocFreq
    refresh: float = IDF_REFRESH
    refreshed: int = field(default=0, compare=False)  # snapshots taken (for tests/benches)

    @classmethod
    def empty(cls, dim: int) -> IncrementalIdf:
        return cls(DocFreq.empty(dim), DocFreq.empty(dim))

    def add(self, raw: np.ndarray) -> np.ndarray | None:
        """Count ``raw``; when the snapshot is refreshed, return the factor
        (per dimension) that turns a vector weighted with the old snapshot
        into one weighted with the new (re-normalise after), else None."""
        self.live.add(raw)
        if self.live.docs == self.weights.docs:
            return None
        if self.weights.docs and self.live.docs < self.refresh * self.weights.docs:
            return None
        old = self.weights.idf()
        self.weights = self.live.copy()
        self.refreshed += 1
        return self.weights.idf() / old

    def weigh(self, raw: np.ndarray) -> np.ndarray:
        """``raw`` weighted with the current snapshot."""
        return self.weights.weigh(raw)
