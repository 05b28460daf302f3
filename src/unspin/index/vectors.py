"""The index's sentence vectors: ``<index>/sentences.usearch`` (usearch HNSW, cosine).

With ``IndexConfig.vector_chunk`` N > 1 (the default) the graph holds one vector per run of N
consecutive sentences of an article, not one per sentence: the graph costs most of a build's time
and bytes, and its job is only to find candidates. A candidate's sentence vectors are computed
again from its text (:func:`sentence_vectors`; the static embedder takes about a millisecond an
article), so the cosines the semantic stage scores are exact.

The vectors are brought up to date at the end of every ``Index.add`` (``sync``): an interrupted
build is completed by the next one, and a sentence vector is never needed for an article to be
usable. Which embedder makes them is ``semantic``'s business.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import IndexDamagedError
from ..normalize import normalize
from ..semantic import STORE_FILE, for_index
from ..tokens import sentence_spans

if TYPE_CHECKING:
    from ..embed import VectorStore
    from . import Index


def open_store(index: Index, *, writable: bool) -> VectorStore | None:
    from ..embed import StoreSettings, VectorStore
    from ..embed.vectors import meta_path

    emb = for_index(index.config)
    if emb is None:
        return None
    path = Path(index.path) / STORE_FILE
    chunk = index.config.vector_chunk
    settings = StoreSettings.for_embedder(emb, dtype=index.config.vector_dtype, chunk=chunk,
                                          level="chunk" if chunk > 1 else "sentence")
    if writable:
        # a lighter graph than usearch's default: 3x faster to build, same recall on news sentences
        # (benchmarks/README.md)
        links = index.config.vector_connectivity
        try:
            return VectorStore.create(path, settings, connectivity=links, expansion_add=40)
        except IndexDamagedError:  # a build after a crash mid-save: embed everything again
            for stale in (path, meta_path(path)):
                stale.unlink(missing_ok=True)
            return VectorStore.create(path, settings, connectivity=links, expansion_add=40)
    if not path.exists():
        return None
    return VectorStore.open(path, settings)


def _sentences(index: Index, rowid: int) -> list[str]:
    """An article's sentences as its vectors were made from (normalised, up to ``max_chars``)."""
    norm = normalize(index.storage.text_of(rowid)[: index.config.max_chars]).text
    return [norm[a:b] for a, b in sentence_spans(norm)]


def sentence_vectors(index: Index, rowids: list[int]) -> dict[int, np.ndarray]:
    """The unit sentence vectors of articles (one row per sentence, float32), made again from their
    texts in one embedding call: exact where a chunk-level store keeps only the chunks' means."""
    emb = for_index(index.config)
    if emb is None or not rowids:
        return {r: np.zeros((0, 1), dtype=np.float32) for r in rowids}
    sents = [_sentences(index, r) for r in rowids]
    vectors = emb.embed([s for ss in sents for s in ss])
    out, pos = {}, 0
    for rowid, ss in zip(rowids, sents, strict=True):
        out[rowid] = vectors[pos : pos + len(ss)]
        pos += len(ss)
    return out


def sync(index: Index, *, batch: int = 512, store: VectorStore | None = None) -> int:
    """Embed the sentences of every article that has no vectors yet; returns how many articles.
    ``store``: the writable store the build has been adding to (``Index.add``), saved and closed
    here; by default the index's own is opened."""
    stale = index.storage.stale_vector_rows()
    if index.config.semantic == "off":
        index.storage.clear_stale_vector_rows(stale)
        return 0
    if store is None:
        store = open_store(index, writable=True)
    assert store is not None
    emb = for_index(index.config)
    assert emb is not None
    removed = sum(store.remove(rowid) for rowid in stale)  # replaced: their rowid may be reused
    added = 0
    pending: list[tuple[int, list[str]]] = []

    def flush() -> None:
        store.add_sentences(emb.embed, pending)
        pending.clear()

    try:
        conn = index.storage.conn
        missing = [r for (r,) in conn.execute("SELECT rowid FROM articles ORDER BY rowid")
                   if r not in store]  # build order, as ``Index.add`` adds them
        for rowid in missing:  # only the texts of articles without vectors are read
            sents = _sentences(index, rowid)
            if sents:
                pending.append((rowid, sents))
                added += 1
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
        if added or removed or store.unsaved:
            store.save()
        index.storage.clear_stale_vector_rows(stale)
    finally:
        store.close()
    return added


__all__ = ["open_store", "sync", "sentence_vectors"]
