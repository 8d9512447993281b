"""Writing a Dask batch job into a story database: browsable with the
``stories`` / ``story`` commands, the same database as the single-machine
path, idempotent, and safe on a database that already holds articles."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dask.bag  # noqa: F401  (a [test] dependency: missing is a failure, not a skip)
import pytest
from click.testing import CliRunner
from store_checks import check_store
from test_stories_distributed import EMBEDDER, write_mixed_dump

from newsweave.cli import cli
from newsweave.errors import InputError
from newsweave.stories import service
from newsweave.stories.distributed import run_batch, run_job
from newsweave.stories.distributed_store import write_job
from newsweave.stories.membership import SECOND_CHANCE_MARK

TABLES = {
    "articles": "SELECT * FROM articles ORDER BY seq",
    "embeddings": "SELECT * FROM embeddings ORDER BY article, model",
    "minhash": "SELECT * FROM minhash ORDER BY article",
    "lsh": "SELECT * FROM lsh ORDER BY article, key",
    "stories": "SELECT * FROM stories ORDER BY id",
    "story_articles": "SELECT * FROM story_articles ORDER BY article",
    "sources": "SELECT * FROM sources ORDER BY path",
    "settings": "SELECT * FROM settings ORDER BY key",
    "idf": "SELECT * FROM idf ORDER BY model, kind",
}


def _dump_tables(db) -> dict[str, list[tuple]]:
    return {name: [tuple(r) for r in db.query(sql)] for name, sql in TABLES.items()}


@pytest.fixture
def mixed(tmp_path):
    dump = tmp_path / "dump.jsonl"
    write_mixed_dump(dump)
    return dump


def test_run_batch_returns_the_jobs_stories_and_writes_them_to_the_store(mixed, tmp_path):
    """The library's one-call form of run_job + write_job had no test."""
    opts = {"embedder": EMBEDDER, "scheduler": "synchronous", "summarize": False}
    expected = [s.articles for s in run_job([str(mixed)], **opts).stories]
    assert expected and [s.articles for s in run_batch([str(mixed)], **opts)] == expected
    with service.open_db(tmp_path / "b.db") as db:
        stories = run_batch([str(mixed)], store=db, **opts)
        assert [s.articles for s in stories] == expected
        stored = {r[0] for r in db.query("SELECT id FROM articles")}
        assert len(stored) == 36  # the dump's 37 lines less the exact duplicate
        assert {m for s in stories for m in s.articles} <= stored
        check_store(db.path)


