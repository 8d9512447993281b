"""Entity types spaCy's small model gets wrong, set right from the story's own words.

The model types a name from its few words around it, mention by mention; a
story says what a name is more plainly elsewhere:

* a one-word "person" never titled and seen after "in", "near"... is a place
  ("in Kiev": the small model calls Kiev a person);
* a name the story describes as a place is one: "Lolol, a town located in
  O'Higgins Region", "the coastal town of Constitución", "70km northwest of
  Curicó", also where spaCy tagged no entity (it reads that "Constitución" as a date);
* a name the story also writes with a place word after it is that place
  ("Maule" beside "Maule Region");
* a name listed as a company, bank, agency... is an organisation ("companies
  including Apple Computer, Microsoft, Cisco"), and so is a one-word "person" only
  ever written after "on" or "via", a site ("Follow her on Twitter");
* an organisation or place a title or role describes is a person: "UN climate
  change chief Yvo de Boer", "Yvo de Boer, Executive Secretary of the UNFCCC";
  so is one of two name words whose first and last word the story uses alone as
  a person's ("Amber Pasztor" beside "Amber" and "Pasztor said she...").

A name with cues both ways keeps its type. And a one-word "name" the story
mostly writes in lowercase is a common word set at the start of a sentence
or in a headline ("Tsunami", "Torch", "Embassy"), not an entity.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from .entities import ORG_HEADS, TITLE_WORDS, Entity, _clean_token, normalise
from .names import same_person
from .spans import _rank

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span

    from .nlp import Parsed

_LOCATIVE = frozenset(
    {"in", "near", "at", "from", "across", "outside", "inside", "around", "towards", "toward",
     "into", "between"}
)  # fmt: skip
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
#: nouns that describe a place ("the town of X", "X, a village in...")
PLACE_NOUNS = frozenset(
    """city town village flashpoint capital outskirt region province commune municipality
    district port island county prefecture""".split()
)
#: "northwest of X": only a place lies in a direction
COMPASS = frozenset(
    """north south east west northeast northwest southeast southwest north-east north-west
    south-east south-west""".split()
)
#: title and role nouns that describe a person (not "former", "state", "general"...)
ROLES = (
    TITLE_WORDS
    - frozenset(
        """former acting late state general vice deputy foreign defence defense interior
        finance prime assistant chair justice leader major rear""".split()
    )
) | frozenset({"chief", "official", "negotiator", "coordinator"})
#: place words a story writes after a region's name ("Maule Region")
_REGION_WORDS = frozenset({"region", "province", "prefecture", "county", "district"})


#: the label of a "person" written after an article, as a common noun is (:func:`after_article`)
COMMON = "COMMON"
_ARTICLES = frozenset({"the", "a", "an"})
#: words after which "the" does come before a person's name ("the Prophet Mohammed")
_THE_TITLES = TITLE_WORDS | frozenset("prophet apostle virgin saint st blessed dalai".split())


def after_article(name: Span) -> bool:
    """An article stands right before a name of one or two words, whose first word is no
    title and which modifies no noun after it ("the Amber Alert", "an Amber Alert"; not
    "the Rev. Jesse Jackson", "the Bush administration"; not a span spaCy began too early,
    "the Sixth Man of the Year James Harden")."""
    doc, first = name.doc, name.start
    if len(name) > 2 or first == 0 or doc[first - 1].lower_ not in _ARTICLES:
        return False
    if _clean_token(doc[first].text).replace(".", "") in _THE_TITLES:
        return False
    root = name.root  # "the Bush administration", "a Hillary Clinton presidency": the person
    return not (root.dep_ in ("compound", "nmod") and not name.start <= root.head.i < name.end)


def named(e: Entity) -> bool:
    """Drop ``e``'s mentions written as a common noun (:data:`COMMON`); all of them where
    these are most ("the Amber Alert" a person 5 times after an article, a place once):
    whether any name is left."""
    common = sum(m.label == COMMON for m in e.mentions)
    keep = 2 * common <= len(e.mentions)
    e.mentions = [m for m in e.mentions if keep and m.label != COMMON]
    return bool(e.mentions)


def _spans(parsed: Parsed, e: Entity) -> list[Span]:
    out = []
    for m in e.mentions:
        span = parsed.docs[m.k].char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            out.append(span)
    return out


def _role(tok) -> bool:
    return _clean_token(tok.text).replace(".", "") in ROLES


def titled(span: Span) -> bool:
    """A title before the name that modifies it ("UN climate change chief Yvo de Boer"),
    or an abbreviated rank right before it, however parsed ("Army Pfc. Lynndie England")."""
    root = span.root
    if any(c.i < span.start and c.dep_ == "compound" and _role(c) for c in root.children):
        return True
    i = span.start - 1
    if i > 0 and span.doc[i].text == ".":
        i -= 1  # "Pfc" "." as two tokens
    return i >= 0 and _rank(span.doc, i)


def in_role_apposition(span: Span) -> bool:
    """A role in apposition ("Yvo de Boer, the U.N.'s climate change chief")."""
    root = span.root
    if any(c.dep_ == "appos" and _role(c) for c in root.children):
        return True
    return root.dep_ == "appos" and _role(root.head)


def described_as_person(spans: list[Span]) -> bool:
    """Titled once, or a role in apposition to most of its mentions: the parser
    hangs an apposition on the wrong name now and then ("In Halifax, Nova Scotia, a
    spokesman for...")."""
    appos = sum(in_role_apposition(s) for s in spans)
    return any(titled(s) for s in spans) or 2 * appos > len(spans)


def described_as_place(span: Span) -> bool:
    """ "X, a town...", "the town of X", "70km northwest of X"; also each name
    listed with one ("the provinces of Rostov, Bryansk and Belgorod")."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if after is not None and after.lower_ in _REGION_WORDS | {"peninsula", "island"}:
        return True  # "Ukraine's Crimea region", "the Crimea peninsula"
    if after is not None and (after.text == "area" or _station_visited(after)):
        return True  # "around the Kings Cross area", "arriving at Kings Cross station"
    root = span.root
    while root.dep_ == "conj" and root.head is not root:
        if _place_described(root):
            return True
        root = root.head
    return _place_described(root)


def _station_visited(tok) -> bool:
    """ "at/near/to X station": a place one goes to (not "the CIA station there")."""
    return tok.text == "station" and tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE | {"to"}


def _place_described(root) -> bool:
    if any(c.dep_ == "appos" and c.lemma_.lower() in PLACE_NOUNS for c in root.children):
        return True
    if root.dep_ == "appos" and root.head.lemma_.lower() in PLACE_NOUNS:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        noun = root.head.head
        return noun.lower_ in COMPASS or (noun.pos_ == "NOUN" and noun.lemma_ in PLACE_NOUNS)
    return False


def described_places(parsed: Parsed) -> set[str]:
    """Keys of the proper names the story describes as places anywhere, also where
    spaCy tagged no entity ("the coastal town of Constitución" read as a date)."""
    out: set[str] = set()
    for doc in parsed.docs:
        for t in doc:
            if t.pos_ != "PROPN" or t.dep_ in ("compound", "flat"):
                continue
            start = t.i
            while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head is t:
                start -= 1
            if described_as_place(doc[start : t.i + 1]):
                out.add(normalise(doc[start : t.i + 1].text))
    return out


def looks_like_place(parsed: Parsed, e: Entity) -> bool:
    """A one-word "person" never titled and seen after "in", "near"... is a place (Kiev)."""
    if any(len(k.split()) > 1 for k in e.keys):
        return False
    seen_locative = False
    for span in _spans(parsed, e):
        doc = span.doc
        before = doc[span.start - 1] if span.start > 0 else None
        if before is not None and _clean_token(before.text).replace(".", "") in TITLE_WORDS:
            return False
        root = span.root
        if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE:
            seen_locative = True
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
            seen_locative = seen_locative or root.head.head.lemma_ in PLACE_NOUNS
    return seen_locative


#: what follows a wire dateline's city: more capitals, ", Country", "(AP)", then "_" or
#: "--"; or a press release's "--(BUSINESS WIRE)--"
_DATELINE = re.compile(
    r"(?:\s+[A-Z][A-Z.'’-]*)*(?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)?"
    r"(?:\s*(?:\([A-Za-z&. ]+\)\s*)?(?:_|--|—|–)\s|--\([A-Z][A-Z&. ]+\)--)"
)


def datelines(parsed: Parsed, ents: list[Entity]) -> None:
    """A name in capitals opening a sentence as a wire dateline is the place the
    article was filed from ("ZURICH, Switzerland (AP) _ ...", "WASHINGTON _ ..."):
    spaCy takes the capitals for an organisation's."""
    for e in ents:
        for m in e.mentions:
            if not m.text.isupper():
                continue
            text = parsed.sentences[m.k].text  # the parse's text (Doc.text rebuilds it)
            if not text[: m.start].strip() and _DATELINE.match(text, m.end):
                m.label = "GPE"


#: head words of an organisation's full name ("Coalition to Investigate ...")
_BODY_WORDS = frozenset(
    """coalition committee council commission organization organisation association union
    agency group federation front movement party institute foundation fund league alliance
    centre center network society corporation company bureau board authority campaign
    service corps""".split()
)
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*")


def _defined_as_body(text: str, start: int, end: int) -> bool:
    """The acronym ``text[start:end]`` stands in brackets right after the full
    name it spells, and that name is a body's ("Coalition to Investigate the
    Persecution of Falun Gong in China (CIPFG)")."""
    if text[start - 1 : start] != "(" or text[end : end + 1] != ")":
        return False
    acronym = text[start:end]
    words = _CAPITALISED.findall(text[max(0, start - 160) : start - 1])[-(len(acronym) + 3) :]
    for i, first in enumerate(words):
        if first[0] != acronym[0]:
            continue
        rest = iter(w[0] for w in words[i + 1 :])
        if all(letter in rest for letter in acronym[1:]):  # a subsequence, in order
            return any(w.lower() in _BODY_WORDS for w in words[i:])
    return False


def acronyms_of_bodies(parsed: Parsed, ents: list[Entity]) -> None:
    """An acronym in brackets after the full name of a body it spells is an
    organisation (spaCy took "CIPFG", after "... in China", for a place)."""
    for e in ents:
        if e.kind == "organisation":
            continue
        if any(
            m.text.isupper()
            and 2 <= len(m.text) <= 8
            and _defined_as_body(parsed.sentences[m.k].text, m.start, m.end)
            for m in e.mentions
        ):
            _relabel(e, "ORG")


#: nouns that name organisations ("companies including Microsoft, Cisco and Google")
ORG_NOUNS = frozenset(
    """company firm corporation bank airline carrier manufacturer maker retailer agency
    organisation organization charity broadcaster newspaper""".split()
)


def listed_as_organisation(span: Span) -> bool:
    """Each name of "companies including A, B and C", "banks such as A and B"."""
    root = span.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    if root.dep_ != "pobj" or root.head.lower_ not in ("including", "like", "as"):
        return False
    noun = root.head.head
    return noun.pos_ == "NOUN" and noun.lemma_.lower() in ORG_NOUNS


def on_platform(spans: list[Span]) -> bool:
    """A one-word name only ever written after "on" or "via", as a web site or network is
    ("Follow her on Twitter", "on Facebook and its Russian equivalent, VKontakte")."""
    roots = [s.root for s in spans]
    while roots and any(r.dep_ == "conj" and r.head is not r for r in roots):
        roots = [r.head if r.dep_ == "conj" else r for r in roots]
    return bool(roots) and all(
        len(s) == 1 and r.dep_ == "pobj" and r.head.lower_ in ("on", "via")
        for s, r in zip(spans, roots, strict=True)
    )


def orgs_by_description(parsed: Parsed, ents: list[Entity]) -> None:
    """People and places the story lists as organisations become organisations, and
    people it only ever writes as a site one is on ("on Twitter")."""
    for e in ents:
        if e.kind == "organisation":
            continue
        spans = _spans(parsed, e)
        if any(listed_as_organisation(s) for s in spans):
            _relabel(e, "ORG")
        elif e.kind == "person" and on_platform(spans):
            _relabel(e, "ORG")


def _relabel(e: Entity, label: str) -> None:
    for m in e.mentions:
        m.label = label


def people_by_role(parsed: Parsed, ents: list[Entity]) -> None:
    """Organisations and places a title or role describes become people."""
    for e in ents:
        if e.kind == "person":
            continue
        spans = _spans(parsed, e)
        if described_as_person(spans) and not any(described_as_place(s) for s in spans):
            _relabel(e, "PERSON")


#: verbs of speech a person's name is the subject of ("Pasztor said she was driving")
_SPEECH = frozenset("say tell reply admit explain add recall insist".split())
_HE_SHE = frozenset("he she him her his hers himself herself".split())


def speaks_as_person(span: Span) -> bool:
    """The name says or tells something in a sentence that has "he" or "she" in it
    ("Pasztor said she was driving aimlessly"; "WANE reports that..." does not)."""
    root = span.root
    if root.dep_ != "nsubj" or root.head.lemma_.lower() not in _SPEECH:
        return False
    return any(t.lower_ in _HE_SHE for t in span.doc)


def _person_like(e: Entity) -> bool:
    """Each name one or two words, each a capital and lowercase letters, none a body's
    word ("Pasztor"; not "NYPD", "State Department", "Amnesty International")."""
    for m in e.mentions:
        words = m.text.split()
        if len(words) > 2 or not all(re.fullmatch(r"[A-Z][a-z'’-]+", w) for w in words):
            return False
        if any(w.lower() in _BODY_WORDS | ORG_HEADS for w in words):
            return False
    return True


def people_by_name_parts(parsed: Parsed, ents: list[Entity]) -> None:
    """An organisation or place of two name words (:func:`_person_like`) is a person's
    full name when the story writes its first word alone as a person's name and its last
    word alone as one, or as a name that speaks with a "he" or "she" ("Amber Pasztor",
    an organisation to spaCy, beside "Amber" and "Pasztor said she was driving"); also
    when the story writes its last word alone as a person's, its first word never in
    lowercase ("Eva Longoria", an organisation, beside "Longoria leads the pack"; not
    "Camp David" beside "David"), and the name nowhere as a place's; and when it is a
    person's full name of the story less its middle name (:func:`.names.same_person`:
    "Liberty German" beside "Liberty “Libby” German"; not a spelling variant, which
    would make the variants a name matching two names that do not match)."""
    alone = {k: e for e in ents if len(e.keys) == 1 and " " not in (k := next(iter(e.keys)))}
    people = {k for k, e in alone.items() if e.kind == "person"}
    speakers = {k for k, e in alone.items() if any(speaks_as_person(s) for s in _spans(parsed, e))}
    full = [k for e in ents if e.kind == "person" for k in e.keys if len(k.split()) > 2]
    lower = set(_LOWER_WORD.findall("\n".join(s.text for s in parsed.sentences)))
    for e in ents:
        if e.kind == "person" or len(e.keys) != 1 or not _person_like(e):
            continue
        key = next(iter(e.keys))
        words = key.split()
        if len(words) != 2:
            continue
        if words[0] in people and words[1] in people | speakers:
            _relabel(e, "PERSON")
        elif words[1] in people and words[0] not in lower and not _no_full_name(parsed, e):
            _relabel(e, "PERSON")
        elif any(same_person(key, k) for k in full):
            _relabel(e, "PERSON")


def _no_full_name(parsed: Parsed, e: Entity) -> bool:
    """A mention after "in", "near"... or described as a place ("the town of X"), or
    one whose first word is a possessive ("Pucci’s Eric": Pucci's role, Eric)."""
    if any(m.text.split()[0][-2:] in ("'s", "’s") for m in e.mentions):
        return True
    return any(
        (s.root.dep_ == "pobj" and s.root.head.lower_ in _LOCATIVE) or described_as_place(s)
        for s in _spans(parsed, e)
    )


def places_by_description(parsed: Parsed, ents: list[Entity]) -> None:
    """People and organisations the story describes as places, or writes as a region's
    name ("Maule" beside "Maule Region"), become places."""
    stems = {
        " ".join(k.split()[:-1])
        for e in ents
        if e.kind == "place"
        for k in e.keys
        if len(k.split()) > 1 and k.split()[-1] in _REGION_WORDS
    }
    described = described_places(parsed)
    for e in ents:
        if e.kind == "place":
            continue
        spans = _spans(parsed, e)
        if described_as_person(spans):
            continue
        if (
            (e.kind == "person" and looks_like_place(parsed, e))
            or any(described_as_place(s) for s in spans)
            or e.keys & (stems | described)
        ):
            _relabel(e, "GPE")


_CAPITAL_INSIDE = re.compile(r"(?<=[a-z,;:] )([A-Z][a-z]+)\b")


def drop_common_words(parsed: Parsed, ents: list[Entity]) -> None:
    """Empty the entities whose one name is a common word of the story: a
    capitalised word it writes in lowercase at least twice, and twice as
    often as capitalised inside a sentence."""
    text = "\n".join(s.text for s in parsed.sentences)
    lower = Counter(_LOWER_WORD.findall(text))
    inside = Counter(_CAPITAL_INSIDE.findall(text))
    for e in ents:
        if len(e.keys) != 1 or not e.mentions:
            continue
        word = Counter(m.text for m in e.mentions).most_common(1)[0][0]
        if not re.fullmatch(r"[A-Z][a-z]+", word):
            continue
        low = lower[word.lower()]
        if low >= 2 and low >= 2 * max(inside[word], 1):
            e.mentions = []
