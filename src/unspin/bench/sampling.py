"""Split the corpus into what is indexed, what the cases are made from and what is held out.

Held out (never indexed): the hard negatives (articles on a subject the index covers, so they share
names, places and vocabulary with indexed stories without being copied) and the host articles of the
``partial`` cases. Reuters holds many re-issued, corrected and rewritten stories, and BBC articles
reuse background paragraphs, so every candidate is checked against the whole corpus: a negative or
host that shares passages with another article would in truth be derived, and a case source with a
sibling would make the ground truth incomplete (the sibling is a true source of the shared passages
too). A candidate is skipped, and counted, when more than 5% of the word 8-grams of it or of
another article (whichever is shorter) occur in both, or when it shares at least 5 word 8-grams
with another article whatever their length: a copied sentence of 12 words or more (the share rule
alone let two long articles through that repeat two sentences of another article word for word,
and the engine rightly called them derived).

Negatives (plain ones, which also host the inserted-element kinds, and same-event stories) are held
to the rule the same-event pairs always used: no word 8-gram in common with any other article. An
identical run of 8 words is reuse of a clause, and a negative that reuses its source's words is not
a clean negative (session 6, decided on the dev split: ``benchmarks/negatives_truth.py`` lists the
negatives the old rule let through and their longest identical runs). Each one skipped is counted
in ``Split.skipped``, which the benchmark reports.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from unspin.article import Article
from unspin.bench.sameevent import same_event_twins
from unspin.bench.text import sentence_spans, word_shingles

MAX_OVERLAP = 0.05  # share of word 8-grams in common with any other article
MAX_SHARED = 5  # word 8-grams in common with any other article (case sources, partial hosts)
MAX_SHARED_NEGATIVE = 1  # negatives: none in common (the same-event rule)
OVERLAP_NGRAM = 8
EVENT_POOL = 5  # same-event candidates looked at per story wanted


@dataclass(slots=True)
class Split:
    indexed: list[Article]
    sources: list[Article]  # case sources, all in ``indexed``, in draw order
    hosts: list[Article]  # held out
    negatives: list[Article]  # held out
    skipped: Counter = field(default_factory=Counter)
    same_event: list[Article] = field(default_factory=list)  # held out, each with an indexed twin
    twins: dict[str, list[str]] = field(default_factory=dict)


def is_prose(article: Article, *, min_sentences: int = 6, min_chars: int = 600) -> bool:
    """Long enough, and running text rather than a table of figures."""
    text = article.text
    if len(text) < min_chars:
        return False
    letters = sum(ch.isalpha() for ch in text)
    visible = sum(not ch.isspace() for ch in text)
    return letters >= 0.75 * visible and len(sentence_spans(text)) >= min_sentences


def max_overlap(
    candidates: Sequence[Article], corpus: Iterable[Article], n: int = OVERLAP_NGRAM
) -> dict[str, tuple[float, int]]:
    """For each candidate, its largest overlap with any *other* article: (the overlap coefficient
    of word n-grams, the most n-grams shared with one article).

    overlap(C, O) = |C ∩ O| / min(|C|, |O|): 1.0 when one of them is contained in the other.
    """
    shingles = {a.id: word_shingles(a.text, n) for a in candidates}
    holders: dict[str, list[str]] = defaultdict(list)
    for cid, grams in shingles.items():
        for g in grams:
            holders[g].append(cid)
    best = dict.fromkeys(shingles, 0.0)
    shared = dict.fromkeys(shingles, 0)
    for other in corpus:
        grams = word_shingles(other.text, n)
        counts: Counter = Counter()
        for g in grams:
            for cid in holders.get(g, ()):
                if cid != other.id:
                    counts[cid] += 1
        for cid, c in counts.items():
            best[cid] = max(best[cid], c / min(len(shingles[cid]), len(grams)))
            shared[cid] = max(shared[cid], c)
    return {cid: (best[cid], shared[cid]) for cid in shingles}


def split_corpus(
    corpus: Sequence[Article],
    *,
    n_sources: int,
    n_hosts: int,
    n_negatives: int,
    index_size: int | None = None,
    seed: int = 0,
    part: str = "all",
    n_same_event: int = 0,
) -> Split:
    """Draw case sources, partial hosts and negatives; index the sources plus the rest of the corpus.

    Draws alternate between publications so both are represented; ``index_size`` caps the index (a
    random sample of the rest fills it after the case sources, and the same-event twins first).
    ``n_same_event`` Reuters stories with a same-event twin (``sameevent``) are held out as
    negatives of their own; their twins stay indexed. ``part`` (dev, test or all) draws
    sources, hosts and negatives only from that half of the corpus (``corpus_part``), so that the
    development and test splits never share an article in those roles; the index is the same.
    """
    if part not in ("dev", "test", "all"):
        raise ValueError(f"part must be dev, test or all, not {part!r}")
    rng = random.Random(f"split:{seed}" if part == "all" else f"split:{seed}:{part}")
    pool = sorted(corpus, key=lambda a: a.id)
    rng.shuffle(pool)
    drawable = [a for a in pool if part == "all" or corpus_part(a.id) == part]
    prose = [a for a in drawable if is_prose(a)]
    subjects = Counter(a.metadata.get("subject", "") for a in corpus)
    negative_pool = [
        a
        for a in drawable
        if a.metadata.get("subject")
        and subjects[a.metadata["subject"]] >= 20
        and is_prose(a, min_sentences=3, min_chars=300)
    ]
    twins = same_event_twins(corpus) if n_same_event else {}
    event_pool = [a for a in drawable if twins.get(a.id)]
    wanted = _interleave(prose, 2 * (n_sources + n_hosts)) + _interleave(
        negative_pool, 4 * n_negatives
    ) + event_pool[: EVENT_POOL * n_same_event]
    candidates = list({a.id: a for a in wanted}.values())
    overlap = max_overlap(candidates, corpus)

    taken: set[str] = set()
    skipped: Counter = Counter()

    def draw(pool_: list[Article], count: int, role: str) -> list[Article]:
        chosen: list[Article] = []
        for a in _interleave([x for x in pool_ if x.id in overlap], len(pool_)):
            if len(chosen) == count:
                break
            if a.id in taken:
                continue
            coefficient, shared = overlap[a.id]
            if coefficient > MAX_OVERLAP or shared >= _max_shared(role):
                skipped[f"{role}: shares text with another article"] += 1
                continue
            taken.add(a.id)
            chosen.append(a)
        if len(chosen) < count:
            raise ValueError(f"corpus too small: wanted {count} {role}, found {len(chosen)}")
        return chosen

    negatives = draw(negative_pool, n_negatives, "negative")
    same_event: list[Article] = []
    for a in event_pool[: EVENT_POOL * n_same_event]:  # a twin must stay indexed
        if len(same_event) < n_same_event and any(t not in taken for t in twins[a.id]):
            if _fits(a, overlap, taken):
                same_event += draw([a], 1, "same-event")
            elif a.id not in taken:
                skipped["same-event: shares text with another article"] += 1
    hosts = draw(prose, n_hosts, "host")
    sources = draw(prose, n_sources, "source")
    held_out = {a.id for a in negatives} | {a.id for a in hosts} | {a.id for a in same_event}
    kept_twins = {t for a in same_event for t in twins[a.id] if t not in held_out}
    same_event = [a for a in same_event if set(twins[a.id]) & kept_twins]
    rest = [a for a in pool if a.id not in taken]
    rest = [a for a in rest if a.id in kept_twins] + [a for a in rest if a.id not in kept_twins]
    if index_size is not None:
        rest = rest[: max(0, index_size - len(sources))]
    indexed = sorted(sources + rest, key=lambda a: a.id)
    assert not held_out & {a.id for a in indexed}
    return Split(indexed, sources, hosts, negatives, skipped, same_event,
                 {a.id: [t for t in twins[a.id] if t in kept_twins] for a in same_event})


def _max_shared(role: str) -> int:
    """The number of shared word 8-grams that disqualifies a candidate in ``role``."""
    return MAX_SHARED_NEGATIVE if role in ("negative", "same-event") else MAX_SHARED


def _fits(a: Article, overlap: dict[str, tuple[float, int]], taken: set[str]) -> bool:
    coefficient, shared = overlap.get(a.id, (1.0, MAX_SHARED))
    if a.id in taken:
        return False
    if coefficient > MAX_OVERLAP or shared >= _max_shared("same-event"):
        return False
    return True


def corpus_part(article_id: str) -> str:
    """``dev`` or ``test``: a fixed half of the corpus by a hash of the article id."""
    return "dev" if hashlib.sha256(article_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def _interleave(articles: Sequence[Article], count: int) -> list[Article]:
    """Up to ``count`` articles, alternating between publications (``Article.source``)."""
    queues: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        queues[a.source].append(a)
    iters = [iter(q) for _, q in sorted(queues.items())]
    out: list[Article] = []
    while iters and len(out) < count:
        for it in list(iters):
            nxt = next(it, None)
            if nxt is None:
                iters.remove(it)
            elif len(out) < count:
                out.append(nxt)
    return out
