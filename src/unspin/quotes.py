"""Where a text quotes someone: the character spans inside quotation marks.

Quotation marks are paired in reading order, so the narrative between two quotes (``"Yes," the
minister said ... "No."``) is never taken for a quote. A mark's direction comes from its neighbours:
an opening mark follows a space (or starts the text) and precedes a word; a closing mark follows a
word and precedes a space or punctuation. Curly marks carry their direction. A quotation that runs
across paragraphs follows the English convention: no closing mark at the end of the paragraph, an
opening mark at the start of the next. An opening double mark left open at a paragraph end that
does not continue that way closes there (a missing closing mark); an open single mark is dropped
instead, because a lone straight or curly single mark is far more often an apostrophe (James' car),
and a single mark before a digit ('90s) never opens. Apostrophes inside words (don't, it's) are
never marks.

A quotation must be balanced and bounded, so that marks that do not pair up exclude nothing
(a copy whose paragraphs were flattened into one line, with a quotation's closing mark lost or
misread, must not lose the narrative after it):

- double marks of one style do not nest: an opening double mark met while a double quotation
  opened by the same mark is open (and that cannot close it) starts a new quotation, and the open
  one, never closed, is dropped; a mark of another style nests (“ or " inside « or „: the French
  « Il a parlé d'un “désastre” total » is one quotation);
- a quotation left open at a paragraph end closes there only under the rules above, and
- no part of a quotation that a paragraph's end closed or ran through (no closing mark of its own
  in that paragraph) may run past ``QUOTE_WORDS`` words: a longer span is taken for a lost closing
  mark, and excludes nothing. A part closed by its own mark within the paragraph is not bounded,
  like a block quote: a long statement quoted in full is a quotation either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTE_WORDS = 100  # words of one quotation within one paragraph, at most (module doc)

_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_WORD = re.compile(r"[^\W_]+")
_DOUBLE_OPEN, _DOUBLE_CLOSE = "\u201c\u201e\u00ab", "\u201d\u00bb"  # English, German, French
_SINGLE_OPEN, _SINGLE_CLOSE = "\u2018", "\u2019"
# every character ``_mark`` may take for a mark: the others are skipped without looking at them
_MARK_CHARS = re.compile("[" + re.escape(_DOUBLE_OPEN + _DOUBLE_CLOSE + _SINGLE_OPEN + _SINGLE_CLOSE
                                         + "\"'") + "]")
_AFTER_CLOSE = set(".,;:!?)]}-\u2013\u2014\u2026'\"\u2019\u201d")
_BEFORE_OPEN = set("([{-\u2013\u2014/")
_INTRODUCES = re.compile(r"\b(?:said|says|say|told|tells|added|adds|wrote|writes|stated|states|"
                         r"tweeted|posted|declared|announced|explained|warned|statement|reads?)"
                         r"\b[^:\n]{0,40}:[ \t]*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Mark:
    at: int
    double: bool
    opens: bool
    closes: bool


def _boundary_before(text: str, i: int) -> bool:
    return i == 0 or text[i - 1].isspace() or text[i - 1] in _BEFORE_OPEN


def _boundary_after(text: str, i: int) -> bool:
    return i + 1 >= len(text) or text[i + 1].isspace() or text[i + 1] in _AFTER_CLOSE


def _mark(text: str, i: int) -> _Mark | None:
    """The quotation mark at ``text[i]``, with the directions it may take; None if not a mark."""
    ch = text[i]
    before, after = _boundary_before(text, i), _boundary_after(text, i)
    if ch == "\u201c" and after and not before:  # German „...“ closes with the English opening mark
        return _Mark(i, True, False, True)
    if ch in _DOUBLE_OPEN:
        return _Mark(i, True, True, False)
    if ch in _DOUBLE_CLOSE:
        return _Mark(i, True, False, True)
    if ch == '"':
        opens, closes = before and not after, after and not before
        if opens == closes:  # between words or between spaces: either way
            opens = closes = True
        return _Mark(i, True, opens, closes)
    if ch in _SINGLE_OPEN + _SINGLE_CLOSE + "'":
        if not before and not after:
            return None  # an apostrophe inside a word
        opens = before and not after and ch != _SINGLE_CLOSE and not text[i + 1].isdigit()
        closes = after and not before and ch != _SINGLE_OPEN
        return _Mark(i, False, opens, closes) if opens or closes else None
    return None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _PARAGRAPH.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _continues(text: str, start: int, double: bool = True) -> bool:
    """Whether the paragraph at ``start`` opens with a double (single) mark: a quote that runs on."""
    stripped = text[start:].lstrip()
    offset = len(text) - start - len(stripped)
    if not stripped:
        return False
    mark = _mark(text, start + offset)
    return mark is not None and mark.double == double and mark.opens


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Outermost quotations as ``[start, end)`` spans, quotation marks included, in text order."""
    spans: list[tuple[int, int, bool]] = []  # with whether its own closing mark ended it
    stack: list[_Mark] = []  # open marks, outermost first
    paragraphs = _paragraphs(text)
    for n, (p_start, p_end) in enumerate(paragraphs):
        segment = text[p_start:p_end]
        first = p_start + len(segment) - len(segment.lstrip()) if stack else -1
        for found in _MARK_CHARS.finditer(text, p_start, p_end):
            i = found.start()
            mark = _mark(text, i)
            if mark is None:
                continue
            if i == first and mark.opens and stack and mark.double == stack[0].double:
                continue  # the opening mark of a quotation's next paragraph
            match = next((k for k in range(len(stack) - 1, -1, -1)
                          if stack[k].double == mark.double), None)
            if mark.closes and match is not None:
                if match == 0:
                    spans.append((stack[0].at, i + 1, True))
                del stack[match:]
            elif mark.opens:
                if mark.double:  # a double mark of one style does not nest: the open one is dropped
                    stack = stack[:next((k for k, m in enumerate(stack)
                                         if m.double and text[m.at] == text[i]), len(stack))]
                stack.append(mark)
        nxt = paragraphs[n + 1][0] if n + 1 < len(paragraphs) else None
        if stack and not stack[0].double and nxt is not None and _continues(text, nxt, False):
            stack = stack[:1]  # a single-mark quotation runs on (British style)
            continue
        stack = [m for m in stack if m.double]  # else a single mark never runs past its paragraph
        if stack:
            if nxt is None or not _continues(text, nxt):
                spans.append((stack[0].at, p_end, False))
                stack = []
    bounded = [(s, e) for s, e, marked in spans if _bounded(text[s:e], marked)]
    return _merge(bounded + _block_quotes(text, paragraphs))


def _bounded(quote: str, marked: bool) -> bool:
    """Whether no paragraph's part of ``quote`` that a paragraph's end closed or ran through runs
    past ``QUOTE_WORDS`` words (the last part of a quotation ``marked`` closed by its own mark is
    not bounded)."""
    parts = _PARAGRAPH.split(quote)
    checked = parts[:-1] if marked else parts
    return all(len(_WORD.findall(part)) <= QUOTE_WORDS for part in checked)


def _block_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lines introduced as quotations without marks (a page's block quote): a line right after a
    line that ends with a colon shortly after a speech verb ("The minister said:")."""
    out = []
    for (a, b), (c, d) in zip(paragraphs, paragraphs[1:], strict=False):
        if _INTRODUCES.search(text, a, b) and text[c:d].strip():
            out.append((c, d))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def quoted_chars(spans: list[tuple[int, int]], start: int, end: int) -> int:
    """How many characters of ``[start, end)`` lie inside the given (sorted, disjoint) spans."""
    return sum(max(0, min(e, end) - max(s, start)) for s, e in spans)


__all__ = ["quoted_spans", "quoted_chars", "QUOTE_WORDS"]
