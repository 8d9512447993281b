"""Exact and near-duplicate detection in the Dask batch path.

Same semantics as ``newsweave ingest`` (:mod:`.ingest` with :mod:`.dedup`),
computed as bag operations instead of one article at a time. Every record
carries its *order*, ``(unit index, position in the unit)``: the order in
which ``newsweave ingest`` would store it (its ``seq``).

* **Exact duplicates**: a shuffle by content hash; the earliest record of
  each hash is kept (ingest stores the first and skips later copies).
* **Ids**: a later record reusing an id with different content is renamed
  ``<id>~<first 10 hex digits of its hash>``, as ingest does.
* **Wire copies** (near-duplicates): each MinHash signature
  (:func:`.dedup.signature`, computed by :func:`.prepare.prepare_unit`) emits
  one entry per LSH band key (:func:`.dedup.band_keys`); a shuffle by band key
  brings the candidates together; inside a band group each record is compared
  with the earlier records in order (:func:`.dedup.jaccard` >=
  :data:`.dedup.THRESHOLD`) and linked to the first that matches; over its
  bands a record keeps the earliest such target. That is exactly what
  :meth:`.dedup.NearDuplicateIndex.find` returns at ingest: the earliest stored
  article sharing a band key and reaching the threshold.
* **Representatives**: a link between articles dated further apart than the
  clustering window is kept as a link but does not bind their stories (as in
  :func:`.batch.batch_cluster`); the other links form a forest whose
  connected components (union-find on the driver: links are few) give each
  group of copies one representative, its earliest article. A group is
  clustered in its representative's time bucket, so copies follow their
  original into one story, where they count as one account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..disjoint import DisjointSet
from . import dedup

Order = tuple[int, int]
# how bags are shuffled by key: "tasks" (in memory, works on every scheduler,
# a cluster included) rather than Dask's local default, "disk" (partd files)
SHUFFLE = "tasks"


@dataclass(frozen=True)
class Link:
    """``source`` nearly copies the earlier ``target`` (a wire copy)."""

    source: str
    source_order: Order
    source_ts: float | None
    target: str
    target_order: Order
    target_ts: float | None

    def binds(self, window: float) -> bool:
        """Whether the copy must share its original's story: both dated within
        ``window`` seconds of each other, or either undated."""
        if self.source_ts is None or self.target_ts is None:
            return True
        return abs(self.source_ts - self.target_ts) <= window


def _earliest(a: Any, b: Any) -> Any:
    """The record (or ``None``) that comes first in input order."""
    if a is None or b is None:
        return b if a is None else a
    return a if a.order <= b.order else b


def _keep_earliest(item: tuple[str, list[Any]]) -> Any:
    _, recs = item
    first = min(recs, key=lambda r: r.order)
    first.copies = sum(r.copies for r in recs)
    return first


def exact_dedup(records: Any) -> Any:
    """One record per content hash (the earliest); ``copies`` counts the rest.

    ``records`` is a Dask bag of records with ``content_hash``, ``order`` and
    ``copies``; the result is a bag with as many partitions.
    """
    return records.groupby(lambda r: r.content_hash, shuffle=SHUFFLE).map(_keep_earliest)


def _renames(item: tuple[str, list[tuple[str, Order, str]]]) -> list[tuple[Order, str]]:
    ident, rows = item
    rows = sorted(rows, key=lambda x: x[1])
    return [(order, f"{ident}~{h[:10]}") for _, order, h in rows[1:]]


def id_renames(unique: Any) -> dict[Order, str]:
    """Order → new id of each record whose id an earlier record already uses."""
    slim = unique.map(lambda r: (r.id, r.order, r.content_hash))
    return dict(slim.groupby(lambda x: x[0], shuffle=SHUFFLE).map(_renames).flatten().compute())


def rename(record: Any, renames: dict[Order, str]) -> Any:
    """``record`` with its id replaced when it is in ``renames``."""
    new = renames.get(record.order)
    if new is None:
        return record
    return replace(record, id=new, article=replace(record.article, id=new))


def _band_entries(rec: Any) -> list[tuple[int, tuple]]:
    if rec.sig is None:
        return []
    entry = (rec.order, rec.id, rec.ts, rec.sig)
    return [(k, entry) for k in dedup.band_keys(rec.sig)]


def _band_links(item: tuple[int, list[tuple[int, tuple]]], threshold: float) -> list[Link]:
    """In one band group: each record's first earlier record that it copies."""
    _, entries = item
    if len(entries) < 2:
        return []
    rows = sorted({e[0]: e for _, e in entries}.values(), key=lambda e: e[0])
    out = []
    for x in range(1, len(rows)):
        order, ident, ts, sig = rows[x]
        for y in range(x):
            if dedup.jaccard(rows[y][3], sig) >= threshold:
                t = rows[y]
                out.append(Link(ident, order, ts, t[1], t[0], t[2]))
                break
    return out


