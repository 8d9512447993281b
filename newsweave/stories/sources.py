"""What to ingest: inputs split into work units, and units read into articles.

:func:`plan` walks the user's paths (files, folders, JSONL dumps, feeds)
and yields :class:`Unit`\\ s small enough to read, clean and embed in a worker
process: a chunk of JSONL lines, a batch of article files, or one feed.
:func:`read_unit` reads one unit with the core reader
(:func:`newsweave.ingest.load_inputs`) or :mod:`.feeds`, and gives every
article a stable id:

* JSONL dump: ``<cluster id>/<document id>`` (the cluster id is kept as
  ``source_cluster``);
* article file: its path (``<path>#<id>`` when one file holds several);
* feed entry: its guid, else its link.

A ``http(s)://`` input is a feed URL: fetched (by the reader) on every
run, never marked done; entries already stored are skipped by content.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..decode import MAX_BYTES, storable, too_big
from ..errors import InputError
from ..records import Article
from .feeds import FeedState, fetch_feed, is_url, looks_like_feed, parse_feed, read_feed

JSONL_EXTS = {".jsonl", ".ndjson"}
LINES_PER_UNIT = 400  # JSONL lines per unit (env NEWSWEAVE_INGEST_LINES)
FILES_PER_UNIT = 100
ENV_LINES = "NEWSWEAVE_INGEST_LINES"


@dataclass
class FileMark:
    """A file that is fully ingested once its last unit commits."""

    path: str
    size: int
    mtime: float


@dataclass
class Deferred:
    """A file left for a later run: modified too recently to be complete."""

    path: str


@dataclass
class Repeated:
    """A file (or feed URL) named again by a later input of the same run (the
    same path twice, a file and its folder, a link to it): read once."""

    path: str
    given: str  # the input that named it again

    @property
    def warning(self) -> str:
        return f"{self.given}: {self.path} is already an input of this run; read once"


@dataclass
class Unit:
    """One piece of work for a reader process."""

    kind: str  # "jsonl" | "files" | "feed" | "url" (a feed URL)
    paths: list[str]
    nbytes: int
    start: int = 1  # line number of ``data``'s first line (jsonl)
    data: bytes = b""
    done: list[FileMark] = field(default_factory=list)  # files complete after this unit
    max_bytes: int = MAX_BYTES  # largest file (or chunk of lines) read
    validators: tuple[str | None, str | None] = (None, None)  # url: (etag, last_modified)
    skipped: list[str] = field(default_factory=list)  # jsonl: lines over max_bytes, not read
    form: str | None = None  # jsonl: the dump's form, "articles" or "clusters" (.dumps)


@dataclass
class Read:
    """Articles read from one unit (``clusters[i]`` is article i's source cluster)."""

    articles: list[Article]
    clusters: list[str | None]
    warnings: list[str]
    # files that could not be read (too big, binary...): not marked as done,
    # so the next run reads them again (e.g. with a higher --max-bytes)
    failed: list[str] = field(default_factory=list)
    # a feed URL: its validators, and whether it was unchanged since the last run
    feed: FeedState | None = None
    # files that changed between the plan and the read (being written: what
    # was read may be half of them): not stored, not marked done, read by a
    # later run (counted as deferred)
    changed: list[str] = field(default_factory=list)


def _mark(path: Path) -> FileMark:
    st = path.stat()
    return FileMark(storable(str(path)), st.st_size, st.st_mtime)


def check_paths(paths: list[str]) -> None:
    """Fail before anything is written when an input is missing or unreadable."""
    if not paths:
        raise InputError("no input given: name files, folders, JSONL dumps or feeds to ingest")
    for raw in paths:
        if is_url(raw):
            continue  # fetched when read; a failure is named then
        p = Path(raw)
        if raw == "-" and not p.exists():
            raise InputError(
                "-: the story commands do not read standard input (a run is resumed by "
                "re-reading its inputs); save the articles to a file, folder or JSONL dump "
                "and name it"
            )
        if not p.exists():
            raise InputError(f"{raw}: no such file or directory")
        if not os.access(p, os.R_OK):
            raise InputError(f"{raw}: cannot be read (permission denied)")
        if p.is_file():
            try:
                with p.open("rb") as fh:
                    fh.read(1)
            except OSError as exc:
                raise InputError(f"{raw}: cannot be read ({exc.strerror or exc})") from None


def _walk(root: Path) -> list[Path]:
    from ..ingest import walk_files

    return walk_files(root) if root.is_dir() else [root]


def _not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as an input file (a named pipe would make
    the reader wait forever), or None for a regular file."""
    if path.is_file():
        return None
    if not path.exists():
        return "a broken link" if path.is_symlink() else "no longer there"
    return "not a regular file (a pipe, socket or device); save its content to a file"


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(8192)  # room for a long XML prolog before a feed's root
    except OSError:
        return b""


def plan(
    paths: list[str],
    done: dict[str, tuple[int, float]],
    max_bytes: int = MAX_BYTES,
    min_age: float = 0.0,
    feeds: dict[str, tuple[str | None, str | None]] | None = None,
    db: str | os.PathLike[str] | None = None,
) -> Iterator[Unit | FileMark | Deferred | Repeated]:
    """Work units for ``paths``; files in ``done`` (path → size, mtime) with the
    same size and mtime are skipped and yielded as :class:`FileMark`. A file
    (a feed, an article) larger than ``max_bytes`` is skipped with a warning
    when read; a JSONL dump of any size is read in chunks of lines, and a
    line of it over ``max_bytes`` is skipped unread (a warning of its unit;
    the file is not marked done). A file modified less than ``min_age`` seconds ago (perhaps still being written)
    is left for a later run and yielded as :class:`Deferred`. ``feeds``
    gives each feed URL the validators of its last answer (conditional
    requests). The files of the story database ``db`` (its journal, lock and
    index cache) are left out of the folders walked: they are no articles.
    A file named again (the same path twice, a file and its folder) is read
    once and yielded again as :class:`Repeated`."""
    own = db_files(db) if db is not None else frozenset()
    for unit in _plan(paths, done, min_age, own, max_bytes):
        if isinstance(unit, Unit):
            unit.max_bytes = max_bytes
            if unit.kind == "url" and feeds and unit.paths[0] in feeds:
                unit.validators = feeds[unit.paths[0]]
        yield unit


DB_SUFFIXES = (
    "",
    "-wal",
    "-shm",
    "-journal",
    ".lock",
    ".ann",
    ".ann.json",
    ".ann.tmp",
    ".ann.json.tmp",
)


def db_files(db: str | os.PathLike[str]) -> frozenset[str]:
    """The real paths of the story database ``db`` and the files kept next to it."""
    return frozenset(os.path.realpath(f"{os.fspath(db)}{s}") for s in DB_SUFFIXES)


def _plan(
    paths: list[str],
    done: dict[str, tuple[int, float]],
    min_age: float,
    own: frozenset[str],
    max_bytes: int,
) -> Iterator[Unit | FileMark | Deferred | Repeated]:
    batch: list[tuple[Path, FileMark]] = []  # with the mark its age was checked on
    now = time.time()
    seen: set[str] = set()  # real paths (and URLs) planned so far: each is read once

    def flush() -> Iterator[Unit]:
        if batch:
            marks = [m for _, m in batch]
            paths = [str(p) for p, _ in batch]
            yield Unit("files", paths, sum(m.size for m in marks), done=marks)
            batch.clear()

    for raw in paths:
        if is_url(raw):
            if raw in seen:
                yield Repeated(raw, raw)
                continue
            seen.add(raw)
            yield from flush()
            yield Unit("url", [raw], 0)
            continue
        for path in _walk(Path(raw)):
            real = os.path.realpath(path)
            if own and path != Path(raw) and real in own:
                continue  # the database, in a folder ingested into it
            if real in seen:
                yield Repeated(storable(str(path)), storable(raw))
                continue
            seen.add(real)
            if _not_regular(path):  # the reader names it in a warning
                yield from flush()
                yield Unit("files", [str(path)], 0)
                continue
            try:
                mark = _mark(path)
            except OSError:  # gone since the walk (e.g. a file being moved in)
                yield from flush()
                yield Unit("files", [str(path)], 0)
                continue
            if done.get(mark.path) == (mark.size, mark.mtime):
                yield mark
                continue
            if min_age and now - mark.mtime < min_age:
                yield Deferred(mark.path)
                continue
            if path.suffix.lower() in JSONL_EXTS:
                yield from flush()
                from .dumps import jsonl_units

                yield from jsonl_units(path, mark, max_bytes)
            elif looks_like_feed(path, _head(path)):
                yield from flush()
                yield Unit("feed", [str(path)], mark.size, done=[mark])
            else:
                batch.append((path, mark))
                if len(batch) >= FILES_PER_UNIT:
                    yield from flush()
    yield from flush()


_STDIN_LINE = re.compile(r"\bstdin:(\d+)")


def read_unit(unit: Unit) -> Read:
    """Articles of one unit; unusable parts become warnings naming the file.
    File names that are not valid UTF-8 appear in ids, origins and
    warnings as :func:`storable` text.

    Raises :class:`InputError` only for a single named feed that cannot be
    read at all (callers decide whether that stops the run).
    """
    try:
        read = _read_unit(unit)
    except InputError as exc:
        raise InputError(storable(str(exc))) from None
    for a in read.articles:
        a.id, a.origin = storable(a.id), a.origin and storable(a.origin)
        a.title = a.title and storable(a.title)
    read.clusters = [c and storable(c) for c in read.clusters]
    read.warnings = [storable(w) for w in read.warnings]
    read.failed = [storable(f) for f in read.failed]
    read.changed = [storable(f) for f in read.changed]
    return read


def _changed(path: str, unit: Unit) -> bool:
    """Whether the file ``path`` is no longer as the plan marked it (its
    size or mtime differ): it is being written, so what was read of it may
    be incomplete."""
    mark = next((m for m in unit.done if m.path == storable(path)), None)
    if mark is None:
        return False
    try:
        st = os.stat(path)
    except OSError:
        return True
    return (st.st_size, st.st_mtime) != (mark.size, mark.mtime)


def _read_unit(unit: Unit) -> Read:
    if unit.kind == "url":
        url = unit.paths[0]
        etag, modified = unit.validators
        got = fetch_feed(url, unit.max_bytes, etag=etag, last_modified=modified)
        state = FeedState(url, got.etag, got.last_modified, got.body is None)
        if got.body is None:  # 304: nothing new since the last run
            return Read([], [], [], feed=state)
        data = got.body
        try:
            arts, warns = parse_feed(data, url)
        except InputError as exc:
            if data.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html")):
                raise InputError(
                    f"{url}: an HTML page, not an RSS/Atom feed; ingest reads feeds by URL "
                    "(save an article page as a file to ingest it)"
                ) from exc
            raise
        return Read(arts, [None] * len(arts), warns, feed=state)
    if unit.kind == "feed":
        try:
            size = Path(unit.paths[0]).stat().st_size
        except OSError:  # read_feed names the problem
            size = 0
        if size > unit.max_bytes:
            why = too_big(unit.paths[0], size, unit.max_bytes)
            return Read([], [], [f"skipped {why}"], failed=[unit.paths[0]])
        try:
            arts, warns = read_feed(Path(unit.paths[0]))
        except InputError:
            if _changed(unit.paths[0], unit):  # half written: read it again later
                return Read([], [], [], changed=[unit.paths[0]])
            raise
        if _changed(unit.paths[0], unit):
            return Read([], [], [], changed=[unit.paths[0]])
        return Read(arts, [None] * len(arts), warns)
    if unit.kind == "jsonl":
        from .dumps import read_jsonl

        return read_jsonl(unit)
    return _read_files(unit)


def _is_sidecar(path: str, max_bytes: int) -> bool:
    """Whether ``path`` is a ``meta.json`` side-car: not an article, but the
    metadata the core reader applies to the files next to it."""
    from ..decode import read_file_bytes, read_text_bytes
    from ..formats import is_sidecar
    from ..ingest import SIDECAR
    from ..jsonin import load_json

    if Path(path).name != SIDECAR:
        return False
    try:
        text, _ = read_text_bytes(read_file_bytes(Path(path), path, max_bytes), path)
        obj = load_json(text, path)
    except InputError:
        return False
    return isinstance(obj, dict) and is_sidecar(obj)


def _json_clusters(path: str, max_bytes: int) -> bool:
    """Whether ``path`` is a ``.json`` file of clusters (``{"id", "documents":
    [...]}`` or a list of them): its articles are stored as a JSONL dump's
    clusters are, ``<cluster id>/<document id>`` with the cluster id as
    their source cluster, not as one file's articles."""
    from ..decode import read_file_bytes, read_text_bytes
    from ..formats import CLUSTER_KEYS
    from ..jsonin import load_json

    if Path(path).suffix.lower() != ".json":
        return False
    try:
        text, _ = read_text_bytes(read_file_bytes(Path(path), path, max_bytes), path)
        obj = load_json(text, path)
    except InputError:
        return False
    items = obj if isinstance(obj, list) else [obj]
    return bool(items) and all(isinstance(o, dict) and CLUSTER_KEYS & set(o) for o in items)


def _read_files(unit: Unit) -> Read:
    from ..ingest import load_inputs

    arts: list[Article] = []
    owners: list[str | None] = []
    warns: list[str] = []
    failed: list[str] = []
    changed: list[str] = []
    for path in unit.paths:
        why = _not_regular(Path(path))
        if why:
            warns.append(f"skipped {path}: {why}")
            failed.append(path)
            continue
        if _is_sidecar(path, unit.max_bytes):  # read with the files it describes
            continue
        try:
            clusters = load_inputs([path], max_bytes=unit.max_bytes)
        except InputError as exc:
            if _changed(path, unit):
                changed.append(path)
            else:
                warns.append(f"skipped {exc}")
                failed.append(path)
            continue
        if _changed(path, unit):  # being written: what was read may be half of it
            changed.append(path)
            continue
        got = [(c, a) for c in clusters for a in c.articles]
        dump = _json_clusters(path, unit.max_bytes)
        for c, a in got:
            warns.extend(c.warnings)
            if dump:  # as a line of a JSONL dump of clusters: <cluster id>/<document id>
                a.meta["doc_id"] = a.id
                a.id = f"{c.id}/{a.id}"
                arts.append(a)
                owners.append(c.id)
                continue
            if len(got) == 1:
                a.id = path
            else:
                a.meta["doc_id"] = a.id
                a.id = f"{path}#{c.id}/{a.id}" if len(clusters) > 1 else f"{path}#{a.id}"
            arts.append(a)
            owners.append(c.id if len(clusters) > 1 else None)
    return Read(arts, owners, list(dict.fromkeys(warns)), failed, changed=changed)
