"""Lines that are lists or tables rather than prose: team sheets, cast lists, tables of figures.

Reports of one event by different outlets share such lines (the same squad, the same results table)
without one copying the other's writing, so ``check`` counts them like quotations: not as evidence
of reuse. A line is a list or a table when it has at least ``min_words`` words and fewer than one
in ``1 / max_function_share`` of them is a function word ("the", "of", "said" is not one): prose
runs at 40-50% function words, a team sheet or an earnings table at none. Words are counted after
the engine's normalisation, so a disguised sentence (homoglyphs, zero-width characters inside its
words) is still read as prose.
"""

from __future__ import annotations

import re

from .lexicon import FUNCTION_WORDS
from .normalize import normalize

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")
_LINE = re.compile(r"[^\n]+")


def listing_spans(text: str, *, max_function_share: float = 0.125,
                  min_words: int = 5) -> list[tuple[int, int]]:
    """The ``[start, end)`` spans of the lines of ``text`` that are lists or tables, in order."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        # words as the engine reads them: homoglyphs, invisible characters and soft hyphens folded
        found = [w.lower() for w in _WORD.findall(normalize(line.group()).text)]
        if len(found) < min_words:
            continue
        function = sum(w in FUNCTION_WORDS for w in found)
        if function < max_function_share * len(found):
            spans.append(line.span())
    return spans


__all__ = ["listing_spans"]
