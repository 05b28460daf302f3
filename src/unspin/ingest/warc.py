"""WARC: the HTML pages of a web archive's response records, streamed a record at a time."""

from __future__ import annotations

import contextlib
import io
import os
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import WARCIterator

from unspin.article import Article, BadRecord
from unspin.config import IngestConfig
from unspin.errors import BadInputError

from .base import Item, OnBad, bad_record, logger, open_binary, route, too_big
from .decode import decode_bytes
from .html import html_article, sniff_charset

_DEFAULT = IngestConfig()
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """warcio prints warnings on stderr; send them to our logger instead."""
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        yield
    if buffer.getvalue().strip():
        logger.debug("warcio: %s", buffer.getvalue().strip())


def _detail(exc: BaseException) -> str:
    """The exception's type and the printable start of its first line, for a one-line message."""
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    printable = "".join(c for c in first if c.isprintable() and c.isascii())[:60]
    return f"{type(exc).__name__}: {printable}" if printable else type(exc).__name__


def _corrupt(path: str, number: int, kept: int, detail: str, resumed: bool = False) -> BadRecord:
    if number == 1 and kept == 0 and not resumed:
        return BadRecord(
            path,
            "",
            f"not a WARC file, or truncated or corrupt at its start ({detail}); check the file",
        )
    if resumed:
        return BadRecord(
            path,
            f"record {number}",
            f"file is truncated or corrupt here ({detail}); reading goes on at the next whole "
            "gzip member (record numbers after it may be off by the records lost)",
        )
    return BadRecord(
        path,
        f"record {number}",
        f"file is truncated or corrupt here ({detail}); the {kept} article(s) before it are kept, "
        "re-download or re-create the file to read the rest",
    )


_GZIP_MAGIC = b"\x1f\x8b\x08"
_SEARCH_CHUNK = 1 << 20


def _next_member(f: BinaryIO, after: int, stop: int) -> int | None:
    """Where the first gzip member that starts after ``after`` (and before ``stop``) and holds the
    start of a WARC record begins; None if there is none. In a WARC.gz file every record is its
    own gzip member, so reading can go on there after a damaged member."""
    pos = after + 1
    while pos < stop:
        f.seek(pos)
        chunk = f.read(min(_SEARCH_CHUNK, stop - pos) + len(_GZIP_MAGIC) - 1)
        at = chunk.find(_GZIP_MAGIC)
        while at != -1 and pos + at < stop:
            if _starts_record(f, pos + at):
                return pos + at
            at = chunk.find(_GZIP_MAGIC, at + 1)
        pos += _SEARCH_CHUNK
    return None


