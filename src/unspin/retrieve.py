"""Candidate retrieval: which indexed articles share the most informative fingerprints.

Score of an article = sum over the suspect's fingerprints it shares of ``weight(kind) * idf``,
where idf = log(1 + N / df). Fingerprints found in very many articles (boilerplate skeletons such
as "_ of the _ said") carry almost no weight, and those in more than ``max_df`` articles (2% of
the index, at most ``MAX_DF``) are ignored: their postings are not even gathered, so the work of a
check follows the suspect, not the index's size (BENCHMARKS.md, "Index at scale", session 6).

When the index has sentence vectors, ``fused`` ranks the union of the lexical candidates and the
articles with sentences close in meaning by

    fused = lexical / best lexical + FUSION_WEIGHT * meaning

where ``meaning`` is the mean, over the suspect's sentences, of the best cosine with one of the
article's sentences (``semantic.meaning``). The lexical part is 1 for the best lexical candidate
and falls with its share of the evidence; the semantic part separates candidates that share the
same names and figures but not the same statements. The weight was chosen on the MRPC training
split (``benchmarks/mrpc_fusion.py``); the test split is used for reporting only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from . import rerank
from .analysis import Analyzed, analyze
from .fingerprint import KINDS, fingerprints, kind_of
from .index import Index

KIND_WEIGHTS = {"word": 1.0, "skeleton": 1.0, "anchor": 0.7, "term": 1.0}
FUSION_WEIGHT = 2.0
FUSION_POOL = 20  # lexical candidates re-ranked by the fused score
MAX_DF = 1000  # the most articles a fingerprint that counts may be in (``max_df``; chosen on dev)
RERANKED = 5  # a short suspect's best fused candidates put in the learned order


@dataclass(frozen=True, slots=True)
class Candidate:
    rowid: int
    score: float
    ngrams: int = 0  # shared word, skeleton and anchor n-grams (not single terms)


def candidates(doc: Analyzed, index: Index, k: int = 10, *,
               exclude: frozenset[int] = frozenset()) -> list[Candidate]:
    """The ``k`` best candidate sources of an analysed suspect, best first.

    ``exclude`` holds article rowids never to return (the suspect itself, when it is indexed).
    """
    hashes = fingerprints(doc.tokens, index.config)
    if len(hashes) == 0:
        return []
    n = max(len(index), 1)
    found = index.storage.lookup(hashes, max_df(n))
    if len(found.rows) == 0:
        return []
    weights = np.zeros(len(KINDS) + 1)
    for kind, code in KINDS.items():
        weights[code] = KIND_WEIGHTS[kind]
    idf = np.log1p(n / np.maximum(found.df, 1)) * weights[kind_of(found.hashes.astype(np.uint64))]
    # scores per distinct article found, not per rowid of the index: the work follows the
    # postings gathered, not the index's size
    rows, at = np.unique(found.rows, return_inverse=True)
    scores = np.bincount(at, weights=idf[found.which], minlength=len(rows))
    is_ngram = kind_of(found.hashes.astype(np.uint64)) != KINDS["term"]
    ngrams = np.bincount(at, weights=is_ngram[found.which].astype(np.float64),
                         minlength=len(rows))
    if exclude:
        scores[np.isin(rows, np.fromiter(exclude, dtype=np.int64, count=len(exclude)))] = 0.0
    k = min(k, len(scores))
    last = np.partition(scores, len(scores) - k)[len(scores) - k]  # the k-th best score
    top = np.flatnonzero(scores >= last)
    top = top[np.lexsort((rows[top], -scores[top]))][:k]  # ties: the lower rowid first
    return [Candidate(int(rows[i]), float(scores[i]), int(ngrams[i])) for i in top if scores[i] > 0]


def max_df(n: int) -> int:
    """Fingerprints held by more articles than this carry no weight in retrieval (2% of the
    index, at least 20, at most ``MAX_DF``)."""
    return min(max(20, int(0.02 * n)), MAX_DF)


def rowids(index: Index, ids: Iterable[str]) -> frozenset[int]:
    found = (index.storage.rowid_of(i) for i in ids)
    return frozenset(r for r in found if r is not None)


def fused(doc: Analyzed, index: Index, k: int = 10, *, exclude: frozenset[int] = frozenset(),
          vectors: np.ndarray | None = None, weight: float = FUSION_WEIGHT,
          rerank_short: bool = True) -> list[Candidate]:
    """The ``k`` best candidates by the fused lexical and semantic score (see the module doc).

    Without sentence vectors (``vectors`` None, or an index built with ``semantic="off"``), or
    with ``weight`` 0, this is the lexical ranking. With ``rerank_short``, a suspect of one or two
    sentences has its ``RERANKED`` best in the learned order (``unspin.rerank``); they keep their
    fused scores, which then need not descend there.
    """
    if vectors is None or weight == 0 or index.vector_store() is None:
        return candidates(doc, index, max(k, FUSION_POOL), exclude=exclude)[:k]
    from . import semantic

    # the pool takes every candidate tied with the last one it holds: which of tied articles an
    # argpartition keeps depends on their rowids, and a sharded index numbers them otherwise
    pool_size = max(k, FUSION_POOL)
    lexical = candidates(doc, index, 2 * pool_size, exclude=exclude)
    if len(lexical) > pool_size:
        last = lexical[pool_size - 1].score
        lexical = [c for c in lexical if c.score >= last]

    pool = {c.rowid: c for c in lexical}
    for rowid, _ in semantic.candidates(doc, vectors, index, k=10, exclude=exclude):
        pool.setdefault(rowid, Candidate(rowid, 0.0, 0))
    if not pool:
        return []
    top = max(c.score for c in pool.values()) or 1.0
    meaning = semantic.meaning(vectors, index, list(pool))
    scored = [Candidate(c.rowid, c.score / top + weight * meaning[c.rowid], c.ngrams)
              for c in pool.values()]
    scored.sort(key=lambda c: -c.score)
    if rerank_short and rerank.short(doc) and len(scored) > 1:
        head = scored[:RERANKED]
        table = rerank.table(doc, index, [c.rowid for c in head], verified={},
                             lexical={c.rowid: c.score for c in lexical}, vectors=vectors)
        scored[:RERANKED] = [head[i] for i in rerank.order(*table)]
    return scored[:k]


def retrieve(text: str, index: Index, k: int = 5, *, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
    """Ranked candidate sources of ``text``: ``[(article id, score), ...]``, before verification.

    The ranking is ``fused`` when the index has sentence vectors, else lexical.
    ``exclude`` lists article ids never to return (for example the suspect's own id).
    """
    from . import semantic

    doc = analyze(text)
    has_vectors = index.vector_store() is not None
    vectors = semantic.embed_doc(doc, semantic.for_index(index.config)) if has_vectors else None
    out = []
    for cand in fused(doc, index, k, exclude=rowids(index, exclude), vectors=vectors):
        art = index.storage.get(cand.rowid)
        if art is not None:
            out.append((art.id, round(cand.score, 4)))
    return out


__all__ = ["Candidate", "candidates", "fused", "retrieve", "FUSION_WEIGHT"]
