"""RSS/Atom feed files read into articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.errors import InputError
from newsweave.stories import service
from newsweave.stories.feeds import html_to_text, looks_like_feed, read_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def test_rss_entries_become_articles():
    arts, warns = read_feed(FEEDS / "wire.rss")
    assert [a.id for a in arts] == [
        "wire-2024-0304-bridge",
        "wire-2024-0306-bridge",
        "wire-2024-0305-chess",
    ]
    first = arts[0]
    assert first.outlet == "Example Wire"
    assert first.title == "Flooding closes the Harbor Bridge in Port Alden"
    assert first.date.startswith("2024-03-04T09:15:00")
    assert first.url == "https://wire.example/2024/03/04/harbor-bridge-floods"
    assert "<p>" not in first.text and "\n\n" in first.text  # paragraphs kept
    assert "Mayor Lena Ortiz" in arts[1].text  # escaped HTML description
    assert any("#4" in w and "no text" in w for w in warns)


def test_atom_entries_become_articles():
    arts, _ = read_feed(FEEDS / "city.atom")
    assert [a.id for a in arts] == ["urn:example:city-desk:1", "urn:example:city-desk:2"]
    assert arts[0].outlet == "City Desk" and arts[0].url == "https://city.example/bridge-shut"
    assert arts[1].date.startswith("2014-03-04")


def test_an_entry_without_a_web_link_has_no_url_but_keeps_its_id(tmp_path):
    """feedparser copies an Atom id or RSS guid into the entry's link when it
    has none: ``urn:uuid:...`` was stored as the article's URL. A URL is an
    http(s) address (an ``alternate`` link counts, an enclosure does not);
    the id stays the article id."""
    feed = tmp_path / "ids.atom"
    feed.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>'
        "<entry><id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id><title>One</title>"
        "<content>The harbor bridge closed after the flood on Monday.</content></entry>"
        "<entry><id>tag:desk.example,2024:2</id><title>Two</title>"
        '<link rel="enclosure" href="https://desk.example/2.mp3"/>'
        "<content>The ferry service doubled while the bridge stayed shut.</content></entry>"
        "<entry><id>tag:desk.example,2024:3</id><title>Three</title>"
        '<link rel="alternate" href="https://desk.example/3"/>'
        "<content>Engineers said the bridge would reopen next week.</content></entry>"
        "</feed>",
        encoding="utf-8",
    )
    arts, _ = read_feed(feed)
    assert [a.id for a in arts] == [
        "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
        "tag:desk.example,2024:2",
        "tag:desk.example,2024:3",
    ]
    assert [a.url for a in arts] == [None, None, "https://desk.example/3"]
    rss = tmp_path / "guids.rss"
    rss.write_text(
        '<rss version="2.0"><channel><title>Wire</title>'
        "<item><guid>abc-123</guid><title>A</title><description>The bridge closed "
        "on Monday.</description></item>"
        '<item><guid isPermaLink="true">https://wire.example/p</guid><title>B</title>'
        "<description>The ferry ran all night.</description></item></channel></rss>",
        encoding="utf-8",
    )
    arts, _ = read_feed(rss)
    assert [(a.id, a.url) for a in arts] == [
        ("abc-123", None),
        ("https://wire.example/p", "https://wire.example/p"),
    ]


def test_feed_file_with_a_bom_and_a_long_prolog_is_ingested_as_a_feed(tmp_path):
    from newsweave.stories import service

    src = (FEEDS / "wire.rss").read_bytes()
    root = src.index(b"<rss")
    comment = b"<!-- " + b"Copyright notice. " * 60 + b"-->\n"
    styled = src[:root] + b'<?xml-stylesheet type="text/xsl" href="s.xsl"?>\n' + comment
    (tmp_path / "bom.xml").write_bytes(b"\xef\xbb\xbf" + src)
    (tmp_path / "styled.xml").write_bytes(styled + src[root:])
    with service.open_db(tmp_path / "s.db") as db:
        for name in ("bom.xml", "styled.xml"):
            st = service.ingest(db, [str(tmp_path / name)], workers=1)
            assert st.read == 3, (name, st.warnings)
            assert all(w.endswith("#4: entry has no text") for w in st.warnings)
        assert db.scalar("SELECT count(*) FROM articles") == 3
        assert db.scalar("SELECT count(DISTINCT outlet) FROM articles") == 1


def test_broken_feed_names_the_file():
    with pytest.raises(InputError, match="broken.rss"):
        read_feed(FEEDS / "bad" / "broken.rss")


def test_feed_sniffing_and_html():
    assert looks_like_feed(Path("x.xml"), b'<?xml version="1.0"?>\n<rss version="2.0">')
    assert looks_like_feed(Path("x.txt"), b"<feed xmlns='http://www.w3.org/2005/Atom'>")
    assert not looks_like_feed(Path("x.xml"), b"<?xml version='1.0'?><svg></svg>")
    assert not looks_like_feed(Path("x.xml"), b"<?xml version='1.0'?><svg><feed/></svg>")
    # a byte-order mark, a stylesheet and a long comment before the root element
    bom = b"\xef\xbb\xbf<?xml version='1.0'?>\n<rss version='2.0'>"
    assert looks_like_feed(Path("x.xml"), bom)
    prolog = b"<?xml version='1.0'?>\n<?xml-stylesheet href='s.xsl'?>\n<!-- " + b"(c) " * 400
    assert looks_like_feed(Path("x.xml"), prolog + b"-->\n<!DOCTYPE rss>\n<RSS version='2.0'>")
    assert html_to_text("<p>One &amp; two</p><p>Three</p>") == "One & two\n\nThree"


def test_a_utf16_or_utf32_feed_with_any_extension_is_read_as_a_feed(tmp_path):
    """A UTF-16 Atom feed saved as '.xml' was not recognised (its head has
    NUL bytes between the letters) and was refused by the article reader
    with "'newsweave ingest' reads feeds", by 'newsweave ingest' itself."""
    atom = (FEEDS / "city.atom").read_text(encoding="utf-8")
    svg = "<?xml version='1.0'?><svg><feed/></svg>"
    for codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        assert looks_like_feed(Path("x.xml"), atom.encode(codec)), codec
        assert not looks_like_feed(Path("x.xml"), svg.encode(codec)), codec
    wide = atom.replace('encoding="utf-8"', 'encoding="utf-16"').replace(
        "encoding='utf-8'", "encoding='utf-16'"
    )
    (tmp_path / "city.xml").write_text(wide, encoding="utf-16")
    with service.open_db(tmp_path / "s.db") as db:
        stats = service.ingest(db, [str(tmp_path)], workers=1)
    plain, _ = read_feed(FEEDS / "city.atom")
    assert stats.stored == len(plain) > 0 and not stats.warnings


RSS_NO_IDS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Bare Feed</title>{items}</channel></rss>"""
ITEM = "<item><title>{t}</title><description>{t} happened in Port Alden today.</description></item>"


