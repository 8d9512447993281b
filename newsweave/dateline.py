"""Wire datelines opening a sentence ("LONDON (AP) _ ", "DETROIT - ").

:func:`dateline_end` tells where the body of a sentence starts: the summary
shows, counts and cites a sentence from there, and story titles drop the
dateline. Segmentation and the analysis keep it.
"""

from __future__ import annotations

import re

from .segment import _STARTERS

#: a wire dateline opening a sentence: a place in capitals (", Country", a
#: date: "NEW YORK, May 18 (UPI) -- "), an agency in brackets, then "_", "--"
#: or a dash ("LONDON (AP) _ ", "WASHINGTON -- ", "SANTIAGO, Chile _ ",
#: "LONDON (Reuters) - ", "FT LAUDERDALE (CBSMiami) – "), before a word that
#: starts a sentence; or a wire agency alone ("(CNN) -- ", "(HealthDay)—"). A dash
#: or "--" may touch both words before a clear sentence start: "WASHINGTON—The",
#: "HIROSHIMA--A", not "NATO—Russia council"; or an agency between two
#: ("SAN FRANCISCO--(BUSINESS WIRE)--The"). A plain hyphen ends one after an
#: agency, after a region ("ALLENTOWN, Pa. - The") or, after a bare place,
#: before a clear sentence start ("DETROIT - A"; not "US - China trade war").
#: A dash alone, where the source cut the dateline off ("— A judge's act ..."),
#: ends one before a clear sentence start (not "— Julie Bowen, asked ...");
#: CNN's tag needs no dash ("(CNN) A Detroit man ...", "(CNN)Your favorite ...")
_CLEAR_START = rf"(?:{'|'.join(sorted(w.capitalize() for w in _STARTERS))})\b"
_AGENCY = r"\([A-Za-z&. ]+\)"
# an agency opening a dateline without a place: in capitals ("(CNN)", "(AP)")
# or a wire service, not any name in brackets ('(Aakash) - I'm a member...', a
# commenter)
_WIRE = r"\((?:[A-Z]{2,}[A-Za-z]*|Reuters|HealthDay(?: News)?|Xinhua|Bloomberg|Kyodo|Yonhap)\)"
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’-]{2,}|[A-Z]{2}(?= [A-Z]))(?: [A-Z][A-Z.'’-]+)*"
    r"(?:, [A-Z][\w.]+(?: [A-Z][\w.]+)*)?(?:, [A-Z][a-z]{2,}\.? \d{1,2})?"
    rf"(?:\s*(?:{_AGENCY}\s*(?:_|--|—|–|-)|_|--|—|–)\s+(?=[A-Z0-9\"“‘'])"
    r"|(?:(?<=[a-z])|(?<=[a-z]\.)) - (?=[A-Z0-9\"“‘'])"
    rf"|(?<=[A-Z]) - (?={_CLEAR_START})"
    rf"|(?<=[A-Z])(?:[—–]|--)(?={_CLEAR_START})"
    rf"|(?<=[A-Z])--{_AGENCY}--(?=[A-Z0-9\"“‘']))"
    rf"|{_WIRE}\s*(?:_|--|—|–|-)\s*(?=[A-Z0-9\"“‘'])"
    rf"|(?:--?|—|–)\s+(?={_CLEAR_START})"
    r"|\(CNN\)\s*(?=[A-Z0-9\"“‘'])"
)
DATELINE_MIN_REST = 20  # characters that must follow for the rest to be a sentence


def dateline_end(text: str) -> int:
    """Where the body of ``text`` starts after a leading wire dateline (0 when
    it has none, or when little would be left)."""
    m = _DATELINE.match(text)
    return m.end() if m and len(text) - m.end() >= DATELINE_MIN_REST else 0
