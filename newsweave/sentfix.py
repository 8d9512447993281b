"""Corrections to nupunkt's sentence boundaries for news text.

:func:`sentences_in_block` runs ``nupunkt`` on a block of text (a paragraph,
or a line that ends a sentence; see :mod:`newsweave.segment`) and corrects
its output: titles and initials never end a sentence, ambiguous
abbreviations (``U.S.``, ``Inc.``, ``Jan.``) end one only before a clear
sentence start, boundaries nupunkt missed are added, and a quotation or a
bracket opened mid-sentence is kept whole (the full list of rules is in
:mod:`newsweave.segment`). The word tables (``TITLES``, ``_STARTERS``) are
shared with the dateline and entity rules.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache

from .records import strip_span

# abbreviations that precede a name: never the end of a sentence (with the
# US Army, Navy and city ranks of wire copy: "Army Spc. Charles Graner",
# "Pfc. Lynndie England", "Ens.", "Cdr.", "Cpt.", "Ald."; plurals: "Sgts. Cardona and Smith")
TITLES = frozenset(
    """mr mrs ms messrs mme dr drs prof profs gen gens sen sens rep reps gov govs lt lts col
    cols sgt sgts capt capts maj majs adm adms cmdr cpl cpls pvt brig supt det insp atty amb
    pres rev hon fr msgr spc pfc cpt ens cdr ald""".split()
)
# abbreviations that may end a sentence; they do only before a clear sentence start
_AMBIGUOUS = frozenset(
    """u.s u.k u.n u.s.a e.u a.m p.m inc corp co ltd llc plc bros no nos vs v etc al
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri
    sat sun d.c n.y l.a calif fla ill mass mich minn ore pa tenn tex va wash wis ariz colo
    conn ky la md mo nev okla ariz ala ark del ga ind kan miss mont neb n.j n.m n.c s.c
    n.d s.d wyo vt approx est dept univ assn intl natl govt ph.d m.d b.a m.a st mt ft jr sr""".split()
)
# lowercase words that end with a stop without ending a sentence
_LOWER_ABBR = frozenset(
    "vs etc al approx est ca cf ed eds op seq viz ibid dept govt pp vol fig mt ft yr yrs "
    "mos min max sec hr hrs oz lb lbs cm mm km kg sq no nos jr sr".split()
)
_NOT_ENDING = TITLES | _AMBIGUOUS | _LOWER_ABBR
# words that, capitalised after an ambiguous abbreviation, start a new sentence
_STARTERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those there
    but and or so yet if when while after before as at in on for of to by with from
    however meanwhile also still then now later earlier officials police authorities
    one some many most both all no not what who why how where""".split()
)
_END_CHARS = ".!?"
_CLOSERS = "\"'”’)]»"
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'’-]*)[.]([\"'”’)\]]*)$")
_MISSED = re.compile(r"(?<![\w.])([a-z]{2,})([.!?])([\"'”’)\]]*)\s+(?=[\"“‘(]?[A-Z])")
# "Ebola.The CDC": a stop with no space after it, between two words
_NO_SPACE = re.compile(r"(?<![\w.])([A-Za-z][a-z]+)([.!?])([\"'”’)\]]*)(?=[A-Z][a-z])")
_MISSED_ABBR = re.compile(
    r"(?<![\w.])((?:[A-Za-z]\.){2,}|Jr\.|Sr\.)\s+(?=(?:The|He|She|It|They|"
    r"We|I|But|His|Her|Its|Their|This|That|There|In|On|At|After|When|Officials|Police)\b)"
)
# a company suffix ("... at Abacus Securities Corp. During the quarter..."): it
# ends a sentence before a word that opens one (_STARTERS, _OPENERS) or before a
# name and its verb ("... at ATR Securities Inc. Lorenzo said, however, ..."),
# not before a name or title ("Acme Corp. Chairman John Smith", "the Microsoft
# Corp. Tuesday reported")
_COMPANY = frozenset("inc corp co ltd llc plc bros".split())
_COMPANY_SUFFIX = re.compile(r"(?<![\w.])(?:Inc|Corp|Co|Ltd|LLC|Plc|PLC|Bros)\.(?=\s+[A-Z])")
_OPENERS = frozenset(
    """during without despite although though because since until unless among
    instead indeed sure yes perhaps maybe even only just such other another each every
    last next yesterday today tonight asked analysts shares""".split()
)
_CLAUSE = re.compile(r"\s*([A-Z][\w'’]*)([,;:]?)(?:\s+([a-z]+))?")
_CLAUSE_VERBS = frozenset(
    """said says told added asked reported announced agreed declined denied noted expects
    plans is was are were has had have will would could can may did does""".split()
)
_NOT_SUBJECT = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december chairman chairwoman president
    chief spokesman spokeswoman executive director""".split()
)
# "... a grand jury in New York. Pressing the Taliban...": a capitalised word
# (a name, a place) and a stop before a capital, which nupunkt may take for an
# abbreviation
_NAME_ABBR = frozenset("ave blvd hwy pkwy bldg dist prod assoc".split())  # "Post Prod. Systems"
_MISSED_NAME = re.compile(r"(?<![\w.'’-])([A-Z][a-z]+)\.([\"'”’)\]]*)\s+(?=[\"“‘(]?([A-Z][a-z]*))")
# "..., said an analyst at Rand Corp. ``A rogue state could emerge...'': a quote
# that opens after an abbreviation ending an attribution starts a sentence
_QUOTE_AFTER_ABBR = re.compile(
    r"(?<![\w.])((?:[A-Za-z]\.){2,}|[A-Z][a-z]{1,4}\.)\s+(?=(?:``|''|\"|“)[A-Z])"
)
_SPEECH = re.compile(r"\b(?:said|says|say|added|adds|told|asked|according to)\b")
# initials with stops, all of one case ("N.Y", "a.m"; not the plural "C.E.O.s")
_INITIALISM = re.compile(r"(?:[A-Z]\.)+[A-Z]|(?:[a-z]\.)+[a-z]")
# a member of Congress's party and state ("D-N.Y.", "R-Ind."): ends a name
_PARTY = re.compile(r"[DRI]-[A-Z][A-Za-z.]*")


@lru_cache(maxsize=1)
def _nupunkt():
    import nupunkt

    return nupunkt.sent_spans


# ------------------------------------------------------------------ fix-ups
def _missed_cuts(text: str, s: int, e: int) -> list[int]:
    """Offsets in ``text[s:e]`` where a sentence ends that nupunkt may miss:
    ``lowercase-word.`` + capital, or ``U.S.``/``Inc.`` + a clear sentence start."""
    cuts = [m.end(3) for m in _MISSED.finditer(text, s, e) if m.group(1) not in _LOWER_ABBR]
    cuts += [m.end(1) for m in _MISSED_ABBR.finditer(text, s, e)]
    cuts += [
        m.end() for m in _COMPANY_SUFFIX.finditer(text, s, e) if _company_ends(text, m.end(), e)
    ]
    cuts += [
        m.end(3) for m in _NO_SPACE.finditer(text, s, e) if m.group(1).lower() not in _NOT_ENDING
    ]
    cuts += _quote_after_attribution(text, s, e)
    cuts += [m.end(2) for m in _MISSED_NAME.finditer(text, s, e) if _name_ends(m)]
    return sorted(cuts)


def _company_ends(text: str, pos: int, end: int) -> bool:
    """Whether a company suffix ("Inc.", "Corp.") ending at ``pos`` ends the
    sentence: the next word opens one ("The", "During", "Sure,"), or is a name
    followed by its verb ("Cathay said"; not "Tuesday reported")."""
    m = _CLAUSE.match(text, pos, end)
    if not m:
        return False
    word = m.group(1).lower()
    if word in _STARTERS or word in _OPENERS:
        return True
    return (
        m.group(1)[1:].islower()
        and not m.group(2)
        and m.group(3) in _CLAUSE_VERBS
        and word not in _NOT_SUBJECT
    )


def _name_ends(m: re.Match[str]) -> bool:
    """Whether a capitalised word and a stop (``_MISSED_NAME``) end a sentence:
    not a known abbreviation, and a word of four letters or more ("York",
    "Poland"), or a short one before a clear sentence start ("Kim. And",
    "the Fed. Now"; not "California Civ. Code")."""
    word = m.group(1)
    if word.lower() in _NOT_ENDING or word.lower() in _NAME_ABBR:
        return False
    return len(word) >= 4 or m.group(3).lower() in _STARTERS


def _quote_after_attribution(text: str, s: int, e: int) -> list[int]:
    """Ends of an attribution closed by an abbreviation before a new quotation
    (``..., said George Pettitt of Wales Center, N.Y. “You just never...”``):
    a speech verb in the 200 characters before, and no quotation left open
    (counted once over the block, so a long block stays linear)."""
    cuts = []
    counts = (0, 0, 0)
    last = s
    for m in _QUOTE_AFTER_ABBR.finditer(text, s, e):
        more = _quote_counts(text[last : m.start()])
        counts = (counts[0] + more[0], counts[1] + more[1], counts[2] + more[2])
        last = m.start()
        abbr = m.group(1).lower().rstrip(".")
        if abbr not in _AMBIGUOUS and not re.fullmatch(r"(?:[a-z]\.)+[a-z]", abbr):
            continue
        if _SPEECH.search(text[max(s, m.start() - 200) : m.start()]) and not _open_quotes(counts):
            cuts.append(m.end(1))
    return cuts


_QUOTE_OPENERS = ("“", "‘", "``", "''", '"')


def _split_at(text: str, s: int, e: int, cuts: list[int]) -> list[tuple[int, int]]:
    out = []
    cur = s
    for cut in cuts[bisect.bisect_right(cuts, s) : bisect.bisect_left(cuts, e)]:
        if cut - cur > 1:
            out.append(strip_span(text, cur, cut))
            cur = cut
    out.append(strip_span(text, cur, e))
    return [p for p in out if p[1] > p[0]]


_NEXT_WORD = re.compile(r"\s*[\"“‘(`]*([^\s\"”’)]+)")
_ASK_END = re.compile(r"[?!][^\w\s]{0,3}$")
_QUOTE_ASK_END = re.compile(r"[?!][\"'”’]{1,3}$")
# who said a quoted question or exclamation: a name, not a pronoun that opens a
# sentence of its own ('"...period!" He said liberals get a pass')
_SPEAKER = re.compile(
    r"(?!(?:He|She|They|We|I|It|You|This|That)\b)(?:[A-Z][\w'’.-]*\s+){1,3}"
    r"(?:said|says|asked|asks|added|adds|wrote|writes|told|tells|replied|shouted|tweeted)\b"
)


def _next_word(text: str, pos: int, end: int) -> str:
    m = _NEXT_WORD.match(text, pos, end)
    return m.group(1) if m else ""


def _glued(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Should piece ``a`` and the following piece ``b`` be one sentence because
    ``a`` ends with an abbreviation or an initial, or with ``?``/``!`` and ``b``
    goes on in lowercase, or ``b`` closes a bracket ``a`` opened?"""
    if text[b[0]] == ")" and text.count("(", a[0], a[1]) > text.count(")", a[0], a[1]):
        return True  # "Sen. Arlen Specter (R-Pa.), a former prosecutor": cut inside brackets
    if text[b[0]].islower() and _ASK_END.search(text, max(a[0], a[1] - 4), a[1]):
        return True  # '"Why?" he asked.', '"…fascinating,�?" he said' (broken quote)
    if _QUOTE_ASK_END.search(text, max(a[0], a[1] - 4), a[1]) and _SPEAKER.match(text, b[0], b[1]):
        return True  # '``Is there any way to stay calm?'' Tambara asked.'
    m = _WORD_BEFORE.search(text, a[0], a[1])
    if not m or (m.group(2) and not _closes_aside(text, a[0], m)):
        return False
    # after a hyphen: "Sen. Richard Durbin, D-Ill. said", "the co-C.E.O. of",
    # "the South Korean-U.S. Mutual Defense Treaty"
    whole = m.group(1)
    word = whole.rsplit("-", 1)[-1] or whole
    key = word.lower().rstrip(".")
    nxt = _next_word(text, b[0], b[1])
    if not nxt:
        return False
    if key in TITLES:
        return True
    if re.fullmatch(r"[A-Z]", word):  # initial: "George W. Bush"
        return nxt[0].isupper() and nxt.lower() not in _STARTERS
    if "." not in word and word[0].islower() and key not in _LOWER_ABBR:
        return False  # "fell ill. Doctors..." is not the state "Ill."
    if key in _AMBIGUOUS or _INITIALISM.fullmatch(word):
        if text.startswith(_QUOTE_OPENERS, b[0]) and not _quote_balance(text[a[0] : a[1]]):
            return False  # '..., said Ed Yardeni of Yardeni Research Inc. “I think...'
        if _PARTY.fullmatch(whole):  # "Rep. Jerrold Nadler, D-N.Y. Two sharply..."
            return not nxt[0].isupper()
        starts = nxt[0].isupper() and nxt.lower().strip(",;:") in _STARTERS
        if key in _COMPANY and word == whole:  # "Acme Corp. Chairman John Smith"
            starts = starts or _company_ends(text, b[0], b[1])
        return not starts
    return False


