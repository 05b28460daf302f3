"""The language-model detector (evidence ``model``, and ``translation`` for function words).

A reader stops at a word that the sentence makes improbable when a near-synonym would fit: "a
quarterly profits caution". The model reads each chosen sentence once (one forward pass: every
token's surprisal and the distribution over what could stand there), then:

1. *Candidates*: for each content word w (lower case, not a name), the words x that could have
   stood there: w's thesaurus neighbours (WordNet synsets, which hold in both directions; known
   spinners' substitutions read backwards, "colossal" -> "big"), inflected like w, and the
   model's own top choice when it is nearly certain (p >= ``top_prob``: a fixed expression). Known
   spinners' substitutions come as lemmas, uninflected. Only
   x that are one token of the model are scored. A candidate is kept when it is more probable
   than w at w's place, given the words before, by ``left_gap`` nats, and w itself is surprising
   there (at least ``min_surprisal`` nats: "the federal budget" is never flagged, whatever
   synonym the model prefers).
2. *Verification*: the best candidates (``max_variants``) are each put into the sentence and the
   swapped word and the ``window`` tokens after it are re-scored in one batched pass that reuses
   the keys and values of the words before, so the words *after* the swap count too ("heart"
   before "attack"). The gain is the change of that stretch's log-likelihood less
   ``prior`` times the change of the word's own log-frequency (wordfreq): a common word is not
   better merely for being common, news uses rare words on purpose. A swap is flagged when the
   gain exceeds ``gain`` (``thorough_gain`` when every sentence is scored: most sentences are
   clean, so the bar is higher than on the sentences the cheap detectors picked).
3. *Phrases*: with the flagged swaps applied, the words next to them are tried again, at the
   bar of a picked sentence (``gain``) ("bosom assault": once "heart" stands, "attack" is
   plain), and adjacent flags merge into one phrase with one suggestion.

Function words (prepositions) whose place the model fills, nearly surely, with another function
word ("grew in 7%" -> "by") are flagged with evidence ``translation``: literal calques of a
translation round trip. Thresholds were fitted on development articles
(``benchmarks/tortured_bench.py --model --articles dev``): gain 6 on picked sentences kept clean
development text at the flags of the detector without the model (0.77 per 2,000 words) with the
best F1; on every sentence, gain 12 was the lowest on the grid (4, 6, 8, 10, 12) under one flag per
2,000 words (10: 1.9, 6: 6.6); ``min_surprisal`` 7 costs no recall at those gains.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..analysis import Analyzed
from ..lexicon import FUNCTION_WORDS
from ..lm import LanguageModel
from ..lm.llama import Cache
from ..thesaurus import Thesaurus
from ..tokens import CONTENT, FUNCTION
from .statistical import inflect_like, match_case, word_zipf

LN10 = float(np.log(10.0))
_VOWEL = re.compile(r"[aeiouy]")
PREPOSITIONS = frozenset(
    "about above across after against along among around at before behind below beneath beside "
    "between beyond by despite down during except for from in inside into like near of off on "
    "onto out outside over past since through throughout to toward towards under until up upon "
    "with within without".split())


@dataclass(frozen=True, slots=True)
class ModelSettings:
    """The model detector's thresholds (nats); see the module docstring."""

    gain: float = 6.0  # on the sentences the cheap detectors picked
    thorough_gain: float = 12.0  # on every sentence (``--thorough``): a clean one is far likelier
    left_gap: float = 3.0
    prior: float = 0.5
    top_prob: float = 0.5
    function_prob: float = 0.5
    max_variants: int = 6
    min_surprisal: float = 7.0  # a word the model finds at most this surprising is left alone
    window: int = 5  # tokens after a swap that are re-scored with it


@dataclass(frozen=True, slots=True)
class ModelFinding:
    """Words ``first..last`` (token indices, inclusive) and their suggested replacement."""

    first: int
    last: int
    suggestion: str
    margin: float
    detail: str
    evidence: str  # "model" | "translation"


@dataclass(frozen=True, slots=True)
class _Seq:
    """A sentence as model tokens: ids (after the start token) and each word's token range."""

    ids: tuple[int, ...]
    words: dict[int, tuple[int, int]]  # unspin token index -> [a, b) positions in ids


@dataclass(frozen=True, slots=True)
class _Swap:
    word: int  # unspin token index
    new: str  # replacement surface form
    new_id: int
    left: float  # left-context advantage (nats); the verified gain once accepted
    evidence: str
    surprisal: float = 0.0  # of the word replaced, in nats


