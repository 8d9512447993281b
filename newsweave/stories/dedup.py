"""Exact and near-duplicate detection at database scale.

* Exact: :func:`content_hash` is the SHA-256 of the text with Unicode and
  whitespace normalised; the store keeps one row per hash, so the same
  article ingested twice is stored once.
* Near (wire copies): MinHash signatures of word 5-gram shingles with
  banded LSH keys kept in the database (table ``lsh``), so a new article is
  compared only with the few stored articles that share a band, never with
  all of them. Candidates are confirmed by the estimated Jaccard similarity
  (same 0.8 threshold as :func:`newsweave.dedup.copies`; a short version
  held in a longer copy, which :func:`newsweave.dedup.mark_duplicates` also
  groups, is not marked here).

Hashes are stable across processes (CRC32 of words, fixed permutations), so
signatures stored by one run match those computed by the next.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
SHINGLE = 5
MAX_WORDS = 3000
THRESHOLD = 0.8

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_MASK63 = np.uint64((1 << 63) - 1)

_rng = np.random.default_rng(20240521)
_A = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
_BAND_MULT = _rng.integers(1, 2**63, size=(1, ROWS), dtype=np.uint64) | np.uint64(1)
_BAND_SALT = _rng.integers(0, 2**63, size=BANDS, dtype=np.uint64)
_SHINGLE_MULT = _rng.integers(1, 2**63, size=SHINGLE, dtype=np.uint64) | np.uint64(1)


def normalise(text: str) -> str:
    """Text as compared for exact duplicates: NFKC, whitespace collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def content_hash(text: str) -> str:
    """SHA-256 hex digest of :func:`normalise` (text)."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def signature(text: str) -> np.ndarray | None:
    """MinHash signature (``PERMUTATIONS`` uint32) of the word 5-gram shingles
    of ``text``; None when the text has fewer than ``SHINGLE`` words."""
    words = _WORD.findall(text.lower())[:MAX_WORDS]
    if len(words) < SHINGLE:
        return None
    wh = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), np.uint64, len(words))
    n = len(words) - SHINGLE + 1
    sh = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(SHINGLE):
            sh += wh[j : j + n] * _SHINGLE_MULT[j]
        hashed = (_A[:, None] * sh[None, :] + _B[:, None]) >> np.uint64(32)
    return hashed.min(axis=1).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 63-bit LSH key per band (``BANDS`` keys)."""
    rows = sig.astype(np.uint64).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        mixed = (rows * _BAND_MULT).sum(axis=1) ^ _BAND_SALT
    return [int(k) for k in (mixed & _MASK63)]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


@dataclass
class NearDuplicateIndex:
    """LSH over the ``minhash``/``lsh`` tables of an open connection.

    :meth:`find` and :meth:`add` run inside the caller's transaction, so a
    batch sees its own earlier articles and nothing is half-written.
    """

    conn: object  # sqlite3.Connection
    threshold: float = THRESHOLD

    def find(self, sig: np.ndarray, keys: list[int]) -> int | None:
        """``seq`` of the earliest stored article that ``sig`` nearly duplicates."""
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(  # type: ignore[attr-defined]
            f"SELECT DISTINCT m.article, m.sig FROM lsh l JOIN minhash m ON m.article = l.article "
            f"WHERE l.key IN ({marks}) ORDER BY m.article",
            keys,
        ).fetchall()
        for seq, blob in rows:
            if jaccard(sig, np.frombuffer(blob, dtype=np.uint32)) >= self.threshold:
                return int(seq)
        return None

    def add(self, seq: int, sig: np.ndarray, keys: list[int]) -> None:
        """Store the signature and band keys of article ``seq``."""
        self.conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO minhash(article, sig) VALUES (?, ?)", (seq, sig.tobytes())
        )
        self.conn.executemany(  # type: ignore[attr-defined]
            "INSERT INTO lsh(key, article) VALUES (?, ?)", [(k, seq) for k in keys]
        )
