"""``detect``: the kinds of evidence, merged: list fingerprints, learned ones, statistics,
typographic translation damage, and the language model on the sentences the others pick."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from ..analysis import Analyzed, analyze
from ..index import Index
from ..thesaurus import Thesaurus
from ..thesaurus import load as load_thesaurus
from ..tokens import CONTENT
from .background import Background, adjacent_pairs, for_index
from .lexicon import Fingerprint, FingerprintList, Term, UserList, load_pps, word_substitutions
from .matcher import ListMatcher
from .model_detector import ModelDetector, ModelFinding, Reading
from .phrase import EVIDENCE_RANK, DetectConfig, Evidence, TorturedPhrase
from .probe import distinct, load_probe, unlikely_if_clean
from .statistical import StatisticalDetector, match_case, word_zipf
from .stream import Stream, build_stream, inside, quoted_spans
from .translation import find_damage

# Sentence picking for the model: a word rarer than SUSPECT_ZIPF (wordfreq zipf) with a thesaurus
# neighbour at least SUSPECT_LIFT commoner, in a pair the background never saw. On development
# articles, 3.5/1.5 picked 11% of clean sentences (holding 68% of Moby swaps), 3.0/1.5 5.6% (59%),
# 2.5/1.5 2.3% (48%), 2.0/1.5 1.3% (43%); 2.5 is the loosest cut that leaves the default mode
# near 2,000 words/s.
SUSPECT_ZIPF = 2.5
SUSPECT_LIFT = 1.5


class Detector:
    """Holds the loaded resources; ``detect(text)`` flags tortured phrases in one text.

    Any resource left out is the shipped default (the PPS list, the background model, WordNet).
    """

    def __init__(
        self,
        *,
        fingerprints: FingerprintList | None = None,
        background: Background | None = None,
        thesaurus: Thesaurus | None = None,
        learned: Sequence[Fingerprint] = (),
        user: UserList | None = None,
        config: DetectConfig | None = None,
    ) -> None:
        self.config = config or DetectConfig()
        self.user = user or UserList()
        listed = list(fingerprints.entries if fingerprints is not None else load_pps().entries)
        self.lists = ListMatcher([*listed, *self.user.fingerprints])
        self._known = [*listed, *self.user.fingerprints, *learned]
        self.learned = ListMatcher([fp for fp in learned if _specific(fp, self.config)])
        self.allowed = ListMatcher([Fingerprint((Term(w),), "") for w in self.user.allowed])
        self._background = background
        self._thesaurus = thesaurus
        self._stats: StatisticalDetector | None = None
        self._model: ModelDetector | None = None

    @property
    def statistical(self) -> StatisticalDetector:
        if self._stats is None:
            self._stats = StatisticalDetector(
                self._background or for_index(None),
                self._thesaurus or load_thesaurus("wordnet"),
                threshold=self.config.threshold,
                min_variant_count=self.config.min_variant_count,
                rare_zipf=self.config.rare_zipf,
                substitutions=word_substitutions(self._known) if self.config.use_spinner_words else None,
            )
        return self._stats

    @property
    def model(self) -> ModelDetector:
        """The language-model detector; loading the model raises ModelError if it is missing."""
        if self._model is None:
            from ..lm import load

            stats = self.statistical
            lm = load()
            probe = load_probe(None, lm.sha256) \
                if self.config.model.uses_probe(self.config.thorough) else None
            self._model = ModelDetector(lm, stats.thesaurus, stats.lemma,
                                        substitutions=stats.spun,
                                        settings=self.config.model,
                                        thorough=self.config.thorough, probe=probe)
        return self._model

    def detect(self, text: str) -> list[TorturedPhrase]:
        doc = analyze(text)
        stream = build_stream(doc)
        found: list[TorturedPhrase] = []
        cfg = self.config
        if cfg.use_list:
            found += self._from_list(self.lists, stream, "list")
        if cfg.use_learned and len(self.learned):
            found += self._from_list(self.learned, stream, "learned")
        if cfg.use_statistical:
            found += self._from_statistics(doc)
        if cfg.use_translation:
            found += [TorturedPhrase(d.text, d.at, d.repair, 1.0, "translation", d.rule)
                      for d in find_damage(doc.original)]
        if cfg.use_model:
            found += self._from_model(doc, found)
        found = _resolve(found)
        blocked = [stream.original_span(s, e) for s, e in self.allowed.spans(stream)]
        if cfg.exclude_quotes:
            blocked += quoted_spans(text)
        return [p for p in found if not _blocked(p.at, blocked)]

    def _from_list(self, matcher: ListMatcher, stream: Stream, evidence: Evidence
                   ) -> list[TorturedPhrase]:
        out = []
        text = stream.doc.original
        for hit in matcher.find(stream):
            s, e = stream.original_span(hit.first, hit.last)
            fp = hit.fingerprint
            score = 1.0 if evidence == "list" else round(min(1.0, 0.6 + 0.1 * fp.papers), 3)
            out.append(TorturedPhrase(text[s:e], (s, e), match_case(fp.suggestion, text[s:e]),
                                      score, evidence, fp.raw))
        return out

    def _from_statistics(self, doc: Analyzed) -> list[TorturedPhrase]:
        """Broken collocations and odd words; with the model on, each must also pass its veto:
        the model, in context, prefers the suggestion or a neighbour of a flagged word by at
        least ``veto_gain`` nats (rare correct words have no better replacement there)."""
        out = []
        toks = doc.tokens
        found = self.statistical.find(doc)
        gains: list[float | None] = [None] * len(found)
        if self.config.use_model and found:
            gains = self.model.support(doc, [(f.first, f.last, f.suggestion) for f in found])
        bar = self.config.model.veto_gain
        unjudged_out = self.config.thorough and self.config.model.thorough_veto_unjudged
        for f, gain in zip(found, gains, strict=True):
            detail = f.detail
            if self.config.use_model and gain is None and unjudged_out:
                continue
            if self.config.use_model and gain is not None:
                if gain < bar:
                    continue
                detail += f"; the model prefers a replacement by {gain:.2f} nats"
            s, e = doc.to_original(toks.starts[f.first], toks.ends[f.last])
            out.append(TorturedPhrase(doc.original[s:e], (s, e), f.suggestion, f.score,
                                      "statistical", detail))
        return out


    def _from_model(self, doc: Analyzed, found: list[TorturedPhrase]) -> list[TorturedPhrase]:
        chosen = range(len(doc.sentences)) if self.config.thorough \
            else self.pick_sentences(doc, found)
        out = []
        toks = doc.tokens
        st = self.config.model
        fixed = _fixes(doc, found) if st.read_fixed else []
        thorough = self.config.thorough
        per_words, page_bar = st.page_rule(thorough)
        page_probe = st.page_probe_rule(thorough) if self.model.probe is not None else None
        first = self.model.read(doc, chosen, fixed)
        findings = first.findings
        if (page_bar is not None or page_probe is not None) \
                and (self._dense(doc, found, findings, per_words)
                     or self._hot(first, page_probe)):
            # stage 2 of the page rule: every sentence again, at the page's lower bars (a
            # second pass, but only over a dense page: most pages are clean and pay nothing)
            held = [(f.first, f.last) for f in findings]
            findings += [f for f in self.model.find(doc, range(len(doc.sentences)), fixed,
                                                    bar=99.0 if page_bar is None else page_bar,
                                                    probe_bar=page_probe)
                         if all(f.last < a or b < f.first for a, b in held)]
        for f in findings:
            s, e = doc.to_original(toks.starts[f.first], toks.ends[f.last])
            out.append(TorturedPhrase(doc.original[s:e], (s, e), f.suggestion,
                                      round(f.margin, 3), f.evidence, f.detail))  # type: ignore[arg-type]
        return out

    def _dense(self, doc: Analyzed, found: list[TorturedPhrase], findings: list[ModelFinding],
               per_words: int) -> bool:
        """Whether the page holds at least ``page_flags`` flags of a spinner (list, learned,
        statistical, the model's) and at least one per ``per_words`` words."""
        n = sum(p.evidence in ("list", "learned", "statistical") for p in found) \
            + sum(f.evidence == "model" for f in findings)
        return n >= self.config.model.page_flags and n * per_words >= len(doc.tokens)

    def _hot(self, reading: Reading, page_probe: float | None) -> bool:
        """Whether the probe's log-odds over the page's distinct words hold more at or over the
        second stage's probe bar than a clean page's would (``ModelSettings.page_probe_rate``)."""
        st = self.config.model
        if page_probe is None or st.page_probe_rate is None or not self.config.thorough \
                or page_probe != st.page_probe_rate_at:  # the rate holds at its own bar only
            return False
        return unlikely_if_clean(distinct(reading.words, reading.logits), page_probe,
                                 st.page_probe_rate, st.page_probe_alpha, st.page_probe_hot)

    def pick_sentences(self, doc: Analyzed, found: list[TorturedPhrase]) -> list[int]:
        """The sentences worth the model's time: those holding a cheap flag, and those with a
        rare dictionary word that has a far commoner thesaurus neighbour and sits in a word pair
        the background never saw (a spinner's likely pick)."""
        stats = self.statistical
        toks = doc.tokens
        unseen: set[int] = set()
        for i, j in adjacent_pairs(doc):
            if not stats.bg.attested(stats.lemma(toks.lower[i]), stats.lemma(toks.lower[j])):
                unseen.update((i, j))
        picked = []
        for k, sent in enumerate(doc.sentences):
            s, e = doc.to_original(sent.start, sent.end)
            if any(p.at[0] < e and s < p.at[1] for p in found) or any(
                    i in unseen and self._suspect_word(doc, i) for i in range(sent.first, sent.last)):
                picked.append(k)
        return picked

    def _suspect_word(self, doc: Analyzed, i: int) -> bool:
        toks = doc.tokens
        w = toks.lower[i]
        if toks.classes[i] != CONTENT or not w.isalpha() or len(w) < 3:
            return False
        z = word_zipf(w)
        if z >= SUSPECT_ZIPF:
            return False
        syn = self.statistical.thesaurus.synonyms(w)
        subs = self.statistical.spun.get(self.statistical.lemma(w), ())
        return any(word_zipf(x) >= z + SUSPECT_LIFT for x in (*syn, *subs) if x.isalpha())


def _fixes(doc: Analyzed, found: list[TorturedPhrase]) -> list[tuple[int, int, str]]:
    """The cheap detectors' flags as token spans with their suggestions, for the model to read
    in place: a spun phrase left in makes the clean words after it look improbable too."""
    toks = doc.tokens
    wanted = [p for p in found if p.suggestion and p.suggestion != p.phrase]
    if not wanted:
        return []
    starts = [doc.to_original(s, e)[0] for s, e in zip(toks.starts, toks.ends, strict=True)]
    out = []
    for p in wanted:
        a, b = bisect_left(starts, p.at[0]), bisect_left(starts, p.at[1])
        if a < b:
            out.append((a, b - 1, p.suggestion))
    return out


def _specific(fp: Fingerprint, config: DetectConfig) -> bool:
    """Whether a learned fingerprint may flag by itself: a phrase, or a rare single word."""
    words = fp.raw.split()
    if len(words) != 1:
        return True
    return word_zipf(words[0].lower()) < config.learned_word_zipf


def _resolve(found: list[TorturedPhrase]) -> list[TorturedPhrase]:
    """Overlapping flags: the stronger evidence wins, then the longer phrase."""
    found.sort(key=lambda p: (EVIDENCE_RANK[p.evidence], -(p.at[1] - p.at[0]), p.at[0]))
    kept: list[TorturedPhrase] = []
    for p in found:
        if all(p.at[1] <= q.at[0] or q.at[1] <= p.at[0] for q in kept):
            kept.append(p)
    return sorted(kept, key=lambda p: p.at)


def _blocked(at: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return inside(at, spans) or any(s < at[1] and at[0] < e for s, e in spans)


@lru_cache(maxsize=4)
def default_detector(index_dir: str | None, learned: tuple[Fingerprint, ...],
                     user: UserList | None, config: DetectConfig) -> Detector:
    return Detector(background=for_index(index_dir), learned=learned, user=user, config=config)


def index_dir(index: Index | str | Path | None) -> str | None:
    if index is None:
        return None
    return str(index.path if isinstance(index, Index) else Path(index))


__all__ = ["Detector", "default_detector", "index_dir"]
