"""Boilerplate recognition and near-duplicate detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.clean import classify_line, clean_article, mark_duplicates
from newsweave.ingest import load_inputs
from newsweave.records import Article

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


# ------------------------------------------------------------------- lines
BOILERPLATE = [
    (
        "Russia's President Vladimir Putin (L) meets Governor Ivan Smith in Sochi, May 13, 2014.",
        "caption",
    ),
    ("Photo: Getty Images", "caption"),
    ("Image copyright Getty Images Image caption Rescuers search the rubble", "caption"),
    ("Firefighters at the scene on Monday. (Photo by Jane Doe/Getty Images)", "caption"),
    ("Protesters march in the capital. AP Photo/John Smith", "caption"),
    ("Protesters march in the capital on Friday. (AP Photo/John Smith)", "caption"),
    ("Jane Doe/Reuters", "caption"),
    (
        "This discussion is now closed. We welcome comments on our articles for a limited period.",
        "comments",
    ),
    ("Tweet with a location", "share block"),
    ("Follow us on Twitter and Facebook", "share block"),
    ("Share this story on Facebook", "share block"),
    ("Sign up for our newsletter", "newsletter"),
    ("Get breaking news alerts delivered to your inbox. Sign up now!", "newsletter"),
    ("By John Smith", "byline"),
    ("By John Smith, Reuters", "byline"),
    ("John Smith, Reuters", "byline"),
    ("Published 3:45 PM ET", "byline"),
    ("Last updated at 6:04 PM on 20th October 2011", "byline"),
    (
        "We use cookies to improve your experience. By continuing to use this site you agree.",
        "cookie notice",
    ),
    ("Advertisement", "advertisement"),
    ("ADVERTISEMENT", "advertisement"),
    ("Story Continued Below", "advertisement"),
    ("Read more: Why the bridge closed", "related link"),
    ("RELATED: Council approves budget", "related link"),
    ("[Council approves budget after long debate]", "related link"),
    ("Copyright 2019 The Associated Press. All rights reserved.", "copyright"),
    ("© 2020 Example Media Ltd", "copyright"),
    ("Home > News > World", "navigation"),
    ("Home | World | Politics | Sport", "navigation"),
    ("___", "separator"),
    ("The Associated Press contributed to this report.", "credit line"),
    (
        "Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive.",
        "web archive notice",
    ),
    ("Please enable Javascript to watch this video", "site notice"),
    ("Write to Jane Doe at jane.doe@example.com", "contact"),
    ("http://example.com/story/123", "link"),
    ("Heartbroken. — Jane Doe (@janedoe) June 20, 2017", "embedded social post"),
    ("Председатель правительства заявил о новых мерах поддержки", "non-English line"),
]

REAL = [
    "MOSCOW (Reuters) - The Kremlin announced on Monday President Vladimir Putin had ordered troops back.",
    "By Monday, the troops had left the border area.",
    "By then, officials said, the fire had spread to three buildings.",
    "Copyright law experts say the ruling could change how films are made.",
    "Sprint had more than 52 million subscribers at the end of the quarter.",
    "More than 8 million people signed up for health insurance this year.",
    "The company failed to register the trademark in 2010.",
    "Follow the money, the senator told reporters.",
    "Photos of the ship showed damage to its bow.",
    "“I have my subpoena pen ready,” Chaffetz tweeted on Tuesday.",
    "Kremlin spokesman Dmitry Peskov (R) said the order was given on Monday.",
    "The ceasefire was signed on September 5, 2014.",
    "Updated figures released in 2014 showed a drop in crime.",
    "Advertisements for the product ran in 30 newspapers, the company said.",
    "Share prices fell 3% in early trading.",
    "Readers can find more of the report on the agency's website, the statement said.",
    "The Wayback Machine keeps copies of more than 500 billion web pages.",
    "He said he would not comment on the investigation.",
    "Schools have collapsed.",
    "Tina Fey",
    "'Total chaos'",
]


@pytest.mark.parametrize(("line", "reason"), BOILERPLATE)
def test_boilerplate_lines(line, reason):
    assert classify_line(line) == reason


@pytest.mark.parametrize("line", REAL)
def test_real_lines_are_kept(line):
    assert classify_line(line) is None


def test_first_line_caption_without_credit():
    line = "Mayor Jane Doe greets visitors at the town hall in Millbrook, June 3, 2019."
    assert classify_line(line, first=True) == "caption"
    assert classify_line(line, first=False) is None


# -------------------------------------------------------------- duplicates
WIRE = (
    "Firefighters battled a large blaze at a warehouse in the port district on Sunday night, "
    "the city fire department said. No injuries were reported. The fire started shortly "
    "after 11 p.m. and took more than six hours to bring under control, a spokesman said. "
    "Investigators have not yet determined the cause of the fire, which destroyed most of "
    "the building and its contents, including furniture and electronics awaiting shipment."
)
OTHER = (
    "The city council approved a new budget on Tuesday that raises spending on schools and "
    "parks while cutting the number of administrative jobs at city hall by about a tenth. "
    "The mayor said the plan would keep taxes flat for the third year in a row."
)


def test_mark_duplicates_groups_wire_copy():
    arts = [
        Article("a", WIRE),
        Article("b", OTHER),
        Article("c", "PORT CITY (AP) — " + WIRE + " Copyright 2020 AP."),
        Article("d", WIRE.replace("Sunday night", "Sunday evening")),
    ]
    for a in arts:
        clean_article(a)
    groups = mark_duplicates(arts)
    assert groups == [["a", "c", "d"], ["b"]]
    assert [a.duplicate_of for a in arts] == [None, None, "a", "a"]


def test_mark_duplicates_ignores_removed_boilerplate():
    junk = "\n\n".join(["Advertisement", "Sign up for our newsletter", "RELATED: Other story"] * 20)
    a = Article("a", WIRE + "\n\n" + junk)
    b = Article("b", OTHER + "\n\n" + junk)
    for art in (a, b):
        clean_article(art)
    assert mark_duplicates([a, b]) == [["a"], ["b"]]


def test_mark_duplicates_resets_and_handles_empty():
    a = Article("a", WIRE, duplicate_of="zzz")
    b = Article("b", "")
    c = Article("c", "Short.")
    assert mark_duplicates([a, b, c]) == [["a"], ["b"], ["c"]]
    assert a.duplicate_of is None
    assert mark_duplicates([]) == []


def test_mark_duplicates_lsh_path_matches_exact():
    arts = [Article(f"x{i}", WIRE if i % 2 else OTHER + f" Item {i}.") for i in range(12)]
    exact = mark_duplicates(arts)
    lsh = mark_duplicates(arts, exact_limit=0)
    assert exact == lsh
    assert exact[1] == [f"x{i}" for i in range(1, 12, 2)]
