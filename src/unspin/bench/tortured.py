"""Tortured-phrase injection: replace known phrases by the fingerprints paper mills left for them.

The phrase list is the Problematic Paper Screener's (``pps_fingerprints_normalized.csv``): rows with
a plain query (no AND/NOT/proximity operators) give ``expected -> fingerprint``; for an expected
phrase with several fingerprints the most frequent (most papers) wins. Expected phrases that are a
single stopword ("and", "by") are left out: their fingerprints are translation debris, not phrases.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from unspin.bench.spinner import STOPWORDS, match_case

_WORD = re.compile(r"[A-Za-z]+")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Injected:
    text: str
    replaced: int
    # (start, end) in the new text of each injected fingerprint, and the phrase it replaced
    spans: tuple[tuple[int, int, str], ...] = ()


class TorturedPhrases:
    """Finds expected phrases in a text (longest first) and swaps them for their fingerprints."""

    def __init__(self, pairs: dict[str, str]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for expected, fingerprint in pairs.items():
            words = tuple(w.lower() for w in _WORD.findall(expected))
            if not words or (len(words) == 1 and words[0] in STOPWORDS):
                continue
            self._by_first.setdefault(words[0], []).append((words, fingerprint))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    @classmethod
    def from_csv(cls, path: Path) -> TorturedPhrases:
        pairs: dict[str, tuple[int, str]] = {}
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("query_has_operators"):
                    continue
                expected = row["expected"].strip().lower()
                if _DIGIT.search(expected + row["fingerprint"]):
                    continue
                papers = int(row.get("num_papers") or 0)
                if expected and (expected not in pairs or papers > pairs[expected][0]):
                    pairs[expected] = (papers, row["fingerprint"].strip().lower())
        return cls({e: f for e, (_, f) in pairs.items()})

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_first.values())

    def inject(self, text: str, *, accept: Callable[[str], bool] | None = None,
               keep_case: bool = True) -> Injected:
        """Replace every occurrence of a known expected phrase; matches do not overlap.

        ``accept(phrase)`` may refuse a match (it is then left as it is); ``keep_case`` gives the
        fingerprint the capitalisation of the phrase it replaces.
        """
        spans = [m.span() for m in _WORD.finditer(text)]
        lowered = [text[a:b].lower() for a, b in spans]
        out: list[str] = []
        done: list[tuple[int, int, str]] = []
        pos, i, length_out = 0, 0, 0
        while i < len(spans):
            hit = self._match(lowered, i, text, spans)
            if hit is None:
                i += 1
                continue
            length, fingerprint = hit
            start, end = spans[i][0], spans[i + length - 1][1]
            i += length
            if accept is not None and not accept(" ".join(lowered[i - length : i])):
                continue
            new = match_case(fingerprint, text[start:end]) if keep_case else fingerprint
            out.append(text[pos:start])
            length_out += start - pos
            done.append((length_out, length_out + len(new), text[start:end]))
            out.append(new)
            length_out += len(new)
            pos = end
        out.append(text[pos:])
        return Injected("".join(out), len(done), tuple(done))

    def _match(self, lowered, i, text, spans) -> tuple[int, str] | None:
        for words, fingerprint in self._by_first.get(lowered[i], ()):
            n = len(words)
            if tuple(lowered[i : i + n]) != words:
                continue
            gaps = (text[spans[j][1] : spans[j + 1][0]] for j in range(i, i + n - 1))
            if all(g.isspace() or g == "-" for g in gaps):
                return n, fingerprint
        return None
