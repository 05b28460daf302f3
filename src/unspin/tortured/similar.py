"""Closeness in meaning of two words, from a table that ships with the project.

The language-model detector takes the model's likeliest words at a place as candidates for the
word written there only when they are near-synonyms of it (the lexical-substitution way: a
spinner's pick is improbable in context, a near-synonym of it is highly probable). Closeness is
the cosine of two word vectors:

- ``minilm``: the distilled MiniLM static table (``unspin.embed``, ``make`` builds it): a word's
  vector is the sum of its word pieces' rows;
- ``smollm``: SmolLM2's own input embeddings: the mean of the rows of the word's tokens.

``benchmarks/tortured_candidates.py`` compares the two on development text.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..lm import LanguageModel

# word vectors kept: at SmolLM2's 576 float32 values a vector, 10,000 is about 23 MB (the cache
# is emptied when full; a detector asks for a few dozen words a sentence)
_CACHE = 10_000


class Similarity:
    """Cosine of two words' vectors (unit rows; a word with no vector has cosine 0)."""

    def __init__(self, name: str, vectors: Callable[[list[str]], np.ndarray]) -> None:
        self.name = name
        self._vectors = vectors
        self._cache: dict[str, np.ndarray] = {}

    @classmethod
    def minilm(cls) -> Similarity:
        from ..embed import load_static

        emb = load_static()
        return cls("minilm", emb.embed)

    @classmethod
    def smollm(cls, lm: LanguageModel) -> Similarity:
        table = lm.weights.embed

        def vectors(words: list[str]) -> np.ndarray:
            out = np.zeros((len(words), table.shape[1]), dtype=np.float32)
            for n, w in enumerate(words):
                ids = lm.encode(" " + w).ids
                if ids:
                    v = table[list(ids)].mean(axis=0)
                    out[n] = v / max(float(np.linalg.norm(v)), 1e-9)
            return out

        return cls("smollm", vectors)

    def vector(self, word: str) -> np.ndarray:
        got = self._cache.get(word)
        if got is None:
            got = np.asarray(self._vectors([word])[0], dtype=np.float32)
            if len(self._cache) >= _CACHE:
                self._cache.clear()
            self._cache[word] = got
        return got

    def cosine(self, a: str, b: str) -> float:
        return float(self.vector(a) @ self.vector(b))

    def cosines(self, word: str, others: list[str]) -> np.ndarray:
        """The cosine of ``word`` with each of ``others``."""
        if not others:
            return np.zeros(0, dtype=np.float32)
        mine = self.vector(word)
        return np.array([float(mine @ self.vector(x)) for x in others], dtype=np.float32)


__all__ = ["Similarity"]
