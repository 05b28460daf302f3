"""Fast list matching: every fingerprint phrase in one Aho-Corasick pass over the word stream.

The automaton holds every exact phrase of every query (anchors and context phrases alike), as
" w1 w2 " so that matches fall on word boundaries; breaks in the stream ("|") stop a phrase from
running across punctuation. Proximity phrases ("a b"~N) are checked from the words' positions.
A fingerprint fires on each occurrence of one of its anchors when its query holds for the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from .lexicon import Fingerprint, Term, evaluate, terms
from .stream import Stream


@dataclass(frozen=True, slots=True)
class Hit:
    first: int  # word index in the stream
    last: int  # inclusive
    fingerprint: Fingerprint


class _Occurrences:
    """Where each term of the automaton (and each proximity term, on demand) occurs in a stream."""

    def __init__(self, stream: Stream, automaton: ahocorasick.Automaton | None) -> None:
        self.stream = stream
        self.exact: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
        self._positions: dict[str, list[int]] | None = None
        self._near: dict[Term, list[tuple[int, int]]] = {}
        if automaton is None or not stream.words:
            return
        joined, offsets = stream.joined()
        for end, words in automaton.iter(joined):
            start_char = end - (len(" ".join(words)) + 1) + 1
            first = stream.word_at(offsets, start_char + 1)
            self.exact[words].append((first, first + len(words) - 1))

    def positions(self) -> dict[str, list[int]]:
        if self._positions is None:
            pos: dict[str, list[int]] = defaultdict(list)
            for k, w in enumerate(self.stream.words):
                pos[w].append(k)
            self._positions = pos
        return self._positions

    def of(self, term: Term) -> list[tuple[int, int]]:
        if term.slop is None:
            return self.exact.get(term.words, [])
        got = self._near.get(term)
        if got is None:
            got = self._proximity(term)
            self._near[term] = got
        return got

    def _proximity(self, term: Term) -> list[tuple[int, int]]:
        """Windows of at most len(words) + slop words that hold every word of the term."""
        pos = self.positions()
        if any(w not in pos for w in term.words):
            return []
        width = len(term.words) + (term.slop or 0)
        out: list[tuple[int, int]] = []
        for p in pos[term.words[0]]:
            lo, hi = p - width + 1, p + width - 1
            span = [p, p]
            for w in term.words[1:]:
                near = [q for q in pos[w] if lo <= q <= hi]
                if not near:
                    break
                q = min(near, key=lambda q: abs(q - p))
                span = [min(span[0], q), max(span[1], q)]
            else:
                if span[1] - span[0] < width:
                    out.append((span[0], span[1]))
        return out

    def present(self, term: Term) -> bool:
        return bool(self.of(term))


class ListMatcher:
    """Matches a list of fingerprints (PPS, user's, learned) against word streams."""

    def __init__(self, fingerprints: Sequence[Fingerprint]) -> None:
        self.fingerprints = tuple(fingerprints)
        self._by_anchor: dict[Term, list[Fingerprint]] = defaultdict(list)
        phrases: set[tuple[str, ...]] = set()
        for fp in self.fingerprints:
            for a in fp.anchors:
                self._by_anchor[a].append(fp)
            for t in [*fp.anchors, *(terms(fp.query) if fp.query is not None else ())]:
                if t.slop is None:
                    phrases.add(t.words)
        self._automaton: ahocorasick.Automaton | None = None
        if phrases:
            auto = ahocorasick.Automaton()
            for words in phrases:
                auto.add_word(" " + " ".join(words) + " ", words)
            auto.make_automaton()
            self._automaton = auto

    def __len__(self) -> int:
        return len(self.fingerprints)

    def find(self, stream: Stream) -> list[Hit]:
        """Every firing fingerprint occurrence, overlaps resolved (longest, then most papers)."""
        occ = _Occurrences(stream, self._automaton)
        hits: list[Hit] = []
        for anchor, prints in self._by_anchor.items():
            spans = occ.of(anchor)
            if not spans:
                continue
            for fp in prints:
                if fp.query is None or evaluate(fp.query, occ.present):
                    hits.extend(Hit(s, e, fp) for s, e in spans)
        return _resolve(hits)

    def spans(self, stream: Stream) -> list[tuple[int, int]]:
        """Word spans of every anchor occurrence, conditions ignored (for allow-lists)."""
        occ = _Occurrences(stream, self._automaton)
        return [s for anchor in self._by_anchor for s in occ.of(anchor)]


def _resolve(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (-(h.last - h.first), -h.fingerprint.papers, h.first))
    taken: list[tuple[int, int]] = []
    out: list[Hit] = []
    for h in hits:
        if any(h.first <= e and s <= h.last for s, e in taken):
            continue
        taken.append((h.first, h.last))
        out.append(h)
    return sorted(out, key=lambda h: h.first)


__all__ = ["Hit", "ListMatcher"]
