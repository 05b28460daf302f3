"""``check``: retrieve candidate sources of a suspect, verify each by alignment, give a verdict."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from os import PathLike

import numpy as np

from . import calibration, crossindex, rerank, semantic
from .align import Aligner, Passage
from .analysis import Analyzed, analyze
from .bounds import require_suspect_size
from .config import CheckConfig
from .crosslingual import CrossAligner
from .errors import UsageError
from .index import Index
from .labels import label as obfuscation_label
from .lang import UNDETERMINED, detect
from .listing import listing_spans
from .quotes import quoted_chars, quoted_spans
from .retrieve import Candidate, candidates, rowids
from .roles import RoleSpan, body_weights, discount, table_row_spans
from .thesaurus import load as load_thesaurus

Spans = list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class SourceMatch:
    id: str
    title: str
    score: float
    coverage_suspect: float
    coverage_source: float
    obfuscation: str
    passages: tuple[Passage, ...]
    evidence: float = 0.0
    score_before_roles: float = 0.0  # the score were every role body text (the benchmark's gap)


@dataclass(frozen=True, slots=True)
class CheckResult:
    suspect_id: str
    path: str
    chars: int
    verdict: str
    confidence: float
    sources: tuple[SourceMatch, ...]
    extra: dict[str, object] = field(default_factory=dict)
    lang: str = ""  # the suspect's language (``unspin.lang``: en fr es pt de it, or und)

    @property
    def derived(self) -> bool:
        return self.verdict == "derived"


def _union_length(spans: list[tuple[int, int]]) -> int:
    total, end = 0, -1
    for s, e in sorted(spans):
        if e <= end:
            continue
        total += e - max(s, end)
        end = e
    return total


def check(
    text: str,
    index: Index | str | PathLike[str],
    *,
    config: CheckConfig | None = None,
    suspect_id: str = "suspect",
    path: str = "",
    exclude: Iterable[str] = (),
) -> CheckResult:
    """Check one suspect text against an index.

    ``exclude`` lists article ids that are not candidate sources (the suspect itself, when the
    index holds it: checking a corpus against itself). ``index`` may be an index directory's
    path: it is then opened read-only for this one call (open it once for many checks).
    """
    if not isinstance(text, str):
        raise UsageError(f"check() takes the suspect's text as a str, not {type(text).__name__}")
    if not isinstance(index, Index):
        if not isinstance(index, str | PathLike):
            raise UsageError(
                f"check() takes an Index or an index directory's path, not {type(index).__name__}"
            )
        with Index.open(os.fspath(index), readonly=True) as opened:
            return check(text, opened, config=config, suspect_id=suspect_id, path=path,
                         exclude=exclude)
    config = config or CheckConfig()
    require_suspect_size(text, config.max_suspect_chars, path=path or suspect_id)
    doc = analyze(text)
    mode = index.config.semantic
    thesaurus = load_thesaurus(index.config.thesaurus)
    skip = rowids(index, exclude)

    def aligner(embed: Callable[[Analyzed], np.ndarray | None] | None) -> Aligner:
        return Aligner(doc, thesaurus, min_passage_chars=config.min_passage_chars,
                       seed_threshold=config.seed_threshold, embed=embed)

    # Stage 1, lexical: fingerprint candidates, verified by word alignment.
    # Not worth aligning: candidates far weaker than the best, and those sharing too few n-grams
    # for even two copied sentences (a copy of two sentences shares dozens, however spun).
    lexical = candidates(doc, index, config.candidates, exclude=skip)
    floor = lexical[0].score * config.min_relative_score if lexical else 0.0
    min_ngrams = min(8, max(1, len(doc.tokens) // 10))
    rows = [c.rowid for c in lexical if c.score >= floor and c.ngrams >= min_ngrams]
    matches = _verify(text, doc, rows, aligner(None), index, config)
    used = "lexical"
    # Stage 2, semantic, only when no source was found: sentences close in meaning add candidates
    # and seeds, for copies rebuilt sentence by sentence (translation, paraphrase).
    best = max((m.score for m in matches), default=0.0)
    lang = detect(text).lang
    foreign = lang not in ("en", UNDETERMINED)
    if foreign and best < config.derived_threshold:
        matches = _translated(text, doc, matches, index, config, skip)
        used = "lexical+crosslingual"
    elif mode != "off" and best < config.derived_threshold:
        emb = semantic.for_index(index.config)
        sem = aligner(lambda d: semantic.embed_doc(d, emb))
        # re-align the lexical matches (meaning may seed more of their sentences) and the
        # articles with several sentences close in meaning (total cosine excess over 0.6)
        matches.sort(key=lambda m: (-m.score, m.id))
        partial = [r for r in (index.storage.rowid_of(m.id) for m in matches[:3]) if r is not None]
        close = semantic.candidates(doc, sem.vectors, index, k=3, exclude=skip)
        rows2 = list(dict.fromkeys(partial + [r for r, excess in close if excess >= 0.3]))
        by_id = {m.id: m for m in matches}
        for m in _verify(text, doc, rows2, sem, index, config):
            if m.id not in by_id or m.score > by_id[m.id].score:
                by_id[m.id] = m
        matches = list(by_id.values())
        used = f"lexical+semantic:{mode}"
    matches.sort(key=lambda m: (-m.score, m.id))
    if config.rerank_short and len(matches) > 1 and rerank.short(doc):
        matches = _learned_order(doc, matches, index, lexical)
    kept = tuple(m for m in matches if m.score >= 0.05)[: config.max_sources]
    best = max((m.score for m in kept), default=0.0)
    verdict = "derived" if best >= config.derived_threshold else "not_derived"
    return CheckResult(
        suspect_id=suspect_id,
        path=path,
        chars=len(text),
        verdict=verdict,
        confidence=round(_confidence(best, verdict), 4),
        sources=kept,
        extra={"mode": used},
        lang=lang,
    )


def _learned_order(doc: Analyzed, matches: list[SourceMatch], index: Index,
                   lexical: list[Candidate]) -> list[SourceMatch]:
    """A short suspect's sources in the learned order (``rerank``: the short ones among their
    places), the weak ones left out of it (under 0.05: they are not reported) staying last."""
    strong = [m for m in matches if m.score >= 0.05]
    rows = [index.storage.rowid_of(m.id) for m in strong]
    if len(strong) < 2 or None in rows:
        return matches
    ids = [r for r in rows if r is not None]
    pool = {c.rowid: c.score for c in lexical}
    vectors = semantic.embed_doc(doc, semantic.for_index(index.config))
    table = rerank.table(doc, index, ids, verified={r: m.score for r, m in zip(ids, strong,
                                                                               strict=True)},
                         lexical=pool, vectors=vectors)
    return [strong[i] for i in rerank.order(*table)] + matches[len(strong):]


def _confidence(best: float, verdict: str) -> float:
    """The probability that the verdict is right (README: Confidence): the calibrated probability
    of a copy at the best source's score (``calibration``), or its complement for not_derived."""
    cal = calibration.packaged()
    p = cal.probability(best) if cal is not None else best
    return p if verdict == "derived" else 1.0 - p


