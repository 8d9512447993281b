"""Crash safety: an ingest killed with SIGKILL mid-run leaves a sound database,
and running it again completes without duplicates."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from store_checks import check_store

from newsweave.stories.synth import synthetic_articles


def _count(db) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _start_ingest(tmp_path, arts, db, lines: int, stored: int, workers: int = 1):
    """A real ``newsweave ingest`` process of a dump of ``arts``, committing
    ``lines`` articles at a time, once it has stored ``stored`` of them (or
    ended): ``(process, its command, its environment, deadline)``. It leads
    a process group of its own (with its reader processes), as a command
    started from a terminal does."""
    dump = tmp_path / "dump.jsonl"
    with dump.open("w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps({"id": a.id, "documents": [a.to_doc()]}) + "\n")
    env = {**os.environ, "NEWSWEAVE_INGEST_LINES": str(lines)}
    cmd = [sys.executable, "-m", "newsweave.cli", "ingest", str(dump), "--db", str(db)]
    cmd += ["--no-progress", "--workers", str(workers)]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while _count(db) < stored and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return proc, cmd, env, deadline


def test_sigkill_mid_ingest_then_resume(tmp_path):
    arts = synthetic_articles(80, 10, seed=7)  # 800 articles
    db = tmp_path / "crash.db"
    proc, cmd, env, _ = _start_ingest(tmp_path, arts, db, lines=25, stored=50)
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    partial = check_store(db)
    assert 0 < partial < len(arts)

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert check_store(db) == len(arts)
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT id FROM articles")]
    con.close()
    assert len(ids) == len(set(ids)) == len(arts)
    assert not any("~" in i for i in ids)  # nothing stored twice under a new id
    # the killed run's articles had their end-of-run second chance in the resumed run
    con = sqlite3.connect(db)
    mark = con.execute("SELECT value FROM settings WHERE key = 'second_chance_seq'").fetchone()
    last = con.execute("SELECT max(seq) FROM articles").fetchone()[0]
    con.close()
    assert mark is not None and int(mark[0]) == last
    # a third run has nothing left to do
    again = subprocess.run([*cmd, "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert json.loads(again.stdout)["stored"] == 0


def test_stories_can_be_read_while_an_ingest_writes(tmp_path):
    """A real ``newsweave ingest`` process commits unit after unit while this
    process lists stories and builds (and caches) their reports, as the web
    layer or a second terminal would: no 'database is locked', no torn read."""
    from newsweave.stories import service

    arts = synthetic_articles(40, 8, seed=9)  # 320 articles
    db = tmp_path / "live.db"
    proc, _, _, deadline = _start_ingest(tmp_path, arts, db, lines=10, stored=10)
    reads = reports = 0
    seen: list[int] = []
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            with service.open_db(db, create=False) as store:
                rows = service.list_stories(store, limit=5)
                seen.append(sum(r["size"] for r in service.list_stories(store)))
                for row in rows[:2]:
                    story = service.get_story(store, row["id"], embedder="tfidf", analyze=False)
                    assert story.size == len(story.articles) and story.report.summary
                    reports += 1
            reads += 1
    finally:
        _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert reads >= 2 and reports >= 2, (reads, reports)
    assert seen == sorted(seen) and seen[-1] <= len(arts)  # only ever more articles
    assert check_store(db) == len(arts)


def _group_left(pgid: int, timeout: float = 10.0) -> list[int]:
    """The processes of group ``pgid`` still running after ``timeout`` s
    (killed then, so that a failing test leaves none behind)."""
    deadline = time.monotonic() + timeout
    while True:
        left = []
        for entry in os.listdir("/proc"):
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] != "Z" and int(fields[2]) == pgid:
                left.append(int(entry))
        if not left or time.monotonic() > deadline:
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            return left
        time.sleep(0.1)


def test_a_killed_ingest_leaves_no_reader_holding_the_writer_lock(tmp_path):
    """SIGKILL of an ingest with 2 reader processes: the readers exit by
    themselves and do not keep the writer lock (they inherited its file):
    the next ingest runs, instead of being refused by a dead process."""
    arts = synthetic_articles(80, 10, seed=7)
    db = tmp_path / "crash.db"
    proc, cmd, env, _ = _start_ingest(tmp_path, arts, db, lines=25, stored=50, workers=2)
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert _group_left(proc.pid) == []
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert check_store(db) == len(arts)


def test_sigterm_and_ctrl_c_stop_an_ingest_with_one_line(tmp_path):
    """SIGTERM to the ingest, then Ctrl-C (SIGINT to its whole process
    group, readers included): each stops it with one line and its exit
    code (143, 130), no traceback, no process left, the database sound."""
    arts = synthetic_articles(80, 10, seed=7)
    db = tmp_path / "crash.db"
    stored = 50
    for sig, code, line in [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "aborted")]:
        proc, cmd, env, _ = _start_ingest(tmp_path, arts, db, lines=25, stored=stored, workers=2)
        assert proc.poll() is None, "ingest finished before it could be stopped"
        os.killpg(proc.pid, sig) if sig == signal.SIGINT else os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == code, err.decode()
        assert err.decode().split() == [line]
        assert _group_left(proc.pid) == []
        stored = check_store(db) + 50
        assert 0 < stored - 50 < len(arts)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert check_store(db) == len(arts)


_FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from newsweave.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _articles(db) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return sorted(con.execute("SELECT id, content_hash FROM articles"))
    finally:
        con.close()


def test_a_full_disk_mid_ingest_stops_cleanly_and_a_rerun_completes(tmp_path):
    """A disk that fills up mid-ingest (simulated: RLIMIT_FSIZE in the ingest
    process, SIGXFSZ ignored, so a write past it fails with EFBIG, which
    SQLite reports as 'disk I/O error') ended with 'story database error:
    disk I/O error' and exit 2, and SQLITE_FULL was hidden behind 'cannot
    rollback - no transaction is active'. Now: one line saying the disk is
    full and to re-run, exit 73, a sound database holding whole units only,
    and a re-run that stores exactly what an uninterrupted run stores."""
    arts = synthetic_articles(30, 10, seed=11)  # 300 articles, units of 25
    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        "".join(json.dumps({"id": a.id, "documents": [a.to_doc()]}) + "\n" for a in arts),
        encoding="utf-8",
    )
    env = {**os.environ, "NEWSWEAVE_INGEST_LINES": "25"}
    args = ["ingest", str(dump), "--no-progress", "--workers", "1", "--embedder", "tfidf"]
    ref = tmp_path / "ref.db"
    whole = subprocess.run(
        [sys.executable, "-m", "newsweave.cli", *args, "--db", str(ref)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert whole.returncode == 0, whole.stderr
    db = tmp_path / "full.db"
    limit = ref.stat().st_size // 2
    cut = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(limit), *args, "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cut.returncode == 73, cut.stderr
    assert "Traceback" not in cut.stderr and cut.stderr.count("\n") == 1
    assert f"{db}: cannot write to the story database" in cut.stderr
    assert "disk is full" in cut.stderr and "run the same command again" in cut.stderr
    partial = check_store(db)
    assert 0 < partial < len(arts) and partial % 25 == 0  # whole units only
    assert set(_articles(db)) < set(_articles(ref))
    again = subprocess.run(
        [sys.executable, "-m", "newsweave.cli", *args, "--db", str(db), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["stored"] == len(arts) - partial
    assert check_store(db) == len(arts) and _articles(db) == _articles(ref)
