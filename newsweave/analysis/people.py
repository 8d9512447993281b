"""One person's names merged into one entity (see :mod:`.entities`).

Full names that :func:`.names.same_person` matches join, unless a name
matches two names that do not match each other; then a shorter name joins
the single fullest name ending with it, or spelled like its surname; and a
one-word name no full name ends with joins the one full name starting with
it (a family name written first, "Lin" / "Lin Miaoke"; a first name used
alone). A place or organisation that is one person's first name used alone joins
that person too (:func:`first_names_of_other_types`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .entities import _ARTICLE, PARTICLES, Entity, _ends_with, _extends, _longest, _merge
from .names import alike, same_person

if TYPE_CHECKING:  # pragma: no cover
    from .nlp import Parsed

_PRONOUNS = frozenset("he she it we they i you his her its their our my".split())


def merge_people(ents: list[Entity]) -> None:
    """Merge the names of one person (mentions of merged entities move to one)."""
    persons = [e for e in ents if e.kind == "person"]
    # full names of one person: middle names, suffixes, word order, spelling variants
    # (a name that matches two names which do not match each other stays apart)
    full = [e for e in persons if " " in next(iter(e.keys))]
    same = {
        id(e): [
            o for o in full if o is not e and same_person(next(iter(e.keys)), next(iter(o.keys)))
        ]
        for e in full
    }
    holder = {id(e): e for e in full}  # where each name's mentions are now

    def find(e: Entity) -> Entity:
        while holder[id(e)] is not e:
            e = holder[id(e)]
        return e

    ambiguous = {
        id(e)
        for e in full
        if any(o2 not in same[id(o)] for o in same[id(e)] for o2 in same[id(e)] if o2 is not o)
    }
    for e in full:
        for o in same[id(e)]:
            if id(e) in ambiguous or id(o) in ambiguous:
                continue
            a, b = find(e), find(o)
            if a is not b:
                a, b = (a, b) if len(a.mentions) >= len(b.mentions) else (b, a)
                _merge(a, b)
                holder[id(b)] = a
    # a shorter name joins the single fullest name that ends with it
    for e in sorted(persons, key=_longest):
        if not e.mentions:
            continue
        hits = [o for o in persons if o is not e and o.mentions and _extends(o, e)]
        top = [o for o in hits if not any(p is not o and _extends(p, o) for p in hits)]
        if len(top) == 1:  # two different full names ending the same way: leave apart
            _merge(top[0], e)
    # a one-word name spelled like the surname of one full name ("Canchellara")
    for e in persons:
        (key, *more) = e.keys
        if more or " " in key or not e.mentions:
            continue
        owners = [
            o
            for o in persons
            if o is not e
            and o.mentions
            and any(" " in k and alike(k.split()[-1], key) for k in o.keys)
        ]
        if len(owners) == 1:
            _merge(owners[0], e)
    # a one-word name that no full name ends with but one full name starts
    # with: a family name written first ("Lin" / "Lin Miaoke", "Ban" / "Ban
    # Ki-moon"), or a first name used alone ("Lisa" / "Lisa Novak")
    for e in persons:
        (key, *more) = e.keys
        if more or " " in key or not e.mentions or key.lower() in _PRONOUNS:
            continue  # "He" tagged as a name is the pronoun, not He Xintong
        multi = [o for o in persons if o is not e and any(" " in k for k in o.keys)]
        if any(alike(k.split()[-1], key) for o in multi for k in o.keys if " " in k):
            continue  # a surname (of someone, or of two people: "Clinton")
        owners = [o for o in multi if o.mentions and any(k.split()[0] == key for k in o.keys)]
        if len(owners) == 1:
            _merge(owners[0], e)


def first_names_of_other_types(parsed: Parsed, ents: list[Entity]) -> None:
    """A one-word place or organisation that starts one person's full name, that no full
    name ends with, and that the story never writes as a place ("in X", "the town of X")
    nor as a country or state is that person's first name used alone: "Collin is 29 years
    old" (a place to spaCy) beside "Officer Collin Rose". Two full names starting with
    it ("Jordan Smith", "Jordan Lee") leave it alone, and so does a full name written
    less often than the word alone (spaCy's person "Leonid Meteor" once beside
    "Leonid" 28 times), unless its surname is written alone as a person's too
    ("Sureshbhai" 4 times, a place to spaCy, beside "Sureshbhai Patel" twice and
    "Patel")."""
    from . import kinds, places

    persons = [e for e in ents if e.mentions and e.kind == "person"]
    surnames = {k for p in persons for k in p.keys if " " not in k}
    for e in ents:
        if not e.mentions or e.kind == "person" or len(e.keys) != 1:
            continue
        key = next(iter(e.keys))
        if " " in key or places.level(key) != "local" or not kinds._person_like(e):
            continue
        full = [k.split() for p in persons for k in p.keys if " " in k]
        if any(words[-1] == key for words in full):
            continue  # a surname: :func:`.entities.extract` types those
        owners = [p for p in persons if any(k.split()[0] == key for k in p.keys if " " in k)]
        if len(owners) != 1:
            continue
        if len(owners[0].mentions) <= len(e.mentions) and not _surname_alone(owners[0], surnames):
            continue  # "Leonid" 28 times beside one "Leonid Meteor": no first name
        if kinds.looks_like_place(parsed, e):
            continue
        if any(kinds.described_as_place(s) for s in kinds._spans(parsed, e)):
            continue
        for m in e.mentions:
            m.label = "PERSON"
        _merge(owners[0], e)


def _surname_alone(owner: Entity, surnames: set[str]) -> bool:
    """The surname of one of ``owner``'s full names is written alone as a person's name
    ("Patel" beside "Sureshbhai Patel"): a real person's name, not a phrase spaCy took
    for one ("Leonid Meteor")."""
    return any(" " in k and k.split()[-1] in surnames for k in owner.keys)


#: prepositions of a place one is in or goes to ("flew back to Washington")
#: verbs of going or staying somewhere ("flew back to Washington"; not "lost to Clinton")
_MOVE = frozenset(
    """go come fly travel return move head arrive drive walk visit live stay land sail
    commute relocate""".split()
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_TO_PLACE = frozenset({"in", "to", "from", "near", "at", "into", "towards", "toward", "across"})


def surnames_of_other_types(parsed: Parsed, ents: list[Entity]) -> None:
    """A one-word name of another type that is a person's surname ("Lavrov" tagged
    ORG; "De Boer" too) is a person, merged when one person's full name ends with it;
    not a place the story writes one is in or goes to ("flew back to Washington"
    beside "Denzel Washington")."""
    persons = [e for e in ents if e.kind == "person"]
    for e in [e for e in ents if e.kind != "person"]:
        key = next(iter(e.keys))
        words = key.split()
        if len(e.keys) != 1 or not (len(words) == 1 or (len(words) == 2 and words[0] in PARTICLES)):
            continue
        words[-1] = _ARTICLE.sub("", words[-1])  # "Al-'Owhali" tagged ORG: the person "Owhali"
        owners = [
            p for p in persons if p.mentions and _ends_with(p, words) and _longest(p) > len(words)
        ]
        if owners and all(m.label in _PLACE_LABELS for m in e.mentions) and _gone_to(parsed, e):
            continue  # never a person to spaCy, and a place one goes to
        if owners:  # "Vinokourov" beside "Alexander" and "Alexandre Vinokourov": a person
            for m in e.mentions:
                m.label = "PERSON"
        if len(owners) == 1:
            _merge(owners[0], e)


def _gone_to(parsed: Parsed, e: Entity) -> bool:
    """A mention is the object of "in", "to", "from"... after a verb of going or
    staying ("flew back to Washington", "arrived in Washington"; not "lost to Clinton")."""
    from . import kinds

    for span in kinds._spans(parsed, e):
        root = span.root
        prep = root.head
        verb = prep.head.head if prep.head.pos_ == "ADV" else prep.head  # "flew back to"
        if root.dep_ == "pobj" and prep.lower_ in _TO_PLACE and verb.lemma_.lower() in _MOVE:
            return True
    return False
