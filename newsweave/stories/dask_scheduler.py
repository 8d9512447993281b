"""Where the Dask batch job runs (:func:`use_scheduler`): the local machine
(threads, processes, synchronous) or a ``distributed`` cluster (a client, a
scheduler address, or a local cluster started for the job)."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import InputError, require


def _client_of(scheduler: Any) -> Any | None:
    """The ``distributed.Client`` that ``scheduler`` is (or whose ``get`` it is)."""
    dist = sys.modules.get("distributed")
    owner = getattr(scheduler, "__self__", scheduler)
    return owner if dist is not None and isinstance(owner, dist.Client) else None


def _is_cluster_spec(scheduler: Any) -> bool:
    return isinstance(scheduler, str) and ("://" in scheduler or scheduler.startswith("local:"))


MAX_LOCAL_PER_CPU = 4  # local:N worker processes per CPU at most


def check_scheduler(scheduler: str | Any) -> None:
    """Raise :class:`InputError` for a scheduler name, ``local:N`` or address
    that cannot work, without starting or reaching anything (so a command
    can refuse it before it opens a database). A client is not checked."""
    if not isinstance(scheduler, str) or _client_of(scheduler) is not None:
        return
    if not _is_cluster_spec(scheduler):
        base = require("dask.base", "the Dask batch path (dask)", 'pip install "newsweave[dask]"')
        if scheduler not in base.named_schedulers:
            raise InputError(
                f"unknown scheduler {scheduler!r}: use synchronous, threads, processes, "
                "local:N (a local cluster of N worker processes) or a scheduler address "
                "such as tcp://HOST:8786"
            )
        return
    dist = require(
        "distributed", "the Dask cluster scheduler (distributed)", 'pip install "newsweave[dask]"'
    )
    if scheduler.startswith("local:"):
        n = scheduler.removeprefix("local:")
        if not n.isdigit() or int(n) < 1:
            raise InputError(f"scheduler {scheduler!r}: give local:N with N >= 1 worker processes")
        most = MAX_LOCAL_PER_CPU * (os.cpu_count() or 1)
        if int(n) > most:
            raise InputError(
                f"scheduler {scheduler!r}: {int(n)} worker processes on a machine with "
                f"{os.cpu_count() or 1} CPUs; give local:N with N <= {most} (a larger "
                "cluster is started apart: dask scheduler / dask worker, then tcp://HOST:8786)"
            )
    elif not scheduler.startswith("inproc://"):
        try:  # a known scheme, a host and a port, before any connection attempt
            dist.comm.get_address_host_port(scheduler)
        except ValueError as exc:
            raise InputError(
                f"scheduler {scheduler!r} is not a scheduler address ({exc}); "
                "give one such as tcp://HOST:8786"
            ) from None


@contextmanager
def connect(scheduler: str | Any, connect_timeout: float = 5.0) -> Iterator[Any]:
    """What to pass to :func:`.distributed.run_job` and, with the job,
    :func:`.distributed_store.write_job`, open for the ``with`` block.

    For ``"local:N"`` (a ``distributed.LocalCluster`` of N one-thread worker
    processes, no dashboard) and a scheduler address (``"tcp://HOST:8786"``,
    reached within ``connect_timeout`` seconds) this yields a connected
    ``distributed.Client``, closed (with its local cluster) after the block:
    a job run with it keeps its articles on the cluster's workers until the
    write reads them. Anything else is yielded as it is (checked by
    :func:`use_scheduler`). Raises :class:`InputError` for a malformed or
    unreachable address, :class:`~newsweave.errors.MissingDependency` when
    ``distributed`` is not installed.
    """
    if not _is_cluster_spec(scheduler):
        yield scheduler
        return
    dist = require(
        "distributed", "the Dask cluster scheduler (distributed)", 'pip install "newsweave[dask]"'
    )
    check_scheduler(scheduler)
    _drop_all_exit()
    cluster = client = None
    try:
        if scheduler.startswith("local:"):
            with _sigint_blocked():  # inherited: Ctrl-C is this process's to handle
                cluster = dist.LocalCluster(
                    n_workers=int(scheduler.removeprefix("local:")),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    # its HTTP server (health checks) on a free port: on 8787, the
                    # default, it warned whenever another Dask dashboard was there
                    scheduler_kwargs={"dashboard_address": ":0"},
                )
        client = dist.Client(cluster or scheduler, timeout=connect_timeout, set_as_default=False)
    except (OSError, ValueError, ImportError, RuntimeError) as exc:
        if cluster is not None:
            cluster.close()
        raise InputError(
            f"cannot connect to the Dask scheduler at {scheduler} ({exc}); "
            "is `dask scheduler` running there and reachable?"
        ) from None
    except KeyboardInterrupt:  # while the cluster started
        _stop(cluster, client)
        raise
    try:
        yield client
    except KeyboardInterrupt:
        _stop(cluster, client)
        raise
    with _quiet_nannies():
        client.close()
        if cluster is not None:
            cluster.close()


class _StillAliveFilter(logging.Filter):
    """Drop the nanny's "Worker process still alive after 4.0 seconds,
    killing": a local cluster closed after a finished job ends its idle
    workers, and on a busy machine some take longer than the nanny waits;
    nothing is lost, but the line looked like a failure after every run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Worker process still alive")


