"""Write a Dask batch job into a story database, so that ``newsweave stories``
and ``newsweave story ID`` browse what the job computed.

:func:`write_job` writes, in ONE transaction (all of it or nothing):

* **articles** not stored yet (by content hash), with ``seq`` in the job's
  input order (the order ``newsweave ingest`` would have stored them in); an
  id already used in the database by different content is stored as
  ``<id>~<hash prefix>``, as ingest does;
* their **MinHash signatures and band keys**
  (:meth:`.dedup.NearDuplicateIndex.add`), so a later ``newsweave ingest``
  finds wire copies of them;
* **near-duplicate links** (``duplicate_of``): the job's link, or, when an
  article stored before the job is an earlier match
  (:meth:`.dedup.NearDuplicateIndex.find`), that article (ingest links to the
  earliest stored match);
* **embeddings** (model = the job's embedder) of every job article lacking
  one; for ``bucket-idf``, the document-frequency counters then count every
  stored vector (live counters and snapshot, as after ``newsweave recluster``);
* **stories and memberships**: the job's clustering is authoritative for the
  job's articles (as ``newsweave recluster`` is for the whole database). Each
  job story takes the id of the stored story holding most of its articles,
  else, for a story of new articles only, the id of the stored story it
  continues (:mod:`.continuation`: centroid cosine at the job's stitch
  threshold, within the time window), else a new id; a story whose job articles are exactly its current ones is
  left untouched; stories left empty are removed with their cached reports;
* the job's **story reports**, into the report cache, for every story whose
  articles are exactly the ones ``newsweave story`` reads (so viewing it
  serves the job's report instead of recomputing it);
* the input **files** read completely (``sources``: a later ingest skips
  them) and the **settings** (embedder, dimension, parameters) when unset.

Writing the same job twice changes nothing the second time.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from . import dedup, lock, represent
from .continuation import Continued, Piece, continue_stories
from .db import Store
from .distributed import BatchJob, Record
from .membership import SECOND_CHANCE_MARK, refresh_stories, set_second_chance_mark
from .rebuild import match_ids
from .state import load_idf, save_idf

CHUNK = 500  # SQLite host parameters per IN (...) list


@dataclass
class WriteStats:
    """What one :func:`write_job` did."""

    stored: int = 0  # new articles
    already_stored: int = 0  # same content hash as a stored article
    renamed: int = 0  # id already used in the database by different content
    near_duplicates: int = 0  # new articles linked to an article they copy
    embedded: int = 0  # vectors written
    new_stories: int = 0
    changed_stories: int = 0
    continued_stories: int = 0  # stored stories a job story of new articles continues
    unchanged_stories: int = 0
    removed_stories: int = 0  # stored stories left without articles
    reports: int = 0  # job reports stored in the report cache
    seconds: float = 0.0
    story_ids: dict[int, int] = field(default_factory=dict)  # job story id → database id
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _select(
    conn: sqlite3.Connection, sql: str, values: Sequence[Any], first: Sequence[Any] = ()
) -> list[tuple]:
    """Rows of ``sql`` (with one ``{}`` for an ``IN`` list) over ``values``,
    chunked; ``first`` are the parameters before the list."""
    out: list[tuple] = []
    values = list(values)
    for i in range(0, len(values), CHUNK):
        chunk = values[i : i + CHUNK]
        marks = ",".join("?" * len(chunk))
        out.extend(tuple(r) for r in conn.execute(sql.format(marks), [*first, *chunk]))
    return out


def _delete(conn: sqlite3.Connection, sql: str, values: Sequence[Any]) -> None:
    values = list(values)
    for i in range(0, len(values), CHUNK):
        chunk = values[i : i + CHUNK]
        conn.execute(sql.format(",".join("?" * len(chunk))), chunk)


def _scheduler(job: BatchJob) -> Any:
    # a persisted bag of a local scheduler holds its partitions in memory
    return "sync" if isinstance(job.scheduler, str) else job.scheduler


def _partitions(job: BatchJob) -> Iterator[list[Record]]:
    """The job's records, one partition at a time (never all in memory)."""
    import dask

    for part in job.records.to_delayed():
        (recs,) = dask.compute(part, scheduler=_scheduler(job))
        yield recs


