"""Stories at scale: a SQLite store of articles grouped into stories.

``newsweave ingest`` reads files, folders, JSONL dumps and RSS/Atom feeds
into a SQLite database (:mod:`.db`), stores each article once (content hash),
marks wire copies (:mod:`.dedup`), embeds each article once (:mod:`.represent`)
and assigns it to a story online (:mod:`.cluster`). ``newsweave stories`` and
``newsweave story ID`` browse them; the plain functions behind the commands
live in :mod:`.service` (``open_db``, ``ingest``, ``list_stories``,
``get_story``, ``recluster``).
"""

from __future__ import annotations

__all__ = ["service"]
