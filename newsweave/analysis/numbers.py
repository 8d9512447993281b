"""Quantities in a sentence, as intervals, with what they count.

"12 killed" is the interval [12, 12] of the verb "kill"; "about 40,000
troops" is [34,000, 46,000] of "troop"; "more than 300 people" is (300, ∞) of
"people"; "tens of thousands of troops" is [10,000, 10,000,000) of "troop".
Two quantities of the same thing conflict only when their intervals do not
overlap, so approximate and vague restatements stay compatible.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "hundred": 100,
}  # fmt: skip
SCALES = {"dozen": 12, "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "m": 1e6, "bn": 1e9, "mln": 1e6, "k": 1e3}  # fmt: skip
#: vague plural quantities: the lowest value they can mean
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "millions": 2e6,
         "billions": 2e9, "several": 3, "numerous": 3, "many": 3}  # fmt: skip
APPROX = {"about": 0.15, "around": 0.15, "approximately": 0.15, "roughly": 0.15, "some": 0.15,
          "estimated": 0.15, "nearly": -0.15, "almost": -0.15, "close": -0.15}  # fmt: skip
_LOWER = ("more than", "over", "at least", "upwards of", "in excess of", "no fewer than")
_UPPER = ("up to", "fewer than", "less than", "under", "as many as", "at most", "no more than")
_CURRENCY = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}
_CURRENCY_NOUNS = {"dollar": "dollar", "usd": "dollar", "euro": "euro", "eur": "euro",
                   "pound": "pound", "gbp": "pound", "yen": "yen", "yuan": "yuan"}  # fmt: skip
_UNIT_NOUNS = {"percent": "percent", "per": "percent", "%": "percent"}
_SKIP_ENTS = {"DATE", "TIME", "ORDINAL"}
AGE = "age"  # the noun of a named person's age ("Zaken, a 23-year-old secretary"; "Slepian, 52,")
MAX_AGE = 120
_NUM = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


@dataclass(frozen=True)
class Quantity:
    """A quantity of ``noun`` (lemma) or, without a noun, of the verb ``verb``."""

    lo: float
    hi: float
    noun: str | None
    verb: str | None
    unit: str | None
    start: int  # chars of the sentence text covering the whole expression
    end: int
    text: str
    exact: bool
    #: what sets the counted people or things apart ("displaced" people; a sum's
    #: "worth of crops", "$2.1 billion in debt"), if anything; for an age (noun
    #: ``AGE``), whose it is
    qualifier: str | None = None

    def overlaps(self, other: Quantity) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def same_thing(self, other: Quantity) -> bool:
        """Whether both count the same thing: the same noun, or no noun (or "people"
        on one side) and the same content verb ("12 killed" / "15 people killed").
        A unit ("mph", "km", "percent") is no thing: its verb must match too."""
        if self.unit != other.unit:
            return False
        if self.noun and other.noun:
            if not _same_noun(self.noun, other.noun) or self.qualifier != other.qualifier:
                return False  # "200,000 people" killed are not "766,000 displaced people"
            if self.noun in UNIT_NOUNS or self.unit == "percent":
                return bool(
                    self.verb and self.verb == other.verb and self.verb not in _GENERIC_VERBS
                )
            return True
        if (self.noun or other.noun) not in (None, *_PEOPLE):
            return False
        return bool(self.verb and self.verb == other.verb and self.verb not in _GENERIC_VERBS)


UNIT_NOUNS = frozenset(
    """mph kph km kilometre kilometer mile metre meter foot feet inch yard kg kilogram gram
    ton tonne pound ounce degree hour minute second day week month year acre hectare barrel
    litre liter gallon knot mm cm percent point magnitude""".split()
)
_PEOPLE = frozenset({"people", "person", "persons", "civilian", "individual"})
_GENERIC_VERBS = frozenset({"be", "have", "do", "say", "get", "make", "take", "go", "come", "see"})


_SYNONYMS = [
    _PEOPLE,
    frozenset({"troop", "soldier", "serviceman", "servicemen", "force"}),
    frozenset({"death", "dead", "fatality", "victim"}),
    frozenset({"injury", "injured", "wounded"}),
]


def _same_noun(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _SYNONYMS)


def _value(tok: Token) -> float | None:
    t = tok.lower_.replace(",", "")
    if _NUM.match(tok.text):
        try:
            return float(t)
        except ValueError:
            return None
    if t in WORDS:
        return float(WORDS[t])
    if "-" in t:
        parts = t.split("-")
        if all(p in WORDS for p in parts):
            return float(sum(WORDS[p] for p in parts))
    return None


def _qualifier(noun: Token) -> str | None:
    """A participle or state adjective that sets the counted noun apart ("displaced",
    "injured", "homeless" people; not "young" people), or what a sum is the
    worth of (:func:`_worth_of`)."""
    for c in noun.children:
        if c.dep_ == "amod" and (c.tag_ in ("VBN", "VBG") or c.lower_ in _STATES):
            return c.lemma_.lower()
    return _worth_of(noun)


def _worth_of(noun: Token) -> str | None:
    """What a sum is "worth of": "10.4 billion pesos (dlrs 252.8 million) worth of
    infrastructure, crops and other property" and "4 billion pesos worth of
    crops" are two things valued, not two values of one."""
    worth = noun if noun.lower_ == "worth" else None
    worth = worth or next((c for c in noun.children if c.lower_ == "worth"), None)
    of = next((c for c in worth.children if c.lower_ == "of"), None) if worth else None
    return _things(of)


