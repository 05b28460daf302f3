"""Static token embeddings distilled from MiniLM (the Model2Vec method): a table lookup and a mean.

A static model is a directory made by ``python -m unspin.embed.distill``:

* ``table.npy``: one float16 row per word piece, already weighted (rare pieces count more);
* ``tokenizer.json``: the word-piece tokenizer of the model it was distilled from;
* ``static.json``: how it was made (source model and its sha256, dimensions, weights) and the sha256
  of the two files above, checked at load.

A sentence vector is the sum of its pieces' rows, L2-normalised. A sentence with no known piece gets
the zero vector (its cosine with anything is 0).
"""

from __future__ import annotations

import json
from itertools import chain
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from ..errors import ModelError
from ._files import verify
from .minilm import l2_normalize, load_tokenizer

STATIC_FORMAT = 1
TABLE_FILE = "table.npy"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "static.json"
DEFAULT_DIR = Path(__file__).parent / "data" / "minilm-static"
PIECE_CACHE = 1 << 17  # whitespace chunks whose word pieces an embedder keeps
BUILD_HINT = "build it with `python -m unspin.embed.distill` (or `make install`)"


def read_meta(folder: Path) -> dict:
    meta_path = folder / META_FILE
    if not meta_path.is_file():
        raise ModelError(f"{folder}: no static embedding table here; {BUILD_HINT}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{meta_path}: unreadable ({exc}); {BUILD_HINT}") from exc
    if meta.get("format") != STATIC_FORMAT:
        raise ModelError(
            f"{meta_path}: static table format {meta.get('format')} is not {STATIC_FORMAT}; {BUILD_HINT}"
        )
    return meta


class StaticEmbedder:
    """Sentence vectors from a distilled token table: no neural network at run time."""

    def __init__(self, folder: Path, *, sha256: str | None = None) -> None:
        folder = Path(folder)
        meta = read_meta(folder)
        self.folder = folder
        self.meta = meta
        self.checksum = verify(
            folder / TABLE_FILE, sha256 or meta["table_sha256"], what="static table"
        )
        verify(folder / TOKENIZER_FILE, meta["tokenizer_sha256"], what="tokenizer")
        table = np.load(folder / TABLE_FILE, allow_pickle=False)
        self._table = np.ascontiguousarray(table, dtype=np.float32)
        self.dim = int(self._table.shape[1])
        self.name = str(meta["name"])
        self._tok = load_tokenizer(folder / TOKENIZER_FILE, max_tokens=None, pad=False)
        self._pieces: dict[str, list[int]] = {}  # chunk -> its word-piece ids
        if self._tok.get_vocab_size() > len(self._table):
            raise ModelError(
                f"{folder}: tokenizer has more pieces than the table has rows; {BUILD_HINT}"
            )

    def embed(self, sentences: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per sentence, in input order.

        The word-piece tokenizer splits at whitespace first and its normaliser works character by
        character, so a sentence's pieces are those of its whitespace-separated chunks, one after
        the other: each distinct chunk of the batch is tokenised once (news repeats most words),
        and a sentence's row is the sum of its chunks' rows."""
        out = np.zeros((len(sentences), self.dim), dtype=np.float32)
        if not sentences:
            return out
        per_sentence = [s.split() for s in sentences]
        flat = list(chain.from_iterable(per_sentence))
        if not flat:
            return out
        vocab = {c: i for i, c in enumerate(dict.fromkeys(flat))}
        cols = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
        lengths = np.fromiter(map(len, per_sentence), dtype=np.int64, count=len(per_sentence))
        chunk_rows = self._chunk_rows(list(vocab))
        counts = csr_matrix((np.ones(len(cols), dtype=np.float32), cols,
                             np.concatenate(([0], np.cumsum(lengths)))),
                            shape=(len(sentences), len(vocab)))
        out = np.asarray(counts @ chunk_rows, dtype=np.float32)
        return l2_normalize(out)

    def _chunk_rows(self, chunks: list[str]) -> np.ndarray:
        """The sum of the table's rows of each chunk's pieces: one float32 row per chunk, as one
        sparse (chunks x pieces) product (no (pieces x dim) copy). A chunk's pieces are kept
        (``PIECE_CACHE`` chunks): the tokenizer costs about 15 microseconds a chunk, mostly in
        building its answer, and news repeats its words across batches."""
        cache = self._pieces
        new = [c for c in chunks if c not in cache]
        if new and len(cache) + len(new) > PIECE_CACHE:  # full: start again with this batch's
            cache.clear()
            new = chunks
        if new:
            encs = self._tok.encode_batch(new, add_special_tokens=False)
            for chunk, enc in zip(new, encs, strict=True):
                cache[chunk] = enc.ids
        pieces_of = [cache[c] for c in chunks]
        lengths = np.fromiter(map(len, pieces_of), dtype=np.int64, count=len(chunks))
        ids = np.fromiter(chain.from_iterable(pieces_of), dtype=np.int64,
                          count=int(lengths.sum()))
        pieces = csr_matrix((np.ones(len(ids), dtype=np.float32), ids,
                             np.concatenate(([0], np.cumsum(lengths)))),
                            shape=(len(chunks), len(self._table)))
        return np.asarray(pieces @ self._table, dtype=np.float32)


__all__ = ["StaticEmbedder", "DEFAULT_DIR", "STATIC_FORMAT", "read_meta"]
