"""Conflict rules on sentence shapes met in real news (DUC 2003, TAC 2011)."""

from __future__ import annotations

import pytest

from newsweave.analysis import analyze
from newsweave.records import Article


@pytest.fixture(scope="module")
def prep(analysis_prepare):
    return analysis_prepare


def _conflicts(prep, a: str, b: str, dates=(None, None), kind: str | None = None) -> list[dict]:
    filler = [
        "Officials gave no further details.",
        "The story is developing and more information is expected later.",
    ]
    arts = [
        Article(id=f"a{n}", text=" ".join([t, *filler[n:]]), outlet=f"Outlet {n}", date=d)
        for n, (t, d) in enumerate(zip((a, b), dates, strict=True))
    ]
    found = analyze(prep(arts))["conflicts"]
    return [c for c in found if kind is None or c["type"] == kind]


@pytest.mark.parametrize(
    ("a", "b", "dates"),
    [
        (  # "since 1995" bounds a period; it is not the date of the collapse
            "Turkey's coalition government collapsed on Wednesday after losing a "
            "confidence vote in parliament.",
            "Turkey's coalition government collapsed after losing a confidence vote in "
            "parliament, the fourth government to collapse since 1995.",
            ("1998-11-25", "1998-11-25"),
        ),
        (  # "until": two limits on two things, no event date
            "First official results of the election are not expected until Saturday.",
            "Final results of the election are not expected until Sunday.",
            ("1998-10-22", "1998-10-24"),
        ),
        (  # "be" makes no event of its own: two days' lowest temperatures
            "The lowest temperature in Poland was minus 26 Celsius early on Sunday in Ostroleka.",
            "On Wednesday, the lowest temperature in Poland was minus 12 Celsius in Ostroleka.",
            ("1998-11-23", "1998-11-25"),
        ),
        (  # loose relative dates two days apart: the same typhoon
            "Last week, Typhoon Zeb killed at least 74 people in the northern Philippines.",
            "Two weeks ago, Typhoon Zeb killed at least 74 people in the northern Philippines.",
            ("1998-10-23", "1998-10-25"),
        ),
        (  # "last Thursday" written on a Friday may mean the week before
            "Last Thursday, an assailant tried to ram a car bomb into a school bus in Gaza.",
            "On Oct. 29, an assailant tried to ram a car bomb into a school bus in Gaza.",
            ("1998-11-06", "1998-11-06"),
        ),
    ],
)
def test_dates_that_can_both_hold_are_no_conflict(prep, a, b, dates):
    assert _conflicts(prep, a, b, dates, "date") == []


@pytest.mark.parametrize(
    ("a", "b", "values"),
    [
        (
            "Typhoon Zeb struck the northern Philippines on Oct. 14, killing 74 people.",
            "Typhoon Zeb struck the northern Philippines on Oct. 2, killing 74 people.",
            {"1998-10-14", "1998-10-02"},
        ),
        (  # a loose date is still compared when it is weeks away
            "Last week, Typhoon Zeb struck the northern Philippines, killing 74 people.",
            "On Sept. 20, Typhoon Zeb struck the northern Philippines, killing 74 people.",
            {"1998-10-12", "1998-09-20"},
        ),
    ],
)
def test_dates_of_one_event_that_cannot_both_hold_still_conflict(prep, a, b, values):
    found = _conflicts(prep, a, b, ("1998-10-23", "1998-10-23"), "date")
    assert [{s["value"] for s in c["sides"]} for c in found] == [values]


def test_a_quote_given_to_he_is_no_speaker_conflict(prep):
    # "he" resolves to the last person quoted; when that guess is wrong, the
    # same quotation must not be reported as given to two people
    a = (
        "Archbishop Desmond Tutu presented the truth commission report on Wednesday. "
        "Former president F.W. de Klerk said the report was unfair to him. "
        "``It upsets me deeply that the report was challenged in court,'' he said."
    )
    b = (
        "Archbishop Desmond Tutu presented the truth commission report on Wednesday. "
        "``It upsets me deeply that the report was challenged in court,'' Tutu said."
    )
    assert _conflicts(prep, a, b, kind="speaker") == []


