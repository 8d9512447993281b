"""The ``bucket-idf`` representation through the store: document-frequency
counters persisted with every unit, raw vectors stored, the ANN cache tied to
the weights, ``recluster``, and an old (schema 1) database upgraded in place."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from newsweave.records import Article
from newsweave.stories import db as dbmod
from newsweave.stories import represent, service, state
from newsweave.stories.cli import _params
from newsweave.stories.quality import score
from newsweave.stories.reports import pick
from newsweave.stories.synth import synthetic_articles


def write_dump(path: Path, arts) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps({"id": a.id, "documents": [a.to_doc()]}) + "\n")
    return path


@pytest.fixture
def arts():
    return synthetic_articles(6, 5, seed=21)


def _raw(db) -> np.ndarray:
    rows = db.query("SELECT vector FROM embeddings WHERE model = 'bucket-idf' ORDER BY article")
    return represent.from_blobs([r[0] for r in rows], represent.IDF_DIM)


def _quality(db, arts) -> float:
    gold = {f"{a.id}/{a.id}": a.story for a in arts}
    rows = db.query(
        "SELECT a.id, sa.story FROM articles a JOIN story_articles sa ON sa.article = a.seq"
    )
    return score([gold[r[0]] for r in rows], [r[1] for r in rows]).f1


def test_counters_follow_every_unit_and_vectors_are_stored_raw(tmp_path, arts, monkeypatch):
    monkeypatch.setenv("NEWSWEAVE_INGEST_LINES", "4")  # many units, several snapshots
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(write_dump(tmp_path / "a.jsonl", arts[:14]))], workers=1)
        service.ingest(db, [str(write_dump(tmp_path / "b.jsonl", arts[14:]))], workers=1)
        assert db.setting("embedder") == "bucket-idf"
        assert db.setting("params")["threshold"] == represent.DEFAULT_THRESHOLDS["bucket-idf"]
        raw = _raw(db)
        assert len(raw) == len(arts)
        live = represent.DocFreq.from_blob(*db.idf_counts("bucket-idf", "live"))
        weights = represent.DocFreq.from_blob(*db.idf_counts("bucket-idf", "weights"))
        # the live counters are exactly the counts of what is stored
        assert live.docs == len(arts)
        assert live.df.tolist() == represent.DocFreq.of(raw).df.tolist()
        # the snapshot lags by less than one refresh step
        assert weights.docs <= live.docs < represent.IDF_REFRESH * weights.docs
        # stored vectors are the raw ones (float16), not the weighted ones
        one = Article(arts[0].id, arts[0].text, title=arts[0].title)
        expected = represent.embed_articles([one], "bucket-idf")[0]
        assert np.allclose(raw[0], expected, atol=2e-3)
        assert not np.allclose(raw[0], weights.weigh(expected[None])[0], atol=2e-3)
        assert _quality(db, arts) >= 0.95


def test_missing_counters_are_recounted(tmp_path, arts):
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(write_dump(tmp_path / "a.jsonl", arts))], workers=1)
        kept = state.load_idf(db, "bucket-idf")
        with db.transaction() as conn:
            conn.execute("DELETE FROM idf")
        healed = state.load_idf(db, "bucket-idf")
        assert healed.live.docs == kept.live.docs == len(arts)
        assert healed.live.df.tolist() == kept.live.df.tolist()
        assert healed.weights.digest() == healed.live.digest()
        assert state.load_idf(db, "tfidf") is None


def test_ann_cache_is_tied_to_the_weights(tmp_path, arts, monkeypatch):
    from newsweave.stories import anncache
    from newsweave.stories import ingest as ingest_mod
    from newsweave.stories.cluster import ClusterParams

    monkeypatch.setattr(ingest_mod, "CACHE_MIN", 1)
    path = tmp_path / "s.db"
    with service.open_db(path) as db:
        service.ingest(db, [str(write_dump(tmp_path / "a.jsonl", arts[:20]))], workers=1)
        stamp = json.loads(Path(f"{path}.ann.json").read_text())
        weights = represent.DocFreq.from_blob(*db.idf_counts("bucket-idf", "weights"))
        assert stamp["weights"] == weights.digest()
        raw, params = _raw(db), ClusterParams(**db.setting("params"))
        # the cached index is used and holds the stored vectors weighted with that snapshot
        idf = state.load_idf(db, "bucket-idf")
        assert anncache.load(path, state.index_stamp(db, "bucket-idf", idf)) is not None
        clusterer, _ = state.load_clusterer(db, "bucket-idf", params, idf)
        assert np.allclose(anncache.vectors(clusterer.index), weights.weigh(raw), atol=1e-5)
        # other weights (e.g. after a recluster): the cache no longer matches and
        # the index is rebuilt from the raw vectors with the new weights
        other = represent.DocFreq.of(raw[:10])
        with db.transaction() as conn:
            db.set_idf_counts(conn, "bucket-idf", "weights", other.docs, other.to_blob())
        idf = state.load_idf(db, "bucket-idf")
        assert anncache.load(path, state.index_stamp(db, "bucket-idf", idf)) is None
        clusterer, _ = state.load_clusterer(db, "bucket-idf", params, idf)
        assert np.allclose(anncache.vectors(clusterer.index), other.weigh(raw), atol=1e-5)


def test_recluster_weighs_with_the_whole_store(tmp_path, arts):
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(write_dump(tmp_path / "a.jsonl", arts))], workers=1)
        res = service.recluster(db)
        assert res["embedder"] == "bucket-idf" and res["articles"] == len(arts)
        whole = represent.DocFreq.of(_raw(db))
        for kind in ("live", "weights"):
            got = represent.DocFreq.from_blob(*db.idf_counts("bucket-idf", kind))
            assert got.digest() == whole.digest()
        assert _quality(db, arts) >= 0.95


def _downgrade_to_schema_1(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("DROP TABLE idf")
    con.execute("DROP TABLE feeds")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()


def test_old_tfidf_database_upgrades_then_switches_to_bucket_idf(tmp_path, arts):
    path = tmp_path / "old.db"
    with service.open_db(path) as db:
        service.ingest(
            db, [str(write_dump(tmp_path / "a.jsonl", arts[:15]))], embedder="tfidf", workers=1
        )
    _downgrade_to_schema_1(path)  # what a database written before migration 2 looks like
    with service.open_db(path) as db:
        assert db.version == dbmod.SCHEMA_VERSION == 3
        # it keeps its representation and threshold, and takes new articles
        st = service.ingest(db, [str(write_dump(tmp_path / "b.jsonl", arts[15:]))], workers=1)
        assert st.embedder == "tfidf" and st.stored == len(arts) - 15
        assert db.setting("params")["threshold"] == 0.2
        assert db.idf_counts("tfidf", "live") is None
        # --window alone on a switch: the new representation's threshold, the window kept
        switched = _params(db, None, 12.0, "bucket-idf")
        assert switched.threshold == 0.16 and switched.window_days == 12.0
        # switching: recluster computes the raw vectors and the counters
        res = service.recluster(db, embedder="bucket-idf")
        assert res["embedded"] == len(arts) and res["embedder"] == "bucket-idf"
        assert db.setting("embedder") == "bucket-idf"
        assert db.setting("params")["threshold"] == 0.16
        live = db.idf_counts("bucket-idf", "live")
        assert live is not None and live[0] == len(arts)
        assert _quality(db, arts) >= 0.95
        # and the next ingest uses them (two more articles of known stories)
        more = [
            Article(f"x{i}", a.text + " Follow-up.", title=a.title) for i, a in enumerate(arts[:2])
        ]
        dump = tmp_path / "c.jsonl"
        with dump.open("w", encoding="utf-8") as fh:
            for a in more:
                doc = {"id": a.id, "title": a.title, "text": a.text}
                fh.write(json.dumps({"id": a.id, "documents": [doc]}) + "\n")
        st = service.ingest(db, [str(dump)], workers=1)
        assert st.embedder == "bucket-idf" and st.stored == 2
        assert db.idf_counts("bucket-idf", "live")[0] == len(arts) + 2
        assert db.integrity() == "ok"


def test_report_reads_the_most_central_articles_by_weighted_vectors(tmp_path, arts):
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(write_dump(tmp_path / "a.jsonl", arts))], workers=1)
        sid = service.list_stories(db)[0]["id"]
        members = service.story_articles(db, sid)
        assert len(members) >= 4
        weights = represent.DocFreq.from_blob(*db.idf_counts("bucket-idf", "weights"))
        seqs = [a.meta["seq"] for a in members]
        raw = _raw(db)
        order = [r[0] for r in db.query("SELECT seq FROM articles ORDER BY seq")]
        vec = weights.weigh(raw[[order.index(s) for s in seqs]])
        sims = vec @ vec.sum(axis=0)
        expected = {members[i].id for i in np.argsort(-sims)[:2]}
        chosen = service._central(db, members, limit=2)
        assert {a.id for a in chosen} == expected
        # within a character budget: the most central that fit, in story order
        ranked = [members[i] for i in np.argsort(-sims, kind="stable")]
        budget = len(ranked[1].text) + len(ranked[2].text)
        fit = service._central(db, members, max_chars=budget)
        want = pick(sims, [len(a.text) for a in members], max_chars=budget)
        assert [a.id for a in fit] == [members[i].id for i in want]
        assert sum(len(a.text) for a in fit) <= budget
