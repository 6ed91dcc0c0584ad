"""Fetch a news page from a link, safely: on a hosted server a pasted link must not become a door into its network.

Only http(s) links without credentials are fetched. Every host name, the first one and every redirect target's,
is resolved and each of its addresses vetted (public only, unless the operator allows a network in
``SITMAP_FETCH_ALLOW_NETWORKS``); the connection goes to the vetted address itself, so a second DNS answer cannot
swap in a private one. Redirects are followed by hand; size, total time and content type are capped.
"""

from __future__ import annotations

import http
import http.client
import ipaddress
import logging
import os
import posixpath
import re
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

import certifi
from urllib3 import BaseHTTPResponse, HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError
from urllib3.util import Timeout

from geo.errors import FetchError, FetchFailedError, FetchRefusedError
from geo.settings import Settings

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Content types accepted, with the file extension the fetched page is named with.
TEXT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
}
_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1"
_CHUNK = 64 * 1024
_PASTE = "Paste the article's text instead."
_OFFLINE = "Check the link, or paste the article's text instead (the app works without a connection)."
_HOST_CHARS = re.compile(r"[A-Za-z0-9._:%-]+")
_MIME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]{0,15}")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT


@dataclass(frozen=True)
class FetchedPage:
    """A page fetched from a link: its bytes, what kind of text it is and a file name to show or save it under."""

    url: str  # what the user gave
    final_url: str  # after redirects
    content: bytes
    content_type: str  # e.g. "text/html"
    filename: str  # e.g. "story.html": the URL's last path segment (safe characters) and an extension by type


@dataclass(frozen=True)
class _Target:
    """One link checked for scheme and credentials and split into what a request needs."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA) name or IP literal, no brackets
    port: int
    path: str  # request target: path and query
    hop: int  # 0 = the user's link, 1... = redirect targets

    @property
    def host_header(self) -> str:
        """The Host header: the name (not the address connected to), with the port when not the default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


@dataclass(frozen=True)
class _Limits:
    """What one fetch may use: networks allowed although private, a size cap and a total deadline."""

    networks: tuple[IPNetwork, ...]
    max_bytes: int
    timeout: float
    deadline: float
    user_agent: str

    def remaining(self) -> float:
        """Seconds left before the deadline; raises the timeout error when none are left."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _timeout_error(self.timeout)
        return left


def fetch_page(url: str, settings: Settings) -> FetchedPage:
    """Fetch the page at ``url`` (http or https, public addresses only, redirects re-vetted); raise FetchError."""
    limits = _Limits(
        networks=_allowed_networks(settings.fetch_allow_networks),
        max_bytes=settings.fetch_max_bytes,
        timeout=settings.fetch_timeout,
        deadline=time.monotonic() + settings.fetch_timeout,
        user_agent=settings.online_user_agent,
    )
    target = _parse(url.strip(), hop=0)
    for _ in range(MAX_REDIRECTS + 1):
        addresses = _vetted_addresses(target, limits)
        pool, response = _request(target, addresses, limits)
        try:
            if response.status in _REDIRECT_STATUSES:
                target = _redirect_target(target, response)
                continue
            _check_status(target, response.status)
            content_type = _check_content_type(target, response.headers.get("Content-Type"))
            _check_declared_length(target, response.headers.get("Content-Length"), limits.max_bytes)
            content = _read_body(target, response, limits)
        finally:
            response.close()
            pool.close()
        log.info("fetched %s: %s, %d bytes", _shown(target), content_type, len(content))
        return FetchedPage(url=url, final_url=target.url, content=content, content_type=content_type,
                           filename=_filename(target.url, content_type))
    raise _refused(target, f"The link redirects more than {MAX_REDIRECTS} times (perhaps in a loop), so it was "
                           f"not followed to the end. Open it in a browser and copy the article's text instead.")


# --- the link -----------------------------------------------------------------------------------------------


def _parse(url: str, hop: int) -> _Target:
    """Split a link into scheme, host, port and path; refuse what is not a plain http(s) link."""
    subject = _subject(hop)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refused_url(f"{subject} is not a valid web address. {_PASTE}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        named = f" (it starts with {scheme}:)" if _SCHEME.fullmatch(scheme) else ""
        raise _refused_url(f"{subject} is not a web link{named}: only links starting with http:// or "
                                f"https:// can be fetched. {_PASTE}")
    if parts.username is not None or parts.password is not None:
        raise _refused_url(f"{subject} contains a user name or password (user:password@), which this server "
                                f"does not send. Remove them from the link, or paste the article's text instead.")
    host = _ascii_host(parts.hostname or "")
    if not host:
        raise _refused_url(f"{subject} has no valid web site name. Check the link, or paste the article's "
                                f"text instead.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return _Target(url=url, scheme=scheme, host=host, port=port or (443 if scheme == "https" else 80),
                   path=path, hop=hop)


def _ascii_host(hostname: str) -> str:
    """The host name in ASCII (IDNA for international names), or "" when it is not a valid name."""
    host = hostname.rstrip(".")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""
    return host if _HOST_CHARS.fullmatch(host) else ""


def _redirect_target(target: _Target, response: BaseHTTPResponse) -> _Target:
    """The next link of a redirect: its Location, resolved against the current link, checked afresh."""
    location = (response.headers.get("Location") or "").strip()
    if not location:
        raise _failed(target, f"The web site answered with a redirect (HTTP {response.status}) but gave no new "
                              f"address. {_PASTE}")
    return _parse(urljoin(target.url, location), hop=target.hop + 1)


# --- addresses ----------------------------------------------------------------------------------------------


def _allowed_networks(cidrs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """The operator's allowed networks (``SITMAP_FETCH_ALLOW_NETWORKS``); a malformed entry is an error."""
    networks = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError:
            raise FetchError(f"The setting SITMAP_FETCH_ALLOW_NETWORKS has an entry that is not a network "
                             f"({cidr.strip()[:60]}); write networks like 10.1.2.0/24, comma-separated.") from None
    return tuple(networks)


