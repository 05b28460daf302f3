"""Copies in another language: a suspect's sentences aligned with an English source's across languages.

A machine translation keeps each sentence's meaning, its order, its names and its figures, and
nothing of its words. So a translated copy is aligned sentence to sentence by a cross-lingual
sentence encoder (``embed.multilingual``): a suspect sentence seeds a pair with the source sentence
whose vector is closest, when the cosine reaches ``seed_cosine`` and the two agree on their numbers
(compared by digits alone: "30,5 %" is "30.5%", "671.700" is "671.7"). Pairs in order on both sides
merge into passages of kind ``translated``; a passage lists no word substitutions (there are no
shared words to substitute).

Another outlet's report of the same event, in any language, has sentences close in meaning too,
one here and one there, rarely a run of them in the source's order; and across languages there is
no wording left to tell a copy from a retelling. So a source is aligned at all only when the
suspect reads as its translation (:meth:`CrossAligner.is_translation`): more than half of the
suspect's sentences (leaving out lines too short to be a sentence of the story: datelines, share
links, section labels) pair with source sentences in the source's order, each pair's cosine above
the band that translations of *other* articles reach (``gate_cosine``: the highest pair cosine of
the development part's translated negatives, 0.632), and those pairs' mean cosine above the band
that same-event reports in another language reach (``mean_cosine``: such a report keeps the facts
of a few sentences, each one retold, while a translation keeps every sentence's meaning). A shared list of names in the same order is
not that: the names are a fraction of each sentence, and the rest must translate too.

Candidates come from the index's language-independent fingerprints (names, numbers), with no
extra cost at build time: nothing about a translated copy has to be stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .align import Passage
from .analysis import Analyzed
from .labels import TRANSLATED  # the passage kind and the obfuscation label: one constant
from .tokens import NAME, NUMBER

if TYPE_CHECKING:
    from .embed import Embedder



@dataclass(frozen=True, slots=True)
class CrossConfig:
    """Cross-language alignment settings; fitted on the development half of the hand-written set
    (``benchmarks/multilingual_bench.py``, BENCHMARKS.md)."""

    seed_cosine: float = 0.55  # least cosine of a sentence pair that may seed a passage
    sure_cosine: float = 0.75  # cosine from which a pair counts fully as reused
    max_source_sentences: int = 40  # sentences of a long source embedded (its start)
    max_gap: int = 2  # sentences skipped on either side inside one passage
    min_passage_chars: int = 40
    # a translation: more than ``min_aligned_share`` of the suspect's sentences of at least
    # ``min_sentence_tokens`` tokens pair in the source's order with cosines of ``gate_cosine`` or
    # more (above the 0.632 that the dev part's translations of other articles reach)
    gate_cosine: float = 0.64
    min_aligned_share: float = 0.5
    # and those pairs' mean cosine reaches ``mean_cosine``: a translation keeps each sentence's
    # meaning, a same-event report in another language only its facts. Midway between the highest
    # mean of a dev same-event report's in-order pairs (0.678) and the lowest of a dev
    # translation's (0.747), rounded down; benchmarks/multilingual_gate.py prints both bands
    mean_cosine: float = 0.71
    min_sentence_tokens: int = 6


_DIGITS = re.compile(r"\d")
_PARTS = re.compile(r"[:/\u2013-]")  # one token, several numbers: a time 1:47,97, a score 19-13


def number_key(token: str) -> str:
    """A number as its digits without separators or trailing zeros: the same in every language's
    notation ("30,5" and "30.5" -> "305"; "671.700" and "671.7" -> "6717")."""
    digits = "".join(_DIGITS.findall(token))
    return digits.rstrip("0") or digits


def _facts(doc: Analyzed, k: int) -> tuple[frozenset[str], frozenset[str]]:
    s = doc.sentences[k]
    words = doc.tokens.lower[s.first : s.last]
    classes = doc.tokens.classes[s.first : s.last]
    nums = frozenset(number_key(part) for w, c in zip(words, classes, strict=True) if c == NUMBER
                     for part in _PARTS.split(w))
    names = frozenset(w for w, c in zip(words, classes, strict=True) if c == NAME)
    return nums - {""}, names


def _agreement(a: tuple[frozenset[str], frozenset[str]],
               b: tuple[frozenset[str], frozenset[str]]) -> float:
    """1 when two sentences share their numbers (or neither has any); less as they differ; 0.5 when
    both give numbers and none is shared. Names count only in favour (translators respell them)."""
    nums_a, names_a = a
    nums_b, names_b = b
    factor = 1.0
    if nums_a and nums_b:
        factor = 0.5 + 0.5 * len(nums_a & nums_b) / len(nums_a | nums_b)
    if names_a & names_b:
        factor = min(1.0, factor + 0.1)
    return factor


@dataclass(frozen=True, slots=True)
class _Pair:
    i: int
    j: int
    score: float


def _in_order(pairs: list[_Pair]) -> list[_Pair]:
    """The longest run of the pairs (in suspect order) with both sides strictly ascending; of the
    longest, the one with the highest total score."""
    best: list[tuple[int, float, int]] = []  # per pair: length, total score, previous pair (-1)
    for a, p in enumerate(pairs):
        prev = [(best[b][0], best[b][1], b) for b in range(a)
                if pairs[b].i < p.i and pairs[b].j < p.j]
        n, total, b = max(prev, default=(0, 0.0, -1))
        best.append((n + 1, total + p.score, b))
    if not best:
        return []
    a = max(range(len(best)), key=lambda k: best[k][:2])
    chain = []
    while a >= 0:
        chain.append(pairs[a])
        a = best[a][2]
    return chain[::-1]


class CrossAligner:
    """Aligns one suspect, in any language, with candidate sources by sentence vectors."""

    def __init__(self, suspect: Analyzed, embedder: Embedder, config: CrossConfig | None = None
                 ) -> None:
        self.suspect = suspect
        self.config = config or CrossConfig()
        self.embedder = embedder
        self.vectors = self._embed(suspect, len(suspect.sentences))
        self._facts = [_facts(suspect, k) for k in range(len(suspect.sentences))]

    def _embed(self, doc: Analyzed, limit: int) -> np.ndarray:
        texts = [doc.text[s.start : s.end] for s in doc.sentences[:limit]]
        return self.embedder.embed(texts)

    def pairs(self, source: Analyzed) -> list[_Pair]:
        """The best source sentence of each suspect sentence, when close enough."""
        cfg = self.config
        if not len(self.vectors) or not source.sentences:
            return []
        src = self._embed(source, cfg.max_source_sentences)
        cos = np.clip(self.vectors @ src.T, -1.0, 1.0)
        facts = [_facts(source, k) for k in range(len(src))]
        out = []
        for i in range(len(self.vectors)):
            scores = [float(cos[i, j]) * _agreement(self._facts[i], facts[j])
                      for j in range(len(src))]
            j = int(np.argmax(scores))
            if scores[j] >= cfg.seed_cosine:
                out.append(_Pair(i, j, scores[j]))
        return out

    def _chains(self, pairs: list[_Pair]) -> list[list[_Pair]]:
        gap = self.config.max_gap + 1
        chains: list[list[_Pair]] = []
        for p in pairs:  # in suspect order
            last = chains[-1][-1] if chains else None
            if last is not None and p.i - last.i <= gap and 0 < p.j - last.j <= gap:
                chains[-1].append(p)
            else:
                chains.append([p])
        return chains

    def sureness(self, score: float) -> float:
        cfg = self.config
        return min(1.0, max(0.0, (score - cfg.seed_cosine) / (cfg.sure_cosine - cfg.seed_cosine)))

    def is_translation(self, pairs: list[_Pair]) -> bool:
        """Whether the pairs read as a translation: in the source's order, close enough, over
        more than half of the suspect's sentences (at least two of them, if it has two)."""
        cfg = self.config
        content = {k for k, s in enumerate(self.suspect.sentences)
                   if s.last - s.first >= cfg.min_sentence_tokens}
        sure = [p for p in pairs if p.score >= cfg.gate_cosine and p.i in content]
        chain = _in_order(sure)
        in_order = len(chain)
        return (in_order >= min(2, len(content))
                and in_order > cfg.min_aligned_share * len(content)
                and sum(p.score for p in chain) / max(in_order, 1) >= cfg.mean_cosine)

    def align(self, source: Analyzed) -> list[Passage]:
        out: list[Passage] = []
        sus = self.suspect
        pairs = self.pairs(source)
        if not self.is_translation(pairs):
            return out
        for chain in self._chains(pairs):
            s0, s1 = sus.sentences[chain[0].i], sus.sentences[chain[-1].i]
            t0, t1 = source.sentences[chain[0].j], source.sentences[chain[-1].j]
            s_span = sus.to_original(s0.start, s1.end)
            if s_span[1] - s_span[0] < self.config.min_passage_chars:
                continue
            evidence = sum((sus.sentences[p.i].last - sus.sentences[p.i].first)
                           * self.sureness(p.score) for p in chain)
            score = sum(p.score for p in chain) / len(chain)
            out.append(Passage(s_span, source.to_original(t0.start, t1.end), TRANSLATED,
                               round(score, 4), len(chain), (), round(evidence, 2)))
        return out


__all__ = ["TRANSLATED", "CrossConfig", "CrossAligner", "number_key"]
