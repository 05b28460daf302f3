"""Stages and executors.

A stage is a plain function from one record to one result; it never knows how it is run. An
executor maps a stage over a stream: in this process (``SerialExecutor``) or in a pool of worker
processes (``ProcessExecutor``), keeping input order and bounded memory.

Shard executors run a stage over shards (units of work that write their own output, such as the
shards of ``unspin scan``). The stage is built once per worker by a picklable factory, so each
worker opens its resources (a read-only index) once: ``LocalShardExecutor`` in a process pool on
this machine, ``RayShardExecutor`` in Ray actors on a local or existing Ray cluster. Both yield an
``Outcome`` per shard as shards finish; a shard whose stage raised, or whose worker died, comes
back with its error instead of a result, and the caller decides whether to retry it.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

import numpy as np

from .article import Article
from .config import IndexConfig
from .errors import UsageError
from .fingerprint import fingerprints
from .normalize import normalize
from .tokens import sentence_spans, tokenize

T = TypeVar("T")
R = TypeVar("R")


class Fingerprinted(NamedTuple):
    """An article as the index stores it: its fingerprints and, when the index keeps sentence
    vectors, its normalised sentences (what ``index.vectors`` embeds), from the same pass over
    its text."""

    article: Article
    hashes: np.ndarray
    sentences: tuple[str, ...] | None = None


def fingerprint_article(article: Article, config: IndexConfig) -> Fingerprinted:
    """Stage: the fingerprints an article is indexed under, and its sentences for the vectors
    (``config.semantic`` not ``off``): the text is normalised and split once for both."""
    norm = normalize(article.text[: config.max_chars]).text
    hashes = fingerprints(tokenize(norm), config)
    if config.semantic == "off":
        return Fingerprinted(article, hashes)
    return Fingerprinted(article, hashes, tuple(norm[a:b] for a, b in sentence_spans(norm)))


def text_fingerprints(text: str, config: IndexConfig) -> np.ndarray:
    """The fingerprints of a text, as :func:`fingerprint_article` computes them."""
    return fingerprints(tokenize(normalize(text[: config.max_chars]).text), config)


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
) -> Iterator[Fingerprinted]:
    return executor.map(partial(fingerprint_article, config=config), articles)


# -- shard executors -------------------------------------------------------------------------
StageFactory = Callable[[], Callable[[T], R]]
"""A picklable callable that builds a stage; called once per worker (it may open an index)."""


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T, R]):
    """What running a stage on one item gave: its result, or the error that stopped it."""

    item: T
    result: R | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def _attempt(stage: Callable[[T], R], item: T) -> Outcome[T, R]:
    try:
        return Outcome(item, stage(item))
    except Exception as exc:  # one failing item is reported; the others go on
        return Outcome(item, None, f"{type(exc).__name__}: {exc}")


class ShardExecutor(Protocol):
    workers: int

    def run(self, make_stage: StageFactory[T, R], items: Iterable[T]) -> Iterator[Outcome[T, R]]:
        ...


_WORKER_STAGE: Callable[[Any], Any] | None = None


def _init_worker(make_stage: StageFactory[Any, Any]) -> None:
    global _WORKER_STAGE
    _WORKER_STAGE = make_stage()


def _run_in_worker(item: Any) -> Outcome[Any, Any]:
    assert _WORKER_STAGE is not None, "the worker's initializer did not run"
    return _attempt(_WORKER_STAGE, item)


class LocalShardExecutor:
    """Runs a stage over items in ``workers`` processes on this machine, yielding as they finish.

    Each worker builds the stage once. At most ``2 * workers`` items are in flight, so memory stays
    bounded whatever the number of items. A worker that dies (killed, out of memory) fails the
    items it held; the pool is started again for the rest.
    """

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise UsageError(f"workers must be at least 1, not {workers}")
        self.workers = workers

    def run(self, make_stage: StageFactory[T, R], items: Iterable[T]) -> Iterator[Outcome[T, R]]:
        if self.workers == 1:
            stage = make_stage()
            for item in items:
                yield _attempt(stage, item)
            return
        todo = iter(items)
        while True:
            broken = yield from self._pool_run(make_stage, todo)
            if not broken:
                return

    def _pool_run(
        self, make_stage: StageFactory[T, R], todo: Iterator[T]
    ) -> Generator[Outcome[T, R], None, bool]:
        """Run items until they run out (returns False) or the pool breaks (returns True)."""
        pool = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"),
                                   initializer=_init_worker, initargs=(make_stage,))
        pending: dict[Future[Outcome[T, R]], T] = {}
        try:
            while True:
                while len(pending) < 2 * self.workers and (item := next(todo, _END)) is not _END:
                    pending[pool.submit(_run_in_worker, item)] = item
                if not pending:
                    return False
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    item = pending.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:  # which item killed it is unknown: all in flight fail
                        for lost in (item, *pending.values()):
                            yield Outcome(lost, None, _DIED)
                        pending.clear()
                        return True
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


_END: Any = object()
_DIED = "a worker process died (killed or out of memory) while this item was in flight"


class _RayWorker:
    """The body of a Ray actor: builds the stage once, then runs items."""

    def __init__(self, make_stage: StageFactory[Any, Any]) -> None:
        self.stage = make_stage()

    def run(self, item: Any) -> Outcome[Any, Any]:
        return _attempt(self.stage, item)


class RayShardExecutor:
    """Runs a stage over items in ``workers`` Ray actors, yielding as they finish.

    ``address`` joins an existing cluster (every node must read the paths the stage opens);
    without it a local cluster of ``workers`` CPUs is started and stopped at the end. When Ray is
    already initialised in this process (a notebook, a test session), that cluster is used as is.
    """

    def __init__(self, workers: int = 2, address: str = "") -> None:
        if workers < 1:
            raise UsageError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self.address = address

    def run(self, make_stage: StageFactory[T, R], items: Iterable[T]) -> Iterator[Outcome[T, R]]:
        ray = _import_ray()
        started = not ray.is_initialized()
        if started:
            if self.address:
                ray.init(address=self.address, log_to_driver=False)
            else:
                ray.init(num_cpus=self.workers, include_dashboard=False, log_to_driver=False)
        try:
            yield from self._run(ray, make_stage, iter(items))
        finally:
            if started:
                ray.shutdown()

    def _run(self, ray: Any, make_stage: StageFactory[T, R], todo: Iterator[T]) -> Iterator[Outcome[T, R]]:
        actor_class = ray.remote(num_cpus=1)(_RayWorker)
        idle = [actor_class.remote(make_stage) for _ in range(self.workers)]
        pending: dict[Any, tuple[Any, T]] = {}
        try:
            while True:
                while idle and (item := next(todo, _END)) is not _END:
                    actor = idle.pop()
                    pending[actor.run.remote(item)] = (actor, item)
                if not pending:
                    return
                ready, _ = ray.wait(list(pending), num_returns=1)
                actor, item = pending.pop(ready[0])
                try:
                    yield ray.get(ready[0])
                    idle.append(actor)
                except ray.exceptions.RayActorError as exc:
                    yield Outcome(item, None, f"the Ray worker died ({type(exc).__name__})")
                    idle.append(actor_class.remote(make_stage))
        finally:
            for actor, _ in pending.values():
                ray.kill(actor)
            for actor in idle:
                ray.kill(actor)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise UsageError(
            "the ray executor needs Ray; install it with `pip install unspin[ray]` "
            "or use --executor local"
        ) from None
    return ray


def shard_executor(kind: str, workers: int, address: str = "") -> ShardExecutor:
    """The executor named ``kind`` (``local`` or ``ray``) with ``workers`` workers."""
    if kind == "local":
        if address:
            raise UsageError("--ray-address needs --executor ray")
        return LocalShardExecutor(workers)
    if kind == "ray":
        return RayShardExecutor(workers, address)
    raise UsageError(f"unknown executor {kind!r}; choose local or ray")


__all__ = [
    "Fingerprinted",
    "fingerprint_article",
    "text_fingerprints",
    "fingerprint_stream",
    "Executor",
    "SerialExecutor",
    "ProcessExecutor",
    "executor_for",
    "Outcome",
    "ShardExecutor",
    "LocalShardExecutor",
    "RayShardExecutor",
    "shard_executor",
]
