"""Recognise boilerplate in articles: which character spans are kept.

Cleaning never rewrites ``Article.text``. :func:`clean_article` classifies
each line of the text with :func:`newsweave.boilerplate.classify_line` and
records the kept lines in ``content_spans`` (consecutive kept lines of one
paragraph form one span) and the recognised boilerplate in ``removed`` as
``(start, end, reason)``. A wire-service editing code inside a line
(``&UR;``, "(STORY CAN END HERE. OPTIONAL MATERIAL FOLLOWS)", see
:data:`newsweave.inline.WIRE_CODE`) or a video player's controls
("CLOSE Skip in Skip x Embed x Share") is removed and ends the line there,
as is a time-stamp label before the first sentence ("Updated | When ...");
so is the bullet or number that opens a list item ("* ", "• ", "1. ").

Near-duplicate articles are found by :func:`newsweave.dedup.mark_duplicates`
(re-exported here, as is ``classify_line``).
"""

from __future__ import annotations

import re

from .boilerplate import classify_line
from .dedup import mark_duplicates
from .inline import inline_codes, list_marker
from .records import Article, strip_span

__all__ = ["classify_line", "clean_article", "mark_duplicates"]


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line with surrounding whitespace stripped."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = strip_span(text, *m.span())
        if s < e:
            out.append((s, e))
    return out


def _pieces(text: str, start: int, end: int, new_item: bool) -> list[tuple[int, int, str | None]]:
    """``text[start:end]`` (a line) cut after the bullet of a list item and at
    wire-service editing codes and video player controls: the stripped pieces
    between them (reason None: to classify) and the bullet or codes with their
    reason. A numbered
    item is recognised only on a ``new_item`` line (see ``_new_item``)."""
    out: list[tuple[int, int, str | None]] = []
    bullet = list_marker(text[start:end], new_item=new_item)
    if bullet:
        out.append((start, start + bullet, "list marker"))
        start += bullet
    pos = start
    for cs, ce, reason in inline_codes(text[start:end]):
        out.append((*strip_span(text, pos, start + cs), None))
        out.append((start + cs, start + ce, reason))
        pos = start + ce
    out.append((*strip_span(text, pos, end), None))
    return [p for p in out if p[0] < p[1]]


def _new_item(text: str, prev_line: tuple[int, int] | None, start: int) -> bool:
    """Whether a line starting at ``start`` can open a list item: it is the
    first line, follows a blank line, or the line before ends a sentence."""
    if prev_line is None or "\n" in text[prev_line[1] : start].replace("\n", "", 1):
        return True
    return text[prev_line[1] - 1] in '.!?:;"”’)'


def clean_article(article: Article) -> Article:
    """Record boilerplate of ``article`` in ``removed`` and the kept text in
    ``content_spans`` (recomputed on every call); ``text`` is never changed.

    Kept lines of one paragraph (no blank line between them) form one span.
    Returns the same article for chaining.
    """
    text = article.text
    spans: list[tuple[int, int]] = []
    removed: list[tuple[int, int, str]] = []
    prev_end: int | None = None
    first = True
    prev_line: tuple[int, int] | None = None
    for line_start, line_end in _lines(text):
        new_item = _new_item(text, prev_line, line_start)
        prev_line = (line_start, line_end)
        for s, e, code in _pieces(text, line_start, line_end, new_item):
            reason = code or classify_line(text[s:e], first=first)
            first = first and code is not None
            if reason:
                removed.append((s, e, reason))
                prev_end = None
                continue
            joined = prev_end is not None and "\n" not in text[prev_end:s].replace("\n", "", 1)
            if joined and spans:
                spans[-1] = (spans[-1][0], e)
            else:
                spans.append((s, e))
            prev_end = e
    article.content_spans = spans
    article.removed = removed
    return article
