"""RSS and Atom feeds (local files) as articles, through ``feedparser``.

Each entry becomes one :class:`~newsweave.records.Article`: its full content
when the feed carries it (``content:encoded``, Atom ``content``), else its
summary; HTML is reduced to text with paragraphs kept as blank lines. The
entry's id (``guid``), else its link, is the article id; the feed title is
the outlet; ``published`` (else ``updated``) is the date, in ISO 8601 UTC.
"""

from __future__ import annotations

import calendar
import html
import re
from datetime import UTC, datetime
from pathlib import Path

from ..errors import InputError, require
from ..records import Article

FEED_EXTS = {".rss", ".atom", ".xml", ".rdf"}
_BLOCK = re.compile(r"(?i)</?(?:p|div|br|li|h[1-6]|blockquote|section|article)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANKS = re.compile(r"\n\s*\n+")


def looks_like_feed(path: Path, head: bytes) -> bool:
    """Whether a file is an RSS/Atom feed (by extension or by its first bytes)."""
    start = head.lstrip()[:600].lower()
    if start.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
        return True
    if start.startswith(b"<?xml") and re.search(rb"<(rss|feed|rdf:rdf)\b", start):
        return True
    return path.suffix.lower() in {".rss", ".atom"}


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment; block elements become paragraph breaks."""
    text = _BLOCK.sub("\n\n", fragment)
    text = html.unescape(_TAG.sub("", text))
    text = _SPACES.sub(" ", text)
    lines = [ln.strip() for ln in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()
    for key in ("published", "updated"):
        if entry.get(key):
            return str(entry[key])
    return None


def _body(entry) -> str:
    best = ""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if len(value) > len(best):
            best = value
    if not best:
        best = entry.get("summary") or entry.get("description") or ""
    return html_to_text(best) if "<" in best or "&" in best else best.strip()


def read_feed(path: Path, name: str | None = None) -> tuple[list[Article], list[str]]:
    """Articles of the feed file ``path`` and warnings for skipped entries.

    Raises :class:`InputError` naming the file when it is not a readable feed
    or holds no usable entry.
    """
    feedparser = require("feedparser", "RSS/Atom support (feedparser)", "pip install feedparser")
    name = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read the feed ({exc.strerror or exc})") from None
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        why = parsed.get("bozo_exception")
        detail = f" ({type(why).__name__}: {why})" if why else ""
        raise InputError(f"{name}: not a readable RSS/Atom feed or it has no entries{detail}")
    outlet = (parsed.get("feed") or {}).get("title") or None
    arts: list[Article] = []
    warns: list[str] = []
    for i, entry in enumerate(entries):
        where = f"{name}#{i + 1}"
        text = _body(entry)
        title = html_to_text(entry.get("title") or "") or None
        if not text.strip():
            warns.append(f"skipped {where}: entry has no text")
            continue
        art_id = entry.get("id") or entry.get("link") or where
        arts.append(
            Article(
                id=str(art_id),
                text=text,
                title=title,
                outlet=outlet,
                url=entry.get("link") or None,
                date=_date(entry),
                origin=where,
            )
        )
    if not arts:
        raise InputError(f"{name}: no feed entry has any text ({'; '.join(warns[:3])})")
    return arts, warns
