"""Where the web app calls the library: a pool of threads, each with its own read-only index.

Route handlers never touch the index themselves: they hand a function of the index to
``Service.call``, which runs it on one of ``ServeConfig.threads`` threads (each thread opens the
index once, read-only, so several requests are checked at once and a running ``index build`` never
sees a lock) and gives up waiting after ``ServeConfig.time_limit`` seconds.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from ..article import Article, BadRecord
from ..config import IngestConfig
from ..errors import BadInputError, UnspinError
from ..index import Index
from ..ingest import read_inputs
from ..ingest.paths import SUPPORTED, format_of
from .config import ServeConfig

T = TypeVar("T")


class TimeLimitError(UnspinError):
    """A request's work ran past ``ServeConfig.time_limit``."""


class Service:
    """Runs library calls for the web app on a bounded pool of threads."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self._local = threading.local()
        self._opened: list[Index] = []
        self._lock = threading.Lock()
        self.write_lock = threading.Lock()  # one writer at a time (``--allow-writes``)
        self._pool = ThreadPoolExecutor(config.threads, thread_name_prefix="unspin-check")
        Index.open(config.index, readonly=True).close()  # fail now, with the index's own message

    def index(self) -> Index:
        """This thread's read-only index (opened on first use)."""
        index: Index | None = getattr(self._local, "index", None)
        if index is None:
            index = Index.open(self.config.index, readonly=True)
            self._local.index = index
            with self._lock:
                self._opened.append(index)
        return index

    def run(self, work: Callable[[Index], T]) -> T:
        """Run ``work`` on the calling thread with its own index (batch workers use this)."""
        return work(self.index())

    async def call(self, work: Callable[[Index], T]) -> T:
        """Run ``work(index)`` on the pool; ``TimeLimitError`` once the time limit is over."""
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, self.run, work)
        try:
            return await asyncio.wait_for(future, self.config.time_limit)
        except TimeoutError:
            raise TimeLimitError(
                f"the request took more than the server's {self.config.time_limit:g} s limit; "
                "send a shorter text, or start the server with a larger --time-limit"
            ) from None

    def submit(self, work: Callable[[], None]) -> None:
        """Run ``work`` in the background on the pool (batch uploads)."""
        self._pool.submit(work)

    def close(self) -> None:
        """Stop the pool, then close the indexes. Work still running (a request past its time
        limit, a batch) is waited for: closing an SQLite connection while another thread reads
        through it crashes the process."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            for index in self._opened:
                index.close()
            self._opened.clear()


def upload_format(filename: str) -> str:
    """The reader for an uploaded file's name, or ``BadInputError`` naming what is supported."""
    name = Path(filename or "").name
    if not name or format_of(name) is None:
        raise BadInputError(name or "upload", f"unknown file type; upload one of {SUPPORTED}")
    return name


def read_upload(filename: str, data: bytes, *, max_bytes: int,
                max_records: int) -> tuple[list[Article], list[BadRecord]]:
    """The articles in an uploaded file, read by the same readers as ``unspin check``.

    The upload is written to a private temporary directory under a neutral name with the
    uploaded name's ending; ids of one-article files (text, HTML) are the uploaded name.
    """
    name = upload_format(filename)
    fmt = format_of(name)
    ending = {"txt": ".txt", "html": ".html", "jsonl": ".jsonl"}.get(fmt or "", ".warc")
    if fmt == "warc" and name.lower().endswith(".gz"):
        ending = ".warc.gz"
    bad: list[BadRecord] = []
    articles: list[Article] = []
    with tempfile.TemporaryDirectory(prefix="unspin-upload-") as tmp:
        path = os.path.join(tmp, f"upload{ending.lower()}")
        with open(path, "wb") as f:
            f.write(data)
        config = IngestConfig(max_bytes=max_bytes)
        for article in read_inputs([path], config=config, on_bad=bad.append):
            if fmt in ("txt", "html") and article.id == "upload":
                article.id = name
            article.metadata["path"] = name  # not the temporary file's
            articles.append(article)
            if len(articles) > max_records:
                raise BadInputError(name, f"holds more than {max_records:,} records; split it")
    bad = [BadRecord(name, b.location, b.message) for b in bad]
    return articles, bad


__all__ = ["Service", "TimeLimitError", "read_upload", "upload_format"]
