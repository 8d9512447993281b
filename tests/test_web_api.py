"""The JSON API through an in-process client: synthesis, schema, bad input."""

from __future__ import annotations

import json

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient

from newsweave.cli import SAMPLE_DIR
from newsweave.errors import InputError
from newsweave.web.app import create_app
from newsweave.web.fetch import SafeFetcher
from newsweave.web.service import Engine

FRENCH = (
    "Le gouvernement a annoncé lundi de nouvelles mesures pour soutenir les entreprises. "
    "Les syndicats ont dénoncé une réforme qui, selon eux, va contre les intérêts des "
    "salariés et des retraités du pays. "
) * 3


def sample_articles() -> list[dict]:
    meta = json.loads((SAMPLE_DIR / "meta.json").read_text())
    out = []
    for name in ("reuters.txt", "second-outlet.txt"):
        m = meta[name]
        item = {"text": (SAMPLE_DIR / name).read_text(), "title": m["title"], "date": m["date"]}
        if m.get("outlet"):
            item["outlet"] = m["outlet"]
        out.append(item)
    return out


@pytest.fixture(scope="module")
def api(embedder) -> TestClient:
    app = create_app(embedder=embedder, warm=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def sample_response(api) -> dict:
    r = api.post("/api/synthesize", json={"articles": sample_articles(), "length": "150w"})
    assert r.status_code == 200, r.text
    return r.json()


def test_synthesize_returns_the_report_schema(sample_response):
    body = sample_response
    assert body["schema"] == "newsweave.report/1"
    assert body["length"] == "150w"
    assert [a["id"] for a in body["articles"]] == ["a1", "a2"]
    assert body["articles"][0]["outlet"] == "Reuters"
    assert body["summary"] and body["summary_text"]
    assert len(body["summary_text"].split()) <= 150


def test_every_citation_quotes_its_article_exactly(sample_response):
    texts = {f"a{i}": a["text"].replace("\r\n", "\n") for i, a in enumerate(sample_articles(), 1)}
    assert sample_response["summary"]
    for sent in sample_response["summary"]:
        assert sent["citations"]
        for c in sent["citations"]:
            assert texts[c["article"]][c["start"] : c["end"]] == c["text"]
        assert sent["text"] in {c["text"] for c in sent["citations"]}


def test_synthesize_length_in_sentences(api):
    r = api.post("/api/synthesize", json={"articles": sample_articles(), "length": "2s"})
    assert r.status_code == 200
    assert 1 <= len(r.json()["summary"]) <= 2


def test_synthesize_with_analysis(api):
    from newsweave.web.service import analysis_available

    r = api.post("/api/synthesize", json={"articles": sample_articles(), "analyze": True})
    assert r.status_code == 200
    body = r.json()
    if analysis_available():
        assert isinstance(body["analysis"], dict)
    else:
        assert any("analysis is not available" in w for w in body["warnings"])


def test_openapi_schema_documents_the_api(api):
    spec = api.get("/openapi.json").json()
    assert {"/api/synthesize", "/api/stories", "/api/stories/{story_id}"} <= set(spec["paths"])
    post = spec["paths"]["/api/synthesize"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/SynthesizeRequest")
    schemas = spec["components"]["schemas"]
    assert {"text", "title", "outlet", "url", "date"} <= set(schemas["ArticleIn"]["properties"])
    # the text is read as plain text (an HTML body's tag lines count as boilerplate)
    text_doc = schemas["ArticleIn"]["properties"]["text"]["description"]
    assert "plain text" in text_doc and "HTML body" not in text_doc
    assert {"summary", "articles", "analysis"} <= set(schemas["ReportOut"]["properties"])
    assert {"400", "413", "415", "422"} <= set(post["responses"])
    docs = api.get("/docs")
    assert (
        docs.status_code == 200
        and "/api/synthesize" in docs.text
        and "SynthesizeRequest" in docs.text
    )


def test_docs_example_calls_this_server_and_links_the_stories(tmp_path):
    """The copy-paste example names the address the browser used (not a fixed
    port 8000), and with --db the top links include Stories, as on every page."""
    app = create_app(db=str(tmp_path / "news.db"), warm=False)
    with TestClient(app, base_url="http://localhost:8080") as c:
        docs = c.get("/docs")
    assert docs.status_code == 200
    assert "curl -s http://localhost:8080/api/synthesize" in docs.text
    assert "127.0.0.1:8000" not in docs.text
    assert '<a href="/stories">Stories</a>' in docs.text
    assert '<a href="/docs" aria-current=page>API</a>' in docs.text


def _error(resp: httpx.Response, status: int, code: str) -> str:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    err = resp.json()["error"]
    assert err["code"] == code and err["message"]
    return err["message"]


def test_empty_body(api):
    _error(
        api.post("/api/synthesize", headers={"content-type": "application/json"}), 400, "empty_body"
    )


def test_malformed_json(api):
    r = api.post(
        "/api/synthesize", content=b'{"articles": [', headers={"content-type": "application/json"}
    )
    _error(r, 400, "malformed_json")


@pytest.mark.parametrize(
    "body, needle",
    [
        (b'{"articles": [{"text": "caf\xe9"}]}', "UTF-8"),  # Latin-1 bytes
        (b"[" * 100_000 + b"]" * 100_000, "nested"),
        (b'{"articles": [], "analyze": ' + b"9" * 5000 + b"}", "digits"),
    ],
)
def test_undecodable_json_is_malformed_json(api, body, needle):
    r = api.post("/api/synthesize", content=body, headers={"content-type": "application/json"})
    assert needle in _error(r, 400, "malformed_json")


def test_wrong_content_type(api):
    r = api.post("/api/synthesize", content=b"articles=1", headers={"content-type": "text/plain"})
    assert "application/json" in _error(r, 415, "unsupported_media_type")
    r = api.post("/api/synthesize", data={"articles": "x"})
    _error(r, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "payload, needle",
    [
        ({}, "articles"),
        ({"articles": []}, "articles"),
        ({"articles": "text"}, "articles"),
        ({"articles": [{"text": "   "}]}, "text"),
        # a blank url was fetched: "cannot fetch    : only http:// and https://..."
        ({"articles": [{"text": "   ", "url": "  "}]}, "needs a non-empty 'text' (or a 'url'"),
        ({"articles": [{"url": " \t"}]}, "needs a non-empty 'text' (or a 'url'"),
        ({"articles": [{"text": "x", "colour": "red"}]}, "colour"),
        ({"articles": [{"text": "x" * 200_001}]}, "text"),
        ({"articles": [{"text": "x"}] * 51}, "articles"),
        ({"articles": [{"text": "x"}], "analyze": "maybe"}, "analyze"),
        ([1, 2], ""),
    ],
)
def test_invalid_requests(api, payload, needle):
    assert needle in _error(api.post("/api/synthesize", json=payload), 422, "invalid_request")


def test_unusable_input_is_a_clear_422(api):
    msg = _error(
        api.post("/api/synthesize", json={"articles": sample_articles(), "length": "lots"}),
        422,
        "invalid_input",
    )
    assert "length" in msg
    msg = _error(
        api.post("/api/synthesize", json={"articles": [{"text": FRENCH}]}),
        422,
        "invalid_input",
    )
    assert "English" in msg
    msg = _error(
        api.post("/api/synthesize", json={"articles": [{"text": "Share on Facebook"}]}),
        422,
        "invalid_input",
    )
    assert msg.startswith("article a1: no sentences found")
    msg = _error(
        api.post("/api/synthesize", json={"articles": [sample_articles()[0], {"text": "!!! ..."}]}),
        422,
        "invalid_input",
    )
    assert msg.startswith("article 2: the text holds no letters or digits")


@pytest.mark.parametrize("key", ["title", "outlet", "url", "id"])
def test_a_nul_in_an_articles_metadata_is_refused_by_the_api_and_the_form(api, embedder, key):
    # only the text was checked: a NUL in the title, outlet or url reached the report
    a, b = sample_articles()
    msg = _error(
        api.post("/api/synthesize", json={"articles": [a, {**b, key: "x\x00y"}]}),
        422,
        "invalid_input",
    )
    assert msg.startswith(f"article 2: the '{key}' holds NUL characters")
    if key in ("title", "outlet"):  # the form's boxes
        form = {"text": [a["text"], b["text"]], "title": ["", ""], "outlet": ["", ""]}
        form[key][1] = "x\x00y"
        r = api.post("/report", data=form)
        assert r.status_code == 422
        assert f"article 2: the &#x27;{key}&#x27; holds NUL characters" in r.text
    # metadata given with a URL to fetch is held to the same rule
    html = "<html><body><article><p>" + a["text"] + "</p></article></body></html>"
    c = _client_fetching(
        embedder,
        lambda request: httpx.Response(
            200, headers={"content-type": "text/html"}, content=html.encode()
        ),
    )
    if key != "url":
        item = {"url": "https://news.example/a", key: "x\x00y"}
        msg = _error(c.post("/api/synthesize", json={"articles": [b, item]}), 422, "invalid_input")
        assert msg.startswith(f"article 2: the '{key}' holds NUL characters")


def _client_fetching(embedder, handler):
    """A test client whose URL fetches go to ``handler`` (a public address)."""

    async def resolver(host, port):
        return ["93.184.216.34"]

    fetcher = SafeFetcher(resolver=resolver, transport=httpx.MockTransport(handler))
    return TestClient(create_app(embedder=embedder, warm=False, fetcher=fetcher))


def test_failing_url(embedder):
    c = _client_fetching(embedder, lambda request: httpx.Response(404))
    msg = _error(
        c.post("/api/synthesize", json={"articles": [{"url": "https://news.example/gone"}]}),
        422,
        "http_status",
    )
    assert "https://news.example/gone" in msg and "404" in msg


def test_a_url_holding_a_nul_is_a_clear_422(api):
    # it was an internal error (500): httpx refused it after the checks
    body = {"articles": [{"url": "https://news.example/a\x00b"}]}
    msg = _error(api.post("/api/synthesize", json=body), 422, "bad_url")
    assert "the URL holds a control character" in msg
    r = api.post("/report", data={"text": [""], "urls": "https://news.example/a\x00b"})
    assert r.status_code == 422 and "the URL holds a control character" in r.text


def test_url_article_is_fetched_and_read(embedder):
    texts = [a["text"] for a in sample_articles()]
    html = (
        "<html><head><title>Second report</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in texts[1].split("\n\n"))
        + "</article></body></html>"
    )

    c = _client_fetching(
        embedder,
        lambda request: httpx.Response(
            200, headers={"content-type": "text/html"}, content=html.encode()
        ),
    )
    r = c.post(
        "/api/synthesize",
        json={
            "articles": [
                {"text": texts[0], "outlet": "Reuters"},
                {"url": "https://news.example/b", "outlet": "B"},
            ]
        },
    )
    assert r.status_code == 200, r.text
    arts = r.json()["articles"]
    assert arts[1]["url"] == "https://news.example/b" and arts[1]["outlet"] == "B"
    assert arts[1]["chars"] > 1000


def test_reading_notes_of_a_fetched_page_reach_the_report(embedder):
    """A page served without a charset in Windows-1252 is read with a warning;
    the warning used to be dropped for fetched pages (it now names the URL)."""
    texts = [a["text"] for a in sample_articles()]
    html = "<html><body><article>" + "".join(
        f"<p>{p} The café stayed shut.</p>" for p in texts[1].split("\n\n")
    )
    body = (html + "</article></body></html>").encode("cp1252")

    c = _client_fetching(
        embedder,
        lambda request: httpx.Response(200, headers={"content-type": "text/html"}, content=body),
    )
    r = c.post(
        "/api/synthesize",
        json={"articles": [{"text": texts[0]}, {"url": "https://news.example/b"}]},
    )
    assert r.status_code == 200, r.text
    notes = [w for w in r.json()["warnings"] if "UTF-8" in w]
    assert notes == [
        "https://news.example/b: not valid UTF-8; read as Windows-1252 (check accented characters)"
    ]
    r = c.post(
        "/report",
        data={"text": texts[0], "urls": "https://news.example/b"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    report = c.get(r.headers["location"] + ".json").json()
    assert [w for w in report["warnings"] if "UTF-8" in w] == notes


def test_uploads_are_named_as_uploaded_and_skipped_documents_are_reported(api):
    a, b = (x["text"] for x in sample_articles())
    story = {"id": "s", "documents": [{"text": a}, {"text": " "}, {"text": FRENCH}, {"text": b}]}
    files = [("files", ("story.json", json.dumps(story).encode(), "application/json"))]
    r = api.post("/report", files=files, follow_redirects=False)
    assert r.status_code == 303, r.text
    report = api.get(r.headers["location"] + ".json").json()
    assert [x["origin"] for x in report["articles"]] == ["story.json#1", "story.json#4"]
    skipped = [w for w in report["warnings"] if w.startswith("skipped")]
    assert len(skipped) == 2 and "story.json#2" in skipped[0] and "story.json#3" in skipped[1]
    assert "newsweave-upload" not in r.text + json.dumps(report)
    bad = [
        ("files", ("a.txt", a.encode(), "text/plain")),
        ("files", ("empty.txt", b"", "text/plain")),
    ]
    r = api.post("/report", files=bad)
    assert r.status_code == 422 and "empty.txt: the input is empty" in r.text
    assert "newsweave-upload" not in r.text


def test_stories_without_database(api):
    _error(api.get("/api/stories"), 404, "no_database")
    _error(api.get("/api/stories/abc"), 404, "no_database")


def test_unknown_api_path_and_method(api):
    _error(api.get("/api/nothing"), 404, "not_found")
    _error(api.get("/api/synthesize"), 405, "method_not_allowed")


def test_json_views_answer_errors_in_json(api):
    """A client of /report/KEY.json got an HTML page for an expired key."""
    message = _error(api.get("/report/expired.json"), 404, "not_found")
    assert message.startswith("report not found")
    _error(api.get("/nothing.json"), 404, "not_found")
    page = api.get("/report/expired")  # the page itself stays a page
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def _hold(monkeypatch, name: str, outcome: Exception):
    """Replace ``Engine.<name>`` with a stand-in that signals ``started``,
    waits for ``release`` (in its worker thread) and raises ``outcome``."""
    import threading

    started, release = threading.Event(), threading.Event()

    def held(self, *args, **kwargs):
        started.set()
        assert release.wait(60), "never released"
        raise outcome

    monkeypatch.setattr(Engine, name, held)
    return started, release


async def _healthz_while_held(c, started, release, result: dict, request) -> None:
    """Send ``request`` (its response into ``result["r"]``); once the held work
    started, /healthz must answer while it is still held; then release it."""

    async def send():
        result["r"] = await request()

    with anyio.fail_after(120):  # a guard against a hang, not a limit
        async with anyio.create_task_group() as tg:
            tg.start_soon(send)
            while not started.is_set():
                await anyio.sleep(0.01)
            health = await c.get("/healthz")  # the event loop is free meanwhile
            assert "r" not in result  # the work is still held
            assert health.status_code == 200
            release.set()


def test_healthz_answers_while_a_synthesis_runs(monkeypatch):
    """CPU work runs in a worker thread: the event loop stays free."""
    started, release = _hold(monkeypatch, "_summarize", RuntimeError("done"))
    app = create_app(warm=False)

    async def main():
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            result: dict = {}
            text = "The minister spoke to reporters on Monday about the plan."
            await _healthz_while_held(
                c,
                started,
                release,
                result,
                lambda: c.post("/api/synthesize", json={"articles": [{"text": text}]}),
            )
            assert result["r"].status_code == 500

    anyio.run(main)


def test_healthz_answers_while_an_upload_is_read(monkeypatch):
    """Reading uploads (HTML extraction takes seconds for a few MB) runs in a
    worker thread too; it used to block the event loop for its whole length."""
    outcome = InputError("big.html: no article found")
    started, release = _hold(monkeypatch, "articles_from_files", outcome)
    app = create_app(warm=False)

    async def main():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            result: dict = {}
            files = {"files": ("big.html", b"<p>text</p>", "text/html")}
            await _healthz_while_held(
                c, started, release, result, lambda: c.post("/report", files=files)
            )
            assert (
                result["r"].status_code == 422 and "big.html: no article found" in result["r"].text
            )

    anyio.run(main)


def test_healthz_answers_while_a_real_synthesis_is_under_way(embedder, monkeypatch):
    """The real request path (reading, the pipeline, the analysis) runs off
    the event loop: /healthz answers while a synthesis is held in its worker
    thread, and the pipeline ran on another thread than the loop's. (It was a
    wall-clock limit, < 1 s per health check, which a loaded machine can miss;
    scripts/load_web.py prints the /healthz latency under load.)"""
    import threading

    real = Engine._summarize
    started, release = threading.Event(), threading.Event()
    threads: list[int] = []

    def held(self, articles, length, analyze):
        threads.append(threading.get_ident())
        started.set()
        assert release.wait(60), "never released"
        return real(self, articles, length, analyze)

    monkeypatch.setattr(Engine, "_summarize", held)
    app = create_app(embedder=embedder, warm=False)
    articles = sample_articles()

    async def main():
        loop_thread = threading.get_ident()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=120) as c:
            result: dict = {}
            body = {"articles": articles, "analyze": True}
            await _healthz_while_held(
                c, started, release, result, lambda: c.post("/api/synthesize", json=body)
            )
            assert result["r"].status_code == 200, result["r"].text
            assert result["r"].json()["summary"]
            assert threads and loop_thread not in threads

    anyio.run(main)


def test_startup_loads_the_shared_model_once(embedder, monkeypatch):
    """The lifespan warms the default embedder; requests reuse that object."""
    import newsweave.embed as embed_mod

    calls = []
    real = embed_mod.get_embedder

    def counting(name=None, *a, **k):
        calls.append(name)
        return real(name, *a, **k)

    monkeypatch.setattr(embed_mod, "get_embedder", counting)
    with TestClient(create_app()) as c:  # runs the lifespan (warm-up)
        assert calls, "the model was not loaded at start-up"
        assert embed_mod.get_embedder() is embedder  # one object per process
        for _ in range(2):
            r = c.post("/api/synthesize", json={"articles": sample_articles(), "length": "3s"})
            assert r.status_code == 200
    assert {id(real(n)) for n in calls} == {id(embedder)}


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        ("busy", 503, "busy"),
        ("missing", 501, "not_available"),
        ("input", 422, "invalid_input"),
    ],
)
def test_newsweave_errors_map_to_status_code_and_page(embedder, exc, status, code):
    from newsweave.errors import InputError, MissingDependency
    from newsweave.web.service import Busy

    errors = {
        "busy": Busy("all workers are busy"),
        "missing": MissingDependency("spaCy", "pip install spacy"),
        "input": InputError("the text is empty"),
    }
    app = create_app(embedder=embedder, warm=False)

    def boom():
        raise errors[exc]

    app.add_api_route("/api/boom", boom)
    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/boom")
        assert r.status_code == status
        assert r.json()["error"]["code"] == code
        assert str(errors[exc]) in r.json()["error"]["message"]
        page = c.get("/boom")
        assert page.status_code == status
        assert "text/html" in page.headers["content-type"]
    if exc == "busy":
        assert r.headers["retry-after"] == "5" and page.headers["retry-after"] == "5"


def test_the_form_address_opened_again_goes_back_to_the_form(api):
    r = api.get("/report", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert api.get("/report").url.path == "/"  # the form, not a 405 page


def test_a_message_names_the_article_box_the_user_filled_not_its_rank(api, embedder):
    # with box 1 left empty, box 2 was called "article 1" (the API's list
    # likewise, after an item given by URL)
    a, _ = sample_articles()
    form = {"text": ["", "!!! ...", a["text"]], "title": ["", "", ""], "outlet": ["", "", ""]}
    r = api.post("/report", data=form)
    assert r.status_code == 422
    assert "article 2: the text holds no letters or digits" in r.text
    html = "<html><body><article><p>" + a["text"] + "</p></article></body></html>"

    c = _client_fetching(
        embedder,
        lambda request: httpx.Response(
            200, headers={"content-type": "text/html"}, content=html.encode()
        ),
    )
    body = {"articles": [{"url": "https://news.example/a"}, {"text": "!!! ..."}, a]}
    msg = _error(c.post("/api/synthesize", json=body), 422, "invalid_input")
    assert msg.startswith("article 2: the text holds no letters or digits")


def test_default_ids_count_every_article_given_not_only_the_texts(embedder):
    # the API numbered its text items among themselves (a URL then two texts
    # gave the texts a1, a2), and a form with box 1 empty called box 2 "a1"
    # while its messages said "article 2": ids now follow the places given
    a, b = sample_articles()
    html = "<html><body><article><p>" + b["text"] + "</p></article></body></html>"
    c = _client_fetching(
        embedder,
        lambda request: httpx.Response(
            200, headers={"content-type": "text/html"}, content=html.encode()
        ),
    )
    page = {"url": "https://news.example/a2"}

    def ids(articles: list[dict]) -> list[str]:
        r = c.post("/api/synthesize", json={"articles": articles, "length": "2s"})
        assert r.status_code == 200, r.text
        return [x["id"] for x in r.json()["articles"]]

    assert ids([page, a, b]) == ["a1", "a2", "a3"]
    assert ids([a, page, b]) == ["a1", "a2", "a3"]
    assert ids([a, {**page, "id": "wire"}, b]) == ["a1", "wire", "a3"]
    assert ids([{**a, "id": "a3"}, page, b]) == ["a3", "a2", "a3-2"]  # unique
    form = {"text": ["", a["text"], b["text"]], "title": ["", "", ""], "outlet": ["", "", ""]}
    r = c.post("/report", data={**form, "length": "2s"}, follow_redirects=False)
    assert r.status_code == 303
    report = c.get(r.headers["location"] + ".json").json()
    assert [x["id"] for x in report["articles"]] == ["a2", "a3"]


def test_form_back_with_an_error_names_the_files_to_choose_again(api):
    """A browser never refills a file input: when the form comes back with an
    error about a pasted box, the files the user chose would be lost unseen."""
    a, _ = sample_articles()
    files = [("files", ("first.txt", a["text"].encode(), "text/plain"))]
    form = {"text": ["", ""], "title": ["", "A title"], "outlet": ["", ""]}
    r = api.post("/report", data=form, files=files)
    assert r.status_code == 422
    assert "article 2 has a title but no text" in r.text
    assert 'id="files-again"' in r.text and "Choose the files again" in r.text
    assert "first.txt" in r.text.split('id="files-again"', 1)[1].split("</p>", 1)[0]
    r = api.post("/report", data=form)  # no files: no such note
    assert r.status_code == 422 and 'id="files-again"' not in r.text


def test_report_downloads_as_markdown_like_the_cli(api):
    a, b = sample_articles()
    form = {"text": [a["text"], b["text"]], "title": [a["title"], b["title"]], "length": "100w"}
    r = api.post("/report", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    key = r.headers["location"]
    assert f'href="{key}.md"' in api.get(key).text  # offered on the report page
    md = api.get(key + ".md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "attachment" in md.headers["content-disposition"]
    report = api.get(key + ".json").json()
    assert md.text.startswith("# ") and report["summary"][0]["text"][:40] in md.text
    assert api.get("/report/nope.md").status_code == 404


def test_favicon_is_no_error(api):
    r = api.get("/favicon.ico")
    assert r.status_code == 204 and r.content == b"" and "max-age" in r.headers["cache-control"]
