"""Versions of one article: a publisher's edit of an article already stored.

A feed entry keeps its guid (or link) when the publisher edits it, and an
article file keeps its path; the edited text has another content hash, so
ingest stores it too, under ``<id>~<hash prefix>`` (nothing is lost). Both
versions join the story, but they are one outlet's one article: read as two
accounts they would double the outlet's weight, and a corrected figure
would show as a conflict of the outlet with itself. So a story's report
reads the newest version only (the one stored last) and lists the older
ones as superseded; all stay stored.

Two stored articles are versions of one another when their ids are equal
once the ``~<hash prefix>`` that ingest adds is removed, and they have the
same outlet and the same URL.
"""

from __future__ import annotations

import re

from ..records import Article

_RENAMED = re.compile(r"~[0-9a-f]{10}$")


def base_id(article_id: str) -> str:
    """``article_id`` without the ``~<hash prefix>`` ingest adds to a reused id."""
    return _RENAMED.sub("", article_id)


def _key(a: Article) -> tuple[str, str | None, str | None]:
    return base_id(a.id), a.outlet, a.url


def latest(articles: list[Article]) -> tuple[list[Article], dict[str, str]]:
    """The articles a report reads (the newest version of each, in the
    given order) and ``{older version id: newest version id}``. The newest
    is the one stored last (``meta["seq"]``, else the later in the list)."""
    newest: dict[tuple[str, str | None, str | None], tuple[int, Article]] = {}
    for pos, a in enumerate(articles):
        rank = int(a.meta.get("seq", pos))
        key = _key(a)
        if key not in newest or rank > newest[key][0]:
            newest[key] = (rank, a)
    keep = [a for a in articles if newest[_key(a)][1] is a]
    superseded = {a.id: newest[_key(a)][1].id for a in articles if newest[_key(a)][1] is not a}
    return keep, superseded


__all__ = ["base_id", "latest"]
