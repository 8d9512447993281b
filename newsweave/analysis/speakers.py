"""Speakers: who a speech verb's subject is, normalised across mentions and sources.

* a name goes through the story's entities (:mod:`.entities`), so "Mr
  Rasmussen" and "NATO Secretary-General Anders Fogh Rasmussen" are one
  speaker; the words around the name give the role ("NATO Secretary-General");
* "he"/"she" is the most recent person-like speaker (or named person acting as
  a subject) in the article, "it" the most recent organisation, "they" the most
  recent plural or group speaker;
* a description ("a senior US official") is a speaker of its own; a later
  definite one refers back to it ("the official") or to a named speaker whose
  role has that word ("the president" → the speaker with role "French president").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .entities import Entity, EntityIndex, normalise
from .nlp import Parsed

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

HUMAN_HEADS = frozenset(
    """official officials spokesman spokeswoman spokesperson minister president leader
    source sources diplomat diplomats analyst analysts expert experts witness witnesses
    resident residents officer officers commander aide aides adviser advisor envoy
    ambassador secretary chief director governor mayor general lawmaker lawmakers senator
    man woman person people doctor doctors police policeman guard guards soldier
    soldiers worker workers activist activists negotiator negotiators representative
    voter student observer candidate pope pontiff cardinal bishop archbishop priest cleric
    imam rabbi monk nun pilgrim teacher professor researcher scientist historian author
    lawyer attorney judge prosecutor investigator detective inspector sheriff captain
    victim survivor relative mother father wife husband son daughter brother sister
    friend neighbor neighbour boy girl child teenager villager citizen refugee protester
    demonstrator owner farmer driver pilot passenger nurse patient surgeon physician
    engineer firefighter rescuer journalist reporter editor politician legislator
    congressman congresswoman chairman chairwoman businessman businesswoman executive
    employee manager founder partner member economist investor trader player coach fan
    king queen prince princess""".split()
)
#: words of a subject phrase that say which of "he" and "she" the speaker is
_SHE_WORDS = frozenset(
    """she woman spokeswoman mother wife daughter sister girl grandmother widow queen
    princess nun actress chairwoman congresswoman businesswoman girlfriend mrs ms""".split()
)
_HE_WORDS = frozenset(
    """he man spokesman father husband son brother boy grandfather widower king prince
    pope pontiff monk actor chairman congressman businessman policeman boyfriend mr""".split()
)


@dataclass
class Speaker:
    """One speaker of the story, merged over mentions and sources."""

    key: tuple
    name: str
    kind: str  # person | organisation | place | unnamed | group
    entity: Entity | None = None
    head: str = ""
    plural: bool = False
    roles: Counter = field(default_factory=Counter)
    mentions: list[tuple[int, int, int]] = field(default_factory=list)  # (k, start, end)
    id: str = ""
    pronouns: set[str] = field(default_factory=set)  # "he" and/or "she", as referred to

    @property
    def personal(self) -> bool:
        return self.kind == "person" or (self.kind == "unnamed" and self.head in HUMAN_HEADS)

    def is_pronoun(self, low: str) -> bool:
        """Whether "he" or "she" (``low``) can be this speaker: one person, not
        one referred to by the other pronoun ("a young woman" is not "he")."""
        other = {"he": "she", "she": "he"}[low]
        return self.personal and not self.plural and other not in self.pronouns


def _gender(words: list[str]) -> set[str]:
    """ "he"/"she" as the words of a subject phrase say ("a young woman", "Mr")."""
    low = {w.lower().rstrip(".") for w in words}
    found = {p for p, ws in (("she", _SHE_WORDS), ("he", _HE_WORDS)) if low & ws}
    return found if len(found) == 1 else set()


_CARRIERS = frozenset({"report", "statement", "release", "communique", "communiqué"})


def _phrase(head: Token) -> tuple[list[Token], list[Token]]:
    """Tokens naming a subject (clauses, appositions and punctuation left out), appositions."""
    drop = {"acl", "relcl", "advcl", "punct", "appos", "cc", "conj", "prep"}
    keep = [t for t in _subtree_without(head, drop)]
    appos = [t for c in head.children if c.dep_ == "appos" for t in c.subtree]
    if not appos:  # "a voter in Tehran's Enqelab Square, Saeid Kazami, 41, said"
        appos = [t for c in _place_appositions(head) for t in c.subtree]
    return keep, appos


def _place_appositions(head: Token) -> list[Token]:
    """A person's name set off after the place that ends a subject phrase: the
    parser hangs it on the place, but a place is not a person's name."""
    return [
        a
        for p in head.children
        if p.dep_ == "prep"
        for o in p.children
        if o.dep_ == "pobj" and o.ent_type_ in ("GPE", "FAC", "LOC")
        for a in o.children
        if a.dep_ == "appos" and a.ent_type_ == "PERSON"
    ]


