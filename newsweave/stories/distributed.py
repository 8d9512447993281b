"""The batch path (read → dedup → cluster → summarize) on Dask.

For millions of articles a day the single-process store is not the tool;
this module runs the same steps as parallel Dask tasks (``dask.bag``), on
the local machine (``scheduler="threads"`` (default), ``"processes"``,
``"synchronous"``) or on a ``distributed`` cluster (a ``distributed.Client``, a
scheduler address ``"tcp://HOST:8786"``, or ``"local:N"`` for a local cluster of N
worker processes). See docs/stories.md, "Beyond one machine", for the design.

1. **Read + prepare** (map, one task per work unit): the same
   :func:`newsweave.stories.prepare.prepare_unit` as ``newsweave ingest``
   (read, content hash, MinHash signature, vector). Vectors are rounded to
   the precision the store keeps (float16), so the job clusters exactly the
   numbers ``newsweave recluster`` would read back. For ``bucket-idf`` the
   document frequencies are summed over the partitions into one table.
2. **Exact dedup** (shuffle by content hash) and **id renames** (shuffle of
   ``(id, order, hash)`` by id): :mod:`.distributed_dedup`.
3. **Wire copies** (shuffle by LSH band key, then union-find on the driver
   over the few links): :mod:`.distributed_dedup`.
4. **Cluster per time bucket** (shuffle by bucket, map): records are keyed
   by the week of their date (undated ones: one bucket by default; a group
   of copies by its representative) and each bucket is
   clustered with :func:`newsweave.stories.batch.batch_cluster`, copies
   fixed to the story of the article they copy.
5. **Stitch** (driver, small): clusters from different buckets whose
   centroids are close (cosine >= ``STITCH``) and whose spans fall within
   the window are merged, most similar first,
   so a story crossing a bucket boundary stays one story. Only centroids
   travel to the driver, never article vectors.
6. **Per story** (shuffle by story, map): title, similarities and, for
   stories of ``min_size`` or more, the report over the 30 most central
   articles (:func:`newsweave.pipeline.summarize`), chosen as
   ``newsweave story`` chooses them.

:func:`run_job` returns a :class:`BatchJob`;
:func:`newsweave.stories.distributed_store.write_job` writes it into a story
database (``newsweave stories`` / ``newsweave story ID`` then browse it).
Needs ``dask`` (``pip install "newsweave[dask]"``).
"""

from __future__ import annotations

import os
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ..decode import MAX_BYTES
from ..disjoint import DisjointSet
from ..errors import InputError, require
from ..records import Article
from . import dedup, represent, versions
from .batch import batch_cluster
from .cluster import DAY, ClusterParams, new_index
from .dask_scheduler import use_scheduler
from .distributed_dedup import (
    SHUFFLE,
    Link,
    Order,
    accounts,
    bucket_fixed,
    exact_dedup,
    id_renames,
    near_duplicate_links,
    rename,
    representatives,
)
from .ingest import default_params
from .prepare import prepare_unit, story_title
from .reports import pick, story_report
from .sources import FileMark, Repeated, Unit, check_paths, plan

if TYPE_CHECKING:
    from .db import Store

UNDATED_BUCKETS = 1  # undated articles: one bucket (see docs/stories.md)
# centroid cosine at which clusters of different buckets are stitched (measured
# on scripts/bench_distributed.py: 0.5 / 0.4 / 0.3 → B³ F1 of the dated articles
# 0.929 / 0.950 / 0.962 with tfidf; the single-machine batch pass: 0.965)
STITCH = 0.3


@dataclass
class Record:
    """One article as it travels between tasks."""

    id: str
    order: Order  # (unit index, position): the order ingest would store it in
    content_hash: str
    ts: float | None
    sig: np.ndarray | None  # MinHash signature (None: fewer than 5 words)
    vector: np.ndarray  # clustering vector, at stored (float16) precision
    article: Article
    cluster: str | None = None  # the dump's cluster id (``source_cluster``)
    copies: int = 1  # records with this content hash in the input


