"""Candidate retrieval: which indexed articles share the most informative fingerprints.

Score of an article = sum over the suspect's fingerprints it shares of ``weight(kind) * idf``,
where idf = log(1 + N / df). Fingerprints found in very many articles (boilerplate skeletons such
as "_ of the _ said") carry almost no weight, and those above ``max_df`` are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .analysis import Analyzed, analyze
from .fingerprint import KINDS, fingerprints, kind_of
from .index import Index

KIND_WEIGHTS = {"word": 1.0, "skeleton": 1.0, "anchor": 0.7, "term": 1.0}


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
    found = index.storage.lookup(hashes, max(20, int(0.02 * n)))
    if len(found.rows) == 0:
        return []
    weights = np.zeros(len(KINDS) + 1)
    for kind, code in KINDS.items():
        weights[code] = KIND_WEIGHTS[kind]
    idf = np.log1p(n / np.maximum(found.df, 1)) * weights[kind_of(found.hashes.astype(np.uint64))]
    scores = np.bincount(found.rows, weights=idf[found.which])
    is_ngram = kind_of(found.hashes.astype(np.uint64)) != KINDS["term"]
    ngrams = np.bincount(found.rows, weights=is_ngram[found.which].astype(np.float64),
                         minlength=len(scores))
    for rowid in exclude:
        if rowid < len(scores):
            scores[rowid] = 0.0
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [Candidate(int(r), float(scores[r]), int(ngrams[r])) for r in top if scores[r] > 0]


def rowids(index: Index, ids: Iterable[str]) -> frozenset[int]:
    found = (index.storage.rowid_of(i) for i in ids)
    return frozenset(r for r in found if r is not None)


def retrieve(text: str, index: Index, k: int = 5, *, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
    """Ranked candidate sources of ``text``: ``[(article id, score), ...]``, before verification.

    ``exclude`` lists article ids never to return (for example the suspect's own id).
    """
    out = []
    for cand in candidates(analyze(text), index, k, exclude=rowids(index, exclude)):
        art = index.storage.get(cand.rowid)
        if art is not None:
            out.append((art.id, round(cand.score, 4)))
    return out


__all__ = ["Candidate", "candidates", "retrieve"]
