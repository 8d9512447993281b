"""Store articles and assign them to stories, one committed batch at a time.

:func:`ingest` plans work units (:mod:`.sources`), prepares them in a small
process pool (:mod:`.prepare`: read, hash, sign, embed) and, in the main
process, writes each unit in ONE transaction: new articles (the same content
hash is stored once), near-duplicate links, embeddings, story assignments
(:class:`.cluster.OnlineClusterer`) and the bookkeeping of fully read files.
A run killed at any moment leaves every committed unit complete and nothing
of the others; re-running skips files already done and articles already
stored.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from ..decode import MAX_BYTES
from ..errors import InputError
from . import anncache, dedup, lock, represent
from .cluster import ClusterParams, OnlineClusterer
from .db import Store
from .membership import (
    SECOND_CHANCE_MARK,
    move_articles,
    owes_second_chance,
    pending_second_chance,
)
from .prepare import Prepared, prepare_unit, story_title
from .sources import Deferred, FileMark, Repeated, check_paths, plan
from .state import (
    index_stamp,
    load_clusterer,
    load_idf,
    save_idf,
    stored_embedder,
    stored_params,
    weigh_unit,
)

CACHE_MIN = 5000  # save the ANN index next to the database from this many vectors


@dataclass
class IngestStats:
    """What one ingest run did."""

    read: int = 0  # articles read from the inputs
    stored: int = 0  # new articles stored
    already_stored: int = 0  # same content as an article stored before this run: skipped
    repeated: int = 0  # same content as an article read earlier in this run: skipped
    near_duplicates: int = 0  # stored, marked as a copy of an earlier article
    renamed: int = 0  # id already used by different content: stored under a new id
    undated: int = 0
    new_stories: int = 0
    stories_touched: int = 0  # distinct stories that gained or lost articles (new ones too)
    files_skipped: int = 0  # files already fully ingested (same size and mtime)
    deferred: int = 0  # files modified less than min_age seconds ago: left for a later run
    feeds_unchanged: int = 0  # feed URLs that answered "not modified" since the last run
    joined_later: int = 0  # articles left alone that joined a story at the end of the run
    reports: int = 0  # story reports brought up to date after the run (ingest --reports)
    seconds: float = 0.0
    embedder: str = ""
    warnings: list[str] = field(default_factory=list)
    # ids of the stories whose articles this run changed (not in to_dict)
    changed: set[int] = field(default_factory=set, repr=False)

    def to_dict(self) -> dict:
        out = asdict(self)
        del out["changed"]
        return out


def resolve_settings(
    store: Store, embedder: str | None, params: ClusterParams | None
) -> tuple[str, ClusterParams]:
    """The database's embedder and clustering parameters (set on first use)."""
    stored = store.setting("embedder")
    name = represent.canonical(embedder) if embedder else stored_embedder(store)
    name = name or represent.canonical(None)
    if stored and name != stored:
        raise InputError(
            f"{store.path}: this database clusters with the {stored!r} embedder; "
            f"to switch to {name!r} run 'newsweave recluster --embedder {name}' first"
        )
    if params is None:
        params = stored_params(store) or default_params(name)
    return name, params


def default_params(name: str) -> ClusterParams:
    """Clustering parameters for a new database using representation ``name``."""
    return ClusterParams(threshold=represent.default_threshold(name, ClusterParams.threshold))


