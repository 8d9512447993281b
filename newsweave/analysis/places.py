"""Country and region names: a place of one of these may contain a city.

A conflict between "Nova Scotia" and "Canada", or "Damascus" and "Syria", is
no conflict: one place lies in the other. Without a gazetteer newsweave only
knows the names below (countries; continents, US states, Canadian provinces
and a few regions), and compares two places only when both are countries or
both are none of these (cities, towns).

The names also tell a people from its place: "Ukrainian", "Iranians" (the name with
-ian, -an, -n, -i or -ese) name no place (:func:`people_of`, used by :mod:`.entities`), and so do the words ending in
-ite(s) or -ian(s) of places it does not know ("Canaanites", "Phoenicians"),
and a state abbreviated with a dot ("Calif.") is the story's state that it abbreviates
(:func:`abbreviated_places`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from .entities import ABBREVIATED, ALIASES, Entity, _merge, normalise

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span

_NAMES = """
afghanistan, albania, algeria, andorra, angola, argentina, armenia, australia, austria,
azerbaijan, bahamas, bahrain, bangladesh, barbados, belarus, belgium, belize, benin, bhutan,
bolivia, bosnia, bosnia and herzegovina, botswana, brazil, brunei, bulgaria, burkina faso,
burundi, cambodia, cameroon, canada, cape verde, chad, chile, china, colombia, comoros, congo,
costa rica, croatia, cuba, cyprus, czech republic, czechia, denmark, djibouti, dominica,
dominican republic, ecuador, egypt, el salvador, eritrea, estonia, eswatini, ethiopia, fiji,
finland, france, gabon, gambia, georgia, germany, ghana, greece, grenada, guatemala, guinea,
guyana, haiti, honduras, hungary, iceland, india, indonesia, iran, iraq, ireland, israel,
italy, ivory coast, jamaica, japan, jordan, kazakhstan, kenya, kiribati, kosovo, kuwait,
kyrgyzstan, laos, latvia, lebanon, lesotho, liberia, libya, liechtenstein, lithuania,
luxembourg, madagascar, malawi, malaysia, maldives, mali, malta, mauritania, mauritius,
mexico, moldova, monaco, mongolia, montenegro, morocco, mozambique, myanmar, burma, namibia,
nauru, nepal, netherlands, holland, new zealand, nicaragua, niger, nigeria, north korea,
north macedonia, macedonia, norway, oman, pakistan, palau, palestine, panama,
papua new guinea, paraguay, peru, philippines, poland, portugal, qatar, romania, russia,
rwanda, samoa, san marino, saudi arabia, senegal, serbia, seychelles, sierra leone,
singapore, slovakia, slovenia, somalia, south africa, south korea, korea, south sudan,
spain, sri lanka, sudan, suriname, sweden, switzerland, syria, taiwan, tajikistan,
tanzania, thailand, togo, tonga, trinidad and tobago, tunisia, turkey, turkmenistan, tuvalu,
uganda, ukraine, united arab emirates, united kingdom, united states, uruguay, uzbekistan,
vanuatu, vatican, venezuela, vietnam, yemen, zambia, zimbabwe, england, scotland, wales,
northern ireland, tibet, greenland, puerto rico, east timor, timor-leste, gaza, west bank,
crimea, soviet union, african union, european union,
africa, asia, europe, north america, south america, latin america, antarctica, oceania,
middle east, caribbean, balkans, scandinavia, siberia, the west,
alabama, alaska, arizona, arkansas, california, colorado, connecticut, delaware, florida,
hawaii, idaho, illinois, indiana, iowa, kansas, kentucky, louisiana, maine, maryland,
massachusetts, michigan, minnesota, mississippi, missouri, montana, nebraska, nevada,
new hampshire, new jersey, new mexico, north carolina, north dakota, ohio, oklahoma, oregon,
pennsylvania, rhode island, south carolina, south dakota, tennessee, texas, utah, vermont,
virginia, west virginia, wisconsin, wyoming,
ontario, quebec, british columbia, alberta, nova scotia, manitoba, saskatchewan, newfoundland
"""

_SPLIT = _NAMES.index("africa, asia")


def _names(text: str) -> frozenset[str]:
    return frozenset(normalise(n) for n in text.replace("\n", " ").split(",") if n.strip())


COUNTRIES = _names(_NAMES[:_SPLIT])
REGIONS = _names(_NAMES[_SPLIT:])  # continents, US states, provinces


def level(name: str) -> str:
    """ "country", "region" (continent, US state, province...) or "local" (anything else)."""
    key = normalise(name)
    return "country" if key in COUNTRIES else "region" if key in REGIONS else "local"


def comparable(a: str, b: str) -> bool:
    """Whether two different places cannot contain one another, as far as the lists
    tell: two countries, or two local places (cities, towns...)."""
    la, lb = level(a), level(b)
    return la == lb and la != "region"


#: endings that make a people's name of a place's ("Iran" → "Iranians", "Syria" → "Syrian")
_PEOPLE_ENDINGS = ("ians", "ian", "ans", "an", "ns", "n", "is", "i", "ese")
_ONE_WORD = frozenset(n for n in COUNTRIES | REGIONS if " " not in n) | {
    k for k, v in ALIASES.items() if " " not in k and v in COUNTRIES | REGIONS
}  # "America" → "Americans"


@cache
def people_of(word: str) -> tuple[str, bool] | None:
    """The country or region whose people ``word`` names, and whether it is a plural
    ("Iranians" → ("iran", True), "Ukrainian" → ("ukraine", False), "Chinese" →
    ("china", False)), or None: the word less an ending (-ian, -an, -n, -i, -ese, their
    plurals) is one of the names above, or that name less its last letter."""
    w = normalise(word)
    if " " in w or w in COUNTRIES or w in REGIONS:
        return None
    for end in _PEOPLE_ENDINGS:
        stem = w[: -len(end)]
        if not w.endswith(end) or len(stem) < 3:
            continue
        for place in _ONE_WORD:
            if place.startswith(stem) and len(place) - len(stem) <= 1:
                return place, end.endswith("s")
    return None


#: a people's name of a place the lists above do not hold ("Canaanites", "Hivites",
#: "Phoenicians"; "Canaanite" before a noun); no surname ("Stites") nor name ("Brian")
_ETHNONYM = re.compile(r"[A-Z][a-z]{2,}(?:ite|ian)(s?)")


def people_plural(word: str) -> bool | None:
    """Whether ``word`` names a people in the plural (True) or the singular (False), or
    None: a people of a place in the lists (:func:`people_of`), or any word ending in
    -ite(s) or -ian(s) ("Canaanites", "Phoenicians")."""
    people = people_of(word)
    if people is not None:
        return people[1]
    match = _ETHNONYM.fullmatch(word)
    return None if match is None or level(word) != "local" else bool(match.group(1))


#: prepositions of a place one is in or goes to (a people is no place to be in)
_IN = frozenset("in into inside across through over near at on throughout".split())


def _lies_in(span: Span) -> bool:
    """The span is the object of "in", "across"...: a mountain range written like a
    people ("in the northern Appalachians", "across the Carpathians", "the Dolomites")."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in _IN


