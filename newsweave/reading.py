"""Reading order of the chosen summary sentences, and the sentences that
lean on the one before them ("He ...", "But ...", a bare quotation).

Which sentences are chosen is :mod:`newsweave.summarize`'s business; the
order here never changes it, so neither does it change ROUGE-1/2.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .dateline import dateline_end

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import DocSet


def _order(ds: DocSet, chosen: list[int]) -> list[int]:
    """Reading order: by relative position in the source article, then the
    canonical order of the articles (not the order given, so that it is the
    same for any order of the input); a sentence that points back ("But ...",
    "He ...") or is a bare quotation follows the chosen sentence of its own
    article that comes before it, if any."""
    count: dict[str, int] = {}
    for s in ds.sentences:
        count[s.article_id] = count.get(s.article_id, 0) + 1

    def key(k: int) -> tuple[float, int, int]:
        s = ds.sentences[k]
        return (s.index / max(1, count[s.article_id]), ds.rank.get(s.article_id, 0), s.index)

    order = _after_antecedents(ds, sorted(chosen, key=key))
    return _not_leaning_first(ds, _after_named_antecedents(ds, order))


# a capitalised word that is not the first of a sentence: a name, mostly
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z’'-]{2,}\b")
_NOT_NAMES = frozenset(
    "But However And Yet Still Also Instead Meanwhile Then He She They It His Her Their Its "
    "This These Those That Such We The Mr Mrs Ms".split()
)


def _names(text: str) -> set[str]:
    return {w for w in _NAME.findall(text) if w not in _NOT_NAMES}


def _after_named_antecedents(ds: DocSet, order: list[int]) -> list[int]:
    """A sentence that leans back ("It marks her 20th No. 1...") with no
    earlier chosen sentence of its own article to follow moves, with the
    sentences of its article that follow it, right after the first chosen
    sentence that names whom it points to: a name of the nearest of the three
    sentences before it in its source that has one ("Rihanna's latest No. 1
    ..."). One that comes before any such sentence stays where it is."""
    sents = ds.sentences
    at = {(s.article_id, s.index): s for s in sents}
    out = list(order)
    p = 0
    while p < len(out):
        s = sents[out[p]]
        own = [sents[j] for j in out[:p] if sents[j].article_id == s.article_id]
        if own or not leans_back(body(s.text)):
            p += 1
            continue
        found: set[str] = set()
        for d in (1, 2, 3):
            b = at.get((s.article_id, s.index - d))
            if b is not None and (found := _names(b.text)):
                break
        earlier = " ".join(sents[j].text for j in out[:p])
        later = [q for q in range(p + 1, len(out)) if any(n in sents[out[q]].text for n in found)]
        if not found or any(n in earlier for n in found) or not later:
            p += 1
            continue
        end = p + 1  # the sentences of its article placed after it go along
        while end < len(out) and sents[out[end]].article_id == s.article_id:
            end += 1
        q = later[0]
        if q < end:
            p += 1
            continue
        anchor = sents[out[q]]
        stop = q + 1  # and not between the named one and those leaning on it
        while (
            stop < len(out)
            and sents[out[stop]].article_id == anchor.article_id
            and leans_back(body(sents[out[stop]].text))
        ):
            stop += 1
        if any(sents[j].article_id == s.article_id for j in out[end:stop]):
            p += 1  # it would move past a later sentence of its own article
            continue
        block = out[p:end]
        out = out[:p] + out[end:stop] + block + out[stop:]
    return out


# openings that lean on the sentence before: connectives and pronouns
POINTS_BACK = re.compile(
    r"(?:But|However|And|So|Yet|Still|Also|Instead|Meanwhile|Then|He|She|They|It|His|Her|"
    r"Their|Its|This|These|Those|That|Such|We|I)\b(?![.-])"
)


# a quotation opens the sentence ("..." or DUC's ``...''); one inside it closes it
_OPEN_QUOTE = re.compile(r"\s*(?:\"|“|‘|``)")
_INNER_QUOTE = re.compile(r"\"|“|”|``|''")
_SINGLE_CLOSE = re.compile(r"’(?=[\s,])")  # not the apostrophe of "didn’t"


def is_bare_quote(text: str) -> bool:
    """Whether a sentence is only a quotation, its speaker not named in it
    ('"They were gone fast."', or the first sentence of a longer quote): on
    its own in a summary it would read as the summary's own words."""
    m = _OPEN_QUOTE.match(text)
    if not m:
        return False
    inner = text[m.end() :].rstrip().rstrip("\"”’'")
    if text[m.end() - 1] == "‘" and _SINGLE_CLOSE.search(inner):
        return False
    return not _INNER_QUOTE.search(inner)


def leans_back(text: str) -> bool:
    """Whether a sentence needs the one before it: it opens by pointing back
    or is a bare quotation (whose speaker an earlier sentence names)."""
    return bool(POINTS_BACK.match(text)) or is_bare_quote(text)


def _not_leaning_first(ds: DocSet, order: list[int]) -> list[int]:
    """A summary does not open with a sentence that leans back ("He was
    curious...", "However, ..."): when the first one does, the first that
    does not, and is the first chosen of its article, goes first, with the
    sentences of its article placed right after it
    (:func:`_after_antecedents`). One that comes later in its article than a
    sentence before it stays: moved ahead, it would read before the sentences
    it follows in its source ("That may seem like a lot" after the fact it
    was moved ahead of)."""
    sents = ds.sentences
    leaning = [leans_back(body(sents[k].text)) for k in order]
    if not leaning or not leaning[0]:
        return order
    starts = [
        p
        for p, k in enumerate(order)
        if not leaning[p]
        and not any(
            sents[q].article_id == sents[k].article_id and sents[q].index < sents[k].index
            for q in order[:p]
        )
    ]
    if not starts:
        return order
    j = starts[0]
    end = j + 1
    while (
        end < len(order)
        and leaning[end]
        and sents[order[end]].article_id == sents[order[j]].article_id
        and sents[order[end]].index > sents[order[j]].index
    ):
        end += 1
    return order[j:end] + order[:j] + order[end:]


def _after_antecedents(ds: DocSet, order: list[int]) -> list[int]:
    """Move each sentence that leans back (``leans_back``) right after the
    nearest earlier chosen sentence of its article (and the ones already
    placed after that), when it does not already follow one. Which sentences
    are chosen does not change, so neither do ROUGE-1/2."""
    sents = ds.sentences
    out: list[int] = []
    for k in order:
        s = sents[k]
        prev = sents[out[-1]] if out else None
        follows = prev is not None and prev.article_id == s.article_id and prev.index < s.index
        same = [p for p, j in enumerate(out) if sents[j].article_id == s.article_id]
        earlier = [p for p in same if sents[out[p]].index < s.index]
        if follows or not earlier or not leans_back(body(s.text)):
            out.append(k)
            continue
        p = max(earlier, key=lambda q: sents[out[q]].index)
        out.insert(p + 1, k)
    return out


def body(text: str) -> str:
    """A sentence as the summary shows it: without a leading wire dateline."""
    return text[dateline_end(text) :]