class _Writer:
    """Writes prepared units into the store (main process only)."""

    def __init__(self, store: Store, name: str, params: ClusterParams, stats: IngestStats):
        self.store, self.name, self.params, self.stats = store, name, params, stats
        self.loaded = False  # the stored stories are loaded when first needed
        self.started: set[int] = set()  # the stories this run started
        # articles stored after this seq are the run's own (the lock is held)
        self.first_seq = int(store.scalar("SELECT coalesce(max(seq), 0) FROM articles"))
        self.failed: set[str] = set()  # files a unit could not use: never marked done this run

    def _load(self) -> None:
        """Load every stored article's vector and story (once, and only when
        the run has something to store or a second chance is owed: an idle
        run, such as most watch rounds, loads nothing)."""
        if self.loaded:
            return
        store, name = self.store, self.name
        self.idf = load_idf(store, name)
        self.clusterer, self.story_of = load_clusterer(store, name, self.params, self.idf)
        self.dim: int | None = store.setting("dim")
        # articles still owed the end-of-run second chance: this run's, and
        # those of an earlier run killed before its second chance was written
        pending = pending_second_chance(store, self.story_of)
        self.run_start = int(self.clusterer.index.ntotal) - len(pending)  # index position → seq
        self.run_seqs: list[int] = pending
        self.loaded = True

    def write(self, prep: Prepared) -> None:
        st = self.stats
        st.read += len(prep.articles)
        st.deferred += len(prep.changed)
        st.warnings.extend(prep.warnings)
        self.failed.update(prep.failed)  # a dump's chunk: its file's mark is on a later unit
        if prep.error:
            st.warnings.append(f"skipped {prep.error}")
        now = time.time()
        keep = self._new_articles(self.store.conn, prep)  # the only writer: the lock is held
        if keep:
            self._load()
        with self.store.transaction() as conn:
            if keep:
                self._store(conn, prep, keep, now)
            feed = prep.feed
            if feed is not None and not prep.error:  # with the entries they cover
                st.feeds_unchanged += feed.unchanged
                if feed.etag or feed.last_modified:
                    self.store.set_feed_validators(conn, feed.url, feed.etag, feed.last_modified)
            for mark in [] if prep.error else prep.unit.done:
                if mark.path in self.failed:
                    continue
                conn.execute(
                    "INSERT OR REPLACE INTO sources(path, size, mtime, articles, done_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (mark.path, mark.size, mark.mtime, len(prep.articles), now),
                )

    def _new_articles(self, conn, prep: Prepared) -> list[int]:
        """Positions of the unit's articles whose content is not stored yet;
        the others are counted as stored before this run or repeated in it."""
        hashes = prep.hashes
        known: dict[str, bool] = {}  # content hash -> stored by this run
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            known.update(
                (r[0], int(r[1]) > self.first_seq)
                for r in conn.execute(
                    f"SELECT content_hash, seq FROM articles WHERE content_hash IN ({marks})",
                    chunk,
                )
            )
        keep: list[int] = []
        for i, h in enumerate(hashes):
            if h in known:
                if known[h]:
                    self.stats.repeated += 1
                else:
                    self.stats.already_stored += 1
                continue
            known[h] = True
            keep.append(i)
        return keep

    def _store(self, conn, prep: Prepared, keep: list[int], now: float) -> None:
        st = self.stats
        vectors = represent.as_stored(prep.vectors[keep])
        if self.dim is None:
            self.dim = int(vectors.shape[1])
            self.clusterer = OnlineClusterer(self.dim, self.params, self.clusterer.next_id)
            if self.idf is not None:
                self.idf = represent.IncrementalIdf.empty(self.dim)
            self.store.set_setting(conn, "dim", self.dim)
            self.store.set_setting(conn, "embedder", self.name)
            self.store.set_setting(conn, "params", asdict(self.params))
        elif vectors.shape[1] != self.dim:
            raise InputError(
                f"{self.store.path}: stored vectors have {self.dim} dimensions but the "
                f"{self.name!r} embedder gives {vectors.shape[1]}; run 'newsweave recluster'"
            )
        ndi = dedup.NearDuplicateIndex(conn)
        seqs: list[int] = []
        fixed: list[int | None] = []
        dups: list[int | None] = []
        ts: list[float | None] = []
        for i in keep:
            a = prep.articles[i]
            art_id = a.id
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", (art_id,)).fetchone():
                art_id = f"{a.id}~{prep.hashes[i][:10]}"
                st.renamed += 1
                st.warnings.append(
                    f"{a.origin or a.id}: article id {a.id!r} is already used by a different "
                    f"article; stored as {art_id!r}"
                )
            meta = dict(a.meta)
            cur = conn.execute(
                "INSERT INTO articles(id, content_hash, title, outlet, url, date, ts, origin, "
                "source_cluster, text, meta, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    art_id,
                    prep.hashes[i],
                    a.title,
                    a.outlet,
                    a.url,
                    a.date,
                    prep.ts[i],
                    a.origin,
                    prep.clusters[i],
                    a.text,
                    _json(meta),
                    now,
                ),
            )
            seq = int(cur.lastrowid)
            seqs.append(seq)
            ts.append(prep.ts[i])
            if prep.ts[i] is None:
                st.undated += 1
            sig = prep.sigs[i]
            dup = None
            if sig is not None:
                keys = dedup.band_keys(sig)
                dup = ndi.find(sig, keys)
                ndi.add(seq, sig, keys)
            if dup is not None:
                conn.execute("UPDATE articles SET duplicate_of = ? WHERE seq = ?", (dup, seq))
                st.near_duplicates += 1
            dups.append(dup)
            fixed.append(self.story_of.get(dup) if dup is not None else None)
        got = self._assign(weigh_unit(self.clusterer, self.idf, vectors), ts, fixed, dups, seqs)
        conn.executemany(  # the raw vectors (bucket-idf: before weighting)
            "INSERT INTO embeddings(article, model, dim, vector) VALUES (?, ?, ?, ?)",
            [
                (s, self.name, self.dim, represent.to_blob(v))
                for s, v in zip(seqs, vectors, strict=True)
            ],
        )
        if self.idf is not None:
            save_idf(self.store, conn, self.name, self.idf)
        self._update_stories(conn, prep, keep, seqs, got, ts, now)
        conn.executemany(
            "INSERT INTO story_articles(article, story, similarity) VALUES (?, ?, ?)",
            [(s, story, sim) for s, (story, sim) in zip(seqs, got, strict=True)],
        )
        st.stored += len(seqs)

    def _assign(self, vectors, ts, fixed, dups, seqs) -> list[tuple[int, float]]:
        pos = {s: j for j, s in enumerate(seqs)}
        same_as = [pos.get(d) if d is not None else None for d in dups]
        got = self.clusterer.assign(vectors, ts, fixed, same_as)
        for s, (story, _) in zip(seqs, got, strict=True):
            self.story_of[s] = story
        self.run_seqs.extend(seqs)
        return got

    def second_chance(self) -> None:
        """The run's articles left alone join the story they clearly prefer
        (:meth:`.cluster.OnlineClusterer.second_chance`), in one transaction."""
        if not self.loaded and not owes_second_chance(self.store):
            return
        self._load()
        start = self.run_start
        if not self.run_seqs:
            return
        moves = self.clusterer.second_chance(range(start, start + len(self.run_seqs)))
        rows = [(self.run_seqs[m.position - start], m.old, m.new, m.score) for m in moves]
        with self.store.transaction() as conn:
            removed = move_articles(conn, rows, time.time())
            self.store.set_setting(conn, SECOND_CHANCE_MARK, max(self.run_seqs))
        for seq, _, new, _ in rows:
            self.story_of[seq] = new
        self.stats.changed.update(s for _, old, new, _ in rows for s in (old, new))
        self.stats.changed.difference_update(removed)
        self.stats.stories_touched = len(self.stats.changed)
        self.stats.joined_later = len(rows)
        # stories this run started, now empty (a killed run's do not count)
        self.stats.new_stories -= len(self.started.intersection(removed))

    def _update_stories(self, conn, prep, keep, seqs, got, ts, now) -> None:
        touched: dict[int, list[int]] = {}
        for j, (story, _) in enumerate(got):
            touched.setdefault(story, []).append(j)
        existing = {
            int(r[0])
            for r in conn.execute(
                f"SELECT id FROM stories WHERE id IN ({','.join('?' * len(touched))})",
                list(touched),
            )
        }
        for story, rows in touched.items():
            times = [ts[j] for j in rows if ts[j] is not None]
            lo, hi = (min(times), max(times)) if times else (None, None)
            if story in existing:
                conn.execute(
                    "UPDATE stories SET size = size + ?, updated_at = ?, "
                    "first_ts = CASE WHEN ? IS NULL THEN first_ts ELSE min(coalesce(first_ts, ?), ?) END, "
                    "last_ts = CASE WHEN ? IS NULL THEN last_ts ELSE max(coalesce(last_ts, ?), ?) END "
                    "WHERE id = ?",
                    (len(rows), now, lo, lo, lo, hi, hi, hi, story),
                )
            else:
                art = prep.articles[keep[rows[0]]]
                conn.execute(
                    "INSERT INTO stories(id, title, size, first_ts, last_ts, model, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        story,
                        story_title(art.title, art.text) or art.id,
                        len(rows),
                        lo,
                        hi,
                        self.name,
                        now,
                        now,
                    ),
                )
                self.stats.new_stories += 1
                self.started.add(story)
        self.stats.changed.update(touched)
        self.stats.stories_touched = len(self.stats.changed)


