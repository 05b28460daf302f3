"""Peer baselines, run on the same cases in the same run: MinHash LSH and BM25.

- ``MinHashLSH``: datasketch, word 5-grams, 128 permutations, LSH threshold 0.5; LSH candidates
  ranked by estimated Jaccard. Verdict "derived" = any LSH hit. A document-level tool, so each hit
  is reported as one detection pairing the whole suspect with the whole source.
- ``BM25``: bm25s (Lucene variant, English stopwords), the whole suspect as the query, top-k by
  score. With a ``threshold`` (fitted on the dev split, ``fit_threshold``) it calls the suspect
  derived from the top source when that source's score divided by the query's length in tokens
  reaches it, pairing whole suspect with whole source; without one it gives no verdict.

Both see words as a plain tokeniser does (lowercased letters and digits); neither folds homoglyphs.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from unspin.article import Article
from unspin.bench.records import Detection, Prediction
from unspin.bench.text import word_shingles


class MinHashLSH:
    name = "minhash-lsh"

    def __init__(
        self, *, num_perm: int = 128, threshold: float = 0.5, ngram: int = 5, seed: int = 1
    ):
        from datasketch import MinHashLSH as _LSH

        self.num_perm, self.threshold, self.ngram, self.seed = num_perm, threshold, ngram, seed
        self._lsh = _LSH(threshold=threshold, num_perm=num_perm)
        self._sketches: dict[str, object] = {}
        self._lengths: dict[str, int] = {}

    def _sketch(self, text: str):
        from datasketch import MinHash

        sketch = MinHash(num_perm=self.num_perm, seed=self.seed)
        sketch.update_batch([g.encode("utf-8") for g in word_shingles(text, self.ngram)])
        return sketch

    def build(self, articles: Iterable[Article]) -> int:
        count = 0
        with self._lsh.insertion_session() as session:
            for a in articles:
                sketch = self._sketch(a.text)
                session.insert(a.id, sketch)
                self._sketches[a.id] = sketch
                self._lengths[a.id] = len(a.text)
                count += 1
        return count

    def predict(self, case_id: str, text: str, k: int = 5, *,
                exclude: tuple[str, ...] = ()) -> Prediction:
        start = time.perf_counter()
        sketch = self._sketch(text)
        hits = [h for h in self._lsh.query(sketch) if h not in exclude]
        ranked = sorted(hits, key=lambda h: (-sketch.jaccard(self._sketches[h]), h))
        seconds = time.perf_counter() - start
        detections = [Detection((0, len(text)), h, (0, self._lengths[h])) for h in ranked]
        return Prediction(
            case_id=case_id,
            ranked=ranked[:k],
            verdict="derived" if ranked else "not_derived",
            claimed=list(ranked),
            detections=detections,
            seconds=seconds,
        )

    def close(self) -> None:
        pass


def fit_threshold(scores: list[tuple[float, bool]], max_fpr: float = 0.01) -> float:
    """The lowest score threshold whose false-positive rate on ``scores`` ((score, derived?) per
    case, from the dev split) stays at or under ``max_fpr``."""
    negatives = sorted((s for s, derived in scores if not derived), reverse=True)
    allowed = int(max_fpr * len(negatives))
    if not negatives:
        return 0.0
    return negatives[allowed] + 1e-9 if allowed < len(negatives) else 0.0


class BM25:
    name = "bm25"

    def __init__(self, *, stopwords: str = "en", threshold: float | None = None) -> None:
        self.stopwords = stopwords
        self.threshold = threshold
        self.has_verdict = threshold is not None
        self._retriever: Any = None  # a bm25s.BM25 once built
        self._ids: list[str] = []
        self._lengths: dict[str, int] = {}

    def build(self, articles: Iterable[Article]) -> int:
        import bm25s

        texts: list[str] = []
        for a in articles:
            self._ids.append(a.id)
            self._lengths[a.id] = len(a.text)
            texts.append(a.text)
        tokens = bm25s.tokenize(texts, stopwords=self.stopwords, show_progress=False)
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        self._retriever = retriever
        return len(texts)

    def predict(self, case_id: str, text: str, k: int = 5, *,
                exclude: tuple[str, ...] = ()) -> Prediction:
        import bm25s

        start = time.perf_counter()
        query = bm25s.tokenize([text], stopwords=self.stopwords, show_progress=False)
        n = min(k + len(exclude), len(self._ids))
        docs, scores = self._retriever.retrieve(query, k=n, show_progress=False, n_threads=1)
        hits = [(self._ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True)
                if s > 0 and self._ids[int(d)] not in exclude][:k]
        ranked = [h for h, _ in hits]
        n_tokens = max(1, len(query.ids[0]) if hasattr(query, "ids") else len(text.split()))
        score = hits[0][1] / n_tokens if hits else 0.0
        seconds = time.perf_counter() - start
        if self.threshold is None:
            return Prediction(case_id=case_id, ranked=ranked, verdict=None, seconds=seconds,
                              score=score)
        claimed = ranked[:1] if hits and score >= self.threshold else []
        detections = [Detection((0, len(text)), h, (0, self._lengths[h])) for h in claimed]
        return Prediction(case_id, ranked, "derived" if claimed else "not_derived", claimed,
                          detections, seconds, score)

    def close(self) -> None:
        pass
