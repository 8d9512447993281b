"""The plain service functions and the CLI commands over a small database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest

from newsweave.cli import main
from newsweave.records import Report
from newsweave.render import load_schema
from newsweave.stories import service
from newsweave.stories.synth import synthetic_articles

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


@pytest.fixture
def db_path(tmp_path):
    arts = synthetic_articles(3, 4, seed=5)
    dump = tmp_path / "dump.jsonl"
    with dump.open("w", encoding="utf-8") as fh:
        for i, a in enumerate(arts):
            fh.write(json.dumps({"id": f"l{i}", "documents": [a.to_doc()]}) + "\n")
    path = tmp_path / "s.db"
    with service.open_db(path) as db:
        service.ingest(db, [str(dump)], workers=1)
    return path


def test_get_story_report_is_cached_until_articles_change(db_path, tmp_path):
    with service.open_db(db_path) as db:
        top = service.list_stories(db)[0]
        story = service.get_story(db, top["id"], embedder="tfidf", analyze=False)
        assert isinstance(story.report, Report) and story.report.summary
        assert not story.cached and story.size == top["size"] == 4
        cited = {c.article for s in story.report.summary for c in s.citations}
        assert cited <= {a["id"] for a in story.articles}
        for s in story.report.summary:  # citations index the stored texts
            for c in s.citations:
                assert story.report.article(c.article).text[c.start : c.end] == c.text
        again = service.get_story(db, str(top["id"]), embedder="tfidf", analyze=False)
        assert again.cached and again.report.summary_text == story.report.summary_text
        # a new article joins the story: the report is recomputed
        first = service.story_articles(db, top["id"])[0]
        extra = tmp_path / "extra.jsonl"
        doc = {"id": "late", "text": first.text + "\n\nA later update.", "date": first.date}
        extra.write_text(json.dumps({"id": "x", "documents": [doc]}) + "\n", encoding="utf-8")
        service.ingest(db, [str(extra)], workers=1)
        third = service.get_story(db, top["id"], embedder="tfidf", analyze=False)
        assert not third.cached and third.size == 5
        with pytest.raises(KeyError):
            service.get_story(db, 9999)
        with pytest.raises(KeyError):
            service.get_story(db, "not-an-id")
        for huge in ("99999999999999999999999", 2**63, -1):  # no SQLite integer: unknown
            with pytest.raises(KeyError):
                service.get_story(db, huge)
            with pytest.raises(KeyError):
                service.story_articles(db, huge)


def test_a_cached_report_serves_only_the_embedder_it_was_made_with(db_path, monkeypatch):
    """The cache key held ``embedder`` as given (``None``), so a report made
    under NEWSWEAVE_EMBEDDER=tfidf was served to a later view made with
    another backend (and the other way round)."""
    import newsweave.embed as E

    # the registry is global: restored after the test, later tests list no test backend
    monkeypatch.setattr(E, "_FACTORIES", dict(E._FACTORIES))
    monkeypatch.setattr(E, "_INSTANCES", dict(E._INSTANCES))
    E.register_embedder("test-hashing-64", lambda: E.HashingEmbedder(dim=64))
    with service.open_db(db_path) as db:
        sid = service.list_stories(db)[0]["id"]
        monkeypatch.setenv("NEWSWEAVE_EMBEDDER", "tfidf")
        first = service.get_story(db, sid, analyze=False)
        assert not first.cached and first.report.meta["embedder"] == "tfidf"
        assert service.get_story(db, sid, embedder="TFIDF", analyze=False).cached
        monkeypatch.setenv("NEWSWEAVE_EMBEDDER", "test-hashing-64")
        other = service.get_story(db, sid, analyze=False)
        assert not other.cached  # made again, with that backend
        assert service.get_story(db, sid, embedder="test_hashing_64", analyze=False).cached


def test_story_with_analysis(db_path):
    with service.open_db(db_path) as db:
        sid = service.list_stories(db)[0]["id"]
        story = service.get_story(db, sid, embedder="tfidf", analyze=True)
        assert story.report.analysis is not None
        data = story.to_dict()
        assert data["report"]["schema"] == "newsweave.report/1" and "analysis" in data["report"]


def test_recluster_keeps_story_ids(db_path):
    with service.open_db(db_path) as db:
        before = {r[0]: r[1] for r in db.query("SELECT article, story FROM story_articles")}
        res = service.recluster(db)
        after = {r[0]: r[1] for r in db.query("SELECT article, story FROM story_articles")}
        assert res["articles"] == 12 and res["stories"] == 3
        assert after == before


def test_cli_ingest_stories_story(tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    assert main(["ingest", str(FEEDS / "wire.rss"), str(FEEDS / "city.atom"), "--db", db]) == 0
    assert "stored 5 new articles" in capsys.readouterr().err
    assert main(["stories", "--db", db, "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["size"] == 3 and rows[0]["outlets"] == ["Example Wire", "City Desk"]
    assert rows[0]["first_date"] == "2024-03-04" and rows[0]["last_date"] == "2024-03-06"
    assert main(["stories", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "2024-03-04..2024-03-06" in out and "Harbor Bridge" in out
    sid = str(rows[0]["id"])
    args = ["story", sid, "--db", db, "--embedder", "tfidf", "--no-analyze"]
    assert main([*args, "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["story"]["size"] == 3 and data["summary"]
    schema = load_schema()  # every key is documented (the "story" block was not)
    jsonschema.validate(data, schema)
    assert set(data) <= set(schema["properties"])
    assert main([*args, "-f", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("<!-- story") and "## Sources" in md and "Example Wire" in md
    # the HTML page has the Markdown form's header too (it had none)
    assert main([*args, "-f", "html"]) == 0
    page = capsys.readouterr().out
    head = page[page.index("</h1>") :][:300]
    assert f"Story {sid} · 3 articles · Example Wire, City Desk · 2024-03-04..2024-03-06" in head
    target = tmp_path / "story.md"
    assert main([*args, "-f", "md", "-o", str(target)]) == 0
    assert "wrote" in capsys.readouterr().err and target.read_text() == md
    assert main(["story", "424242", "--db", db]) == 2
    assert "no story" in capsys.readouterr().err
    # plain text has no room for the analysis: not computed by default, refused when asked
    assert main(["story", sid, "--db", db, "--embedder", "tfidf", "-f", "text"]) == 0
    assert "Sources" not in capsys.readouterr().out
    with sqlite3.connect(db) as con:
        stored = [r[0] for r in con.execute("SELECT body FROM reports")]
    assert stored and not any('"analysis"' in r for r in stored)
    assert main(["story", sid, "--db", db, "-f", "text", "--analyze"]) == 2
    assert "no room for the cross-source analysis" in capsys.readouterr().err
    assert main(["stories", "--db", str(tmp_path / "nope.db")]) == 2
    assert not (tmp_path / "nope.db").exists()
    capsys.readouterr()
    for bad in (["--limit", "-1"], ["--min-size", "0"]):
        assert main(["stories", "--db", db, *bad]) == 2
        assert "Invalid value" in capsys.readouterr().err
    assert main(["stories", "--db", db, "--limit", "1", "-f", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_cli_writers_create_no_database_for_a_wrong_path(tmp_path, capsys):
    db = tmp_path / "new.db"
    for cmd in (["ingest"], ["batch", "--scheduler", "synchronous", "--no-summarize"]):
        assert main([*cmd, str(tmp_path / "typo.jsonl"), "--db", str(db)]) == 2
        assert "typo.jsonl: no such file" in capsys.readouterr().err
        assert not db.exists() and not Path(f"{db}.lock").exists()
        assert main([*cmd, str(FEEDS / "wire.rss"), "--db", str(db), "--embedder", "bogus"]) == 2
        err = capsys.readouterr().err
        assert "unknown embedder 'bogus'" in err and "bucket-idf" in err
        assert not db.exists()


def test_cli_writers_create_no_database_for_a_wrong_option_value(tmp_path, capsys):
    """A --threshold, --window, --workers or --scheduler value that cannot work
    used to be refused only after the database file had been created."""
    db = tmp_path / "new.db"
    feed = str(FEEDS / "wire.rss")
    cases = [
        ["ingest", feed, "--threshold", "2"],
        ["ingest", feed, "--window", "-5"],
        ["ingest", feed, "--workers", "0"],
        ["recluster", "--threshold", "nan"],
        ["batch", feed, "--scheduler", "bogus"],
        ["batch", feed, "--scheduler", "local:0"],
        ["batch", feed, "--scheduler", "tcp://127.0.0.1"],
    ]
    for args in cases:
        assert main([*args, "--db", str(db)]) == 2, args
        err = capsys.readouterr().err
        assert "Invalid value" in err or "scheduler" in err, (args, err)
        assert not db.exists() and not Path(f"{db}.lock").exists(), args


def test_cli_writers_remove_a_new_database_when_nothing_could_be_stored(tmp_path, capsys):
    db = tmp_path / "new.db"
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    for cmd in (["ingest"], ["batch", "--scheduler", "synchronous", "--no-summarize"]):
        assert main([*cmd, str(junk), "--db", str(db)]) == 2, cmd
        err = capsys.readouterr().err
        assert err.count("photo.txt: looks like a PNG image") == 1, err  # said once
        left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("new.db"))
        assert left == [], (cmd, left)
    # a database that existed is kept, whatever happens
    assert main(["ingest", str(FEEDS / "wire.rss"), "--db", str(db)]) == 0
    before = db.stat().st_size
    assert main(["ingest", str(junk), "--db", str(db)]) == 2
    capsys.readouterr()
    assert db.exists() and db.stat().st_size >= before
    with service.open_db(db, create=False) as store:
        assert store.scalar("SELECT count(*) FROM articles") > 0


def test_cli_refuses_a_window_or_threshold_that_is_not_a_number(db_path, capsys):
    for cmd in (["recluster"], ["ingest", str(FEEDS / "wire.rss")]):
        for bad in (["--window", "nan"], ["--window", "0"], ["--threshold", "nan"]):
            assert main([*cmd, "--db", str(db_path), *bad]) == 2
            assert "Invalid value" in capsys.readouterr().err
    with service.open_db(db_path) as db:
        assert db.setting("params")["window_days"] == 30.0
        assert db.scalar("SELECT count(*) FROM articles WHERE origin LIKE '%wire.rss%'") == 0


def test_a_story_without_sentences_is_named_in_the_error(tmp_path, capsys):
    notice = tmp_path / "notice.txt"
    notice.write_text("Tweet with a location\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(notice), "--db", db]) == 0
    capsys.readouterr()
    assert main(["story", "1", "--db", db, "--embedder", "tfidf", "--no-analyze"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {db}: story 1: ") and "no sentences" in err
    assert len(err.splitlines()) == 1


def test_search_ignores_case_and_accents_beyond_ascii(tmp_path):
    flood = "Officials said the river rose two metres overnight and residents left. " * 3
    strike = "The union called a strike over pay and the classes were cancelled. " * 3
    docs = [
        {"id": "a", "title": "ZÜRICH flood forces evacuations", "text": flood},
        {"id": "b", "title": "Grève à l'ÉCOLE: teachers walk out", "text": strike},
    ]
    dump = tmp_path / "d.jsonl"
    dump.write_text(json.dumps({"id": "c", "documents": docs}) + "\n", encoding="utf-8")
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(dump)], workers=1)
        titles = lambda q: [r["title"] for r in service.list_stories(db, query=q)]  # noqa: E731
        for q in ("zürich", "Zurich", "ZURICH"):
            assert titles(q) == ["ZÜRICH flood forces evacuations"], q
        for q in ("école", "ecole", "GREVE A L"):
            assert titles(q) == ["Grève à l'ÉCOLE: teachers walk out"], q
        assert titles("zürichs") == [] and service.count_stories(db, query="Ecole") == 1


def test_search_and_page_through_stories(tmp_path, capsys):
    db_path = tmp_path / "s.db"
    with service.open_db(db_path) as db:
        service.ingest(db, [str(FEEDS / "wire.rss"), str(FEEDS / "city.atom")], workers=1)
        every = service.list_stories(db)
        assert service.count_stories(db) == len(every) == 3
        bridge = [r["id"] for r in service.list_stories(db, query="harbor BRIDGE")]
        assert len(bridge) == 2 and service.count_stories(db, query="harbor bridge") == 2
        # an article's title counts too, not only the story's
        inner = db.scalar(
            "SELECT a.title FROM articles a JOIN story_articles sa ON sa.article = a.seq "
            "JOIN stories s ON s.id = sa.story WHERE a.title != s.title LIMIT 1"
        )
        assert inner and service.count_stories(db, query=inner[5:25]) >= 1
        for literal in ("%", "_", "\\"):  # LIKE wildcards are plain characters
            assert service.count_stories(db, query=literal) == 0
        assert service.count_stories(db, query="   ") == 3
        pages = [service.list_stories(db, limit=2, offset=o) for o in (0, 2, 4)]
        assert [r["id"] for p in pages for r in p] == [r["id"] for r in every]
        assert service.count_stories(db, min_size=2) == 1
    assert main(["stories", "--db", str(db_path), "-s", "chess", "-f", "json"]) == 0
    assert [r["title"] for r in json.loads(capsys.readouterr().out)] == [
        "Chess prodigy wins national title"
    ]
    assert main(["stories", "--db", str(db_path), "--search", "no such words"]) == 0
    assert "no story matches 'no such words'" in capsys.readouterr().err


def test_story_length_help_names_auto(capsys):
    # the story command accepts every budget of summarize, auto included
    assert main(["story", "--help"]) == 0
    assert "auto" in capsys.readouterr().out


def test_a_title_on_several_lines_stays_in_its_markdown_table_row(tmp_path, capsys):
    """A story title holding a line break (a dump's "title": "Line one\\nLine
    two") broke 'stories -f md' out of its table row; tabs and line breaks
    are spaces in the table and in the text listing, '|' is escaped."""
    arts = synthetic_articles(1, 2, seed=7)
    docs = [a.to_doc() for a in arts]
    docs[0]["title"], docs[0]["outlet"] = "Line one\nLine two | pipe\tend", "A|B Wire"
    dump = tmp_path / "d.jsonl"
    dump.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(dump), "--db", db, "--embedder", "tfidf"]) == 0
    capsys.readouterr()
    assert main(["stories", "--db", db, "-f", "md"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3  # header, rule, one story
    assert lines[2].endswith("| Line one Line two \\| pipe end |")
    assert "A\\|B Wire" in lines[2] and lines[2].count(" | ") == 4
    assert main(["stories", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith("Line one Line two | pipe end")


def test_an_empty_database_says_there_are_no_stories_yet(tmp_path, db_path, capsys):
    """'stories' on a new database printed a bare table header; it now says
    there are no stories and how to add some (JSON stays an empty list), and
    an unknown story id or a recluster of nothing is a clear exit 2."""
    empty = tmp_path / "new.db"
    service.open_db(empty).close()
    for fmt in ("text", "md"):
        assert main(["stories", "--db", str(empty), "-f", fmt]) == 0
        out = capsys.readouterr()
        assert out.out == "" and "ID" not in out.err
        assert "no stories yet" in out.err and "newsweave ingest" in out.err
    assert main(["stories", "--db", str(empty), "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["story", "7", "--db", str(empty)]) == 2
    assert "no story '7'" in capsys.readouterr().err
    assert main(["recluster", "--db", str(empty)]) == 2
    assert "holds no articles" in capsys.readouterr().err
    # stories exist, none as large as asked: said so, not "no stories yet"
    assert main(["stories", "--db", str(db_path), "--min-size", "50"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and "no story has 50 or more articles (3 stories in all)" in out.err


def test_a_feed_item_edited_by_its_publisher_is_read_once_in_its_newest_version(tmp_path):
    """The same guid with a corrected text is stored as '<guid>~<hash>' (both
    versions kept), but the story report read both as two accounts: the
    outlet counted twice and its own correction showed as a conflict
    ('about 300 residents' vs 'about 450 residents'). The report now reads the
    newest version and names the older one as superseded."""
    feed = tmp_path / "feed.rss"
    original = (FEEDS / "wire.rss").read_text(encoding="utf-8")
    old = "Ferry operators added extra crossings for commuters stranded on the east bank."
    first = original.replace(old, old[:-1] + ", and about 300 residents were evacuated.")
    feed.write_text(first, encoding="utf-8")
    db_path = tmp_path / "s.db"
    with service.open_db(db_path) as db:
        service.ingest(db, [str(feed)], workers=1, embedder="tfidf")
        edited = first.replace("about 300", "about 450").replace(
            "Heavy rain flooded the Harbor Bridge in Port Alden on Monday, and city "
            "engineers closed it to all traffic.",
            "Torrential overnight storms swamped the Harbor Bridge in Port Alden early "
            "Monday, forcing city engineers to shut the span to cars, cyclists and walkers.",
        )
        feed.write_text(edited, encoding="utf-8")
        stats = service.ingest(db, [str(feed)], workers=1, embedder="tfidf")
        assert stats.stored == stats.renamed == 1
        ids = [r[0] for r in db.query("SELECT id FROM articles ORDER BY seq")]
        newer = next(i for i in ids if i.startswith("wire-2024-0304-bridge~"))
        sid = db.scalar(
            "SELECT story FROM story_articles sa JOIN articles a ON a.seq = sa.article "
            "WHERE a.id = ?",
            (newer,),
        )
        story = service.get_story(db, sid, embedder="tfidf", analyze=True)
    listed = {a["id"]: a.get("superseded_by") for a in story.articles}
    assert listed["wire-2024-0304-bridge"] == newer and listed[newer] is None
    assert story.size == len(story.articles) == 3  # both versions stay stored and listed
    read = [a.id for a in story.report.articles]
    assert newer in read and "wire-2024-0304-bridge" not in read
    assert story.report.analysis["stats"]["accounts"] == 2
    assert story.report.analysis["conflicts"] == []  # the correction is no conflict
    assert any("superseded" in w and newer in w for w in story.report.warnings)
    cited = {c.article for s in story.report.summary for c in s.citations}
    assert "wire-2024-0304-bridge" not in cited


def test_a_cached_report_serves_every_spelling_of_its_length(db_path):
    # the default length is 150w: asking for it by name must not make the
    # report again (nor evict the cached one: a story keeps one report)
    with service.open_db(db_path) as db:
        sid = service.list_stories(db)[0]["id"]
        first = service.get_story(db, sid, embedder="tfidf", analyze=False)
        assert not first.cached
        for spelling in ("150w", "150W", " 150 w ", None):
            again = service.get_story(db, sid, length=spelling, embedder="tfidf", analyze=False)
            assert again.cached, spelling
        assert not service.get_story(db, sid, length="5s", embedder="tfidf", analyze=False).cached
        assert not service.get_story(db, sid, length="auto", embedder="tfidf", analyze=False).cached
        assert service.get_story(db, sid, length="AUTO", embedder="tfidf", analyze=False).cached


def test_no_rows_under_search_and_min_size_names_both_filters(db_path, capsys):
    """'-s TITLE --min-size 50' said "no story matches" although stories
    match the search: the size filter is what left none."""
    with service.open_db(db_path) as db:
        word = service.list_stories(db)[0]["title"].split()[0]
    assert main(["stories", "--db", str(db_path), "-s", word, "--min-size", "50"]) == 0
    err = capsys.readouterr().err
    assert f"no story matching {word!r} has 50 or more articles (3 stories in all)" in err
    assert main(["stories", "--db", str(db_path), "-s", "zzzqqq"]) == 0
    assert "no story matches 'zzzqqq'" in capsys.readouterr().err
    assert main(["stories", "--db", str(db_path), "-s", "  ", "--min-size", "50"]) == 0
    assert "no story has 50 or more articles" in capsys.readouterr().err


def test_the_markdown_header_counts_the_outlets_it_does_not_name(tmp_path, capsys):
    """The header of 'story -f md' named the first 8 outlets and dropped
    the others without a word; it now says how many more there are."""
    base = synthetic_articles(1, 1, seed=3)[0]
    dump = tmp_path / "d.jsonl"
    docs = [
        {
            "id": f"o{i}",
            "text": f"{base.text}\n\nUpdate number {i} from outlet {i}.",
            "outlet": f"Outlet {i:02d}",
        }
        for i in range(10)
    ]
    dump.write_text(json.dumps({"id": "c", "documents": docs}) + "\n", encoding="utf-8")
    db = str(tmp_path / "o.db")
    assert main(["ingest", str(dump), "--db", db, "--no-progress"]) == 0
    capsys.readouterr()
    with service.open_db(db) as store:
        row = service.list_stories(store)[0]
    assert len(row["outlets"]) == 10
    args = ["story", str(row["id"]), "--db", db, "--embedder", "tfidf", "--no-analyze"]
    assert main(args) == 0
    header = capsys.readouterr().out.splitlines()[1]
    assert ", ".join(row["outlets"][:8]) + " and 2 more" in header


def test_search_finds_titles_as_listed_despite_invisible_characters(tmp_path):
    """A scraped title with zero-width spaces ('\u200bCNN \u200bis being
    sued', as in Multi-News) or a line break shows as plain words in the
    listing but was not found by those words."""
    texts = [
        "Two paramedics sued the network over an interview aired last year. " * 3,
        "The city council voted to close the old harbour bridge for repairs. " * 3,
    ]
    docs = [
        {"id": "a", "title": "\u200bCNN \u200bis being sued by two EMTs", "text": texts[0]},
        {"id": "b", "title": "Council  closes\nharbour bridge", "text": texts[1]},
    ]
    dump = tmp_path / "d.jsonl"
    dump.write_text(json.dumps({"id": "c", "documents": docs}) + "\n", encoding="utf-8")
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(dump)], workers=1)
        found = lambda q: [r["title"] for r in service.list_stories(db, query=q)]  # noqa: E731
        assert found("cnn is being sued") == [docs[0]["title"]]
        assert found("Council closes harbour") == [docs[1]["title"]]
        assert found("closes harbour bridge") == [docs[1]["title"]]
        assert found("cnn  is") == [docs[0]["title"]]  # the query's spaces too
        assert found("sued by three") == []


def test_story_output_is_headed_by_the_title_stories_lists(tmp_path, capsys):
    """'newsweave story ID' headed its Markdown and HTML with the report's
    headline: for untitled articles the first summary sentence, after
    'recluster' the first article's title; 'stories' lists the story under
    another title. Both now show the story's own title."""
    text = " ".join(synthetic_articles(1, 2, seed=9)[i].text for i in (0, 1))
    docs = [
        {"id": "a", "text": "Opening line of the first report\n\n" + text},
        {"id": "b", "text": "Another opening line\n\n" + text + " Later update."},
    ]
    dump = tmp_path / "d.jsonl"
    dump.write_text(json.dumps({"id": "c", "documents": docs}) + "\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    assert main(["ingest", str(dump), "--db", db, "--no-progress"]) == 0
    assert main(["stories", "--db", db, "-f", "json"]) == 0
    out = capsys.readouterr().out
    (row,) = json.loads(out)
    assert row["title"] == "Opening line of the first report"
    args = ["story", str(row["id"]), "--db", db, "--embedder", "tfidf", "--no-analyze"]
    assert main([*args, "-f", "md"]) == 0
    assert "\n# Opening line of the first report\n" in capsys.readouterr().out
    assert main([*args, "-f", "html"]) == 0
    page = capsys.readouterr().out
    assert "<h1>Opening line of the first report</h1>" in page
    assert "<title>Opening line of the first report" in page


def test_a_report_without_the_analysis_is_served_from_the_one_with_it(db_path):
    """'story ID -f text' (no analysis) made the report again and, as a
    story keeps one report, replaced the one '-f md', the web page and
    '--reports' read: switching formats recomputed it every time."""
    with service.open_db(db_path) as db:
        sid = service.list_stories(db)[0]["id"]
        full = service.get_story(db, sid, embedder="tfidf", analyze=True)
        assert not full.cached and full.report.analysis is not None
        plain = service.get_story(db, sid, embedder="tfidf", analyze=False)
        assert plain.cached and plain.report.analysis is None
        assert plain.report.summary_text == full.report.summary_text
        again = service.get_story(db, sid, embedder="tfidf", analyze=True)
        assert again.cached and again.report.analysis == full.report.analysis
        # the other way round a report without the analysis cannot serve one with it
        other = service.get_story(db, sid, embedder="tfidf", analyze=False, refresh=True)
        assert not other.cached and other.report.analysis is None
        assert not service.get_story(db, sid, embedder="tfidf", analyze=True).cached


def test_a_damaged_index_page_is_a_clear_error_not_an_internal_one(tmp_path, capsys):
    """A database whose content-hash index page is damaged opened fine, and
    the next ingest died reading it with 'internal error: DatabaseError:
    database disk image is malformed' (exit 70), the watch too. It is the
    store's usual error now: one line naming the file, exit 2."""
    db = tmp_path / "d.db"
    assert main(["ingest", str(FEEDS / "wire.rss"), "--db", str(db), "--no-progress"]) == 0
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = con.execute("PRAGMA page_size").fetchone()[0]
        root = con.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles' "
            "AND sql IS NULL ORDER BY rootpage DESC LIMIT 1"  # UNIQUE(content_hash)
        ).fetchone()[0]
    con.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * page : root * page] = b"\xff" * page
    db.write_bytes(bytes(data))
    capsys.readouterr()
    for extra in ([], ["--watch", "0", "--rounds", "1"]):
        args = ["ingest", str(FEEDS / "city.atom"), "--db", str(db), "--no-progress", *extra]
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "d.db: the story database is damaged" in err and "internal error" not in err
