"""Sharded indexes: one index directory per shard, articles placed by a stable hash of their id.

A sharded index's directory holds ``shards.json`` (the list of its shard directories) and the
shards, each an ordinary :class:`~unspin.index.Index` of the same settings. A
:class:`ShardedIndex` is used wherever an ``Index`` is: its storage answers a lookup with the
whole index's document frequencies and article count (each shard is asked for its counts first,
then for the postings of the hashes kept), and its vector store searches every shard and keeps the
nearest. Candidates are therefore ranked over all shards before any is verified, with the scores
an unsharded index of the same articles gives. An article's global rowid is
``local rowid * shards + shard``.

The same id always lands in the same shard (blake2b of its UTF-8 bytes), so replacing, skipping
and refusing duplicates work as in one index.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..article import Article
from ..config import IndexConfig
from ..errors import IndexDamagedError, IndexMismatchError, UsageError
from . import SHARDS_FILE, AddReport, Index, OnDuplicate
from .storage import Fingerprinter, Postings, SQLiteStorage

if TYPE_CHECKING:
    from ..embed import Hit, StoreSettings, VectorStore
    from . import Item

SHARDED_FORMAT = 1
MAX_SHARDS = 4096


def shard_of(article_id: str, shards: int) -> int:
    """The shard that holds ``article_id`` (stable across runs, processes and machines)."""
    digest = hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") % shards


def _read_list(path: Path) -> list[str]:
    try:
        data = json.loads((path / SHARDS_FILE).read_text(encoding="utf-8"))
        names = [str(n) for n in data["shards"]]
        version = int(data["format"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexDamagedError(f"{path}: its {SHARDS_FILE} cannot be read ({exc}); rebuild the "
                                f"index with `unspin index build --rebuild CORPUS --index {path} "
                                "--shards N`") from None
    if version > SHARDED_FORMAT:
        raise IndexMismatchError(f"{path}: sharded index format {version} was written by a newer "
                                 f"unspin; this one reads format {SHARDED_FORMAT}: upgrade unspin")
    if not names or any("/" in n or n.startswith(".") for n in names):
        raise IndexDamagedError(f"{path}: its {SHARDS_FILE} lists no usable shard; rebuild the index")
    return names


def _write_list(path: Path, names: Sequence[str]) -> None:
    tmp = path / (SHARDS_FILE + ".tmp")
    tmp.write_text(json.dumps({"format": SHARDED_FORMAT, "shards": list(names),
                               "placement": "blake2b-64(id) mod shards"}, indent=1) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path / SHARDS_FILE)


class ShardedStorage(SQLiteStorage):
    """The storage interface over every shard's storage (reads only; writes go to a shard)."""

    def __init__(self, shards: Sequence[Index]) -> None:  # no SQLite file of its own
        self.shards = list(shards)
        self.readonly = all(s.storage.readonly for s in self.shards)
        self.directory = self.shards[0].path.parent
        # index-wide tables (the tortured phrases ``learn`` keeps) live in the first shard's file
        self.conn = self.shards[0].storage.conn
        self.path = self.shards[0].storage.path

    def _split(self, rowid: int) -> tuple[SQLiteStorage, int]:
        n = len(self.shards)
        return self.shards[rowid % n].storage, rowid // n

    def lookup(self, hashes: np.ndarray, max_df: int | None = None, *,
               df_total: np.ndarray | None = None) -> Postings:
        want = np.unique(hashes.astype(np.int64))
        df = np.zeros(len(want), dtype=np.int64)
        for shard in self.shards:  # max_df 0: counts only, no postings gathered
            df += shard.storage.lookup(want, 0).df
        if df_total is not None:
            df = np.asarray(df_total, dtype=np.int64)
        rows, which = [], []
        n = len(self.shards)
        for s, shard in enumerate(self.shards):
            found = shard.storage.lookup(want, max_df, df_total=df)
            rows.append(found.rows * n + s)
            which.append(found.which)
        return Postings(want, df, np.concatenate(rows), np.concatenate(which))

    def get(self, rowid: int) -> Article | None:
        storage, local = self._split(rowid)
        return storage.get(local)

    def text_of(self, rowid: int) -> str:
        storage, local = self._split(rowid)
        return storage.text_of(local)

    def get_by_id(self, article_id: str) -> Article | None:
        return self.shards[shard_of(article_id, len(self.shards))].storage.get_by_id(article_id)

    def rowid_of(self, article_id: str) -> int | None:
        s = shard_of(article_id, len(self.shards))
        local = self.shards[s].storage.rowid_of(article_id)
        return None if local is None else local * len(self.shards) + s

    def ids(self) -> Iterator[str]:
        for shard in self.shards:
            yield from shard.storage.ids()

    def iter_articles(self) -> Iterable[Article]:
        for shard in self.shards:
            yield from shard.storage.iter_articles()

    def count_longer_than(self, chars: int) -> int:
        return sum(s.storage.count_longer_than(chars) for s in self.shards)

    def count(self) -> int:
        return sum(s.storage.count() for s in self.shards)

    def get_meta(self) -> dict[str, str]:
        meta = dict(self.shards[0].storage.get_meta())
        meta["shards"] = str(len(self.shards))
        return meta

    def compact(self, *, max_segments: int = 8, force: bool = False,
                fingerprint: Fingerprinter | None = None) -> None:
        for shard in self.shards:
            shard.storage.compact(max_segments=max_segments, force=force, fingerprint=fingerprint)

    def close(self) -> None:
        for shard in self.shards:
            shard.close()


