"""RSS and Atom feeds (local files or ``http(s)://`` URLs) as articles,
through ``feedparser``.

Each entry becomes one :class:`~newsweave.records.Article`: its full content
when the feed carries it (``content:encoded``, Atom ``content``), else its
summary; HTML is reduced to text with paragraphs kept as blank lines. The
entry's id (``guid``), else its link, is the article id; the feed title is
the outlet; ``published`` (else ``updated``) is the date, in ISO 8601 UTC.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from ..errors import InputError, require
from ..formats import check_metadata, check_no_nul, check_unicode, readable
from ..records import Article

FEED_EXTS = {".rss", ".atom", ".xml", ".rdf"}
FETCH_TIMEOUT = 30.0  # seconds to fetch a feed URL
USER_AGENT = "newsweave/0.1 (feed reader)"
_BLOCK = re.compile(r"(?i)</?(?:p|div|br|li|h[1-6]|blockquote|section|article)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANKS = re.compile(r"\n\s*\n+")


# what may come before an XML document's root element: a byte-order mark,
# processing instructions (<?xml ...?>, <?xml-stylesheet ...?>), comments,
# a doctype, and white space
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf|\s+|<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)*", re.S)


_WIDE = (  # UTF-32 first: its little-endian mark starts like UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
    (b"<\x00", "utf-16-le"),  # no mark: "<" of a prolog or root
    (b"\x00<", "utf-16-be"),
)


def _as_utf8(head: bytes) -> bytes:
    """The first bytes of a file in UTF-8 when they are UTF-16 or UTF-32
    (feedparser reads such feeds; their markup is no ASCII byte string)."""
    for mark, codec in _WIDE:
        if head.startswith(mark):
            return head.decode(codec, errors="ignore").encode("utf-8")
    return head


def looks_like_feed(path: Path, head: bytes) -> bool:
    """Whether a file is an RSS/Atom feed (by extension, or by its root
    element after the XML prolog, in its first bytes, in UTF-8 or, with or
    without a byte-order mark, UTF-16 or UTF-32)."""
    lowered = _as_utf8(head).lower()
    root = lowered[_PROLOG.match(lowered).end() :]
    if root.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
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


def is_url(raw: str) -> bool:
    """Whether an input names a feed by ``http://`` or ``https://`` URL."""
    return raw[:8].lower().startswith(("http://", "https://"))


@dataclass
class Fetched:
    """A feed URL's answer: its body (None: not modified since the given
    validators) and the validators to send next time."""

    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None


class FeedState(NamedTuple):
    """What a run learnt of a feed URL: the validators to send next time,
    and whether it answered "not modified"."""

    url: str
    etag: str | None
    last_modified: str | None
    unchanged: bool


def fetch_feed(
    url: str,
    max_bytes: int,
    timeout: float = FETCH_TIMEOUT,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """The feed at ``url`` (redirects followed), its body at most
    ``max_bytes`` long. With the ``etag`` / ``last_modified`` of an earlier
    answer the request is conditional, and an unchanged feed answers 304
    (``body`` None) without sending itself again. Raises
    :class:`InputError` naming the URL and the reason (HTTP status,
    unreachable host, timeout, size).

    The user names the URL on the command line, so any host is allowed,
    local ones included; the web layer never calls this (it has its own
    guarded fetcher, :mod:`newsweave.web.fetch`)."""
    import urllib.error
    import urllib.request

    from ..decode import byte_size, too_big

    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url}: not an http(s) URL with a host name")
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 - http(s) only
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(too_big(url, int(length), max_bytes))
            data = resp.read(max_bytes + 1)
            new_etag, new_modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and (etag or last_modified):
            return Fetched(None, etag, last_modified)
        raise InputError(f"{url}: cannot fetch the feed (HTTP {exc.code} {exc.reason})") from None
    except urllib.error.URLError as exc:
        why = exc.reason.strerror if isinstance(exc.reason, OSError) else exc.reason
        raise InputError(f"{url}: cannot fetch the feed ({why or exc.reason})") from None
    except (TimeoutError, OSError, ValueError) as exc:
        why = "timed out" if isinstance(exc, TimeoutError) else (str(exc) or type(exc).__name__)
        raise InputError(f"{url}: cannot fetch the feed ({why})") from None
    if len(data) > max_bytes:
        raise InputError(
            f"{url}: the feed is longer than the {byte_size(max_bytes)} limit; "
            "raise the limit with --max-bytes"
        )
    return Fetched(data, new_etag, new_modified)