def _things(prep: Token | None) -> str | None:
    """ "of" and the nouns that the preposition ``prep`` takes ("of infrastructure,
    crops and other property" → "of crop, infrastructure, property")."""
    thing = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
    if thing is None:
        return None
    things = [thing, *(t for t in thing.subtree if t.dep_ == "conj" and t.pos_ == "NOUN")]
    return "of " + ", ".join(sorted({t.lemma_.lower() for t in things}))


def _sum_of(tok: Token) -> str | None:
    """What the sum of money whose number is ``tok`` is of, the thing it counts:
    the worth of something (:func:`_worth_of`), the noun it sizes ("a $4
    billion program", "debts of $2.1 billion"), or what it is of or in ("$300
    million of its reserves", "$2.1 billion in debt"; not "in a round", a
    circumstance), or what it is a rate per ("$3,100 a day", "$20 per hour"):
    "$4 billion program" and "$2.1 billion in debt" are two sums, not two
    values of one, and "$66,000 for 21 days" is no "$3,100 a day"."""
    head = _top(tok)
    sized = head.head if head.dep_ == "nummod" and head.head.pos_ in ("NOUN", "PROPN") else None
    base = sized or head
    per = base.doc[max(base.i, head.i) + 1 : max(base.i, head.i) + 3]
    if len(per) == 2 and per[0].lower_ in ("a", "an", "per", "each") and per[1].pos_ == "NOUN":
        return "per " + per[1].lemma_.lower()
    worth = _worth_of(base)
    if worth is not None:
        return worth
    if sized is not None and sized.lemma_.lower() not in _CURRENCY_NOUNS:
        return "of " + sized.lemma_.lower()
    for prep in (c for c in base.children if c.dep_ == "prep" and c.lower_ in ("of", "in")):
        thing = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if thing is None or thing.pos_ != "NOUN":
            continue
        if prep.lower_ == "in" and any(c.dep_ in ("det", "poss") for c in thing.children):
            continue  # "raised $3.5 million in a round": where, not what
        return _things(prep)
    owner = head.head.head if head.dep_ == "pobj" and head.head.lower_ == "of" else None
    if owner is not None and owner.pos_ == "NOUN":
        return "of " + owner.lemma_.lower()
    return None


_STATES = frozenset({"homeless", "dead", "missing", "injured", "wounded", "displaced", "sick"})


def _top(tok: Token) -> Token:
    """The last word of the number ``tok`` is part of ("4" of "$4 billion": "billion")."""
    head = tok
    while head.dep_ in ("compound", "quantmod", "nummod", "amod") and head.head.like_num:
        head = head.head
    return head


