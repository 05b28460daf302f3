"""JSON lines: one article per line, read a line at a time so memory stays flat."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from unspin.article import Article, BadRecord
from unspin.config import IngestConfig
from unspin.errors import BadInputError

from .base import Item, OnBad, bad_record, open_binary, route, too_big
from .decode import bom_encoding, decode_bytes, detect_encoding, is_utf8_prefix, looks_binary

_DEFAULT = IngestConfig()
_SAMPLE = 65536

TOO_LONG = None
"""What ``bounded_lines`` yields in place of a line over the size limit."""

Line = bytes | str | None


def _ends_line(chunk: bytes | str) -> bool:
    return chunk[-1:] in ("\n", b"\n")


def bounded_lines(readline: Callable[[int], bytes | str], limit: int) -> Iterator[Line]:
    """Lines of at most ``limit`` characters; a longer line is skipped and yields ``TOO_LONG``."""
    while line := readline(limit + 1):
        if len(line) <= limit or _ends_line(line):
            yield line
            continue
        while (rest := readline(limit + 1)) and not _ends_line(rest):
            pass
        yield TOO_LONG


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""  # absent, null, or a container: the raw value stays in metadata


def _article_id(record: dict[str, Any], name: str, path: str, where: str) -> str:
    value = record.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    problem = "no" if value is None else "an empty" if isinstance(value, str) else "a non-string"
    raise BadInputError(
        path,
        f"record has {problem} {name!r} field; give each record a string or integer id "
        "(IngestConfig.id_field names the field)",
        where,
    )


def _text(record: dict[str, Any], name: str, path: str, where: str) -> str:
    text = record.get(name)
    if not isinstance(text, str):
        problem = "no" if text is None else f"a non-string ({type(text).__name__})"
        raise BadInputError(
            path,
            f"record has {problem} {name!r} field; give each record its text as a string "
            "(IngestConfig.text_field names the field)",
            where,
        )
    if not text.strip():
        raise BadInputError(path, f"{name!r} is empty; fill it in or drop the record", where)
    return text


def record_article(record: Any, *, path: str, line: int, config: IngestConfig) -> Article:
    """One parsed JSON value to an article, or ``BadInputError`` naming what is wrong."""
    where = f"line {line}"
    if not isinstance(record, dict):
        raise BadInputError(
            path,
            f"expected a JSON object, got {type(record).__name__}; write one object per line",
            where,
        )
    article_id = _article_id(record, config.id_field, path, where)
    text = _text(record, config.text_field, path, where)
    optional = {
        "title": config.title_field,
        "url": config.url_field,
        "published": config.published_field,
        "source": config.source_field,
    }
    plain = set(optional.values())
    extra = {
        k: v
        for k, v in record.items()
        if k not in (config.id_field, config.text_field)
        and not (k in plain and (v is None or isinstance(v, str)))
    }
    return Article(
        id=article_id,
        text=text,
        **{attr: _scalar(record.get(name)) for attr, name in optional.items()},
        metadata={**extra, "format": "jsonl", "path": path, "line": line},
    )


def _parse(line: bytes | str, *, encoding: str, path: str, where: str) -> Any:
    text = line if isinstance(line, str) else _decode_line(line, encoding, path, where)
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(
            path, f"not valid JSON ({exc.msg} at column {exc.colno}); fix or remove the line", where
        ) from None
    except RecursionError:
        raise BadInputError(
            path, "JSON nested too deeply to read; give one flat object per line", where
        ) from None


def _decode_line(line: bytes, encoding: str, path: str, where: str) -> str:
    try:
        return line.decode(encoding)
    except UnicodeDecodeError:
        return decode_bytes(line, path=path, location=where)[0]


def iter_lines(
    lines: Iterable[Line], *, path: str, encoding: str, config: IngestConfig, first: int = 1
) -> Iterator[Item]:
    """Articles and bad records from JSON lines (``first`` is the first one's number); blank
    lines are skipped."""
    for number, line in enumerate(lines, start=first):
        where = f"line {number}"
        try:
            if line is TOO_LONG:
                raise too_big(
                    path, config.max_bytes + 1, config.max_bytes, what="line", location=where
                )
            record = _parse(line, encoding=encoding, path=path, where=where)
            if record is not None:
                yield record_article(record, path=path, line=number, config=config)
        except BadInputError as exc:
            yield bad_record(exc)


def _file_encoding(sample: bytes, path: str) -> str:
    """UTF-8 unless the first 64 KiB say otherwise; a line that fails is detected on its own."""
    bom = bom_encoding(sample)
    if bom is not None:
        return bom
    if looks_binary(sample):
        raise BadInputError(
            path,
            "looks like a binary file (NUL or control bytes), not JSON lines; "
            "give a UTF-8 .jsonl file",
        )
    if is_utf8_prefix(sample):
        return "utf-8"
    return detect_encoding(sample) or "utf-8"


def iter_items(path: str, *, config: IngestConfig) -> Iterator[Item]:
    try:
        f = open_binary(path)
    except BadInputError as exc:
        yield bad_record(exc)
        return
    with f:
        sample = f.read(_SAMPLE)
        if not sample:
            yield BadRecord(path, "", "file is empty; remove it or give it some JSON lines")
            return
        try:
            encoding = _file_encoding(sample, path)
        except BadInputError as exc:
            yield bad_record(exc)
            return
        f.seek(0)
        readline: Callable[[int], bytes | str] = f.readline
        if encoding in ("utf-16", "utf-32"):  # such lines cannot be split as bytes
            readline = io.TextIOWrapper(f, encoding=encoding, errors="replace", newline="").readline
        lines = bounded_lines(readline, config.max_bytes)
        found = False
        for item in iter_lines(lines, path=path, encoding=encoding, config=config):
            found = True
            yield item
        if not found:
            yield BadRecord(path, "", "file holds only blank lines; give it some JSON lines")


def iter_range(
    path: str, *, start: int, stop: int | None, first: int, config: IngestConfig
) -> Iterator[Item]:
    """The items of the lines that start in bytes ``[start, stop)`` of a UTF-8 JSON-lines file.

    ``start`` must be where a line starts (``line_offsets`` gives them) and ``first`` its number.
    """
    try:
        f = open_binary(path)
    except BadInputError as exc:
        yield bad_record(exc)
        return
    with f:
        try:
            encoding = _file_encoding(f.read(_SAMPLE), path)
        except BadInputError as exc:
            yield bad_record(exc)
            return
        f.seek(start)

        def readline(size: int) -> bytes:
            return b"" if stop is not None and f.tell() >= stop else f.readline(size)

        lines = bounded_lines(readline, config.max_bytes)
        yield from iter_lines(lines, path=path, encoding=encoding, config=config, first=first)


def line_offsets(path: str, every: int) -> Iterator[tuple[int, int]]:
    """``(line number, byte offset)`` of line 1 and of every ``every``-th line after it.

    Only one offset for files that cannot be split as bytes (UTF-16 or UTF-32) or are unreadable.
    """
    yield 1, 0
    try:
        with open(path, "rb") as f:
            if bom_encoding(f.read(4)) in ("utf-16", "utf-32"):
                return
            f.seek(0)
            number, offset = 1, 0
            for chunk in iter(lambda: f.readline(1 << 20), b""):
                offset += len(chunk)
                if _ends_line(chunk):
                    number += 1
                    if (number - 1) % every == 0 and f.peek(1):
                        yield number, offset
    except OSError:
        return


def read_jsonl_file(
    path: str, *, config: IngestConfig = _DEFAULT, on_bad: OnBad | None = None
) -> Iterator[Article]:
    """Articles from a JSON-lines file, one per line, read a line at a time."""
    return route(iter_items(path, config=config), on_bad)