def test_written_job_is_browsable_and_idempotent(mixed, tmp_path):
    job = run_job([str(mixed)], embedder=EMBEDDER, scheduler="synchronous", summarize=False)
    path = tmp_path / "dask.db"
    with service.open_db(path) as db:
        st = write_job(db, job)
        assert (st.stored, st.already_stored, st.renamed) == (36, 0, 0)
        assert st.near_duplicates == len(job.links) == 6
        assert (st.new_stories, st.embedded) == (len(job.stories), 36)
        assert db.setting(SECOND_CHANCE_MARK) == 36  # a later ingest owes them nothing
        check_store(db.path)
        links = {
            r[0]: r[1]
            for r in db.query(
                "SELECT a.id, d.id FROM articles a JOIN articles d ON d.seq = a.duplicate_of"
            )
        }
        assert links == job.duplicates
        before = _dump_tables(db)
        again = write_job(db, job)  # the same job again: nothing changes
        assert (again.stored, again.already_stored, again.new_stories) == (0, 36, 0)
        assert again.unchanged_stories == len(job.stories) and again.changed_stories == 0
        assert _dump_tables(db) == before
        # a later single-machine ingest of the same file finds it done / stored
        assert service.ingest(db, [str(mixed)], workers=1).files_skipped == 1
        os.utime(mixed, (1, 1))
        st = service.ingest(db, [str(mixed)], workers=1)
        assert (st.read, st.stored, st.already_stored) == (37, 0, 37)
        assert _dump_tables(db)["story_articles"] == before["story_articles"]

    runner = CliRunner()
    res = runner.invoke(cli, ["stories", "--db", str(path), "-f", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    by_size = sorted(len(s.articles) for s in job.stories)
    assert sorted(r["size"] for r in rows) == by_size
    assert {r["title"] for r in rows} == {s.title for s in job.stories}
    top = rows[0]
    assert top["first_date"] and top["outlets"]
    args = ["story", str(top["id"]), "--db", str(path), "--embedder", "tfidf", "--no-analyze"]
    res = runner.invoke(cli, [*args, "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["story"]["size"] == top["size"] and data["summary"]
    members = {a["id"] for a in data["story"]["articles"]}
    job_story = next(s for s in job.stories if set(s.articles) == members)
    assert job_story.title == top["title"]
    # the largest story holds wire copies: shown linked to what they copy
    copies = {a["id"]: a["duplicate_of"] for a in data["story"]["articles"] if a["duplicate_of"]}
    assert copies and copies == job_story.duplicates
    res = runner.invoke(cli, [*args, "-f", "md"])
    assert res.exit_code == 0 and res.stdout.startswith(f"<!-- story {top['id']}:")


@pytest.mark.parametrize("embedder", [EMBEDDER, "bucket-idf"])
def test_written_db_is_the_single_machine_db(mixed, tmp_path, embedder):
    """With one time bucket the job writes what ``ingest`` + ``recluster``
    store: the same articles (same seq order, ids, hashes, dates, links),
    vectors, signatures and band keys, settings, document-frequency counters
    (``bucket-idf``), and the same stories with the same titles (story ids
    may differ: recluster keeps the online pass's ids)."""
    job = run_job(
        [str(mixed)], embedder=embedder, scheduler="synchronous", summarize=False, bucket_days=1e5
    )
    with service.open_db(tmp_path / "dask.db") as db:
        write_job(db, job)
        dask_tables = _dump_tables(db)
    with service.open_db(tmp_path / "single.db") as db:
        service.ingest(db, [str(mixed)], workers=1, embedder=embedder)
        service.recluster(db)
        single_tables = _dump_tables(db)

    def articles(tables):  # everything but the insertion time
        return [r[:-1] for r in tables["articles"]]

    assert articles(dask_tables) == articles(single_tables)
    assert bool(dask_tables["idf"]) == (embedder == "bucket-idf")
    for name in ("embeddings", "minhash", "lsh", "settings", "idf"):
        assert dask_tables[name] == single_tables[name], name

    def partition(tables):
        title = {r[0]: r[1] for r in tables["stories"]}
        groups: dict[int, list[int]] = {}
        for article, story, _ in tables["story_articles"]:
            groups.setdefault(story, []).append(article)
        return sorted((sorted(m), title[s]) for s, m in groups.items())

    assert partition(dask_tables) == partition(single_tables)


def test_write_into_a_database_that_holds_articles(mixed, tmp_path):
    lines = mixed.read_text(encoding="utf-8").splitlines(keepends=True)
    first = tmp_path / "first.jsonl"  # the originals but l4 (and the copy of l0)
    first.write_text("".join(lines[:4] + lines[5:31]), encoding="utf-8")
    pre = json.loads(lines[4])  # an edition of l4 stored before the job
    pre["id"] = "pre"
    pre["documents"][0]["text"] += " Updated."
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps(pre) + "\n", encoding="utf-8")
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(first)], workers=1, embedder=EMBEDDER)
        service.ingest(db, [str(extra)], workers=1)
        stored = {r[0]: r[1] for r in db.query("SELECT content_hash, seq FROM articles")}
        job = run_job([str(mixed)], embedder=EMBEDDER, scheduler="synchronous", summarize=False)
        st = write_job(db, job)
        assert (st.stored, st.already_stored) == (7, 29)
        assert db.scalar("SELECT count(*) FROM articles") == 37
        assert db.setting(SECOND_CHANCE_MARK) == 37
        after = {r[0]: r[1] for r in db.query("SELECT content_hash, seq FROM articles")}
        assert all(after[h] == s for h, s in stored.items())  # stored articles keep their seq
        check_store(db.path)
        # ingest's rule: a copy links to the earliest stored match, here "pre"
        # (stored before the job) rather than the job's own target
        links = {
            r[0].split("/")[0]: r[1].split("/")[0]
            for r in db.query(
                "SELECT a.id, d.id FROM articles a JOIN articles d ON d.seq = a.duplicate_of"
            )
        }
        assert links["l4"] == links["late"] == "pre" and job.duplicates
        assert st.near_duplicates == len(job.links) + 1
        # the job's stories hold the job's articles (stored earlier or not)
        rows = db.query(
            "SELECT a.content_hash, sa.story FROM articles a "
            "JOIN story_articles sa ON sa.article = a.seq"
        )
        story_of = {r[0]: r[1] for r in rows}
        hashes = dict(job.records.map(lambda r: (r.id, r.content_hash)).compute(scheduler="sync"))
        for s in job.stories:
            assert len({story_of[hashes[a]] for a in s.articles}) == 1
        assert write_job(db, job).unchanged_stories == len(job.stories)


def test_a_database_of_another_embedder_is_refused(mixed, tmp_path):
    job = run_job([str(mixed)], embedder=EMBEDDER, scheduler="synchronous", summarize=False)
    with service.open_db(tmp_path / "s.db") as db:
        with db.transaction() as conn:
            db.set_setting(conn, "embedder", "minilm")
        with pytest.raises(InputError, match="minilm"):
            write_job(db, job)
        assert db.scalar("SELECT count(*) FROM articles") == 0


def test_job_reports_are_served_from_the_cache(mixed, tmp_path):
    """The job's reports go into the report cache: ``story`` serves them
    without recomputing; a story that holds articles the job did not
    summarise (stored before) gets no cached report."""
    job = run_job(
        [str(mixed)], embedder=EMBEDDER, scheduler="synchronous", summary_embedder="tfidf"
    )
    summarised = [s for s in job.stories if s.report is not None]
    assert summarised
    with service.open_db(tmp_path / "dask.db") as db:
        st = write_job(db, job)
        assert st.reports == len(summarised)
        for s in summarised:
            sid = st.story_ids[s.id]
            story = service.get_story(db, sid, embedder="tfidf", analyze=False)
            assert story.cached, s.id
            assert story.report.to_dict(include_sentences=True) == s.report
            assert {a.id for a in story.report.articles} == set(s.meta["report_articles"])
        # other options than the job's: computed, not served from the job's cache
        sid = st.story_ids[summarised[0].id]
        assert not service.get_story(db, sid, embedder="tfidf", length="50w", analyze=False).cached
        assert write_job(db, job).reports == len(summarised)  # idempotent
        # the same input run again (reports equal but for their timings):
        # the cached ones are kept, the database does not change
        reports = "SELECT * FROM reports ORDER BY story"
        before = [tuple(r) for r in db.query(reports)]
        again = run_job(
            [str(mixed)], embedder=EMBEDDER, scheduler="synchronous", summary_embedder="tfidf"
        )
        assert write_job(db, again).reports == len(summarised)
        assert [tuple(r) for r in db.query(reports)] == before


def test_job_accounts_count_the_versions_of_an_edited_article_once(tmp_path):
    """A publisher rewrote an entry (same guid, link and outlet; too different
    to be a near-duplicate): BatchStory.accounts counted both versions as two
    accounts, where the report (versions.latest) reads one."""
    feeds = Path(__file__).parent / "fixtures" / "feeds"
    original = (feeds / "wire.rss").read_text(encoding="utf-8")
    body = original.split("<content:encoded><![CDATA[", 1)[1].split("]]>", 1)[0]
    rewritten = (
        "<p>City engineers shut the Harbor Bridge in Port Alden to all traffic on Monday "
        "after heavy rain flooded its approaches.</p><p>Mayor Lena Ortiz told reporters "
        "the crossing would reopen only once the Alden River fell below the warning mark, "
        "which could take days.</p><p>Extra ferry crossings were laid on for east bank "
        "commuters, and schools on that side closed early.</p>"
    )
    (tmp_path / "a.rss").write_text(original, encoding="utf-8")
    (tmp_path / "b.rss").write_text(original.replace(body, rewritten), encoding="utf-8")
    paths = [str(tmp_path / "a.rss"), str(tmp_path / "b.rss")]
    job = run_job(paths, embedder=EMBEDDER, scheduler="synchronous", summarize=False)
    old = "wire-2024-0304-bridge"
    (s,) = [s for s in job.stories if old in s.articles]
    (newer,) = [a for a in s.articles if a.startswith(old + "~")]
    assert old not in job.links and newer not in job.links  # not copies of each other
    assert len(s.articles) == 3  # both versions stay members
    assert s.accounts == 2  # the reopening report and the bridge article (both versions)


def test_job_reports_read_the_newest_version_of_an_edited_article(tmp_path):
    """Two snapshots of a feed whose publisher corrected a figure: the job
    stores both versions (the later as '<guid>~<hash>'), as ingest does, but
    its report read both as two accounts (and store_report compared it with
    all the story's articles), so the cached report was not the one
    ``newsweave story`` reads and was recomputed on view. The job's report
    now reads the newest version only, names the older one, and is served."""
    feeds = Path(__file__).parent / "fixtures" / "feeds"
    original = (feeds / "wire.rss").read_text(encoding="utf-8")
    sentence = "Ferry operators added extra crossings for commuters stranded on the east bank."
    first = original.replace(sentence, sentence[:-1] + ", and about 300 residents were evacuated.")
    (tmp_path / "a.rss").write_text(first, encoding="utf-8")
    (tmp_path / "b.rss").write_text(first.replace("about 300", "about 450"), encoding="utf-8")
    paths = [str(tmp_path / "a.rss"), str(tmp_path / "b.rss")]
    job = run_job(
        paths, embedder=EMBEDDER, scheduler="synchronous", summary_embedder="tfidf", analyze=True
    )
    old = "wire-2024-0304-bridge"
    (s,) = [s for s in job.stories if old in s.articles]
    (newer,) = [a for a in s.articles if a.startswith(old + "~")]
    assert s.report is not None and old not in s.meta["report_articles"]
    assert newer in s.meta["report_articles"]
    assert old not in {a["id"] for a in s.report["articles"]}
    assert any("superseded" in w and f"{old} by {newer}" in w for w in s.report["warnings"])
    with service.open_db(tmp_path / "d.db") as db:
        st = write_job(db, job)
        assert st.reports >= 1
        story = service.get_story(db, st.story_ids[s.id], embedder="tfidf", analyze=True)
        assert story.cached
        assert story.report.to_dict(include_sentences=True) == s.report
        assert len(story.articles) == len(s.articles)  # both versions stay listed
