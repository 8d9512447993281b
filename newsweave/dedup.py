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


# fewest shingles of an article that counts as a cut of a longer copy
MIN_CONTAINED = 40


def _linked(
    sets: list[set[int]], threshold: float, exact_limit: int, contained: bool
) -> DisjointSet:
    """Groups of articles whose shingle sets are near-duplicates (Jaccard >=
    ``threshold``) or, with ``contained``, of which the smaller (at least
    ``MIN_CONTAINED`` shingles) has ``threshold`` of its shingles in the larger."""
    n = len(sets)
    sets_of = DisjointSet(n)

    def same(i: int, j: int) -> bool:
        a, b = sets[i], sets[j]
        if not a or not b:
            return False
        inter = len(a & b)
        if inter >= threshold * (len(a) + len(b) - inter):
            return True
        small = min(len(a), len(b))
        return contained and small >= MIN_CONTAINED and inter >= threshold * small

    if n <= exact_limit:
        order = sorted(range(n), key=lambda i: len(sets[i]))
        for x, i in enumerate(order):
            if not sets[i]:
                continue
            for j in order[x + 1 :]:
                if not contained and len(sets[i]) < threshold * len(sets[j]):
                    break  # sorted by size: no later set can reach the threshold
                if same(i, j):
                    sets_of.union(i, j)
        return sets_of
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold * 0.9, num_perm=128)
    for i, sh in enumerate(sets):
        if not sh:
            continue
        mh = MinHash(num_perm=128)
        mh.update_batch([str(h).encode() for h in sh])
        for j in lsh.query(mh):
            if same(i, int(j)):
                sets_of.union(i, int(j))
        lsh.insert(str(i), mh)
    return sets_of


def copies(
    articles: list[Article], *, threshold: float = 0.8, exact_limit: int = 400
) -> dict[str, str]:
    """Article id -> a stable id of its group of near-identical copies (Jaccard
    only: a short cut of a longer copy is a copy of its own). The summary
    weighs what the story repeats by these groups; independence (accounts)
    is :func:`mark_duplicates`."""
    sets = [_shingles(a) for a in articles]
    out: dict[str, str] = {}
    for members in _linked(sets, threshold, exact_limit, contained=False).groups():
        head = articles[min(members, key=lambda m: (-len(sets[m]), content_key(articles[m])))].id
        for m in members:
            out[articles[m].id] = head
    return out


def mark_duplicates(
    articles: list[Article], *, threshold: float = 0.8, exact_limit: int = 400
) -> list[list[str]]:
    """Group copies of one text (same wire story) and return the groups.

    Two articles are copies when the Jaccard similarity of their word 5-gram
    shingles (over the kept content) is at least ``threshold``, or when one
    (of at least ``MIN_CONTAINED`` shingles) has ``threshold`` of its
    shingles in the other: a wire story's short version, or an earlier
    write-through of a longer one, is not an independent account. Groups are
    closed transitively. Each group has one representative, which
    does not depend on the order of ``articles``: the fullest copy (the most
    shingles of kept content), ties going to the first in the canonical order
    (:mod:`newsweave.canonical`). Every other article of the group gets
    ``duplicate_of`` set to its id; the representatives, and articles without
    a copy, get ``duplicate_of = None``. Each returned group (ids,
    in the order given) is one independent account; singletons are included.
    Up to ``exact_limit`` articles every pair is compared exactly; above it
    only the pairs MinHash LSH (datasketch) proposes for their Jaccard
    similarity, so a short cut of a long copy may then count on its own.
    """
    sets = [_shingles(a) for a in articles]
    sets_of = _linked(sets, threshold, exact_limit, contained=True)

    out = []
    for members in sets_of.groups():
        head = articles[min(members, key=lambda m: (-len(sets[m]), content_key(articles[m])))]
        for m in members:
            articles[m].duplicate_of = None if articles[m] is head else head.id
        out.append([articles[m].id for m in members])
    return out
