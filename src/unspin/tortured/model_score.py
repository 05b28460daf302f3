"""How the language-model detector weighs a candidate swap: features and a fitted linear score.

A swap puts a candidate x in place of a word w of a sentence. The model scores the sentence both
ways, reusing the keys and values of the words before w, so each swap has:

- ``left``: log P(x | words before) - log P(w | words before), whole words (nats);
- ``gain_2``, ``gain_6``: the same difference over w and the 2 or 6 tokens after it (to the end
  of the sentence when it is shorter): the words *after* a swap count too ("second reading of the
  bill" against "second perusing of the bill"; 12 tokens after did no better on the development
  articles than 6, at twice the cost);
- ``surprisal``: -log P(w | words before), how unsure the model is at that place at all; a small
  model is unsure at many places of clean text, and the score learns how much a gain there is worth;
- ``zipf_word`` and ``zipf_new``: wordfreq frequencies of w and x (spinners pick rarer words than
  the writer, and a language model prefers common words merely for being common);
- ``src_*``: where x came from: a WordNet neighbour, a known spinner's substitution read backwards,
  or the model's own top choices at the place.

The score is linear in these features. What matters is its far tail on clean text (the detector
may flag about one word in 4,000), so its weights were searched directly for the most marked swaps
found on spun development sentences while clean development text (articles and MRPC sentences)
stays under that budget, rather than fitted to the bulk (a logistic regression found fewer at the
same budget). ``benchmarks/tortured_fit.py`` does the search on the development articles only and
picks the flag thresholds (see ``ModelSettings``); the weights below are its output
(``benchmarks/results/tortured-fit.json``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

FEATURES: tuple[str, ...] = ("left", "gain_2", "gain_6", "surprisal", "zipf_word", "zipf_new",
                             "src_thesaurus", "src_spinner", "src_model")
SOURCES: tuple[str, ...] = ("thesaurus", "spinner", "model")
WINDOWS: tuple[int, ...] = (2, 6)  # tokens after the swapped word re-scored with it


@dataclass(frozen=True, slots=True)
class Scorer:
    """A linear score over ``FEATURES``: ``bias + sum(weight * (feature - mean) / scale)``."""

    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]

    def __post_init__(self) -> None:
        n = len(FEATURES)
        if not (len(self.weights) == len(self.means) == len(self.scales) == n):
            raise ValueError(f"a Scorer needs {n} weights, means and scales ({', '.join(FEATURES)})")

    def score(self, x: Sequence[float]) -> float:
        return self.bias + sum(w * (v - m) / s for w, v, m, s
                               in zip(self.weights, x, self.means, self.scales, strict=True))


def features(*, left: float, gains: Sequence[float], surprisal: float, zipf_word: float,
             zipf_new: float, source: str) -> tuple[float, ...]:
    """The feature vector of one swap, in ``FEATURES`` order."""
    return (left, *gains, surprisal, zipf_word, zipf_new,
            *(1.0 if source == s else 0.0 for s in SOURCES))


def probability(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, score))))


# Searched by benchmarks/tortured_fit.py on the development articles (tortured-fit.json; MRPC
# train sentences detokenised; sentences read with the cheap flags' suggestions in place; the
# model's near-synonym candidates in): the gain over the word and 2 tokens after it, plus 0.25
# ln 10 per zipf unit the candidate is commoner than the word (the word's surprisal: weight 0).
FITTED = Scorer(
    weights=(0.0, 1.0, 0.0, 0.0, -0.5756, 0.5756, 0.0, 0.0, 0.0),
    bias=0.0,
    means=(0.0,) * len(FEATURES),
    scales=(1.0,) * len(FEATURES),
)

__all__ = ["FEATURES", "SOURCES", "WINDOWS", "Scorer", "features", "probability", "FITTED"]
