"""What must hold in a story database after any sequence of commands, even
an interrupted one (used by the crash, batch-write and invariant tests)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from newsweave.stories import represent
from newsweave.stories.membership import SECOND_CHANCE_MARK


def check_store(path: str | Path) -> int:
    """Assert the invariants of the story database at ``path``; return its
    number of articles."""
    con = sqlite3.connect(path)
    try:
        q = lambda sql, *a: con.execute(sql, a).fetchall()  # noqa: E731
        assert q("PRAGMA integrity_check")[0][0] == "ok"
        assert q("PRAGMA foreign_key_check") == []
        n = q("SELECT count(*) FROM articles")[0][0]
        assert q("SELECT count(DISTINCT content_hash) FROM articles")[0][0] == n
        setting = dict(q("SELECT key, value FROM settings"))
        model = json.loads(setting["embedder"]) if "embedder" in setting else None
        # every article: one vector of the database's model, one story
        if n:
            got = q("SELECT count(*) FROM embeddings WHERE model = ?", model)[0][0]
            assert got == n, ("vectors", got, n)
        assert q("SELECT count(*) FROM story_articles")[0][0] == n
        assert q("SELECT count(DISTINCT article) FROM story_articles")[0][0] == n
        # story rows: size and span of their members; none empty
        bad = q(
            "SELECT s.id FROM stories s LEFT JOIN story_articles sa ON sa.story = s.id "
            "LEFT JOIN articles a ON a.seq = sa.article GROUP BY s.id "
            "HAVING s.size != count(sa.article) OR s.first_ts IS NOT min(a.ts) "
            "OR s.last_ts IS NOT max(a.ts) OR s.size = 0"
        )
        assert not bad, ("stories", bad)
        assert not q("SELECT story FROM story_articles WHERE story NOT IN (SELECT id FROM stories)")
        assert not q("SELECT story FROM reports WHERE story NOT IN (SELECT id FROM stories)")
        assert not q(
            "SELECT a.seq FROM articles a LEFT JOIN articles d ON d.seq = a.duplicate_of "
            "WHERE a.duplicate_of IS NOT NULL AND (d.seq IS NULL OR d.seq = a.seq)"
        )
        # bucket-idf: the counters count exactly the stored vectors
        if model == represent.BUCKET_IDF and n:
            live = q("SELECT docs, df FROM idf WHERE model = ? AND kind = 'live'", model)
            assert live and live[0][0] == n
            raw = [
                r[0]
                for r in q("SELECT vector FROM embeddings WHERE model = ? ORDER BY article", model)
            ]
            counts = represent.DocFreq.of(represent.from_blobs(raw, represent.IDF_DIM))
            assert represent.DocFreq.from_blob(*live[0]).digest() == counts.digest()
        if SECOND_CHANCE_MARK in setting:
            last = q("SELECT coalesce(max(seq), 0) FROM articles")[0][0]
            assert 0 <= json.loads(setting[SECOND_CHANCE_MARK]) <= last
        return n
    finally:
        con.close()
