"""Quotation marks: where quoted stretches of a sentence open and close.

Curly (“…”), guillemet («…») and straight double quotes, and the typewriter
form of news wires (``…''). A straight quote is an opening one unless it
follows a letter or digit; the first mark of a sentence right after closing
punctuation and before a space closes a quotation opened in an earlier
sentence ('...fired in the air," said Major David Gell'). Quoted words in
title case are the title of a work, not a quotation (:func:`is_title`).
"""

from __future__ import annotations

import re

QUOTE_OPEN = {"“": "”", "«": "»", '"': '"'}
QUOTE_CLOSE = {"”", "»", '"'}
TICKS_OPEN, TICKS_CLOSE = "``", "''"  # typewriter quotes of news wires: ``...''
MARKS = frozenset({'"', "“", "”", "'", TICKS_OPEN, TICKS_CLOSE})  # quote-mark tokens


def quote_segments(text: str, open_at_start: bool) -> tuple[list[tuple[int, int]], bool]:
    """Quoted stretches of ``text`` (inside the marks) and whether one is left open.

    Besides curly, guillemet and straight double quotes, the typewriter form of
    news wires and treebank-style corpora is read: two backticks open, two
    apostrophes close (three apostrophes also close a nested single quotation,
    whose apostrophe stays inside). A quotation open since before that the
    sentence opens again (the next paragraph of a long quotation) starts after
    that mark."""
    segs: list[tuple[int, int]] = []
    start = 0 if open_at_start else None
    i, n = 0, len(text)
    if open_at_start:  # a new paragraph of the quotation opens again: '``Maybe writing...'
        i = start = 2 if text.startswith(TICKS_OPEN) else int(text[:1] in QUOTE_OPEN)
    while i < n:
        ch = text[i]
        if start is None:
            if text.startswith(TICKS_OPEN, i):
                start = i + 2
                i += 1
            elif not segs and _closes_open_quote(text, i):
                segs.append((0, i))  # '...in the air," said Major Gell': open since before
                i += 1 if text.startswith(TICKS_CLOSE, i) else 0
            elif ch in QUOTE_OPEN and (ch != '"' or i == 0 or not text[i - 1].isalnum()):
                start = i + 1
        elif ch in QUOTE_CLOSE or text.startswith(TICKS_CLOSE, i):
            if text.startswith(TICKS_CLOSE + "'", i):
                i += 1  # "...my life,''' he said": the first apostrophe closes the inner quote
            segs.append((start, i))
            start = None
            if text.startswith(TICKS_CLOSE, i):
                i += 1
        i += 1
    if start is not None:
        segs.append((start, len(text)))
        return segs, True
    return segs, False


def _closes_open_quote(text: str, i: int) -> bool:
    """Whether the mark at ``i``, the first of its sentence, closes a quotation
    opened in an earlier sentence: a closing mark right after the closing
    punctuation of the quoted words and before a space ('...fired in the air,"
    said Major David Gell'), not an opening one (the words after it are
    narration)."""
    if text.startswith(TICKS_CLOSE, i):
        width = 2
    elif text[i] in QUOTE_CLOSE:
        width = 1
    else:
        return False
    after = text[i + width : i + width + 1]
    return i > 0 and text[i - 1] in ",.?!" and (not after or after.isspace())


#: words a title of a work leaves in lowercase ("Keys to the Highway")
_TITLE_SMALL = frozenset(
    "a an the and or nor but of to in on at for with by from as into via vs".split()
)


def is_title(text: str) -> bool:
    """Whether quoted words are the title of a work, not a quotation: every word
    capitalised but small ones ("Keys to the Highway", "Only Girl (In the World),",
    CNN's "State of the Union."), in mixed case (a shouted "WE WANT JUSTICE"
    is a quotation) and one sentence ("Death to Arabs! Death to Arafat!" is chanted)."""
    words = [w.strip("()[]\"'“”‘’,.:;!?-") for w in text.split()]
    words = [w for w in words if any(c.isalpha() for c in w)]
    if len(words) < 2 or not words[0][:1].isupper() or text.upper() == text:
        return False
    if re.search(r"[.!?]\s+\S", text.strip()):
        return False
    return all(w[:1].isupper() or w.lower() in _TITLE_SMALL for w in words)
