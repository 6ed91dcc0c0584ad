"""Fetching a page from a link (geo/fetch.py): safe against SSRF, capped in size and time, text only.

Local servers stand in for the web: one on 127.0.0.2, the only address the settings allow although it is
loopback, and a trap on 127.0.0.1 that must never be reached. Names are resolved by a fake getaddrinfo;
nothing here touches the Internet.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geo import fetch
from geo.errors import FetchError, FetchFailedError, FetchRefusedError
from geo.fetch import fetch_page, is_public_address
from geo.settings import Settings

ALLOWED = "127.0.0.2"
STORY = b"<html><head><title>Floods</title></head><body><p>Rain fell on Dhaka on Monday.</p></body></html>"
BIG = 5000
SETTINGS = dataclasses.replace(Settings(), fetch_allow_networks=(f"{ALLOWED}/32",), fetch_timeout=5.0)
PASTE = "paste the article's text instead"


# --- local servers ------------------------------------------------------------------------------------------


class Server(ThreadingHTTPServer):
    """A test server that records every request (path and headers) it receives."""

    daemon_threads = True

    def __init__(self, host: str, trap_port: int = 0) -> None:
        super().__init__((host, 0), Handler)
        self.hits: list[tuple[str, dict[str, str]]] = []
        self.trap_port = trap_port

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str) -> str:
        return f"http://{self.server_address[0]}:{self.port}{path}"


class Handler(BaseHTTPRequestHandler):
    """Answers by path; see ``ROUTES``."""

    protocol_version = "HTTP/1.1"
    server: Server

    def do_GET(self) -> None:
        self.server.hits.append((self.path, dict(self.headers)))
        path = self.path.split("?", 1)[0]
        route = ROUTES.get(path) or next((r for p, r in PREFIX_ROUTES.items() if path.startswith(p)), None)
        try:
            (route or _not_found)(self)
        except OSError:  # the client hung up (size or time cap): expected
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


def _send(h: Handler, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8",
          headers: tuple[tuple[str, str], ...] = ()) -> None:
    h.send_response(status)
    if content_type:
        h.send_header("Content-Type", content_type)
    for name, value in headers:
        h.send_header(name, value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def _redirect(h: Handler, location: str, status: int = 302) -> None:
    _send(h, status, headers=(("Location", location),))


def _not_found(h: Handler) -> None:
    _send(h, 404, b"<html><body>Not here</body></html>")


def _chunked(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    for _ in range(BIG // 500):
        h.wfile.write(b"1f4\r\n" + b"a" * 500 + b"\r\n")
    h.wfile.write(b"0\r\n\r\n")


def _until_close(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.write(b"b" * BIG)
    h.close_connection = True


def _slow(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "40")
    h.end_headers()
    for _ in range(40):
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.5)


def _silent(h: Handler) -> None:
    time.sleep(4)
    _send(h, 200, STORY)


def _late_then_stalled(h: Handler) -> None:
    time.sleep(1.0)
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "10")
    h.end_headers()
    h.wfile.flush()
    time.sleep(4)


def _chain(h: Handler) -> None:
    left = int(h.path.rsplit("/", 1)[1])
    if left == 0:
        _send(h, 200, STORY)
    else:
        _redirect(h, f"/chain/{left - 1}")


ROUTES: dict[str, Callable[[Handler], None]] = {
    "/news/story.html": lambda h: _send(h, 200, STORY),
    "/notes/plain": lambda h: _send(h, 200, b"Plain text.", "text/plain; charset=utf-8"),
    "/notes/summary.md": lambda h: _send(h, 200, b"# Summary", "text/markdown"),
    "/notes/page.xhtml": lambda h: _send(h, 200, b"<html/>", "application/xhtml+xml"),
    "/to-trap": lambda h: _redirect(h, f"http://127.0.0.1:{h.server.trap_port}/secret"),
    "/to-metadata": lambda h: _redirect(h, "http://169.254.169.254/latest/meta-data/"),
    "/to-name": lambda h: _redirect(h, "http://news.example/story"),
    "/to-ftp": lambda h: _redirect(h, "ftp://example.com/story.txt"),
    "/to-nowhere": lambda h: _send(h, 302),
    "/loop": lambda h: _redirect(h, "/loop"),
    "/big-declared": lambda h: _send(h, 200, b"a" * BIG),
    "/big-chunked": _chunked,
    "/big-until-close": _until_close,
    "/slow": _slow,
    "/silent": _silent,
    "/late-then-stalled": _late_then_stalled,
    "/image.png": lambda h: _send(h, 200, b"\x89PNG\r\n\x1a\n", "image/png"),
    "/report.pdf": lambda h: _send(h, 200, b"%PDF-1.7", "application/pdf"),
    "/untyped": lambda h: _send(h, 200, STORY, None),
    "/broken": lambda h: _send(h, 500, b"oops"),
}
PREFIX_ROUTES: dict[str, Callable[[Handler], None]] = {
    "/redirect/": lambda h: _redirect(h, "../news/story.html", int(h.path.rsplit("/", 1)[1])),
    "/chain/": _chain,
}


def _start(server: Server) -> Server:
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Server, Server]]:
    """The allowed server on 127.0.0.2 and the trap on 127.0.0.1."""
    trap = _start(Server("127.0.0.1"))
    site = _start(Server(ALLOWED, trap_port=trap.port))
    yield site, trap
    for server in (site, trap):
        server.shutdown()
        server.server_close()


@pytest.fixture()
def site(servers: tuple[Server, Server]) -> Server:
    servers[0].hits.clear()
    servers[1].hits.clear()
    return servers[0]


@pytest.fixture()
def trap(servers: tuple[Server, Server]) -> Server:
    return servers[1]


@pytest.fixture()
def connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The addresses fetch connects to, in order."""
    seen: list[str] = []
    real = fetch._open_connection

    def spy(target, address, limits):  # type: ignore[no-untyped-def]
        seen.append(str(address))
        return real(target, address, limits)

    monkeypatch.setattr(fetch, "_open_connection", spy)
    return seen


