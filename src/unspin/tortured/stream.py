"""A text as a stream of lower-case word tokens for phrase matching, with offsets into the original.

Built on ``unspin.analysis``: the text is normalised (NFKC, homoglyphs, whitespace) and tokenised
once; hyphenated words are split into their parts, so "over-expressed" matches "over expressed".
Two tokens are *adjacent* when only spaces, hyphens, brackets or quote marks stand between them;
any other punctuation (comma, full stop, colon...) breaks a phrase.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..analysis import Analyzed, analyze

_GAP_OK = re.compile(r"[\s\-\u2010-\u2014()\[\]\"'\u2018\u2019\u201c\u201d]*")
_QUOTED = re.compile(r"\"[^\"\n]{3,}\"|\u201c[^\u201d\n]{3,}\u201d")
_PART = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+(?:[.,:/]\d+)*")


@dataclass(frozen=True, slots=True)
class Stream:
    """Word parts of a text: ``words[k]`` spans ``starts[k]:ends[k]`` of the normalised text."""

    doc: Analyzed
    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    breaks: frozenset[int]  # k such that words k-1 and k are not adjacent

    def joined(self) -> tuple[str, list[int]]:
        """The words joined for matching: " w0 w1 | w2 " ('|' at breaks) and each word's offset."""
        parts: list[str] = [" "]
        offsets: list[int] = []
        pos = 1
        for k, w in enumerate(self.words):
            if k in self.breaks:
                parts.append("| ")
                pos += 2
            offsets.append(pos)
            parts.append(w + " ")
            pos += len(w) + 1
        return "".join(parts), offsets

    def word_at(self, offsets: list[int], char: int) -> int:
        return bisect.bisect_right(offsets, char) - 1

    def original_span(self, first: int, last: int) -> tuple[int, int]:
        """Original offsets of words ``first..last`` (inclusive)."""
        return self.doc.to_original(self.starts[first], self.ends[last])


def phrase_words(phrase: str) -> tuple[str, ...]:
    """A phrase as matching words: lower case, hyphens and brackets dropped, apostrophes folded."""
    return tuple(m.group().replace("\u2019", "'") for m in _PART.finditer(phrase.lower()))


def build_stream(doc: Analyzed | str) -> Stream:
    if isinstance(doc, str):
        doc = analyze(doc)
    text, toks = doc.text, doc.tokens
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    breaks: set[int] = set()
    prev_end = None
    for k in range(len(toks)):
        s, e = toks.starts[k], toks.ends[k]
        for m in _PART.finditer(text, s, e):
            if prev_end is not None and not _GAP_OK.fullmatch(text, prev_end, m.start()):
                breaks.add(len(words))
            words.append(m.group().lower().replace("\u2019", "'"))
            starts.append(m.start())
            ends.append(m.end())
            prev_end = m.end()
    return Stream(doc, tuple(words), tuple(starts), tuple(ends), frozenset(breaks))


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quotations (straight or curly double quotes) in a text as given."""
    return [m.span() for m in _QUOTED.finditer(text)]


def inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


__all__ = ["Stream", "build_stream", "phrase_words", "quoted_spans", "inside"]
