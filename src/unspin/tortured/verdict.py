"""A page's verdict from its flags: likely spun, likely machine-translated, or clean.

Typographic translation damage and calques (evidence ``translation``) point to a translation
round trip; the other kinds (a spinner's list or learned fingerprints, broken collocations, the
language model's swaps) to a synonym spinner. A page needs ``MIN_FLAGS`` flags of a kind, or one
flag per ``PER_WORDS`` words, before it is called either way; translation is checked first, since
a translated page also reads oddly to the model while a spun page keeps its typography. The rule
was set before any measurement and is not tuned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .phrase import TorturedPhrase

Label = Literal["likely spun", "likely machine-translated", "clean"]
MIN_FLAGS = 2
PER_WORDS = 100


@dataclass(frozen=True, slots=True)
class Verdict:
    label: Label
    words: int
    counts: dict[str, int]  # flags per evidence kind

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "words": self.words, "flags": dict(self.counts)}


def _enough(n: int, words: int) -> bool:
    return n >= MIN_FLAGS or (n >= 1 and n * PER_WORDS >= words)


def page_verdict(phrases: Sequence[TorturedPhrase], words: int) -> Verdict:
    counts = Counter(p.evidence for p in phrases)
    translation = counts.get("translation", 0)
    spun = sum(n for kind, n in counts.items() if kind != "translation")
    label: Label = "clean"
    if _enough(translation, words):
        label = "likely machine-translated"
    elif _enough(spun, words):
        label = "likely spun"
    return Verdict(label, words, dict(sorted(counts.items())))


__all__ = ["Verdict", "page_verdict", "Label", "MIN_FLAGS", "PER_WORDS"]
