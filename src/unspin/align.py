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

Each passage gets a kind (identical, minor, spun, paraphrase: ``passage_kind``), its changes from
each sentence pair's edit script (``edits``: replaced, inserted, deleted runs; a deleted run that
reappears elsewhere is one ``moved`` change) and, apart, its variants (``variants``: spelling,
typography, case, number format), with offsets into both texts as given.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import Levenshtein

from .analysis import Analyzed
from .edits import Op, Script, Side, edit_script
from .lexicon import FUNCTION_WORDS
from .thesaurus import Thesaurus
from .tokens import CONTENT, FUNCTION, NAME, NUMBER
from .variants import key, phrase_key

SEED_THRESHOLD = 0.5
SEQUENCE_FLOOR = 0.3  # least similarity of a pair inside an in-order run
MIN_SEQUENCE = 3  # near-consecutive in-order pairs that make a stretch
SEQUENCE_SHARE = 0.5  # share of the suspect's sentences such stretches must cover
CLEAR_MATCH = 0.9  # a pair this similar is the sentence's match: no need to try others
SEMANTIC_FLOOR = 0.85  # sentence-vector cosine from which meaning alone can seed a passage
FILL_THRESHOLD = 0.3
LIGHT_SHARE = 0.1  # a passage whose changes touch at most this share of its words is "minor"
SPUN_SWAPS = 0.5  # share of changed words in in-place short swaps from which a passage is "spun"
SPUN_KEPT = 0.3  # least share of kept words of a spun passage
PARAPHRASE_RUN = 4  # longest side of a change listed in a paraphrase passage
TRUSTED_PAIR = 0.6  # a pair keeping this share of its words lists all its changes; others only anchored ones
REBUILT_SHARE = 0.3  # share of rebuilt sentence pairs from which a passage is a paraphrase
SPUN_MIN_SHARE = 0.02  # share of the words the pairs not rebuilt must swap to be read alone
FEW_SWAPS_SHARE = 0.8  # share of a few changed words replaced in place (none added or dropped) for "spun"
FEW_SWAPS_WORDS = 3  # least words in short swaps for a few changes to make a passage "spun"
FEW_SWAPS_MIN_SHARE = 0.01  # ... and least share of the passage's words they must make up
REWRITTEN_KEPT = 0.5  # a rebuilt pair sharing under this share of its smaller side's content words was rewritten
IN_PLACE_MIN_SWAPS = 2  # least words swapped in the pairs not rebuilt for them alone to be read
REORDERED_WORDS = 2  # content words out of order from which a sentence pair is rebuilt
MERGED_SHARE = 0.4  # share of a neighbouring source sentence's content words that marks a merge
MERGED_MIN_WORDS = 3  # content words a neighbouring source sentence needs to count as merged in


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
    """One change of a passage (``kind``: replaced, inserted, deleted, moved; see ``edits``), or,
    in ``Passage.variants``, one difference that is not a change (``kind`` variant, ``variant``
    names it: case, typography, spelling, number, characters). An inserted run has an empty
    source range at the point it went in; a deleted run an empty suspect range."""

    source: str
    suspect: str
    source_at: tuple[int, int]
    suspect_at: tuple[int, int]
    run: int = -1  # kept for readers of older results: every run is now one substitution
    kind: str = "replaced"
    variant: str = ""


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
    variants: tuple[Substitution, ...] = field(default=())  # differences that are not changes
    # each aligned sentence pair, in suspect order: (suspect offset, source offset, similarity) of
    # the two sentences' starts (``labels.reordered`` reads the copy's order on them)
    pairs: tuple[tuple[int, int, float], ...] = field(default=())


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
        self._s_sides: dict[int, Side] = {}

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
            pairs = [j for j, count in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
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
        scripts = [(seed, self._script(source, seed)) for seed in chain]
        found: list[tuple[_Seed, Op, Substitution]] = []
        variants: list[Substitution] = []
        for seed, script in scripts:
            for op in script.ops:
                sub = self._substitution(source, seed, op)
                if op.kind == "variant":
                    variants.append(sub)
                else:
                    found.append((seed, op, sub))
        rebuilt = _rebuilt_pairs(scripts, _merged(sus, src, chain))
        in_place = [x for n, (_, x) in enumerate(scripts) if n not in rebuilt]
        shape = Shape(
            equal=sum(x.equal for _, x in scripts), changed=sum(x.changed for _, x in scripts),
            swapped=sum(x.swapped for _, x in scripts),
            words=max(sum(x.longest for _, x in scripts), 1),
            pairs=len(chain), rebuilt=len(rebuilt),
            score=sum(x.score for x in chain) / len(chain),
            changed_in_place=sum(x.changed for x in in_place),
            swapped_in_place=sum(x.swapped for x in in_place),
            words_in_place=sum(x.longest for x in in_place),
            replaced=sum(x.replaced for _, x in scripts),
            replaced_in_place=sum(x.replaced for x in in_place),
            rewritten=sum(_rewritten(sus, src, seed, x) for n, (seed, x) in enumerate(scripts)
                          if n in rebuilt))
        kind = passage_kind(shape)
        kept = {seed.i: kind != "paraphrase" or script.equal >= TRUSTED_PAIR * script.longest
                for seed, script in scripts}
        subs = [sub for seed, op, sub in found
                if kept[seed.i] or self._kept_in_paraphrase(op, sub)]
        evidence = sum(
            (sus.sentences[x.i].last - sus.sentences[x.i].first)
            * (sequence_sureness(x.score) if x.in_sequence else sureness(x.score))
            for x in chain
        )
        pairs = tuple((sus.to_original(sus.sentences[x.i].start, sus.sentences[x.i].end)[0],
                       src.to_original(src.sentences[x.j].start, src.sentences[x.j].end)[0],
                       round(x.score, 4)) for x in chain)
        return Passage(s_span, t_span, kind, round(shape.score, 4), len(chain), tuple(moved(subs)),
                       round(evidence, 2), tuple(variants), pairs)

    def _kept_in_paraphrase(self, op: Op, sub: Substitution) -> bool:
        """In a paraphrase passage's rebuilt sentence (a pair keeping less than ``TRUSTED_PAIR`` of its
        words; other passages, and pairs keeping more, list every change) the word alignment is
        right only in places: keep the changes of
        at most ``PARAPHRASE_RUN`` words a side, holding a content word, made in place between two
        or more shared words on each side and holding no word the other sentence has elsewhere
        (``Op.anchored``), and word swaps between thesaurus neighbours; not the alignment's
        noise ("current" -> "president")."""
        if op.a[1] - op.a[0] > PARAPHRASE_RUN or op.b[1] - op.b[0] > PARAPHRASE_RUN:
            return False
        if op.kind == "replaced" and self._synonyms(sub.source.lower(), sub.suspect.lower()):
            return True
        words = [*sub.source.lower().split(), *sub.suspect.lower().split()]
        return op.anchored and any(w not in FUNCTION_WORDS for w in words)

    def _side(self, doc: Analyzed, k: int) -> Side:
        s = doc.sentences[k]
        starts, ends = doc.tokens.starts[s.first : s.last], doc.tokens.ends[s.first : s.last]
        surfaces = []
        for a, b in zip(starts, ends, strict=True):
            oa, ob = doc.to_original(a, b)
            surfaces.append(doc.original[oa:ob])
        edges = [s.start, *ends]
        gaps = [doc.text[e:a] for e, a in zip(edges, [*starts, s.end], strict=True)]
        return Side(doc.tokens.lower[s.first : s.last], doc.tokens.classes[s.first : s.last],
                    tuple(surfaces), tuple(gaps))

    def _script(self, source: Analyzed, seed: _Seed) -> Script:
        if seed.i not in self._s_sides:
            self._s_sides[seed.i] = self._side(self.suspect, seed.i)
        return edit_script(self._s_sides[seed.i], self._side(source, seed.j))

    def _substitution(self, source: Analyzed, seed: _Seed, op: Op) -> Substitution:
        a = self._span(self.suspect, self.suspect.sentences[seed.i].first, op.a)
        b = self._span(source, source.sentences[seed.j].first, op.b)
        return Substitution(source=source.original[b[0] : b[1]],
                            suspect=self.suspect.original[a[0] : a[1]],
                            source_at=b, suspect_at=a, kind=op.kind, variant=op.variant)

    @staticmethod
    def _span(doc: Analyzed, first: int, r: tuple[int, int]) -> tuple[int, int]:
        """Original offsets of tokens ``first + r``; an empty range at the point of an empty one
        (just after the token before it, or at the sentence's first token)."""
        toks = doc.tokens
        if r[1] > r[0]:
            return doc.to_original(toks.starts[first + r[0]], toks.ends[first + r[1] - 1])
        if r[0] > 0:
            at = doc.to_original(toks.starts[first + r[0] - 1], toks.ends[first + r[0] - 1])[1]
        elif first + r[0] < len(toks):
            at = doc.to_original(toks.starts[first + r[0]], toks.ends[first + r[0]])[0]
        else:
            at = len(doc.original)
        return at, at


@dataclass(frozen=True, slots=True)
class Shape:
    """What a passage's edit scripts add up to (word counts, the longer side of each change)."""

    equal: int  # words kept
    changed: int  # words changed
    swapped: int  # words in in-place swaps of one to three words a side
    words: int  # the longer sentence of each pair, summed
    pairs: int  # sentence pairs
    rebuilt: int  # pairs rebuilt: a clause moved, a sentence split, or loosely similar
    score: float  # mean similarity of the pairs
    changed_in_place: int = -1  # words changed in the pairs not rebuilt (-1: as ``changed``)
    swapped_in_place: int = -1  # words swapped in the pairs not rebuilt (-1: as ``swapped``)
    words_in_place: int = -1  # words of the pairs not rebuilt (-1: as ``words``)
    replaced: int = -1  # words in replaced runs of any length, next to kept words (-1: unknown)
    replaced_in_place: int = -1  # the same in the pairs not rebuilt (-1: as ``replaced``)
    rewritten: int = 0  # words of the rebuilt pairs rewritten, not moved, split or merged


def _rebuilt_pairs(scripts: list[tuple[_Seed, Script]], merged: set[int]) -> set[int]:
    """The positions of the sentence pairs rebuilt: loosely similar (under 0.6); sharing their
    source sentence with the pair before (a sentence split in two); standing for two source
    sentences (``_merged``); or holding a moved run or ``REORDERED_WORDS`` content words out of
    order (``Script.reordered``: a clause or an attribution moved, constituents reordered)."""
    out: set[int] = set()
    for n, (seed, script) in enumerate(scripts):
        split = n > 0 and scripts[n - 1][0].j == seed.j
        moved_run = any(op.kind == "moved" for op in script.ops)
        if (seed.score < 0.6 or split or seed.i in merged or moved_run
                or script.reordered >= REORDERED_WORDS):
            out.add(n)
    return out


def _rewritten(sus: Analyzed, src: Analyzed, seed: _Seed, script: Script) -> int:
    """The words of a rebuilt pair (its longer side) when it was rewritten: its two sentences share
    under ``REWRITTEN_KEPT`` of the content words of the smaller one (a moved clause, a split or a
    merge keeps them all); 0 otherwise."""
    mine, own = _content_keys(sus, seed.i), _content_keys(src, seed.j)
    smaller = min(sum(mine.values()), sum(own.values()))
    shared = sum((mine & own).values())
    return script.longest if smaller and shared < REWRITTEN_KEPT * smaller else 0


def _content_keys(doc: Analyzed, k: int) -> Counter[str]:
    words, classes = _sentence_tokens(doc, k)
    return Counter(key(w) for w, c in zip(words, classes, strict=True) if c != FUNCTION)


def _merged(sus: Analyzed, src: Analyzed, chain: list[_Seed]) -> set[int]:
    """Suspect sentences of pairs where one side stands for two sentences of the other: a suspect
    sentence that holds ``MERGED_SHARE`` of the content words of a neighbouring source sentence
    (two merged into one), or whose source sentence holds that share of a neighbouring suspect
    sentence's (one split in two); counted only when the neighbour was aligned with no other
    sentence of the passage and its words are not explained by the pair itself."""
    out: set[int] = set()
    for x in chain:
        mine, own = _content_keys(sus, x.i), _content_keys(src, x.j)
        merged = [nb for nb in (x.j - 1, x.j + 1) if 0 <= nb < len(src.sentences)
                  and all(y.j != nb or y.i == x.i for y in chain)]
        split = [nb for nb in (x.i - 1, x.i + 1) if 0 <= nb < len(sus.sentences)
                 and all(y.i != nb or y.j == x.j for y in chain)]
        if any(_holds(mine, own, _content_keys(src, nb)) for nb in merged) or any(
                _holds(own, mine, _content_keys(sus, nb)) for nb in split):
            out.add(x.i)
    return out


def _holds(whole: Counter[str], part: Counter[str], neighbour: Counter[str]) -> bool:
    """Whether ``whole`` holds, beyond what ``part`` explains, ``MERGED_SHARE`` of the content
    words of ``neighbour`` (which has ``MERGED_MIN_WORDS`` or more)."""
    total = sum(neighbour.values())
    if total < MERGED_MIN_WORDS:
        return False
    found = sum(min(n, max(0, whole[w] - part[w])) for w, n in neighbour.items())
    return found >= MERGED_SHARE * total


def few_changes(shape: Shape) -> bool:
    """Whether changes touch at most ``LIGHT_SHARE`` of the words: of the whole passage, or, when
    some pairs were rebuilt (too few for a paraphrase), of the pairs not rebuilt: a sentence split
    in two or two merged in an otherwise unchanged copy is a light edit. A rebuilt pair rewritten
    (``Shape.rewritten``: it shares under ``REWRITTEN_KEPT`` of its content words) counts as wholly
    changed there: two of eight sentences rewritten from scratch are no light edit."""
    if shape.changed <= LIGHT_SHARE * shape.words:
        return True
    return shape.rebuilt > 0 and shape.words_in_place > 0 and (
        shape.changed_in_place + shape.rewritten
        <= LIGHT_SHARE * (shape.words_in_place + shape.rewritten))


def passage_kind(shape: Shape) -> str:
    """A passage's kind from its edit scripts (``README``: Evidence).

    ``identical``: no change once variants are set aside; ``paraphrase``: at least
    ``REBUILT_SHARE`` of its sentence pairs rebuilt, or mean similarity under 0.6; ``minor``: changes
    touch at most ``LIGHT_SHARE`` of the words (of the pairs not rebuilt, when some are:
    ``few_changes``) and are not nearly all words replaced in place (``FEW_SWAPS_SHARE`` of the
    changed words, with ``FEW_SWAPS_WORDS`` words or more in short swaps, and at least
    ``FEW_SWAPS_MIN_SHARE`` of the passage's words: a spinner only replaces
    words, a light edit also adds and drops them; ``spun`` if they are); ``spun``: most changed
    words (``SPUN_SWAPS``) in swaps of short phrases and at least ``SPUN_KEPT`` of the words kept;
    ``paraphrase`` otherwise. Whether the
    changes are mostly swaps is read on the pairs not rebuilt when their swaps reach
    ``IN_PLACE_MIN_SWAPS`` words and ``SPUN_MIN_SHARE`` of the passage's words (on the whole
    passage otherwise): in a spun copy with one sentence's attribution moved, that sentence's words
    are not swaps, but too few pairs were rebuilt for a paraphrase, and the swaps elsewhere say
    what was done; one swapped word elsewhere says nothing of the kind.
    """
    if shape.changed == 0:
        return "identical"
    if shape.score < 0.6 or shape.rebuilt >= REBUILT_SHARE * shape.pairs:
        return "paraphrase"
    # too few pairs rebuilt to make a paraphrase: the pairs rewritten in place say whether the
    # changes are mostly swaps (a moved attribution's words are no swaps, and must not outvote them)
    # they are read only when their swaps are enough to say it (``IN_PLACE_MIN_SWAPS`` words and
    # ``SPUN_MIN_SHARE`` of the passage's): one swapped word must not turn a paraphrase "spun"
    changed, swapped = shape.changed, shape.swapped
    if shape.changed_in_place >= 0 and shape.swapped_in_place >= max(
            IN_PLACE_MIN_SWAPS, SPUN_MIN_SHARE * shape.words):
        changed, swapped = shape.changed_in_place, shape.swapped_in_place
    mostly_swaps = swapped >= SPUN_SWAPS * changed if changed else shape.swapped >= (
        SPUN_SWAPS * shape.changed)
    # a few changes: a spinner only replaces words in place, a light edit also adds and drops them
    if few_changes(shape):
        # read on the pairs not rebuilt when only they are few (a merged sentence adds words)
        whole = shape.changed <= LIGHT_SHARE * shape.words or shape.replaced_in_place < 0
        few, replaced = ((shape.changed, shape.replaced) if whole
                         else (shape.changed_in_place, shape.replaced_in_place))
        return "spun" if (max(replaced, swapped) >= FEW_SWAPS_SHARE * few
                          and swapped >= max(FEW_SWAPS_WORDS, FEW_SWAPS_MIN_SHARE * shape.words)
                          ) else "minor"
    if mostly_swaps and shape.equal >= SPUN_KEPT * shape.words:
        return "spun"
    return "paraphrase"


def moved(subs: list[Substitution]) -> list[Substitution]:
    """Subs with each deleted run that reappears word for word as an inserted run elsewhere (two
    words or more) reported once, as ``moved`` (source offsets where it was, suspect offsets where
    it is)."""
    inserted = {i: phrase_key(s.suspect.lower().split()) for i, s in enumerate(subs)
                if s.kind == "inserted" and len(s.suspect.split()) >= 2}
    out: list[Substitution] = []
    used: set[int] = set()
    for s in subs:
        if s.kind != "deleted" or len(s.source.split()) < 2:
            continue
        k = phrase_key(s.source.lower().split())
        hit = next((i for i, v in inserted.items() if v == k and i not in used), None)
        if hit is not None:
            used.add(hit)
            out.append(Substitution(s.source, subs[hit].suspect, s.source_at, subs[hit].suspect_at,
                                    kind="moved"))
    gone = {s.source_at for s in out}
    rest = [s for i, s in enumerate(subs) if i not in used
            and not (s.kind == "deleted" and s.source_at in gone)]
    # a move seen from both ends of a sentence pair is one move
    unique = {(s.suspect_at, s.source_at, s.kind): s for s in rest + out}
    return sorted(unique.values(), key=lambda s: (s.suspect_at, s.source_at))


__all__ = ["Aligner", "Passage", "Substitution", "Shape", "passage_kind", "few_changes", "moved"]
