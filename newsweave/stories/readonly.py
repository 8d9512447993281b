"""A story database that cannot be written: why, and how to read it anyway.

A database on a read-only mount, a read-only (or immutable) file, or one in
a folder where SQLite cannot make its ``-wal`` and ``-shm`` files, is
opened read-only by the commands that only read (``stories``, ``story``,
the web pages); the commands that write refuse it up front, naming the
file and the reason (:func:`unwritable`).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import OutputError


def folder_of(db_path: Path) -> Path:
    """The folder that holds the database (and its -wal, -shm files)."""
    return db_path.parent if str(db_path.parent) else Path(".")


def read_only_fs(folder: Path) -> bool:
    """Whether ``folder`` is on a file system mounted read-only."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def unwritable(db_path: Path) -> str | None:
    """Why the database at ``db_path`` (its file, or the folder that holds
    its ``-wal`` and ``-shm`` files) cannot be written, or None."""
    folder = folder_of(db_path)
    if read_only_fs(folder):
        return f"it is on a read-only file system ({folder})"
    if db_path.exists() and not os.access(db_path, os.W_OK):
        return "the file is read-only (no write permission, or immutable)"
    if not os.access(folder, os.W_OK):
        extras = [Path(f"{db_path}{x}") for x in ("-wal", "-shm")]
        if not all(p.exists() and os.access(p, os.W_OK) for p in extras):
            return f"its folder {folder} is read-only, so its -wal and -shm files cannot be made"
    return None


def connect(db_path: Path, timeout: float, read_only: str | None) -> sqlite3.Connection:
    """A connection to ``db_path``; read-only (``mode=ro``) when it cannot be
    written. SQLite reads a WAL database through its ``-shm`` file: when
    there is none and none can be made, the file is read as ``immutable``,
    but only on a read-only file system, where no writer can change it
    meanwhile (elsewhere a writer could, and the reader would see a torn
    file)."""
    if not read_only:
        return sqlite3.connect(db_path, timeout=timeout, isolation_level=None)
    uri = Path(os.path.abspath(db_path)).as_uri()
    folder = folder_of(db_path)
    shm, wal = Path(f"{db_path}-shm"), Path(f"{db_path}-wal")
    frozen = read_only_fs(folder)
    if shm.exists() or (not frozen and os.access(folder, os.W_OK)):
        return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
    if not frozen:
        raise OutputError(
            f"{db_path}: cannot read the story database: {read_only}, and SQLite needs its "
            "-shm file to read it while another process may write to it; run this where the "
            "folder is writable, or read a copy"
        )
    if wal.exists() and wal.stat().st_size:
        raise OutputError(
            f"{db_path}: cannot read the story database: {read_only}, and its -wal file holds "
            "changes that only a writable copy can read; copy the file with its -wal to a "
            "writable folder and read that"
        )
    return sqlite3.connect(
        f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout, isolation_level=None
    )


__all__ = ["connect", "folder_of", "read_only_fs", "unwritable"]
