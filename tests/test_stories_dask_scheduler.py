"""Where the Dask job runs (newsweave/stories/dask_scheduler.py), without a cluster."""

from __future__ import annotations

import logging
import types

from newsweave.stories import dask_scheduler


def _fake_distributed(events: list[str]) -> types.SimpleNamespace:
    nanny = logging.getLogger("distributed.nanny")

    class LocalCluster:
        def __init__(self, **kwargs):
            events.append("started")

        def close(self):  # what a nanny logs when an idle worker is slow to exit
            nanny.warning("Worker process still alive after 4.0 seconds, killing")
            nanny.warning("Restarting worker")
            events.append("closed")

    class Client:
        def __init__(self, cluster, **kwargs):
            pass

        def close(self):
            events.append("client closed")

    return types.SimpleNamespace(LocalCluster=LocalCluster, Client=Client)


def test_closing_a_local_cluster_after_a_job_does_not_print_a_worker_killed_warning(
    monkeypatch, caplog
):
    """`newsweave batch --scheduler local:2` ended every run on a busy machine with
    'distributed.nanny - WARNING - Worker process still alive after 4.0 seconds,
    killing', though the job had finished and nothing was lost."""
    events: list[str] = []
    fake = _fake_distributed(events)
    monkeypatch.setattr(dask_scheduler, "require", lambda *args: fake)
    caplog.set_level(logging.WARNING, logger="distributed.nanny")
    with dask_scheduler.connect("local:1") as client:
        assert client is not None
    assert events == ["started", "client closed", "closed"]
    assert "still alive" not in caplog.text
    assert "Restarting worker" in caplog.text  # other warnings still show
    logging.getLogger("distributed.nanny").warning("Worker process still alive later")
    assert "still alive later" in caplog.text  # only while the finished job's cluster closes
