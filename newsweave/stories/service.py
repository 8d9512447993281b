"""Plain functions over the story database (used by the CLI and the web layer).

::

    from newsweave.stories import service
    db = service.open_db("news.db")            # creates / migrates the file
    service.ingest(db, ["dump.jsonl", "feeds/"])
    for row in service.list_stories(db):        # dicts: id, title, size, outlets...
        ...
    story = service.get_story(db, row["id"])    # Story with .report (a Report)
    db.close()

A story's report (core summary + cross-source analysis) is computed on first
request and stored keyed by a hash of its articles' ids and content hashes
(and the options); it is recomputed only when the story's articles change.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from ..budget import AUTO, Budget, is_auto
from ..decode import MAX_STORY_CHARS
from ..embed import embedder_name
from ..errors import InputError, OutputError
from ..records import Article, Fact, Report, Sentence, SourceSpan, SummarySentence
from . import represent, versions
from .cluster import ClusterParams
from .db import Store, fold, sqlite_errors, vector_blobs
from .db import open_db as _open_db
from .ingest import IngestStats
from .ingest import ingest as _ingest
from .reports import MAX_REPORT_ARTICLES, pick, story_report, within_limit
from .watch import WatchResult
from .watch import watch as _watch

REPORT_VERSION = 1


def open_db(path: str | None = None, *, create: bool = True) -> Store:
    """Open the story database at ``path`` (default ``$NEWSWEAVE_DB`` or
    ``./newsweave.db``), creating and migrating it as needed. Close it with
    ``db.close()``. Raises :class:`InputError` naming the file when it is not
    a newsweave database or is damaged (the file is left untouched)."""
    return _open_db(path, create=create)


@sqlite_errors
def ingest(db: Store, paths: list[str], **options: Any) -> IngestStats:
    """Store and cluster the articles of ``paths`` (files, folders, JSONL
    dumps, RSS/Atom feeds); see :func:`newsweave.stories.ingest.ingest` for
    the options (``embedder``, ``params``, ``workers``, ``progress``)."""
    return _ingest(db, paths, **options)


def watch(db: Store, paths: list[str], **options: Any) -> WatchResult:
    """Ingest ``paths`` again every ``every`` seconds, keeping the stories
    current as articles arrive; see :func:`newsweave.stories.watch.watch`."""
    return _watch(db, paths, **options)


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).date().isoformat()


def _outlets(db: Store, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {i: [] for i in ids}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        rows = db.query(
            "SELECT sa.story, a.outlet, count(*) AS n FROM story_articles sa "
            "JOIN articles a ON a.seq = sa.article "
            f"WHERE a.outlet IS NOT NULL AND sa.story IN ({','.join('?' * len(chunk))}) "
            "GROUP BY sa.story, a.outlet ORDER BY sa.story, n DESC, a.outlet",
            chunk,
        )
        for r in rows:
            out[int(r[0])].append(r[1])
    return out


def _where(min_size: int, query: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause of a story listing: size, and a search of the story's
    title and its articles' titles (substring, any case, accents ignored)."""
    sql, params = "size >= ?", [min_size]
    if query and query.strip():
        needle = fold(query.strip())
        sql += (
            " AND (nw_contains(title, ?) OR id IN (SELECT sa.story FROM story_articles sa "
            "JOIN articles a ON a.seq = sa.article WHERE nw_contains(a.title, ?)))"
        )
        params += [needle, needle]
    return sql, params


