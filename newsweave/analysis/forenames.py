"""Names that start with a common given name are people's, whatever spaCy said.

spaCy's small model types "Denzel Washington" an organisation and "Ernst
Tempel" one too: the surname looks like a place or a firm. A name of two or
three capitalised words whose first word is a common English given name, whose
last word heads no organisation's or place's name ("Jordan Valley", "Austin
Police", "Victoria Station") and which the story never writes as a place ("in
X", "the town of X") is a person's.

:data:`GIVEN_NAMES` was derived for this module from the shared evaluation data
(Multi-News validation, DUC 2003, TAC 2011; no download): the first words of the
two- and three-word names spaCy tags PERSON there, counted, those seen in at
least two stories kept (361 of them), then filtered by hand: words that are also
place, organisation or common surnames ("Jordan", "Dallas", "Rand", "Stanley",
"Lewis"), titles ("Pope", "Prof"), common words ("Follow", "Will", "Grace"),
family names written first ("Wang", "Lin") and the first names of only one
famous person ("Barack", "Saddam") removed; two added by hand.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .entities import Entity
    from .nlp import Parsed

GIVEN_NAMES = frozenset(
    """
    aaron abdallah abdel abdul abdullah abraham adam ahmad alain alan albert alberto
    alex alexander alexandre alexei ali alicia alison alvin amal amanda amr amy andre
    andrea andrei andrew andy angela anna anne annette anthony antonio anwar augusto
    barbara barry beatrice ben benjamin bernard bernie bertrand beth betty bill billy
    bob boris brad brandy brendan brett brian bruce bryan bryce caitlin carl carlos
    carol caroline carrie catherine cathy charles charlie charlotte chris christopher
    chuck clarence claude claudio clint colin corey cory craig curt cynthia damian dan
    daniel danny darrell darren dave david davide debbie deborah denise dennis derek
    devin diane dianne dick dominic don donna dorothy doug dwayne dwight dylan edgar
    edgardo edith eduardo edward eliot elizabeth ellen emanuel emily emma eric erik erin
    ethan eugene fernando floyd frances francois frank fred gabrielle gary gavin gennady
    geoffrey george gerard gerhard glenn greg gregg gregory hank hans harold harry
    heather henry herman holly hugh ian ibrahim ivan jack jackie jacob jacques jaime
    jake jakob jamal james jamie jan jane janet janis jared jarrod jason javier jay jean
    jeb jeff jeffrey jennifer jeremy jerry jesse jessica jill jim jimmy joe joel johan
    john jon jonathan jorge jose joseph josh joshua josé juan judy justin karen karl
    kate katherine kathleen keith ken kendra kenji kenneth kevin khalid kim kofi kristen
    kyle larry laura leon leonard leslie linda lindsay lindsey lisa lori lou louise
    luciano luis luiz madeleine mahmud mandy manuel marc marco margaret maria marie
    mario mark martha martin marty mary massimo matt matthew mauricio mauro megan
    melissa meredith michael michele michelle mickey miguel mike mitch mohamed mohammad
    mohammed monica mustafa nancy nathan neil nicholas nick nicolas nicole oliver olivia
    omar pamela patrick patty paul paula pedro peter phil philip pierre rachel raj
    randall randy rashid raymond raúl rebecca rebekah rhonda ricardo richard rick rob
    robert robin rod roger ron ronald rudy ryan salah sam samuel sandra sara sarah scott
    sean sergei sergey seth shane shannon shawn sheldon simon stan stefan stephanie
    stephen steve steven stuart suleyman susan suzanne sylvester ted terry tessa theresa
    thomas tim timothy tina todd tom tony tracey tracy trey vernon vicente victor viktor
    vince vladimir walter wesley william yitzhak yuri
    """.split()
) | {"denzel", "ernst"}  # added by hand: the review's "Denzel Washington", "Ernst Tempel"

#: last words that make a name a place's or an organisation's, not a person's
#: (beside :data:`.entities.PLACE_HEADS`, :data:`.entities.ORG_HEADS` and
#: :data:`.kinds._BODY_WORDS`)
_NOT_SURNAMES = frozenset(
    """police house center centre hall hospital school academy stadium arena park church
    cathedral beach city island islands lake mountain mountains heights valley station tower
    hotel airport river bay falls hills springs museum library theatre theater club team
    award awards prize fund trust bank group inc co corp ltd llc company records studios
    pictures productions collection brand show""".split()
)
_NAME_WORD = re.compile(r"[A-Z](?:[a-z'’]+|\.)(?:-[A-Z][a-z'’]+)?")


def _forename(words: list[str]) -> bool:
    """A name of two or three name words ("Denzel Washington", "Ernst J. Tempel")
    whose first word is a common given name and whose last heads no body or place."""
    from .entities import ORG_HEADS, PLACE_HEADS
    from .kinds import _BODY_WORDS

    if not 2 <= len(words) <= 3 or not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    last = words[-1].lower()
    if last in _NOT_SURNAMES | ORG_HEADS | PLACE_HEADS | _BODY_WORDS or words[-1].endswith("."):
        return False
    return words[0].lower() in GIVEN_NAMES


def people_by_forename(parsed: Parsed, ents: list[Entity]) -> None:
    """Organisations and places whose every name starts with a common given name
    (:func:`_forename`) and that the story never writes as a place become people."""
    from . import kinds

    lower = set(kinds._LOWER_WORD.findall("\n".join(s.text for s in parsed.sentences)))
    for e in ents:
        if e.kind == "person" or not e.mentions:
            continue
        names = [m.text.split() for m in e.mentions]
        if not all(_forename(words) for words in names):
            continue
        if any(words[-1].lower() in lower for words in names):
            continue  # "Grace period": a common word after a given name
        if kinds._no_full_name(parsed, e) or kinds.looks_like_place(parsed, e):
            continue
        for m in e.mentions:
            m.label = "PERSON"
