"""A story's report: which of its articles it reads, and how it is made.

Shared by ``newsweave story`` (:mod:`.service`) and the Dask job
(:mod:`.distributed`), so that a report the job computed is the one the
story view would compute (and can be served from the cache).

A report reads the story's most central articles: at most
``MAX_REPORT_ARTICLES``, and at most ``MAX_STORY_CHARS`` characters of text
in all (the limit :func:`newsweave.pipeline.summarize` puts on one story),
so a story of many long articles still gets its report in bounded time. An
article longer than that on its own (a dump stored as one article) is read
up to the limit only (:func:`within_limit`), and the report says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

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


def within_limit(arts: list[Article], max_chars: int | None = None) -> list[Article]:
    """``arts`` as a report reads them: an article longer than ``max_chars``
    (which :func:`pick` reads alone) becomes a copy holding its text up to the
    last line break (else space) before the limit, its full length in
    ``meta["cut_from"]``; offsets into the copy are offsets into the article."""
    max_chars = MAX_STORY_CHARS if max_chars is None else max_chars
    out = []
    for a in arts:
        if len(a.text) <= max_chars:
            out.append(a)
            continue
        head = a.text[:max_chars]
        end = next((i + 1 for i in (head.rfind("\n"), head.rfind(" ")) if i >= max_chars // 2), 0)
        out.append(
            replace(a, text=head[: end or max_chars], meta={**a.meta, "cut_from": len(a.text)})
        )
    return out


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

    arts = within_limit(arts)
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
    for a in arts:
        if "cut_from" in a.meta:
            report.warnings.append(
                f"article {a.id} holds {a.meta['cut_from']:,} characters, over the "
                f"{MAX_STORY_CHARS:,} a report reads; the report reads its first {len(a.text):,}"
            )
    if superseded:
        report.warnings.append(
            f"{count(len(superseded), 'earlier version')} of edited articles not read, "
            "superseded by the newer text: "
            + ", ".join(f"{old} by {new}" for old, new in superseded.items())
        )
    report.meta["story_articles"] = total
    return report
