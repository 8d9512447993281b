"""Story clustering quality on a labelled set built from the shared data.

Every document of every cluster of ../shared/data/*.jsonl (DUC 2003 task 2,
Multi-News val250, TAC 2011) is one article whose gold label is its source
cluster; all sets are mixed and shuffled (fixed seed). The documents carry no
dates, so the time window cannot help: content alone decides.

Scores (B-cubed P/R/F1 and ARI) for newsweave's online assignment and batch
re-clustering, next to scikit-learn baselines on the same vectors
(agglomerative average-link with a cosine distance threshold, HDBSCAN), for a
threshold sweep. Every score is given twice: on all articles, and
("excl. content-free") on the articles that are not content-free
(:func:`newsweave.stories.represent.content_free`: fewer than 10 words of
title and kept content once boilerplate lines are removed; they carry no
evidence of their story, so no clustering can place them). Those articles are
still clustered in both cases; they are only left out of the second score.

With ``bucket-idf`` (document frequencies per hash bucket) the online run
replays ``newsweave ingest``: units of 400 articles in arrival order, each
counted into the document frequencies and weighted with the snapshot of
them (:func:`newsweave.stories.state.weigh_unit`, which also re-weighs
what the clusterer holds when the snapshot is refreshed); the batch run and
the baselines use the document frequencies of the whole set, as
``newsweave recluster`` does.
Usage:

    python scripts/eval_clustering.py [--embedder bucket-idf] [--out results.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from newsweave.errors import InputError
from newsweave.eval.stories import SETS
from newsweave.stories.represent import canonical

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def thresholds(text: str) -> list[float]:
    """``--thresholds``: comma-separated cosine similarities in (0, 1]."""
    out = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{part!r} is not a number") from None
        if not 0 < value <= 1:
            raise argparse.ArgumentTypeError(f"{value:g} is not a similarity in (0, 1]")
        out.append(value)
    return out


def labelled_articles(seed: int = 0, data_dir: Path = SHARED):
    """(articles, gold labels), shuffled; labels are ``set:cluster``."""
    from newsweave.eval.stories import labelled_articles as build

    return build(data_dir, seed)


def run(embedder: str, thresholds: list[float]) -> dict:
    from sklearn.cluster import HDBSCAN, AgglomerativeClustering

    from newsweave.eval.stories import batch_vectors, online_labels
    from newsweave.stories import represent
    from newsweave.stories.batch import batch_cluster
    from newsweave.stories.cluster import ClusterParams
    from newsweave.stories.quality import score
    from newsweave.stories.represent import content_free, embed_articles

    embedder = represent.canonical(embedder)
    arts, gold = labelled_articles()
    keep = [i for i, a in enumerate(arts) if not content_free(a)]
    t0 = time.perf_counter()
    raw = embed_articles(arts, embedder)
    embed_s = time.perf_counter() - t0
    # batch and baselines: weighted with the whole set's document frequencies
    vectors = batch_vectors(raw, embedder)
    ts = [None] * len(arts)
    results: dict = {
        "articles": len(arts),
        "gold_clusters": len(set(gold)),
        "embedder": embedder,
        "embed_seconds": round(embed_s, 1),
        "content_free": len(arts) - len(keep),
        "runs": [],
    }

    sets = [g.split(":", 1)[0] for g in gold]

    def add(method: str, param: float, labels) -> None:
        labels = list(labels)
        q = score(gold, labels).to_dict()
        row = {"method": method, "param": param, **{k: round(v, 4) for k, v in q.items()}}
        for name in SETS:  # B-cubed F1 within each source set
            idx = [i for i, s in enumerate(sets) if s == name]
            row[f"f1_{name.split('_')[0]}"] = round(
                score([gold[i] for i in idx], [labels[i] for i in idx]).f1, 4
            )
        ex = score([gold[i] for i in keep], [labels[i] for i in keep]).to_dict()
        row.update({f"ex_{k}": round(v, 4) for k, v in ex.items()})
        results["runs"].append(row)
        print(json.dumps(row), flush=True)

    # ceiling indicator: how often an article's most similar other article
    # belongs to its own gold cluster (clusters of one excluded)
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -2.0)
    nearest = sims.argmax(axis=1)
    size = {g: gold.count(g) for g in set(gold)}
    live = vectors.any(axis=1)  # content-free rows are zero vectors
    multi = [i for i in range(len(gold)) if size[gold[i]] > 1 and live[i]]
    results["nearest_neighbour_same_cluster"] = round(
        sum(gold[nearest[i]] == gold[i] for i in multi) / len(multi), 4
    )
    print(json.dumps({"nearest_neighbour_same_cluster": results["nearest_neighbour_same_cluster"]}))
    # cosine distances (content-free zero rows: distance 1 to everything)
    cos_dist = np.clip(1.0 - (vectors @ vectors.T).astype(np.float64), 0.0, 2.0)
    np.fill_diagonal(cos_dist, 0.0)
    for th in thresholds:
        params = ClusterParams(threshold=th)
        add("newsweave online", th, online_labels(raw, params, embedder))
        add("newsweave batch", th, batch_cluster(vectors, ts, params))
        dist = 1.0 - th
        agg = AgglomerativeClustering(
            n_clusters=None, distance_threshold=dist, metric="precomputed", linkage="average"
        )
        add("sklearn agglomerative (average, cosine)", th, agg.fit_predict(cos_dist))
    for mcs in (2, 3):
        hd = HDBSCAN(min_cluster_size=mcs, metric="precomputed", allow_single_cluster=False)
        labels = hd.fit_predict(cos_dist)
        # HDBSCAN noise (-1) → singletons
        nxt = int(labels.max()) + 1
        labels = [lab if lab >= 0 else nxt + i for i, lab in enumerate(labels)]
        add("sklearn HDBSCAN (min_cluster_size)", mcs, labels)
    return results


def label_ceiling() -> list[dict]:
    """Best B-cubed any content-based clusterer can reach on the labelled set.

    An article is an *orphan* when its cosine to every article of its own
    gold story is below a bound under both ``bucket-idf`` and MiniLM: nothing
    in its text ties it to the story. With orphans and content-free articles
    as singletons and everything else exactly right (precision 1), the score
    is the ceiling for a clusterer that links only articles sharing content.
    """
    from newsweave.stories import represent
    from newsweave.stories.quality import score
    from newsweave.stories.represent import content_free, embed_articles

    arts, gold = labelled_articles()
    free = np.array([content_free(a) for a in arts])
    raw = embed_articles(arts, "bucket-idf")
    lexical = represent.DocFreq.of(raw).weigh(raw)
    neural = embed_articles(arts, "minilm")
    labels = np.array(gold)
    same = labels[:, None] == labels[None, :]
    np.fill_diagonal(same, False)

    def best_own(x: np.ndarray) -> np.ndarray:
        return np.where(same, x @ x.T, -2.0).max(axis=1)

    own_lex, own_neural = best_own(lexical), best_own(neural)
    rows = []
    for lex_bound, neural_bound in ((0.0, 0.0), (0.05, 0.3), (0.10, 0.4), (0.16, 0.5)):
        orphan = ~free & same.any(axis=1) & (own_lex < lex_bound) & (own_neural < neural_bound)
        alone = free | orphan
        ceiling = [f"alone:{i}" if alone[i] else g for i, g in enumerate(gold)]
        q = score(gold, ceiling)
        row = {
            "orphan_bounds": [lex_bound, neural_bound],
            "orphans": int(orphan.sum()),
            "content_free": int(free.sum()),
            "ceiling_recall": round(q.recall, 4),
            "ceiling_f1": round(q.f1, 4),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--embedder", default="bucket-idf")
    ap.add_argument(
        "--thresholds",
        type=thresholds,
        default=[0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5],
        help="similarity thresholds",
    )
    ap.add_argument("--out", default=None, help="write the results as JSON here")
    ap.add_argument(
        "--ceiling",
        action="store_true",
        help="only print the label ceiling (orphan articles and content-free ones alone)",
    )
    args = ap.parse_args(argv)
    try:
        args.embedder = canonical(args.embedder)
    except InputError as exc:
        ap.error(str(exc))
    if not SHARED.exists():
        print(f"shared data not found at {SHARED}", file=sys.stderr)
        return 2
    if args.ceiling:
        label_ceiling()
        return 0
    res = run(args.embedder, args.thresholds)
    if args.out:
        Path(args.out).write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
