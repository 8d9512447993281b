"""Span computation of cleaning: kept and removed spans of real and synthetic articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.clean import clean_article
from newsweave.ingest import load_inputs
from newsweave.records import Article
from newsweave.segment import segment

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures"
SAMPLE = ROOT / "newsweave" / "data" / "sample"
SEEDS = ROOT.parent / "shared" / "seeds"


def lines_of(article: Article) -> list[str]:
    return [ln.strip() for ln in article.text.split("\n") if ln.strip()]


def kept_text(article: Article) -> str:
    return "\n".join(article.text[s:e] for s, e in article.spans())


def check_partition(article: Article) -> None:
    """Kept spans and removed spans cover every non-blank line exactly once."""
    covered = sorted([(s, e) for s, e in article.spans()] + [(s, e) for s, e, _ in article.removed])
    for (_, e1), (s2, _) in zip(covered, covered[1:], strict=False):
        assert e1 <= s2
    mask = [False] * len(article.text)
    for s, e in covered:
        for i in range(s, e):
            mask[i] = True
    missing = "".join(ch for ch, m in zip(article.text, mask, strict=True) if not m)
    assert missing.strip() == ""


# ------------------------------------------------------------------ articles
def test_sample_story_only_caption_and_comment_notice_removed():
    (cluster,) = load_inputs([str(SAMPLE)])
    arts = {a.id: a for a in cluster.articles}
    reuters = clean_article(arts["reuters"])
    reasons = [r for _, _, r in reuters.removed]
    assert reasons == ["caption", "comments"]
    removed = [reuters.text[s:e] for s, e, _ in reuters.removed]
    assert removed[0].startswith("Russia's President Vladimir Putin (L) meets")
    assert removed[1].startswith("This discussion is now closed.")
    assert "MOSCOW (Reuters) - The Kremlin announced" in kept_text(reuters)
    other = clean_article(arts["second-outlet"])
    assert other.removed == []
    for art in (reuters, other):
        check_partition(art)


def test_text_is_never_changed_and_clean_is_idempotent():
    (cluster,) = load_inputs([str(SAMPLE)])
    art = cluster.articles[0]
    before = art.text
    clean_article(art)
    first = (list(art.content_spans), list(art.removed))
    clean_article(art)
    assert art.text == before
    assert (art.content_spans, art.removed) == first


def test_tac_fixtures_keep_every_line():
    (cluster,) = load_inputs([str(FIX / "tac2011")])
    assert len(cluster.articles) == 5
    for art in cluster.articles:
        clean_article(art)
        assert art.removed == [], art.id
        check_partition(art)


def test_seeds_keep_every_real_line():
    if not SEEDS.exists():
        pytest.skip("shared seeds not available")
    (cluster,) = load_inputs([str(SEEDS)])
    assert len(cluster.articles) == len(list(SEEDS.glob("*.txt"))) > 0
    for art in cluster.articles:
        clean_article(art)
        for s, e, reason in art.removed:
            assert reason in {"caption", "comments"}, art.text[s:e]
        check_partition(art)


def test_synthetic_multinews_boilerplate():
    (cluster,) = load_inputs([str(FIX / "multinews_like.txt")])
    art = clean_article(cluster.articles[0])
    check_partition(art)
    removed = {art.text[s:e][:30]: r for s, e, r in art.removed}
    assert set(removed.values()) == {
        "caption",
        "advertisement",
        "share block",
        "newsletter",
        "related link",
        "separator",
        "credit line",
        "copyright",
        "web archive notice",
    }
    kept = kept_text(art)
    for sentence in (
        "Harbor bridge reopens after two-year repair",
        "The Harbor Street bridge reopened to traffic on Monday",
        "About 18,000 vehicles a day crossed the bridge",
        '"It was a long wait, but the bridge is safer now',
        "The $42 million repair was paid for by the state",
        "Some residents said the closure had doubled their commute.",
    ):
        assert sentence in kept
    for junk in ("Tweet with a location", "Photo: Millbrook", "Alexa Internet", "RELATED:"):
        assert junk not in kept


def test_whole_article_of_boilerplate_has_no_content():
    art = Article(
        "x",
        "Tweet with a location\n\nYou can add location information to your Tweets, such as "
        "your city or precise location, from the web and via third-party applications. "
        "You always have the option to delete your Tweet location history. Learn more",
    )
    clean_article(art)
    assert art.content_spans == []
    assert len(art.removed) == 2


def test_consecutive_kept_lines_form_one_span():
    text = "First line of a paragraph\ncontinues here.\n\nSecond paragraph.\nAdvertisement\nThird."
    art = clean_article(Article("x", text))
    assert [text[s:e] for s, e in art.spans()] == [
        "First line of a paragraph\ncontinues here.",
        "Second paragraph.",
        "Third.",
    ]


def test_wire_codes_inside_a_line_are_removed_and_end_the_sentence():
    # DUC's NYT and AP copy: a cut mark, the "nn" paragraph mark and
    # typesetting codes sit between sentences of one line
    text = (
        "Few have permits to cross. (STORY CAN END HERE. OPTIONAL MATERIAL FOLLOWS) nn "
        "``They live in a ghetto,'' he said. &QL; nn The group met. &UR; &LR; _ Talks went on. "
        "Ann said the nn gauge was fine."
    )
    art = clean_article(Article("x", text))
    check_partition(art)
    assert [(text[s:e], r) for s, e, r in art.removed] == [
        ("(STORY CAN END HERE. OPTIONAL MATERIAL FOLLOWS)", "wire code"),
        ("nn", "wire code"),
        ("&QL;", "wire code"),
        ("nn", "wire code"),
        ("&UR;", "wire code"),
        ("&LR;", "wire code"),
    ]
    assert [text[s:e] for s, e in art.spans()] == [
        "Few have permits to cross.",
        "``They live in a ghetto,'' he said.",
        "The group met.",
        "_ Talks went on. Ann said the nn gauge was fine.",
    ]
    assert [s.text for s in segment(art)][:3] == [
        "Few have permits to cross.",
        "``They live in a ghetto,'' he said.",
        "The group met.",
    ]


def test_pieces_between_wire_codes_are_classified_like_lines():
    text = "&UR; AP Photo &UR; By ALISON MUTLER &QC; BUCHAREST, Romania (AP) _ A cold wave hit."
    art = clean_article(Article("x", text))
    assert ("By ALISON MUTLER", "byline") in [(text[s:e], r) for s, e, r in art.removed]
    assert [text[s:e] for s, e in art.spans()][-1] == ("BUCHAREST, Romania (AP) _ A cold wave hit.")


def test_video_player_controls_are_removed_and_end_the_line():
    # USA Today's network pages: "CLOSE Police confirmed ..." reached a summary
    text = (
        "CLOSE Skip in Skip x Embed x Share A former officer was found dead. He was 40.\n\n"
        "(Jan. 18) AP 1 of 68 Skip in Skip x Embed x Share CLOSE Thawing ice threatens homes.\n\n"
        " CLOSE Police confirmed that two bodies were found.\n\nThe CLOSE call was fine."
    )
    art = clean_article(Article("x", text))
    check_partition(art)
    assert [(text[s:e], r) for s, e, r in art.removed] == [
        ("CLOSE", "video player"),
        ("Skip in Skip x Embed x Share", "video player"),
        ("(Jan. 18) AP 1 of 68", "caption"),  # a playlist item's date, source, place
        ("Skip in Skip x Embed x Share", "video player"),
        ("CLOSE", "video player"),
        ("CLOSE", "video player"),
    ]
    assert [s.text for s in segment(art)] == [
        "A former officer was found dead.",
        "He was 40.",
        "Thawing ice threatens homes.",
        "Police confirmed that two bodies were found.",
        "The CLOSE call was fine.",
    ]


def test_time_stamp_label_before_the_first_sentence_is_a_byline():
    # "Updated | When the first humans left Africa ..." reached a summary with
    # its label (Multi-News val-031); the sentence itself is kept
    text = (
        "Updated | When the first humans left Africa, they got shorter.\n\n"
        "Updated figures were published later, officials said."
    )
    art = clean_article(Article("x", text))
    check_partition(art)
    assert [(text[s:e], r) for s, e, r in art.removed] == [("Updated |", "byline")]
    assert [s.text for s in segment(art)][
        0
    ] == "When the first humans left Africa, they got shorter."


def test_bullet_of_a_list_item_is_not_part_of_its_sentence():
    # TAC's Wikinews lists: "* The rupture spread..." reached a summary with its bullet
    text = (
        "Scientists said:\n\n    * The rupture spread from south to north. It was long.\n"
        "    • Seismometers in Russia recorded the quake.\n* * *\n**Bold** stays."
    )
    art = clean_article(Article("x", text))
    check_partition(art)
    assert [(text[s:e], r) for s, e, r in art.removed] == [
        ("*", "list marker"),
        ("•", "list marker"),
        ("*", "list marker"),
        ("* *", "separator"),
    ]
    assert [s.text for s in segment(art)] == [
        "Scientists said:",
        "The rupture spread from south to north.",
        "It was long.",
        "Seismometers in Russia recorded the quake.",
        "**Bold** stays.",
    ]


def test_number_of_a_numbered_item_is_not_part_of_its_sentence():
    # Multi-News: "1. This poll, obviously, is hypothetical." reached a summary
    text = (
        "This all comes with a few caveats.\n\n1. This poll, obviously, is hypothetical.\n"
        "2) Qua economics, the plan looks better.\nThe vote was set for March\n"
        "15. The board met in 2012.\n2012. That year it rained."
    )
    art = clean_article(Article("x", text))
    check_partition(art)
    assert [(text[s:e], r) for s, e, r in art.removed] == [
        ("1.", "list marker"),
        ("2)", "list marker"),
    ]
    got = [s.text for s in segment(art)]
    assert got[1:3] == [
        "This poll, obviously, is hypothetical.",
        "Qua economics, the plan looks better.",
    ]
    # "15." goes on from a line left open (a date, not an item); "2012." has 4 digits
    assert got[-3:] == ["15. The board met in 2012.", "2012.", "That year it rained."]


def test_rules_and_duplicates_stay_importable_from_clean():
    from newsweave import boilerplate, clean, dedup

    assert clean.classify_line is boilerplate.classify_line
    assert clean.mark_duplicates is dedup.mark_duplicates
    assert clean.classify_line("Advertisement") == "advertisement"
