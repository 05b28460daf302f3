"""A cheap first look at a page: is any indexed article close enough to be worth aligning?

Most pages of a crawl copy nothing. ``check`` aligns every candidate that shares a few n-grams
and, when none is a source, embeds the page's sentences for the semantic stage: costly for a page
with no source. ``screen`` looks up the page's word, skeleton and anchor n-grams only (no single terms, no
ranking) and lets a page through when one indexed article shares at least ``min_ngrams`` of them;
the other pages are not derived, without alignment.

The floor is the n-grams two copied sentences bring (``check`` needs about two to call a long page
derived: a lone sentence counts half): twice the 5th percentile of shared n-grams per copied
sentence over the development copies of ``benchmarks/scan_bench.py fit`` (22.8 per sentence, so
45). On that split it keeps all 104 copies and screens out all 300 same-subject negatives (their
best candidates share 6 n-grams at the median, 26 at the 99th percentile). The crawl the scan
benchmark reports on is made from other sources.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analysis import analyze
from ..check import CheckResult
from ..fingerprint import fingerprints
from ..index import Index

NGRAM_KINDS = ("word", "skeleton", "anchor")
MIN_NGRAMS = 45  # benchmarks/results/scan_fit.json


@dataclass(frozen=True, slots=True)
class ScreenConfig:
    """``min_ngrams`` 0 turns screening off (every page is checked in full)."""

    min_ngrams: int = MIN_NGRAMS


def best_ngrams(text: str, index: Index) -> int:
    """The most word, skeleton and anchor n-grams one indexed article shares with ``text``.

    N-grams found in very many articles are left out, as in retrieval (``retrieve.candidates``).
    """
    hashes = fingerprints(analyze(text).tokens, index.config, NGRAM_KINDS)
    if len(hashes) == 0:
        return 0
    found = index.storage.lookup(hashes, max(20, int(0.02 * max(len(index), 1))))
    return int(np.bincount(found.rows).max()) if len(found.rows) else 0


def screen(text: str, index: Index, config: ScreenConfig, *, suspect_id: str = "suspect",
           path: str = "") -> CheckResult | None:
    """None when ``text`` is worth a full ``check``; else its not-derived result."""
    if config.min_ngrams <= 0 or best_ngrams(text, index) >= config.min_ngrams:
        return None
    return CheckResult(suspect_id=suspect_id, path=path, chars=len(text), verdict="not_derived",
                       confidence=1.0, sources=(), extra={"mode": "screened"})


__all__ = ["ScreenConfig", "screen", "best_ngrams", "MIN_NGRAMS"]
