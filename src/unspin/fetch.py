"""Read a suspect by its address: fetch one web page, safely, then extract it like an HTML file.

Safety rules, all in ``fetch``: only ``http`` and ``https``; the host is resolved and *every*
address it resolves to must be public (no loopback, private, link-local, multicast or reserved
address) unless ``FetchConfig.allow_private``; the connection goes to the address that was checked
(no second lookup that could answer otherwise); redirects are followed by hand, at most
``max_redirects``, each new address checked the same way; the body is capped at ``max_bytes``
and the whole fetch at ``timeout`` seconds; the User-Agent names unspin.

Every failure is a ``BadInputError`` naming the address: a bulk run skips it and goes on.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from .article import Article, BadRecord
from .config import IngestConfig
from .errors import BadInputError
from .version import __version__

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 65536


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How pages are fetched."""

    timeout: float = 20.0
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    allow_private: bool = False
    ca_file: str = ""  # certificates to trust for https besides the system's ("" = system only)
    user_agent: str = f"unspin/{__version__} (news source tracing; +https://pypi.org/project/unspin/)"

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_bytes <= 0 or self.max_redirects < 0:
            raise ValueError("FetchConfig: timeout and max_bytes must be positive, max_redirects >= 0")


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched page: the address asked for, the one answered after redirects, and its body."""

    url: str
    final_url: str
    content_type: str
    charset: str | None
    body: bytes


def is_url(text: str) -> bool:
    """True for an ``http://`` or ``https://`` address (what ``check`` and ``tortured`` fetch)."""
    return text[:8].lower().startswith(("http://", "https://"))


def is_public(address: str) -> bool:
    """True when ``address`` (an IP) is a public unicast address, safe to fetch from."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def checked_addresses(url: str, host: str, port: int, config: FetchConfig) -> list[str]:
    """The addresses of ``host``, all of them public unless ``allow_private``; else refuse."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BadInputError(url, f"cannot resolve the host {host!r} ({exc}); check the address") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not config.allow_private:
        private = [a for a in addresses if not is_public(a)]
        if private:
            raise BadInputError(
                url, f"refused: {host} resolves to a non-public address ({private[0]}); "
                "pass --allow-private to fetch from loopback or private networks")
    if not addresses:
        raise BadInputError(url, f"the host {host!r} has no address; check the address")
    return addresses


def _connection(url: str, config: FetchConfig, deadline: float) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the checked address of ``url``'s host, and the request target."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ("http", "https") or not host:
        raise BadInputError(url, "only http:// and https:// addresses can be fetched")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise BadInputError(url, f"bad port in the address ({exc})") from exc
    addresses = checked_addresses(url, host, port, config)
    timeout = max(0.1, deadline - time.monotonic())
    conn: http.client.HTTPConnection
    if scheme == "https":
        context = ssl.create_default_context()
        if config.ca_file:
            context.load_verify_locations(cafile=config.ca_file)
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def pinned(_: tuple[str, int], timeout: float | None = None,
               source: tuple[str, int] | None = None) -> socket.socket:
        error: OSError | None = None
        for address in addresses:  # connect to what was checked, never to a fresh lookup
            try:
                return socket.create_connection((address, port), timeout, source)
            except OSError as exc:
                error = exc
        raise error or OSError("no address")

    conn._create_connection = pinned  # type: ignore[attr-defined]
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return conn, target


