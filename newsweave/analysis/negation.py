"""Negation conflicts: the same verb asserted by one sentence and negated by the other.

"has withdrawn" / "has not withdrawn", "saw signs" / "saw no sign", with the
same subject or object (or, when both have only pronouns there, neither,
and no two different complements). A verb under "must", "should", "may"... is no
claim. A pronoun object that denies the whole ("ruled nothing out", "found none")
negates its verb as "not" does.
"""

from __future__ import annotations

#: verbs too general to make two statements one claim ("is", "said")
NEUTRAL_VERBS = frozenset(
    {"be", "have", "do", "get", "make", "go", "come", "take", "say", "tell", "add"}
)
_NO_DET = frozenset({"no", "neither"})
_NONE = frozenset({"nothing", "none", "nobody", "noone", "neither"})
#: modals of possibility or duty: the verb under one is no claim either way
_MODALS = frozenset({"must", "should", "might", "may", "would", "ought"})


def polarity(doc) -> dict[str, list[tuple[bool, set[str], set[str]]]]:
    """Verb lemma → [(negated, {subject/object lemmas}, {complement lemmas})] for
    content verbs that a sentence asserts or denies: not under a modal of
    possibility or duty ("must have belonged", "should be considered": no claim
    either way)."""
    out: dict[str, list[tuple[bool, set[str], set[str]]]] = {}
    for t in doc:
        if t.pos_ != "VERB" or t.lemma_.lower() in NEUTRAL_VERBS:
            continue
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in t.children):
            continue
        args = {c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")}
        neg = any(c.dep_ == "neg" or c.lower_ == "never" for c in t.children)
        neg = neg or any(
            any(g.lower_ in _NO_DET and g.dep_ == "det" for g in a.children) for a in args
        )
        neg = neg or any(a.lower_ in _NONE for a in args if a.dep_ in ("dobj", "attr"))
        words = {a.lemma_.lower() for a in args if a.pos_ != "PRON" and a.lower_ not in _NONE}
        out.setdefault(t.lemma_.lower(), []).append((neg, words, _complements(t)))
    return out


def _complements(verb) -> set[str]:
    """What ``verb`` does or is about besides its subject and object: the verb
    of its clause complement ("wanted to check" / "didn't want to stop") and
    the nouns of its prepositions ("belong to the largest dinosaur")."""
    out = {c.lemma_.lower() for c in verb.children if c.dep_ in ("xcomp", "ccomp")}
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        out |= {
            g.lemma_.lower()
            for g in prep.children
            if g.dep_ == "pobj" and g.pos_ != "PRON" and g.ent_type_ not in ("DATE", "TIME")
        }
    return out


def negation(doc_a, doc_b) -> tuple[str, bool, bool] | None:
    """(verb lemma, negated in a, negated in b) for a verb one parse asserts and
    the other denies, about the same subject or object, or, when neither names
    one (pronouns only), not about two different complements: "he wanted to
    check" and "he didn't want to stop" are two wishes; else None."""
    pa, pb = polarity(doc_a), polarity(doc_b)
    for lemma in pa.keys() & pb.keys():
        na = {n for n, _w, _c in pa[lemma]}
        nb = {n for n, _w, _c in pb[lemma]}
        if len(na) != 1 or len(nb) != 1 or na == nb:
            continue
        wa = set().union(*(w for _n, w, _c in pa[lemma]))
        wb = set().union(*(w for _n, w, _c in pb[lemma]))
        ca = set().union(*(c for _n, _w, c in pa[lemma]))
        cb = set().union(*(c for _n, _w, c in pb[lemma]))
        if wa & wb or (not wa and not wb and (ca & cb or not (ca and cb))):
            return lemma, next(iter(na)), next(iter(nb))
    return None


def verb_token(doc, lemma: str):
    """The first verb of ``doc`` with the lemma ``lemma``."""
    return next((t for t in doc if t.pos_ == "VERB" and t.lemma_.lower() == lemma), None)
