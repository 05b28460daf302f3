"""What every reader shares: the item type, bad-record routing and bounded file reads."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from unspin.article import Article, BadRecord
from unspin.errors import BadInputError

logger = logging.getLogger("unspin.ingest")

Item = Article | BadRecord
"""What a reader yields: a good article, or the bad input it skipped."""

OnBad = Callable[[BadRecord], None]


def bad_record(error: BadInputError) -> BadRecord:
    return BadRecord(error.path, error.location, error.reason)


def route(items: Iterable[Item], on_bad: OnBad | None) -> Iterator[Article]:
    """Yield the articles; hand each bad record to ``on_bad``, or log it when there is none."""
    logged = 0
    for item in items:
        if isinstance(item, Article):
            yield item
        elif on_bad is not None:
            on_bad(item)
        else:
            logged += 1
            logger.warning("skipped %s", item)
    if logged:
        logger.warning("skipped %d bad input(s) in all; pass on_bad to collect them", logged)


def too_big(
    path: str, size: int, max_bytes: int, *, what: str = "file", location: str = ""
) -> BadInputError:
    return BadInputError(
        path,
        f"{what} is over the {max_bytes:,}-byte limit ({size:,} bytes or more); "
        "split it or raise IngestConfig.max_bytes",
        location,
    )


def open_binary(path: str) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise _unreadable(path, exc) from exc


def _unreadable(path: str, exc: OSError) -> BadInputError:
    return BadInputError(
        path, f"cannot read the file ({exc.strerror or exc}); check the path and its permissions"
    )


def read_file(path: str, max_bytes: int) -> bytes:
    """Read a whole file of at most ``max_bytes`` bytes, or raise ``BadInputError``."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                raise too_big(path, size, max_bytes)
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    if len(data) > max_bytes:
        raise too_big(path, len(data), max_bytes)
    if not data:
        raise BadInputError(path, "file is empty; remove it or give it some text")
    return data


def require_text(text: str, path: str, location: str = "", *, what: str = "file") -> str:
    if not text.strip():
        raise BadInputError(
            path, f"{what} holds only whitespace; remove it or give it some text", location
        )
    return text
