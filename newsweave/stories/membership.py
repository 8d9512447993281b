"""Edits of story membership outside the online assignment: the sizes, spans
and removal of the stories concerned follow (inside the caller's
transaction). Also the mark of which articles have had the end-of-run second
chance, so that a run killed before it is followed by one that gives it."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

CHUNK = 500  # SQLite host parameters per IN (...) list
# setting: the last article seq that has had the end-of-run second chance
SECOND_CHANCE_MARK = "second_chance_seq"


def refresh_stories(conn: sqlite3.Connection, touched: Sequence[int], now: float) -> list[int]:
    """Recompute the size and time span of the ``touched`` stories from their
    memberships; remove those left empty, with their cached reports. Returns
    the removed ids."""
    touched = sorted(set(touched))
    removed: list[int] = []
    for i in range(0, len(touched), CHUNK):
        chunk = touched[i : i + CHUNK]
        marks = ",".join("?" * len(chunk))
        conn.execute(
            "UPDATE stories SET updated_at = ?, "
            "size = (SELECT count(*) FROM story_articles sa WHERE sa.story = stories.id), "
            "first_ts = (SELECT min(a.ts) FROM story_articles sa JOIN articles a "
            "ON a.seq = sa.article WHERE sa.story = stories.id), "
            "last_ts = (SELECT max(a.ts) FROM story_articles sa JOIN articles a "
            f"ON a.seq = sa.article WHERE sa.story = stories.id) WHERE id IN ({marks})",
            (now, *chunk),
        )
        empty = [
            int(r[0])
            for r in conn.execute(
                f"SELECT id FROM stories WHERE size = 0 AND id IN ({marks})", chunk
            )
        ]
        if empty:
            gone = ",".join("?" * len(empty))
            conn.execute(f"DELETE FROM reports WHERE story IN ({gone})", empty)
            conn.execute(f"DELETE FROM stories WHERE id IN ({gone})", empty)
        removed += empty
    return removed


def move_articles(
    conn: sqlite3.Connection, moves: Sequence[tuple[int, int, int, float]], now: float
) -> list[int]:
    """Apply ``(article seq, old story, new story, similarity)`` moves:
    memberships, then :func:`refresh_stories` of every story concerned.
    Returns the stories removed (left empty)."""
    if not moves:
        return []
    conn.executemany(
        "UPDATE story_articles SET story = ?, similarity = ? WHERE article = ?",
        [(new, sim, seq) for seq, _, new, sim in moves],
    )
    return refresh_stories(conn, [s for _, old, new, _ in moves for s in (old, new)], now)


def pending_second_chance(store, story_of: dict[int, int]) -> list[int]:
    """The stored articles (seqs, ascending) that no completed ingest run has
    given the end-of-run second chance: those after the stored mark. A store
    without a mark gets one at its last article (nothing pending)."""
    mark = store.setting(SECOND_CHANCE_MARK)
    if mark is None:
        with store.transaction() as conn:
            set_second_chance_mark(store, conn)
        return []
    return sorted(s for s in story_of if s > int(mark))


def owes_second_chance(store) -> bool:
    """Whether stored articles still wait for the end-of-run second chance
    (a run was killed before giving it)."""
    mark = store.setting(SECOND_CHANCE_MARK)
    if mark is None:
        return False
    return store.scalar("SELECT 1 FROM articles WHERE seq > ? LIMIT 1", (int(mark),)) is not None


def set_second_chance_mark(store, conn: sqlite3.Connection) -> None:
    """Record, in the caller's transaction, that every stored article has had
    its second chance (after a recluster, or a batch job written in full)."""
    last = conn.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
    store.set_setting(conn, SECOND_CHANCE_MARK, int(last))