def test_the_same_quote_given_to_two_named_people_is_a_conflict(prep):
    a = (
        "Archbishop Desmond Tutu presented the truth commission report on Wednesday. "
        "``It upsets me deeply that the report was challenged in court,'' Tutu said."
    )
    b = (
        "Archbishop Desmond Tutu presented the truth commission report on Wednesday. "
        "``It upsets me deeply that the report was challenged in court,'' "
        "commission member Alex Boraine said."
    )
    (c,) = _conflicts(prep, a, b, kind="speaker")
    assert {s["value"] for s in c["sides"]} == {"Desmond Tutu", "Alex Boraine"}


def test_two_ages_of_one_witness_are_a_conflict(prep):
    # DUC 2003 d30010t: two versions of one AP story, the witness 23 and 32
    a = "``I saw his eyes. He looked right at me,'' said Zaken, a 23-year-old secretary."
    b = "``I saw his eyes. He looked right at me,'' said Zaken, a 32-year-old secretary."
    (c,) = _conflicts(prep, a, b, ("1998-11-06", "1998-11-06"), "number")
    assert c["detail"] == "Zaken aged 23 vs Zaken aged 32"
    ev = [s["evidence"] for s in c["sides"]]
    assert [e["text"] for e in ev] == ["23-year-old", "32-year-old"]
    assert [t[e["start"] : e["end"]] for t, e in zip((a, b), ev, strict=True)] == [
        "23-year-old",
        "32-year-old",
    ]  # the sentences open the articles: article offsets are sentence offsets


def test_one_persons_ages_conflict_anywhere_in_the_story(prep):
    # DUC 2003 d31050t: "Wang Youcai, 33, is to go on trial" / "The trial ... of
    # Wang Youcai, 32, founder of...": sentences too unlike to be compared, one age
    a = (
        "On Thursday morning, in the city of Hangzhou, Wang Youcai, 33, is to go on "
        "trial on similar charges of inciting subversion."
    )
    b = (
        "The trial in the eastern city of Hangzhou of Wang Youcai, 32, founder of the "
        "China Democracy Party, which is now suppressed, was in session for two hours."
    )
    (c,) = _conflicts(prep, a, b, ("1998-12-16", "1998-12-17"), "number")
    assert c["detail"] == "Wang Youcai aged 33 vs Wang Youcai aged 32"
    assert [s["evidence"]["text"] for s in c["sides"]] == ["33", "32"]
    # two weeks apart, or two people: nothing
    assert _conflicts(prep, a, b, ("1998-12-01", "1998-12-17"), "number") == []
    other = b.replace("Wang Youcai", "Qin Yongmin")
    assert _conflicts(prep, a, other, ("1998-12-16", "1998-12-17"), "number") == []


def test_ages_of_a_name_spacy_tags_no_person_are_compared(prep):
    # DUC 2003 d31013t: "Slepian" is tagged a nationality in both sentences; the
    # age pattern "Name, NN," is evidence enough of a person
    a = "Slepian, 51, is the third abortion doctor killed in the United States since 1993."
    b = (
        "Slepian, 52, is shot and killed when a bullet crashes through a kitchen window "
        "at the back of his home."
    )
    days = ("1998-10-24", "1998-10-25")
    (c,) = _conflicts(prep, a, b, days, "number")
    assert c["detail"] == "Slepian aged 51 vs Slepian aged 52"
    assert [s["evidence"]["text"] for s in c["sides"]] == ["51", "52"]
    # the story's one person of that name gives the name shown
    (c,) = _conflicts(prep, a, b.replace("Slepian", "Dr. Barnett Slepian"), days, "number")
    assert c["detail"] == "Barnett Slepian aged 51 vs Barnett Slepian aged 52"
    # two people of that surname: whose age it is cannot be told
    wife = " His wife, Lynne Slepian, was at home. Dr. Barnett Slepian was a gynecologist."
    assert _conflicts(prep, a + wife, b, days, "number") == []
    # an organisation's figure, or two names: no age conflict
    org = (a.replace("Slepian", "Microsoft"), b.replace("Slepian", "Microsoft"))
    assert _conflicts(prep, *org, days, "number") == []
    assert _conflicts(prep, a, b.replace("Slepian", "Romalis"), days, "number") == []