def _counted(tok: Token) -> tuple[str | None, str | None, str | None]:
    """(noun lemma, verb lemma, qualifier of the noun) that the number ``tok`` counts."""
    head = _top(tok)
    noun = None
    if head.dep_ == "nummod" and head.head.pos_ in ("NOUN", "PROPN"):
        noun = head.head
    elif head.dep_ == "pobj" and head.head.lower_ == "of":
        pass
    else:
        nxt = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
        if nxt is not None and nxt.lower_ == "of" and nxt.i + 1 < len(head.doc):
            for t in head.doc[nxt.i + 1 : nxt.i + 5]:
                if t.pos_ in ("NOUN", "PROPN") and not t.like_num:
                    noun = t
                    break
    verb = noun.head if noun is not None else head.head
    if verb.i == head.i:  # "12 killed in the blast": the verb hangs from the number
        verb = next((c for c in head.children if c.pos_ == "VERB"), head)
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return (
        noun.lemma_.lower() if noun is not None else None,
        verb.lemma_.lower() if verb.pos_ in ("VERB", "AUX") else None,
        _qualifier(noun) if noun is not None else None,
    )


def _ends_with_words(before: str, phrase: str) -> bool:
    """Whether ``before`` (the text before a figure) ends with the words
    ``phrase``: "more than", "over", not the end of "recover" or "thunder"."""
    before = before.rstrip()
    head = before[: len(before) - len(phrase)]
    return before.endswith(phrase) and not (head and head[-1].isalnum())


def _number(doc: Doc, i: int, value: float) -> tuple[float, int]:
    """The value of the number that token ``i`` (worth ``value``) opens, and the
    index of the token after it: "1.5 million", "twenty-one" (split by the
    tokenizer), "two thousand five hundred", "three hundred and fifty"."""
    total, current, j, n = 0.0, value, i + 1, len(doc)
    while j < n:
        low = doc[j].lower_
        nxt = doc[j + 1].lower_ if j + 1 < n else ""
        if low in SCALES:
            if SCALES[low] >= 1000:  # closes a group: "two thousand | five hundred"
                total, current = total + current * SCALES[low], 0.0
            else:  # "hundred", "dozen" multiply the group
                current = (current or 1) * SCALES[low]
        elif low in WORDS and doc[j].like_num:
            current += WORDS[low]
        elif low == "-" and WORDS.get(nxt, 10) < 10 and current % 10 == 0:
            current += WORDS[nxt]  # "twenty-one" split by the tokenizer
            j += 1
        elif not (
            low == "and" and doc[j - 1].lower_ in SCALES and WORDS.get(nxt, 100) < 100
        ):  # "hundred and fifty" goes on: one number, not the range "200 and 300"
            break
        j += 1
    return total + current, j


