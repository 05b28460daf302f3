"""Checking a page by its address: a real HTTP server on loopback, started by the test.

Loopback is a private address, so every fetch that should work passes ``--allow-private``; the
same address without it is refused, and so is a redirect to an address the rules refuse.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from unspin import fetch as fetch_module
from unspin.cli import main
from unspin.errors import BadInputError
from unspin.fetch import FetchConfig, fetch, is_public, read_url

from .conftest import EXAMPLES

SUSPECTS = EXAMPLES / "suspects"
PAGE = (SUSPECTS / "verbatim-partial.html").read_bytes()
TORTURED_PAGE = (b"<html><head><title>Study</title></head><body><article><h1>Study</h1><p>"
                 + b"Our team used counterfeit consciousness to sort the images of the survey, "
                 + b"and the results were checked by hand over several weeks of careful work.</p>"
                 + b"</article></body></html>")


class _Handler(BaseHTTPRequestHandler):
    seen_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        routes = {
            "/story.html": (200, "text/html; charset=utf-8", PAGE),
            "/paper.html": (200, "text/html", TORTURED_PAGE),
            "/big.html": (200, "text/html", b"<p>" + b"x" * 5000 + b"</p>"),
            "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        }
        if self.path.startswith("/moved"):
            target = self.path.split("to=", 1)[1]
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return
        if self.path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        status, ctype, body = routes.get(self.path, (404, "text/plain", b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fetch") / "index"
    assert main(["index", "build", str(EXAMPLES / "corpus"), "--index", str(path), "-q"]) == 0
    return path


def test_check_url_as_an_html_file(server: str, index_dir: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{server}/story.html"
    assert main(["check", url, "--index", str(index_dir), "--json", "--allow-private", "-q"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["suspect"]["path"] == url and obj["suspect"]["id"] == url
    assert obj["verdict"] == "derived"
    page = obj["suspect"]["text"]  # extracted like an HTML file: offsets point into it
    passage = obj["sources"][0]["passages"][0]["suspect"]
    assert "Lukman" in page[passage[0] : passage[1]]
    assert main(["check", str(SUSPECTS / "verbatim-partial.html"), "--index", str(index_dir),
                 "--json", "-q"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert from_file["suspect"]["text"] == page
    assert [s["id"] for s in from_file["sources"]] == [s["id"] for s in obj["sources"]]
    assert _Handler.seen_agents[-1].startswith("unspin/")


def test_loopback_refused_without_allow_private(server: str, index_dir: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{server}/story.html"
    rc = main(["check", url, str(SUSPECTS / "spun.txt"), "--index", str(index_dir), "--json"])
    out, err = capsys.readouterr()
    assert rc == 1 and len(out.splitlines()) == 1  # the good suspect was still checked
    assert "refused" in err and "--allow-private" in err and "Traceback" not in err


def test_tortured_url(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{server}/paper.html"
    # the list's evidence through a fetched page; the language model's words are tested in
    # test_tortured_model.py (here it also flags words next to the spun phrase: BENCHMARKS.md)
    assert main(["tortured", url, "--json", "--allow-private", "--no-model"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["path"] == url and obj["id"] == url
    assert [p["phrase"] for p in obj["tortured_phrases"]] == ["counterfeit consciousness"]
    assert main(["tortured", url, "--json"]) == 1
    assert "--allow-private" in capsys.readouterr().err


def test_private_and_reserved_addresses_are_not_public() -> None:
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254",
                    "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
                    "224.0.0.1", "ff02::1"):
        assert not is_public(address), address
    for address in ("93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"):
        assert is_public(address), address


def test_redirect_is_checked_again(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only 127.0.0.1 counts as public here; a redirect to 127.0.0.2 (also this machine) is refused."""
    monkeypatch.setattr(fetch_module, "is_public", lambda address: address == "127.0.0.1")
    port = server.rsplit(":", 1)[1]
    page = fetch(f"{server}/moved?to=/story.html")
    assert page.final_url == f"{server}/story.html" and page.body == PAGE
    with pytest.raises(BadInputError, match="refused"):
        fetch(f"{server}/moved?to=http://127.0.0.2:{port}/story.html")


def test_fetch_limits(server: str) -> None:
    allow = FetchConfig(allow_private=True)
    with pytest.raises(BadInputError, match="byte limit"):
        fetch(f"{server}/big.html", FetchConfig(allow_private=True, max_bytes=1000))
    with pytest.raises(BadInputError, match="redirects"):
        fetch(f"{server}/loop", allow)
    with pytest.raises(BadInputError, match="404"):
        fetch(f"{server}/missing.html", allow)
    with pytest.raises(BadInputError, match="not a web page"):
        read_url(f"{server}/image.png", config=allow)
    with pytest.raises(BadInputError, match="http"):
        fetch(f"{server}/moved?to=file:///etc/passwd", allow)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """An https server on loopback with a certificate for ``localhost`` made here by openssl."""
    import ssl
    import subprocess

    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost"], check=True, capture_output=True)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://localhost:{httpd.server_address[1]}", str(cert)
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_https_verifies_the_certificate_of_the_host_named(tls_server: tuple[str, str]) -> None:
    """The connection goes to the checked address, yet TLS checks the name in the address."""
    url, cert = tls_server
    article = read_url(f"{url}/story.html", config=FetchConfig(allow_private=True, ca_file=cert))
    assert article.id == f"{url}/story.html" and "Lukman" in article.text
    with pytest.raises(BadInputError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch(f"{url}/story.html", FetchConfig(allow_private=True))  # not trusted by the system
    by_address = url.replace("localhost", "127.0.0.1")
    with pytest.raises(BadInputError, match="CERTIFICATE_VERIFY_FAILED"):  # name mismatch
        fetch(f"{by_address}/story.html", FetchConfig(allow_private=True, ca_file=cert))