def test_each_age_is_of_the_name_next_to_it(prep):
    # MultiNews val-152: Fran Keller's 67 was taken for Dan Keller's age
    a = (
        "The determination of outright innocence made Dan Keller, 75, and Fran Keller, "
        "67, each eligible for compensation for every year they were wrongfully imprisoned."
    )
    b = "Their to-do list includes a house and better hearing aids for Dan Keller, 75."
    assert _conflicts(prep, a, b, ("2017-06-21", "2017-06-21"), "number") == []
    c = b.replace("75", "76")
    (found,) = _conflicts(prep, a, c, ("2017-06-21", "2017-06-21"), "number")
    assert found["detail"] == "Dan Keller aged 75 vs Dan Keller aged 76"


def test_candidate_pairs_are_every_pair_the_rule_admits_in_order(sample_docset):
    from newsweave.analysis import conflicts, nlp

    parsed = nlp.parse(sample_docset)
    sents = sample_docset.sentences
    acc = [sample_docset.alignment.account_of[s.article_id] for s in sents]
    fact = [sample_docset.alignment.fact_of[s.id] for s in sents]
    ok = [conflicts._statement(d) for d in parsed.docs]
    sims = sample_docset.embeddings @ sample_docset.embeddings.T
    for loose in (conflicts.LOOSE_SIM, 0.3):
        want = [  # the rule pair by pair (no dates too far apart in the sample)
            (i, j, float(sims[i, j]), fact[i] == fact[j])
            for i in range(len(sents))
            for j in range(i + 1, len(sents))
            if ok[i] and ok[j] and acc[i] != acc[j] and (fact[i] == fact[j] or sims[i, j] >= loose)
        ]
        got = conflicts.candidate_pairs(parsed, loose)
        assert got == want and len(want) > 10 * (loose < 0.5)
        assert all(type(i) is int and type(j) is int for i, j, _, _ in got)


def _dated_pairs(prep, a: str, b: str) -> list[tuple[str, str]]:
    from newsweave.analysis.conflicts import _date_pairs
    from newsweave.analysis.nlp import parse
    from newsweave.analysis.timeline import date_mentions

    parsed = parse(prep([Article(id="a", text=a), Article(id="b", text=b)]))
    dates = date_mentions(parsed)
    ka, kb = (next(k for k, s in enumerate(parsed.sentences) if s.article_id == x) for x in "ab")
    pairs = _date_pairs(dates.get(ka, []), dates.get(kb, []), True, parsed)
    return [(x.text, y.text) for x, y in pairs]


def test_dates_of_two_named_speakers_are_two_events(prep):
    # multinews-val-019: Trump's 2011 remark and Obama's 2009 one were one event
    trump = 'And on Aug. 16, 2011, Trump said, "Amazing, Obama speaks, market goes DOWN."'
    obama = "“I think Barack Obama said something in 2009 about how stock prices seemed low.”"
    assert _dated_pairs(prep, trump, obama) == []
    again = "Trump said something in 2009 about how stock prices seemed low."
    assert _dated_pairs(prep, trump, again) == [("Aug. 16, 2011", "2009")]


def test_two_sources_of_one_figure_are_no_name_conflict(prep):
    # multinews-val-077: the same sales figures credited to a paper and to a trade body
    a = (
        "In the first four days of legal sales, Nevada retailers made $3 million in sales "
        "and $500,000 in tax revenue, according to the Las Vegas Sun."
    )
    b = (
        "The first four days of legal sales in Nevada generated $3 million in sales and "
        "about $500,000 in tax revenue, according to the Nevada Dispensary Association."
    )
    assert _conflicts(prep, a, b) == []
