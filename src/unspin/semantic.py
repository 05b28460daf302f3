"""The semantic signal in the engine: sentence vectors for retrieval and for paraphrase seeds.

Modes, recorded in the index (``IndexConfig.semantic``): ``static`` (default when installed: the
token table distilled from all-MiniLM-L6-v2, a lookup and a mean per sentence), ``minilm`` (the
ONNX model itself: more exact, about 40 times slower), ``off`` (lexical signals only). ``auto``
resolves to ``static`` when its table is installed, else ``off``.

The index keeps one vector per sentence in ``<index>/sentences.usearch`` (usearch HNSW, cosine);
``index.vectors`` writes and opens that file. This module knows embedders and searches, not the
index: the searches take anything with a ``vector_store()`` (``HasVectors``).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .analysis import Analyzed
from .errors import UsageError

if TYPE_CHECKING:
    from .config import IndexConfig
    from .embed import Embedder, VectorStore


class HasVectors(Protocol):
    """What the searches below need of an index: its sentence vectors (``Index`` has them), and
    articles' sentence vectors made again from their texts (for a chunk-level store)."""

    def vector_store(self) -> VectorStore | None: ...

    def sentence_vectors(self, rowids: list[int]) -> dict[int, np.ndarray]: ...

MODES = ("auto", "static", "minilm", "off")
STORE_FILE = "sentences.usearch"
RETRIEVAL_FLOOR = 0.6  # a suspect sentence's best hit counts above this cosine
CHUNK_POOL = 12  # articles a chunk-level search rescores with their sentences' exact cosines


def resolve(mode: str, model: str = "") -> str:
    """The mode an index is built in: ``auto`` becomes ``minilm`` for a given model, else
    ``static`` when its table is installed, else ``off``."""
    if mode not in MODES:
        raise UsageError(f"unknown semantic mode {mode!r}; choose one of {', '.join(MODES)}")
    if mode != "auto":
        return mode
    if model:
        return "minilm"
    from .embed import available

    return "static" if available("static") else "off"


@lru_cache(maxsize=4)
def embedder(mode: str, model: str = "", sha256: str = "") -> Embedder | None:
    """The embedder of a resolved mode (None for ``off``), loaded once per process.

    ``model`` is a path (directory or file) or a hub name looked up in the local cache; empty
    means the installed files. Its checksum is verified against ``sha256`` or the known ones.
    """
    if mode == "off":
        return None
    from .embed import load_embedder

    return load_embedder(mode, model or None, sha256=sha256 or None)  # type: ignore[arg-type]


def for_index(config: IndexConfig) -> Embedder | None:
    return embedder(config.semantic, config.model, config.model_sha256)


def sentence_texts(doc: Analyzed) -> list[str]:
    return [doc.text[s.start : s.end] for s in doc.sentences]


def embed_doc(doc: Analyzed, emb: Embedder | None) -> np.ndarray | None:
    if emb is None or not doc.sentences:
        return None
    return emb.embed(sentence_texts(doc))


def candidates(doc: Analyzed, vectors: np.ndarray | None, index: HasVectors, k: int = 5,
               exclude: frozenset[int] = frozenset()) -> list[tuple[int, float]]:
    """Articles whose sentences are close to the suspect's: ``[(rowid, score), ...]`` best first.

    An article's score sums, over the suspect's sentences, how far its best matching sentence is
    above ``RETRIEVAL_FLOOR``: many close sentences in one article, not one lucky sentence.
    """
    store = index.vector_store()
    if store is None or vectors is None or not len(vectors):
        return []
    if store.settings.level == "chunk":
        return _chunk_candidates(vectors, index, store, k, exclude)
    best: dict[int, dict[int, float]] = defaultdict(dict)
    for i, hits in enumerate(store.search_many(vectors, k=10)):
        for hit in hits:
            if hit.similarity > RETRIEVAL_FLOOR and hit.rowid not in exclude:
                prev = best[hit.rowid].get(i, 0.0)
                best[hit.rowid][i] = max(prev, hit.similarity - RETRIEVAL_FLOOR)
    scored = sorted(((rowid, sum(per.values())) for rowid, per in best.items()), key=lambda x: -x[1])
    return scored[:k]


def _chunk_candidates(vectors: np.ndarray, index: HasVectors, store: VectorStore, k: int,
                      exclude: frozenset[int]) -> list[tuple[int, float]]:
    """``candidates`` over a chunk-level store: the suspect's runs of as many sentences as a chunk
    find the ``CHUNK_POOL`` articles with the closest chunks; each is then scored as above from
    its sentences' exact cosines (every suspect sentence's best sentence of the article)."""
    from .embed.vectors import windows

    closest: dict[int, float] = {}
    for hits in store.search_many(windows(vectors, store.settings.chunk), k=10):
        for hit in hits:
            if hit.rowid not in exclude and hit.similarity > closest.get(hit.rowid, -1.0):
                closest[hit.rowid] = hit.similarity
    pool = sorted(closest, key=lambda r: -closest[r])[:CHUNK_POOL]
    q = np.asarray(vectors, dtype=np.float32)
    q = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-9)
    scored = []
    for rowid, v in index.sentence_vectors(pool).items():
        if len(v):
            excess = (q @ v.T).max(axis=1) - RETRIEVAL_FLOOR
            if (excess > 0).any():
                scored.append((rowid, float(excess[excess > 0].sum())))
    scored.sort(key=lambda x: -x[1])
    return scored[:k]


def meaning(vectors: np.ndarray | None, index: HasVectors, rows: list[int]) -> dict[int, float]:
    """How much of the suspect's meaning each article holds: the mean, over the suspect's
    sentences, of the best cosine with any of the article's sentences (0 without vectors)."""
    store = index.vector_store()
    if store is None or vectors is None or not len(vectors):
        return dict.fromkeys(rows, 0.0)
    q = np.asarray(vectors, dtype=np.float32)
    q = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-9)
    out = {}
    exact = index.sentence_vectors(rows) if store.settings.level == "chunk" else {}
    for rowid in rows:
        v = exact[rowid] if exact else store.vectors(rowid)
        if not len(v):
            out[rowid] = 0.0
            continue
        v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
        out[rowid] = float(np.clip(q @ v.T, -1.0, 1.0).max(axis=1).mean())
    return out


__all__ = ["MODES", "STORE_FILE", "HasVectors", "resolve", "embedder", "for_index", "embed_doc",
           "candidates", "meaning"]