def _subtree_without(tok: Token, drop: set[str]):
    yield tok
    for c in tok.children:
        if c.dep_ in drop and not (c.dep_ == "prep" and c.lower_ in ("for", "of")):
            continue
        yield from _subtree_without(c, drop)


class Registry:
    """Speakers of the story, by key."""

    def __init__(self, entities: EntityIndex):
        self.entities = entities
        self.by_key: dict[tuple, Speaker] = {}
        self.seen: dict[int, int] = {}  # speaker id -> sentence it was last an antecedent in

    def saw(self, sp: Speaker, k: int) -> Speaker:
        """Note that ``sp`` is an antecedent for pronouns from sentence ``k`` on."""
        self.seen[id(sp)] = k
        return sp

    def other_person_since(
        self, sp: Speaker, k: int, idx: int, low: str, said: list[tuple[int, int]]
    ) -> bool:
        """Whether a named person other than ``sp`` (and not one referred to as the
        other pronoun) is mentioned after the sentence ``sp`` was last seen in and
        before char ``idx`` of sentence ``k``: in "... that was Gladys Marin of the
        Communist Party. 'I couldn't be more happy,' she told local television"
        "she" is not the speaker quoted before Marin was named. Names in what the
        pronoun's verb says (chars ``said`` of sentence ``k``) are not antecedents."""
        other = {"he": "she", "she": "he"}[low]
        for k2 in range(self.seen.get(id(sp), k - 1) + 1, k + 1):
            for m, e in self.entities.in_sentence(k2):
                if e.kind != "person" or e is sp.entity or (k2 == k and m.start >= idx):
                    continue
                if k2 == k and any(a <= m.start < b for a, b in said):
                    continue  # "Kappa Sigma's office has revoked ..., she said": her words
                known = self.by_key.get(("entity", e.id))
                if known is None and len(e.name.split()) < 2:
                    continue  # a one-word "person" is as often a place ("Dubrovnik suffered")
                if known is None or other not in known.pronouns:
                    return True
        return False

    def get(self, key: tuple, name: str, kind: str, **kw: Any) -> Speaker:
        sp = self.by_key.get(key)
        if sp is None:
            sp = self.by_key[key] = Speaker(key, name, kind, **kw)
        return sp


_HONORIFICS = ("mr", "mrs", "ms", "dr")  # not a role, with or without a dot ("Mr. Parr")


def _role(doc: Doc, keep: list[Token], appos: list[Token], name_toks: set[int]) -> str | None:
    toks = [
        t
        for t in sorted(keep, key=lambda t: t.i)
        if t.i not in name_toks and t.dep_ != "det" and t.lower_.rstrip(".") not in _HONORIFICS
    ]
    if appos:
        toks += [t for t in appos if t.dep_ != "det" and t.i not in name_toks]
    role = _joined([t for t in toks if t.text not in (",", "'s")]).strip(" ,")
    role = role.replace(" 's", "'s")
    return role or None


def _joined(toks: list[Token]) -> str:
    """The words of ``toks`` spaced as written: a token the text writes right after
    the one before it stays attached ("Lt. Col.", not "Lt . Col .")."""
    out = ""
    for n, t in enumerate(toks):
        prev = toks[n - 1] if n else None
        glued = prev is not None and prev.i + 1 == t.i and not prev.whitespace_
        out += t.text if glued or not out else " " + t.text
    return out


_RELATIVE = frozenset({"who", "which", "that"})


def _antecedent(head: Token) -> Token | None:
    """The noun a relative pronoun subject stands for ("an official, who said")."""
    if head.lower_ not in _RELATIVE or head.head.dep_ != "relcl":
        return None
    ante = head.head.head
    up = ante.head.head
    if (
        head.lower_ == "who"
        and ante.ent_type_ != "PERSON"
        and ante.dep_ == "pobj"
        and up.pos_ in ("NOUN", "PROPN")
    ):
        ante = up  # "leftist politicians in the Italian parliament, who asked": the politicians
    if ante.pos_ not in ("NOUN", "PROPN") or ante.ent_type_ in ("DATE", "TIME"):
        return None
    return ante


