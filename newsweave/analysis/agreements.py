"""Agreements and exclusives, read off the core's fact alignment.

*Agreements* are facts carried by two or more independent accounts (near
duplicate articles count once), each with the supporting sentence of every
source; ``all`` marks the facts every account reports.

*Exclusives* are facts only one account reports, ranked by salience (the
summary's sentence score: centrality to the story and position in the
article) and cut to the ones that matter: sentences that can stand alone,
that no other source states in close words (``PARTIAL_SIM``) or holds
nearly word for word (:func:`held_in`),
at most ``MAX_EXCLUSIVES`` per source, picked for salience and variety.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

import numpy as np

from ..disjoint import DisjointSet
from ..records import Sentence
from ..segment import is_fragment
from ..summarize import Params, eligible, score_sentences
from .nlp import Parsed, sentence_dict

if TYPE_CHECKING:  # pragma: no cover
    pass

PARTIAL_SIM = 0.66  # a sentence this close to another source is not exclusive
MAX_EXCLUSIVES = 6  # per source
SHARE = 0.4  # at most this share of a source's candidates (but at least 2)
INFO_WEIGHT = 0.5
REDUNDANCY = 1.0  # MMR penalty on similarity to exclusives already picked
SAME_SIM = 0.7  # a candidate this close to a picked one says the same again
MIN_WORDS = 5
SHARED_WORDS = 12  # a sentence this long found word for word in two accounts is one passage
COPY_RATIO = 0.8  # ... or lightly edited: this share of the words the same, in order,
EDITED_WORDS = 15  # in sentences this long (a short one two reporters may well word alike)
_WORD = re.compile(r"[^\W_]+")


def salience(parsed: Parsed) -> np.ndarray:
    """Summary salience of every sentence (same scale as the summary's)."""
    return score_sentences(parsed.ds, Params())


def _wording(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def same_passage(a: list[str], b: list[str]) -> bool:
    """Whether two sentences (as word lists) are one passage: the same word for
    word (``SHARED_WORDS`` words or more), or lightly edited (a word changed, a
    clause added or cut: ``COPY_RATIO`` of the words the same and in order, in
    sentences of ``EDITED_WORDS`` words or more). Two outlets telling one fact
    in their own words stay well under it (at most 0.62 on DUC, copies 0.82+)."""
    if min(len(a), len(b)) < SHARED_WORDS:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) < EDITED_WORDS:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= COPY_RATIO


def independent(sents: list[Sentence], account_of: dict[str, str]) -> int:
    """Accounts among ``sents``, counting once those whose sentences are one
    passage (:func:`same_passage`): one wire passage printed by two outlets,
    an update of a wire story that keeps its paragraphs, or a passage reused by
    a later story is one account."""
    index: dict[str, int] = {}
    for s in sents:
        index.setdefault(account_of.get(s.article_id, s.article_id), len(index))
    groups = DisjointSet(len(index))
    seen: list[tuple[list[str], int]] = []
    for s in sents:
        acc = index[account_of.get(s.article_id, s.article_id)]
        words = _wording(s.text).split()
        for other, other_acc in seen:
            if other_acc != acc and same_passage(words, other):
                groups.union(other_acc, acc)
        seen.append((words, acc))
    return len(groups.groups())


def states(text: str) -> bool:
    """Whether a sentence states something a source can be said to carry: not a
    headline, label or other fragment (:func:`~newsweave.segment.is_fragment`)
    and not a question ("Who is the killer?" asserts nothing)."""
    return not is_fragment(text) and not text.rstrip("\"'”’) ").endswith("?")


def agreements(parsed: Parsed, scores: np.ndarray) -> list[dict[str, Any]]:
    """Facts of two or more independent accounts, most widely carried first.
    Only sentences that state something (:func:`states`) count: two headlines
    ("US government stops Haiti evacuations" / "US government to resume Haiti
    evacuations") or two questions are no agreement."""
    ds = parsed.ds
    account_of = ds.alignment.account_of
    total = len(ds.accounts_with_text())
    rows = []
    for fact in ds.facts:
        if fact.accounts < 2:
            continue
        sents = [s for s in ds.sentences_by_id(fact.sentences) if states(s.text)]
        accounts = independent(sents, account_of)
        if accounts < 2:
            continue  # one passage in several outlets (or headlines): not corroboration
        rep = ds.sentence(fact.representative)
        if rep not in sents:
            rep = sents[0]
        if len(rep.text.split()) < MIN_WORDS:
            continue
        score = max(float(scores[parsed.index[s.id]]) for s in sents)
        rows.append(
            {
                "fact": fact.id,
                "text": rep.text,
                "accounts": accounts,
                "all": len({account_of.get(x.article_id, x.article_id) for x in sents}) == total,
                "sources": [a for a in fact.sources if a in {x.article_id for x in sents}],
                "salience": round(score, 4),
                "evidence": [sentence_dict(s) for s in sents],
            }
        )
    rows.sort(key=lambda r: (-r["accounts"], -r["salience"]))
    return rows


_INFO_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "DATE", "CARDINAL",
                          "MONEY", "PERCENT", "QUANTITY"})  # fmt: skip


