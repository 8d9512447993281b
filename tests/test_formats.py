"""Format recognition and parsing: HTML, JSON, JSONL, Multi-News raw, plain text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_ingest import ENGLISH, FIX, GERMAN, ROOT, write

from newsweave.errors import InputError
from newsweave.formats import articles_from_texts, parse_input
from newsweave.ingest import all_warnings, load_inputs


# ------------------------------------------------------------- parse_input
def test_parse_input_plain_text_joins_the_story():
    got = parse_input("Headline here\n\n" + ENGLISH, "x.txt", Path("x.txt"), ["w"])
    (art,) = got.story
    assert (art.id, art.title, art.origin) == ("x", "Headline here", "x.txt")
    assert got.warnings == ["w"] and got.clusters == [] and got.sidecar is None


@pytest.mark.parametrize(
    "first",
    # Multi-News first lines cleaning drops (val-214, val-063, val-019, val-003)
    [
        "JavaScript is disabled",
        "Published on May 3, 2015",
        "Photo: KUVP archives",
        "share tweet pin email",
    ],
)
def test_a_first_line_that_is_boilerplate_is_not_the_title(first):
    (art,) = parse_input(first + "\n\n" + ENGLISH, "x.txt", Path("x.txt"), []).story
    assert art.title is None
    assert art.text.startswith(first)  # still read, and listed as removed by cleaning


def test_parse_input_batch_puts_warnings_on_first_cluster():
    line = json.dumps({"id": "c", "documents": [{"text": ENGLISH}]})
    got = parse_input(line + "\n" + line, "b.jsonl", Path("b.jsonl"), ["decoded as Latin-1"])
    assert got.story == [] and [c.id for c in got.clusters] == ["c", "c"]
    assert got.clusters[0].warnings == ["decoded as Latin-1"] and got.clusters[1].warnings == []


def test_parse_input_sidecar_only_from_a_file():
    meta = json.dumps({"a.txt": {"title": "T", "outlet": "O"}, "_about": "x"})
    got = parse_input(meta, "meta.json", Path("meta.json"), [])
    assert got.sidecar == {"a.txt": {"title": "T", "outlet": "O"}, "_about": "x"}
    assert got.story == [] and got.clusters == []
    with pytest.raises(InputError, match="stdin: unrecognised JSON layout"):
        parse_input(meta, "stdin", None, [])


def test_parse_input_language_check_can_be_off():
    with pytest.raises(InputError, match="de.txt: text appears not to be English"):
        parse_input(GERMAN, "de.txt", Path("de.txt"), [])
    got = parse_input(GERMAN, "de.txt", Path("de.txt"), [], check_language=False)
    assert got.story[0].text == GERMAN


# -------------------------------------------------------------------- HTML
def test_html_extraction():
    (cluster,) = load_inputs([str(FIX / "page.html")])
    (art,) = cluster.articles
    assert art.title == "Storm floods coastal town"
    assert art.outlet == "The Daily Gazette"
    assert art.url == "https://gazette.example.com/2021/03/04/storm-floods-town"
    assert art.date == "2021-03-04"
    assert "forcing hundreds of residents" in art.text
    assert "Sport" not in art.text  # navigation dropped by extraction


def test_html_sniffed_without_extension(tmp_path):
    html = (FIX / "page.html").read_text()
    p = write(tmp_path / "download", html)
    (cluster,) = load_inputs([str(p)])
    assert cluster.articles[0].outlet == "The Daily Gazette"


def test_html_fragment_is_html(tmp_path):
    p = write(tmp_path / "frag", "<p>" + ENGLISH + "</p><p>" + ENGLISH + "</p>")
    (cluster,) = load_inputs([str(p)])
    assert "<p>" not in cluster.articles[0].text and "new library" in cluster.articles[0].text


def test_xml_feed_is_rejected(tmp_path):
    p = write(tmp_path / "feed.xml", '<?xml version="1.0"?><rss><channel></channel></rss>')
    with pytest.raises(InputError, match=r"feed\.xml: looks like an XML/RSS feed"):
        load_inputs([str(p)])


def test_a_feed_whose_entries_hold_html_is_named_a_feed(tmp_path):
    """An RSS item with <p> in its content was taken for an HTML page:
    "no article text could be extracted from the HTML"."""
    feed = (FIX / "feeds" / "wire.rss").read_text()
    assert "<p>" in feed[:2000]
    for name in ("wire.rss", "wire.xml", "wire"):
        p = write(tmp_path / name, feed)
        with pytest.raises(InputError, match=r"looks like an XML/RSS feed.*newsweave ingest"):
            load_inputs([str(p)])
    xhtml = '<?xml version="1.0"?>\n<html><body><p>' + ENGLISH + "</p></body></html>"
    (cluster,) = load_inputs([str(write(tmp_path / "page.xml", xhtml))])
    assert "new library" in cluster.articles[0].text


# ------------------------------------------------------------------- JSON(L)
def test_jsonl_batch_with_bad_line():
    clusters = load_inputs([str(FIX / "batch.jsonl")])
    assert [c.id for c in clusters] == ["fire", "vote"]
    fire, vote = clusters
    assert fire.references == ["A warehouse fire in the port district injured no one."]
    assert fire.articles[0].title == "Warehouse fire"
    d2 = fire.articles[1]
    assert (d2.outlet, d2.url, d2.date) == (
        "Port Herald",
        "https://herald.example.com/fire",
        "2020-01-05",
    )
    assert d2.origin.endswith("batch.jsonl:1#2")
    assert [a.id for a in vote.articles] == ["a1", "a2"]
    assert vote.query == "What did the council decide?"
    warns = all_warnings(clusters)
    assert len(warns) == 1 and "batch.jsonl:2" in warns[0] and "not valid JSON" in warns[0]


def test_jsonl_all_lines_bad(tmp_path):
    p = write(tmp_path / "bad.jsonl", '{"id": 1,\n{"documents": []}\nnot json\n')
    with pytest.raises(InputError) as exc:
        load_inputs([str(p)])
    msg = str(exc.value)
    assert "bad.jsonl" in msg and "no usable lines" in msg and "bad.jsonl:1" in msg


def test_jsonl_skips_bad_document_with_warning(tmp_path):
    line = {"id": "c", "documents": [{"id": "x", "text": ""}, {"id": "y", "text": ENGLISH}]}
    p = write(tmp_path / "c.jsonl", json.dumps(line) + "\n" + json.dumps(line) + "\n")
    clusters = load_inputs([str(p)])
    assert [a.id for a in clusters[0].articles] == ["y"]
    assert any("c.jsonl:1#1" in w and "empty" in w for w in clusters[0].warnings)


def test_jsonl_from_shared_data_if_present():
    path = ROOT.parent / "shared" / "data" / "tac2011_multiling_en.jsonl"
    if not path.exists():
        pytest.skip("shared data not available")
    clusters = load_inputs([str(path)])
    assert len(clusters) == 10 and all(len(c.articles) == 10 for c in clusters)
    assert all(c.references for c in clusters)


def test_json_object_forms(tmp_path):
    obj = {"id": "s1", "documents": [{"text": ENGLISH}, {"text": ENGLISH, "id": "k"}]}
    p = write(tmp_path / "one.json", json.dumps(obj))
    (cluster,) = load_inputs([str(p)])
    assert cluster.id == "s1" and [a.id for a in cluster.articles] == ["a1", "k"]
    p2 = write(tmp_path / "two.json", json.dumps({"articles": [{"text": ENGLISH, "title": "T"}]}))
    (cluster,) = load_inputs([str(p2)])
    assert cluster.id == "two" and cluster.articles[0].title == "T"
    p3 = write(tmp_path / "art.json", json.dumps({"text": ENGLISH, "outlet": "Wire"}))
    p4 = write(tmp_path / "plain.txt", ENGLISH)
    (cluster,) = load_inputs([str(p3), str(p4)])  # single articles join the story
    assert [a.id for a in cluster.articles] == ["art", "plain"]
    assert cluster.articles[0].outlet == "Wire"


def test_json_bad(tmp_path):
    p = write(tmp_path / "x.json", '{"documents": [')
    with pytest.raises(InputError, match=r"x\.json: not valid JSON"):
        load_inputs([str(p)])
    p = write(tmp_path / "y.json", '{"foo": 1}')
    with pytest.raises(InputError, match=r"y\.json: unrecognised JSON layout"):
        load_inputs([str(p)])
    for i, body in enumerate(['"just a string"', "42", "null", "true", "[]", "{}"]):
        p = write(tmp_path / f"scalar{i}.json", body)
        with pytest.raises(InputError, match=rf"scalar{i}\.json: unrecognised JSON layout"):
            load_inputs([str(p)])


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"text": 5}', "the document's 'text' must be a string, not a number"),
        ('{"text": ["a"]}', "the document's 'text' must be a string, not a list"),
        ('{"documents": 5}', "'documents' must be a non-empty list of documents, not a number"),
        ('{"documents": []}', "'documents' must be a non-empty list of documents, not an empty"),
        ('{"articles": {}}', "'articles' must be a non-empty list of documents, not an object"),
        ('{"documents": [{"text": null}]}', "no usable documents .skipped .*'text' must be a str"),
        ('{"documents": [{"body": false}]}', "no usable documents .skipped .*'body' must be a str"),
        ('{"documents": [{"title": "T"}]}', "no usable documents .skipped .*has no 'text' string"),
        # a reference that is not text would be scored as the words "None" or "5"
        (
            '{"documents": [{"text": "Officials said the bridge will close on Monday."}], '
            '"references": [null]}',
            "every reference must be a string, not null",
        ),
    ],
)
def test_json_fields_of_the_wrong_type_are_named(tmp_path, body, reason):
    p = write(tmp_path / "x.json", body)
    with pytest.raises(InputError, match=rf"/x\.json(#1)?: {reason}"):
        load_inputs([str(p)])


def test_json_nested_too_deeply_is_refused_not_a_crash(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    p = write(tmp_path / "deep.json", deep)
    with pytest.raises(InputError, match=r"deep\.json: JSON nested too deeply"):
        load_inputs([str(p)])
    good = json.dumps({"id": "ok", "documents": [{"id": "a", "text": ENGLISH}]})
    p = write(tmp_path / "deep.jsonl", good + "\n" + '{"id": "x", "documents": ' + deep + "}\n")
    (cluster,) = load_inputs([str(p)])  # the deep line is a warning; the good one is read
    assert cluster.id == "ok"
    assert any("deep.jsonl:2" in w and "nested too deeply" in w for w in all_warnings([cluster]))


def test_unpaired_surrogate_escapes_are_read_as_replacement_characters(tmp_path):
    """Half of a cut emoji ("\\ud83d") is no character and cannot be written as
    UTF-8 (it crashed every output and the story database): U+FFFD, warned."""
    from newsweave.pipeline import summarize
    from newsweave.render import render

    text = ENGLISH.replace("library", "library \ud83d", 1)
    doc = {"id": "a\udc00", "title": "Cut \ud83d", "text": text}
    line = json.dumps({"id": "c", "documents": [doc, {"id": "b", "text": ENGLISH}]})
    p = write(tmp_path / "s.jsonl", line + "\n" + line.replace('"c"', '"d"') + "\n")
    clusters = load_inputs([str(p)])
    a = clusters[0].articles[0]
    assert (a.id, a.title) == ("a\ufffd", "Cut \ufffd")
    assert a.text == ENGLISH.replace("library", "library \ufffd", 1)  # one code point for one
    assert all_warnings(clusters) == [
        f"{p}:{n}: 3 unpaired surrogate escapes (\\ud800-\\udfff, e.g. half of an emoji) "
        "read as the replacement character U+FFFD"
        for n in (1, 2)
    ]
    single = write(tmp_path / "one.json", json.dumps(doc))
    (cluster,) = load_inputs([str(single)])
    assert "one.json: 3 unpaired surrogate escapes" in cluster.warnings[0]
    report = summarize(cluster.articles, length="2s", embedder="tfidf")
    for fmt in ("md", "json", "html"):
        render(report, fmt).encode("utf-8")
    paired = write(tmp_path / "emoji.json", json.dumps({"text": ENGLISH + " \U0001f600"}))
    (cluster,) = load_inputs([str(paired)])  # an escaped pair is one character: no warning
    assert cluster.articles[0].text.endswith("\U0001f600") and not cluster.warnings


def test_text_starting_with_bracket_is_text(tmp_path):
    p = write(tmp_path / "note.txt", "[Updated] " + ENGLISH)
    (cluster,) = load_inputs([str(p)])
    assert cluster.articles[0].text.startswith("[Updated]")


# ------------------------------------------------------------- Multi-News
def test_multinews_raw_single_line():
    (cluster,) = load_inputs([str(FIX / "multinews_raw.txt")])
    a, b = cluster.articles
    assert (a.id, b.id) == ("multinews_raw-1", "multinews_raw-2")
    assert "NEWLINE_CHAR" not in a.text and "\n" in a.text
    assert a.text.startswith("Dam repair finished early")
    assert b.origin.endswith("multinews_raw.txt#2")


def test_multinews_raw_many_lines_are_clusters(tmp_path):
    line = "First story text is here. NEWLINE_CHAR More. ||||| " + ENGLISH
    p = write(tmp_path / "test.src", line + "\n" + line + "\n")
    clusters = load_inputs([str(p)])
    assert [c.id for c in clusters] == ["test:1", "test:2"]
    assert len(clusters[0].articles) == 2


# ------------------------------------------------------------------- API
def test_articles_from_texts():
    arts = articles_from_texts([ENGLISH, ENGLISH])
    assert [a.id for a in arts] == ["a1", "a2"]
    arts = articles_from_texts(
        [
            {"text": ENGLISH, "id": "x", "title": "T", "outlet": "O", "url": "u", "date": "d"},
            {"text": ENGLISH, "id": "x"},
        ]
    )
    assert [a.id for a in arts] == ["x", "x-2"]
    assert (arts[0].title, arts[0].outlet, arts[0].url, arts[0].date) == ("T", "O", "u", "d")
    with pytest.raises(InputError, match="article 2: document text is empty"):
        articles_from_texts([ENGLISH, "   "])
    with pytest.raises(InputError, match="article 1: .*not to be English"):
        articles_from_texts([GERMAN])
    with pytest.raises(InputError, match="no articles"):
        articles_from_texts([])


def test_a_lone_surrogate_in_an_api_text_is_named_not_carried_to_the_output():
    # a Python string can hold a lone surrogate (half of an emoji pair): it was
    # summarised, and the first output holding it (the HTML page, a summary
    # sentence, the story database) failed with exit 70. (From a JSON file's
    # "\\ud83d" escape it is read as U+FFFD with a warning: load_json.)
    bad = ENGLISH.replace("library", "library \ud83d", 1)
    with pytest.raises(InputError, match=r"^article 1: the text holds a lone surrogate \\ud83d"):
        articles_from_texts([bad, ENGLISH])
    with pytest.raises(InputError, match=r"^article 1: the 'title' holds a lone surrogate"):
        articles_from_texts([{"text": ENGLISH, "title": "A \udc00 title"}])
    ok = "officials \U0001f600 said"  # a whole pair is one character, accepted
    assert articles_from_texts([ENGLISH + ok])[0].text.endswith(ok)


def test_nul_characters_in_a_text_are_refused_as_in_a_file(tmp_path):
    # a file with NUL bytes is refused as binary, but a JSON "\\u0000" or an API
    # string holding one was kept (and printed) or, a UTF-16 text read as single
    # bytes ("T\\0h\\0e\\0"), refused as "not English": the message now says why
    nul = "The mayor said on Monday that the bridge will close.\x00 More text here."
    with pytest.raises(
        InputError, match=r"^article 1: the text holds NUL characters .*at character 52"
    ):
        articles_from_texts([nul, ENGLISH])
    wide = "\x00".join(ENGLISH) + "\x00"
    with pytest.raises(InputError, match=r"^article 2: the text holds NUL characters"):
        articles_from_texts([ENGLISH, wide])
    p = write(tmp_path / "x.json", json.dumps([{"text": nul}, {"text": ENGLISH}]))
    with pytest.raises(InputError, match=r"x\.json\[0\]: the text holds NUL characters"):
        load_inputs([str(p)])
    p = write(tmp_path / "a.txt", nul.encode())
    with pytest.raises(
        InputError, match=r"a\.txt: looks like a binary file \(contains NUL bytes\)"
    ):
        load_inputs([str(p)])


@pytest.mark.parametrize("key", ["title", "outlet", "url", "date", "id"])
def test_a_nul_in_an_articles_metadata_is_refused_like_one_in_its_text(tmp_path, key):
    # only the text was held to the rule: a "\\u0000" in a title, outlet, url,
    # date or id (JSON, the API, the web form) was carried to the output
    with pytest.raises(
        InputError, match=rf"^article 2: the '{key}' holds NUL characters .*at character 1\),"
    ):
        articles_from_texts([ENGLISH, {"text": ENGLISH, key: "x\x00y"}])
    p = write(tmp_path / "x.json", json.dumps([{"text": ENGLISH, key: "x\x00y"}]))
    with pytest.raises(InputError, match=rf"x\.json\[0\]: the '{key}' holds NUL characters"):
        load_inputs([str(p)])
    dump = write(tmp_path / "d.jsonl", json.dumps({"text": ENGLISH, key: "\x00"}) + "\n")
    with pytest.raises(InputError, match=rf"d\.jsonl:1: the '{key}' holds NUL characters"):
        load_inputs([str(dump)])


@pytest.mark.parametrize(
    "key, value, kind",
    [("title", ["a"], "a list"), ("outlet", {"n": 1}, "an object"), ("id", True, "a boolean")],
)
def test_a_list_object_or_boolean_as_metadata_is_refused_not_stored_as_python(
    tmp_path, key, value, kind
):
    # "title": ["a"] was stored as the text "['a']" without a word
    with pytest.raises(
        InputError, match=rf"^article 1: the document's '{key}' must be a string, not {kind}$"
    ):
        articles_from_texts([{"text": ENGLISH, key: value}, ENGLISH])
    dump = write(tmp_path / "d.jsonl", json.dumps({"text": ENGLISH, key: value}) + "\n")
    with pytest.raises(InputError, match=rf"d\.jsonl:1: the document's '{key}' must be a string"):
        load_inputs([str(dump)])


def test_numbers_as_metadata_are_kept_as_written():
    arts = articles_from_texts([{"text": ENGLISH, "id": 7, "date": 2014, "title": 3.5}])
    assert (arts[0].id, arts[0].date, arts[0].title) == ("7", "2014", "3.5")


@pytest.mark.parametrize(
    "junk", ["\x01\x02\x03\x04", "!!! ??? ... --", "\U0001f600\U0001f600 \U0001f389"]
)
def test_a_text_with_no_letter_or_digit_is_refused_like_an_empty_one(tmp_path, junk):
    # it was accepted and became an article with no sentence, only a warning
    with pytest.raises(InputError, match=r"^article 2: the text holds no letters or digits"):
        articles_from_texts([ENGLISH, junk])
    p = write(tmp_path / "x.json", json.dumps([{"text": ENGLISH}, {"text": junk}]))
    with pytest.raises(InputError, match=r"x\.json\[1\]: the text holds no letters or digits"):
        load_inputs([str(p)])
    p = write(tmp_path / "d" / "junk.txt", junk)
    with pytest.raises(InputError, match=r"junk\.txt: the text holds no letters or digits"):
        load_inputs([str(p)])
    write(tmp_path / "d" / "good.txt", ENGLISH)
    (cluster,) = load_inputs([str(tmp_path / "d")])  # in a folder: skipped, like an empty file
    assert [a.id for a in cluster.articles] == ["good"]
    assert any("skipped" in w and "junk.txt" in w for w in cluster.warnings)


def test_line_ends_of_json_and_api_texts_are_read_as_in_files(tmp_path):
    # a JSON document or API string with CR (classic Mac) or CRLF line ends is
    # read like the same text in a file: one line per line, so a photo caption
    # on its own line is recognised as boilerplate instead of joining a sentence
    from newsweave.clean import clean_article

    caption = "Officials meet at the city hall in Zurich, May 13, 2014. REUTERS/Arnd Wiegmann"
    text = caption + "\n\n" + ENGLISH + "\n"
    p = write(tmp_path / "a.txt", text.replace("\n", "\r"))
    (from_file,) = load_inputs([str(p)])[0].articles
    for sep in ("\r", "\r\n"):
        (art,) = articles_from_texts([text.replace("\n", sep)])
        assert art.text == from_file.text == text
        line = json.dumps({"id": "c", "documents": [{"id": "d", "text": text.replace("\n", sep)}]})
        (cluster,) = parse_input(line + "\n", "b.jsonl", Path("b.jsonl"), []).clusters
        assert cluster.articles[0].text == text
    assert clean_article(art).removed == [(0, len(caption), "caption")]


def test_malformed_html_does_not_crash(tmp_path):
    p = write(tmp_path / "broken.html", "<html><body><div><script>x()</div></span></body><<")
    with pytest.raises(InputError, match=r"broken\.html: no article text"):
        load_inputs([str(p)])
    p = write(tmp_path / "messy.html", "<html><body><p>" + ENGLISH + "<div></span></table>")
    (cluster,) = load_inputs([str(p)])
    assert "new library" in cluster.articles[0].text


def test_a_jsonl_dump_of_one_article_per_line_is_one_story():
    lines = [
        json.dumps({"id": "apw1", "text": ENGLISH, "title": "T", "outlet": "AP"}),
        json.dumps({"text": ENGLISH + " Later."}),
        "{not json",
        json.dumps({"id": "c", "documents": [{"text": ENGLISH}]}),
        json.dumps({"id": "de", "text": GERMAN}),
        "",
    ]
    got = parse_input("\n".join(lines), "d.jsonl", Path("d.jsonl"), ["w"])
    assert got.clusters == []
    assert [(a.id, a.title, a.outlet, a.origin) for a in got.story] == [
        ("apw1", "T", "AP", "d.jsonl:1"),
        ("d:2", None, None, "d.jsonl:2"),  # no id: named after its line
    ]
    # nothing dropped silently: each other line is named with its reason
    assert got.warnings[0] == "w"
    skipped = got.warnings[1:]
    assert [w.split(":")[1] for w in skipped] == ["3", "4", "5"]
    assert "not valid JSON" in skipped[0]
    assert "a cluster line in a dump of one article per line" in skipped[1]
    assert "not to be English" in skipped[2]


def test_an_article_line_in_a_dump_of_clusters_is_named_as_such():
    # it was skipped as "no 'documents' list (or it is empty)"
    lines = [
        json.dumps({"id": "c", "documents": [{"text": ENGLISH}]}),
        json.dumps({"id": "a", "text": ENGLISH + " Later."}),
    ]
    got = parse_input("\n".join(lines), "d.jsonl", Path("d.jsonl"), [])
    assert [c.id for c in got.clusters] == ["c"]
    assert got.clusters[0].warnings == ["skipped d.jsonl:2: an article line in a dump of clusters"]


def test_a_dump_of_articles_with_no_usable_line_is_refused():
    bad = json.dumps({"text": "   "}) + "\n" + json.dumps({"text": 3})
    with pytest.raises(InputError, match=r"d\.jsonl: no usable lines \(d\.jsonl:1: .*empty"):
        parse_input(bad, "d.jsonl", Path("d.jsonl"), [])


def test_load_inputs_reads_an_article_dump_as_one_story(tmp_path):
    dump = tmp_path / "wire.jsonl"
    dump.write_text(
        "\n".join(json.dumps({"id": f"x{i}", "text": ENGLISH}) for i in range(3)), encoding="utf-8"
    )
    (cluster,) = load_inputs([str(dump)])
    assert cluster.id == "wire" and [a.id for a in cluster.articles] == ["x0", "x1", "x2"]
    dump.write_text(json.dumps({"id": "b", "body": ENGLISH}), encoding="utf-8")  # "body" too
    assert [a.id for a in load_inputs([str(dump)])[0].articles] == ["b"]


def test_newsweave_reports_left_in_a_folder_are_not_read_back_as_articles(tmp_path, capsys):
    """'summarize dir/ -o dir/report.md' then 'summarize dir/' read the report
    as a third article (an 'independent account' repeating the summary); a
    JSON report was skipped with a puzzling "document has no 'text' string".
    Every format newsweave writes is now skipped with a warning saying what
    it is, and refused when named alone."""
    from newsweave.cli import main

    story = tmp_path / "story"
    story.mkdir()
    for n in (1, 2):
        write(story / f"a{n}.txt", f"Report {n}.\n\n" + ENGLISH)
    for fmt, name in [("md", "r.md"), ("json", "r.json"), ("html", "r.html"), ("jsonl", "r.jsonl")]:
        args = ["summarize", str(story / "a1.txt"), str(story / "a2.txt"), "-f", fmt]
        assert main([*args, "--embedder", "tfidf", "-o", str(story / name)]) == 0
    capsys.readouterr()
    (cluster,) = load_inputs([str(story)])
    assert sorted(a.id for a in cluster.articles) == ["a1", "a2"]
    skipped = sorted(w.split(":")[0] for w in cluster.warnings)
    assert skipped == [f"skipped {story / n}" for n in ("r.html", "r.json", "r.jsonl", "r.md")]
    assert all("a newsweave report (the output of a summary)" in w for w in cluster.warnings)
    with pytest.raises(InputError, match=r"r\.md: a newsweave report"):
        load_inputs([str(story / "r.md")])
    # a data set's cluster with a reference "summary" string is still a cluster
    line = {"id": "c", "articles": [{"text": ENGLISH}], "summary": "Ref.", "meta": {}}
    (c,) = parse_input(json.dumps(line), "d.json", Path("d.json"), []).clusters
    assert c.references == ["Ref."]
