"""Read-only access to the story database (``newsweave serve --db FILE``).

A thin adapter over :mod:`newsweave.stories.service` (``open_db``,
``list_stories``, ``get_story``): calls run in worker threads (SQLite work is
blocking), each call opens and closes the database, and whatever records the
service returns are turned into plain JSON-ready dicts. When the stories
module is not installed the server still runs; the story pages and API say
so with a clear error.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import NewsweaveError
from ..records import Report


def plain(obj: Any) -> Any:
    """``obj`` as JSON-ready data (``to_dict()``, dataclasses, mappings...)."""
    if isinstance(obj, Report):
        return obj.to_dict()
    if hasattr(obj, "to_dict") and callable(obj.to_dict):
        obj = obj.to_dict()
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        obj = {f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [plain(v) for v in obj]
    return json.loads(json.dumps(obj, default=str))


def _find_report(obj: Any) -> Report | None:
    if isinstance(obj, Report):
        return obj
    for key in ("report", "summary_report"):
        value = obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)
        if isinstance(value, Report):
            return value
    return None


@dataclass
class StoryView:
    """One story: its plain data and, when the service gives one, its Report."""

    data: dict[str, Any]
    report: Report | None = None

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.data)
        if self.report is not None:
            out["report"] = self.report.to_dict()
        return out


PAGE = 100  # stories per page (and the API's default limit)
MAX_PAGE = 1000  # the API's largest limit
MAX_OFFSET = 2**63 - 1  # SQLite's largest integer


class StoriesUnavailable(NewsweaveError):
    """The stories module is not installed or the database cannot be opened
    (a server configuration problem: answered with 503)."""


class StoryStore:
    """The story database at ``path``; each call opens it, uses it, closes it.

    SQLite connections belong to the thread that opened them and worker
    threads come and go, so a connection is never kept between calls
    (opening a SQLite file takes well under a millisecond).
    """

    def __init__(self, path: str, *, embedder: Any = None, limiter: Any = None) -> None:
        self.path = path
        # a backend name is passed on to get_story (an Embedder object is not)
        self.embedder = embedder if isinstance(embedder, str) else None
        self.limiter = limiter  # a story report is computed on first view: CPU work

    def _service(self):
        try:
            from ..stories import service
        except ImportError as exc:
            raise StoriesUnavailable(
                "story pages need newsweave.stories, which is not installed"
            ) from exc
        return service

    @contextmanager
    def _db(self) -> Iterator[Any]:
        service = self._service()
        try:  # never create one: the pages only read, and a missing file is a setup problem
            db = service.open_db(self.path, create=False)
        except NewsweaveError as exc:  # missing, damaged, read-only and old: the server's file
            raise StoriesUnavailable(str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - reported to the user, logged by the app
            raise StoriesUnavailable(
                f"{self.path}: cannot open the story database ({type(exc).__name__})"
            ) from exc
        try:
            yield db
        finally:
            close = getattr(db, "close", None)
            if callable(close):
                close()

    def list_sync(
        self, query: str | None = None, limit: int = PAGE, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of stories (largest first) and how many match in all."""
        service = self._service()
        with self._db() as db:
            rows = service.list_stories(db, limit=limit, offset=offset, query=query)
            total = service.count_stories(db, query=query)
        out = []
        for row in rows:
            data = plain(row)
            out.append(data if isinstance(data, dict) else {"value": data})
        return out, int(total)

    def get_sync(self, story_id: str) -> StoryView | None:
        service = self._service()
        with self._db() as db:
            options = {"embedder": self.embedder} if self.embedder else {}
            try:
                found = service.get_story(db, story_id, **options)
            except (KeyError, LookupError):
                return None
        if found is None:
            return None
        report = _find_report(found)
        data = plain(found)
        if not isinstance(data, dict):
            data = {"value": data}
        data.pop("report", None)
        return StoryView(data, report)

    async def list(
        self, query: str | None = None, limit: int = PAGE, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        import anyio

        return await anyio.to_thread.run_sync(self.list_sync, query, limit, offset)

    async def get(self, story_id: str) -> StoryView | None:
        import anyio

        limiter = self.limiter() if callable(self.limiter) else self.limiter
        return await anyio.to_thread.run_sync(self.get_sync, story_id, limiter=limiter)
