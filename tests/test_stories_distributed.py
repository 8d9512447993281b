"""The Dask batch path, run locally: read → dedup → cluster by time bucket →
stitch → summarize."""

from __future__ import annotations

import json

import pytest

from newsweave.stories.cluster import ClusterParams
from newsweave.stories.quality import score
from newsweave.stories.synth import synthetic_articles

pytest.importorskip("dask.bag")

from newsweave.stories.distributed import run_batch, stitch  # noqa: E402


def test_dask_batch_path_matches_gold(tmp_path):
    # 6 stories, each spread over 10 days so that most cross a weekly bucket edge
    arts = synthetic_articles(6, 5, seed=21, spread_days=10)
    dump = tmp_path / "dump.jsonl"
    with dump.open("w", encoding="utf-8") as fh:
        for i, a in enumerate(arts):
            fh.write(json.dumps({"id": f"l{i}", "documents": [a.to_doc()]}) + "\n")
        # an exact duplicate line: stored once
        fh.write(json.dumps({"id": "dup", "documents": [arts[0].to_doc()]}) + "\n")
    stories = run_batch(
        [str(dump)],
        scheduler="synchronous",
        summary_embedder="tfidf",
        params=ClusterParams(),
    )
    members = {a: s.id for s in stories for a in s.articles}
    assert len(members) == len(arts)  # the duplicate line is gone
    gold = {f"l{i}/{a.id}": a.story for i, a in enumerate(arts)}
    dup_id = f"dup/{arts[0].id}"
    if dup_id in members:  # whichever copy was kept stands for line 0
        members[f"l0/{arts[0].id}"] = members.pop(dup_id)
    keys = sorted(gold)
    q = score([gold[k] for k in keys], [members[k] for k in keys])
    assert q.f1 >= 0.95, q
    big = [s for s in stories if len(s.articles) >= 2]
    assert big and all(s.report and s.report["summary"] for s in big)
    assert all(s.first_ts is not None and s.first_ts <= s.last_ts for s in stories)


def test_stitch_respects_buckets_and_window():
    import numpy as np

    v = np.zeros(8, dtype=np.float32)
    v[0] = 1.0
    day = 86400.0
    clusters = [
        {"bucket": "t1", "sum": v * 3, "first": 10 * day, "last": 12 * day, "members": ["a"]},
        {"bucket": "t2", "sum": v * 2, "first": 14 * day, "last": 15 * day, "members": ["b"]},
        {"bucket": "t2", "sum": v, "first": 14 * day, "last": 14 * day, "members": ["c"]},
        {"bucket": "t90", "sum": v, "first": 900 * day, "last": 901 * day, "members": ["d"]},
    ]
    groups = sorted(sorted(g) for g in stitch(clusters, ClusterParams(window_days=30)))
    # same bucket never merges directly, but both t2 clusters join t1; t90 is years away
    assert groups == [[0, 1, 2], [3]]
