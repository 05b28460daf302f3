"""A vector store on disk: a usearch HNSW file plus a JSON file saying how it was built.

``sentences.usearch`` holds the vectors; ``sentences.usearch.json`` beside it records the level
(``sentence``, ``chunk`` or ``article``), the chunk size, dimensions, scalar type, metric and the embedding model's name and
checksum. Opening a store with other settings than the ones asked for raises
:class:`~unspin.errors.IndexMismatchError` (usearch itself would return garbage distances silently).

Keys pack ``(article rowid, sentence number)`` into one uint64: the rowid in the high 44 bits, the
sentence number in the low :data:`SENTENCE_BITS`. An article-level store keeps one vector per article
(the renormalised mean of its sentence vectors) under sentence number 0 and reports ``sentence=None``.
A chunk-level store keeps one vector per run of ``chunk`` consecutive sentences (the renormalised
mean of their vectors, :func:`chunk_means`) under the chunk's number: a tenth of an index's graph
for long articles, searched by the suspect's runs of as many sentences (:func:`windows`).

A store opened read-only is a memory-mapped view (``Index.restore(path, view=True)``): opening costs
no copy, and several processes share the pages.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ..checksum import sha256_of
from ..errors import IndexDamagedError, IndexMismatchError, IndexNotFoundError, UsageError

STORE_FORMAT = 1
SENTENCE_BITS = 20
MAX_SENTENCE = (1 << SENTENCE_BITS) - 1
MAX_ROWID = (1 << (64 - SENTENCE_BITS)) - 1
Level = Literal["sentence", "chunk", "article"]
LEVELS = ("sentence", "chunk", "article")
DTYPES = ("f16", "f32", "i8")
METRICS = ("cos", "ip")
_CHECKED = ("model_checksum", "level", "dim", "dtype", "metric", "chunk")


def pack_key(rowid: int, sentence: int) -> int:
    if not 0 <= rowid <= MAX_ROWID or not 0 <= sentence <= MAX_SENTENCE:
        raise UsageError(f"cannot store rowid {rowid} sentence {sentence}: out of the key's range")
    return (rowid << SENTENCE_BITS) | sentence


def _renormalised(rows: np.ndarray) -> np.ndarray:
    return (rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def chunk_means(vectors: np.ndarray, size: int) -> np.ndarray:
    """One vector per run of ``size`` consecutive rows (the last run may be shorter): their
    renormalised mean (rows of unit length weigh alike)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if size <= 1 or len(vectors) == 0:
        return vectors
    starts = np.arange(0, len(vectors), size)
    sums = np.add.reduceat(vectors, starts, axis=0)
    return _renormalised(sums)