@dataclass
class BatchStory:
    """One story found by the batch path."""

    id: int
    articles: list[str]  # member ids, in input order
    first_ts: float | None
    last_ts: float | None
    title: str | None = None
    similarity: dict[str, float] = field(default_factory=dict)  # cosine to the centroid
    duplicates: dict[str, str] = field(default_factory=dict)  # wire copy → article it copies
    accounts: int = 0  # independent accounts: a group of wire copies counts once
    report: dict[str, Any] | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class BatchJob:
    """Everything one batch run computed (see :func:`run_job`)."""

    stories: list[BatchStory]
    records: Any  # persisted dask bag of Record: one per article to store
    links: dict[str, Link]  # wire copy id → its link to the earliest article it copies
    embedder: str
    params: ClusterParams
    dim: int
    marks: list[FileMark]  # input files read completely
    read: int  # articles read
    exact_duplicates: int  # records dropped as copies of an earlier identical text
    renamed: int
    warnings: list[str]
    scheduler: Any
    seconds: float = 0.0
    # options the stories' reports were made with (``length``, ``analyze``, ``embedder``)
    report_options: dict[str, Any] = field(default_factory=dict)
    stitch: float = STITCH  # centroid cosine that joins clusters across buckets (and days)

    @property
    def duplicates(self) -> dict[str, str]:
        """Wire copy id → id of the earliest article it copies."""
        return {s: lk.target for s, lk in self.links.items()}

    @property
    def articles(self) -> int:
        return sum(len(s.articles) for s in self.stories)


def _prepare(item: tuple[int, Unit], embedder: str) -> dict[str, Any]:
    idx, unit = item
    prep = prepare_unit(unit, embedder)
    vectors = represent.as_stored(prep.vectors)  # what the store will read back
    recs = [
        Record(a.id, (idx, i), prep.hashes[i], prep.ts[i], prep.sigs[i], vectors[i], a, c)
        for i, (a, c) in enumerate(zip(prep.articles, prep.clusters, strict=True))
    ]
    warns = list(prep.warnings) + ([f"skipped {prep.error}"] if prep.error else [])
    warns += [
        f"skipped {p}: it changed while it was read; the next run reads it" for p in prep.changed
    ]
    return {
        "unit": idx,
        "records": recs,
        "warnings": warns,
        "error": bool(prep.error),
        "done": prep.unit.done,  # files read completely (not those it had to skip)
        "failed": prep.failed,  # and a dump's chunk it could not use: the dump is not done
    }


def _bucket(
    rec: Record, reps: dict[str, tuple[str, float | None]], days: float, undated: int
) -> str:
    ident, ts = reps.get(rec.id, (rec.id, rec.ts))
    if ts is None:
        return f"u{zlib.crc32(ident.encode()) % max(1, undated)}"
    return f"t{int(ts // (days * DAY))}"


def _vectors(recs: list[Record], idf: represent.DocFreq | None) -> np.ndarray:
    """The clustering vectors of ``recs`` (weighted by ``idf`` for ``bucket-idf``)."""
    raw = np.stack([r.vector for r in recs]).astype(np.float32)
    return raw if idf is None else idf.weigh(raw)


def _doc_freq(recs: list[Record]) -> list[represent.DocFreq]:
    """Document frequencies of one partition's vectors (summed on the driver)."""
    return [represent.DocFreq.of(np.stack([r.vector for r in recs]))] if recs else []


def _cluster_bucket(
    item: tuple[str, list[Record]],
    params: ClusterParams,
    links: dict[str, Link],
    idf: represent.DocFreq | None,
) -> list[dict]:
    """Cluster one bucket; return its clusters with centroid sums and spans."""
    key, recs = item
    recs = sorted(recs, key=lambda r: r.order)
    vectors = _vectors(recs, idf)
    labels = batch_cluster(vectors, [r.ts for r in recs], params, bucket_fixed(recs, links))
    out = []
    for lab in np.unique(labels):
        idx = np.flatnonzero(labels == lab)
        times = [recs[i].ts for i in idx if recs[i].ts is not None]
        out.append(
            {
                "bucket": key,
                "members": [(recs[i].order, recs[i].id) for i in idx],
                "sum": vectors[idx].sum(axis=0),
                "first": min(times, default=None),
                "last": max(times, default=None),
            }
        )
    return out


