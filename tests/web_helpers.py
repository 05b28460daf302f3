"""Shared by the web tests: a small real index with a hostile article, and a real server."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from warcio.warcwriter import WARCWriter

from unspin import Article, Index

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SOURCE_ID = "reuters-18085"
HOSTILE_ID = "evil-<b>1</b>"
HOSTILE_TITLE = "<script>alert('title')</script><img src=x onerror=alert('img')> Tanker rates"
HOSTILE_URL = "javascript:alert('url')"
HOSTILE_TEXT = (
    "Freight rates for oil tankers in the Gulf rose sharply this week as insurers raised premiums "
    "for ships calling at ports near the conflict zone, brokers in London said on Thursday.\n\n"
    "<script>alert('body')</script> A broker said owners were demanding higher charter rates "
    "<a href=\"javascript:alert('link')\">click here</a> to compensate for the extra risk, and "
    "several charterers had postponed fixtures until the situation became clearer.\n\n"
    "<img src=x onerror=alert('img2')> Rates for very large crude carriers on the route to Japan "
    "climbed to the highest level since the start of the year, the brokers said.\n"
)


def corpus(n: int = 40) -> list[Article]:
    """The first ``n`` articles of the bundled sample with its spun story's source, and the
    hostile article."""
    import json

    out: list[Article] = []
    with open(EXAMPLES / "corpus" / "reuters-sample.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if len(out) < n or rec["id"] == SOURCE_ID:
                out.append(Article(id=rec["id"], text=rec["text"], title=rec["title"],
                                   url=f"https://example.com/{rec['id']}"))
    out.append(Article(id=HOSTILE_ID, text=HOSTILE_TEXT, title=HOSTILE_TITLE, url=HOSTILE_URL))
    return out


def build_index(path: Path) -> Path:
    with Index.create(path) as index:
        index.add(corpus())
    return path


def spun_text() -> str:
    return (EXAMPLES / "suspects" / "spun.txt").read_text(encoding="utf-8")


def hostile_copy() -> str:
    """A lightly reworded copy of the hostile article (it is found as its source)."""
    return HOSTILE_TEXT.replace("rose sharply", "climbed steeply").replace("said on", "stated on")


def warc_bytes(pages: list[tuple[str, str]]) -> bytes:
    """A gzipped WARC with one HTML response record per ``(url, html)``."""
    from warcio.statusandheaders import StatusAndHeaders

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response",
                                                      payload=io.BytesIO(html.encode("utf-8")),
                                                      http_headers=headers))
    return buf.getvalue()


def html_page(title: str, text: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>{paras}</article></body></html>")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``unspin serve`` in a child process on a free loopback port."""

    def __init__(self, index: Path, *extra: str, env: dict[str, str] | None = None) -> None:
        self.index = index
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "unspin", "serve", "--index", str(index),
               "--port", str(self.port), *extra]
        self.proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})},
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode() if self.proc.stdout else ""
                raise RuntimeError(f"unspin serve exited: {out}")
            try:
                with urllib.request.urlopen(self.url + "/api/index", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("unspin serve did not start in time")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
