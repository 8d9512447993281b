"""Read-only access to the story database (``newsweave serve --db FILE``).

A thin adapter over :mod:`newsweave.stories.service` (``open_db``,
``list_stories``, ``get_story``): calls run in worker threads (SQLite work is
blocking), each thread keeps its own connection, and whatever records the
service returns are turned into plain JSON-ready dicts. When the stories
module is not installed the server still runs; the story pages and API say
so with a clear error.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
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


class StoriesUnavailable(InputError):
    """The stories module is not installed or the database cannot be opened."""


class StoryStore:
    """The story database at ``path``, opened lazily, one connection per thread."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()

    def _service(self):
        try:
            from ..stories import service
        except ImportError as exc:
            raise StoriesUnavailable(
                "story pages need newsweave.stories, which is not installed"
            ) from exc
        return service

    def _db(self):
        db = getattr(self._local, "db", None)
        if db is None:
            service = self._service()
            try:
                db = service.open_db(self.path)
            except InputError:
                raise
            except Exception as exc:  # noqa: BLE001 - reported to the user, logged by the app
                raise StoriesUnavailable(
                    f"{self.path}: cannot open the story database ({exc})"
                ) from exc
            self._local.db = db
        return db

    def list_sync(self) -> list[dict[str, Any]]:
        service = self._service()
        rows = service.list_stories(self._db())
        out = []
        for row in rows:
            data = plain(row)
            out.append(data if isinstance(data, dict) else {"value": data})
        return out

    def get_sync(self, story_id: str) -> StoryView | None:
        service = self._service()
        try:
            found = service.get_story(self._db(), story_id)
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

    async def list(self) -> list[dict[str, Any]]:
        import anyio

        return await anyio.to_thread.run_sync(self.list_sync)

    async def get(self, story_id: str) -> StoryView | None:
        import anyio

        return await anyio.to_thread.run_sync(self.get_sync, story_id)
