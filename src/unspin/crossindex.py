"""Cross-lingual retrieval: one multilingual vector per indexed article, searched for a suspect in
another language.

A translation keeps an article's meaning and nothing of its words; respelled names ("México") and
figures ("16.600 millones") leave the language-independent fingerprints too little to find it.
So an index built with ``IndexConfig(crosslingual=True)`` (CLI: ``index build --crosslingual``)
keeps, for each article, the renormalised mean of the multilingual encoder's vectors of its first
:data:`LEAD` sentences (``embed.multilingual``), int8, in ``<index>/crosslingual.usearch``; the
JSON beside it, and the index manifest (``crosslingual.name``, ``crosslingual.sha256``), record the
model and its checksum. A suspect in another language is searched with the mean of its own
sentence vectors (already computed for the alignment); the nearest articles join its candidates.

Why the lead: every copy in the hand-written set translates an article's opening, and a news
article's opening states its story; the mean of 8 sentences is what ``benchmarks/
multilingual_probe.py`` measured (article-level recall@1, BENCHMARKS.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .config import IndexConfig
from .errors import IndexDamagedError
from .normalize import normalize
from .tokens import sentence_spans

if TYPE_CHECKING:
    from .embed import StoreSettings, VectorStore


class _Storage(Protocol):
    @property
    def conn(self) -> sqlite3.Connection: ...

    def stale_vector_rows(self) -> list[int]: ...

    def text_of(self, rowid: int) -> str: ...


class Index(Protocol):
    """What this module needs of an index (``unspin.index.Index`` has it; the index calls
    :func:`sync`, so this module does not import it)."""

    @property
    def path(self) -> Path: ...

    @property
    def storage(self) -> _Storage: ...

    @property
    def config(self) -> IndexConfig: ...


def _shards(index: Index) -> Sequence[Index]:
    """A sharded index's shards (its rowids: shard rowid x shard count + shard number)."""
    return list(getattr(index, "shards", None) or [index])

STORE_FILE = "crosslingual.usearch"
LEAD = 8  # sentences of an article (its start) averaged into its vector
DTYPE = "i8"
BATCH = 256  # articles embedded per batch while building
# articles by meaning added to a foreign suspect's candidates: the source ranked first for every
# translation of the set's dev part (463 articles); a few more for near-duplicates of an article
CANDIDATES = 4


def _settings() -> StoreSettings:
    from .embed import StoreSettings
    from .embed.multilingual import load

    return StoreSettings.for_embedder(load(), level="article", dtype=DTYPE)


def model_meta() -> dict[str, str]:
    """What the manifest records of the cross-lingual model (raises ModelError if missing)."""
    from .embed.multilingual import load

    emb = load()
    return {"crosslingual.name": emb.name, "crosslingual.sha256": emb.checksum}


def lead_sentences(text: str, max_chars: int) -> list[str]:
    """The first :data:`LEAD` sentences of an article, as the encoder reads them."""
    norm = normalize(text[:max_chars]).text
    return [norm[a:b] for a, b in sentence_spans(norm)[:LEAD]]


def _open(index: Index, *, writable: bool) -> VectorStore | None:
    from .embed import VectorStore
    from .embed.vectors import meta_path

    path = Path(index.path) / STORE_FILE
    if writable:
        try:
            return VectorStore.create(path, _settings(), connectivity=12, expansion_add=40)
        except IndexDamagedError:  # a build interrupted mid-save: embed everything again
            for stale in (path, meta_path(path)):
                stale.unlink(missing_ok=True)
            return VectorStore.create(path, _settings(), connectivity=12, expansion_add=40)
    if not path.exists():
        return None
    return VectorStore.open(path, _settings())


def sync(index: Index) -> int:
    """Embed the lead of every article without a cross-lingual vector (and forget replaced ones'),
    when the index keeps them; returns how many articles were embedded. Call before the sentence
    vectors' sync, which clears the list of replaced articles."""
    if not index.config.crosslingual:
        return 0
    from .embed.multilingual import load

    emb = load()
    store = _open(index, writable=True)
    assert store is not None
    removed = sum(store.remove(r) for r in index.storage.stale_vector_rows())
    pending: list[tuple[int, list[str]]] = []
    added = 0

    def flush() -> None:
        store.add_sentences(emb.embed, pending)
        pending.clear()

    try:
        rows = [r for (r,) in index.storage.conn.execute("SELECT rowid FROM articles")]
        for rowid in (r for r in rows if r not in store):
            sents = lead_sentences(index.storage.text_of(rowid), index.config.max_chars)
            if sents:
                pending.append((rowid, sents))
                added += 1
            if len(pending) >= BATCH:
                flush()
        if pending:
            flush()
        if added or removed or not store.path.exists():
            store.save()
    finally:
        store.close()
    return added


def problems(path: Path, rowids: Sequence[int], needs: Callable[[int], bool]
             ) -> list[tuple[str, bool]]:
    """What is wrong with the cross-lingual vectors of the (unsharded) index at ``path`` holding
    articles ``rowids``, checked in full: (message, whether it is already a whole message naming
    its fix); [] when whole. An article that ``needs`` no vector (its text has no sentence, so
    :func:`sync` embeds nothing for it) is not missing. ``unspin index repair`` fixes each."""
    from .embed.vectors import coverage_problems

    return coverage_problems(path / STORE_FILE, rowids, "cross-lingual vectors", needs)


def rebuild(index: Index) -> int:
    """Forget the cross-lingual vectors of an unsharded index and embed every article's lead
    again (for a damaged store; :func:`sync` completes an incomplete one); returns how many were
    embedded."""
    from .embed.vectors import meta_path

    path = Path(index.path) / STORE_FILE
    for stale in (path, meta_path(path)):
        stale.unlink(missing_ok=True)
    return sync(index)


def candidates(index: Index, vectors: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` articles whose lead is closest in meaning to a suspect's sentence ``vectors``
    (rowid, cosine), best first; none when the index keeps no cross-lingual vectors. A sharded
    index is searched shard by shard (rowids as the sharded index numbers them)."""
    if not index.config.crosslingual or not len(vectors):
        return []
    mean = np.asarray(vectors[:LEAD], dtype=np.float32).mean(axis=0)
    mean /= max(float(np.linalg.norm(mean)), 1e-12)
    shards = _shards(index)
    n = len(shards)
    found: list[tuple[int, float]] = []
    for s, shard in enumerate(shards):
        store = _open(shard, writable=False)
        if store is None:
            continue
        try:
            found.extend((h.rowid * n + s if n > 1 else h.rowid, h.similarity)
                         for h in store.search(mean, k))
        finally:
            store.close()
    return sorted(found, key=lambda hit: (-hit[1], hit[0]))[:k]


__all__ = ["STORE_FILE", "LEAD", "CANDIDATES", "candidates", "lead_sentences", "model_meta",
           "problems", "rebuild", "sync"]
