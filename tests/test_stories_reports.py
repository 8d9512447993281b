"""Which articles a story's report reads, and the report over them."""

from __future__ import annotations

from newsweave.records import Article
from newsweave.stories.reports import MAX_REPORT_ARTICLES, pick, story_report


def test_pick_takes_the_most_central_in_story_order():
    centrality = [0.1, 0.9, 0.5, 0.7]
    assert pick(centrality, [10] * 4, limit=2) == [1, 3]
    assert pick(centrality, [10] * 4) == [0, 1, 2, 3]
    assert pick(list(range(40)), [1] * 40) == list(range(40 - MAX_REPORT_ARTICLES, 40))


def test_pick_passes_over_what_does_not_fit_the_character_budget():
    centrality = [0.9, 0.8, 0.7, 0.6]
    lengths = [60, 50, 30, 20]
    assert pick(centrality, lengths, max_chars=100) == [0, 2]  # 60 + 30; 50 does not fit
    assert pick(centrality, lengths, max_chars=55) == [1]  # the most central alone is over
    assert pick(centrality, [500, 400, 300, 200], max_chars=100) == [0]  # none fits: it alone
    assert pick([], [], max_chars=100) == []


def test_a_story_of_long_articles_gets_its_report(monkeypatch):
    """One article longer than the one-story limit is read alone, and the
    report is made (the limit would refuse it anywhere else)."""
    import pytest

    from newsweave import pipeline
    from newsweave.errors import InputError
    from newsweave.stories import reports

    para = (
        "The river rose two metres overnight and flooded the old town of Alden. "
        "Mayor Lena Ortiz said the bridge would stay closed until the water fell. "
    )
    arts = [Article(id="long", text=para * 30)]  # 4,320 characters
    monkeypatch.setattr(reports, "MAX_STORY_CHARS", 2000)
    with pytest.raises(InputError, match="over the 2,000 one story may hold"):
        pipeline.summarize(arts, "2s", embedder="tfidf", max_chars=2000)
    assert pick([1.0], [len(arts[0].text)], max_chars=2000) == [0]
    report = story_report(arts, 7, "2s", "tfidf", False, total=3)
    assert report.summary and report.meta["story_articles"] == 3
    assert any("reads the 1 most central" in w for w in report.warnings)
    # but not all of it: a 43 MB article read whole took over 5 GB and 300 s
    read = report.article("long").text
    assert len(read) <= 2000 and arts[0].text.startswith(read)
    said = f"long holds {len(arts[0].text):,} characters, over the 2,000 a report reads; "
    assert f"article {said}the report reads its first {len(read):,}" in report.warnings
    for s in report.summary:
        for c in s.citations:
            assert read[c.start : c.end] == c.text


def test_an_article_over_the_limit_is_cut_at_a_line_break_and_others_are_left_alone():
    from newsweave.stories.reports import within_limit

    long = Article(id="x", text="First paragraph here.\nSecond paragraph, longer than that.")
    short = Article(id="y", text="Short.")
    cut, same = within_limit([long, short], max_chars=40)
    assert cut.text == "First paragraph here.\n" and cut.meta["cut_from"] == len(long.text)
    assert same is short and long.text.startswith("First paragraph here.\nSecond")
    assert within_limit([long], max_chars=len(long.text))[0] is long
