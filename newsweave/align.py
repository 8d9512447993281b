"""Alignment: group sentences from different articles that state the same thing.

The product is a list of :class:`~newsweave.records.Fact`. Every sentence
belongs to exactly one fact; a fact holds at most one sentence per article
(the article's closest wording), so each supporting source is cited by one
exact span. Near-duplicate articles (the same wire copy in several outlets)
still support a fact, but count as one independent *account*.

Method: candidate pairs are sentences of different articles whose embedding
cosine similarity reaches ``link``; pairs are merged greedily from the most
similar down (average-linkage style), and a merge is refused when any pair of
sentences in the merged group would fall below ``floor`` or when two
sentences of one article would end up together. Complete linkage at ``floor``
stops the chaining that plain connected components would produce.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .dedup import copies
from .records import Article, Fact, Sentence

DEFAULT_LINK = 0.72
DEFAULT_FLOOR = 0.6


@dataclass
class Alignment:
    facts: list[Fact]
    fact_of: dict[str, str]  # sentence id -> fact id
    account_of: dict[str, str]  # article id -> id of its account (dup group head)
    # article id -> id of its group of near-identical copies (dedup.copies);
    # the summary counts repetition by these, independence by accounts
    copy_of: dict[str, str] = field(default_factory=dict)

    def fact(self, fact_id: str) -> Fact:
        return self.facts[int(fact_id[1:])]


def accounts(articles: Sequence[Article]) -> dict[str, str]:
    """Map each article id to the id of its independent account."""
    known = {a.id for a in articles}
    out: dict[str, str] = {}
    for a in articles:
        head = a.duplicate_of if a.duplicate_of in known else a.id
        out[a.id] = head
    return out


def _candidate_pairs(
    sentences: Sequence[Sentence], emb: np.ndarray, link: float, block: int = 2048
) -> list[tuple[float, int, int]]:
    """(similarity, i, j) for sentences of different articles with sim >= link."""
    index: dict[str, int] = {}
    art = np.array([index.setdefault(s.article_id, len(index)) for s in sentences])
    pairs: list[tuple[float, int, int]] = []
    n = len(sentences)
    later = np.arange(n)
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        sims = emb[lo:hi] @ emb.T
        # pairs (i, j > i) of different articles only, filtered in numpy: an
        # article repeating one line thousands of times gave millions of
        # same-article pairs to a Python loop (minutes, gigabytes)
        keep = (sims >= link) & (art[lo:hi, None] != art[None, :])
        keep &= later[None, :] > later[lo:hi, None]
        rows, cols = np.nonzero(keep)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            pairs.append((float(sims[r, c]), lo + r, c))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def align(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    embeddings: np.ndarray,
    *,
    link: float = DEFAULT_LINK,
    floor: float = DEFAULT_FLOOR,
    copy_of: dict[str, str] | None = None,
) -> Alignment:
    """Group ``sentences`` (with their L2-normalised ``embeddings``) into facts.
    ``copy_of``: :func:`newsweave.dedup.copies` of ``articles``, when already
    made (otherwise made here)."""
    account_of = accounts(articles)
    n = len(sentences)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    group_of = list(range(n))
    arts: dict[int, set[str]] = {i: {sentences[i].article_id} for i in range(n)}

    for _sim, i, j in _candidate_pairs(sentences, embeddings, link):
        gi, gj = group_of[i], group_of[j]
        if gi == gj or arts[gi] & arts[gj]:
            continue
        a, b = members[gi], members[gj]
        if float((embeddings[a] @ embeddings[b].T).min()) < floor:
            continue
        keep, drop = (gi, gj) if len(a) >= len(b) else (gj, gi)
        members[keep].extend(members[drop])
        arts[keep] |= arts[drop]
        for k in members[drop]:
            group_of[k] = keep
        del members[drop], arts[drop]

    facts: list[Fact] = []
    fact_of: dict[str, str] = {}
    # facts (and their ids f0, f1...) in the order of their earliest sentence;
    # sentences come in the canonical order of the articles (pipeline.prepare),
    # so ids do not depend on the order the articles were given in
    for group in sorted(members.values(), key=min):
        group.sort()
        fid = f"f{len(facts)}"
        sources = list(dict.fromkeys(sentences[k].article_id for k in group))
        if len(group) > 1:
            sub = embeddings[group]
            rep = group[int(np.argmax((sub @ sub.T).sum(axis=1)))]
        else:
            rep = group[0]
        facts.append(
            Fact(
                id=fid,
                sentences=[sentences[k].id for k in group],
                sources=sources,
                accounts=len({account_of[a] for a in sources}),
                representative=sentences[rep].id,
            )
        )
        for k in group:
            fact_of[sentences[k].id] = fid
    if copy_of is None:
        copy_of = copies(list(articles))
    return Alignment(facts=facts, fact_of=fact_of, account_of=account_of, copy_of=copy_of)
