"""Whether two normalised person names of one story name the same person.

Keys are :func:`.entities.normalise` forms ("henry j hyde"). Two full names
(two words or more) are the same person when they

* differ only by middle names or initials, with the same first and last word
  ("henry hyde" / "henry j hyde", "mohammed odeh" / "mohammed saddiq odeh");
* differ only by a generational suffix one of them leaves out ("john conyers" /
  "john conyers jr"; "jr" and "sr" stay apart);
* hold the same words in another order ("luiz inacio lula da silva" / "luiz lula
  inacio da silva");
* are word for word alike, with at least one word the same: transliteration and
  spelling variants ("edgaro henriquez" / "edgardo henriquez", "hasib hussain" /
  "hassib hussain"), see :func:`alike`;
* or are one of these with a first name and its common short form ("bob
  livingston" / "robert livingston", "bill clinton" / "william jefferson
  clinton"), see :data:`NICKNAMES`.

Different people who share a surname ("bill clinton" / "hillary rodham clinton")
differ in their first word and never match.
"""

from __future__ import annotations

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: shortest words compared by spelling; shorter ones ("Yan" / "Yang") must be equal
MIN_VARIANT_CHARS = 5
VARIANT_RATIO = 80.0

#: common English short forms of a first name → the names they shorten. Only
#: unambiguous ones: "al" (Albert, Alan, Alfred...) and "ted" (Edward, Theodore)
#: are left out.
NICKNAMES: dict[str, frozenset[str]] = {
    short: frozenset(full.split())
    for short, full in {
        "bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert",
        "bill": "william", "billy": "william", "will": "william", "willie": "william",
        "jim": "james", "jimmy": "james", "mike": "michael", "mick": "michael",
        "tom": "thomas", "tommy": "thomas", "joe": "joseph", "dick": "richard",
        "rick": "richard", "ricky": "richard", "tony": "anthony", "dave": "david",
        "steve": "stephen steven", "chris": "christopher christine", "dan": "daniel",
        "danny": "daniel", "nick": "nicholas", "andy": "andrew", "ben": "benjamin",
        "charlie": "charles", "chuck": "charles", "fred": "frederick", "greg": "gregory",
        "jack": "john", "johnny": "john", "larry": "lawrence", "matt": "matthew",
        "pete": "peter", "phil": "philip phillip", "ron": "ronald", "sam": "samuel samantha",
        "tim": "timothy", "ken": "kenneth", "don": "donald", "doug": "douglas",
        "jeff": "jeffrey", "liz": "elizabeth", "beth": "elizabeth", "betty": "elizabeth",
        "kate": "katherine catherine kathryn", "kathy": "katherine catherine kathryn",
        "peggy": "margaret", "maggie": "margaret", "sue": "susan", "jenny": "jennifer",
    }.items()
}  # fmt: skip


def split_suffix(key: str) -> tuple[list[str], str]:
    """The words of ``key`` without a trailing generational suffix, and the suffix."""
    words = key.split()
    if len(words) > 2 and words[-1] in SUFFIXES:
        return words[:-1], words[-1]
    return words, ""


def alike(a: str, b: str) -> bool:
    """Two name words spelled alike enough to be one name written two ways: equal, or
    both of 5+ letters with the same first and last letter and a similarity of 80+
    ("edgaro" / "edgardo", "zeidan" / "zaidan"; not "alexander" / "alexandra")."""
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_VARIANT_CHARS or a[0] != b[0] or a[-1] != b[-1]:
        return False
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= VARIANT_RATIO


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


def same_first_name(a: str, b: str) -> bool:
    """One first name, or a first name and its short form ("bob" / "robert", "bill" /
    "billy" / "william"; not "bill" / "hillary")."""
    if a == b:
        return True
    fa, fb = NICKNAMES.get(a, frozenset({a})), NICKNAMES.get(b, frozenset({b}))
    return bool(fa & fb)


def same_person(a: str, b: str) -> bool:
    """Whether full names ``a`` and ``b`` (normalised keys) name one person."""
    wa, sa = split_suffix(a)
    wb, sb = split_suffix(b)
    if len(wa) < 2 or len(wb) < 2 or (sa and sb and sa != sb):
        return False
    if wa[0] != wb[0] and same_first_name(wa[0], wb[0]):
        wb = [wa[0], *wb[1:]]  # "bob livingston" / "robert livingston"
    if wa == wb or sorted(wa) == sorted(wb):
        return True
    short, long = sorted((wa, wb), key=len)
    if len(short) < len(long):
        return short[0] == long[0] and short[-1] == long[-1] and _subsequence(short, long)
    pairs = list(zip(wa, wb, strict=True))
    return any(x == y for x, y in pairs) and all(alike(x, y) for x, y in pairs)


def doubled(key: str) -> str | None:
    """The word of a name that is one word twice ("arafat arafat" → "arafat"), else None."""
    words = key.split()
    return words[0] if len(words) == 2 and words[0] == words[1] else None
