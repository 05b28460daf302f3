"""Write the fuzz corpus of hostile files under tests/data/hostile/ (kept in the repo; rerun to
regenerate). Each file is something a crawl really holds or an attacker would write; the test
``tests/test_properties.py::test_hostile_corpus_*`` runs all of them through every reader and the CLI.

    python scripts/make_hostile_corpus.py
"""

from __future__ import annotations

import gzip
import io
import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "hostile"
ESC = "\x1b[2J\x1b]0;owned\x07"
NEWS = ("The central bank raised its main interest rate by half a point on Tuesday, saying "
        "inflation had stayed above its target for a third year. Officials said the decision "
        "was unanimous and that further increases were possible.")


def _warc_record(uri: str, body: bytes, *, length: int | None = None,
                 content_type: str = "text/html") -> bytes:
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    n = len(http) if length is None else length
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Record-ID: <urn:uuid:{random.randbytes(16).hex()}>\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {n}\r\n\r\n").encode("latin-1", "replace")
    return head + http + b"\r\n\r\n"


def _gz(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as fh:
        fh.write(data)
    return buf.getvalue()


def files() -> dict[str, bytes]:
    random.seed(13)
    page = f"<html><head><title>T{ESC}</title></head><body><article><p>{NEWS}</p></article></body></html>"
    out: dict[str, bytes] = {
        # text
        "empty.txt": b"",
        "whitespace-only.txt": " \n\t\r\n \u3000".encode(),
        "nul-bytes.txt": NEWS.encode()[:60] + b"\x00" * 32 + NEWS.encode()[60:],
        "random-bytes.txt": random.randbytes(4096),
        "escape-sequences.txt": f"{ESC}{NEWS}\x9b31m\x1bP+q\x1b\\ {ESC}\r{NEWS}".encode(),
        "bidi-override.txt": f"{NEWS} \u202eelif.exe\u202c \u2066isolate\u2069".encode(),
        "zero-width-homoglyph.txt": NEWS.replace("e", "\u0435").replace(" ", " \u200b").encode(),
        "utf16-bom.txt": NEWS.encode("utf-16"),
        "latin1.txt": (NEWS + " Caf\u00e9 na\u00efve \u00a3300").encode("latin-1"),
        "cr-only-newlines.txt": "\r".join([NEWS] * 3).encode(),
        "combining-marks.txt": ("Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f" * 400 + NEWS).encode(),
        "one-huge-word.txt": ("a" * 60000 + " " + NEWS).encode(),
        "only-punctuation.txt": ("!?.,;:" * 2000).encode(),
        "long-line-no-spaces.txt": ("x." * 30000).encode(),
        # JSON lines
        "escape-ids.jsonl": "\n".join(json.dumps(r) for r in [
            {"id": f"id{ESC}", "text": NEWS, "title": f"title{ESC}"},
            {"id": "c1\x9b31m", "text": f"{NEWS}\x9b2J", "url": "javascript:alert(1)"},
            {"id": "bidi\u202e", "text": NEWS, "source": "\u202esrc"},
        ]).encode() + b"\n",
        "lone-surrogates.jsonl": b'{"id": "s\\ud800", "text": "' + NEWS.encode()
        + b' \\udc00 end", "meta": ["\\ud83d"]}\n',
        "deep-nesting.jsonl": b"[" * 50000 + b"]" * 50000 + b"\n" + json.dumps(
            {"id": "after-deep", "text": NEWS}).encode() + b"\n",
        "bad-lines.jsonl": b"{not json\n\xff\xfe\n[1,2]\n\"str\"\n{\"id\": 5}\n{\"id\": \"x\", \"text\": 7}\n"
        + json.dumps({"id": "good", "text": NEWS}).encode() + b"\n",
        "duplicate-ids.jsonl": b"\n".join(json.dumps({"id": "dup", "text": NEWS + str(i)}).encode()
                                          for i in range(3)) + b"\n",
        "huge-number-id.jsonl": json.dumps({"id": 10**400, "text": NEWS}).encode().replace(
            b"1" + b"0" * 400, b"1e400") + b"\n" + b'{"id": NaN, "text": "x"}\n',
        "no-final-newline.jsonl": json.dumps({"id": "last", "text": NEWS}).encode(),
        # HTML
        "script-only.html": b"<html><body><script>document.write('x')</script></body></html>",
        "escape-title.html": page.encode(),
        "deeply-nested.html": ("<div>" * 20000 + f"<p>{NEWS}</p>" + "</div>" * 20000).encode(),
        "malformed.html": f"<html><body><p>{NEWS}<p><b><i>{NEWS}</b></i><table><tr><td>".encode(),
        "charset-lie.html": (f'<meta charset="utf-16"><p>{NEWS} caf\u00e9</p>').encode("latin-1"),
        "entity-bomb.html": ('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;'
                             '&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                             f"<html><body><p>&c;&c;&c;</p><p>{NEWS}</p></body></html>").encode(),
        "binary.html": random.randbytes(2048),
        # WARC
        "truncated.warc.gz": _gz(_warc_record("http://a.example/1", page.encode())
                                 + _warc_record("http://a.example/2", page.encode()))[:-200],
        "not-gzip.warc.gz": _warc_record("http://b.example/", page.encode()),
        "garbage.warc": random.randbytes(3000),
        "lying-length.warc": _warc_record("http://c.example/", page.encode(), length=10**12),
        "escape-uri.warc": _warc_record(f"http://d.example/{ESC}", page.encode()),
        "not-html-payload.warc": _warc_record("http://e.example/x.png", random.randbytes(500),
                                              content_type="image/png"),
    }
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in files().items():
        (OUT / name).write_bytes(data)
    (OUT / "README.md").write_text(
        "# Hostile inputs\n\nWritten by `scripts/make_hostile_corpus.py` (see each entry there). "
        "`tests/test_properties.py` runs every file through every reader and the CLI: no exception "
        "may escape, nothing raw may reach the terminal, and good records next to bad ones are "
        "kept.\n", encoding="utf-8")
    print(f"wrote {len(files())} files to {OUT}")


if __name__ == "__main__":
    main()
