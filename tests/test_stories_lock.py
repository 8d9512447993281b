"""One writer at a time: a second ingest, recluster or batch write is
refused while another process writes the story database, and may run once
it has finished or died."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from newsweave.cli import main
from newsweave.errors import InputError
from newsweave.stories import lock, service
from newsweave.stories.synth import synthetic_articles

HOLD = """
import sys, time
from pathlib import Path
from newsweave.stories import lock
with lock.writer(Path(sys.argv[1]), sys.argv[2]):
    print("held", flush=True)
    time.sleep(120)
"""


def _dump(path: Path, n: int, seed: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for a in synthetic_articles(n, 3, seed=seed):
            fh.write(json.dumps({"id": a.id, "documents": [a.to_doc()]}) + "\n")
    return path


@pytest.fixture
def holder(tmp_path):
    """Another process holding the writer lock of ``tmp_path/s.db``."""
    procs = []

    def start(what: str = "ingest") -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(tmp_path / "s.db"), what],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "held"
        procs.append(proc)
        return proc

    yield start
    for p in procs:
        p.kill()
        p.wait(timeout=30)


def test_a_second_writer_is_refused_and_runs_once_the_first_has_died(
    tmp_path, holder, capsys, monkeypatch
):
    dump = _dump(tmp_path / "a.jsonl", 4, seed=1)
    db_path = tmp_path / "s.db"
    with service.open_db(db_path) as db:
        service.ingest(db, [str(dump)], workers=1)
        proc = holder("ingest")
        msg = rf"another newsweave ingest \(process {proc.pid}\) is writing to this story database"
        with pytest.raises(InputError, match=msg):
            service.ingest(db, [str(_dump(tmp_path / "b.jsonl", 4, seed=2))], workers=1)
        with pytest.raises(InputError, match=msg):
            service.recluster(db)
        before = db.scalar("SELECT count(*) FROM articles")
        # the CLI: exit code 2 and the same message, nothing written
        code = main(["ingest", str(tmp_path / "b.jsonl"), "--db", str(db_path), "--no-progress"])
        assert code == 2 and "is writing to this story database" in capsys.readouterr().err
        assert db.scalar("SELECT count(*) FROM articles") == before
        # a batch is refused before its job runs, not after reading everything
        import newsweave.stories.distributed as distributed

        ran = []
        monkeypatch.setattr(distributed, "run_job", lambda *a, **k: ran.append(1))
        code = main(["batch", str(tmp_path / "b.jsonl"), "--db", str(db_path),
                     "--scheduler", "synchronous", "--no-summarize"])  # fmt: skip
        err = capsys.readouterr().err
        assert code == 2 and "is writing to this story database" in err and not ran
        assert db.scalar("SELECT count(*) FROM articles") == before
        # readers never wait for the lock
        assert service.list_stories(db) and service.get_story(
            db, service.list_stories(db)[0]["id"], embedder="tfidf", analyze=False
        )
        proc.send_signal(signal.SIGKILL)  # a writer killed outright releases it too
        proc.wait(timeout=30)
        st = service.ingest(db, [str(tmp_path / "b.jsonl")], workers=1)
        assert st.stored == 12
        assert service.recluster(db)["articles"] == 24


def test_a_watch_round_that_meets_another_writer_waits_for_the_next(tmp_path, holder):
    dump = _dump(tmp_path / "a.jsonl", 2, seed=3)
    rounds = []
    state = {}

    def sleep(seconds: float) -> None:  # between rounds: a recluster starts, then ends
        if "proc" in state:
            proc = state.pop("proc")
            proc.kill()
            proc.wait(timeout=30)
        else:
            state["proc"] = holder("recluster")

    with service.open_db(tmp_path / "s.db") as db:
        result = service.watch(
            db,
            [str(dump)],
            every=0,
            rounds=3,
            sleep=sleep,
            on_round=rounds.append,
            workers=1,
            min_age=0,
        )
    assert [r.stats is not None for r in rounds] == [True, False, True]
    assert "another newsweave recluster" in rounds[1].error
    assert result.failed_rounds == 1 and result.stored == 6


def test_nested_use_in_one_process_and_the_lock_file(tmp_path):
    db_path = tmp_path / "n.db"
    with lock.writer(db_path, "ingest"), lock.writer(db_path, "recluster"):
        note = json.loads(lock.lock_path(db_path).read_text())
        assert note["command"] == "ingest" and note["pid"] > 0
    with lock.writer(db_path, "batch write"):  # released: free again
        pass


def test_a_refused_first_run_leaves_the_new_database_of_the_writer(tmp_path, holder, capsys):
    """Two commands started at once on a new path: the one refused by the
    lock must not remove the database (and lock file) the other writes."""
    dump = _dump(tmp_path / "a.jsonl", 2, seed=4)
    db_path = tmp_path / "s.db"
    holder("ingest")  # the other command: it holds the lock of the new path
    args = ["ingest", str(dump), "--db", str(db_path), "--no-progress", "--workers", "1"]
    assert main(args) == 2
    assert "is writing to this story database" in capsys.readouterr().err
    assert db_path.exists() and lock.lock_path(db_path).exists()
    assert main(args) == 2  # the lock file is still the holder's: still refused
    assert "is writing to this story database" in capsys.readouterr().err  # for that reason
    with service.open_db(db_path, create=False) as db:
        assert db.integrity() == "ok"


def test_a_failed_first_run_alone_removes_its_new_database(tmp_path, capsys):
    empty = tmp_path / "inbox"
    empty.mkdir()
    db_path = tmp_path / "s.db"
    assert main(["ingest", str(empty), "--db", str(db_path), "--no-progress"]) == 2
    assert "nothing to ingest" in capsys.readouterr().err
    assert not list(tmp_path.glob("s.db*"))


def test_a_watch_started_while_another_writer_runs_waits_for_the_next_round(
    tmp_path, holder, capsys
):
    """A watch started while an ingest or recluster held the database died at
    once (exit 2) because its first round was refused: a busy writer is no
    wrong command. The round is reported, and the next one ingests."""
    dump = _dump(tmp_path / "a.jsonl", 2, seed=5)
    db_path = tmp_path / "s.db"
    service.open_db(db_path).close()
    state = {"proc": holder("ingest")}
    rounds = []

    def sleep(seconds: float) -> None:  # the other writer ends between the rounds
        if "proc" in state:
            proc = state.pop("proc")
            proc.kill()
            proc.wait(timeout=30)

    with service.open_db(db_path) as db:
        result = service.watch(
            db, [str(dump)], every=0, rounds=2, sleep=sleep, on_round=rounds.append,
            workers=1, min_age=0,
        )  # fmt: skip
    assert [r.stats is not None for r in rounds] == [False, True]
    assert "another newsweave ingest" in rounds[0].error
    assert result.failed_rounds == 1 and result.stored == 6
    # the CLI: the refused round is one warning line, the watch goes on; with
    # every round refused, it ends with exit 2 (it was 0: nothing was watched)
    holder("recluster")
    code = main(["ingest", str(dump), "--db", str(db_path), "--watch", "0", "--rounds", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "round 1: " in err and "another newsweave recluster" in err
    assert "1 failed" in err and "Traceback" not in err
    assert "no round of the watch succeeded (1 round, all failed; the last: " in err
    # a wrong path still stops the watch at once
    code = main(["ingest", str(tmp_path / "nope"), "--db", str(db_path), "--watch", "0"])
    assert code == 2 and "nope" in capsys.readouterr().err
