"""The web app in a real browser: headless Chromium driven by Playwright.

A real uvicorn server runs on a free loopback port in a thread; the tests
paste (or upload) the seed articles through the input page, read the
summary, click a citation and see the source sentence highlighted, and prove
that markup inside an article is shown as text and never runs. Screenshots
go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import fastapi  # noqa: F401  (a [test] dependency: missing is a failure, not a skip)
import playwright.sync_api  # noqa: F401  (a [test] dependency: missing is a failure, not a skip)
import pytest

from newsweave.cli import SAMPLE_DIR

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if os.environ.get("CI") and not CHROMIUM.exists():
    # .ci/run installs Chromium: in CI a missing browser is a failure, not a skip
    raise RuntimeError("CI run without /usr/bin/chromium: scripts/install-browser.sh failed?")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless Chromium not installed at /usr/bin/chromium (run scripts/install-browser.sh)",
    ),
]

EVIL = (
    "Officials in the capital said on Monday that talks would resume next week. "
    '<img src=x onerror="window.__pwned=1"> The statement was read to reporters. '
    "<script>window.__pwned=2</script> The minister said the government would wait "
    "for the results of the talks before deciding on new measures."
)


FRENCH = (
    "Le gouvernement a annoncé lundi de nouvelles mesures pour soutenir les entreprises. "
    "Les syndicats ont dénoncé une réforme qui, selon eux, va contre les intérêts des "
    "salariés et des retraités du pays. "
) * 3


def seeds() -> list[dict[str, str]]:
    meta = json.loads((SAMPLE_DIR / "meta.json").read_text())
    return [
        {
            "text": (SAMPLE_DIR / name).read_text(),
            "title": meta[name]["title"],
            "outlet": meta[name].get("outlet") or "",
        }
        for name in ("reuters.txt", "second-outlet.txt")
    ]


@pytest.fixture(scope="module")
def server(embedder):
    from newsweave.web.app import create_app
    from newsweave.web.background import BackgroundServer

    app = create_app(embedder=embedder, warm=False, allow_urls=False)
    with BackgroundServer(app) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(120_000)  # a synthesis on a busy 2-core machine
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    yield pg
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def paste(page, articles: list[dict[str, str]]) -> None:
    for i, art in enumerate(articles, 1):
        if i > 2:
            page.click("#add-article")
        page.fill(f"#text-{i}", art["text"])
        page.fill(f"#title-{i}", art.get("title", ""))
        page.fill(f"#outlet-{i}", art.get("outlet", ""))


def submit(page) -> None:
    page.click("#submit")
    page.wait_for_url(re.compile(r"/report/[\w-]+$"))
    page.wait_for_selector("#summary-h")


def test_paste_seeds_read_summary_and_click_citation(server, page):
    page.goto(server.url + "/")
    assert page.title() == "newsweave: new report"
    paste(page, seeds())
    shot(page, "01-input")
    submit(page)
    assert page.locator("h1").inner_text() == seeds()[0]["title"]
    sentences = page.locator(".summary .ss")
    assert sentences.count() >= 2
    report = json.loads(page.request.get(page.url + ".json").text())
    assert sentences.nth(0).inner_text() == report["summary"][0]["text"]
    shot(page, "02-report")

    # click the last marker of the first sentence (a second source if there is one)
    markers = page.locator(".ss-wrap").nth(0).locator("a.cite")
    marker = markers.nth(markers.count() - 1)
    n, start, end = (int(marker.get_attribute(a)) for a in ("data-src", "data-s", "data-e"))
    marker.click()
    highlighted = page.locator(f"#src-{n} .seg.hl")
    assert highlighted.count() >= 1
    assert highlighted.first.is_visible()
    text = "".join(highlighted.all_text_contents())
    cited = next(
        c["text"]
        for c in report["summary"][0]["citations"]
        if c["article"] == report["articles"][n - 1]["id"]
        and c["start"] == start
        and c["end"] == end
    )
    assert text == cited
    assert marker.get_attribute("aria-pressed") == "true"
    assert cited in page.locator("#live").inner_text()
    shot(page, "03-citation-highlighted")

    # a second click elsewhere moves the highlight
    other = page.locator(".ss-wrap").nth(1).locator("a.cite").first
    other.click()
    assert marker.get_attribute("aria-pressed") == "false"
    m = int(other.get_attribute("data-src"))
    assert page.locator(f"#src-{m} .seg.hl").count() >= 1
    assert page.errors == []


def test_citation_works_from_the_keyboard(server, page):
    page.goto(server.url + "/")
    paste(page, seeds())
    submit(page)
    first = page.locator("a.cite").first
    first.focus()
    page.keyboard.press("Enter")
    n = first.get_attribute("data-src")
    assert page.locator(f"#src-{n} .seg.hl").count() >= 1
    focused = page.evaluate("document.activeElement.className")
    assert "seg" in focused and "hl" in focused  # focus moved to the source sentence
    back = page.locator(f"#back-{n}")
    assert back.is_visible()
    back.click()
    assert page.evaluate("document.activeElement.classList.contains('cite')")


def test_markup_in_articles_never_runs(server, page):
    page.goto(server.url + "/")
    art = seeds()[0]
    paste(
        page,
        [
            {
                "text": EVIL,
                "title": '<img src=x onerror="window.__pwned=3">',
                "outlet": "<b>Evil</b>",
            },
            art,
        ],
    )
    submit(page)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0
    body = page.locator("body").inner_text()
    assert "<script>window.__pwned=2</script>" in body
    assert '<img src=x onerror="window.__pwned=1">' in body
    assert "<b>Evil</b>" in body
    shot(page, "04-xss-shown-as-text")
    assert page.errors == []


def test_upload_files_and_download_standalone_page(server, page, tmp_path):
    page.goto(server.url + "/")
    page.set_input_files(
        "#files", [str(SAMPLE_DIR / "reuters.txt"), str(SAMPLE_DIR / "second-outlet.txt")]
    )
    submit(page)
    assert page.locator(".source").count() == 2
    with page.expect_download() as dl:
        page.click("text=Download as one HTML file")
    path = tmp_path / "report.html"
    dl.value.save_as(path)
    html = path.read_text()
    assert 'rel="stylesheet"' not in html and "/static/" not in html

    # the shared file works on its own (file://, inline script allowed by hash)
    page.goto(path.as_uri())
    page.locator("a.cite").first.click()
    assert page.locator(".seg.hl").count() >= 1
    shot(page, "05-standalone-file")
    assert page.errors == []


def test_bad_input_shows_an_error_on_the_form(server, page):
    page.goto(server.url + "/")
    page.click("#submit")
    alert = page.locator("#form-error")
    assert "no articles" in alert.inner_text()
    page.fill("#text-1", FRENCH)
    page.click("#submit")
    assert "English" in page.locator("#form-error").inner_text()
    # what was typed is kept
    assert page.locator("#text-1").input_value().startswith("Le gouvernement")
    shot(page, "06-form-error")


def test_add_article_button(server, page):
    page.goto(server.url + "/")
    assert page.locator("fieldset.article").count() == 2
    page.click("#add-article")
    assert page.locator("fieldset.article").count() == 3
    assert page.locator("#text-3").is_visible()
    assert page.evaluate("document.activeElement.id") == "text-3"


LIT = """els => {
  const target = document.querySelector(':target');
  const lit = target ? getComputedStyle(target).backgroundColor : 'none';
  return els.filter(e => getComputedStyle(e).backgroundColor === lit).map(e => e.textContent).join('');
}"""


def test_citation_link_highlights_the_whole_sentence_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(server.url + "/")
        assert not page.locator("#add-article").is_visible()
        paste(page, seeds())
        submit(page)
        # a marker whose sentence is cut into several segments (entities, dates...)
        marker = page.locator("a.cite").first
        n, start, end = (int(marker.get_attribute(a)) for a in ("data-src", "data-s", "data-e"))
        segs = page.locator(f"#src-{n} .seg").evaluate_all(
            f"els => els.filter(e => +e.dataset.s >= {start} && +e.dataset.e <= {end}).length"
        )
        assert segs > 1
        sentence = marker.evaluate("m => m.closest('.ss-wrap').querySelector('.ss').textContent")
        marker.click()
        assert page.url.endswith(f"#seg-{n}-{start}")
        assert page.locator(".seg").evaluate_all(LIT) == sentence
    finally:
        context.close()


def test_no_stale_highlight_after_reloading_a_citation_link(server, page):
    page.goto(server.url + "/")
    paste(page, seeds())
    submit(page)
    page.locator(".ss-wrap").nth(0).locator("a.cite").first.click()
    page.reload()
    assert page.locator(".seg.hl").count() >= 1  # the link's sentence, shown again
    other = page.locator(".ss-wrap").nth(1).locator("a.cite").first
    other.click()
    highlighted = "".join(page.locator(".seg.hl").all_text_contents())
    lit = page.locator(".seg").evaluate_all(
        "els => els.filter(e => getComputedStyle(e).backgroundColor"
        " === getComputedStyle(document.querySelector('.seg.hl')).backgroundColor)"
        ".map(e => e.textContent).join('')"
    )
    assert lit == highlighted  # the sentence of the reloaded link is no longer lit
    assert page.errors == []


def test_narrow_screen_never_scrolls_sideways(browser, embedder, sample_story_db):
    """At 375 px wide, wide tables (story list, API fields) scroll in their own box."""
    from newsweave.web.app import create_app
    from newsweave.web.background import BackgroundServer

    path = sample_story_db
    app = create_app(db=path, embedder=embedder, warm=False, allow_urls=False)
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        with BackgroundServer(app) as srv:
            for path in ("/", "/stories", "/docs"):
                page.goto(srv.url + path)
                width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
                assert width[0] <= width[1], (path, width)
            shot(page, "07-narrow-docs")
            wrap = page.locator(".table-wrap").first
            assert wrap.get_attribute("tabindex") == "0"  # its scrolling works by keyboard
    finally:
        context.close()


def test_long_unbroken_words_never_widen_a_narrow_report(browser):
    """A long URL, title or outlet name wraps at 375 px instead of making the
    whole report page scroll sideways."""
    from test_web_page import ANALYSIS, make_report

    from newsweave.web.app import create_app
    from newsweave.web.background import BackgroundServer

    report = make_report(ANALYSIS)
    report.articles[0].title = "Supercalifragilisticexpialidocious" * 4
    report.articles[0].outlet = "https://example.com/" + "averyverylongpathsegment" * 8
    app = create_app(warm=False, allow_urls=False)
    key = app.state.engine.reports.add(report)
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        with BackgroundServer(app) as srv:
            page.goto(f"{srv.url}/report/{key}")
            assert page.locator("h1").inner_text() == report.articles[0].title
            width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            assert width[0] <= width[1], width
            shot(page, "08-narrow-long-words")
    finally:
        context.close()


def test_back_to_the_form_from_the_cache_can_submit_again(server, browser):
    """Browsers keep the page in their back/forward cache (Playwright turns it
    off by default): going back must not show the busy, disabled button."""
    b = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    try:
        page = b.new_page()
        page.set_default_timeout(120_000)
        page.goto(server.url + "/")
        page.evaluate("addEventListener('pageshow', e => { window.__cached = e.persisted; })")
        paste(page, seeds())
        submit(page)
        page.go_back(wait_until="commit")
        page.wait_for_function("window.__cached !== undefined")
        assert page.evaluate("window.__cached") is True  # restored from the cache
        assert page.locator("#submit").is_enabled()
        assert page.locator("#submit").inner_text() == "Write the report"
    finally:
        b.close()