@contextmanager
def _quiet_nannies() -> Iterator[None]:
    log = logging.getLogger("distributed.nanny")
    quiet = _StillAliveFilter()
    log.addFilter(quiet)
    try:
        yield
    finally:
        log.removeFilter(quiet)


def _stop(cluster: Any | None, client: Any | None) -> None:
    """Close a job's client and local cluster after Ctrl-C, quietly: the
    workers are ended at once and the complaints of a cluster closed
    mid-task are silenced."""
    _quiet()
    if cluster is not None:
        _kill_workers(cluster)
    if client is not None:
        client.close()
    if cluster is not None:
        cluster.close()


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT blocked in this thread while the processes of a local cluster
    start: the threads that start them, and so the processes, inherit the
    block, so Ctrl-C (sent to the whole process group) reaches this process
    only, which stops the job and closes the cluster, instead of every
    worker dying mid-task with a traceback of its own. A Ctrl-C meanwhile
    is not lost: another thread of this process takes it, or it waits
    until the block ends."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    from multiprocessing import resource_tracker

    # started later, by a cluster thread, it would unblock SIGINT there
    resource_tracker.ensure_running()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _quiet() -> None:
    """Silence Dask's and asyncio's loggers in this process from now on: an
    interrupted job's cluster closes mid-task, and what it then logs
    (cancelled transfers, a worker gone) says nothing to the user."""
    for name in ("distributed", "asyncio", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


class _AllExitFilter(logging.Filter):
    """Drop asyncio's "Task exception was never retrieved" for distributed's
    ``AllExit``: its client ends a gather that way when the gather is
    abandoned (Ctrl-C during a job), and the record may be logged at any
    later moment, even as the process exits."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return type(exc).__name__ != "AllExit"


def _drop_all_exit() -> None:
    log = logging.getLogger("asyncio")
    if not any(isinstance(f, _AllExitFilter) for f in log.filters):
        log.addFilter(_AllExitFilter())


def _kill_workers(cluster: Any) -> None:
    """End the worker processes of a local cluster at once (they hold only
    the interrupted job's data): closed gracefully mid-task, each logs the
    transfers it loses."""
    import signal

    for nanny in list(getattr(cluster, "workers", {}).values()):
        pid = getattr(getattr(getattr(nanny, "process", None), "process", None), "pid", None)
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


@contextmanager
def use_scheduler(scheduler: str | Any, connect_timeout: float = 5.0) -> Iterator[None]:
    """Run the job's computations on ``scheduler``.

    * ``"synchronous"``, ``"threads"``, ``"processes"`` (or another Dask
      name): the local machine. With ``"processes"`` one worker pool serves
      the whole job (Dask would start fresh interpreters for every ``compute``).
    * a ``distributed.Client`` (or its ``get``), left open (the caller owns
      it): the tasks run on its cluster and what the job persists (the
      articles after exact dedup) stays there, as futures, until
      :func:`~.distributed_store.write_job` reads it one partition at a
      time; the client must stay open until then (see :func:`connect`).
    * ``"local:N"`` or a scheduler address: a client is opened for the job
      only (:func:`connect`) and closed after, so what the job persists is
      gathered into this process, as with the local schedulers (later
      graphs carry it back to the workers; Dask's "Sending large graph"
      warning is silenced).

    Raises :class:`InputError` for an unknown scheduler or an unreachable
    address, :class:`~newsweave.errors.MissingDependency` when a cluster is
    asked for and ``distributed`` is not installed.
    """
    import dask

    client = _client_of(scheduler)
    if client is not None:  # persisted bags stay on the cluster (futures)
        with dask.config.set(scheduler=client.get):
            yield
        return
    if _is_cluster_spec(scheduler):
        with connect(scheduler, connect_timeout) as client:

            def get(dsk: Any, keys: Any, **kwargs: Any) -> Any:
                # a plain function, not the Client's bound ``get``: Dask then
                # persists into this process instead of onto the cluster
                return client.get(dsk, keys, **kwargs)

            with warnings.catch_warnings(), dask.config.set(scheduler=get):
                warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
                yield
        return
    check_scheduler(scheduler)
    if scheduler != "processes":
        with dask.config.set(scheduler=scheduler):
            yield
        return
    from concurrent.futures import ProcessPoolExecutor

    from dask.multiprocessing import get_context

    from ..embed import usable_cpus

    workers = dask.config.get("num_workers", None) or usable_cpus()
    pool = ProcessPoolExecutor(workers, mp_context=get_context())
    try:
        # chunksize 1: a unit's prepare task is big; do not send 6 to one worker
        with dask.config.set(scheduler="processes", pool=pool, chunksize=1):
            yield
    finally:
        pool.shutdown(cancel_futures=True)