def test_an_entry_without_guid_or_link_keeps_its_id_when_the_feed_grows():
    from newsweave.stories.feeds import parse_feed

    old = RSS_NO_IDS.format(items=ITEM.format(t="Bridge closes") + ITEM.format(t="Mayor speaks"))
    new = RSS_NO_IDS.format(
        items=ITEM.format(t="Storm ends")
        + old.split("<title>Bare Feed</title>")[1].split("</channel>")[0]
    )
    before, _ = parse_feed(old.encode(), "bare.rss")
    after, _ = parse_feed(new.encode(), "bare.rss")
    ids = {a.title: a.id for a in after}
    # the same entries keep their ids although a new one came in on top
    assert {a.title: a.id for a in before}.items() <= ids.items()
    assert len(set(ids.values())) == 3 and all(i.startswith("bare.rss#") for i in ids.values())


def test_an_entry_whose_text_holds_no_letter_or_digit_is_skipped_like_an_empty_one():
    # it was stored as an article with nothing to read (a file or JSON text
    # like it is refused: formats.check_readable)
    from newsweave.stories.feeds import parse_feed

    junk = "<item><title>Bridge</title><description>... !!! --</description></item>"
    feed = RSS_NO_IDS.format(items=ITEM.format(t="Bridge closes") + junk)
    arts, warns = parse_feed(feed.encode(), "bare.rss")
    assert [a.title for a in arts] == ["Bridge closes"]
    assert warns == ["skipped bare.rss#2: entry text holds no letters or digits"]


@pytest.mark.parametrize(
    ("item", "what"),
    [
        (
            "<item><title>Bridge&#0;</title><description>A bridge closed.</description></item>",
            "'title'",
        ),
        (
            "<item><title>Bridge</title><description>A bridge&#0; closed.</description></item>",
            "text",
        ),
        (
            "<item><title>B</title><link>http://n.example/&#0;</link><description>A bridge closed.</description></item>",
            "'id'",
        ),
    ],
)
def test_an_entry_holding_a_nul_is_skipped_with_a_warning(item, what):
    # the loose feed parser keeps "&#0;": the NUL reached the story database,
    # where a file or JSON string holding one is refused (formats.check_metadata)
    from newsweave.stories.feeds import parse_feed

    feed = RSS_NO_IDS.format(items=ITEM.format(t="Mayor speaks") + item)
    arts, warns = parse_feed(feed.encode(), "bare.rss")
    assert [a.title for a in arts] == ["Mayor speaks"]
    (warn,) = warns
    assert warn.startswith(f"skipped bare.rss#2: the {what} holds NUL characters")
    with pytest.raises(InputError, match=r"^bare\.rss: no usable feed entry \(skipped bare"):
        parse_feed(RSS_NO_IDS.format(items=item).encode(), "bare.rss")


@pytest.mark.parametrize(
    "ref", ["&#xD800;", "&#56320;", "&#x110000;", "&#99999999999;", "&#" + "9" * 5000 + ";"]
)
def test_a_character_reference_to_no_character_is_read_as_a_replacement(ref):
    # feedparser raised on it (UnicodeEncodeError, ValueError, OverflowError):
    # `newsweave ingest` failed with an internal error (exit 70)
    from newsweave.stories.feeds import parse_feed

    item = f"<item><title>Bridge {ref}</title><description>A bridge closed.</description></item>"
    feed = RSS_NO_IDS.format(items=ITEM.format(t="Mayor speaks") + item)
    arts, warns = parse_feed(feed.encode(), "bare.rss")
    assert [a.title for a in arts] == ["Mayor speaks", "Bridge \ufffd"]
    (warn,) = warns
    assert warn.startswith("bare.rss: 1 character reference to no character (&#")
    assert warn.endswith(") read as U+FFFD")
    ok = RSS_NO_IDS.format(items=ITEM.format(t="Smile &#x1F600;"))  # a character: kept
    arts, warns = parse_feed(ok.encode(), "ok.rss")
    assert [a.title for a in arts] == ["Smile \U0001f600"] and warns == []


def test_a_feed_feedparser_cannot_read_is_an_input_error():
    # in UTF-16 the references are not seen before parsing: refused, not a crash
    from newsweave.stories.feeds import parse_feed

    feed = RSS_NO_IDS.format(items=ITEM.format(t="Bridge &#xD800;")).replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>'
    )
    with pytest.raises(InputError, match=r"^u16\.rss: not a readable RSS/Atom feed \("):
        parse_feed(feed.encode("utf-16"), "u16.rss")
