"""Online and batch story clustering, the time window, and the quality metrics."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from newsweave.records import Article
from newsweave.stories.batch import batch_cluster
from newsweave.stories.cluster import ClusterParams, OnlineClusterer
from newsweave.stories.prepare import parse_ts
from newsweave.stories.quality import bcubed, score
from newsweave.stories.represent import embed_articles
from newsweave.stories.synth import story_vocabulary, synthetic_articles


def _embed(arts):
    return embed_articles([Article(a.id, a.text, title=a.title) for a in arts], "tfidf")


def _online(vectors, ts, params=None):
    counter = itertools.count(1)
    clusterer = OnlineClusterer(vectors.shape[1], params or ClusterParams(), lambda: next(counter))
    return [s for s, _ in clusterer.assign(vectors, ts)]


def test_bcubed_by_hand():
    gold = ["a", "a", "b", "b"]
    assert bcubed(gold, [1, 1, 2, 2]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(gold, [1, 1, 1, 1])  # one cluster: precision 1/2, recall 1
    assert (p, r) == (0.5, 1.0) and f == pytest.approx(2 / 3)
    p, r, _ = bcubed(gold, [1, 2, 3, 4])  # singletons: precision 1, recall 1/2
    assert (p, r) == (1.0, 0.5)
    q = score(gold, [1, 1, 2, 2])
    assert q.ari == pytest.approx(1.0) and q.clusters == 2


def test_online_recovers_synthetic_stories():
    arts = synthetic_articles(8, 6, seed=1)
    vectors = _embed(arts)
    ts = [parse_ts(a.date) for a in arts]
    labels = _online(vectors, ts)
    q = score([a.story for a in arts], labels)
    assert q.f1 >= 0.95, q


def test_time_window_separates_same_subject_years_apart():
    import random

    words = story_vocabulary(random.Random(3))
    # the same subject (same vocabulary) in May 2014 and again in May 2024
    arts = synthetic_articles(2, 5, seed=2, vocab=[words, words])
    for a in arts:
        if a.story == "s1":
            a.date = "2024" + a.date[4:]
    vectors = _embed(arts)
    ts = [parse_ts(a.date) for a in arts]
    labels = _online(vectors, ts)
    by_story = {
        s: {lab for a, lab in zip(arts, labels, strict=True) if a.story == s} for s in ("s0", "s1")
    }
    assert len(by_story["s0"]) == 1 and len(by_story["s1"]) == 1
    assert by_story["s0"] != by_story["s1"]
    # without dates, content alone decides: one story
    undated = _online(vectors, [None] * len(arts))
    assert len(set(undated)) == 1
    # the batch re-cluster honours the window too
    batch = batch_cluster(vectors, ts)
    assert score([a.story for a in arts], batch).f1 == pytest.approx(1.0)


def test_batch_cluster_and_fixed_duplicates():
    arts = synthetic_articles(5, 4, seed=4)
    vectors = _embed(arts)
    ts = [parse_ts(a.date) for a in arts]
    labels = batch_cluster(vectors, ts, ClusterParams())
    assert score([a.story for a in arts], labels).f1 >= 0.95
    # an article forced to follow another one (a near-duplicate) ends in its
    # story, unless the two are dated further apart than the window
    other = next(i for i, a in enumerate(arts) if a.story != arts[0].story)
    fixed = [None] * len(arts)
    fixed[other] = 0
    forced = batch_cluster(vectors, [None] * len(arts), ClusterParams(), fixed)
    assert forced[other] == forced[0]
    apart = batch_cluster(vectors, ts, ClusterParams(), fixed)  # stories are 60 days apart
    assert apart[other] != apart[0]
    assert batch_cluster(np.zeros((0, 8), dtype=np.float32), []).size == 0


def test_parse_ts_formats():
    assert parse_ts("2014-05-21") == parse_ts("2014-05-21T00:00:00Z")
    assert parse_ts("Wed, 21 May 2014 00:00:00 GMT") == parse_ts("2014-05-21")
    assert parse_ts("21 May 2014") == parse_ts("2014-05-21")
    assert parse_ts("not a date at all, really") is None
    assert parse_ts(None) is None
    assert parse_ts("20140521") == parse_ts("2014-05-21")
    assert parse_ts("1850-01-01") is not None  # an archive can be old


@pytest.mark.parametrize(
    "value",
    ["-5", "5", "12345", "1e400", "2014", "0001-01-01", "1799-12-31", "9999-12-31"]
    + ["NaN", "nan ", "N/A", "#N/A", "n.a.", "NA", "n.d.", "N.D.", "None", "null"],
)
def test_parse_ts_refuses_numbers_and_implausible_dates(value):
    """dateparser turns "-5" into a day of this year, "NaN" into August and
    "N/A" into this week; a news article dated before 1800 or more than a
    year ahead is a mistake: all undated."""
    assert parse_ts(value) is None


def test_parse_ts_keeps_dates_up_to_a_year_ahead():
    from datetime import UTC, datetime, timedelta

    soon = datetime.now(UTC) + timedelta(days=300)
    assert parse_ts(soon.date().isoformat()) is not None
    assert parse_ts((soon + timedelta(days=100)).date().isoformat()) is None


@pytest.mark.parametrize("value", ["tomorrow", "last week", "2 days ago", "Monday", "May 12"])
def test_parse_ts_leaves_relative_dates_unresolved_without_an_anchor(value):
    """A relative date says nothing by itself: the ingest clock is not when
    the article was written, so it is not guessed (it was: "tomorrow" was
    the day after the ingest)."""
    assert parse_ts(value) is None


def test_parse_ts_resolves_relative_dates_against_the_articles_own_date():
    from datetime import UTC, datetime

    from newsweave.stories.prepare import own_date

    anchor = own_date("NEW YORK, May 18, 2014 (UPI) -- The council voted on Monday.")
    assert anchor == datetime(2014, 5, 18, tzinfo=UTC).timestamp()
    day = 86400
    assert parse_ts("tomorrow", anchor) == anchor + day
    assert parse_ts("last week", anchor) == anchor - 7 * day
    assert parse_ts("May 12", anchor) == anchor - 6 * day
    # an absolute date ignores the anchor
    assert parse_ts("2013-01-02", anchor) == datetime(2013, 1, 2, tzinfo=UTC).timestamp()
    assert own_date("The council voted on Monday, officials said.") is None


def test_prepare_dates_a_relative_date_from_the_article_only():
    from newsweave.stories.prepare import prepare_read
    from newsweave.stories.sources import Read, Unit

    text = "The council met again on Tuesday to vote on the new bridge plan for the river. " * 3
    arts = [
        Article("a", "WASHINGTON, May 18, 2014 (AP) -- " + text, date="yesterday"),
        Article("b", text, date="yesterday"),
    ]
    read = Read(arts, [None, None], [])
    prep = prepare_read(Unit("files", ["x"], 0), read, "tfidf")
    assert prep.ts[0] == datetime_utc(2014, 5, 17)
    assert prep.ts[1] is None
    assert any("'yesterday'" in w and "b" in w for w in prep.warnings)


def datetime_utc(*args):
    from datetime import UTC, datetime

    return datetime(*args, tzinfo=UTC).timestamp()


def test_reweight_rewrites_index_recent_and_story_sums():
    from newsweave.stories.cluster import index_storage
    from newsweave.stories.represent import DocFreq

    arts = synthetic_articles(6, 5, seed=4)
    raw = embed_articles([Article(a.id, a.text, title=a.title) for a in arts], "bucket-idf")
    ts = [parse_ts(a.date) for a in arts]
    counter = itertools.count(1)
    params = ClusterParams(threshold=0.16)
    online = OnlineClusterer(raw.shape[1], params, lambda: next(counter))
    first = DocFreq.of(raw[:12])
    online.assign(first.weigh(raw[:12]), ts[:12])
    whole = DocFreq.of(raw)
    online.reweight(whole.idf() / first.idf())
    # everything held is now weighted with the new counts
    expected = whole.weigh(raw[:12])
    assert np.allclose(index_storage(online.index), expected, atol=1e-5)
    assert np.allclose(online.recent, expected, atol=1e-5)
    st = online.stories
    for story in set(online.labels.tolist()):
        members = expected[online.labels == story]
        assert np.allclose(st.sums[st.pos[story]], members.sum(axis=0), atol=1e-4)
    # and the index finds each vector as its own nearest neighbour
    sims, nbrs = online.index.search(expected, 1)
    assert nbrs[:, 0].tolist() == list(range(12))
    # the rest still joins the right stories
    got = [s for s, _ in online.assign(whole.weigh(raw[12:]), ts[12:])]
    labels = online.labels.tolist()[:12] + got
    assert score([a.story for a in arts], labels).f1 >= 0.95


def test_second_chance_moves_only_articles_left_alone_that_clearly_prefer_a_story():
    from test_stories_batch import _vectors

    vectors = _vectors()  # A x4, B x4, sure (0.14 to A), torn (A and B), far, empty
    counter = itertools.count(1)
    online = OnlineClusterer(vectors.shape[1], ClusterParams(threshold=0.16), lambda: next(counter))
    ts = [0.0] * 8 + [None] * 4
    got = [s for s, _ in online.assign(vectors, ts)]
    a, b = got[0], got[4]
    assert len(set(got)) == 6  # A, B and four stories of one (below the threshold)
    moves = online.second_chance(range(len(vectors)))
    assert [(m.position, m.new) for m in moves] == [(8, a)]
    assert moves[0].old == got[8] and 0.12 <= moves[0].score < 0.16
    labels = online.labels
    assert labels[8] == a and len({labels[9], labels[10], labels[11], a, b}) == 5
    pos = online.stories.pos
    assert online.stories.count[pos[a]] == 5 and online.stories.count[pos[got[8]]] == 0
    assert online.second_chance(range(len(vectors))) == []  # nothing left to move
    # a later article scoring the same but dated a year after A: stays alone
    late = OnlineClusterer(vectors.shape[1], ClusterParams(threshold=0.16), lambda: next(counter))
    late.assign(vectors[:9], [0.0] * 8 + [400 * 86400.0])
    assert late.second_chance([8]) == []
    off = OnlineClusterer(
        vectors.shape[1], ClusterParams(threshold=0.16, attach_ratio=1.0), lambda: next(counter)
    )
    off.assign(vectors, ts)
    assert off.second_chance(range(len(vectors))) == []
