"""Lines that list other pages: navigation crumbs and teasers of other stories."""

from __future__ import annotations

from newsweave.pagelists import nav_crumbs, teaser


def test_nav_crumbs():
    assert nav_crumbs("Home > News > World")
    assert not nav_crumbs("Prices rose 3% / year in the three largest cities, the bank said.")


def test_teaser_needs_a_headline_and_a_doubled_passage():
    text = "Officials said the dogs, taken from a home in Lehigh County, are in poor health..."
    assert teaser(f"Humane Society Rescues 71 Beagles {text} {text}")
    assert teaser(f"Humane Society Rescues 71 Beagles Humane Society Rescues 71 Beagles {text}")
    assert not teaser(f"{text} {text}")
    assert not teaser(f"Humane Society Rescues 71 Beagles {text}")


def test_a_text_repeated_many_times_is_not_a_teaser():
    # one line of the same two sentences 30 times (tests/test_stories_reports.py)
    para = (
        "The river rose two metres overnight and flooded the old town of Alden. "
        "Mayor Lena Ortiz said the bridge would stay closed until the water fell. "
    )
    assert not teaser((para * 30).strip())
    assert not teaser((para * 3).strip())