def speaker_of(
    parsed: Parsed,
    k: int,
    head: Token,
    reg: Registry,
    history: list[Speaker],
) -> tuple[Speaker | None, tuple[int, int, int] | None, str | None]:
    """Resolve the subject ``head`` of a speech verb to a speaker."""
    doc = head.doc
    ante = _antecedent(head)
    if ante is not None:  # "said Gerety, who is a public defender and said ..."
        return speaker_of(parsed, k, ante, reg, history)
    if head.pos_ == "PRON":
        low = head.lower_
        if low in ("he", "she"):
            ok = [s for s in history if s.is_pronoun(low)]
        elif low == "it":
            ok = [s for s in history if not s.personal and s.kind != "group" and not s.plural]
        elif low in ("they", "we"):
            ok = [s for s in history if s.plural or s.kind in ("group", "organisation")]
        else:
            ok = []
        span = (k, head.idx, head.idx + len(head.text))
        if not ok:
            return None, span, None
        if low in ("he", "she"):
            said = [
                (t.left_edge.idx, t.right_edge.idx + len(t.right_edge.text))
                for t in head.head.children
                if t.dep_ == "ccomp"
            ]
            if reg.other_person_since(ok[-1], k, head.idx, low, said):
                return None, span, None  # a wrong speaker is worse than none
            ok[-1].pronouns.add(low)
        return ok[-1], span, "pronoun"
    keep, appos = _phrase(head)
    conj = [c for c in head.children if c.dep_ == "conj"]
    toks = sorted(keep, key=lambda t: t.i)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    if conj:
        last = max(conj[-1].subtree, key=lambda t: t.i)
        end = last.idx + len(last.text)
    span = (k, start, end)
    mentions = [
        (m, e)
        for m, e in reg.entities.in_sentence(k)
        if m.start < end and m.end > start or any(m.start <= t.idx < m.end for t in appos)
    ]
    if conj:
        names = list(dict.fromkeys(e.name for _m, e in mentions))
        if len(names) < len(conj) + 1:
            text = parsed.sentences[k].text[start:end]
            names = [text[4:] if text.lower().startswith("the ") else text]
        key = ("group", tuple(sorted({normalise(n) for n in names})))
        return reg.get(key, " and ".join(names), "group", plural=True), span, None
    own = next((e for m, e in mentions if m.start <= head.idx < m.end), None)
    if own is None and head.lemma_.lower() in _CARRIERS:  # "reports by the Associated Press"
        inner = [t for c in head.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
                 for t in c.subtree]  # fmt: skip
        own = next(  # not "a press release from the committee of the games in Bangkok"
            (
                e
                for m, e in reg.entities.in_sentence(k)
                for t in inner
                if m.start <= t.idx < m.end and e.kind != "place"
            ),
            None,
        )
        if own is not None:
            end = max(end, inner[-1].idx + len(inner[-1].text))
            span = (k, start, end)
    if own is None and head.pos_ == "PROPN":  # a surname the tagger missed here
        own = reg.entities.lookup(parsed.sentences[k].text[start:end])
    elif own is None and head.text.istitle() and len(toks) == 1:  # "Page says" at a sentence
        found = reg.entities.lookup(head.text)  # start, tagged the common noun: Jimmy Page
        own = found if found is not None and found.kind == "person" else None
    person = next(  # "a Pentagon spokesman, John Kirby, said"; not Tiger Woods in
        (  # "Tiger Woods' wife, Elin Nordegren, said"
            e
            for m, e in mentions
            if e.kind == "person" and any(m.start <= t.idx < m.end for t in appos)
        ),
        None,
    )
    if own is None and person is not None:
        own = person
    if own is not None:
        own_words = {w for key in own.keys for w in key.split()}
        name_toks = {
            t.i for m, e in mentions if e is own for t in doc if m.start <= t.idx < m.end
        } | {t.i for t in keep if t.pos_ == "PROPN" and t.lower_ in own_words}
        role = _role(doc, keep, appos, name_toks) if own.kind == "person" else None
        sp = reg.get(("entity", own.id), own.name, own.kind, entity=own, head=head.lower_)
        if role and any(c.isalpha() for c in role):
            sp.roles[role] += 1
        if own.kind == "person":  # "Mr Lavrov", "a spokeswoman, Jen Psaki"
            titles = [t for t in keep if t.head.i == head.i] + [
                c for c in head.children if c.dep_ == "appos"
            ]
            sp.pronouns |= _gender([t.text for t in titles if t.i not in name_toks])
        return sp, span, None
    # a description: "a senior US official", "the defence ministry", "Mr Putin's office"
    words = [
        t.lower_
        for t in toks
        if t.dep_ not in ("det", "predet") and t.lower_.rstrip(".") not in _HONORIFICS[:3]
    ]
    desc = " ".join(words).replace(" 's", "'s")
    if not desc or head.tag_ == "PRP":
        return None, span, None
    definite = toks[0].lower_ in ("the", "this", "that", "these", "those")
    plural = head.tag_ in ("NNS", "NNPS")
    if definite:
        lemma = head.lemma_.lower()
        for s in reversed(history):
            if (
                s.kind == "unnamed"
                and s.head == lemma
                and s.plural == plural
                and set(words) <= set(s.name.lower().split())
            ):
                return s, span, "definite description"
            if (
                s.kind == "person"
                and not plural  # "the U.S. researchers" are not "the lead researcher"
                and _has_title(s, lemma)
            ):
                return s, span, "definite description"  # "the president" → Sarkozy
    text = parsed.sentences[k].text[start:end]
    name = text[len(toks[0].text) + 1 :] if toks[0].dep_ == "det" else text
    sp = reg.get(
        ("desc", desc),
        name.strip(),
        "unnamed",
        head=head.lemma_.lower(),
        plural=plural,
    )
    sp.pronouns |= _gender([head.lemma_])
    return sp, span, None


