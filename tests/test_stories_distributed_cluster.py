"""The Dask batch path on a real ``distributed`` cluster (worker processes):
the same stories and wire-copy links as the synchronous scheduler, whether
the cluster is started for the job (``"local:N"``), reached by address
(``"tcp://..."``) or passed in as a ``Client``; the ``newsweave batch``
command end to end; and bad scheduler values as clear errors."""

from __future__ import annotations

import json
import multiprocessing
import socket

import dask.bag  # noqa: F401  (a [test] dependency: missing is a failure, not a skip)
import distributed
import pytest
from test_stories_distributed import EMBEDDER, write_mixed_dump

from newsweave.cli import main
from newsweave.errors import InputError
from newsweave.stories import service
from newsweave.stories.dask_scheduler import connect, use_scheduler
from newsweave.stories.distributed import run_job
from newsweave.stories.distributed_store import write_job


@pytest.fixture(scope="module")
def cluster():
    """One cluster of 2 one-thread worker processes for the whole module."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as lc:
        yield lc


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    path = tmp_path_factory.mktemp("cluster") / "dump.jsonl"
    write_mixed_dump(path)
    return path


@pytest.fixture(scope="module")
def reference(dump):
    return run_job([str(dump)], embedder=EMBEDDER, scheduler="synchronous", summarize=False)


def _stories(job) -> list[tuple[int, list[str], str | None, int]]:
    return [(s.id, s.articles, s.title, s.accounts) for s in job.stories]


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_local_cluster_started_for_the_job(dump, reference, tmp_path):
    before = len(multiprocessing.active_children())
    job = run_job([str(dump)], embedder=EMBEDDER, scheduler="local:2", summarize=False)
    assert _stories(job) == _stories(reference)
    assert job.duplicates == reference.duplicates and job.duplicates
    assert (job.read, job.exact_duplicates, job.renamed) == (37, 1, 1)
    # the job's cluster is gone, its records are not: they were gathered here
    assert len(multiprocessing.active_children()) <= before
    with service.open_db(tmp_path / "local.db") as db:
        st = write_job(db, job)
    assert (st.stored, st.new_stories) == (36, len(reference.stories))
    assert st.near_duplicates == len(reference.duplicates)


@pytest.mark.parametrize("how", ["client", "client.get", "address"])
def test_existing_cluster_gives_the_same_stories(cluster, dump, reference, how):
    with distributed.Client(cluster, set_as_default=False) as client:
        scheduler = {"client": client, "client.get": client.get}.get(how, cluster.scheduler_address)
        assert how != "address" or scheduler.startswith("tcp://")
        with distributed.get_task_stream(client) as tasks:
            job = run_job([str(dump)], embedder=EMBEDDER, scheduler=scheduler, summarize=False)
        assert client.status == "running"  # a client passed in is left open
        # a client the caller owns: the job's articles stay on the workers;
        # a cluster reached for the job only: they were gathered here
        on_cluster = any(isinstance(v, distributed.Future) for v in dict(job.records.dask).values())
        assert on_cluster == (how != "address")
        ids = sorted(job.records.map(lambda r: (r.order, r.id)).compute(scheduler=client))
    assert _stories(job) == _stories(reference)
    assert job.duplicates == reference.duplicates
    want = sorted(reference.records.map(lambda r: (r.order, r.id)).compute(scheduler="sync"))
    assert ids == want
    # the work ran on the cluster's worker processes, not in this process
    workers = {t["worker"] for t in tasks.data}
    assert tasks.data and workers <= set(cluster.scheduler_info["workers"])


def test_job_kept_on_the_cluster_is_written_like_a_local_one(cluster, dump, reference, tmp_path):
    with service.open_db(tmp_path / "local.db") as db:
        write_job(db, reference)
        want = [
            tuple(r) for r in db.query("SELECT id, content_hash, text FROM articles ORDER BY seq")
        ]
        stories = db.query("SELECT count(*) FROM stories")[0][0]
    with connect(cluster.scheduler_address) as client, service.open_db(tmp_path / "c.db") as db:
        assert isinstance(client, distributed.Client)
        job = run_job([str(dump)], embedder=EMBEDDER, scheduler=client, summarize=False)
        assert client.has_what() and any(client.has_what().values())  # held by the workers
        st = write_job(db, job)  # reads them from the workers, one partition at a time
        got = [
            tuple(r) for r in db.query("SELECT id, content_hash, text FROM articles ORDER BY seq")
        ]
    assert got == want and st.new_stories == stories == len(reference.stories)


def test_batch_command_end_to_end(cluster, dump, reference, tmp_path, capsys):
    db = str(tmp_path / "news.db")
    address = cluster.scheduler_address
    args = ("batch", str(dump), "--db", db, "--embedder", EMBEDDER, "--scheduler", address)
    code, out, err = _run(capsys, *args, "-f", "json")
    assert code == 0, err
    res = json.loads(out)
    assert (res["embedder"], res["scheduler"]) == (EMBEDDER, address)
    assert (res["read"], res["exact_duplicates"], res["stories"]) == (37, 1, len(reference.stories))
    written = res["written"]
    assert written["stored"] == 36 and written["new_stories"] == len(reference.stories)
    assert written["near_duplicates"] == len(reference.duplicates)
    assert "already used by a different article" in err  # the job's warnings, on stderr
    code, out, err = _run(capsys, "stories", "--db", db, "-f", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert sorted(r["size"] for r in rows) == sorted(len(s.articles) for s in reference.stories)
    assert {r["title"] for r in rows} == {s.title for s in reference.stories}
    big = max(rows, key=lambda r: r["size"])
    summarised = [s for s in reference.stories if len(s.articles) >= 2]
    assert written["reports"] == len(summarised) > 0
    code, out, err = _run(capsys, "story", str(big["id"]), "--db", db, "-f", "json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["summary"] and shown["story"]["cached"]  # the job's report, not recomputed
    # the same input again, on another scheduler: nothing new, every story unchanged
    again = ("batch", str(dump), "--db", db, "--scheduler", "synchronous", "--no-summarize")
    code, out, err = _run(capsys, *again)
    assert code == 0, err
    assert "stored 0 new articles of 37 read (36 already stored" in err
    assert f"0 new, 0 continuing stored ones, 0 changed, {len(reference.stories)} unchanged" in err
    # the database keeps its representation: another one is refused before any work
    code, _, err = _run(capsys, *again, "--embedder", "bucket-idf")
    assert code == 2 and f"clusters with the '{EMBEDDER}' embedder" in err


@pytest.mark.parametrize(
    ("scheduler", "message"),
    [
        ("bogus", "unknown scheduler 'bogus'"),
        ("local:0", "local:N with N >= 1"),
        ("local:two", "local:N with N >= 1"),
        ("local:100000", "100000 worker processes on a machine with"),
        ("tcp://", "not a scheduler address"),
        ("tcp://127.0.0.1", "missing port"),
        ("foo://127.0.0.1:8786", "unknown address scheme"),
    ],
)
def test_bad_scheduler_values_are_input_errors(dump, scheduler, message):
    with pytest.raises(InputError, match=message):
        run_job([str(dump)], embedder=EMBEDDER, scheduler=scheduler, summarize=False)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_address_is_an_input_error(dump, tmp_path, capsys):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with pytest.raises(InputError, match="cannot connect to the Dask scheduler"):
        with use_scheduler(address, connect_timeout=0.5):
            pass
    code, _, err = _run(
        capsys, "batch", str(dump), "--db", str(tmp_path / "x.db"), "--scheduler", address
    )
    assert code == 2 and f"cannot connect to the Dask scheduler at {address}" in err
    assert not (tmp_path / "x.db").exists()  # refused before any database is created


def test_batch_command_bad_input(tmp_path, capsys):
    db = str(tmp_path / "x.db")
    code, _, err = _run(capsys, "batch", str(tmp_path / "missing.jsonl"), "--db", db)
    assert code == 2 and "no such file" in err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    code, _, err = _run(capsys, "batch", str(empty), "--db", db, "--scheduler", "synchronous")
    assert code == 2 and "no articles" in err
    code, _, err = _run(capsys, "batch", str(empty), "--db", db, "--scheduler", "nowhere")
    assert code == 2 and "unknown scheduler" in err
    code, _, err = _run(capsys, "batch", "--db", db)
    assert code != 0 and "give at least one PATH" in err


@pytest.fixture(scope="module")
def separate_cluster(tmp_path_factory):
    """A scheduler and 2 worker processes started with ``dask scheduler`` and
    ``dask worker``, as on other machines: nothing shared with this process
    but the address (and the installed packages)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path_factory.mktemp("dask")
    info = folder / "scheduler.json"
    common = ["--no-dashboard"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0"]
            + ["--scheduler-file", str(info), *common],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        # the scheduler creates the file, then writes it: wait for its text
        while not (info.exists() and info.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert info.exists() and info.read_text().strip(), "the scheduler did not start"
        address = json.loads(info.read_text())["address"]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "dask", "worker", "--scheduler-file", str(info)]
                + ["--nworkers", "2", "--nthreads", "1", "--memory-limit", "0", *common],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            workers = set(client.scheduler_info()["workers"])
        yield address, workers
    finally:
        for p in reversed(procs):  # each in its own session: the workers' children too
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=30)


