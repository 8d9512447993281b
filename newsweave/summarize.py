"""Extractive multi-document summary over aligned facts.

The summary is chosen to *cover the story's concepts*: content words and word
pairs (lightly stemmed unigrams and bigrams), each weighted by how many
independent accounts carry it (squared, so what several outlets report
dominates) and raised when it appears early in them (news puts what matters
first). Concepts carried by a single account weigh nothing when there are
several. Sentences are added greedily by the weight of the concepts they newly
cover per word (``words ** cost_power``), a budgeted submodular objective in
the manner of Lin & Bilmes, plus a small bonus for early sentences
(``lead_bonus``, by position among the article's body sentences: headlines
and datelines do not count, see ``body_ranks``). A sentence that leans back
(``leans_back``: "He ...", "But ...", a bare quotation) loses a share of its
value (``lean_penalty``) while no earlier sentence of its article is chosen
for it to follow, so the same fact told by a sentence that stands alone is
preferred. The greedy is lazy: a value only falls as concepts get covered
(a sentence whose penalty is lifted goes back in with its fresh value), so
stale values are upper bounds.

Each sentence also gets a salience score (``score_sentences``: centrality to
the story centroid with articles weighted equally, support from independent
accounts, position); it ranks facts (``Fact.salience``) and can be mixed into
the objective with ``Params.salience`` (0 by default: on the dev sets it
only lowered ROUGE).

A sentence is skipped when its fact is already in the summary, when it is too
similar to a chosen sentence (embedding cosine), or when it does not fit the
budget. The chosen sentences are ordered by where they sit in their articles
(:mod:`newsweave.reading`; with ``overflow`` the one that runs past the cap goes last; one that
opens by pointing back, "He ...", "But ...", or is a bare quotation follows
the chosen sentence of its own article before it, and none opens the
summary when another can), and each cites
every sentence of its fact, one exact span per supporting article. A wire
dateline opening a sentence ("LONDON (AP) _") is not part of the summary:
the sentence is shown, counted and cited from the word after it.

Defaults were tuned on ../shared/data (Multi-News val, DUC 2003, checked on
TAC 2011); see docs/evaluation.md.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .boilerplate import classify_line
from .budget import Budget
from .dateline import dateline_end
from .decode import nfc
from .reading import POINTS_BACK as POINTS_BACK  # re-exported: the order's rules
from .reading import _after_antecedents as _after_antecedents
from .reading import _not_leaning_first as _not_leaning_first
from .reading import _order, body, leans_back
from .reading import is_bare_quote as is_bare_quote
from .records import Sentence, SourceSpan, SummarySentence
from .segment import in_capitals

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import DocSet

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a about above after again against all almost also although always am among an and
    another any are around as at be became because become been before being below between
    both but by can could did do does doing done down during each either else enough etc
    even ever every few for from further get gets got had has have having he her here hers
    herself him himself his how however i if in into is it its itself just least less like
    made make many may me might more most much must my myself neither no nor not now of off
    often on once one only or other others otherwise our ours ourselves out over own per
    perhaps quite rather really said same say says see seem seemed seems several she should
    since so some still such than that the their theirs them themselves then there
    therefore these they this those though through thus to together too toward towards
    under until up upon us very was we well were what whatever when whenever where whether
    which while who whoever whole whom whose why will with within without would yet you
    your yours yourself yourselves""".split()
)


@dataclass(frozen=True)
class Params:
    """Summary weights; defaults are tuned on the ../shared/data dev sets."""

    centrality: float = 1.0
    support: float = 0.35
    position: float = 0.35
    position_decay: float = 0.5  # position score = 1 / (1 + index) ** decay
    redundancy: float = 0.72  # max cosine to an already chosen sentence
    min_words: int = 6
    max_words: int = 80
    # concept coverage objective
    coverage: float = 1.0  # weight of newly covered concepts (share of all, x100)
    salience: float = 0.0  # weight of the sentence's own salience score
    support_power: float = 2.0  # concept weight grows as accounts ** support_power
    min_accounts: int = 2  # concepts carried by fewer accounts weigh nothing
    lead_weight: float = 4.0  # extra weight for concepts that appear early
    cost_power: float = 0.9  # gain is divided by words ** cost_power
    lead_bonus: float = 0.1  # value added for early sentences (independent of length)
    # share of the value a sentence that leans back ("He ...", "But ...", a bare
    # quotation) loses while no earlier sentence of its article is chosen
    lean_penalty: float = 0.25


def words(text: str) -> int:
    return len(_WORD.findall(text))


