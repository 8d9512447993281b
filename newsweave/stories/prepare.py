"""Per-article work done before storing, in a worker process.

For one :class:`~.sources.Unit`: read the articles, parse their dates,
compute the content hash, the MinHash signature (over the cleaned lead of
the text) and the clustering vector. Everything here is a pure function of
the input, so it runs in a process pool while the main process writes the
previous batch to the database.
"""

from __future__ import annotations

import email.utils
import re
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np

from ..dateline import dateline_end
from ..records import Article
from . import dedup, represent
from .feeds import FeedState
from .sources import Read, Unit, read_unit

HEAD_CHARS = 8000  # cleaning and near-duplicate signatures look at this much text


@dataclass
class Prepared:
    """A unit's articles with everything the store needs."""

    unit: Unit
    articles: list[Article]
    clusters: list[str | None]
    hashes: list[str]
    ts: list[float | None]
    sigs: list[np.ndarray | None]
    vectors: np.ndarray
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # a unit that could not be read at all
    feed: FeedState | None = None  # a feed URL's validators (see Read.feed)
    changed: list[str] = field(default_factory=list)  # see Read.changed: left for a later run
    # see Read.failed: not done, nor by a later unit of the same dump (its last holds the mark)
    failed: list[str] = field(default_factory=list)


# "5", "-5", "1e400", "2014": not a day, whatever dateparser makes of them
_NUMBER = re.compile(r"[+-]?\d*(?:\.\d+)?(?:[eE][+-]?\d+)?")
# "NaN" (pandas), "#N/A" (spreadsheets), "n.d." (no date): a missing date that
# dateparser reads as a month or as today. Compared without case, '#', '.', '/', spaces
_PLACEHOLDERS = {"nan", "nat", "na", "nd", "none", "null", "nil", "unknown", "undated", "tbd"}
EARLIEST_YEAR = 1800  # an older date is a mistake, not news
FUTURE_DAYS = 366  # a later date (from now) is a mistake too


# a day long before any news: a date string read against it as a day before
# EARLIEST_YEAR is relative ("tomorrow", "May 12"), or an old date refused anyway
_SENTINEL = datetime(1000, 6, 15, 12)
# a date the article prints at its top ("NEW YORK, May 18, 2014 (UPI) --", "2014-05-18")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_OWN_DATE = re.compile(
    rf"\b(?:{_MONTH} \d{{1,2}},? (?:1[89]|20)\d\d|\d{{1,2}} {_MONTH},? (?:1[89]|20)\d\d"
    r"|(?:1[89]|20)\d\d-[01]\d-[0-3]\d)\b"
)
OWN_DATE_CHARS = 200  # where an article prints its own date


def own_date(text: str) -> float | None:
    """POSIX seconds of the date an article prints near its top (a dated
    wire dateline, an ISO date), with a year; None when it prints none."""
    m = _OWN_DATE.search(text[:OWN_DATE_CHARS])
    return parse_ts(m.group(0)) if m else None


def _dateparser(text: str, anchor: float | None) -> datetime | None:
    """``dateparser``'s reading of ``text``; a relative one ("tomorrow",
    "last week", "May 12" without a year) is resolved against ``anchor``
    (POSIX seconds), never against the clock: None without an anchor."""
    import dateparser

    settings = {"PREFER_DAY_OF_MONTH": "first"}
    dt = dateparser.parse(text, settings={**settings, "RELATIVE_BASE": _SENTINEL})
    if dt is None or dt.year >= EARLIEST_YEAR:
        return dt
    if anchor is None:
        return None
    base = datetime.fromtimestamp(anchor, UTC).replace(tzinfo=None)
    return dateparser.parse(text, settings={**settings, "RELATIVE_BASE": base})


def parse_ts(value: str | None, anchor: float | None = None) -> float | None:
    """POSIX seconds of a date string (ISO 8601, RFC 822, or anything
    ``dateparser`` understands); naive dates are taken as UTC; None if
    unknown, or implausible for a news article (before 1800, more than a
    year from now, a bare number, or a placeholder such as "NaN" or "N/A").
    A relative date ("tomorrow", "last week") is resolved against ``anchor``
    (the article's own date, POSIX seconds), and is None without one: the
    ingest clock says nothing about when the article was written."""
    if not value:
        return None
    text = value.strip()
    if _NUMBER.fullmatch(text) and not re.fullmatch(r"\d{8}", text):  # 20140521 is a date
        return None
    if re.sub(r"[#./\s]", "", text).lower() in _PLACEHOLDERS:
        return None
    dt: datetime | None = None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            dt = None
    if dt is None:
        try:
            dt = _dateparser(text, anchor)
        except Exception:  # noqa: BLE001 - an unparseable date is just unknown
            dt = None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    ts = dt.timestamp()
    if dt.year < EARLIEST_YEAR or ts > time.time() + FUTURE_DAYS * 86400:
        return None
    return ts


TITLE_CHARS = 100


def story_title(title: str | None, text: str) -> str:
    """A story's title from its head article: the article's title, else the
    first line of its text without a wire dateline, cut at a word within
    ``TITLE_CHARS`` characters (with "…")."""
    if title and title.strip():
        return title.strip()
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    first = first[dateline_end(first) :]
    if len(first) <= TITLE_CHARS:
        return first
    return first[: TITLE_CHARS - 3].rsplit(" ", 1)[0] + "…"


def _lead_article(article: Article) -> Article:
    """A copy limited to the first ``HEAD_CHARS`` characters (for speed)."""
    return Article(id=article.id, text=article.text[:HEAD_CHARS], title=article.title)


def prepare_read(unit: Unit, read: Read, embedder: str) -> Prepared:
    """Hashes, dates, signatures and vectors of already-read articles. Files
    the read could not use, or that changed while read, are left out of the
    unit's ``done`` marks."""
    if read.failed or read.changed:
        left = {*read.failed, *read.changed}
        unit = replace(unit, done=[m for m in unit.done if m.path not in left])
    arts = read.articles
    warns = list(read.warnings)
    hashes = [dedup.content_hash(a.text) for a in arts]
    ts: list[float | None] = []
    for a in arts:
        t = parse_ts(a.date, own_date(a.text)) if a.date else None
        if a.date and t is None:
            warns.append(
                f"{a.origin or a.id}: date {a.date!r} not understood (or implausible for a "
                "news article, or relative with no date of the article's own to count "
                "from); treated as undated"
            )
        ts.append(t)
    heads = [_lead_article(a) for a in arts]
    bodies = [represent.content_text(h) for h in heads]
    sigs = [dedup.signature(b) for b in bodies]
    vectors = represent.embed_articles(heads, embedder, bodies=bodies)
    return Prepared(
        unit,
        arts,
        read.clusters,
        hashes,
        ts,
        sigs,
        vectors,
        warns,
        feed=read.feed,
        changed=read.changed,
        failed=read.failed,
    )


def prepare_unit(unit: Unit, embedder: str) -> Prepared:
    """Read and prepare one unit (the worker's entry point)."""
    from ..errors import InputError

    try:
        read = read_unit(unit)
    except InputError as exc:
        empty = np.zeros((0, 1), dtype=np.float32)
        return Prepared(unit, [], [], [], [], [], empty, [], error=str(exc))
    return prepare_read(replace(unit, data=b""), read, embedder)  # no raw bytes sent back
