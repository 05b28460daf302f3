"""The trivial detector: the floor any copy detector must clear by a clear margin.

It takes unspin's top fingerprint candidate, calls the suspect derived from it when the two share at
least ``min_ngrams`` fingerprint n-grams, and pairs the whole suspect with the whole source. No
alignment, no verification, no quotation rule. If this passes a benchmark's floors, the benchmark
cannot tell a detector from a lookup: the hard negatives exist to make it fail.

The floor counts the n-grams the index keeps (format 5 samples them: about 1 in 4), so a fixed
number means something different whenever the index's sampling changes. The benchmark refits it on
the dev split by the rule it uses for BM25's threshold (``fit_floor``: the lowest floor whose
false-positive rate on the dev negatives is at most 1%), and reports the fixed floor beside it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from unspin.article import Article
from unspin.bench.baselines import fit_threshold
from unspin.bench.records import Detection, Prediction

MIN_NGRAMS = 15  # the fixed floor of earlier sessions, reported beside the fitted one


def fit_floor(scores: list[tuple[float, bool]], max_fpr: float = 0.01) -> int:
    """The fewest shared n-grams at which the dev negatives' false-positive rate is at most
    ``max_fpr`` (``scores``: the top candidate's shared n-grams and the truth, per dev case)."""
    return max(1, math.ceil(fit_threshold(scores, max_fpr)))


class Trivial:
    name = "trivial"

    def __init__(self, index_dir: Path, *, thesaurus: str = "wordnet",
                 min_ngrams: int = MIN_NGRAMS) -> None:
        self.index_dir = Path(index_dir)
        self.thesaurus = thesaurus
        self.min_ngrams = min_ngrams
        self._index: Any = None
        self._lengths: dict[str, int] = {}

    def build(self, articles: Iterable[Article]) -> int:
        """A lexical index of its own (no sentence vectors: the trivial detector never uses them)."""
        import shutil

        from unspin import Index, IndexConfig

        if self.index_dir.exists():
            shutil.rmtree(self.index_dir)
        self._index = Index.create(self.index_dir,
                                   config=IndexConfig(thesaurus=self.thesaurus, semantic="off"))
        listed = list(articles)
        self._lengths = {a.id: len(a.text) for a in listed}
        return int(self._index.add(listed).added)

    def predict(self, case_id: str, text: str, k: int = 5, *,
                exclude: tuple[str, ...] = ()) -> Prediction:
        from unspin.analysis import analyze
        from unspin.retrieve import candidates, rowids

        start = time.perf_counter()
        found = candidates(analyze(text), self._index, k, exclude=rowids(self._index, exclude))
        articles = [self._index.storage.get(c.rowid) for c in found]
        ranked = [a.id for a in articles if a is not None]
        derived = bool(found) and found[0].ngrams >= self.min_ngrams
        seconds = time.perf_counter() - start
        claimed = ranked[:1] if derived else []
        detections = [Detection((0, len(text)), s, (0, self._lengths.get(s, 0))) for s in claimed]
        return Prediction(case_id, ranked, "derived" if derived else "not_derived", claimed,
                          detections, seconds, score=float(found[0].ngrams) if found else 0.0)

    def at_floor(self, pred: Prediction, suspect: str, floor: int) -> Prediction:
        """``pred`` had the floor been ``floor`` (same candidates, same whole-text pairing)."""
        derived = pred.score is not None and bool(pred.ranked) and pred.score >= floor
        claimed = pred.ranked[:1] if derived else []
        detections = [Detection((0, len(suspect)), s, (0, self._lengths.get(s, 0)))
                      for s in claimed]
        return replace(pred, verdict="derived" if derived else "not_derived", claimed=claimed,
                       detections=detections)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


__all__ = ["Trivial", "MIN_NGRAMS", "fit_floor"]
