"""A batch job's new stories continue the stories already stored.

A daily Dask job (:mod:`.distributed`) clusters only that day's articles. When
its result is written into a database that holds earlier days
(:func:`.distributed_store.write_job`), a job story made only of new
articles may be the next day of a stored story. It joins that story when
their centroids have a cosine of at least the job's stitch threshold and
their time spans are within the window: the rule that already joins the
job's own clusters across its time buckets (:func:`.distributed.stitch`),
applied across the boundary between the job and the store.

Each stored story is continued by at most one job story (the most similar
first), and a stored story that the job already takes over through shared
articles is not a candidate: so writing the same job again changes nothing
(the stories are then matched by their shared articles).

Only centroids are compared; stored vectors are read in blocks, so the
memory used grows with the number of candidate stories, not articles.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import represent
from .cluster import new_index
from .db import vector_blobs

BLOCK = 4096  # stored vectors read at once
NEIGHBOURS = 8  # stored stories compared with each job story (nearest centroids)


@dataclass
class Continued:
    """A job story continuing a stored one."""

    story: int  # the stored story's id
    similarity: dict[int, float]  # member seq → cosine to the continued story's new centroid


@dataclass
class Piece:
    """One job story made of articles the database holds in no story."""

    key: int  # the job's story id
    members: list[int]  # article seqs (stored by the job, with their vectors)
    first_ts: float | None
    last_ts: float | None


def _sums(
    conn: sqlite3.Connection,
    groups: dict[int, list[int]],
    model: str,
    dim: int,
    weights: represent.DocFreq | None,
    keep: dict[int, np.ndarray] | None = None,
) -> dict[int, np.ndarray]:
    """Sum of the (weighted) stored vectors of each group of article seqs
    (and each vector into ``keep``, by seq, when given)."""
    owner = {seq: g for g, seqs in groups.items() for seq in seqs}
    out = {g: np.zeros(dim, dtype=np.float64) for g in groups}
    seqs = sorted(owner)
    for i in range(0, len(seqs), BLOCK):
        rows = vector_blobs(conn, model, seqs[i : i + BLOCK])
        if not rows:
            continue
        vec = represent.from_blobs([r[1] for r in rows], dim)
        if weights is not None:
            vec = weights.weigh(vec)
        for (seq, _), v in zip(rows, vec, strict=True):
            out[owner[int(seq)]] += v
            if keep is not None:
                keep[int(seq)] = v
    return out


def _unit(sums: dict[int, np.ndarray], keys: Sequence[int]) -> np.ndarray:
    rows = np.stack([sums[k] for k in keys]).astype(np.float32)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def _apart(a: tuple[float | None, float | None], b: tuple[float | None, float | None], w: float):
    (fa, la), (fb, lb) = a, b
    return None not in (fa, fb, la, lb) and (fb > la + w or fa > lb + w)


def continue_stories(
    conn: sqlite3.Connection,
    pieces: list[Piece],
    *,
    model: str,
    dim: int,
    weights: represent.DocFreq | None,
    window: float,
    threshold: float,
    exclude: set[int],
) -> dict[int, Continued]:
    """Job story id → the stored story it continues (see the module
    docstring), with each member's similarity to the merged story's
    centroid. ``exclude``: stored stories the job takes over already;
    articles of the pieces are ignored in the stored stories."""
    pieces = [p for p in pieces if p.members]
    if not pieces:
        return {}
    job = {seq for p in pieces for seq in p.members}
    dated = [t for p in pieces for t in (p.first_ts, p.last_ts) if t is not None]
    sql = "SELECT sa.story, sa.article, a.ts FROM story_articles sa JOIN articles a ON a.seq = sa.article"
    if dated and len(dated) == 2 * len(pieces):  # every piece dated: stories near in time only
        sql += (
            " JOIN stories s ON s.id = sa.story WHERE (s.last_ts IS NULL OR s.last_ts >= ?) "
            "AND (s.first_ts IS NULL OR s.first_ts <= ?)"
        )
        rows = conn.execute(sql, (min(dated) - window, max(dated) + window)).fetchall()
    else:
        rows = conn.execute(sql).fetchall()
    groups: dict[int, list[int]] = {}
    spans: dict[int, list[float]] = {}
    for story, seq, ts in rows:
        if story in exclude or seq in job:
            continue
        groups.setdefault(int(story), []).append(int(seq))
        if ts is not None:
            spans.setdefault(int(story), []).append(float(ts))
    if not groups:
        return {}
    stored = sorted(groups)
    stored_sums = _sums(conn, groups, model, dim, weights)
    cents = _unit(stored_sums, stored)
    vectors: dict[int, np.ndarray] = {}
    piece_sums = _sums(conn, {p.key: p.members for p in pieces}, model, dim, weights, vectors)
    mine = _unit(piece_sums, [p.key for p in pieces])
    index = new_index(dim)
    index.add(cents)
    sims, nbrs = index.search(mine, min(NEIGHBOURS, len(stored)))
    span_of = {s: (min(spans[s]), max(spans[s])) if s in spans else (None, None) for s in stored}
    pairs = sorted(
        (-float(sim), i, int(j))
        for i in range(len(pieces))
        for j, sim in zip(nbrs[i], sims[i], strict=True)
        if j >= 0 and sim >= threshold
    )
    out: dict[int, Continued] = {}
    taken: set[int] = set()
    for _, i, j in pairs:
        piece, story = pieces[i], stored[j]
        if piece.key in out or story in taken:
            continue
        if _apart((piece.first_ts, piece.last_ts), span_of[story], window):
            continue
        centre = stored_sums[story] + piece_sums[piece.key]
        centre = centre / max(float(np.linalg.norm(centre)), 1e-12)
        sims = {m: float(vectors[m] @ centre) for m in piece.members if m in vectors}
        out[piece.key] = Continued(story, sims)
        taken.add(story)
    return out
