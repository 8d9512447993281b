"""Batch re-clustering of a whole story database (``newsweave recluster``).

For a representation weighted by document frequencies (``bucket-idf``) the
stored raw vectors are weighted with the counts of the whole store, and
those counts become both the live counters and the snapshot the next
``newsweave ingest`` weighs with.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import asdict
from typing import Any

import numpy as np

from ..errors import InputError
from ..records import Article
from . import lock, represent
from .batch import batch_cluster
from .cluster import ClusterParams
from .db import Store
from .membership import set_second_chance_mark
from .prepare import _lead_article, story_title
from .state import read_vectors, stored_embedder, stored_params


def _embed_missing(db: Store, name: str, batch: int = 1000) -> int:
    """Compute and store the ``name`` vectors of articles that lack one."""
    rows = db.query(
        "SELECT a.seq FROM articles a LEFT JOIN embeddings e ON e.article = a.seq AND e.model = ? "
        "WHERE e.article IS NULL ORDER BY a.seq",
        (name,),
    )
    seqs = [int(r[0]) for r in rows]
    for i in range(0, len(seqs), batch):
        chunk = seqs[i : i + batch]
        got = db.query(
            f"SELECT seq, id, title, text FROM articles WHERE seq IN ({','.join('?' * len(chunk))}) "
            "ORDER BY seq",
            tuple(chunk),
        )
        heads = [_lead_article(Article(id=r["id"], text=r["text"], title=r["title"])) for r in got]
        vectors = represent.embed_articles(heads, name)
        with db.transaction() as conn:
            conn.executemany(
                "INSERT INTO embeddings(article, model, dim, vector) VALUES (?, ?, ?, ?)",
                [
                    (int(r["seq"]), name, int(vectors.shape[1]), represent.to_blob(v))
                    for r, v in zip(got, vectors, strict=True)
                ],
            )
    return len(seqs)


def match_ids(pairs: Iterable[tuple[Hashable, int]]) -> dict[Any, int]:
    """Old story id for each new cluster, from (new cluster, old story) pairs of
    shared articles: the largest overlaps are matched first, each id used once."""
    ids: dict[Any, int] = {}
    used: set[int] = set()
    for (new, sid), _ in Counter(pairs).most_common():
        if new not in ids and sid not in used:
            ids[new] = sid
            used.add(sid)
    return ids


def _keep_ids(old: dict[int, int], new: np.ndarray, seqs: list[int], next_id: int) -> list[int]:
    """Story id for each new cluster: the old id it overlaps most, else a fresh one."""
    ids = match_ids((int(lab), old[s]) for lab, s in zip(new, seqs, strict=True) if s in old)
    out = []
    for lab in new:
        lab = int(lab)
        if lab not in ids:
            ids[lab] = next_id
            next_id += 1
        out.append(ids[lab])
    return out


def recluster(
    db: Store, *, embedder: str | None = None, params: ClusterParams | None = None
) -> dict[str, Any]:
    """See :func:`newsweave.stories.service.recluster`. Holds the
    database's writer lock (:mod:`.lock`) for the whole run."""
    with lock.writer(db.path, "recluster"):
        return _recluster(db, embedder, params)


def _recluster(db: Store, embedder: str | None, params: ClusterParams | None) -> dict[str, Any]:
    t0 = time.perf_counter()
    stored = db.setting("embedder")  # an unknown one may be switched away from
    name = represent.canonical(embedder or stored_embedder(db))
    if params is None:
        saved = stored_params(db)
        params = saved or ClusterParams()
        if not saved or (stored and name != stored):  # a new representation: its default
            params.threshold = represent.default_threshold(name, ClusterParams.threshold)
    embedded = _embed_missing(db, name)
    rows = db.query(
        "SELECT a.seq, a.ts, a.duplicate_of, a.title, substr(a.text, 1, 300) AS text, "
        "e.dim FROM articles a "
        "JOIN embeddings e ON e.article = a.seq AND e.model = ? ORDER BY a.seq",
        (name,),
    )
    if not rows:
        raise InputError(f"{db.path}: the story database holds no articles; run 'newsweave ingest'")
    dim = int(rows[0]["dim"])
    seqs = [int(r["seq"]) for r in rows]
    row_of = {s: i for i, s in enumerate(seqs)}
    vectors = read_vectors(
        db,
        "SELECT vector FROM embeddings WHERE model = ? AND article <= ? ORDER BY article",
        (name, seqs[-1]),
        len(seqs),
        dim,
    )
    counts = None
    if represent.needs_idf(name):  # weigh with the document frequencies of the whole store
        counts = represent.DocFreq.of(vectors)
        counts.weigh(vectors, inplace=True)
    ts = [r["ts"] for r in rows]
    fixed = [row_of.get(r["duplicate_of"]) if r["duplicate_of"] is not None else None for r in rows]
    t1 = time.perf_counter()
    labels = batch_cluster(vectors, ts, params, fixed)
    cluster_s = time.perf_counter() - t1
    old = {int(r[0]): int(r[1]) for r in db.query("SELECT article, story FROM story_articles")}
    next_id = int(db.scalar("SELECT coalesce(max(id), 0) FROM stories")) + 1
    story = _keep_ids(old, labels, seqs, next_id)
    members: dict[int, list[int]] = {}
    for i, sid in enumerate(story):
        members.setdefault(sid, []).append(i)
    now = time.time()
    with db.transaction() as conn:
        conn.execute("DELETE FROM story_articles")
        conn.execute("DELETE FROM stories")
        for sid, idx in members.items():
            sub = vectors[idx]
            centre = sub.sum(axis=0)
            sims = sub @ centre / max(float(np.linalg.norm(centre)), 1e-12)
            titled = [j for j in np.argsort(-sims) if rows[idx[j]]["title"]]
            head = rows[idx[titled[0] if titled else int(np.argmax(sims))]]
            title = story_title(head["title"], head["text"])
            times = [ts[i] for i in idx if ts[i] is not None]
            conn.execute(
                "INSERT INTO stories(id, title, size, first_ts, last_ts, model, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sid,
                    title,
                    len(idx),
                    min(times, default=None),
                    max(times, default=None),
                    name,
                    now,
                    now,
                ),
            )
            conn.executemany(
                "INSERT INTO story_articles(article, story, similarity) VALUES (?, ?, ?)",
                [(seqs[i], sid, float(s)) for i, s in zip(idx, sims, strict=True)],
            )
        conn.execute("DELETE FROM reports WHERE story NOT IN (SELECT id FROM stories)")
        if counts is not None:
            for kind in ("live", "weights"):
                db.set_idf_counts(conn, name, kind, counts.docs, counts.to_blob())
        db.set_setting(conn, "embedder", name)
        db.set_setting(conn, "dim", dim)
        db.set_setting(conn, "params", asdict(params))
        set_second_chance_mark(db, conn)  # the batch pass gave every article its second chance
    return {
        "articles": len(seqs),
        "stories": len(members),
        "embedded": embedded,
        "embedder": name,
        "cluster_seconds": round(cluster_s, 2),
        "seconds": round(time.perf_counter() - t0, 2),
    }
