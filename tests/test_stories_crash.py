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


def _start_ingest(tmp_path, arts, db, lines: int, stored: int):
    """A real ``newsweave ingest`` process of a dump of ``arts``, committing
    ``lines`` articles at a time, once it has stored ``stored`` of them (or
    ended): ``(process, its command, its environment, deadline)``."""
    dump = tmp_path / "dump.jsonl"
    with dump.open("w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps({"id": a.id, "documents": [a.to_doc()]}) + "\n")
    env = {**os.environ, "NEWSWEAVE_INGEST_LINES": str(lines)}
    cmd = [sys.executable, "-m", "newsweave.cli", "ingest", str(dump), "--db", str(db)]
    cmd += ["--no-progress", "--workers", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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
