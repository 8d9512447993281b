"""``newsweave serve``: run the web app with uvicorn."""

from __future__ import annotations

import click

from ..cli import embedder_from_env
from ..errors import InputError, require


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    envvar="NEWSWEAVE_DB",
    help="Story database (from `newsweave ingest`) for the story pages. Env: NEWSWEAVE_DB.",
)
@click.option(
    "--urls/--no-urls",
    "allow_urls",
    default=True,
    show_default=True,
    help="Allow fetching articles by URL (public http(s) addresses only).",
)
@click.option(
    "--token",
    envvar="NEWSWEAVE_TOKEN",
    default=None,
    help="Require this API token (Authorization: Bearer ...). Env: NEWSWEAVE_TOKEN.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="Allow cross-origin API calls from this origin (repeatable; none by default).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    help="Host header value the server answers to (repeatable). Default: localhost, "
    "127.0.0.1, ::1 and the address itself when listening on a loopback address, "
    "any otherwise.",
)
@click.option(
    "--embedder",
    envvar="NEWSWEAVE_EMBEDDER",
    default=None,
    callback=embedder_from_env,
    help="Sentence embedding backend (default: minilm). Env: NEWSWEAVE_EMBEDDER.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Summaries computed at once (others wait); the model is shared.",
)
@click.option(
    "--max-body-mb",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0.01, 1024),
    callback=lambda ctx, param, value: _not_nan(value, param),
    help="Largest request body accepted, in MB.",
)
def serve(
    host, port, db, allow_urls, token, cors_origins, allowed_hosts, embedder, workers, max_body_mb
):
    """Start the web app: paste, upload or link articles, read the cited report.

    \b
    Open http://HOST:PORT/ in a browser; the JSON API is at /api
    (documented at /docs, schema at /openapi.json).
    \b
    Examples:
      newsweave serve
      newsweave serve --port 8080 --db stories.db --no-urls
      NEWSWEAVE_TOKEN=secret newsweave serve --host 0.0.0.0
    """
    uvicorn = require("uvicorn", "the web server (uvicorn)", "pip install 'newsweave[web]'")
    from .app import create_app

    if db is not None:
        check_db(db)
    from ..embed import check_embedder

    check_embedder(embedder)  # an unknown backend would fail every request
    loopback = is_loopback(host)
    if not loopback and not token:
        click.echo(
            f"warning: listening on {host} without a token; anyone who can reach it can use it "
            "(set --token or NEWSWEAVE_TOKEN)",
            err=True,
        )
    if not allowed_hosts and loopback:
        allowed_hosts = tuple(dict.fromkeys(("localhost", "127.0.0.1", "::1", host)))
    app = create_app(
        db=db,
        allow_urls=allow_urls,
        token=token or None,
        embedder=embedder,
        cors_origins=tuple(cors_origins),
        allowed_hosts=tuple(allowed_hosts),
        workers=workers,
        max_body=int(max_body_mb * 2**20),
    )
    check_listen(host, port)
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL
    click.echo(f"newsweave: serving on http://{shown}:{port}/ (Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and every loopback address (127.0.0.0/8, ::1):
    a server there gets the Host check against DNS rebinding."""
    import ipaddress

    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _not_nan(value: float, param: click.Parameter) -> float:
    if value != value:  # NaN passes FloatRange's comparisons
        raise click.BadParameter("not a number", param=param)
    return value


def check_db(db: str) -> None:
    """Fail with an :class:`InputError` naming ``db`` when it is missing, not
    a story database or damaged, before the server starts (never creating it)."""
    from pathlib import Path

    if not Path(db).exists():
        raise InputError(f"{db}: no such story database (create it with `newsweave ingest`)")
    try:
        from ..stories import service
    except ImportError:
        return  # the story pages say that the stories module is missing
    service.open_db(db, create=False).close()


def check_listen(host: str, port: int) -> None:
    """Fail with an :class:`InputError` naming the address when the server
    could not listen there (unknown host, port in use, no permission),
    before the app starts."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"cannot listen on {host}:{port}: unknown host ({exc})") from None
    family, kind, proto, _, addr = infos[0]
    try:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            sock.bind(addr)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"cannot listen on {host}:{port}: {reason}") from None
