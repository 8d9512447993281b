"""Date expressions resolved against the article date (no model needed)."""

from __future__ import annotations

from datetime import date

import pytest

from newsweave.analysis.dates import days_apart, parse_anchor, resolve

MONDAY = date(2014, 5, 19)


@pytest.mark.parametrize(
    ("expr", "direction", "iso", "granularity"),
    [
        ("on Monday", "past", "2014-05-19", "day"),  # the article's own day
        ("Sunday", "past", "2014-05-18", "day"),
        ("on Sunday", "future", "2014-05-25", "day"),  # "holds an election on Sunday"
        ("last Monday", "past", "2014-05-12", "day"),
        ("next Monday", "past", "2014-05-26", "day"),
        ("May 7", "past", "2014-05-07", "day"),
        ("7 May", "past", "2014-05-07", "day"),
        ("Saturday, January 8, 2005", "past", "2005-01-08", "day"),
        ("2005/01/08", "past", "2005-01-08", "day"),
        ("in March", "past", "2014-03", "month"),
        ("mid-April", "past", "2014-04", "month"),
        ("December", "past", "2013-12", "month"),
        ("December", "future", "2014-12", "month"),
        ("March 2014", "past", "2014-03", "month"),
        ("2004", "past", "2004", "year"),
        ("last week", "past", "2014-05-12", "week"),
        ("last month", "past", "2014-04", "month"),
        ("next year", "past", "2015", "year"),
        ("two years ago", "past", "2012", "year"),
        ("three days ago", "past", "2014-05-16", "day"),
        ("September of last year", "past", "2013-09", "month"),  # not "of last year"
        ("in March of this year", "past", "2014-03", "month"),
        ("Monday of this week", "past", "2014-05-19", "day"),  # not the week
        ("Friday of last week", "past", "2014-05-16", "day"),
        ("four years from now", "future", "2018", "year"),  # not "now" (TAC M0090)
        ("two weeks from now", "future", "2014-06-02", "day"),
        ("a month hence", "past", "2014-06", "month"),
        ("today", "past", "2014-05-19", "day"),
        ("this morning", "past", "2014-05-19", "day"),
        ("15:30 today", "past", "2014-05-19", "day"),
        ("yesterday", "past", "2014-05-18", "day"),
        ("tomorrow", "past", "2014-05-20", "day"),
        ("the day before yesterday", "past", "2014-05-17", "day"),  # not yesterday
        ("the night before yesterday", "past", "2014-05-17", "day"),
        ("the day after tomorrow", "future", "2014-05-21", "day"),
    ],
)
def test_resolves_against_the_article_date(expr, direction, iso, granularity):
    when = resolve(expr, MONDAY, direction)
    assert when is not None
    assert (when.iso, when.granularity) == (iso, granularity)


@pytest.mark.parametrize("expr", ["20 years", "the next few days", "weeks", "spring", "1990s"])
def test_durations_and_vague_spans_are_not_points_in_time(expr):
    assert resolve(expr, MONDAY) is None


def test_without_article_date_relative_expressions_stay_relative():
    monday = resolve("on Monday", None)
    assert monday is not None and monday.iso is None and monday.relative
    assert monday.weekday == 0
    may7 = resolve("May 7", None)
    assert may7 is not None and may7.iso is None and (may7.month, may7.day) == (5, 7)
    # explicit dates need no anchor
    assert resolve("January 8, 2005", None).iso == "2005-01-08"


def test_a_year_is_chosen_by_the_clause_direction():
    anchor = date(2010, 10, 22)
    assert resolve("March 11", anchor, "past").iso == "2010-03-11"
    assert resolve("March 11", anchor, "future").iso == "2011-03-11"


def test_a_month_and_day_days_before_the_article_is_not_placed_a_year_on():
    # a past date under a future verb: TAC 2011 M0026 (2007-03-29) "will
    # 'suspend' the releasing of 15 sailors detained ... on March 23"; DUC d30025
    # (1998-10-25) "the package could be announced by Oct. 20"
    assert resolve("March 23", date(2007, 3, 29), "future").iso == "2007-03-23"
    assert resolve("Oct. 20", date(1998, 10, 25), "future").iso == "1998-10-20"
    # the article's day, months ahead, and past sense keep the tense's year
    assert resolve("March 29", date(2007, 3, 29), "future").iso == "2007-03-29"
    assert resolve("Sept. 20", date(1998, 10, 25), "future").iso == "1999-09-20"
    assert resolve("Nov. 11", date(1997, 10, 24), "past").iso == "1996-11-11"


def test_a_deadline_just_ahead_of_the_article_is_not_placed_a_year_back():
    # DUC d30025 (1998-10-04): "did not expect that Cardoso could make progress ...
    # before Oct. 25" is read in past sense ("could"), but a deadline points forward
    oct4 = date(1998, 10, 4)
    assert resolve("before Oct. 25", oct4, "open").iso == "1998-10-25"
    assert resolve("Oct. 25", oct4, "past").iso == "1997-10-25"  # the tense alone
    # within NEAR (31 days) only; before the article, as in past sense
    assert resolve("Dec. 15", oct4, "open").iso == "1997-12-15"
    assert resolve("Oct. 1", oct4, "open").iso == "1998-10-01"
    assert resolve("Oct. 5", oct4, "open").iso == "1998-10-05"
    # a weekday or a month alone is placed as in past sense
    assert resolve("Friday", oct4, "open").iso == resolve("Friday", oct4, "past").iso
    assert resolve("November", oct4, "open").iso == "1997-11"


def test_compatibility_is_containment():
    day = resolve("May 7", MONDAY)
    month = resolve("in May", MONDAY)
    other = resolve("May 9", MONDAY)
    assert day.compatible(month) and month.compatible(day)
    assert not day.compatible(other)
    assert resolve("last week", MONDAY).compatible(resolve("May 14", MONDAY))


@pytest.mark.parametrize(
    ("expr", "anchor", "direction"),
    [
        ("99999999 days ago", date(2014, 5, 19), "past"),
        ("9999999 weeks ago", date(2014, 5, 19), "past"),
        ("tomorrow", date(9999, 12, 31), "past"),
        ("next Sunday", date(9999, 12, 31), "future"),
        ("on Sunday", date(1, 1, 1), "past"),
        ("last week", date(1, 1, 1), "past"),
    ],
)
def test_a_date_beyond_the_calendar_is_not_placed_not_a_crash(expr, anchor, direction):
    assert resolve(expr, anchor, direction) is None


def test_the_last_week_of_the_calendar_contains_its_days():
    week = resolve("this week", date(9999, 12, 29))
    assert week is not None and week.granularity == "week"
    assert week.contains(resolve("2014-05-19")) is False
    assert week.contains(resolve("9999-12-31"))


def test_parse_anchor_reads_dates_and_datetimes():
    assert parse_anchor("2014-05-19") == MONDAY
    assert parse_anchor("2014-05-19T08:00:00Z") == MONDAY
    assert parse_anchor("not a date") is None
    assert parse_anchor(None) is None


def test_days_apart_is_unknown_without_both_dates():
    a, b = parse_anchor("2014-05-19"), parse_anchor("2014-05-27T10:00:00")
    assert days_apart(a, b) == days_apart(b, a) == 8
    assert days_apart(a, None) is None and days_apart(None, parse_anchor("bad")) is None