class FakeDNS:
    """getaddrinfo answering for a few names and recording lookups; other names resolve as usual.

    ``answers[name]`` is a list of answers (lists of addresses): each lookup takes the next, the last one repeats;
    an empty answer is "name not known".
    """

    def __init__(self) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []
        self.real = socket.getaddrinfo

    def __call__(self, host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.lookups.append(host)
        if host not in self.answers:
            return self.real(host, port, *args, **kwargs)
        answers = self.answers[host]
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]


@pytest.fixture()
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    """Replace getaddrinfo as geo.fetch sees it (``geo.fetch.socket.getaddrinfo``) for the test."""
    dns = FakeDNS()
    monkeypatch.setattr(fetch.socket, "getaddrinfo", dns)
    return dns


# --- success ------------------------------------------------------------------------------------------------


def test_fetches_a_page_from_the_allowed_server(site: Server) -> None:
    url = site.url("/news/story.html")
    page = fetch_page(url, SETTINGS)
    assert page == fetch.FetchedPage(url=url, final_url=url, content=STORY, content_type="text/html",
                                     filename="story.html")
    assert len(site.hits) == 1
    path, headers = site.hits[0]
    assert path == "/news/story.html"
    assert headers["Host"] == f"{ALLOWED}:{site.port}"
    assert headers["User-Agent"] == SETTINGS.online_user_agent


@pytest.mark.parametrize(("path", "content", "content_type", "filename"), [
    ("/notes/plain", b"Plain text.", "text/plain", "plain.txt"),
    ("/notes/summary.md", b"# Summary", "text/markdown", "summary.md"),
    ("/notes/page.xhtml", b"<html/>", "application/xhtml+xml", "page.html"),
])
def test_fetches_each_text_type(site: Server, path: str, content: bytes, content_type: str, filename: str) -> None:
    page = fetch_page(site.url(path), SETTINGS)
    assert (page.content, page.content_type, page.filename) == (content, content_type, filename)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_follows_a_relative_redirect_on_the_same_server(site: Server, status: int) -> None:
    page = fetch_page(site.url(f"/redirect/{status}"), SETTINGS)
    assert page.content == STORY
    assert page.url == site.url(f"/redirect/{status}")
    assert page.final_url == site.url("/news/story.html")
    assert [path for path, _ in site.hits] == [f"/redirect/{status}", "/news/story.html"]


def test_follows_five_redirects(site: Server) -> None:
    page = fetch_page(site.url("/chain/5"), SETTINGS)
    assert page.content == STORY
    assert page.final_url == site.url("/chain/0")


@pytest.mark.parametrize(("url", "filename"), [
    ("http://news.example/", "page.html"),
    ("http://news.example/world/floods/", "floods.html"),
    ("http://news.example/a/My%20Story.php?id=3", "My_Story.html"),
    ("http://news.example/a/../../etc/passwd", "passwd.html"),
    ("http://news.example/a/report.v2.html", "report_v2.html"),
])
def test_filename_keeps_safe_characters_of_the_last_segment(url: str, filename: str) -> None:
    assert fetch._filename(url, "text/html") == filename


