"""Tokens and sentences of a normalised text, with offsets into it.

Tokens are words (letters, with inner apostrophes and hyphens) and numbers (digits with inner
separators). Each token carries its class: a function word, a number, a name (capitalised and not
at the start of a sentence) or a content word. Numbers and names are *anchors*: the facts a
rewriter keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import FUNCTION_WORDS

TOKENIZER_NAME = "unicode-words/1"

_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*", re.UNICODE)

# Token classes.
CONTENT = 0
FUNCTION = 1
NUMBER = 2
NAME = 3

_LAST_WORD = re.compile(r"([\w.]+)[.!?]+[\"'\u201d\u2019)\]]*$")
_ABBREV = frozenset(
    "mr mrs ms dr prof sr jr st mt inc corp co ltd plc gov sen rep gen col lt sgt capt vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos fig etc al approx dept est "
    "u.s u.k e.g i.e a.m p.m "
    # German, French, Spanish, Portuguese, Italian: number words and titles written with a stop
    "mio mrd bzw usw nr sra srta dra mme mlle sig dott".split()
)
# A stop starts only where a run of stop marks starts, and never gives characters back: without
# both, a run of 60,000 dots took minutes (each start rescanned the run)
# The next sentence may open with a quotation mark of any of the six languages (" ' “ ‘ „ « ¿ ¡)
# and an accented capital (État, À, Über).
_SENT_END = re.compile(r"(?<![.!?])[.!?]++[\"'\u201d\u2019\u00bb)\]]*+"
                       r"(?=\s+[\"'\u201c\u2018\u201e\u00ab\u00bf\u00a1(\[]?\s?"
                       r"[A-Z0-9\u00c0-\u00d6\u00d8-\u00dd])")


@dataclass(frozen=True, slots=True)
class Tokens:
    """Parallel arrays over the tokens of one text (offsets into the normalised text)."""

    lower: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    classes: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.lower)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its span in the normalised text and its token range ``[first, last)``."""

    start: int
    end: int
    first: int
    last: int


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split a normalised text into sentence spans (paragraph breaks always split)."""
    spans: list[tuple[int, int]] = []
    for para_start, para in _paragraphs(text):
        start = 0
        for m in _SENT_END.finditer(para):
            end = m.end()
            # the last word before the stop, looked for in a short tail (a search over the whole
            # span is quadratic in a long run of letters)
            word = _LAST_WORD.search(para, max(start, end - 64), end)
            if word:
                w = word.group(1).lower().rstrip(".")
                if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                    continue
            if para[start:end].strip():
                spans.append(_strip(para, start, end, para_start))
            start = end
        if para[start:].strip():
            spans.append(_strip(para, start, len(para), para_start))
    return spans


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for part in text.split("\n"):
        out.append((pos, part))
        pos += len(part) + 1
    return out


def _strip(para: str, s: int, e: int, base: int) -> tuple[int, int]:
    while s < e and para[s].isspace():
        s += 1
    while e > s and para[e - 1].isspace():
        e -= 1
    return base + s, base + e


_BREAK = re.compile(r"[\n.!?:\"\u201c]")


def tokenize(text: str) -> Tokens:
    """Tokenise a normalised text. Capitalised words after a sentence start are names."""
    lower: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    classes: list[int] = []
    sentence_initial = True
    prev_end = 0
    function_words = FUNCTION_WORDS
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        if s - prev_end > 1 or (s > prev_end and text[prev_end] != " "):
            if prev_end and _BREAK.search(text, prev_end, s):
                sentence_initial = True
        word = m.group()
        low = word.lower()
        first = word[0]
        if first.isdigit():
            cls = NUMBER
        elif low in function_words:
            cls = FUNCTION
        elif first.isupper() and not sentence_initial:
            cls = NAME
        else:
            cls = CONTENT
        lower.append(low)
        starts.append(s)
        ends.append(e)
        classes.append(cls)
        sentence_initial = False
        prev_end = e
    return Tokens(tuple(lower), tuple(starts), tuple(ends), tuple(classes))


def sentences(text: str, tokens: Tokens) -> list[Sentence]:
    """Sentences of ``text`` with their token ranges; sentences without tokens are dropped."""
    out: list[Sentence] = []
    spans = sentence_spans(text)
    i, n = 0, len(tokens)
    for s, e in spans:
        while i < n and tokens.starts[i] < s:
            i += 1
        j = i
        while j < n and tokens.ends[j] <= e:
            j += 1
        if j > i:
            out.append(Sentence(s, e, i, j))
        i = j
    return out


__all__ = [
    "Tokens",
    "Sentence",
    "tokenize",
    "sentences",
    "sentence_spans",
    "CONTENT",
    "FUNCTION",
    "NUMBER",
    "NAME",
    "TOKENIZER_NAME",
]