def _translated(text: str, doc: Analyzed, matches: list[SourceMatch], index: Index,
                config: CheckConfig, skip: frozenset[int]) -> list[SourceMatch]:
    """Stage 2 for a suspect in another language: candidates by the language-independent
    fingerprints (names, numbers) and, when the index keeps them, by cross-lingual article
    vectors (``crossindex``), aligned sentence to sentence across the languages
    (``crosslingual``). Without the multilingual encoder installed, the lexical matches stand."""
    from .embed import multilingual

    if not multilingual.available():
        return matches
    lexical = candidates(doc, index, config.candidates, exclude=skip)
    floor = lexical[0].score * config.min_relative_score if lexical else 0.0
    rows = [c.rowid for c in lexical if c.score >= floor]
    cross = CrossAligner(doc, multilingual.load())
    near = crossindex.candidates(index, cross.vectors, crossindex.CANDIDATES)  # by meaning
    rows = list(dict.fromkeys(rows + [r for r, _ in near if r not in skip]))
    by_id = {m.id: m for m in matches}
    for m in _verify(text, doc, rows, cross, index, config):
        if m.id not in by_id or m.score > by_id[m.id].score:
            by_id[m.id] = m
    return list(by_id.values())


def _verify(text: str, doc: Analyzed, rows: list[int], aligner: Aligner | CrossAligner,
            index: Index, config: CheckConfig) -> list[SourceMatch]:
    """Align the suspect with each candidate; a scored match for each that shares passages."""
    out = []
    n_sus_sent = max(len(doc.sentences), 1)
    for rowid in rows:
        article = index.storage.get(rowid)
        if article is None:
            continue
        source = _analyzed_source(article.text[: index.config.max_chars])
        passages = tuple(aligner.align(source))
        if not passages:
            continue
        (quoted, listed), roles = _suspect_spans(text, config)  # once per suspect, when needed
        shared = _shared_for(text, quoted, listed, passages)
        sus_cov = _union_length([p.suspect for p in passages])
        src_cov = _union_length([p.source for p in passages])
        long_suspect = n_sus_sent > config.verdict_min_sentences
        evidence = sum(_passage_evidence(shared, roles, p, long_suspect, config)
                       for p in passages)
        unweighted = sum(_passage_evidence(shared, [], p, long_suspect, config)
                         for p in passages) if roles else evidence
        match = SourceMatch(
            id=article.id,
            title=article.title,
            score=0.0,
            coverage_suspect=round(sus_cov / max(len(text), 1), 4),
            coverage_source=round(src_cov / max(len(article.text), 1), 4),
            obfuscation=obfuscation_label(doc, passages, source),
            passages=passages,
            evidence=evidence,
        )
        before = _score(replace(match, evidence=unweighted), len(doc.tokens), config).score
        out.append(replace(_score(match, len(doc.tokens), config), score_before_roles=before))
    return out