def read_feed(path: Path, name: str | None = None) -> tuple[list[Article], list[str]]:
    """Articles of the feed file ``path`` and warnings for skipped entries.

    Raises :class:`InputError` naming the file when it is not a readable feed
    or holds no usable entry.
    """
    name = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read the feed ({exc.strerror or exc})") from None
    return parse_feed(data, name)


def _entry_key(title: str | None, text: str) -> str:
    """A short stable key of an entry that has neither guid nor link."""
    return hashlib.sha1(f"{title or ''}\n{text}".encode()).hexdigest()[:12]


_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _no_char(m: re.Match[bytes]) -> bool:
    """Whether a numeric character reference names no character: a surrogate
    (``&#xD800;``, half of a UTF-16 pair) or a number past U+10FFFF."""
    digits = (m.group(1) or m.group(2)).lstrip(b"0")
    if len(digits) > 8:  # far past U+10FFFF (and int() refuses 4,300 digits)
        return True
    code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    return code > 0x10FFFF or 0xD800 <= code <= 0xDFFF


def _fix_char_refs(data: bytes, name: str, warns: list[str]) -> bytes:
    """``data`` with each reference to no character read as U+FFFD, with a
    warning (as a JSON file's unpaired ``\\ud83d``): feedparser raised on
    them, failing the whole ingest run."""
    found = [m.group().decode() for m in _CHAR_REF.finditer(data) if _no_char(m)]
    if not found:
        return data
    warns.append(
        f"{name}: {len(found)} character reference{'s' if len(found) > 1 else ''} to no "
        f"character ({', '.join(dict.fromkeys(found[:3]))}) read as U+FFFD"
    )
    return _CHAR_REF.sub(lambda m: b"&#xFFFD;" if _no_char(m) else m.group(), data)


def _url(entry) -> str | None:
    """The entry's web address: its link, else an ``alternate`` one, when it
    is an http(s) URL. feedparser copies a guid or Atom id into ``link`` when
    the entry has none (``urn:uuid:...``, ``tag:...``, a bare ``abc-123``):
    an id, not an address (it stays the article id)."""
    from urllib.parse import urlsplit

    links = [entry.get("link")]
    links += [k.get("href") for k in entry.get("links") or [] if k.get("rel") == "alternate"]
    for link in links:
        if isinstance(link, str):
            parts = urlsplit(link.strip())
            if parts.scheme.lower() in ("http", "https") and parts.netloc:
                return link.strip()
    return None


def parse_feed(data: bytes, name: str) -> tuple[list[Article], list[str]]:
    """Articles of the feed document ``data`` (``name``: its file or URL, in
    messages and origins) and warnings for skipped entries; see
    :func:`read_feed`."""
    feedparser = require("feedparser", "RSS/Atom support (feedparser)", "pip install feedparser")
    warns: list[str] = []
    try:
        parsed = feedparser.parse(_fix_char_refs(data, name, warns))
    except (ValueError, OverflowError) as exc:  # UnicodeError too: a reference left unread
        raise InputError(
            f"{name}: not a readable RSS/Atom feed ({type(exc).__name__}: {exc})"
        ) from None
    entries = parsed.get("entries") or []
    if not entries:
        why = parsed.get("bozo_exception")
        detail = f" ({type(why).__name__}: {why})" if why else ""
        raise InputError(f"{name}: not a readable RSS/Atom feed or it has no entries{detail}")
    outlet = (parsed.get("feed") or {}).get("title") or None
    arts: list[Article] = []
    for i, entry in enumerate(entries):
        where = f"{name}#{i + 1}"
        text = _body(entry)
        title = html_to_text(entry.get("title") or "") or None
        if not readable(text):  # as an article's: nothing to read
            why = "has no text" if not text.strip() else "text holds no letters or digits"
            warns.append(f"skipped {where}: entry {why}")
            continue
        # without a guid or link, an id from the entry itself: its position
        # would move when the feed gains an item at the top
        art_id = entry.get("id") or entry.get("link") or f"{name}#{_entry_key(title, text)}"
        art = Article(
            id=str(art_id),
            text=text,
            title=title,
            outlet=outlet,
            url=_url(entry),
            date=_date(entry),
            origin=where,
        )
        try:  # as any article's: the loose parser keeps NULs (&#0;)
            check_unicode(art.text, where)
            check_no_nul(art.text, where)
            check_metadata(art, where)
        except InputError as exc:
            warns.append(f"skipped {exc}")
            continue
        arts.append(art)
    if not arts:
        raise InputError(f"{name}: no usable feed entry ({'; '.join(warns[:3])})")
    return arts, warns
