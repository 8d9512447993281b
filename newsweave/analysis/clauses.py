"""Reported clauses: what a speech verb says and who its subject is.

The reported clause is the complement clause of a speech verb ("Lavrov said
[Russia welcomed talks]"), the clause a parser hung under its object ("told a
briefing that ..."), or the object of a verb of urging or promising; the
clause of "according to X" is X's. A clause all in quotation marks is a direct
quote, not reported speech (:mod:`.quotes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dateline import dateline_end
from .marks import MARKS

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

#: speech verbs whose object or complement (not only a clause) is the content
_OBJECT_VERBS = frozenset({"urge", "warn", "ask", "vow", "promise", "pledge"})
MIN_REPORTED_WORDS = 3


def inside(idx: int, segs: list[tuple[int, int]]) -> bool:
    return any(a <= idx < b for a, b in segs)


def words(text: str) -> int:
    return sum(any(c.isalnum() for c in w) for w in text.split())


def subject(verb: Token, segs: list[tuple[int, int]]) -> Token | None:
    """The subject of ``verb`` outside the quotation marks: in '"..., someone to
    speak for us," said Kruno Cabraka' the parser also hangs the quotation's
    "someone" on "said" as a subject. Of two subjects, the one after the verb is
    the speaker: in "That new tales ... are still emerging has Woods' wife, Elin,
    furious, reports the Chicago Sun-Times" the first is a piece of the report.
    A wire dateline the parser takes for a subject is not the speaker either."""
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.lemma_ == "quote":
        quoted = verb.head.head  # "the newspaper quoted Zhang Xiong as saying", "Chen was
        return next(  # quoted as saying": the one quoted speaks, not who quotes him
            (  # (not a word of the quotation the parser hangs there too)
                c
                for c in quoted.children
                if c.dep_ in ("dobj", "nsubjpass") and not inside(c.idx, segs)
            ),
            None,
        )
    subjects = []
    body = dateline_end(verb.doc.text)  # "ROELAND PARK, Kan. — Sarah Robinson says": not the place
    for c in verb.children:
        if c.dep_ != "nsubj" or inside(c.idx, segs):
            continue
        if c.idx < body:  # "KATHMANDU, Nepal (AP) — A Swiss climber ... said": the climber
            c = next((a for a in c.children if a.dep_ == "appos" and a.idx >= body), None)
        if c is not None:
            subjects.append(c)
    if subjects:
        # after the verb, the last: in '"...," said CNN senior political analyst David
        # Gergen' the parser also makes "CNN" a subject; the name ends the phrase (a
        # day is none: "said Mario Artaza, ..., in a radio interview Saturday")
        after = [c for c in subjects if c.i > verb.i and c.ent_type_ not in ("DATE", "TIME")]
        return after[-1] if after else subjects[0]
    if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i != verb.i:
        return subject(verb.head, segs)
    return None


def put_to(verb: Token) -> bool:
    """Whether a speech verb is a bare participle of what was put to the speaker:
    in '"It's bent pretty badly," he said when asked if the Senate was broken'
    the Senate's being broken is the question, not what he said."""
    return (
        verb.tag_ == "VBN"
        and verb.dep_ in ("advcl", "acl")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children)
    )


def nobody(subj: Token) -> bool:
    """Whether a subject is no one: "no one is saying they put somebody else's
    arm in the video" quotes nobody."""
    return subj.lower_ in ("nobody", "none", "neither") or any(
        c.dep_ == "det" and c.lower_ == "no" for c in subj.children
    )


def _object_clause(verb: Token) -> list[Token] | None:
    """The reported clause a parser hung under the object ("told a briefing that ...",
    "say [previous pledges ... produced no withdrawal]")."""
    for obj in (c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i):
        for c in obj.children:
            sub = list(c.subtree)
            if c.dep_ in ("relcl", "acl", "ccomp") and sub[0].lower_ == "that" and c.i > obj.i:
                if verb.lemma_ in ("tell", "inform", "remind", "assure"):
                    return sub[1:]
        sub = list(obj.subtree)
        if verb.lemma_ == "say" and len(sub) >= 5 and any(t.pos_ == "VERB" for t in sub):
            return sub
    return None


def _describes_subject(verb: Token, clause: Token, segs: list[tuple[int, int]]) -> bool:
    """Whether a clause the parser hung on ``verb`` is a description of the
    speaker named after the verb: in '"...," said William E. Copeland, lead author
    of the study' "lead" is read as a verb, but a reported clause comes before an
    inverted speaker, and has a subject of its own."""
    subj = subject(verb, segs)
    return (
        subj is not None
        and verb.i < subj.i < clause.i
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children)
    )


def _said_after(
    verb: Token, verbs: list[Token], segs: list[tuple[int, int]], start: int, end: int
) -> tuple[int, Token] | None:
    """The first quotation opened inside the clause ``start:end`` of ``verb`` after
    some of its words that a speech verb with its own subject says right after
    it ('..., ``We will do everything we can,'' he said'), as (opening, verb)."""
    text = verb.doc.text
    for a, b in segs:
        if not (start < a < end and words(text[start:a])):
            continue
        for v in verbs:
            subj = subject(v, segs)
            if subj is None or v.idx < b or v.dep_ in ("advcl", "conj", "xcomp"):
                continue
            if not any(ch.isalnum() for ch in text[b : min(v.idx, subj.left_edge.idx)]):
                return a, v
    return None


