"""The word-vector cache of ``unspin.tortured.similar`` stays small and changes no cosine."""

from __future__ import annotations

import numpy as np

from unspin.tortured.similar import Similarity

DIM = 576  # SmolLM2's embedding width


def _vectors(words: list[str]) -> np.ndarray:
    """A unit vector per word, the same each time it is asked for (from the word's hash)."""
    out = np.zeros((len(words), DIM), dtype=np.float32)
    for n, w in enumerate(words):
        v = np.random.default_rng(sum(map(ord, w)) * 7919 + len(w)).standard_normal(DIM)
        out[n] = v / np.linalg.norm(v)
    return out


def test_cache_stays_under_25_mb() -> None:
    sim = Similarity("fake", _vectors)
    for n in range(12_000):
        sim.vector(f"w{n}")
    held = sum(v.nbytes for v in sim._cache.values())
    assert held <= 25_000_000


def test_cosines_unchanged_after_the_cache_empties() -> None:
    sim = Similarity("fake", _vectors)
    others = ["began", "started", "commenced"]
    before = sim.cosines("opened", others)
    for n in range(12_000):
        sim.vector(f"w{n}")
    after = sim.cosines("opened", others)
    direct = _vectors(others) @ _vectors(["opened"])[0]
    assert np.allclose(before, after)
    assert np.allclose(after, direct, atol=1e-6)