def _closes_aside(text: str, start: int, m: re.Match[str]) -> bool:
    """Whether the abbreviation ``m`` found ends a bracket opened mid-sentence,
    "Sen. John McCain (R-Ariz.)": the stop is the abbreviation's, and the
    sentence may go on ("... (R-Ariz.) — at home in Arizona — and ...")."""
    return m.group(2) == ")" and _opens_bracket_inside(text[start : m.end(1) + 1])


# two apostrophes opening a quote (``''No help,'' he said``: some wire copy
# opens quotes with '' as well as with ``)
_TICKS_OPEN = re.compile(r"(?:^|(?<=[\s(\[]))''(?=\w)")


def _quote_counts(piece: str) -> tuple[int, int, int]:
    """Curly and wire (````/''``) quotes opened minus closed in ``piece``, and
    its straight double quotes; counts of consecutive pieces add up."""
    opened = len(_TICKS_OPEN.findall(piece))
    ticks = piece.count("``") + opened - (piece.count("''") - opened)
    return piece.count("“") - piece.count("”"), ticks, piece.count('"')


def _open_quotes(counts: tuple[int, int, int]) -> int:
    curly, ticks, straight = counts
    return max(curly, 0) + max(ticks, 0) + straight % 2


def _quote_balance(piece: str) -> int:
    """Open double quotes left at the end of ``piece`` (>0 means open)."""
    return _open_quotes(_quote_counts(piece))


