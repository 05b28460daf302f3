"""The trivial detector: the floor any copy detector must clear by a clear margin.

It takes unspin's top fingerprint candidate, calls the suspect derived from it when the two share at
least ``min_ngrams`` fingerprint n-grams, and pairs the whole suspect with the whole source. No
alignment, no verification, no quotation rule. If this passes a benchmark's floors, the benchmark
cannot tell a detector from a lookup: the hard negatives exist to make it fail.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from unspin.article import Article
from unspin.bench.records import Detection, Prediction

MIN_NGRAMS = 15


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
                          detections, seconds)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


__all__ = ["Trivial", "MIN_NGRAMS"]
