"""Lines that list other pages: navigation crumbs and teasers of other stories.

Used by :mod:`newsweave.boilerplate` (``classify_line``), which gives such a
line the reason "navigation" or "related link".
"""

from __future__ import annotations

import re

_LETTER = re.compile(r"[^\W\d_]")


def nav_crumbs(line: str) -> bool:
    """A short line of three or more short parts between separators
    ("Home > News > World", "Home | World | Politics | Sport")."""
    if len(line) >= 200 or not any(sep in line for sep in "|>»•/·"):
        return False
    parts = [p.strip() for p in re.split(r"\s+(?:\||>>?|»|•|/|·)\s+|\s*\|\s*", line)]
    parts = [p for p in parts if p]
    return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)


def teaser(line: str) -> bool:
    """A teaser of another story from a list of them: a headline (3-40 words),
    then a passage of 10 words or more printed twice ("Pocono Schools Reopen ...
    Heavy police presence is expected ... last minute... Heavy police presence
    is expected ... last minute..."), or a headline of 4-20 words printed twice,
    then 10-120 words of teaser."""
    w = line.split()
    if not _LETTER.search(" ".join(w[:4])) or not _LETTER.search(" ".join(w[-10:])):
        return False
    for h in range(4, min(20, len(w) // 2) + 1):
        if w[:h] == w[h : 2 * h] and not w[h - 1].endswith(",") and 10 <= len(w) - 2 * h <= 120:
            return True
    if len(w) < 23:
        return False
    # the headline before the two copies has 3-40 words; a copy, at most 300
    ks = range(max(10, (len(w) - 40 + 1) // 2), min(300, (len(w) - 3) // 2) + 1)
    return any(
        w[-k] == w[-2 * k] and w[-k:] == w[-2 * k : -k] and not _repeats(w, len(w) - 2 * k)
        for k in ks
    )


def _repeats(w: list[str], p: int) -> bool:
    """Whether the first ``p`` words are the last ``p`` (a passage printed
    three times or more, not a headline before two copies)."""
    return w[:p] == w[-p:]
