"""Story clustering quality on a labelled set built from multi-document
summarization data: every document of every cluster is one article whose gold
label is its cluster; the sets are mixed and shuffled (fixed seed). Used by
``scripts/eval_clustering.py`` (the full sweep with scikit-learn baselines)
and by the CI gate ``tests/test_stories_quality_gate.py``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..records import Article

SETS = ("duc2003_task2", "multinews_val250", "tac2011_multiling_en")


def labelled_articles(
    data_dir: Path, seed: int = 0, sets: Sequence[str] = SETS
) -> tuple[list[Article], list[str]]:
    """(articles, gold labels), shuffled; labels are ``set:cluster``."""
    from ..ingest import load_inputs

    arts, gold = [], []
    for name in sets:
        path = Path(data_dir) / f"{name}.jsonl"
        for cluster in load_inputs([str(path)], check_language=False):
            for a in cluster.articles:
                a.id = f"{name}:{cluster.id}/{a.id}"
                arts.append(a)
                gold.append(f"{name}:{cluster.id}")
    order = list(range(len(arts)))
    random.Random(seed).shuffle(order)
    return [arts[i] for i in order], [gold[i] for i in order]


def online_labels(raw: np.ndarray, params, embedder: str, unit: int = 400) -> list[int]:
    """Story of each row as ``newsweave ingest`` of a JSONL dump assigns it:
    ``unit`` rows at a time in order, each unit counted into the document
    frequencies and weighted with them (``bucket-idf``), then the second
    chance for the articles left alone that ends an ingest run."""
    from ..stories import represent
    from ..stories.cluster import OnlineClusterer
    from ..stories.state import weigh_unit

    counter = iter(range(10**9))
    online = OnlineClusterer(raw.shape[1], params, lambda: next(counter))
    idf = represent.IncrementalIdf.empty(raw.shape[1]) if represent.needs_idf(embedder) else None
    for start in range(0, len(raw), unit):
        chunk = weigh_unit(online, idf, raw[start : start + unit])
        online.assign(chunk, [None] * len(chunk))
    online.second_chance(range(len(raw)))
    return [int(s) for s in online.labels]


def batch_vectors(raw: np.ndarray, embedder: str) -> np.ndarray:
    """The vectors ``newsweave recluster`` compares: ``bucket-idf`` raw vectors
    weighted with the whole set's document frequencies, others as they are."""
    from ..stories import represent

    return represent.DocFreq.of(raw).weigh(raw) if represent.needs_idf(embedder) else raw
