"""The scan's HTML summary: written next to summary.json, links each derived page's result, and
shows hostile hosts, URLs and titles as text (autoescape, the one escaping path)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from unspin import Article, Index, scan
from unspin.cli import main
from unspin.scan.html import _is_web, _row

from .conftest import sample_articles
from .scan_helpers import page_html, write_warc

EVIL_TITLE = "Markets <script>alert('title')</script> & more"
EVIL_HOST = "evil\"><svg+onload=alert(1)>.example"


@pytest.fixture(scope="module")
def hostile_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[Article]]:
    root = tmp_path_factory.mktemp("scan-html")
    long = [a for a in sample_articles() if len(a.text) > 1500][:4]
    indexed = [Article(id=a.id, text=a.text, title=EVIL_TITLE if i == 0 else a.title, url=a.url)
               for i, a in enumerate(long[:3])]
    with Index.create(root / "index") as index:
        index.add(indexed)
    pages = [
        (f"https://{EVIL_HOST}/story?a=1&b=<x>", page_html("copy", indexed[0].text)),
        ('https://quote.example/a"onmouseover="alert(2)', page_html("copy", indexed[1].text)),
        ("https://plain.example/ok", page_html("copy", indexed[2].text)),
        ("https://clean.example/other", page_html("other", long[3].text)),
    ]
    write_warc(root / "crawl.warc.gz", pages)
    summary = scan([root / "crawl.warc.gz"], index=root / "index", out=root / "out")
    return root, summary, indexed


def test_html_summary_is_written_next_to_the_json(hostile_scan: tuple[Path, dict, list]) -> None:
    root, summary, _ = hostile_scan
    page = (root / "out" / "summary.html").read_text(encoding="utf-8")
    assert summary["pages"]["derived"] == 3
    assert f"{summary['pages']['read']:,}" in page and "Top copying hosts" in page
    # each derived page links to its shard's results file, which holds it at the named line
    links = re.findall(r'<a href="(shards/[^"]+)">[^<]+</a> line (\d+)', page)
    assert len(links) == 3
    for href, line in links:
        record = json.loads((root / "out" / href).read_text().splitlines()[int(line) - 1])
        assert record["verdict"] == "derived"


def test_hostile_hosts_urls_and_titles_are_escaped(hostile_scan: tuple[Path, dict, list]) -> None:
    root, summary, _ = hostile_scan
    page = (root / "out" / "summary.html").read_text(encoding="utf-8")
    assert EVIL_HOST in {h["host"] for h in summary["hosts"]}
    assert "<svg" not in page and "<script>alert" not in page and "<x>" not in page
    assert "evil&#34;&gt;&lt;svg+onload=alert(1)&gt;.example" in page
    assert "Markets &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; more" in page
    assert 'onmouseover="' not in page
    assert 'href="https://quote.example/a&#34;onmouseover=&#34;alert(2)"' in page
    assert '<a href="https://plain.example/ok"' in page
    # the page fetches nothing: its only scripts and styles are inlined and allowed by hash
    assert "default-src 'none'" in page and 'src="http' not in page


def test_only_web_urls_become_links(tmp_path: Path) -> None:
    record = {"verdict": "derived", "suspect": {"id": "r1"}, "host": "",
              "url": "javascript:alert(document.cookie)", "sources": []}
    row = _row(record, tmp_path / "shards" / "000000.jsonl", 1, tmp_path)
    assert row.href == "" and row.url == "javascript:alert(document.cookie)"
    assert row.result_href == "shards/000000.jsonl" and row.host == "(no host)"
    for url in ("data:text/html,<b>x</b>", "//evil.example/x", "https:///nohost", "http://[::1"):
        assert not _is_web(url)
    assert _is_web("HTTPS://Example.org/a?b=<c>")


def test_scan_report_writes_the_html_where_asked(hostile_scan: tuple[Path, dict, list],
                                                 tmp_path: Path, capsys) -> None:
    root, _, _ = hostile_scan
    target = tmp_path / "elsewhere" / "scan.html"
    target.parent.mkdir()
    assert main(["scan", "report", "--out", str(root / "out"), "--html", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    href = re.search(r'<a href="([^"]+\.jsonl)">', page)
    assert href is not None and (target.parent / href.group(1)).resolve().exists()
    assert main(["scan", "report", "--out", str(root / "out"),
                 "--html", str(tmp_path / "missing" / "x.html")]) == 2
    err = capsys.readouterr().err.strip()
    assert "cannot write" in err and "\n" not in err
