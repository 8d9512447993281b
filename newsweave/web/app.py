"""The web application: :func:`create_app` builds a FastAPI app over the library.

Layers (outermost first): security headers → allowed Host names (against
DNS rebinding) → request size limit → CORS (only when origins are given;
closed by default) → optional token → HEAD answered as GET → FastAPI
routes (HTML pages in :mod:`.views` and :mod:`.story_pages`, JSON API in
:mod:`.api`). Errors never show a traceback: API clients get
``{"error": {"code", "message"}}``, browsers a short HTML page; unexpected
exceptions are logged and answered with a generic 500.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from ..errors import InputError, MissingDependency, NewsweaveError, require

log = logging.getLogger("newsweave.web")
STATIC = Path(__file__).parent / "static"
INSTALL = "pip install 'newsweave[web]'"


def _json_error(status: int, code: str, message: str, headers: dict[str, str] | None = None):
    from fastapi.responses import JSONResponse

    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def _is_api(request) -> bool:
    from .security import json_path

    return json_path(request.url.path)


def _html_error(request, status: int, message: str):
    from fastapi.responses import HTMLResponse

    from .page import error_page

    return HTMLResponse(error_page(status, message), status_code=status)


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more


def _page_message(errors: list[dict[str, Any]]) -> str:
    """:func:`_validation_message` for a person at a browser: a query value
    that is not a whole number is named plainly ("page must be a whole
    number"), not as pydantic's "query.page: Input should be a valid integer..."."""
    plain = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if len(loc) != 2 or loc[0] != "query" or not str(err.get("type", "")).startswith("int_"):
            return _validation_message(errors)
        plain.append(f"{loc[1]} must be a whole number")
    return "; ".join(dict.fromkeys(plain))


def _unreadable_json(exc: Exception) -> str | None:
    """The message for a JSON body FastAPI could not decode for a reason other
    than a syntax error (it answers those with a bare 400 "error parsing the
    body"), or ``None`` when ``exc`` is not such an error."""
    cause = exc.__cause__
    if getattr(exc, "status_code", None) != 400 or cause is None:
        return None
    if isinstance(cause, UnicodeDecodeError):
        return f"the body is not valid JSON (not UTF-8 text: {cause.reason} at byte {cause.start})"
    if isinstance(cause, RecursionError):
        return "the body is not valid JSON (nested too deeply)"
    if isinstance(cause, ValueError) and "digits" in str(cause):
        return "the body is not valid JSON (a number has too many digits)"
    return None


def _domain_handler(
    status: int, code: str, headers: dict[str, str] | None, logged: bool
) -> Callable[..., Awaitable[Any]]:
    """An exception handler answering ``status``: JSON for the API, a page otherwise."""

    async def handle(request, exc: Exception):
        if logged:
            log.error("%s: %s", code, exc)
        if _is_api(request):
            return _json_error(status, getattr(exc, "code", code), str(exc), headers)
        resp = _html_error(request, status, str(exc))
        if headers:
            resp.headers.update(headers)
        return resp

    return handle


def _install_error_handlers(app) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    from .api import ApiError
    from .page import ERROR_TITLES
    from .service import Busy
    from .stories import StoriesUnavailable

    @app.exception_handler(ApiError)
    async def api_error(request, exc: ApiError):
        if _is_api(request):
            return _json_error(exc.status, exc.code, exc.message)
        return _html_error(request, exc.status, exc.message)

    # newsweave's own errors: (type, status, API code, response headers, log it)
    # InputError may carry its own ``code``; the most specific type wins.
    for exc_type, status, code, headers, logged in (
        (Busy, 503, "busy", {"Retry-After": "5"}, False),
        (StoriesUnavailable, 503, "stories_unavailable", None, True),
        (InputError, 422, "invalid_input", None, False),
        (MissingDependency, 501, "not_available", None, True),
        (NewsweaveError, 422, "invalid_input", None, False),
    ):
        app.add_exception_handler(exc_type, _domain_handler(status, code, headers, logged))

    @app.exception_handler(RequestValidationError)
    async def invalid(request, exc: RequestValidationError):
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            err = next(e for e in errors if e.get("type") == "json_invalid")
            detail = (err.get("ctx") or {}).get("error", "")
            return _json_error(400, "malformed_json", f"the body is not valid JSON ({detail})")
        if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",) for e in errors):
            return _json_error(400, "empty_body", "the request body is empty; send a JSON object")
        if not _is_api(request):  # e.g. /stories?page=abc in a browser
            return _html_error(request, 422, _page_message(errors))
        return _json_error(422, "invalid_request", _validation_message(errors))

    @app.exception_handler(HTTPException)
    async def http_error(request, exc: HTTPException):
        unreadable = _unreadable_json(exc)
        if unreadable and _is_api(request):
            return _json_error(400, "malformed_json", unreadable)
        message = (
            exc.detail if isinstance(exc.detail, str) else ERROR_TITLES.get(exc.status_code, "")
        )
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        if _is_api(request) or request.url.path in ("/openapi.json", "/healthz"):
            code = _CODES.get(exc.status_code, "http_error")
            return _json_error(exc.status_code, code, message, getattr(exc, "headers", None))
        resp = _html_error(request, exc.status_code, message)
        resp.headers.update(getattr(exc, "headers", None) or {})  # Allow (405)...
        return resp

    @app.exception_handler(Exception)
    async def crash(request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        message = "internal server error; the problem has been logged"
        if _is_api(request):
            return _json_error(500, "internal", message)
        return _html_error(request, 500, message)


def create_app(
    db: str | None = None,
    allow_urls: bool = True,
    token: str | None = None,
    *,
    settings: Any = None,
    fetcher: Any = None,
    **options: Any,
):
    """Build the newsweave web app.

    ``db`` is a story database (``newsweave ingest``) for the story pages;
    ``allow_urls`` switches URL fetching on or off; ``token`` (default: env
    ``NEWSWEAVE_TOKEN``) requires ``Authorization: Bearer <token>``. Other
    keyword ``options`` set fields of :class:`~.service.Settings` (limits,
    ``embedder``, ``cors_origins``, ``workers``...). ``fetcher`` replaces the
    URL fetcher (tests pass one with a fake resolver and transport).
    """
    require("fastapi", "the web interface (FastAPI)", INSTALL)
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from .. import __version__
    from . import api, story_pages, views
    from .security import BodyLimit, HeadAsGet, HostCheck, SecurityHeaders, TokenAuth
    from .service import Engine, Settings
    from .stories import StoryStore

    if settings is None:
        token = token if token is not None else os.environ.get("NEWSWEAVE_TOKEN") or None
        settings = Settings(db=db, allow_urls=allow_urls, token=token, **options)
    engine = Engine(settings, fetcher)

    @asynccontextmanager
    async def lifespan(app):
        if settings.warm:
            import anyio

            try:
                await anyio.to_thread.run_sync(engine.warm_up)
            except Exception as exc:  # noqa: BLE001 - pages still work; requests will say why
                log.warning("models not loaded at start-up: %s: %s", type(exc).__name__, exc)
        yield

    app = FastAPI(
        title="newsweave",
        version=__version__,
        summary="Many news articles about one event in, one faithful cited account out.",
        description=(
            "JSON API over the newsweave library. `POST /api/synthesize` takes articles "
            "and returns the report (every summary sentence copied from a source, with "
            'character-span citations). Errors are `{"error": {"code", "message"}}`. '
            "When the server has a token, send `Authorization: Bearer <token>`."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.stories = (
        StoryStore(settings.db, embedder=settings.embedder, limiter=lambda: engine.limiter)
        if settings.db
        else None
    )
    _install_error_handlers(app)

    @app.get("/healthz", tags=["health"], summary="Liveness check")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(api.router)
    app.include_router(views.router)
    app.include_router(story_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # add_middleware puts each new layer outside the previous ones
    app.add_middleware(HeadAsGet)
    if settings.token:
        app.add_middleware(TokenAuth, token=settings.token)
    if settings.cors_origins:  # outside the token check: preflights carry no token
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimit, max_body=settings.max_body)
    if settings.allowed_hosts:  # refuses DNS-rebinding requests to a local server
        app.add_middleware(HostCheck, allowed=tuple(settings.allowed_hosts))
    app.add_middleware(SecurityHeaders)
    return app
