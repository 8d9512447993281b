"""A story is a set of articles: the order they are given in changes nothing
but the sources' numbers (newsweave.canonical, docs/schema.md)."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
from pathlib import Path

import pytest

from newsweave.canonical import canonical_order, canonical_rank, content_key
from newsweave.embed import get_embedder
from newsweave.pipeline import prepare, summarize
from newsweave.records import Article
from newsweave.render import render

SAMPLE = Path(__file__).resolve().parents[1] / "newsweave" / "data" / "sample"


def _story() -> list[Article]:
    """The bundled sample story (two outlets), a wire copy of one of them and
    a shorter account made of the other's first paragraphs."""
    from newsweave.ingest import load_inputs

    (cluster,) = load_inputs([str(SAMPLE)])
    arts = {a.id: a for a in cluster.articles}
    reuters, other = arts["reuters"], arts["second-outlet"]
    paragraphs = other.text.split("\n\n")
    return [
        reuters,
        other,
        Article("copy", "MOSCOW (Reuters) wire copy\n\n" + reuters.text, outlet="Wire"),
        Article("short", "\n\n".join(paragraphs[:6]), outlet="Short", date=other.date),
    ]


def _in_order(arts: list[Article], order) -> list[Article]:
    return copy.deepcopy([arts[i] for i in order])


def _summary_key(report) -> dict:
    """What must not depend on the order: spans, facts, ids, representatives."""
    return {
        "summary": [(s.sentence, s.fact, s.support, s.text) for s in report.summary],
        "cited": [sorted((c.article, c.start, c.end) for c in s.citations) for s in report.summary],
        "facts": [f.to_dict() for f in report.facts],
        "duplicate_of": sorted((a.id, a.duplicate_of or "") for a in report.articles),
        "sentences": sorted((s.id, s.start, s.end) for s in report.sentences),
    }


def test_canonical_order_is_the_same_for_any_order():
    arts = _story()
    want = [a.id for a in canonical_order(arts)]
    for perm in itertools.permutations(arts):
        assert [a.id for a in canonical_order(perm)] == want
    assert canonical_rank(arts) == {i: r for r, i in enumerate(want)}
    # same text: the metadata, then the id, decide
    twins = [Article("b", "Same text."), Article("a", "Same text.")]
    assert [a.id for a in canonical_order(twins)] == ["a", "b"]
    assert content_key(Article("x", "\ud800 lone surrogate"))  # any str hashes


def test_summary_is_the_same_for_every_order_of_the_articles():
    arts = _story()
    tfidf = get_embedder("tfidf")
    keys, firsts = [], set()
    for order in itertools.permutations(range(len(arts))):
        report = summarize(_in_order(arts, order), length="120w", embedder=tfidf)
        keys.append(_summary_key(report))
        # the user's order numbers the sources...
        assert [a.id for a in report.articles] == [arts[i].id for i in order]
        number = {a.id: n for n, a in enumerate(report.articles)}
        for s in report.summary:
            assert s.citations[0].text == s.text
            rest = [number[c.article] for c in s.citations[1:]]
            assert rest == sorted(rest)  # ... and lists the other citations
        firsts.add(json.dumps(keys[-1], sort_keys=True))
    assert len(firsts) == 1, "the summary depends on the order of the articles"
    key = keys[0]
    assert len(key["summary"]) >= 3
    # the wire copy and its original are one account, whose representative is
    # the fuller copy whatever the order
    assert ("reuters", "copy") in key["duplicate_of"]
    assert any(len(cited) > 1 for cited in key["cited"])


def test_whitespace_around_the_text_does_not_reorder_the_articles():
    """A file ends with a newline, the same article in JSON does not: both
    sort alike, so `summarize folder/` and `summarize story.json` agree."""
    arts = _story()
    text = arts[0].text
    for other in (text + "\n", text.replace("\n\n", " \n\n\n")):
        assert content_key(arts[0]) == content_key(dataclasses.replace(arts[0], text=other))
    tfidf = get_embedder("tfidf")
    plain = summarize(copy.deepcopy(arts), length="120w", embedder=tfidf)
    files = copy.deepcopy(arts)
    for a in files:
        a.text += "\n"
    assert [a.id for a in canonical_order(files)] == [a.id for a in canonical_order(arts)]
    from_files = summarize(files, length="120w", embedder=tfidf)
    assert _summary_key(from_files) == _summary_key(plain)


def test_markdown_numbers_the_sources_in_the_order_given():
    arts = _story()
    tfidf = get_embedder("tfidf")
    md = render(summarize(_in_order(arts, [3, 2, 1, 0]), length="80w", embedder=tfidf), "md")
    sources = md.split("## Sources", 1)[1].split("## Evidence", 1)[0]
    assert sources.index("1. Short") < sources.index("2. Wire") < sources.index("4. Reuters")


def _analysis_key(a: dict) -> str:
    a = copy.deepcopy(a)
    a.pop("sources")  # listed (and numbered) in the order given
    a.pop("notes")  # name articles in the order given
    a["stats"].pop("seconds")
    a["stats"].pop("parse_seconds")
    a["exclusives"] = dict(sorted(a["exclusives"].items()))
    for c in a["conflicts"]:  # sides are shown lower source number first
        c["sides"].sort(key=lambda s: s["article"])
        c.pop("detail")
    return json.dumps(a, sort_keys=True)


@pytest.mark.parametrize("name", ["minilm", "tfidf"])
def test_analysis_is_the_same_for_every_order_of_the_articles(name, embedder):
    from newsweave.analysis import analyze

    emb = embedder if name == "minilm" else get_embedder(name)
    arts = _story()
    found = set()
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]):
        if hasattr(emb, "clear_cache"):
            emb.clear_cache()  # embed in this run's batches, not from an earlier one's
        ds = prepare(_in_order(arts, order), embedder=emb)
        result = analyze(ds)
        assert [s["id"] for s in result["sources"]] == [arts[i].id for i in order]
        assert list(result["exclusives"]) == list(
            dict.fromkeys(s["account"] for s in result["sources"])
        )
        found.add(_analysis_key(result))
    assert len(found) == 1, "the analysis depends on the order of the articles"
    result = json.loads(found.pop())
    assert result["agreements"] and result["entities"] and result["quotes"]


def test_conflict_sides_follow_the_source_numbers():
    from newsweave.analysis import analyze

    a = Article(
        "a",
        "Twelve people were killed when a car bomb exploded outside a police station in "
        "Kirkuk on Tuesday.\n\nThe explosion destroyed several cars.",
        date="2016-04-12",
    )
    b = Article(
        "b",
        "Fifteen people were killed when a car bomb exploded outside a police station in "
        "Kirkuk on Tuesday.\n\nIt was the deadliest attack in the city since January.",
        date="2016-04-12",
    )
    tfidf = get_embedder("tfidf")
    for first, second, words in (
        (a, b, "Twelve people vs Fifteen people"),
        (b, a, "Fifteen people vs Twelve people"),
    ):
        (c,) = analyze(prepare(copy.deepcopy([first, second]), embedder=tfidf))["conflicts"]
        assert [s["article"] for s in c["sides"]] == [first.id, second.id]
        assert c["detail"] == words
