"""Fetch an article by URL without opening the server to SSRF.

Rules, applied to the first URL and again to every redirect (redirects are
followed by hand, never by the HTTP client):

- only ``http`` and ``https``, no ``user:password@`` in the URL;
- the host name is resolved once and *every* address it resolves to must be
  public: private, loopback, link-local (cloud metadata at 169.254.169.254),
  shared/CGNAT, multicast, reserved and unspecified addresses are refused, as
  are IPv4-mapped/6to4/Teredo forms of them and known metadata host names;
- the connection goes to the address that was checked (the URL is rewritten
  to the IP, ``Host`` and TLS SNI keep the name, so certificates are still
  verified for the name): a second DNS answer cannot swap in another address;
- the response must be ``text/html`` or ``text/plain`` (or XHTML), at most
  ``max_bytes`` long, and the whole fetch must finish within ``timeout``
  seconds; environment proxies are ignored.

Failures raise :class:`FetchError` (an :class:`~newsweave.errors.InputError`)
whose message names the URL and the reason.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..errors import InputError

Resolver = Callable[[str, int], Awaitable[list[str]]]

ALLOWED_TYPES = ("text/html", "text/plain", "application/xhtml+xml")
BLOCKED_HOSTS = frozenset(
    {"localhost", "metadata", "metadata.google.internal", "metadata.goog", "instance-data"}
)
USER_AGENT = "newsweave/0.1 (+https://github.com/newsweave; article fetcher)"


class FetchError(InputError):
    """A URL could not be fetched; ``code`` is a short machine-readable reason."""

    def __init__(self, url: str, reason: str, code: str = "fetch_failed"):
        super().__init__(f"cannot fetch {url}: {reason}")
        self.url = url
        self.code = code


@dataclass
class FetchedPage:
    """A fetched document: the final URL after redirects and the raw body."""

    url: str
    content_type: str
    charset: str | None
    body: bytes


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the system resolver (off the event loop)."""
    import anyio

    infos = await anyio.to_thread.run_sync(
        lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip))
    return None


def is_public_address(address: str) -> bool:
    """True when ``address`` is a globally routable unicast IP address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and not is_public_address(str(inner)):
            return False
    return bool(
        ip.is_global
        and not ip.is_private
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_multicast
        and not ip.is_reserved
        and not ip.is_unspecified
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # never in a URL (httpx refuses them)


def _parse_target(url: str) -> tuple[str, str, int]:
    """Validate the URL's form; return (scheme, host, port)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(url, f"malformed URL ({exc})", "bad_url") from None
    bad = _CONTROL.search(url.strip())
    if bad:
        raise FetchError(
            _CONTROL.sub("?", url.strip()),
            f"the URL holds a control character ({bad.group()!r} at character {bad.start()})",
            "bad_url",
        )
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(url, "only http:// and https:// URLs can be fetched", "bad_url")
    if parts.username is not None or parts.password is not None:
        raise FetchError(url, "URLs with a user name or password are refused", "bad_url")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchError(url, "the URL has no host", "bad_url")
    if host in BLOCKED_HOSTS or host.endswith((".localhost", ".internal", ".local")):
        raise FetchError(url, f"host {host} is not a public address", "url_refused")
    return scheme, host, port or (443 if scheme == "https" else 80)


def _parse_content_type(header: str) -> tuple[str, str | None]:
    main, _, rest = header.partition(";")
    charset = None
    for param in rest.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip().strip("\"'")
    return main.strip().lower(), charset


class SafeFetcher:
    """Fetch public http(s) documents with SSRF, size, time and type limits.

    ``resolver`` (host, port) -> addresses and ``transport`` (an httpx async
    transport) can be replaced in tests, so no real network is needed.
    """

    def __init__(
        self,
        *,
        max_bytes: int = 2_000_000,
        timeout: float = 10.0,
        max_redirects: int = 5,
        resolver: Resolver | None = None,
        transport=None,
    ) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.resolver = resolver or system_resolver
        self.transport = transport

    async def _check(self, url: str) -> tuple[str, str, int, str]:
        """Validate ``url`` and resolve it; return (scheme, host, port, ip)."""
        scheme, host, port = _parse_target(url)
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = await self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise FetchError(url, f"host {host} cannot be resolved ({exc})", "dns") from None
        if not addresses:
            raise FetchError(url, f"host {host} cannot be resolved", "dns")
        for address in addresses:
            if not is_public_address(address):
                raise FetchError(
                    url,
                    f"host {host} resolves to {address}, which is not a public address",
                    "url_refused",
                )
        return scheme, host, port, addresses[0]

    async def fetch(self, url: str) -> FetchedPage:
        """Fetch ``url`` (following up to ``max_redirects`` checked redirects)."""
        import anyio

        try:
            with anyio.fail_after(self.timeout):
                return await self._fetch(url)
        except TimeoutError:
            raise FetchError(
                url, f"no complete answer within {self.timeout:g} s", "timeout"
            ) from None

    async def _fetch(self, url: str) -> FetchedPage:
        import httpx

        current = url
        timeout = httpx.Timeout(self.timeout)
        async with httpx.AsyncClient(
            transport=self.transport,
            trust_env=False,
            follow_redirects=False,
            timeout=timeout,
            verify=True,
        ) as client:
            for _ in range(self.max_redirects + 1):
                scheme, host, port, ip = await self._check(current)
                parts = urlsplit(current)
                netloc_ip = f"[{ip}]" if ":" in ip else ip
                default_port = 443 if scheme == "https" else 80
                pinned = parts._replace(
                    scheme=scheme,
                    netloc=netloc_ip if port == default_port else f"{netloc_ip}:{port}",
                    fragment="",
                ).geturl()
                host_header = host if port == default_port else f"{host}:{port}"
                try:  # anything else httpx refuses that urlsplit lets through
                    request = client.build_request(
                        "GET",
                        pinned,
                        headers={
                            "Host": host_header,
                            "User-Agent": USER_AGENT,
                            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
                        },
                        extensions={"sni_hostname": host},
                    )
                except httpx.InvalidURL as exc:
                    raise FetchError(current, f"malformed URL ({exc})", "bad_url") from None
                try:
                    response = await client.send(request, stream=True)
                except httpx.HTTPError as exc:
                    reason = type(exc).__name__
                    raise FetchError(current, f"connection failed ({reason})") from None
                try:
                    if response.status_code in (301, 302, 303, 307, 308):
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(current, "redirect without a Location header")
                        current = urljoin(current, location)
                        continue
                    return await self._read(current, response)
                finally:
                    await response.aclose()
        raise FetchError(url, f"more than {self.max_redirects} redirects", "too_many_redirects")

    async def _read(self, url: str, response) -> FetchedPage:
        if response.status_code != 200:
            raise FetchError(url, f"the server answered HTTP {response.status_code}", "http_status")
        ctype, charset = _parse_content_type(response.headers.get("content-type", ""))
        if ctype not in ALLOWED_TYPES:
            raise FetchError(
                url,
                f"content type {ctype or 'unknown'!r} is not an article "
                "(text/html or text/plain expected)",
                "content_type",
            )
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, f"larger than the {self.max_bytes} byte limit", "too_large")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, f"larger than the {self.max_bytes} byte limit", "too_large")
            chunks.append(chunk)
        return FetchedPage(url, ctype, charset, b"".join(chunks))
