"""Learned order of the candidate sources of a short suspect (one or two sentences).

A check's score counts reused tokens; for a suspect of a sentence or two it saturates, and every
version of the same wire sentence in the index reaches about the same value. Neither it nor the
fused retrieval score then tells the source from another outlet's edit of it. This module orders
such candidates by a linear score over signals already at hand for each (suspect, candidate):

- ``verified``: the check's score of the candidate (0 when it was not verified);
- ``lexical``: its fingerprint score as a share of the best candidate's;
- ``meaning``: the mean best sentence cosine (``semantic.meaning``, the index's own vectors);
- ``overlap``: Jaccard of the two texts' content words, names and numbers;
- ``contained``: the share of the suspect's content words found in the candidate;
- ``length``: ``|log|`` of the ratio of their token counts;
- ``facts``: agreement of their numbers and names (1 when equal or both absent);
- ``wording``: normalised Levenshtein similarity of their token sequences.

The score is linear in these eight and their squares (``expand``: some signals matter most near
their top, wording and meaning above all). The weights are a conditional logit (a softmax over
each suspect's candidates) fitted on MRPC's
**training** split by ``benchmarks/mrpc_rank.py``; MRPC's test split is reported only. Only
candidates whose check score is within ``MARGIN`` of the best change places (the premise is that
the scores saturate; a clearly higher one, as of an excerpt's verbatim source, keeps its lead). Longer
suspects keep the check's order: their scores do not saturate on one sentence. So do short
suspects whose candidates are not short themselves (a sentence against whole articles): the
weights know only sentences against sentences.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import Levenshtein

from .analysis import Analyzed, analyze
from .tokens import FUNCTION, NAME, NUMBER

if TYPE_CHECKING:
    from .index import Index

MAX_SENTENCES = 2  # suspects of at most this many sentences are reordered
# only candidates whose check score is within this of the best change places (the premise: the
# scores saturate); a clearly better score (a verbatim excerpt's own source) keeps its lead.
# Chosen on MRPC train under a bound from a hand-made excerpt case (benchmarks/mrpc_rank.py:
# ``MARGINS``, ``MAX_MARGIN``); the test split only reported
MARGIN = 0.1
FEATURES = ("verified", "lexical", "meaning", "overlap", "contained", "length", "facts", "wording")
# fitted by benchmarks/mrpc_rank.py on MRPC train (results/mrpc_rank.json): FEATURES' order, then
# their squares (``expand``)
WEIGHTS = np.array([
    -0.5106, 1.5082, 4.3053, 4.4953, 2.7857, -1.2974, 0.3446, 5.7816,
    -1.509, 0.1777, 1.5414, -5.0759, -2.2027, -2.7912, -0.3699, -6.5468,
])


def short(doc: Analyzed) -> bool:
    """Whether ``doc`` is short enough for the learned order."""
    return 0 < len(doc.sentences) <= MAX_SENTENCES


def _keys(doc: Analyzed) -> set[str]:
    return {w for w, c in zip(doc.tokens.lower, doc.tokens.classes, strict=True) if c != FUNCTION}


def _of_class(doc: Analyzed, cls: int) -> frozenset[str]:
    return frozenset(w for w, c in zip(doc.tokens.lower, doc.tokens.classes, strict=True)
                     if c == cls)


def _agree(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def features(suspect: Analyzed, candidate: Analyzed, *, verified: float, lexical: float,
             meaning: float) -> np.ndarray:
    """The feature vector of one (suspect, candidate) pair, in ``FEATURES``' order."""
    ka, kb = _keys(suspect), _keys(candidate)
    overlap = len(ka & kb) / max(len(ka | kb), 1)
    contained = len(ka & kb) / max(len(ka), 1)
    length = abs(math.log(max(len(candidate.tokens), 1) / max(len(suspect.tokens), 1)))
    facts = (_agree(_of_class(suspect, NUMBER), _of_class(candidate, NUMBER))
             * _agree(_of_class(suspect, NAME), _of_class(candidate, NAME)))
    wording = Levenshtein.normalized_similarity(suspect.tokens.lower, candidate.tokens.lower)
    return np.array([verified, lexical, meaning, overlap, contained, length, facts, wording])


def table(suspect: Analyzed, index: Index, rows: list[int], *, verified: dict[int, float],
          lexical: dict[int, float], vectors: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The features of each candidate article (``rows``: rowids) of ``suspect``, one row each,
    and which candidates are short themselves: only those are put in the learned order (the
    weights were fitted on sentences against sentences, and say nothing of a whole article).

    ``verified`` and ``lexical`` map rowids to the check's score and the fingerprint score (0 for
    those missing); ``vectors`` are the suspect's sentence vectors (None: meaning 0).
    """
    from . import semantic

    meaning = semantic.meaning(vectors, index, rows)
    top = max(lexical.values(), default=0.0) or 1.0
    out = np.zeros((len(rows), len(FEATURES)))
    movable = np.zeros(len(rows), dtype=bool)
    for n, rowid in enumerate(rows):
        article = index.storage.get(rowid)
        doc = analyze(article.text[: index.config.max_chars]) if article is not None else None
        if doc is None or not short(doc):
            continue
        movable[n] = True
        out[n] = features(suspect, doc, verified=verified.get(rowid, 0.0),
                          lexical=lexical.get(rowid, 0.0) / top, meaning=meaning[rowid])
    return out, movable


def expand(rows: np.ndarray) -> np.ndarray:
    """The terms the weights apply to: each feature, then each feature squared."""
    x = np.atleast_2d(np.asarray(rows, dtype=np.float64))
    return np.hstack([x, x * x])


def scores(rows: np.ndarray, weights: np.ndarray = WEIGHTS) -> np.ndarray:
    """The learned score of each row of features (higher: more likely the source)."""
    return expand(rows) @ weights


def near_best(rows: np.ndarray, movable: np.ndarray | None = None,
              margin: float = MARGIN) -> np.ndarray:
    """Which ``movable`` rows (all by default) have a check score (``verified``) within
    ``margin`` of the best movable row's."""
    verified = np.asarray(rows, dtype=np.float64).reshape(len(rows), -1)[:, 0]
    base = np.ones(len(rows), dtype=bool) if movable is None else np.asarray(movable, dtype=bool)
    if not base.any():
        return base
    return base & (verified >= verified[base].max() - margin - 1e-9)


def order(rows: np.ndarray, movable: np.ndarray | None = None, *,
          weights: np.ndarray = WEIGHTS, margin: float = MARGIN) -> list[int]:
    """Positions of ``rows`` best first. Only ``movable`` rows (all by default) whose check score
    is within ``margin`` of the best of them (``near_best``) change places, among the places they
    hold; a stable sort, so ties keep the given order."""
    n = len(rows)
    places = np.flatnonzero(near_best(rows, movable, margin))
    ranked = places[np.argsort(-scores(rows[places], weights), kind="stable")]
    out = list(range(n))
    for place, row in zip(places, ranked, strict=True):
        out[int(place)] = int(row)
    return out


__all__ = ["FEATURES", "MARGIN", "MAX_SENTENCES", "WEIGHTS", "near_best", "expand", "features", "order", "table", "scores", "short"]
