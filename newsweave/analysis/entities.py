"""People, organisations and places, merged by normalised name across sources.

Mentions come from spaCy's NER (one pass, :mod:`.nlp`). Names are normalised
(titles such as "Mr", "President" or "Spc." and possessives dropped, "U.S." read
as "United States"; a rank ends no name: "Army Spc. Charles Graner" names the
Army and Charles Graner), then merged:

* full names of one person join (middle names, suffixes, word order, spelling
  variants: :mod:`.names`);
* a person's shorter name joins the one full name it ends with ("Putin",
  "Mr Putin" → "Vladimir Putin"; "Rasmussen" → "Anders Fogh Rasmussen"),
  unless two different full names end the same way ("Clinton" beside "Bill
  Clinton" and "Hillary Clinton"), or whose surname it spells alike
  ("Canchellara" → "Fabian Cancellara"); a name typed twice ("Arafat Arafat")
  is its surname when the story has a full name ending with it;
* an organisation's acronym joins the one name whose initials it spells
  ("NATO" ↔ "North Atlantic Treaty Organization").

A person name that spaCy cut short ("Fogh Rasmussen" in "NATO
Secretary-General Anders Fogh Rasmussen") is extended over the capitalised
name words before it, stopping at titles, and starts after a lowercase word
that is no name particle ("Yellow jersey Rasmussen" names Rasmussen); not in a
headline, whose every word is capitalised ("Remembering John F. Kennedy").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..segment import TITLES
from .names import doubled
from .nlp import Parsed
from .spans import (
    _after_imperative,
    _before_rank,
    _joined_by_slash,
    _section_label,
    _split_list,
    _title_case,
    _trim,
)

KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}

#: words that name a title or role, not a person (lowercase, without dots)
TITLE_WORDS = (
    frozenset(
        """mr mrs ms miss mx dr prof sir dame lord lady madam president vice deputy prime
    minister foreign defence defense interior finance secretary secretary-general general
    gen lt lieutenant col colonel maj major capt captain admiral rear adm sgt sergeant
    senator sen rep representative congressman congresswoman governor gov mayor
    chancellor king queen prince princess pope cardinal bishop archbishop rev reverend
    father sheikh sheik ambassador chief spokesman spokeswoman spokesperson commander judge
    justice chairman chairwoman chair ceo director premier state assistant undersecretary
    envoy leader chancellor former acting late pastor rabbi imam priest commissioner
    candidate nominee detective inspector superintendent officer trooper sheriff attorney
    councilman councilwoman councillor coach""".split()
    )
    | TITLES  # the abbreviated titles and ranks of :mod:`newsweave.segment` ("Spc.")
) - {"hon"}  # a surname too, written without the dot of "Hon." ("Hon Lik")

ALIASES = {
    "us": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "eu": "european union",
    "un": "united nations",
    "uae": "united arab emirates",
    "ussr": "soviet union",
    "kyiv": "kiev",
}

#: time-zone abbreviations spaCy tags as organisations or places ("at 21:53 UTC")
TIME_ZONES = frozenset(
    """utc gmt bst cet cest eet eest wet msk ist jst kst hkt sgt wib aest aedt acst
    awst nzst nzdt est edt cst cdt mst mdt pst pdt akst akdt hst ast adt""".split()
)

#: last words that make a name a place ("Russell Square", "Golden Gate Bridge")
PLACE_HEADS = frozenset(
    """square street avenue boulevard road bridge river province provinces region regions
    prefecture county district airport strait canal peninsula valley""".split()
)
#: last words that make a name an organisation's ("Kokomo Tribune", "Democratic Party")
ORG_HEADS = frozenset(
    """party tribune times post herald journal gazette chronicle news college university
    council committee commission agency department ministry association institute
    foundation corporation""".split()
)
#: a plural place word ending a name listed with others: the name is one region of them
_PLURAL_PLACE_WORDS = {
    "regions": "region", "provinces": "province", "prefectures": "prefecture",
    "counties": "county", "districts": "district",
}  # fmt: skip
#: words a span may start with that belong to the sentence, not to the name
_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
_STOP_INITIALS = frozenset({"of", "the", "and", "for", "in", "on", "de", "&"})
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_INNER_POSSESSIVE = re.compile(r"['’]s$")
_ARTICLE = re.compile(r"^(?:al|el)[-'’]+(?=\w)")  # "al-Assad", "Al'Owhali": the Arabic article
#: lowercase words that belong in a person's name ("Lula da Silva", "bin Laden")
PARTICLES = frozenset(
    "al el bin ibn bint abu ben da das de del della der di do dos du la le van von y".split()
)


def _clean_token(tok: str) -> str:
    return _fold(tok.strip(".,;:()[]\"'“”‘’"))


def _fold(text: str) -> str:
    """Casefolded without accents ("Valparaíso" → "valparaiso")."""
    import unicodedata

    return "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )


def normalise(name: str, *, person: bool = False) -> str:
    """Normalised key of a name: casefolded, no titles (people), possessive or "the"."""
    text = _POSSESSIVE.sub("", name.strip())
    toks = [t for t in re.split(r"\s+", text) if t]
    while toks and _clean_token(toks[0]) == "the":
        toks = toks[1:]
    if person:
        while len(toks) > 1 and _clean_token(toks[0]).replace(".", "") in TITLE_WORDS:
            toks = toks[1:]
    # "King's Cross" = "Kings Cross"
    words = [_INNER_POSSESSIVE.sub("s", _clean_token(t).replace(".", "")) for t in toks]
    if person:  # "Hafez al-Assad" = "Hafez Assad"
        words = [_ARTICLE.sub("", w) for w in words]
    if len(words) > 1 and words[-1] in _PLURAL_PLACE_WORDS:  # "Maule and Bío Bío Regions"
        words[-1] = _PLURAL_PLACE_WORDS[words[-1]]
    key = " ".join(words)
    key = re.sub(r"\s+", " ", key).strip()
    return ALIASES.get(key, key)


def _initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in _STOP_INITIALS and w)


def _spells(e: Entity, acronym: str) -> bool:
    """Whether a name of ``e`` has ``acronym`` as its initials, written as a name: every
    word but "of", "the"... capitalised ("Aceh province" spells no "AP")."""
    for m in e.mentions:
        words = [w for w in m.text.split() if _fold(w) not in _STOP_INITIALS]
        if len(words) > 1 and all(w[:1].isupper() for w in words):
            if _initials(normalise(m.text)) == acronym:
                return True
    return False


@dataclass
class Mention:
    """One entity mention: sentence index ``k`` and chars ``start:end`` of its text."""

    k: int
    start: int
    end: int
    text: str
    label: str


@dataclass
class Entity:
    """A merged entity with all its mentions."""

    keys: set[str]
    mentions: list[Mention] = field(default_factory=list)
    id: str = ""

    @property
    def label(self) -> str:
        return Counter(m.label for m in self.mentions).most_common(1)[0][0]

    @property
    def kind(self) -> str:
        return KINDS[self.label]

    @property
    def name(self) -> str:
        """The fullest surface form (a word before its abbreviation with a dot:
        "Colorado", not "Colo."), the most frequent among equally full ones."""
        person = self.kind == "person"
        forms = Counter(_display(m.text, person) for m in self.mentions)
        return max(forms, key=lambda f: (len(f.split()), _spelt_out(f), forms[f], -len(f)))

    def aliases(self) -> list[str]:
        return sorted({m.text for m in self.mentions})


#: one word abbreviated with a dot ("Colo.", "Fla."; not "U.S.")
ABBREVIATED = re.compile(r"[A-Z][a-z]{0,4}\.")


def _spelt_out(form: str) -> bool:
    """Not one word abbreviated with a dot ("Colo.", "Fla." stand for a state's name)."""
    return not ABBREVIATED.fullmatch(form)


def _display(text: str, person: bool) -> str:
    toks = _POSSESSIVE.sub("", text.strip()).split()
    while toks and toks[0].casefold() == "the":
        toks = toks[1:]
    if person:
        while len(toks) > 1 and _clean_token(toks[0]).replace(".", "") in TITLE_WORDS:
            toks = toks[1:]
    return " ".join(toks) or text


class EntityIndex:
    """Entities of a story and the lookups the other analysis steps need."""

    def __init__(self, entities: list[Entity]):
        self.entities = entities
        self.by_key: dict[str, Entity] = {}
        self.by_mention: dict[tuple[int, int], Entity] = {}
        # per sentence, and each entity's name: computed once (both are asked
        # for every sentence pair the conflict search compares)
        self._by_sentence: dict[int, list[tuple[Mention, Entity]]] = {}
        self._names: dict[int, str] = {}
        for e in entities:
            for key in e.keys:
                self.by_key.setdefault(key, e)
            for m in e.mentions:
                self.by_mention[(m.k, m.start)] = e
                self._by_sentence.setdefault(m.k, []).append((m, e))
        for pairs in self._by_sentence.values():
            pairs.sort(key=lambda p: p[0].start)

    def name(self, e: Entity) -> str:
        """``e.name``, computed once per entity of the index."""
        if id(e) not in self._names:
            self._names[id(e)] = e.name
        return self._names[id(e)]

    def lookup(self, name: str) -> Entity | None:
        """The entity a name refers to (titles ignored), if any."""
        for person in (True, False):
            e = self.by_key.get(normalise(name, person=person))
            if e is not None:
                return e
        hits = self.people_by_surname(name)
        return hits[0] if len(hits) == 1 else None

    def people_by_surname(self, name: str) -> list[Entity]:
        """The people whose name ends with the last word of ``name`` ("Smith":
        "Ann Smith" and "John Smith")."""
        key = normalise(name, person=True)
        last = key.split()[-1:] if key else []
        if not last:
            return []
        return [e for e in self.entities if e.kind == "person" and _ends_with(e, last)]

    def in_sentence(self, k: int) -> list[tuple[Mention, Entity]]:
        """Mentions in sentence ``k`` with their entity, in text order."""
        return list(self._by_sentence.get(k, []))

    def to_list(self, parsed: Parsed) -> list[dict[str, Any]]:
        """JSON form: entities by mention count, with per-source counts and spans."""
        rows = []
        for e in self.entities:
            per: Counter[str] = Counter(parsed.sentences[m.k].article_id for m in e.mentions)
            rows.append(
                {
                    "id": e.id,
                    "name": e.name,
                    "type": e.kind,
                    "aliases": e.aliases(),
                    "count": len(e.mentions),
                    "sources": len(per),
                    "per_source": dict(per),
                    "mentions": [parsed.span(m.k, m.start, m.end) for m in e.mentions],
                }
            )
        return rows


def _ends_with(e: Entity, tail: list[str]) -> bool:
    return any(k.split()[-len(tail) :] == tail for k in e.keys)


def _longest(e: Entity) -> int:
    return max(len(k.split()) for k in e.keys)


def _extends(longer: Entity, shorter: Entity) -> bool:
    """Whether a name of ``longer`` ends with a shorter name of ``shorter``."""
    return any(
        _ends_with(longer, k.split()) and _longest(longer) > len(k.split()) for k in shorter.keys
    )


def _mentions(parsed: Parsed) -> list[Mention]:
    from . import kinds, places  # they import this module

    out: list[Mention] = []
    lowered = set(_LOWER_WORD.findall("\n".join(s.text for s in parsed.sentences)))
    for k, doc in enumerate(parsed.docs):
        taken = {t.i for ent in doc.ents for t in ent}
        headline = _title_case(doc)
        for ent in doc.ents:
            if ent.label_ not in KINDS:
                continue
            start_tok = ent.start
            if ent.label_ == "PERSON":
                # extend over capitalised name words spaCy left out, stopping at titles
                # (not in a headline: "Remembering John F. Kennedy")
                while start_tok > 0 and not headline:
                    t = doc[start_tok - 1]
                    if (
                        t.i in taken
                        or t.pos_ != "PROPN"
                        or not t.text[:1].isupper()
                        or _clean_token(t.text).replace(".", "") in TITLE_WORDS
                        or "-" in t.text
                        or t.tag_ == "NNPS"  # "for Humanitarian Affairs Jan Egeland"
                    ):
                        break
                    start_tok -= 1
                # drop leading titles and role nouns ("Rear Admiral John Kirby",
                # "Goalkeeper Thibaut Courtois") and cut before "of" ("X of Human Rights Watch")
                while start_tok < ent.end - 1 and (
                    _clean_token(doc[start_tok].text).replace(".", "") in TITLE_WORDS
                    or doc[start_tok].pos_ == "NOUN"
                ):
                    start_tok += 1
                end_tok = ent.end
                for t in doc[start_tok : ent.end]:
                    if t.pos_ == "ADP" or t.text == ",":
                        end_tok = t.i
                        break
                # start after a lowercase word: "Yellow jersey Rasmussen" names Rasmussen
                for t in doc[start_tok : end_tok - 1]:
                    spaced = t.i > 0 and bool(doc[t.i - 1].whitespace_)  # not "Ki-moon"
                    if spaced and t.is_alpha and t.is_lower and t.lower_ not in PARTICLES:
                        start_tok = t.i + 1
                if end_tok <= start_tok:
                    continue
            else:
                end_tok = ent.end
            toks = _after_imperative(doc[start_tok:end_tok])
            ranked = _before_rank(toks)  # spaCy's person "Navy Cmdr. Jane Doe": the service
            kind = "ORG" if len(ranked) < len(toks) and ent.label_ == "PERSON" else ent.label_
            toks = ranked
            if not len(toks):
                continue  # "Copy this code to your website": a verb, no name
            # strip "the", "this"... and a trailing possessive from the span itself
            if toks[0].lower_ in _DETERMINERS and len(toks) > 1:
                toks = toks[1:]
            if len(toks) > 1 and toks[-1].tag_ == "POS":
                toks = toks[:-1]
            if toks.root.pos_ == "ADJ":
                continue  # "Ukrainian" tagged as a place
            plural = places.people_plural(toks[-1].text)
            unlisted = len(toks) == 1 and plural and places.people_of(toks.text) is None
            if (kind != "ORG" or unlisted) and places.names_a_people(toks):
                if len(toks) == 1 or plural:  # "the Canaanites" (an organisation to spaCy)
                    continue  # "The Ukrainian rear admiral", "Chalcolithic Iranians"
                toks = toks[:-1]  # "the Abu Ghraib Iraqi prison": the place is Abu Ghraib
            for part in _split_list(toks):
                start, text = _trim(part.start_char, part.text)
                if _joined_by_slash(text):
                    continue  # "(Dwight Adams/IndyStar)": a photo credit, two names in one
                if not any(c.isalpha() for c in text) or len(text) < 2 or text.islower():
                    continue
                words = [_clean_token(w).replace(".", "") for w in text.split()]
                if all(w in TITLE_WORDS for w in words) or len(words) > 7:
                    continue
                if words == [words[0]] and words[0] in TIME_ZONES and text.isupper():
                    continue  # "06:34 UTC": a time zone, not an organisation
                if kind not in ("GPE", "LOC") and _section_label(part, lowered):
                    continue  # "STORY: Tony Scott's Death ...", "DISCUSSION:"
                if _ROMAN.fullmatch(text):
                    continue  # "Maule (VII Region)" cut at the parenthesis: "VII" names nothing
                label = kind
                if len(part) > 1 and part.root == part[-1]:
                    label = _headed(part[-1].lower_, label)
                if label == "PERSON" and kinds.after_article(part):
                    label = kinds.COMMON  # "the Amber Alert was issued": no person's name
                out.append(Mention(k, start, start + len(text), text, label))
    return out


def _headed(head: str, label: str) -> str:
    """The label of a name of several words whose last word, its head, is ``head``:
    "Trafalgar Square", "Maule Region" are places, "Kokomo Tribune" and "New York City
    Democratic Party" organisations, whatever spaCy said."""
    if head in PLACE_HEADS:
        return "LOC"
    return "ORG" if head in ORG_HEADS else label


def _merge(into: Entity, other: Entity) -> None:
    into.keys |= other.keys
    into.mentions.extend(other.mentions)
    other.mentions = []


def join_acronyms(ents: list[Entity]) -> None:
    """An acronym ("NATO") joins the one organisation or place whose initials it spells
    (tested before the type, which counts all an entity's mentions)."""
    for e in ents:
        if not e.mentions or e.kind == "person":
            continue
        short = [k for k in e.keys if " " not in k and 2 <= len(k) <= 6]
        for key in short:
            cands = [
                o
                for o in ents
                if o is not e
                and o.mentions
                and any(" " in k and _initials(k) == key for k in o.keys)
                and o.kind != "person"
                and _spells(o, key)
            ]
            if len(cands) == 1:
                _merge(cands[0], e)
                break


def extract(parsed: Parsed) -> EntityIndex:
    """Merge the story's NER mentions into entities."""
    from . import forenames, kinds, people, places, works  # all import this module

    groups: dict[str, Entity] = {}
    mentions = [(m, normalise(m.text, person=m.label == "PERSON")) for m in _mentions(parsed)]
    # (not a doubled name itself: "Bío Bío" is no "Bío" with a surname "Bío")
    surnames = {
        key.split()[-1]
        for m, key in mentions
        if m.label == "PERSON" and " " in key and not doubled(key)
    }
    for m, key in mentions:
        if not key:
            continue
        if m.label == "PERSON" and (word := doubled(key)) and word in surnames:
            key = word  # "Arafat Arafat", a typo, where "Yasser Arafat" is in the story
        e = groups.setdefault(key, Entity({key}))
        e.mentions.append(m)
    ents = [e for e in groups.values() if kinds.named(e)]
    works.drop_works(parsed, ents)  # titles of films, shows, books: no entity
    ents = [e for e in ents if e.mentions]
    kinds.datelines(parsed, ents)
    kinds.acronyms_of_bodies(parsed, ents)
    kinds.people_by_role(parsed, ents)
    forenames.people_by_forename(parsed, ents)  # "Denzel Washington", an ORG to spaCy
    kinds.people_by_name_parts(parsed, ents)
    people.merge_people(ents)
    ents = [e for e in ents if e.mentions]
    kinds.places_by_description(parsed, ents)
    kinds.orgs_by_description(parsed, ents)
    people.surnames_of_other_types(parsed, ents)  # "Lavrov" tagged ORG
    people.first_names_of_other_types(parsed, ents)
    ents = [e for e in ents if e.mentions]
    join_acronyms(ents)
    places.abbreviated_places(ents)
    kinds.drop_common_words(parsed, ents)
    ents = [e for e in ents if e.mentions]
    ents.sort(key=lambda e: (-len(e.mentions), min((m.k, m.start) for m in e.mentions)))
    for n, e in enumerate(ents):
        e.id = f"e{n}"
        e.mentions.sort(key=lambda m: (m.k, m.start))
    return EntityIndex(ents)
