"""One writer of stories at a time.

``ingest``, ``recluster`` and the write of a batch job keep state in memory
across their transactions (the clusterer, the next story id, the document
frequencies). Two of them writing one database at once would each assign
articles to stories the other does not know of, and mix unrelated stories
(measured: two concurrent ingests of different stories into one database
left 30 of 32 stories mixing two subjects). So each holds the database's
writer lock for its whole run: an advisory ``flock`` on ``<db>.lock`` next
to the database, released when the run ends or its process dies (even
after ``kill -9``). A second writer is refused at once with a message
naming the first; readers (``stories``, ``story``, the web layer) never
take the lock.

On systems without ``fcntl`` (Windows) there is no lock.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError


class WriterBusy(InputError):
    """Another process holds the writer lock: nothing wrong with the command,
    it may run once the other has ended."""


_HELD: dict[str, int] = {}  # lock files this process holds → nesting depth
_FDS: dict[str, int] = {}  # their open descriptors


def lock_path(db_path: Path) -> Path:
    """The lock file of the database at ``db_path``."""
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def writer(db_path: Path, what: str) -> Iterator[None]:
    """Hold the writer lock of ``db_path`` for ``what`` (e.g. ``"ingest"``),
    or raise :class:`InputError` naming the command that holds it. Nested
    use in one process is allowed."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    path = lock_path(Path(db_path))
    key = str(path.resolve())
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:  # no lock file possible here: the database write will say why
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WriterBusy(
                f"{db_path}: {_holder(fd)} is writing to this story database; "
                "wait for it to finish (or stop it) and run this again"
            ) from None
        os.ftruncate(fd, 0)
        note = {"pid": os.getpid(), "command": what, "since": round(time.time())}
        os.write(fd, json.dumps(note).encode())
        _HELD[key], _FDS[key] = 1, fd
        try:
            yield
        finally:
            del _HELD[key], _FDS[key]
    finally:
        os.close(fd)  # releases the lock


def drop_inherited() -> None:
    """In a process forked by a lock holder (a reader process of ``ingest``):
    close the inherited lock descriptors. A ``flock`` belongs to the open
    file, so a child that kept it would hold the lock after its parent died,
    and every later writer would be refused."""
    for fd in _FDS.values():
        try:
            os.close(fd)
        except OSError:  # pragma: no cover - already closed
            pass
    _FDS.clear()
    _HELD.clear()


def _holder(fd: int) -> str:
    try:
        note = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"another newsweave {note['command']} (process {note['pid']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another newsweave command"


__all__ = ["WriterBusy", "drop_inherited", "lock_path", "writer"]
