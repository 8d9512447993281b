"""Resolve a date expression ("on Monday", "May 7", "in March", "last week").

:func:`resolve` turns the text of one date expression into a :class:`When`:
an ISO date at day, week, month or year granularity when it can be placed,
resolved against the article's date (the *anchor*) for relative expressions.
Without an anchor a relative expression stays relative (``iso`` is ``None``
and the text is kept by the caller). Durations and vague spans ("20 years",
"the next few days", "weeks") are not points in time and give ``None``.

A weekday or a month without a year is placed by the tense of its clause
(``direction``): in past-tense news "on Monday" is the latest Monday on or
before the article date, in "holds an election on Sunday" the next Sunday.
A month (and day) without a year is the latest one on or before the anchor,
or in future sense the next one on or after it, unless that is over FAR_DAYS
ahead while the same day lies at most NEAR before the anchor: then that one
(a participle's past date under a future verb). In "open" sense, a past one
that may reach ahead (a deadline, "could make progress before Oct. 25"; an
infinitive's event under a past verb, "agreed to pay on Nov. 2"), a month
and day at most NEAR after the anchor is that one, not the one almost a year
before; otherwise it is placed as in past sense.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
WEEKDAYS = {
    name: n
    for n, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
SMALL = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
GRANULARITIES = ("year", "month", "week", "day")
#: a month and day placed in future sense over FAR_DAYS ahead is the one at most
#: NEAR before the anchor ("sailors detained on March 23" under "will suspend"
#: in a March 29 article is not next year's; news gives the year of a date a year on)
FAR_DAYS, NEAR = 300, timedelta(days=31)

_M = "|".join(sorted(MONTHS, key=len, reverse=True))
_W = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_LEAD = re.compile(
    r"^(?:(?:on|in|at|by|since|from|until|till|during|as of|of|around|about|before|after"
    r"|early|mid|late|the|end of|start of|beginning of|middle of)\b[\s-]*|mid-)+"
)
_CLOCK = re.compile(
    r"^\d{1,2}(?:[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\s*(?:am|pm|a\.m\.|p\.m\.))"
    r"(?:\s*[a-z]{2,4}t)?\s+(?=\D)"
)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_MDY = re.compile(
    rf"^(?:(?:{_W})\.?,?\s+)?({_M})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?$"
)
_DMY = re.compile(
    rf"^(?:(?:{_W})\.?,?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_M})\.?(?:,?\s+(\d{{4}}))?$"
)
_MY = re.compile(rf"^({_M})\.?(?:,?\s+(?:of\s+)?(\d{{4}}))?$")
_Y = re.compile(r"^(\d{4})$")
_WD = re.compile(rf"^(last|this|next|past|coming)?\s*({_W})\.?{_PART}$")
_REL = re.compile(
    r"^(?:(earlier|later)\s+)?(last|this|next|past|coming|previous)\s+(week|month|year)$"
)
_OF_REL = re.compile(
    rf"^(?:({_M})|({_W}))\.?,? of (last|this|next|previous|the previous) (year|week)$"
)  # "September of last year", "Monday of this week"
_AGO = re.compile(r"^(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
                  r"\s+(day|week|month|year)s?\s+(ago|earlier|before|from now|hence)$")  # fmt: skip
_TODAY = re.compile(
    r"^(?:earlier\s+|later\s+)?(?:today|tonight|this\s+(?:morning|afternoon|evening)|"
    r"now|(?:earlier|later)\s+in\s+the\s+day)$"
)
_YESTERDAY = re.compile(
    r"^(?:(?:the\s+)?(?:day|night)\s+(before(?=\s+yesterday)|after(?=\s+tomorrow))\s+)?"
    rf"(yesterday|tomorrow){_PART}$"
)  # "the day before yesterday" is two days back
_SHIFT = {"yesterday": -1, "tomorrow": 1}


@dataclass(frozen=True)
class When:
    """A point in time at some granularity (``iso`` None when it cannot be placed)."""

    iso: str | None  # "2014-05-19", "2014-05", "2014"; a week: its Monday's date
    granularity: str  # day | week | month | year
    relative: bool  # depends on the article's date ("on Monday", "last week")
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    year: int | None = None

    def contains(self, other: When) -> bool:
        """Whether ``other`` (a finer or equal point) lies within this one."""
        if self.iso is None or other.iso is None:
            return False
        if self.granularity == "week":
            start = date.fromisoformat(self.iso)
            if other.granularity != "day":
                return other.iso == self.iso and other.granularity == "week"
            return 0 <= (date.fromisoformat(other.iso) - start).days < 7  # no overflow at 9999
        return other.iso.startswith(self.iso)

    def days(self) -> tuple[date, date] | None:
        """First and last day this point in time covers (None when not placed)."""
        if self.iso is None:
            return None
        if self.granularity == "year":
            y = int(self.iso[:4])
            return date(y, 1, 1), date(y, 12, 31)
        if self.granularity == "month":
            y, m = int(self.iso[:4]), int(self.iso[5:7])
            return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        first = date.fromisoformat(self.iso)
        if self.granularity == "week":
            return first, first + timedelta(days=6)
        return first, first

    def gap(self, other: When) -> int | None:
        """Days between the two periods (0 when they touch or overlap)."""
        a, b = self.days(), other.days()
        if a is None or b is None:
            return None
        return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)

    def compatible(self, other: When) -> bool:
        """Whether both can be true of one event (equal, or one inside the other)."""
        if self.iso is not None and other.iso is not None:
            return self.contains(other) or other.contains(self)
        for a, b in ((self.year, other.year), (self.month, other.month), (self.day, other.day)):
            if a is not None and b is not None and a != b:
                return False
        if self.weekday is not None and other.weekday is not None:
            return self.weekday == other.weekday
        return True


def _day(d: date, relative: bool) -> When:
    return When(d.isoformat(), "day", relative, d.month, d.day, d.weekday(), d.year)


def _place_year(anchor: date, month: int, day: int, direction: str) -> date | None:
    """The year for a month and day: the latest on or before the anchor in past
    sense, the next on or after it in future sense (unless that is over
    FAR_DAYS ahead and one is at most NEAR before the anchor), and in open
    sense the one at most NEAR after the anchor, if any, else as in past sense."""
    cands = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            cands.append(date(y, month, day))
        except ValueError:
            continue
    if not cands:
        return None
    if direction == "open" and any(timedelta(0) < d - anchor <= NEAR for d in cands):
        return min(d for d in cands if d > anchor)  # "before Oct. 25" in an Oct. 4 article
    if direction == "future":
        ahead = [d for d in cands if d >= anchor - timedelta(days=1)]
        placed = min(ahead) if ahead else max(cands)
    else:
        behind = [d for d in cands if d <= anchor + timedelta(days=1)]
        placed = max(behind) if behind else min(cands)
    nearest = min(cands, key=lambda d: abs((d - anchor).days))
    if direction == "future" and (placed - anchor).days > FAR_DAYS and anchor - nearest <= NEAR:
        return nearest  # a past date under a future verb, not the one a year on
    return placed


def _month_day(
    month: int, day: int, year: int | None, anchor: date | None, direction: str
) -> When | None:
    if not 1 <= day <= 31:
        return None
    if year is not None:
        try:
            return _day(date(year, month, day), False)
        except ValueError:
            return None
    if anchor is None:
        return When(None, "day", True, month, day)
    d = _place_year(anchor, month, day, direction)
    return _day(d, True) if d else None


def _shift_months(anchor: date, months: int) -> tuple[int, int]:
    m = anchor.year * 12 + anchor.month - 1 + months
    return m // 12, m % 12 + 1


def resolve(expr: str, anchor: date | None = None, direction: str = "past") -> When | None:
    """Place the date expression ``expr`` in time (see the module docstring);
    None when it cannot be, including a date beyond the calendar (``99999999
    days ago``, ``tomorrow`` from 9999-12-31)."""
    try:
        return _resolve(expr, anchor, direction)
    except OverflowError:
        return None


def _resolve(expr: str, anchor: date | None, direction: str) -> When | None:
    text = re.sub(r"\s+", " ", expr.casefold().replace("’", "'")).strip(" .,;:'\"()")
    text = _LEAD.sub("", _CLOCK.sub("", text)).strip(" ,")
    text = _LEAD.sub("", text).strip(" ,")
    if not text:
        return None
    if m := _ISO.match(text):
        try:
            return _day(date(int(m[1]), int(m[2]), int(m[3])), False)
        except ValueError:
            return None
    if m := _MDY.match(text):
        return _month_day(MONTHS[m[1]], int(m[2]), int(m[3]) if m[3] else None, anchor, direction)
    if m := _DMY.match(text):
        return _month_day(MONTHS[m[2]], int(m[1]), int(m[3]) if m[3] else None, anchor, direction)
    if m := _MY.match(text):
        month = MONTHS[m[1]]
        if m[1] == "may" and not m[2] and not re.search(r"\bMay\b", expr):
            return None  # the verb "may"
        if m[2]:
            return When(f"{int(m[2]):04d}-{month:02d}", "month", False, month, year=int(m[2]))
        if anchor is None:
            return When(None, "month", True, month)
        if direction == "future":
            year = anchor.year if month >= anchor.month else anchor.year + 1
        else:
            year = anchor.year if month <= anchor.month else anchor.year - 1
        return When(f"{year:04d}-{month:02d}", "month", True, month, year=year)
    if m := _Y.match(text):
        year = int(m[1])
        return When(f"{year:04d}", "year", False, year=year) if 1800 <= year <= 2100 else None
    if _TODAY.match(text):
        return _day(anchor, True) if anchor else When(None, "day", True)
    if m := _YESTERDAY.match(text):
        if anchor is None:
            return When(None, "day", True)
        shift = _SHIFT[m[2]] * (2 if m[1] else 1)
        return _day(anchor + timedelta(days=shift), True)
    if m := _WD.match(text):
        wd = WEEKDAYS[m[2]]
        if anchor is None:
            return When(None, "day", True, weekday=wd)
        which = m[1] or ("next" if direction == "future" else "on")
        back = (anchor.weekday() - wd) % 7
        ahead = (wd - anchor.weekday()) % 7
        if which in ("last", "past"):
            d = anchor - timedelta(days=back or 7)
        elif which in ("next", "coming"):
            d = anchor + timedelta(days=ahead if m[1] is None else (ahead or 7))
        else:  # plain or "this": the nearest one in the clause's direction
            d = (
                anchor + timedelta(days=ahead)
                if direction == "future"
                else anchor - timedelta(days=back)
            )
        return _day(d, True)
    if m := _OF_REL.match(text):
        return _of_relative(m, anchor)
    if m := _REL.match(text):
        unit, which = m[3], m[2]
        step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[which]
        if m[1] and which == "this":
            step = 0
        if anchor is None:
            return When(None, unit, True)
        if unit == "week":
            monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
            return When(monday.isoformat(), "week", True, year=monday.year)
        if unit == "month":
            y, mo = _shift_months(anchor, step)
            return When(f"{y:04d}-{mo:02d}", "month", True, mo, year=y)
        return When(f"{anchor.year + step:04d}", "year", True, year=anchor.year + step)
    if m := _AGO.match(text):
        n = int(m[1]) if m[1].isdigit() else SMALL[m[1]]
        n = -n if m[3] in ("from now", "hence") else n  # "four years from now": ahead
        unit = m[2]
        if anchor is None:
            return When(None, unit if unit != "week" else "day", True)
        if unit in ("day", "week"):
            return _day(anchor - timedelta(days=n * (7 if unit == "week" else 1)), True)
        if unit == "month":
            y, mo = _shift_months(anchor, -n)
            return When(f"{y:04d}-{mo:02d}", "month", True, mo, year=y)
        return When(f"{anchor.year - n:04d}", "year", True, year=anchor.year - n)
    return None


def _of_relative(m: re.Match[str], anchor: date | None) -> When | None:
    """ "September of last year" (a month) or "Monday of this week" (a day)."""
    month, weekday, which, unit = m[1], m[2], m[3], m[4]
    if (unit == "year") != (month is not None):
        return None  # "Monday of last year", "September of this week"
    step = {"last": -1, "previous": -1, "the previous": -1, "this": 0, "next": 1}[which]
    if month is not None:
        mo = MONTHS[month]
        if anchor is None:
            return When(None, "month", True, mo)
        y = anchor.year + step
        return When(f"{y:04d}-{mo:02d}", "month", True, mo, year=y)
    wd = WEEKDAYS[weekday]
    if anchor is None:
        return When(None, "day", True, weekday=wd)
    return _day(anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step, days=wd), True)


def parse_anchor(value: str | None) -> date | None:
    """The date part of an ISO date or datetime string (``None`` if unreadable)."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def days_apart(a: date | None, b: date | None) -> int | None:
    """Days between two article dates, or None when either is unknown."""
    return abs((a - b).days) if a and b else None
