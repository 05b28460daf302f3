"""The statistical detector: broken collocations, for spinners whose dictionary nobody has listed.

A spinner swaps a word of a fixed expression for a thesaurus neighbour: "new York" becomes
"unused York", "integrated circuits" "incorporated circuits", "as follows" "as pursues". The
result is a pair of words that clean text never puts side by side, next to a word whose
neighbours are few and predictable, and one thesaurus step away from a common collocation.

For each adjacent pair (a, b) that the background model has never seen (see ``background``) and
each side that is a content word, say a with b kept:

- *closedness* of b's left slot: the Good-Turing estimate of meeting a new left neighbour of b,
  p_new = (n1 + 1) / (n + 2), where n counts b's pairs in the background and n1 the distinct left
  neighbours seen only once. "York" almost always follows "new": p_new is tiny. "the" takes
  anything: p_new is large, and no flag can follow from it.
- *dominance* of the variant: for each thesaurus neighbour x of a, d = c(x, b) / (n + 1), the
  share of b's left slot that x fills (with c(x, b) >= ``min_variant_count``).

margin = -ln p_new + ln d - 0.5 [x is two thesaurus steps from a] - threshold; a flag when > 0. The
margin is the log-odds that the slot holds the variant rather than any unseen word, so unseen
pairs of rare or promiscuous words (the bulk of clean text's unseen pairs) stay unflagged. The
suggestion is the variant, inflected like the word it replaces.

Known spinners' word substitutions (read off the listed fingerprints, ``lexicon.word_substitutions``:
"profound" -> "deep", "information" -> "data") add to the thesaurus neighbours, and allow one more
test: both words swapped, each by a known substitution, onto a pair seen at least
``min_variant_count`` times ("colossal information" -> "big data"), margin ln(1 + count) - 1.

Measured choices (development articles, held out from the test articles; see
benchmarks/results/tortured.md): one-swap variants through WordNet only (double swaps through
WordNet neighbours or two-word lemmas flagged 1 to 3 clean pairs per 2,000 words); threshold 0.5
(0.3 flags per 2,000 clean words on development text), which leaves room for the odd-word test
below (``rare_zipf`` 1.75, 0.47 flags per 2,000 on development text; its margin does not depend
on ``threshold``). Frequency-based
scores (is a synonym more probable here, by wordfreq and bigram counts?) flagged 60 to 170 clean
words per 2,000 at useful recall, and were dropped: news uses rare words on purpose.

*Odd words* (``rare_zipf``): a thesaurus spinner with a broad dictionary (Moby-like) mostly swaps
single words for archaic or rare neighbours ("bazaar authors" for "market sources", "aftermost
month"), which no collocation test sees, since the original is one WordNet step from the spun
word in only 3% of swaps (7% within two steps). Flagged: a lower-case word that is a dictionary
word (it has a WordNet base form: misspellings, the bulk of clean news's rare words, are not),
rarer than ``rare_zipf`` in wordfreq's large English corpus (zipf 1.75 = under 6 uses in 100
million words), and that fits neither neighbour: each adjacent pair with it is unseen in the
background (a side cut by punctuation or a number is no evidence, at least one side must be
seen). Rarity alone flagged about 17 clean words per 2,000; with both sides unseen and the dictionary
test, 0.5 (development articles). Margin: ``rare_zipf`` - zipf. The suggestion is the WordNet
neighbour that best fits the two neighbours (pair counts), else the word's most common synonym.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..analysis import Analyzed
from ..lexicon import FUNCTION_WORDS
from ..thesaurus import Thesaurus
from ..tokens import CONTENT, NUMBER
from .background import Background, Lemmatizer, adjacent_pairs

try:  # a runtime dependency of the odd-word test only; without it the test is off
    from wordfreq import zipf_frequency as _zipf
except ImportError:  # pragma: no cover
    _zipf = None  # type: ignore[assignment]

TWO_HOP_PENALTY = 0.5


@lru_cache(maxsize=200_000)
def word_zipf(word: str) -> float:
    """wordfreq's zipf frequency of an English word (99, "common", without wordfreq)."""
    return _zipf(word, "en") if _zipf is not None else 99.0

_MAX_SECOND = 25  # second-step neighbours taken from each first-step neighbour


@dataclass(frozen=True, slots=True)
class Finding:
    first: int  # token index in the analysed text
    last: int  # inclusive
    suggestion: str
    margin: float
    detail: str

    @property
    def score(self) -> float:
        return round(1.0 / (1.0 + math.exp(-self.margin)), 3)


