"""Lines that are lists or tables rather than prose: team sheets, cast lists, tables of figures.

Reports of one event by different outlets share such lines (the same squad, the same results table)
without one copying the other's writing, so ``check`` counts them like quotations: not as evidence
of reuse. A line is a list or a table when it has at least ``min_words`` words and fewer than one
in ``1 / max_function_share`` of them is a function word ("the", "of", "said" is not one): prose
runs at 40-50% function words, a team sheet or an earnings table at none. Words are counted after
the engine's normalisation, so a disguised sentence (homoglyphs, zero-width characters inside its
words) is still read as prose. A list written one item a line (a team sheet, a cast, bullet points
of names) is read the same way as a whole: a run of at least ``MIN_RUN_LINES`` consecutive lines of
at most ``SHORT_LINE_WORDS`` words each, none ending like a sentence, is one unit. Where a line (or
run) holds two or more capital letters standing alone before a capitalised word, they are names'
initials, not function words ("A Goode, O Smith, I Rossi" in a squad list are not "a", "o", "I");
one alone is read as a word ("A Russian court jails ..." is a sentence).
"""

from __future__ import annotations

import re

from .lexicon import FUNCTION_WORDS
from .normalize import normalize

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")
_INITIAL = re.compile(r"\b[A-Z]\b(?=\.?[ ]+[A-Z][^\W\d_]*[a-z])")
_LINE = re.compile(r"[^\n]+")
MIN_RUN_LINES = 3
SHORT_LINE_WORDS = 6


def _is_list(line: str, max_function_share: float, min_words: int) -> bool:
    # words as the engine reads them: homoglyphs, invisible characters and soft hyphens folded
    text = normalize(line).text
    if len(_INITIAL.findall(text)) >= 2:  # names' initials, not "a", "o", "I" (module doc)
        text = _INITIAL.sub("X", text)
    found = [w.lower() for w in _WORD.findall(text)]
    if len(found) < min_words:
        return False
    function = sum(w in FUNCTION_WORDS for w in found)
    return function < max_function_share * len(found)


def _short(line: str) -> bool:
    text = line.strip()
    return bool(text) and len(_WORD.findall(text)) <= SHORT_LINE_WORDS \
        and not text.endswith((".", "!", "?"))


def listing_spans(text: str, *, max_function_share: float = 0.125,
                  min_words: int = 5) -> list[tuple[int, int]]:
    """The ``[start, end)`` spans of the lines of ``text`` that are lists or tables, in order."""
    spans: list[tuple[int, int]] = []
    lines = list(_LINE.finditer(text))
    k = 0
    while k < len(lines):
        end = k
        while end < len(lines) and _short(lines[end].group()) \
                and (end == k or _adjacent(text, lines[end - 1].end(), lines[end].start())):
            end += 1
        if end - k >= MIN_RUN_LINES:
            run = text[lines[k].start():lines[end - 1].end()]
            if _is_list(run, max_function_share, min_words):
                spans.append((lines[k].start(), lines[end - 1].end()))
            k = end
            continue
        if _is_list(lines[k].group(), max_function_share, min_words):
            spans.append(lines[k].span())
        k += 1
    return spans


def _adjacent(text: str, end: int, start: int) -> bool:
    """Whether two lines follow each other with nothing but one line break between them."""
    return text[end:start].count("\n") == 1


__all__ = ["listing_spans"]
