import json

import pytest

from newsweave.cli import SAMPLE_DIR
from newsweave.render import render, shortened, source_numbers


def test_markdown_has_markers_sources_and_evidence(sample_report):
    md = render(sample_report, "md")
    numbers = source_numbers(sample_report)
    assert md.startswith("# ")
    assert "## Sources" in md and "## Evidence" in md
    assert sample_report.summary
    for s in sample_report.summary:
        assert s.text in md
        for c in s.citations:
            assert f"[{numbers[c.article]}]" in md
    assert "Reuters" in md


def test_markdown_counts_one_article_in_the_singular(sample_report, embedder):
    assert "*2 articles, 2 independent accounts, length budget" in render(sample_report, "md")
    from newsweave.pipeline import summarize

    single = summarize([sample_report.articles[0].text], length="2s", embedder=embedder)
    assert "*1 article, 1 independent account, length budget 2s.*" in render(single, "md")


def test_json_follows_schema(sample_report):
    data = json.loads(render(sample_report, "json"))
    assert data["schema"] == "newsweave.report/1"
    assert data["summary_text"] == " ".join(s["text"] for s in data["summary"])
    texts = {a.id: a.text for a in sample_report.articles}
    for s in data["summary"]:
        assert set(s) >= {"text", "citations", "support", "fact", "sentence"}
        for c in s["citations"]:
            assert texts[c["article"]][c["start"] : c["end"]] == c["text"]
    assert {a["id"] for a in data["articles"]} == set(texts)
    assert all({"id", "sentences", "sources", "accounts"} <= set(f) for f in data["facts"])


def test_text_and_jsonl(sample_report):
    text = render(sample_report, "text")
    assert sample_report.summary[0].text in text and "[1]" in text
    row = json.loads(render(sample_report, "jsonl"))
    assert row["summary"] == sample_report.summary_text
    assert "id" in row


def test_jsonl_line_carries_the_analysis_when_it_was_run(sample_report, sample_analysis):
    from dataclasses import replace

    assert "analysis" not in json.loads(render(sample_report, "jsonl"))
    analysed = replace(sample_report, analysis=sample_analysis)
    row = json.loads(render(analysed, "jsonl"))
    assert row["analysis"] == json.loads(json.dumps(sample_analysis))
    assert row["sentences"] == [s.to_dict() for s in sample_report.summary]


def test_unknown_format(sample_report):
    with pytest.raises(ValueError, match="unknown format"):
        render(sample_report, "pdf")


def test_json_validates_against_published_schema(sample_report):
    import jsonschema

    from newsweave.render import load_schema

    jsonschema.validate(json.loads(render(sample_report, "json")), load_schema())


def test_offsets_index_the_file_as_python_reads_it_in_code_points(tmp_path):
    # docs/schema.md: code points of the decoded text, BOM dropped, line ends
    # read as \n; characters (emoji, combining accents) kept as given
    import unicodedata

    from newsweave.ingest import load_inputs
    from newsweave.pipeline import summarize

    seeds = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    paths = []
    for n, (text, bom, nl) in enumerate(
        ((seeds[0], b"", "\r\n"), (seeds[1], b"\xef\xbb\xbf", "\r"))
    ):
        text = text.replace("Ukraine", "Ukraine 😀", 3).replace("Kremlin", "Kremlin café")
        text = unicodedata.normalize("NFD", text)
        path = tmp_path / f"s{n}.txt"
        path.write_bytes(bom + text.replace("\n", nl).encode("utf-8"))
        paths.append(path)
    (cluster,) = load_inputs([str(p) for p in paths])
    report = summarize(cluster.articles, length="8s", embedder="tfidf")
    data = json.loads(render(report, "json"))
    read = {p.stem: p.read_text(encoding="utf-8-sig") for p in paths}
    spans = [c for s in data["summary"] for c in s["citations"]]
    assert len(spans) >= 8 and any("😀" in c["text"] or "\u0301" in c["text"] for c in spans)
    for c in spans:
        assert read[c["article"]][c["start"] : c["end"]] == c["text"]
    assert [a["chars"] for a in data["articles"]] == [len(read[p.stem]) for p in paths]


def test_markdown_evidence_adds_no_quotes_around_a_span_that_opens_with_one():
    """A cited span that opens with a quotation mark printed as '""Unfortunately ...'."""
    from newsweave.pipeline import summarize

    texts = [
        "The bridge over the river closed on Monday after inspectors found deep cracks in "
        "two of its piers. Traffic was diverted through the town centre.",
        '"The bridge over the river closed on Monday after inspectors found cracks in two '
        'of its piers," the mayor said. Repairs will take a month.',
    ]
    report = summarize(texts, length="1s", embedder="tfidf")
    md = render(report, "md")
    spans = [c for s in report.summary for c in s.citations if c.text != s.text]
    assert spans, "the two accounts must share the fact"
    for c in spans:
        line = next(ln for ln in md.splitlines() if f"chars {c.start}–{c.end}" in ln)
        assert line.endswith(f"chars {c.start}–{c.end}: {c.text}")
    assert '""' not in md


def test_headline_skips_the_title_of_an_article_cleaning_left_empty(embedder):
    # Multi-News val-214: a SoundCloud page ("JavaScript is disabled") beside
    # The Hill's story gave the summary its title
    from newsweave.pipeline import summarize
    from newsweave.render import headline

    story = (SAMPLE_DIR / "reuters.txt").read_text()
    junk = {
        "title": "JavaScript is disabled",
        "text": "You need to enable JavaScript to use SoundCloud",
    }
    report = summarize([junk, {"title": "Putin meets governor", "text": story}], embedder=embedder)
    assert headline(report) == "Putin meets governor"
    assert render(report, "md").startswith("# Putin meets governor\n")
    untitled = summarize([junk, {"text": story}], embedder=embedder)
    # no title: the first summary sentence, cut short (all untitled reports
    # were "Story summary", so browser tabs and history looked alike)
    first = untitled.summary[0].text
    assert headline(untitled) == shortened(first) != "Story summary"
    assert headline(untitled).rstrip("…") in " ".join(first.split())
    assert render(untitled, "md").startswith(f"# {headline(untitled)}\n")
    untitled.summary = []
    assert headline(untitled) == "Story summary"


def test_shortened_cuts_at_a_word_and_drops_a_dateline():
    assert shortened("Officials said the bridge will close.") == (
        "Officials said the bridge will close."
    )
    text = "MOSCOW (Reuters) - The Kremlin announced on Monday that forces would return to base."
    assert shortened(text) == "The Kremlin announced on Monday that forces would return to base."
    long = "The city council voted on Tuesday, after a long\nand heated debate, " * 3
    cut = shortened(long, limit=60)
    assert cut == "The city council voted on Tuesday, after a long and heated…"
    assert len(cut) <= 60