def test_separately_started_scheduler_and_workers(
    separate_cluster, dump, reference, tmp_path, capsys
):
    """The cluster a deployment would run: the job's tasks run on its worker
    processes, the stories equal the single-process ones, and ``newsweave
    batch --scheduler tcp://...`` writes them."""
    address, workers = separate_cluster
    with distributed.Client(address, set_as_default=False) as client:
        with distributed.get_task_stream(client) as tasks:
            job = run_job([str(dump)], embedder=EMBEDDER, scheduler=client, summarize=False)
        assert _stories(job) == _stories(reference)
        assert job.duplicates == reference.duplicates
    ran_on = {t["worker"] for t in tasks.data}
    assert tasks.data and ran_on <= workers  # (a job this small may stay on one)
    db = str(tmp_path / "sep.db")
    args = ("batch", str(dump), "--db", db, "--embedder", EMBEDDER, "--scheduler", address)
    code, out, err = _run(capsys, *args, "--no-summarize", "-f", "json")
    assert code == 0, err
    written = json.loads(out)["written"]
    assert (written["stored"], written["new_stories"]) == (36, len(reference.stories))


def _group(pgid: int) -> list[int]:
    """The live processes of process group ``pgid``."""
    import os

    pids = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            pids.append(int(entry))
    return pids


