"""The story database: one SQLite file, numbered schema migrations, WAL.

Every write happens inside :meth:`Store.transaction` (``BEGIN IMMEDIATE`` …
``COMMIT``), and the file runs in WAL mode, so a process killed at any point
(even with ``SIGKILL``) leaves the database as it was after the last committed
batch. Each migration is one numbered step run in its own transaction;
``PRAGMA user_version`` records the last one applied.

The database is chosen by ``--db``, else the ``NEWSWEAVE_DB`` environment
variable, else ``newsweave.db`` in the current directory.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import InputError, OutputError
from .readonly import connect, unwritable
from .schema import MIGRATIONS, SCHEMA_VERSION

ENV_DB = "NEWSWEAVE_DB"
DEFAULT_DB = "newsweave.db"


def default_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file: ``path``, else ``$NEWSWEAVE_DB``, else ``./newsweave.db``."""
    return Path(path or os.environ.get(ENV_DB) or DEFAULT_DB)


class Store:
    """An open story database (one SQLite connection, one thread)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: str | None = None) -> None:
        self.path = path
        self.conn = conn
        self.read_only = read_only  # why it was opened read-only, or None

    def require_writable(self, what: str) -> None:
        """Raise :class:`OutputError` when ``what`` (a command) cannot write here."""
        if self.read_only:
            raise OutputError(
                f"{self.path}: {what} cannot write to this story database: {self.read_only}; "
                "'newsweave stories' and 'newsweave story' can still read it"
            )

    # -- plumbing --------------------------------------------------------------
    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        try:
            self.conn.close()
        except sqlite3.Error:  # pragma: no cover - closing a broken handle
            pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn SQLite failures into :class:`InputError` naming the file."""
        with translate_errors(self.path):
            yield

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all."""
        self.require_writable("this command")
        with self.errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:  # SQLite rolls back itself on a full disk
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one state of the database: a read transaction, so
        the commits of a concurrent ingest land before or after all of them
        (WAL). Inside a transaction already: nothing more to do."""
        if self.conn.in_transaction:
            yield
            return
        with self.errors():
            self.conn.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                with self.errors():
                    self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Rows of a read-only statement."""
        with self.errors():
            return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple | dict = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    # -- settings ----------------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        """A stored setting (JSON value) or ``default``."""
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else json.loads(value)

    def set_setting(self, conn: sqlite3.Connection, key: str, value: Any) -> None:
        """Store a setting inside the caller's transaction."""
        conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    # -- document frequencies ------------------------------------------------------
    def idf_counts(self, model: str, kind: str) -> tuple[int, bytes] | None:
        """The stored ``(docs, df blob)`` counters of ``model`` (``kind`` is
        ``live`` or ``weights``), or None."""
        rows = self.query("SELECT docs, df FROM idf WHERE model = ? AND kind = ?", (model, kind))
        return (int(rows[0][0]), bytes(rows[0][1])) if rows else None

    def set_idf_counts(
        self, conn: sqlite3.Connection, model: str, kind: str, docs: int, df: bytes
    ) -> None:
        """Store counters inside the caller's transaction."""
        conn.execute(
            "INSERT INTO idf(model, kind, docs, df) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(model, kind) DO UPDATE SET docs = excluded.docs, df = excluded.df",
            (model, kind, int(docs), df),
        )

    def feed_validators(self) -> dict[str, tuple[str | None, str | None]]:
        """Feed URL → ``(etag, last_modified)`` of its last full answer."""
        return {
            r[0]: (r[1], r[2]) for r in self.query("SELECT url, etag, last_modified FROM feeds")
        }

    def set_feed_validators(
        self, conn: sqlite3.Connection, url: str, etag: str | None, last_modified: str | None
    ) -> None:
        """Record a feed's validators inside the caller's transaction."""
        import time

        conn.execute(
            "INSERT INTO feeds(url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
            (url, etag, last_modified, time.time()),
        )

    @property
    def version(self) -> int:
        return int(self.scalar("PRAGMA user_version") or 0)

    def integrity(self) -> str:
        """``PRAGMA integrity_check``: ``"ok"`` for a sound file."""
        rows = self.query("PRAGMA integrity_check")
        return "; ".join(str(r[0]) for r in rows)


