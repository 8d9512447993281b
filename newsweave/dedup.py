"""Near-duplicate articles: the same copy (e.g. one wire story) in several outlets.

:func:`mark_duplicates` groups articles by the Jaccard similarity of the
word 5-gram shingles of their kept content (the spans left by
:func:`newsweave.clean.clean_article`): exactly up to a few hundred
articles, with MinHash LSH (datasketch) above.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

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


def shingle_sets(articles: Sequence[Article]) -> list[set[int]]:
    """The word 5-gram shingles of each article's kept content, in order: made
    once per story and given to both :func:`mark_duplicates` and
    :func:`copies` (``sets=``), which otherwise each make their own."""
    return [_shingles(a) for a in articles]


def _given_sets(articles: Sequence[Article], sets: list[set[int]] | None) -> list[set[int]]:
    if sets is None:
        return shingle_sets(articles)
    if len(sets) != len(articles):
        raise ValueError(f"{len(sets)} shingle sets given for {len(articles)} articles")
    return sets


# fewest shingles of an article that counts as a cut of a longer copy
MIN_CONTAINED = 40
# share of the smaller's shingles that every two articles of one group of
# copies have in common: a digest holding two unrelated short stories links
# each to itself, not the two to each other
RELATED = 0.5


def _head_key(article: Article, shingles: set[int]) -> tuple:
    """Representative of a group of copies: the fullest copy, then the one
    that says most about itself (title, outlet, url, date), then the
    canonical order."""
    known = sum(bool(x) for x in (article.title, article.outlet, article.url, article.date))
    return (-len(shingles), -known, content_key(article))


def _linked(
    sets: list[set[int]],
    threshold: float,
    exact_limit: int,
    contained: bool,
    keys: list | None = None,
) -> DisjointSet:
    """Groups of articles whose shingle sets are near-duplicates (Jaccard >=
    ``threshold``, closed transitively) or, with ``contained``, of which the
    smaller (at least ``MIN_CONTAINED`` shingles) has ``threshold`` of its
    shingles in the larger. A cut joins a group only if it shares
    ``RELATED`` of the smaller's shingles with every member of it: such
    links are taken strongest first, ties by ``keys`` (canonical order of
    the articles), so the groups do not depend on the order of ``sets``."""
    n = len(sets)
    sets_of = DisjointSet(n)

    cuts: list[tuple[float, int, int]] = []

    def consider(i: int, j: int) -> None:
        a, b = sets[i], sets[j]
        if not a or not b:
            return
        inter = len(a & b)
        if inter >= threshold * (len(a) + len(b) - inter):
            sets_of.union(i, j)
            return
        small = min(len(a), len(b))
        if contained and small >= MIN_CONTAINED and inter >= threshold * small:
            cuts.append((inter / small, i, j))

    if n <= exact_limit:
        order = sorted(range(n), key=lambda i: len(sets[i]))
        for x, i in enumerate(order):
            if not sets[i]:
                continue
            for j in order[x + 1 :]:
                if not contained and len(sets[i]) < threshold * len(sets[j]):
                    break  # sorted by size: no later set can reach the threshold
                consider(i, j)
    else:
        from datasketch import MinHash, MinHashLSH

        lsh = MinHashLSH(threshold=threshold * 0.9, num_perm=128)
        for i, sh in enumerate(sets):
            if not sh:
                continue
            mh = MinHash(num_perm=128)
            mh.update_batch([str(h).encode() for h in sh])
            for j in lsh.query(mh):
                consider(i, int(j))
            lsh.insert(str(i), mh)
    if cuts:
        _join_cuts(sets, sets_of, cuts, keys if keys is not None else list(range(n)))
    return sets_of


def _join_cuts(
    sets: list[set[int]], sets_of: DisjointSet, cuts: list[tuple[float, int, int]], rank: list
) -> None:
    """Join the groups of each cut and its copy, strongest first, when every
    article of one shares ``RELATED`` of the smaller's shingles with every
    article of the other."""
    members = {g[0]: g for g in sets_of.groups()}  # a group's root is its smallest member
    related: dict[tuple[int, int], bool] = {}

    def close(a: int, b: int) -> bool:
        if (a, b) not in related:
            small = min(len(sets[a]), len(sets[b]))
            related[a, b] = small > 0 and len(sets[a] & sets[b]) >= RELATED * small
        return related[a, b]

    cuts.sort(key=lambda c: (-c[0], *sorted((rank[c[1]], rank[c[2]]))))
    for _share, i, j in cuts:
        gi, gj = sets_of.find(i), sets_of.find(j)
        if gi != gj and all(close(a, b) for a in members[gi] for b in members[gj]):
            sets_of.union(gi, gj)
            members[min(gi, gj)] = members.pop(gi) + members.pop(gj)


def copies(
    articles: list[Article],
    *,
    threshold: float = 0.8,
    exact_limit: int = 400,
    sets: list[set[int]] | None = None,
) -> dict[str, str]:
    """Article id -> a stable id of its group of near-identical copies (Jaccard
    only: a short cut of a longer copy is a copy of its own). The summary
    weighs what the story repeats by these groups; independence (accounts)
    is :func:`mark_duplicates`. ``sets``: the articles' :func:`shingle_sets`,
    when already made."""
    sets = _given_sets(articles, sets)
    out: dict[str, str] = {}
    for members in _linked(sets, threshold, exact_limit, contained=False).groups():
        head = articles[min(members, key=lambda m: _head_key(articles[m], sets[m]))].id
        for m in members:
            out[articles[m].id] = head
    return out


def mark_duplicates(
    articles: list[Article],
    *,
    threshold: float = 0.8,
    exact_limit: int = 400,
    sets: list[set[int]] | None = None,
) -> list[list[str]]:
    """Group copies of one text (same wire story) and return the groups.

    Two articles are copies when the Jaccard similarity of their word 5-gram
    shingles (over the kept content) is at least ``threshold``, or when one
    (of at least ``MIN_CONTAINED`` shingles) has ``threshold`` of its
    shingles in the other: a wire story's short version, or an earlier
    write-through of a longer one, is not an independent account. Copies are
    closed transitively; a cut joins a group only if it shares ``RELATED``
    (half) of the smaller's shingles with each of its members, so that a
    digest holding two outlets' short stories does not make them one
    account (it joins the one it holds most completely). Each group has one
    representative, which
    does not depend on the order of ``articles``: the fullest copy (the most
    shingles of kept content), then the one with most of title, outlet, url
    and date, then the first in the canonical order (:mod:`newsweave.canonical`). Every other article of the group gets
    ``duplicate_of`` set to its id; the representatives, and articles without
    a copy, get ``duplicate_of = None``. Each returned group (ids,
    in the order given) is one independent account; singletons are included.
    Up to ``exact_limit`` articles every pair is compared exactly; above it
    only the pairs MinHash LSH (datasketch) proposes for their Jaccard
    similarity, so a short cut of a long copy may then count on its own.
    ``sets``: the articles' :func:`shingle_sets`, when already made.
    """
    sets = _given_sets(articles, sets)
    keys = [content_key(a) for a in articles]
    sets_of = _linked(sets, threshold, exact_limit, contained=True, keys=keys)

    out = []
    for members in sets_of.groups():
        head = articles[min(members, key=lambda m: _head_key(articles[m], sets[m]))]
        for m in members:
            articles[m].duplicate_of = None if articles[m] is head else head.id
        out.append([articles[m].id for m in members])
    return out
