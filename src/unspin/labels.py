"""A source match's obfuscation label, from its passages (README: Obfuscation labels).

The label is the kind of rewriting that covers most of the reused suspect text:

- ``verbatim``: the passages are identical once variants (spelling, typography, case, number
  format) are set aside, whatever surrounds them on the page;
- ``light``: a few edits (at most 10% of the passage's words changed);
- ``spun``: most changes are in-place swaps of a word or a short phrase;
- ``paraphrase``: sentences rebuilt;
- ``translated``: the copy is in another language (``TRANSLATED``; the multilingual aligner
  sets it on its passages).

Suffixes: ``+reordered`` when at least ``REORDERED_SHARE`` of the sentence pairs are out of the
source's order (``out_of_order``: read on the aligned sentence pairs of similarity
``ORDER_SIMILARITY`` or more, in the suspect's order, against the longest run of them that follows
the source's order; a clause or an attribution moved
inside a sentence, a sentence split in two or two merged do not count, nor does a loosely similar
pair; a source sentence repeated in the suspect counts once); ``+partial`` when the
reused passages cover less than ``PARTIAL_SHARE`` of the suspect's prose (sentences of at least
``PROSE_WORDS`` words: a page's menus, credits and "Also read" lines do not count), i.e. the copy is
a part of a longer text of its own; when they cover ``PARTIAL_SHARE`` of the source's prose or more
(the whole article taken), under ``WHOLE_SOURCE_PARTIAL`` of the suspect's (a whole article amid a
quarter of page prose, cookies and newsletters, is not partial; a short one inside a longer text is).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from .align import Passage
from .analysis import Analyzed

VERBATIM, LIGHT, SPUN, PARAPHRASE, TRANSLATED = "verbatim", "light", "spun", "paraphrase", "translated"
REORDERED, PARTIAL = "+reordered", "+partial"
# passage kinds (``align.passage_kind``) and the label each gives
BY_PASSAGE_KIND = {"identical": VERBATIM, "minor": LIGHT, "spun": SPUN, "paraphrase": PARAPHRASE,
                   TRANSLATED: TRANSLATED}
PARTIAL_SHARE = 0.75  # a quarter of the prose its own makes a copy part of a longer text (dev fit)
WHOLE_SOURCE_PARTIAL = 0.5  # ... but a copy of (nearly) the whole source must be under half of it
ORDER_SIMILARITY = 0.6  # a loosely similar pair (under this) says nothing of the copy's order
REORDERED_SHARE = 0.1  # share of the sure sentence pairs out of the source's order (dev fit)
PROSE_WORDS = 8


def main_label(passages: Sequence[Passage]) -> str:
    """The label of the passages' kind that covers most suspect characters."""
    weight: dict[str, int] = {}
    for p in passages:
        label = BY_PASSAGE_KIND.get(p.kind, PARAPHRASE)
        weight[label] = weight.get(label, 0) + p.suspect[1] - p.suspect[0]
    return max(weight, key=lambda k: weight[k])


def out_of_order(passages: Sequence[Passage]) -> float:
    """The share of aligned sentence pairs (of similarity ``ORDER_SIMILARITY`` or more) that stand
    outside the longest run of pairs, in the suspect's reading order, whose source sentences follow
    the source's order (a longest non-decreasing subsequence of source offsets). A source sentence
    met again later in the suspect (a repeated paragraph) counts once, at its first place."""
    pairs = sorted((sus, src) for p in passages
                   for sus, src, sim in (p.pairs or ((p.suspect[0], p.source[0], p.similarity),))
                   if sim >= ORDER_SIMILARITY)
    # a source sentence copied twice (a paragraph repeated) is read once, where it first stands
    first: dict[int, int] = {}
    for sus, src in pairs:
        first.setdefault(src, sus)
    pairs = [(sus, src) for sus, src in pairs if first[src] == sus]
    tails: list[int] = []  # tails[k]: least source offset ending an in-order run of k + 1 pairs
    for _, src in pairs:
        k = bisect_right(tails, src)
        if k == len(tails):
            tails.append(src)
        else:
            tails[k] = src
    return (len(pairs) - len(tails)) / len(pairs) if pairs else 0.0


def reordered(passages: Sequence[Passage]) -> bool:
    """Whether the copy does not follow the source's order: at least ``REORDERED_SHARE`` of its
    sure sentence pairs out of order (one stray or repeated sentence in a long copy is not a
    reordering)."""
    return out_of_order(passages) >= REORDERED_SHARE


def prose_covered(doc: Analyzed, passages: Sequence[Passage], side: str = "suspect") -> float:
    """Share of a side's prose words (in sentences of ``PROSE_WORDS`` words or more) that lie
    in the passages (``side``: "suspect", or "source" with ``doc`` the source); 1.0 when it has no
    such sentence."""
    spans = sorted(p.source if side == "source" else p.suspect for p in passages)
    prose = covered = 0
    for s in doc.sentences:
        words = s.last - s.first
        if words < PROSE_WORDS:
            continue
        prose += words
        a, b = doc.to_original(s.start, s.end)
        if any(x <= a < y or x < b <= y or (a <= x and y <= b) for x, y in spans):
            covered += words
    return covered / prose if prose else 1.0


def partial(doc: Analyzed, passages: Sequence[Passage], source: Analyzed | None = None) -> bool:
    """Whether the copy is part of a longer text of its own: the passages cover under
    ``PARTIAL_SHARE`` of the suspect's prose; when they also cover ``PARTIAL_SHARE`` or more of the
    source's prose (``source`` given: the whole article, or nearly, was taken), under
    ``WHOLE_SOURCE_PARTIAL`` of the suspect's. A whole article copied amid a page's cookie,
    newsletter and comment prose (a quarter of the page) is no partial copy; a short article set
    whole inside a longer one of the page's own is."""
    covered = prose_covered(doc, passages)
    if covered >= PARTIAL_SHARE:
        return False
    return (source is None or covered < WHOLE_SOURCE_PARTIAL
            or prose_covered(source, passages, "source") < PARTIAL_SHARE)


def label(doc: Analyzed, passages: Sequence[Passage], source: Analyzed | None = None) -> str:
    """The obfuscation label with its suffixes, e.g. ``spun+reordered``."""
    out = main_label(passages)
    if reordered(passages):
        out += REORDERED
    if partial(doc, passages, source):
        out += PARTIAL
    return out


__all__ = ["label", "main_label", "partial", "reordered", "out_of_order", "ORDER_SIMILARITY", "REORDERED_SHARE", "prose_covered", "VERBATIM", "LIGHT", "SPUN",
           "PARAPHRASE", "TRANSLATED", "REORDERED", "PARTIAL", "BY_PASSAGE_KIND"]
