"""The report as one HTML page: summary with citation markers, analysis
panels, and the source articles with the cited sentences one click away.

:func:`report_page` makes the self-contained file written by
``newsweave summarize --format html`` (CSS and JS inlined, a strict
Content-Security-Policy that allows only those two inline blocks, by hash).
The web server renders the same body with :func:`layout` linking
``/static/app.css`` and ``/static/app.js`` instead.

All article, title and analysis text is escaped (:func:`~.markup.esc`): a
``<script>`` in an article is shown as text, never run.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from ..records import Article, Report
from .markup import Sources, esc, safe_href, segments, walk_spans

STATIC = Path(__file__).parent / "static"
Link = tuple[str, str]  # (href, label)


@lru_cache(maxsize=8)
def asset(name: str) -> str:
    """The text of a file in ``static/`` (cached)."""
    return (STATIC / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def layout(
    title: str,
    body: str,
    *,
    standalone: bool = False,
    static: str = "/static",
    nav: Sequence[Link] = (),
    current: str | None = None,
) -> str:
    """A complete HTML document around ``body`` (already-built markup).

    ``standalone`` inlines the stylesheet and script (for a file to share);
    otherwise they are linked from ``static``. ``nav`` lists top links;
    the one whose href equals ``current`` is marked as the current page.
    """
    if standalone:
        css, js = asset("app.css"), asset("app.js")
        csp = (
            "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
            f"style-src 'sha256-{_sha256(css)}'; script-src 'sha256-{_sha256(js)}'"
        )
        head = (
            f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
            f"<style>{css}</style>"
        )
        tail = f"<script>{js}</script>"
        brand = '<span class="brand">news<span>weave</span></span>'
    else:
        head = f'<link rel="stylesheet" href="{esc(static)}/app.css">'
        tail = f'<script src="{esc(static)}/app.js" defer></script>'
        brand = '<a class="brand" href="/">news<span>weave</span></a>'
    links = "".join(
        f'<li><a href="{esc(href)}"{" aria-current=page" if href == current else ""}>'
        f"{esc(label)}</a></li>"
        for href, label in nav
    )
    nav_html = f'<nav aria-label="Main"><ul>{links}</ul></nav>' if links else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="newsweave">
<link rel="icon" href="data:,">
<title>{esc(title)}</title>
{head}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">{brand}{nav_html}</header>
{body}
<div id="live" class="visually-hidden" aria-live="polite"></div>
{tail}
</body>
</html>
"""


ERROR_TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    404: "Page not found",
    405: "Method not allowed",
    413: "Too large",
    415: "Unsupported content type",
    422: "Cannot use this input",
    500: "Something went wrong",
    503: "Not available",
}


def error_page(status: int, message: str) -> str:
    """The page a browser gets for an error: what went wrong and a way back."""
    body = (
        f'<main id="main" class="narrow"><h1>{esc(ERROR_TITLES.get(status, "Error"))}</h1>'
        f'<p>{esc(message)}</p><p><a href="/">Back to the start page</a></p></main>'
    )
    return layout(f"Error {status}", body)


def _headline(report: Report) -> str:
    from ..render import headline

    return headline(report)


def _summary(report: Report, src: Sources) -> str:
    if not report.summary:
        from ..render import empty_summary

        return f'<p class="empty">{esc(empty_summary(report))}</p>'
    parts = []
    for i, sent in enumerate(report.summary, 1):
        seen: set[str] = set()
        marks = []
        for c in src.numbered(sent.citations, lambda c: c.article):
            if c.article in seen:
                continue
            seen.add(c.article)
            marks.append(src.cite(c))
        support = f"supported by {sent.support} independent account" + (
            "s" if sent.support != 1 else ""
        )
        parts.append(
            f'<span class="ss-wrap"><span class="ss" id="ss-{i}" title="{esc(support)}">'
            f'{esc(sent.text)}</span><span class="marks">{"".join(marks)}</span></span>'
        )
    return "<p>" + " ".join(parts) + "</p>"


def _source_meta(a: Article) -> str:
    bits = []
    if a.title and a.outlet:
        bits.append(f"<span>{esc(a.title)}</span>")
    if a.date:
        bits.append(f"<time>{esc(a.date)}</time>")
    href = safe_href(a.url)
    if href:
        bits.append(f'<a href="{esc(href)}" rel="noopener noreferrer nofollow">{esc(a.url)}</a>')
    elif a.origin and a.origin != "api":
        bits.append(f"<span>{esc(a.origin)}</span>")
    if a.duplicate_of:
        bits.append(f"<span>near-duplicate of {esc(a.duplicate_of)}</span>")
    return " · ".join(bits)


