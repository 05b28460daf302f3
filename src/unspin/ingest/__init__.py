"""Read articles from text, JSON lines, HTML and WARC files, directories and standard input.

Every reader streams ``Article`` records. Bad input never stops a run: each unreadable file or
record becomes a ``BadRecord`` handed to ``on_bad`` (or logged on the ``unspin.ingest`` logger when
there is none), and reading goes on with the next one.

``IngestConfig.max_bytes`` bounds what is held in memory at once: a whole text or HTML file, one
JSON line, one WARC record's page, or standard input read as text.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import BinaryIO, TextIO

from unspin.article import Article, BadRecord
from unspin.config import IngestConfig

from . import html, jsonl, txt, warc
from . import stdin as _stdin
from .base import Item, OnBad, logger, route
from .html import read_html_file
from .jsonl import read_jsonl_file
from .paths import SUPPORTED, InputFile, iter_files, iter_paths
from .stdin import read_stdin
from .summary import IngestSummary
from .txt import read_text_file
from .warc import read_warc_file

logger.addHandler(logging.NullHandler())

_DEFAULT = IngestConfig()

_Reader = Callable[[InputFile, IngestConfig], Iterator[Item]]

READERS: dict[str, _Reader] = {
    "txt": lambda f, config: txt.iter_items(f.path, article_id=f.name, config=config),
    "html": lambda f, config: html.iter_items(f.path, article_id=f.name, config=config),
    "jsonl": lambda f, config: jsonl.iter_items(f.path, config=config),
    "warc": lambda f, config: warc.iter_items(f.path, config=config),
}
"""Format name to reader; ``paths.FORMATS`` maps file endings to these names."""


def _guarded(read: Callable[[], Iterable[Item]], path: str) -> Iterator[Item]:
    """Last resort: an error no reader foresaw ends that file with a bad record, not the run."""
    try:
        yield from read()
    except Exception as exc:  # reported, and the run goes on with the next file
        logger.debug("unexpected error reading %s", path, exc_info=True)
        yield BadRecord(
            path,
            "",
            f"unexpected error ({type(exc).__name__}: {exc}); the rest of this file "
            "was skipped, please report this",
        )


def _items(
    paths: Sequence[str | os.PathLike[str]], config: IngestConfig, stream: TextIO | BinaryIO | None
) -> Iterator[Item]:
    for entry in iter_files(paths):
        if isinstance(entry, BadRecord):
            yield entry
        elif entry.format == "stdin":
            source = stream if stream is not None else sys.stdin
            read = partial(_stdin.iter_items, source, config=config)
            yield from _guarded(read, _stdin.NAME)
        else:
            yield from _guarded(partial(READERS[entry.format], entry, config), entry.path)


def read_inputs(
    paths: Sequence[str | os.PathLike[str]],
    *,
    config: IngestConfig = _DEFAULT,
    on_bad: OnBad | None = None,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Article]:
    """Stream the articles in ``paths``: files, directories (recursive, sorted) and ``-`` for stdin.

    The format comes from the file name: ``.txt``, ``.jsonl``, ``.html``/``.htm``, ``.warc`` and
    ``.warc.gz``. Each bad file or record goes to ``on_bad`` and reading goes on; none is raised.
    """
    if isinstance(paths, str | bytes | os.PathLike):
        raise TypeError("read_inputs takes a sequence of paths, not one path; wrap it in a list")
    return route(_items(paths, config, stdin), on_bad)


__all__ = [
    "READERS",
    "SUPPORTED",
    "InputFile",
    "IngestSummary",
    "OnBad",
    "iter_paths",
    "read_html_file",
    "read_inputs",
    "read_jsonl_file",
    "read_stdin",
    "read_text_file",
    "read_warc_file",
]