def quantities(doc: Doc) -> list[Quantity]:
    """Every counted quantity of ``doc`` (dates, times and ordinals left out)."""
    skip = {t.i for e in doc.ents if e.label_ in _SKIP_ENTS for t in e}
    skip |= {t.i for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "LOC") for t in e}
    out: list[Quantity] = []
    i, n = 0, len(doc)
    text = doc.text
    while i < n:
        tok = doc[i]
        low = tok.lower_
        if tok.i in skip:
            i += 1
            continue
        start_tok = tok
        if low in ("tens", "hundreds", "dozens", "scores", "thousands", "millions") or (
            low in ("several", "numerous") and i + 1 < n and doc[i + 1].pos_ == "NOUN"
        ):
            lo = float(VAGUE.get(low, 10))
            j = i + 1
            if low in ("tens", "hundreds", "dozens") and j + 1 < n and doc[j].lower_ == "of":
                scale = VAGUE.get(doc[j + 1].lower_)
                if doc[j + 1].lower_ in ("thousands", "millions", "billions") and scale:
                    lo = (10 if low == "tens" else VAGUE[low]) * scale / 2
                    j += 2
            end_tok = doc[j - 1]
            counted = _counted(end_tok) if low in ("several", "numerous") else (None, None, None)
            noun, verb, qual = counted
            if noun is None:
                noun, verb, qual = _counted(end_tok)
                if noun is None and low in ("several", "numerous"):
                    noun = doc[i + 1].lemma_.lower()
            hi = lo * 1000
            q_start, q_end = tok.idx, end_tok.idx + len(end_tok.text)
            out.append(
                Quantity(lo, hi, noun, verb, None, q_start, q_end, text[q_start:q_end], False, qual)
            )
            i = j
            continue
        value = _value(tok) if (tok.like_num or tok.pos_ == "NUM" or low in WORDS) else None
        scaled = i + 1 < n and doc[i + 1].lower_ in SCALES  # "One hundred and twenty"
        if value is None or (low == "one" and tok.dep_ != "nummod" and not scaled):
            i += 1
            continue
        value, j = _number(doc, i, value)
        end_tok = doc[j - 1]
        if re.fullmatch(r"(1[89]|20)\d\d", tok.text) and end_tok is tok:
            i = j
            continue  # a year outside a DATE entity
        after = doc[j : j + 2]
        if (len(after) == 2 and after[0].lower_ == "of" and after[1].like_num) or (
            i > 0 and doc[i - 1].lower_ == "of" and i > 1 and doc[i - 2].like_num
        ):
            i = j
            continue  # "seven of 10 Brazilians": a proportion, not a count
        if (
            i > 0
            and doc[i - 1].pos_ in ("NOUN", "PROPN")
            and tok.head.i == i - 1
            or (i > 0 and doc[i - 1].text in ("#", "No.", "no."))
        ):
            i = j
            continue  # "stage 13", "Flight 447", "bus #30": a name, not a count
        if j < n and doc[j].lower_ in ("other", "more", "additional", "further", "extra"):
            i = j
            continue  # "three other provinces": counted beside something else
        unit = None
        if i > 0 and doc[i - 1].text in _CURRENCY:
            unit, start_tok = _CURRENCY[doc[i - 1].text], doc[i - 1]
        if j < n and doc[j].lower_ in _UNIT_NOUNS:
            unit, end_tok = "percent", doc[j]
        before = text[max(0, start_tok.idx - 24) : start_tok.idx].lower()
        lo = hi = value
        exact = True
        mod_start = start_tok.idx
        for phrase in _LOWER:
            if _ends_with_words(before, phrase):
                hi, exact = math.inf, False
                mod_start = start_tok.idx - (len(before) - before.rstrip().rfind(phrase))
                break
        else:
            for phrase in _UPPER:
                if _ends_with_words(before, phrase):
                    lo, exact = 0.0, False
                    mod_start = start_tok.idx - (len(before) - before.rstrip().rfind(phrase))
                    break
            else:
                words = before.split()
                last = words[-1] if words else ""
                if last == "to" and len(words) > 1 and words[-2] == "close":
                    last = "close"
                if last in APPROX:
                    tol = APPROX[last]
                    lo, hi = (
                        (value * (1 - tol), value * (1 + tol))
                        if tol > 0
                        else (value * (1 + tol), value)
                    )
                    exact = False
                    mod_start = start_tok.idx - (len(before) - before.rstrip().rfind(last))
        number = end_tok if end_tok.like_num or end_tok.lower_ in SCALES else tok
        noun, verb, qual = _counted(number)
        if unit == "percent":
            noun = None
        elif unit is not None:
            noun, unit, qual = unit, "money", _sum_of(number)
        elif noun in _CURRENCY_NOUNS:
            noun, unit, qual = _CURRENCY_NOUNS[noun], "money", _sum_of(number)
        q_end = end_tok.idx + len(end_tok.text)
        out.append(
            Quantity(lo, hi, noun, verb, unit, mod_start, q_end, text[mod_start:q_end], exact, qual)
        )
        i = j
    return _conversions(_merge_ranges(out, text), text) + ages(doc)


_CONVERSION = re.compile(r"^[^()]{0,20}\(\s*(?:dlrs?|US\$|\$|€|£)?\s*$")


def _conversions(qs: list[Quantity], text: str) -> list[Quantity]:
    """Without a sum converted in brackets ("10.4 billion pesos (dlrs 252.8 million)
    worth of crops"): it restates the sum before it, compared already, and
    carries none of what that sum is the worth of."""
    out = qs[:1]
    for q in qs[1:]:
        if not (out[-1].qualifier and _CONVERSION.match(text[out[-1].end : q.start])):
            out.append(q)
    return out


def _named(tok: Token) -> Token | None:
    """The proper noun ``tok`` is, or stands in apposition to ("Zaken, a ... secretary")."""
    if tok.pos_ == "PROPN":
        return tok
    if tok.dep_ == "appos" and tok.head.pos_ == "PROPN":
        return tok.head
    return next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)


