"""Stages and executors.

A stage is a plain function from one record to one result; it never knows how it is run. An
executor maps a stage over a stream: in this process (``SerialExecutor``) or in a pool of worker
processes (``ProcessExecutor``), keeping input order and bounded memory. The Ray executor for
crawls that outgrow one machine plugs in the same way.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Protocol, TypeVar

import numpy as np

from .analysis import analyze
from .article import Article
from .config import IndexConfig
from .fingerprint import fingerprints

T = TypeVar("T")
R = TypeVar("R")


def fingerprint_article(article: Article, config: IndexConfig) -> tuple[Article, np.ndarray]:
    """Stage: the fingerprints an article is indexed under."""
    text = article.text[: config.max_chars]
    return article, fingerprints(analyze(text).tokens, config)


class Executor(Protocol):
    def map(self, stage: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...


class SerialExecutor:
    """Runs a stage in this process."""

    def map(self, stage: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield stage(item)


class ProcessExecutor:
    """Runs a stage in ``workers`` processes, in order, ``chunksize`` records at a time."""

    def __init__(self, workers: int | None = None, chunksize: int = 16) -> None:
        self.workers = workers or max(1, mp.cpu_count())
        self.chunksize = chunksize

    def map(self, stage: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        if self.workers <= 1:
            yield from SerialExecutor().map(stage, items)
            return
        ctx = mp.get_context("spawn")
        with ctx.Pool(self.workers) as pool:
            yield from pool.imap(stage, items, chunksize=self.chunksize)


def executor_for(workers: int) -> Executor:
    return SerialExecutor() if workers <= 1 else ProcessExecutor(workers)


def fingerprint_stream(
    articles: Iterable[Article], config: IndexConfig, executor: Executor
) -> Iterator[tuple[Article, np.ndarray]]:
    return executor.map(partial(fingerprint_article, config=config), articles)


__all__ = [
    "fingerprint_article",
    "fingerprint_stream",
    "Executor",
    "SerialExecutor",
    "ProcessExecutor",
    "executor_for",
]
