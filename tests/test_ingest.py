"""Reading files, directories, stdin, HTML, JSON(L) and Multi-News raw input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from newsweave.errors import InputError
from newsweave.ingest import (
    all_warnings,
    articles_from_texts,
    is_probably_english,
    load_inputs,
    read_text_bytes,
)

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures"
SAMPLE = ROOT / "newsweave" / "data" / "sample"

ENGLISH = (
    "The city council voted on Tuesday to build a new library in the town centre. "
    "The project will cost about 12 million dollars and should open in two years, "
    "the mayor said after the meeting. Residents have asked for a larger library for "
    "a long time, and the old building was too small for the number of visitors."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, im Zentrum eine neue Bibliothek zu bauen. "
    "Das Projekt wird etwa zwölf Millionen Euro kosten und soll in zwei Jahren eröffnet "
    "werden, sagte der Bürgermeister nach der Sitzung. Die Bürger hatten sich seit langem "
    "eine größere Bibliothek gewünscht, denn das alte Gebäude war zu klein."
)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- good input
def test_plain_files_form_one_story(tmp_path):
    a = write(tmp_path / "one.txt", ENGLISH)
    b = write(tmp_path / "two.txt", "Headline here\n\n" + ENGLISH)
    (cluster,) = load_inputs([str(a), str(b)])
    assert [x.id for x in cluster.articles] == ["one", "two"]
    assert cluster.articles[0].text == ENGLISH
    assert cluster.articles[0].title is None
    assert cluster.articles[1].title == "Headline here"
    assert cluster.articles[0].origin == str(a)
    assert cluster.warnings == []


def test_directory_recursive_sorted_skips_hidden(tmp_path):
    write(tmp_path / "b.txt", ENGLISH)
    write(tmp_path / "sub" / "a.txt", ENGLISH)
    write(tmp_path / ".hidden.txt", ENGLISH)
    write(tmp_path / ".git" / "x.txt", ENGLISH)
    (cluster,) = load_inputs([str(tmp_path)])
    assert [x.id for x in cluster.articles] == ["b", "a"]
    assert cluster.id == tmp_path.name


def test_sample_dir_uses_meta_sidecar():
    (cluster,) = load_inputs([str(SAMPLE)])
    ids = {a.id: a for a in cluster.articles}
    assert set(ids) == {"reuters", "second-outlet"}
    assert ids["reuters"].outlet == "Reuters"
    assert ids["reuters"].date == "2014-05-19"
    assert ids["second-outlet"].title.startswith("US wants")


def test_duplicate_ids_get_suffixes(tmp_path):
    a = write(tmp_path / "x" / "story.txt", ENGLISH)
    b = write(tmp_path / "y" / "story.txt", ENGLISH)
    (cluster,) = load_inputs([str(a), str(b)])
    assert [x.id for x in cluster.articles] == ["story", "story-2"]


def test_stdin_text():
    (cluster,) = load_inputs(["-"], stdin=ENGLISH.encode())
    (art,) = cluster.articles
    assert art.origin == "stdin" and art.text == ENGLISH
    (cluster,) = load_inputs([], stdin=ENGLISH.encode())
    assert cluster.articles[0].origin == "stdin"


def test_crlf_and_bom_are_normalised():
    text, warns = read_text_bytes(b"\xef\xbb\xbfLine one.\r\nLine two.\r\n", "x")
    assert text == "Line one.\nLine two.\n" and warns == []


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


def test_text_starting_with_bracket_is_text(tmp_path):
    p = write(tmp_path / "note.txt", "[Updated] " + ENGLISH)
    (cluster,) = load_inputs([str(p)])
    assert cluster.articles[0].text.startswith("[Updated]")


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


# ----------------------------------------------------------------- bad input
def test_missing_path():
    with pytest.raises(InputError, match=r"nope\.txt: no such file or directory"):
        load_inputs(["nope.txt"])


def test_no_input():
    with pytest.raises(InputError, match="no input given"):
        load_inputs([])


def test_empty_file(tmp_path):
    p = write(tmp_path / "empty.txt", "")
    with pytest.raises(InputError, match=r"empty\.txt: the input is empty"):
        load_inputs([str(p)])


def test_whitespace_only_file(tmp_path):
    p = write(tmp_path / "blank.txt", "  \n\t\n ")
    with pytest.raises(InputError, match=r"blank\.txt: .*only whitespace"):
        load_inputs([str(p)])


def test_binary_file_nul_bytes(tmp_path):
    p = write(tmp_path / "blob.bin", b"abc\x00\x01\x02" * 100)
    with pytest.raises(InputError, match=r"blob\.bin: looks like a binary file"):
        load_inputs([str(p)])


def test_binary_file_known_format(tmp_path):
    p = write(tmp_path / "paper.txt", b"%PDF-1.7\n" + bytes(range(128, 256)) * 10)
    with pytest.raises(InputError, match=r"paper\.txt: looks like a PDF"):
        load_inputs([str(p)])


def test_mostly_control_characters(tmp_path):
    p = write(tmp_path / "ctl.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 50 + b"text")
    with pytest.raises(InputError, match=r"ctl\.txt: looks like a binary file"):
        load_inputs([str(p)])


def test_cp1252_fallback_warns(tmp_path):
    data = ("“Café owners,” the mayor said. " + ENGLISH).encode("cp1252")
    p = write(tmp_path / "old.txt", data)
    (cluster,) = load_inputs([str(p)])
    assert cluster.articles[0].text.startswith("“Café owners,”")
    assert len(cluster.warnings) == 1 and "not valid UTF-8" in cluster.warnings[0]
    assert "old.txt" in cluster.warnings[0]


def test_undecodable_bytes(tmp_path):
    p = write(tmp_path / "junk.txt", bytes(range(128, 256)) * 20)
    with pytest.raises(InputError, match=r"junk\.txt: cannot decode"):
        load_inputs([str(p)])


def test_file_over_limit(tmp_path):
    p = write(tmp_path / "big.txt", ENGLISH * 10)
    with pytest.raises(InputError) as exc:
        load_inputs([str(p)], max_bytes=1000)
    msg = str(exc.value)
    assert "big.txt" in msg and "limit" in msg and "max_bytes" in msg and "--max-bytes" in msg
    with pytest.raises(InputError, match="stdin: .*limit"):
        load_inputs(["-"], stdin=b"x" * 2000, max_bytes=1000)


def test_malformed_html_does_not_crash(tmp_path):
    p = write(tmp_path / "broken.html", "<html><body><div><script>x()</div></span></body><<")
    with pytest.raises(InputError, match=r"broken\.html: no article text"):
        load_inputs([str(p)])
    p = write(tmp_path / "messy.html", "<html><body><p>" + ENGLISH + "<div></span></table>")
    (cluster,) = load_inputs([str(p)])
    assert "new library" in cluster.articles[0].text


def test_non_english_file(tmp_path):
    p = write(tmp_path / "de.txt", GERMAN)
    with pytest.raises(InputError, match=r"de\.txt: text appears not to be English"):
        load_inputs([str(p)])
    (cluster,) = load_inputs([str(p)], check_language=False)
    assert cluster.articles[0].text == GERMAN


def test_directory_skips_bad_files_with_warnings(tmp_path):
    write(tmp_path / "good.txt", ENGLISH)
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "de.txt", GERMAN)
    write(tmp_path / "img.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    (cluster,) = load_inputs([str(tmp_path)])
    assert [a.id for a in cluster.articles] == ["good"]
    text = "\n".join(cluster.warnings)
    for name in ("empty.txt", "de.txt", "img.png"):
        assert name in text
    assert len(cluster.warnings) == 3


def test_directory_without_readable_files(tmp_path):
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blob.bin", b"\x00\x01" * 10)
    with pytest.raises(InputError, match="directory has no readable articles"):
        load_inputs([str(tmp_path)])
    empty = tmp_path / "nothing"
    empty.mkdir()
    with pytest.raises(InputError, match="nothing: directory has no readable articles"):
        load_inputs([str(empty)])


# -------------------------------------------------------------- English check
def test_is_probably_english():
    assert is_probably_english(ENGLISH)
    assert not is_probably_english(GERMAN)
    assert not is_probably_english(
        "Le président de la République a annoncé lundi une série de mesures pour soutenir "
        "le pouvoir d'achat des ménages. Les syndicats ont salué ces annonces mais demandent "
        "davantage de garanties sur les salaires et les retraites dans les mois à venir."
    )
    assert not is_probably_english("Президент России Владимир Путин приказал войскам " * 5)
    # permissive for short texts and names
    assert is_probably_english("Angela Merkel")
    assert is_probably_english("Der Spiegel: Merkel visits Washington")
    # lists of names and titles are still English enough
    assert is_probably_english(" ".join(["Director - Ryan Martin and the crew of the show"] * 5))


def test_all_shared_documents_pass_language_check():
    data = ROOT.parent / "shared" / "data"
    if not data.exists():
        pytest.skip("shared data not available")
    for path in sorted(data.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            for doc in json.loads(line)["documents"]:
                assert is_probably_english(doc["text"]), (path.name, doc["id"])


# ----------------------------------------------------------------- scale
def test_load_300_articles(tmp_path):
    for i in range(300):
        write(tmp_path / f"art{i:03d}.txt", f"Story {i}.\n\n" + ENGLISH)
    start = time.perf_counter()
    (cluster,) = load_inputs([str(tmp_path)])
    elapsed = time.perf_counter() - start
    assert len(cluster.articles) == 300
    assert len({a.id for a in cluster.articles}) == 300
    assert elapsed < 5
