"""Article representation for stories: content-free articles stay on their own."""

from __future__ import annotations

import itertools
import json

import numpy as np

from newsweave.records import Article
from newsweave.stories.cluster import ClusterParams, OnlineClusterer, batch_cluster
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
