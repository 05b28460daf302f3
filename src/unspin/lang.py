"""The language of a text: English, French, Spanish, Portuguese, German or Italian.

A stopword profile: each language's commonest function words (written for this module), counted in
the text's first few thousand words. Function words make up about half of any running text and
differ between these six languages, so a paragraph is enough; words shared by two languages
("de", "la", "que", "a") count for both and decide nothing by themselves. A text with fewer than
``MIN_HITS`` function words of any profile is ``und`` (undetermined): a list of names, a table,
another language. Accuracy on the hand-written multilingual set is in BENCHMARKS.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = ("en", "fr", "es", "pt", "de", "it")
UNDETERMINED = "und"
MIN_HITS = 3  # function words of the winning profile below which the language is undetermined
MAX_WORDS = 3000  # words read: the start of a long text says its language

_PROFILES: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in is was for that on with as by at from it its be have has had were are "
        "this which but not they he she their his her will would said been an after who more "
        "than also over into about".split()
    ),
    "fr": frozenset(
        "le la les de des du un une et est en dans pour que qui sur au aux par pas plus ne se "
        "il elle ils ont été avec son sa ses leur cette ce être a après mais selon ou où aussi "
        "lors entre avait".split()
    ),
    "es": frozenset(
        "el la los las de del un una y es en por para que con no se su sus al lo como más pero "
        "fue ha han sido este esta según sobre entre también tras desde hasta muy ya".split()
    ),
    "pt": frozenset(
        "o a os as de do da dos das um uma e é em no na nos nas por para que com não se seu sua "
        "ao pelo pela mais mas foi tem são como também após entre ainda já segundo".split()
    ),
    "de": frozenset(
        "der die das den dem des ein eine einen und ist in im zu von mit auf für nicht sich es "
        "er sie wir auch als bei nach wie aus hat haben wurde wird sind noch am vom zum zur "
        "dass oder aber".split()
    ),
    "it": frozenset(
        "il lo la i gli le di del della dei delle un una e è in nel nella per che con non si "
        "al alla da dal suo sua sono ha hanno stato più ma come anche dopo tra secondo ancora "
        "già questo questa".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Detected:
    """A text's language (ISO 639-1, or ``und``) and the winning profile's share of the hits."""

    lang: str
    confidence: float


def _words(text: str) -> list[str]:
    out = []
    for m in _WORD.finditer(text):
        w = m.group().lower()
        # elided articles and pronouns (l'homme, d'une, dell'anno) count as their function word
        if "'" in w:
            head, _, w = w.partition("'")
            out.append(head)
        out.append(w)
        if len(out) >= MAX_WORDS:
            break
    return out


def detect(text: str) -> Detected:
    """The language of ``text`` among :data:`LANGUAGES`, or ``und`` when too little says."""
    hits = dict.fromkeys(LANGUAGES, 0)
    for w in _words(text):
        for lang, profile in _PROFILES.items():
            if w in profile:
                hits[lang] += 1
    best = max(LANGUAGES, key=lambda k: hits[k])
    total = sum(hits.values())
    if hits[best] < MIN_HITS:
        return Detected(UNDETERMINED, 0.0)
    return Detected(best, round(hits[best] / total, 3))


__all__ = ["LANGUAGES", "UNDETERMINED", "Detected", "detect"]
