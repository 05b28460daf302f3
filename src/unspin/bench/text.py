"""Plain-text helpers the generator and the baselines share: words, sentences, paragraphs, shingles.

These are deliberately independent of the engine's own normaliser and tokeniser, so that the
benchmark does not measure the engine against itself.
"""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_SENT_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
_PARA_BREAK = re.compile(r"\n\s*\n")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr co corp inc ltd no vs gen gov sen rep rev jan feb mar apr jun jul "
    "aug sep sept oct nov dec u.s u.k u.n e.g i.e st mt ft".split()
)

Span = tuple[int, int]


def words(text: str) -> list[str]:
    """The words of ``text``, lowercased."""
    return [m.group().lower() for m in WORD_RE.finditer(text)]


def word_spans(text: str) -> list[Span]:
    """Character spans of the words of ``text``."""
    return [m.span() for m in WORD_RE.finditer(text)]


def paragraph_spans(text: str) -> list[Span]:
    """Spans of the paragraphs (blocks separated by a blank line), stripped of outer whitespace."""
    spans, start = [], 0
    for m in _PARA_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [s for s in (_strip(text, a, b) for a, b in spans) if s[1] > s[0]]


def sentence_spans(text: str) -> list[Span]:
    """Spans of the sentences of ``text``; a paragraph break always ends a sentence."""
    spans: list[Span] = []
    for p_start, p_end in paragraph_spans(text):
        start = p_start
        for m in _SENT_END.finditer(text, p_start, p_end):
            if _is_abbreviation(text, start, m.start()):
                continue
            spans.append(_strip(text, start, m.end()))
            start = m.end()
        spans.append(_strip(text, start, p_end))
    return [s for s in spans if s[1] > s[0]]


def word_shingles(text: str, n: int = 5) -> set[str]:
    """The set of word ``n``-grams of ``text`` (lowercased, joined by a space)."""
    ws = words(text)
    if len(ws) < n:
        return {" ".join(ws)} if ws else set()
    return {" ".join(ws[i : i + n]) for i in range(len(ws) - n + 1)}


def _is_abbreviation(text: str, start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    m = re.search(r"([A-Za-z.]+)$", text[start:dot])
    if not m:
        return False
    token = m.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or len(token) == 1


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
