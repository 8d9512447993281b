"""Keeping stories current: feeds by http(s) URL (a real local HTTP server)
and ``ingest --watch`` rounds that pick up new files and new feed entries."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsweave.cli import main
from newsweave.errors import InputError
from newsweave.stories import service
from newsweave.stories.feeds import fetch_feed, read_feed
from newsweave.stories.synth import synthetic_articles

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
RSS = "application/rss+xml"


class _Site:
    """What the local server answers: path → (status, content type, body)."""

    def __init__(self):
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.hits: list[str] = []
        self.modified: dict[str, str] = {}  # path → Last-Modified (instead of an ETag)
        self.conditional: list[tuple[str | None, str | None]] = []  # validators received


@pytest.fixture
def site():
    pages = _Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            pages.hits.append(self.path)
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "/wire.rss")
                self.end_headers()
                return
            status, ctype, body = pages.pages.get(self.path, (404, "text/plain", b"not here"))
            # conditional requests: an ETag per body, or Last-Modified only (/lm.rss)
            tag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
            stamp = pages.modified.get(self.path)
            pages.conditional.append(
                (self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"))
            )
            unchanged = (
                self.headers.get("If-Modified-Since") == stamp
                if stamp
                else self.headers.get("If-None-Match") == tag
            )
            if status == 200 and unchanged:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if status == 200:
                if stamp:
                    self.send_header("Last-Modified", stamp)
                else:
                    self.send_header("ETag", tag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pages.base = f"http://127.0.0.1:{server.server_address[1]}"
    pages.pages["/wire.rss"] = (200, RSS, (FEEDS / "wire.rss").read_bytes())
    pages.pages["/city.atom"] = (200, "application/atom+xml", (FEEDS / "city.atom").read_bytes())
    pages.pages["/page.html"] = (200, "text/html", b"<html><body><p>Hello</p></body></html>")
    pages.pages["/broken.xml"] = (200, RSS, (FEEDS / "bad" / "broken.rss").read_bytes())
    try:
        yield pages
    finally:
        server.shutdown()
        server.server_close()


def _ids(db) -> list[str]:
    return [r[0] for r in db.query("SELECT id FROM articles ORDER BY seq")]


def test_a_feed_url_is_ingested_like_the_feed_file(site, tmp_path):
    url = f"{site.base}/wire.rss"
    with service.open_db(tmp_path / "url.db") as db:
        st = service.ingest(db, [url], workers=1)
        assert (st.read, st.stored) == (3, 3)
        assert any("#4" in w and "no text" in w for w in st.warnings)
        rows = db.query("SELECT id, outlet, title, ts, origin FROM articles ORDER BY seq")
        again = service.ingest(db, [url], workers=1)  # a URL is fetched again, never "done"
        assert (again.read, again.stored, again.feeds_unchanged) == (0, 0, 1)  # 304
        assert db.scalar("SELECT count(*) FROM sources") == 0
    with service.open_db(tmp_path / "file.db") as db:
        service.ingest(db, [str(FEEDS / "wire.rss")], workers=1)
        from_file = db.query("SELECT id, outlet, title, ts FROM articles ORDER BY seq")
    assert [tuple(r)[:4] for r in rows] == [tuple(r) for r in from_file]
    assert rows[0]["origin"] == f"{url}#1"
    assert site.hits == ["/wire.rss", "/wire.rss"]


@pytest.mark.parametrize("validator", ["etag", "last-modified"])
def test_an_unchanged_feed_is_not_downloaded_again(site, tmp_path, validator):
    """The second run sends the first answer's validators; the server answers
    304, nothing is read, the run is not an error; a changed feed is read."""
    path = "/lm.rss" if validator == "last-modified" else "/cond.rss"
    if validator == "last-modified":
        site.modified[path] = "Mon, 04 Mar 2024 10:00:00 GMT"
    site.pages[path] = (200, RSS, (FEEDS / "wire.rss").read_bytes())
    url = f"{site.base}{path}"
    with service.open_db(tmp_path / f"{validator}.db") as db:
        first = service.ingest(db, [url], workers=1)
        assert (first.stored, first.feeds_unchanged) == (3, 0)
        etag, modified = db.feed_validators()[url]
        assert (etag is not None) == (validator == "etag") and (modified is not None) != (
            validator == "etag"
        )
        again = service.ingest(db, [url], workers=1)
        assert (again.read, again.stored, again.feeds_unchanged) == (0, 0, 1)
        assert site.conditional[-1] == (etag, modified)
        # the feed changes: a full answer, new entries stored, new validators kept
        body = (FEEDS / "city.atom").read_bytes()
        site.pages[path] = (200, "application/atom+xml", body)
        if validator == "last-modified":
            site.modified[path] = "Tue, 05 Mar 2024 10:00:00 GMT"
        changed = service.ingest(db, [url], workers=1)
        assert (changed.stored, changed.feeds_unchanged) == (2, 0)
        assert db.feed_validators()[url] != (etag, modified)


def test_fetch_follows_redirects_and_refuses_what_is_not_a_feed(site):
    arts, _ = read_feed(FEEDS / "wire.rss")
    assert fetch_feed(f"{site.base}/moved", 10**6).body == (FEEDS / "wire.rss").read_bytes()
    with pytest.raises(InputError, match=r"/nope\.rss: cannot fetch the feed \(HTTP 404"):
        fetch_feed(f"{site.base}/nope.rss", 10**6)
    with pytest.raises(InputError, match=r"longer than the 100 bytes limit|over the 100 bytes"):
        fetch_feed(f"{site.base}/wire.rss", 100)
    with pytest.raises(InputError, match="not an http"):
        fetch_feed("http:///no-host", 10**6)
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(InputError, match="cannot fetch the feed"):
        fetch_feed(f"http://127.0.0.1:{port}/x", 10**6)
    assert len(arts) == 3


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/nope.rss", "HTTP 404"),
        ("/page.html", "an HTML page, not an RSS/Atom feed"),
        ("/broken.xml", "not a readable RSS/Atom feed"),
    ],
)
def test_a_bad_feed_url_exits_2_naming_it(site, tmp_path, capsys, path, reason):
    url = f"{site.base}{path}"
    assert main(["ingest", url, "--db", str(tmp_path / "s.db"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert url in err and reason in err and "Traceback" not in err


def test_a_failing_url_next_to_good_inputs_is_a_warning(site, tmp_path):
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [f"{site.base}/nope.rss", str(FEEDS / "city.atom")], workers=1)
        assert st.stored == 2
        assert any("nope.rss" in w and "HTTP 404" in w for w in st.warnings)


def _docs(n_stories: int, per: int, seed: int) -> list[dict]:
    return [{**a.to_doc(), "story": a.story} for a in synthetic_articles(n_stories, per, seed=seed)]


def _write_files(folder: Path, docs: list[dict], start: int = 0, age: float = 60.0) -> None:
    """One JSON article file per doc, dated ``age`` seconds ago (settled)."""
    folder.mkdir(exist_ok=True)
    for i, d in enumerate(docs, start):
        path = folder / f"a{i:03d}.json"
        doc = {k: v for k, v in d.items() if k != "story"}
        path.write_text(json.dumps({"id": f"c{i}", "documents": [doc]}), encoding="utf-8")
        then = time.time() - age
        os.utime(path, (then, then))


def test_watch_rounds_pick_up_new_files_and_new_feed_entries(site, tmp_path):
    """Round 1 stores the folder and the feed; before round 2 new files land
    in the folder and the feed gains an entry; round 3 has nothing new. The
    new articles join the stories their subjects already have."""
    docs = _docs(3, 4, seed=21)
    inbox = tmp_path / "inbox"
    _write_files(inbox, docs[:8])
    site.pages["/feed.rss"] = (200, RSS, (FEEDS / "wire.rss").read_bytes())
    paths = [str(inbox), f"{site.base}/feed.rss"]
    sleeps: list[float] = []
    rounds = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 1:  # between rounds 1 and 2
            _write_files(inbox, docs[8:], start=8)
            body = (FEEDS / "wire.rss").read_text(encoding="utf-8")
            extra = (
                "<item><title>Harbor Bridge toll waived</title><guid>wire-toll</guid>"
                "<pubDate>Thu, 07 Mar 2024 08:00:00 GMT</pubDate><description>Port Alden "
                "waived the Harbor Bridge toll for a week after the flooding, Mayor Lena "
                "Ortiz said, to help commuters who lost days of work while the bridge was "
                "closed.</description></item>"
            )
            site.pages["/feed.rss"] = (
                200,
                RSS,
                body.replace("</channel>", extra + "</channel>").encode(),
            )

    with service.open_db(tmp_path / "w.db") as db:
        result = service.watch(
            db, paths, every=7.5, rounds=3, sleep=sleep, on_round=rounds.append, workers=1
        )
        assert (result.rounds, result.failed_rounds, result.interrupted) == (3, 0, False)
        assert sleeps == [7.5, 7.5]
        stored = [r.stats.stored for r in rounds]
        assert stored == [8 + 3, 4 + 1, 0]
        assert result.stored == 16 and result.read == 8 + 3 + 4 + 4  # round 3: feed unchanged (304)
        assert rounds[1].stats.files_skipped == 8 and rounds[2].stats.files_skipped == 12
        # the new files' articles joined the stories of their subjects
        story = dict(
            db.query(
                "SELECT a.id, sa.story FROM articles a JOIN story_articles sa ON sa.article = a.seq"
            )
        )
        # a .json cluster file is read as a dump line: <cluster id>/<document id>
        gold = {f"c{i}/{d['id']}": d["story"] for i, d in enumerate(docs)}
        for ident, subject in gold.items():
            same = {story[o] for o, s in gold.items() if s == subject}
            assert len(same) == 1, (ident, same)
        assert story["wire-toll"] == story["wire-2024-0304-bridge"]


def test_watch_leaves_files_still_being_written_for_a_later_round(tmp_path):
    docs = _docs(2, 2, seed=3)
    inbox = tmp_path / "inbox"
    _write_files(inbox, docs[:2])
    _write_files(inbox, docs[2:], start=2, age=0.0)  # just written
    rounds = []

    def sleep(seconds: float) -> None:
        for p in inbox.iterdir():  # time passes: everything settles
            os.utime(p, (time.time() - 60, time.time() - 60))

    with service.open_db(tmp_path / "w.db") as db:
        service.watch(
            db, [str(inbox)], every=1, rounds=2, sleep=sleep, on_round=rounds.append, workers=1
        )
        assert [r.stats.deferred for r in rounds] == [2, 0]
        assert [r.stats.stored for r in rounds] == [2, 2]


def test_watch_errors_the_first_round_stops_later_ones_are_reported(site, tmp_path):
    inbox = tmp_path / "inbox"
    with service.open_db(tmp_path / "w.db") as db:
        with pytest.raises(InputError, match="no such file"):
            service.watch(db, [str(inbox)], every=0, rounds=2, workers=1)
        _write_files(inbox, _docs(1, 2, seed=4))
        rounds = []

        def sleep(seconds: float) -> None:
            shutil.rmtree(inbox, ignore_errors=True)  # the folder goes away after round 1

        result = service.watch(
            db, [str(inbox)], every=0, rounds=3, sleep=sleep, on_round=rounds.append, workers=1
        )
        assert result.rounds == 3 and result.failed_rounds == 2
        assert rounds[0].stats.stored == 2
        assert all("no such file" in r.error for r in rounds[1:])
        with pytest.raises(InputError, match="--rounds"):
            service.watch(db, [str(inbox)], every=0, rounds=0)


def test_watch_of_an_empty_inbox_waits_for_files(tmp_path):
    """An empty folder is an idle round, not an error: files land in it later
    (a one-shot ingest of it is still refused)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rounds = []

    def sleep(seconds: float) -> None:
        _write_files(inbox, _docs(1, 2, seed=4))

    with service.open_db(tmp_path / "w.db") as db:
        with pytest.raises(InputError, match="nothing to ingest"):
            service.ingest(db, [str(inbox)], workers=1)
        result = service.watch(
            db, [str(inbox)], every=0, rounds=2, sleep=sleep, on_round=rounds.append, workers=1
        )
        assert result.failed_rounds == 0 and result.stored == 2
        assert [r.stats.read for r in rounds] == [0, 2]


