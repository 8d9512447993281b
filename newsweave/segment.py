"""Split articles into sentences with exact character offsets.

:func:`segment` works over the kept spans of an article (``Article.spans()``),
splits them into blocks at line breaks that end a sentence (blank lines
always do; a single newline does unless the text is hard-wrapped) and runs
``nupunkt`` on each block. Its output is then corrected for news text:

* titles such as ``Mr.``, ``Sen.``, ``Lt. Col.``, ``Spc.`` or an initial never
  end a sentence; ``U.S.``, ``a.m.``, ``Jan.``, ``No.``, ``Inc.``... (also after
  a hyphen: ``D-Ill.``, ``co-C.E.O.``) end one only when the next word clearly
  starts a new sentence (``The``, ``He``...) or a quotation opens after an
  attribution (``..., said an analyst at Rand Corp. "A rogue state..."``); a
  party-state tag (``D-N.Y.``) ends one before any capital; a company suffix
  (``Inc.``, ``Corp.``, ``Co.``, ``Ltd.``) also before more openers (``During``,
  ``Without``, ``Sure,``) and before a name and its verb (``... at ATR
  Securities Inc. Lorenzo said ...``), not before a title or a weekday
  (``Acme Corp. Chairman John Smith``, ``Microsoft Corp. Tuesday reported``);
* a boundary that nupunkt missed is added after a lowercase word and a full
  stop (``... said so. Acme agreed.``) and after a capitalised word that is no
  abbreviation (``... a grand jury in New York. Pressing the Taliban...``);
* a quotation is kept whole: a split inside an open quote (also one that wire
  copy opens with two apostrophes) is undone when the quote closes within the
  next few pieces (``"It is over. We lost," he said.``); a quoted question or
  exclamation keeps who said it (``"Why?" Tambara asked.``);
* a bracket opened mid-sentence is kept whole in the same way
  (``... Stata/SE 14.2 (StataCorp. 2015. Release 14.2.) was used.``);
* a closing quote or bracket after the final stop belongs to the sentence.

Every sentence satisfies ``article.text[s.start:s.end] == s.text`` and has no
surrounding whitespace. Nothing is dropped: headlines and short fragments are
sentences too; :func:`is_fragment` tells the summariser which to skip.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache

from .records import Article, Sentence, strip_span

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
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]»]*$|[:;][\"'”’)\]]*$")
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
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@lru_cache(maxsize=1)
def _nupunkt():
    import nupunkt

    return nupunkt.sent_spans


# ------------------------------------------------------------------ blocks
def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stripped non-blank lines of ``text[start:end]``; ``(-1, -1)`` stands for
    the blank line(s) between two paragraphs."""
    out: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        s, e = strip_span(text, pos, stop)
        if s < e:
            out.append((s, e))
        elif out and out[-1] != (-1, -1):
            out.append((-1, -1))  # blank line
        pos = stop + 1
    return out


def _wrapped(lines: list[tuple[int, int]], text: str) -> bool:
    """True when a paragraph looks hard-wrapped (lines broken mid-sentence at
    a similar width), so single newlines inside it are just spaces."""
    if len(lines) < 3:
        return False
    body = lines[:-1]
    lengths = sorted(e - s for s, e in body)
    median = lengths[len(lengths) // 2]
    open_ends = sum(not _TERMINAL.search(text[s:e]) for s, e in body)
    return 40 <= median <= 100 and open_ends >= 0.5 * len(body)


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pieces of a span that no sentence crosses: paragraphs, and lines of a
    paragraph unless the line runs on (hard wrap, or the next line continues
    in lowercase)."""
    lines = _line_spans(text, start, end)
    paragraphs: list[list[tuple[int, int]]] = [[]]
    for ln in lines:
        if ln == (-1, -1):
            paragraphs.append([])
        else:
            paragraphs[-1].append(ln)
    blocks: list[tuple[int, int]] = []
    for para in paragraphs:
        if not para:
            continue
        if _wrapped(para, text):
            blocks.append((para[0][0], para[-1][1]))
            continue
        cur = para[0]
        for s, e in para[1:]:
            prev = text[cur[0] : cur[1]]
            nxt = text[s]
            runs_on = not _TERMINAL.search(prev) and (nxt.islower() or nxt in ",;")
            if runs_on:
                cur = (cur[0], e)
            else:
                blocks.append(cur)
                cur = (s, e)
        blocks.append(cur)
    return blocks


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


def _sentences_in_block(text: str, s: int, e: int) -> list[tuple[int, int]]:
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


# ------------------------------------------------------------------ paragraphs
_BLANK = re.compile(r"\n[ \t\r\f\v]*\n")


def _paragraph_starts(text: str) -> list[int]:
    """Start offsets of paragraphs: blank-line separated blocks when the text
    has blank lines, else lines."""
    seps = _BLANK if _BLANK.search(text) else re.compile(r"\n")
    starts = [0]
    for m in seps.finditer(text):
        if text[starts[-1] : m.start()].strip():
            starts.append(m.end())
        else:
            starts[-1] = m.end()
    return starts


# ------------------------------------------------------------------------ API
def segment(article: Article) -> list[Sentence]:
    """Sentences of ``article`` over its kept spans, in text order.

    Ids are ``"<article id>#<index>"``; ``paragraph`` is the 0-based paragraph
    number in the whole text (blank-line separated, or line by line when the
    text has no blank lines).
    """
    text = article.text
    starts = _paragraph_starts(text)
    out: list[Sentence] = []
    for span_start, span_end in sorted(article.spans()):
        span_start = max(0, span_start)
        span_end = min(len(text), span_end)
        for bs, be in _blocks(text, span_start, span_end):
            for s, e in _sentences_in_block(text, bs, be):
                idx = len(out)
                out.append(
                    Sentence(
                        id=f"{article.id}#{idx}",
                        article_id=article.id,
                        index=idx,
                        start=s,
                        end=e,
                        text=text[s:e],
                        paragraph=bisect.bisect_right(starts, s) - 1,
                    )
                )
    return out


_VERBISH = re.compile(
    r"\b(?:is|are|was|were|be|been|being|am|has|have|had|do|does|did|will|would|can|could|"
    r"shall|should|may|might|must|said|says|say|told|tell|\w{3,}ed|\w{3,}s)\b",
    re.I,
)


def is_fragment(sentence: Sentence | str) -> bool:
    """True for pieces that are not full sentences: fewer than 4 words, no
    sentence-final punctuation (headlines, labels, datelines), mostly capitals,
    or no verb-like word."""
    text = sentence.text if isinstance(sentence, Sentence) else sentence
    words = _WORDS.findall(text)
    if len(words) < 4:
        return True
    if not re.search(r"[.!?…][\"'”’)\]]*\s*$", text):
        return True
    if in_capitals(text):
        return True
    return not _VERBISH.search(text)


CAPITALS_SHARE = 0.6


def in_capitals(text: str) -> bool:
    """Whether more than ``CAPITALS_SHARE`` of the letters of ``text`` are capitals
    (a heading, a shout: "I TOLD YOU SO.")."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > CAPITALS_SHARE * len(letters)