def stitch(
    clusters: list[dict], params: ClusterParams, threshold: float = STITCH
) -> list[list[int]]:
    """Groups of cluster indexes to merge: centroids with cosine >= ``threshold``,
    from different buckets, whose time spans are within the window.

    Pairs are merged most similar first, and the span check applies to the
    groups formed so far, so no chain of merges can glue stories years apart
    (e.g. through an undated cluster similar to both)."""
    m = len(clusters)
    if m == 0:
        return []
    sums = np.stack([c["sum"] for c in clusters]).astype(np.float32)
    cents = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    index = new_index(cents.shape[1])
    index.add(cents)
    sims, nbrs = index.search(cents, min(8, m))
    pairs = sorted(
        {
            (-float(s), min(a, int(b)), max(a, int(b)))
            for a in range(m)
            for b, s in zip(nbrs[a], sims[a], strict=True)
            if b >= 0 and s >= threshold and clusters[a]["bucket"] != clusters[int(b)]["bucket"]
        }
    )
    sets_of = DisjointSet(m)
    span = {i: (c["first"], c["last"]) for i, c in enumerate(clusters)}  # per group root
    w = params.window
    for _, a, b in pairs:
        ra, rb = sets_of.find(a), sets_of.find(b)
        if ra == rb:
            continue
        (fa, la), (fb, lb) = span[ra], span[rb]
        if None not in (fa, fb) and (fb > la + w or fa > lb + w):
            continue
        sets_of.union(ra, rb)
        firsts = [x for x in (fa, fb) if x is not None]
        lasts = [x for x in (la, lb) if x is not None]
        span[sets_of.find(ra)] = (min(firsts, default=None), max(lasts, default=None))
    return sets_of.groups()


def _stories(clusters: list[dict], groups: list[list[int]]) -> list[BatchStory]:
    """Stories from stitched cluster groups: largest first, then by first article."""
    merged = []
    for group in groups:
        members = sorted(m for i in group for m in clusters[i]["members"])
        firsts = [clusters[i]["first"] for i in group if clusters[i]["first"] is not None]
        lasts = [clusters[i]["last"] for i in group if clusters[i]["last"] is not None]
        merged.append((members, min(firsts, default=None), max(lasts, default=None)))
    merged.sort(key=lambda x: (-len(x[0]), x[0][0][0]))
    return [
        BatchStory(sid, [ident for _, ident in members], first, last)
        for sid, (members, first, last) in enumerate(merged, 1)
    ]


class _UnitRead(NamedTuple):
    """What reading one unit gave, without its records (small: kept by the driver)."""

    unit: int
    warnings: list[str]
    error: bool
    read: int  # articles read
    done: list  # files read completely
    failed: list  # files a chunk of which could not be used


def _unit_info(p: dict[str, Any]) -> _UnitRead:
    return _UnitRead(
        p["unit"], p["warnings"], p["error"], len(p["records"]), p["done"], p["failed"]
    )


def _report(
    sid: int,
    recs: list[Record],
    vecs: np.ndarray,
    options: dict[str, Any],
    versions_of: tuple[list[Article], dict[str, str]],
) -> tuple[dict[str, Any], list[Article]]:
    """The report of one story (``recs`` in input order, their vectors ``vecs``)
    and the articles it reads, chosen as ``newsweave story`` chooses them: the
    newest version of an edited article only (``versions_of``, what
    :func:`.versions.latest` gives for ``recs``), then the most central."""
    current, superseded = versions_of
    newest = {id(a) for a in current}
    cur = [j for j, r in enumerate(recs) if id(r.article) in newest]
    story = sorted(cur, key=lambda j: (recs[j].ts is None, recs[j].ts or 0.0, j))
    centre = vecs[cur].sum(axis=0)
    lengths = [len(recs[j].article.text) for j in story]
    keep = pick(vecs[story] @ centre, lengths)  # as newsweave story chooses
    chosen = [replace(recs[story[j]].article, meta=dict(recs[story[j]].article.meta)) for j in keep]
    report = story_report(
        chosen,
        sid,
        options["length"],
        options["embedder"],
        options["analyze"],
        len(current),
        superseded,
    )
    return report.to_dict(include_sentences=True), chosen  # as the store caches it


