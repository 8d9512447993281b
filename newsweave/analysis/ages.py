"""Ages of one person that two accounts give differently, anywhere in the story.

A person's age does not depend on what the sentence reports, so "Slepian, 51,
is the third abortion doctor killed..." and "Slepian, a 52-year-old
gynecologist who lived in this suburb..." disagree although the sentences are
not alike enough to be compared by the conflict search. Ages come from
:func:`newsweave.analysis.numbers.ages`; the person is the entity of the name
(so "Dr. Barnett A. Slepian" and "Slepian" are one).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from .dates import days_apart, parse_anchor
from .entities import EntityIndex
from .nlp import Parsed
from .numbers import Quantity, ages


def _person(entities: EntityIndex, k: int, q: Quantity, text: str):
    """The person entity named ``q.qualifier`` in sentence ``k``, if any (spaCy's
    small model misses some names: "Slepian, 51, is..." has none)."""
    for m, e in entities.in_sentence(k):
        if e.kind == "person" and q.qualifier in text[m.start : m.end].split():
            return e
    return None


def age_pairs(
    parsed: Parsed, entities: EntityIndex, statements: list[int], max_days: int
) -> Iterator[tuple[int, int, Quantity, Quantity]]:
    """(i, j, age in i, age in j): one person's ages that cannot both hold, in
    sentences ``i < j`` (among ``statements``) of different accounts whose
    articles are at most ``max_days`` apart when dated; the first pair of
    each person and two values."""
    ds = parsed.ds
    when = {a.id: parse_anchor(a.date) for a in ds.articles}

    def comparable(i: int, j: int) -> bool:
        a, b = ds.sentences[i].article_id, ds.sentences[j].article_id
        if ds.alignment.account_of[a] == ds.alignment.account_of[b]:
            return False
        apart = days_apart(when[a], when[b])
        return apart is None or apart <= max_days

    found: list[tuple[int, Quantity, int]] = []
    for k in statements:
        text = parsed.sentences[k].text
        for q in ages(parsed.docs[k]):
            e = _person(entities, k, q, text)
            if e is not None:  # shown by the person's name: "Wang Youcai aged 33"
                found.append((k, replace(q, qualifier=entities.name(e)), id(e)))
    seen = set()
    for n, (i, qa, ea) in enumerate(found):
        for j, qb, eb in found[n + 1 :]:
            key = (ea, qa.lo, qb.lo)
            if ea != eb or qa.overlaps(qb) or key in seen or not comparable(i, j):
                continue
            seen.add(key)
            yield i, j, qa, qb
