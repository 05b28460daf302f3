"""The semantic signal in the engine: sentence vectors for retrieval and for paraphrase seeds.

Modes, recorded in the index (``IndexConfig.semantic``): ``static`` (default when installed: the
token table distilled from all-MiniLM-L6-v2, a lookup and a mean per sentence), ``minilm`` (the
ONNX model itself: more exact, about 40 times slower), ``off`` (lexical signals only). ``auto``
resolves to ``static`` when its table is installed, else ``off``.

The index keeps one vector per sentence in ``<index>/sentences.usearch`` (usearch HNSW, cosine).
The vectors are brought up to date at the end of every ``Index.add``: an interrupted build is
completed by the next one, and a sentence vector is never needed for an article to be usable.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .analysis import Analyzed
from .errors import IndexDamagedError, UsageError
from .normalize import normalize
from .tokens import sentence_spans

if TYPE_CHECKING:
    from .config import IndexConfig
    from .embed import Embedder, VectorStore
    from .index import Index

MODES = ("auto", "static", "minilm", "off")
STORE_FILE = "sentences.usearch"
RETRIEVAL_FLOOR = 0.6  # a suspect sentence's best hit counts above this cosine


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


def open_store(index: Index, *, writable: bool) -> VectorStore | None:
    from .embed import StoreSettings, VectorStore
    from .embed.vectors import meta_path

    emb = for_index(index.config)
    if emb is None:
        return None
    path = Path(index.path) / STORE_FILE
    settings = StoreSettings.for_embedder(emb)
    if writable:
        # a lighter graph than usearch's default: 3x faster to build, same recall on news sentences
        # (benchmarks/README.md)
        try:
            return VectorStore.create(path, settings, connectivity=12, expansion_add=40)
        except IndexDamagedError:  # a build after a crash mid-save: embed everything again
            for stale in (path, meta_path(path)):
                stale.unlink(missing_ok=True)
            return VectorStore.create(path, settings, connectivity=12, expansion_add=40)
    if not path.exists():
        return None
    return VectorStore.open(path, settings)


def sync(index: Index, *, batch: int = 512) -> int:
    """Embed the sentences of every article that has no vectors yet; returns how many articles."""
    stale = index.storage.stale_vector_rows()
    if index.config.semantic == "off":
        index.storage.clear_stale_vector_rows(stale)
        return 0
    store = open_store(index, writable=True)
    assert store is not None
    emb = for_index(index.config)
    assert emb is not None
    removed = sum(store.remove(rowid) for rowid in stale)  # replaced: their rowid may be reused
    added = 0
    pending: list[tuple[int, list[str]]] = []

    def flush() -> None:
        flat = [s for _, sents in pending for s in sents]
        vectors = emb.embed(flat)
        items, pos = [], 0
        for rowid, sents in pending:
            items.append((rowid, vectors[pos : pos + len(sents)]))
            pos += len(sents)
        store.add_many(items)
        pending.clear()

    try:
        conn = index.storage.conn
        missing = [r for (r,) in conn.execute("SELECT rowid FROM articles") if r not in store]
        for rowid in missing:  # only the texts of articles without vectors are read
            (text,) = conn.execute("SELECT text FROM articles WHERE rowid = ?", (rowid,)).fetchone()
            norm = normalize(text[: index.config.max_chars]).text
            sents = [norm[a:b] for a, b in sentence_spans(norm)]
            if sents:
                pending.append((rowid, sents))
                added += 1
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
        if added or removed:
            store.save()
        index.storage.clear_stale_vector_rows(stale)
    finally:
        store.close()
    return added


def candidates(doc: Analyzed, vectors: np.ndarray, index: Index, k: int = 5,
               exclude: frozenset[int] = frozenset()) -> list[tuple[int, float]]:
    """Articles whose sentences are close to the suspect's: ``[(rowid, score), ...]`` best first.

    An article's score sums, over the suspect's sentences, how far its best matching sentence is
    above ``RETRIEVAL_FLOOR``: many close sentences in one article, not one lucky sentence.
    """
    store = index.vector_store()
    if store is None or vectors is None or not len(vectors):
        return []
    best: dict[int, dict[int, float]] = defaultdict(dict)
    for i, hits in enumerate(store.search_many(vectors, k=10)):
        for hit in hits:
            if hit.similarity > RETRIEVAL_FLOOR and hit.rowid not in exclude:
                prev = best[hit.rowid].get(i, 0.0)
                best[hit.rowid][i] = max(prev, hit.similarity - RETRIEVAL_FLOOR)
    scored = sorted(((rowid, sum(per.values())) for rowid, per in best.items()), key=lambda x: -x[1])
    return scored[:k]


def meaning(vectors: np.ndarray | None, index: Index, rows: list[int]) -> dict[int, float]:
    """How much of the suspect's meaning each article holds: the mean, over the suspect's
    sentences, of the best cosine with any of the article's sentences (0 without vectors)."""
    store = index.vector_store()
    if store is None or vectors is None or not len(vectors):
        return dict.fromkeys(rows, 0.0)
    q = np.asarray(vectors, dtype=np.float32)
    q = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-9)
    out = {}
    for rowid in rows:
        v = store.vectors(rowid)
        if not len(v):
            out[rowid] = 0.0
            continue
        v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
        out[rowid] = float(np.clip(q @ v.T, -1.0, 1.0).max(axis=1).mean())
    return out


__all__ = ["MODES", "resolve", "embedder", "for_index", "embed_doc", "sync", "candidates",
           "open_store", "meaning"]