def information(parsed: Parsed, k: int) -> float:
    """0..1: how much checkable content (names, figures, dates) sentence ``k`` carries."""
    found = {(e.label_, e.text.lower()) for e in parsed.docs[k].ents if e.label_ in _INFO_LABELS}
    return min(1.0, len(found) / 4)


def held_in(words: list[str], other: list[str]) -> bool:
    """Whether ``other`` (a sentence's words) holds ``words`` nearly word for
    word: ``COPY_RATIO`` of them, in order ("Arafat also called Netanyahu to
    express his sorrow." in "Arafat called Netanyahu to express sorrow over
    Friday's bombing, but ..."), whatever else it says."""
    if not words or len(set(words) & set(other)) < COPY_RATIO * len(set(words)):
        return False
    blocks = SequenceMatcher(None, words, other, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) >= COPY_RATIO * len(words)


def _held_elsewhere(wording: list[list[str]], ks: list[int], acc_idx: np.ndarray) -> set[int]:
    """The sentences among ``ks`` that a sentence of another account holds
    (:func:`held_in`). Pairs sharing too few distinct words are ruled out at
    once by one sparse product (a story of 60 articles has millions of
    pairs), and only the rest are aligned."""
    if not ks:
        return set()
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, words in enumerate(wording):
        for w in set(words):
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    bags = csr_matrix(
        (np.ones(len(rows), np.int32), (rows, cols)), shape=(len(wording), max(1, len(vocab)))
    )
    shared = (bags[ks] @ bags.T).toarray()
    held = set()
    for r, k in enumerate(ks):
        need = COPY_RATIO * len(set(wording[k]))
        near = np.flatnonzero((shared[r] >= need) & (acc_idx != acc_idx[k]))
        if any(held_in(wording[k], wording[o]) for o in near):
            held.add(k)
    return held


def _max_sim(sims: np.ndarray, k: int, others: list[int]) -> float:
    return max((float(sims[k, o]) for o in others), default=0.0)


def exclusives(parsed: Parsed, scores: np.ndarray) -> dict[str, list[dict[str, Any]]]:
    """Salient facts of one account only, per article id (the account's first article).

    Candidates are ranked by salience (summary score plus ``INFO_WEIGHT`` ×
    :func:`information`) and picked by maximal marginal relevance, so that a
    source's distinct exclusive threads (a separate incident at the end of an
    article, say) come before a third restatement of its lead.
    """
    ds = parsed.ds
    account_of = ds.alignment.account_of
    accounts = list(dict.fromkeys(account_of[a.id] for a in ds.articles))
    out: dict[str, list[dict[str, Any]]] = {acc: [] for acc in accounts}
    if len(ds.accounts_with_text()) < 2:
        return out  # nothing to compare with: no fact is "only this one's"
    acc_idx = np.array([accounts.index(account_of[s.article_id]) for s in ds.sentences])
    sims = ds.embeddings @ ds.embeddings.T
    params = Params()
    wording = [_wording(s.text).split() for s in ds.sentences]
    found: list[tuple[int, float, Any]] = []
    for fact in ds.facts:
        if fact.accounts != 1:
            continue
        rep = ds.sentence(fact.representative)
        k = parsed.index[rep.id]
        if len(rep.text.split()) < MIN_WORDS or not eligible(rep.text, params):
            continue
        others = acc_idx != acc_idx[k]
        closest = float(sims[k][others].max()) if others.any() else 0.0
        if closest < PARTIAL_SIM:
            found.append((k, closest, fact))
    held = _held_elsewhere(wording, [k for k, _, _ in found], acc_idx)
    cands: dict[str, list[tuple[float, int, float, Any]]] = {acc: [] for acc in accounts}
    for k, closest, fact in found:
        if k in held:
            continue  # another account prints it (nearly) word for word
        score = float(scores[k]) + INFO_WEIGHT * information(parsed, k)
        cands[account_of[ds.sentences[k].article_id]].append((score, k, closest, fact))
    for acc, rows in cands.items():
        chosen: list[tuple[float, int, float, Any]] = []
        pool = sorted(rows, key=lambda r: -r[0])
        limit = min(MAX_EXCLUSIVES, max(2, int(np.ceil(len(pool) * SHARE))))
        while pool and len(chosen) < limit:
            picked = [c[1] for c in chosen]
            best = max(pool, key=lambda r: r[0] - REDUNDANCY * _max_sim(sims, r[1], picked))
            pool.remove(best)
            if chosen and max(float(sims[best[1], c[1]]) for c in chosen) >= SAME_SIM:
                continue
            chosen.append(best)
        out[acc] = [
            {
                "fact": fact.id,
                "text": ds.sentences[k].text,
                "salience": round(score, 4),
                "closest_other": round(closest, 3),
                "sources": list(fact.sources),
                "evidence": [sentence_dict(s) for s in ds.sentences_by_id(fact.sentences)],
            }
            for score, k, closest, fact in sorted(chosen, key=lambda r: -r[0])
        ]
    return out