def _starts_record(f: BinaryIO, offset: int) -> bool:
    f.seek(offset)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(f.read(4096), 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


def _content_type(record: Any) -> str:
    value = record.http_headers.get_header("Content-Type") or ""
    return value.split(";", 1)[0].strip().lower()


def _charset(record: Any) -> str | None:
    for part in (record.http_headers.get_header("Content-Type") or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip()
    return None


def _wanted(record: Any) -> bool:
    """A successful HTTP response that is (or may be) an HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    return status.startswith("2") and _content_type(record) in ("", *_HTML_TYPES)


def _looks_html(payload: bytes) -> bool:
    head = payload[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _damage(record: Any, archive: WARCIterator) -> str:
    """Why a record that warcio read without complaint is incomplete, or "" if it is whole."""
    if record.rec_type is None or record.length is None:
        return "the record header is incomplete"
    if getattr(record.raw_stream, "limit", 0) > 0:
        return "the record ends before its stated length"
    decompressor = archive.reader.decompressor if archive.reader else None
    if decompressor is not None and not decompressor.eof:
        return "the gzip member of the record is cut short"
    return ""


def _page(record: Any, payload: bytes, path: str, number: int, config: IngestConfig) -> Item | None:
    """The article in a response's payload, a bad record, or None when it is not HTML after all."""
    where = f"record {number}"
    if not _content_type(record) and not _looks_html(payload):
        return None
    if len(payload) > config.max_bytes:
        return bad_record(
            too_big(path, len(payload), config.max_bytes, what="page", location=where)
        )
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI") or ""
    record_id = (
        (headers.get_header("WARC-Record-ID") or "").strip("<>") or url or f"{path}#{number}"
    )
    try:
        html, encoding = decode_bytes(
            payload, path=path, location=where, declared=_charset(record) or sniff_charset(payload)
        )
        meta = {
            "format": "warc",
            "path": path,
            "record": number,
            "encoding": encoding,
            "warc_date": headers.get_header("WARC-Date") or "",
        }
        return html_article(
            html, article_id=record_id, path=path, location=where, url=url, metadata=meta,
            with_metadata=config.metadata, fast=config.fast_html,
        )
    except BadInputError as exc:
        return bad_record(exc)


def _resume_at(f: BinaryIO, damaged_at: int, stop: int) -> int | None:
    """Where to read on after a damaged record that starts at ``damaged_at``: the next gzip
    member that starts a record, in a gzipped file; None in a plain one (or none left)."""
    if damaged_at < 0:
        return None
    f.seek(0)
    if f.read(2) != b"\x1f\x8b":
        return None
    return _next_member(f, damaged_at, stop)


class _Damaged(Exception):
    def __init__(self, number: int, detail: str, offset: int = -1) -> None:
        super().__init__(detail)
        self.number = number
        self.detail = detail
        self.offset = offset  # where the damaged record starts (-1: unknown)


def _ends_cleanly(f: BinaryIO, size: int) -> bool:
    """An uncompressed WARC ends with the blank lines that close its last record."""
    f.seek(max(0, size - 4))
    return f.read(4).replace(b"\r", b"").endswith(b"\n\n")


def _records(
    f: BinaryIO, size: int, max_bytes: int, stop: int | None = None, number: int = 0
) -> Iterator[tuple[int, Any, bytes | None]]:
    """``(number, record, payload)`` for whole records; raise ``_Damaged`` where the file breaks.

    Reading starts at the file's position and ends before the first record that starts at or
    after ``stop`` (the end of the file when None); ``number`` is the number of records before.
    The payload (at most ``max_bytes + 1`` bytes) is read only for responses that may be HTML.
    """
    end = f.tell()
    gzipped = f.read(2) == b"\x1f\x8b"
    f.seek(end)
    archive = WARCIterator(f)
    records = iter(archive)
    while stop is None or end < stop:
        record = None
        # warcio raises many exception types on damaged input; all of them mean a damaged file
        try:
            with _quiet():
                record = next(records, None)
                if record is None:
                    break
                number += 1
                payload = record.content_stream().read(max_bytes + 1) if _wanted(record) else None
                archive.read_to_end()
        except Exception as exc:
            raise _Damaged(number + 1 if record is None else number, _detail(exc), end) from exc
        if damage := _damage(record, archive):
            raise _Damaged(number, damage, end)
        end = archive.offset
        yield number, record, payload
    if stop is not None and stop < size:
        return
    if end < size:
        raise _Damaged(number + 1, "the file ends inside a record", end)
    if not gzipped and not _ends_cleanly(f, size):
        raise _Damaged(number, "the last record is cut short")


def _scan(
    f: BinaryIO, path: str, config: IngestConfig, stop: int | None = None, first: int = 1
) -> Iterator[Item]:
    size = os.fstat(f.fileno()).st_size
    if size == 0:
        yield BadRecord(
            path, "", "file is empty; remove it or give a WARC file with HTML responses"
        )
        return
    kept = pages = 0
    whole = first == 1 and stop is None
    before = first - 1  # records before where reading (re)starts
    while True:
        try:
            for number, record, payload in _records(f, size, config.max_bytes, stop, before):
                item = None if payload is None else _page(record, payload, path, number, config)
                if item is not None:
                    pages += 1
                    kept += isinstance(item, Article)
                    yield item
        except _Damaged as exc:
            resume = _resume_at(f, exc.offset, size if stop is None else min(stop, size))
            yield _corrupt(path, exc.number, kept, exc.detail, resumed=resume is not None)
            if resume is None:
                return
            f.seek(resume)
            before = exc.number
            pages += 1
            continue
        break
    if pages == 0 and whole:
        yield BadRecord(
            path, "", "no HTML pages found; unspin reads WARC response records of type text/html"
        )


def iter_items(path: str, *, config: IngestConfig) -> Iterator[Item]:
    try:
        f = open_binary(path)
    except BadInputError as exc:
        yield bad_record(exc)
        return
    with f:
        yield from _scan(f, path, config)


def iter_range(
    path: str, *, start: int, stop: int | None, first: int, config: IngestConfig
) -> Iterator[Item]:
    """The items of the records that start in bytes ``[start, stop)`` of a WARC file.

    ``start`` must be where a record starts (``record_offsets`` gives them) and ``first`` that
    record's number in the file (from 1), so that bad records name their place in the whole file.
    """
    try:
        f = open_binary(path)
    except BadInputError as exc:
        yield bad_record(exc)
        return
    with f:
        f.seek(start)
        yield from _scan(f, path, config, stop, first)


def record_offsets(path: str) -> Iterator[int]:
    """Where each record of a WARC file starts, read without its payload. Where the file breaks,
    a WARC.gz goes on at the next whole gzip member (as the reader does); a plain file stops."""
    with open(path, "rb") as f, _quiet():
        size = os.fstat(f.fileno()).st_size
        start, resumed = 0, False
        while True:
            f.seek(start)
            archive = WARCIterator(f)
            last = start
            if resumed:  # a gzip member that starts a record, whole or damaged: count it
                yield start
            try:
                for _ in archive:
                    offset = archive.get_record_offset()  # absolute: warcio starts at tell()
                    if offset != start or not resumed:
                        last = offset
                        yield offset
                return
            except Exception as exc:  # the reader reports the damage in the shard holding it
                logger.debug("%s: damaged record after offset %d (%s)", path, last, _detail(exc))
            resume = _resume_at(f, last, size)
            if resume is None:
                return
            start, resumed = resume, True


def read_warc_file(
    path: str, *, config: IngestConfig = _DEFAULT, on_bad: OnBad | None = None
) -> Iterator[Article]:
    """Articles from the HTML response records of a WARC file (``.warc`` or ``.warc.gz``)."""
    return route(iter_items(path, config=config), on_bad)
