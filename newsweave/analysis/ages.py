"""Ages of one person that two accounts give differently, anywhere in the story.

A person's age does not depend on what the sentence reports, so "Slepian, 51,
is the third abortion doctor killed..." and "Slepian, a 52-year-old
gynecologist who lived in this suburb..." disagree although the sentences are
not alike enough to be compared by the conflict search. Ages come from
:func:`newsweave.analysis.numbers.ages`; the person is the entity of the name
(so "Dr. Barnett A. Slepian" and "Slepian" are one), or, where spaCy found no
person there ("Slepian, 51," tagged a nationality), the story's one person of
that name, else the name itself: the age pattern is evidence of a person
enough, unless spaCy typed the name an organisation or a place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .dates import MONTHS, WEEKDAYS, days_apart, parse_anchor
from .entities import EntityIndex
from .nlp import Parsed
from .numbers import Quantity, ages


def _person(entities: EntityIndex, k: int, q: Quantity, text: str) -> tuple[object, str] | None:
    """(key, name) of the person whose age ``q`` is in sentence ``k``: the person
    entity of the name in the sentence, else the story's one person of that name
    (spaCy's small model misses some names: "Slepian, 51, is..." has none, and
    "Slepian" is tagged a nationality), else, when no entity of the story has
    that name, the name itself: "Name, NN," and "NN-year-old Name" are ages of a
    person. None for a name spaCy typed an organisation or a place, and for a
    surname that several people of the story share."""
    name = q.qualifier or ""
    named = [(m, e) for m, e in entities.in_sentence(k) if name in text[m.start : m.end].split()]
    # the mention next to the age: "Dan Keller, 75, and Fran Keller, 67" are two ages
    named.sort(key=lambda me: min(abs(q.start - me[0].end), abs(me[0].start - q.end)))
    mentioned = [e for _m, e in named]
    for e in mentioned:
        if e.kind == "person":
            return id(e), entities.name(e)
    if mentioned or not _NAME.fullmatch(name):
        return None  # "Microsoft, 25,": an organisation's age, if any
    e = entities.lookup(name)
    if e is not None:
        return (id(e), entities.name(e)) if e.kind == "person" else None
    if entities.people_by_surname(name):
        return None  # "Smith, 45," beside "Ann Smith" and "John Smith": which one?
    return ("name", name), name


#: a capitalised name word ("Slepian", "O'Brien", "Smith-Jones"), not a month or weekday
_NOT_NAMES = "|".join(w.capitalize() for w in (*MONTHS, *WEEKDAYS))
_NAME = re.compile(rf"(?!(?:{_NOT_NAMES})\b)[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*")


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

    found: list[tuple[int, Quantity, object]] = []
    for k in statements:
        text = parsed.sentences[k].text
        for q in ages(parsed.docs[k]):
            who = _person(entities, k, q, text)
            if who is not None:  # shown by the person's name: "Wang Youcai aged 33"
                found.append((k, replace(q, qualifier=who[1]), who[0]))
    seen = set()
    for n, (i, qa, ea) in enumerate(found):
        for j, qb, eb in found[n + 1 :]:
            key = (ea, qa.lo, qb.lo)
            if ea != eb or qa.overlaps(qb) or key in seen or not comparable(i, j):
                continue
            seen.add(key)
            yield i, j, qa, qb
