"""Quotes and their speakers on real-world punctuation and sentence shapes."""

from __future__ import annotations

import pytest

from newsweave.analysis import analyze
from newsweave.analysis.quotes import quote_segments
from newsweave.records import Article


@pytest.fixture(scope="module")
def prep(analysis_prepare):
    return analysis_prepare


def _texts(text: str) -> list[str]:
    segs, _open = quote_segments(text, False)
    return [text[a:b] for a, b in segs]


def test_wire_style_quotation_marks_are_quotes():
    # AP and NYT copy (DUC, Gigaword) writes ``...'' for quotation marks
    assert _texts("He said ``we will win the war.'' Then he left.") == ["we will win the war."]
    nested = "``I said to myself, `Maybe this will save my life,''' he recounted."
    assert _texts(nested) == ["I said to myself, `Maybe this will save my life,'"]
    assert quote_segments("He said ``we will", False) == ([(10, 17)], True)
    assert quote_segments("the end of it.'' he said", True) == ([(0, 14)], False)
    assert _texts("the rock'n'roll band's ''odd'' name") == []  # no opening backticks


def test_wire_style_quotes_get_their_speaker_not_a_pronoun_inside(prep):
    texts = [
        "JERUSALEM (AP) _ A car bomb exploded in a crowded market on Friday, police said. "
        "``I said to myself, `Maybe this will save my life,''' shopkeeper Yair Cohen "
        "said later at the hospital. "
        "``We will not stop the peace process because of this attack,'' Prime Minister "
        "Benjamin Netanyahu told reporters.",
        "A car bomb went off in a crowded Jerusalem market on Friday, police said. "
        "Two assailants died in the blast, officials said.",
    ]
    arts = [Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]
    r = analyze(prep(arts))
    direct = {q["text"]: q["speaker_name"] for q in r["quotes"] if q["kind"] == "direct"}
    assert direct["I said to myself, `Maybe this will save my life,'"] == "Yair Cohen"
    assert (
        direct["We will not stop the peace process because of this attack,"] == "Benjamin Netanyahu"
    )
    speakers = {sp["name"] for sp in r["speakers"]}
    assert not speakers & {"I", "we", "We"}


def test_a_relative_pronoun_speaker_is_the_noun_it_stands_for(prep):
    texts = [
        "A bulletin board for the families of the crash victims opened on Monday. "
        "``You have to have a 13-year-old,'' said Tom Gerety, who is a public defender "
        "in Connecticut and said he could not have set up the bulletin board on his own. "
        "The families were joined by an unnamed source close to the airline, who said "
        "that the investigation would take months. "
        "The call was taken up by leftist politicians in the Italian parliament, who "
        "asked the government to open an inquiry into the crash.",
        "A bulletin board for the families of the crash victims opened on Monday, "
        "its founder said.",
    ]
    arts = [Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]
    r = analyze(prep(arts))
    by_text = {q["text"]: q for q in r["quotes"]}
    q = by_text["he could not have set up the bulletin board on his own"]
    assert q["speaker_name"] == "Tom Gerety"
    assert q["evidence"][0]["speaker_mention"]["text"] == "Tom Gerety"
    q = by_text["the investigation would take months"]
    assert q["speaker_name"].startswith("unnamed source")
    q = by_text["the government to open an inquiry into the crash"]
    assert q["speaker_name"] == "leftist politicians"
    assert not any(sp["name"].lower() in ("who", "which") for sp in r["speakers"])
