"""The HTML report file (`check --html`), the report's pieces, and the server under concurrent
load while `index build` writes to the same index."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from unspin import Index
from unspin.cli import main
from unspin.web import ServeConfig, create_app
from unspin.web.view import blocks, pieces, safe_url

from .conftest import sample_articles
from .web_helpers import (
    EXAMPLES,
    HOSTILE_ID,
    HOSTILE_TITLE,
    Server,
    build_index,
    hostile_copy,
    spun_text,
)


@pytest.mark.parametrize(("url", "linked"), [
    ("https://example.com/a?b=1", True),
    ("HTTP://example.com/", True),
    ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False),
    ("java\tscript:alert(1)", False),
    ("data:text/html;base64,PHNjcmlwdD4=", False),
    ("//evil.example/x", False),
    ("vbscript:msgbox", False),
    ("https:///nohost", False),
    ("", False),
])
def test_only_http_urls_become_links(url: str, linked: bool) -> None:
    assert (safe_url(url) is not None) == linked


def test_pieces_and_blocks_cover_the_text_exactly() -> None:
    text = "The quick brown fox jumps over the lazy dog."
    got = pieces(text, (4, 19), [((10, 15), "sub", "x"), ((4, 9), "sub", "y"), ((30, 40), "sub", "")])
    assert "".join(p.text for p in got) == text[4:19]
    assert [p.mark for p in got] == ["sub", "", "sub", ""]
    bl = blocks(text, [((4, 19), "a", "b"), ((10, 25), "c", "d")], [((10, 15), "sub", "")])
    assert "".join(p.text for b in bl for p in b.pieces) == text
    assert [b.passage for b in bl] == ["", "a", ""]  # the overlapping passage is left unmarked


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("report") / "index")


def test_check_html_writes_one_self_contained_page(index_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "hostile.txt").write_text(hostile_copy(), encoding="utf-8")
    out = tmp_path / "report.html"
    suspects = [str(EXAMPLES / "suspects" / "spun.txt"), str(tmp_path / "hostile.txt"),
                str(EXAMPLES / "suspects" / "same-subject.txt")]
    assert main(["check", *suspects, "--index", str(index_dir), "--html", str(out), "-q", "--no-learn"]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.count('class="report"') == 3 and 'class="summary sortable"' in html
    # nothing is fetched: no external resource of any kind, and a CSP that allows only the
    # inlined stylesheet and script, by hash
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html)
    assert not re.search(r"<[a-z]+\b[^>]*\ssrc=", html)
    found = re.search(r"<script>(.*?)</script>", html, re.S)
    assert found is not None
    script = found.group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert meta is not None
    csp = unescape(meta.group(1))
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    # hostile text is shown as text
    assert "<script>alert" not in html and 'href="javascript:' not in html
    assert "evil-&lt;b&gt;1&lt;/b&gt;" in html and HOSTILE_ID not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)" in html and HOSTILE_TITLE not in html


def test_check_html_to_an_unwritable_path_is_a_usage_error(index_dir: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    spun = str(EXAMPLES / "suspects" / "spun.txt")
    code = main(["check", spun, "--index", str(index_dir), "--html", str(tmp_path / "no" / "r.html"), "-q",
                 "--no-learn"])
    assert code == 2
    assert "cannot write the HTML report" in capsys.readouterr().err


def _post_check(url: str, text: str, tortured: bool = False) -> tuple[int, str]:
    body = urllib.parse.urlencode({"text": text, "tortured": str(tortured).lower()}).encode()
    try:
        with urllib.request.urlopen(url + "/api/check", data=body, timeout=120) as r:
            return r.status, json.loads(r.read())["verdict"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_parallel_checks_while_index_build_writes(tmp_path: Path) -> None:
    index = build_index(tmp_path / "index")
    server = Server(index, "--threads", "4")
    errors: list[BaseException] = []

    def write() -> None:  # 100 new articles, in batches, while the checks run
        try:
            with Index.open(index) as writable:
                writable.add(sample_articles()[150:250], batch_size=10)
        except BaseException as exc:  # reported below
            errors.append(exc)

    writer = threading.Thread(target=write)
    try:
        writer.start()
        jobs = [(spun_text(), False), (hostile_copy(), True)] * 8
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(lambda job: _post_check(server.url, *job), jobs))
        writer.join()
        got += [_post_check(server.url, spun_text())]
    finally:
        server.stop()
    assert not errors, errors
    assert all(status == 200 for status, _ in got), [g for g in got if g[0] != 200]
    assert {verdict for _, verdict in got} == {"derived"}


def test_requests_over_the_time_limit_get_503(index_dir: Path) -> None:
    app = create_app(ServeConfig(index=str(index_dir), time_limit=0.001))
    with TestClient(app) as client:
        r = client.post("/api/check", data={"text": spun_text()})
    assert r.status_code == 503 and "--time-limit" in r.json()["error"]


def test_a_batch_page_never_says_done_short_of_a_row(index_dir: Path) -> None:
    """The checker sets a result, then counts it done; a page read between the two must not say
    "Done" with the last row missing (the page stops refreshing when it says "Done")."""
    from unspin import check
    from unspin.web.batch import Batch, BatchStore

    arts = sample_articles(3)
    with Index.open(index_dir, readonly=True) as index:
        results = [check(a.text, index) for a in arts]

    class Racing(Batch):  # the last check ends while the page reads the results
        @property
        def results(self) -> list:  # type: ignore[override]
            if self.done == 2:
                self.__dict__["_results"][2] = results[2]
                self.done = 3
            return self.__dict__["_results"]

        @results.setter
        def results(self, value: list) -> None:
            self.__dict__["_results"] = value

    app = create_app(ServeConfig(index=str(index_dir)))
    store = BatchStore(4)
    app.state.batches = store
    batch = Racing("b1", "race.jsonl", arts, [], [results[0], results[1], None], done=2)
    store._batches[batch.id] = batch
    with TestClient(app) as c:
        html = c.get("/batch/b1").text
    rows = html.count("<tr") - 1  # less the header row
    assert "Done: 3 of 3" not in html or rows == 3
    assert "Checking" in html and 'http-equiv="refresh"' in html