class ShardedVectors:
    """Every shard's sentence vectors searched as one store (global rowids)."""

    def __init__(self, stores: Sequence[VectorStore | None]) -> None:
        self.stores = list(stores)

    def __len__(self) -> int:
        return sum(len(s) for s in self.stores if s is not None)

    @property
    def settings(self) -> StoreSettings:
        """What the vectors mean (every shard's store has the same settings)."""
        return next(s for s in self.stores if s is not None).settings

    def vectors(self, rowid: int) -> np.ndarray:
        store = self.stores[rowid % len(self.stores)]
        if store is None:
            return np.zeros((0, 1), dtype=np.float32)
        return store.vectors(rowid // len(self.stores))

    def search_many(self, vectors: np.ndarray, k: int = 10, *, threads: int = 1) -> list[list[Hit]]:
        from ..embed import Hit

        n = len(self.stores)
        merged: list[list[Hit]] = [[] for _ in range(len(vectors))]
        for s, store in enumerate(self.stores):
            if store is None:
                continue
            for q, hits in enumerate(store.search_many(vectors, k, threads=threads)):
                merged[q].extend(Hit(h.rowid * n + s, h.sentence, h.similarity) for h in hits)
        return [sorted(hits, key=lambda h: (-h.similarity, h.rowid))[:k] for hits in merged]

    def close(self) -> None:
        for store in self.stores:
            if store is not None:
                store.close()


class ShardedIndex(Index):
    """An index spread over shard directories; used wherever an :class:`Index` is."""

    def __init__(self, path: Path, shards: Sequence[Index]) -> None:
        self.shards = list(shards)
        super().__init__(path, ShardedStorage(self.shards), self.shards[0].config)
        self._sharded_vectors: ShardedVectors | None = None
        for shard in self.shards[1:]:
            if shard.config != self.config:
                raise IndexMismatchError(f"{path}: its shards were built with different settings; "
                                         "rebuild the index")

    @classmethod
    def create_sharded(cls, path: Path, *, shards: int,
                       config: IndexConfig | None = None) -> ShardedIndex:
        """A new sharded index of ``shards`` shards, or the one at ``path`` (whose count stays)."""
        from . import DB_NAME, is_sharded

        if is_sharded(path):
            return cls.open_sharded(path, config=config, readonly=False, create=True)
        if (path / DB_NAME).exists():
            raise UsageError(f"{path}: holds an unsharded index; build the sharded one elsewhere "
                             f"and merge this one into it (`unspin index merge {path} --index NEW "
                             "--shards N`)")
        if not 1 <= shards <= MAX_SHARDS:
            raise UsageError(f"--shards must be between 1 and {MAX_SHARDS}, not {shards}")
        names = [f"shard-{i:03d}" for i in range(shards)]
        opened = [Index.create(path / name, config=config) for name in names]
        _write_list(path, names)  # last: a directory without it is not an index yet
        return cls(path, opened)

    @classmethod
    def open_sharded(cls, path: Path, *, config: IndexConfig | None = None,
                     readonly: bool = False, create: bool = False) -> ShardedIndex:
        opened: list[Index] = []
        try:
            for name in _read_list(path):
                if create:
                    opened.append(Index.create(path / name, config=config))
                else:
                    opened.append(Index.open(path / name, config=config, readonly=readonly))
        except BaseException:
            for shard in opened:
                shard.close()
            raise
        return cls(path, opened)

    # -- writing ----------------------------------------------------------------------------
    def add_fingerprinted(
        self,
        items: Iterable[Item],
        *,
        on_duplicate: OnDuplicate = "replace",
        batch_size: int = 256,
        progress: Callable[[int], None] | None = None,
        finish: bool = True,
    ) -> AddReport:
        """Route each article to its shard, a batch per shard at a time; the sentence vectors
        are made by ``finish``, shard by shard."""
        report = AddReport()
        pending: list[list[Item]] = [[] for _ in self.shards]

        def flush(s: int) -> None:
            got = self.shards[s].add_fingerprinted(pending[s], on_duplicate=on_duplicate,
                                                   batch_size=batch_size, progress=progress,
                                                   finish=False)
            report.added += got.added
            report.replaced += got.replaced
            report.refused.extend(got.refused)
            report.truncated.extend(got.truncated)
            pending[s] = []

        for item in items:
            s = shard_of(item[0].id, len(self.shards))
            # fingerprints only: a shard embeds its texts at ``finish``, one shard at a time, so
            # no more than one shard's graph is in memory (with the sentences, each shard would
            # hold its writable graph open until the end)
            pending[s].append((item[0], item[1]))
            if len(pending[s]) >= batch_size:
                flush(s)
        for s in range(len(self.shards)):
            if pending[s]:
                flush(s)
        if finish:
            self.finish()
        return report

    def finish(self) -> None:
        for shard in self.shards:
            shard.finish()
        self._n_articles = None
        self._sentence_cache.clear()
        self._close_vectors()

    def compact(self) -> None:
        for shard in self.shards:
            shard.compact()

    # -- reading ----------------------------------------------------------------------------
    def vector_store(self) -> Any:
        """Every shard's sentence vectors as one store, or None when the index has none."""
        if not self._vectors_loaded:
            stores = [shard.vector_store() for shard in self.shards]
            self._sharded_vectors = ShardedVectors(stores) if any(stores) else None
            self._vectors_loaded = True
        return self._sharded_vectors

    def _close_vectors(self) -> None:
        self._sharded_vectors = None  # each shard closes its own store
        self._vectors_loaded = False

    def get(self, article_id: str) -> Article | None:
        return self.shards[shard_of(article_id, len(self.shards))].get(article_id)

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and article_id in self.shards[
            shard_of(article_id, len(self.shards))]

    def truncated(self) -> int:
        return sum(shard.truncated() for shard in self.shards)

    def quick_check(self) -> None:
        for shard in self.shards:
            shard.quick_check()

    def close(self) -> None:
        self._close_vectors()
        for shard in self.shards:
            shard.close()


def merge(sources: Sequence[str | Path], dest: str | Path, *, shards: int = 1,
          on_duplicate: OnDuplicate = "replace",
          progress: Callable[[int], None] | None = None) -> AddReport:
    """Add every article of the ``sources`` indexes (sharded or not) to the index at ``dest``
    (created with the first source's settings and ``shards`` shards when missing)."""
    if not sources:
        raise UsageError("index merge needs at least one source index")
    opened = [Index.open(src, readonly=True) for src in sources]
    try:
        config = opened[0].config
        for src, index in zip(sources, opened, strict=True):
            if index.config != config:
                raise IndexMismatchError(f"{src}: built with other settings than {sources[0]}; "
                                         "merge indexes built with the same settings")
        report = AddReport()
        with Index.create(dest, config=config, shards=shards) as target:
            for index in opened:
                got = target.add(iter(index), on_duplicate=on_duplicate, progress=progress)
                report.added += got.added
                report.replaced += got.replaced
                report.refused.extend(got.refused)
                report.truncated.extend(got.truncated)
        return report
    finally:
        for index in opened:
            index.close()


__all__ = ["ShardedIndex", "ShardedStorage", "ShardedVectors", "shard_of", "merge"]
