"""Standard input: JSON lines if the first line looks like a JSON object, else one text article."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from typing import BinaryIO, Protocol, TextIO, cast

from unspin.article import Article
from unspin.config import IngestConfig
from unspin.errors import BadInputError

from .base import Item, OnBad, bad_record, require_text, route, too_big
from .decode import decode_bytes
from .jsonl import TOO_LONG, bounded_lines, iter_lines
from .txt import text_article

NAME = "<stdin>"
ARTICLE_ID = "stdin"
_DEFAULT = IngestConfig()


class _Bytes(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...
    def readline(self, size: int = -1, /) -> bytes: ...


class _Utf8:
    """A text stream with no byte buffer under it, read as UTF-8 bytes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def read(self, size: int = -1, /) -> bytes:
        return self._stream.read(size).encode("utf-8")

    def readline(self, size: int = -1, /) -> bytes:
        return self._stream.readline(size).encode("utf-8")


def _as_bytes(stream: TextIO | BinaryIO) -> _Bytes:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer
    if isinstance(stream.read(0), str):
        return _Utf8(cast(TextIO, stream))
    return cast(_Bytes, stream)


def looks_like_json_object(line: bytes) -> bool:
    """True if ``line`` parses as a JSON object: then the input is read as JSON lines."""
    if not line.lstrip(b" \t\xef\xbb\xbf").startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _text_item(head: list[bytes], source: _Bytes, config: IngestConfig) -> Item:
    start = b"".join(head)
    data = start + source.read(config.max_bytes + 1 - len(start))
    try:
        if not data:
            raise BadInputError(
                NAME, "standard input is empty; pipe some text or JSON lines into it"
            )
        if len(data) > config.max_bytes:
            raise too_big(NAME, len(data), config.max_bytes, what="standard input")
        text, encoding = decode_bytes(data, path=NAME)
        require_text(text, NAME, what="standard input")
    except BadInputError as exc:
        return bad_record(exc)
    meta = {"format": "txt", "path": NAME, "encoding": encoding}
    return text_article(text, article_id=ARTICLE_ID, metadata=meta)


def iter_items(stream: TextIO | BinaryIO, *, config: IngestConfig) -> Iterator[Item]:
    source = _as_bytes(stream)
    lines = bounded_lines(source.readline, config.max_bytes)
    head: list[bytes] = []
    for line in lines:
        if line is TOO_LONG:  # one line over the limit: too big for text, bad for JSON lines
            yield bad_record(
                too_big(NAME, config.max_bytes + 1, config.max_bytes, what="standard input")
            )
            return
        head.append(line if isinstance(line, bytes) else line.encode("utf-8"))
        if line.strip():
            break
    if head and looks_like_json_object(head[-1]):
        rest = itertools.chain(head, lines)
        yield from iter_lines(rest, path=NAME, encoding="utf-8-sig", config=config)
    else:
        yield _text_item(head, source, config)


def read_stdin(
    stream: TextIO | BinaryIO | None = None,
    *,
    config: IngestConfig = _DEFAULT,
    on_bad: OnBad | None = None,
) -> Iterator[Article]:
    """Articles from standard input (or ``stream``): JSON lines, or one text article ``stdin``."""
    return route(iter_items(stream if stream is not None else sys.stdin, config=config), on_bad)
