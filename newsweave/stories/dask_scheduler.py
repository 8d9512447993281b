"""Where the Dask batch job runs (:func:`use_scheduler`): the local machine
(threads, processes, synchronous) or a ``distributed`` cluster (a client, a
scheduler address, or a local cluster started for the job)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import InputError, require


@contextmanager
def use_scheduler(scheduler: str | Any, connect_timeout: float = 5.0) -> Iterator[None]:
    """Run the job's computations on ``scheduler``.

    * ``"synchronous"``, ``"threads"``, ``"processes"`` (or another Dask
      name): the local machine. With ``"processes"`` one worker pool serves
      the whole job (Dask would start fresh interpreters for every ``compute``).
    * a ``distributed.Client`` (or its ``get``): its cluster; the client is
      left open (the caller owns it).
    * a scheduler address such as ``"tcp://10.0.0.5:8786"``: a client is
      connected for the job (within ``connect_timeout`` seconds) and closed after.
    * ``"local:N"``: a ``distributed.LocalCluster`` of N one-thread worker
      processes (no dashboard) is started for the job and closed after.

    On a cluster the tasks run on the workers, but what the job persists
    (the articles after exact dedup) is gathered into this process, as with
    the local schedulers: :func:`run_job` reads it back synchronously and
    :func:`~.distributed_store.write_job` reads ``job.records`` after the
    cluster is gone. Later graphs carry those articles back to the workers
    (Dask's "Sending large graph" warning is silenced here). Raises
    :class:`InputError` for an unknown scheduler or an unreachable address,
    :class:`~newsweave.errors.MissingDependency` when a cluster is asked for
    and ``distributed`` is not installed.
    """
    import sys
    import warnings
    from contextlib import ExitStack

    import dask
    from dask.base import named_schedulers

    def on_cluster(client: Any) -> ExitStack:
        # a plain function, not the Client's bound ``get``: Dask then persists
        # into this process instead of onto the cluster (futures)
        def get(dsk: Any, keys: Any, **kwargs: Any) -> Any:
            return client.get(dsk, keys, **kwargs)

        stack = ExitStack()
        stack.enter_context(warnings.catch_warnings())
        warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
        stack.enter_context(dask.config.set(scheduler=get))
        return stack

    dist = sys.modules.get("distributed")
    owner = getattr(scheduler, "__self__", scheduler)  # a Client or its bound get
    if dist is not None and isinstance(owner, dist.Client):
        with on_cluster(owner):
            yield
        return
    if isinstance(scheduler, str) and ("://" in scheduler or scheduler.startswith("local:")):
        dist = require(
            "distributed",
            "the Dask cluster scheduler (distributed)",
            'pip install "newsweave[dask]"',
        )
        cluster = None
        if scheduler.startswith("local:"):
            n = scheduler.removeprefix("local:")
            if not n.isdigit() or int(n) < 1:
                raise InputError(
                    f"scheduler {scheduler!r}: give local:N with N >= 1 worker processes"
                )
            cluster = dist.LocalCluster(
                n_workers=int(n), threads_per_worker=1, processes=True, dashboard_address=None
            )
        elif not scheduler.startswith("inproc://"):
            try:  # a known scheme, a host and a port, before any connection attempt
                dist.comm.get_address_host_port(scheduler)
            except ValueError as exc:
                raise InputError(
                    f"scheduler {scheduler!r} is not a scheduler address ({exc}); "
                    "give one such as tcp://HOST:8786"
                ) from None
        try:
            client = dist.Client(
                cluster or scheduler, timeout=connect_timeout, set_as_default=False
            )
        except (OSError, ValueError, ImportError, RuntimeError) as exc:
            if cluster is not None:
                cluster.close()
            raise InputError(
                f"cannot connect to the Dask scheduler at {scheduler} ({exc}); "
                "is `dask scheduler` running there and reachable?"
            ) from None
        try:
            with on_cluster(client):
                yield
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return
    if isinstance(scheduler, str) and scheduler not in named_schedulers:
        raise InputError(
            f"unknown scheduler {scheduler!r}: use synchronous, threads, processes, "
            "local:N (a local cluster of N worker processes) or a scheduler address "
            "such as tcp://HOST:8786"
        )
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
