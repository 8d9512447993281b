"""The report page: citations, source segments, panels, escaping, standalone CSP.

Built on a hand-made report (no model), so the checks are exact.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from newsweave.records import Article, Report, Sentence, SourceSpan, SummarySentence
from newsweave.web.markup import Sources, esc, safe_href, segments, walk_spans
from newsweave.web.page import asset, report_page

EVIL_TITLE = '<img src=x onerror="window.__pwned=1">'
EVIL_TEXT = "Officials said <script>window.__pwned=2</script> nothing. Then \U0001f600 came."


def _sentences(article: Article) -> list[Sentence]:
    out = []
    for i, part in enumerate(re.finditer(r"[^.]+\.", article.text)):
        s, e = part.start(), part.end()
        while article.text[s] == " ":
            s += 1
        out.append(Sentence(f"{article.id}#{i}", article.id, i, s, e, article.text[s:e]))
    return out


def make_report(analysis=None) -> Report:
    a1 = Article(
        "a1",
        "Troops moved back. NATO saw no sign of it. Putin spoke on Monday.",
        title="Troops back",
        outlet="Reuters",
        url="https://example.com/a1",
        removed=[(0, 0, "none")],
    )
    a2 = Article("a2", EVIL_TEXT, title=EVIL_TITLE, url="javascript:alert(1)")
    sents = _sentences(a1) + _sentences(a2)
    by_id = {s.id: s for s in sents}
    s0, s4 = by_id["a1#0"], by_id["a2#0"]
    summary = [
        SummarySentence(s0.text, s0.id, "f1", [s0.span, s4.span], 2),
        SummarySentence(s4.text, s4.id, None, [s4.span], 1),
    ]
    return Report([a1, a2], sents, [], summary, "150w", analysis=analysis, meta={"accounts": 2})


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    return p


def test_article_text_is_escaped_never_markup():
    html = report_page(make_report())
    assert "<script>window.__pwned" not in html
    assert "onerror=" not in html.replace("onerror=&quot;", "")
    visible = re.sub(r"<[^>]+>", "", html)  # segments may cut the text into spans
    assert esc("<script>window.__pwned=2</script>") in visible
    assert esc(EVIL_TITLE) in visible
    tags = parse(html).tags
    assert not [t for t, _ in tags if t == "img"]
    # the only script is ours
    scripts = [t for t in tags if t[0] == "script"]
    assert len(scripts) == 1
    # javascript: URLs are not turned into links
    assert not any(a.get("href", "").startswith("javascript") for t, a in tags if t == "a")


def test_standalone_page_is_self_contained_with_hash_csp():
    html = report_page(make_report())
    p = parse(html)
    assert not any(t == "link" and a.get("rel") == "stylesheet" for t, a in p.tags)
    assert not any("src" in a for t, a in p.tags if t == "script")
    (meta,) = [a for t, a in p.tags if t == "meta" and a.get("http-equiv")]
    csp = meta["content"]
    js = asset("app.js")
    digest = base64.b64encode(hashlib.sha256(js.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert js in html and asset("app.css") in html


def test_server_page_links_static_files():
    html = report_page(make_report(), standalone=False, nav=[("/", "New report")])
    p = parse(html)
    assert ("link", {"rel": "stylesheet", "href": "/static/app.css"}) in p.tags
    assert any(t == "script" and a.get("src") == "/static/app.js" for t, a in p.tags)


def test_every_citation_points_at_segments_covering_its_span():
    report = make_report()
    html = report_page(report)
    tags = parse(html).tags
    cites = [a for t, a in tags if t == "a" and "cite" in a.get("class", "")]
    # one marker per cited article per sentence: 2 + 1
    assert len(cites) == 3
    segs = {}
    for t, a in tags:
        if t == "span" and a.get("class", "").startswith("seg"):
            n = int(a["id"].split("-")[1])
            segs.setdefault(n, []).append((int(a["data-s"]), int(a["data-e"])))
    for c in cites:
        n, s, e = int(c["data-src"]), int(c["data-s"]), int(c["data-e"])
        assert c["href"] == f"#seg-{n}-{s}"
        covered = [(a, b) for a, b in segs[n] if a >= s and b <= e]
        assert covered and covered[0][0] == s and covered[-1][1] == e
        text = report.articles[n - 1].text
        assert "".join(text[a:b] for a, b in covered) == text[s:e]


def test_segments_cover_text_exactly_and_mark_boilerplate():
    text = "Header. Body one. Share this!"
    segs = segments(text, [8, 17], [(18, len(text), "share block")])
    assert "".join(text[a:b] for a, b, _ in segs) == text
    assert [r for _, _, r in segs] == [None, None, None, "share block"]


def test_offsets_count_code_points_not_utf16():
    report = make_report()
    a2 = report.articles[1]
    html = report_page(report)
    # the emoji sentence keeps Python offsets; its segment text round-trips
    s = [x for x in report.sentences if x.article_id == "a2"][-1]
    assert f'id="seg-2-{s.start}" data-s="{s.start}" data-e="{s.end}"' in html
    assert a2.text[s.start : s.end] == s.text


def test_safe_href():
    assert safe_href("https://x.org/a") == "https://x.org/a"
    assert safe_href("JavaScript:alert(1)") is None
    assert safe_href("data:text/html,hi") is None
    assert safe_href(None) is None


def span(article, text, sub, start=0):
    """The span of ``sub`` inside the test report's article text."""
    arts = {"a1": make_report().articles[0].text, "a2": EVIL_TEXT}
    s = arts[article].index(sub, start)
    return {"article": article, "start": s, "end": s + len(sub), "text": sub}