# --- SSRF: addresses --------------------------------------------------------------------------------------------


@pytest.fixture()
def no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if fetch tries to connect anywhere."""
    def refuse(*args: object) -> None:
        raise AssertionError("fetch tried to connect")

    monkeypatch.setattr(fetch, "_open_connection", refuse)


@pytest.mark.parametrize(("url", "shown"), [
    ("http://127.0.0.1/", "(127.0.0.1)"),
    ("http://127.0.0.1:8501/", "(127.0.0.1)"),
    ("http://localhost/", "(localhost resolves to"),
    ("http://[::1]/", "(::1)"),
    ("http://10.0.0.1/", "(10.0.0.1)"),
    ("http://172.16.5.4/", "(172.16.5.4)"),
    ("http://192.168.1.1/", "(192.168.1.1)"),
    ("http://169.254.169.254/latest/meta-data/", "(169.254.169.254)"),
    ("http://[fd00:ec2::254]/", "(fd00:ec2::254)"),
    ("http://[fe80::1]/", "(fe80::1)"),
    ("http://[::ffff:127.0.0.1]/", "(::ffff:127.0.0.1)"),
    ("http://[::ffff:169.254.169.254]/", "(::ffff:169.254.169.254)"),
    ("http://[64:ff9b::a9fe:a9fe]/", "(64:ff9b::a9fe:a9fe)"),  # NAT64 of 169.254.169.254
    ("http://[2002:7f00:1::1]/", "(2002:7f00:1::1)"),  # 6to4 of 127.0.0.1
    ("http://0.0.0.0/", "(0.0.0.0)"),
    ("http://[::]/", "(::)"),
    ("http://2130706433/", "(2130706433 resolves to 127.0.0.1)"),
    ("http://0x7f.1/", "(0x7f.1 resolves to 127.0.0.1)"),
    ("http://017700000001/", "resolves to 127.0.0.1)"),
    ("http://100.64.0.1/", "(100.64.0.1)"),
    ("http://224.0.0.1/", "(224.0.0.1)"),
    ("http://240.0.0.1/", "(240.0.0.1)"),
    ("http://255.255.255.255/", "(255.255.255.255)"),
    ("https://127.0.0.1/", "(127.0.0.1)"),
])
def test_refuses_private_and_local_addresses(no_connection: None, url: str, shown: str) -> None:
    with pytest.raises(FetchRefusedError, match="private or local network address") as caught:
        fetch_page(url, SETTINGS)
    assert shown in str(caught.value)
    assert "only fetches public web pages" in str(caught.value)


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://example.com/", "(it starts with ftp:)"),
    ("file:///etc/passwd", "(it starts with file:)"),
    ("gopher://127.0.0.1:6379/_INFO", "only links starting with http:// or https://"),
    ("javascript:alert(1)", "is not a web link"),
    ("example.com/story", "is not a web link"),
    ("http://user:pw@127.0.0.2/", "user name or password"),
    ("https://user@news.example/", "user name or password"),
    ("http:///story", "no valid web site name"),
    ("http://127.0.0.2:99999/", "not a valid web address"),
])
def test_refuses_other_schemes_credentials_and_malformed_links(no_connection: None, url: str,
                                                               message: str) -> None:
    with pytest.raises(FetchRefusedError, match="^The link ") as caught:
        fetch_page(url, SETTINGS)
    assert message in str(caught.value)


def test_refusal_is_logged_at_info(no_connection: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="geo.fetch"), pytest.raises(FetchRefusedError):
        fetch_page("http://10.1.2.3/admin", SETTINGS)
    assert any(r.levelname == "INFO" and "refused" in r.getMessage() and "10.1.2.3" in r.getMessage()
               for r in caplog.records)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "64:ff9b::808:808", "2002:808:808::1",
                                     "::ffff:8.8.8.8"])
def test_public_addresses_pass_the_vetting(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


def test_a_name_is_vetted_by_its_address(no_connection: None, fake_dns: FakeDNS) -> None:
    fake_dns.answers["news.example"] = [["10.0.0.5"]]
    with pytest.raises(FetchRefusedError, match=r"private or local network address \(news.example resolves to "
                                                r"10.0.0.5\)"):
        fetch_page("http://news.example/story", SETTINGS)


def test_a_name_is_refused_if_any_of_its_addresses_is_private(no_connection: None,
                                                              fake_dns: FakeDNS) -> None:
    fake_dns.answers["mixed.example"] = [["93.184.216.34", "192.168.0.10"]]
    with pytest.raises(FetchRefusedError, match=r"mixed.example resolves to 192.168.0.10"):
        fetch_page("https://mixed.example/story", SETTINGS)


def test_connects_to_the_vetted_address_not_a_second_answer(site: Server, trap: Server,
                                                            fake_dns: FakeDNS) -> None:
    """DNS rebinding: the name answers 127.0.0.2 when vetted, 127.0.0.1 afterwards; only the first is used."""
    fake_dns.answers["rebind.example"] = [[ALLOWED], ["127.0.0.1"]]
    page = fetch_page(f"http://rebind.example:{site.port}/news/story.html", SETTINGS)
    assert page.content == STORY
    assert trap.hits == []
    assert site.hits[0][1]["Host"] == f"rebind.example:{site.port}"
    assert fake_dns.lookups.count("rebind.example") == 1


def test_redirect_to_a_loopback_address_is_refused(site: Server, trap: Server) -> None:
    with pytest.raises(FetchRefusedError, match=r"The address the link redirects to points to a private or local "
                                                r"network address \(127.0.0.1\)"):
        fetch_page(site.url("/to-trap"), SETTINGS)
    assert [path for path, _ in site.hits] == ["/to-trap"]
    assert trap.hits == []


def test_redirect_to_the_cloud_metadata_address_is_refused(site: Server, connections: list[str]) -> None:
    start = time.monotonic()
    with pytest.raises(FetchRefusedError, match=r"private or local network address \(169.254.169.254\)"):
        fetch_page(site.url("/to-metadata"), SETTINGS)
    assert connections == [ALLOWED]
    assert time.monotonic() - start < 1.0


def test_redirect_to_a_name_with_a_private_address_is_refused(site: Server, connections: list[str],
                                                              fake_dns: FakeDNS) -> None:
    fake_dns.answers["news.example"] = [["10.0.0.5"]]
    with pytest.raises(FetchRefusedError, match=r"news.example resolves to 10.0.0.5"):
        fetch_page(site.url("/to-name"), SETTINGS)
    assert connections == [ALLOWED]


def test_redirect_to_another_scheme_is_refused(site: Server) -> None:
    with pytest.raises(FetchRefusedError, match=r"The address the link redirects to is not a web link \(it starts "
                                                r"with ftp:\)"):
        fetch_page(site.url("/to-ftp"), SETTINGS)


def test_redirect_loop_is_refused(site: Server) -> None:
    with pytest.raises(FetchRefusedError, match="redirects more than 5 times"):
        fetch_page(site.url("/loop"), SETTINGS)
    assert len(site.hits) == 6  # the link and five redirects followed


def test_six_redirects_are_refused(site: Server) -> None:
    with pytest.raises(FetchRefusedError, match="redirects more than 5 times"):
        fetch_page(site.url("/chain/6"), SETTINGS)


def test_redirect_without_location_fails(site: Server) -> None:
    with pytest.raises(FetchFailedError, match=r"redirect \(HTTP 302\) but gave no new address"):
        fetch_page(site.url("/to-nowhere"), SETTINGS)


def test_malformed_allow_networks_setting_is_named() -> None:
    settings = dataclasses.replace(SETTINGS, fetch_allow_networks=("10.0.0.0/33",))
    with pytest.raises(FetchError, match="SITMAP_FETCH_ALLOW_NETWORKS"):
        fetch_page("http://example.com/", settings)


# --- size, time, type, status -------------------------------------------------------------------------------


SMALL = dataclasses.replace(SETTINGS, fetch_max_bytes=1000)


def test_declared_length_over_the_cap_is_refused(site: Server) -> None:
    with pytest.raises(FetchRefusedError, match=r"The page is larger \(5,000 bytes\) than the limit of 1,000 bytes"):
        fetch_page(site.url("/big-declared"), SMALL)


@pytest.mark.parametrize("path", ["/big-chunked", "/big-until-close"])
def test_body_without_length_is_cut_off_at_the_cap(site: Server, path: str) -> None:
    with pytest.raises(FetchRefusedError, match=r"The page is larger than the limit of 1,000 bytes"):
        fetch_page(site.url(path), SMALL)


def test_a_page_exactly_at_the_cap_is_fetched(site: Server) -> None:
    exact = dataclasses.replace(SETTINGS, fetch_max_bytes=len(STORY))
    assert fetch_page(site.url("/news/story.html"), exact).content == STORY
    with pytest.raises(FetchRefusedError, match="larger"):
        fetch_page(site.url("/news/story.html"), dataclasses.replace(exact, fetch_max_bytes=len(STORY) - 1))


@pytest.mark.parametrize("path", ["/slow", "/silent"])
def test_slow_server_is_cut_off_at_the_total_deadline(site: Server, path: str) -> None:
    settings = dataclasses.replace(SETTINGS, fetch_timeout=1.5)
    start = time.monotonic()
    with pytest.raises(FetchFailedError, match=r"did not send the page within 1.5 seconds"):
        fetch_page(site.url(path), settings)
    elapsed = time.monotonic() - start
    assert 1.0 <= elapsed < 1.5 + 1.5


def test_body_reads_wait_only_for_the_time_left(site: Server) -> None:
    """Headers at 1.0 s, then nothing: the body read must give up at the 1.5 s deadline, not 1.5 s later."""
    settings = dataclasses.replace(SETTINGS, fetch_timeout=1.5)
    start = time.monotonic()
    with pytest.raises(FetchFailedError, match=r"did not send the page within 1.5 seconds"):
        fetch_page(site.url("/late-then-stalled"), settings)
    assert time.monotonic() - start < 1.5 + 0.7


def test_slow_name_lookup_counts_against_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_getaddrinfo(*args: object, **kwargs: object) -> list[object]:
        time.sleep(3)
        return []

    monkeypatch.setattr(fetch.socket, "getaddrinfo", slow_getaddrinfo)
    start = time.monotonic()
    with pytest.raises(FetchFailedError, match=r"did not send the page within 0.5 seconds"):
        fetch_page("https://slow-dns.example/story", dataclasses.replace(SETTINGS, fetch_timeout=0.5))
    assert time.monotonic() - start < 1.5


@pytest.mark.parametrize(("path", "named"), [("/image.png", "image/png"), ("/report.pdf", "application/pdf")])
def test_non_text_content_is_refused(site: Server, path: str, named: str) -> None:
    with pytest.raises(FetchRefusedError, match=f"document of type {named}, not a web page or text"):
        fetch_page(site.url(path), SETTINGS)


def test_missing_content_type_is_refused(site: Server) -> None:
    with pytest.raises(FetchRefusedError, match=r"no content type"):
        fetch_page(site.url("/untyped"), SETTINGS)


@pytest.mark.parametrize(("path", "status"), [("/missing", "HTTP 404 Not Found"),
                                              ("/broken", "HTTP 500 Internal Server Error")])
def test_error_status_fails_naming_it(site: Server, path: str, status: str) -> None:
    with pytest.raises(FetchFailedError, match=status) as caught:
        fetch_page(site.url(path), SETTINGS)
    assert PASTE in str(caught.value)


# --- unreachable --------------------------------------------------------------------------------------------


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def test_connection_refused_fails_with_the_paste_hint() -> None:
    with pytest.raises(FetchFailedError, match="could not be reached") as caught:
        fetch_page(f"http://{ALLOWED}:{_free_port(ALLOWED)}/story", SETTINGS)
    message = str(caught.value)
    assert PASTE in message and "works without a connection" in message
    assert "Error" not in message and "urllib3" not in message and "<" not in message


def test_unknown_name_fails_with_the_paste_hint(fake_dns: FakeDNS) -> None:
    fake_dns.answers["gone.example"] = [[]]
    with pytest.raises(FetchFailedError, match="gone.example could not be found or reached") as caught:
        fetch_page("https://gone.example/story", SETTINGS)
    assert PASTE in str(caught.value)


# --- HTTPS: the certificate is checked against the name, while the connection goes to the vetted address ------


@pytest.fixture(scope="module")
def tls_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    """An HTTPS server on 127.0.0.2 with a self-signed certificate for secure.example."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=secure.example",
                    "-addext", "subjectAltName=DNS:secure.example"], check=True, capture_output=True)
    server = Server(ALLOWED)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    _start(server)
    yield server, cert
    server.shutdown()
    server.server_close()


def test_https_checks_the_certificate_against_the_name(tls_site: tuple[Server, Path], monkeypatch: pytest.MonkeyPatch,
                                                      fake_dns: FakeDNS) -> None:
    server, cert = tls_site
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    fake_dns.answers["secure.example"] = [[ALLOWED]]
    fake_dns.answers["other.example"] = [[ALLOWED]]
    url = f"https://secure.example:{server.port}/news/story.html"
    page = fetch_page(url, SETTINGS)
    assert (page.content, page.final_url) == (STORY, url)
    assert server.hits[-1][1]["Host"] == f"secure.example:{server.port}"
    with pytest.raises(FetchFailedError, match=r"secure \(HTTPS\) connection to other.example could not be set up"):
        fetch_page(f"https://other.example:{server.port}/news/story.html", SETTINGS)