@sqlite_errors
def list_stories(
    db: Store,
    *,
    limit: int | None = None,
    min_size: int = 1,
    order: str = "size",
    query: str | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Stories as dicts: ``id``, ``title``, ``size`` (articles), ``outlets``
    (most frequent first), ``first_date``/``last_date`` (ISO dates or None
    when undated) and ``updated_at``. ``order`` is ``size`` (largest first)
    or ``recent`` (latest article first); ``query`` keeps the stories whose
    title or an article's title contains it (any case); ``limit`` and
    ``offset`` page through them."""
    sort = {
        "size": "size DESC, coalesce(last_ts, 0) DESC, id",
        "recent": "coalesce(last_ts, 0) DESC, updated_at DESC, id",
    }.get(order)
    if sort is None:
        raise InputError(f"unknown story order {order!r}; use 'size' or 'recent'")
    where, params = _where(min_size, query)
    sql = f"SELECT id, title, size, first_ts, last_ts, updated_at FROM stories WHERE {where} ORDER BY {sort}"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else int(limit), max(0, int(offset))]
    with db.snapshot():  # sizes and outlets of one state, even during an ingest
        rows = db.query(sql, tuple(params))
        outlets = _outlets(db, [int(r[0]) for r in rows])
    return [
        {
            "id": int(r[0]),
            "title": r[1],
            "size": int(r[2]),
            "outlets": outlets[int(r[0])],
            "first_date": _iso(r[3]),
            "last_date": _iso(r[4]),
            "updated_at": datetime.fromtimestamp(r[5], UTC).isoformat(timespec="seconds"),
        }
        for r in rows
    ]


@sqlite_errors
def count_stories(db: Store, *, min_size: int = 1, query: str | None = None) -> int:
    """How many stories :func:`list_stories` would list without a limit."""
    where, params = _where(min_size, query)
    return int(db.scalar(f"SELECT count(*) FROM stories WHERE {where}", tuple(params)))


@dataclass
class Story:
    """One story: its listing fields, its articles and its report."""

    id: int
    title: str | None
    size: int
    outlets: list[str]
    first_date: str | None
    last_date: str | None
    articles: list[dict[str, Any]] = field(default_factory=list)
    report: Report | None = None
    cached: bool = False  # the report came from the store, not recomputed

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "report"}
        if self.report is not None:
            out["report"] = self.report.to_dict()
        return out


def _story_id(story_id: int | str) -> int:
    """The numeric id of ``"12"``, ``"#12"``, ``"s12"``; :class:`KeyError` for
    anything else, including numbers no story id can be (SQLite integers)."""
    try:
        sid = int(str(story_id).strip().lstrip("#sS"))
    except ValueError:
        raise KeyError(story_id) from None
    if not 0 <= sid < 2**63:
        raise KeyError(story_id)
    return sid


@sqlite_errors
def story_articles(db: Store, story_id: int | str) -> list[Article]:
    """Every article of a story, oldest first (undated last), as records."""
    sid = _story_id(story_id)
    rows = db.query(
        "SELECT a.seq, a.id, a.text, a.title, a.outlet, a.url, a.date, a.origin, a.meta, "
        "d.id AS dup FROM story_articles sa JOIN articles a ON a.seq = sa.article "
        "LEFT JOIN articles d ON d.seq = a.duplicate_of "
        "WHERE sa.story = ? ORDER BY a.ts IS NULL, a.ts, a.seq",
        (sid,),
    )
    return [
        Article(
            id=r["id"],
            text=r["text"],
            title=r["title"],
            outlet=r["outlet"],
            url=r["url"],
            date=r["date"],
            origin=r["origin"],
            duplicate_of=r["dup"],
            meta={**json.loads(r["meta"] or "{}"), "seq": int(r["seq"])},
        )
        for r in rows
    ]


def _listed(a: Article, superseded: dict[str, str]) -> dict[str, Any]:
    """A story article as ``Story.articles`` lists it; an older version of
    an edited article names the version that supersedes it."""
    out = {k: v for k, v in a.to_dict().items() if k != "removed"}
    if a.id in superseded:
        out["superseded_by"] = superseded[a.id]
    return out


def _central(
    db: Store,
    articles: list[Article],
    *,
    limit: int = MAX_REPORT_ARTICLES,
    max_chars: int = MAX_STORY_CHARS,
) -> list[Article]:
    """The articles a report reads (:func:`.reports.pick`), in story order."""
    lengths = [len(a.text) for a in articles]
    if len(articles) <= limit and sum(lengths) <= max_chars:
        return articles
    name, dim = db.setting("embedder"), db.setting("dim")
    seqs = [a.meta["seq"] for a in articles]
    with db.errors():
        blobs = dict(vector_blobs(db.conn, name, seqs))
    if len(blobs) != len(seqs):  # no vectors to rank by: story order
        return [articles[i] for i in pick(-np.arange(len(articles)), lengths, limit, max_chars)]
    vec = represent.from_blobs([blobs[s] for s in seqs], int(dim))
    weights = db.idf_counts(name, "weights") if name == represent.BUCKET_IDF else None
    if weights is not None:  # stored raw: compare as the clusterer does
        vec = represent.DocFreq.from_blob(*weights).weigh(vec)
    centre = vec.sum(axis=0)
    return [articles[i] for i in pick(vec @ centre, lengths, limit, max_chars)]


def _key(articles: list[Article], db: Store, options: dict[str, Any]) -> str:
    seqs = [a.meta["seq"] for a in articles]
    hashes = {
        int(r[0]): r[1]
        for i in range(0, len(seqs), 500)
        for r in db.query(
            f"SELECT seq, content_hash FROM articles WHERE seq IN ({','.join('?' * len(seqs[i : i + 500]))})",
            tuple(seqs[i : i + 500]),
        )
    }
    payload = {
        "v": REPORT_VERSION,
        "articles": sorted((a.id, hashes.get(a.meta["seq"], "")) for a in articles),
        **options,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _cached_body(
    db: Store, sid: int, chosen: list[Article], key: str, options: dict[str, Any]
) -> str | None:
    """The stored report body of ``key``; for a report without the analysis,
    else the one with it (the same summary: the analysis is added on top), so
    that ``-f text`` does not make again, and replace, the report ``-f md``,
    the web page and ``--reports`` read."""
    sql = "SELECT body FROM reports WHERE story = ? AND key = ?"
    rows = db.query(sql, (sid, key))
    if not rows and not options["analyze"] and _analysis_available():
        rows = db.query(sql, (sid, _key(chosen, db, {**options, "analyze": True})))
    return rows[0][0] if rows else None


def _analysis_available() -> bool:
    try:
        from ..analysis import analyze  # noqa: F401
    except ImportError:
        return False
    return True


@sqlite_errors
def get_story(
    db: Store,
    story_id: int | str,
    *,
    length: str | None = None,
    analyze: bool = True,
    embedder: str | None = None,
    refresh: bool = False,
) -> Story:
    """A story with its full report (summary with citations, and the
    cross-source analysis when ``analyze`` and the analysis package is
    installed). Raises :class:`KeyError` for an unknown id.

    The report reads the story's ``MAX_REPORT_ARTICLES`` most central
    articles; it is stored and reused until the story's articles change
    (or ``refresh``).
    """
    sid = _story_id(story_id)
    options = _options(length, analyze, embedder)
    with db.snapshot():  # the story as one state of the database, even during an ingest
        rows = db.query(
            "SELECT id, title, size, first_ts, last_ts FROM stories WHERE id = ?", (sid,)
        )
        if not rows:
            raise KeyError(story_id)
        r = rows[0]
        arts = story_articles(db, sid)
        current, superseded = versions.latest(arts)  # a publisher's edit: its newest text
        story = Story(
            id=sid,
            title=r["title"],
            size=int(r["size"]),
            outlets=_outlets(db, [sid])[sid],
            first_date=_iso(r["first_ts"]),
            last_date=_iso(r["last_ts"]),
            articles=[_listed(a, superseded) for a in arts],
        )
        if not arts:
            return story
        chosen = within_limit(_central(db, current))  # as the report reads them
        key = _key(chosen, db, options)
        cached = None if refresh else _cached_body(db, sid, chosen, key, options)
    if cached:
        story.report = report_from_dict(json.loads(cached), chosen)
        if not options["analyze"]:  # served from the report with the analysis
            story.report.analysis = None
        story.cached = True
        return story
    try:
        story.report = story_report(
            chosen, sid, length, embedder, options["analyze"], len(current), superseded
        )
    except InputError as exc:  # say which story of which database
        raise InputError(f"{db.path}: story {sid}: {exc}") from None
    body = story.report.to_dict(include_sentences=True)
    try:
        with db.transaction() as conn:
            _put_report(conn, sid, key, body)
    except (InputError, OutputError):  # a read-only or busy database: serve it uncached
        pass
    return story


@sqlite_errors
def refresh_reports(
    db: Store,
    story_ids: Iterable[int],
    *,
    min_size: int = 2,
    length: str | None = None,
    analyze: bool = True,
    embedder: str | None = None,
) -> int:
    """Bring the cached reports of ``story_ids`` (e.g. the stories an ingest
    run changed, ``IngestStats.changed``) up to date, so that viewing them
    serves the cache: each story of ``min_size`` articles or more whose
    report is missing or stale is summarised now. Returns how many were."""
    ids = sorted(set(story_ids))
    big = [
        int(r[0])
        for i in range(0, len(ids), 500)
        for r in db.query(
            f"SELECT id FROM stories WHERE size >= ? AND id IN ({','.join('?' * len(ids[i : i + 500]))})",
            (min_size, *ids[i : i + 500]),
        )
    ]
    made = 0
    for sid in big:
        story = get_story(db, sid, length=length, analyze=analyze, embedder=embedder)
        made += not story.cached
    return made


def _options(length: str | None, analyze: bool, embedder: str | None) -> dict[str, Any]:
    """The report options that are part of its cache key: the length and the
    embedder as resolved (``None`` is the default length, ``150w`` spelt
    ``150W`` or ``150 w`` is ``150w``; ``None`` is ``$NEWSWEAVE_EMBEDDER`` or
    the default backend), so one report is not made again for another
    spelling of its options, and a report made with one backend is never
    served for another."""
    return {
        "length": _length_key(length),
        "analyze": analyze and _analysis_available(),
        "embedder": embedder_name(embedder),
    }


def _length_key(length: str | None) -> str:
    """``length`` as one spelling: ``auto`` or the parsed budget (``150w``)."""
    return AUTO if is_auto(length) else str(Budget.parse(length))


def _put_report(conn, sid: int, key: str, body: dict[str, Any]) -> None:
    conn.execute("DELETE FROM reports WHERE story = ?", (sid,))
    conn.execute(
        "INSERT INTO reports(story, key, body, created_at) VALUES (?, ?, ?, ?)",
        (sid, key, json.dumps(body, ensure_ascii=False), time.time()),
    )


def store_report(
    db: Store,
    conn,
    story_id: int,
    body: dict[str, Any],
    article_ids: list[str],
    *,
    length: str | None = None,
    analyze: bool = False,
    embedder: str | None = None,
) -> bool:
    """Cache a report computed elsewhere (e.g. by the Dask batch job) for
    ``story_id``, inside the caller's transaction ``conn``.

    ``body`` is ``Report.to_dict(include_sentences=True)`` of a report over
    the articles ``article_ids``, made with the given options. It is stored
    only when those are exactly the articles :func:`get_story` would read
    for the story now (its ``MAX_REPORT_ARTICLES`` most central ones), so a
    later ``get_story`` with the same options serves it instead of
    recomputing; otherwise nothing is stored and ``False`` is returned.
    """
    current, _ = versions.latest(story_articles(db, story_id))  # as get_story reads them
    chosen = _central(db, current) if current else []
    if not chosen or sorted(a.id for a in chosen) != sorted(article_ids):
        return False
    options = _options(length, analyze, embedder)
    if ("analysis" in body) != options["analyze"]:
        return False  # a view with these options would show (or not) the analysis
    key = _key(chosen, db, options)
    sql = "SELECT 1 FROM reports WHERE story = ? AND key = ?"
    if conn.execute(sql, (int(story_id), key)).fetchone() is None:  # else: cached already
        _put_report(conn, int(story_id), key, body)
    return True


def report_from_dict(data: dict[str, Any], articles: list[Article]) -> Report:
    """Rebuild a :class:`Report` from its stored JSON (``to_dict(include_sentences=True)``)
    and the story's articles (whose texts the citations index)."""
    by_id = {a.id: a for a in articles}
    arts = []
    for d in data["articles"]:
        a = by_id[d["id"]]
        a.removed = [(x["start"], x["end"], x["reason"]) for x in d.get("removed", [])]
        a.duplicate_of = d.get("duplicate_of")
        arts.append(a)
    summary = [
        SummarySentence(
            text=s["text"],
            sentence=s["sentence"],
            fact=s["fact"],
            support=s["support"],
            citations=[SourceSpan(**c) for c in s["citations"]],
        )
        for s in data["summary"]
    ]
    return Report(
        articles=arts,
        sentences=[Sentence(**s) for s in data.get("sentences", [])],
        facts=[Fact(**f) for f in data["facts"]],
        summary=summary,
        length=data["length"],
        id=data.get("id"),
        warnings=list(data.get("warnings", [])),
        analysis=data.get("analysis"),
        meta=dict(data.get("meta", {})),
    )


@sqlite_errors
def recluster(
    db: Store, *, embedder: str | None = None, params: ClusterParams | None = None
) -> dict[str, Any]:
    """Re-cluster every stored article at once (batch mode; see
    :func:`newsweave.stories.batch.batch_cluster`), optionally with another
    embedder (missing vectors are computed and stored) or other parameters.
    Story ids are kept for the new story that shares most articles with an
    old one. Returns counts and timings."""
    from .rebuild import recluster as _recluster

    return _recluster(db, embedder=embedder, params=params)
