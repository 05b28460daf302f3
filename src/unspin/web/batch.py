"""Batch uploads: many suspects checked in the background, their results held in memory.

A batch lives in the memory of the server process that received it (with ``--workers`` > 1 each
process has its own). At most ``ServeConfig.batch_keep`` batches are kept: a new batch drops the
oldest finished one, and is refused while that many are still running. Nothing is written to disk.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..article import Article, BadRecord
from ..check import CheckResult
from ..errors import UsageError


@dataclass
class Batch:
    """One uploaded file's suspects and, as they are checked, their results (same order)."""

    id: str
    name: str
    articles: list[Article]
    bad: list[BadRecord]
    results: list[CheckResult | None] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    done: int = 0

    @property
    def total(self) -> int:
        return len(self.articles)

    @property
    def finished(self) -> bool:
        return self.done >= self.total


class BatchStore:
    """The batches of this process, bounded (see the module's note)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._batches: OrderedDict[str, Batch] = OrderedDict()
        self._lock = threading.Lock()

    def create(self, name: str, articles: list[Article], bad: list[BadRecord]) -> Batch:
        batch = Batch(uuid.uuid4().hex, name, articles, bad, [None] * len(articles))
        with self._lock:
            while len(self._batches) >= self.keep:
                oldest = next((k for k, b in self._batches.items() if b.finished), None)
                if oldest is None:
                    raise UsageError(f"{self.keep} batches are still running; try again when one "
                                     "has finished")
                del self._batches[oldest]
            self._batches[batch.id] = batch
        return batch

    def get(self, batch_id: str) -> Batch | None:
        with self._lock:
            return self._batches.get(batch_id)


def run_batch(batch: Batch, check_one: Callable[[Article], CheckResult]) -> None:
    """Check every suspect of ``batch`` in order; a failure is recorded and the next goes on."""
    for n, article in enumerate(batch.articles):
        try:
            batch.results[n] = check_one(article)
        except Exception as exc:  # recorded on the batch page; the other suspects go on
            batch.errors.append(f"{article.id}: {type(exc).__name__}: {exc}")
        batch.done = n + 1


__all__ = ["Batch", "BatchStore", "run_batch"]