def _json(obj: dict) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False, default=str)


def _default_workers(name: str) -> int:
    if name not in ("tfidf", represent.BUCKET_IDF):
        return 1  # model backends use every core themselves
    from ..embed import usable_cpus

    return max(1, min(2, usable_cpus()))


def ingest(
    store: Store,
    paths: list[str],
    *,
    embedder: str | None = None,
    params: ClusterParams | None = None,
    workers: int | None = None,
    progress: bool = False,
    on_warning: Callable[[str], None] | None = None,
    max_bytes: int = MAX_BYTES,
    min_age: float = 0.0,
    idle_ok: bool = False,
    stats: IngestStats | None = None,
) -> IngestStats:
    """Ingest files, folders, JSONL dumps and RSS/Atom feeds (files or
    ``http(s)://`` URLs) into ``store``.

    Articles are stored once (content hash), near-duplicates are linked to
    the article they copy, every article is embedded once and assigned to a
    story. Raises :class:`InputError` naming the input when a named path is
    missing or unreadable (before anything is written); unusable parts of
    readable inputs (bad lines, binary files, files over ``max_bytes``) are
    skipped with a warning. A file modified less than ``min_age`` seconds
    ago is left for a later run (counted in ``deferred``). A run that finds
    nothing at all to read (an empty folder) is an :class:`InputError`,
    unless ``idle_ok`` (a watch round: the inbox may be empty for now).
    Holds the database's writer lock (:mod:`.lock`) for the whole run.
    The counts go into ``stats`` when given, unit by unit as each commits,
    so a caller interrupted mid-run (Ctrl-C) knows what the run stored.
    """
    t0 = time.perf_counter()
    check_paths(paths)
    stats = IngestStats() if stats is None else stats
    with lock.writer(store.path, "ingest"):
        _run(
            store, paths, stats, embedder, params, workers, progress, on_warning, max_bytes, min_age
        )
    stats.seconds = time.perf_counter() - t0
    if stats.read == 0 and not (stats.files_skipped or stats.deferred or stats.feeds_unchanged):
        problems = [w for w in stats.warnings if w.startswith("skipped")]
        if idle_ok and not problems:
            return stats
        if problems and on_warning is not None:  # each was reported as it came
            n = len(problems)
            detail = f"{n} input{'s' if n > 1 else ''} skipped (see the warnings above)"
            more = ""
        else:
            detail = "; ".join(problems[:3]) or "no articles found"
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise InputError(f"{', '.join(paths)}: nothing to ingest: {detail}{more}")
    return stats