CACHED_SOURCE_CHARS = 20_000  # longer sources are analysed again: 64 of 200k chars held ~340 MB


def _analyzed_source(text: str) -> Analyzed:
    """A candidate's analysis, kept when the text is of article length (stage 2 verifies stage
    1's best again, and sources recur); a long one is analysed each time, to bound memory."""
    return _analyzed_cached(text) if len(text) <= CACHED_SOURCE_CHARS else analyze(text)


@lru_cache(maxsize=64)
def _analyzed_cached(text: str) -> Analyzed:
    return analyze(text)


@lru_cache(maxsize=4)
def _suspect_spans(text: str, config: CheckConfig) -> tuple[tuple[Spans, Spans], list[RoleSpan]]:
    """The suspect's shared elements (quotations, lists and tables) and role weights: the same
    for each candidate and stage. Cached: callers must not change the lists."""
    return _shared_elements(text, config), body_weights(text) if config.role_weights else []


def _shared_elements(text: str, config: CheckConfig) -> tuple[Spans, Spans]:
    """What independent reports of one event share without copying each other, as sorted disjoint
    spans: the quotations, and the lists or tables (``listing``, and the table rows of ``roles``)."""
    quoted = _union(quoted_spans(text)) if config.exclude_quotes else []
    listed: Spans = []
    if config.exclude_listings:
        listed = _union(listing_spans(text, max_function_share=config.listing_max_function_share)
                        + table_row_spans(text))
    return quoted, listed


def _shared_for(text: str, quoted: Spans, listed: Spans, passages: tuple[Passage, ...]) -> Spans:
    """The shared elements left out of one source's evidence: the quotations, and the lists and
    tables unless those the source's passages reuse are most of the suspect (then the suspect is
    itself a list or table, and reusing it is reuse). Only the reused ones are weighed, so a host's
    own tables do not turn an inserted list into most of the page."""
    reused = sum(quoted_chars(listed, *p.suspect) for p in passages)
    if reused > 0.5 * len(text.strip()):
        return quoted
    return _union(quoted + listed)


def _union(spans: Spans) -> Spans:
    """``spans`` as sorted disjoint spans covering the same characters."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


_LEXICAL_KINDS = frozenset({"identical", "minor", "spun", "paraphrase"})  # ``align.passage_kind``


def _passage_evidence(shared: list[tuple[int, int]], roles: list[RoleSpan], p: Passage,
                      long_suspect: bool, config: CheckConfig) -> float:
    """A passage's evidence, less its shared elements (quotations, lists, tables) and weighted by
    the role of its text (``roles``: headlines, captions, datelines, bylines, credits); in a long
    suspect, a lone sentence counts ``lone_sentence_weight`` of its evidence and at most
    ``lone_sentence_cap`` of the verdict bar, and so does a run of two loosely similar sentence
    pairs of a lexical passage (mean similarity under ``loose_pair_similarity``; off by default).

    Copies reuse runs of sentences; another outlet's report of the same event shares isolated
    facts, each stated in one sentence or two restated loosely, and at times one official
    statement word for word.
    """
    evidence = p.evidence
    start, end = p.suspect
    kept = 1.0 - quoted_chars(shared, start, end) / max(end - start, 1)
    evidence *= max(0.0, kept - discount(roles, start, end))
    loose = (p.sentences == 2 and p.kind in _LEXICAL_KINDS
             and p.similarity < config.loose_pair_similarity)
    lone = p.sentences < 2 or loose
    if long_suspect and lone:
        evidence = min(evidence * config.lone_sentence_weight,
                       config.lone_sentence_cap * config.verdict_min_tokens)
    return evidence


def _score(match: SourceMatch, n_sus_tokens: int, config: CheckConfig) -> SourceMatch:
    """Probability-like score that the suspect reuses this source.

    Evidence (see ``align.Passage.evidence``) counts reused suspect tokens, each weighted by how
    surely its sentence pair is a reuse, leaving quotations out: a shared quote is what independent
    reports of one event have in common. The score is 0.5 when the evidence equals
    ``verdict_min_tokens`` (or half the suspect, if shorter).
    """
    need = min(config.verdict_min_tokens, max(4.0, 0.5 * n_sus_tokens))
    score = 1.0 - math.exp(-match.evidence / need * math.log(2))
    return replace(match, score=round(score, 4), evidence=round(match.evidence, 1))


__all__ = ["check", "CheckResult", "SourceMatch"]
