"""The embedded index: a directory with an SQLite database that records how it was built."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from ..article import Article
from ..config import IndexConfig
from ..crossindex import sync as sync_crosslingual
from ..errors import DuplicateArticleError, IndexDamagedError, IndexNotFoundError, UsageError
from ..semantic import for_index as resolve_embedder
from ..semantic import resolve as resolve_semantic
from .manifest import build_manifest, check_manifest, config_from_manifest
from .storage import DB_NAME, SQLiteStorage
from .vectors import open_store, sentence_vectors
from .vectors import sync as sync_vectors

if TYPE_CHECKING:
    from ..embed import VectorStore
    from ..pipeline import Fingerprinted

    Item = Fingerprinted | tuple[Article, np.ndarray]  # an article and its fingerprints

OnDuplicate = Literal["replace", "skip", "error"]

SENTENCE_CACHE = 512  # articles whose sentence vectors ``Index.sentence_vectors`` keeps
SHARDS_FILE = "shards.json"  # a sharded index's directory holds this and its shards


def is_sharded(path: Path) -> bool:
    return (path / SHARDS_FILE).is_file()


def _check_vector_size(path: Path) -> None:
    from ..embed.vectors import check_size
    from ..semantic import STORE_FILE

    if (path / STORE_FILE).exists():
        check_size(path / STORE_FILE)


@dataclass
class AddReport:
    """What one ``Index.add`` call did: ``added`` new articles, ``replaced`` ones whose id was
    already in the index, and the ids ``refused`` (kept as they were) when not replacing."""

    added: int = 0
    replaced: int = 0
    refused: list[str] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)  # longer than IndexConfig.max_chars

    @property
    def written(self) -> int:
        """Articles written: added or replaced."""
        return self.added + self.replaced


class Index:
    """A reference corpus, fingerprinted for retrieval.

    ``Index.create(path)`` makes a new one (or opens an existing one with the same settings);
    ``Index.open(path)`` opens an existing one and fails with a clear message if its settings or
    format differ from the ones asked for.
    """

    def __init__(self, path: Path, storage: SQLiteStorage, config: IndexConfig) -> None:
        self.path = path
        self.storage = storage
        self.config = config
        self._n_articles: int | None = None
        self._vectors: VectorStore | None = None
        self._vectors_loaded = False
        self._writer: VectorStore | None = None  # the graph being added to, saved by ``finish``
        self._sentence_cache: dict[int, np.ndarray] = {}

    # -- life cycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, config: IndexConfig | None = None,
               shards: int = 1) -> Index:
        """A new index at ``path`` (``shards`` > 1: a sharded one, see ``index.shards``), or the
        one already there, sharded or not."""
        path = Path(path)
        if shards > 1 or is_sharded(path):
            from .shards import ShardedIndex

            return ShardedIndex.create_sharded(path, shards=shards, config=config)
        if (path / DB_NAME).exists():  # damaged side files are rebuilt, not refused
            return cls._open(path, config=config, readonly=False, heal=True)
        if path.exists() and not path.is_dir():
            raise UsageError(f"{path}: exists and is not a directory; choose another --index path")
        config = config or IndexConfig()
        config = replace(config, semantic=resolve_semantic(config.semantic, config.model))
        storage = SQLiteStorage(path, create=True)
        storage.set_meta(build_manifest(config))
        return cls(path, storage, config)

    @staticmethod
    def exists(path: str | Path) -> bool:
        """Whether ``path`` holds an index (of any format, damaged or not)."""
        return (Path(path) / DB_NAME).is_file() or is_sharded(Path(path))

    @classmethod
    def open(cls, path: str | Path, *, config: IndexConfig | None = None,
             readonly: bool = False) -> Index:
        """Open an existing index; ``readonly`` opens it so that nothing can be written to it
        (safe next to a running ``index build``, and what checking and serving use). A sharded
        index's directory opens as a :class:`~unspin.index.shards.ShardedIndex`."""
        if is_sharded(Path(path)):
            from .shards import ShardedIndex

            return ShardedIndex.open_sharded(Path(path), config=config, readonly=readonly)
        return cls._open(Path(path), config=config, readonly=readonly, heal=False)

    @classmethod
    def _open(cls, path: Path, *, config: IndexConfig | None, readonly: bool,
              heal: bool) -> Index:
        """``heal`` (for adding articles): damaged segments are rewritten from the fingerprints
        at once, damaged vectors embedded again by ``add``, instead of refusing to open."""
        if not (path / DB_NAME).is_file():
            raise IndexNotFoundError(
                f"{path}: no unspin index here; build one with `unspin index build CORPUS --index {path}`"
            )
        storage = SQLiteStorage(path, create=False, readonly=readonly)
        meta = storage.get_meta()
        try:
            check_manifest(path, meta, config)
            # sizes only: a stat per file; asked twice, as a build that compacts meanwhile
            # replaces segment files between reading their names and looking at them
            problems = storage.segment_problems(full=False) and storage.segment_problems(full=False)
            if problems and heal:
                from .maintenance import fingerprinter

                storage.compact(force=True, fingerprint=fingerprinter(config_from_manifest(meta, path)))
            elif problems:
                raise IndexDamagedError(problems[0].message(path))
            if not heal:
                _check_vector_size(path)
        except BaseException:
            storage.close()
            raise
        return cls(path, storage, config_from_manifest(meta, path))  # equal to ``config`` once checked

    def quick_check(self) -> None:
        """SQLite's ``quick_check`` over the whole file (seconds per GB); raises
        :class:`IndexDamagedError` naming the fix when the file is damaged."""
        problem = self.storage.quick_check()
        if problem is not None:
            raise IndexDamagedError(problem.message(self.path))

    def compact(self) -> None:
        """Merge posting segments into one (``add`` does this at its end)."""
        if self.storage.readonly:
            raise UsageError(f"{self.path}: opened read-only; open it with Index.open(path) to compact it")
        self.storage.compact()

    def close(self) -> None:
        if self._vectors is not None:
            self._vectors.close()
            self._vectors = None
        if self._writer is not None:  # not finished: its vectors are embedded again next time
            self._writer.close()
            self._writer = None
        self.storage.close()

    def sentence_vectors(self, rowids: list[int]) -> dict[int, np.ndarray]:
        """Articles' unit sentence vectors, made again from their texts (``index.vectors``); the
        last ``SENTENCE_CACHE`` articles asked for are kept (candidates recur across suspects)."""
        missing = [r for r in dict.fromkeys(rowids) if r not in self._sentence_cache]
        if missing:
            self._sentence_cache.update(sentence_vectors(self, missing))
        out = {r: self._sentence_cache[r] for r in rowids}
        while len(self._sentence_cache) > SENTENCE_CACHE:  # the oldest first, after answering
            del self._sentence_cache[next(iter(self._sentence_cache))]
        return out

    def vector_store(self) -> VectorStore | None:
        """The sentence vectors (memory-mapped), or None when the index has none."""
        if not self._vectors_loaded:
            self._vectors = open_store(self, writable=False)
            self._vectors_loaded = True
        return self._vectors

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------
    def add(
        self,
        articles: Iterable[Article],
        *,
        on_duplicate: OnDuplicate = "replace",
        batch_size: int = 256,
        progress: Callable[[int], None] | None = None,
        workers: int = 1,
    ) -> AddReport:
        """Fingerprint and store articles; ``workers`` > 1 fingerprints in a process pool."""
        from ..pipeline import executor_for, fingerprint_stream

        return self.add_fingerprinted(
            fingerprint_stream(articles, self.config, executor_for(workers)),
            on_duplicate=on_duplicate,
            batch_size=batch_size,
            progress=progress,
        )

    def add_fingerprinted(
        self,
        items: Iterable[Item],
        *,
        on_duplicate: OnDuplicate = "replace",
        batch_size: int = 256,
        progress: Callable[[int], None] | None = None,
        finish: bool = True,
    ) -> AddReport:
        """Store fingerprinted articles; ``finish`` (the default) then compacts the segments and
        embeds the new sentences (:meth:`finish`), as a caller adding in several calls does once.
        Items that carry their sentences (``pipeline.Fingerprinted``) are embedded and added to
        the graph batch by batch, as ``finish`` would from their texts; the others by ``finish``."""
        if self.storage.readonly:
            raise UsageError(f"{self.path}: opened read-only; open it with Index.open(path) to add articles")
        if on_duplicate not in ("replace", "skip", "error"):
            raise UsageError(f"on_duplicate must be replace, skip or error, not {on_duplicate!r}")
        report = AddReport()
        batch: list[Item] = []

        def flush() -> None:
            replaced = _present(self, batch) if on_duplicate == "replace" else 0
            placed: list[tuple[int, int]] = []
            written, refused = self.storage.write_batch(batch, replace=on_duplicate == "replace",
                                                        placed=placed)
            self._embed_written(batch, placed)
            report.added += written - replaced
            report.replaced += replaced
            report.refused.extend(refused)
            if progress:
                progress(len(batch))
            batch.clear()
            if refused and on_duplicate == "error":
                raise DuplicateArticleError(
                    f"article {refused[0]!r} is already in the index; pass on_duplicate='replace' "
                    "(CLI: --on-duplicate replace) to replace it"
                )

        for item in items:
            if len(item[0].text) > self.config.max_chars:  # searchable up to max_chars only
                report.truncated.append(item[0].id)
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        if finish:
            self.finish()
        return report

    def _embed_written(self, batch: list[Item], placed: list[tuple[int, int]]) -> None:
        """Embed the sentences the items of a batch carry and add them to the graph, in rowid
        order, for the articles ``placed`` (batch position, rowid) that are still live."""
        from ..pipeline import Fingerprinted

        todo: dict[int, tuple[str, ...]] = {}
        rowid_of: dict[str, int] = {}
        for pos, rowid in placed:
            item = batch[pos]
            todo.pop(rowid_of.get(item[0].id, -1), None)  # replaced later in the same batch
            rowid_of[item[0].id] = rowid
            if isinstance(item, Fingerprinted) and item.sentences:
                todo[rowid] = item.sentences
        if not todo or self.config.semantic == "off":
            return
        if self._writer is None:
            self._writer = open_store(self, writable=True)
        emb = resolve_embedder(self.config)
        if self._writer is None or emb is None:
            return
        writer = self._writer
        writer.add_sentences(emb.embed, [(r, list(s)) for r, s in sorted(todo.items())
                                         if r not in writer])

    def finish(self) -> None:
        """Compact the segments and bring the sentence vectors up to date."""
        self.storage.compact()
        self._n_articles = None
        if self._vectors is not None:
            self._vectors.close()
        self._vectors, self._vectors_loaded = None, False
        self._sentence_cache.clear()
        sync_crosslingual(self)  # first: the sentence vectors' sync clears the replaced rows
        writer, self._writer = self._writer, None
        sync_vectors(self, store=writer)

    # -- reading ----------------------------------------------------------------------------
    def __len__(self) -> int:
        if self._n_articles is None:
            self._n_articles = self.storage.count()
        return self._n_articles

    def get(self, article_id: str) -> Article | None:
        return self.storage.get_by_id(article_id)

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self.storage.rowid_of(article_id) is not None

    def __iter__(self) -> Iterator[Article]:
        return iter(self.storage.iter_articles())

    def truncated(self) -> int:
        """How many articles are longer than ``max_chars`` (only their start is searchable)."""
        return self.storage.count_longer_than(self.config.max_chars)

    @property
    def manifest(self) -> dict[str, str]:
        return self.storage.get_meta()


def _present(index: Index, batch: list[Item]) -> int:
    """How many articles of a batch replace one already written (earlier or in this batch)."""
    ids: set[str] = set()
    present = 0
    for article, *_ in batch:
        present += article.id in ids or article.id in index
        ids.add(article.id)
    return present


__all__ = ["Index", "AddReport", "OnDuplicate", "SHARDS_FILE", "is_sharded"]
