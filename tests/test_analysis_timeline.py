"""Timeline events placed against the right anchor."""

from __future__ import annotations

import pytest

from newsweave.analysis import analyze
from newsweave.records import Article


@pytest.fixture(scope="module")
def prep(analysis_prepare):
    return analysis_prepare


def _dates(prep, text: str, day: str = "1998-10-17") -> dict[str, str | None]:
    r = analyze(prep([Article(id="a", text=text, date=day)]))
    return {e["text"]: e["date"] for e in r["timeline"]}


def test_days_earlier_count_back_from_the_story_date_not_the_article_date(prep):
    got = _dates(
        prep,
        "Judge Baltasar Garzon filed a request to question Pinochet on Wednesday. "
        "Another judge, Manuel Garcia Castellon, filed a request to question him a day "
        "earlier. The bombers who attacked the embassy on Aug. 7 had rehearsed their "
        "plan nine days earlier. Police arrested two men three days ago.",
    )
    assert got["Wednesday"] == "1998-10-14"
    assert got["a day earlier"] == "1998-10-13"  # not the 16th, a day before the article
    assert got["nine days earlier"] == "1998-07-29"
    assert got["three days ago"] == "1998-10-14"  # "ago" counts from the article date


def test_days_earlier_without_a_date_nearby_stay_unplaced(prep):
    got = _dates(
        prep,
        "The agency had begun to scrutinize the plant 18 months earlier, officials said. "
        "The plant was destroyed by missiles in a night raid.",
    )
    assert got["18 months earlier"] is None


def test_the_day_before_yesterday_is_two_days_back(prep):
    got = _dates(
        prep,
        "Rebels seized the northern bridge the day before yesterday, the army said. "
        "Government troops took it back yesterday after heavy fighting. "
        "Talks between the two sides are due to resume the day after tomorrow.",
    )
    assert got["the day before yesterday"] == "1998-10-15"
    assert got["yesterday"] == "1998-10-16"
    assert got["the day after tomorrow"] == "1998-10-19"


def test_a_date_naming_an_event_is_not_future_in_a_present_tense_clause(prep):
    got = _dates(
        prep,
        "An explanation for the Sept. 2 crash remains far off, investigators said. "
        "The prosecutor blames the group for the Aug. 7 bombings of two embassies. "
        "If Tuesday's storm damages any satellites, repairs will be costly. "
        "The country holds a referendum on Sunday.",
        day="1998-10-29",  # a Thursday
    )
    assert got["Sept. 2"] == "1998-09-02"  # not 1999
    assert got["the Aug. 7"] == "1998-08-07"
    assert got["Tuesday"] == "1998-11-03"  # a condition about what is to come
    assert got["Sunday"] == "1998-11-01"


def test_a_month_and_day_take_the_year_the_article_gives_them(prep):
    # Wikinews (TAC 2011 M0017, dated 2008-05-01): "July 7" is the 2005 bombing,
    # not the latest July 7 before the article date
    text = (
        "Three of the July 7 bombers were shown in the video. "
        "The July 7 bombings were a series of coordinated bombings which struck London "
        "on the morning of July 7, 2005. "
        "Last month a video showing Mohammad Siddique Khan was shown in the court. "
        "The trial will resume on June 2."
    )
    r = analyze(prep([Article(id="a", text=text, date="2008-05-01")]))
    got = {(e["text"], e["date"]) for e in r["timeline"]}
    assert ("July 7", "2005-07-07") in got
    assert not any(d == "2007-07-07" for _, d in got)
    assert ("June 2", "2008-06-02") in got  # no full date of June 2: placed as before
    # without an article date, the full date still places it
    r = analyze(prep([Article(id="a", text=text)]))
    assert {e["date"] for e in r["timeline"] if e["text"] == "July 7"} == {"2005-07-07"}


def test_a_weekday_takes_the_tense_of_the_clause_not_of_a_participle_or_gerund(prep):
    # DUC 2003 d30028, an article of Saturday 1998-10-10: the Tuesday after it,
    # although "on Tuesday" hangs on "sponsored" (a participle modifying a noun)
    # or on "meeting" (which the parser makes a verb); "could be announced as
    # late as Sunday" is ahead too
    got = _dates(
        prep,
        "He will deliver the keynote address to the East Asia Economic Summit sponsored "
        "by the World Economic Forum on Tuesday. Estrada said he is scheduled to hold a "
        "getting-to-know-you meeting with Indonesian President B. J. Habibie on Tuesday "
        "on Batam Island. Tehran's results could be announced as late as Sunday, "
        "electoral authorities said. Police arrested a man seen near the school on "
        "Monday. He could not attend the meeting on Thursday.",
        day="1998-10-10",
    )
    assert got["Tuesday"] == "1998-10-13"
    assert got["Sunday"] == "1998-10-11"
    assert got["Monday"] == "1998-10-05"  # past: the participle follows "arrested"
    assert got["Thursday"] == "1998-10-08"  # "could not" is a past here


def test_may_opening_a_wish_is_not_the_month(prep):
    # DUC 2003 d30017: the pope's "May understanding ... take the place of violence"
    got = _dates(
        prep,
        "The pope spoke in Split on Sunday. ``May understanding, mutual respect, "
        "forgiveness and reconciliation at last take the place of violence and "
        "destruction.'' May was the wettest month on record.",
    )
    evidence = [e for e in got if e == "May"]
    assert evidence == ["May"]  # one May, the month that opens the last sentence
    r = analyze(
        prep(
            [
                Article(
                    id="a",
                    text="``May understanding and reconciliation at last take the place "
                    "of violence,'' the pope said on Sunday.",
                    date="1998-10-04",
                )
            ]
        )
    )
    assert [e["text"] for e in r["timeline"]] == ["Sunday"]


