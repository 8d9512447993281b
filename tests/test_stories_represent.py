"""Article representation for stories: content-free articles stay on their own."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from newsweave.records import Article
from newsweave.stories.batch import batch_cluster
from newsweave.stories.cluster import ClusterParams, OnlineClusterer
from newsweave.stories.represent import MIN_CONTENT_WORDS, content_free, embed_articles

CRAWL = (
    "Starting in 1996, Alexa Internet has been donating their crawl data to the "
    "Internet Archive. Flowing in every day, these data are added to the Wayback "
    "Machine after an embargo period."
)
TWEET = (
    "Tweet with a location \n \n You can add location information to your Tweets, such as "
    "your city or precise location, from the web and via third-party applications. You "
    "always have the option to delete your Tweet location history. Learn more"
)
FLOOD = (
    "Heavy rain flooded the river valley on Monday, and rescuers in boats evacuated "
    "hundreds of residents from the town of Millbrook as the water kept rising. "
    "The mayor of Millbrook said the flood was the worst in fifty years."
)
FLOOD2 = (
    "Rescuers evacuated hundreds of Millbrook residents by boat after the river "
    "flooded the valley; the mayor of Millbrook called it the worst flood in fifty years."
)
VOTE = (
    "The parliament of Freedonia voted on Tuesday to approve the new budget, after "
    "a long debate in which the opposition accused the finance minister of hiding "
    "the true size of the deficit from the voters."
)


def _arts(*texts):
    return [Article(f"a{i}", t) for i, t in enumerate(texts)]


def test_content_free_detects_boilerplate_pages():
    crawl, tweet, flood, vote = _arts(CRAWL, TWEET, FLOOD, VOTE)
    assert content_free(crawl) and content_free(tweet)
    assert not content_free(flood) and not content_free(vote)
    # decided on the kept content spans, not the raw text: the notice has
    # more than MIN_CONTENT_WORDS words, all of them in boilerplate lines
    assert len(CRAWL.split()) > MIN_CONTENT_WORDS
    assert crawl.content_spans == []
    # a short real item with a title is kept (title words count)
    title = "River floods Millbrook valley, town evacuated"
    assert not content_free(Article("s", "Flood in Millbrook as the river rises.", title=title))
    assert content_free(Article("s", "Flood in Millbrook as the river rises."))
    assert content_free(Article("e", "Hi there."))


def test_content_free_articles_get_the_zero_vector():
    arts = _arts(CRAWL, FLOOD, TWEET, VOTE)
    vectors = embed_articles(arts, "tfidf")
    norms = np.linalg.norm(vectors, axis=1)
    assert norms[0] == 0 and norms[2] == 0
    assert np.allclose(norms[[1, 3]], 1.0, atol=1e-5)


def test_content_free_articles_never_glue_stories():
    # the same crawl notice twice (as in two unrelated Multi-News clusters),
    # plus two articles of one story and one of another
    arts = _arts(CRAWL, FLOOD, CRAWL + " ", FLOOD2, TWEET, VOTE)
    vectors = embed_articles(arts, "tfidf")
    ts = [None] * len(arts)
    counter = itertools.count(1)
    online = OnlineClusterer(vectors.shape[1], ClusterParams(), lambda: next(counter))
    # even when told that the second notice copies the first (same_as)
    got = [s for s, _ in online.assign(vectors, ts, same_as=[None, None, 0, None, None, None])]
    assert got[1] == got[3]  # the flood story holds together
    assert len({got[0], got[2], got[4], got[1], got[5]}) == 5  # notices alone
    labels = batch_cluster(vectors, ts, ClusterParams(), fixed=[None, None, 0, None, None, None])
    assert labels[1] == labels[3]
    assert len({labels[0], labels[2], labels[4], labels[1], labels[5]}) == 5


def test_ingest_keeps_content_free_pages_alone(tmp_path):
    from newsweave.stories import service

    # two stories, each with a web-archive notice among its documents (as in
    # Multi-News); the two notices are near-duplicates of each other
    clusters = [
        ("c1", [FLOOD, CRAWL, FLOOD2]),
        (
            "c2",
            [VOTE, CRAWL + " Sorry, this page is not available.", VOTE.replace("Tuesday", "Wed")],
        ),
    ]
    dump = tmp_path / "dump.jsonl"
    with dump.open("w", encoding="utf-8") as fh:
        for cid, texts in clusters:
            docs = [{"id": f"d{i}", "text": t} for i, t in enumerate(texts)]
            fh.write(json.dumps({"id": cid, "documents": docs}) + "\n")
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(dump)])
        story = {
            r["id"]: r["story"]
            for r in db.query(
                "SELECT a.id, sa.story FROM articles a JOIN story_articles sa ON sa.article = a.seq"
            )
        }
        assert story["c1/d0"] == story["c1/d2"] and story["c2/d0"] == story["c2/d2"]
        assert story["c1/d0"] != story["c2/d0"]
        others = set(story.values()) - {story["c1/d1"], story["c2/d1"]}
        assert story["c1/d1"] != story["c2/d1"] and len(others) == 2
        sizes = {r["id"]: r["size"] for r in service.list_stories(db)}
        assert sizes[story["c1/d1"]] == sizes[story["c2/d1"]] == 1


def test_doc_freq_counts_weighs_and_round_trips():
    from newsweave.stories.represent import IDF_FLOOR, IDF_PRIOR_DOCS, DocFreq

    raw = np.array([[1.0, 0.5, 0.0], [1.0, 0.0, 0.0], [1.0, 0.0, 2.0], [0.0, 0.0, 0.0]])
    counts = DocFreq.of(raw)
    assert counts.docs == 4 and counts.df.tolist() == [3, 1, 1]
    idf = counts.idf()
    assert idf[1] == idf[2] > idf[0] > 0
    assert idf[0] == pytest.approx(np.log((5 + IDF_PRIOR_DOCS) / 4) + IDF_FLOOR)
    weighted = counts.weigh(raw)
    assert np.allclose(np.linalg.norm(weighted[:3], axis=1), 1.0)
    assert not weighted[3].any()  # a content-free row stays zero
    # the rare dimension gains weight against the one in every article
    assert weighted[0, 1] / weighted[0, 0] > raw[0, 1] / raw[0, 0]
    back = DocFreq.from_blob(counts.docs, counts.to_blob())
    assert back.docs == 4 and back.df.tolist() == counts.df.tolist()
    assert back.digest() == counts.digest()
    back.add(raw[:1])
    assert back.digest() != counts.digest() and back.docs == 5


def test_incremental_idf_refreshes_geometrically_and_rescales_exactly():
    from newsweave.stories.represent import IDF_REFRESH, DocFreq, IncrementalIdf

    rng = np.random.default_rng(0)
    raw = rng.random((400, 16)) * (rng.random((400, 16)) < 0.3)
    inc = IncrementalIdf.empty(16)
    assert inc.add(raw[:10]) is not None  # the first unit is always a snapshot
    assert inc.weights.docs == 10
    old = inc.weigh(raw[:10])
    grow = int(np.ceil(IDF_REFRESH * 10))  # counted articles that trigger the next snapshot
    assert inc.add(raw[10 : grow - 1]) is None  # weighted with the old counts meanwhile
    assert inc.weights.docs == 10 and inc.live.docs == grow - 1
    factor = inc.add(raw[grow - 1 : grow])
    assert factor is not None and inc.weights.docs == grow
    # re-weighing a held vector by the factor equals weighing it afresh
    moved = old * factor
    moved /= np.linalg.norm(moved, axis=1, keepdims=True)
    assert np.allclose(moved, inc.weigh(raw[:10]), atol=1e-5)
    assert inc.weights.df.tolist() == DocFreq.of(raw[:grow]).df.tolist()
    refreshed = inc.refreshed
    for start in range(grow, 400, 7):
        inc.add(raw[start : start + 7])
    assert inc.live.docs == 400
    # a logarithmic number of snapshots, not one per unit
    assert inc.refreshed - refreshed <= np.ceil(np.log(400 / grow) / np.log(IDF_REFRESH)) + 1
    assert inc.live.docs < IDF_REFRESH * inc.weights.docs


def test_bucket_idf_stores_raw_hashed_vectors():
    from newsweave.stories.represent import IDF_DIM, canonical, needs_idf

    assert canonical(None) == "bucket-idf" and canonical("idf") == "bucket-idf"
    assert canonical("Hybrid") == "hybrid" and canonical("hashing") == "tfidf"
    assert needs_idf("bucket_idf") and not needs_idf("tfidf")
    arts = _arts(CRAWL, FLOOD, FLOOD2, VOTE)
    raw = embed_articles(arts, "bucket-idf")
    assert raw.shape == (4, IDF_DIM)
    assert not raw[0].any()
    assert np.allclose(np.linalg.norm(raw[1:], axis=1), 1.0, atol=1e-5)
    # unweighted: the tfidf features hashed twice as wide (folding the two
    # halves gives back the 1024-dim tfidf vector)
    folded = raw[:, : IDF_DIM // 2] + raw[:, IDF_DIM // 2 :]
    norms = np.linalg.norm(folded, axis=1, keepdims=True)
    folded = folded / np.where(norms == 0, 1.0, norms)
    assert np.allclose(folded, embed_articles(arts, "tfidf"), atol=1e-5)


def test_two_articles_of_one_story_alone_stay_similar():
    # a new database holding only two reports of one event: the words they
    # share are the story, not stop words; the prior keeps them weighted
    from newsweave.stories.represent import DocFreq

    raw = embed_articles(_arts(FLOOD, FLOOD2), "bucket-idf")
    weighted = DocFreq.of(raw).weigh(raw)
    assert float(weighted[0] @ weighted[1]) > 0.8 * float(raw[0] @ raw[1])
    assert float(weighted[0] @ weighted[1]) > ClusterParams(threshold=0.16).threshold


def test_unknown_embedder_names_the_story_representations():
    from newsweave.errors import InputError
    from newsweave.stories.represent import canonical

    with pytest.raises(InputError, match="unknown embedder 'bogus'") as exc:
        canonical("bogus")
    assert "bucket-idf" in str(exc.value) and "hybrid" in str(exc.value)
