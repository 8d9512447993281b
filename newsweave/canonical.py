"""The canonical order of a story's articles.

A story is a *set* of articles: ten outlets telling one story must give the
same account whatever order a folder listing, a feed or a user hands them in.
So every stage that walks the articles or their sentences (segmenting,
embedding, fact alignment, the summary's greedy choice and its ties, the
analysis) walks them in one order that depends on the articles alone: by the
SHA-1 of the text with its runs of whitespace read as one space (so that a
file's final newline, or a blank line more, does not reorder the articles:
the same article read from a file or given as JSON sorts alike), then
title, outlet, url, date and id (these only matter for articles with the
same text). The user's order survives only where it is
shown: the sources' numbers ``[1] [2] ...`` and the order in which sources
are listed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from .records import Article


def content_key(article: Article) -> tuple[str, ...]:
    """Sort key of ``article`` in the canonical order (see the module docstring)."""
    words = " ".join(article.text.split())
    digest = hashlib.sha1(words.encode("utf-8", "surrogatepass")).hexdigest()
    return (
        digest,
        article.title or "",
        article.outlet or "",
        article.url or "",
        article.date or "",
        article.id,
    )


def canonical_order(articles: Sequence[Article]) -> list[Article]:
    """``articles`` in the canonical order: the same list for any order given."""
    return sorted(articles, key=content_key)


def canonical_rank(articles: Sequence[Article]) -> dict[str, int]:
    """Article id -> position in the canonical order."""
    return {a.id: r for r, a in enumerate(canonical_order(articles))}
