"""Background collocation statistics: how often each pair of adjacent words occurs in clean text.

Counted over lemmas (WordNet base forms), for adjacent words of one sentence with only spaces or a
hyphen between them, leaving out numbers and pairs of two function words. The shipped model is
built from BBC News and Reuters-21578 by ``scripts/build_tortured_background.py``; a user can add
counts from the articles of an index (``extend_from_index``). WordNet's two-word lemmas ("interest
rate", "big data" would be one) mark a pair as *attested* without adding to its count, so a
dictionary phrase is never flagged while the counts stay those of real text.

Stored as one ``.npz``: the vocabulary, the pairs as (left id, right id, count) sorted, and the
attested dictionary pairs; the per-word slot statistics are derived at load time.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..analysis import Analyzed, analyze
from ..errors import ModelError
from ..thesaurus import Thesaurus
from ..thesaurus import load as load_thesaurus
from ..tokens import FUNCTION, NUMBER

FORMAT = "unspin-tortured-background/1"
BACKGROUND_FILE = "tortured-background.npz"
INDEX_FILE = "tortured-background.npz"  # kept in the index directory when extended

_SHIFT = np.uint64(32)


class Lemmatizer:
    """Maps a lower-case word to its first WordNet base form (the word itself if none)."""

    def __init__(self, thesaurus: Thesaurus) -> None:
        self.thesaurus = thesaurus
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        got = self._cache.get(word)
        if got is None:
            forms = self.thesaurus.base_forms(word) if word.isalpha() else ()
            got = forms[0] if forms else word
            self._cache[word] = got
        return got


def adjacent_pairs(doc: Analyzed) -> Iterator[tuple[int, int]]:
    """Token index pairs (i, i+1) that count as a collocation candidate."""
    toks, text = doc.tokens, doc.text
    for s in doc.sentences:
        for i in range(s.first, s.last - 1):
            ci, cj = toks.classes[i], toks.classes[i + 1]
            if ci == NUMBER or cj == NUMBER or (ci == FUNCTION and cj == FUNCTION):
                continue
            gap = text[toks.ends[i] : toks.starts[i + 1]]
            if gap.strip() in ("", "-"):
                yield i, i + 1


def count_pairs(texts: Iterable[str], lemma: Lemmatizer) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        doc = analyze(text)
        low = doc.tokens.lower
        for i, j in adjacent_pairs(doc):
            counts[(lemma(low[i]), lemma(low[j]))] += 1
    return counts


def dictionary_pairs(thesaurus: Thesaurus) -> set[tuple[str, str]]:
    """Two-word lemmas of the thesaurus (WordNet: "interest rate", "artificial intelligence")."""
    index = getattr(thesaurus, "_index", {})
    out = set()
    for lemma in index:
        words = lemma.split()
        if len(words) == 2 and all(w.isalpha() for w in words):
            out.add((words[0], words[1]))
    return out


@dataclass
class Background:
    """Pair counts with fast lookups; see the module docstring."""

    vocab: list[str]
    keys: np.ndarray  # uint64, sorted: left id << 32 | right id
    counts: np.ndarray  # uint32, parallel to keys
    extra: np.ndarray  # uint64, sorted: attested dictionary pairs
    meta: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ids = {w: k for k, w in enumerate(self.vocab)}
        n = len(self.vocab)
        left = (self.keys >> _SHIFT).astype(np.int64)
        right = (self.keys & np.uint64(0xFFFFFFFF)).astype(np.int64)
        c = self.counts.astype(np.float64)
        once = (self.counts == 1).astype(np.float64)
        # As the left word: how often, and with how many words seen once on its right.
        self.right_total = np.bincount(left, weights=c, minlength=n)
        self.right_once = np.bincount(left, weights=once, minlength=n)
        self.left_total = np.bincount(right, weights=c, minlength=n)
        self.left_once = np.bincount(right, weights=once, minlength=n)
        self.total = int(self.counts.sum())

    # -- lookups ----------------------------------------------------------------------------
    def _key(self, a: str, b: str) -> int | None:
        ia, ib = self.ids.get(a), self.ids.get(b)
        if ia is None or ib is None:
            return None
        return (ia << 32) | ib

    def count(self, a: str, b: str) -> int:
        key = self._key(a, b)
        if key is None:
            return 0
        pos = int(np.searchsorted(self.keys, np.uint64(key)))
        return int(self.counts[pos]) if pos < len(self.keys) and int(self.keys[pos]) == key else 0

    def attested(self, a: str, b: str) -> bool:
        if self.count(a, b) > 0:
            return True
        key = self._key(a, b)
        if key is None:
            return False
        pos = int(np.searchsorted(self.extra, np.uint64(key)))
        return pos < len(self.extra) and int(self.extra[pos]) == key

    def left_slot(self, word: str) -> tuple[float, float]:
        """(pairs with ``word`` on the right, distinct left words seen once there)."""
        k = self.ids.get(word)
        return (0.0, 0.0) if k is None else (self.left_total[k], self.left_once[k])

    def right_slot(self, word: str) -> tuple[float, float]:
        k = self.ids.get(word)
        return (0.0, 0.0) if k is None else (self.right_total[k], self.right_once[k])

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def from_counts(
        cls,
        counts: Counter[tuple[str, str]],
        extra: Iterable[tuple[str, str]] = (),
        meta: dict[str, object] | None = None,
    ) -> Background:
        extra = sorted(set(extra))
        vocab = sorted({w for pair in counts for w in pair} | {w for pair in extra for w in pair})
        ids = {w: k for k, w in enumerate(vocab)}
        if len(vocab) >= 1 << 32:
            raise ModelError("background vocabulary too large")
        keys = np.array([(ids[a] << 32) | ids[b] for a, b in counts], dtype=np.uint64)
        vals = np.array(list(counts.values()), dtype=np.uint32)
        order = np.argsort(keys)
        ex = np.unique(np.array([(ids[a] << 32) | ids[b] for a, b in extra], dtype=np.uint64))
        return cls(vocab, keys[order], vals[order], ex, dict(meta or {}))

    def pairs(self) -> Counter[tuple[str, str]]:
        left = (self.keys >> _SHIFT).astype(np.int64)
        right = (self.keys & np.uint64(0xFFFFFFFF)).astype(np.int64)
        return Counter({(self.vocab[a], self.vocab[b]): int(c)
                        for a, b, c in zip(left.tolist(), right.tolist(), self.counts.tolist(),
                                           strict=True)})

    def extra_pairs(self) -> list[tuple[str, str]]:
        return [(self.vocab[int(k) >> 32], self.vocab[int(k) & 0xFFFFFFFF]) for k in self.extra]

    def merged(self, other: Background) -> Background:
        """Counts of both models added up (for a shipped model extended by an index)."""
        counts = self.pairs()
        counts.update(other.pairs())
        meta = {**self.meta, "extended_with": other.meta}
        return Background.from_counts(counts, self.extra_pairs() + other.extra_pairs(), meta)

    # -- files ------------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        meta = {**self.meta, "format": FORMAT}
        np.savez_compressed(
            path,
            vocab=np.frombuffer("\n".join(self.vocab).encode("utf-8"), dtype=np.uint8),
            keys=self.keys, counts=self.counts, extra=self.extra,
            meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        )

    @classmethod
    def load(cls, path: str | Path) -> Background:
        try:
            with np.load(path) as data:
                meta = json.loads(data["meta"].tobytes().decode("utf-8"))
                if meta.get("format") != FORMAT:
                    raise ModelError(f"{path}: not an unspin background model ({meta.get('format')})")
                vocab = data["vocab"].tobytes().decode("utf-8").split("\n")
                return cls(vocab, data["keys"], data["counts"], data["extra"], meta)
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"{path}: cannot read the background model ({exc}); rebuild it with "
                             "scripts/build_tortured_background.py") from None


def build(texts: Iterable[str], thesaurus: Thesaurus, *, dictionary: bool = True,
          meta: dict[str, object] | None = None) -> Background:
    """Count a background model from clean texts (and the thesaurus's two-word lemmas)."""
    counts = count_pairs(texts, Lemmatizer(thesaurus))
    extra = dictionary_pairs(thesaurus) if dictionary else set()
    info = {"lemmatizer": f"{thesaurus.name}-base-form/1", "thesaurus": thesaurus.name,
            "thesaurus_version": thesaurus.version, "pairs": len(counts),
            "tokens_counted": int(sum(counts.values())), "dictionary_pairs": len(extra)}
    info.update(meta or {})
    return Background.from_counts(counts, extra, info)


@lru_cache(maxsize=1)
def load_shipped() -> Background:
    ref = resources.files("unspin") / "data" / BACKGROUND_FILE
    path = Path(str(ref))
    if not path.is_file():
        raise ModelError(f"{path}: background model not found; run scripts/build_tortured_background.py")
    return Background.load(path)


def for_index(index_dir: str | Path | None) -> Background:
    """The shipped model, extended with the index's own counts where ``extend_from_index`` ran."""
    base = load_shipped()
    if index_dir is None:
        return base
    extra = Path(index_dir) / INDEX_FILE
    if not extra.is_file():
        return base
    return _merged_cached(str(extra), extra.stat().st_mtime_ns)


@lru_cache(maxsize=2)
def _merged_cached(path: str, mtime: int) -> Background:
    return load_shipped().merged(Background.load(path))


def extend_from_index(index: object, *, thesaurus: str = "wordnet") -> Path:
    """Count the index's articles into ``<index>/tortured-background.npz``; returns its path."""
    from ..index import Index

    if not isinstance(index, Index):
        raise TypeError("extend_from_index takes an open Index")
    model = build((a.text for a in index), load_thesaurus(thesaurus), dictionary=False,
                  meta={"sources": [f"index {index.path}"]})
    out = Path(index.path) / INDEX_FILE
    model.save(out)
    return out


__all__ = ["Background", "Lemmatizer", "adjacent_pairs", "count_pairs", "dictionary_pairs", "build",
           "load_shipped", "for_index", "extend_from_index", "BACKGROUND_FILE", "FORMAT"]
