"""Build small real crawls for the scan tests: WARC files, JSON lines and HTML folders."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from unspin import Article


def page_html(title: str, text: str, *, nav_only: bool = False) -> str:
    """An article page; ``nav_only``: a page of scripts and empty boxes, with no text at all."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    menu = "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
    if nav_only:
        return "<!doctype html><html><head></head><body><script>var a=1;</script><div></div></body></html>"
    body = f"{menu}<article><h1>{html.escape(title)}</h1>{paragraphs}</article>"
    return f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body>{body}</body></html>"


def write_warc(path: Path, pages: list[tuple[str, str]], *, gzip: bool = True,
               cut_last: bool = False) -> None:
    """A WARC with one response record per ``(url, html)``, each after a request record.

    ``cut_last`` truncates the file inside its last record (a damaged download).
    """
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for url, body in pages:
        request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
        writer.write_record(request)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                           http_headers=headers)
        writer.write_record(record)
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) - 300] if cut_last else data)


def spun(text: str) -> str:
    """A light rewrite: some words swapped, as a careless copy editor would."""
    swaps = {" said ": " stated ", " the ": " the ", " company ": " firm ", " and ": " as well as "}
    for a, b in swaps.items():
        text = text.replace(a, b)
    return text


def build_crawl(root: Path, indexed: list[Article], others: list[Article]) -> dict[str, set[str]]:
    """A crawl under ``root``: two WARC files, a JSON-lines file and an HTML folder.

    Copies of indexed articles sit on copy hosts; the others on clean hosts. Returns the ids of
    the copied pages (``copies``) and of the other good pages (``clean``).
    """
    root.mkdir(parents=True, exist_ok=True)
    copies: set[str] = set()
    clean: set[str] = set()
    warc_pages: list[list[tuple[str, str]]] = [[], []]
    for i, art in enumerate(indexed):
        url = f"https://copy{i % 2}.example/story/{i}"
        text = art.text if i % 3 else spun(art.text)
        warc_pages[i % 2].append((url, page_html(art.title, text)))
        copies.add(url)
    for i, art in enumerate(others):
        url = f"https://news{i % 3}.example/a/{i}"
        warc_pages[i % 2].append((url, page_html(art.title, art.text)))
        clean.add(url)
    warc_pages[0].append(("https://menu.example/", page_html("Menu", "", nav_only=True)))
    write_warc(root / "a.warc.gz", warc_pages[0])
    write_warc(root / "b.warc", warc_pages[1], gzip=False, cut_last=True)
    return {"copies": copies, "clean": clean}


def write_jsonl(path: Path, articles: list[Article], *, broken_line: bool = True) -> None:
    lines = [json.dumps({"id": a.id, "text": a.text, "url": f"https://feed.example/{a.id}"})
             for a in articles]
    if broken_line:
        lines.insert(1, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def result_ids(out: Path) -> list[str]:
    """The page ids (WARC record id, else suspect id) of every result line, duplicates kept."""
    ids = []
    for path in sorted((out / "shards").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            ids.append(record["url"] or record["suspect"]["id"])
    return ids


def result_lines(out: Path) -> list[str]:
    lines = []
    for path in sorted((out / "shards").glob("*.jsonl")):
        lines.extend(path.read_text(encoding="utf-8").splitlines())
    return sorted(lines)