# a lowercase first word, unless a name ("iPhone", "eBay", "da Silva", "al-Assad",
# "von der Leyen", "de la Renta": particles before a capital)
_BROKEN_START = re.compile(
    r"(?!(?:(?:al|bin|ibn|da|das|de|del|della|den|der|di|dos|du|el|la|le|ten|ter|van|von)"
    r"[ -])+[A-Z])[a-z]+\b(?![’'-]?[A-Z])"
)
_ADDRESS = re.compile(r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|gov|edu|co\.uk)/\S", re.I)
# a teaser cut off mid-sentence: an ellipsis right after a comma or a word
# that cannot end a sentence ("... alongside the work of governments,...",
# "The researchers also are investigating whether...")
_CUT_OFF = re.compile(
    r"(?:,|\b(?:a|an|the|and|or|but|of|to|in|on|at|for|with|by|from|into|about|than|that|"
    r"whether|which|who|whose|as|if|his|her|its|their|our|your|my|is|are|was|were|be|will|"
    r"would|can|could|should|has|have|had))\s?(?:\.\.\.|…)$",
    re.I,
)


def eligible(text: str, params: Params) -> bool:
    """Whether a sentence can stand alone in a summary."""
    n = words(text)
    if n < params.min_words or n > params.max_words:
        return False
    return _stands_alone(text)


@lru_cache(maxsize=8192)
def _stands_alone(text: str) -> bool:
    """The tests of :func:`eligible` but its length, once per text: the summary,
    the analysis (exclusives) and prepare ask them of the same sentences."""
    # headlines, questions and lead-ins ("He said:") do not stand alone
    if text.rstrip("\"'”’) ")[-1:] not in (".", "!") or _CUT_OFF.search(text):
        return False
    # nor a line in capitals ("I TOLD YOU SO.", a list item set as a heading)
    if in_capitals(text):
        return False
    # nor a piece of a broken sentence ("who was involved in the effort.",
    # "commentary Once Sprint gets the iPhone...": a lowercase first word;
    # "iPhone" or "eBay" are names), a link label or footnote ("[Video Link] The
    # Wilco track...", "[4] Since 1913...") or a sentence carrying a web address
    if _BROKEN_START.match(text) or text.startswith("[") or _ADDRESS.search(text):
        return False
    # nor does a sentence that would be boilerplate as a line of its own
    # ("Click here for ...", "View all newsletters.") inside a longer line
    return classify_line(text.strip()) is None


def stem(token: str) -> str:
    """A light English suffix stripper (enough to match inflected forms)."""
    if len(token) <= 3 or token.isdigit():
        return token
    for suffix, repl in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            if suffix == "s" and token.endswith(("ss", "us", "is")):
                return token
            return token[: -len(suffix)] + repl
    return token


def concepts(text: str) -> set[tuple[str, ...]]:
    """Content unigrams and bigrams (not both stop words) of ``text``, stemmed."""
    toks = [stem(t) for t in _TOKEN.findall(nfc(text).lower().replace("'s ", " "))]
    out: set[tuple[str, ...]] = {(t,) for t in toks if t not in _STOP and len(t) > 1}
    out.update(
        (a, b) for a, b in zip(toks, toks[1:], strict=False) if a not in _STOP or b not in _STOP
    )
    return out


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
    copy_of = _copy_of(ds)
    total = max(1, len(set(copy_of.values())))
    support = np.zeros(n)
    position = np.zeros(n)
    for k, s in enumerate(ds.sentences):
        fact = ds.alignment.fact(ds.alignment.fact_of[s.id])
        if total > 1:
            carried = len({copy_of.get(a, a) for a in fact.sources})
            support[k] = (carried - 1) / (total - 1)
        position[k] = 1.0 / (1.0 + s.index) ** params.position_decay
    return params.centrality * cent + params.support * support + params.position * position


def _copy_of(ds: DocSet) -> dict[str, str]:
    """Article -> group of near-identical copies: the summary weighs what the
    story repeats by these (a wire story's short version repeats it too),
    where support and the analysis count independent accounts."""
    return ds.alignment.copy_of or ds.alignment.account_of


def body_ranks(ds: DocSet) -> list[int]:
    """Position of each sentence among its article's body sentences.

    Headlines, datelines and other lines without closing punctuation are not
    counted: each gets the rank of the body sentence that follows it. The lead
    bonus uses this rank, so an article that opens with its headline and a
    dateline (Wikinews, many web pages) has its real first sentence at rank 0.
    """
    seen: dict[str, int] = {}
    out = []
    for s in ds.sentences:
        r = seen.get(s.article_id, 0)
        out.append(r)
        if s.text.rstrip("\"'”’) ")[-1:] in (".", "!", "?"):
            seen[s.article_id] = r + 1
    return out


