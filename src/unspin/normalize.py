"""Text normalisation that keeps a map back to the original characters.

Steps, applied in one pass:
- Unicode NFKC, per grapheme cluster (a base character and its combining marks);
- zero-width characters, soft hyphens, BOMs and other format controls removed;
- homoglyphs folded: Cyrillic or Greek letters that look like Latin ones, inside a word that is
  otherwise Latin (or made only of look-alikes in a mostly Latin text), become the Latin letter;
- whitespace collapsed: a run becomes one space, or one newline when it marks a paragraph
  (two line breaks, or a line break followed by indentation).

Every character of the normalised text maps back to a span of the original, so every offset
unspin reports can point into the text as the user gave it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

NORMALIZER_NAME = "nfkc-zw-homoglyph-ws/1"

_REMOVED = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\ufeff\ufe0e\ufe0f"
)

# Look-alikes of Latin letters in the Cyrillic and Greek blocks (the usual spoofing set).
_HOMOGLYPHS = {
    # Cyrillic lower case
    "а": "a", "в": "b", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "к": "k",
    "м": "m", "н": "h", "т": "t", "ё": "e", "ї": "i",
    # Cyrillic upper case
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    "Һ": "H", "Ӏ": "I", "Ё": "E",
    # Greek
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "ε": "e", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}

_WS = re.compile(r"\s+")
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n|\n[ \t\u3000]{2,}|\n\t")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and its map back to the original.

    Segment ``k`` covers normalised characters ``[norm_starts[k], norm_starts[k+1])`` and original
    characters ``[orig_starts[k], orig_ends[k])``. A *linear* segment maps character to character;
    any other segment maps each of its characters to the whole original span.
    """

    text: str
    original: str
    norm_starts: tuple[int, ...]
    orig_starts: tuple[int, ...]
    orig_ends: tuple[int, ...]
    linear: tuple[bool, ...]

    def _segment(self, pos: int) -> int:
        return bisect.bisect_right(self.norm_starts, pos) - 1

    def orig_start(self, pos: int) -> int:
        """Original offset where normalised character ``pos`` starts."""
        if pos >= len(self.text):
            return len(self.original)
        k = self._segment(pos)
        if self.linear[k]:
            return self.orig_starts[k] + (pos - self.norm_starts[k])
        return self.orig_starts[k]

    def orig_end(self, pos: int) -> int:
        """Original offset where normalised character ``pos`` ends (exclusive)."""
        k = self._segment(pos)
        if self.linear[k]:
            return self.orig_starts[k] + (pos - self.norm_starts[k]) + 1
        return self.orig_ends[k]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to a span of the original text."""
        if end <= start:
            o = self.orig_start(start)
            return o, o
        return self.orig_start(start), self.orig_end(end - 1)


class _Builder:
    __slots__ = ("out", "ns", "os", "oe", "lin", "n")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.ns: list[int] = []
        self.os: list[int] = []
        self.oe: list[int] = []
        self.lin: list[bool] = []
        self.n = 0

    def emit(self, text: str, o_start: int, o_end: int) -> None:
        if not text:
            return
        linear = len(text) == o_end - o_start
        if (
            linear
            and self.lin
            and self.lin[-1]
            and self.oe[-1] == o_start
            and self.os[-1] + (self.n - self.ns[-1]) == o_start
        ):
            self.oe[-1] = o_end  # extend the running linear segment
        else:
            self.ns.append(self.n)
            self.os.append(o_start)
            self.oe.append(o_end)
            self.lin.append(linear)
        self.out.append(text)
        self.n += len(text)


def _is_latin_letter(ch: str) -> bool:
    return ch.isalpha() and ord(ch) < 0x250


def _fold_word(word: str, latin_text: bool) -> str:
    """Fold look-alike letters in one word when the word is (meant to be) Latin."""
    if not any(c in _HOMOGLYPHS for c in word):
        return word
    has_latin = any(_is_latin_letter(c) for c in word)
    all_confusable = all(c in _HOMOGLYPHS or not c.isalpha() for c in word if not _is_latin_letter(c))
    if (has_latin and all_confusable) or (latin_text and all(c in _HOMOGLYPHS for c in word)):
        return "".join(_HOMOGLYPHS.get(c, c) for c in word)
    return word


_WORD = re.compile(r"[^\W\d_]+")


def _mostly_latin(text: str) -> bool:
    latin = other = 0
    for m in _WORD.finditer(text[:20000]):
        w = m.group()
        if all(_is_latin_letter(c) or c in _HOMOGLYPHS for c in w):
            if any(_is_latin_letter(c) for c in w):
                latin += 1
        else:
            other += 1
    return latin >= other


def _clusters(text: str) -> list[tuple[int, int]]:
    """Split text into (start, end) clusters: a character plus following combining marks."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        spans.append((i, j))
        i = j
    return spans