# the shape of newsweave.analysis.analyze (docs/analysis.md)
ANALYSIS = {
    "agreements": [
        {
            "fact": "f1",
            "text": "Troops moved back.",
            "accounts": 2,
            "all": True,
            "sources": ["a1", "a2"],
            "evidence": [span("a1", "a1", "Troops moved back.")],
        }
    ],
    "exclusives": {
        "a1": [
            {
                "text": "NATO saw no sign of it.",
                "evidence": [span("a1", "a1", "NATO saw no sign of it.")],
            }
        ]
    },
    "conflicts": [
        {
            "type": "number",
            "detail": "<b>who</b>",
            "sides": [
                {
                    "article": "a1",
                    "sentence": span("a1", "a1", "Troops moved back."),
                    "evidence": span("a1", "a1", "Troops"),
                    "value": "troops",
                },
                {
                    "article": "a2",
                    "sentence": span("a2", "a2", "Officials said <script>window."),
                    "evidence": span("a2", "a2", "Officials"),
                    "value": "officials",
                },
            ],
        }
    ],
    "quotes": [
        {
            "id": "q0",
            "kind": "reported",
            "speaker": "s0",
            "speaker_name": "Putin",
            "text": "spoke",
            "sources": ["a1"],
            "evidence": [
                {
                    "quote": span("a1", "a1", "spoke"),
                    "sentence": span("a1", "a1", "Putin spoke on Monday."),
                    "speaker_mention": span("a1", "a1", "Putin"),
                    "speaker_resolved_by": "subject",
                }
            ],
        }
    ],
    "speakers": [
        {
            "id": "s0",
            "name": "Putin",
            "role": "president",
            "quotes": 1,
            "sources": ["a1"],
            "mentions": [span("a1", "a1", "Putin")],
        }
    ],
    "entities": [
        {
            "id": "e0",
            "name": "NATO",
            "type": "organisation",
            "count": 1,
            "sources": 1,
            "per_source": {"a1": 1},
            "mentions": [span("a1", "a1", "NATO")],
        }
    ],
    "timeline": [
        {
            "date": "2014-05-19",
            "granularity": "day",
            "resolved": True,
            "relative": True,
            "text": "Monday",
            "sources": ["a1"],
            "evidence": [
                {
                    "expression": span("a1", "a1", "Monday"),
                    "sentence": span("a1", "a1", "Putin spoke on Monday."),
                }
            ],
        }
    ],
    "notes": ["No conflicting <statements> were found."],
}


def test_panels_render_every_key_with_markers():
    report = make_report(ANALYSIS)
    html = report_page(report)
    for key in (
        "agreements",
        "exclusives",
        "conflicts",
        "quotes",
        "speakers",
        "entities",
        "timeline",
    ):
        assert f'id="panel-{key}"' in html
    assert 'class="versus"' in html  # conflicts side by side
    assert "&lt;b&gt;who&lt;/b&gt;" in html  # analysis text escaped too
    assert "No conflicting &lt;statements&gt; were found." in html
    assert "<mark>Monday</mark>" in html and "<mark>Officials</mark>" in html
    # evidence spans become markers resolving to segments (sentence-level spans)
    sentences = [sp for sp in walk_spans(ANALYSIS) if sp["text"].endswith(".")]
    assert sentences
    for sp in sentences:
        n = 1 if sp["article"] == "a1" else 2
        assert f'href="#seg-{n}-{sp["start"]}"' in html


@pytest.mark.parametrize(
    "analysis",
    [
        None,
        {},
        {"agreements": []},
        {"timeline": "not a list"},
        {"unknown": [1, 2]},
        {"quotes": [1, "x"]},
    ],
)
def test_panels_tolerate_missing_or_odd_keys(analysis):
    html = report_page(make_report(analysis))
    assert '<h2 id="summary-h">Summary</h2>' in html


def test_bad_spans_do_not_break_the_page():
    bad = {
        "agreements": [
            {
                "claim": "c",
                "evidence": [
                    {"article": "zz", "start": 0, "end": 5, "text": "x"},
                    {"article": "a1", "start": 50, "end": 999, "text": "y"},
                ],
            }
        ]
    }
    html = report_page(make_report(bad))
    assert 'href="#seg-' in html  # summary markers still there
    src = Sources(make_report())
    assert src.cite(SourceSpan("a1", 0, 999, "x")) == ""
    assert src.cite(SourceSpan("nope", 0, 1, "x")) == ""