def _vetted_addresses(target: _Target, limits: _Limits) -> list[IPAddress]:
    """Every address the host resolves to, refusing the link if any one is not public (nor allowed)."""
    addresses = _resolve(target, limits)
    for address in addresses:
        if not _allowed(address, limits.networks) and not is_public_address(address):
            shown = target.host if _is_ip_literal(target.host) else f"{target.host} resolves to {address}"
            raise _refused(target, f"{_subject(target.hop)} points to a private or local network address ({shown}); "
                                   f"this server only fetches public web pages. {_PASTE}")
    return addresses


def _is_ip_literal(host: str) -> bool:
    """Whether the host is written as an IP address in standard form (not a name)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolve(target: _Target, limits: _Limits) -> list[IPAddress]:
    """The host's addresses (an IP literal is itself), looked up within the deadline; mapped IPv6 made IPv4."""
    try:
        return [_unmapped(ipaddress.ip_address(target.host))]
    except ValueError:
        pass
    found: list[tuple] = []
    errors: list[Exception] = []

    def lookup() -> None:
        try:
            found.extend(socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            errors.append(exc)

    thread = threading.Thread(target=lookup, name="fetch-dns", daemon=True)
    thread.start()
    thread.join(limits.remaining())
    if thread.is_alive():
        raise _timeout_error(limits.timeout)
    addresses: list[IPAddress] = []
    for *_, sockaddr in found:
        try:
            address = _unmapped(ipaddress.ip_address(sockaddr[0]))
        except ValueError:
            continue
        if address not in addresses:
            addresses.append(address)
    if errors or not addresses:
        log.info("fetch of %s: name lookup failed: %s", _shown(target), errors[0] if errors else "no address")
        raise _failed(target, f"The web site {target.host} could not be found or reached (the name does not exist, "
                              f"or this server has no Internet connection). {_OFFLINE}")
    return addresses


def _unmapped(address: IPAddress) -> IPAddress:
    """An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _allowed(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    """Whether the operator allowed this address although it may be private."""
    return any(address.version == net.version and address in net for net in networks)


def is_public_address(address: IPAddress) -> bool:
    """Whether an address is globally routable, judging also any IPv4 address embedded in an IPv6 one.

    Refuses private, loopback, link-local (cloud metadata), unspecified, multicast, reserved, shared (CGNAT)
    and site-local addresses, and IPv4-mapped, 6to4, Teredo and NAT64 forms of them.
    """
    address = _unmapped(address)
    if address in _NAT64:  # 64:ff9b::a.b.c.d reaches a.b.c.d: judge that (Python counts the prefix reserved)
        return is_public_address(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if (not address.is_global or address.is_private or address.is_loopback or address.is_link_local
            or address.is_multicast or address.is_reserved or address.is_unspecified):
        return False
    if isinstance(address, ipaddress.IPv4Address):
        return address not in _SHARED
    if address.is_site_local:
        return False
    return all(is_public_address(embedded) for embedded in _embedded_ipv4(address))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses a 6to4 or Teredo IPv6 address leads to (IPv4-compatible ::a.b.c.d is reserved already)."""
    embedded = []
    if address.sixtofour is not None:
        embedded.append(address.sixtofour)
    if address.teredo is not None:
        embedded.extend(address.teredo)
    return embedded


# --- the request --------------------------------------------------------------------------------------------


def _request(
    target: _Target, addresses: list[IPAddress], limits: _Limits
) -> tuple[HTTPConnectionPool, BaseHTTPResponse]:
    """Send the GET to the first vetted address that accepts a connection; return the pool and the response."""
    error: Exception | None = None
    for address in addresses:
        try:
            return _open_connection(target, address, limits)
        except NewConnectionError as exc:  # refused, unreachable: try the host's next address
            error = exc
        except (HTTPError, OSError, http.client.HTTPException) as exc:
            raise _network_error(target, exc, limits) from None
    assert error is not None
    raise _network_error(target, error, limits) from None


def _open_connection(
    target: _Target, address: IPAddress, limits: _Limits
) -> tuple[HTTPConnectionPool, BaseHTTPResponse]:
    """Connect to ``address`` itself (never re-resolving the name) and send a GET for the target's path.

    HTTPS checks the certificate against the host name (SNI and hostname check), not the address.
    """
    timeout = Timeout(total=limits.remaining())
    pool: HTTPConnectionPool
    if target.scheme == "https":
        pool = HTTPSConnectionPool(
            host=str(address), port=target.port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=target.host, assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED", ca_certs=_ca_bundle(),
        )
    else:
        pool = HTTPConnectionPool(host=str(address), port=target.port, timeout=timeout, retries=False, maxsize=1)
    headers = {"Host": target.host_header, "User-Agent": limits.user_agent, "Accept": _ACCEPT}
    try:
        response = pool.urlopen("GET", target.path, headers=headers, redirect=False, retries=False,
                                preload_content=False, release_conn=False, assert_same_host=False)
    except BaseException:
        pool.close()
        raise
    return pool, response


def _ca_bundle() -> str:
    """Certificates HTTPS servers are checked against: ``SSL_CERT_FILE`` if the operator set it, else certifi's."""
    return os.environ.get("SSL_CERT_FILE") or certifi.where()


def _check_status(target: _Target, status: int) -> None:
    """Refuse any answer but success, naming the status and what the user can do."""
    if 200 <= status < 300:
        return
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    if status in (404, 410):
        advice = "the page is not there; check the link"
    elif status in (401, 403):
        advice = "the page needs a login or refuses automated access"
    elif status == 429:
        advice = "it has had too many requests; try again later"
    elif status >= 500:
        advice = "the web site has a problem; try again later"
    else:
        advice = "it did not send the page"
    raise _failed(target, f"The web site answered HTTP {status} {phrase}: {advice}, or paste the article's "
                          f"text instead.")


def _check_content_type(target: _Target, header: str | None) -> str:
    """The page's media type (without parameters) if it is text the app reads; refuse anything else."""
    media_type = (header or "").split(";", 1)[0].strip().lower()
    if not media_type:
        raise _refused(target, "The web site did not say what kind of document the link is (no content type), so "
                               f"it was not fetched; only web pages and plain text can be. {_PASTE}")
    if media_type not in TEXT_TYPES:
        named = media_type if _MIME.fullmatch(media_type) else "an unrecognised type"
        raise _refused(target, f"The link is a document of type {named}, not a web page or text; only HTML, "
                               f"plain text and Markdown can be fetched. Open it yourself and paste the "
                               f"article's text instead.")
    return media_type


def _check_declared_length(target: _Target, header: str | None, max_bytes: int) -> None:
    """Refuse early when the declared Content-Length is over the cap (the body read enforces it anyway)."""
    values = {value.strip() for value in (header or "").split(",")}
    if len(values) != 1:
        return
    value = values.pop()
    if value.isdigit() and int(value) > max_bytes:
        raise _too_large(target, max_bytes, int(value))


def _read_body(target: _Target, response: BaseHTTPResponse, limits: _Limits) -> bytes:
    """Read the body in chunks, stopping once it passes the size cap or the total deadline."""
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            _set_read_timeout(response, limits.remaining())
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limits.max_bytes:
                raise _too_large(target, limits.max_bytes, None)
            chunks.append(chunk)
    except (HTTPError, OSError, http.client.HTTPException) as exc:
        raise _network_error(target, exc, limits) from None
    return b"".join(chunks)


def _set_read_timeout(response: BaseHTTPResponse, seconds: float) -> None:
    """Make the next socket read wait no longer than the time left, so a slow body cannot pass the deadline."""
    sock = getattr(response.connection, "sock", None)
    if sock is not None:
        sock.settimeout(seconds)


# --- names and messages -------------------------------------------------------------------------------------


def _subject(hop: int) -> str:
    """How messages name a link: the user's own, or the address it redirected to."""
    return "The link" if hop == 0 else "The address the link redirects to"


def _filename(url: str, content_type: str) -> str:
    """A file name for the page: the URL's last path segment in safe characters, with the type's extension."""
    segment = unquote(posixpath.basename(urlsplit(url).path.rstrip("/")))
    stem = segment.rsplit(".", 1)[0] if "." in segment else segment
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-")[:80] or "page"
    return stem + TEXT_TYPES[content_type]


def _shown(target: _Target) -> str:
    """The link for the log: scheme, host, port and path, never credentials or the query."""
    return f"{target.scheme}://{target.host_header}{target.path.split('?', 1)[0]}"


def _refused(target: _Target, message: str) -> FetchRefusedError:
    """A refusal, logged at INFO."""
    log.info("fetch of %s refused: %s", _shown(target), message)
    return FetchRefusedError(message)


def _refused_url(message: str) -> FetchRefusedError:
    """A refusal of a link that could not be parsed into a target, logged at INFO without its credentials."""
    log.info("fetch refused: %s", message)
    return FetchRefusedError(message)


def _failed(target: _Target, message: str) -> FetchFailedError:
    """A failure (unreachable, too slow, error status), logged at INFO."""
    log.info("fetch of %s failed: %s", _shown(target), message)
    return FetchFailedError(message)


def _too_large(target: _Target, max_bytes: int, size: int | None) -> FetchRefusedError:
    """The page is over the size cap."""
    declared = f" ({size:,} bytes)" if size is not None else ""
    return _refused(target, f"The page is larger{declared} than the limit of {max_bytes:,} bytes this server "
                            f"fetches. {_PASTE}")


def _timeout_error(timeout: float) -> FetchFailedError:
    """The total deadline passed."""
    log.info("fetch stopped: not complete within %gs", timeout)
    return FetchFailedError(f"The web site did not send the page within {timeout:g} seconds, so the fetch was "
                            f"stopped. Try again later, or paste the article's text instead.")


def _network_error(target: _Target, exc: Exception, limits: _Limits) -> FetchFailedError:
    """A connection-level failure as a message the user can act on (the detail goes to the log only)."""
    log.info("fetch of %s: %s: %s", _shown(target), type(exc).__name__, exc)
    if isinstance(exc, NewConnectionError):
        return _failed(target, f"The web site {target.host} could not be reached (it refused the connection, is "
                               f"down, or this server has no Internet connection). {_OFFLINE}")
    if isinstance(exc, Urllib3TimeoutError | TimeoutError):
        return _timeout_error(limits.timeout)
    if isinstance(exc, SSLError):
        return _failed(target, f"A secure (HTTPS) connection to {target.host} could not be set up: its "
                               f"certificate could not be verified. {_PASTE}")
    return _failed(target, f"The connection to {target.host} broke off before the page arrived. Try again, or "
                           f"paste the article's text instead.")