def content_span(
    verb: Token, segs: list[tuple[int, int]], verbs: list[Token]
) -> tuple[int, int] | None:
    """Chars of the reported clause of ``verb`` (``None`` when it has none)."""
    comp = [c for c in verb.children if c.dep_ == "ccomp" and not _describes_subject(verb, c, segs)]
    comp.sort(key=lambda c: c.i < verb.i)  # "X commented that [...]" before a misparse
    toks: list[Token]
    if comp:
        toks = list(comp[0].subtree)
        if toks and toks[0].dep_ == "mark" and toks[0].lower_ in ("that", "whether", "if"):
            toks = toks[1:]
    elif clause := _object_clause(verb):
        toks = clause
    elif verb.lemma_ in _OBJECT_VERBS:
        toks = [
            t
            for c in verb.children
            if c.i > verb.i and c.dep_ in ("dobj", "xcomp")
            for t in c.subtree
        ]
        toks += [t for c in verb.children if c.i > verb.i and c.dep_ == "xcomp" for t in c.subtree]
    else:
        return None
    toks = [t for t in toks if not t.is_punct or t.text in MARKS] if toks else []
    if not toks:
        return None
    toks.sort(key=lambda t: t.i)
    doc = verb.doc
    dated = {  # not "Friday's development should put to rest...": the clause's subject
        t.i
        for e in doc.ents
        if e.label_ in ("DATE", "TIME") and not (e.end < len(doc) and doc[e.end].tag_ == "POS")
        for t in e
    }
    while toks and (toks[0].i in dated or toks[0].lower_ in ("on", "that")) and len(toks) > 1:
        toks = toks[1:]  # "announced on Monday [Putin had ordered...]"
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    if comp and all(c.i < comp[0].i or c.is_punct for c in verb.children if c.i != comp[0].i):
        # the clause ends the verb's phrase: take everything up to its end
        last = [t for t in verb.subtree if not t.is_punct or t.text in MARKS][-1]
        end = max(end, last.idx + len(last.text))
    if start <= verb.idx < end:
        return None  # "what the Kremlin said were ...": the verb sits inside its clause
    if said := _said_after(verb, verbs, segs, start, end):
        a, by = said
        if by is verb:  # 'That said, it's not as if ...: "It's undeniable...," he said'
            if any(start <= v.idx < a for v in verbs):
                return None  # narration with a speech verb of its own: his words are quoted
        else:  # 'Bouchard said the board would ..., ``We will ...,'' he said': not Bouchard's
            end = start + len(verb.doc.text[start:a].rstrip(" ,:;`'\"“‘"))
    end = _before_next_speech(verb, verbs, segs, start, end)
    for a, b in segs:  # never cut a quotation in two
        if a < end < b:
            end = b
    if words_outside(verb.doc.text, start, end, segs) < MIN_REPORTED_WORDS:
        return None
    return start, end


def _before_next_speech(
    verb: Token, verbs: list[Token], segs: list[tuple[int, int]], start: int, end: int
) -> int:
    """The end of the clause ``start:end`` of ``verb`` before a speech verb hung in
    it as an adverbial or conjoined clause: in "he did not know Whitaker, telling
    reporters, ..." and "MTV said Universal didn't submit the video, while the
    record label said ..." the rest is another speech, listed of its own."""
    text = verb.doc.text
    for v in verbs:
        if v is verb or not start < v.idx < end or inside(v.idx, segs):
            continue
        if v.dep_ in ("advcl", "conj") and start < v.left_edge.idx:
            end = min(end, start + len(text[start : v.left_edge.idx].rstrip(" ,;:")))
    return end


def words_outside(text: str, start: int, end: int, segs: list[tuple[int, int]]) -> int:
    """Words of ``text[start:end]`` outside the quotation marks: a clause all in
    quotation marks is a direct quote, not reported speech."""
    return words("".join(ch for i, ch in enumerate(text[start:end], start) if not inside(i, segs)))


def according_to(
    doc: Doc, verbs: list[Token], segs: list[tuple[int, int]]
) -> list[tuple[Token, tuple[int, int] | None]]:
    """Sources of "according to X" with the chars of the clause they support (not
    counting clauses with a speech verb of their own, nor one in quotation marks:
    'Boehner's position is "he can't cut a deal. If he did, our guys would go
    nuts," according to a Republican source' is a direct quote of the source).
    None hung on a speech verb: in '"Is there something wrong with it?" fan
    Jordan Deuschleman asked, according to the Associated Press' the fan speaks."""
    out = []
    for t in doc:
        if t.lower_ != "according" or t.head in verbs:
            continue
        for to in t.children:
            if to.lower_ != "to":
                continue
            own = {x.i for x in t.subtree}
            other = {
                x.i
                for c in t.head.children
                if c.dep_ in ("conj", "parataxis", "advcl", "ccomp") and c.i > t.i
                and any(v in verbs for v in c.subtree)
                for x in c.subtree
            }  # fmt: skip
            clause = [x for x in t.head.subtree if x.i not in own | other and not x.is_punct]
            before = [x for x in clause if x.i < min(own)]
            after = [x for x in clause if x.i > max(own)]
            part = before if len(before) >= len(after) else after
            span = None
            if len(part) >= MIN_REPORTED_WORDS:
                span = (part[0].idx, part[-1].idx + len(part[-1].text))
                if words_outside(doc.text, *span, segs) < MIN_REPORTED_WORDS:
                    span = None
            out += [(c, span) for c in to.children if c.dep_ == "pobj"]
    return out