def test_years_from_now_are_ahead_not_the_article_day(prep):
    # TAC 2011 M0090 (2008-08-24): "assemble four years from now in London" was
    # placed on the article's day: only "from now" of the expression was read
    got = _dates(
        prep,
        "Rogge called upon the youth of the world to assemble four years from now in London.",
        day="2008-08-24",
    )
    assert got == {"four years from now": "2012"}


def test_a_sentence_giving_one_date_twice_is_one_event(prep):
    # DUC 2003 d31013 (1998-10-27): "Marshals here Tuesday to assist clinic workers
    # in their efforts to reopen Tuesday morning" was listed twice, and so was
    # TAC 2011 M0094's "... the 2007 World Deaf Swimming Championship and YONEX 2007 ..."
    text = (
        "Marshals were here Tuesday to assist clinic workers in their efforts to reopen "
        "Tuesday morning. The team withdrew from the 2007 World Championship and the "
        "2007 Badminton Open in protest."
    )
    r = analyze(prep([Article(id="a", text=text, date="1998-10-27")]))
    dates = [e["date"] for e in r["timeline"]]
    assert sorted(dates) == ["1998-10-27", "2007"]
    tuesday = next(e for e in r["timeline"] if e["date"] == "1998-10-27")
    span = tuesday["evidence"][0]["expression"]
    assert (span["text"], text[span["start"] : span["end"]]) == ("Tuesday", "Tuesday")


def test_an_infinitive_or_tenseless_passive_takes_the_tense_of_its_governing_verb(prep):
    # TAC 2011 M0083 (Tue 2009-06-02) "a vessel ... is to arrive at the scene on
    # Wednesday", M0044 (Wed 2007-12-12) "expected to undergo several revisions
    # before being finalized Friday", DUC d30025 (Thu 1998-12-31) "prepares to be
    # sworn in ... Friday" were all placed in the past week
    text = (
        "According to CNN, a vessel from the Brazilian navy is to arrive at the scene on "
        "Wednesday. The text of the conference draft is expected to undergo several "
        "revisions before being finalized Friday. Cardoso prepares to be sworn in to a "
        "second term in office Saturday. He tried to leave the country on Monday."
    )
    got = _dates(prep, text, day="2009-06-02")
    assert got["Wednesday"] == "2009-06-03"
    assert got["Friday"] == "2009-06-05"
    assert got["Saturday"] == "2009-06-06"
    assert got["Monday"] == "2009-06-01"  # "tried to leave": past


def test_a_month_of_last_year_and_a_weekday_of_this_week_keep_their_precision(prep):
    # TAC 2011 M0002 (Fri 2004-12-31) "On Monday of this week" gave the week of
    # "of this week"; DUC d30005 (1998-10-21) "In September of last year" gave
    # the year of "of last year"
    got = _dates(
        prep,
        "On Monday of this week, Jan Egeland, the UN's chief of emergency relief, said "
        "that rich nations were being stingy. In September of last year, he was "
        "pointedly questioned by federal agents.",
        day="2004-12-31",
    )
    assert got == {"Monday of this week": "2004-12-27", "September of last year": "2003-09"}


def test_a_deadline_or_an_infinitives_day_just_ahead_is_not_a_year_back(prep):
    # DUC d30025 (1998-10-04): "could make progress ... before Oct. 25" was placed
    # on 1997-10-25 ("could" is read as a past)
    text = (
        "An economist said he did not expect that Cardoso could make progress toward "
        "restructuring the government before Oct. 25, because these measures would "
        "require legislative approval. The company agreed to pay the workers on Oct. 30. "
        "Each of the shootings occurred within a few weeks of Nov. 11, Veterans Day."
    )
    got = _dates(prep, text, day="1998-10-04")
    assert got["Oct. 25"] == "1998-10-25"
    assert got["Oct. 30"] == "1998-10-30"  # "agreed to pay": the paying is ahead
    assert got["of Nov. 11"] == "1997-11-11"  # past sense, no deadline: the one before


def test_an_active_could_reaches_a_day_just_ahead(prep):
    # "could take place on Oct. 30" in an Oct. 4 article was placed on 1997-10-30:
    # "could" without a passive read as a past ("could not attend on Monday")
    text = (
        "The runoff could take place on Oct. 30, officials said. "
        "He said a second vote could come Nov. 2. "
        "The minister could not attend on Monday because of illness."
    )
    got = _dates(prep, text, day="1998-10-04")
    assert got["Oct. 30"] == "1998-10-30"
    assert got["Nov. 2"] == "1998-11-02"
    assert got["Monday"] == "1998-09-28"  # a weekday stays the latest one before


def test_a_participle_used_as_a_preposition_gives_no_tense(prep):
    # DUC d30025 (Thu 1998-12-31): "Friday's inauguration" was placed on Dec. 25,
    # taking the tense of "following" (a VBG with no auxiliary), not "are expected"
    text = (
        "Only 114 people are expected to attend the dinner following Friday's "
        "inauguration. Police questioned residents following Tuesday's bombing."
    )
    got = _dates(prep, text, day="1998-12-31")
    assert got["Friday"] == "1999-01-01"
    assert got["Tuesday"] == "1998-12-29"  # "questioned": past