@contextmanager
def translate_errors(path: Path | str) -> Iterator[None]:
    """Report SQLite errors as :class:`InputError` naming the database file."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        msg = str(exc)
        if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
            raise InputError(
                f"{path}: the story database is damaged or not a newsweave database "
                f"({msg}); nothing was changed. Move it aside and re-run the ingest "
                "to rebuild it from your inputs."
            ) from None
        if "readonly" in msg or "read-only" in msg:
            raise OutputError(
                f"{path}: cannot write to the story database, it is read-only ({msg}); "
                "check the permissions of the file, its -wal and -shm files and its folder"
            ) from None
        if "disk is full" in msg or "disk I/O error" in msg:
            raise OutputError(
                f"{path}: cannot write to the story database or its -wal/-shm files ({msg}: "
                "the disk is full, the file too large for the file system or the device "
                "failing); nothing committed is lost (an unfinished write is rolled back): "
                "make room and run the same command again"
            ) from None
        if "locked" in msg or "busy" in msg:
            raise InputError(
                f"{path}: the story database is busy (another newsweave process is "
                f"writing to it: {msg}); try again when it is done"
            ) from None
        raise InputError(f"{path}: story database error: {msg}") from None


def sqlite_errors(func):
    """``func(store, ...)`` with a SQLite failure met outside a transaction
    (a damaged page read while planning, listing or clustering) reported as
    :func:`translate_errors` does, not as an internal error with a traceback."""

    @functools.wraps(func)
    def wrapped(store: Store, *args, **kwargs):
        with store.errors():
            return func(store, *args, **kwargs)

    return wrapped


def _check_kind(store: Store) -> int:
    """The schema version of an opened file, after checking, before anything
    is written to it, that newsweave can use it: not newer than this code,
    and not another program's SQLite database (version 0 holding tables)."""
    with store.snapshot():  # the version and the tables of one state: another
        return _kind(store)  # process may be creating the same new file


