"""The scan's screen: a cheap first look that spares most pages a full ``check``.

Most pages of a crawl copy nothing, and for them a full check (retrieval over every fingerprint
kind, ranking, alignment) is wasted work. ``screen`` counts, for the best indexed article, the
word, skeleton and anchor n-grams it shares with the page (no single terms, no ranking) and lets
a page through when that count reaches ``min_ngrams``; the other pages are not derived, without
alignment.

It is made cheap in three ways (``benchmarks/scan_profile.py`` measures each stage): the page is
normalised and tokenised only (no sentence split); its n-grams are looked up in the index's
posting segments, held once per worker (``ScreenTable``), with one binary search per n-gram for
the many that no article holds; and n-grams found in more than ``max_df`` articles are left out
before their postings are gathered. ``max_df`` is a constant, not a share of the index: a phrase
in 50 articles says little about which one a page copies, whatever the archive's size, and
gathering postings of common phrases would grow with the archive.

The floor is the n-grams two copied sentences bring (``check`` needs about two to call a long page
derived: a lone sentence counts half): twice the 5th percentile of shared n-grams per copied
sentence over the development copies of ``benchmarks/scan_bench.py fit``. With index format 5's
sampled fingerprints (1 word and skeleton n-gram in 4) that is 6.5 per sentence with ``max_df``
50, so 13; on that split it keeps all 118 copies that ``check`` finds (the least shares 28) and
screens out 297 of the 300 same-subject negatives (median 3, 99th percentile 13). (Before the
sampling: 19.9 per sentence, floor 39.) The crawl the scan benchmark reports on is made from other
sources. The counts are in the index's own terms: refit the floor when the index's fingerprint
settings change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..check import CheckResult
from ..fingerprint import fingerprints
from ..index import Index
from ..index.storage import SQLiteStorage, posting_key, segment_parts
from ..normalize import normalize
from ..tokens import tokenize

NGRAM_KINDS = ("word", "skeleton", "anchor")
MIN_NGRAMS = 13  # benchmarks/results/scan_fit.json (with MAX_DF 50, format 5 sampling)
MAX_DF = 50  # n-grams in more articles than this are not counted


@dataclass(frozen=True, slots=True)
class ScreenConfig:
    """``min_ngrams`` 0 turns screening off (every page is checked in full); ``max_df``: n-grams
    found in more indexed articles than this are not counted."""

    min_ngrams: int = MIN_NGRAMS
    max_df: int = MAX_DF


class ScreenTable:
    """An index's posting segments as the screen reads them: held once, for many pages.

    The segments are those of the index when the table is made (a scan reads a fixed index). A
    sharded index's rows are numbered as its storage numbers them (``local * shards + shard``).
    """

    def __init__(self, index: Index) -> None:
        storage = index.storage
        stores: list[SQLiteStorage] = [s.storage for s in getattr(storage, "shards", [])] \
            or [storage]
        self.n_stores = len(stores)
        self.parts: list[tuple[int, np.ndarray, np.ndarray]] = [
            (s, *segment_parts(seg)) for s, store in enumerate(stores) for seg in store.segments()
        ]

    def best(self, hashes: np.ndarray, max_df: int) -> int:
        """The most of ``hashes`` (fingerprints, as ``fingerprints`` gives them) one article holds, counting only
        hashes held by ``max_df`` articles or fewer."""
        want = np.unique(posting_key(hashes)).astype(np.int64)  # the index's 40-bit keys
        if len(want) == 0 or not self.parts:
            return 0
        df = np.zeros(len(want), dtype=np.int64)
        spans = []
        for _, keys, _ in self.parts:  # one search per hash; a second only for those found
            lo = np.searchsorted(keys, want)
            hit = np.flatnonzero(keys[np.minimum(lo, len(keys) - 1)] == want) if len(keys) \
                else np.empty(0, dtype=np.int64)
            hi = np.searchsorted(keys, want[hit], side="right")
            df[hit] += hi - lo[hit]
            spans.append((hit, lo[hit], hi))
        keep = (df > 0) & (df <= max_df)
        rows = []
        for (store, _, rows_of), (hit, lo, hi) in zip(self.parts, spans, strict=True):
            wanted = keep[hit]
            if not wanted.any():
                continue
            lo, counts = lo[wanted], (hi - lo)[wanted]
            idx = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
            rows.append(rows_of[idx].astype(np.int64) * self.n_stores + store)
        if not rows:
            return 0
        return int(np.bincount(np.concatenate(rows)).max())


def screen_hashes(text: str, index: Index) -> np.ndarray:
    """The word, skeleton and anchor n-gram hashes of ``text`` (as the index hashes them)."""
    return fingerprints(tokenize(normalize(text).text), index.config, NGRAM_KINDS)


def best_ngrams(text: str, index: Index, table: ScreenTable | None = None,
                max_df: int = MAX_DF) -> int:
    """The most word, skeleton and anchor n-grams one indexed article shares with ``text``
    (n-grams in more than ``max_df`` indexed articles left out)."""
    return (table or ScreenTable(index)).best(screen_hashes(text, index), max_df)


def screen(text: str, index: Index, config: ScreenConfig, *, suspect_id: str = "suspect",
           path: str = "", table: ScreenTable | None = None) -> CheckResult | None:
    """None when ``text`` is worth a full ``check``; else its not-derived result.

    Pass ``table`` (``ScreenTable(index)``, made once) when screening many pages."""
    if config.min_ngrams <= 0 or best_ngrams(text, index, table, config.max_df) >= config.min_ngrams:
        return None
    return CheckResult(suspect_id=suspect_id, path=path, chars=len(text), verdict="not_derived",
                       confidence=1.0, sources=(), extra={"mode": "screened"})


__all__ = ["ScreenConfig", "ScreenTable", "screen", "best_ngrams", "screen_hashes", "MIN_NGRAMS",
           "MAX_DF"]
