"""A story's report: which of its articles it reads, and how it is made.

Shared by ``newsweave story`` (:mod:`.service`) and the Dask job
(:mod:`.distributed`), so that a report the job computed is the one the
story view would compute (and can be served from the cache).

A report reads the story's most central articles: at most
``MAX_REPORT_ARTICLES``, and at most ``MAX_STORY_CHARS`` characters of text
in all (the limit :func:`newsweave.pipeline.summarize` puts on one story),
so a story of many long articles still gets its report in bounded time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..decode import MAX_STORY_CHARS
from ..records import Article, Report
from ..render import count

MAX_REPORT_ARTICLES = 30


def pick(
    centrality: np.ndarray | Sequence[float],
    lengths: Sequence[int],
    limit: int = MAX_REPORT_ARTICLES,
    max_chars: int = MAX_STORY_CHARS,
) -> list[int]:
    """Positions (ascending) of the articles a report reads: the most central
    first, at most ``limit`` of them, passing over any that would take the
    text past ``max_chars``. When even the most central one is longer than
    that, it is read alone."""
    order = np.argsort(-np.asarray(centrality, dtype=np.float64), kind="stable")
    keep: list[int] = []
    total = 0
    for i in order.tolist():
        if len(keep) >= limit:
            break
        if total + lengths[i] <= max_chars:
            keep.append(i)
            total += lengths[i]
    if not keep and len(order):
        keep = [int(order[0])]
    return sorted(keep)


def story_report(
    arts: list[Article],
    sid: int | str,
    length: str | None,
    embedder: str | None,
    analyze: bool,
    total: int,
    superseded: dict[str, str] | None = None,
) -> Report:
    """The report over ``arts`` (chosen with :func:`pick`) of story ``sid``,
    which holds ``total`` articles besides the older versions of edited
    ones, ``superseded`` (``{older id: newest id}``, :func:`.versions.latest`),
    which it names in a warning."""
    from ..pipeline import summarize

    room = max(MAX_STORY_CHARS, sum(len(a.text) for a in arts))  # pick chose them
    opts = {"embedder": embedder, "story_id": str(sid), "max_chars": room}
    try:
        report = summarize(arts, length, analyze=analyze, **opts)
    except ImportError:  # the analysis package is not importable (yet)
        report = summarize(arts, length, analyze=False, **opts)
    if total > len(arts):
        report.warnings.append(
            f"the story has {total} articles; the report reads the {len(arts)} most central"
        )
    if superseded:
        report.warnings.append(
            f"{count(len(superseded), 'earlier version')} of edited articles not read, "
            "superseded by the newer text: "
            + ", ".join(f"{old} by {new}" for old, new in superseded.items())
        )
    report.meta["story_articles"] = total
    return report
