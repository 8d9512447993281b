"""Marks inside a line of content that are not part of the article.

:mod:`newsweave.boilerplate` decides whole lines; these are pieces of a line
it keeps: wire-service editing codes, a video player's controls, a
time-stamp label ("Updated | ") and the bullet or number that opens a list
item. :mod:`newsweave.clean` leaves them
out of the content spans; the text itself is never rewritten.
"""

from __future__ import annotations

import re

# wire-service editing codes inside a line of agency copy (DUC's AP and NYT
# files keep them): typesetting codes (``&UR;``, ``&QL;``...), the cut mark
# "(STORY CAN END HERE. OPTIONAL MATERIAL FOLLOWS)" and the ``nn`` paragraph
# mark between two sentences. Each stands where a line break would be.
WIRE_CODE = re.compile(
    r"&(?:UR|LR|QL|QC|QR|HT|TL);|\(STORY CAN END HERE\b[^()]{0,40}\)|"
    r"(?:(?<=[.!?;'\"”’)] )|^)nn(?= +[A-Z`'\"“(])"
)


# the controls of a web video player printed with the page (USA Today's
# network: "CLOSE Skip in Skip x Embed x Share Police confirmed that ...")
PLAYER_CONTROLS = re.compile(
    r"Skip in Skip x Embed x Share|(?:^|(?<=Share ))CLOSE(?= +[A-Z0-9\"“'‘(])"
)


# a page's time-stamp label set before the first sentence with a bar
# ("Updated | When the first humans left Africa ...", Multi-News val-031)
STAMP_LABEL = re.compile(r"^(?:Updated|UPDATED|Posted|POSTED|Published|PUBLISHED)\s*\|(?=\s)")


def inline_codes(line: str) -> list[tuple[int, int, str]]:
    """Spans of wire-service editing codes (``WIRE_CODE``), video player
    controls (``PLAYER_CONTROLS``) and an opening time-stamp label
    (``STAMP_LABEL``) inside ``line``, in order, with the reason."""
    found = [(*m.span(), "wire code") for m in WIRE_CODE.finditer(line)]
    found += [(*m.span(), "video player") for m in PLAYER_CONTROLS.finditer(line)]
    found += [(*m.span(), "byline") for m in STAMP_LABEL.finditer(line)]
    return sorted(found)


# the bullet of a list item ("* The rupture spread from south to north."),
# and the number of a numbered one ("1. This poll, obviously, is hypothetical.")
LIST_MARKER = re.compile(r"[*•◦▪‣●■►▶]+(?=\s)")
LIST_NUMBER = re.compile(r"\d{1,2}[.)](?=\s+[\"“‘(]?[A-Z])")


def list_marker(line: str, *, new_item: bool = True) -> int:
    """Length of the list bullet or number that opens ``line`` (0 when none).
    A number counts only when ``new_item`` (the line does not go on from a
    sentence the line before left open, as "March" + "15. The..." would)."""
    m = LIST_MARKER.match(line) or (LIST_NUMBER.match(line) if new_item else None)
    return m.end() if m else 0
