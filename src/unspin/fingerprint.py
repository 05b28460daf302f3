"""Fingerprints for retrieval: hashed n-grams of three views of a text.

- ``word``: n-grams of all words; finds verbatim and lightly edited copies.
- ``skeleton``: n-grams of the text with every run of content words replaced by one placeholder,
  keeping function words, numbers and names. A synonym spinner swaps content words, so the
  skeleton of a spun copy is the skeleton of its source (DSpin's "immutables").
- ``anchor``: n-grams of numbers and names only, in order. Rewriters that rebuild sentences
  (translation, paraphrase) still keep the facts and their order.
- ``term``: the stems of the words that are not function words, one by one: the bag of words
  that paraphrases keep when they rebuild every sentence (weighted low: topical articles share it).

Each kind is a small pure function in a registry; a hash carries its kind in the top byte, so one
posting table holds all kinds. Hashes are stable across processes and machines (blake2b with the
index's seed), as the index records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import snowballstemmer

from .config import IndexConfig
from .tokens import CONTENT, FUNCTION, Tokens

KIND_BITS = 56
KINDS = {"word": 1, "skeleton": 2, "anchor": 3, "term": 4}
_MASK = np.uint64((1 << KIND_BITS) - 1)
_PLACEHOLDER = "\x00"
_STEMMER = snowballstemmer.stemmer("english")


CACHE_LIMIT = 1 << 20  # token hashes (and stems) kept per process


def _token_hash(token: str, seed: int) -> int:
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8, salt=seed.to_bytes(8, "little")).digest()
    return int.from_bytes(digest, "little")


class _HashCache(dict[str, int]):
    """Token -> hash for one seed; a miss is hashed (and kept while under ``CACHE_LIMIT``). Looked
    up through ``map(cache.__getitem__, ...)``: no Python frame per known token."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.seed = seed

    def __missing__(self, token: str) -> int:
        value = _token_hash(token, self.seed)
        if len(self) < CACHE_LIMIT:
            self[token] = value
        return value


_HASHES: dict[int, _HashCache] = {}


def _token_ids(seq: tuple[str, ...] | list[str], seed: int) -> np.ndarray:
    cache = _HASHES.get(seed)
    if cache is None:
        cache = _HASHES.setdefault(seed, _HashCache(seed))
    return np.fromiter(map(cache.__getitem__, seq), dtype=np.uint64, count=len(seq))


def _ngram_hashes(seq: list[str], n: int, seed: int, kind: int) -> np.ndarray:
    return _ngrams(_token_ids(seq, seed), n, kind)


def _ngrams(ids: np.ndarray, n: int, kind: int) -> np.ndarray:
    """Hashes of the n-grams of a sequence of token hashes (one n-gram of all when shorter)."""
    if len(ids) < n:
        if not len(ids):
            return np.empty(0, dtype=np.uint64)
        n = len(ids)
    m = len(ids) - n + 1
    acc = np.zeros(m, dtype=np.uint64)
    mult = np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        for k in range(n):
            acc = acc * mult + ids[k : k + m]
            acc ^= acc >> np.uint64(29)
    return (acc & _MASK) | np.uint64(kind << KIND_BITS)


def word_view(tokens: Tokens) -> list[str]:
    return list(tokens.lower)


def skeleton_view(tokens: Tokens) -> list[str]:
    out: list[str] = []
    for low, cls in zip(tokens.lower, tokens.classes, strict=True):
        if cls == CONTENT:
            if not out or out[-1] != _PLACEHOLDER:
                out.append(_PLACEHOLDER)
        else:
            out.append(low)
    return out


def anchor_view(tokens: Tokens) -> list[str]:
    return [low for low, cls in zip(tokens.lower, tokens.classes, strict=True) if cls not in (CONTENT, FUNCTION)]


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


class _StemCache(dict[str, str]):
    def __missing__(self, word: str) -> str:
        value = stem(word)
        if len(self) < CACHE_LIMIT:
            self[word] = value
        return value


_STEMS = _StemCache()


def term_view(tokens: Tokens) -> list[str]:
    return sorted(set(map(_STEMS.__getitem__, [
        low for low, cls in zip(tokens.lower, tokens.classes, strict=True)
        if cls != FUNCTION and len(low) > 2])))


VIEWS: dict[str, Callable[[Tokens], list[str]]] = {
    "word": word_view,
    "skeleton": skeleton_view,
    "anchor": anchor_view,
    "term": term_view,
}


def _n_for(kind: str, config: IndexConfig) -> int:
    return {"word": config.word_ngram, "skeleton": config.skeleton_ngram,
            "anchor": config.anchor_ngram, "term": 1}[kind]


def _sample_for(kind: str, config: IndexConfig) -> int:
    return {"word": config.word_sample, "skeleton": config.skeleton_sample,
            "anchor": config.anchor_sample, "term": config.term_sample}[kind]


SAMPLE_FLOOR = 48  # a view with no more fingerprints than this keeps them all


def sampled(hashes: np.ndarray, every: int) -> np.ndarray:
    """The hashes that are 0 mod ``every`` (all of them for 1): the same choice for a text and
    its copy, whatever else either holds (unlike winnowing, no window to agree on). A short text
    (at most ``SAMPLE_FLOOR`` of them) keeps all: a kept superset still holds every sampled
    hash a longer text sharing it keeps, and a short article stays findable."""
    if every <= 1 or len(hashes) <= SAMPLE_FLOOR:
        return hashes
    mixed = (hashes & _MASK) >> np.uint64(8)  # the n-gram mix leaves its low bits the weakest
    return hashes[mixed % np.uint64(every) == 0]


def _view_ids(tokens: Tokens, seed: int) -> dict[str, np.ndarray]:
    """The token hashes of the word, skeleton and anchor views, from one pass over the tokens
    (the same sequences as ``word_view``, ``skeleton_view`` and ``anchor_view`` give)."""
    ids = _token_ids(tokens.lower, seed)
    cls = np.asarray(tokens.classes, dtype=np.int8)
    content = cls == CONTENT
    run_start = content.copy()
    run_start[1:] &= ~content[:-1]
    skeleton = ids.copy()
    skeleton[run_start] = np.uint64(_token_hash(_PLACEHOLDER, seed))
    return {"word": ids, "skeleton": skeleton[~content | run_start],
            "anchor": ids[~content & (cls != FUNCTION)]}


def fingerprints(tokens: Tokens, config: IndexConfig, kinds: tuple[str, ...] = tuple(VIEWS)
                 ) -> np.ndarray:
    """All distinct fingerprints of a text (of the given ``kinds``), as a sorted uint64 array;
    each kind sampled as ``config`` says (``IndexConfig.word_sample`` ...)."""
    views = _view_ids(tokens, config.hash_seed)
    parts = [
        sampled(_ngrams(views[kind] if kind in views else _token_ids(VIEWS[kind](tokens),
                                                                     config.hash_seed),
                        _n_for(kind, config), KINDS[kind]), _sample_for(kind, config))
        for kind in kinds
    ]
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.uint64)


def kind_of(hashes: np.ndarray) -> np.ndarray:
    return (hashes >> np.uint64(KIND_BITS)).astype(np.int64)


__all__ = ["fingerprints", "kind_of", "KINDS", "VIEWS"]