def _read_body(url: str, response: http.client.HTTPResponse, config: FetchConfig,
               deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > config.max_bytes:
        raise BadInputError(url, f"page is over the {config.max_bytes:,}-byte limit "
                                 f"({int(declared):,} bytes); save and split it")
    chunks, size = [], 0
    while chunk := response.read(_CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if size > config.max_bytes:
            raise BadInputError(url, f"page is over the {config.max_bytes:,}-byte limit; save and split it")
        if time.monotonic() > deadline:
            raise BadInputError(url, f"the fetch took over {config.timeout:g} s; try again later")
    return b"".join(chunks)


def _content_type(response: http.client.HTTPResponse) -> tuple[str, str | None]:
    message = Message()
    message["content-type"] = response.getheader("Content-Type") or "text/html"
    charset = message.get_param("charset")
    return message.get_content_type(), charset if isinstance(charset, str) else None


def _get(url: str, config: FetchConfig, deadline: float) -> tuple[int, str, Page | None]:
    """One request: (status, redirect location, page when the answer is 200)."""
    conn, target = _connection(url, config, deadline)
    try:
        conn.request("GET", target, headers={
            "User-Agent": config.user_agent, "Accept": "text/html,application/xhtml+xml,text/plain",
            "Accept-Encoding": "identity"})
        response = conn.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            return response.status, response.getheader("Location") or "", None
        if response.status != 200:
            raise BadInputError(url, f"the server answered {response.status} {response.reason}; "
                                     "check the address")
        content_type, charset = _content_type(response)
        body = _read_body(url, response, config, deadline)
        return 200, "", Page(url, url, content_type, charset, body)
    except (OSError, http.client.HTTPException) as exc:
        raise BadInputError(url, f"cannot fetch the page ({type(exc).__name__}: {exc}); "
                                 "check the address and the network") from exc
    finally:
        conn.close()


def fetch(url: str, config: FetchConfig | None = None) -> Page:
    """Fetch one page by the rules in this module's docstring, or raise ``BadInputError``."""
    config = config or FetchConfig()
    deadline = time.monotonic() + config.timeout
    current = url
    for _ in range(config.max_redirects + 1):
        status, location, page = _get(current, config, deadline)
        if page is not None:
            return Page(url, current, page.content_type, page.charset, page.body)
        if not location:
            raise BadInputError(url, f"the server answered {status} without a Location; check the address")
        current = urljoin(current, location)
    raise BadInputError(url, f"more than {config.max_redirects} redirects; check the address")


def page_article(page: Page, ingest: IngestConfig | None = None) -> Article:
    """The article in a fetched page, extracted as from an HTML file (plain text kept as is)."""
    from .ingest.decode import decode_bytes
    from .ingest.html import html_article, sniff_charset
    from .ingest.txt import text_article

    ingest = ingest or IngestConfig()
    if len(page.body) > ingest.max_bytes:
        raise BadInputError(page.url, f"page is over the {ingest.max_bytes:,}-byte limit")
    if not page.body.strip():
        raise BadInputError(page.url, "the page is empty; check the address")
    meta = {"path": page.url, "url": page.final_url}
    if page.content_type == "text/plain":
        text, encoding = decode_bytes(page.body, path=page.url, declared=page.charset)
        return text_article(text, article_id=page.url,
                            metadata={**meta, "format": "txt", "encoding": encoding})
    if page.content_type not in _HTML_TYPES:
        raise BadInputError(page.url, f"not a web page (Content-Type {page.content_type}); "
                                      "save it and give the file instead")
    declared = page.charset or sniff_charset(page.body)
    html, encoding = decode_bytes(page.body, path=page.url, declared=declared)
    return html_article(html, article_id=page.url, path=page.url, url=page.final_url,
                        metadata={**meta, "format": "html", "encoding": encoding})


def read_url(url: str, *, config: FetchConfig | None = None,
             ingest: IngestConfig | None = None) -> Article:
    """Fetch ``url`` and extract its article, or raise ``BadInputError``."""
    return page_article(fetch(url, config), ingest)


def read_locations(
    locations: Sequence[str],
    *,
    ingest: IngestConfig | None = None,
    fetch_config: FetchConfig | None = None,
    on_bad: Callable[[BadRecord], None] | None = None,
) -> Iterator[tuple[str, Article]]:
    """``(location, article)`` for files, directories, ``-`` and web addresses, in the order given.

    Web addresses are fetched (``read_url``); everything else is read by ``ingest.read_inputs``.
    Each bad input goes to ``on_bad`` and reading goes on.
    """
    from .ingest import read_inputs

    ingest = ingest or IngestConfig()
    for location in locations:
        if not is_url(location):
            for article in read_inputs([location], config=ingest, on_bad=on_bad):
                yield location, article
            continue
        try:
            article = read_url(location, config=fetch_config, ingest=ingest)
        except BadInputError as exc:
            if on_bad is not None:
                on_bad(BadRecord(exc.path, exc.location, exc.reason))
            continue
        yield location, article


__all__ = ["FetchConfig", "Page", "fetch", "is_public", "is_url", "checked_addresses",
           "page_article", "read_url", "read_locations"]