def concept_weights(
    ds: DocSet, sentence_concepts: Sequence[set[tuple[str, ...]]], params: Params
) -> dict[tuple[str, ...], float]:
    """Weight of each concept: copies carrying it ** power, raised for early mentions."""
    copy_of = _copy_of(ds)
    seen: dict[tuple[str, ...], dict[str, float]] = {}
    for s, found in zip(ds.sentences, sentence_concepts, strict=True):
        early = 1.0 / (1.0 + s.index) ** params.position_decay
        copy = copy_of.get(s.article_id, s.article_id)
        for c in found:
            per = seen.setdefault(c, {})
            if early > per.get(copy, 0.0):
                per[copy] = early
    n_accounts = len(set(copy_of.values())) or 1
    floor = min(params.min_accounts, n_accounts)
    weights: dict[tuple[str, ...], float] = {}
    for c, per in seen.items():
        d = len(per)
        if d < floor:
            continue
        weights[c] = d**params.support_power * (1.0 + params.lead_weight * sum(per.values()) / d)
    return weights


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
    sents = ds.sentences
    if not sents:
        return []
    scores = score_sentences(ds, params)
    fact_of = ds.alignment.fact_of
    for fact in ds.alignment.facts:
        fact.salience = 0.0
    for k, s in enumerate(sents):
        fact = ds.alignment.fact(fact_of[s.id])
        fact.salience = max(fact.salience, float(scores[k]))

    shown = [body(s.text) for s in sents]
    found = [concepts(t) for t in shown]
    weights = concept_weights(ds, found, params)
    total_weight = sum(weights.values()) or 1.0
    pool: list[int] = []
    seen_text: set[str] = set()
    for k, text in enumerate(shown):
        if eligible(text, params) and text not in seen_text:
            seen_text.add(text)
            pool.append(k)
    cost = {k: max(1, len(shown[k].split())) ** params.cost_power for k in pool}
    ranks = body_ranks(ds)
    leaning = _leaning_by_article(ds, [k for k in pool if leans_back(shown[k])])
    lean = {k for ks in leaning.values() for k in ks}
    first: dict[str, int] = {}  # article -> index of its first chosen sentence

    def value(k: int) -> float:
        gain = sum(weights.get(c, 0.0) for c in found[k] - covered) / total_weight
        v = (params.coverage * 100.0 * gain + params.salience * float(scores[k])) / cost[k] + (
            params.lead_bonus / (1.0 + ranks[k]) ** params.position_decay
        )
        s = sents[k]
        if k in lean and first.get(s.article_id, s.index) >= s.index:
            v *= 1.0 - params.lean_penalty  # nothing chosen yet that it could follow
        return v

    covered: set[tuple[str, ...]] = set()
    chosen: list[int] = []
    chosen_facts: set[str] = set()
    texts: list[str] = []
    # lazy greedy: a sentence's value only falls as concepts get covered, so a
    # stale value is an upper bound and most candidates are never re-scored
    heap = [(-value(k), k) for k in pool]
    heapq.heapify(heap)
    while heap:
        _, k = heapq.heappop(heap)
        fresh = value(k)
        if heap and fresh < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-fresh, k))
            continue
        if fact_of[sents[k].id] in chosen_facts:
            continue
        if chosen and float((ds.embeddings[chosen] @ ds.embeddings[k]).max()) >= params.redundancy:
            continue
        text = shown[k]
        new_total = budget.total([*texts, text])
        if new_total > budget.amount:
            if overflow and budget.unit != "sentences" and budget.total(texts) < budget.amount:
                # the sentence that runs past the cap goes last: a cut at the
                # cap then only shortens it
                return [_cite(ds, j) for j in [*_order(ds, chosen), k]]
            continue
        chosen.append(k)
        texts.append(text)
        chosen_facts.add(fact_of[sents[k].id])
        covered |= found[k]
        s = sents[k]
        if s.index < first.get(s.article_id, s.index + 1):
            first[s.article_id] = s.index
            # the ones it now precedes lose their penalty: their stale values
            # are no longer upper bounds, so they go back in with fresh ones
            for j in leaning.get(s.article_id, []):
                if sents[j].index > s.index:
                    heapq.heappush(heap, (-value(j), j))
        if new_total >= budget.amount:
            break
    return [_cite(ds, k) for k in _order(ds, chosen)]


def _leaning_by_article(ds: DocSet, ks: list[int]) -> dict[str, list[int]]:
    """Sentences ``ks`` (those that lean back) grouped by their article."""
    out: dict[str, list[int]] = {}
    for k in ks:
        out.setdefault(ds.sentences[k].article_id, []).append(k)
    return out


def _body_span(s: Sentence) -> SourceSpan:
    cut = dateline_end(s.text)
    return SourceSpan(s.article_id, s.start + cut, s.end, s.text[cut:])


def _cite(ds: DocSet, k: int) -> SummarySentence:
    """Sentence ``k`` (its body, :func:`body`) citing itself first, then the
    rest of its fact in the order of the sources' numbers (the order the
    articles were given)."""
    s = ds.sentences[k]
    fact = ds.alignment.fact(ds.alignment.fact_of[s.id])
    number = {a.id: n for n, a in enumerate(ds.articles)}
    others = [x for x in ds.sentences_by_id(fact.sentences) if x.id != s.id]
    others.sort(key=lambda x: number.get(x.article_id, 0))
    spans = [_body_span(x) for x in [s, *others]]
    return SummarySentence(
        text=spans[0].text, sentence=s.id, fact=fact.id, citations=spans, support=fact.accounts
    )
