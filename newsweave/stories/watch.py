"""Keep the story database current as articles arrive: ingest the same inputs
again and again (``newsweave ingest ... --watch SECONDS``).

Each round is an ordinary :func:`.ingest.ingest` run, so everything it
promises holds per round: files already ingested are skipped, articles
already stored are skipped by content, every unit is committed whole, and
the articles a round leaves alone get their second chance at its end. A
folder's new files, a feed file that changed and a feed URL's new entries
are picked up by the next round. A file modified less than ``min_age``
seconds before a round (perhaps still being copied in) waits for a later
round, as does a file that changed between the round's plan and its read,
so a half-written file is not stored.

The first round checks the inputs: its :class:`~newsweave.errors.InputError`
stops the watch (a wrong path, or inputs none of which can be read, is a
wrong command); an empty folder is not an error (files may land in it
later), nor is another writer holding the database (the round is reported
and the next one tries again). A later round's error
(a feed URL that is down, a folder moved away) is reported and the watch
goes on. An interrupt (Ctrl-C) ends the watch after the committed units,
which count in the totals; the rest of the round in progress is read by
the next run. A database that cannot be written (a full disk, a file made
read-only) stops the watch with :class:`WatchStopped`, an
:class:`~newsweave.errors.OutputError` holding the totals so far (those
committed units too).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, OutputError
from .db import Store
from .ingest import IngestStats, ingest
from .lock import WriterBusy

MIN_AGE = 2.0  # seconds since a file's last change before a watch round reads it


@dataclass
class Round:
    """One round of a watch: its counts, or the error that ended it."""

    number: int
    stats: IngestStats | None = None
    error: str | None = None


@dataclass
class WatchResult:
    """What a watch did, summed over its rounds."""

    rounds: int = 0
    failed_rounds: int = 0
    read: int = 0
    stored: int = 0
    new_stories: int = 0
    interrupted: bool = False
    last_error: str | None = None

    def add(self, r: Round) -> None:
        self.rounds += 1
        if r.stats is None:
            self.failed_rounds += 1
            self.last_error = r.error
            return
        self.read += r.stats.read
        self.stored += r.stats.stored
        self.new_stories += r.stats.new_stories


class WatchStopped(OutputError):
    """The database could not be written (a full disk, a read-only file): the
    watch stopped; ``result`` holds its totals so far."""

    def __init__(self, message: str, result: WatchResult):
        super().__init__(message)
        self.result = result


def watch(
    store: Store,
    paths: list[str],
    *,
    every: float,
    rounds: int | None = None,
    min_age: float = MIN_AGE,
    sleep: Callable[[float], Any] = time.sleep,
    on_round: Callable[[Round], Any] | None = None,
    **options: Any,
) -> WatchResult:
    """Ingest ``paths`` into ``store`` every ``every`` seconds (counted from
    the end of one round to the start of the next) until ``rounds`` rounds
    are done, or forever when ``rounds`` is None, until interrupted.

    ``options`` are those of :func:`.ingest.ingest`; ``on_round`` is called
    after each round. Raises :class:`InputError` when the first round fails
    for its inputs (nothing is watched then; another writer holding the
    database is only a failed round), and :class:`WatchStopped` when the
    database cannot be written; see the module docstring.
    """
    if every < 0:
        raise InputError(f"--watch must be 0 seconds or more, not {every:g}")
    if rounds is not None and rounds < 1:
        raise InputError(f"--rounds must be 1 or more, not {rounds}")
    result = WatchResult()
    number = 0
    try:
        while rounds is None or number < rounds:
            if number:
                sleep(every)
            number += 1
            got = IngestStats()  # filled unit by unit: kept when the round is cut short
            try:
                with store.errors():  # a damaged page: an InputError naming the file
                    ingest(store, paths, min_age=min_age, idle_ok=True, stats=got, **options)
                r = Round(number, got)
            except InputError as exc:
                if number == 1 and not isinstance(exc, WriterBusy):  # a wrong command
                    raise
                r = Round(number, error=str(exc))
            except (KeyboardInterrupt, OutputError):
                result.add(Round(number, got))  # its committed units count
                raise
            result.add(r)
            if on_round is not None:
                on_round(r)
    except KeyboardInterrupt:
        result.interrupted = True
    except OutputError as exc:  # a full disk, a read-only database: no round can store
        raise WatchStopped(str(exc), result) from None
    return result


__all__ = ["MIN_AGE", "Round", "WatchResult", "WatchStopped", "watch"]
