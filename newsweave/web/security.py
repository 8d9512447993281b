"""ASGI middleware: request size limit, security headers, optional token.

Plain ASGI classes (no framework), so each one is small and testable:

- :class:`BodyLimit` answers 413 before reading a body whose declared
  ``Content-Length`` is over the limit, and stops a streamed body as soon as
  it passes the limit;
- :class:`SecurityHeaders` adds a strict Content-Security-Policy (scripts and
  styles only from this server), ``nosniff``, ``no-referrer`` and framing
  protection to every response;
- :class:`HostCheck` refuses requests whose ``Host`` is not this server's
  (DNS rebinding against a server on localhost);
- :class:`HeadAsGet` answers ``HEAD`` wherever ``GET`` works (headers only);
- :class:`TokenAuth` requires ``Authorization: Bearer <token>`` on the API
  (or, for the HTML pages, a cookie set by ``/login``, which then leads back
  to the page asked for: :func:`local_target`) when a token is set.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
COOKIE = "newsweave_session"
OPEN_PATHS = ("/healthz", "/static/", "/login", "/favicon.ico")


def error_body(code: str, message: str) -> bytes:
    """The JSON error document every API error uses."""
    return json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")


async def send_error(
    send: Send, status: int, code: str, message: str, *, html: bool = False
) -> None:
    """Send a complete error response (JSON, or a tiny HTML page)."""
    if html:  # the same page as the app's own errors: styled, with a way back
        from .page import error_page

        body = error_page(status, message).encode()
        ctype = b"text/html; charset=utf-8"
    else:
        body = error_body(code, message)
        ctype = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def json_path(path: str) -> bool:
    """Whether errors at ``path`` are answered in JSON: the API, and views
    that serve JSON (``/report/KEY.json``, ``/openapi.json``)."""
    return path.startswith("/api/") or path.endswith(".json")


def wants_json(scope: Scope) -> bool:
    """True for paths answered in JSON (the API, JSON views and the health check)."""
    path = scope.get("path", "")
    return json_path(path) or path == "/healthz"


class BodyTooLarge(HTTPException):
    """Raised inside ``receive`` when a streamed body passes the limit.

    An ``HTTPException`` so that frameworks reading the body re-raise it
    unchanged and the app's handler answers 413.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large(limit))


def too_large(limit: int) -> str:
    """The message for a body over ``limit`` bytes, in the unit the form states (MB)."""
    return f"request body over the {limit / 2**20:.3g} MB limit ({limit} bytes)"


class BodyLimit:
    """Refuse request bodies larger than ``max_body`` bytes with 413."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body
        message = too_large(limit)
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await send_error(send, 400, "bad_request", "invalid Content-Length header")
                return
            if int(declared) > limit:
                await send_error(send, 413, "too_large", message, html=not wants_json(scope))
                return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return msg

        async def tracking_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await send_error(send, 413, "too_large", message, html=not wants_json(scope))


class SecurityHeaders:
    """Add security headers to every HTTP response."""

    HEADERS = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                have = {k.lower() for k, _ in msg.get("headers", [])}
                msg["headers"] = list(msg.get("headers", [])) + [
                    (k, v) for k, v in self.HEADERS if k not in have
                ]
            await send(msg)

        await self.app(scope, receive, with_headers)


class HeadAsGet:
    """Answer ``HEAD`` like ``GET``, without the body.

    HTTP servers must support ``HEAD`` wherever ``GET`` works (link checkers,
    load balancers and ``curl -I`` use it), but FastAPI routes list ``GET``
    only, so a ``HEAD`` request would get 405.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(msg: Message) -> None:
            if msg["type"] == "http.response.body":
                msg = {**msg, "body": b""}
            await send(msg)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def host_name(header: str) -> str:
    """The host part of a ``Host`` header (IPv6 brackets and port removed)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostCheck:
    """Answer 400 unless the ``Host`` header names this server.

    A page on another site can make its own name resolve to 127.0.0.1 (DNS
    rebinding) and then read a local server's answers as same-origin; checking
    the Host header stops that.
    """

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = {host_name(h) for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = host_name(_header(scope, b"host") or "")
            if host not in self.allowed:
                await send_error(
                    send,
                    400,
                    "bad_host",
                    f"unexpected Host header {host!r}",
                    html=not wants_json(scope),
                )
                return
        await self.app(scope, receive, send)


def session_value(token: str) -> str:
    """The cookie value proving the browser knew ``token`` (not the token)."""
    return hmac.new(token.encode(), b"newsweave-session", hashlib.sha256).hexdigest()


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie") or ""
    for part in raw.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def local_target(value: str | None) -> str:
    """``value`` when it is a path on this server (``/stories?q=x``), else
    ``/``: never an absolute URL, a ``//host`` or anything a browser would
    read as one (backslashes, control characters or spaces), nor the sign-in
    page itself. Where ``/login`` leads after signing in."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path == "/login":
        return "/"
    return value


def login_location(scope: Scope) -> str:
    """The sign-in page, with the page a browser asked for (``GET``) as ``next``."""
    target = "/"
    if scope.get("method") in ("GET", "HEAD"):
        query = scope.get("query_string", b"").decode("latin-1")
        target = local_target(quote(scope.get("path", "/")) + (f"?{query}" if query else ""))
    if target == "/":
        return "/login"
    return "/login?" + urlencode({"next": target}, encoding="latin-1")


class TokenAuth:
    """Require the API token on everything but health checks, static files
    and the login page. The API takes ``Authorization: Bearer <token>``;
    HTML pages also accept the session cookie set by ``/login``."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token
        self.session = session_value(token)

    def allowed(self, scope: Scope) -> bool:
        auth = _header(scope, b"authorization") or ""
        scheme, _, given = auth.partition(" ")
        # header bytes were read as Latin-1; clients send a non-ASCII token as UTF-8
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode("latin-1"), self.token.encode()
        ):
            return True
        if scope.get("path", "").startswith("/api/"):
            return False  # the API takes the Bearer header only
        cookie = _cookie(scope, COOKIE) or ""
        return hmac.compare_digest(cookie.encode(), self.session.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(OPEN_PATHS) or self.allowed(scope):
            await self.app(scope, receive, send)
            return
        if wants_json(scope):
            body = error_body(
                "unauthorized", "a valid API token is required (Authorization: Bearer <token>)"
            )
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"www-authenticate", b'Bearer realm="newsweave"'),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", login_location(scope).encode("latin-1")),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})