def windows(vectors: np.ndarray, size: int) -> np.ndarray:
    """The renormalised means of every run of ``size`` consecutive rows (one step apart; all rows
    as one run when fewer): the queries that meet a chunk-level store's chunks wherever a copy's
    sentences begin."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if size <= 1 or len(vectors) == 0:
        return vectors
    size = min(size, len(vectors))
    sums = np.cumsum(np.vstack([np.zeros((1, vectors.shape[1]), np.float32), vectors]), axis=0)
    return _renormalised(sums[size:] - sums[:-size])


def unpack_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keys = np.asarray(keys, dtype=np.uint64)
    return keys >> np.uint64(SENTENCE_BITS), keys & np.uint64(MAX_SENTENCE)


@dataclass(frozen=True, slots=True)
class StoreSettings:
    """What a store's vectors mean. All of it is checked when a store is opened."""

    dim: int
    model_checksum: str
    model: str = ""
    level: Level = "sentence"
    dtype: str = "f16"
    metric: str = "cos"
    chunk: int = 1  # sentences a vector stands for at level ``chunk``

    def __post_init__(self) -> None:
        if self.dim < 1:
            raise UsageError("StoreSettings.dim must be >= 1")
        if self.level not in LEVELS:
            raise UsageError(f"StoreSettings.level must be one of {LEVELS}, not {self.level!r}")
        if self.dtype not in DTYPES:
            raise UsageError(f"StoreSettings.dtype must be one of {DTYPES}, not {self.dtype!r}")
        if self.metric not in METRICS:
            raise UsageError(f"StoreSettings.metric must be one of {METRICS}, not {self.metric!r}")
        if self.chunk < 1 or (self.chunk > 1) != (self.level == "chunk"):
            raise UsageError("StoreSettings.chunk must be >= 1, and > 1 exactly at level chunk")

    @classmethod
    def for_embedder(
        cls, embedder: Any, *, level: Level = "sentence", dtype: str = "f16", chunk: int = 1
    ) -> StoreSettings:
        return cls(embedder.dim, embedder.checksum, embedder.name, level, dtype, chunk=chunk)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: an article, a sentence of it (None at article level) and the cosine."""

    rowid: int
    sentence: int | None
    similarity: float


def meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _read_settings(path: Path) -> StoreSettings:
    mpath = meta_path(path)
    if path.is_file() != mpath.is_file():
        raise _damaged(path, f"{path.name if path.is_file() else mpath.name} is there but not "
                             f"{mpath.name if path.is_file() else path.name}")
    if not path.is_file():
        raise IndexNotFoundError(
            f"{path}: no vector store here (needs {path.name} and {mpath.name})"
        )
    try:
        meta = json.loads(mpath.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        raise _damaged(mpath, f"unreadable ({exc})") from None
    if meta.get("format") != STORE_FORMAT:
        raise _damaged(mpath, f"vector store format {meta.get('format')} is not {STORE_FORMAT}")
    try:
        return StoreSettings(
            **{k: meta[k] for k in ("dim", "model_checksum", "model", "level", "dtype", "metric")},
            chunk=meta.get("chunk", 1),
        )
    except (KeyError, TypeError, UsageError) as exc:
        raise _damaged(mpath, f"incomplete or invalid settings ({exc})") from None


def _check_file(path: Path, settings: StoreSettings) -> None:
    """The usearch header must agree with the JSON beside it."""
    from usearch.index import Index as UIndex

    head = UIndex.metadata(str(path))
    if head is None:
        raise _damaged(path, "not a usearch index file")
    found = (
        int(head["dimensions"]),
        head["kind_scalar"].name.lower(),
        head["kind_metric"].name.lower(),
    )
    wanted = (settings.dim, settings.dtype, settings.metric)
    if found != wanted:
        raise _damaged(path, f"file holds dim/dtype/metric {found} but {meta_path(path).name} says "
                             f"{wanted}; the two files do not belong together")


def _damaged(path: Path, what: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"{path}: damaged vector store: {what}; run `unspin index repair --index {path.parent}`"
    )


def _recorded(path: Path) -> dict[str, Any]:
    try:
        meta = json.loads(meta_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def check_size(path: Path) -> None:
    """The file must have the size recorded beside it when it was saved (a ``stat``); raises
    :class:`IndexDamagedError` naming the fix."""
    if not meta_path(path).is_file():
        raise _damaged(path, f"{meta_path(path).name} beside it is missing")
    want = _recorded(path).get("bytes")
    have = path.stat().st_size if path.exists() else None
    if want is not None and have != want:
        raise _damaged(path, f"it holds {have:,} bytes, not the {want:,} recorded")


def store_problems(path: Path) -> list[str]:
    """What is wrong with a saved store, checked in full (its checksum too): whole messages, each
    naming the fix; [] when it is whole."""
    try:
        _read_settings(path)
        check_size(path)
        _check_file(path, _read_settings(path))
    except IndexDamagedError as exc:
        return [str(exc)]
    except (IndexMismatchError, IndexNotFoundError, RuntimeError, ValueError, OSError) as exc:
        return [str(_damaged(path, f"usearch cannot read it ({exc})"))]
    want = _recorded(path).get("sha256")
    if want is None:
        return [str(_damaged(path, "no checksum recorded beside it"))]
    if sha256_of(path) != want:
        return [str(_damaged(path, "it does not match its checksum"))]
    return []


def coverage_problems(path: Path, rowids: Iterable[int], what: str,
                      needs: Callable[[int], bool]) -> list[tuple[str, bool]]:
    """What is wrong with the store at ``path`` that should hold vectors for each of ``rowids``
    that ``needs`` them (an article with no sentence has none), checked in full: (message, whether
    it is already a whole message naming its fix); [] when whole. ``what`` names the vectors in
    the messages ("sentence vectors")."""
    if not path.exists():
        return [(f"it has no {what}", False)] if any(needs(r) for r in rowids) else []
    found = store_problems(path)
    if found:
        return [(found[0], True)]
    store = VectorStore.open(path)
    try:
        absent = [r for r in rowids if r not in store]
    finally:
        store.close()
    missing = sum(1 for r in absent if needs(r))  # only the texts of absent articles are read
    if missing:
        return [(f"{missing} article(s) have no {what} yet (an interrupted build? running it "
                 "again also completes them)", False)]
    return []


def _check_expected(path: Path, stored: StoreSettings, expected: StoreSettings | None) -> None:
    if expected is None:
        return
    for name in _CHECKED:
        have, want = getattr(stored, name), getattr(expected, name)
        if have != want:
            raise IndexMismatchError(
                f"{path}: vector store was built with {name}={have!r}, not {want!r}; "
                "rebuild it with the current settings or load the model it was built with"
            )


class VectorStore:
    """Sentence or article vectors, searchable by cosine. ``create`` to build, ``open`` to query."""

    def __init__(self, path: Path, settings: StoreSettings, index: Any, *, writable: bool) -> None:
        self.path = path
        self.settings = settings
        self._index: Any = index
        self.writable = writable
        self.unsaved = False  # vectors added or removed since it was opened or saved

    # -- life cycle -------------------------------------------------------------------------
    @classmethod
    def create(
        cls, path: str | Path, settings: StoreSettings, *, connectivity: int = 16,
        expansion_add: int = 128,
    ) -> VectorStore:
        """A new, writable store at ``path`` (or the existing one, if its settings match)."""
        path = Path(path)
        if path.exists():
            return cls.open(path, settings, writable=True)
        from usearch.index import Index as UIndex

        path.parent.mkdir(parents=True, exist_ok=True)
        index = UIndex(
            ndim=settings.dim,
            metric=settings.metric,
            dtype=settings.dtype,
            connectivity=connectivity,
            expansion_add=expansion_add,
        )
        return cls(path, settings, index, writable=True)

    @classmethod
    def open(
        cls, path: str | Path, expected: StoreSettings | None = None, *, writable: bool = False
    ) -> VectorStore:
        """Open a saved store; read-only opens are memory-mapped views."""
        from usearch.index import Index as UIndex

        path = Path(path)
        stored = _read_settings(path)
        _check_expected(path, stored, expected)
        check_size(path)
        try:
            _check_file(path, stored)
            index = UIndex.restore(str(path), view=not writable)
        except (RuntimeError, ValueError, OSError, KeyError) as exc:
            raise _damaged(path, f"usearch cannot read it ({exc})") from None
        if index is None:
            raise _damaged(path, "usearch cannot read it")
        return cls(path, stored, index, writable=writable)

    def save(self) -> None:
        """Write the vectors and the settings (each file replaced atomically)."""
        self._need_writable("save")
        tmp = self.path.with_name(self.path.name + ".tmp")
        self._index.save(str(tmp))
        os.replace(tmp, self.path)
        meta = {"format": STORE_FORMAT, **asdict(self.settings), "count": len(self)}
        meta["sentence_bits"] = SENTENCE_BITS
        meta["bytes"], meta["sha256"] = self.path.stat().st_size, sha256_of(self.path)
        mtmp = meta_path(self.path).with_name(meta_path(self.path).name + ".tmp")
        mtmp.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        os.replace(mtmp, meta_path(self.path))
        self.unsaved = False

    def close(self) -> None:
        self._index = None

    def __enter__(self) -> VectorStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------
    def add(self, rowid: int, vectors: np.ndarray) -> int:
        """Store an article's sentence vectors (one row per sentence, in order), replacing old ones.

        At article level the rows are averaged into one vector. Returns how many vectors were stored.
        """
        self._need_writable("add")
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.settings.dim:
            raise UsageError(
                f"expected an (n, {self.settings.dim}) array of vectors, got {vectors.shape}"
            )
        self.remove(rowid)
        if len(vectors) == 0:
            return 0
        vectors = self._stored_rows(vectors)
        if len(vectors) > MAX_SENTENCE + 1:
            raise UsageError(
                f"article {rowid} has {len(vectors)} sentences; at most {MAX_SENTENCE + 1} fit"
            )
        keys = np.arange(len(vectors), dtype=np.uint64) | np.uint64(pack_key(rowid, 0))
        self._index.add(keys, vectors, threads=1)
        self.unsaved = True
        return len(vectors)

    def add_sentences(self, embed: Callable[[list[str]], np.ndarray],
                      articles: list[tuple[int, list[str]]]) -> int:
        """Embed the sentences of ``articles`` (rowid, sentences) in one call and store them."""
        vectors = embed([s for _, sents in articles for s in sents])
        items, pos = [], 0
        for rowid, sents in articles:
            items.append((rowid, vectors[pos : pos + len(sents)]))
            pos += len(sents)
        return self.add_many(items)

    def add_many(self, items: list[tuple[int, np.ndarray]], *, threads: int = 1) -> int:
        """Store the sentence vectors of articles not in the store yet, in one batch (faster)."""
        self._need_writable("add")
        keys, rows = [], []
        for rowid, vectors in items:
            vectors = np.asarray(vectors, dtype=np.float32)
            if len(vectors) == 0:
                continue
            vectors = self._stored_rows(vectors)[: MAX_SENTENCE + 1]
            keys.append(np.arange(len(vectors), dtype=np.uint64) | np.uint64(pack_key(rowid, 0)))
            rows.append(vectors)
        if not keys:
            return 0
        all_vectors = np.concatenate(rows)
        if all_vectors.shape[1] != self.settings.dim:
            raise UsageError(f"expected vectors of {self.settings.dim} dimensions")
        self._index.add(np.concatenate(keys), all_vectors, threads=threads)
        self.unsaved = True
        return len(all_vectors)

    def _stored_rows(self, vectors: np.ndarray) -> np.ndarray:
        """What the store keeps of an article's sentence vectors at its level."""
        if self.settings.level == "article":
            mean = vectors.mean(axis=0, keepdims=True)
            return mean / max(float(np.linalg.norm(mean)), 1e-12)
        if self.settings.level == "chunk":
            return chunk_means(vectors, self.settings.chunk)
        return vectors

    def remove(self, rowid: int) -> int:
        """Forget an article's vectors; returns how many there were."""
        self._need_writable("remove")
        base = pack_key(rowid, 0)
        n = 0
        while n <= MAX_SENTENCE and self._index.contains(base | n):
            n += 1
        if n:
            self._index.remove(np.arange(n, dtype=np.uint64) | np.uint64(base))
            self.unsaved = True
        return n

    # -- reading ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, rowid: object) -> bool:
        return isinstance(rowid, int) and bool(self._index.contains(pack_key(rowid, 0)))

    def vectors(self, rowid: int) -> np.ndarray:
        """An article's stored vectors, one row per sentence (chunk) in order (empty if none), as
        usearch gives them back: in the store's dtype's scale (an ``i8`` store's are not unit
        length; normalise before taking cosines)."""
        base = pack_key(rowid, 0)
        n = 0
        while n <= MAX_SENTENCE and self._index.contains(base | n):
            n += 1
        if not n:
            return np.zeros((0, self.settings.dim), dtype=np.float32)
        got = self._index.get(np.arange(n, dtype=np.uint64) | np.uint64(base))
        return np.asarray(got, dtype=np.float32).reshape(n, self.settings.dim)

    def search(self, vector: np.ndarray, k: int = 10) -> list[Hit]:
        """The ``k`` nearest vectors to one query vector, most similar first."""
        return self.search_many(np.asarray(vector, dtype=np.float32).reshape(1, -1), k)[0]

    def search_many(self, vectors: np.ndarray, k: int = 10, *, threads: int = 1) -> list[list[Hit]]:
        """The ``k`` nearest vectors to each query row."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.settings.dim:
            raise UsageError(
                f"expected an (n, {self.settings.dim}) array of queries, got {vectors.shape}"
            )
        if len(vectors) == 0 or len(self) == 0:
            return [[] for _ in range(len(vectors))]
        from usearch.index import BatchMatches

        found = self._index.search(vectors, count=k, threads=threads)
        if isinstance(found, BatchMatches):
            keys, dists, counts = found.keys, found.distances, found.counts
        else:  # usearch answers a one-row batch with a single ``Matches``
            keys, dists = found.keys[None, :], found.distances[None, :]
            counts = np.array([len(found.keys)])
        rowids, sentences = unpack_keys(keys)
        article = self.settings.level == "article"
        return [
            [
                Hit(
                    int(rowids[q, j]),
                    None if article else int(sentences[q, j]),
                    1.0 - float(dists[q, j]),
                )
                for j in range(int(counts[q]))
            ]
            for q in range(len(vectors))
        ]

    def _need_writable(self, verb: str) -> None:
        if not self.writable:
            raise UsageError(f"{self.path}: opened read-only; open it with writable=True to {verb}")


__all__ = [
    "VectorStore",
    "coverage_problems",
    "StoreSettings",
    "Hit",
    "Level",
    "pack_key",
    "unpack_keys",
    "chunk_means",
    "windows",
    "SENTENCE_BITS",
]