class StatisticalDetector:
    def __init__(self, background: Background, thesaurus: Thesaurus, *, threshold: float = 0.0,
                 min_variant_count: int = 3,
                 substitutions: Mapping[str, Mapping[str, int]] | None = None,
                 rare_zipf: float | None = None) -> None:
        self.bg = background
        self.rare_zipf = rare_zipf if _zipf is not None else None
        self.thesaurus = thesaurus
        self.lemma = Lemmatizer(thesaurus)
        self.threshold = threshold
        self.min_variant_count = min_variant_count
        self.spun: dict[str, set[str]] = {}  # suspect lemma -> original lemmas (known spinners)
        for sus, originals in (substitutions or {}).items():
            self.spun.setdefault(self.lemma(sus), set()).update(self.lemma(o) for o in originals)
        self._nb: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}

    # -- thesaurus neighbours, as background ids ----------------------------------------------
    def _single(self, word: str) -> list[str]:
        return [s for s in self.thesaurus.synonyms(word) if s.isalpha() and s != word]

    def neighbours(self, lemma: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(background ids, penalties, words) of the thesaurus neighbours of ``lemma``."""
        got = self._nb.get(lemma)
        if got is None:
            hops: dict[str, int] = {w: 1 for w in self._single(lemma)}
            for w in list(hops):
                for v in self._single(w)[:_MAX_SECOND]:
                    if v != lemma and v not in hops:
                        hops[v] = 2
            for w in self.spun.get(lemma, ()):
                hops[w] = 1
            words = [w for w in hops if w in self.bg.ids]
            ids = np.array([self.bg.ids[w] for w in words], dtype=np.uint64)
            pen = np.array([TWO_HOP_PENALTY if hops[w] == 2 else 0.0 for w in words])
            got = (ids, pen, words)
            if len(self._nb) < 200_000:
                self._nb[lemma] = got
        return got

    def _counts(self, keys: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(self.bg.keys, keys)
        pos = np.minimum(pos, len(self.bg.keys) - 1)
        hit = self.bg.keys[pos] == keys
        return np.where(hit, self.bg.counts[pos], 0).astype(np.float64)

    def _side(self, swapped: str, fixed: str, fixed_left: bool) -> tuple[float, str, int] | None:
        """Best (margin before threshold, variant, its count) for swapping ``swapped``."""
        fid = self.bg.ids.get(fixed)
        if fid is None:
            return None
        ids, pen, words = self.neighbours(swapped)
        if not len(ids):
            return None
        f = np.uint64(fid)
        keys = (f << np.uint64(32)) | ids if fixed_left else (ids << np.uint64(32)) | f
        counts = self._counts(keys)
        ok = counts >= self.min_variant_count
        if not ok.any():
            return None
        n, n1 = self.bg.right_slot(fixed) if fixed_left else self.bg.left_slot(fixed)
        p_new = (n1 + 1.0) / (n + 2.0)
        margins = np.where(ok, -math.log(p_new) + np.log(np.maximum(counts, 1) / (n + 1.0)) - pen,
                           -np.inf)
        k = int(np.argmax(margins))
        return float(margins[k]), words[k], int(counts[k])

    def _double(self, la: str, lb: str) -> tuple[float, str, str, int] | None:
        """Both words swapped by substitutions known from listed fingerprints ("colossal
        information" for "big data"): the most frequent attested variant of content words,
        margin ln(1 + count) - 1. (Allowing WordNet neighbours on one side, or no known
        substitution at all, flagged 1 to 3 clean pairs per 2,000 words on development text.)"""
        xs, ys = self.spun.get(la, set()), self.spun.get(lb, set())
        if not xs or not ys:
            return None
        best = None
        for x in xs - FUNCTION_WORDS:
            for y in ys - FUNCTION_WORDS:
                if x not in xs or y not in ys:
                    continue
                c = self.bg.count(x, y)
                if c >= self.min_variant_count and (best is None or c > best[3]):
                    best = (math.log1p(c) - 1.0, x, y, c)
        return best

    # -- detection --------------------------------------------------------------------------
    def find(self, doc: Analyzed) -> list[Finding]:
        toks = doc.tokens
        found: list[Finding] = []
        for i, j in adjacent_pairs(doc):
            a, b = toks.lower[i], toks.lower[j]
            la, lb = self.lemma(a), self.lemma(b)
            if self.bg.attested(la, lb):
                continue
            best: tuple[float, str, int, int] | None = None  # margin, variant, count, side
            for side, (sw, fx, k_sw, k_fx) in enumerate(((la, lb, i, j), (lb, la, j, i))):
                if not _swappable(doc, k_sw) or toks.classes[k_fx] == NUMBER:
                    continue
                got = self._side(sw, fx, fixed_left=side == 1)
                if got and (best is None or got[0] > best[0]):
                    best = (got[0], got[1], got[2], side)
            double = self._double(la, lb) if _swappable(doc, i) and _swappable(doc, j) else None
            if double and (best is None or double[0] > best[0]):
                margin, x, y, count = double
                if margin - self.threshold > 0:
                    new_a = match_case(inflect_like(x, a, la), _surface(doc, i))
                    new_b = match_case(inflect_like(y, b, lb), _surface(doc, j))
                    gap = doc.text[toks.ends[i] : toks.starts[j]]
                    found.append(Finding(i, j, f"{new_a}{gap}{new_b}", margin - self.threshold,
                                         f"'{x} {y}' seen {count} times; '{la} {lb}' never"))
                continue
            if best is None or best[0] - self.threshold <= 0:
                continue
            margin, variant, count, side = best
            k_sw = i if side == 0 else j
            word = _surface(doc, k_sw)
            new = match_case(inflect_like(variant, toks.lower[k_sw], self.lemma(toks.lower[k_sw])), word)
            left = new if side == 0 else _surface(doc, i)
            right = _surface(doc, j) if side == 0 else new
            gap = doc.text[toks.ends[i] : toks.starts[j]]
            pair = f"{la} {variant}" if side else f"{variant} {lb}"
            found.append(Finding(i, j, f"{left}{gap}{right}", margin - self.threshold,
                                 f"'{pair}' seen {count} times; '{la} {lb}' never"))
        if self.rare_zipf is not None:
            found += self._odd_words(doc)
        return _best_per_token(found)

    # -- odd words ---------------------------------------------------------------------------
    def _odd_words(self, doc: Analyzed) -> list[Finding]:
        toks = doc.tokens
        assert self.rare_zipf is not None
        sides: dict[int, list[int]] = {}  # rare dictionary word -> its adjacent-pair neighbours
        rare: dict[int, bool] = {}
        for i, j in adjacent_pairs(doc):
            for k, other in ((i, j), (j, i)):
                got = rare.get(k)
                if got is None:
                    w = toks.lower[k]
                    got = rare[k] = (_swappable(doc, k) and _surface(doc, k) == w
                                     and word_zipf(w) < self.rare_zipf
                                     and bool(self.thesaurus.base_forms(w)))
                if got:
                    sides.setdefault(k, []).append(other)
        out = []
        for k, nbs in sides.items():
            w, lw = toks.lower[k], self.lemma(toks.lower[k])
            pairs = [(self.lemma(toks.lower[j]), lw) if j < k else (lw, self.lemma(toks.lower[j]))
                     for j in nbs]
            if any(self.bg.attested(a, b) for a, b in pairs):
                continue
            z = word_zipf(w)
            variant = self._fit(lw, [(self.lemma(toks.lower[j]), j < k) for j in nbs])
            new = match_case(inflect_like(variant, w, lw), _surface(doc, k)) if variant else _surface(doc, k)
            ctx = " / ".join(toks.lower[j] for j in sorted(nbs))
            out.append(Finding(k, k, new, self.rare_zipf - z,
                               f"'{w}' rare (zipf {z:.2f}) and never seen next to '{ctx}'"))
        return out

    def _fit(self, lemma: str, context: list[tuple[str, bool]]) -> str | None:
        """The thesaurus neighbour of ``lemma`` seen most often with the context words, else
        its most common one-step synonym."""
        ids, _, words = self.neighbours(lemma)
        if len(ids):
            total = np.zeros(len(ids))
            for word, is_left in context:
                fid = self.bg.ids.get(word)
                if fid is None:
                    continue
                f = np.uint64(fid)
                total += self._counts((f << np.uint64(32)) | ids if is_left else (ids << np.uint64(32)) | f)
            if total.max() > 0:
                return words[int(np.argmax(total))]
        first = self._single(lemma)
        return max(first, key=word_zipf) if first else None


def _swappable(doc: Analyzed, k: int) -> bool:
    w = doc.tokens.lower[k]
    return doc.tokens.classes[k] == CONTENT and len(w) >= 3 and w.isalpha()


def _surface(doc: Analyzed, k: int) -> str:
    return doc.text[doc.tokens.starts[k] : doc.tokens.ends[k]]


def _best_per_token(found: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for f in sorted(found, key=lambda f: -f.margin):
        if all(f.last < g.first or g.last < f.first for g in out):
            out.append(f)
    return sorted(out, key=lambda f: f.first)


def match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def inflect_like(base: str, surface: str, lemma: str) -> str:
    """``base`` inflected as ``surface`` is inflected from ``lemma`` (-s, -ed, -ing, -er, -est)."""
    if surface == lemma or not surface.startswith(lemma[: max(1, len(lemma) - 2)]):
        return base
    for suffix in ("ing", "ed", "est", "er", "s"):
        if surface.endswith(suffix) and not lemma.endswith(suffix):
            if base.endswith(suffix):
                return base
            return _add(base, suffix)
    return base


def _add(base: str, suffix: str) -> str:
    consonant_y = base.endswith("y") and base[-2:-1] not in "aeiou"
    if suffix == "s":
        if consonant_y:
            return base[:-1] + "ies"
        return base + ("es" if base.endswith(("s", "x", "z", "ch", "sh")) else "s")
    if suffix == "ing":
        return (base[:-1] if base.endswith("e") and not base.endswith("ee") else base) + "ing"
    if consonant_y:
        return base[:-1] + "i" + suffix
    return base + (suffix[1:] if base.endswith("e") else suffix)


__all__ = ["StatisticalDetector", "Finding", "inflect_like", "match_case"]