def _earlier_link(a: Link | None, b: Link | None) -> Link | None:
    if a is None or b is None:
        return b if a is None else a
    return a if a.target_order <= b.target_order else b


def near_duplicate_links(unique: Any, threshold: float = dedup.THRESHOLD) -> dict[str, Link]:
    """Article id → its :class:`Link` to the earliest earlier article it copies.

    ``unique`` is a bag of records (``id``, ``order``, ``ts``, ``sig``) with
    unique content hashes and ids. One shuffle (by band key); only the links,
    which are few, come back to the driver.
    """
    entries = unique.map(_band_entries).flatten()
    hits = entries.groupby(lambda e: e[0], shuffle=SHUFFLE).map(_band_links, threshold).flatten()
    best = hits.foldby(lambda link: link.source, _earlier_link, None, _earlier_link, None)
    return {src: link for src, link in best.compute() if link is not None}


def representatives(links: dict[str, Link], window: float) -> dict[str, tuple[str, float | None]]:
    """Article id → (representative id, its timestamp) for every article in a
    group of copies bound by links within ``window`` seconds; the
    representative is the group's earliest article (in input order)."""
    bound = [lk for lk in links.values() if lk.binds(window)]
    nodes: dict[str, tuple[Order, float | None]] = {}
    for lk in bound:
        nodes[lk.source] = (lk.source_order, lk.source_ts)
        nodes[lk.target] = (lk.target_order, lk.target_ts)
    ids = sorted(nodes, key=lambda i: nodes[i][0])  # root = smallest index = earliest
    pos = {ident: i for i, ident in enumerate(ids)}
    sets_of = DisjointSet(len(ids))
    for lk in bound:
        sets_of.union(pos[lk.source], pos[lk.target])
    out = {}
    for ident in ids:
        root = ids[sets_of.find(pos[ident])]
        out[ident] = (root, nodes[root][1])
    return out


def bucket_fixed(recs: Sequence[Any], links: dict[str, Link]) -> list[int | None]:
    """``fixed`` for :func:`.batch.batch_cluster` over ``recs`` (one bucket):
    the row of the article each record copies, when it is in the bucket."""
    row = {r.id: i for i, r in enumerate(recs)}
    return [row.get(links[r.id].target) if r.id in links else None for r in recs]


def accounts(
    members: Sequence[str], links: dict[str, str], superseded: dict[str, str] | None = None
) -> int:
    """Independent accounts in a story: members minus those copying another
    member. With ``superseded`` (``{older version id: newest id}`` of edited
    articles, :func:`.versions.latest`), ``members`` are the newest versions
    and a copy of an older version copies its newest (an edit is no copy)."""
    if superseded:
        newest = {m: superseded.get(t, t) for m, t in links.items()}
        links = {m: t for m, t in newest.items() if t != m}
    inside = set(members)
    return len(inside) - sum(1 for m in inside if links.get(m) in inside)