def _story_info(item: tuple[int, list[tuple[int, Record]]], options: dict[str, Any]) -> tuple:
    """Title, similarities and (optionally) report of one story.

    The title is the titled article closest to the centroid (as
    ``newsweave recluster``); the report reads the ``MAX_REPORT_ARTICLES``
    articles closest to the centroid, in story order (as ``newsweave story``).
    """
    sid, pairs = item
    recs = sorted((r for _, r in pairs), key=lambda r: r.order)
    vecs = _vectors(recs, options["idf"])
    centre = vecs.sum(axis=0)
    sims = vecs @ centre / max(float(np.linalg.norm(centre)), 1e-12)
    titled = [j for j in np.argsort(-sims) if recs[j].article.title]
    head = recs[titled[0] if titled else int(np.argmax(sims))].article
    title = story_title(head.title, head.text[:300])
    # the later in input order is the one stored last
    current, superseded = versions_of = versions.latest([r.article for r in recs])
    report, chosen = None, None
    if options["summarize"] and len(recs) >= options["min_size"]:
        report, chosen = _report(sid, recs, vecs, options, versions_of)
    similarity = {r.id: float(s) for r, s in zip(recs, sims, strict=True)}
    report_articles = [a.id for a in chosen] if chosen is not None else None
    return sid, {
        "title": title,
        "similarity": similarity,
        "report": report,
        "report_articles": report_articles,
        "current": [a.id for a in current],
        "superseded": superseded,
    }


