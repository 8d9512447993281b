"""The clustering state a run starts from and keeps: the stored vectors, the
``bucket-idf`` document frequencies, the online clusterer holding every
stored article, and the stamp its cached ANN index must match. Used by
``ingest``, ``recluster``, the batch-job writer and the evaluation replay.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from ..errors import InputError
from . import anncache, represent
from .cluster import ClusterParams, OnlineClusterer, index_storage
from .db import Store


def stored_embedder(store: Store) -> str | None:
    """The representation ``store`` clusters with (None for a new database);
    an :class:`InputError` naming the file when this newsweave does not know
    it (a database written by another version of newsweave)."""
    name = store.setting("embedder")
    if name is None:
        return None
    try:
        represent.canonical(name)
    except InputError:
        raise InputError(
            f"{store.path}: this database clusters with the {name!r} embedder, which this "
            "newsweave does not know (a database of another newsweave version?); upgrade "
            "newsweave, or re-cluster it with 'newsweave recluster --embedder NAME' "
            "(bucket-idf, tfidf, minilm or hybrid)"
        ) from None
    return name


def stored_params(store: Store) -> ClusterParams | None:
    """The clustering parameters stored with ``store`` (None for a new
    database); an :class:`InputError` naming the file when this newsweave
    cannot read them (written by another version of newsweave)."""
    saved = store.setting("params")
    if not saved:
        return None
    known = {f.name for f in fields(ClusterParams)}
    if isinstance(saved, dict) and set(saved) <= known:
        return ClusterParams(**saved)
    other = sorted(set(saved) - known) if isinstance(saved, dict) else [repr(saved)]
    raise InputError(
        f"{store.path}: this database's clustering parameters include "
        f"{', '.join(map(repr, other))}, unknown to this newsweave (a database of a newer "
        "newsweave version?); upgrade newsweave. Nothing was changed."
    )


def load_idf(store: Store, name: str) -> represent.IncrementalIdf | None:
    """The document-frequency counters of a ``bucket-idf`` database (None for
    other representations).

    The ``live`` counters must count every stored vector of ``name``; when
    they do not (a database whose counters were never written), they are
    recounted from the stored raw vectors and the snapshot reset to them.
    """
    if not represent.needs_idf(name):
        return None
    dim = int(store.setting("dim") or represent.IDF_DIM)
    stored = int(store.scalar("SELECT count(*) FROM embeddings WHERE model = ?", (name,)))
    live, weights = store.idf_counts(name, "live"), store.idf_counts(name, "weights")
    if live is not None and weights is not None and live[0] == stored:
        return represent.IncrementalIdf(
            represent.DocFreq.from_blob(*live), represent.DocFreq.from_blob(*weights)
        )
    counts = represent.DocFreq.empty(dim)
    with store.errors():  # recount in bounded blocks
        cur = store.conn.execute("SELECT vector FROM embeddings WHERE model = ?", (name,))
        while rows := cur.fetchmany(4096):
            counts.add(represent.from_blobs([r[0] for r in rows], dim))
    return represent.IncrementalIdf(counts, counts.copy())


def read_vectors(store: Store, sql: str, params: tuple, count: int, dim: int) -> np.ndarray:
    """The vector blobs selected by ``sql`` (first column), ``count`` of
    them, as one L2-normalised float32 matrix filled block by block (the
    blobs are never all held at once). :class:`InputError` if the store
    returned another number of rows (it changed while being read)."""
    out = np.empty((count, dim), dtype=np.float32)
    got = 0
    with store.errors():
        cur = store.conn.execute(sql, params)
        while rows := cur.fetchmany(4096):
            if got + len(rows) > count:
                break
            out[got : got + len(rows)] = represent.from_blobs([r[0] for r in rows], dim)
            got += len(rows)
    if got != count or rows:
        raise InputError(f"{store.path}: the story database changed while being read; try again")
    return out


def save_idf(store: Store, conn, name: str, idf: represent.IncrementalIdf) -> None:
    """Write both counters inside the caller's transaction."""
    for kind, counts in (("live", idf.live), ("weights", idf.weights)):
        store.set_idf_counts(conn, name, kind, counts.docs, counts.to_blob())


def weigh_unit(
    clusterer: OnlineClusterer, idf: represent.IncrementalIdf | None, raw: np.ndarray
) -> np.ndarray:
    """A unit's vectors as the clusterer compares them.

    With document frequencies (``bucket-idf``): count the unit's raw
    vectors, re-weigh everything the clusterer holds when the snapshot is
    refreshed, and return the unit weighted with the snapshot. Otherwise
    ``raw`` unchanged.
    """
    if idf is None:
        return raw
    factor = idf.add(raw)
    if factor is not None:
        clusterer.reweight(factor)
    return idf.weigh(raw)


def load_clusterer(
    store: Store,
    name: str,
    params: ClusterParams,
    idf: represent.IncrementalIdf | None = None,
) -> tuple[OnlineClusterer, dict]:
    """An online clusterer holding every stored article, and seq → story.

    With ``idf`` the stored raw vectors are weighted with its snapshot.
    """
    next_id = [int(store.scalar("SELECT coalesce(max(id), 0) FROM stories")) + 1]

    def new_story() -> int:
        next_id[0] += 1
        return next_id[0] - 1

    dim = store.setting("dim")
    rows = store.query(
        "SELECT e.article, sa.story, a.ts FROM embeddings e "
        "JOIN articles a ON a.seq = e.article JOIN story_articles sa ON sa.article = e.article "
        "WHERE e.model = ? ORDER BY e.article",
        (name,),
    )
    clusterer = OnlineClusterer(int(dim or 1), params, new_story)
    if rows:
        index = anncache.load(store.path, index_stamp(store, name, idf))
        if index is not None and index.d == int(dim):
            vectors = index_storage(index)  # a view: the index keeps the only copy
        else:
            index = None
            vectors = read_vectors(
                store,
                "SELECT e.vector FROM embeddings e JOIN story_articles sa ON sa.article = e.article "
                "WHERE e.model = ? AND e.article <= ? ORDER BY e.article",
                (name, int(rows[-1][0])),
                len(rows),
                int(dim),
            )
            if idf is not None:
                idf.weights.weigh(vectors, inplace=True)
        clusterer.load(vectors, [r[1] for r in rows], [r[2] for r in rows], index)
    return clusterer, {int(r[0]): int(r[1]) for r in rows}


def index_stamp(store: Store, name: str, idf: represent.IncrementalIdf | None = None) -> dict:
    """What a cached ANN index must match: model, vector count, last seq (and
    the document frequencies its vectors are weighted with)."""
    row = store.query(
        "SELECT count(*), coalesce(max(article), 0) FROM embeddings WHERE model = ?", (name,)
    )[0]
    weights = idf.weights.digest() if idf is not None else None
    return anncache.stamp(name, row[0], row[1], weights)