def names_a_people(span: Span) -> bool:
    """A span whose last word names a people (:func:`people_plural`), in the plural
    ("related to Chalcolithic Iranians", "the Canaanites") or before a noun it modifies
    ("The Ukrainian rear admiral", "five Canaanite skeletons"): a nationality, no place or
    person; a word known only by its ending is no people where one is in it (:func:`_lies_in`)."""
    last = span[-1]
    plural = people_plural(last.text)
    if plural is None or (people_of(last.text) is None and _lies_in(span)):
        return False
    return plural or (last.head.i > last.i and last.head.pos_ == "NOUN")


def _abbreviates(abbr: str, name: str) -> bool:
    """``abbr`` ("calif", "fla") starts like the one-word ``name`` and its letters
    come in it in order ("california", "florida")."""
    if " " in name or len(name) <= len(abbr) or name[0] != abbr[0]:
        return False
    rest = iter(name[1:])
    return all(letter in rest for letter in abbr[1:])


def abbreviated_places(ents: list[Entity]) -> None:
    """A place written only as an abbreviation with a dot ("Calif." in the dateline
    "IRVINE, Calif. —", "Fla.", "Ind.") joins the one country or state of the story
    it abbreviates ("California", "Florida", "Indiana"); none or two: it stays."""
    placed = [e for e in ents if e.mentions and e.kind == "place"]
    states = [e for e in placed if any(level(k) != "local" for k in e.keys)]
    for e in placed:
        if len(e.keys) != 1 or not all(ABBREVIATED.fullmatch(m.text) for m in e.mentions):
            continue
        abbr = next(iter(e.keys))
        owners = [
            o
            for o in states
            if o is not e and o.mentions and any(_abbreviates(abbr, k) for k in o.keys)
        ]
        if len(owners) == 1:
            _merge(owners[0], e)