def test_watch_stops_cleanly_when_interrupted(tmp_path):
    inbox = tmp_path / "inbox"
    _write_files(inbox, _docs(1, 2, seed=4))

    def sleep(seconds: float) -> None:
        raise KeyboardInterrupt

    with service.open_db(tmp_path / "w.db") as db:
        result = service.watch(db, [str(inbox)], every=60, sleep=sleep, workers=1)
        assert result.interrupted and result.rounds == 1 and result.stored == 2


def test_cli_watch_prints_each_round(site, tmp_path, capsys):
    db = str(tmp_path / "w.db")
    url = f"{site.base}/city.atom"
    args = ["ingest", url, "--db", db, "--no-progress", "--watch", "0", "--rounds", "2"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "round 1: " in err and "stored 2 new articles" in err
    assert "round 2: nothing new (0 files already ingested, 1 feed unchanged)" in err
    assert "watch done after 2 rounds: stored 2 new articles of 2 read" in err
    inbox = tmp_path / "inbox"
    _write_files(inbox, _docs(1, 2, seed=4))
    folder = ["ingest", str(inbox), "--db", db, "--no-progress", "--watch", "0", "--rounds", "2"]
    assert main(folder) == 0
    err = capsys.readouterr().err
    assert "round 1: " in err and "stored 2 new articles" in err
    assert "round 2: nothing new (2 files already ingested)" in err
    assert main([*args, "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["round"], r["stored"], r["feeds_unchanged"]) for r in lines] == [
        (1, 0, 1),
        (2, 0, 1),
    ]
    for bad, msg in (
        (["--rounds", "2"], "--rounds needs --watch"),
        (["--watch", "-1"], "--watch"),
        (["--watch", "1", "--rounds", "0"], "--rounds"),
    ):
        assert main(["ingest", url, "--db", db, *bad]) == 2
        err = capsys.readouterr().err
        assert msg in err and "Traceback" not in err


def test_the_dask_batch_path_reads_a_feed_url_too(site, tmp_path):
    import dask.bag  # noqa: F401  (a [test] dependency: missing is a failure, not a skip)

    from newsweave.stories.distributed import run_job
    from newsweave.stories.distributed_store import write_job

    url = f"{site.base}/wire.rss"
    job = run_job([url], embedder="tfidf", scheduler="synchronous", summarize=False)
    with service.open_db(tmp_path / "b.db") as db:
        st = write_job(db, job)
        assert st.stored == 3
        assert _ids(db) == [
            "wire-2024-0304-bridge",
            "wire-2024-0306-bridge",
            "wire-2024-0305-chess",
        ]
    with pytest.raises(InputError, match="HTTP 404"):
        run_job([f"{site.base}/gone.rss"], embedder="tfidf", scheduler="synchronous")


def test_an_idle_round_does_not_load_the_stored_stories(tmp_path, monkeypatch):
    """Nothing new to read and no second chance owed: the clusterer (every
    stored vector) is not loaded, so idle watch rounds on a large database
    cost a directory scan, not a load."""
    from newsweave.stories import ingest as ingest_mod

    inbox = tmp_path / "inbox"
    _write_files(inbox, _docs(2, 2, seed=8))
    with service.open_db(tmp_path / "w.db") as db:
        assert service.ingest(db, [str(inbox)], workers=1).stored == 4

        def no_load(*args, **kwargs):
            raise AssertionError("the stored stories were loaded")

        monkeypatch.setattr(ingest_mod, "load_clusterer", no_load)
        idle = service.ingest(db, [str(inbox)], workers=1)
        assert (idle.read, idle.files_skipped) == (0, 4)
        # nor when everything read is stored already (a feed read again)
        os.utime(next(inbox.iterdir()), (1, 1))  # a changed file: read again
        again = service.ingest(db, [str(inbox)], workers=1)
        assert (again.read, again.already_stored, again.stored) == (1, 1, 0)


def test_reports_of_the_stories_a_run_changed_are_brought_up_to_date(tmp_path, capsys):
    """``ingest --reports``: after the run, the stories it changed (2+
    articles) have their reports cached; a later run that adds to one story
    rebuilds that one report only."""
    docs = _docs(3, 3, seed=12)
    first, late = docs[:-1], docs[-1:]  # the last story's third article comes later
    db_path = tmp_path / "r.db"
    dump = tmp_path / "first.jsonl"
    dump.write_text(
        "".join(
            json.dumps({"id": f"c{i}", "documents": [{k: v for k, v in d.items() if k != "story"}]})
            + "\n"
            for i, d in enumerate(first)
        ),
        encoding="utf-8",
    )
    args = ["ingest", str(dump), "--db", str(db_path), "--no-progress", "--reports"]
    assert main(args) == 0
    assert "brought 3 story reports up to date" in capsys.readouterr().err
    with service.open_db(db_path) as db:
        rows = service.list_stories(db)
        assert sorted(r["size"] for r in rows) == [2, 3, 3]
        assert all(service.get_story(db, r["id"]).cached for r in rows)
        grown = next(r["id"] for r in rows if r["size"] == 2)
        inbox = tmp_path / "late"
        _write_files(inbox, late, start=99)
        st = service.ingest(db, [str(inbox)], workers=1)
        assert st.changed == {grown}
        assert service.refresh_reports(db, st.changed) == 1
        assert service.refresh_reports(db, st.changed) == 0  # up to date now
        assert all(service.get_story(db, r["id"]).cached for r in service.list_stories(db))


def _dump_of_three_units(tmp_path, monkeypatch):
    """A settled dump of 6 one-article clusters, read in 3 units of 2."""
    dump = tmp_path / "dump.jsonl"
    docs = [{k: v for k, v in d.items() if k != "story"} for d in _docs(2, 3, seed=9)]
    dump.write_text(
        "".join(json.dumps({"id": f"c{i}", "documents": [d]}) + "\n" for i, d in enumerate(docs)),
        encoding="utf-8",
    )
    then = time.time() - 60
    os.utime(dump, (then, then))
    monkeypatch.setenv("NEWSWEAVE_INGEST_LINES", "2")
    return dump


def test_an_interrupt_in_a_round_counts_its_committed_units(tmp_path, monkeypatch):
    """Ctrl-C (or SIGTERM) in the middle of a round: the units it committed
    are in the totals (they were reported as 'stored 0' before), and the
    next run reads the rest."""
    from newsweave.stories import ingest as ingest_mod

    dump = _dump_of_three_units(tmp_path, monkeypatch)
    write = ingest_mod._Writer.write
    calls = []

    def write_then_interrupt(self, prep):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        write(self, prep)

    monkeypatch.setattr(ingest_mod._Writer, "write", write_then_interrupt)
    with service.open_db(tmp_path / "w.db") as db:
        result = service.watch(db, [str(dump)], every=0, rounds=3, workers=1)
        assert result.interrupted and result.rounds == 1
        assert (result.stored, result.read) == (2, 2)
        assert db.scalar("SELECT count(*) FROM articles") == 2
        assert result.new_stories == db.scalar("SELECT count(*) FROM stories") > 0
        monkeypatch.setattr(ingest_mod._Writer, "write", write)
        rest = service.watch(db, [str(dump)], every=0, rounds=1, workers=1)
        assert (rest.stored, rest.read) == (4, 6)


def test_the_summary_line_counts_new_and_updated_stories_apart(tmp_path, capsys):
    """'N new stories, M existing stories updated': a first run updates no
    existing story (it printed '2 new stories, 2 updated'); a later article
    that joins a story updates one."""
    docs = _docs(1, 3, seed=4)
    inbox = tmp_path / "inbox"
    _write_files(inbox, docs[:2])
    args = ["ingest", str(inbox), "--db", str(tmp_path / "s.db"), "--no-progress"]
    args += ["--embedder", "bucket-idf"]
    assert main(args) == 0
    assert "; 1 new story, 0 existing stories updated; " in capsys.readouterr().err
    _write_files(inbox, docs[2:], start=2)
    assert main(args) == 0
    assert "; 0 new stories, 1 existing story updated; " in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["article", "feed"])
def test_a_file_rewritten_while_the_round_reads_it_waits_for_a_later_round(
    tmp_path, monkeypatch, kind
):
    """A settled file that starts being rewritten after the round planned it
    and before it is read: what was read may be half the new text, so it is
    not stored (nor marked done) but left for a later round; once complete it
    is stored once, whole."""
    from newsweave.stories import ingest as ingest_mod

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    if kind == "feed":
        path = inbox / "wire.rss"
        old = (FEEDS / "city.atom").read_text(encoding="utf-8")
        whole = (FEEDS / "wire.rss").read_text(encoding="utf-8")
        half = whole[: whole.index("City engineers inspected")]  # entry 1 whole, 2 cut
    else:
        path = inbox / "a.txt"
        whole = _docs(1, 1, seed=5)[0]["text"]
        old, half = "An older text of this file.\n\n" + whole[:200], whole[: len(whole) // 2]
    path.write_text(old, encoding="utf-8")
    os.utime(path, (time.time() - 60, time.time() - 60))
    prepare = ingest_mod.prepare_unit

    def rewritten_before_read(unit, name):
        path.write_text(half, encoding="utf-8")  # the writer has begun
        return prepare(unit, name)

    rounds = []

    def sleep(seconds: float) -> None:
        monkeypatch.setattr(ingest_mod, "prepare_unit", prepare)
        path.write_text(whole, encoding="utf-8")  # done, and settled
        os.utime(path, (time.time() - 30, time.time() - 30))

    monkeypatch.setattr(ingest_mod, "prepare_unit", rewritten_before_read)
    with service.open_db(tmp_path / "w.db") as db:
        result = service.watch(
            db, [str(inbox)], every=0, rounds=2, sleep=sleep, on_round=rounds.append, workers=1
        )
        assert result.failed_rounds == 0
        stored = 3 if kind == "feed" else 1  # the whole feed's 3 entries with text
        assert [(r.stats.stored, r.stats.deferred) for r in rounds] == [(0, 1), (stored, 0)]
        assert not any("~" in i for i in _ids(db))  # no second version of an article
        if kind == "article":
            assert [r[0] for r in db.query("SELECT text FROM articles")] == [whole.strip()]


def test_a_full_disk_stops_the_watch_with_the_totals_so_far(tmp_path, monkeypatch, capsys):
    """A full disk (or a database made read-only) in a round stopped the watch
    with exit 73 and no totals: what the committed units stored was not said.
    Now the totals are printed, then the error, and the exit code is 73."""
    from newsweave.errors import OutputError
    from newsweave.stories import ingest as ingest_mod
    from newsweave.stories.watch import WatchStopped

    dump = _dump_of_three_units(tmp_path, monkeypatch)
    write = ingest_mod._Writer.write
    calls = []

    def write_until_full(self, prep):
        calls.append(1)
        if len(calls) >= 2:
            raise OutputError("w.db: cannot write the story database: database or disk is full")
        write(self, prep)

    monkeypatch.setattr(ingest_mod._Writer, "write", write_until_full)
    with service.open_db(tmp_path / "w.db") as db:
        with pytest.raises(WatchStopped, match="disk is full") as err:
            service.watch(db, [str(dump)], every=0, rounds=3, workers=1)
        assert (err.value.result.rounds, err.value.result.stored) == (1, 2)
    calls.clear()
    db = str(tmp_path / "v.db")
    args = ["ingest", str(dump), "--db", db, "--no-progress", "--watch", "0", "--rounds", "3"]
    assert main(args) == 73
    err = capsys.readouterr().err
    assert "watch stopped after 1 round: stored 2 new articles of 2 read" in err
    assert err.rstrip().endswith("database or disk is full") and "Traceback" not in err


def test_a_watch_whose_rounds_all_fail_exits_2(tmp_path, monkeypatch, capsys):
    """'--watch --rounds N' of which no round succeeded (another writer held
    the database each time) exited 0 as if it had watched; it now prints the
    totals and ends with exit 2 naming the last error. One good round is
    enough for exit 0, and an interrupt stays a normal end."""
    from newsweave.stories import watch as watch_mod
    from newsweave.stories.lock import WriterBusy

    inbox = tmp_path / "inbox"
    _write_files(inbox, _docs(1, 2, seed=4))
    ingest = watch_mod.ingest
    busy = {"rounds": 9}

    def busy_ingest(*args, **kwargs):
        if busy["rounds"]:
            busy["rounds"] -= 1
            raise WriterBusy("w.db: another newsweave ingest (pid 1) is writing it")
        return ingest(*args, **kwargs)

    monkeypatch.setattr(watch_mod, "ingest", busy_ingest)
    db = str(tmp_path / "w.db")
    args = ["ingest", str(inbox), "--db", db, "--no-progress", "--watch", "0", "--rounds", "2"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "watch done after 2 rounds, 2 failed: stored 0 new articles" in err
    assert "no round of the watch succeeded (2 rounds, all failed; the last: w.db: another" in err
    busy["rounds"] = 1
    assert main(args) == 0
    assert "watch done after 2 rounds, 1 failed: stored 2 new articles" in capsys.readouterr().err
