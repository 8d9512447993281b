"""Extractive multi-document summary over aligned facts.

Each fact gets a salience score from three signals:

* **centrality** – cosine of its best sentence to the story centroid (each
  article weighs the same, so one long article cannot own the centroid);
* **support** – the share of independent accounts that carry the fact;
* **position** – news puts what matters first, so earlier sentences score
  higher.

Facts are then chosen greedily (maximal marginal relevance): the most salient
fact whose sentence is not redundant with what is already chosen and still
fits the length budget. The chosen sentences are ordered by where they sit in
their articles, and each cites every sentence of its fact, one exact span per
supporting article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .budget import Budget
from .records import SourceSpan, SummarySentence

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import DocSet

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Params:
    """Summary scoring weights; defaults are tuned on ../shared/data dev sets."""

    centrality: float = 1.0
    support: float = 0.35
    position: float = 0.35
    position_decay: float = 0.5  # position score = 1 / (1 + index) ** decay
    redundancy: float = 0.72  # max cosine to an already chosen sentence
    min_words: int = 6
    max_words: int = 80


def words(text: str) -> int:
    return len(_WORD.findall(text))


def eligible(text: str, params: Params) -> bool:
    """Whether a sentence can stand alone in a summary."""
    n = words(text)
    if n < params.min_words or n > params.max_words:
        return False
    # headlines, questions and lead-ins ("He said:") do not stand alone
    return text.rstrip("\"'”’) ")[-1:] in (".", "!")


def centroid(ds: DocSet) -> np.ndarray:
    """Story centroid with every article weighted equally."""
    by_article: dict[str, list[int]] = {}
    for k, s in enumerate(ds.sentences):
        by_article.setdefault(s.article_id, []).append(k)
    parts = [ds.embeddings[idx].mean(axis=0) for idx in by_article.values() if idx]
    if not parts:
        return np.zeros(ds.embeddings.shape[1], dtype=np.float32)
    c = np.mean(parts, axis=0)
    norm = float(np.linalg.norm(c))
    return c / norm if norm else c


def score_sentences(ds: DocSet, params: Params) -> np.ndarray:
    """Salience of every sentence (higher is better)."""
    n = len(ds.sentences)
    if n == 0:
        return np.zeros(0)
    cent = ds.embeddings @ centroid(ds)
    total_accounts = max(1, len(set(ds.alignment.account_of.values())))
    support = np.zeros(n)
    position = np.zeros(n)
    for k, s in enumerate(ds.sentences):
        fact = ds.alignment.fact(ds.alignment.fact_of[s.id])
        if total_accounts > 1:
            support[k] = (fact.accounts - 1) / (total_accounts - 1)
        position[k] = 1.0 / (1.0 + s.index) ** params.position_decay
    return params.centrality * cent + params.support * support + params.position * position


def select(
    ds: DocSet,
    budget: Budget,
    params: Params | None = None,
    *,
    overflow: bool = False,
) -> list[SummarySentence]:
    """Choose and order summary sentences within ``budget``.

    With ``overflow`` the last sentence may run past a word or byte budget
    (for evaluation at a cap, where the output is truncated afterwards).
    """
    params = params or Params()
    scores = score_sentences(ds, params)
    sid_index = {s.id: k for k, s in enumerate(ds.sentences)}

    # one candidate per fact: its best-scoring eligible sentence
    candidates: list[tuple[float, int]] = []
    for fact in ds.alignment.facts:
        ks = [sid_index[sid] for sid in fact.sentences]
        ks = [k for k in ks if eligible(ds.sentences[k].text, params)]
        if not ks:
            continue
        best = max(ks, key=lambda k: scores[k])
        fact.salience = float(scores[best])
        candidates.append((float(scores[best]), best))
    candidates.sort(key=lambda c: (-c[0], c[1]))

    chosen: list[int] = []
    texts: list[str] = []
    for _score, k in candidates:
        text = ds.sentences[k].text
        if chosen:
            if float((ds.embeddings[chosen] @ ds.embeddings[k]).max()) >= params.redundancy:
                continue
        new_total = budget.total([*texts, text])
        if new_total > budget.amount:
            if overflow and budget.unit != "sentences" and budget.total(texts) < budget.amount:
                chosen.append(k)
                texts.append(text)
                break
            continue
        chosen.append(k)
        texts.append(text)
        if new_total >= budget.amount:
            break
    return [_cite(ds, k) for k in _order(ds, chosen)]


def _order(ds: DocSet, chosen: list[int]) -> list[int]:
    """Reading order: by relative position in the source article, then article order."""
    count: dict[str, int] = {}
    for s in ds.sentences:
        count[s.article_id] = count.get(s.article_id, 0) + 1
    art_rank = {a.id: r for r, a in enumerate(ds.articles)}

    def key(k: int) -> tuple[float, int, int]:
        s = ds.sentences[k]
        return (s.index / max(1, count[s.article_id]), art_rank.get(s.article_id, 0), s.index)

    return sorted(chosen, key=key)


def _cite(ds: DocSet, k: int) -> SummarySentence:
    s = ds.sentences[k]
    fact = ds.alignment.fact(ds.alignment.fact_of[s.id])
    by_id = {x.id: x for x in ds.sentences_by_id(fact.sentences)}
    spans = [s.span] + [
        SourceSpan(x.article_id, x.start, x.end, x.text)
        for sid, x in by_id.items()
        if sid != s.id
    ]
    return SummarySentence(
        text=s.text, sentence=s.id, fact=fact.id, citations=spans, support=fact.accounts
    )


def auto_budget(documents: list[str]) -> Budget:
    """The ``auto`` length rule: a word budget computed from the input size."""
    n = len([d for d in documents if d.strip()])
    return Budget(int(min(400, 150 + 30 * n)), "words")