def _merge_open(
    text: str,
    pieces: list[tuple[int, int]],
    opens: Callable[[str], bool],
    closed: Callable[[str], bool],
) -> list[tuple[int, int]]:
    """Undo the splits after a piece that ``opens`` something (a quotation, a
    bracket) when the text from it is ``closed`` within three more pieces
    (and 700 characters)."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        s, e = pieces[i]
        j = i
        if opens(text[s:e]):
            for k in range(i + 1, min(i + 4, len(pieces))):
                if pieces[k][1] - s > 700:
                    break
                if closed(text[s : pieces[k][1]]):
                    j = k
                    break
        out.append((s, pieces[j][1]))
        i = j + 1
    return out


def _merge_quotes(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo splits inside a quotation that closes within three more pieces."""
    return _merge_open(
        text, pieces, lambda p: bool(_quote_balance(p)), lambda p: not _quote_balance(p)
    )


def _opens_bracket_inside(piece: str) -> bool:
    """Whether ``piece`` leaves a bracket open that it opened after its start
    ("... using Stata/SE 14.2 (StataCorp."): an aside that opens a sentence,
    "(He left. She came.)", may hold whole sentences."""
    opened: list[int] = []
    for i, ch in enumerate(piece):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            opened.pop()
    return bool(opened) and opened[0] > 0


