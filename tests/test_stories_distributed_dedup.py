"""Exact dedup, id renames and wire-copy links as Dask bag operations: the
same answers as the single-machine primitives of ``newsweave ingest``."""

from __future__ import annotations

import random
import sqlite3

import dask.bag as db
import numpy as np

from newsweave.records import Article
from newsweave.stories import dedup
from newsweave.stories.distributed import Record
from newsweave.stories.distributed_dedup import (
    Link,
    accounts,
    exact_dedup,
    id_renames,
    near_duplicate_links,
    rename,
    representatives,
)

DAY = 86400.0


def _rec(ident: str, order: tuple[int, int], text: str, ts: float | None = None) -> Record:
    return Record(
        id=ident,
        order=order,
        content_hash=dedup.content_hash(text),
        ts=ts,
        sig=dedup.signature(text),
        vector=np.zeros(4, dtype=np.float32),
        article=Article(id=ident, text=text),
    )


def _corpus(seed: int = 3, n: int = 120) -> list[Record]:
    """Originals and chains of copies with edits around the 0.8 threshold."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(400)]
    texts: list[str] = []
    for _ in range(n):
        if texts and rng.random() < 0.6:
            words = rng.choice(texts).split()
            for _ in range(rng.randint(0, 3)):  # a few edits: copy, near copy or not
                words[rng.randrange(len(words))] = rng.choice(vocab)
            if rng.random() < 0.5:
                words += rng.sample(vocab, rng.randint(1, 12))
            texts.append(" ".join(words))
        else:
            texts.append(" ".join(rng.choice(vocab) for _ in range(rng.randint(60, 120))))
    texts.append("too short")  # no signature: never linked
    return [_rec(f"a{i}", (i // 10, i % 10), t) for i, t in enumerate(texts)]


def test_links_are_what_the_ingest_index_finds():
    recs, seen = [], set()
    for r in _corpus():  # in input order, without exact duplicates
        if r.content_hash not in seen:
            seen.add(r.content_hash)
            recs.append(r)
    # single machine: NearDuplicateIndex.find then .add, one article at a time
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        "CREATE TABLE minhash (article INTEGER PRIMARY KEY, sig BLOB NOT NULL);"
        "CREATE TABLE lsh (key INTEGER NOT NULL, article INTEGER NOT NULL);"
    )
    index = dedup.NearDuplicateIndex(conn)
    expected = {}
    for seq, r in enumerate(recs, 1):
        if r.sig is None:
            continue
        keys = dedup.band_keys(r.sig)
        found = index.find(r.sig, keys)
        if found is not None:
            expected[r.id] = recs[found - 1].id
        index.add(seq, r.sig, keys)
    shuffled = recs[:]
    random.Random(0).shuffle(shuffled)  # partitions in any order
    links = near_duplicate_links(db.from_sequence(shuffled, npartitions=7))
    assert len(expected) >= 30  # the corpus exercises the linking
    assert {s: lk.target for s, lk in links.items()} == expected
    assert all(lk.target_order < lk.source_order for lk in links.values())


def test_exact_dedup_keeps_the_earliest_copy_and_counts_the_others():
    recs = [
        _rec("late", (3, 0), "same text here"),
        _rec("first", (0, 5), "same  text\nhere"),  # same after normalisation
        _rec("mid", (1, 0), "same text here"),
        _rec("other", (2, 0), "another text"),
    ]
    with_dask = exact_dedup(db.from_sequence(recs, npartitions=3)).compute(scheduler="sync")
    got = {r.id: r.copies for r in with_dask}
    assert got == {"first": 3, "other": 1}


def test_a_reused_id_is_renamed_for_the_later_article():
    recs = [
        _rec("x", (1, 0), "later text"),
        _rec("x", (0, 2), "first text"),
        _rec("y", (0, 0), "z"),
    ]
    bag = db.from_sequence(recs, npartitions=2)
    renames = id_renames(bag)
    h = dedup.content_hash("later text")
    assert renames == {(1, 0): f"x~{h[:10]}"}
    ids = sorted(r.id for r in bag.map(rename, renames).compute(scheduler="sync"))
    assert ids == ["x", f"x~{h[:10]}", "y"]


def _link(s: str, so: int, st: float | None, t: str, to: int, tt: float | None) -> Link:
    return Link(s, (0, so), st, t, (0, to), tt)


def test_representatives_follow_links_within_the_window():
    links = {
        "b": _link("b", 2, 5 * DAY, "a", 1, 0.0),
        "c": _link("c", 3, 9 * DAY, "b", 2, 5 * DAY),  # chain: c → b → a
        "d": _link("d", 4, None, "a", 1, 0.0),  # undated copy: bound
        "e": _link("e", 5, 400 * DAY, "a", 1, 0.0),  # outside the window: not bound
    }
    reps = representatives(links, 30 * DAY)
    assert reps == {k: ("a", 0.0) for k in "abcd"}
    assert "e" not in reps
    assert accounts(["a", "b", "c", "d", "x"], {k: lk.target for k, lk in links.items()}) == 2


def test_accounts_read_the_newest_version_of_an_edited_article():
    # members: the newest versions; "x" was edited into "x~1"; "c" copies the
    # old "x", "x~1" is linked to "x" (a light edit) and must not count as a copy of itself
    superseded = {"x": "x~1"}
    links = {"c": "x", "x~1": "x"}
    assert accounts(["x~1", "c", "y"], links, superseded) == 2
    assert accounts(["x~1", "y"], {}, superseded) == 2
    assert accounts(["x", "x~1", "c", "y"], links) == 2  # without: versions are two members