def _check_settings(store: Store, job: BatchJob) -> None:
    name, dim = store.setting("embedder"), store.setting("dim")
    if name and name != job.embedder:
        raise InputError(
            f"{store.path}: this database clusters with the {name!r} embedder but the "
            f"batch job used {job.embedder!r}; run the job with embedder={name!r}"
        )
    if dim is not None and int(dim) != job.dim:
        raise InputError(
            f"{store.path}: stored vectors have {dim} dimensions but the batch job's "
            f"have {job.dim}; run the job with the database's embedder"
        )


class _Writer:
    """One write of a job (inside the caller's transaction)."""

    def __init__(
        self,
        store: Store,
        conn: sqlite3.Connection,
        job: BatchJob,
        st: WriteStats,
        continue_stored: bool = True,
    ):
        self.store, self.conn, self.job, self.st = store, conn, job, st
        self.continue_stored = continue_stored
        self.now = time.time()
        slim = job.records.map(lambda r: (r.order, r.content_hash, r.id))
        self.slim = sorted(slim.compute(scheduler=_scheduler(job)))
        self.hash_of = {ident: h for _, h, ident in self.slim}
        self.old_max = int(conn.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])
        self.seq_of: dict[str, int] = dict(
            _select(
                conn,
                "SELECT content_hash, seq FROM articles WHERE content_hash IN ({})",
                [h for _, h, _ in self.slim],
            )
        )
        self.new_ids = self._plan_new()
        self.earlier: dict[int, int] = {}  # new seq → matching article stored before the job
        self.has_vector = {
            int(r[0])
            for r in _select(
                conn,
                "SELECT article FROM embeddings WHERE model = ? AND article IN ({})",
                list(self.seq_of.values()),
                (job.embedder,),
            )
        }
        self.counts: represent.DocFreq | None = None  # bucket-idf: counts of stored vectors
        if represent.needs_idf(job.embedder):
            stored = load_idf(store, job.embedder) if self.old_max else None
            self.counts = stored.live.copy() if stored else represent.DocFreq.empty(job.dim)

    def _plan_new(self) -> dict[str, str]:
        """Content hash → id of each article to store, with its seq planned."""
        fresh = [(h, ident) for _, h, ident in self.slim if h not in self.seq_of]
        taken = {
            r[0]
            for r in _select(
                self.conn, "SELECT id FROM articles WHERE id IN ({})", [i for _, i in fresh]
            )
        }
        self.st.already_stored = len(self.slim) - len(fresh)
        out: dict[str, str] = {}
        seq = self.old_max
        for h, ident in fresh:
            seq += 1
            self.seq_of[h] = seq
            if ident in taken:
                new = f"{ident}~{h[:10]}"
                self.st.renamed += 1
                self.st.warnings.append(
                    f"article id {ident!r} is already used in {self.store.path} by a different "
                    f"article; stored as {new!r}"
                )
                ident = new
            out[h] = ident
        return out

    def articles(self, recs: list[Record]) -> None:
        """Store one partition: new articles, signatures, embeddings."""
        conn, ndi = self.conn, dedup.NearDuplicateIndex(self.conn)
        for r in recs:
            seq = self.seq_of[r.content_hash]
            if r.content_hash not in self.new_ids:
                continue
            a = r.article
            conn.execute(
                "INSERT INTO articles(seq, id, content_hash, title, outlet, url, date, ts, origin, "
                "source_cluster, text, meta, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    seq,
                    self.new_ids[r.content_hash],
                    r.content_hash,
                    a.title,
                    a.outlet,
                    a.url,
                    a.date,
                    r.ts,
                    a.origin,
                    r.cluster,
                    a.text,
                    json.dumps(a.meta, ensure_ascii=False, default=str),
                    self.now,
                ),
            )
            self.st.stored += 1
            if r.sig is not None:
                keys = dedup.band_keys(r.sig)
                if self.old_max:
                    found = ndi.find(r.sig, keys)
                    if found is not None and found <= self.old_max:
                        self.earlier[seq] = found
                ndi.add(seq, r.sig, keys)
        missing = [r for r in recs if self.seq_of[r.content_hash] not in self.has_vector]
        conn.executemany(
            "INSERT INTO embeddings(article, model, dim, vector) VALUES (?, ?, ?, ?)",
            [
                (
                    self.seq_of[r.content_hash],
                    self.job.embedder,
                    self.job.dim,
                    represent.to_blob(r.vector),
                )
                for r in missing
            ],
        )
        self.has_vector.update(self.seq_of[r.content_hash] for r in missing)
        self.st.embedded += len(missing)
        if self.counts is not None and missing:
            self.counts.add(np.stack([r.vector for r in missing]))

    def links(self) -> None:
        """``duplicate_of`` of the new articles (after all of them are stored)."""
        dup: dict[int, int] = {}
        for src, link in self.job.links.items():
            h = self.hash_of[src]
            if h in self.new_ids:
                dup[self.seq_of[h]] = self.seq_of[self.hash_of[link.target]]
        dup.update(self.earlier)  # an article stored before the job is the earliest match
        self.conn.executemany(
            "UPDATE articles SET duplicate_of = ? WHERE seq = ?", [(t, s) for s, t in dup.items()]
        )
        self.st.near_duplicates = len(dup)

    def stories(self) -> None:
        """The job's stories and memberships (see the module docstring)."""
        conn, st, job = self.conn, self.st, self.job
        seq = {ident: self.seq_of[h] for ident, h in self.hash_of.items()}
        old = dict(
            _select(
                conn,
                "SELECT article, story FROM story_articles WHERE article IN ({})",
                list(seq.values()),
            )
        )
        ids = match_ids(
            (s.id, old[seq[i]]) for s in job.stories for i in s.articles if seq[i] in old
        )
        used = set(ids.values())  # stored stories the job's stories take over
        joined = self._continued([s for s in job.stories if s.id not in ids], seq, used)
        ids.update({key: c.story for key, c in joined.items()})
        next_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM stories").fetchone()[0]) + 1
        held = Counter(old.values())  # job articles per stored story
        touched: set[int] = set()
        for s in job.stories:
            if s.id not in ids:
                ids[s.id], next_id = next_id, next_id + 1
            sid, members = ids[s.id], [seq[i] for i in s.articles]
            if (
                sid in used
                and held[sid] == len(members)
                and all(old.get(m) == sid for m in members)
            ):
                st.unchanged_stories += 1
                continue
            touched.update(old[m] for m in members if m in old)
            _delete(conn, "DELETE FROM story_articles WHERE article IN ({})", members)
            if s.id in joined:  # a new day of a stored story: it keeps its title
                conn.execute(
                    "UPDATE stories SET model = ?, updated_at = ? WHERE id = ?",
                    (job.embedder, self.now, sid),
                )
                st.continued_stories += 1
            elif sid in used:
                conn.execute(
                    "UPDATE stories SET title = ?, model = ?, updated_at = ? WHERE id = ?",
                    (s.title, job.embedder, self.now, sid),
                )
                st.changed_stories += 1
            else:
                conn.execute(
                    "INSERT INTO stories(id, title, size, first_ts, last_ts, model, created_at, "
                    "updated_at) VALUES (?, ?, 0, NULL, NULL, ?, ?, ?)",
                    (sid, s.title, job.embedder, self.now, self.now),
                )
                st.new_stories += 1
            # a continued story's members: similarity to the merged story's centroid
            sim = joined[s.id].similarity if s.id in joined else {}
            conn.executemany(
                "INSERT INTO story_articles(article, story, similarity) VALUES (?, ?, ?)",
                [(seq[i], sid, sim.get(seq[i], s.similarity.get(i))) for i in s.articles],
            )
            touched.add(sid)
        st.story_ids = ids
        self._refresh(sorted(touched))

    def _continued(self, fresh: list, seq: dict[str, int], used: set[int]) -> dict[int, Continued]:
        """Job stories of new articles that continue a stored story (:mod:`.continuation`)."""
        if not fresh or not self.old_max or not self.continue_stored:
            return {}
        job = self.job
        pieces = [Piece(s.id, [seq[i] for i in s.articles], s.first_ts, s.last_ts) for s in fresh]
        weights = self.counts if self.counts is not None and self.counts.docs else None
        return continue_stories(
            self.conn,
            pieces,
            model=job.embedder,
            dim=job.dim,
            weights=weights,
            window=job.params.window,
            threshold=job.stitch,
            exclude=used,
        )

    def _refresh(self, touched: list[int]) -> None:
        """Recompute size and span of ``touched`` stories; drop the empty ones."""
        self.st.removed_stories = len(refresh_stories(self.conn, touched, self.now))

    def bookkeeping(self) -> None:
        """Files read completely, and the settings a later ingest will use."""
        conn, job = self.conn, self.job
        conn.executemany(
            "INSERT INTO sources(path, size, mtime, articles, done_at) VALUES (?, ?, ?, NULL, ?) "
            "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, "
            "done_at = excluded.done_at "
            "WHERE sources.size IS NOT excluded.size OR sources.mtime IS NOT excluded.mtime",
            [(m.path, m.size, m.mtime, self.now) for m in job.marks],
        )
        for key, value in (
            ("embedder", job.embedder),
            ("dim", job.dim),
            ("params", asdict(job.params)),
        ):
            if self.store.setting(key) is None:
                self.store.set_setting(conn, key, value)
        mark = self.store.setting(SECOND_CHANCE_MARK)
        if mark is None or int(mark) >= self.old_max:  # none pending before: the job's had theirs
            set_second_chance_mark(self.store, conn)
        if self.counts is not None and self.st.embedded:
            # as after a recluster: the counts of every stored vector, live and snapshot
            idf = represent.IncrementalIdf(self.counts, self.counts.copy())
            save_idf(self.store, conn, job.embedder, idf)

    def reports(self) -> None:
        """The job's story reports, into the report cache: each one whose
        articles are exactly those ``newsweave story`` would read now
        (:func:`.service.store_report`), so viewing it does not recompute it."""
        from .service import store_report

        for s in self.job.stories:
            sid = self.st.story_ids.get(s.id)
            chosen = s.meta.get("report_articles")
            if s.report is None or sid is None or chosen is None:
                continue
            opts = self.job.report_options
            self.st.reports += store_report(self.store, self.conn, sid, s.report, chosen, **opts)


def write_job(store: Store, job: BatchJob, *, continue_stored: bool = True) -> WriteStats:
    """Write what the Dask job ``job`` computed into the open ``store``.

    See the module docstring for what is written. Raises :class:`InputError`
    when the database clusters with another embedder or vector size (nothing
    is written then). Idempotent: writing the same job again changes nothing.
    ``continue_stored=False``: a job story of new articles never continues
    a stored story (it always gets a new id).
    """
    t0 = time.perf_counter()
    st = WriteStats()
    with lock.writer(store.path, "batch write"), store.transaction() as conn:
        _check_settings(store, job)
        writer = _Writer(store, conn, job, st, continue_stored)
        for recs in _partitions(job):
            writer.articles(recs)
        writer.links()
        writer.stories()
        writer.bookkeeping()
        writer.reports()
    st.seconds = time.perf_counter() - t0
    return st