def _kind(store: Store) -> int:
    current = store.version
    if current > SCHEMA_VERSION:
        raise InputError(
            f"{store.path}: the story database has schema version {current}, newer than "
            f"this newsweave understands ({SCHEMA_VERSION}); upgrade newsweave"
        )
    if current == 0:
        names = [
            r[0]
            for r in store.query(
                "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        if names:
            shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
            raise InputError(
                f"{store.path}: a SQLite database, but not a newsweave story database "
                f"(it holds {shown}); nothing was changed. Choose another file with --db."
            )
    return current


def _migrate(store: Store, current: int) -> None:
    for version in range(current, SCHEMA_VERSION):
        with store.transaction() as conn:
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) > version:
                continue  # another process opening the file applied it meanwhile
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")


def open_db(
    path: str | os.PathLike[str] | None = None, *, create: bool = True, timeout: float = 30.0
) -> Store:
    """Open (and create or migrate) the story database.

    ``path`` defaults to ``$NEWSWEAVE_DB`` or ``./newsweave.db``. With
    ``create=False`` a missing or empty file, or a SQLite file without a
    table, is an :class:`InputError` (and the file stays as it was). A file that is
    not a SQLite database, or is damaged, raises :class:`InputError` naming it
    and is left untouched.
    """
    db_path = default_path(path)
    if db_path.is_dir():
        raise InputError(f"{db_path}: is a directory, not a story database file")
    if db_path.exists() and not db_path.is_file():  # SQLite would fail on it with "disk I/O"
        raise InputError(
            f"{db_path}: not a regular file (a device, a pipe or a socket), not a story "
            "database; nothing was changed. Choose another file with --db."
        )
    if not db_path.exists():
        if not create:
            raise InputError(
                f"{db_path}: no story database here; create one with 'newsweave ingest'"
            )
        if db_path.parent and not db_path.parent.exists():
            raise InputError(f"{db_path}: folder {db_path.parent} does not exist")
    elif not create and not db_path.stat().st_size:  # reading must not make it a database
        raise InputError(
            f"{db_path}: an empty file, not a story database; nothing was changed. "
            "Create one with 'newsweave ingest'"
        )
    elif db_path.stat().st_size and not _looks_like_sqlite(db_path):
        raise InputError(
            f"{db_path}: not a newsweave story database (not a SQLite file); "
            "nothing was changed. Choose another file with --db."
        )
    why = unwritable(db_path)
    if why and create:  # a writer: say so now, not after reading its inputs
        raise OutputError(f"{db_path}: cannot write the story database: {why}")
    with translate_errors(db_path):
        conn = connect(db_path, timeout, why)
    conn.row_factory = sqlite3.Row
    conn.create_function("nw_contains", 2, _contains, deterministic=True)
    store = Store(db_path, conn, read_only=why)
    try:
        current = _check_kind(store)  # before the first write (WAL mode is one)
        if current == 0 and not create:  # SQLite, but no table: reading must not fill it
            raise InputError(
                f"{db_path}: an empty SQLite database, not a story database; nothing was "
                "changed. Create one with 'newsweave ingest'"
            )
        if why:  # read it as it is: no pragma, no migration
            if current < SCHEMA_VERSION:
                raise OutputError(
                    f"{db_path}: the story database has schema version {current} and must be "
                    f"upgraded to {SCHEMA_VERSION} before it can be read, which needs "
                    f"writing to it: {why}"
                )
            return store
        with store.errors():
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA cache_size = -65536")  # 64 MiB page cache
        _migrate(store, current)
    except BaseException:
        store.close()
        raise
    return store


@contextmanager
def for_writing(path: str | os.PathLike[str] | None = None) -> Iterator[Store]:
    """:func:`open_db` for a command that writes, closed at the end: when the
    command fails before it stored any article in a database it created
    (every input unusable, a bad option, an unreachable cluster), the new
    file is removed again, so a failed first run leaves nothing behind.

    Only a file this call created is ever removed, and only while no other
    writer holds the database's lock: two commands started at once on a new
    path both open it, and the one that fails (e.g. refused by the writer
    lock) must not delete the database the other is writing."""
    target = default_path(path)
    created = _create(target)
    try:
        store = open_db(path)
    except BaseException:
        if created:
            _remove(target)
        raise
    try:
        yield store
    except BaseException:
        if created:
            _remove_unused(store, target)
        raise
    finally:
        store.close()


def _create(target: Path) -> bool:
    """Create ``target`` as an empty file; False when it exists already (or
    cannot be made here: :func:`open_db` then says why)."""
    if not target.parent.is_dir():
        return False
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    except OSError:
        return False
    return True


def _remove(target: Path) -> None:
    for extra in ("", "-wal", "-shm", "-journal", ".lock"):
        Path(f"{target}{extra}").unlink(missing_ok=True)


def _remove_unused(store: Store, target: Path) -> None:
    """Remove the database ``store`` created at ``target`` unless it holds
    articles or another writer is using it."""
    from .lock import writer

    try:
        with writer(target, "cleanup"):
            if not _holds_articles(store):
                store.close()
                _remove(target)
    except InputError:  # another command writes to it now: it is theirs
        pass


def _holds_articles(store: Store) -> bool:
    try:
        return bool(store.scalar("SELECT count(*) FROM articles"))
    except (sqlite3.Error, InputError):
        return True  # cannot tell: keep the file


def fold(text: str) -> str:
    """``text`` for a search that ignores case and accents: NFKD, combining
    marks and invisible format characters (zero-width spaces, soft hyphens)
    dropped, case-folded, runs of white space (line breaks too) made one
    space ("Zürich" and "ZURICH" both give "zurich"), as a title looks in a
    listing."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    kept = (
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return " ".join("".join(kept).casefold().split())


def _contains(haystack: str | None, folded_needle: str) -> int:
    """SQL ``nw_contains(text, needle)``: whether ``text`` contains the
    already :func:`fold`-ed needle, ignoring case and accents."""
    if not haystack:
        return 0
    if haystack.isascii():  # most titles: lower() and spaces are the whole fold, and cheaper
        return int(folded_needle in " ".join(haystack.lower().split()))
    return int(folded_needle in fold(haystack))


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError as exc:
        raise InputError(f"{path}: cannot read the story database ({exc.strerror})") from None


def vector_blobs(
    conn: sqlite3.Connection, model: str, seqs: Sequence[int], chunk: int = 500
) -> list[tuple[int, bytes]]:
    """``(article seq, stored vector blob)`` of the ``model`` embeddings of
    ``seqs`` that exist (in no particular order), queried ``chunk`` at a time."""
    rows: list[tuple[int, bytes]] = []
    for i in range(0, len(seqs), chunk):
        part = list(seqs[i : i + chunk])
        rows += [
            (int(r[0]), r[1])
            for r in conn.execute(
                "SELECT article, vector FROM embeddings WHERE model = ? "
                f"AND article IN ({','.join('?' * len(part))})",
                (model, *part),
            )
        ]
    return rows
