"""Content hashes and MinHash near-duplicate detection."""

from __future__ import annotations

import sqlite3

import numpy as np

from newsweave.stories import dedup
from newsweave.stories.schema import MIGRATIONS

WIRE = (
    "Heavy rain flooded the Harbor Bridge in Port Alden on Monday and city engineers closed it "
    "to all traffic. Mayor Lena Ortiz said the bridge would stay closed until the water level "
    "of the Alden River drops below the warning mark. Ferry operators added extra crossings for "
    "commuters stranded on the east bank, and schools on the east side closed early."
)


def test_content_hash_ignores_whitespace_only():
    assert dedup.content_hash(WIRE) == dedup.content_hash("  " + WIRE.replace(" ", "\n  ", 3))
    assert dedup.content_hash(WIRE) != dedup.content_hash(WIRE.replace("Monday", "Tuesday"))


def test_signature_is_stable_and_estimates_jaccard():
    a = dedup.signature(WIRE)
    assert a is not None and a.dtype == np.uint32 and len(a) == dedup.PERMUTATIONS
    assert np.array_equal(a, dedup.signature(WIRE))
    copy = dedup.signature(WIRE + " (Reporting by A. Writer; editing by B. Editor)")
    other = dedup.signature(
        "Twelve-year-old Mira Castell won the national chess championship in Lisbon on "
        "Tuesday, beating three grandmasters in the final round of the tournament."
    )
    assert dedup.jaccard(a, copy) >= dedup.THRESHOLD
    assert dedup.jaccard(a, other) < 0.2
    assert dedup.signature("too short") is None


def test_band_keys_are_signed_64bit_and_shared_by_copies():
    a = dedup.signature(WIRE)
    keys = dedup.band_keys(a)
    assert len(keys) == dedup.BANDS and all(0 <= k < 2**63 for k in keys)
    copy = dedup.band_keys(dedup.signature(WIRE + " Updated at noon."))
    assert set(keys) & set(copy)


def test_index_finds_the_earliest_copy():
    conn = sqlite3.connect(":memory:")
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            conn.execute(statement)
    index = dedup.NearDuplicateIndex(conn)
    texts = [WIRE, "Completely different text about a chess final in Lisbon " * 3, WIRE + " Ends."]
    found = []
    for seq, text in enumerate(texts, 1):
        sig = dedup.signature(text)
        keys = dedup.band_keys(sig)
        found.append(index.find(sig, keys))
        index.add(seq, sig, keys)
    assert found == [None, None, 1]