def run_job(
    paths: Iterable[str],
    *,
    embedder: str | None = None,
    params: ClusterParams | None = None,
    bucket_days: float = 7.0,
    undated_buckets: int = UNDATED_BUCKETS,
    stitch_threshold: float = STITCH,
    summarize: bool = True,
    summary_embedder: str | None = None,
    length: str | None = None,
    analyze: bool = False,
    min_size: int = 2,
    scheduler: str | Any = "threads",
    max_bytes: int = MAX_BYTES,
    db: str | os.PathLike[str] | None = None,
) -> BatchJob:
    """Read, dedup, link wire copies, cluster and (optionally) summarize ``paths``.

    ``embedder`` defaults to the story database's default representation
    (:func:`.represent.canonical`); for ``bucket-idf`` the document
    frequencies of all the job's articles weigh the vectors. ``params``
    defaults to that representation's defaults. Dated articles are
    clustered in buckets of ``bucket_days``; undated ones in
    ``undated_buckets`` buckets (by a hash of the id); clusters of different
    buckets are stitched at a centroid cosine of ``stitch_threshold``. Stories of at least
    ``min_size`` articles are summarised when ``summarize`` (with the
    cross-source analysis when ``analyze``). ``scheduler`` is a local Dask
    scheduler (``"processes"``, ``"threads"``, ``"synchronous"``) or a
    ``distributed`` cluster: a ``distributed.Client`` (left open), a scheduler
    address such as ``"tcp://HOST:8786"`` (connected for the job) or
    ``"local:N"`` (a ``LocalCluster`` of N worker processes for the job); see
    :func:`.dask_scheduler.use_scheduler`. Raises :class:`InputError` when a path is missing or
    unreadable, when the inputs hold no article, for an unknown scheduler or an
    unreachable address. Files over ``max_bytes`` are skipped with a warning.
    The files of the story database ``db`` the job is for (its journal, lock
    and index cache) are left out of the folders read, as by ``ingest``.
    """
    bag_mod = require("dask.bag", "the Dask batch path (dask)", 'pip install "newsweave[dask]"')
    import dask

    t0 = time.perf_counter()
    name = represent.canonical(embedder)
    params = params or default_params(name)  # as a new database of that representation
    paths = list(paths)
    check_paths(paths)
    planned = list(plan(paths, {}, max_bytes, db=db))
    repeats = [u.warning for u in planned if isinstance(u, Repeated)]
    units = [u for u in planned if isinstance(u, Unit)]
    with use_scheduler(scheduler):
        prepared = bag_mod.from_sequence(list(enumerate(units)), npartitions=max(1, len(units)))
        prepared = prepared.map(_prepare, name)
        info = prepared.map(_unit_info)
        unique = exact_dedup(prepared.pluck("records").flatten())
        unique, info = dask.persist(unique, info)  # read and embedded once
        info = sorted(info.compute())  # small: per unit, not per article
        warnings = repeats + [w for u in info for w in u.warnings]
        read = sum(u.read for u in info)
        failed = {f for u in info for f in u.failed}
        marks = [m for u in info if not u.error for m in u.done if m.path not in failed]
        renames = id_renames(unique)
        if renames:
            unique = unique.map(rename, renames).persist()
            for new in sorted(renames.values()):
                old = new.rsplit("~", 1)[0]
                warnings.append(
                    f"article id {old!r} is already used by a different article; stored as {new!r}"
                )
        idf = None
        if represent.needs_idf(name):  # one document-frequency table for the whole job
            parts = unique.map_partitions(_doc_freq).compute()
            idf = represent.DocFreq.empty(parts[0].df.shape[0]) if parts else None
            for part in parts:
                idf.df += part.df
                idf.docs += part.docs
        links = near_duplicate_links(unique, dedup.THRESHOLD)
        reps = representatives(links, params.window)
        key = partial(_bucket, reps=reps, days=bucket_days, undated=undated_buckets)
        clusters = unique.groupby(key, shuffle=SHUFFLE).map(_cluster_bucket, params, links, idf)
        clusters = clusters.flatten().compute()
        if not clusters:
            problems = [w for w in warnings if w.startswith("skipped")]
            detail = "; ".join(problems[:3]) or "no articles found"
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise InputError(f"{', '.join(paths)}: nothing to process: {detail}{more}")
        stories = _stories(clusters, stitch(clusters, params, stitch_threshold))
        story_of = {ident: s.id for s in stories for ident in s.articles}
        options = {
            "summarize": summarize,
            "min_size": min_size,
            "length": length,
            "embedder": summary_embedder,
            "analyze": analyze,
            "idf": idf,
        }
        per_story = (
            unique.map(lambda r, so: (so[r.id], r), story_of)
            .groupby(lambda x: x[0], shuffle=SHUFFLE)
            .map(_story_info, options)
        )
        details = dict(per_story.compute())
    targets = {s: lk.target for s, lk in links.items()}
    for s in stories:
        d = details[s.id]
        s.title, s.similarity, s.report = d["title"], d["similarity"], d["report"]
        if d["report_articles"] is not None:
            s.meta["report_articles"] = d["report_articles"]
        s.duplicates = {m: targets[m] for m in s.articles if m in targets}
        s.accounts = accounts(d["current"], targets, d["superseded"])  # an edit is no account
    n_stored = len(story_of)
    return BatchJob(
        stories=stories,
        records=unique,
        links=links,
        embedder=name,
        params=params,
        dim=int(clusters[0]["sum"].shape[0]),
        marks=marks,
        read=read,
        exact_duplicates=read - n_stored,
        renamed=len(renames),
        warnings=warnings,
        scheduler=scheduler,
        seconds=time.perf_counter() - t0,
        report_options={"length": length, "analyze": analyze, "embedder": summary_embedder},
        stitch=stitch_threshold,
    )


def run_batch(
    paths: Iterable[str], *, store: Store | None = None, **options: Any
) -> list[BatchStory]:
    """:func:`run_job` (same ``options``) and its stories; with ``store`` (an
    open :class:`~.db.Store`) the job is also written into that database
    (:func:`newsweave.stories.distributed_store.write_job`)."""
    if store is not None:
        options.setdefault("db", store.path)
    job = run_job(paths, **options)
    if store is not None:
        from .distributed_store import write_job

        write_job(store, job)
    return job.stories
