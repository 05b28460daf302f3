"""A replaced-word probe: is this word the one the writer wrote, judged from the model's states.

ELECTRA's replaced-token detection, with the language model frozen: a logistic model reads the
residual stream of SmolLM2 at a few layers, at the position that has just read a word and at the
positions of the tokens after it, plus the word's own surprisal and that of the next tokens. A
causal model cannot see the words after a place when it predicts it, but its states at those
later tokens have read both the word and what follows ("focal" then "bank"): a word that does
not fit what comes after it leaves a trace there that no single next-token probability holds.

The probe is trained by ``benchmarks/tortured_probe_train.py`` on training articles only (the
80% the statistical background is counted from): sentences spun with WordNet neighbours or
with the model's own nearest words in its input embeddings, sentences with PPS half A's phrases
injected, and clean sentences. No Moby spinning, no PPS half B, no
development or test article. It ships as ``unspin/data/word-probe.npz`` (20 KB), checked against
``SHA256`` at load, with the sha256 of the model whose states it reads: a probe is only valid for
that model.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..checksum import sha256_of
from ..errors import ModelError

FILE = "word-probe.npz"
# sha256 of the shipped word-probe.npz (benchmarks/tortured_probe_train.py --write)
SHA256 = "db4c58a90b540489c521eec8af6c796b56b387afb652b037c4e5cdd38d654b01"
F32 = np.float32


@dataclass(frozen=True, slots=True)
class WordProbe:
    """A linear probe over (layer states at ``after`` positions, surprisals, token count)."""

    layers: tuple[int, ...]  # 1-based layer numbers whose residual stream is read
    after: int  # positions read per layer: the one that read the word, and after - 1 more
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    model_sha256: str
    name: str
    sha256: str

    @classmethod
    def load(cls, path: str | Path | None = None) -> WordProbe:
        p = Path(path) if path is not None else Path(str(resources.files("unspin") / "data" / FILE))
        if not p.is_file():
            raise ModelError(f"word probe {p} not found: reinstall unspin (make install)")
        with np.load(p, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            return cls(tuple(int(x) for x in meta["layers"]), int(meta["after"]),
                       z["mean"].astype(F32), z["scale"].astype(F32), z["weights"].astype(F32),
                       float(z["bias"]), str(meta["model_sha256"]), str(meta["name"]),
                       sha256_of(p))

    def save(self, path: Path, extra: Mapping[str, object] | None = None) -> None:
        meta = {"layers": list(self.layers), "after": self.after,
                "model_sha256": self.model_sha256, "name": self.name, **(extra or {})}
        np.savez_compressed(path, mean=self.mean, scale=self.scale, weights=self.weights,
                            bias=np.float32(self.bias), meta=np.array(json.dumps(meta)))

    def describe(self) -> dict[str, str]:
        return {"name": self.name, "sha256": self.sha256, "model_sha256": self.model_sha256}

    def features(self, states: Mapping[int, np.ndarray], token_lp: np.ndarray,
                 spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """One row per word. ``states[layer]``: (T, D) for one sequence that starts with the
        start token; ``token_lp[p]``: log P(token p | tokens before), p >= 1 (T,); ``spans``:
        each word's tokens as [a, b) in positions after the start token (so positions a + 1 .. b
        of the sequence)."""
        n = len(token_lp) - 1  # the last real position
        rows = np.zeros((len(spans), len(self.mean)), dtype=F32)
        for r, (a, b) in enumerate(spans):
            parts = []
            for layer in self.layers:
                h = states[layer]
                for d in range(self.after):
                    p = b + d
                    parts.append(h[p] if p <= n else np.zeros(h.shape[-1], dtype=F32))
            word = -float(token_lp[a + 1 : b + 1].sum())
            nxt = [-float(token_lp[p]) if p <= n else 0.0 for p in range(b + 1, b + 1 + self.after)]
            rows[r] = np.concatenate([*parts, np.array([word, *nxt, float(b - a)], dtype=F32)])
        return rows

    def logits(self, x: np.ndarray) -> np.ndarray:
        """The probe's log-odds that each row's word was put there by a spinner or a bad
        translation rather than written."""
        return ((x - self.mean) / self.scale) @ self.weights + F32(self.bias)


@lru_cache(maxsize=2)
def load_probe(path: str | None = None, model_sha256: str | None = None) -> WordProbe:
    """The shipped probe (checksummed), or the one at ``path``, checked against the model it
    must read."""
    probe = WordProbe.load(path)
    if path is None and probe.sha256 != SHA256:
        raise ModelError(f"word probe {FILE} fails its checksum (sha256 {probe.sha256[:12]}..., "
                         f"expected {SHA256[:12]}...): reinstall unspin (make install)")
    if model_sha256 is not None and probe.model_sha256 != model_sha256:
        raise ModelError(f"word probe {probe.name} was trained on another language model "
                         f"(sha256 {probe.model_sha256[:12]}..., loaded {model_sha256[:12]}...): "
                         "retrain it with benchmarks/tortured_probe_train.py")
    return probe


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(K >= k) for K ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    lp, lq = math.log(p), math.log1p(-p)
    terms = [math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) + j * lp
             + (n - j) * lq for j in range(k, n + 1)]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def distinct(words: Sequence[str], logits: Sequence[float]) -> list[float]:
    """Each distinct word's highest log-odds, in first-seen order. A page repeats the names and
    terms of its subject ("reintegro" three times in a story on coffee exports); the page test
    takes words as independent draws, so a word counts once, hot if any of its uses is."""
    best: dict[str, float] = {}
    for w, x in zip(words, logits, strict=True):
        best[w] = max(x, best.get(w, x))
    return list(best.values())


def unlikely_if_clean(logits: Sequence[float], bar: float, rate: float, alpha: float,
                      at_least: int = 1) -> bool:
    """Whether a page holds at least ``at_least`` words with probe log-odds at or over ``bar``,
    and more than a clean page of as many words would hold but with chance ``alpha`` when a
    clean word reaches the bar at ``rate`` (the words taken as independent): the page-level test
    of the page rule."""
    hot = sum(x >= bar for x in logits)
    return hot >= at_least and binomial_tail(hot, len(logits), rate) < alpha


__all__ = ["WordProbe", "load_probe", "binomial_tail", "distinct", "unlikely_if_clean", "FILE", "SHA256"]