def _set_off(tok: Token) -> bool:
    """A number between commas, or after one at the end ("Slepian, 52, is...")."""
    doc = tok.doc
    after = doc[tok.i + 1].text if tok.i + 1 < len(doc) else "."
    return tok.i > 0 and doc[tok.i - 1].text == "," and after in (",", ".", ";", ")")


def _person_like(tok: Token) -> bool:
    """A proper noun that can name a person: not a place ("Iowa, 12," is no one's
    age; the small model's other labels are too loose to go by: "Slepian" is NORP)."""
    return tok.pos_ == "PROPN" and tok.ent_type_ not in ("GPE", "LOC", "FAC")


def _tens_before(tok: Token) -> Token | None:
    """The tens word that ``tok``, a units word, completes: "Twenty" of
    "Twenty-eight-year-old" (which the tokenizer splits) or of "twenty eight"."""
    doc, k = tok.doc, tok.i - 1
    if k >= 0 and doc[k].text == "-" and doc[k].idx + 1 == tok.idx:
        k -= 1
    if k < 0 or k == tok.i - 1 and doc[k].idx + len(doc[k].text) == tok.idx:
        return None  # nothing before, or glued to it without a hyphen
    tens, units = WORDS.get(doc[k].lower_), WORDS.get(tok.lower_)
    if tens is None or units is None or not 20 <= tens < 100 or tens % 10 or not 0 < units < 10:
        return None
    return doc[k]


def ages(doc: Doc) -> list[Quantity]:
    """Ages of named people: "Slepian, 52," (a number in apposition to a name) and
    "Zaken, a 23-year-old secretary". spaCy tags both as dates, which
    :func:`quantities` leaves out; an unnamed "23-year-old man" may be anyone and
    is left out too. The qualifier is the name's head word ("Slepian" of "Dr.
    Barnett A. Slepian"), so only one person's ages are compared."""
    out: list[Quantity] = []
    for tok in doc:
        value = _value(tok) if tok.like_num else None
        if value is None or not 0 < value <= MAX_AGE or value != int(value):
            continue
        first = _tens_before(tok)
        if first is not None:  # "Twenty-eight-year-old": 28, not 8
            value += WORDS[first.lower_]
        end = tok
        if first is None and _set_off(tok) and tok.dep_ == "appos" and _person_like(tok.head):
            person = tok.head
        else:
            rest = [t.lower_ for t in doc[tok.i + 1 : tok.i + 5]]
            if rest[:4] not in (["-", "year", "-", "old"], ["-", "years", "-", "old"]):
                continue
            end = doc[tok.i + 4]
            person = _named(end.head) if end.dep_ == "amod" else None
            if person is None or not _person_like(person):
                continue
        start, stop = (first or tok).idx, end.idx + len(end.text)
        out.append(
            Quantity(
                value, value, AGE, None, None, start, stop, doc.text[start:stop], True, person.text
            )
        )
    return out


_RANGE = re.compile(r"^\s*(?:or|to|and|-|–|or so|or even)\s*$")


def _merge_ranges(qs: list[Quantity], text: str) -> list[Quantity]:
    """ "2,000 or 3,000 metres", "10 to 12 people": one interval, not two figures."""
    out: list[Quantity] = []
    for q in qs:
        prev = out[-1] if out else None
        if prev is not None and q.unit == prev.unit and _RANGE.match(text[prev.end : q.start]):
            out[-1] = Quantity(
                min(prev.lo, q.lo), max(prev.hi, q.hi), q.noun or prev.noun, q.verb or prev.verb,
                q.unit, prev.start, q.end, text[prev.start : q.end], False,
                q.qualifier or prev.qualifier,
            )  # fmt: skip
        else:
            out.append(q)
    return out


def conflicting(a: list[Quantity], b: list[Quantity]) -> list[tuple[Quantity, Quantity]]:
    """Pairs that count the same thing with intervals that cannot both hold.

    When a sentence gives several figures for the same thing, which is which
    cannot be told, and none is flagged.
    """
    out: list[tuple[Quantity, Quantity]] = []
    for qa in a:
        same = [qb for qb in b if qa.same_thing(qb)]
        if not same or any(qa.overlaps(qb) for qb in same):
            continue
        if len(same) > 1 or any(x is not qa and x.same_thing(qa) for x in a):
            continue  # several figures of one thing ("four men ... after 20 men"): ambiguous
        out.append((qa, same[0]))
    return out