def test_render_html_format_uses_report_page():
    from newsweave.render import render

    report = make_report()
    assert render(report, "html") == report_page(report)


def test_each_source_sentence_is_wrapped_for_the_no_script_highlight():
    report = make_report()
    html = report_page(report)
    for n, a in enumerate(report.articles, 1):
        for s in (x for x in report.sentences if x.article_id == a.id):
            # the sentence's first segment opens a .sent wrapper that closes after its last one
            opening = f'<span class="sent"><span class="seg" id="seg-{n}-{s.start}"'
            assert opening in html
            inner = html.split(opening, 1)[1].split('<span class="sent">', 1)[0]
            assert f'data-e="{s.end}">' in inner
    css = asset("app.css")
    assert ".sent:has(> .seg:first-child:target) > .seg" in css


def test_markers_and_evidence_follow_the_source_numbers():
    # the pipeline cites a sentence's own span first and the analysis lists
    # evidence in the canonical order of the articles; the page, like the
    # Markdown, shows sources in the order of their numbers
    report = make_report()
    by_id = {s.id: s for s in report.sentences}
    own, other = by_id["a2#0"], by_id["a1#0"]
    report.summary = [SummarySentence(own.text, own.id, "f1", [own.span, other.span], 2)]
    a2 = span("a2", "a2", "Then \U0001f600 came.")
    a1 = span("a1", "a1", "Putin spoke on Monday.")
    report.analysis = {
        "agreements": [{"fact": "f1", "text": a2["text"], "accounts": 2, "all": True,
                        "sources": ["a2", "a1"], "evidence": [a2, a1]}],
        "quotes": [{"id": "q0", "kind": "direct", "speaker_name": "Putin", "text": "came",
                    "sources": ["a2", "a1"],
                    "evidence": [{"quote": a2, "sentence": a2}, {"quote": a1, "sentence": a1}]}],
        "timeline": [{"date": "2014-05-19", "granularity": "day", "text": "Monday",
                      "sources": ["a2", "a1"],
                      "evidence": [{"expression": a2, "sentence": a2},
                                   {"expression": a1, "sentence": a1}]}],
        "entities": [{"id": "e0", "name": "Putin", "type": "person", "count": 2, "sources": 2,
                      "mentions": [a2, a1]}],
    }  # fmt: skip
    html = report_page(report)
    summary = html.split('id="ss-1"', 1)[1].split("</p>", 1)[0]
    assert re.findall(r'data-src="(\d)"', summary) == ["1", "2"]
    for key in ("agreements", "quotes", "timeline", "entities"):
        panel = html.split(f'id="panel-{key}"', 1)[1].split("</details>", 1)[0]
        assert re.findall(r'data-src="(\d)"', panel) == ["1", "2"], key


def test_long_timeline_says_how_many_events_are_not_shown():
    from newsweave.web.panels import MAX_ITEMS

    event = ANALYSIS["timeline"][0]
    report = make_report({"timeline": [dict(event) for _ in range(MAX_ITEMS + 7)]})
    panel = report_page(report).split('id="panel-timeline"', 1)[1].split("</details>", 1)[0]
    assert panel.count('<span class="when">') == MAX_ITEMS
    assert f'<span class="count">{MAX_ITEMS + 7}</span>' in panel
    assert "7 more not shown." in panel  # the page never drops events without a word


def test_empty_summary_does_not_blame_the_budget_when_nothing_stands_alone():
    """Only fragments: the page (and the Markdown) must not say the length
    budget was too small; the note says why there is no summary."""
    from newsweave.pipeline import summarize
    from newsweave.render import render

    articles = [Article("a1", "1 2 3 4 5 6"), Article("a2", "7 8 9")]
    report = summarize(articles, length="400w", embedder="tfidf")
    assert report.summary == [] and any("stand alone" in w for w in report.warnings)
    for text in (report_page(report), render(report, "md")):
        assert "No sentence fits the length budget" not in text
        assert "No summary sentence could be chosen: the notes below say why." in text
    report.warnings = []  # no reason given: the old wording
    assert "No sentence fits the length budget." in report_page(report)


def test_scrollable_regions_show_the_sites_focus_ring():
    """The stories table (and the API docs' field tables) scroll in a box
    made focusable for keyboard users (tabindex="0"), but the box showed the
    browser's default focus ring, unlike every other control of the site.
    Each class the pages make focusable is in the site's focus rule."""
    from pathlib import Path

    import newsweave.web

    css = asset("app.css")
    rule = next(
        m.group(1)
        for m in re.finditer(r"([^{}]+)\{([^{}]*)\}", css)
        if "outline: 3px solid var(--accent)" in m.group(2)
    )
    selectors = {s.strip() for s in rule.split(",")}
    assert {"a:focus-visible", "button:focus-visible"} <= selectors
    source = "".join(p.read_text() for p in Path(newsweave.web.__file__).parent.glob("*.py"))
    focusable = set(re.findall(r'class="([\w-]+)"[^>]*tabindex="0"', source))
    assert "table-wrap" in focusable
    for cls in focusable:
        assert f".{cls}:focus-visible" in selectors, cls
