"""Negation conflicts: the same verb asserted by one sentence and negated by the other.

"has withdrawn" / "has not withdrawn", "saw signs" / "saw no sign", with the
same subject or object (or, when both have only pronouns there, neither).
A pronoun object that denies the whole ("ruled nothing out", "found none")
negates its verb as "not" does.
"""

from __future__ import annotations

#: verbs too general to make two statements one claim ("is", "said")
NEUTRAL_VERBS = frozenset(
    {"be", "have", "do", "get", "make", "go", "come", "take", "say", "tell", "add"}
)
_NO_DET = frozenset({"no", "neither"})
_NONE = frozenset({"nothing", "none", "nobody", "noone", "neither"})


def polarity(doc) -> dict[str, list[tuple[bool, set[str]]]]:
    """Verb lemma → [(negated, {subject/object lemmas})] for content verbs."""
    out: dict[str, list[tuple[bool, set[str]]]] = {}
    for t in doc:
        if t.pos_ != "VERB" or t.lemma_.lower() in NEUTRAL_VERBS:
            continue
        args = {c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")}
        neg = any(c.dep_ == "neg" or c.lower_ == "never" for c in t.children)
        neg = neg or any(
            any(g.lower_ in _NO_DET and g.dep_ == "det" for g in a.children) for a in args
        )
        neg = neg or any(a.lower_ in _NONE for a in args if a.dep_ in ("dobj", "attr"))
        words = {a.lemma_.lower() for a in args if a.pos_ != "PRON" and a.lower_ not in _NONE}
        out.setdefault(t.lemma_.lower(), []).append((neg, words))
    return out


def negation(doc_a, doc_b) -> tuple[str, bool, bool] | None:
    """(verb lemma, negated in a, negated in b) for a verb one parse asserts and
    the other denies, about the same subject or object; else None."""
    pa, pb = polarity(doc_a), polarity(doc_b)
    for lemma in pa.keys() & pb.keys():
        na = {n for n, _ in pa[lemma]}
        nb = {n for n, _ in pb[lemma]}
        if len(na) != 1 or len(nb) != 1 or na == nb:
            continue
        wa = set().union(*(w for _, w in pa[lemma]))
        wb = set().union(*(w for _, w in pb[lemma]))
        if wa & wb or (not wa and not wb):
            return lemma, next(iter(na)), next(iter(nb))
    return None


def verb_token(doc, lemma: str):
    """The first verb of ``doc`` with the lemma ``lemma``."""
    return next((t for t in doc if t.pos_ == "VERB" and t.lemma_.lower() == lemma), None)