def _merge_brackets(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo splits inside a bracket opened mid-sentence that closes within
    three more pieces ("(StataCorp. 2015. Stata ... LP.)", "(... thank you, E!
    Network!)")."""
    return _merge_open(text, pieces, _opens_bracket_inside, lambda p: p.count(")") >= p.count("("))


def _move_closers(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A closing quote/bracket that starts a piece belongs to the previous one."""
    for i in range(1, len(pieces)):
        ps, pe = pieces[i - 1]
        s, e = pieces[i]
        k = s
        while k < e and text[k] in _CLOSERS and text[pe - 1] in _END_CHARS + _CLOSERS:
            if text[k] in "\"'" and not _quote_balance(text[ps:pe]):
                break  # a straight quote that opens the next sentence
            k += 1
        if k > s and (k == e or text[k].isspace() or text[k] in "—–"):  # "too.”—Connie Britton"
            pieces[i - 1] = (ps, k)
            pieces[i] = strip_span(text, k, e)
    return [p for p in pieces if p[1] > p[0]]


def sentences_in_block(text: str, s: int, e: int) -> list[tuple[int, int]]:
    cuts = _missed_cuts(text, s, e)
    pieces: list[tuple[int, int]] = []
    for a, b in _nupunkt()(text[s:e]):
        a, b = strip_span(text, s + a, s + b)
        if a < b:
            pieces.extend(_split_at(text, a, b, cuts) if cuts else [(a, b)])
    if not pieces:
        return []
    merged = [pieces[0]]
    for p in pieces[1:]:
        if _glued(text, merged[-1], p):
            merged[-1] = (merged[-1][0], p[1])
        else:
            merged.append(p)
    merged = _merge_brackets(text, _merge_quotes(text, merged))
    return _move_closers(text, merged)