class ModelDetector:
    """Scores chosen sentences of a text with a language model; see the module docstring."""

    def __init__(self, lm: LanguageModel, thesaurus: Thesaurus, lemma: Callable[[str], str], *,
                 substitutions: Mapping[str, Iterable[str]] | None = None,
                 settings: ModelSettings | None = None, thorough: bool = False) -> None:
        self.lm = lm
        self.thorough = thorough
        self.thesaurus = thesaurus
        self.lemma = lemma
        self.subs = substitutions or {}
        self.settings = settings or ModelSettings()
        self._function_ids = self._ids_of(PREPOSITIONS)

    def _ids_of(self, words: frozenset[str]) -> dict[int, str]:
        out: dict[int, str] = {}
        for w in words:
            tid = self.lm.word_id(w)
            if tid is not None:
                out[tid] = w
        return out

    # -- per sentence -------------------------------------------------------------------------
    def find(self, doc: Analyzed, sentences: Sequence[int]) -> list[ModelFinding]:
        out: list[ModelFinding] = []
        for k in sentences:
            out += self._sentence(doc, k)
        return out

    def _encode(self, doc: Analyzed, k: int) -> _Seq | None:
        sent = doc.sentences[k]
        text = doc.text[sent.start : sent.end]
        enc = self.lm.encode(text)
        if not enc.ids or len(enc.ids) > 256:
            return None
        words: dict[int, tuple[int, int]] = {}
        toks = doc.tokens
        pos = 0
        for i in range(sent.first, sent.last):
            s, e = toks.starts[i] - sent.start, toks.ends[i] - sent.start
            while pos < len(enc.offsets) and enc.offsets[pos][1] <= s:
                pos += 1
            a = pos
            while pos < len(enc.offsets) and enc.offsets[pos][0] < e:
                pos += 1
            # a word is swappable when its tokens cover it exactly, the first with its space
            if a < pos and enc.offsets[a][0] == s - 1 and enc.offsets[pos - 1][1] == e \
                    and text[s - 1 : s] == " ":
                words[i] = (a, pos)
        return _Seq(enc.ids, words)

    def _sentence(self, doc: Analyzed, k: int) -> list[ModelFinding]:
        seq = self._encode(doc, k)
        if seq is None:
            return []
        base = np.array([self.lm.start, *seq.ids], dtype=np.int64)
        lp, cache = self.lm.scored(base[None, :])
        swaps = self._candidates(doc, seq, lp[0], set())
        st = self.settings
        accepted = self._verify(base, lp[0], cache, seq, swaps,
                                st.thorough_gain if self.thorough else st.gain)
        if accepted:  # the neighbours of each flagged swap, in the sentence with swaps applied
            near = {i + d for i in accepted for d in (-1, 1)} - set(accepted)
            ids2, seq2 = _apply(base, seq, accepted)
            lp2, cache2 = self.lm.scored(ids2[None, :])
            more = [s for s in self._candidates(doc, seq2, lp2[0], set(accepted)) if s.word in near]
            # a flagged swap makes its neighbours suspect: the bar of a picked sentence
            accepted.update(self._verify(ids2, lp2[0], cache2, seq2, more, st.gain))
        return _phrases(doc, accepted)

    def _candidates(self, doc: Analyzed, seq: _Seq, lp: np.ndarray, skip: set[int]) -> list[_Swap]:
        toks = doc.tokens
        st = self.settings
        out: list[_Swap] = []
        for i, (a, b) in seq.words.items():
            if i in skip:
                continue
            w = toks.lower[i]
            surface = doc.text[toks.starts[i] : toks.ends[i]]
            own = float(sum(lp[p, seq.ids[p]] for p in range(a, b)))  # lp[p] predicts ids[p]
            row = lp[a]
            if toks.classes[i] == FUNCTION and w in PREPOSITIONS:
                best = int(np.argmax(row))
                if best in self._function_ids and best != seq.ids[a] \
                        and row[best] >= np.log(st.function_prob) and -own >= st.min_surprisal:
                    out.append(_Swap(i, self._function_ids[best], best, float(row[best]) - own,
                                     "translation", -own))
                continue
            if toks.classes[i] != CONTENT or surface != w or not w.isalpha() or len(w) < 3 \
                    or not _VOWEL.search(w) or -own < st.min_surprisal:
                continue  # "pct", "dlrs": abbreviations, not words a spinner swaps
            best_swap: _Swap | None = None
            for x in self._neighbours(w, row):
                tid = self.lm.word_id(x)
                if tid is None or tid == seq.ids[a]:
                    continue
                left = float(row[tid]) - own
                if left >= st.left_gap and (best_swap is None or left > best_swap.left):
                    best_swap = _Swap(i, match_case(x, surface), tid, left, "model", -own)
            if best_swap is not None:
                out.append(best_swap)
        out.sort(key=lambda s: -s.left)
        return out[: st.max_variants]

    def _neighbours(self, w: str, row: np.ndarray) -> list[str]:
        lemma = self.lemma(w)
        out: list[str] = []
        for x in (*self.thesaurus.synonyms(w), *self.subs.get(lemma, ())):
            if "_" in x or " " in x or "-" in x or not x.isalpha():
                continue
            form = inflect_like(x, w, lemma) if x in self.thesaurus.synonyms(w) else x
            if form != w and self.lemma(form) != lemma and form not in out:
                out.append(form)
        top = int(np.argmax(row))
        if row[top] >= np.log(self.settings.top_prob):
            piece = self.lm.decode([top])
            x = piece.strip()
            if piece.startswith(" ") and x.isalpha() and x.islower() and x not in FUNCTION_WORDS \
                    and self.lemma(x) != lemma and self.thesaurus.base_forms(x):
                out.append(x)
        return out

    def _verify(self, base: np.ndarray, lp: np.ndarray, cache: Cache, seq: _Seq,
                swaps: list[_Swap], bar: float) -> dict[int, _Swap]:
        """The swaps whose sentence, scored over the swapped word and the ``window`` tokens after
        it (the words before are unchanged, their keys and values reused), gains ``gain``."""
        if not swaps:
            return {}
        win = self.settings.window
        rows, starts, spans = [], [], []
        for s in swaps:
            a, b = seq.words[s.word]  # positions in seq.ids; base[p + 1] is seq.ids[p]
            after = [int(t) for t in base[b + 1 : b + 1 + win]]
            rows.append([s.new_id, *after])
            starts.append(a + 1)
            spans.append((a, b, len(after)))
        width = max(len(r) for r in rows)
        batch = np.zeros((len(rows), width), dtype=np.int64)
        for r, row in enumerate(rows):
            batch[r, : len(row)] = row
        out = self.lm.extend(cache, batch, np.array(starts))
        accepted: dict[int, _Swap] = {}
        for r, s in enumerate(swaps):
            a, b, n_after = spans[r]
            new = float(lp[a, s.new_id]) + sum(float(out[r, t, rows[r][t + 1]]) for t in range(n_after))
            old = sum(float(lp[p, base[p + 1]]) for p in range(a, b + n_after))
            gain = new - old - self._prior(base, seq, s)
            if gain >= bar:
                accepted[s.word] = _Swap(s.word, s.new, s.new_id, gain, s.evidence, s.surprisal)
        return accepted

    def _prior(self, base: np.ndarray, seq: _Seq, s: _Swap) -> float:
        a, b = seq.words[s.word]
        old = self.lm.decode([int(t) for t in base[a + 1 : b + 1]]).strip().lower()
        return self.settings.prior * LN10 * (word_zipf(s.new.lower()) - word_zipf(old))


