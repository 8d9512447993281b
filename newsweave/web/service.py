"""What the web layer does with articles: a thin, shared engine over the library.

One :class:`Engine` per app holds the settings, the URL fetcher and a small
in-memory store of recent reports. CPU-heavy work (the pipeline) runs in
worker threads through ``anyio.to_thread`` with a capacity limit, so the
event loop keeps answering (``/healthz``, static files) while it works. The
embedding model is loaded once per process by :mod:`newsweave.embed` and
shared by every request; :meth:`Engine.warm_up` loads it at start-up.
"""

from __future__ import annotations

import logging
import re
import secrets
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from ..decode import MAX_STORY_CHARS
from ..errors import InputError, NewsweaveError
from ..records import Article, Report
from .fetch import FetchError, SafeFetcher

log = logging.getLogger("newsweave.web")
T = TypeVar("T")


@dataclass
class Settings:
    """Limits and switches of one web app (see ``docs/web.md``)."""

    db: str | None = None
    allow_urls: bool = True
    token: str | None = None
    embedder: Any = None  # backend name, or an Embedder object to share
    cors_origins: tuple[str, ...] = ()
    max_body: int = 5 * 2**20  # bytes of any request body
    max_articles: int = 50
    max_article_chars: int = 200_000
    # all articles of one request together; the library's story limit by default
    max_total_chars: int = MAX_STORY_CHARS
    max_urls: int = 10
    max_upload_files: int = 20
    fetch_timeout: float = 10.0
    fetch_max_bytes: int = 2 * 2**20
    workers: int = 2  # syntheses running at once; more wait their turn
    max_queue: int = 16  # syntheses running or waiting; beyond it: 503 busy
    allowed_hosts: tuple[str, ...] = ()  # Host header values accepted; () = any
    keep_reports: int = 100  # reports kept in memory for the HTML pages
    check_language: bool = True
    warm: bool = True  # load the embedding model at start-up


class Busy(NewsweaveError):
    """Too many syntheses running or waiting; the client should retry later."""


