"""Clustering quality against gold labels: B-cubed precision/recall/F1 and ARI."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import asdict, dataclass


@dataclass
class Quality:
    """B-cubed scores (Bagga & Baldwin 1998), adjusted Rand index, cluster count."""

    precision: float
    recall: float
    f1: float
    ari: float
    clusters: int

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``pred`` against ``gold`` labels.

    Precision of an item is the share of its predicted cluster that has its
    gold label; recall the share of its gold class that shares its predicted
    cluster; both are averaged over items.
    """
    if len(gold) != len(pred):
        raise ValueError("gold and pred must have the same length")
    n = len(gold)
    if n == 0:
        return 0.0, 0.0, 0.0
    pairs = Counter(zip(gold, pred, strict=True))
    size_gold = Counter(gold)
    size_pred = Counter(pred)
    p = sum(c * c / size_pred[pl] for (_, pl), c in pairs.items()) / n
    r = sum(c * c / size_gold[gl] for (gl, _), c in pairs.items()) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> Quality:
    """All scores of one clustering."""
    from sklearn.metrics import adjusted_rand_score

    p, r, f = bcubed(gold, pred)
    ari = float(adjusted_rand_score([str(g) for g in gold], [str(x) for x in pred]))
    return Quality(p, r, f, ari, len(set(pred)))
