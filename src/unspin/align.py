"""Text alignment: every maximal pair of reused passages between a suspect and a source.

The method follows the best PAN text-alignment systems (seed, extend, filter), adapted to spun
text:

1. *Seeding*: every suspect sentence is compared with the source sentences that share words with
   it. The similarity is a word alignment (Levenshtein opcodes over tokens): kept words count 1;
   a content word replaced in place by another content word counts as half a match (that is what
   a spinner does), a full match when the thesaurus calls them synonyms. Numbers must agree:
   another outlet's report of the same event repeats the names but rarely the whole sentence
   frame *and* the figures.
2. *Extension*: seeds that follow each other on both sides (allowing one skipped sentence on
   either side) merge into one passage, so a copy with dropped or inserted sentences is reported
   as few maximal passages rather than many fragments.
3. *Filtering*: passages shorter than ``min_passage_chars`` are dropped.

Each passage gets a kind (identical, minor, spun, paraphrase) and its substitutions, with offsets
into both texts as given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import Levenshtein

from .analysis import Analyzed
from .lexicon import FUNCTION_WORDS
from .thesaurus import Thesaurus
from .tokens import CONTENT, FUNCTION, NAME, NUMBER

SEED_THRESHOLD = 0.5
SEQUENCE_FLOOR = 0.3  # least similarity of a pair inside an in-order run
MIN_SEQUENCE = 3  # near-consecutive in-order pairs that make a stretch
SEQUENCE_SHARE = 0.5  # share of the suspect's sentences such stretches must cover
CLEAR_MATCH = 0.9  # a pair this similar is the sentence's match: no need to try others
SEMANTIC_FLOOR = 0.85  # sentence-vector cosine from which meaning alone can seed a passage
FILL_THRESHOLD = 0.3


def _anchor_sets(words: list[str], classes: list[int]) -> tuple[frozenset[str], frozenset[str]]:
    """(names, numbers) of a sentence."""
    return (frozenset(w for w, c in zip(words, classes, strict=True) if c == NAME),
            frozenset(w for w, c in zip(words, classes, strict=True) if c == NUMBER))


def _agreement(a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]
               ) -> float:
    """How far two sentences' facts agree: 1 when they share their names and numbers (or have
    none), lower as they differ; 0 when both give numbers and none is shared."""
    names_a, nums_a = a
    names_b, nums_b = b
    factor = 1.0
    if nums_a and nums_b:
        factor *= len(nums_a & nums_b) / len(nums_a | nums_b)
    elif nums_a or nums_b:
        factor *= 0.75
    if names_a and names_b and not names_a & names_b:
        factor *= 0.5
    return factor


def _anchors_agree(wa: list[str], ca: list[int], wb: list[str], cb: list[int]) -> bool:
    """Whether two sentences share most of the names and numbers of the one with fewer."""
    a = {w for w, c in zip(wa, ca, strict=True) if c in (NAME, NUMBER)}
    b = {w for w, c in zip(wb, cb, strict=True) if c in (NAME, NUMBER)}
    if not a or not b:
        return not a and not b
    return len(a & b) >= 0.5 * min(len(a), len(b))


def sureness(similarity: float) -> float:
    """How surely a sentence pair with this similarity is a reuse, in [0, 1].

    Independent reports of the same event produce sentence pairs around 0.45-0.6 (shared names,
    figures and phrasing of the facts); copies, even with 70% of the content words spun, stay
    above 0.7. A pair counts nothing at 0.5 and fully from 0.8 on.
    """
    return min(1.0, max(0.0, (similarity - 0.5) / 0.3))


def _word_swap(sub: Substitution) -> bool:
    a, b = sub.source.lower().split(), sub.suspect.lower().split()
    return (0 < len(a) <= 3 and 0 < len(b) <= 3
            and any(w not in FUNCTION_WORDS for w in a) and any(w not in FUNCTION_WORDS for w in b))


def _shared_run(op) -> bool:
    """Two or more words both sides share: context a rebuilt sentence rarely keeps by accident."""
    return op.tag == "equal" and op.src_end - op.src_start >= 2


def sequence_sureness(similarity: float) -> float:
    """Sureness of a sentence pair inside a long run of in-order pairs (see ``Aligner._sequence``).

    A paraphraser rebuilds every sentence but keeps the facts in their order; an independent
    report neither matches sentence for sentence nor in order. When stretches of at least
    ``MIN_SEQUENCE`` near-consecutive pairs cover ``SEQUENCE_SHARE`` of the suspect, a pair in them
    counts from similarity 0.3 and fully from 0.7.
    """
    return min(1.0, max(0.0, (similarity - SEQUENCE_FLOOR) / 0.4))


@dataclass(frozen=True, slots=True)
class Substitution:
    source: str
    suspect: str
    source_at: tuple[int, int]
    suspect_at: tuple[int, int]
    run: int = -1  # word swaps replaced together as one run of words share a run number


@dataclass(frozen=True, slots=True)
class Passage:
    """A pair of aligned ranges (offsets into the texts as given)."""

    suspect: tuple[int, int]
    source: tuple[int, int]
    kind: str
    similarity: float
    sentences: int
    substitutions: tuple[Substitution, ...] = field(default=())
    evidence: float = 0.0  # suspect tokens, each weighted by how surely its sentence is reused


@dataclass(frozen=True, slots=True)
class _Seed:
    i: int  # suspect sentence
    j: int  # source sentence
    score: float
    in_sequence: bool = False  # part of a long in-order run found with sentence vectors


def _sentence_tokens(doc: Analyzed, k: int) -> tuple[list[str], list[int]]:
    s = doc.sentences[k]
    return list(doc.tokens.lower[s.first : s.last]), list(doc.tokens.classes[s.first : s.last])


class Aligner:
    """Aligns one suspect with candidate sources; caches the suspect's per-sentence data."""

    def __init__(self, suspect: Analyzed, thesaurus: Thesaurus, *, min_passage_chars: int = 40,
                 seed_threshold: float = SEED_THRESHOLD,
                 embed: Callable[[Analyzed], np.ndarray | None] | None = None) -> None:
        self.suspect = suspect
        self.embed = embed
        self.vectors = embed(suspect) if embed is not None else None
        self.thesaurus = thesaurus
        self.min_passage_chars = min_passage_chars
        self.seed_threshold = seed_threshold
        self._s_sent = [_sentence_tokens(suspect, k) for k in range(len(suspect.sentences))]
        self._s_strong = [{w for w, c in zip(words, classes, strict=True) if c != FUNCTION}
                          for words, classes in self._s_sent]
        self._related: dict[tuple[str, str], bool] = {}
        self._runs = 0  # numbers the multi-word runs of word swaps (``Substitution.run``)

    # -- similarity -------------------------------------------------------------------------
    def _synonyms(self, a: str, b: str) -> bool:
        key = (a, b) if a < b else (b, a)
        got = self._related.get(key)
        if got is None:
            got = self.thesaurus.related(a, b)
            self._related[key] = got
        return got

    def similarity(self, a: tuple[list[str], list[int]], b: tuple[list[str], list[int]],
                   cosine: float | None = None) -> float:
        """Similarity of two sentences in [0, 1], robust to in-place word substitution.

        With ``cosine`` (of their sentence vectors), a sentence rebuilt around the same meaning
        also scores: 0.5 at cosine 0.85, 0.8 at 0.95, if the two share their names and numbers
        (another outlet's report of the same event is close in meaning too: the facts decide).
        Numbers must agree either way.
        """
        wa, ca = a
        wb, cb = b
        if not wa or not wb:
            return 0.0
        matched = 0.0
        for op in Levenshtein.opcodes(wa, wb):
            if op.tag == "equal":
                matched += op.src_end - op.src_start
            elif op.tag == "replace":
                for x, y in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end),
                                strict=False):
                    if ca[x] == CONTENT and cb[y] == CONTENT:
                        matched += 1.0 if self._synonyms(wa[x], wb[y]) else 0.5
                    elif ca[x] == NAME and cb[y] in (NAME, CONTENT) and wa[x][:4] == wb[y][:4]:
                        matched += 0.5
        score = 2.0 * matched / (len(wa) + len(wb))
        shorter = min(len(wa), len(wb))
        if shorter >= 8 and max(len(wa), len(wb)) >= 1.6 * shorter:
            # one sentence split in two (or two merged into one): the shorter is contained
            score = max(score, 0.8 * matched / shorter)
        if cosine is not None and cosine >= SEMANTIC_FLOOR and _anchors_agree(wa, ca, wb, cb):
            score = max(score, min(1.0, 0.5 + (cosine - SEMANTIC_FLOOR) * 3.0))
        nums_a = {w for w, c in zip(wa, ca, strict=True) if c == NUMBER}
        nums_b = {w for w, c in zip(wb, cb, strict=True) if c == NUMBER}
        if nums_a and nums_b:
            score *= len(nums_a & nums_b) / len(nums_a | nums_b)
        elif nums_a or nums_b:
            score *= 0.75
        return score

    # -- seeding ----------------------------------------------------------------------------
    def _seeds(self, source: Analyzed) -> list[_Seed]:
        """For each suspect sentence, its best source sentence, if similar enough."""
        t_sent = [_sentence_tokens(source, k) for k in range(len(source.sentences))]
        postings: dict[str, list[int]] = defaultdict(list)
        for j, (words, classes) in enumerate(t_sent):
            for w in set(w for w, c in zip(words, classes, strict=True) if c != FUNCTION):
                postings[w].append(j)
        seeds: list[_Seed] = []
        lex_best: dict[tuple[int, int], float] = {}
        cos = self._cosines(source)
        for i, strong in enumerate(self._s_strong):
            if not strong:
                continue
            overlap: dict[int, int] = defaultdict(int)
            for w in strong:
                for j in postings.get(w, ()):
                    overlap[j] += 1
            need = max(1, min(3, len(strong) // 4))
            pairs = [j for j, count in sorted(overlap.items(), key=lambda kv: -kv[1])[:4]
                     if count >= need]
            if cos is not None:
                j = int(np.argmax(cos[i]))
                if cos[i, j] >= SEMANTIC_FLOOR and j not in pairs:
                    pairs.append(j)
            best: _Seed | None = None
            for j in pairs:
                c = float(cos[i, j]) if cos is not None else None
                score = self.similarity(self._s_sent[i], t_sent[j], c)
                if best is None or score > best.score:
                    best = _Seed(i, j, score)
                    if score >= CLEAR_MATCH:  # pairs are tried most-shared-words first
                        break
            if best is not None and best.score >= self.seed_threshold:
                seeds.append(best)
            if best is not None and cos is not None:
                lex_best[(best.i, best.j)] = best.score
        if cos is not None:
            run = self._dense(self._sequence(source, t_sent, cos, lex_best))
            if len(run) >= SEQUENCE_SHARE * len(self._s_sent):
                in_run = {x.i for x in run}
                seeds = sorted(run + [x for x in seeds if x.i not in in_run], key=lambda x: x.i)
        return seeds

    @staticmethod
    def _dense(run: list[_Seed]) -> list[_Seed]:
        """The pairs of a run that lie in stretches of ``MIN_SEQUENCE`` or more near-consecutive
        pairs (at most one sentence skipped on either side between neighbours)."""
        out: list[_Seed] = []
        stretch: list[_Seed] = []
        for seed in run:
            if stretch and (seed.i - stretch[-1].i > 2 or seed.j - stretch[-1].j > 2):
                out.extend(stretch if len(stretch) >= MIN_SEQUENCE else [])
                stretch = []
            stretch.append(seed)
        out.extend(stretch if len(stretch) >= MIN_SEQUENCE else [])
        return out

    def _sequence(self, source: Analyzed, t_sent: list[tuple[list[str], list[int]]],
                  cos: np.ndarray, lex: dict[tuple[int, int], float]) -> list[_Seed]:
        """The best in-order run of sentence pairs, from meaning and words together.

        Each pair scores the higher of its word similarity (where computed) and its meaning,
        ``0.8 * (cosine - 0.55) / 0.35``, the latter only when names and numbers agree. A weighted
        longest-common-subsequence over the pairs scoring at least ``SEQUENCE_FLOOR`` picks the run.
        """
        n, m = cos.shape
        sem = np.clip((cos - 0.55) / 0.35, 0.0, 1.0) * 0.8
        s_anchor = [_anchor_sets(w, c) for w, c in self._s_sent]
        t_anchor = [_anchor_sets(w, c) for w, c in t_sent]
        score = np.zeros((n, m))
        for i in range(n):
            for j in np.flatnonzero(sem[i] >= SEQUENCE_FLOOR).tolist():
                score[i, j] = sem[i, j] * _agreement(s_anchor[i], t_anchor[j])
        for (i, j), value in lex.items():
            score[i, j] = max(score[i, j], value)
        gain = np.where(score >= SEQUENCE_FLOOR, score - SEQUENCE_FLOOR + 0.05, 0.0)
        best = np.zeros((n + 1, m + 1))
        for i in range(n):
            row, prev = best[i + 1], best[i]
            for j in range(m):
                row[j + 1] = max(prev[j + 1], row[j], prev[j] + gain[i, j] if gain[i, j] else 0.0)
        run: list[_Seed] = []
        i, j = n, m
        while i > 0 and j > 0:
            if best[i, j] == best[i - 1, j]:
                i -= 1
            elif best[i, j] == best[i, j - 1]:
                j -= 1
            else:
                run.append(_Seed(i - 1, j - 1, float(score[i - 1, j - 1]), in_sequence=True))
                i, j = i - 1, j - 1
        return run[::-1]

    def _cosines(self, source: Analyzed) -> np.ndarray | None:
        """Suspect x source sentence cosines, when sentence vectors are available."""
        if self.vectors is None or self.embed is None or not source.sentences:
            return None
        t = self.embed(source)
        if t is None or len(t) != len(source.sentences) or len(self.vectors) != len(self._s_sent):
            return None
        return self.vectors @ t.T

    # -- extension --------------------------------------------------------------------------
    @staticmethod
    def _chains(seeds: list[_Seed]) -> list[list[_Seed]]:
        chains: list[list[_Seed]] = []
        for seed in sorted(seeds, key=lambda s: (s.i, s.j)):
            for chain in chains:
                last = chain[-1]
                # j may repeat: a source sentence split into two suspect sentences
                if 1 <= seed.i - last.i <= 2 and 0 <= seed.j - last.j <= 2:
                    chain.append(seed)
                    break
            else:
                chains.append([seed])
        return chains

    # -- passages ---------------------------------------------------------------------------
    def align(self, source: Analyzed) -> list[Passage]:
        """Every maximal reused passage between the suspect and ``source``."""
        seeds = self._seeds(source)
        passages = []
        for chain in self._chains(seeds):
            p = self._passage(source, chain)
            if p is not None:
                passages.append(p)
        return sorted(passages, key=lambda p: p.suspect)

    def _passage(self, source: Analyzed, chain: list[_Seed]) -> Passage | None:
        sus, src = self.suspect, source
        s0, s1 = sus.sentences[chain[0].i], sus.sentences[chain[-1].i]
        t0, t1 = src.sentences[chain[0].j], src.sentences[chain[-1].j]
        s_span = sus.to_original(s0.start, s1.end)
        t_span = src.to_original(t0.start, t1.end)
        if s_span[1] - s_span[0] < self.min_passage_chars:
            return None
        found: list[tuple[Substitution, bool]] = []
        counts = [0, 0, 0, 0]  # equal, replaced one-to-one, changed, longest side
        for seed in chain:
            a, b = sus.sentences[seed.i], src.sentences[seed.j]
            found.extend(self._diff(source, (a.first, a.last), (b.first, b.last), counts))
        subs = [x for x, _ in found]
        equal, one_to_one, changed, total = counts
        if changed == 0:
            same = all(
                sus.text[sus.sentences[x.i].start : sus.sentences[x.i].end]
                == src.text[src.sentences[x.j].start : src.sentences[x.j].end]
                for x in chain
            )
            kind = "identical" if same else "minor"
        elif equal / max(total, 1) >= 0.9:
            kind = "minor"
        elif sum(x.score for x in chain) / len(chain) < 0.6:
            kind = "paraphrase"  # sentences rebuilt: only meaning and order tie them
        elif one_to_one >= 0.6 * changed and equal / max(total, 1) >= 0.3:
            kind = "spun"
        else:
            kind = "paraphrase"
        if kind == "paraphrase":
            # a rebuilt sentence aligns word by word only by accident: keep the word swaps (a short
            # content phrase for another) made in place, inside runs of words both sides share,
            # or between thesaurus neighbours; not the alignment's noise ("current" -> "president")
            subs = [x for x, in_place in found if _word_swap(x) and (
                in_place or self._synonyms(x.source.lower(), x.suspect.lower()))]
        score = sum(x.score for x in chain) / len(chain)
        evidence = sum(
            (sus.sentences[x.i].last - sus.sentences[x.i].first)
            * (sequence_sureness(x.score) if x.in_sequence else sureness(x.score))
            for x in chain
        )
        return Passage(s_span, t_span, kind, round(score, 4), len(chain), tuple(subs),
                       round(evidence, 2))

    def _diff(self, source: Analyzed, s_rng: tuple[int, int], t_rng: tuple[int, int],
              counts: list[int]) -> list[tuple[Substitution, bool]]:
        """Substitutions between two token ranges, each with whether it was made in place (two or
        more shared words on each side of it); adds to ``counts`` (see ``_passage``)."""
        wa = self.suspect.tokens.lower[s_rng[0] : s_rng[1]]
        wb = source.tokens.lower[t_rng[0] : t_rng[1]]
        subs: list[tuple[Substitution, bool]] = []
        counts[3] += max(len(wa), len(wb))
        ops = list(Levenshtein.opcodes(list(wa), list(wb)))
        for k, op in enumerate(ops):
            a0, a1 = s_rng[0] + op.src_start, s_rng[0] + op.src_end
            b0, b1 = t_rng[0] + op.dest_start, t_rng[0] + op.dest_end
            if op.tag == "equal":
                counts[0] += a1 - a0
                continue
            counts[2] += max(a1 - a0, b1 - b0)
            if op.tag != "replace":
                continue
            in_place = (0 < k < len(ops) - 1 and _shared_run(ops[k - 1]) and _shared_run(ops[k + 1]))
            if a1 - a0 == b1 - b0:
                counts[1] += a1 - a0
                run = -1
                if a1 - a0 > 1:
                    self._runs += 1
                    run = self._runs
                for x, y in zip(range(a0, a1), range(b0, b1), strict=True):
                    subs.append((self._substitution(source, (x, x + 1), (y, y + 1), run), in_place))
            else:
                subs.append((self._substitution(source, (a0, a1), (b0, b1)), in_place))
        return subs

    def _substitution(self, source: Analyzed, a: tuple[int, int], b: tuple[int, int],
                      run: int = -1) -> Substitution:
        sus, src = self.suspect, source
        sa = sus.to_original(sus.tokens.starts[a[0]], sus.tokens.ends[a[1] - 1])
        tb = src.to_original(src.tokens.starts[b[0]], src.tokens.ends[b[1] - 1])
        return Substitution(
            source=src.original[tb[0] : tb[1]],
            suspect=sus.original[sa[0] : sa[1]],
            source_at=tb,
            suspect_at=sa,
            run=run,
        )


__all__ = ["Aligner", "Passage", "Substitution"]
