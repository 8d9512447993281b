"""The analysis of the bundled sample story: shape, spans, content, speed."""

from __future__ import annotations

import json
import time

KEYS = {
    "agreements",
    "exclusives",
    "conflicts",
    "quotes",
    "speakers",
    "entities",
    "timeline",
    "notes",
}


def _spans(obj):
    """Every {article, start, end, text} span anywhere in ``obj``."""
    if isinstance(obj, dict):
        if {"article", "start", "end", "text"} <= obj.keys():
            yield obj
        for v in obj.values():
            yield from _spans(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _spans(v)


def test_shape_is_documented_and_json_serialisable(sample_analysis):
    assert KEYS <= sample_analysis.keys()
    back = json.loads(json.dumps(sample_analysis))
    assert back["agreements"] == sample_analysis["agreements"]


def test_every_quoted_span_is_exact(sample_analysis, sample_docset):
    texts = {a.id: a.text for a in sample_docset.articles}
    spans = list(_spans(sample_analysis))
    assert len(spans) > 100
    for s in spans:
        assert texts[s["article"]][s["start"] : s["end"]] == s["text"], s


def test_agreements_show_what_both_outlets_report(sample_analysis):
    agreements = sample_analysis["agreements"]
    assert len(agreements) >= 5
    assert all(r["accounts"] >= 2 and len(r["evidence"]) >= 2 for r in agreements)
    assert {e["article"] for r in agreements for e in r["evidence"]} == {"reuters", "second-outlet"}
    texts = " ".join(e["text"] for r in agreements for e in r["evidence"])
    assert "places of permanent deployment" in texts  # both cite the Kremlin order
    assert "Rostov, Bryansk and Belgorod" in texts
    assert any(r["all"] for r in agreements)


def test_exclusives_are_per_source_and_ranked(sample_analysis):
    excl = sample_analysis["exclusives"]
    assert set(excl) == {"reuters", "second-outlet"}
    for aid, rows in excl.items():
        assert 2 <= len(rows) <= 6
        assert all(e["article"] == aid for r in rows for e in r["evidence"])
        sal = [r["salience"] for r in rows]
        assert sal == sorted(sal, reverse=True)
    reuters = " ".join(r["text"] for r in excl["reuters"])
    assert "tens of thousands of troops" in reuters  # only Reuters reports the build-up
    agreed = {e["text"] for r in sample_analysis["agreements"] for e in r["evidence"]}
    assert not agreed & {r["text"] for rows in excl.values() for r in rows}


def test_no_conflicts_between_compatible_accounts(sample_analysis):
    # "tens of thousands of troops" vs "around 40,000": compatible restatements
    assert sample_analysis["conflicts"] == []


def test_speakers_are_merged_across_mentions_and_sources(sample_analysis):
    by_name = {s["name"]: s for s in sample_analysis["speakers"]}
    ras = by_name["Anders Fogh Rasmussen"]
    assert set(ras["sources"]) == {"reuters", "second-outlet"}
    assert {"Mr Rasmussen", "Rasmussen"} <= set(ras["aliases"])
    assert ras["role"] and "NATO" in ras["role"]
    assert by_name["John Kirby"]["role"].startswith("Pentagon spokesman")
    lavrov = by_name["Sergei Lavrov"]
    assert {"Lavrov", "Russian Foreign Minister Sergei Lavrov"} <= set(lavrov["aliases"])
    official = next(s for s in sample_analysis["speakers"] if "official" in s["name"])
    assert official["quotes"] >= 5  # "the official", "he" resolve to the senior US official


def test_quotes_carry_speakers_and_sources(sample_analysis):
    quotes = sample_analysis["quotes"]
    speakers = {s["id"]: s["name"] for s in sample_analysis["speakers"]}
    both = [q for q in quotes if len(q["sources"]) == 2]
    assert any(speakers.get(q["speaker"]) == "Anders Fogh Rasmussen" for q in both)
    kirby = [q for q in quotes if speakers.get(q["speaker"]) == "John Kirby"]
    assert kirby and kirby[0]["kind"] == "direct" and kirby[0]["sources"] == ["reuters"]
    assert "We have seen no indication of any movement" in kirby[0]["text"]
    he = [e for q in quotes for e in q["evidence"] if e["speaker_resolved_by"] == "pronoun"]
    assert he, "pronoun speakers are resolved"


def test_entities_count_per_source(sample_analysis):
    ents = {e["name"]: e for e in sample_analysis["entities"]}
    putin = ents["Vladimir Putin"]
    assert putin["type"] == "person"
    assert putin["per_source"]["reuters"] > 0 and putin["per_source"]["second-outlet"] > 0
    assert {"Putin", "Vladimir Putin"} <= set(putin["aliases"])
    assert ents["NATO"]["type"] == "organisation"
    assert ents["Kiev"]["type"] == "place"
    assert sum(putin["per_source"].values()) == putin["count"] == len(putin["mentions"])


def test_timeline_is_resolved_and_ordered(sample_analysis):
    events = sample_analysis["timeline"]
    dates = [e["date"] for e in events if e["resolved"]]
    assert dates == sorted(dates, key=lambda d: d[:10])
    by_date = {e["date"]: e for e in events}
    assert set(by_date["2014-05-07"]["sources"]) == {"reuters", "second-outlet"}  # May 7 / 7 May
    assert "2014-05-25" in by_date  # "holds a presidential election on Sunday"
    assert "2014-05-20" in by_date  # "tomorrow"
    assert by_date["2014-03"]["granularity"] == "month"
    assert all(e["evidence"] for e in events)  # every date points back to its sources
    for e in events:
        for ev in e["evidence"]:
            assert ev["expression"]["text"] in ev["sentence"]["text"]


def test_markdown_section_in_the_report(sample_docset):
    from newsweave.pipeline import summarize
    from newsweave.render import render

    report = summarize(sample_docset, length="100w", analyze=True)
    md = render(report, "md")
    for heading in (
        "## Cross-source analysis",
        "### What the sources agree on",
        "### What only one source reports",
        "### Conflicting statements",
        "### Who said what",
        "### Timeline",
    ):
        assert heading in md
    assert "**Anders Fogh Rasmussen**" in md
    assert "2014-05-07" in md
    # a sentence dating two events shows each event's date expression in bold
    assert "in **February**." in md and "if necessary in **March** and" in md
    assert json.loads(render(report, "json"))["analysis"]["quotes"]


def test_analysis_is_fast_when_warm(sample_docset, sample_analysis):
    from newsweave.analysis import analyze

    start = time.process_time()
    analyze(sample_docset)
    cpu = time.process_time() - start
    assert cpu < 2.0, f"analysis of the sample took {cpu:.2f} s of CPU"


def test_markdown_cites_sources_in_the_order_of_their_numbers():
    from newsweave.analysis.render import analysis_markdown

    def span(article: str, text: str) -> dict:
        return {"article": article, "start": 0, "end": len(text), "text": text}

    # lists of the analysis follow the canonical order of the articles (here b
    # before a); the Markdown shows each item's sources by number
    a = {
        "agreements": [
            {
                "text": "Troops left.",
                "all": True,
                "evidence": [span("b", "Troops left."), span("a", "The troops left.")],
            }
        ],
        "quotes": [{"speaker": None, "kind": "direct", "text": "We left.", "sources": ["b", "a"]}],
        "timeline": [
            {
                "date": "2014-05-19",
                "granularity": "day",
                "text": "Monday",
                "sources": ["b", "a"],
                "evidence": [{"sentence": span("b", "Troops left on Monday.")}],
            }
        ],
    }
    md = analysis_markdown(a, {"a": 1, "b": 2}, {"a": "A", "b": "B"})
    assert "- Troops left. [1][2] **(all sources)**" in md
    assert "  - [1] “The troops left.”" in md
    assert "“We left.” [1][2]" in md
    assert "Troops left on Monday. [1][2]" in md
