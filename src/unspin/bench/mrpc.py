"""MRPC as a sentence-level retrieval test.

Every sentence of the test split (#1 and #2 strings, deduplicated by id) is indexed as its own
article. For each pair labelled 1 the #2 sentence is the query and #1 the sentence to find. Every
system is asked with the query's own id excluded from its candidates (not merely dropped from the
ranking afterwards): otherwise the query's exact self-match wins the lexical stage and unspin's
semantic stage, which runs only when the lexical stage finds nothing, is never measured. For each
pair labelled 0 a false positive is a "derived" claim whose top source is the #1 sentence.

The grouped non-paraphrase negatives leave out every pair whose two sentences share a word 8-gram
(session 6): the rule every other negative kind is held to (``sampling``), since one sentence then
reuses a clause of the other's wording word for word (28% of the training file's non-paraphrase
pairs, 26% of the test file's).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unspin.article import Article
from unspin.bench.records import Case
from unspin.bench.text import word_shingles

MRPC_TEST = Path("mrpc/msr_paraphrase_test.tsv")
MRPC_TRAIN = Path("mrpc/msr_paraphrase_train.tsv")
GROUP = 4  # sentences per grouped article and suspect
REUSE_NGRAM = 8  # a pair sharing a word n-gram this long reuses words: not a clean negative


@dataclass(frozen=True, slots=True)
class Pair:
    label: int
    id1: str
    id2: str
    text1: str
    text2: str


def read_pairs(path: Path) -> list[Pair]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        return [
            Pair(int(r[0]), f"mrpc/{r[1]}", f"mrpc/{r[2]}", r[3], r[4]) for r in rows if len(r) == 5
        ]


def sentences(pairs: list[Pair]) -> list[Article]:
    seen: dict[str, Article] = {}
    for p in pairs:
        for sid, text in ((p.id1, p.text1), (p.id2, p.text2)):
            seen.setdefault(sid, Article(id=sid, text=text))
    return list(seen.values())


def reuses(pair: Pair) -> bool:
    """True when the pair's sentences share a word 8-gram (the benchmark's own word rule)."""
    return bool(word_shingles(pair.text1, REUSE_NGRAM) & word_shingles(pair.text2, REUSE_NGRAM))


def grouped_negatives(pairs: list[Pair], *, limit: int | None = None,
                      size: int = GROUP) -> tuple[list[Article], list[Case]]:
    """Same-story sentences from other outlets, as multi-sentence hard negatives.

    The #1 sentences of ``size`` consecutive non-paraphrase pairs make one indexed article; the #2
    sentences of the same pairs, in the same order, make one suspect. Each suspect sentence comes
    from another outlet's report of the story its counterpart tells (MRPC was mined from news
    clusters) but was judged not to say the same thing, so the suspect is not derived from the
    article, though it shares names, figures and often long runs of words with it.
    """
    negative = [p for p in pairs if p.label == 0 and not reuses(p)]
    groups = [negative[i:i + size] for i in range(0, len(negative) - size + 1, size)]
    groups = groups[:limit] if limit is not None else groups
    articles, cases = [], []
    for n, group in enumerate(groups):
        aid = f"mrpc-group/{n:04d}"
        articles.append(Article(id=aid, text=" ".join(p.text1 for p in group), source="mrpc"))
        cases.append(Case(f"neg-mrpc-{n:04d}", "neg-mrpc", " ".join(p.text2 for p in group), (),
                          {"article_id": aid, "pairs": [p.id2 for p in group]}))
    return articles, cases


def evaluate(system, pairs: list[Pair], k: int = 5) -> dict[str, Any]:
    """Run ``system`` (already built over ``sentences(pairs)``) on every pair."""
    hits = found_derived = positives = fp = negatives = 0
    seconds = 0.0
    has_verdict = True
    for p in pairs:
        pred = system.predict(p.id2, p.text2, k, exclude=(p.id2,))
        seconds += pred.seconds
        ranked = pred.ranked
        if p.id2 in ranked or p.id2 in pred.claimed:
            raise RuntimeError(f"{system.name} returned the excluded query {p.id2}")
        top = ranked[0] if ranked else None
        has_verdict = has_verdict and pred.verdict is not None
        claimed = p.id1 in pred.claimed and top == p.id1
        if p.label == 1:
            positives += 1
            hits += top == p.id1
            found_derived += claimed
        else:
            negatives += 1
            fp += claimed
    return {
        "pairs": len(pairs),
        "positives": positives,
        "negatives": negatives,
        "recall@1": hits / positives if positives else None,
        "derived_rate_positives": found_derived / positives if has_verdict and positives else None,
        "fpr": fp / negatives if has_verdict and negatives else None,
        "query_s": seconds,
    }