def test_ctrl_c_during_a_local_cluster_job_is_one_line_and_changes_nothing(tmp_path):
    """Ctrl-C (SIGINT to the whole process group: the command and its
    cluster's worker processes) while a ``local:2`` job runs: exit code 130,
    one line, no worker traceback, no process left, the database untouched."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from newsweave.stories.synth import synthetic_articles

    dump = tmp_path / "dump.jsonl"
    with dump.open("w", encoding="utf-8") as fh:
        for a in synthetic_articles(300, 10, seed=5):
            fh.write(json.dumps({"id": a.id, "documents": [a.to_doc()]}) + "\n")
    db = tmp_path / "s.db"
    with service.open_db(db) as store:
        write_mixed_dump(tmp_path / "small.jsonl")
        service.ingest(store, [str(tmp_path / "small.jsonl")], workers=1)
    before = db.read_bytes()
    cmd = [sys.executable, "-m", "newsweave.cli", "batch", str(dump), "--db", str(db)]
    cmd += ["--scheduler", "local:2", "--no-summarize"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while len(_group(proc.pid)) < 4 and time.monotonic() < deadline:  # + 2 workers, tracker
            time.sleep(0.05)
        time.sleep(1.0)  # the job runs on the workers
        assert proc.poll() is None, "the job ended before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        for pid in _group(proc.pid):
            os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 130, err.decode()
    assert err.decode().split() == ["aborted"]
    assert db.read_bytes() == before
    deadline = time.monotonic() + 10
    while _group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group(proc.pid) == []


def test_a_local_cluster_does_not_warn_when_port_8787_is_taken(cluster):
    """Another Dask dashboard (here the module's cluster, or a socket) on the
    default port 8787: starting ``local:1`` says nothing about it."""
    import warnings

    with socket.socket() as other:
        try:
            other.bind(("", 8787))
            other.listen()
        except OSError:
            pass  # taken already (by the module's cluster)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            with connect("local:1") as client:
                assert client.submit(sum, [1, 2]).result() == 3
    assert not [w for w in seen if "8787" in str(w.message)]
