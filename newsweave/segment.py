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

The corrections are made in :mod:`newsweave.sentfix`; this module cuts the
kept spans into blocks, numbers paragraphs and builds the ``Sentence`` records.
"""

from __future__ import annotations

import bisect
import re

from .records import Article, Sentence, strip_span
from .sentfix import _STARTERS, TITLES, sentences_in_block

__all__ = ["TITLES", "_STARTERS", "in_capitals", "is_fragment", "segment"]

_TERMINAL = re.compile(r"[.!?…][\"'”’)\]»]*$|[:;][\"'”’)\]]*$")
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


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
            for s, e in sentences_in_block(text, bs, be):
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
