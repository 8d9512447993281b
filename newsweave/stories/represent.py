"""How an article is represented for clustering into stories.

An article is embedded once, when it is ingested, and the vector is stored.
What is embedded depends on the backend:

``tfidf`` (default for stories)
    Model-free hashed word/bigram vectors (:class:`newsweave.embed.HashingEmbedder`)
    of the title plus the first ``BODY_CHARS`` characters of the article's
    content (boilerplate removed by :func:`newsweave.clean.clean_article`).
    Fast (thousands of articles a second) and as good as MiniLM on the
    labelled set (see docs/stories.md).
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

import re
from collections.abc import Sequence

import numpy as np

from ..records import Article

DEFAULT_STORY_EMBEDDER = "tfidf"
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
    """The stored name of a story embedder (aliases resolved)."""
    key = (name or DEFAULT_STORY_EMBEDDER).strip().lower().replace("_", "-")
    return {
        "hashing": "tfidf",
        "st": "sentence-transformers",
        "sbert": "sentence-transformers",
    }.get(key, key)


def embed_articles(
    articles: Sequence[Article], name: str | None = None, *, bodies: Sequence[str] | None = None
) -> np.ndarray:
    """One L2-normalised float32 row per article, for story clustering
    (the zero row for a :func:`content_free` article).

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


def from_blobs(blobs: Sequence[bytes], dim: int) -> np.ndarray:
    """Stored vectors back as a float32 matrix with L2-normalised rows."""
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    out = np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(len(blobs), dim)
    out = out.astype(np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms
