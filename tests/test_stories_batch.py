"""Batch clustering's last step: an article left alone joins the story it
clearly prefers at a lower bar (0.75 x threshold), not one it is torn
between, never across the time window, never a content-free one."""

from __future__ import annotations

import numpy as np

from newsweave.stories.batch import batch_cluster
from newsweave.stories.cluster import DAY, ClusterParams

DIM = 64


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _vectors():
    rng = np.random.default_rng(7)
    basis = np.linalg.qr(rng.normal(size=(DIM, DIM)))[0].T  # orthonormal rows
    u_a, u_b, u_c, rest = basis[0], basis[1], basis[2], basis[3:]
    stories = [_unit(u + 0.02 * rng.normal(size=DIM)) for u in (u_a,) * 4 + (u_b,) * 4]
    sure = _unit(0.14 * u_a + np.sqrt(1 - 0.14**2) * rest[0])  # 0.14 to A, 0 to B
    torn = _unit(0.14 * u_a + 0.14 * u_b + np.sqrt(1 - 2 * 0.14**2) * rest[1])
    far = _unit(0.05 * u_a + np.sqrt(1 - 0.05**2) * u_c)  # below the bar
    empty = np.zeros(DIM, dtype=np.float32)
    return np.stack([*stories, sure, torn, far, empty])


def test_a_lone_article_joins_the_story_it_clearly_prefers():
    vectors = _vectors()
    params = ClusterParams(threshold=0.16)
    labels = batch_cluster(vectors, [None] * len(vectors), params)
    a, b = labels[0], labels[4]
    assert len(set(labels[:4])) == 1 and len(set(labels[4:8])) == 1 and a != b
    sure, torn, far, empty = labels[8:]
    assert sure == a  # 0.14 >= 0.75 x 0.16, and 0.14 ahead of B
    others = set(labels) - {sure}
    assert {torn, far, empty} <= others and len({torn, far, empty, a, b}) == 5
    # without the second chance (ratio 1: the bar is the threshold) it stays alone
    alone = batch_cluster(
        vectors, [None] * len(vectors), ClusterParams(threshold=0.16, attach_ratio=1.0)
    )
    assert alone[8] not in {alone[0], alone[4]}


def test_the_second_chance_respects_the_time_window():
    vectors = _vectors()
    ts = [0.0] * 8 + [400 * DAY, None, None, None]  # "sure" is dated a year later
    labels = batch_cluster(vectors, ts, ClusterParams(threshold=0.16))
    assert labels[8] not in {labels[0], labels[4]}
