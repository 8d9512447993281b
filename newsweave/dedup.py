"""Near-duplicate articles: the same copy (e.g. one wire story) in several outlets.

:func:`mark_duplicates` groups articles by the Jaccard similarity of the
word 5-gram shingles of their kept content (the spans left by
:func:`newsweave.clean.clean_article`): exactly up to a few hundred
articles, with MinHash LSH (datasketch) above.
"""

from __future__ import annotations

import re
import zlib

from .canonical import content_key
from .disjoint import DisjointSet
from .records import Article

_TOKEN = re.compile(r"\w+")


def _hash(shingle: str) -> int:
    # stable across processes (the built-in hash() is salted per process)
    return zlib.crc32(shingle.encode("utf-8"))


def _shingles(article: Article, k: int = 5) -> set[int]:
    words = [w for s, e in article.spans() for w in _TOKEN.findall(article.text[s:e].lower())]
    if len(words) < k:
        return {_hash(" ".join(words))} if words else set()
    return {_hash(" ".join(words[i : i + k])) for i in range(len(words) - k + 1)}


def mark_duplicates(
    articles: list[Article], *, threshold: float = 0.8, exact_limit: int = 400
) -> list[list[str]]:
    """Group near-duplicate articles (same wire copy) and return the groups.

    Two articles are near-duplicates when the Jaccard similarity of their
    word 5-gram shingles (over the kept content) is at least ``threshold``;
    groups are closed transitively. Each group has one representative, which
    does not depend on the order of ``articles``: the fullest copy (the most
    shingles of kept content), ties going to the first in the canonical order
    (:mod:`newsweave.canonical`). Every other article of the group gets
    ``duplicate_of`` set to its id; the representatives, and articles without
    a near-duplicate, get ``duplicate_of = None``. Each returned group (ids,
    in the order given) is one independent account; singletons are included.
    Up to ``exact_limit`` articles the similarity is exact, above it MinHash
    LSH (datasketch).
    """
    n = len(articles)
    sets = [_shingles(a) for a in articles]
    sets_of = DisjointSet(n)
    union = sets_of.union

    def jaccard(i: int, j: int) -> float:
        a, b = sets[i], sets[j]
        if not a or not b:
            return 0.0
        inter = len(a & b)
        return inter / (len(a) + len(b) - inter)

    if n <= exact_limit:
        order = sorted(range(n), key=lambda i: len(sets[i]))
        for x, i in enumerate(order):
            if not sets[i]:
                continue
            for j in order[x + 1 :]:
                if len(sets[i]) < threshold * len(sets[j]):
                    break  # sorted by size: no later set can reach the threshold
                if jaccard(i, j) >= threshold:
                    union(i, j)
    else:
        from datasketch import MinHash, MinHashLSH

        lsh = MinHashLSH(threshold=threshold * 0.9, num_perm=128)
        for i, sh in enumerate(sets):
            if not sh:
                continue
            mh = MinHash(num_perm=128)
            mh.update_batch([str(h).encode() for h in sh])
            for j in lsh.query(mh):
                if jaccard(i, int(j)) >= threshold:
                    union(i, int(j))
            lsh.insert(str(i), mh)

    out = []
    for members in sets_of.groups():
        head = articles[min(members, key=lambda m: (-len(sets[m]), content_key(articles[m])))]
        for m in members:
            articles[m].duplicate_of = None if articles[m] is head else head.id
        out.append([articles[m].id for m in members])
    return out
