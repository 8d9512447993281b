"""The ANN index of a story database, kept next to it as a cache file.

Rebuilding the HNSW index of 100k stored vectors takes tens of seconds, so
``newsweave ingest`` saves it as ``<db>.ann`` (faiss format) with a stamp
``<db>.ann.json`` naming the embedder, the number of vectors, the last
article ``seq`` and, for ``bucket-idf``, the digest of the document
frequencies the indexed vectors are weighted with. Articles are never deleted and are indexed in ``seq``
order, so an index whose stamp matches the database holds exactly the
stored vectors. Anything else (no file, a stale or half-written one after a
crash, an unreadable one) is ignored and the index is rebuilt from the
database, which stays the only source of truth.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np


def _paths(db_path: Path) -> tuple[Path, Path]:
    return Path(f"{db_path}.ann"), Path(f"{db_path}.ann.json")


def stamp(model: str, count: int, max_seq: int, weights: str | None = None) -> dict[str, Any]:
    """The stamp of an index: model, vector count, last seq and, for a
    representation weighted by document frequencies, the digest of the
    counts its vectors are weighted with."""
    out: dict[str, Any] = {"model": model, "count": int(count), "max_seq": int(max_seq)}
    if weights is not None:
        out["weights"] = weights
    return out


def load(db_path: Path, expected: dict[str, Any]) -> Any | None:
    """The cached index if its stamp equals ``expected``, else None."""
    index_path, stamp_path = _paths(db_path)
    try:
        found = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if found != expected or not index_path.exists():
        return None
    try:
        import faiss

        index = faiss.read_index(str(index_path))
    except Exception:  # noqa: BLE001 - a damaged cache is just rebuilt
        return None
    return index if index.ntotal == expected["count"] else None


def vectors(index: Any) -> np.ndarray:
    """The float32 vectors stored in a flat-storage HNSW index (a copy)."""
    import faiss

    storage = faiss.downcast_index(index.storage)
    n, d = int(index.ntotal), int(index.d)
    if n == 0:
        return np.zeros((0, d), dtype=np.float32)
    return faiss.rev_swig_ptr(storage.get_xb(), n * d).reshape(n, d).copy()


def save(db_path: Path, index: Any, current: dict[str, Any]) -> None:
    """Write the index and then its stamp, each atomically."""
    import faiss

    index_path, stamp_path = _paths(db_path)
    tmp = Path(f"{index_path}.tmp")
    try:
        stamp_path.unlink(missing_ok=True)  # a stale stamp must never match the new file
        faiss.write_index(index, str(tmp))
        os.replace(tmp, index_path)
        tmp_stamp = Path(f"{stamp_path}.tmp")
        tmp_stamp.write_text(json.dumps(current), encoding="utf-8")
        os.replace(tmp_stamp, stamp_path)
    except (OSError, RuntimeError):  # a cache that cannot be written (faiss raises
        tmp.unlink(missing_ok=True)  # RuntimeError on a full disk) is only slower next time