def _loglik(lp: np.ndarray, ids: np.ndarray) -> float:
    n = len(ids) - 1
    return float(lp[np.arange(n), ids[1 : n + 1]].sum())


def _apply(base: np.ndarray, seq: _Seq, swaps: Mapping[int, _Swap]) -> tuple[np.ndarray, _Seq]:
    """The ids with each swap's word replaced by its one token, and the shifted word ranges."""
    out = [int(base[0])]
    words: dict[int, tuple[int, int]] = {}
    starts = {a: (i, b) for i, (a, b) in seq.words.items()}
    p = 0
    while p < len(seq.ids):
        got = starts.get(p)
        if got is not None:
            i, b = got
            if i in swaps:
                words[i] = (len(out) - 1, len(out))
                out.append(swaps[i].new_id)
                p = b
                continue
            words[i] = (len(out) - 1, len(out) - 1 + b - p)
            out.extend(seq.ids[p:b])
            p = b
            continue
        out.append(seq.ids[p])
        p += 1
    return np.array(out, dtype=np.int64), _Seq(tuple(out[1:]), words)


def _phrases(doc: Analyzed, accepted: Mapping[int, _Swap]) -> list[ModelFinding]:
    """Adjacent flagged words as one phrase each, with one suggestion."""
    out: list[ModelFinding] = []
    toks = doc.tokens
    run: list[_Swap] = []
    for i in sorted(accepted):
        if run and i == run[-1].word + 1:
            run.append(accepted[i])
            continue
        if run:
            out.append(_finding(doc, run))
        run = [accepted[i]]
    if run:
        out.append(_finding(doc, run))
    del toks
    return out


def _finding(doc: Analyzed, run: list[_Swap]) -> ModelFinding:
    toks = doc.tokens
    first, last = run[0].word, run[-1].word
    parts: list[str] = []
    for k, s in enumerate(run):
        if k:
            parts.append(doc.text[toks.ends[s.word - 1] : toks.starts[s.word]])
        parts.append(s.new)
    old = doc.text[toks.starts[first] : toks.ends[last]]
    gain = min(s.left for s in run)
    surprisal = max(s.surprisal for s in run)
    evidence = "translation" if all(s.evidence == "translation" for s in run) else "model"
    return ModelFinding(first, last, "".join(parts), gain,
                        f"'{old}' -> '{''.join(parts)}': {gain:+.2f} nats likelier; "
                        f"surprisal {surprisal:.2f} nats", evidence)


__all__ = ["ModelDetector", "ModelSettings", "ModelFinding", "PREPOSITIONS"]