def _run(store, paths, stats, embedder, params, workers, progress, on_warning, max_bytes, min_age):
    name, params = resolve_settings(store, embedder, params)
    stats.embedder = name
    done = {
        r[0]: (int(r[1]), float(r[2])) for r in store.query("SELECT path, size, mtime FROM sources")
    }
    workers = _default_workers(name) if workers is None else max(1, workers)
    pool = None
    if workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_reader_init,
            initargs=(os.getpid(),),
        )
    writer = _Writer(store, name, params, stats)
    try:
        bar = _bar(progress)
        pending: deque = deque()
        for item in plan(paths, done, max_bytes, min_age, store.feed_validators(), db=store.path):
            if isinstance(item, FileMark):
                stats.files_skipped += 1
                continue
            if isinstance(item, Deferred):
                stats.deferred += 1
                continue
            if isinstance(item, Repeated):
                stats.warnings.append(item.warning)
                if on_warning is not None:
                    on_warning(item.warning)
                continue
            if pool is None:
                pending.append(prepare_unit(item, name))
            else:
                pending.append(pool.submit(prepare_unit, item, name))
            while len(pending) > (2 * workers if pool else 0):
                _finish(pending.popleft(), writer, bar, stats, on_warning)
        while pending:
            _finish(pending.popleft(), writer, bar, stats, on_warning)
        if bar is not None:
            bar.close()
        writer.second_chance()
        if stats.stored and writer.clusterer.index.ntotal >= CACHE_MIN:
            stamp = index_stamp(store, name, writer.idf)
            anncache.save(store.path, writer.clusterer.index, stamp)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _reader_init(parent: int) -> None:
    """Set up a reader process. Ctrl-C (sent to the whole process group) and
    SIGTERM are the parent's to handle: it stops, and shutting the pool
    down ends the readers. The writer lock stays the parent's alone, and a
    reader exits by itself once the parent is gone (killed outright):
    otherwise it would wait for work forever, holding the lock."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    lock.drop_inherited()
    threading.Thread(target=_exit_without, args=(parent,), daemon=True).start()


def _exit_without(parent: int, every: float = 0.5) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _bar(progress: bool):
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(desc="ingesting", unit=" articles", file=sys.stderr, dynamic_ncols=True)


def _finish(item, writer: _Writer, bar, stats: IngestStats, on_warning) -> None:
    prep: Prepared = item if isinstance(item, Prepared) else item.result()
    before = len(stats.warnings)
    writer.write(prep)
    if on_warning is not None:
        for w in stats.warnings[before:]:
            on_warning(w)
    if bar is not None:
        bar.update(len(prep.articles))
        bar.set_postfix(stored=stats.stored, stories=stats.new_stories, refresh=False)


__all__ = ["IngestStats", "ingest"]
