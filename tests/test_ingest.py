"""Ingest: one reader per format, streaming Article records; bad input is reported, never raised."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import IO

import pytest
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from unspin.article import Article, BadRecord
from unspin.config import IngestConfig
from unspin.ingest import (
    READERS,
    IngestSummary,
    iter_paths,
    read_html_file,
    read_inputs,
    read_jsonl_file,
    read_stdin,
    read_text_file,
    read_warc_file,
)

LATIN1 = (
    "Le café de la gare a fermé ses portes cette année. Les habitués regrettent déjà "
    "l'ambiance chaleureuse, les crêpes du dimanche et le garçon qui connaissait tout le monde.\n"
)
UNDECODABLE = bytes(range(128, 256)) * 4  # no NUL, not UTF-8, no encoding fits


DEFAULT = IngestConfig()


def read(
    paths: list[str | Path],
    *,
    config: IngestConfig = DEFAULT,
    stdin: IO[bytes] | IO[str] | None = None,
) -> tuple[list[Article], list[BadRecord]]:
    bad: list[BadRecord] = []
    articles = list(
        read_inputs([str(p) for p in paths], config=config, on_bad=bad.append, stdin=stdin)
    )
    return articles, bad


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def page(n: int, *, charset: str = "utf-8", extra_head: str = "") -> str:
    topics = ["harbour", "library", "railway", "market", "hospital"]
    topic = topics[n % len(topics)]
    paragraphs = "".join(
        f"<p>Paragraph {i} of story {n}: the town council met on Tuesday to discuss the new "
        f"{topic}, "
        f"which residents say has been delayed for years. Officials promised a decision by spring, "
        f"and local traders told reporters they hoped the work would bring visitors back.</p>"
        for i in range(3)
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>Story {n} - Town Post</title>'
        f'<meta property="og:site_name" content="Town Post">'
        f'<link rel="canonical" href="https://news.example.com/story-{n}">'
        f'<meta property="article:published_time" content="2024-03-0{n % 9 + 1}T10:00:00Z">'
        f"{extra_head}</head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>Story {n}</h1>{paragraphs}</article><footer>Copyright Town Post</footer>"
        "</body></html>"
    )


# -- plain text ------------------------------------------------------------------------------
def test_text_file_keeps_text_as_given_and_takes_headline(tmp_path: Path) -> None:
    text = "Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant jumped.\r\n"
    path = write(tmp_path / "001.txt", text)
    [article] = read_text_file(str(path))
    assert article.id == "001"
    assert article.text == text
    assert article.title == "Ad sales boost Time Warner profit"
    assert article.metadata["format"] == "txt"


@pytest.mark.parametrize(
    "text",
    [
        "No headline here\nthe second line follows at once.\n",
        "One paragraph that ends in a full stop.\n\nAnother paragraph.\n",
        "x" * 200 + "\n\nbody\n",
    ],
)
def test_text_file_without_headline_has_no_title(tmp_path: Path, text: str) -> None:
    [article] = read_text_file(str(write(tmp_path / "a.txt", text)))
    assert article.title == ""


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    [article] = read_text_file(str(write(tmp_path / "fr.txt", LATIN1.encode("latin-1"))))
    assert article.text == LATIN1
    short_path = write(tmp_path / "short.txt", "Café à Noël\n".encode("latin-1"))
    [short] = read_text_file(str(short_path))
    assert short.text == "Café à Noël\n"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    [article] = read_text_file(str(write(tmp_path / "b.txt", b"\xef\xbb\xbfHello there\n")))
    assert article.text == "Hello there\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"GIF89a\x00\x01\x00\x01" + bytes(range(256)), "binary"),
        (bytes([1, 2, 3, 4, 5, 6, 7, 0x0E, 0x0F, 0x10]) * 20 + b"some text", "binary"),
        (UNDECODABLE, "encoding could not be detected"),
        (b"", "empty"),
        (b" \n\t\r\n  \n", "only whitespace"),
    ],
)
def test_bad_text_files_are_reported(tmp_path: Path, data: bytes, expected: str) -> None:
    bad_path = write(tmp_path / "a-bad.txt", data)
    write(tmp_path / "b-good.txt", "Good text after the bad one.\n")
    articles, bad = read([tmp_path])
    assert [a.id for a in articles] == ["b-good.txt"]
    assert len(bad) == 1 and bad[0].path == str(bad_path) and bad[0].location == ""
    assert expected in bad[0].message and "\n" not in bad[0].message


def test_file_over_max_bytes_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "big.txt", "word " * 100)
    write(tmp_path / "small.txt", "tiny\n")
    articles, bad = read([tmp_path], config=IngestConfig(max_bytes=100))
    assert [a.id for a in articles] == ["small.txt"]
    assert "max_bytes" in bad[0].message and "100" in bad[0].message


# -- directories and paths -------------------------------------------------------------------
def test_directory_is_read_recursively_sorted_skipping_hidden(tmp_path: Path) -> None:
    write(tmp_path / "b" / "2.txt", "two\n")
    write(tmp_path / "b" / "10.txt", "ten\n")
    write(tmp_path / "a.txt", "a\n")
    write(tmp_path / "c.txt", "c\n")
    write(tmp_path / ".hidden.txt", "hidden\n")
    write(tmp_path / ".git" / "x.txt", "hidden too\n")
    articles, bad = read([tmp_path])
    assert [a.id for a in articles] == ["a.txt", "b/10.txt", "b/2.txt", "c.txt"]
    assert bad == []
    assert [f.name for f in iter_paths([str(tmp_path)])] == [
        "a.txt",
        "b/10.txt",
        "b/2.txt",
        "c.txt",
    ]


def test_missing_path_and_unknown_extension_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "notes.md", "# notes\n")
    good = write(tmp_path / "good.txt", "kept\n")
    articles, bad = read([tmp_path / "nope.txt", tmp_path / "notes.md", good])
    assert [a.id for a in articles] == ["good"]
    assert "no such file" in bad[0].message
    assert "unknown file type" in bad[1].message and ".jsonl" in bad[1].message
    assert ".warc.gz" in bad[1].message


def test_iter_paths_reports_bad_paths_and_passes_stdin(tmp_path: Path) -> None:
    bad: list[BadRecord] = []
    files = list(iter_paths(["-", str(tmp_path / "missing")], on_bad=bad.append))
    assert [(f.path, f.name, f.format) for f in files] == [("-", "stdin", "stdin")]
    assert len(bad) == 1


def test_single_path_string_is_refused() -> None:
    with pytest.raises(TypeError, match="sequence of paths"):
        read_inputs("corpus.jsonl")


# -- JSON lines ------------------------------------------------------------------------------
def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_jsonl_records(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.jsonl",
        jsonl(
            {
                "id": 7,
                "text": "Seven.",
                "title": "T",
                "url": "https://x/7",
                "published": "2024-01-01",
                "source": "Wire",
                "lang": "en",
            },
            "",
            {"id": "b", "text": "Bee.", "published": 2024, "title": None},
        ),
    )
    first, second = read_jsonl_file(str(path))
    assert (first.id, first.text, first.title, first.url, first.published, first.source) == (
        "7",
        "Seven.",
        "T",
        "https://x/7",
        "2024-01-01",
        "Wire",
    )
    assert first.metadata["lang"] == "en" and first.metadata["line"] == 1
    assert first.metadata["format"] == "jsonl"
    assert (second.id, second.published, second.title, second.metadata["line"]) == (
        "b",
        "2024",
        "",
        3,
    )


def test_jsonl_field_names_come_from_config(tmp_path: Path) -> None:
    path = write(tmp_path / "c.jsonl", jsonl({"doc": "d1", "body": "Body.", "headline": "H"}))
    config = IngestConfig(id_field="doc", text_field="body", title_field="headline")
    [article] = read_jsonl_file(str(path), config=config)
    assert (article.id, article.text, article.title) == ("d1", "Body.", "H")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"id": "x", "text": "unterminated', "not valid JSON"),
        ('["id", "text"]', "expected a JSON object"),
        ('{"id": "x"}', "no 'text' field"),
        ('{"id": "x", "text": 42}', "non-string (int) 'text'"),
        ('{"id": "x", "text": "  \\n "}', "'text' is empty"),
        ('{"text": "no id"}', "no 'id' field"),
        ('{"id": [1], "text": "t"}', "non-string 'id'"),
    ],
)
def test_bad_jsonl_line_reported_with_number_and_rest_kept(
    tmp_path: Path, line: str, expected: str
) -> None:
    path = write(
        tmp_path / "c.jsonl", jsonl({"id": "a", "text": "A."}, line, {"id": "c", "text": "C."})
    )
    articles, bad = read([path])
    assert [a.id for a in articles] == ["a", "c"]
    assert [(b.path, b.location) for b in bad] == [(str(path), "line 2")]
    assert expected in bad[0].message and "\n" not in bad[0].message


def test_jsonl_line_over_max_bytes(tmp_path: Path) -> None:
    long = json.dumps({"id": "long", "text": "x" * 500})
    path = write(
        tmp_path / "c.jsonl", jsonl({"id": "a", "text": "A."}, long, {"id": "c", "text": "C."})
    )
    articles, bad = read([path], config=IngestConfig(max_bytes=100))
    assert [a.id for a in articles] == ["a", "c"]
    assert bad[0].location == "line 2" and "max_bytes" in bad[0].message


def test_jsonl_latin1_and_binary_and_empty(tmp_path: Path) -> None:
    latin = write(tmp_path / "l.jsonl", jsonl({"id": "fr", "text": LATIN1}).encode("latin-1"))
    [article] = read_jsonl_file(str(latin))
    assert article.text == LATIN1
    write(tmp_path / "bin.jsonl", b"\x00\x01\x02" * 100)
    write(tmp_path / "empty.jsonl", b"")
    articles, bad = read([tmp_path / "bin.jsonl", tmp_path / "empty.jsonl", latin])
    assert [a.id for a in articles] == ["fr"]
    assert "binary" in bad[0].message and "empty" in bad[1].message


def test_jsonl_utf16_and_blank_only(tmp_path: Path) -> None:
    utf16 = write(tmp_path / "u.jsonl", jsonl({"id": "u", "text": "Grüße"}).encode("utf-16"))
    write(tmp_path / "blank.jsonl", "\n  \n")
    articles, bad = read([utf16, tmp_path / "blank.jsonl"])
    assert [(a.id, a.text) for a in articles] == [("u", "Grüße")]
    assert len(bad) == 1 and "only blank lines" in bad[0].message


def test_jsonl_is_streamed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.jsonl", jsonl({"id": "a", "text": "A."}, "broken", {"id": "c", "text": "C."})
    )
    bad: list[BadRecord] = []
    articles = read_inputs([str(path)], on_bad=bad.append)
    assert next(articles).id == "a" and bad == []  # line 2 not read yet
    assert next(articles).id == "c" and len(bad) == 1


# -- HTML ------------------------------------------------------------------------------------
def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = write(tmp_path / "story.html", page(1))
    [article] = read_html_file(str(path))
    assert article.id == "story"
    assert article.title == "Story 1"
    assert article.url == "https://news.example.com/story-1"
    assert article.published == "2024-03-02"
    assert article.source == "Town Post"
    assert "town council met on Tuesday" in article.text
    assert "Copyright" not in article.text and "Home" not in article.text
    assert article.metadata["format"] == "html"


def test_latin1_html_with_declared_charset(tmp_path: Path) -> None:
    html = page(2, charset="iso-8859-1").replace("residents say", "les habitués disent")
    [article] = read_html_file(str(write(tmp_path / "p.htm", html.encode("latin-1"))))
    assert "les habitués disent" in article.text


def test_html_without_article_is_reported(tmp_path: Path) -> None:
    empty = write(
        tmp_path / "a.html", "<html><head><title>Nothing</title></head><body></body></html>"
    )
    write(tmp_path / "b.html", page(3))
    articles, bad = read([tmp_path])
    assert [a.id for a in articles] == ["b.html"]
    assert bad[0].path == str(empty) and "no article text" in bad[0].message


# -- WARC ------------------------------------------------------------------------------------
def response(
    writer: WARCWriter, url: str, body: bytes, content_type: str, status: str = "200 OK"
) -> ArcWarcRecord:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=headers
    )


def make_warc(path: Path, *, gzip: bool, pages: int = 3, extra: bool = True) -> list[str]:
    """Write a WARC with ``pages`` HTML responses (and noise); return the response record ids."""
    ids = []
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for n in range(pages):
            url = f"https://news.example.com/story-{n}"
            record = response(writer, url, page(n).encode(), "text/html; charset=utf-8")
            ids.append(record.rec_headers.get_header("WARC-Record-ID").strip("<>"))
            writer.write_record(record)
            if extra:
                request = StatusAndHeaders(
                    f"GET /story-{n} HTTP/1.1", [("Host", "x")], is_http_request=True
                )
                writer.write_record(
                    writer.create_warc_record(
                        url, "request", payload=io.BytesIO(b""), http_headers=request
                    )
                )
        if extra:
            writer.write_record(
                response(writer, "https://x/logo.png", b"\x89PNG\x00\x00", "image/png")
            )
            writer.write_record(
                response(writer, "https://x/gone", page(9).encode(), "text/html", "404 Not Found")
            )
    return ids


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_html_responses(tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    ids = make_warc(path, gzip=gzip)
    articles, bad = read([path])
    assert bad == []
    assert [a.id for a in articles] == ids
    assert [a.url for a in articles] == [f"https://news.example.com/story-{n}" for n in range(3)]
    assert articles[1].title == "Story 1" and "council met" in articles[1].text
    assert articles[1].metadata["format"] == "warc" and articles[1].metadata["record"] == 4


def test_truncated_warc_keeps_records_read_so_far(tmp_path: Path) -> None:
    full = tmp_path / "full.warc.gz"
    ids = make_warc(full, gzip=True, pages=4, extra=False)
    data = full.read_bytes()
    cut = write(tmp_path / "cut.warc.gz", data[: len(data) * 3 // 5])
    after = write(tmp_path / "z.txt", "read after the broken WARC\n")
    articles, bad = read([cut, after])
    assert [a.id for a in articles] == [*ids[:2], "z"]
    assert len(bad) == 1 and bad[0].path == str(cut) and bad[0].location.startswith("record ")
    assert "truncated" in bad[0].message and "2 article(s) before it are kept" in bad[0].message


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_cut_anywhere_never_yields_a_partial_page(tmp_path: Path, gzip: bool) -> None:
    full = tmp_path / "full.warc"
    make_warc(full, gzip=gzip, pages=2, extra=False)
    texts = {a.id: a.text for a in read_warc_file(str(full))}
    data = full.read_bytes()
    cut = tmp_path / "cut.warc"
    for size in range(1, len(data), 97):
        cut.write_bytes(data[:size])
        bad: list[BadRecord] = []
        for article in read_warc_file(str(cut), on_bad=bad.append):
            assert article.text == texts[article.id]
        assert len(bad) == 1, size


def test_corrupt_and_empty_and_pageless_warc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "a.warc", b"this is not a web archive\n" * 10)
    write(tmp_path / "b.warc.gz", b"")
    no_html = tmp_path / "c.warc"
    with open(no_html, "wb") as f:
        writer = WARCWriter(f, gzip=False)
        writer.write_record(response(writer, "https://x/logo.png", b"\x89PNG", "image/png"))
    articles, bad = read([tmp_path])
    assert articles == []
    assert "not a WARC file" in bad[0].message
    assert "empty" in bad[1].message
    assert "no HTML pages" in bad[2].message
    assert capsys.readouterr().err == ""  # warcio's own warnings go to the debug log


def test_warc_page_over_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        writer.write_record(response(writer, "https://x/big", page(1).encode() * 20, "text/html"))
        writer.write_record(response(writer, "https://x/ok", page(2).encode(), "text/html"))
    articles, bad = read([path], config=IngestConfig(max_bytes=len(page(2)) + 10))
    assert [a.url for a in articles] == ["https://x/ok"]
    assert bad[0].location == "record 1" and "max_bytes" in bad[0].message


# -- standard input --------------------------------------------------------------------------
def test_stdin_json_lines_bytes_and_text() -> None:
    lines = jsonl({"id": 1, "text": "One."}, "oops", {"id": 2, "text": "Two."})
    for stream in (io.BytesIO(lines.encode()), io.StringIO(lines)):
        articles, bad = read(["-"], stdin=stream)
        assert [a.id for a in articles] == ["1", "2"]
        assert [(b.path, b.location) for b in bad] == [("<stdin>", "line 2")]


@pytest.mark.parametrize(
    "text", ["\nHeadline\n\nBody with { braces }.\n", "{Editor's note}\n\nBody.\n", '{"a": 1']
)
def test_stdin_plain_text(text: str) -> None:
    [article] = read_stdin(io.BytesIO(text.encode()))
    assert (article.id, article.text, article.metadata["format"]) == ("stdin", text, "txt")


def test_stdin_latin1_text() -> None:
    [latin] = read_stdin(io.BytesIO(LATIN1.encode("latin-1")))
    assert latin.text == LATIN1


@pytest.mark.parametrize(
    ("data", "expected"), [(b"", "empty"), (b"\n \n", "whitespace"), (b"x" * 50, "max_bytes")]
)
def test_bad_stdin(data: bytes, expected: str) -> None:
    articles, bad = read(["-"], stdin=io.BytesIO(data), config=IngestConfig(max_bytes=20))
    assert articles == [] and expected in bad[0].message


# -- the run goes on -------------------------------------------------------------------------
def test_good_records_survive_bad_ones_across_formats(tmp_path: Path) -> None:
    write(tmp_path / "1.txt", b"\x00\x00binary")
    write(tmp_path / "2.txt", "Good text.\n")
    write(tmp_path / "3.jsonl", jsonl("{bad", {"id": "j", "text": "J."}))
    write(tmp_path / "4.html", "<html><body></body></html>")
    write(tmp_path / "5.html", page(4))
    write(tmp_path / "6.bin", b"\x00")  # not an input type: ignored inside a directory
    make_warc(tmp_path / "7.warc.gz", gzip=True, pages=1, extra=False)
    summary = IngestSummary()
    for _ in read_inputs([str(tmp_path), str(tmp_path / "missing")], on_bad=summary.add_bad):
        summary.articles += 1
    assert (summary.articles, summary.bad_count) == (4, 4)
    assert str(summary) == "read 4 article(s); skipped 4 bad input(s)"
    report = summary.report(limit=2)
    assert report.splitlines()[1].startswith(f"  {tmp_path / '1.txt'}: ")
    assert report.endswith("... and 2 more")
    assert not any("6.bin" in str(b) for b in summary.bad)


def test_unexpected_reader_error_ends_that_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_: object) -> None:
        raise RuntimeError("reader bug")

    monkeypatch.setitem(READERS, "html", boom)
    write(tmp_path / "a.html", page(1))
    write(tmp_path / "b.txt", "still read\n")
    articles, bad = read([tmp_path])
    assert [a.id for a in articles] == ["b.txt"]
    assert "unexpected error (RuntimeError: reader bug)" in bad[0].message


def test_bad_records_are_logged_without_on_bad(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path / "a.txt", b"")
    write(tmp_path / "b.txt", "ok\n")
    with caplog.at_level(logging.WARNING, logger="unspin.ingest"):
        articles = list(read_inputs([str(tmp_path)]))
    assert [a.id for a in articles] == ["b.txt"]
    assert any("a.txt: file is empty" in r.getMessage() for r in caplog.records)
    assert any("skipped 1 bad input(s)" in r.getMessage() for r in caplog.records)
