"""Web security: headers, CORS closed by default, token, size limits, no
tracebacks to clients, URL fetching switch. No model needed (the pipeline is
replaced where a request would reach it)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsweave.errors import InputError
from newsweave.web.app import create_app
from newsweave.web.service import Engine, _safe_name

ORIGIN = "https://evil.example"


def client(**kw) -> TestClient:
    kw.setdefault("warm", False)
    return TestClient(create_app(**kw), raise_server_exceptions=False)


def test_security_headers_on_pages_and_api():
    c = client()
    for resp in (c.get("/"), c.get("/healthz"), c.get("/api/stories"), c.get("/static/app.js")):
        csp = resp.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["x-frame-options"] == "DENY"
        assert resp.headers["referrer-policy"] == "no-referrer"


def test_head_is_answered_like_get_without_a_body():
    c = client()
    for path in ("/", "/healthz", "/docs", "/static/app.css", "/api/stories"):
        get, head = c.get(path), c.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b"" and get.content, path
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers["content-length"] == get.headers["content-length"]
    assert c.head("/nope").status_code == 404


def test_method_not_allowed_names_the_allowed_methods():
    c = client()
    api = c.get("/api/synthesize")
    assert api.status_code == 405 and api.headers["allow"] == "POST"
    page = c.put("/report")
    assert page.status_code == 405 and set(page.headers["allow"].split(", ")) == {"GET", "POST"}
    assert "text/html" in page.headers["content-type"]


def test_cors_closed_by_default():
    c = client()
    pre = c.options(
        "/api/synthesize",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in pre.headers
    resp = c.get("/healthz", headers={"Origin": ORIGIN})
    assert resp.status_code == 200
    assert "access-control-allow-origin" not in resp.headers


def test_cors_only_for_configured_origins():
    c = client(cors_origins=("https://ok.example",))
    ok = c.options(
        "/api/synthesize",
        headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "POST"},
    )
    assert ok.headers["access-control-allow-origin"] == "https://ok.example"
    bad = c.get("/healthz", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in bad.headers


def test_token_protects_api_and_pages(monkeypatch):
    c = client(token="s3cret")
    r = c.get("/api/stories")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert c.get("/api/stories", headers={"Authorization": "Bearer nope"}).status_code == 401
    ok = c.get("/api/stories", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 404 and ok.json()["error"]["code"] == "no_database"  # past the token
    assert c.get("/openapi.json").status_code == 401
    assert c.get("/healthz").status_code == 200
    # HTML pages: redirect to the login form, cookie after a good token
    page = c.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login"
    assert c.post("/login", data={"token": "wrong"}).status_code == 401
    login = c.post("/login", data={"token": "s3cret"}, follow_redirects=False)
    assert login.status_code == 303
    cookie = login.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "s3cret" not in cookie
    assert c.get("/", follow_redirects=False).status_code == 200
    # the cookie does not open the API: it needs the Bearer header
    assert c.get("/api/stories").status_code == 401


def test_non_ascii_token_is_accepted_as_clients_send_it():
    from newsweave.web.security import TokenAuth

    auth = TokenAuth(None, "tök")

    def scope(value: bytes) -> dict:
        return {"path": "/api/stories", "headers": [(b"authorization", b"Bearer " + value)]}

    assert auth.allowed(scope("tök".encode()))  # curl and browsers send UTF-8 bytes
    assert not auth.allowed(scope(b"tok"))


def test_token_from_environment(monkeypatch):
    monkeypatch.setenv("NEWSWEAVE_TOKEN", "from-env")
    c = client()
    assert c.get("/api/stories").status_code == 401
    assert c.get("/api/stories", headers={"Authorization": "Bearer from-env"}).status_code == 404


def test_declared_body_too_large_is_refused_before_reading():
    c = client(max_body=1000)
    r = c.post(
        "/api/synthesize",
        content=b'{"articles": [{"text": "' + b"x" * 2000 + b'"}]}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_streamed_body_too_large_is_cut():
    c = client(max_body=1000)

    def chunks():
        for _ in range(20):
            yield b"x" * 200

    r = c.post("/api/synthesize", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_form_upload_too_large():
    c = client(max_body=1000)
    r = c.post("/report", files={"files": ("big.txt", b"word " * 1000, "text/plain")})
    assert r.status_code == 413
    assert "text/html" in r.headers["content-type"]


def test_too_large_form_gets_the_styled_error_page_in_megabytes():
    """A browser declares the length of a form: the 413 sent before reading it
    is the app's error page (stylesheet, heading, a way back), in MB as the form's hint."""
    c = client(max_body=2**20)
    r = c.post("/report", files={"files": ("big.txt", b"word " * 300_000, "text/plain")})
    assert r.status_code == 413
    assert '<link rel="stylesheet" href="/static/app.css">' in r.text
    assert "<h1>Too large</h1>" in r.text and 'href="/">Back to the start page' in r.text
    assert "request body over the 1 MB limit (1048576 bytes)" in r.text
    assert "up to 1 MB in all" in c.get("/").text
    api = c.post("/api/synthesize", content=b"x" * (2**20 + 1))
    assert api.json()["error"]["message"] == "request body over the 1 MB limit (1048576 bytes)"


def test_form_over_the_file_or_box_limits_is_answered_on_the_form():
    """Starlette counts form fields (three per article box) and files; the
    user sees the form again with the limits in their own terms."""
    c = client(max_upload_files=2, max_articles=3)
    files = [("files", (f"a{i}.txt", b"Some text.", "text/plain")) for i in range(3)]
    r = c.post("/report", files=files)
    assert r.status_code == 422
    assert 'id="form-error"' in r.text and 'id="synth-form"' in r.text
    assert "more than 2 files uploaded; the limit is 2 per request" in r.text
    boxes = [(k, (None, "x")) for _ in range(8) for k in ("text", "title", "outlet")]
    r = c.post("/report", files=boxes)
    assert r.status_code == 422
    assert "more than 3 article boxes sent; the limit is 3 articles per request" in r.text
    assert "fields" not in r.text.split('id="form-error"', 1)[1].split("</div>", 1)[0]


def test_form_with_files_and_no_text_boxes_reads_the_files(monkeypatch):
    """A form posted by a script may carry files only (no pasted-text boxes):
    the files are read, a binary one is refused by name (422, not a 500)."""
    seen = []

    def from_files(self, files, warnings=None):
        seen.extend(name for name, _ in files)
        raise InputError(f"{files[0][0]}: looks like a binary file")

    monkeypatch.setattr(Engine, "articles_from_files", from_files)
    r = client().post("/report", files={"files": ("x.bin", b"\x00\x01" * 50, "text/plain")})
    assert r.status_code == 422 and "x.bin: looks like a binary file" in r.text
    assert seen == ["x.bin"]


def test_form_box_with_a_title_but_no_text_is_refused_not_dropped():
    """An empty box is skipped; one holding a title or outlet is an error (the
    title would vanish), and what was typed is kept on the form."""
    r = client().post(
        "/report",
        data={"title": ["", "My title"], "outlet": ["", "Reuters"], "text": ["", "  "]},
    )
    assert r.status_code == 422
    assert "article 2 has a title and an outlet but no text" in r.text
    assert 'value="My title"' in r.text and 'value="Reuters"' in r.text


def test_crash_gives_generic_500_without_traceback(monkeypatch):
    async def boom(self, *a, **k):
        raise RuntimeError("secret internal detail /srv/key")

    monkeypatch.setattr(Engine, "synthesize", boom)
    monkeypatch.setattr(Engine, "articles_from_items", lambda self, items, numbers=None: [])
    c = client()
    r = c.post("/api/synthesize", json={"articles": [{"text": "Some text here."}]})
    assert r.status_code == 500
    body = r.text
    assert r.json() == {
        "error": {
            "code": "internal",
            "message": "internal server error; the problem has been logged",
        }
    }
    assert "secret" not in body and "Traceback" not in body and "RuntimeError" not in body
    page = c.post("/report", data={"text": "Some text here."})
    assert page.status_code == 500
    assert "secret" not in page.text and "Traceback" not in page.text


def test_url_fetching_can_be_switched_off():
    c = client(allow_urls=False)
    r = c.post("/api/synthesize", json={"articles": [{"url": "https://news.example/a"}]})
    assert r.status_code == 422
    assert "switched off" in r.json()["error"]["message"]
    assert 'name="urls"' not in c.get("/").text
    assert 'name="urls"' in client().get("/").text


def test_url_to_private_address_is_refused_through_the_api():
    c = client()
    r = c.post("/api/synthesize", json={"articles": [{"url": "http://169.254.169.254/latest/"}]})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "url_refused" and "169.254.169.254" in err["message"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..", "upload3"),
        ("a b<c>.txt", "a_b_c_.txt"),
        ("C:\\x\\y.html", "C_x_y.html"),
        ("", "upload3"),
        ("новости.txt", "новости.txt"),  # letters of any script are kept
        ("新闻 2.json", "新闻_2.json"),
        ("x" * 100 + ".html", "x" * 75 + ".html"),  # cut, keeping the extension
        ("𠀀" * 80 + ".txt", "𠀀" * 49 + ".txt"),  # at most 200 UTF-8 bytes
        ("a\x00b.txt", "a_b.txt"),
    ],
)
def test_upload_names_cannot_escape_the_temp_dir(name, expected):
    assert _safe_name(name, 3) == expected


def test_host_check_refuses_dns_rebinding():
    c = TestClient(create_app(warm=False, allowed_hosts=("localhost", "127.0.0.1", "::1")))
    assert c.get("/healthz", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert c.get("/healthz", headers={"host": "localhost"}).status_code == 200
    assert c.get("/healthz", headers={"host": "[::1]:8000"}).status_code == 200
    bad = c.get("/api/stories", headers={"host": "evil.example:8000"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_host"
    assert c.get("/", headers={"host": "attacker.test"}).status_code == 400


def test_busy_server_answers_503_with_retry_after(monkeypatch):
    import time

    def slow(self, articles, length, analyze):
        time.sleep(1.0)
        raise RuntimeError("stop")

    monkeypatch.setattr(Engine, "_summarize", slow)
    app = create_app(warm=False, max_queue=1, workers=1)

    import anyio
    import httpx

    async def main():
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            body = {"articles": [{"text": "The minister spoke to reporters on Monday."}]}
            got = {}

            async def call(i):
                got[i] = await c.post("/api/synthesize", json=body)

            async with anyio.create_task_group() as tg:
                tg.start_soon(call, 0)
                await anyio.sleep(0.2)
                tg.start_soon(call, 1)
            return got[0], got[1]

    first, second = anyio.run(main)
    assert second.status_code == 503
    assert second.json()["error"]["code"] == "busy"
    assert second.headers["retry-after"] == "5"
    assert first.status_code == 500  # the fake pipeline's own failure, reported generically


def test_total_characters_limit():
    c = client(max_total_chars=1000)
    text = "The minister spoke to reporters on Monday about the plan. " * 12
    r = c.post("/api/synthesize", json={"articles": [{"text": text}, {"text": text}]})
    assert r.status_code == 422
    assert "limit is 1000" in r.json()["error"]["message"]


def test_total_characters_limit_is_the_one_the_pipeline_applies(monkeypatch):
    import newsweave.pipeline as pipeline
    from newsweave.decode import MAX_STORY_CHARS

    seen = []

    def fake(articles, **kw):
        seen.append(kw["max_chars"])
        raise InputError("stop here")

    monkeypatch.setattr(pipeline, "summarize", fake)
    text = "The minister spoke to reporters on Monday about the plan. " * 12
    body = {"articles": [{"text": text}, {"text": text}]}
    assert client().post("/api/synthesize", json=body).status_code == 422
    big = client(max_total_chars=MAX_STORY_CHARS * 2)
    assert big.post("/api/synthesize", json=body).status_code == 422
    # the server's own limit, not the library's default, bounds the pipeline
    assert seen == [MAX_STORY_CHARS, MAX_STORY_CHARS * 2]


def test_login_page_only_with_a_token():
    assert client().get("/login", follow_redirects=False).status_code == 303
    page = client(token="t").get("/login")
    assert page.status_code == 200 and 'type="password"' in page.text


def test_signing_in_leads_back_to_the_page_asked_for():
    """After signing in the browser always landed on '/', not on the page it
    had asked for: the sign-in redirect now carries it (``next``) through the
    form and back."""
    c = client(token="s3cret")
    asked = c.get("/stories?q=flood&sort=recent", follow_redirects=False)
    assert asked.status_code == 303
    location = asked.headers["location"]
    assert location == "/login?next=%2Fstories%3Fq%3Dflood%26sort%3Drecent"
    form = c.get(location)
    assert form.status_code == 200
    assert 'name="next" value="/stories?q=flood&amp;sort=recent"' in form.text
    wrong = c.post("/login", data={"token": "no", "next": "/stories?q=flood"})
    assert wrong.status_code == 401 and 'value="/stories?q=flood"' in wrong.text
    signed = c.post(
        "/login", data={"token": "s3cret", "next": "/stories?q=flood"}, follow_redirects=False
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/stories?q=flood"
    assert "set-cookie" in signed.headers
    # a form posted without a session is not replayed as a GET after signing in
    posted = TestClient(c.app).post("/summarize", follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"] == "/login"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        " //evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
        "/login",
        "",
    ],
)
def test_signing_in_never_leads_to_another_site(target):
    """``next`` leads only to a local path of this server (open redirect)."""
    c = client(token="s3cret")
    r = c.post("/login", data={"token": "s3cret", "next": target}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    form = c.get("/login", params={"next": target})
    assert 'name="next"' not in form.text
    assert (
        client().get("/login", params={"next": target}, follow_redirects=False).headers["location"]
        == "/"
    )