class ReportStore:
    """The last ``size`` reports, by random id (thread-safe LRU)."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._items: OrderedDict[str, Report] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, report: Report) -> str:
        key = secrets.token_urlsafe(9)
        with self._lock:
            self._items[key] = report
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Report | None:
        with self._lock:
            report = self._items.get(key)
            if report is not None:
                self._items.move_to_end(key)
            return report


def analysis_available() -> bool:
    """True when :func:`newsweave.analysis.analyze` can be imported."""
    try:
        from ..analysis import analyze  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class Engine:
    """Turns web input into :class:`Report` objects with the library."""

    settings: Settings
    fetcher: SafeFetcher | None = None
    reports: ReportStore = field(init=False)
    _limiter: Any = field(default=None, init=False, repr=False)
    _pending: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.reports = ReportStore(self.settings.keep_reports)
        if self.fetcher is None:
            self.fetcher = SafeFetcher(
                max_bytes=self.settings.fetch_max_bytes, timeout=self.settings.fetch_timeout
            )

    @property
    def limiter(self):
        import anyio

        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(max(1, self.settings.workers))
        return self._limiter

    # -- models -------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the embedding model (and the analysis' spaCy model, when the
        analysis is installed) now, so that every request shares them."""
        from ..embed import get_embedder

        if self.settings.embedder is None or isinstance(self.settings.embedder, str):
            get_embedder(self.settings.embedder)
        if analysis_available():
            from ..analysis.nlp import get_nlp

            get_nlp()

    # -- input --------------------------------------------------------------
    def check_count(self, n: int) -> None:
        if n == 0:
            raise InputError("no articles given: paste, upload or link at least one article")
        if n > self.settings.max_articles:
            raise InputError(
                f"{n} articles given; the limit is {self.settings.max_articles} per request"
            )

    def articles_from_items(
        self, items: list[dict[str, Any]], numbers: list[int] | None = None
    ) -> list[Article]:
        """Articles from ``{"text", "title"?, "outlet"?, "url"?, "date"?, "id"?}``
        dicts; ``numbers`` are their places in what the user sent (a form's
        boxes, the API's list), when some were left out or given otherwise:
        messages name them and default ids (``a<number>``) count them, so an
        article's id does not depend on how the others were given."""
        from ..ingest import articles_from_texts

        self.check_count(len(items))
        numbers = numbers or list(range(1, len(items) + 1))
        names = [f"article {n}" for n in numbers]
        for name, item in zip(names, items, strict=True):
            text = item.get("text") or ""
            if len(text) > self.settings.max_article_chars:
                raise InputError(
                    f"{name}: {len(text)} characters, over the "
                    f"{self.settings.max_article_chars} character limit"
                )
        clean = [
            {"id": f"a{n}", **{k: v for k, v in item.items() if v not in (None, "")}}
            for n, item in zip(numbers, items, strict=True)
        ]
        return articles_from_texts(clean, check_language=self.settings.check_language, names=names)

    def articles_from_files(
        self, files: list[tuple[str, bytes]], warnings: list[str] | None = None
    ) -> list[Article]:
        """Articles from uploaded files (text, HTML, JSON, JSONL with one story).

        The files are read by :func:`newsweave.ingest.load_inputs` exactly as
        the CLI reads them (from a private temporary directory); messages,
        ``warnings`` (appended to, e.g. skipped documents) and article origins
        name the files as uploaded, never the temporary paths.
        """
        from ..ingest import load_inputs

        if len(files) > self.settings.max_upload_files:
            raise InputError(
                f"{len(files)} files uploaded; the limit is {self.settings.max_upload_files}"
            )
        with tempfile.TemporaryDirectory(prefix="newsweave-upload-") as tmp:
            paths, names, used = [], {}, set()
            for i, (name, data) in enumerate(files, 1):
                safe = _safe_name(name, i)
                if safe.lower() in used:  # keep names (meta.json side-cars match them)
                    safe = f"{i:02d}-{safe}"
                used.add(safe.lower())
                path = Path(tmp) / safe
                path.write_bytes(data)
                paths.append(str(path))
                names[str(path)] = name or safe
            try:
                clusters = load_inputs(paths, check_language=self.settings.check_language)
            except InputError as exc:
                raise InputError(_as_uploaded(str(exc), names, tmp)) from None
        if len(clusters) != 1:
            raise InputError(
                f"the uploaded files hold {len(clusters)} stories; the web page "
                "summarises one story at a time (use the CLI for batches)"
            )
        if warnings is not None:
            warnings.extend(_as_uploaded(w, names, tmp) for w in clusters[0].warnings)
        articles = clusters[0].articles
        for a in articles:
            if a.origin:
                a.origin = _as_uploaded(a.origin, names, tmp)
        return articles

    async def read_files(
        self, files: list[tuple[str, bytes]], warnings: list[str] | None = None
    ) -> list[Article]:
        """:meth:`articles_from_files` in a worker thread: extracting the text
        of a few megabytes of HTML takes seconds, and the event loop must keep
        answering meanwhile."""
        return await self._in_worker(partial(self.articles_from_files, files, warnings))

    async def articles_from_urls(
        self, urls: list[str], warnings: list[str] | None = None
    ) -> list[Article]:
        """Fetch each URL safely and read it like an uploaded file;
        ``warnings`` from reading a page (appended to) name its URL."""
        if not self.settings.allow_urls:
            raise InputError("fetching URLs is switched off on this server; paste the text")
        if len(urls) > self.settings.max_urls:
            raise InputError(f"{len(urls)} URLs given; the limit is {self.settings.max_urls}")
        out: list[Article] = []
        for url in urls:
            page = await self.fetcher.fetch(url)
            body = page.body
            if page.charset and page.charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
                try:
                    body = body.decode(page.charset).encode("utf-8")
                except (LookupError, UnicodeDecodeError):
                    pass  # let the reader's own decoding fallbacks handle it
            ext = "html" if "html" in page.content_type else "txt"
            stem = _safe_name(re.sub(r"^https?://", "", page.url), len(out) + 1)[:60]
            name, notes = f"{stem}.{ext}", []
            try:
                (art,) = await self.read_files([(name, body)], notes)
            except ValueError:
                raise FetchError(url, "the page does not hold one article", "no_article") from None
            except InputError as exc:
                raise FetchError(url, str(exc).split(": ", 1)[-1], "no_article") from None
            art.url = art.url or page.url
            art.origin = page.url
            if warnings is not None:
                warnings.extend(w.replace(name, page.url) for w in notes)
            out.append(art)
        return out

    # -- synthesis ----------------------------------------------------------
    def _summarize(self, articles: list[Article], length: str | None, analyze: bool) -> Report:
        from ..pipeline import summarize

        want = analyze and analysis_available()
        report = summarize(
            articles,
            length=length,
            embedder=self.settings.embedder,
            analyze=want,
            max_chars=self.settings.max_total_chars,  # checked in synthesize()
        )
        if analyze and not want:
            report.warnings.append("the cross-source analysis is not available on this server")
        return report

    async def synthesize(
        self,
        articles: list[Article],
        *,
        length: str | None = None,
        analyze: bool = False,
        warnings: list[str] | None = None,
    ) -> Report:
        """Run the pipeline on ``articles`` in a worker thread; ``warnings``
        from reading the input come first in the report's warnings."""
        self.check_count(len(articles))
        total = sum(len(a.text) for a in articles)
        if total > self.settings.max_total_chars:
            raise InputError(
                f"the articles hold {total} characters together; the limit is "
                f"{self.settings.max_total_chars} per request"
            )
        ids: set[str] = set()
        for a in articles:  # ids from different inputs (paste, files, URLs) must not clash
            base, n = a.id, 1
            while a.id in ids:
                n += 1
                a.id = f"{base}-{n}"
            ids.add(a.id)
        report = await self._in_worker(partial(self._summarize, articles, length, analyze))
        report.warnings[:0] = warnings or []
        return report

    async def _in_worker(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in a worker thread under the ``workers`` limit; raise
        :class:`Busy` when ``max_queue`` jobs are already running or waiting."""
        import anyio

        if self._pending >= self.settings.max_queue:
            raise Busy(
                f"the server is busy ({self._pending} summaries running or waiting); "
                "try again in a moment"
            )
        self._pending += 1  # the event loop is single-threaded: no lock needed
        try:
            return await anyio.to_thread.run_sync(fn, limiter=self.limiter)
        finally:
            self._pending -= 1


def _as_uploaded(text: str, names: dict[str, str], tmp: str) -> str:
    """``text`` (a message or an origin) with each temporary upload path
    replaced by the file name the user uploaded."""
    for path in sorted(names, key=len, reverse=True):
        text = text.replace(path, names[path])
    return text.replace(str(Path(tmp)) + "/", "")


def _safe_name(name: str | None, index: int) -> str:
    """A file name safe to create: no directories, only letters (of any
    script), digits and ``._-``; at most 80 characters and 200 UTF-8 bytes,
    keeping the extension (it tells the reader the format)."""
    base = Path(str(name or "")).name
    base = re.sub(r"[^\w.-]+", "_", base).strip("._") or f"upload{index}"
    suffix = Path(base).suffix if len(Path(base).suffix) <= 10 else ""
    stem = base[: len(base) - len(suffix)]
    while stem and (len(stem + suffix) > 80 or len((stem + suffix).encode()) > 200):
        stem = stem[:-1]
    return stem + suffix if stem else f"upload{index}{suffix}"
