"""The HTTP API and pages through FastAPI's TestClient, over a small real index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from unspin.web import ServeConfig, create_app
from unspin.web.app import CSP

from .web_helpers import (
    HOSTILE_ID,
    HOSTILE_TEXT,
    HOSTILE_TITLE,
    SOURCE_ID,
    build_index,
    corpus,
    hostile_copy,
    html_page,
    spun_text,
    warc_bytes,
)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("web") / "index")


@pytest.fixture(scope="module")
def client(index_dir: Path) -> Iterator[TestClient]:
    app = create_app(ServeConfig(index=str(index_dir), max_bytes=200_000, threads=2,
                                    time_limit=300.0))  # content, not speed: a loaded CI machine
    with TestClient(app) as c:
        yield c


def test_check_text_gives_the_check_json_object(client: TestClient) -> None:
    r = client.post("/api/check", data={"text": spun_text()})
    assert r.status_code == 200
    obj = r.json()
    assert obj["verdict"] == "derived"
    assert obj["sources"][0]["id"] == SOURCE_ID
    assert obj["sources"][0]["passages"][0]["substitutions"]
    assert set(obj) >= {"suspect", "verdict", "confidence", "sources", "mode", "tortured_phrases"}
    assert r.headers["content-security-policy"] == CSP


def test_check_without_tortured_leaves_them_out(client: TestClient) -> None:
    obj = client.post("/api/check", data={"text": spun_text(), "tortured": "false"}).json()
    assert "tortured_phrases" not in obj


def test_check_html_file_carries_the_extracted_text(client: TestClient) -> None:
    page = html_page("Oil price", spun_text())
    r = client.post("/api/check", files={"file": ("copy.html", page.encode(), "text/html")})
    assert r.status_code == 200, r.text
    obj = r.json()
    assert obj["suspect"]["id"] == "copy.html"
    assert obj["verdict"] == "derived"
    s, e = obj["sources"][0]["passages"][0]["suspect"]
    assert obj["suspect"]["text"][s:e]


def test_check_warc_gives_one_result_per_record(client: TestClient) -> None:
    data = warc_bytes([("https://a.example/1", html_page("Oil", spun_text())),
                       ("https://a.example/2", html_page("Tankers", hostile_copy()))])
    r = client.post("/api/check", files={"file": ("crawl.warc.gz", data, "application/warc")})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["sources"][0]["id"] for x in results] == [SOURCE_ID, HOSTILE_ID]


@pytest.mark.parametrize(("fields", "files", "needle"), [
    ({"text": "   "}, None, "no text"),
    ({}, None, "no text"),
    (None, {"file": ("notes.pdf", b"%PDF-1.4", "application/pdf")}, "unknown file type"),
    (None, {"file": ("empty.txt", b"", "text/plain")}, "empty"),
    (None, {"file": ("bin.txt", b"\x00\x01\x02" * 100, "text/plain")}, "no readable article"),
])
def test_bad_input_is_400_with_what_to_do(client: TestClient, fields: dict | None,
                                          files: dict | None, needle: str) -> None:
    r = client.post("/api/check", data=fields, files=files)
    assert r.status_code == 400
    assert needle in r.json()["error"]


def test_oversized_request_is_413(client: TestClient) -> None:
    big = ("word " * 50_000).encode()
    r = client.post("/api/check", files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code == 413
    assert "--max-bytes" in r.json()["error"]


def test_unknown_article_is_404_and_bad_field_is_422(client: TestClient) -> None:
    r = client.get("/api/articles/no-such-id")
    assert r.status_code == 404 and "/api/index?q=" in r.json()["error"]
    r = client.get("/api/index", params={"limit": "many"})
    assert r.status_code == 422
    assert r.json()["fields"][0]["field"].endswith("limit")


def test_index_info_search_and_article(client: TestClient) -> None:
    info = client.get("/api/index").json()
    assert info["articles"] == len(corpus()) and info["index"]["format_version"]
    found = client.get("/api/index", params={"q": "Lukman Sees"}).json()["matches"]
    assert found[0]["id"] == SOURCE_ID
    art = client.get(f"/api/articles/{HOSTILE_ID}").json()
    assert art["title"] == HOSTILE_TITLE and art["text"] == HOSTILE_TEXT


def test_tortured_and_restore(client: TestClient) -> None:
    text = "We used counterfeit consciousness and profound learning to classify the images."
    phrases = client.post("/api/tortured", data={"text": text}).json()["tortured_phrases"]
    found = {p["phrase"]: p["suggestion"] for p in phrases}
    assert found.get("counterfeit consciousness") == "artificial intelligence"
    restored = client.post("/api/restore", data={"text": spun_text()}).json()
    assert restored["source_id"] == SOURCE_ID
    assert "The current crude oil price" in restored["restored"]


def test_writes_are_off_by_default(client: TestClient) -> None:
    r = client.post("/api/articles", files={"file": ("a.txt", b"some text here", "text/plain")},
                    headers={"Authorization": "Bearer x"})
    assert r.status_code == 403 and "--allow-writes" in r.json()["error"]


def test_writes_need_the_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_index(tmp_path / "index")
    monkeypatch.setenv("UNSPIN_WRITE_TOKEN", "s3cret-token")
    app = create_app(ServeConfig(index=str(path), allow_writes=True))
    new = json.dumps({"id": "new-1", "text": "A brand new story about grain exports.",
                      "title": "Grain"}).encode()
    with TestClient(app) as c:
        files = {"file": ("new.jsonl", new, "application/jsonl")}
        assert c.post("/api/articles", files=files).status_code == 401
        r = c.post("/api/articles", files=files, headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 403
        r = c.post("/api/articles", files=files, headers={"Authorization": "Bearer s3cret-token"})
        assert r.status_code == 201 and r.json()["added"] == 1
        assert c.get("/api/articles/new-1").json()["title"] == "Grain"


def test_pages_escape_hostile_text(client: TestClient) -> None:
    r = client.get(f"/articles/{HOSTILE_ID}")
    assert r.status_code == 200
    html = r.text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)" in html
    assert 'href="javascript:' not in html
    r = client.post("/check", data={"text": hostile_copy()})
    assert r.status_code == 200
    assert HOSTILE_ID not in r.text and "evil-&lt;b&gt;1&lt;/b&gt;" in r.text
    assert "<script>alert" not in r.text and 'href="javascript:' not in r.text


def test_page_errors_are_readable_pages(client: TestClient) -> None:
    r = client.get("/articles/none-such")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "search for it on the Index page" in r.text
    r = client.get("/docs")
    assert r.status_code == 200 and "/api/check" in r.text


def test_streamed_request_without_length_is_cut_at_the_limit(client: TestClient) -> None:
    def chunks():  # no Content-Length: the server counts as it reads
        yield b"text="
        for _ in range(100):
            yield b"word+" * 1000

    r = client.post("/api/check", content=chunks(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "200,000 bytes" in r.json()["error"]


def test_tortured_and_index_pages(client: TestClient) -> None:
    text = "We used counterfeit consciousness to <b>classify</b> the images."
    r = client.post("/tortured", data={"text": text})
    assert r.status_code == 200
    assert '<mark class="tortured" title="suggestion: artificial intelligence">' in r.text
    assert "&lt;b&gt;classify&lt;/b&gt;" in r.text
    r = client.get("/index", params={"q": "<script>"})
    assert r.status_code == 200 and "&lt;script&gt;" in r.text and "<script>\n" not in r.text
    assert "format_version" in r.text
