"""Daily batch jobs: a job's stories of new articles continue the stories
already stored (same subject, within the time window), and only those."""

from __future__ import annotations

import json
from datetime import date, timedelta

import dask.bag  # noqa: F401  (a [test] dependency: missing is a failure, not a skip)
import numpy as np
import pytest

from newsweave.stories import represent, service
from newsweave.stories.distributed import run_job
from newsweave.stories.distributed_store import write_job
from newsweave.stories.synth import synthetic_articles

EMBEDDER = "tfidf"


def _write(path, docs) -> None:
    path.write_text(
        "".join(json.dumps({"id": d["id"], "documents": [d]}) + "\n" for d in docs),
        encoding="utf-8",
    )


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _days(tmp_path, late_story: str | None = None):
    """Day 1: the first 3 articles of stories s0-s3; day 2: their last 3 and
    all of s4, s5. ``late_story``'s day-2 articles are moved 800 days on."""
    arts = synthetic_articles(6, 6, seed=5, spread_days=10)
    gold = {a.id: a.story for a in arts}
    day1, day2 = [], []
    for a in arts:
        doc = a.to_doc()
        k = int(a.id.rsplit("a", 1)[1])
        if a.story in ("s4", "s5") or k >= 3:
            if a.story == late_story:
                doc["date"] = _shift(doc["date"], 800)
                gold[a.id] = "late"
            day2.append(doc)
        else:
            day1.append(doc)
    _write(tmp_path / "day1.jsonl", day1)
    _write(tmp_path / "day2.jsonl", day2)
    return gold


def _job(path, embedder: str, **options):
    return run_job([str(path)], embedder=embedder, scheduler="synchronous", **options)


def _partition(db) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for ident, story in db.query(
        "SELECT a.id, sa.story FROM story_articles sa JOIN articles a ON a.seq = sa.article"
    ):
        groups.setdefault(story, set()).add(ident.split("/", 1)[1])  # "<line>/<article>"
    return {frozenset(g) for g in groups.values()}


def _gold_partition(gold: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for ident, story in gold.items():
        groups.setdefault(story, set()).add(ident)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("embedder", [EMBEDDER, "bucket-idf"])
def test_second_day_continues_the_stored_stories(tmp_path, embedder):
    gold = _days(tmp_path)
    with service.open_db(tmp_path / "s.db") as db:
        job1 = _job(tmp_path / "day1.jsonl", embedder, summarize=False)
        st1 = write_job(db, job1)
        assert st1.new_stories == 4 and st1.continued_stories == 0
        titles = {r[0]: r[1] for r in db.query("SELECT id, title FROM stories")}
        job2 = _job(tmp_path / "day2.jsonl", embedder, summarize=False)
        st2 = write_job(db, job2)
        assert (st2.continued_stories, st2.new_stories) == (4, 2)
        assert _partition(db) == _gold_partition(gold)
        # continued stories keep their id and title; sizes and spans follow
        after = {r[0]: (r[1], r[2]) for r in db.query("SELECT id, title, size FROM stories")}
        assert all(after[sid] == (title, 6) for sid, title in titles.items())
        if embedder == EMBEDDER:  # unweighted vectors: recompute each continued centroid
            _check_similarity_to_the_merged_centroid(db, titles)
        before = _partition(db)
        again = write_job(db, job2)  # idempotent: matched by shared articles now
        assert again.continued_stories == 0 and again.unchanged_stories == len(job2.stories)
        assert _partition(db) == before


def _check_similarity_to_the_merged_centroid(db, stories) -> None:
    """The day-2 members of a continued story carry their cosine to the
    whole story's centroid (day 1 and day 2), not to the job story's."""
    for sid in stories:
        rows = db.query(
            "SELECT sa.article, sa.similarity, e.vector, a.id FROM story_articles sa "
            "JOIN embeddings e ON e.article = sa.article JOIN articles a ON a.seq = sa.article "
            "WHERE sa.story = ? ORDER BY sa.article",
            (sid,),
        )
        vec = represent.from_blobs([r["vector"] for r in rows], int(db.setting("dim")))
        centre = vec.sum(axis=0)
        centre /= np.linalg.norm(centre)
        day2 = [i for i, r in enumerate(rows) if int(r["id"].rsplit("a", 1)[1]) >= 3]
        assert len(day2) == 3
        for i in day2:
            assert rows[i]["similarity"] == pytest.approx(float(vec[i] @ centre), abs=1e-4)


def test_a_story_two_years_later_is_not_continued(tmp_path):
    gold = _days(tmp_path, late_story="s2")
    with service.open_db(tmp_path / "s.db") as db:
        for day in ("day1", "day2"):
            job = _job(tmp_path / f"{day}.jsonl", EMBEDDER, summarize=False)
            st = write_job(db, job)
        assert (st.continued_stories, st.new_stories) == (3, 3)
        assert _partition(db) == _gold_partition(gold)


def test_a_continued_story_gets_no_cached_job_report(tmp_path):
    """The job summarised only its own articles of a continued story: that
    report is not cached (``story`` computes one over the whole story); the
    job's reports of its new stories are."""
    _days(tmp_path)
    with service.open_db(tmp_path / "s.db") as db:
        job1 = _job(tmp_path / "day1.jsonl", EMBEDDER, summarize=False)
        write_job(db, job1)
        job2 = _job(tmp_path / "day2.jsonl", EMBEDDER, summary_embedder="tfidf")
        st = write_job(db, job2)
        assert st.continued_stories == 4 and st.reports == 2
        cached = {int(r[0]) for r in db.query("SELECT story FROM reports")}
        for s in job2.stories:
            sid = st.story_ids[s.id]
            story = service.get_story(db, sid, embedder="tfidf", analyze=False)
            assert story.cached == (sid in cached)
            # day 2 holds 3 articles of each continued story, all 6 of each new one
            assert story.size == 6 and story.cached == (len(s.articles) == 6)
            assert {a.id for a in story.report.articles} == {a["id"] for a in story.articles}
