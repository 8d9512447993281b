"""The batch path (read → embed → cluster → summarize) on Dask.

For millions of articles a day the single-process store is not the tool;
this module runs the same steps as parallel Dask tasks (``dask.bag``), on
the local machine (``scheduler="processes"``/``"threads"``/``"synchronous"``)
or on a cluster (pass a ``distributed.Client``'s scheduler). See
docs/stories.md, "Beyond one machine", for the design.

1. **Read + prepare** (map, one task per work unit): the same
   :func:`newsweave.stories.prepare.prepare_unit` as ``newsweave ingest``
   (read, content hash, MinHash, vector).
2. **Exact dedup** (shuffle by content hash): one record per hash.
3. **Cluster per time bucket** (map): records are keyed by the week of
   their date (undated ones by a hash of their id, into a few buckets) and
   each bucket is clustered independently with
   :func:`newsweave.stories.cluster.batch_cluster`.
4. **Stitch** (driver, small): clusters from different buckets whose
   centroids are close and whose spans fall within the window are merged,
   so a story crossing a bucket boundary stays one story. Only centroids
   travel to the driver, never article vectors.
5. **Summarize** (map, one task per story): :func:`newsweave.pipeline.summarize`.

Needs ``dask`` (``pip install "newsweave[dask]"``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..disjoint import DisjointSet
from ..errors import require
from .cluster import DAY, ClusterParams, batch_cluster, new_index
from .prepare import prepare_unit
from .sources import FileMark, check_paths, plan

UNDATED_BUCKETS = 4


@dataclass
class Record:
    """One article as it travels between tasks."""

    id: str
    content_hash: str
    ts: float | None
    vector: np.ndarray
    doc: dict[str, Any]  # Article fields for the summary


@dataclass
class BatchStory:
    """One story found by the batch path."""

    id: int
    articles: list[str]
    first_ts: float | None
    last_ts: float | None
    report: dict[str, Any] | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def _records(unit, embedder: str) -> list[Record]:
    prep = prepare_unit(unit, embedder)
    out = []
    for i, a in enumerate(prep.articles):
        doc = {
            "id": a.id,
            "text": a.text,
            "title": a.title,
            "outlet": a.outlet,
            "url": a.url,
            "date": a.date,
        }
        out.append(Record(a.id, prep.hashes[i], prep.ts[i], prep.vectors[i], doc))
    return out


def _bucket(rec: Record, days: float) -> str:
    if rec.ts is None:
        return f"u{zlib.crc32(rec.id.encode()) % UNDATED_BUCKETS}"
    return f"t{int(rec.ts // (days * DAY))}"


def _cluster_bucket(item: tuple[str, list[Record]], params: ClusterParams) -> list[dict]:
    """Cluster one bucket; return its clusters with centroid sums and spans."""
    key, recs = item
    vectors = np.stack([r.vector for r in recs]).astype(np.float32)
    labels = batch_cluster(vectors, [r.ts for r in recs], params)
    out = []
    for lab in np.unique(labels):
        idx = np.flatnonzero(labels == lab)
        times = [recs[i].ts for i in idx if recs[i].ts is not None]
        out.append(
            {
                "bucket": key,
                "members": [recs[i].id for i in idx],
                "sum": vectors[idx].sum(axis=0),
                "first": min(times, default=None),
                "last": max(times, default=None),
            }
        )
    return out


def stitch(clusters: list[dict], params: ClusterParams, threshold: float = 0.5) -> list[list[int]]:
    """Groups of cluster indexes to merge: centroids with cosine >= ``threshold``,
    from different buckets, with time spans within the window."""
    m = len(clusters)
    if m == 0:
        return []
    sums = np.stack([c["sum"] for c in clusters]).astype(np.float32)
    cents = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    index = new_index(cents.shape[1])
    index.add(cents)
    sims, nbrs = index.search(cents, min(8, m))
    sets_of = DisjointSet(m)

    w = params.window
    for a in range(m):
        for b, s in zip(nbrs[a], sims[a], strict=True):
            b = int(b)
            if b < 0 or b == a or s < threshold or clusters[a]["bucket"] == clusters[b]["bucket"]:
                continue
            fa, la, fb, lb = (
                clusters[a]["first"],
                clusters[a]["last"],
                clusters[b]["first"],
                clusters[b]["last"],
            )
            if None not in (fa, fb) and (fb > la + w or fa > lb + w):
                continue
            sets_of.union(a, b)
    return sets_of.groups()


def _summarize(
    item: tuple[int, list[dict]], length: str | None, embedder: str | None
) -> tuple[int, dict]:
    from ..pipeline import summarize

    sid, docs = item
    report = summarize(docs[:30], length, embedder=embedder, story_id=str(sid))
    return sid, report.to_dict()


def run_batch(
    paths: Iterable[str],
    *,
    embedder: str = "tfidf",
    params: ClusterParams | None = None,
    bucket_days: float = 7.0,
    summarize: bool = True,
    summary_embedder: str | None = None,
    min_size: int = 2,
    scheduler: str | Any = "processes",
) -> list[BatchStory]:
    """Read, dedup, cluster and (optionally) summarize ``paths`` with Dask.

    Stories of at least ``min_size`` articles are summarised. ``scheduler``
    is any Dask scheduler (``"processes"``, ``"threads"``, ``"synchronous"``
    or a ``distributed.Client``'s ``get``).
    """
    bag_mod = require("dask.bag", "the Dask batch path (dask)", 'pip install "newsweave[dask]"')
    import dask

    params = params or ClusterParams()
    paths = list(paths)
    check_paths(paths)
    units = [u for u in plan(paths, {}) if not isinstance(u, FileMark)]
    with dask.config.set(scheduler=scheduler):
        recs = (
            bag_mod.from_sequence(units, npartitions=max(1, len(units)))
            .map(_records, embedder)
            .flatten()
        )
        unique = recs.foldby(
            lambda r: r.content_hash, lambda acc, r: acc or r, None, lambda a, b: a or b
        ).persist()  # read and embedded once, used by the clustering and the summaries
        buckets = unique.map(lambda kv: kv[1]).groupby(lambda r: _bucket(r, bucket_days))
        clusters = buckets.map(_cluster_bucket, params).flatten().compute()
        groups = stitch(clusters, params)
        stories: list[BatchStory] = []
        for sid, group in enumerate(
            sorted(groups, key=lambda g: -sum(len(clusters[i]["members"]) for i in g)), 1
        ):
            members = [m for i in group for m in clusters[i]["members"]]
            firsts = [clusters[i]["first"] for i in group if clusters[i]["first"] is not None]
            lasts = [clusters[i]["last"] for i in group if clusters[i]["last"] is not None]
            stories.append(
                BatchStory(sid, members, min(firsts, default=None), max(lasts, default=None))
            )
        if summarize:
            wanted = {a: s.id for s in stories if len(s.articles) >= min_size for a in s.articles}
            docs = (
                unique.map(lambda kv: kv[1])
                .filter(lambda r: r.id in wanted)
                .map(lambda r: (wanted[r.id], r.doc))
                .groupby(lambda x: x[0])
                .map(lambda kv: (kv[0], [d for _, d in kv[1]]))
            )
            reports = dict(docs.map(_summarize, None, summary_embedder).compute())
            for s in stories:
                s.report = reports.get(s.id)
    return stories