def _nfkc_pieces(text: str, base: int, b: _Builder) -> None:
    """NFKC a stretch of non-whitespace text, emitting mapped pieces."""
    if text.isascii():
        b.emit(text, base, base + len(text))
        return
    for s, e in _clusters(text):
        chunk = text[s:e]
        if chunk in _REMOVED or (len(chunk) == 1 and unicodedata.category(chunk) == "Cf"):
            continue
        if chunk.isascii():
            b.emit(chunk, base + s, base + e)
            continue
        out = unicodedata.normalize("NFKC", chunk)
        out = "".join(c for c in out if c not in _REMOVED)
        if out.isspace():
            if not b.out or b.out[-1][-1] in " \n":
                continue
            out = " "
        b.emit(out, base + s, base + e)


_HAS_HOMOGLYPH = re.compile("[" + "".join(_HOMOGLYPHS) + "]")
_HOMOGLYPH_WORD = re.compile(r"[^\W\d_]*[" + "".join(_HOMOGLYPHS) + r"][^\W\d_]*")


def _fold_homoglyphs(text: str) -> str:
    if text.isascii() or not _HAS_HOMOGLYPH.search(text):
        return text
    latin_text = _mostly_latin(text)
    return _HOMOGLYPH_WORD.sub(lambda m: _fold_word(m.group(), latin_text), text)


_SPECIAL = re.compile(r"\s{2,}|[^\S ]|[^\x00-\x7f\s]+")


def normalize(text: str) -> Normalized:
    """Normalise ``text`` and keep the map back to its characters."""
    b = _Builder()
    pos = 0
    n = len(text)
    for m in _SPECIAL.finditer(text):
        s, e = m.span()
        run = m.group()
        if run[0].isspace():
            if s > pos:
                _plain(text, pos, s, b)
            if b.n > 0 and e < n and b.out[-1][-1] not in " \n":
                sep = "\n" if _PARAGRAPH.search(run) or run.count("\n") >= 2 else " "
                b.emit(sep, s, e)
            pos = e
            continue
        if s > pos and unicodedata.combining(run[0]):
            s -= 1  # keep the base letter with its combining marks
        if s > pos:
            _plain(text, pos, s, b)
        _nfkc_pieces(text[s:e], s, b)
        pos = e
    if pos < n:
        _plain(text, pos, n, b)
    joined = "".join(b.out)
    # a removed character at either end can leave a separator there: strip it from the map too.
    while joined and joined[-1] in " \n":
        joined = joined[:-1]
        b.n -= 1
        while b.ns and b.ns[-1] >= b.n:
            b.ns.pop()
            b.os.pop()
            b.oe.pop()
            b.lin.pop()
    folded = _fold_homoglyphs(joined)  # same length: one letter for one letter
    if not b.ns:
        b.ns, b.os, b.oe, b.lin = [0], [0], [len(text)], [False]
    return Normalized(
        text=folded,
        original=text,
        norm_starts=tuple(b.ns),
        orig_starts=tuple(b.os),
        orig_ends=tuple(b.oe),
        linear=tuple(b.lin),
    )


def _plain(text: str, start: int, end: int, b: _Builder) -> None:
    """Copy an ASCII stretch with single spaces only (leading space dropped at the start)."""
    if b.n == 0 or b.out[-1][-1] in " \n":
        while start < end and text[start] == " ":
            start += 1
    if start < end:
        b.emit(text[start:end], start, end)


__all__ = ["Normalized", "normalize", "NORMALIZER_NAME"]
