"""Safe URL fetching: SSRF refusals (after DNS and on every redirect), limits.

No real network: a fake resolver maps host names to addresses and an httpx
MockTransport plays the web servers.
"""

from __future__ import annotations

import anyio
import fastapi  # noqa: F401  (a [test] dependency: missing is a failure, not a skip)
import httpx
import pytest

from newsweave.errors import InputError
from newsweave.web.fetch import FetchError, SafeFetcher, is_public_address

PUBLIC = "93.184.216.34"
DNS = {
    "news.example": [PUBLIC],
    "other.example": ["93.184.216.35"],
    "internal.example": ["10.1.2.3"],
    "mixed.example": [PUBLIC, "127.0.0.1"],
    "rebind.example": ["169.254.169.254"],
    "v6.example": ["2606:4700::6810:85e5"],
    "v6-mapped.example": ["::ffff:127.0.0.1"],
}
ARTICLE = b"<html><head><title>T</title></head><body><article><p>Text.</p></article></body></html>"


async def fake_resolver(host: str, port: int) -> list[str]:
    if host not in DNS:
        raise OSError("Name or service not known")
    return DNS[host]


def fetcher(handler, **kw) -> SafeFetcher:
    return SafeFetcher(resolver=fake_resolver, transport=httpx.MockTransport(handler), **kw)


def run(f: SafeFetcher, url: str):
    return anyio.run(f.fetch, url)


def ok_html(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, headers={"content-type": "text/html; charset=utf-8"}, content=ARTICLE
    )


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.100.100.200",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",
        "not an ip",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:4700::6810:85e5"])
def test_public_addresses_pass(address):
    assert is_public_address(address)


def recording():
    """A handler answering every request with a page, and the list of the
    requests it was given (to show a URL was refused before any request)."""
    calls = []

    def handler(request):
        calls.append(request)
        return ok_html(request)

    return handler, calls


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://[::1]:8000/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/",
        "http://0.0.0.0:8000/",
        "http://localhost/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://internal.example/",
        "http://mixed.example/",
        "http://rebind.example/",
        "http://v6-mapped.example/",
    ],
)
def test_private_targets_refused_before_any_request(url):
    handler, calls = recording()
    with pytest.raises(FetchError) as info:
        run(fetcher(handler), url)
    assert info.value.code == "url_refused"
    assert "not a public address" in str(info.value)
    assert calls == []  # refused after resolution, before connecting


@pytest.mark.parametrize(
    "url, code",
    [
        ("file:///etc/passwd", "bad_url"),
        ("ftp://news.example/a.txt", "bad_url"),
        ("gopher://news.example/", "bad_url"),
        ("http://user:pw@news.example/", "bad_url"),
        ("http:///nohost", "bad_url"),
        ("http://unknown.example/", "dns"),
    ],
)
def test_bad_urls(url, code):
    with pytest.raises(FetchError) as info:
        run(fetcher(ok_html), url)
    assert info.value.code == code
    assert isinstance(info.value, InputError)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f"])
def test_a_url_holding_a_control_character_is_a_bad_url(char):
    # urlsplit let it through and httpx's InvalidURL escaped as a 500
    handler, calls = recording()
    with pytest.raises(FetchError) as info:
        run(fetcher(handler), f"https://news.example/a{char}b")
    assert info.value.code == "bad_url" and calls == []
    assert str(info.value) == (
        f"cannot fetch https://news.example/a?b: the URL holds a control character "
        f"({char!r} at character 22)"
    )


def test_fetch_connects_to_the_checked_address_with_host_header():
    seen = []

    def handler(request):
        seen.append(request)
        return ok_html(request)

    page = run(fetcher(handler), "https://news.example/story?id=1#top")
    assert page.body == ARTICLE
    assert page.content_type == "text/html" and page.charset == "utf-8"
    (req,) = seen
    assert req.url.host == PUBLIC  # pinned: no second DNS lookup by the client
    assert req.url.path == "/story" and req.url.query == b"id=1"
    assert req.headers["host"] == "news.example"
    assert req.extensions["sni_hostname"] == "news.example"


def test_ipv6_and_port_are_kept():
    seen = []

    def handler(request):
        seen.append(request)
        return ok_html(request)

    run(fetcher(handler), "http://v6.example:8080/a")
    assert seen[0].url.host == "2606:4700::6810:85e5" and seen[0].url.port == 8080
    assert seen[0].headers["host"] == "v6.example:8080"


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1/admin",
        "http://internal.example/secret",
        "http://169.254.169.254/latest/meta-data/iam",
        "file:///etc/passwd",
    ],
)
def test_redirect_to_private_address_is_refused(location):
    hosts = []

    def handler(request):
        hosts.append(request.headers["host"])
        return httpx.Response(302, headers={"location": location})

    with pytest.raises(FetchError) as info:
        run(fetcher(handler), "http://news.example/")
    assert info.value.code in ("url_refused", "bad_url")
    assert hosts == ["news.example"]  # the private target was never contacted


def test_redirects_are_followed_and_checked_each_time():
    hosts = []

    def handler(request):
        hosts.append(request.headers["host"])
        if request.headers["host"] == "news.example":
            return httpx.Response(301, headers={"location": "http://other.example/final"})
        return ok_html(request)

    page = run(fetcher(handler), "http://news.example/start")
    assert hosts == ["news.example", "other.example"]
    assert page.url == "http://other.example/final"


def test_relative_redirect_and_redirect_loop():
    def handler(request):
        return httpx.Response(302, headers={"location": "/again"})

    with pytest.raises(FetchError) as info:
        run(fetcher(handler, max_redirects=3), "http://news.example/")
    assert info.value.code == "too_many_redirects"


@pytest.mark.parametrize("ctype", ["application/pdf", "image/png", "application/octet-stream", ""])
def test_content_type_must_be_text(ctype):
    def handler(request):
        return httpx.Response(200, headers={"content-type": ctype}, content=b"%PDF-1.4")

    with pytest.raises(FetchError) as info:
        run(fetcher(handler), "http://news.example/a")
    assert info.value.code == "content_type"


def test_size_limit_declared_and_streamed():
    def declared(request):
        return httpx.Response(
            200,
            headers={"content-type": "text/plain", "content-length": "5000"},
            content=b"x" * 5000,
        )

    with pytest.raises(FetchError) as info:
        run(fetcher(declared, max_bytes=1000), "http://news.example/a")
    assert info.value.code == "too_large"

    def streamed(request):
        async def chunks():
            for _ in range(50):
                yield b"y" * 100

        return httpx.Response(200, headers={"content-type": "text/plain"}, content=chunks())

    with pytest.raises(FetchError) as info:
        run(fetcher(streamed, max_bytes=1000), "http://news.example/a")
    assert info.value.code == "too_large"


def test_timeout():
    async def slow(request):
        await anyio.sleep(5)
        return ok_html(request)

    f = fetcher(slow, timeout=0.2)
    with pytest.raises(FetchError) as info:
        run(f, "http://news.example/a")
    assert info.value.code == "timeout"


def test_http_error_status_and_connection_failure():
    with pytest.raises(FetchError) as info:
        run(fetcher(lambda r: httpx.Response(404)), "http://news.example/a")
    assert info.value.code == "http_status" and "404" in str(info.value)

    def boom(request):
        raise httpx.ConnectError("refused")

    with pytest.raises(FetchError) as info:
        run(fetcher(boom), "http://news.example/a")
    assert info.value.code == "fetch_failed"
