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
  "hassib hussain"), see :func:`alike`.

Different people who share a surname ("bill clinton" / "hillary rodham clinton")
differ in their first word and never match.
"""

from __future__ import annotations

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: shortest words compared by spelling; shorter ones ("Yan" / "Yang") must be equal
MIN_VARIANT_CHARS = 5
VARIANT_RATIO = 80.0


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


def same_person(a: str, b: str) -> bool:
    """Whether full names ``a`` and ``b`` (normalised keys) name one person."""
    wa, sa = split_suffix(a)
    wb, sb = split_suffix(b)
    if len(wa) < 2 or len(wb) < 2 or (sa and sb and sa != sb):
        return False
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