#: a title written another way ("the pontiff" is the person whose role says "Pope")
_TITLE_SYNONYMS = {"pontiff": "pope", "premier": "minister"}


def _has_title(sp: Speaker, lemma: str) -> bool:
    """Whether a role of ``sp`` has the title ``lemma`` ("president" in "French
    president"), before what the title is of ("the airline" is not the speaker
    whose role is "spokeswoman for airline")."""
    word = _TITLE_SYNONYMS.get(lemma, lemma)
    return any(word in _title_words(r) for r in sp.roles)


def _title_words(role: str) -> list[str]:
    """The words of a role before "of", "for", "at"... ("spokeswoman" of
    "spokeswoman for airline")."""
    out = []
    for w in role.lower().split():
        if w in ("of", "for", "at", "with", "from", "in", "on"):
            break
        out.append(w)
    return out


def titled_people(parsed: Parsed, speakers: list[Speaker]) -> dict[int, Speaker]:
    """Unnamed speakers only ever written as a definite singular title ("The
    pope said", before an article names him) that is the role of one named
    person of the story, by id, with that person."""
    people = [sp for sp in speakers if sp.kind == "person" and sp.mentions]
    out = {}
    for sp in speakers:
        if sp.kind != "unnamed" or sp.plural or not sp.mentions or len(sp.name.split()) > 1:
            continue
        texts = [parsed.sentences[k].text[a:b].lower() for k, a, b in sp.mentions]
        if not all(t.startswith("the ") for t in texts):
            continue
        owners = [p for p in people if _has_title(p, sp.head)]
        if len(owners) == 1:
            out[id(sp)] = owners[0]
    return out


def person_subjects(doc: Doc, k: int, reg: Registry) -> list[tuple[int, Speaker]]:
    """Named people who are subjects of other verbs: antecedents for "he"/"she".

    A listed subject ("Zadar, Sibenik and Dubrovnik ... were damaged") is
    several things, none of them "he", even when a name in it is tagged a person."""
    out = []
    mentions = [(m, e) for m, e in reg.entities.in_sentence(k) if e.kind == "person"]
    for t in doc:
        if t.dep_ != "nsubj" or t.pos_ != "PROPN" or any(c.dep_ == "conj" for c in t.children):
            continue
        for m, e in mentions:
            if m.start <= t.idx < m.end:
                out.append((t.i, reg.get(("entity", e.id), e.name, "person", entity=e)))
    return out