def _source_text(report: Report, a: Article, n: int) -> str:
    bounds: list[int] = []
    for s in report.sentences:
        if s.article_id == a.id:
            bounds += [s.start, s.end]
    for s in report.summary:
        for c in s.citations:
            if c.article == a.id:
                bounds += [c.start, c.end]
    for span in walk_spans(report.analysis or {}):
        if span["article"] == a.id:
            bounds += [span["start"], span["end"]]
    runs = _sentence_runs(report, a)
    out, open_end = [], None
    for start, end, reason in segments(a.text, bounds, a.removed):
        if open_end is None and start in runs:
            out.append('<span class="sent">')
            open_end = runs[start]
        cls = "seg bp" if reason else "seg"
        title = f' title="boilerplate: {esc(reason)}"' if reason else ""
        out.append(
            f'<span class="{cls}" id="seg-{n}-{start}" data-s="{start}" data-e="{end}"{title}>'
            f"{esc(a.text[start:end])}</span>"
        )
        if open_end is not None and end >= open_end:
            out.append("</span>")
            open_end = None
    if open_end is not None:
        out.append("</span>")
    return "".join(out)


def _sentence_runs(report: Report, a: Article) -> dict[int, int]:
    """Start -> end of each sentence of ``a`` (overlaps skipped). The source
    text wraps each sentence's segments in a ``.sent`` element, so that a
    citation link opened without JavaScript (CSS ``:target`` on the first
    segment) highlights the whole cited sentence."""
    runs: dict[int, int] = {}
    last = 0
    for start, end in sorted({(s.start, s.end) for s in report.sentences if s.article_id == a.id}):
        if start >= last and end > start:
            runs[start] = end
            last = end
    return runs


def _sources(report: Report) -> str:
    items = []
    for n, a in enumerate(report.articles, 1):
        name = a.outlet or a.title or a.id
        items.append(
            f'<details class="source" id="src-{n}" open>'
            f'<summary><span class="num" aria-hidden="true">{n}</span>'
            f'<span class="src-title"><span class="visually-hidden">Source {n}: </span>'
            f"{esc(name)}</span></summary>"
            f'<p class="src-meta">{_source_meta(a)}</p>'
            f'<p class="src-tools"><button type="button" class="back secondary" id="back-{n}" '
            f"hidden>Back to the summary</button></p>"
            f'<div class="src-text" aria-label="Text of source {n}">'
            f"{_source_text(report, a, n)}</div></details>"
        )
    return "".join(items)


def report_body(report: Report, *, actions: Sequence[Link] = (), title: str | None = None) -> str:
    """The ``<main>`` of a report page (summary, panels, notes, sources)."""
    from .panels import analysis_panels

    src = Sources(report)
    accounts = report.meta.get("accounts", len(report.articles))
    n_art = len(report.articles)
    meta = (
        f"{n_art} article{'s' if n_art != 1 else ''} · {accounts} independent "
        f"account{'s' if accounts != 1 else ''} · length budget {esc(report.length)}"
    )
    acts = "".join(f'<li><a href="{esc(h)}">{esc(label)}</a></li>' for h, label in actions)
    notes = ""
    if report.warnings:
        notes = (
            '<section class="card notes" aria-labelledby="notes-h"><h2 id="notes-h">Notes</h2>'
            "<ul>" + "".join(f"<li>{esc(w)}</li>" for w in report.warnings) + "</ul></section>"
        )
    return f"""<main id="main" class="report">
<div class="reading">
<h1>{esc(title or _headline(report))}</h1>
<p class="meta">{meta}</p>
{f'<ul class="actions">{acts}</ul>' if acts else ""}
<section class="card summary" aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
{_summary(report, src)}
<p class="hint">Every sentence is copied from a source. Select a number to see the
sentence highlighted in its article.</p>
</section>
{analysis_panels(report, src)}
{notes}
</div>
<aside class="sources card" aria-labelledby="sources-h">
<h2 id="sources-h">Sources</h2>
{_sources(report)}
</aside>
</main>"""


def report_page(
    report: Report,
    *,
    standalone: bool = True,
    static: str = "/static",
    nav: Sequence[Link] = (),
    actions: Sequence[Link] = (),
    title: str | None = None,
) -> str:
    """One complete HTML page for ``report``, headed ``title`` (default: its
    :func:`~newsweave.render.headline`).

    By default the page is self-contained (inline CSS and JS): this is what
    ``newsweave summarize --format html`` writes. The server passes
    ``standalone=False`` to link its static files instead.
    """
    body = report_body(report, actions=actions, title=title)
    return layout(title or _headline(report), body, standalone=standalone, static=static, nav=nav)
